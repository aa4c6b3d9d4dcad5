/* test_fmt_dshield.c -- DShield block.txt in its three layouts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fmt_test.h"

#define FMT	(&fmt_dshield)

static void
current_layout_has_20_ranges_with_reasons(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "dshield/block.txt", 20);
	assert_int_equal(p.st.accepted, 20);
	assert_true(ft_has(&p, "45.205.1.0/24", "attacks=116 MULTA-ASN1 US"));
	/* "-" and ">>UNKNOWN<<" are left out; names keep their spaces. */
	assert_true(ft_has(&p, "16.5.0.0/24", "attacks=117"));
	assert_true(ft_has(&p, "45.82.76.0/24",
	    "attacks=106 CLOUDIE-AS-AP Cloudie Limited HK"));
	assert_true(ft_has(&p, "5.226.140.0/24",
	    "attacks=105 BANDWIDTH-AS GB"));
	ft_expect_meta(&p, "date", "2026-08-22T20:45:06.040987");
	ft_expect_meta(&p, "source", "https://feeds.dshield.org/block.txt");
	ft_expect_meta(&p, "title", "DShield.org Recommended Block List");
	/* "(c) $year" is in every current file: not worth a notice. */
	assert_int_equal(p.st.nnotes, 0);
	imp_list_fini(&p.list);
}

static void
old_layout_skips_the_uncommented_header_row(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "dshield/block-2023-01-01.txt", 20);
	assert_int_equal(p.st.accepted, 20);
	assert_true(ft_has(&p, "180.150.9.0/24",
	    "attacks=10400 WIDEBAND-AS-AP Aussie Broadband AU"));
	assert_true(ft_has(&p, "185.167.97.0/24",
	    "attacks=1722 CLOUDWEBMANAGE-EU US"));
	ft_expect_meta(&p, "date", "Sun Jan  1 23:45:22 2023 UTC");
	assert_int_equal(p.st.nnotes, 0);
	imp_list_fini(&p.list);
}

static void
template_bug_builds_ranges_from_prefix_and_warns(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "dshield/block-2023-01-31-template-bug.txt",
	    20);
	/* "89.248.163.0  89.248.163.110  24" is the whole /24. */
	assert_true(ft_has(&p, "89.248.163.0/24",
	    "attacks=9296 INT-NETWORK SC"));
	assert_true(ft_has(&p, "176.111.174.0/24", "attacks=6939"));
	assert_null(imp_stats_meta(&p.st, "date"));
	assert_null(imp_stats_meta(&p.st, "source"));
	assert_int_equal(p.st.nnotes, 2);
	assert_true(ft_has_note(&p, "unexpanded template placeholders"));
	assert_true(ft_has_note(&p, "end column disagrees with the prefix "
	    "length on 20 rows (first: 89.248.163.0 89.248.163.110 /24)"));
	imp_list_fini(&p.list);
}

static void
body_without_signature_is_refused(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_fixture(&p, FMT, "dshield/error-body-500-2025-11-18.txt");
	ft_expect_refused(&p, "not a DShield block list");
	imp_list_fini(&p.list);
	FT_PARSE_STR(&p, FMT, "#\n# comments only\n"
	    "45.205.1.0\t45.205.1.255\t24\t116\tMULTA-ASN1\tUS\tx@y\n");
	ft_expect_refused(&p, "no 'DShield.org Recommended Block List'");
	imp_list_fini(&p.list);
}

static void
bad_rows_are_rejected(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "#   DShield.org Recommended Block List \n"
	    "192.0.2.0\t192.0.2.255\t24\t5\tA\tUS\n"
	    "192.0.2.0 192.0.2.255 24 5\n"
	    "198.51.100.0\t198.51.100.255\t33\t5\n"
	    "2001:db8::\t2001:db8::ff\t120\t5\n"
	    "203.0.113.7\t203.0.113.255\t24\t9\tB\tNone\n"
	    "10.0.0.0\t10.0.0.255\t24\t7\t-\t-\t-\n"
	    "10.1.0.0\t10.1.0.255\t24\t7\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 3);
	assert_int_equal(p.list.n, 4);
	/* A start with host bits is masked, with a warning. */
	assert_true(ft_has(&p, "203.0.113.0/24", "attacks=9 B"));
	assert_true(ft_has(&p, "10.1.0.0/24", "attacks=7"));
	imp_list_fini(&p.list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(current_layout_has_20_ranges_with_reasons),
		cmocka_unit_test(old_layout_skips_the_uncommented_header_row),
		cmocka_unit_test(
		    template_bug_builds_ranges_from_prefix_and_warns),
		cmocka_unit_test(body_without_signature_is_refused),
		cmocka_unit_test(bad_rows_are_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
