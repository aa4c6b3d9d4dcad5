/* test_config.c -- the configuration file: parsing, defaults, errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include "config.h"

/* A configuration file in its own temporary directory, and its result. */
struct tconf {
	char		 dir[PATH_MAX];	/* absolute, no symlinks */
	char		 path[PATH_MAX + 16];
	struct cfg	*cfg;
	char		*err;		/* what cfg_load() said */
	size_t		 errlen;
	int		 rc;
};

static int
conf_setup(void **state)
{
	char tmpl[PATH_MAX];
	const char *tmp = getenv("TMPDIR");
	struct tconf *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	snprintf(tmpl, sizeof(tmpl), "%s/test_config.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(tmpl) == NULL || realpath(tmpl, t->dir) == NULL) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/reputed.conf", t->dir);
	*state = t;
	return 0;
}

static int
conf_teardown(void **state)
{
	struct tconf *t = *state;
	char path[PATH_MAX + 32];

	cfg_free(t->cfg);
	free(t->err);
	unlink(t->path);
	/* What the catalog tests write (see write_file()). */
	snprintf(path, sizeof(path), "%s/catalog.ini", t->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub/catalog.ini", t->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", t->dir);
	rmdir(path);
	rmdir(t->dir);
	free(t);
	return 0;
}

/* Write text as the file and load it; errors land in t->err. */
static int
conf_load(struct tconf *t, const char *text)
{
	FILE *f, *err;

	cfg_free(t->cfg);
	free(t->err);
	t->cfg = NULL;
	t->err = NULL;
	assert_non_null(f = fopen(t->path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_non_null(err = open_memstream(&t->err, &t->errlen));
	t->rc = cfg_load(&t->cfg, t->path, err);
	assert_int_equal(fclose(err), 0);
	if (t->rc != 0)
		assert_null(t->cfg);
	return t->rc;
}

/* Write text as the file name (catalog.ini or sub/catalog.ini) in t->dir. */
static void
write_file(const struct tconf *t, const char *name, const char *text)
{
	char path[PATH_MAX + 32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/sub", t->dir);
	if (strchr(name, '/') != NULL && access(path, F_OK) != 0)
		assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Did err (of a file other than the configuration) say msg at line? */
static int
has_file_err(const struct tconf *t, const char *name, unsigned line,
    const char *msg)
{
	char want[PATH_MAX + 256];

	snprintf(want, sizeof(want), "%s/%s:%u: %s", t->dir, name, line, msg);
	if (t->err != NULL && strstr(t->err, want) != NULL)
		return 1;
	print_error("no \"%s\" in:\n%s", want, t->err ? t->err : "");
	return 0;
}

/* Did cfg_load() report msg (a prefix of the message) at line? */
static int
has_err(const struct tconf *t, unsigned line, const char *msg)
{
	char want[PATH_MAX + 256];

	snprintf(want, sizeof(want), "%s:%u: %s", t->path, line, msg);
	if (t->err != NULL && strstr(t->err, want) != NULL)
		return 1;
	print_error("no \"%s\" in:\n%s", want, t->err ? t->err : "");
	return 0;
}

static size_t
err_lines(const struct tconf *t)
{
	size_t n = 0;
	const char *s;

	for (s = t->err; s != NULL && (s = strchr(s, '\n')) != NULL; s++)
		n++;
	return n;
}

static uint32_t
addr4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

/* The example of the issue, comments and all. */
static const char issue_example[] =
"[server]\n"
"listen   = 127.0.0.1:5353 [::1]:5353     ; used by the daemon\n"
"database = var/reputed.db                ; LMDB environment directory\n"
"\n"
"[source drop]                            ; one section per source\n"
"url      = file:///path/to/drop.txt      ; file://, http:// or https://\n"
"format   = plain                         ; this issue: plain\n"
"refresh  = 12h                           ; minimum time between fetches\n"
"code     = 127.0.0.2                     ; A value when listed\n"
"txt      = Listed by $source: $reason    ; TXT template; $source $ip\n"
"expire   = 7d                            ; optional\n"
"\n"
"[source local]                           ; a source without url\n"
"code     = 127.0.0.3\n"
"txt      = Listed locally: $reason\n"
"\n"
"[zone bl.example.org]\n"
"sources  = drop local                    ; which sources\n"
"ttl      = 300\n"
"soa      = ns1.example.org hostmaster.example.org\n"
"ns       = ns1.example.org\n";

static void
config_parses_issue_example(void **state)
{
	struct tconf *t = *state;
	const struct cfg_source *s;
	const struct cfg_zone *z;
	char db[PATH_MAX + 32];

	assert_int_equal(conf_load(t, issue_example), 0);
	assert_int_equal(t->errlen, 0);
	assert_int_equal(t->cfg->server.nlisten, 2);
	assert_string_equal(t->cfg->server.listen[0], "127.0.0.1:5353");
	assert_string_equal(t->cfg->server.listen[1], "[::1]:5353");
	snprintf(db, sizeof(db), "%s/var/reputed.db", t->dir);
	assert_string_equal(t->cfg->server.database, db);
	assert_null(t->cfg->server.user);

	assert_int_equal(t->cfg->nsources, 2);
	assert_non_null(s = cfg_source_find(t->cfg, "drop"));
	assert_string_equal(s->url, "file:///path/to/drop.txt");
	assert_string_equal(s->format, "plain");
	assert_int_equal(s->refresh, 12 * 3600);
	assert_int_equal(s->code, addr4("127.0.0.2"));
	assert_string_equal(s->txt, "Listed by $source: $reason");
	assert_int_equal(s->expire, 7 * 86400);
	assert_int_equal(s->line, 5);
	assert_non_null(s = cfg_source_find(t->cfg, "local"));
	assert_null(s->url);
	assert_int_equal(s->code, addr4("127.0.0.3"));
	assert_string_equal(s->txt, "Listed locally: $reason");
	assert_int_equal(s->line, 13);

	assert_int_equal(t->cfg->nzones, 1);
	assert_non_null(z = cfg_zone_find(t->cfg, "bl.example.org"));
	assert_int_equal(z->nsources, 2);
	assert_string_equal(z->sources[0], "drop");
	assert_string_equal(z->sources[1], "local");
	assert_int_equal(z->ttl, 300);
	assert_string_equal(z->soa_mname, "ns1.example.org");
	assert_string_equal(z->soa_rname, "hostmaster.example.org");
	assert_int_equal(z->nns, 1);
	assert_string_equal(z->ns[0], "ns1.example.org");
	assert_int_equal(z->line, 17);
}

static void
config_parses_shipped_example(void **state)
{
	struct cfg *cfg;
	const struct cfg_source *s;

	(void)state;
	/* make runs the tests from the top of the tree. */
	if (access("examples/reputed.conf", R_OK) != 0)
		skip();
	assert_int_equal(cfg_load(&cfg, "examples/reputed.conf", stderr), 0);
	assert_non_null(s = cfg_source_find(cfg, "drop"));
	assert_non_null(strstr(s->url, "/spamhaus-drop/drop.txt"));
	assert_int_equal(strncmp(s->url, "file:///", 8), 0);
	assert_null(strstr(s->url, ".."));
	assert_non_null(s = cfg_source_find(cfg, "local"));
	assert_null(s->url);
	assert_non_null(cfg_zone_find(cfg, "bl.reputed.test"));
	cfg_free(cfg);
}

static void
config_applies_defaults(void **state)
{
	struct tconf *t = *state;
	const struct cfg_source *s;
	const struct cfg_zone *z;
	char db[PATH_MAX + 32];

	assert_int_equal(conf_load(t, "[source a]\n[zone x.test]\n"
	    "sources = a\n"), 0);
	assert_int_equal(t->cfg->server.nlisten, 1);
	assert_string_equal(t->cfg->server.listen[0], "127.0.0.1:5353");
	snprintf(db, sizeof(db), "%s/var/reputed.db", t->dir);
	assert_string_equal(t->cfg->server.database, db);
	assert_null(t->cfg->server.user);
	assert_non_null(s = cfg_source_find(t->cfg, "a"));
	assert_null(s->url);
	assert_string_equal(s->format, "plain");
	assert_int_equal(s->refresh, 3600);
	assert_int_equal(s->code, addr4("127.0.0.2"));
	assert_string_equal(s->txt, "Listed by $source");
	assert_int_equal(s->expire, 0);
	assert_non_null(z = cfg_zone_find(t->cfg, "x.test"));
	assert_int_equal(z->ttl, 300);
	assert_string_equal(z->soa_mname, "ns.x.test");
	assert_string_equal(z->soa_rname, "hostmaster.x.test");
	assert_int_equal(z->nns, 1);
	assert_string_equal(z->ns[0], "ns.x.test");
}

static void
config_accepts_an_empty_file(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "; nothing here\n\n"), 0);
	assert_int_equal(t->cfg->nsources, 0);
	assert_int_equal(t->cfg->nzones, 0);
	assert_int_equal(t->cfg->server.nlisten, 1);
}

static void
config_ns_defaults_to_soa_mname(void **state)
{
	struct tconf *t = *state;
	const struct cfg_zone *z;

	assert_int_equal(conf_load(t, "[source a]\n[zone x.test]\n"
	    "sources = a\nsoa = ns7.x.test dns.x.test\n"), 0);
	assert_non_null(z = cfg_zone_find(t->cfg, "x.test"));
	assert_int_equal(z->nns, 1);
	assert_string_equal(z->ns[0], "ns7.x.test");
}

static void
config_reports_unknown_key_with_line(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[server]\n\nlisten = 127.0.0.1:53\n"
	    "colour = blue\n"), -EINVAL);
	assert_true(has_err(t, 4, "unknown key 'colour' in [server]"));
	assert_int_equal(err_lines(t), 1);
}

static void
config_reports_unknown_section_with_line(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "; a comment\n[server]\n[dns]\n"
	    "key = value\n[zone]\n"), -EINVAL);
	assert_true(has_err(t, 3, "unknown section [dns]"));
	assert_true(has_err(t, 5, "[zone]: missing name"));
	/* Keys of a bad section are not reported again. */
	assert_int_equal(err_lines(t), 2);
}

static void
config_reports_every_error(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t,
	    "top = 1\n"					/* 1 */
	    "[server]\n"
	    "listen = 1.2.3.4:0 [::1]:53 ::1:53\n"	/* 3 */
	    "bogus = 1\n"				/* 4 */
	    "[source a]\n"
	    "refresh = soon\n"				/* 6 */
	    "code = 127.0.0.9\n"
	    "code = 127.0.0.8\n"			/* 8 */
	    "no separator here\n"			/* 9 */
	    "[source a]\n"				/* 10 */
	    "[zone z.test]\n"
	    "ttl = -1\n"				/* 12 */
	    "sources = a\n"
	    "[zone bad_-.test]\n"			/* 14 */
	    "[unterminated\n"				/* 15 */
	    ), -EINVAL);
	assert_true(has_err(t, 1, "top: key outside any section"));
	assert_true(has_err(t, 3, "listen: 1.2.3.4:0: port out of range"));
	assert_true(has_err(t, 3, "listen: ::1:53: write an IPv6 address"));
	assert_true(has_err(t, 4, "unknown key 'bogus' in [server]"));
	assert_true(has_err(t, 6, "refresh: bad duration 'soon'"));
	assert_true(has_err(t, 8, "duplicate key 'code' (first on line 7)"));
	assert_true(has_err(t, 9, "expected KEY = VALUE or [SECTION]"));
	assert_true(has_err(t, 10, "duplicate [source a] (first on line 5)"));
	assert_true(has_err(t, 12, "ttl: expected a number from 0 to "
	    "604800"));
	assert_true(has_err(t, 14, "[zone bad_-.test]: label starts or "
	    "ends with '-'"));
	assert_true(has_err(t, 15, "missing ']'"));
	assert_int_equal(err_lines(t), 11);
}

static void
config_rejects_zone_with_unknown_source(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[zone bl.test]\nsources = a nope\n"
	    "[source a]\n"), -EINVAL);
	assert_true(has_err(t, 1, "[zone bl.test]: unknown source 'nope'"));
	assert_int_equal(err_lines(t), 1);
}

static void
config_requires_zone_sources(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[source a]\n[zone bl.test]\nttl = 5\n"
	    "[zone b.test]\nsources =\n"), -EINVAL);
	assert_true(has_err(t, 2, "[zone bl.test]: no sources"));
	assert_true(has_err(t, 5, "sources: no value given"));
	assert_int_equal(err_lines(t), 2);
}

static void
config_rejects_bad_code(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[source a]\ncode = 10.0.0.2\n"
	    "[source b]\ncode = 127.0.0\n[source c]\ncode = ::1\n"), -EINVAL);
	assert_true(has_err(t, 2, "code: 10.0.0.2 is not in 127.0.0.0/8"));
	assert_true(has_err(t, 4, "code: '127.0.0' is not an IPv4 address"));
	assert_true(has_err(t, 6, "code: '::1' is not an IPv4 address"));
}

static void
config_stores_code_in_network_order(void **state)
{
	struct tconf *t = *state;
	const struct cfg_source *s;

	assert_int_equal(conf_load(t, "[source a]\ncode = 127.1.2.3\n"), 0);
	assert_non_null(s = cfg_source_find(t->cfg, "a"));
	assert_int_equal(ntohl(s->code), 0x7f010203);
}

static void
config_rejects_bad_durations(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[source a]\n"
	    "refresh = 1m\n"				/* below 5m */
	    "expire = -3d\n"
	    "[source b]\n"
	    "refresh = 12x\n"
	    "expire = 99999999999999999999\n"
	    "[source c]\n"
	    "refresh = 1 h\n"
	    "expire = 4000d\n"), -EINVAL);
	assert_true(has_err(t, 2, "refresh: 1m is below the minimum 5m"));
	assert_true(has_err(t, 3, "expire: bad duration '-3d'"));
	assert_true(has_err(t, 5, "refresh: bad duration '12x'"));
	assert_true(has_err(t, 6, "expire: bad duration"));
	assert_true(has_err(t, 8, "refresh: bad duration '1 h'"));
	assert_true(has_err(t, 9, "expire: 4000d is above the maximum"));
	assert_int_equal(err_lines(t), 6);
}

static void
config_accepts_refresh_at_minimum(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[source a]\nrefresh = 300\n"
	    "expire = 2w\n"), 0);
	assert_int_equal(t->cfg->sources[0].refresh, 300);
	assert_int_equal(t->cfg->sources[0].expire, 14 * 86400);
}

static void
config_rejects_bad_txt_template(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[source a]\ntxt = see $url\n"
	    "[source b]\ntxt = costs $$5 from ${source}\n"), -EINVAL);
	assert_true(has_err(t, 2, "txt: unknown variable $url"));
	assert_int_equal(err_lines(t), 1);
}

static void
config_rejects_unknown_format_and_url(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[source a]\nformat = csv\n"
	    "url = ftp://example.org/x\n[source b]\nurl = http:///x\n"
	    "[source c]\nurl = https://example.org/a b\n"), -EINVAL);
	assert_true(has_err(t, 2, "format: unknown format 'csv' (known: "
	    "plain auto spamhaus-drop"));
	assert_true(has_err(t, 3, "url: only file:, http:// and https://"));
	assert_true(has_err(t, 5, "url: missing host name"));
	/* A blank in a URL has to be written %20. */
	assert_true(has_err(t, 7, "url: write a blank in a URL as %20"));
}

static void
config_resolves_relative_database(void **state)
{
	struct tconf *t = *state;
	char want[PATH_MAX + 32], parent[PATH_MAX];
	char *slash;

	assert_int_equal(conf_load(t, "[server]\ndatabase = ./db/../st\n"),
	    0);
	snprintf(want, sizeof(want), "%s/st", t->dir);
	assert_string_equal(t->cfg->server.database, want);

	assert_int_equal(conf_load(t, "[server]\ndatabase = ../var/x.db\n"),
	    0);
	snprintf(parent, sizeof(parent), "%s", t->dir);
	assert_non_null(slash = strrchr(parent, '/'));
	*slash = '\0';
	snprintf(want, sizeof(want), "%s/var/x.db", parent);
	assert_string_equal(t->cfg->server.database, want);

	assert_int_equal(conf_load(t, "[server]\ndatabase = /srv/db\n"), 0);
	assert_string_equal(t->cfg->server.database, "/srv/db");
}

static void
config_resolves_relative_file_url(void **state)
{
	struct tconf *t = *state;
	char want[PATH_MAX + 64], parent[PATH_MAX];

	assert_int_equal(conf_load(t, "[source a]\nurl = file:lists/a b.txt\n"
	    "[source b]\nurl = file:../x/y.txt\n"
	    "[source c]\nurl = file:///abs/z.txt\n"
	    "[source d]\nurl = file:/abs/w.txt\n"), 0);
	snprintf(want, sizeof(want), "file://%s/lists/a%%20b.txt", t->dir);
	assert_string_equal(cfg_source_find(t->cfg, "a")->url, want);
	snprintf(parent, sizeof(parent), "%s", t->dir);
	*strrchr(parent, '/') = '\0';
	snprintf(want, sizeof(want), "file://%s/x/y.txt", parent);
	assert_string_equal(cfg_source_find(t->cfg, "b")->url, want);
	assert_string_equal(cfg_source_find(t->cfg, "c")->url,
	    "file:///abs/z.txt");
	assert_string_equal(cfg_source_find(t->cfg, "d")->url,
	    "file:///abs/w.txt");
}

static void
config_rejects_file_url_with_host(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[source a]\nurl = file://rel/x\n"),
	    -EINVAL);
	assert_true(has_err(t, 2, "url: a file:// URL needs an absolute "
	    "path"));
}

static void
config_reports_line_too_long(void **state)
{
	struct tconf *t = *state;
	char text[1024];

	/* 250 characters: longer than inih's 200-byte line buffer. */
	snprintf(text, sizeof(text), "[source a]\ntxt = %0*d\n"
	    "[source b]\nbogus = 1\n", 244, 0);
	assert_int_equal(conf_load(t, text), -EINVAL);
	assert_true(has_err(t, 2, "line too long"));
	/* The lines after it keep their numbers. */
	assert_true(has_err(t, 4, "unknown key 'bogus' in [source]"));
	assert_int_equal(err_lines(t), 2);
}

static void
config_accepts_line_at_limit(void **state)
{
	struct tconf *t = *state;
	char text[1024];

	snprintf(text, sizeof(text), "[source a]\ntxt = %0*d\n", 198 - 6, 0);
	assert_int_equal(conf_load(t, text), 0);
	assert_int_equal(strlen(t->cfg->sources[0].txt), 198 - 6);
}

static void
config_reports_duplicates(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[server]\nuser = a\nUSER = b\n"
	    "[server]\n[zone A.test.]\nsources = s s\n[zone a.test]\n"
	    "[source s]\n"), -EINVAL);
	assert_true(has_err(t, 3, "duplicate key 'USER' (first on line 2)"));
	assert_true(has_err(t, 4, "duplicate [server] (first on line 1)"));
	assert_true(has_err(t, 6, "sources: s: given twice"));
	assert_true(has_err(t, 7, "duplicate [zone a.test] (first on "
	    "line 5)"));
}

static void
config_normalises_zone_names(void **state)
{
	struct tconf *t = *state;
	const struct cfg_zone *z;

	assert_int_equal(conf_load(t, "[source s]\n[zone BL.Example.ORG.]\n"
	    "sources = s\nsoa = NS1.Example.org. Hostmaster.example.org\n"
	    "ns = a.example.org b.example.net.\n"), 0);
	assert_non_null(z = cfg_zone_find(t->cfg, "bl.example.org."));
	assert_ptr_equal(z, cfg_zone_find(t->cfg, "Bl.example.org"));
	assert_string_equal(z->name, "bl.example.org");
	assert_string_equal(z->soa_mname, "ns1.example.org");
	assert_string_equal(z->soa_rname, "hostmaster.example.org");
	assert_int_equal(z->nns, 2);
	assert_string_equal(z->ns[1], "b.example.net");
	assert_null(cfg_zone_find(t->cfg, "example.org"));
	assert_null(cfg_source_find(t->cfg, "S"));
}

static void
config_rejects_bad_dns_names(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[source s]\n[zone a..b]\n[zone .]\n"
	    "[zone ok.test]\nsources = s\nsoa = ns.ok.test\n"
	    "ns = x.test hostmaster@ok.test\n"), -EINVAL);
	assert_true(has_err(t, 2, "[zone a..b]: empty label"));
	assert_true(has_err(t, 3, "[zone .]: empty name"));
	assert_true(has_err(t, 6, "soa: expected two names, MNAME RNAME"));
	assert_true(has_err(t, 7, "ns: hostmaster@ok.test: write a mailbox"));
}

static void
config_validates_listen(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[server]\nlisten = [::]:53 0.0.0.0:53"
	    " [2001:db8::1]:65535\n"), 0);
	assert_int_equal(t->cfg->server.nlisten, 3);
	assert_string_equal(t->cfg->server.listen[2], "[2001:db8::1]:65535");

	assert_int_equal(conf_load(t, "[server]\nlisten = 1.2.3.4 "
	    "[::1:53 [::1]53 1.2.3.4:65536 host:53 [1.2.3.4]:53 "
	    "1.2.3.4:5x\n"), -EINVAL);
	assert_true(has_err(t, 2, "listen: 1.2.3.4: missing ':PORT'"));
	assert_true(has_err(t, 2, "listen: [::1:53: missing ']'"));
	assert_true(has_err(t, 2, "listen: [::1]53: missing ':PORT'"));
	assert_true(has_err(t, 2, "listen: 1.2.3.4:65536: port out of range"));
	assert_true(has_err(t, 2, "listen: host:53: bad IPv4 address"));
	assert_true(has_err(t, 2, "listen: [1.2.3.4]:53: bad IPv6 address"));
	assert_true(has_err(t, 2, "listen: 1.2.3.4:5x: bad port"));
	assert_int_equal(err_lines(t), 7);
}

static void
config_reads_crlf_indent_and_bom(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "\xef\xbb\xbf[source a]\r\n"
	    "    code = 127.0.0.7\r\n\tREFRESH = 2h ; why\r\n"
	    "  [zone z.test]\r\nsources = a"), 0);
	assert_int_equal(t->cfg->sources[0].code, addr4("127.0.0.7"));
	assert_int_equal(t->cfg->sources[0].refresh, 7200);
	assert_int_equal(t->cfg->zones[0].nsources, 1);
}

static void
config_reports_missing_file(void **state)
{
	struct tconf *t = *state;
	struct cfg *cfg = NULL;
	char want[PATH_MAX + 64];
	FILE *err;

	snprintf(t->path, sizeof(t->path), "%s/none.conf", t->dir);
	snprintf(want, sizeof(want), "%s: cannot read: %s\n", t->path,
	    strerror(ENOENT));
	assert_non_null(err = open_memstream(&t->err, &t->errlen));
	assert_int_equal(cfg_load(&cfg, t->path, err), -ENOENT);
	fclose(err);
	assert_null(cfg);
	assert_string_equal(t->err, want);
}

static void
duration_parses_units(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(cfg_parse_duration("90", &v), 0);
	assert_int_equal(v, 90);
	assert_int_equal(cfg_parse_duration("45s", &v), 0);
	assert_int_equal(v, 45);
	assert_int_equal(cfg_parse_duration("30m", &v), 0);
	assert_int_equal(v, 1800);
	assert_int_equal(cfg_parse_duration("12h", &v), 0);
	assert_int_equal(v, 43200);
	assert_int_equal(cfg_parse_duration("7d", &v), 0);
	assert_int_equal(v, 604800);
	assert_int_equal(cfg_parse_duration("2w", &v), 0);
	assert_int_equal(v, 1209600);
	assert_int_equal(cfg_parse_duration("0", &v), 0);
	assert_int_equal(v, 0);
}

static void
duration_rejects_garbage(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", "1.5h", "h", "12hh", "12H", "1 h", " 1", "1y",
		"9223372036854775808", "15250284452472w",
	};
	int64_t v = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cfg_parse_duration(bad[i], &v), -EINVAL);
		assert_int_equal(v, 42);
	}
	assert_int_equal(cfg_parse_duration(NULL, &v), -EINVAL);
	assert_int_equal(cfg_parse_duration("9223372036854775807", &v), 0);
}

static void
duration_prints_largest_exact_unit(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(cfg_duration_str(43200, buf, sizeof(buf)), "12h");
	assert_string_equal(cfg_duration_str(90, buf, sizeof(buf)), "90s");
	assert_string_equal(cfg_duration_str(300, buf, sizeof(buf)), "5m");
	assert_string_equal(cfg_duration_str(172800, buf, sizeof(buf)), "2d");
	assert_string_equal(cfg_duration_str(1209600, buf, sizeof(buf)),
	    "2w");
	assert_string_equal(cfg_duration_str(0, buf, sizeof(buf)), "0s");
	assert_string_equal(cfg_duration_str(3601, buf, sizeof(buf)),
	    "3601s");
}


/* ---- Fetching and the rules: keys of [server] and [source] ------------ */

static void
config_fetch_keys_have_defaults(void **state)
{
	struct tconf *t = *state;
	const struct cfg_server *srv;
	const struct cfg_source *s;

	assert_int_equal(conf_load(t, "[source a]\n"), 0);
	srv = &t->cfg->server;
	assert_null(srv->contact);
	assert_null(srv->catalog_file);
	assert_int_equal(srv->fetch_timeout, 120);
	assert_int_equal(srv->max_size, 256 << 20);
	assert_non_null(s = cfg_source_find(t->cfg, "a"));
	assert_null(s->catalog);
	assert_int_equal(s->min_refresh, 0);
	assert_false(s->contact_required);
	assert_int_equal(s->fetch_timeout, 120);
	assert_int_equal(s->max_size, 256 << 20);
	assert_true(s->max_rejected == 1.0);
	assert_true(s->max_shrink == 50.0);
	assert_int_equal(s->max_prefix4, 8);
	assert_int_equal(s->max_prefix6, 24);
}

static void
config_sources_take_server_fetch_limits(void **state)
{
	struct tconf *t = *state;
	const struct cfg_source *s;

	/* [server] may come after the sources: it still applies. */
	assert_int_equal(conf_load(t, "[source a]\n"
	    "[source b]\nfetch-timeout = 5s\nmax-size = 512k\n"
	    "[server]\nfetch-timeout = 30s\nmax-size = 1M\n"
	    "contact = ops@example.org\n"), 0);
	assert_string_equal(t->cfg->server.contact, "ops@example.org");
	assert_non_null(s = cfg_source_find(t->cfg, "a"));
	assert_int_equal(s->fetch_timeout, 30);
	assert_int_equal(s->max_size, 1 << 20);
	assert_non_null(s = cfg_source_find(t->cfg, "b"));
	assert_int_equal(s->fetch_timeout, 5);
	assert_int_equal(s->max_size, 512 << 10);
}

static void
config_parses_rule_keys(void **state)
{
	struct tconf *t = *state;
	const struct cfg_source *s;

	assert_int_equal(conf_load(t, "[source a]\nmax-rejected = 0.5%\n"
	    "max-shrink = 80\nmax-prefix4 = 0\nmax-prefix6 = 128\n"
	    "[source b]\nmax-rejected = 0\nmax-shrink = 100%\n"), 0);
	assert_non_null(s = cfg_source_find(t->cfg, "a"));
	assert_true(s->max_rejected == 0.5);
	assert_true(s->max_shrink == 80.0);
	assert_int_equal(s->max_prefix4, 0);
	assert_int_equal(s->max_prefix6, 128);
	assert_non_null(s = cfg_source_find(t->cfg, "b"));
	assert_true(s->max_rejected == 0.0);
	assert_true(s->max_shrink == 100.0);
}

static void
config_rejects_bad_rule_keys(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[source a]\n"
	    "max-rejected = 101%\n"
	    "max-shrink = -1\n"
	    "max-prefix4 = 33\n"
	    "max-prefix6 = 129\n"
	    "max-size = 10\n"
	    "fetch-timeout = 2h\n"
	    "[source b]\n"
	    "max-rejected = 1.2.3\n"
	    "max-shrink = inf\n"
	    "max-size = 5G\n"
	    "fetch-timeout = 0\n"
	    "[source c]\n"
	    "max-rejected = 1%%\n"
	    "max-size = 12X\n"), -EINVAL);
	assert_true(has_err(t, 2, "max-rejected: expected a percentage"));
	assert_true(has_err(t, 3, "max-shrink: expected a percentage"));
	assert_true(has_err(t, 4, "max-prefix4: expected a number from 0 "
	    "to 32"));
	assert_true(has_err(t, 5, "max-prefix6: expected a number from 0 "
	    "to 128"));
	assert_true(has_err(t, 6, "max-size: expected a size from 1k to 4G"));
	assert_true(has_err(t, 7, "fetch-timeout: 2h is above the maximum"));
	assert_true(has_err(t, 9, "max-rejected: expected a percentage"));
	assert_true(has_err(t, 10, "max-shrink: expected a percentage"));
	assert_true(has_err(t, 11, "max-size: expected a size"));
	assert_true(has_err(t, 12, "fetch-timeout: 0 is below the minimum"));
	assert_true(has_err(t, 14, "max-rejected: expected a percentage"));
	assert_true(has_err(t, 15, "max-size: expected a size"));
	assert_int_equal(err_lines(t), 12);
}

static void
config_validates_contact(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[server]\n"
	    "contact = https://example.org/abuse\n"), 0);
	assert_string_equal(t->cfg->server.contact,
	    "https://example.org/abuse");
	assert_int_equal(conf_load(t, "[server]\n"
	    "contact = mailto:ops@example.org\n"), 0);
	assert_int_equal(conf_load(t, "[server]\ncontact = ops\n"), -EINVAL);
	assert_true(has_err(t, 2, "contact: expected an e-mail address"));
	assert_int_equal(conf_load(t, "[server]\n"
	    "contact = ops @example.org\n"), -EINVAL);
	assert_true(has_err(t, 2, "contact: blanks, parentheses"));
	assert_int_equal(conf_load(t, "[server]\n"
	    "contact = (ops)@example.org\n"), -EINVAL);
	assert_true(has_err(t, 2, "contact: blanks, parentheses"));
	assert_int_equal(conf_load(t, "[server]\ncontact = ftp://x.org\n"),
	    -EINVAL);
	assert_true(has_err(t, 2, "contact: expected an e-mail address"));
}

/* rbldnsd's -l and -s: a path (made absolute) or "-" for the log. */
static void
config_reads_query_log_and_stats_file_keys(void **state)
{
	struct tconf *t = *state;
	const struct cfg_server *srv;
	char want[PATH_MAX + 32];

	assert_int_equal(conf_load(t, "[server]\n"), 0);
	srv = &t->cfg->server;
	assert_null(srv->query_log);
	assert_false(srv->query_log_flush);
	assert_null(srv->stats_file);
	assert_int_equal(srv->stats_file_interval, 60);
	assert_false(srv->stats_file_deltas);
	assert_int_equal(conf_load(t, "[server]\nquery-log = log/q.log\n"
	    "query-log-flush = yes\nstats-file = /var/s.log\n"
	    "stats-file-interval = 0\nstats-file-deltas = yes\n"), 0);
	srv = &t->cfg->server;
	snprintf(want, sizeof(want), "%s/log/q.log", t->dir);
	assert_string_equal(srv->query_log, want);
	assert_true(srv->query_log_flush);
	assert_string_equal(srv->stats_file, "/var/s.log");
	assert_int_equal(srv->stats_file_interval, 0);
	assert_true(srv->stats_file_deltas);
	assert_int_equal(conf_load(t, "[server]\nquery-log = -\n"), 0);
	assert_string_equal(t->cfg->server.query_log, "-");
	assert_int_equal(conf_load(t, "[server]\nquery-log =\n"
	    "stats-file = -\nstats-file-interval = 2d\n"
	    "query-log-flush = maybe\n"), -EINVAL);
	assert_true(has_err(t, 2, "query-log: empty path"));
	assert_true(has_err(t, 4, "stats-file-interval: 2d is above the "
	    "maximum 1d"));
	assert_true(has_err(t, 5, "query-log-flush: expected yes or no"));
}

static void
size_parses_units(void **state)
{
	uint64_t v;
	char buf[32];

	(void)state;
	assert_int_equal(cfg_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(cfg_parse_size("512k", &v), 0);
	assert_int_equal(v, 512 << 10);
	assert_int_equal(cfg_parse_size("256M", &v), 0);
	assert_int_equal(v, 256 << 20);
	assert_int_equal(cfg_parse_size("1g", &v), 0);
	assert_int_equal(v, 1 << 30);
	assert_int_equal(cfg_parse_size("", &v), -EINVAL);
	assert_int_equal(cfg_parse_size("M", &v), -EINVAL);
	assert_int_equal(cfg_parse_size("1MB", &v), -EINVAL);
	assert_int_equal(cfg_parse_size("1.5M", &v), -EINVAL);
	assert_int_equal(cfg_parse_size("99999999999999999999", &v), -EINVAL);
	assert_int_equal(cfg_parse_size("99999999999999G", &v), -EINVAL);
	assert_string_equal(cfg_size_str(256 << 20, buf, sizeof(buf)),
	    "256M");
	assert_string_equal(cfg_size_str(3 << 10, buf, sizeof(buf)), "3k");
	assert_string_equal(cfg_size_str(1536 << 10, buf, sizeof(buf)),
	    "1536k");
	assert_string_equal(cfg_size_str(1000, buf, sizeof(buf)), "1000");
}

static void
next_fetch_backs_off_and_waits_retry_after(void **state)
{
	struct cfg_source s;
	const int64_t t0 = 1700000000;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.refresh = 3600;
	/* Never tried: due at once. */
	assert_int_equal(cfg_source_next_fetch(&s, 0, 0, 0), 0);
	/* Refresh less 1/20 for timer jitter. */
	assert_int_equal(cfg_source_next_fetch(&s, t0, 0, 0), t0 + 3420);
	assert_int_equal(cfg_source_next_fetch(&s, t0, 1, 0), t0 + 3420);
	/* Doubled per failure after the first, tolerance at most 5m. */
	assert_int_equal(cfg_source_next_fetch(&s, t0, 3, 0),
	    t0 + 4 * 3600 - 300);
	/* Up to a day. */
	assert_int_equal(cfg_source_next_fetch(&s, t0, 40, 0),
	    t0 + 86400 - 300);
	/* Never before the provider's minimum. */
	s.min_refresh = 3600;
	assert_int_equal(cfg_source_next_fetch(&s, t0, 0, 0), t0 + 3600);
	/* A Retry-After further out wins; one already past does not. */
	assert_int_equal(cfg_source_next_fetch(&s, t0, 1, t0 + 7200),
	    t0 + 7200);
	assert_int_equal(cfg_source_next_fetch(&s, t0, 1, t0 + 60),
	    t0 + 3600);
	/* A refresh longer than a day is the back-off's cap. */
	s.refresh = 2 * 86400;
	assert_int_equal(cfg_source_next_fetch(&s, t0, 5, 0),
	    t0 + 2 * 86400 - 300);
	/* Without a catalog minimum the floor is CFG_REFRESH_MIN. */
	s.refresh = 300;
	s.min_refresh = 0;
	assert_int_equal(cfg_source_next_fetch(&s, t0, 0, 0), t0 + 300);
}

/* ---- The catalog ------------------------------------------------------ */

static const char test_catalog[] =
"# a test catalog\n"
"[list l1]\n"
"provider    = Test Provider\n"
"description = a list for the tests\n"
"url         = https://lists.example.org/l1.txt\n"
"format      = spamhaus-drop\n"
"refresh     = 12h\n"
"min-refresh = 1h\n"
"code        = 127.0.0.5\n"
"txt         = Listed by $source, see https://example.org/?ip=$ip\n"
"terms       = free for the tests\n"
"contact-required = yes\n"
"max-prefix4 = 3\n"
"\n"
"[list l2]\n"
"provider = Other\n"
"url      = file:l2.txt\n";

static void
config_merges_catalog_list(void **state)
{
	struct tconf *t = *state;
	const struct cfg_source *s;
	char want[PATH_MAX + 32];

	write_file(t, "sub/catalog.ini", test_catalog);
	assert_int_equal(conf_load(t, "[server]\n"
	    "catalog-file = sub/catalog.ini\n"
	    "[source a]\ncatalog = l1\n"
	    "[source b]\ncode = 127.0.0.9\ncatalog = l1\n"
	    "url = https://mirror.example.org/l1.txt\nrefresh = 1d\n"
	    "[source c]\ncatalog = l2\n"), 0);
	assert_non_null(s = cfg_source_find(t->cfg, "a"));
	assert_string_equal(s->catalog, "l1");
	assert_string_equal(s->url, "https://lists.example.org/l1.txt");
	assert_string_equal(s->format, "spamhaus-drop");
	assert_int_equal(s->refresh, 12 * 3600);
	assert_int_equal(s->code, addr4("127.0.0.5"));
	assert_string_equal(s->txt,
	    "Listed by $source, see https://example.org/?ip=$ip");
	assert_int_equal(s->min_refresh, 3600);
	assert_true(s->contact_required);
	assert_int_equal(s->max_prefix4, 3);
	assert_int_equal(s->max_prefix6, 24);
	/* Every catalog value can be overridden, in any order. */
	assert_non_null(s = cfg_source_find(t->cfg, "b"));
	assert_string_equal(s->url, "https://mirror.example.org/l1.txt");
	assert_int_equal(s->code, addr4("127.0.0.9"));
	assert_int_equal(s->refresh, 86400);
	assert_string_equal(s->format, "spamhaus-drop");
	/* A catalog's file:PATH is relative to the catalog. */
	assert_non_null(s = cfg_source_find(t->cfg, "c"));
	snprintf(want, sizeof(want), "file://%s/sub/l2.txt", t->dir);
	assert_string_equal(s->url, want);
	assert_string_equal(s->format, "plain");
	assert_false(s->contact_required);
}

static void
config_reports_unknown_catalog_list(void **state)
{
	struct tconf *t = *state;

	write_file(t, "catalog.ini", test_catalog);
	assert_int_equal(conf_load(t, "[server]\n"
	    "catalog-file = catalog.ini\n"
	    "[source a]\n"
	    "catalog = nosuch\n"), -EINVAL);
	assert_true(has_err(t, 4, "catalog: no list 'nosuch' in "));
	assert_int_equal(err_lines(t), 1);
}

static void
config_rejects_refresh_below_catalog_minimum(void **state)
{
	struct tconf *t = *state;

	write_file(t, "catalog.ini", test_catalog);
	assert_int_equal(conf_load(t, "[server]\n"
	    "catalog-file = catalog.ini\n"
	    "[source a]\n"
	    "catalog = l1\n"
	    "refresh = 30m\n"), -EINVAL);
	assert_true(has_err(t, 5, "refresh: 30m is below the 1h that Test "
	    "Provider asks for (min-refresh of catalog list l1)"));
	assert_int_equal(conf_load(t, "[server]\n"
	    "catalog-file = catalog.ini\n"
	    "[source a]\n"
	    "catalog = l1\n"
	    "refresh = 1h\n"), 0);
	/* min-refresh is the provider's: a source cannot set it. */
	assert_int_equal(conf_load(t, "[source a]\nmin-refresh = 5m\n"),
	    -EINVAL);
	assert_true(has_err(t, 2, "unknown key 'min-refresh' in [source] "
	    "(only the catalog sets it)"));
}

static void
config_reports_catalog_errors_in_the_catalog(void **state)
{
	struct tconf *t = *state;

	write_file(t, "catalog.ini", "[list x]\nprovider = P\n"
	    "url = https://example.org/x\nbogus = 1\ncode = 10.0.0.1\n"
	    "catalog = y\n[list y]\nrefresh = 1h\nmin-refresh = 2h\n"
	    "[source z]\n");
	assert_int_equal(conf_load(t, "[server]\n"
	    "catalog-file = catalog.ini\n"
	    "[source a]\n"
	    "catalog = x\n"), -EINVAL);
	assert_true(has_file_err(t, "catalog.ini", 4, "unknown key 'bogus' "
	    "in [list]"));
	assert_true(has_file_err(t, "catalog.ini", 5, "code: 10.0.0.1 is "
	    "not in 127.0.0.0/8"));
	assert_true(has_file_err(t, "catalog.ini", 6, "unknown key "
	    "'catalog' in [list]"));
	assert_true(has_file_err(t, "catalog.ini", 7, "[list y]: no url"));
	assert_true(has_file_err(t, "catalog.ini", 7, "[list y]: no "
	    "provider"));
	assert_true(has_file_err(t, "catalog.ini", 7, "[list y]: refresh 1h "
	    "is below its min-refresh 2h"));
	assert_true(has_file_err(t, "catalog.ini", 10, "unknown section "
	    "[source]"));
	assert_true(has_err(t, 4, "catalog: "));
}

static void
config_reports_missing_catalog(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, "[server]\n"
	    "catalog-file = none.ini\n"
	    "[source a]\n"
	    "catalog = x\n"), -EINVAL);
	assert_true(has_err(t, 4, "catalog: cannot read "));
	assert_non_null(strstr(t->err, "none.ini: No such file"));
	/* A catalog-file nobody uses is still checked. */
	assert_int_equal(conf_load(t, "[server]\n"
	    "catalog-file = none.ini\n"), -EINVAL);
	assert_true(has_err(t, 2, "catalog: cannot read "));
	/* No reference, no catalog-file: the catalog is not read. */
	assert_int_equal(conf_load(t, "[source a]\n"), 0);
}

static void
catalog_loads_alone(void **state)
{
	struct tconf *t = *state;
	struct cfg_catalog *cat;
	const struct cfg_list *l;
	char path[PATH_MAX + 32];

	write_file(t, "catalog.ini", test_catalog);
	snprintf(path, sizeof(path), "%s/catalog.ini", t->dir);
	assert_int_equal(cfg_catalog_load(&cat, path, stderr), 0);
	assert_int_equal(cat->nlists, 2);
	assert_non_null(l = cfg_catalog_find(cat, "l1"));
	assert_string_equal(l->provider, "Test Provider");
	assert_string_equal(l->description, "a list for the tests");
	assert_string_equal(l->terms, "free for the tests");
	assert_int_equal(l->min_refresh, 3600);
	assert_true(l->contact_required);
	assert_int_equal(l->src.refresh, 12 * 3600);
	assert_int_equal(l->src.code, addr4("127.0.0.5"));
	assert_int_equal(l->nkv, 6);
	assert_int_equal(l->line, 2);
	assert_null(cfg_catalog_find(cat, "l3"));
	cfg_catalog_free(cat);
	cfg_catalog_free(NULL);
}

static void
catalog_path_prefers_catalog_file(void **state)
{
	struct tconf *t = *state;
	char path[PATH_MAX + 32], want[PATH_MAX + 32];

	write_file(t, "catalog.ini", test_catalog);
	assert_int_equal(conf_load(t, "[server]\n"
	    "catalog-file = ./catalog.ini\n"), 0);
	assert_int_equal(cfg_catalog_path(t->cfg, path, sizeof(path)), 0);
	snprintf(want, sizeof(want), "%s/catalog.ini", t->dir);
	assert_string_equal(path, want);
	/* Without one: a path ending in catalog.ini, wherever it is. */
	assert_int_equal(cfg_catalog_path(NULL, path, sizeof(path)), 0);
	assert_non_null(strstr(path, "/" CFG_CATALOG_NAME));
	assert_int_equal(cfg_catalog_path(NULL, path, 4), -ENAMETOOLONG);
}

#define T(f) \
	cmocka_unit_test_setup_teardown(f, conf_setup, conf_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(config_parses_issue_example),
		T(config_parses_shipped_example),
		T(config_applies_defaults),
		T(config_accepts_an_empty_file),
		T(config_ns_defaults_to_soa_mname),
		T(config_reports_unknown_key_with_line),
		T(config_reports_unknown_section_with_line),
		T(config_reports_every_error),
		T(config_rejects_zone_with_unknown_source),
		T(config_requires_zone_sources),
		T(config_rejects_bad_code),
		T(config_stores_code_in_network_order),
		T(config_rejects_bad_durations),
		T(config_accepts_refresh_at_minimum),
		T(config_rejects_bad_txt_template),
		T(config_rejects_unknown_format_and_url),
		T(config_resolves_relative_database),
		T(config_resolves_relative_file_url),
		T(config_rejects_file_url_with_host),
		T(config_reports_line_too_long),
		T(config_accepts_line_at_limit),
		T(config_reports_duplicates),
		T(config_normalises_zone_names),
		T(config_rejects_bad_dns_names),
		T(config_validates_listen),
		T(config_reads_crlf_indent_and_bom),
		T(config_reports_missing_file),
		cmocka_unit_test(duration_parses_units),
		cmocka_unit_test(duration_rejects_garbage),
		cmocka_unit_test(duration_prints_largest_exact_unit),
		T(config_fetch_keys_have_defaults),
		T(config_sources_take_server_fetch_limits),
		T(config_parses_rule_keys),
		T(config_rejects_bad_rule_keys),
		T(config_validates_contact),
		T(config_reads_query_log_and_stats_file_keys),
		cmocka_unit_test(size_parses_units),
		cmocka_unit_test(next_fetch_backs_off_and_waits_retry_after),
		T(config_merges_catalog_list),
		T(config_reports_unknown_catalog_list),
		T(config_rejects_refresh_below_catalog_minimum),
		T(config_reports_catalog_errors_in_the_catalog),
		T(config_reports_missing_catalog),
		T(catalog_loads_alone),
		T(catalog_path_prefers_catalog_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
