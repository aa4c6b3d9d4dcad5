/* test_fmt_spamhaus_drop.c -- Spamhaus DROP/EDROP/DROPv6 text lists. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fmt_test.h"

#define FMT	(&fmt_spamhaus_drop)

static void
drop_2025_has_1385_prefixes_and_header_metadata(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "spamhaus-drop/drop.txt", 1385);
	assert_int_equal(p.st.accepted, 1385);
	assert_true(ft_has(&p, "1.10.16.0/20", "SBL256894"));
	assert_true(ft_has(&p, "223.254.0.0/16", "SBL212803"));
	ft_expect_meta(&p, "date", "2025/01/17");
	ft_expect_meta(&p, "source", "https://www.spamhaus.org/drop/drop.txt");
	ft_expect_meta(&p, "last-modified", "Fri, 17 Jan 2025 17:03:47 GMT");
	ft_expect_meta(&p, "expires", "Fri, 17 Jan 2025 18:07:54 GMT");
	assert_string_equal(p.st.format, "spamhaus-drop");
	assert_int_equal(p.st.nnotes, 0);
	imp_list_fini(&p.list);
}

static void
drop_2026_has_1699_lines_and_1698_prefixes(void **state)
{
	struct parsed p;

	(void)state;
	/* 62.60.226.0/24 is listed twice: the first reason stays. */
	ft_expect_list(&p, FMT, "spamhaus-drop/drop-2026-08-22.txt", 1698);
	assert_int_equal(p.st.items, 1699);
	assert_true(ft_has(&p, "62.60.226.0/24", "SBL671779"));
	ft_expect_meta(&p, "last-modified", "Sat, 22 Aug 2026 15:56:45 GMT");
	imp_list_fini(&p.list);
}

static void
dropv6_has_78_ipv6_prefixes(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "spamhaus-dropv6/dropv6.txt", 78);
	assert_int_equal(ft_count_family(&p, RP_AF_INET6), 78);
	assert_true(ft_has(&p, "2001:678:6c4::/48", "SBL626637"));
	assert_true(ft_has(&p, "2c0f:6c0::/28", "SBL668932"));
	ft_expect_meta(&p, "source",
	    "https://www.spamhaus.org/drop/dropv6.txt");
	imp_list_fini(&p.list);
}

static void
edrop_2023_needs_no_eof_trailer(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "spamhaus-edrop/edrop.txt", 289);
	assert_true(ft_has(&p, "221.227.188.0/22", "SBL624147"));
	ft_expect_meta(&p, "date", "2023/12/01");
	imp_list_fini(&p.list);
	/* So a 2023 body cut short cannot be told from a whole one. */
	ft_parse_cut(&p, FMT, "spamhaus-edrop/edrop.txt", 0);
	assert_int_equal(p.rc, 0);
	imp_list_fini(&p.list);
}

static void
retired_edrop_is_an_empty_list_with_a_notice(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "spamhaus-edrop/edrop-retired-2024-10-18.txt",
	    0);
	ft_expect_meta(&p, "merged-into",
	    "https://www.spamhaus.org/drop/drop.txt");
	ft_expect_meta(&p, "last-modified", "Fri, 18 Oct 2024 10:22:39 GMT");
	assert_int_equal(p.st.nnotes, 1);
	assert_true(ft_has_note(&p, "list retired: merged into "
	    "https://www.spamhaus.org/drop/drop.txt"));
	imp_list_fini(&p.list);
}

static void
cut_2025_list_is_refused_for_missing_eof(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_cut(&p, FMT, "spamhaus-drop/drop.txt", 0);
	ft_expect_refused(&p, "truncated: no '; EOF' trailer");
	imp_list_fini(&p.list);
	ft_parse_cut(&p, FMT, "spamhaus-dropv6/dropv6.txt", 1);
	ft_expect_refused(&p, "truncated: no '; EOF' trailer");
	imp_list_fini(&p.list);
}

static void
body_without_spamhaus_header_is_refused(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_fixture(&p, FMT,
	    "spamhaus-drop/error-body-500-2025-11-18.txt");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.err, "not a Spamhaus DROP list"));
	imp_list_fini(&p.list);
	FT_PARSE_STR(&p, FMT, "1.10.16.0/20 ; SBL256894\n; EOF\n");
	ft_expect_refused(&p, "no '; Spamhaus ... List' header");
	imp_list_fini(&p.list);
	/* A mirror's copy whose header went missing is not trusted. */
	ft_parse_edited(&p, FMT, "spamhaus-drop/drop.txt",
	    "; Spamhaus DROP List", "; Something List");
	ft_expect_refused(&p, "not a Spamhaus DROP list");
	imp_list_fini(&p.list);
}

static void
data_after_eof_is_rejected(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "; Spamhaus DROP List 2025/01/17 - (c)\n"
	    "; Last-Modified: Fri, 17 Jan 2025 17:03:47 GMT\n"
	    "192.0.2.0/24 ; SBL1\n198.51.100.0/24 ; SBL2\n; EOF\n"
	    "203.0.113.0/24 ; SBL3\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 1);
	assert_int_equal(p.list.n, 2);
	assert_true(ft_has(&p, "198.51.100.0/24", "SBL2"));
	imp_list_fini(&p.list);
}

static void
stripped_comments_and_host_bits_are_handled(void **state)
{
	struct parsed p;

	(void)state;
	/* Mirrors drop the comment and leave a space; no Last-Modified:
	 * the header's 2025 date asks for "; EOF", which is there. */
	FT_PARSE_STR(&p, FMT, "; Spamhaus DROP List 2025/01/17 - (c)\r\n"
	    "192.0.2.0/24 \r\n10.1.2.3/16;SBL9\r\n; EOF\r\n");
	assert_int_equal(p.rc, 0);
	assert_true(ft_has(&p, "192.0.2.0/24", ""));
	assert_true(ft_has(&p, "10.1.0.0/16", "SBL9"));
	imp_list_fini(&p.list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    drop_2025_has_1385_prefixes_and_header_metadata),
		cmocka_unit_test(drop_2026_has_1699_lines_and_1698_prefixes),
		cmocka_unit_test(dropv6_has_78_ipv6_prefixes),
		cmocka_unit_test(edrop_2023_needs_no_eof_trailer),
		cmocka_unit_test(retired_edrop_is_an_empty_list_with_a_notice),
		cmocka_unit_test(cut_2025_list_is_refused_for_missing_eof),
		cmocka_unit_test(body_without_spamhaus_header_is_refused),
		cmocka_unit_test(data_after_eof_is_rejected),
		cmocka_unit_test(stripped_comments_and_host_bits_are_handled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
