/* test_fmt_spamhaus_json.c -- Spamhaus NDJSON: DROP and ASN-DROP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fmt_test.h"

#define DROP_V4	"spamhaus-drop/drop_v4.json"
#define ASNDROP	"spamhaus-asndrop/asndrop.json"

static void
drop_v4_json_has_1670_records_and_1669_prefixes(void **state)
{
	struct parsed p;

	(void)state;
	/* 62.60.226.0/24 is listed twice, as in the text list. */
	ft_expect_list(&p, &fmt_spamhaus_json, DROP_V4, 1669);
	assert_int_equal(p.st.items, 1670);
	assert_true(ft_has(&p, "1.10.16.0/20", "SBL256894"));
	assert_true(ft_has(&p, "62.60.226.0/24", "SBL697779"));
	/* "rir": null is fine. */
	assert_true(ft_has(&p, "23.143.16.0/24", "SBL698941"));
	ft_expect_meta(&p, "entries", "1670");
	ft_expect_meta(&p, "records", "1670");
	ft_expect_meta(&p, "size", "101866");
	ft_expect_meta(&p, "timestamp", "1784798042");
	ft_expect_meta(&p, "date", "2026-07-23 09:14:02 UTC");
	ft_expect_meta(&p, "terms", "https://www.spamhaus.org/drop/terms/");
	ft_expect_meta(&p, "copyright", "(c) 2026 The Spamhaus Project SLU");
	imp_list_fini(&p.list);
}

static void
cut_json_is_refused_for_missing_metadata(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_cut(&p, &fmt_spamhaus_json, DROP_V4, 0);
	ft_expect_refused(&p, "truncated: no metadata row");
	imp_list_fini(&p.list);
	ft_parse_cut(&p, &fmt_spamhaus_json, DROP_V4, 1);
	ft_expect_refused(&p, "truncated: no metadata row");
	imp_list_fini(&p.list);
	ft_parse_cut(&p, &fmt_spamhaus_asndrop, ASNDROP, 0);
	ft_expect_refused(&p, "truncated: no metadata row");
	imp_list_fini(&p.list);
}

static void
records_or_size_mismatch_is_refused(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_edited(&p, &fmt_spamhaus_json, DROP_V4, "\"records\":1670",
	    "\"records\":1671");
	ft_expect_refused(&p, "metadata says 1671 records, 1670 read");
	imp_list_fini(&p.list);
	ft_parse_edited(&p, &fmt_spamhaus_json, DROP_V4, "\"size\":101866",
	    "\"size\":101865");
	ft_expect_refused(&p, "metadata says 101865 bytes before it, 101866");
	imp_list_fini(&p.list);
	/* A row lost in the middle changes both. */
	ft_parse_edited(&p, &fmt_spamhaus_json, DROP_V4,
	    "{\"cidr\":\"1.19.0.0/16\",\"sblid\":\"SBL434604\","
	    "\"rir\":\"apnic\"}\n", "");
	ft_expect_refused(&p, "metadata says 1670 records, 1669 read");
	imp_list_fini(&p.list);
	ft_parse_edited(&p, &fmt_spamhaus_asndrop, ASNDROP,
	    "\"records\":201", "\"records\":200");
	ft_expect_refused(&p, "metadata says 200 records, 201 read");
	imp_list_fini(&p.list);
}

static void
metadata_must_be_the_last_row(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_spamhaus_json,
	    "{\"cidr\":\"192.0.2.0/24\",\"sblid\":\"SBL1\",\"rir\":null}\n"
	    "{\"type\":\"metadata\",\"timestamp\":1,\"size\":58,"
	    "\"records\":1}\n"
	    "{\"cidr\":\"198.51.100.0/24\",\"sblid\":\"SBL2\"}\n");
	ft_expect_refused(&p, "1 lines after the metadata row");
	imp_list_fini(&p.list);
	/* The same without the extra row is good; CRLF counts its CR. */
	FT_PARSE_STR(&p, &fmt_spamhaus_json,
	    "{\"cidr\":\"192.0.2.0/24\",\"sblid\":\"SBL1\",\"rir\":null}\r\n"
	    "{\"type\":\"metadata\",\"size\":51,\"records\":1,"
	    "\"future\":true}");
	assert_int_equal(p.rc, 0);
	assert_true(ft_has(&p, "192.0.2.0/24", "SBL1"));
	imp_list_fini(&p.list);
}

static void
bad_rows_are_rejected_and_counted(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_spamhaus_json,
	    "{\"cidr\":\"192.0.2.0/24\",\"sblid\":\"SBL1\"}\n"
	    "{\"cidr\":\"192.0.2.300/24\",\"sblid\":\"SBL2\"}\n"
	    "{\"cidr\":\"198.51.100.0/24\"}\n"
	    "{\"cidr\":\"203.0.113.0/24\",\"sblid\":\"SBL4\"}\n"
	    "{\"type\":\"metadata\",\"size\":148,\"records\":4}\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 1);
	assert_int_equal(p.list.n, 3);
	assert_true(ft_has(&p, "198.51.100.0/24", ""));
	imp_list_fini(&p.list);
	/* ASN-DROP rows are not DROP rows. */
	ft_parse_fixture(&p, &fmt_spamhaus_json, ASNDROP);
	assert_int_equal(p.rc, -EINVAL);
	assert_int_equal(p.st.rejected, 201);
	imp_list_fini(&p.list);
}

static void
asndrop_has_201_asn_listings_with_reasons(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, &fmt_spamhaus_asndrop, ASNDROP, 201);
	assert_int_equal(ft_count_family(&p, RP_AF_ASN), 201);
	assert_true(ft_has(&p, "AS932", "AS932 XNNET (xn.net, US)"));
	assert_true(ft_has(&p, "AS400506", "AS400506 BAIAS (black-apple, US)"));
	assert_int_equal(ft_find(&p, "AS932")->prefix.bits, 32);
	ft_expect_meta(&p, "records", "201");
	ft_expect_meta(&p, "size", "17905");
	ft_expect_meta(&p, "date", "2024-02-27 03:55:05 UTC");
	assert_int_equal(p.st.nnotes, 1);
	assert_true(ft_has_note(&p, "201 ASN listings are stored and "
	    "explained, but no prefixes are served"));
	imp_list_fini(&p.list);
}

static void
asndrop_reason_leaves_out_missing_fields(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_spamhaus_asndrop,
	    "{\"asn\":64496,\"rir\":\"arin\",\"asname\":\"EX\"}\n"
	    "{\"asn\":64497,\"cc\":\"NL\",\"domain\":null}\n"
	    "{\"asn\":\"AS64498\"}\n"
	    "{\"asn\":64499,\"domain\":\"ex.net\",\"cc\":\"\"}\n"
	    "{\"type\":\"metadata\",\"size\":137,\"records\":4}\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 1);
	assert_true(ft_has(&p, "AS64496", "AS64496 EX"));
	assert_true(ft_has(&p, "AS64497", "AS64497 (NL)"));
	assert_true(ft_has(&p, "AS64499", "AS64499 (ex.net)"));
	assert_null(ft_find(&p, "AS64498"));
	imp_list_fini(&p.list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    drop_v4_json_has_1670_records_and_1669_prefixes),
		cmocka_unit_test(cut_json_is_refused_for_missing_metadata),
		cmocka_unit_test(records_or_size_mismatch_is_refused),
		cmocka_unit_test(metadata_must_be_the_last_row),
		cmocka_unit_test(bad_rows_are_rejected_and_counted),
		cmocka_unit_test(asndrop_has_201_asn_listings_with_reasons),
		cmocka_unit_test(asndrop_reason_leaves_out_missing_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
