/* test_fmt_firehol.c -- FireHOL netsets and ipsets with their headers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fmt_test.h"

#define FMT	(&fmt_firehol)

static void
level1_netset_has_2511_subnets_and_metadata(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "firehol/firehol_level1.netset", 2511);
	assert_true(ft_has(&p, "0.0.0.0/8", ""));
	assert_true(ft_has(&p, "1.10.16.0/20", ""));
	ft_expect_meta(&p, "maintainer", "FireHOL");
	ft_expect_meta(&p, "date", "Mon Jan 24 01:40:48 UTC 2022");
	ft_expect_meta(&p, "source-date", "Mon Jan 24 00:51:32 UTC 2022");
	ft_expect_meta(&p, "entries", "2511");
	ft_expect_meta(&p, "update-frequency", "1 min");
	ft_expect_meta(&p, "variant", "netset");
	/* Its "List source URL" is empty: nothing to record. */
	assert_null(imp_stats_meta(&p.st, "source"));
	assert_int_equal(p.st.nnotes, 0);
	imp_list_fini(&p.list);
}

static void
toxic_netset_mixes_hosts_and_subnets(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "firehol/stopforumspam_toxic.netset", 47);
	ft_expect_meta(&p, "source",
	    "http://www.stopforumspam.com/downloads/toxic_ip_cidr.txt");
	ft_expect_meta(&p, "maintainer", "StopForumSpam.com");
	assert_int_equal(p.st.nnotes, 0);
	imp_list_fini(&p.list);
}

static void
ipsets_have_their_counts(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, "firehol/stopforumspam.ipset", 203676);
	ft_expect_meta(&p, "entries", "203676");
	ft_expect_meta(&p, "variant", "ipset");
	ft_expect_meta(&p, "date", "Mon Jan 24 09:16:04 UTC 2022");
	ft_expect_meta(&p, "source",
	    "http://www.stopforumspam.com/downloads/bannedips.zip");
	imp_list_fini(&p.list);
	ft_expect_list(&p, FMT, "firehol/blocklist_net_ua.ipset", 100047);
	ft_expect_meta(&p, "maintainer", "blocklist.net.ua");
	imp_list_fini(&p.list);
}

static void
cut_or_miscounted_lists_are_refused(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_cut(&p, FMT, "firehol/firehol_level1.netset", 0);
	ft_expect_refused(&p, "header says 2511 subnets, body has");
	imp_list_fini(&p.list);
	ft_parse_cut(&p, FMT, "firehol/stopforumspam.ipset", 1);
	ft_expect_refused(&p, "header says 203676 unique IPs, body has");
	imp_list_fini(&p.list);
	ft_parse_edited(&p, FMT, "firehol/stopforumspam_toxic.netset",
	    "47 subnets", "48 subnets");
	ft_expect_refused(&p, "header says 48 subnets, body has 47");
	imp_list_fini(&p.list);
}

static void
ip_count_mismatch_is_a_notice(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_edited(&p, FMT, "firehol/stopforumspam_toxic.netset",
	    "120923 unique IPs", "120924 unique IPs");
	assert_int_equal(p.rc, 0);
	assert_true(ft_has_note(&p, "header says 120924 unique IPs, the "
	    "entries cover 120923"));
	imp_list_fini(&p.list);
}

static void
list_without_entries_header_is_refused(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "# just a list\n192.0.2.1\n");
	ft_expect_refused(&p, "no '# Entries' header line");
	imp_list_fini(&p.list);
	FT_PARSE_STR(&p, FMT, "# Entries         : many\n192.0.2.1\n");
	ft_expect_refused(&p, "unreadable '# Entries'");
	imp_list_fini(&p.list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(level1_netset_has_2511_subnets_and_metadata),
		cmocka_unit_test(toxic_netset_mixes_hosts_and_subnets),
		cmocka_unit_test(ipsets_have_their_counts),
		cmocka_unit_test(cut_or_miscounted_lists_are_refused),
		cmocka_unit_test(ip_count_mismatch_is_a_notice),
		cmocka_unit_test(list_without_entries_header_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
