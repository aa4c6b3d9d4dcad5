/* test_fmt_auto.c -- format "auto": every fixture to its format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fmt_test.h"

/* Each fixture, the format its signature names, and (for good lists)
 * the distinct prefixes auto's parse must give. */
static const struct {
	const char	*rel, *format;
	size_t		 n;
} fixtures[] = {
	{ "spamhaus-drop/drop.txt",		"spamhaus-drop",	1385 },
	{ "spamhaus-drop/drop-2026-08-22.txt",	"spamhaus-drop",	1698 },
	{ "spamhaus-dropv6/dropv6.txt",		"spamhaus-drop",	78 },
	{ "spamhaus-edrop/edrop.txt",		"spamhaus-drop",	289 },
	{ "spamhaus-edrop/edrop-retired-2024-10-18.txt", "spamhaus-drop", 0 },
	{ "spamhaus-drop/drop_v4.json",		"spamhaus-json",	1669 },
	{ "spamhaus-asndrop/asndrop.json",	"spamhaus-asndrop",	201 },
	{ "dshield/block.txt",			"dshield",		20 },
	{ "dshield/block-2023-01-01.txt",	"dshield",		20 },
	{ "dshield/block-2023-01-31-template-bug.txt", "dshield",	20 },
	{ "firehol/firehol_level1.netset",	"firehol",		2511 },
	{ "firehol/stopforumspam_toxic.netset",	"firehol",		47 },
	{ "firehol/stopforumspam.ipset",	"firehol",	203676 },
	{ "firehol/blocklist_net_ua.ipset",	"firehol",	100047 },
	{ "feodo/ipblocklist.csv",		"abuse-ch-csv",		28 },
	{ "feodo/ipblocklist_recommended.txt",	"abuse-ch-txt",		244 },
	{ "tor/exit-addresses",			"tor-exits",		1174 },
	{ "tor/torbulkexitlist",		"plain",		1174 },
	{ "rbldnsd-uceprotect/dnsbl-1.uceprotect.net", "rbldnsd",	50298 },
	{ "rbldnsd-uceprotect/dnsbl-2.uceprotect.net", "rbldnsd",	18583 },
	{ "blocklist-de/all.txt",		"plain",		25961 },
	{ "cins-army/ci-badguys.txt",		"plain",		15000 },
	{ "et-compromised/compromised-ips.txt",	"plain",		4634 },
	{ "psbl/psbl.txt",			"plain",		19551 },
	{ "ipsum/ipsum.txt",			"plain",	108919 },
};
#define NFIXTURES	(sizeof(fixtures) / sizeof(fixtures[0]))

static void
every_fixture_is_detected_as_its_format(void **state)
{
	const struct imp_format *f;
	size_t i, len;
	char *body;

	(void)state;
	for (i = 0; i < NFIXTURES; i++) {
		body = ft_read(fixtures[i].rel, &len);
		f = imp_format_detect(body, len);
		if (strcmp(f->name, fixtures[i].format) != 0)
			fail_msg("%s: detected %s, not %s", fixtures[i].rel,
			    f->name, fixtures[i].format);
		free(body);
	}
}

static void
auto_parses_like_the_detected_format_and_says_which(void **state)
{
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < NFIXTURES; i++) {
		ft_expect_list(&p, &fmt_auto, fixtures[i].rel, fixtures[i].n);
		assert_string_equal(p.st.format, fixtures[i].format);
		assert_int_equal(p.st.detected, 1);
		imp_list_fini(&p.list);
	}
}

static void
auto_keeps_the_detected_formats_checks(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_cut(&p, &fmt_auto, "spamhaus-drop/drop_v4.json", 0);
	assert_string_equal(p.st.format, "spamhaus-json");
	ft_expect_refused(&p, "truncated: no metadata row");
	imp_list_fini(&p.list);
	ft_parse_edited(&p, &fmt_auto, "feodo/ipblocklist.csv", "# END 28",
	    "# END 27");
	ft_expect_refused(&p, "trailer says 27 entries");
	imp_list_fini(&p.list);
	ft_parse_cut(&p, &fmt_auto, "spamhaus-drop/drop.txt", 0);
	ft_expect_refused(&p, "no '; EOF' trailer");
	imp_list_fini(&p.list);
	/* The metadata and notices are the detected format's. */
	ft_parse_fixture(&p, &fmt_auto, "spamhaus-asndrop/asndrop.json");
	assert_int_equal(p.rc, 0);
	ft_expect_meta(&p, "records", "201");
	assert_true(ft_has_note(&p, "no prefixes are served"));
	imp_list_fini(&p.list);
}

static void
error_and_html_bodies_are_still_refused(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_fixture(&p, &fmt_auto,
	    "dshield/error-body-500-2025-11-18.txt");
	assert_string_equal(p.st.format, "plain");
	ft_expect_refused(&p, "not a list");
	imp_list_fini(&p.list);
	FT_PARSE_STR(&p, &fmt_auto, "<!DOCTYPE html><html>; Spamhaus DROP "
	    "List</html>\n");
	assert_string_equal(p.err, "HTML page, not a list");
	assert_null(p.st.format);
	imp_list_fini(&p.list);
}

static void
small_signatures_are_recognised(void **state)
{
	static const struct { const char *body, *format; } cases[] = {
		{ "{\"type\":\"metadata\",\"size\":0,\"records\":0}\n",
		    "spamhaus-json" },
		{ "\xef\xbb\xbf; Spamhaus DROP List\n", "spamhaus-drop" },
		{ "$SOA 0 z. h. 1 1 1 1 1\n192.0.2.1\n", "rbldnsd" },
		{ ":127.0.0.2:Listed\n192.0.2.1\n", "rbldnsd" },
		{ "# comment\n192.0.2.1\n", "plain" },
		{ "192.0.2.1 ; SBL1\n", "plain" },
	};
	const struct imp_format *f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = imp_format_detect(cases[i].body, strlen(cases[i].body));
		assert_string_equal(f->name, cases[i].format);
	}
}

static void
format_table_has_every_name_once(void **state)
{
	static const char *const names[] = { "plain", "auto",
	    "spamhaus-drop", "spamhaus-json", "spamhaus-asndrop", "dshield",
	    "firehol", "abuse-ch-csv", "abuse-ch-txt", "tor-exits",
	    "rbldnsd", "rbldnsd-ip4set", "rbldnsd-ip4tset", "rbldnsd-ip4trie",
	    "rbldnsd-ip6tset", "rbldnsd-ip6trie", "rbldnsd-dnset",
	    "rbldnsd-combined", "rbldnsd-generic",
	    "rbldnsd-acl" };
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_non_null(imp_format_find(names[i]));
		assert_string_equal(imp_format_find(names[i])->name, names[i]);
	}
	while (imp_formats[n] != NULL)
		n++;
	assert_int_equal(n, sizeof(names) / sizeof(names[0]));
	assert_ptr_equal(imp_format_find("auto"), &fmt_auto);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_fixture_is_detected_as_its_format),
		cmocka_unit_test(
		    auto_parses_like_the_detected_format_and_says_which),
		cmocka_unit_test(auto_keeps_the_detected_formats_checks),
		cmocka_unit_test(error_and_html_bodies_are_still_refused),
		cmocka_unit_test(small_signatures_are_recognised),
		cmocka_unit_test(format_table_has_every_name_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
