/* test_fmt_plain.c -- the plain list format over every plain fixture. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../importers/fetch.h"
#include "../../importers/formats.h"
#include "store.h"

/* One parsed body: what a test looks at. */
struct parsed {
	struct imp_list		list;
	struct imp_stats	st;
	char			err[512];
	int			rc;
};

/* Parse text (a copy: the parser cuts lines in place). */
static void
parse_text(struct parsed *p, const char *text, size_t len)
{
	char *body = malloc(len + 1);

	assert_non_null(body);
	memcpy(body, text, len);
	body[len] = '\0';
	imp_list_init(&p->list);
	p->err[0] = '\0';
	p->rc = imp_parse_list(&fmt_plain, "test", body, len, &p->list,
	    &p->st, p->err, sizeof(p->err));
	free(body);
}

#define PARSE_STR(p, s)	parse_text((p), (s), sizeof(s) - 1)

/* Parse tests/data/lists/<rel>, found from $SRCDIR (default "."). */
static void
parse_fixture(struct parsed *p, const char *rel)
{
	const char *dir = getenv("SRCDIR");
	struct fetch_result fr;
	char path[1024], err[256];

	snprintf(path, sizeof(path), "%s/tests/data/lists/%s",
	    dir ? dir : ".", rel);
	if (fetch_file(path, &fr, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	imp_list_init(&p->list);
	p->err[0] = '\0';
	p->rc = imp_parse_list(&fmt_plain, path, fr.body, fr.len, &p->list,
	    &p->st, p->err, sizeof(p->err));
	fetch_result_free(&fr);
}

/* Is prefix s in the list, with reason (NULL: any)? */
static int
has(const struct parsed *p, const char *s, const char *reason)
{
	const struct imp_rec *r;
	struct rp_cidr c;
	const char *txt;
	size_t len;

	if (cidr_parse(s, &c, NULL) != 0)
		fail_msg("bad test prefix %s", s);
	if ((r = imp_list_find(&p->list, &c)) == NULL)
		return 0;
	if (reason == NULL)
		return 1;
	txt = imp_list_reason(&p->list, r, &len);
	return len == strlen(reason) && memcmp(txt, reason, len) == 0;
}

static size_t
count_family(const struct parsed *p, unsigned family)
{
	size_t i, n = 0;

	for (i = 0; i < p->list.n; i++)
		n += p->list.recs[i].prefix.addr.family == family;
	return n;
}

/* A good fixture: parses, nothing rejected, n distinct prefixes. */
static void
expect_list(struct parsed *p, const char *rel, size_t n)
{
	parse_fixture(p, rel);
	if (p->rc != 0)
		fail_msg("%s: %s", rel, p->err);
	assert_int_equal(p->st.rejected, 0);
	assert_int_equal(p->list.n, n);
}

static void
drop_has_1385_prefixes_with_sbl_reasons(void **state)
{
	struct parsed p;

	(void)state;
	expect_list(&p, "spamhaus-drop/drop.txt", 1385);
	assert_int_equal(p.st.accepted, 1385);
	assert_true(has(&p, "1.10.16.0/20", "SBL256894"));
	assert_true(has(&p, "223.254.0.0/16", "SBL212803"));
	assert_int_equal(count_family(&p, RP_AF_INET6), 0);
	imp_list_fini(&p.list);
}

static void
drop_2026_keeps_first_reason_of_duplicate(void **state)
{
	struct parsed p;

	(void)state;
	/* 1699 data lines; 62.60.226.0/24 is listed twice. */
	expect_list(&p, "spamhaus-drop/drop-2026-08-22.txt", 1698);
	assert_int_equal(p.st.accepted, 1699);
	assert_true(has(&p, "62.60.226.0/24", "SBL671779"));
	imp_list_fini(&p.list);
}

static void
edrop_has_289_prefixes(void **state)
{
	struct parsed p;

	(void)state;
	expect_list(&p, "spamhaus-edrop/edrop.txt", 289);
	imp_list_fini(&p.list);
}

static void
retired_edrop_is_a_valid_empty_list(void **state)
{
	struct parsed p;

	(void)state;
	expect_list(&p, "spamhaus-edrop/edrop-retired-2024-10-18.txt", 0);
	assert_int_equal(p.st.lines, 6);
	imp_list_fini(&p.list);
}

static void
dropv6_has_78_ipv6_prefixes(void **state)
{
	struct parsed p;

	(void)state;
	expect_list(&p, "spamhaus-dropv6/dropv6.txt", 78);
	assert_int_equal(count_family(&p, RP_AF_INET6), 78);
	assert_true(has(&p, "2001:678:6c4::/48", "SBL626637"));
	imp_list_fini(&p.list);
}

static void
firehol_netsets_and_ipsets_parse(void **state)
{
	struct parsed p;

	(void)state;
	expect_list(&p, "firehol/firehol_level1.netset", 2511);
	assert_true(has(&p, "0.0.0.0/8", ""));
	assert_true(has(&p, "1.10.16.0/20", ""));
	imp_list_fini(&p.list);
	expect_list(&p, "firehol/stopforumspam_toxic.netset", 47);
	imp_list_fini(&p.list);
	expect_list(&p, "firehol/stopforumspam.ipset", 203676);
	assert_int_equal(count_family(&p, RP_AF_INET), 203676);
	imp_list_fini(&p.list);
}

static void
blocklist_de_mixes_families_without_final_newline(void **state)
{
	struct parsed p;

	(void)state;
	expect_list(&p, "blocklist-de/all.txt", 25961);
	assert_int_equal(count_family(&p, RP_AF_INET6), 471);
	/* The last line has no newline after it. */
	assert_true(has(&p, "176.221.42.32", ""));
	imp_list_fini(&p.list);
}

static void
plain_ipv4_lists_have_their_counts(void **state)
{
	static const struct { const char *rel; size_t n; } lists[] = {
		{ "cins-army/ci-badguys.txt",		15000 },
		{ "et-compromised/compromised-ips.txt",	4634 },
		{ "tor/torbulkexitlist",		1174 },
		{ "psbl/psbl.txt",			19551 },
		{ "firehol/blocklist_net_ua.ipset",	100047 },
	};
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		expect_list(&p, lists[i].rel, lists[i].n);
		assert_int_equal(count_family(&p, RP_AF_INET), lists[i].n);
		imp_list_fini(&p.list);
	}
}

static void
ipsum_count_becomes_the_reason(void **state)
{
	struct parsed p;

	(void)state;
	expect_list(&p, "ipsum/ipsum.txt", 108919);
	assert_true(has(&p, "31.220.1.233/32", "10"));
	imp_list_fini(&p.list);
}

static void
feodo_crlf_list_parses_without_cr_in_reasons(void **state)
{
	struct parsed p;
	size_t i;

	(void)state;
	expect_list(&p, "feodo/ipblocklist_recommended.txt", 244);
	assert_true(has(&p, "8.8.8.8", ""));
	assert_true(has(&p, "97.107.134.115", ""));
	for (i = 0; i < p.list.n; i++)
		assert_int_equal(p.list.recs[i].reason_len, 0);
	imp_list_fini(&p.list);
}

static void
error_bodies_are_not_lists(void **state)
{
	static const char *const bodies[] = {
		"spamhaus-drop/error-body-500-2025-11-18.txt",
		"dshield/error-body-500-2025-11-18.txt",
	};
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		parse_fixture(&p, bodies[i]);
		assert_int_equal(p.rc, -EINVAL);
		assert_int_equal(p.st.rejected, 1);
		assert_non_null(strstr(p.err, "not a list"));
		assert_non_null(strstr(p.err, "bad address 'error'"));
		imp_list_fini(&p.list);
	}
}

static void
html_page_is_refused_by_name(void **state)
{
	struct parsed p;

	(void)state;
	PARSE_STR(&p, "\r\n  <!DOCTYPE html>\n<html><body>Attention "
	    "Required! | Cloudflare</body></html>\n");
	assert_int_equal(p.rc, -EINVAL);
	assert_string_equal(p.err, "HTML page, not a list");
	imp_list_fini(&p.list);
}

static void
empty_and_binary_bodies_are_refused(void **state)
{
	struct parsed p;

	(void)state;
	PARSE_STR(&p, "");
	assert_string_equal(p.err, "empty body");
	PARSE_STR(&p, " \r\n\t\n");
	assert_string_equal(p.err, "empty body");
	PARSE_STR(&p, "192.0.2.1\n\0\0\0\n");
	assert_int_equal(p.rc, -EINVAL);
	assert_string_equal(p.err, "binary data, not a list");
	imp_list_fini(&p.list);
}

static void
more_rejected_than_accepted_is_refused(void **state)
{
	struct parsed p;

	(void)state;
	PARSE_STR(&p, "192.0.2.1\nfoo\nbar\n");
	assert_int_equal(p.rc, -EINVAL);
	assert_int_equal(p.st.accepted, 1);
	assert_int_equal(p.st.rejected, 2);
	imp_list_fini(&p.list);
	/* A few bad lines in a good list are skipped and counted. */
	PARSE_STR(&p, "192.0.2.1\n192.0.2.300\n198.51.100.0/24\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 1);
	assert_int_equal(p.list.n, 2);
	imp_list_fini(&p.list);
}

static void
reasons_follow_whitespace_or_semicolon(void **state)
{
	struct parsed p;

	(void)state;
	PARSE_STR(&p, "192.0.2.1;direct\n192.0.2.2 ; spaced \n"
	    "192.0.2.3\t# hashed\n192.0.2.4   plain words\n"
	    "192.0.2.5 \n  2001:db8::/32\tv6\n");
	assert_int_equal(p.rc, 0);
	assert_true(has(&p, "192.0.2.1", "direct"));
	assert_true(has(&p, "192.0.2.2", "spaced"));
	assert_true(has(&p, "192.0.2.3", "hashed"));
	assert_true(has(&p, "192.0.2.4", "plain words"));
	assert_true(has(&p, "192.0.2.5", ""));
	assert_true(has(&p, "2001:db8::/32", "v6"));
	imp_list_fini(&p.list);
}

static void
host_bits_are_masked_and_ranges_split(void **state)
{
	struct parsed p;

	(void)state;
	PARSE_STR(&p, "10.1.2.3/24 masked\n192.0.2.0-192.0.2.10 r\n"
	    "2001:db8::-2001:db8::1\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 0);
	assert_int_equal(p.st.accepted, 3);
	assert_true(has(&p, "10.1.2.0/24", "masked"));
	assert_true(has(&p, "192.0.2.0/29", "r"));
	assert_true(has(&p, "192.0.2.8/31", "r"));
	assert_true(has(&p, "192.0.2.10/32", "r"));
	assert_true(has(&p, "2001:db8::/127", ""));
	assert_int_equal(p.list.n, 5);
	imp_list_fini(&p.list);
}

static void
list_is_sorted_by_family_address_and_length(void **state)
{
	struct parsed p;
	size_t i;

	(void)state;
	PARSE_STR(&p, "2001:db8::1\n10.0.0.0/16\n10.0.0.0/8\n9.9.9.9\n"
	    "10.0.0.0/8 dup\n::/0\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.list.n, 5);
	for (i = 1; i < p.list.n; i++)
		assert_true(imp_prefix_cmp(&p.list.recs[i - 1].prefix,
		    &p.list.recs[i].prefix) < 0);
	assert_true(has(&p, "10.0.0.0/8", ""));
	assert_int_equal(p.list.recs[0].prefix.addr.bytes[0], 9);
	assert_int_equal(p.list.recs[4].prefix.bits, 128);
	imp_list_fini(&p.list);
}

static void
format_table_finds_plain(void **state)
{
	(void)state;
	assert_ptr_equal(imp_format_find("plain"), &fmt_plain);
	assert_null(imp_format_find("no-such-format"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(drop_has_1385_prefixes_with_sbl_reasons),
		cmocka_unit_test(drop_2026_keeps_first_reason_of_duplicate),
		cmocka_unit_test(edrop_has_289_prefixes),
		cmocka_unit_test(retired_edrop_is_a_valid_empty_list),
		cmocka_unit_test(dropv6_has_78_ipv6_prefixes),
		cmocka_unit_test(firehol_netsets_and_ipsets_parse),
		cmocka_unit_test(
		    blocklist_de_mixes_families_without_final_newline),
		cmocka_unit_test(plain_ipv4_lists_have_their_counts),
		cmocka_unit_test(ipsum_count_becomes_the_reason),
		cmocka_unit_test(feodo_crlf_list_parses_without_cr_in_reasons),
		cmocka_unit_test(error_bodies_are_not_lists),
		cmocka_unit_test(html_page_is_refused_by_name),
		cmocka_unit_test(empty_and_binary_bodies_are_refused),
		cmocka_unit_test(more_rejected_than_accepted_is_refused),
		cmocka_unit_test(reasons_follow_whitespace_or_semicolon),
		cmocka_unit_test(host_bits_are_masked_and_ranges_split),
		cmocka_unit_test(list_is_sorted_by_family_address_and_length),
		cmocka_unit_test(format_table_finds_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
