/* test_fmt_rbldnsd_generic.c -- rbldnsd's generic dataset (format
 * "rbldnsd-generic", and $DATASET generic blocks of combined data): its
 * lines become records in reputed's syntax, read as rbldnsd reads them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "config.h"
#include "fmt_test.h"

/* Parse text as part of a dataset of format fmt (part 0: all of it). */
static void
gen_parse(struct parsed *p, const struct imp_format *fmt, const char *text,
    unsigned part)
{
	struct imp_input in;
	size_t len = strlen(text);

	assert_non_null(in.body = malloc(len + 1));
	memcpy(in.body, text, len + 1);
	in.len = len;
	in.path = "test";
	imp_list_init(&p->list);
	p->err[0] = '\0';
	p->rc = imp_parse_list_inputs(fmt, &in, 1, part << IMP_F_PART_SHIFT,
	    &p->list, &p->st, p->err, sizeof(p->err));
	free(in.body);
}

static void
gen_done(struct parsed *p)
{
	imp_stats_fini(&p->st);
	imp_list_fini(&p->list);
}

static const char *
records(const struct parsed *p)
{
	return p->st.records != NULL ? p->st.records : "";
}

static void
generic_lines_become_records(void **state)
{
	struct parsed p;

	(void)state;
	gen_parse(&p, &fmt_rbldnsd_generic,
	    "# the zone's own records\n"
	    "early A 192.0.2.99\n"
	    "$TTL 5m\n"
	    "@ A 192.0.2.1\n"
	    "@ 600 IN A 192.0.2.2\n"
	    "WWW.Sub. 0 a 127.1 and more\n"
	    "@ mx 10 Mx.Example.ORG.\n"
	    "@ MX 0 .\n"
	    "t 1h TXT \"a ; b # c\"\n"
	    "u 2d in txt plain  text\n"
	    "n TXT \"\"\n"
	    "q TXT \"open\n", 0);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.list.n, 0);		/* no entries */
	assert_string_equal(records(&p),
	    "early 0 A 192.0.2.99\n"
	    "@ 300 A 192.0.2.1\n"
	    "@ 600 A 192.0.2.2\n"
	    "www.sub 300 A 127.0.0.1\n"
	    "@ 300 MX 10 Mx.Example.ORG\n"
	    "@ 300 MX 0 .\n"
	    "t 3600 TXT \"a ; b # c\"\n"
	    "u 172800 TXT \"plain  text\"\n"
	    "n 300 TXT \"\"\n"
	    "q 300 TXT \"\"open\"\n");
	assert_int_equal(p.st.nrecords, 10);
	ft_expect_meta(&p, "ttl", "300");
	gen_done(&p);
}

static void
generic_records_are_valid_configuration(void **state)
{
	struct parsed p;
	struct cfg_record r;
	const char *line, *nl, *why;
	char buf[600];

	(void)state;
	gen_parse(&p, &fmt_rbldnsd_generic,
	    "@ A 192.0.2.1\nx MX 5 mx.example.org\ny TXT \"a\" \"b\"\n", 0);
	assert_int_equal(p.rc, 0);
	for (line = records(&p); (nl = strchr(line, '\n')) != NULL;
	    line = nl + 1) {
		snprintf(buf, sizeof(buf), "%.*s", (int)(nl - line), line);
		if (cfg_record_parse(buf, &r, &why) != 0)
			fail_msg("'%s': %s", buf, why);
		cfg_record_fini(&r);
	}
	gen_done(&p);
}

static void
generic_skips_what_rbldnsd_skips(void **state)
{
	struct parsed p;

	(void)state;
	gen_parse(&p, &fmt_rbldnsd_generic,
	    "ok A 192.0.2.1\n"
	    "bad A 300.1.2.3\n"
	    "v6 AAAA 2001:db8::1\n"
	    "alias CNAME ok\n"
	    "badmx MX 70000 mx.example.org\n"
	    "novalue TXT\n"
	    ". A 192.0.2.1\n"
	    "x 12: A 192.0.2.1\n"
	    "*.wild A 192.0.2.1\n"
	    "a:b A 192.0.2.1\n", 0);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 9);
	assert_string_equal(records(&p), "ok 0 A 192.0.2.1\n");
	gen_done(&p);
}

static void
generic_txt_is_cut_at_255_bytes(void **state)
{
	char text[400], want[300];
	struct parsed p;

	(void)state;
	snprintf(text, sizeof(text), "t TXT \"%0300d\"\n", 1);
	snprintf(want, sizeof(want), "t 0 TXT \"%0255d\"\n", 0);
	gen_parse(&p, &fmt_rbldnsd_generic, text, 0);
	assert_int_equal(p.rc, 0);
	assert_string_equal(records(&p), want);
	gen_done(&p);
}

/* rbldnsd refuses the whole dataset for these. */
static void
generic_refuses_what_rbldnsd_refuses(void **state)
{
	static const char *const bad[] = {
		"x 12x A 192.0.2.1\n",
		"x 1h30m A 192.0.2.1\n",
		"x 99999999999 A 192.0.2.1\n",
		"x MX 10\n",
		"x MX 10 mx.example.org junk\n",
	};
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		gen_parse(&p, &fmt_rbldnsd_generic, bad[i], 0);
		if (p.rc >= 0)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(p.err, "aborted"));
		gen_done(&p);
	}
}

static void
generic_keeps_soa_ns_and_ttl(void **state)
{
	struct parsed p;

	(void)state;
	gen_parse(&p, &fmt_rbldnsd_generic,
	    "$SOA 1h ns.gen.test. hm.gen.test. 7 1h 15m 1w 10m\n"
	    "$NS 2h ns.gen.test\n"
	    "$TTL 1h\n@ A 192.0.2.1\n$TTL 2h\n", 0);
	assert_int_equal(p.rc, 0);
	ft_expect_meta(&p, "soa",
	    "3600 ns.gen.test hm.gen.test 7 3600 900 604800 600");
	ft_expect_meta(&p, "ns", "7200 ns.gen.test");
	ft_expect_meta(&p, "ttl", "7200");
	assert_string_equal(records(&p), "@ 3600 A 192.0.2.1\n");
	gen_done(&p);
}

static void
generic_empty_file_has_no_records(void **state)
{
	struct parsed p;

	(void)state;
	gen_parse(&p, &fmt_rbldnsd_generic, "", 0);
	assert_int_equal(p.rc, 0);
	assert_null(p.st.records);
	gen_done(&p);
}

static const char combined[] =
"$SOA 1h ns.c.test. hm.c.test. 1 1h 15m 1w 10m\n"
"$TTL 20m\n"
"$DATASET ip4set @\n"
"192.0.2.0/24\n"
"$DATASET generic @ info\n"
"@ TXT \"apex\"\n"
"www A 192.0.2.80\n"
"$TTL 2m\n"
"mail MX 5 mx.c.test\n"
"$DATASET generic:other sub\n"
"host A 192.0.2.90\n";

static void
combined_lists_generic_blocks(void **state)
{
	struct parsed p;

	(void)state;
	gen_parse(&p, &fmt_rbldnsd_combined, combined, 0);
	assert_int_equal(p.rc, 0);
	ft_expect_meta(&p, "datasets",
	    "ip4set @;generic @ info;generic:other sub");
	assert_null(p.st.records);
	gen_done(&p);
}

static void
combined_generic_block_takes_the_common_ttl(void **state)
{
	struct parsed p;

	(void)state;
	gen_parse(&p, &fmt_rbldnsd_combined, combined, 2);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.list.n, 0);
	assert_string_equal(records(&p),
	    "@ 1200 TXT \"apex\"\n"
	    "www 1200 A 192.0.2.80\n"
	    "mail 120 MX 5 mx.c.test\n");
	gen_done(&p);
	/* The next block does not see the previous block's $TTL. */
	gen_parse(&p, &fmt_rbldnsd_combined, combined, 3);
	assert_int_equal(p.rc, 0);
	assert_string_equal(records(&p), "host 1200 A 192.0.2.90\n");
	gen_done(&p);
	/* The ip4set block has entries, no records. */
	gen_parse(&p, &fmt_rbldnsd_combined, combined, 1);
	assert_int_equal(p.rc, 0);
	assert_true(p.list.n > 0);
	assert_null(p.st.records);
	gen_done(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generic_lines_become_records),
		cmocka_unit_test(generic_records_are_valid_configuration),
		cmocka_unit_test(generic_skips_what_rbldnsd_skips),
		cmocka_unit_test(generic_txt_is_cut_at_255_bytes),
		cmocka_unit_test(generic_refuses_what_rbldnsd_refuses),
		cmocka_unit_test(generic_keeps_soa_ns_and_ttl),
		cmocka_unit_test(generic_empty_file_has_no_records),
		cmocka_unit_test(combined_lists_generic_blocks),
		cmocka_unit_test(combined_generic_block_takes_the_common_ttl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
