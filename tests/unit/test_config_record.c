/* test_config_record.c -- a zone's static records: the record syntax, the
 * repeatable record = key, records files, and their errors. */
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
#include <arpa/inet.h>

#include "config.h"

/* ---- The record syntax -------------------------------------------------- */

static struct cfg_record
parse_ok(const char *s)
{
	struct cfg_record r;
	const char *why = NULL;
	int rc = cfg_record_parse(s, &r, &why);

	if (rc != 0)
		fail_msg("'%s': %s", s, why ? why : "?");
	return r;
}

static const char *
parse_bad(const char *s)
{
	struct cfg_record r;
	const char *why = NULL;

	assert_int_equal(cfg_record_parse(s, &r, &why), -EINVAL);
	assert_non_null(why);
	assert_null(r.owner);
	assert_null(r.data);
	return why;
}

static void
record_a_at_the_apex(void **state)
{
	struct cfg_record r = parse_ok("@ A 192.0.2.1");
	uint8_t want[4] = { 192, 0, 2, 1 };

	(void)state;
	assert_string_equal(r.owner, "");
	assert_int_equal(r.type, CFG_RR_A);
	assert_false(r.has_ttl);
	assert_memory_equal(r.addr, want, 4);
	cfg_record_fini(&r);
}

static void
record_ttl_class_and_case(void **state)
{
	struct cfg_record r = parse_ok("WWW.Sub 1h in aaaa 2001:DB8::1");
	uint8_t want[16];

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::1", want), 1);
	assert_string_equal(r.owner, "www.sub");	/* lower case */
	assert_int_equal(r.type, CFG_RR_AAAA);
	assert_true(r.has_ttl);
	assert_int_equal(r.ttl, 3600);
	assert_memory_equal(r.addr, want, 16);
	cfg_record_fini(&r);
	r = parse_ok("x 0 TXT \"\"");
	assert_true(r.has_ttl);
	assert_int_equal(r.ttl, 0);
	assert_int_equal(r.len, 0);
	cfg_record_fini(&r);
}

static void
record_txt_keeps_the_text_inside_quotes(void **state)
{
	struct cfg_record r;

	(void)state;
	r = parse_ok("t TXT \"  a ; b # c $ \"");
	assert_int_equal(r.len, 14);
	assert_memory_equal(r.data, "  a ; b # c $ ", 14);
	cfg_record_fini(&r);
	r = parse_ok("t TXT plain  words\t ");
	assert_string_equal(r.data, "plain  words");
	cfg_record_fini(&r);
	r = parse_ok("t TXT \"a\" \"b\"");	/* one string, as rbldnsd */
	assert_string_equal(r.data, "a\" \"b");
	cfg_record_fini(&r);
	r = parse_ok("t TXT \"open");
	assert_string_equal(r.data, "\"open");
	cfg_record_fini(&r);
}

static void
record_txt_of_255_bytes_but_not_256(void **state)
{
	char line[300];
	struct cfg_record r;

	(void)state;
	snprintf(line, sizeof(line), "t TXT \"%0255d\"", 7);
	r = parse_ok(line);
	assert_int_equal(r.len, 255);
	cfg_record_fini(&r);
	snprintf(line, sizeof(line), "t TXT \"%0256d\"", 7);
	assert_string_equal(parse_bad(line), "TXT text longer than 255 bytes");
}

static void
record_mx_host_absolute_case_kept(void **state)
{
	struct cfg_record r = parse_ok("@ MX 10 Mx1.Example.ORG.");

	(void)state;
	assert_int_equal(r.type, CFG_RR_MX);
	assert_int_equal(r.pref, 10);
	assert_string_equal(r.data, "Mx1.Example.ORG");
	cfg_record_fini(&r);
	r = parse_ok("@ MX 0 .");		/* RFC 7505 null MX */
	assert_string_equal(r.data, "");
	cfg_record_fini(&r);
}

static void
record_rejects_what_it_cannot_serve(void **state)
{
	(void)state;
	parse_bad("");
	parse_bad("www");
	parse_bad("www A");
	parse_bad("www 1h");
	parse_bad("www.example.org. A 192.0.2.1");	/* relative only */
	assert_string_equal(parse_bad("*.w A 192.0.2.1"),
	    "no wildcards: '*' is not a name");
	parse_bad("a..b A 192.0.2.1");
	parse_bad("a:b A 192.0.2.1");
	parse_bad("www 8d A 192.0.2.1");		/* a week at most */
	parse_bad("www 1x A 192.0.2.1");
	parse_bad("www A 192.0.2.300");
	parse_bad("www A 192.0.2.1 junk");
	parse_bad("www AAAA 192.0.2.1");
	parse_bad("www MX 65536 mx.example.org");
	parse_bad("www MX 10");
	parse_bad("www MX 10 mx.example.org junk");
	parse_bad("www MX 10 a..b");
	parse_bad("www TXT");
	assert_string_equal(parse_bad("www CNAME x.example.org"),
	    "unknown TYPE (A, AAAA, TXT, MX)");
}

/* ---- In a configuration ------------------------------------------------- */

struct tconf {
	char		 dir[PATH_MAX];
	char		 path[PATH_MAX + 16];
	char		 recs[PATH_MAX + 16];
	struct cfg	*cfg;
	char		*err;
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
	snprintf(tmpl, sizeof(tmpl), "%s/test_config_record.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(tmpl) == NULL || realpath(tmpl, t->dir) == NULL) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/reputed.conf", t->dir);
	snprintf(t->recs, sizeof(t->recs), "%s/zone.records", t->dir);
	*state = t;
	return 0;
}

static int
conf_teardown(void **state)
{
	struct tconf *t = *state;

	cfg_free(t->cfg);
	free(t->err);
	unlink(t->path);
	unlink(t->recs);
	rmdir(t->dir);
	free(t);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f;

	assert_non_null(f = fopen(path, "w"));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static int
conf_load(struct tconf *t, const char *text)
{
	FILE *err;

	cfg_free(t->cfg);
	free(t->err);
	t->cfg = NULL;
	t->err = NULL;
	write_file(t->path, text);
	assert_non_null(err = open_memstream(&t->err, &t->errlen));
	t->rc = cfg_load(&t->cfg, t->path, err);
	fclose(err);
	return t->rc;
}

static int
has_err(const struct tconf *t, unsigned line, const char *msg)
{
	char want[64];

	snprintf(want, sizeof(want), "reputed.conf:%u: ", line);
	return t->err != NULL && strstr(t->err, want) != NULL &&
	    strstr(t->err, msg) != NULL;
}

#define HEAD	"[source s]\n[zone bl.test]\nsources = s\n"

static void
record_key_repeats_in_order(void **state)
{
	struct tconf *t = *state;
	const struct cfg_zone *z;

	assert_int_equal(conf_load(t, HEAD
	    "record = @ A 192.0.2.1\n"
	    "record = www 300 A 192.0.2.2\n"
	    "record = @ TXT \"the zone\"\n"
	    "record = @ MX 10 mx.bl.test\n"), 0);
	z = cfg_zone_find(t->cfg, "bl.test");
	assert_non_null(z);
	assert_int_equal(z->nrecords, 4);
	assert_string_equal(z->records[1].owner, "www");
	assert_int_equal(z->records[1].ttl, 300);
	assert_int_equal(z->records[1].line, 5);
	assert_string_equal(z->records[2].data, "the zone");
	assert_int_equal(z->records[3].type, CFG_RR_MX);
	assert_null(z->records_file);
}

static void
record_key_errors_name_their_line(void **state)
{
	struct tconf *t = *state;

	assert_int_equal(conf_load(t, HEAD
	    "record = @ A 192.0.2.1\n"
	    "record = www CNAME x.example.org\n"
	    "record = www.bl.test. A 192.0.2.1\n"), -EINVAL);
	assert_true(has_err(t, 5, "record: unknown TYPE"));
	assert_true(has_err(t, 6, "record: OWNER is relative"));
	assert_null(t->cfg);
}

static void
record_key_refuses_a_txt_cut_by_a_comment(void **state)
{
	struct tconf *t = *state;

	/* inih ends the value at " ;": the quote is left open. */
	assert_int_equal(conf_load(t, HEAD
	    "record = @ TXT \"a ; b\"\n"), -EINVAL);
	assert_true(has_err(t, 4, "unbalanced quote"));
}

static void
record_owner_must_fit_under_the_zone(void **state)
{
	struct tconf *t = *state;
	char text[800], zone[120], owner[200];

	/* A zone of 104 characters and an owner of 158: 263 > 253. */
	snprintf(zone, sizeof(zone), "%049d.%049d.test", 0, 0);
	snprintf(owner, sizeof(owner), "%063d.%063d.%030d", 0, 0, 0);
	snprintf(text, sizeof(text), "[source s]\n[zone %s]\nsources = s\n"
	    "record = %.30s A 192.0.2.1\nrecord = %s A 192.0.2.1\n", zone,
	    owner, owner);
	assert_int_equal(conf_load(t, text), -EINVAL);
	assert_false(has_err(t, 4, "record"));
	assert_true(has_err(t, 5, "longer than 253"));
}

static void
records_file_is_read_relative_to_the_config(void **state)
{
	struct tconf *t = *state;
	const struct cfg_zone *z;

	write_file(t->recs, "# comment\n\n  ; another\n"
	    "www A 192.0.2.2\r\n"
	    "long TXT \"a ; b # c\"\n");
	assert_int_equal(conf_load(t, HEAD
	    "record = @ A 192.0.2.1\n"
	    "records = zone.records\n"), 0);
	z = cfg_zone_find(t->cfg, "bl.test");
	assert_int_equal(z->nrecords, 3);
	assert_string_equal(z->records_file, t->recs);
	assert_string_equal(z->records[1].owner, "www");
	assert_int_equal(z->records[1].line, 4);
	assert_string_equal(z->records[2].data, "a ; b # c");
}

static void
records_file_errors_name_file_and_line(void **state)
{
	struct tconf *t = *state;

	write_file(t->recs, "www A 192.0.2.2\nbad A 192.0.2.999\n");
	assert_int_equal(conf_load(t, HEAD "records = zone.records\n"),
	    -EINVAL);
	assert_true(has_err(t, 4, "zone.records:2: bad IPv4 address"));
	unlink(t->recs);
	assert_int_equal(conf_load(t, HEAD "records = zone.records\n"),
	    -EINVAL);
	assert_true(has_err(t, 4, "No such file"));
	assert_int_equal(conf_load(t, HEAD "records = a\nrecords = b\n"),
	    -EINVAL);
	assert_true(has_err(t, 5, "duplicate key 'records'"));
}

static void
zone_without_records_has_none(void **state)
{
	struct tconf *t = *state;
	const struct cfg_zone *z;

	assert_int_equal(conf_load(t, HEAD), 0);
	z = cfg_zone_find(t->cfg, "bl.test");
	assert_int_equal(z->nrecords, 0);
	assert_null(z->records);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(record_a_at_the_apex),
		cmocka_unit_test(record_ttl_class_and_case),
		cmocka_unit_test(record_txt_keeps_the_text_inside_quotes),
		cmocka_unit_test(record_txt_of_255_bytes_but_not_256),
		cmocka_unit_test(record_mx_host_absolute_case_kept),
		cmocka_unit_test(record_rejects_what_it_cannot_serve),
		cmocka_unit_test_setup_teardown(record_key_repeats_in_order,
		    conf_setup, conf_teardown),
		cmocka_unit_test_setup_teardown(
		    record_key_errors_name_their_line, conf_setup,
		    conf_teardown),
		cmocka_unit_test_setup_teardown(
		    record_key_refuses_a_txt_cut_by_a_comment, conf_setup,
		    conf_teardown),
		cmocka_unit_test_setup_teardown(
		    record_owner_must_fit_under_the_zone, conf_setup,
		    conf_teardown),
		cmocka_unit_test_setup_teardown(
		    records_file_is_read_relative_to_the_config, conf_setup,
		    conf_teardown),
		cmocka_unit_test_setup_teardown(
		    records_file_errors_name_file_and_line, conf_setup,
		    conf_teardown),
		cmocka_unit_test_setup_teardown(zone_without_records_has_none,
		    conf_setup, conf_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
