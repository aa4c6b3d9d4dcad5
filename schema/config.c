/* config.c -- reads the INI file with inih into struct cfg, a row per key. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <ini.h>

#include "config.h"
#include "template.h"

#define WS	" \t"

enum sec_kind {
	SEC_NONE,	/* before the first section header */
	SEC_SKIP,	/* a bad header, already reported: ignore its keys */
	SEC_SERVER,
	SEC_SOURCE,
	SEC_ZONE,
	SEC_GEOIP,
	SEC_LIST,	/* [list NAME] of the catalog file */
};

struct parse;
struct cfg_key;

/*
 * Parse val into the section struct at base (struct cfg_server, _source
 * or _zone), replacing and freeing the old value. Problems are reported
 * with perr() at the current line. 0, -EINVAL or -ENOMEM.
 */
typedef int	key_set_fn(struct parse *, const struct cfg_key *,
		    void *base, const char *val);

struct cfg_key {
	const char	*name;
	enum sec_kind	 sec;
	key_set_fn	*set;
	const char	*def;	/* set as the section opens, or NULL */
	int64_t		 min;	/* bounds of numbers, durations */
	int64_t		 max;
	size_t		 off;	/* the field (first one of a list) */
};

static key_set_fn	set_listen, set_path, set_user, set_url, set_format,
			set_duration, set_code, set_template, set_sources,
			set_uint, set_soa, set_ns, set_contact, set_size,
			set_percent, set_name, set_text, set_bool,
			set_zone_type, set_prefixes, set_addr, set_output,
			set_record, set_records_file;

#define SRV(f)	offsetof(struct cfg_server, f)
#define SRC(f)	offsetof(struct cfg_source, f)
#define ZON(f)	offsetof(struct cfg_zone, f)
#define LST(f)	offsetof(struct cfg_list, f)
#define GEO(f)	offsetof(struct cfg_geoip, f)
#define DAY	INT64_C(86400)
#define KIB	INT64_C(1024)
#define GIB	(KIB * KIB * KIB)

static const struct cfg_key cfg_keys[] = {
	{ "listen",   SEC_SERVER, set_listen,   "127.0.0.1:5353", 0, 0,
	    SRV(listen) },
	{ "database", SEC_SERVER, set_path,     "var/reputed.db", 0, 0,
	    SRV(database) },
	{ "user",     SEC_SERVER, set_user,     NULL, 0, 0, SRV(user) },
	{ "tcp-clients", SEC_SERVER, set_uint,  "256", 1, 65536,
	    SRV(tcp_clients) },
	{ "tcp-idle-timeout", SEC_SERVER, set_duration, "10s", 1, 3600,
	    SRV(tcp_idle_timeout) },
	{ "tcp-clients-per-ip", SEC_SERVER, set_uint, "16", 1, 65536,
	    SRV(tcp_clients_per_ip) },
	{ "tcp-timeout", SEC_SERVER, set_duration, "2m", 1, DAY,
	    SRV(tcp_timeout) },
	/* 0: no limit. */
	{ "tcp-max-queries", SEC_SERVER, set_uint, "100", 0, 1000000,
	    SRV(tcp_max_queries) },
	/* Response rate limiting, allow and deny: see docs/dns.md. */
	{ "rate-limit", SEC_SERVER, set_uint,   "20", 0, 1000000,
	    SRV(rate_limit) },
	{ "rate-limit-slip", SEC_SERVER, set_uint, "2", 0, 10,
	    SRV(rate_limit_slip) },
	{ "rate-limit-exempt", SEC_SERVER, set_prefixes, "127.0.0.0/8 ::1",
	    0, 0, SRV(rate_limit_exempt) },
	{ "allow",    SEC_SERVER, set_prefixes, NULL, 0, 0, SRV(allow) },
	{ "deny",     SEC_SERVER, set_prefixes, NULL, 0, 0, SRV(deny) },
	{ "client-acl", SEC_SERVER, set_name,   NULL, 0, 0, SRV(client_acl) },
	{ "chroot",   SEC_SERVER, set_path,     NULL, 0, 0, SRV(chroot) },
	{ "contact",  SEC_SERVER, set_contact,  NULL, 0, 0, SRV(contact) },
	{ "catalog-file", SEC_SERVER, set_path, NULL, 0, 0,
	    SRV(catalog_file) },
	{ "fetch-timeout", SEC_SERVER, set_duration, "120s", 1, 3600,
	    SRV(fetch_timeout) },
	{ "max-size", SEC_SERVER, set_size,     "256M", KIB, 4 * GIB,
	    SRV(max_size) },
	/* No defaults: no /metrics listener; the socket in database. */
	{ "metrics",  SEC_SERVER, set_addr,     NULL, 0, 0, SRV(metrics) },
	{ "control-socket", SEC_SERVER, set_path, NULL, 0, 0,
	    SRV(control_socket) },
	/* rbldnsd's -l and -s files; none by default. */
	{ "query-log", SEC_SERVER, set_output,  NULL, 0, 0, SRV(query_log) },
	{ "query-log-flush", SEC_SERVER, set_bool, "no", 0, 0,
	    SRV(query_log_flush) },
	{ "stats-file", SEC_SERVER, set_path,   NULL, 0, 0, SRV(stats_file) },
	{ "stats-file-interval", SEC_SERVER, set_duration, "1m", 0, DAY,
	    SRV(stats_file_interval) },
	{ "stats-file-deltas", SEC_SERVER, set_bool, "no", 0, 0,
	    SRV(stats_file_deltas) },
	{ "url",      SEC_SOURCE, set_url,      NULL, 0, 0, SRC(url) },
	{ "format",   SEC_SOURCE, set_format,   "plain", 0, 0, SRC(format) },
	{ "refresh",  SEC_SOURCE, set_duration, "1h", CFG_REFRESH_MIN,
	    365 * DAY, SRC(refresh) },
	{ "code",     SEC_SOURCE, set_code,     "127.0.0.2", 0, 0, SRC(code) },
	{ "txt",      SEC_SOURCE, set_template, "Listed by $source", 0, 0,
	    SRC(txt) },
	{ "expire",   SEC_SOURCE, set_duration, "0", 0, 3650 * DAY,
	    SRC(expire) },
	{ "catalog",  SEC_SOURCE, set_name,     NULL, 0, 0, SRC(catalog) },
	/* No default: 0 takes [server]'s, once the file is read. */
	{ "fetch-timeout", SEC_SOURCE, set_duration, NULL, 1, 3600,
	    SRC(fetch_timeout) },
	{ "max-size", SEC_SOURCE, set_size,     NULL, KIB, 4 * GIB,
	    SRC(max_size) },
	{ "max-rejected", SEC_SOURCE, set_percent, "1%", 0, 100,
	    SRC(max_rejected) },
	{ "max-shrink", SEC_SOURCE, set_percent, "50%", 0, 100,
	    SRC(max_shrink) },
	{ "max-prefix4", SEC_SOURCE, set_uint,  "8", 0, 32, SRC(max_prefix4) },
	{ "max-prefix6", SEC_SOURCE, set_uint,  "24", 0, 128,
	    SRC(max_prefix6) },
	{ "strict-cidr", SEC_SOURCE, set_bool,  "no", 0, 0, SRC(strict_cidr) },
	{ "sources",  SEC_ZONE,   set_sources,  NULL, 0, 0, ZON(sources) },
	{ "ttl",      SEC_ZONE,   set_uint,     "300", 0, 604800, ZON(ttl) },
	{ "soa",      SEC_ZONE,   set_soa,      NULL, 0, 0, ZON(soa_mname) },
	{ "ns",       SEC_ZONE,   set_ns,       NULL, 0, 0, ZON(ns) },
	/* 0: the zone's ttl. */
	{ "soa-ttl",  SEC_ZONE,   set_uint,     "0", 0, 604800, ZON(soa_ttl) },
	{ "ns-ttl",   SEC_ZONE,   set_uint,     "0", 0, 604800, ZON(ns_ttl) },
	{ "negative-ttl", SEC_ZONE, set_uint,   "0", 0, 604800,
	    ZON(negative_ttl) },
	{ "soa-refresh", SEC_ZONE, set_uint,    "3600", 0, INT32_MAX,
	    ZON(soa_refresh) },
	{ "soa-retry", SEC_ZONE,  set_uint,     "600", 0, INT32_MAX,
	    ZON(soa_retry) },
	{ "soa-expire", SEC_ZONE, set_uint,     "604800", 0, INT32_MAX,
	    ZON(soa_expire) },
	{ "type",     SEC_ZONE,   set_zone_type, "dnsbl", 0, 0, ZON(type) },
	{ "allow",    SEC_ZONE,   set_prefixes, NULL, 0, 0, ZON(allow) },
	{ "deny",     SEC_ZONE,   set_prefixes, NULL, 0, 0, ZON(deny) },
	{ "client-acl", SEC_ZONE, set_name,     NULL, 0, 0, ZON(client_acl) },
	/* Static records; "record" is the one key that may repeat. */
	{ "record",   SEC_ZONE,   set_record,   NULL, 0, 0, ZON(records) },
	{ "records",  SEC_ZONE,   set_records_file, NULL, 0, 0,
	    ZON(records_file) },
	{ "asn-db",   SEC_GEOIP,  set_path,     NULL, 0, 0, GEO(asn_db) },
	{ "country-db", SEC_GEOIP, set_path,    NULL, 0, 0, GEO(country_db) },
	/* The catalog's [list NAME] takes these and every source key but
	 * "catalog" (see key_find()). */
	{ "provider", SEC_LIST,   set_text,     NULL, 0, 0, LST(provider) },
	{ "description", SEC_LIST, set_text,    NULL, 0, 0,
	    LST(description) },
	{ "terms",    SEC_LIST,   set_text,     NULL, 0, 0, LST(terms) },
	{ "min-refresh", SEC_LIST, set_duration, "0", 0, 365 * DAY,
	    LST(min_refresh) },
	{ "contact-required", SEC_LIST, set_bool, "no", 0, 0,
	    LST(contact_required) },
};
#define NKEYS	(sizeof(cfg_keys) / sizeof(cfg_keys[0]))

/* List formats the importer knows; a new format adds one line here. */
static const char *const cfg_formats[] = {
	"plain",
	"auto",
	"spamhaus-drop",
	"spamhaus-json",
	"spamhaus-asndrop",
	"dshield",
	"firehol",
	"abuse-ch-csv",
	"abuse-ch-txt",
	"tor-exits",
	"rbldnsd",
	"rbldnsd-ip4set",
	"rbldnsd-ip4tset",
	"rbldnsd-ip4trie",
	"rbldnsd-ip6tset",
	"rbldnsd-ip6trie",
	"rbldnsd-dnset",
	"rbldnsd-combined",
	"rbldnsd-generic",
	"rbldnsd-acl",
	NULL
};

struct parse {
	struct cfg	*cfg;		/* reading a configuration, or */
	struct cfg_catalog *cat;	/* reading a catalog */
	const char	*path;		/* the file being read */
	FILE		*in;
	FILE		*err;
	char		*dir;		/* absolute, of the file */
	char		*buf;		/* getline() buffer */
	size_t		 bufsz;
	unsigned	 line;		/* the line inih is handling */
	enum sec_kind	 kind;		/* the section it is in */
	size_t		 idx;		/* which source or zone */
	unsigned	 seen[NKEYS];	/* line of each key, or 0 */
	unsigned	 server_seen[NKEYS];	/* seen[] of [server] */
	unsigned	(*src_seen)[NKEYS];	/* seen[] of each source */
	size_t		 nsrc_seen;
	unsigned	 server_line;
	unsigned	*errlines;	/* lines reported: for inih's */
	size_t		 nerrlines;
	int		 rc;		/* -ENOMEM, read error: stop */
};

static void	perr(struct parse *, unsigned, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* Report one problem as "file:line: message" and remember the line. */
static void
perr(struct parse *p, unsigned line, const char *fmt, ...)
{
	unsigned *l;
	va_list ap;

	if (p->err != NULL) {
		fprintf(p->err, "%s:%u: ", p->path, line);
		va_start(ap, fmt);
		vfprintf(p->err, fmt, ap);
		va_end(ap);
		fputc('\n', p->err);
	}
	if (p->nerrlines > 0 && p->errlines[p->nerrlines - 1] == line)
		return;
	if ((l = realloc(p->errlines, (p->nerrlines + 1) * sizeof(*l))) ==
	    NULL) {
		p->rc = -ENOMEM;
		return;
	}
	p->errlines = l;
	p->errlines[p->nerrlines++] = line;
}

static int
line_reported(const struct parse *p, unsigned line)
{
	size_t i;

	for (i = 0; i < p->nerrlines; i++)
		if (p->errlines[i] == line)
			return 1;
	return 0;
}

/* ---- Paths and URLs ---------------------------------------------------- */

/* Append the components of path to out (len bytes), folding "." and
 * ".." lexically. */
static void
path_push(char *out, size_t *len, const char *path)
{
	const char *c;
	char *slash;
	size_t n;

	for (c = path; *c != '\0'; c += n) {
		c += strspn(c, "/");
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			out[*len] = '\0';
			slash = strrchr(out, '/');
			*len = slash != NULL ? (size_t)(slash - out) : 0;
			continue;
		}
		out[(*len)++] = '/';
		memcpy(out + *len, c, n);
		*len += n;
	}
}

/*
 * rel taken relative to the absolute directory dir, cleaned lexically so
 * stored paths and file: URLs read well; it need not exist yet. An
 * absolute rel is kept as written. NULL: out of memory.
 */
static char *
path_join(const char *dir, const char *rel)
{
	size_t len = 0;
	char *out;

	if (rel[0] == '/')
		return strdup(rel);
	if ((out = malloc(strlen(dir) + strlen(rel) + 3)) == NULL)
		return NULL;
	path_push(out, &len, dir);
	path_push(out, &len, rel);
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

/* "file://" and path, percent-encoded where a URL needs it. */
static char *
file_url(const char *path)
{
	static const char keep[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-._~/+,=@:";
	char *url, *o;
	const char *s;

	if ((url = malloc(strlen("file://") + 3 * strlen(path) + 1)) == NULL)
		return NULL;
	o = url + sprintf(url, "file://");
	for (s = path; *s != '\0'; s++) {
		if (strchr(keep, *s) != NULL)
			*o++ = *s;
		else
			o += sprintf(o, "%%%02X", (unsigned char)*s);
	}
	*o = '\0';
	return url;
}

/* The directory of path, absolute, so relative names resolve from it. */
static int
config_dir(const char *path, char **out)
{
	char *abs, *slash;

	if ((abs = realpath(path, NULL)) == NULL)
		return -errno;
	slash = strrchr(abs, '/');
	if (slash == abs)
		slash[1] = '\0';
	else
		*slash = '\0';
	*out = abs;
	return 0;
}

/* ---- Small validators: NULL or why the text is wrong ------------------- */

/* Next whitespace-separated word at *s, its length in *len; NULL at end. */
static const char *
next_word(const char **s, size_t *len)
{
	const char *w = *s + strspn(*s, WS);

	if (*w == '\0')
		return NULL;
	*len = strcspn(w, WS);
	*s = w + *len;
	return w;
}

static const char *
check_name(const char *s, size_t len)
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_.-";
	size_t i;

	if (len == 0)
		return "empty name";
	if (len > CFG_NAME_MAX)
		return "name longer than 63 characters";
	for (i = 0; i < len; i++)
		if (s[i] == '\0' || strchr(ok, s[i]) == NULL)
			return "a name is made of A-Z a-z 0-9 _ . -";
	return NULL;
}

/* One label of a DNS name: 1-63 of [a-z0-9_-], no '-' at either end. */
static const char *
check_label(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return "empty label";
	if (len > 63)
		return "label longer than 63 characters";
	if (s[0] == '-' || s[len - 1] == '-')
		return "label starts or ends with '-'";
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_')
			return s[i] == '@' ? "write a mailbox as "
			    "hostmaster.example.org, not with '@'" :
			    "bad character in name";
	return NULL;
}

/* A DNS name into out, lower case and without the trailing dot. */
static const char *
check_dname(const char *s, size_t len, char out[CFG_DNAME_MAX + 1])
{
	const char *why;
	size_t i, n;

	if (len > 1 && s[len - 1] == '.')
		len--;
	if (len == 0 || (len == 1 && s[0] == '.'))
		return "empty name (the root is not a zone)";
	if (len > CFG_DNAME_MAX)
		return "name longer than 253 characters";
	for (i = 0; i <= len; i += n + 1) {
		n = strcspn(s + i, ".");
		if (i + n > len)
			n = len - i;
		if ((why = check_label(s + i, n)) != NULL)
			return why;
	}
	for (i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[len] = '\0';
	return NULL;
}

static const char *
check_port(const char *s, size_t len)
{
	unsigned long v = 0;
	size_t i;

	if (len == 0 || len > 5)
		return "bad port";
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return "bad port";
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? NULL : "port out of range 1-65535";
}

/* "A.B.C.D:PORT" or "[V6]:PORT"; numeric addresses only. */
static const char *
check_listen(const char *s, size_t len)
{
	char host[INET6_ADDRSTRLEN + 1];
	unsigned char a[16];
	const char *lim = s + len, *end, *port;
	int af = AF_INET;

	if (s[0] == '[') {
		if ((end = memchr(s, ']', len)) == NULL)
			return "missing ']'";
		s++;
		port = end + 1;
		af = AF_INET6;
	} else {
		if ((end = memrchr(s, ':', len)) == NULL)
			return "missing ':PORT'";
		if (memchr(s, ':', (size_t)(end - s)) != NULL)
			return "write an IPv6 address as [ADDR]:PORT";
		port = end;
	}
	if (end == s || (size_t)(end - s) >= sizeof(host))
		return "bad address";
	memcpy(host, s, (size_t)(end - s));
	host[end - s] = '\0';
	if (inet_pton(af, host, a) != 1)
		return af == AF_INET ? "bad IPv4 address" : "bad IPv6 address";
	if (port >= lim || *port != ':')
		return "missing ':PORT'";
	return check_port(port + 1, (size_t)(lim - port - 1));
}

/* ---- Setters: one per kind of value, named in cfg_keys[] --------------- */

#define FIELD(base, k, type) \
	((type *)(void *)((char *)(base) + (k)->off))

/* Replace the string at *field by a copy of n bytes of s (all if -1). */
static int
set_str(char **field, const char *s, size_t n)
{
	char *v;

	if ((v = n == (size_t)-1 ? strdup(s) : strndup(s, n)) == NULL)
		return -ENOMEM;
	free(*field);
	*field = v;
	return 0;
}

static void
free_list(char **list, size_t n)
{
	while (n > 0)
		free(list[--n]);
}

/* Is the word w already among list[0..n)? */
static int
in_list(char *const *list, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], w) == 0)
			return 1;
	return 0;
}

/* Check one word of a list: NULL with the word to store in out, or why
 * it is wrong. out has CFG_DNAME_MAX + 1 bytes. */
typedef const char	*word_check_fn(const char *w, size_t len, char *out);

static const char *
word_copy(const char *why, const char *w, size_t len, char *out)
{
	if (why == NULL && len > CFG_DNAME_MAX)
		why = "too long";
	if (why == NULL) {
		memcpy(out, w, len);
		out[len] = '\0';
	}
	return why;
}

static const char *
word_listen(const char *w, size_t len, char *out)
{
	return word_copy(check_listen(w, len), w, len, out);
}

static const char *
word_name(const char *w, size_t len, char *out)
{
	return word_copy(check_name(w, len), w, len, out);
}

static const char *
word_dname(const char *w, size_t len, char *out)
{
	return check_dname(w, len, out);
}

/*
 * Split val into at most max words, each checked, into list. Every bad
 * word is reported. 0 with *np set and the words yours, -EINVAL or
 * -ENOMEM with nothing allocated.
 */
static int
parse_list(struct parse *p, const struct cfg_key *k, const char *val,
    word_check_fn *check, char **list, size_t max, size_t *np)
{
	char word[CFG_DNAME_MAX + 1];
	const char *w, *why;
	size_t n = 0, len;
	int bad = 0;

	while ((w = next_word(&val, &len)) != NULL) {
		if (n == max) {
			perr(p, p->line, "%s: more than %zu values", k->name,
			    max);
			bad = 1;
			break;
		}
		if ((why = check(w, len, word)) == NULL &&
		    in_list(list, n, word))
			why = "given twice";
		if (why != NULL) {
			perr(p, p->line, "%s: %.*s: %s", k->name, (int)len, w,
			    why);
			bad = 1;
		} else if ((list[n++] = strdup(word)) == NULL) {
			free_list(list, n - 1);
			return -ENOMEM;
		}
	}
	if (n == 0 && !bad)
		perr(p, p->line, "%s: no value given", k->name);
	if (n == 0 || bad) {
		free_list(list, n);
		return -EINVAL;
	}
	*np = n;
	return 0;
}

static int
set_listen(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	struct cfg_server *srv = base;
	char *list[CFG_MAX_LISTEN];
	size_t n;
	int rc;

	if ((rc = parse_list(p, k, val, word_listen, list, CFG_MAX_LISTEN,
	    &n)) != 0)
		return rc;
	free_list(srv->listen, srv->nlisten);
	memcpy(srv->listen, list, n * sizeof(list[0]));
	srv->nlisten = n;
	return 0;
}

static int
set_sources(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	struct cfg_zone *z = base;
	char *list[CFG_MAX_ZONE_SOURCES];
	size_t n;
	int rc;

	if ((rc = parse_list(p, k, val, word_name, list,
	    CFG_MAX_ZONE_SOURCES, &n)) != 0)
		return rc;
	free_list(z->sources, z->nsources);
	memcpy(z->sources, list, n * sizeof(list[0]));
	z->nsources = n;
	return 0;
}

static int
set_ns(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	struct cfg_zone *z = base;
	char *list[CFG_MAX_NS];
	size_t n;
	int rc;

	if ((rc = parse_list(p, k, val, word_dname, list, CFG_MAX_NS,
	    &n)) != 0)
		return rc;
	free_list(z->ns, z->nns);
	memcpy(z->ns, list, n * sizeof(list[0]));
	z->nns = n;
	return 0;
}

/* "MNAME RNAME": the primary server and the mailbox, in DNS form. */
static int
set_soa(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	struct cfg_zone *z = base;
	char *list[2];
	size_t n;
	int rc;

	if ((rc = parse_list(p, k, val, word_dname, list, 2, &n)) != 0)
		return rc;
	if (n != 2) {
		perr(p, p->line, "%s: expected two names, MNAME RNAME",
		    k->name);
		free_list(list, n);
		return -EINVAL;
	}
	free(z->soa_mname);
	free(z->soa_rname);
	z->soa_mname = list[0];
	z->soa_rname = list[1];
	return 0;
}

static int
set_path(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	char **field = FIELD(base, k, char *), *path;

	if (*val == '\0') {
		perr(p, p->line, "%s: empty path", k->name);
		return -EINVAL;
	}
	if ((path = path_join(p->dir, val)) == NULL)
		return -ENOMEM;
	free(*field);
	*field = path;
	return 0;
}

/* A file written: a path as set_path(), or "-", standard output. */
static int
set_output(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	char **field = FIELD(base, k, char *);

	if (strcmp(val, "-") != 0)
		return set_path(p, k, base, val);
	return set_str(field, val, (size_t)-1);
}

/* One "ADDR:PORT", checked as a listen address. */
static int
set_addr(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	char **field = FIELD(base, k, char *), *list[1];
	size_t n;
	int rc;

	if ((rc = parse_list(p, k, val, word_listen, list, 1, &n)) != 0)
		return rc;
	free(*field);
	*field = list[0];
	return 0;
}

static int
set_user(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	if (*val == '\0' || val[strcspn(val, WS)] != '\0') {
		perr(p, p->line, "%s: expected one user name", k->name);
		return -EINVAL;
	}
	return set_str(FIELD(base, k, char *), val, (size_t)-1);
}

/* NULL if s is a URL the importer can fetch, or why it is not. */
static const char *
check_url(const char *s)
{
	const char *host;
	size_t i;

	if (*s == '\0')
		return "empty (leave url out for a manual source)";
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return "control character in URL";
	if (strncasecmp(s, "file:", 5) == 0) {
		if (s[5] == '\0')
			return "file: needs a path";
		/* "file:PATH" is a path, which may hold blanks. */
		if (strncmp(s + 5, "//", 2) != 0)
			return NULL;
		if (strchr(s, ' ') != NULL)
			return "write a blank in a URL as %20";
		if (s[7] == '/' || strncasecmp(s + 7, "localhost/", 10) == 0)
			return NULL;
		return "a file:// URL needs an absolute path (file:///PATH); "
		    "write file:PATH for a path relative to this file";
	}
	if (strncasecmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return "only file:, http:// and https:// URLs are supported";
	if (strchr(s, ' ') != NULL)
		return "write a blank in a URL as %20";
	if (*host == '\0' || strchr("/?#:", *host) != NULL)
		return "missing host name";
	return NULL;
}

/*
 * A "file:PATH" URL (no "//") names a plain path, relative to the
 * directory of this file; curl wants file:///ABSOLUTE, so store that.
 */
static int
set_url(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	char **field = FIELD(base, k, char *), *path, *url;
	const char *why;

	if ((why = check_url(val)) != NULL) {
		perr(p, p->line, "%s: %s", k->name, why);
		return -EINVAL;
	}
	if (strncasecmp(val, "file:", 5) != 0 || strncmp(val + 5, "//", 2) == 0)
		return set_str(field, val, (size_t)-1);
	if ((path = path_join(p->dir, val + 5)) == NULL)
		return -ENOMEM;
	url = file_url(path);
	free(path);
	if (url == NULL)
		return -ENOMEM;
	free(*field);
	*field = url;
	return 0;
}

static int
set_format(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	char known[256] = "";
	size_t i;

	for (i = 0; cfg_formats[i] != NULL; i++) {
		if (strcmp(cfg_formats[i], val) == 0)
			return set_str(FIELD(base, k, char *), val,
			    (size_t)-1);
		snprintf(known + strlen(known), sizeof(known) - strlen(known),
		    "%s%s", i > 0 ? " " : "", cfg_formats[i]);
	}
	perr(p, p->line, "%s: unknown format '%s' (known: %s)", k->name, val,
	    known);
	return -EINVAL;
}

static int
set_duration(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	char lim[32];
	int64_t v;

	if (cfg_parse_duration(val, &v) != 0) {
		perr(p, p->line, "%s: bad duration '%s' (e.g. 90, 45s, 30m, "
		    "12h, 7d, 2w)", k->name, val);
		return -EINVAL;
	}
	if (v < k->min || v > k->max) {
		perr(p, p->line, "%s: %s is %s %s", k->name, val,
		    v < k->min ? "below the minimum" : "above the maximum",
		    cfg_duration_str(v < k->min ? k->min : k->max, lim,
		    sizeof(lim)));
		return -EINVAL;
	}
	*FIELD(base, k, int64_t) = v;
	return 0;
}

/* A DNSBL answer is an address in 127.0.0.0/8 (RFC 5782). */
static int
set_code(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	struct in_addr a;

	if (inet_pton(AF_INET, val, &a) != 1) {
		perr(p, p->line, "%s: '%s' is not an IPv4 address", k->name,
		    val);
		return -EINVAL;
	}
	if ((ntohl(a.s_addr) >> 24) != 127) {
		perr(p, p->line, "%s: %s is not in 127.0.0.0/8", k->name, val);
		return -EINVAL;
	}
	*FIELD(base, k, uint32_t) = a.s_addr;
	return 0;
}

static int
set_template(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	char bad[64];

	if (template_check(val, bad, sizeof(bad)) != 0) {
		perr(p, p->line, "%s: unknown variable %s (known: %s; $$ is "
		    "a $)", k->name, bad, TEMPLATE_VARS);
		return -EINVAL;
	}
	return set_str(FIELD(base, k, char *), val, (size_t)-1);
}

static int
set_uint(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	int64_t v = 0;
	const char *s;

	for (s = val; isdigit((unsigned char)*s) && v <= k->max; s++)
		v = v * 10 + (*s - '0');
	if (s == val || *s != '\0' || v < k->min || v > k->max) {
		perr(p, p->line, "%s: expected a number from %" PRId64
		    " to %" PRId64 ", not '%s'", k->name, k->min, k->max, val);
		return -EINVAL;
	}
	*FIELD(base, k, uint32_t) = (uint32_t)v;
	return 0;
}

/* "4096", "512k", "256M", "1G" within the key's bounds. */
static int
set_size(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	char lo[32], hi[32];
	uint64_t v;

	if (cfg_parse_size(val, &v) != 0 || v < (uint64_t)k->min ||
	    v > (uint64_t)k->max) {
		perr(p, p->line, "%s: expected a size from %s to %s (e.g. "
		    "4096, 512k, 256M, 1G), not '%s'", k->name,
		    cfg_size_str((uint64_t)k->min, lo, sizeof(lo)),
		    cfg_size_str((uint64_t)k->max, hi, sizeof(hi)), val);
		return -EINVAL;
	}
	*FIELD(base, k, uint64_t) = v;
	return 0;
}

/* "1%", "0.5%" or "50": a percentage within the key's bounds. Only
 * digits, '.' and '%' get to strtod(), so it never sees "inf" or hex. */
static int
set_percent(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	char *end = NULL;
	double v = 0;

	if (isdigit((unsigned char)*val) &&
	    val[strspn(val, "0123456789.%")] == '\0')
		v = strtod(val, &end);
	if (end == NULL || v < (double)k->min || v > (double)k->max ||
	    (*end != '\0' && strcmp(end, "%") != 0)) {
		perr(p, p->line, "%s: expected a percentage from %" PRId64
		    "%% to %" PRId64 "%% (e.g. 1%%, 0.5%%), not '%s'",
		    k->name, k->min, k->max, val);
		return -EINVAL;
	}
	*FIELD(base, k, double) = v;
	return 0;
}

static int
set_name(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	const char *why;

	if ((why = check_name(val, strlen(val))) != NULL) {
		perr(p, p->line, "%s: %s", k->name, why);
		return -EINVAL;
	}
	return set_str(FIELD(base, k, char *), val, (size_t)-1);
}

/* Free text (the catalog's provider, description, terms). */
static int
set_text(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	if (*val == '\0') {
		perr(p, p->line, "%s: empty", k->name);
		return -EINVAL;
	}
	return set_str(FIELD(base, k, char *), val, (size_t)-1);
}

static int
set_bool(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	static const char *const yes[] = { "yes", "true", "on", "1", NULL };
	static const char *const no[] = { "no", "false", "off", "0", NULL };
	size_t i;

	for (i = 0; yes[i] != NULL; i++) {
		if (strcasecmp(val, yes[i]) == 0 ||
		    strcasecmp(val, no[i]) == 0) {
			*FIELD(base, k, int) = strcasecmp(val, yes[i]) == 0;
			return 0;
		}
	}
	perr(p, p->line, "%s: expected yes or no, not '%s'", k->name, val);
	return -EINVAL;
}

/* A zone's type: what its names answer (enum cfg_zone_type). */
static int
set_zone_type(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	static const char *const names[] = { "dnsbl", "asn", NULL };
	size_t i;

	for (i = 0; names[i] != NULL; i++) {
		if (strcasecmp(val, names[i]) == 0) {
			*FIELD(base, k, enum cfg_zone_type) =
			    (enum cfg_zone_type)i;
			return 0;
		}
	}
	perr(p, p->line, "%s: '%s': expected dnsbl or asn", k->name, val);
	return -EINVAL;
}

/*
 * Where a provider can reach the operator: an e-mail address or an
 * http(s) URL. It goes into the User-Agent header, so it must be one
 * printable word.
 */
static const char *
check_contact(const char *s)
{
	const char *at = strchr(s, '@');
	size_t i;

	if (*s == '\0')
		return "empty";
	if (strlen(s) > 200)
		return "longer than 200 characters";
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f || s[i] == '(' ||
		    s[i] == ')')
			return "blanks, parentheses and control characters "
			    "do not belong in a User-Agent";
	if (strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0)
		return check_url(s);
	if (strncasecmp(s, "mailto:", 7) == 0)
		at = strchr(s += 7, '@');
	if (at == NULL || at == s || at[1] == '\0' ||
	    strchr(at + 1, '.') == NULL)
		return "expected an e-mail address (ops@example.org) or an "
		    "http(s) URL";
	return NULL;
}

static int
set_contact(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	const char *why;

	if ((why = check_contact(val)) != NULL) {
		perr(p, p->line, "%s: %s", k->name, why);
		return -EINVAL;
	}
	return set_str(FIELD(base, k, char *), val, (size_t)-1);
}

/*
 * Address prefixes ("192.0.2.0/24 2001:db8::/32 198.51.100.7"); an
 * empty value is an empty list. Host bits past the length are refused:
 * "10.1.2.3/24" is more likely a typo than a wish for 10.1.2.0/24.
 */
static int
set_prefixes(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	struct cfg_prefixes *f = FIELD(base, k, struct cfg_prefixes);
	struct rp_cidr v[CFG_MAX_PREFIXES];
	char word[RP_CIDR_STRLEN], fix[RP_CIDR_STRLEN];
	const char *w;
	size_t n = 0, len, i;
	int bad = 0, host;

	while ((w = next_word(&val, &len)) != NULL) {
		if (n == CFG_MAX_PREFIXES) {
			perr(p, p->line, "%s: more than %d prefixes",
			    k->name, CFG_MAX_PREFIXES);
			return -EINVAL;
		}
		snprintf(word, sizeof(word), "%.*s", (int)len, w);
		if (len >= sizeof(word) ||
		    cidr_parse(word, &v[n], &host) != 0 ||
		    (v[n].addr.family != RP_AF_INET &&
		    v[n].addr.family != RP_AF_INET6)) {
			perr(p, p->line, "%s: '%.*s' is not an address or a "
			    "prefix", k->name, (int)len, w);
			bad = 1;
			continue;
		}
		if (host) {
			perr(p, p->line, "%s: %s has bits set past /%u (%s?)",
			    k->name, word, v[n].bits, cidr_str(&v[n], fix));
			bad = 1;
			continue;
		}
		for (i = 0; i < n && (v[i].bits != v[n].bits ||
		    cidr_addr_cmp(&v[i].addr, &v[n].addr) != 0); i++)
			;
		if (i == n)	/* a prefix given twice counts once */
			n++;
	}
	if (bad)
		return -EINVAL;
	free(f->v);
	f->v = NULL;
	f->n = 0;
	if (n == 0)
		return 0;
	if ((f->v = malloc(n * sizeof(*f->v))) == NULL)
		return -ENOMEM;
	memcpy(f->v, v, n * sizeof(*f->v));
	f->n = n;
	return 0;
}

/* A static record of the zone (config_record.c); the key repeats. */
static int
set_record(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	struct cfg_record r;
	const char *why;
	int rc;

	if ((rc = cfg_record_parse(val, &r, &why)) == -EINVAL)
		perr(p, p->line, "%s: %s", k->name, why);
	if (rc != 0)
		return rc;
	/* inih ends the value at " ;": a quote left open is most likely a
	 * TXT cut there, which a records file keeps whole. */
	if (r.type == CFG_RR_TXT && r.len > 0 && r.data[0] == '"' &&
	    (r.len == 1 || r.data[r.len - 1] != '"')) {
		perr(p, p->line, "%s: TXT with an unbalanced quote (\" ;\" "
		    "starts a comment here: write such a record in a "
		    "records file)", k->name);
		cfg_record_fini(&r);
		return -EINVAL;
	}
	r.line = p->line;
	if ((rc = cfg_zone_add_record(base, &r)) != 0) {
		cfg_record_fini(&r);
		if (rc != -ENOMEM)
			perr(p, p->line, "%s: %s", k->name, rc == -E2BIG ?
			    "too many records in the zone" : "OWNER under "
			    "the zone name is longer than 253 characters");
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	return 0;
}

/* A file of static records, read now (relative to the config file). */
static int
set_records_file(struct parse *p, const struct cfg_key *k, void *base,
    const char *val)
{
	struct cfg_zone *z = base;
	const char *why = "";
	unsigned line;
	int rc;

	if ((rc = set_path(p, k, base, val)) != 0)
		return rc;
	if ((rc = cfg_records_read(z, z->records_file, &line, &why)) == 0)
		return 0;
	if (rc == -EINVAL)
		perr(p, p->line, "%s: %s:%u: %s", k->name, z->records_file,
		    line, why);
	else if (rc != -ENOMEM)
		perr(p, p->line, "%s: %s: %s", k->name, z->records_file,
		    strerror(-rc));
	return rc == -ENOMEM ? rc : -EINVAL;
}

/* ---- Sections ---------------------------------------------------------- */

static const char *
kind_name(enum sec_kind kind)
{
	switch (kind) {
	case SEC_SERVER:
		return "server";
	case SEC_SOURCE:
		return "source";
	case SEC_ZONE:
		return "zone";
	case SEC_GEOIP:
		return "geoip";
	case SEC_LIST:
		return "list";
	default:
		return "";
	}
}

static void *
section_base(struct parse *p)
{
	switch (p->kind) {
	case SEC_SERVER:
		return &p->cfg->server;
	case SEC_SOURCE:
		return &p->cfg->sources[p->idx];
	case SEC_ZONE:
		return &p->cfg->zones[p->idx];
	case SEC_GEOIP:
		return &p->cfg->geoip;
	case SEC_LIST:
		return &p->cat->lists[p->idx];
	default:
		return NULL;
	}
}

static size_t
key_index(enum sec_kind kind, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (cfg_keys[i].sec == kind &&
		    strcasecmp(cfg_keys[i].name, name) == 0)
			break;
	return i;
}

/*
 * The row of a key in a section of kind, or NKEYS. A catalog [list]
 * takes its own keys and every source key but "catalog" (a list does
 * not name another).
 */
static size_t
key_find(enum sec_kind kind, const char *name)
{
	size_t i = key_index(kind, name);

	if (i == NKEYS && kind == SEC_LIST &&
	    strcasecmp(name, "catalog") != 0)
		i = key_index(SEC_SOURCE, name);
	return i;
}

/* Give a new section its defaults, through the same setters as keys. */
static void
section_defaults(struct parse *p, enum sec_kind kind, void *base)
{
	const struct cfg_key *k;

	for (k = cfg_keys; k < cfg_keys + NKEYS && p->rc == 0; k++)
		if (k->sec == kind && k->def != NULL &&
		    k->set(p, k, base, k->def) == -ENOMEM)
			p->rc = -ENOMEM;
}

/* Checks that need the whole of a catalog [list], at its end. */
static void
list_close(struct parse *p)
{
	const struct cfg_list *l = &p->cat->lists[p->idx];
	char a[32], b[32];

	if (l->src.url == NULL)
		perr(p, l->line, "[list %s]: no url", l->name);
	if (l->provider == NULL)
		perr(p, l->line, "[list %s]: no provider", l->name);
	if (l->src.refresh < l->min_refresh)
		perr(p, l->line, "[list %s]: refresh %s is below its "
		    "min-refresh %s", l->name,
		    cfg_duration_str(l->src.refresh, a, sizeof(a)),
		    cfg_duration_str(l->min_refresh, b, sizeof(b)));
}

/* Keep what a source set, for the catalog merge once all is read. */
static void
source_close(struct parse *p)
{
	unsigned (*seen)[NKEYS];
	size_t n = p->idx + 1;

	if (n > p->nsrc_seen) {
		if ((seen = realloc(p->src_seen, n * sizeof(*seen))) == NULL) {
			p->rc = -ENOMEM;
			return;
		}
		p->src_seen = seen;
		p->nsrc_seen = n;
	}
	memcpy(p->src_seen[p->idx], p->seen, sizeof(p->seen));
}

/* Checks that need the whole section, at its end. */
static void
section_close(struct parse *p)
{
	const struct cfg_zone *z;
	unsigned line;

	if (p->kind == SEC_SERVER)
		memcpy(p->server_seen, p->seen, sizeof(p->seen));
	else if (p->kind == SEC_SOURCE)
		source_close(p);
	else if (p->kind == SEC_LIST)
		list_close(p);
	if (p->kind != SEC_ZONE)
		return;
	z = &p->cfg->zones[p->idx];
	line = p->seen[key_index(SEC_ZONE, "sources")];
	/* An origin zone answers from the ASN database alone. A bad
	 * sources line was reported already. */
	if (z->type == CFG_ZONE_ASN && line != 0)
		perr(p, line, "[zone %s]: a zone of type asn takes no "
		    "sources", z->name);
	else if (z->type == CFG_ZONE_DNSBL && line == 0)
		perr(p, z->line, "[zone %s]: no sources (sources = NAME...)",
		    z->name);
}

static void
server_open(struct parse *p, const char *name)
{
	if (*name != '\0')
		perr(p, p->line, "[server] takes no name");
	else if (p->server_line != 0)
		perr(p, p->line, "duplicate [server] (first on line %u)",
		    p->server_line);
	else {
		p->server_line = p->line;
		p->kind = SEC_SERVER;
	}
}

static void
geoip_open(struct parse *p, const char *name)
{
	if (*name != '\0')
		perr(p, p->line, "[geoip] takes no name");
	else if (p->cfg->geoip.line != 0)
		perr(p, p->line, "duplicate [geoip] (first on line %u)",
		    p->cfg->geoip.line);
	else {
		p->cfg->geoip.line = p->line;
		p->kind = SEC_GEOIP;
	}
}

static void
source_open(struct parse *p, const char *name)
{
	const struct cfg_source *dup;
	struct cfg_source *s;
	const char *why;
	size_t n = p->cfg->nsources;

	if (*name == '\0') {
		perr(p, p->line, "[source]: missing name");
		return;
	}
	if ((why = check_name(name, strlen(name))) != NULL) {
		perr(p, p->line, "[source %s]: %s", name, why);
		return;
	}
	if ((dup = cfg_source_find(p->cfg, name)) != NULL) {
		perr(p, p->line, "duplicate [source %s] (first on line %u)",
		    name, dup->line);
		return;
	}
	if ((s = realloc(p->cfg->sources, (n + 1) * sizeof(*s))) == NULL) {
		p->rc = -ENOMEM;
		return;
	}
	p->cfg->sources = s;
	memset(&s[n], 0, sizeof(s[n]));
	p->cfg->nsources++;
	if ((s[n].name = strdup(name)) == NULL) {
		p->rc = -ENOMEM;
		return;
	}
	s[n].line = p->line;
	p->kind = SEC_SOURCE;
	p->idx = n;
	section_defaults(p, SEC_SOURCE, &s[n]);
}

static void
zone_open(struct parse *p, const char *name)
{
	char dname[CFG_DNAME_MAX + 1];
	const struct cfg_zone *dup;
	struct cfg_zone *z;
	const char *why;
	size_t n = p->cfg->nzones;

	if (*name == '\0') {
		perr(p, p->line, "[zone]: missing name");
		return;
	}
	if ((why = check_dname(name, strlen(name), dname)) != NULL) {
		perr(p, p->line, "[zone %s]: %s", name, why);
		return;
	}
	if ((dup = cfg_zone_find(p->cfg, dname)) != NULL) {
		perr(p, p->line, "duplicate [zone %s] (first on line %u)",
		    dname, dup->line);
		return;
	}
	if ((z = realloc(p->cfg->zones, (n + 1) * sizeof(*z))) == NULL) {
		p->rc = -ENOMEM;
		return;
	}
	p->cfg->zones = z;
	memset(&z[n], 0, sizeof(z[n]));
	p->cfg->nzones++;
	if ((z[n].name = strdup(dname)) == NULL) {
		p->rc = -ENOMEM;
		return;
	}
	z[n].line = p->line;
	p->kind = SEC_ZONE;
	p->idx = n;
	section_defaults(p, SEC_ZONE, &z[n]);
}

static void
list_open(struct parse *p, const char *name)
{
	struct cfg_catalog *cat = p->cat;
	const struct cfg_list *dup;
	struct cfg_list *l;
	const char *why;
	size_t n = cat->nlists;

	if ((why = *name == '\0' ? "missing name" :
	    check_name(name, strlen(name))) != NULL) {
		perr(p, p->line, "[list %s]: %s", name, why);
		return;
	}
	if ((dup = cfg_catalog_find(cat, name)) != NULL) {
		perr(p, p->line, "duplicate [list %s] (first on line %u)",
		    name, dup->line);
		return;
	}
	if ((l = realloc(cat->lists, (n + 1) * sizeof(*l))) == NULL) {
		p->rc = -ENOMEM;
		return;
	}
	cat->lists = l;
	memset(&l[n], 0, sizeof(l[n]));
	cat->nlists++;
	if ((l[n].name = strdup(name)) == NULL) {
		p->rc = -ENOMEM;
		return;
	}
	l[n].line = l[n].src.line = p->line;
	p->kind = SEC_LIST;
	p->idx = n;
	section_defaults(p, SEC_LIST, &l[n]);
	section_defaults(p, SEC_SOURCE, &l[n].src);
}

/* s is the text between the brackets: "KIND" or "KIND NAME". */
static void
section_open(struct parse *p, char *s)
{
	char *kind, *name;
	size_t klen, nlen;

	section_close(p);
	memset(p->seen, 0, sizeof(p->seen));
	p->kind = SEC_SKIP;
	kind = s + strspn(s, WS);
	klen = strcspn(kind, WS);
	name = kind + klen + strspn(kind + klen, WS);
	nlen = strcspn(name, WS);
	if (name[nlen + strspn(name + nlen, WS)] != '\0') {
		perr(p, p->line, "[%s]: expected [KIND] or [KIND NAME]", s);
		return;
	}
	kind[klen] = '\0';
	name[nlen] = '\0';
	if (p->cat != NULL) {
		if (strcasecmp(kind, "list") == 0)
			list_open(p, name);
		else
			perr(p, p->line, "unknown section [%s] (a catalog "
			    "has [list NAME] sections)", kind);
	} else if (strcasecmp(kind, "server") == 0)
		server_open(p, name);
	else if (strcasecmp(kind, "source") == 0)
		source_open(p, name);
	else if (strcasecmp(kind, "zone") == 0)
		zone_open(p, name);
	else if (strcasecmp(kind, "geoip") == 0)
		geoip_open(p, name);
	else
		perr(p, p->line, "unknown section [%s]", kind);
}

/* The default SOA names and NS from the zone name. 0 or -ENOMEM. */
static int
zone_defaults(struct cfg_zone *z)
{
	if (z->soa_mname == NULL) {
		if (asprintf(&z->soa_mname, "ns.%s", z->name) < 0) {
			z->soa_mname = NULL;
			return -ENOMEM;
		}
		if (asprintf(&z->soa_rname, "hostmaster.%s", z->name) < 0) {
			z->soa_rname = NULL;
			return -ENOMEM;
		}
	}
	if (z->nns == 0) {
		if ((z->ns[0] = strdup(z->soa_mname)) == NULL)
			return -ENOMEM;
		z->nns = 1;
	}
	return 0;
}

/* A source whose entries are client ACL actions (aclcode.h). */
static int
is_acl_source(const struct cfg_source *s)
{
	return s != NULL && s->format != NULL &&
	    strcmp(s->format, "rbldnsd-acl") == 0;
}

/* client-acl (of a zone, or of [server] with zone NULL) names a source
 * read with format rbldnsd-acl: the codes of any other format would be
 * "always listed" answers for every client it lists. */
static void
client_acl_check(struct parse *p, const struct cfg_zone *z, const char *name,
    unsigned line)
{
	const struct cfg_source *s;
	char where[CFG_DNAME_MAX + 16];

	if (name == NULL)
		return;
	snprintf(where, sizeof(where), "[%s%s]", z ? "zone " : "server",
	    z ? z->name : "");
	if ((s = cfg_source_find(p->cfg, name)) == NULL)
		perr(p, line, "%s: client-acl: unknown source '%s'", where,
		    name);
	else if (!is_acl_source(s))
		perr(p, line, "%s: client-acl: source '%s' has format %s; a "
		    "client ACL is read with format rbldnsd-acl", where, name,
		    s->format);
}

/* Checks across sections, once all are read: a zone may name a source
 * defined further down. */
static void
zones_finish(struct parse *p)
{
	struct cfg_zone *z;
	size_t i, zi;

	client_acl_check(p, NULL, p->cfg->server.client_acl,
	    p->server_seen[key_index(SEC_SERVER, "client-acl")]);
	/* Indexed: with no [zone] zones is NULL, and NULL + 0 is undefined. */
	for (zi = 0; zi < p->cfg->nzones; zi++) {
		z = &p->cfg->zones[zi];
		for (i = 0; i < z->nsources; i++)
			if (cfg_source_find(p->cfg, z->sources[i]) == NULL)
				perr(p, z->line, "[zone %s]: unknown source "
				    "'%s'", z->name, z->sources[i]);
			else if (is_acl_source(cfg_source_find(p->cfg,
			    z->sources[i])))
				perr(p, z->line, "[zone %s]: source '%s' is a "
				    "client ACL (format rbldnsd-acl): name it "
				    "in client-acl, not in sources", z->name,
				    z->sources[i]);
		client_acl_check(p, z, z->client_acl, z->line);
		if (z->type == CFG_ZONE_ASN && p->cfg->geoip.asn_db == NULL)
			perr(p, z->line, "[zone %s]: type asn needs an ASN "
			    "database (asn-db in [geoip])", z->name);
		if ((p->rc = zone_defaults(z)) != 0)
			return;
		if (strlen(z->soa_rname) > CFG_DNAME_MAX)
			perr(p, z->line, "[zone %s]: name too long for the "
			    "default soa; set soa", z->name);
	}
}

/* ---- Lines: the reader inih calls, and its key handler ----------------- */

/*
 * Like inih's find_chars_or_comment(): the first of chars, or a ';' that
 * follows whitespace (an inline comment), or the end of s.
 */
static char *
find_end(char *s, const char *chars)
{
	int was_space = 0;

	while (*s != '\0' && strchr(chars, *s) == NULL &&
	    !(was_space && *s == ';')) {
		was_space = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

/*
 * Look at a line before inih does: open sections here, since inih has no
 * callback for a section header (an empty [source] is still a source),
 * and report malformed lines with their number. -1: hide the line from
 * inih, it is reported already.
 */
static int
line_classify(struct parse *p, char *s)
{
	char *end, *tail;

	if (*s == '\0' || *s == ';' || *s == '#')
		return 0;
	if (*s == '[') {
		if (*(end = find_end(s + 1, "]")) != ']') {
			perr(p, p->line, "missing ']' in section header");
			section_close(p);
			p->kind = SEC_SKIP;
			return -1;
		}
		tail = end + 1 + strspn(end + 1, WS);
		if (*tail != '\0' && *tail != ';' && *tail != '#')
			perr(p, p->line, "text after ']'");
		*end = '\0';
		section_open(p, s + 1);
		return 0;
	}
	end = find_end(s, "=:");
	if (*end != '=' && *end != ':') {
		perr(p, p->line, "expected KEY = VALUE or [SECTION]");
		return -1;
	}
	return 0;
}

/* The text of the line just read: no line end, BOM or leading blanks.
 * NULL if it holds a NUL character, which inih would cut it at. */
static char *
line_trim(struct parse *p, size_t n)
{
	char *s = p->buf;

	if (memchr(s, '\0', n) != NULL)
		return NULL;
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	if (p->line == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	return s + strspn(s, WS);
}

/*
 * inih's ini_reader. It counts lines, which inih's handler is not told,
 * reads whole lines whatever their length (inih would split a long one
 * and miscount), and strips leading blanks: inih would take an indented
 * line for the continuation of the value above.
 */
static char *
cfg_reader(char *str, int num, void *stream)
{
	struct parse *p = stream;
	ssize_t n;
	char *s;

	if (p->rc != 0 || (n = getline(&p->buf, &p->bufsz, p->in)) < 0) {
		if (p->rc == 0 && ferror(p->in))
			p->rc = errno != 0 ? -errno : -EIO;
		return NULL;
	}
	p->line++;
	if ((s = line_trim(p, (size_t)n)) == NULL)
		perr(p, p->line, "NUL character in line");
	else if (strlen(s) + 2 > (size_t)num)
		perr(p, p->line, "line too long (more than %d characters)",
		    num - 2);
	else {
		snprintf(str, (size_t)num, "%s\n", s);
		return line_classify(p, s) == 0 ? str : strcpy(str, "\n");
	}
	if (s != NULL && *s == '[') {
		/* The section is lost: its keys would only add noise. */
		section_close(p);
		p->kind = SEC_SKIP;
	}
	return strcpy(str, "\n");
}

/*
 * A source key in a catalog [list]: checked by setting it on the list's
 * own source, and kept as written for the sources that name the list.
 */
static void
list_key(struct parse *p, const struct cfg_key *k, const char *val)
{
	struct cfg_list *l = &p->cat->lists[p->idx];
	struct cfg_kv *kv;
	int rc;

	if ((rc = k->set(p, k, &l->src, val)) != 0) {
		if (rc == -ENOMEM)
			p->rc = rc;
		return;
	}
	if ((kv = realloc(l->kv, (l->nkv + 1) * sizeof(*kv))) == NULL) {
		p->rc = -ENOMEM;
		return;
	}
	l->kv = kv;
	kv = &l->kv[l->nkv];
	kv->line = p->line;
	if ((kv->key = strdup(k->name)) == NULL ||
	    (kv->val = strdup(val)) == NULL) {
		free(kv->key);
		p->rc = -ENOMEM;
		return;
	}
	l->nkv++;
}

/* inih's handler, once per KEY = VALUE; the reader tracks sections. */
static int
cfg_ini_key(void *user, const char *section, const char *name,
    const char *value)
{
	struct parse *p = user;
	const struct cfg_key *k;
	size_t i;

	(void)section;
	if (p->kind == SEC_SKIP || p->rc != 0)
		return p->rc == 0;
	if (p->kind == SEC_NONE) {
		perr(p, p->line, "%s: key outside any section", name);
		return 1;
	}
	if ((i = key_find(p->kind, name)) == NKEYS) {
		perr(p, p->line, "unknown key '%s' in [%s]%s", name,
		    kind_name(p->kind), p->kind == SEC_SOURCE &&
		    key_index(SEC_LIST, name) != NKEYS ? " (only the catalog "
		    "sets it)" : "");
		return 1;
	}
	if (p->seen[i] != 0 && cfg_keys[i].set != set_record) {
		perr(p, p->line, "duplicate key '%s' (first on line %u)",
		    name, p->seen[i]);
		return 1;
	}
	p->seen[i] = p->line;
	k = &cfg_keys[i];
	if (p->kind == SEC_LIST && k->sec == SEC_SOURCE)
		list_key(p, k, value);
	else if (k->set(p, k, section_base(p), value) == -ENOMEM)
		p->rc = -ENOMEM;
	return p->rc == 0;
}

/* ---- The catalog merge, once the whole file is read -------------------- */

/* The line to blame when the catalog cannot be used: the first source
 * that names it, or [server]'s catalog-file. 0 if nothing needs it. */
static unsigned
catalog_line(const struct parse *p)
{
	size_t i, k = key_index(SEC_SOURCE, "catalog");

	for (i = 0; i < p->cfg->nsources && i < p->nsrc_seen; i++)
		if (p->cfg->sources[i].catalog != NULL)
			return p->src_seen[i][k];
	return p->server_seen[key_index(SEC_SERVER, "catalog-file")];
}

static int	catalog_read(struct cfg_catalog **, const char *, FILE *);

/* Read the catalog the sources need; NULL (reported) if it fails. */
static struct cfg_catalog *
catalog_open(struct parse *p, unsigned line, char **dir)
{
	struct cfg_catalog *cat = NULL;
	char path[4096];
	int rc;

	if (cfg_catalog_path(p->cfg, path, sizeof(path)) != 0) {
		perr(p, line, "catalog: file name too long");
		return NULL;
	}
	if ((rc = catalog_read(&cat, path, p->err)) == 0 &&
	    (rc = config_dir(path, dir)) == 0)
		return cat;
	cfg_catalog_free(cat);
	if (rc == -ENOMEM)
		p->rc = rc;
	else if (rc == -EINVAL)
		perr(p, line, "catalog: %s has errors (above)", path);
	else
		perr(p, line, "catalog: cannot read %s: %s%s", path,
		    strerror(-rc), p->cfg->server.catalog_file ? "" :
		    " (install it, or set catalog-file in [server])");
	return NULL;
}

/*
 * Give source s the keys of catalog list l that its section (seen) did
 * not set, through the same setters; a "file:PATH" url of the catalog
 * is relative to the catalog's directory catdir.
 */
static void
source_merge(struct parse *p, struct cfg_source *s, const unsigned *seen,
    const struct cfg_list *l, const struct cfg_catalog *cat, char *catdir)
{
	const char *path = p->path;
	char *dir = p->dir;
	const struct cfg_key *k;
	size_t i, j;

	p->path = cat->path;
	p->dir = catdir;
	for (i = 0; i < l->nkv && p->rc == 0; i++) {
		if ((j = key_index(SEC_SOURCE, l->kv[i].key)) == NKEYS ||
		    seen[j] != 0)
			continue;
		k = &cfg_keys[j];
		p->line = l->kv[i].line;
		if (k->set(p, k, s, l->kv[i].val) == -ENOMEM)
			p->rc = -ENOMEM;
	}
	p->path = path;
	p->dir = dir;
	s->min_refresh = l->min_refresh;
	s->contact_required = l->contact_required;
}

/* Resolve one source: its catalog list, [server]'s defaults, and the
 * provider's minimum refresh. */
static void
source_finish(struct parse *p, struct cfg_source *s, const unsigned *seen,
    const struct cfg_catalog *cat, char *catdir)
{
	size_t kc = key_index(SEC_SOURCE, "catalog");
	size_t kr = key_index(SEC_SOURCE, "refresh");
	const struct cfg_list *l = NULL;
	char a[32], b[32];

	if (s->catalog != NULL && cat != NULL &&
	    (l = cfg_catalog_find(cat, s->catalog)) == NULL)
		perr(p, seen[kc], "catalog: no list '%s' in %s (reputed-import "
		    "--catalog shows them)", s->catalog, cat->path);
	if (l != NULL)
		source_merge(p, s, seen, l, cat, catdir);
	if (s->fetch_timeout == 0)
		s->fetch_timeout = p->cfg->server.fetch_timeout;
	if (s->max_size == 0)
		s->max_size = p->cfg->server.max_size;
	if (l != NULL && s->refresh < s->min_refresh)
		perr(p, seen[kr] ? seen[kr] : seen[kc], "refresh: %s is below "
		    "the %s that %s asks for (min-refresh of catalog list %s)",
		    cfg_duration_str(s->refresh, a, sizeof(a)),
		    cfg_duration_str(s->min_refresh, b, sizeof(b)),
		    l->provider, l->name);
}

static void
sources_finish(struct parse *p)
{
	struct cfg_catalog *cat = NULL;
	char *catdir = NULL;
	unsigned line = catalog_line(p);
	size_t i;

	if (line != 0 && (cat = catalog_open(p, line, &catdir)) == NULL &&
	    p->rc != 0)
		return;
	for (i = 0; i < p->cfg->nsources && i < p->nsrc_seen &&
	    p->rc == 0; i++)
		source_finish(p, &p->cfg->sources[i], p->src_seen[i], cat,
		    catdir);
	cfg_catalog_free(cat);
	free(catdir);
}

/* ---- The API ----------------------------------------------------------- */

/* Open path for p to read. 0 or -errno. */
static int
parse_open(struct parse *p, const char *path)
{
	p->path = path;
	if ((p->in = fopen(path, "r")) == NULL ||
	    config_dir(path, &p->dir) != 0)
		return -errno;
	return 0;
}

static void
parse_fini(struct parse *p)
{
	if (p->in != NULL)
		fclose(p->in);
	free(p->errlines);
	free(p->buf);
	free(p->dir);
	free(p->src_seen);
}

/* Every line of the open file, then the checks at the end of a file. */
static int
parse_stream(struct parse *p)
{
	int line;

	line = ini_parse_stream(cfg_reader, p, cfg_ini_key, p);
	if (p->rc == 0 && line < 0)
		p->rc = -ENOMEM;
	/* A line inih refused that line_classify() let through. */
	if (p->rc == 0 && line > 0 && !line_reported(p, (unsigned)line))
		perr(p, (unsigned)line, "syntax error");
	if (p->rc == 0)
		section_close(p);
	if (p->rc == 0 && p->cfg != NULL)
		zones_finish(p);
	if (p->rc == 0 && p->cfg != NULL)
		sources_finish(p);
	if (p->rc != 0 && p->err != NULL)
		fprintf(p->err, "%s: %s%s\n", p->path,
		    p->rc == -ENOMEM ? "" : "cannot read: ", strerror(-p->rc));
	if (p->rc != 0)
		return p->rc;
	return p->nerrlines > 0 ? -EINVAL : 0;
}

int
cfg_load(struct cfg **out, const char *path, FILE *err)
{
	struct parse p;
	int rc;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.err = err;
	if ((p.cfg = calloc(1, sizeof(*p.cfg))) == NULL ||
	    (p.cfg->path = strdup(path)) == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	if ((rc = parse_open(&p, p.cfg->path)) != 0) {
		if (err != NULL)
			fprintf(err, "%s: cannot read: %s\n", path,
			    strerror(-rc));
		goto fail;
	}
	section_defaults(&p, SEC_SERVER, &p.cfg->server);
	if ((rc = parse_stream(&p)) != 0)
		goto fail;
	*out = p.cfg;
	p.cfg = NULL;
fail:
	parse_fini(&p);
	cfg_free(p.cfg);
	return rc;
}

/* cfg_catalog_load(), but a file that cannot be opened is not reported:
 * cfg_load() says which source needed it. */
static int
catalog_read(struct cfg_catalog **out, const char *path, FILE *err)
{
	struct parse p;
	int rc;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.err = err;
	if ((p.cat = calloc(1, sizeof(*p.cat))) == NULL ||
	    (p.cat->path = strdup(path)) == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	if ((rc = parse_open(&p, p.cat->path)) != 0 ||
	    (rc = parse_stream(&p)) != 0)
		goto fail;
	*out = p.cat;
	p.cat = NULL;
fail:
	parse_fini(&p);
	cfg_catalog_free(p.cat);
	return rc;
}

int
cfg_catalog_load(struct cfg_catalog **out, const char *path, FILE *err)
{
	int rc = catalog_read(out, path, err);

	if (rc != 0 && rc != -EINVAL && rc != -ENOMEM && err != NULL)
		fprintf(err, "%s: cannot read: %s\n", path, strerror(-rc));
	return rc;
}

/* Free what a source holds, not the struct. */
static void
source_fini(struct cfg_source *s)
{
	free(s->name);
	free(s->url);
	free(s->format);
	free(s->txt);
	free(s->catalog);
}

void
cfg_catalog_free(struct cfg_catalog *cat)
{
	struct cfg_list *l;
	size_t i, li;

	if (cat == NULL)
		return;
	for (li = 0; li < cat->nlists; li++) {	/* lists may be NULL */
		l = &cat->lists[li];
		free(l->name);
		free(l->provider);
		free(l->description);
		free(l->terms);
		source_fini(&l->src);
		for (i = 0; i < l->nkv; i++) {
			free(l->kv[i].key);
			free(l->kv[i].val);
		}
		free(l->kv);
	}
	free(cat->lists);
	free(cat->path);
	free(cat);
}

const struct cfg_list *
cfg_catalog_find(const struct cfg_catalog *cat, const char *name)
{
	size_t i;

	for (i = 0; i < cat->nlists; i++)
		if (cat->lists[i].name != NULL &&
		    strcmp(cat->lists[i].name, name) == 0)
			return &cat->lists[i];
	return NULL;
}

int
cfg_catalog_path(const struct cfg *cfg, char *buf, size_t len)
{
	char exe[4096], *slash, *tree = NULL;
	ssize_t n;
	int w;

	if (cfg != NULL && cfg->server.catalog_file != NULL) {
		w = snprintf(buf, len, "%s", cfg->server.catalog_file);
		return w >= 0 && (size_t)w < len ? 0 : -ENAMETOOLONG;
	}
	/* A program run from its build directory (build/reputed-import)
	 * reads the catalog of its own source tree, not an older one that
	 * may be installed. */
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			tree = path_join(*exe ? exe : "/",
			    "../catalog/" CFG_CATALOG_NAME);
		}
	}
	if (tree != NULL && access(tree, F_OK) == 0)
		w = snprintf(buf, len, "%s", tree);
	else
		w = snprintf(buf, len, "%s/%s", REPUTED_DATADIR,
		    CFG_CATALOG_NAME);
	free(tree);
	return w >= 0 && (size_t)w < len ? 0 : -ENAMETOOLONG;
}

int64_t
cfg_source_next_fetch(const struct cfg_source *src, int64_t last_attempt,
    uint32_t failures, int64_t retry_after)
{
	int64_t step = src->refresh, cap, slack, floor, due;
	uint32_t i;

	if (last_attempt == 0)
		return retry_after > 0 ? retry_after : 0;
	cap = step > CFG_BACKOFF_MAX ? step : CFG_BACKOFF_MAX;
	for (i = 1; i < failures && step < cap; i++)
		step *= 2;
	if (step > cap)
		step = cap;
	/* A timer firing a little early must not skip a whole period;
	 * the provider's minimum is never shortened. */
	slack = step / 20 < 300 ? step / 20 : 300;
	floor = src->min_refresh > 0 ? src->min_refresh : CFG_REFRESH_MIN;
	due = last_attempt + (step - slack > floor ? step - slack : floor);
	return due > retry_after ? due : retry_after;
}

void
cfg_free(struct cfg *cfg)
{
	struct cfg_zone *z;
	size_t i;

	if (cfg == NULL)
		return;
	free_list(cfg->server.listen, cfg->server.nlisten);
	free(cfg->server.database);
	free(cfg->server.user);
	free(cfg->server.contact);
	free(cfg->server.catalog_file);
	free(cfg->server.metrics);
	free(cfg->server.control_socket);
	free(cfg->server.query_log);
	free(cfg->server.stats_file);
	free(cfg->server.rate_limit_exempt.v);
	free(cfg->server.allow.v);
	free(cfg->server.deny.v);
	free(cfg->server.client_acl);
	free(cfg->server.chroot);
	free(cfg->geoip.asn_db);
	free(cfg->geoip.country_db);
	/* Indexed: sources and zones may be NULL (none), and NULL + 0 is
	 * undefined. */
	for (i = 0; i < cfg->nsources; i++)
		source_fini(&cfg->sources[i]);
	for (i = 0; i < cfg->nzones; i++) {
		z = &cfg->zones[i];
		free(z->name);
		free_list(z->sources, z->nsources);
		free(z->soa_mname);
		free(z->soa_rname);
		free_list(z->ns, z->nns);
		free(z->allow.v);
		free(z->deny.v);
		cfg_zone_records_free(z);
		free(z->client_acl);
	}
	free(cfg->sources);
	free(cfg->zones);
	free(cfg->path);
	free(cfg);
}

const struct cfg_source *
cfg_source_find(const struct cfg *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nsources; i++)
		if (cfg->sources[i].name != NULL &&
		    strcmp(cfg->sources[i].name, name) == 0)
			return &cfg->sources[i];
	return NULL;
}

/* Zone names are stored lower case without the final dot; accept both. */
const struct cfg_zone *
cfg_zone_find(const struct cfg *cfg, const char *name)
{
	size_t i, len = strlen(name);

	if (len > 1 && name[len - 1] == '.')
		len--;
	for (i = 0; i < cfg->nzones; i++)
		if (cfg->zones[i].name != NULL &&
		    strncasecmp(cfg->zones[i].name, name, len) == 0 &&
		    cfg->zones[i].name[len] == '\0')
			return &cfg->zones[i];
	return NULL;
}

static const struct {
	char	unit;
	int64_t	secs;
} cfg_units[] = {
	{ 'w', 7 * DAY }, { 'd', DAY }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 },
};
#define NUNITS	(sizeof(cfg_units) / sizeof(cfg_units[0]))

int
cfg_parse_duration(const char *s, int64_t *out)
{
	int64_t v = 0, mul = 1;
	size_t i;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (INT64_MAX - (*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	if (*s != '\0') {
		for (i = 0; i < NUNITS && cfg_units[i].unit != *s; i++)
			;
		if (i == NUNITS || s[1] != '\0')
			return -EINVAL;
		mul = cfg_units[i].secs;
	}
	if (v > INT64_MAX / mul)
		return -EINVAL;
	*out = v * mul;
	return 0;
}

char *
cfg_duration_str(int64_t secs, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < NUNITS - 1; i++)
		if (secs != 0 && secs % cfg_units[i].secs == 0)
			break;
	snprintf(buf, len, "%" PRId64 "%c", secs / cfg_units[i].secs,
	    cfg_units[i].unit);
	return buf;
}

static const struct {
	char		unit;
	uint64_t	bytes;
} cfg_size_units[] = {
	{ 'G', UINT64_C(1) << 30 }, { 'M', UINT64_C(1) << 20 },
	{ 'k', UINT64_C(1) << 10 },
};
#define NSIZE_UNITS	(sizeof(cfg_size_units) / sizeof(cfg_size_units[0]))

int
cfg_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mul = 1;
	size_t i;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s != '\0') {
		for (i = 0; i < NSIZE_UNITS && toupper((unsigned char)*s) !=
		    toupper((unsigned char)cfg_size_units[i].unit); i++)
			;
		if (i == NSIZE_UNITS || s[1] != '\0')
			return -EINVAL;
		mul = cfg_size_units[i].bytes;
	}
	if (v > UINT64_MAX / mul)
		return -EINVAL;
	*out = v * mul;
	return 0;
}

char *
cfg_size_str(uint64_t bytes, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < NSIZE_UNITS; i++)
		if (bytes != 0 && bytes % cfg_size_units[i].bytes == 0) {
			snprintf(buf, len, "%" PRIu64 "%c",
			    bytes / cfg_size_units[i].bytes,
			    cfg_size_units[i].unit);
			return buf;
		}
	snprintf(buf, len, "%" PRIu64, bytes);
	return buf;
}

int
cfg_parse_rbldnsd_time(const char *s, uint32_t *out)
{
	unsigned long long total = 0, n, unit;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	while (*s != '\0') {
		if (!isdigit((unsigned char)*s))
			return -1;
		n = strtoull(s, &e, 10);
		switch (tolower((unsigned char)*e)) {
		case 's': unit = 1; e++; break;
		case 'm': unit = 60; e++; break;
		case 'h': unit = 3600; e++; break;
		case 'd': unit = 86400; e++; break;
		case 'w': unit = 604800; e++; break;
		case '\0': unit = 1; break;
		default: return -1;
		}
		total += n * unit;
		if (n > UINT32_MAX || total > UINT32_MAX)
			return -1;
		s = e;
	}
	*out = (uint32_t)total;
	return 0;
}
