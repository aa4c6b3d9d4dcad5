/* test_fmt_rbldnsd.c -- rbldnsd ip4set/ip6tset data files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "fmt_test.h"

#define FMT	(&fmt_rbldnsd)
#define L1	"rbldnsd-uceprotect/dnsbl-1.uceprotect.net"
#define L2	"rbldnsd-uceprotect/dnsbl-2.uceprotect.net"
#define BSC	"rbldnsd-backscatterer/ips.backscatterer.org"

/* The record of s has these flags (and, with STORE_F_CODE, this A). */
static void
expect_flags(const struct parsed *p, const char *s, uint8_t flags,
    const char *a)
{
	const struct imp_rec *r = ft_find(p, s);
	struct in_addr in;

	if (r == NULL)
		fail_msg("%s not listed", s);
	assert_int_equal(r->flags, flags);
	if (a != NULL) {
		assert_int_equal(inet_aton(a, &in), 1);
		assert_int_equal(r->code, in.s_addr);
	}
}

static void
uceprotect_level1_has_50293_ips_test_record_and_4_exclusions(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, L1, 50293 + 1 + 4);
	assert_int_equal(ft_count_flag(&p, STORE_F_EXCLUDE), 4);
	assert_int_equal(ft_count_flag(&p, STORE_F_CODE), 0);
	assert_true(ft_has(&p, "127.0.0.2",
	    "Test Record. UCEPROTECT.NET LEVEL 1 List is active."));
	assert_true(ft_has(&p, "1.1.138.2", "IP $ is UCEPROTECT-Level 1 "
	    "listed. See http://www.uceprotect.net/rblcheck.php?ipr=$"));
	assert_true(ft_has(&p, "99.92.204.98", NULL));
	expect_flags(&p, "10.0.0.0/8", STORE_F_EXCLUDE, NULL);
	expect_flags(&p, "127.0.0.1", STORE_F_EXCLUDE, NULL);
	assert_true(ft_has(&p, "192.168.0.0/16", ""));
	ft_expect_meta(&p, "serial", "2026070618");
	ft_expect_meta(&p, "default-code", "127.0.0.2");
	ft_expect_meta(&p, "exclusions", "4");
	assert_int_equal(p.st.nnotes, 0);
	imp_list_fini(&p.list);
}

static void
uceprotect_level2_has_7849_ranges_with_own_txt(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, FMT, L2, 7849 + 1 + 10733);
	assert_int_equal(ft_count_flag(&p, STORE_F_EXCLUDE), 10733);
	assert_true(ft_has(&p, "1.24.16.0/24", "NET 1.24.16.0/24 is "
	    "UCEPROTECT-Level2 listed because 6 impacts are seen from "
	    "CHINA169-BACKBONE CHINA UNICOM China169 Backbone, CN/AS4837 "
	    "there. See: http://www.uceprotect.net/rblcheck.php?ipr=$"));
	assert_true(ft_has(&p, "192.236.146.0/23", "Net 192.236.146.0/23 is "
	    "UCEPROTECT-Level2 PERMANENT listed -> See: "
	    "http://www.uceprotect.net/rblcheck.php?ipr=$"));
	assert_true(ft_has(&p, "127.0.0.2",
	    "Test Record. UCEPROTECT.NET LEVEL 2 List is active"));
	expect_flags(&p, "1.23.206.170", STORE_F_EXCLUDE, NULL);
	ft_expect_meta(&p, "serial", "2026070518");
	ft_expect_meta(&p, "exclusions", "10733");
	imp_list_fini(&p.list);
}

static void
backscatterer_excludes_127_0_0_1_and_skips_a_bad_line(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_fixture(&p, FMT, BSC);
	assert_int_equal(p.rc, 0);
	/* "168.1=" is not an entry (rbldnsd skips it too). */
	assert_int_equal(p.st.rejected, 1);
	assert_int_equal(p.st.items, 11282 + 1);
	/* 127.0.0.1 is both excluded (line 3) and listed: excluded. */
	assert_int_equal(p.list.n, 11282);
	expect_flags(&p, "127.0.0.1", STORE_F_EXCLUDE, NULL);
	assert_true(ft_has(&p, "127.0.0.2",
	    "Onlinetest - RBL IPS.BACKSCATTERER.ORG is activ"));
	assert_true(ft_has(&p, "98.98.240.47",
	    "Sorry $ is blacklisted at http://www.backscatterer.org/?ip=$"));
	ft_expect_meta(&p, "serial", "2026070718");
	imp_list_fini(&p.list);
}

static void
shorthand_prefixes_and_ranges(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "127.0.0\n10/8\n172.16-31\n"
	    "192.0.2.0-192.0.2.9\n198.51.100.5-6\n203.0.113.7/24\n"
	    "100.64.0.0/10\n127\n1.2.3.4.5\n1.2-1.2.3.4\n9.9.9.9-9.9.9.1\n"
	    "10.0.0.0/0\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 5);
	assert_true(ft_has(&p, "127.0.0.0/24", ""));
	assert_true(ft_has(&p, "10.0.0.0/8", ""));
	assert_true(ft_has(&p, "172.16.0.0/12", ""));	/* 172.16-31 */
	assert_true(ft_has(&p, "192.0.2.0/29", ""));
	assert_true(ft_has(&p, "192.0.2.8/31", ""));
	assert_true(ft_has(&p, "198.51.100.6/32", ""));
	assert_true(ft_has(&p, "198.51.100.5/32", ""));
	assert_true(ft_has(&p, "203.0.113.0/24", ""));
	assert_true(ft_has(&p, "100.64.0.0/10", ""));
	assert_int_equal(p.list.n, 9);
	imp_list_fini(&p.list);
}

static void
values_give_code_and_reason(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "192.0.2.1\n"
	    ":127.0.0.2:Listed $\n"
	    "192.0.2.2\n"
	    "192.0.2.3 :127.0.0.5:Own text\n"
	    "192.0.2.4 :5:\n"
	    "192.0.2.5 :6\n"
	    "192.0.2.6:7:glued\n"
	    "192.0.2.7 # a comment\n"
	    "192.0.2.8;x\n"
	    "192.0.2.9 text with # and ; inside\n"
	    "192.0.2.10 :127.0.0.15 junk\n"
	    "192.0.2.11 :0:zero\n"
	    ":127.0.0.4:\n"
	    "192.0.2.12\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 2);
	expect_flags(&p, "192.0.2.1", 0, NULL);
	assert_true(ft_has(&p, "192.0.2.1", ""));	/* before the default */
	assert_true(ft_has(&p, "192.0.2.2", "Listed $"));
	assert_true(ft_has(&p, "192.0.2.3", "Own text"));
	expect_flags(&p, "192.0.2.3", STORE_F_CODE, "127.0.0.5");
	assert_true(ft_has(&p, "192.0.2.4", ""));
	expect_flags(&p, "192.0.2.4", STORE_F_CODE, "127.0.0.5");
	assert_true(ft_has(&p, "192.0.2.5", "Listed $"));
	expect_flags(&p, "192.0.2.5", STORE_F_CODE, "127.0.0.6");
	assert_true(ft_has(&p, "192.0.2.6", "glued"));
	expect_flags(&p, "192.0.2.6", STORE_F_CODE, "127.0.0.7");
	assert_true(ft_has(&p, "192.0.2.7", "Listed $"));
	assert_true(ft_has(&p, "192.0.2.8", "Listed $"));
	assert_true(ft_has(&p, "192.0.2.9", "text with # and ; inside"));
	/* ":127.0.0.4:" has no TXT: later entries have none. */
	assert_true(ft_has(&p, "192.0.2.12", ""));
	expect_flags(&p, "192.0.2.12", 0, NULL);
	ft_expect_meta(&p, "default-code", "127.0.0.4");
	assert_true(ft_has_note(&p, "default A 127.0.0.4 is not applied"));
	imp_list_fini(&p.list);
}

static void
specials_exclusions_and_ipv6(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "#$SOA 0 z. h. 42 1 1 1 1\n"
	    "$SOA 0 z. h. 43 1 1 1 1\n$NS 3600 ns1.example.\n$TTL 300\n"
	    "$0 var\n:$MAXRANGE4 /16\n"
	    "192.0.2.0/24\n!192.0.2.0/24\n"
	    "2001:20fe:23:41ed\n2001:db8::/32 v6 text\n!2001:db8::1\n"
	    "2001:db8:1::1 :127.0.0.3:x\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 0);
	ft_expect_meta(&p, "serial", "42");
	/* The exclusion wins though it comes second. */
	expect_flags(&p, "192.0.2.0/24", STORE_F_EXCLUDE, NULL);
	assert_true(ft_has(&p, "2001:20fe:23:41ed::/64", ""));
	assert_true(ft_has(&p, "2001:db8::/32", "v6 text"));
	expect_flags(&p, "2001:db8::1", STORE_F_EXCLUDE, NULL);
	expect_flags(&p, "2001:db8:1::1", STORE_F_CODE, "127.0.0.3");
	ft_expect_meta(&p, "exclusions", "2");
	assert_int_equal(p.list.n, 5);
	imp_list_fini(&p.list);
}

static void
latin1_text_passes_through_untouched(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, ":127.0.0.2:\xa9 UCEPROTECT \xfc $\n"
	    "192.0.2.1\n192.0.2.2 Gr\xfc\xdf" "e\n");
	assert_int_equal(p.rc, 0);
	assert_true(ft_has(&p, "192.0.2.1", "\xa9 UCEPROTECT \xfc $"));
	assert_true(ft_has(&p, "192.0.2.2", "Gr\xfc\xdf" "e"));
	imp_list_fini(&p.list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		  uceprotect_level1_has_50293_ips_test_record_and_4_exclusions),
		cmocka_unit_test(
		    uceprotect_level2_has_7849_ranges_with_own_txt),
		cmocka_unit_test(
		    backscatterer_excludes_127_0_0_1_and_skips_a_bad_line),
		cmocka_unit_test(shorthand_prefixes_and_ranges),
		cmocka_unit_test(values_give_code_and_reason),
		cmocka_unit_test(specials_exclusions_and_ipv6),
		cmocka_unit_test(latin1_text_passes_through_untouched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
