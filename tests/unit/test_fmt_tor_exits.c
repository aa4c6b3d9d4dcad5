/* test_fmt_tor_exits.c -- Tor exit-addresses records and the bulk list. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fmt_test.h"

#define FMT	(&fmt_tor_exits)

static void
exit_addresses_has_2378_addresses_and_1174_distinct(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "tor/exit-addresses", 1174);
	assert_int_equal(p.st.items, 2378);
	assert_int_equal(p.st.accepted, 2378);
	assert_true(ft_has(&p, "185.241.208.232",
	    "Tor exit FE39F07EBE7870DCE124AB30DF3ABD0700A43F75"));
	/* The last record, at the end of the file. */
	assert_true(ft_has(&p, "141.98.168.54", NULL));
	ft_expect_meta(&p, "variant", "exit-addresses");
	ft_expect_meta(&p, "relays", "2372");
	ft_expect_meta(&p, "date", "2024-03-12 14:28:38");
	assert_int_equal(p.st.nnotes, 0);
	imp_list_fini(&p.list);
}

static void
bulk_list_parses_as_plain_addresses(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "tor/torbulkexitlist", 1174);
	assert_int_equal(ft_count_family(&p, RP_AF_INET), 1174);
	assert_true(ft_has(&p, "185.241.208.232", "Tor exit"));
	ft_expect_meta(&p, "variant", "bulk");
	imp_list_fini(&p.list);
}

static void
bulk_and_records_have_the_same_addresses(void **state)
{
	struct parsed a, b;
	size_t i;

	(void)state;
	ft_expect_list(&a, FMT, "tor/exit-addresses", 1174);
	ft_expect_list(&b, FMT, "tor/torbulkexitlist", 1174);
	for (i = 0; i < a.list.n; i++)
		assert_int_equal(imp_prefix_cmp(&a.list.recs[i].prefix,
		    &b.list.recs[i].prefix), 0);
	imp_list_fini(&a.list);
	imp_list_fini(&b.list);
}

static void
several_addresses_per_relay_and_odd_lines(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT,
	    "ExitNode 0000000000000000000000000000000000000001\n"
	    "Published 2024-03-11 13:07:19\nLastStatus 2024-03-12 08:00:00\n"
	    "ExitAddress 192.0.2.1 2024-03-12 08:10:51\n"
	    "ExitAddress 192.0.2.2 2024-03-12 09:10:51\n"
	    "Contact someone\n"
	    "ExitNode 0000000000000000000000000000000000000002\n"
	    "ExitAddress 192.0.2.1 2024-03-12 07:00:00\n"
	    "ExitNode NOT-A-FINGERPRINT\n"
	    "ExitAddress 192.0.2.3 2024-03-12 07:00:00\n"
	    "ExitNode 0000000000000000000000000000000000000003\n"
	    "ExitAddress 192.0.2.4 2024-03-12 07:00:00\n"
	    "ExitAddress 192.0.2.5 2024-03-12 07:00:00\n"
	    "ExitNode 0000000000000000000000000000000000000004\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 2);
	assert_int_equal(p.list.n, 4);
	assert_true(ft_has(&p, "192.0.2.1",
	    "Tor exit 0000000000000000000000000000000000000001"));
	assert_true(ft_has(&p, "192.0.2.2", NULL));
	assert_false(ft_has(&p, "192.0.2.3", NULL));
	ft_expect_meta(&p, "relays", "5");
	ft_expect_meta(&p, "date", "2024-03-12 09:10:51");
	assert_true(ft_has_note(&p, "2 relays without an ExitAddress line"));
	assert_true(ft_has_note(&p, "1 lines with unknown keywords ignored"));
	imp_list_fini(&p.list);
}

static void
error_body_is_not_a_list(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_fixture(&p, FMT,
	    "spamhaus-drop/error-body-500-2025-11-18.txt");
	ft_expect_refused(&p, "not a list");
	imp_list_fini(&p.list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    exit_addresses_has_2378_addresses_and_1174_distinct),
		cmocka_unit_test(bulk_list_parses_as_plain_addresses),
		cmocka_unit_test(bulk_and_records_have_the_same_addresses),
		cmocka_unit_test(several_addresses_per_relay_and_odd_lines),
		cmocka_unit_test(error_body_is_not_a_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
