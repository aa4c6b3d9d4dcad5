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

/* ---- The dataset types of reputed --rbldnsd --------------------------- */

/* Parse two bodies as one dataset with flags. */
static void
parse_two(struct parsed *p, const struct imp_format *fmt, const char *a,
    const char *b, unsigned flags)
{
	char *ba = strdup(a), *bb = strdup(b);
	struct imp_input in[2] = { { "a", ba, strlen(a) },
	    { "b", bb, strlen(b) } };

	assert_non_null(ba);
	assert_non_null(bb);
	imp_list_init(&p->list);
	p->err[0] = '\0';
	p->rc = imp_parse_list_inputs(fmt, in, 2, flags, &p->list, &p->st,
	    p->err, sizeof(p->err));
	free(ba);
	free(bb);
}

static void
ip4set_entries_become_octet_level_cells(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_rbldnsd_ip4set, "10.2.0.0/20\n10.3.0.0/28\n"
	    "172.16.5.10-12\n10.50.0.0/22\n!10.50.0.0/20\n10.9/9\n");
	assert_int_equal(p.rc, 0);
	assert_true(ft_has(&p, "10.2.15.0/24", ""));
	assert_null(ft_find(&p, "10.2.0.0/20"));
	assert_true(ft_has(&p, "10.3.0.15/32", ""));
	assert_true(ft_has(&p, "172.16.5.12/32", ""));
	assert_null(ft_find(&p, "172.16.5.13/32"));
	/* Within a level an exclusion wins, whatever the lengths were. */
	expect_flags(&p, "10.50.3.0/24", STORE_F_EXCLUDE, NULL);
	assert_true(ft_has(&p, "10.127.0.0/16", ""));
	/* 16 + 16 + 3 + 16 (the /20's exclusions) + 128 /16s */
	assert_int_equal(p.list.n, 16 + 16 + 3 + 16 + 128);
	imp_list_fini(&p.list);
}

static void
ip4set_values_defaults_and_substitutions(void **state)
{
	struct parsed p;

	(void)state;
	parse_two(&p, &fmt_rbldnsd_ip4set,
	    ":127.0.0.3:a $ $1 $$ $5\n192.0.2.1\n192.0.2.2 :2:own\n"
	    "192.0.2.3 :4:\n$1 one $\n192.0.2.9 :9:x\n192.0.2.9 :9:y\n",
	    "192.0.2.4\n!192.0.2.1\n", 0);
	assert_int_equal(p.rc, 0);
	/* "$" stays for the daemon; a variable's own "$" is doubled. */
	assert_true(ft_has(&p, "192.0.2.2", "own"));
	expect_flags(&p, "192.0.2.2", 0, NULL);
	assert_true(ft_has(&p, "192.0.2.3", ""));
	expect_flags(&p, "192.0.2.3", STORE_F_CODE, "127.0.0.4");
	/* The second file starts without the first one's default. */
	assert_true(ft_has(&p, "192.0.2.4", ""));
	expect_flags(&p, "192.0.2.4", 0, NULL);
	/* An exclusion in another file of the dataset still holds. */
	expect_flags(&p, "192.0.2.1", STORE_F_EXCLUDE, NULL);
	/* Both values of one cell: two lines. */
	assert_true(ft_has(&p, "192.0.2.9", "x\ny"));
	imp_list_fini(&p.list);
	FT_PARSE_STR(&p, &fmt_rbldnsd_ip4set, ":3:a $ $1 $$ $5\n192.0.2.1\n"
	    "$1 one $\n");
	assert_true(ft_has(&p, "192.0.2.1", "a $ one $$ $$ $$5"));
	expect_flags(&p, "192.0.2.1", STORE_F_CODE, "127.0.0.3");
	imp_list_fini(&p.list);
}

static void
ip4set_base_template(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_rbldnsd_ip4set, "$= [$=] $\n192.0.2.1 :2:t $1\n"
	    "192.0.2.2 :3:\n192.0.2.3 :3:=raw $\n$= ignored\n");
	assert_int_equal(p.rc, 0);
	assert_true(ft_has(&p, "192.0.2.1", "[t $$1] $"));
	assert_true(ft_has(&p, "192.0.2.2", "[$] $"));
	assert_true(ft_has(&p, "192.0.2.3", "raw $"));
	imp_list_fini(&p.list);
}

static void
strict_cidr_skips_host_bits(void **state)
{
	struct parsed p;

	(void)state;
	parse_two(&p, &fmt_rbldnsd_ip4trie, "10.1.2.3/24\n10.0.0.0/8\n",
	    "2001:db8::1/64\n", IMP_F_STRICT_CIDR);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 2);
	assert_int_equal(p.list.n, 1);
	imp_list_fini(&p.list);
	parse_two(&p, &fmt_rbldnsd_ip4trie, "10.1.2.3/24\n", "0/0\n", 0);
	assert_int_equal(p.st.rejected, 0);
	assert_true(ft_has(&p, "10.1.2.0/24", ""));
	assert_true(ft_has(&p, "0.0.0.0/0", ""));
	imp_list_fini(&p.list);
}

static void
tries_keep_the_first_line_of_a_prefix(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_rbldnsd_ip4trie, "10.1.0.0/16 :3:first\n"
	    "!10.1.0.0/16\n10.1.0.0/16 :4:second\n10.2.3.4-10.2.3.5\n"
	    "10.3\n10\n");
	assert_int_equal(p.rc, 0);
	assert_true(ft_has(&p, "10.1.0.0/16", "first"));
	expect_flags(&p, "10.1.0.0/16", STORE_F_CODE, "127.0.0.3");
	assert_true(ft_has(&p, "10.3.0.0/16", ""));
	assert_int_equal(p.st.rejected, 2);	/* a range, a bare octet */
	imp_list_fini(&p.list);
}

static void
tsets_have_one_value_and_whole_keys(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_rbldnsd_ip4tset, "192.0.2.1 :5:ignored\n"
	    "!192.0.2.1\n192.0.2\n:127.0.0.6:later $\n:7:second\n192.0.2.2\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 2);
	assert_true(ft_has(&p, "192.0.2.1", "later $"));
	expect_flags(&p, "192.0.2.1", STORE_F_CODE, "127.0.0.6");
	assert_true(ft_has(&p, "192.0.2.2", "later $"));
	imp_list_fini(&p.list);
	FT_PARSE_STR(&p, &fmt_rbldnsd_ip6tset, "2001:db8:10:1\n"
	    "!2001:db8:10:1::2\n!2001:db8:10:1:0:0:0:3\n2001:db8:10::/64\n"
	    "2001:db8:10:2::\n::1\n");
	assert_int_equal(p.st.rejected, 3);
	assert_true(ft_has(&p, "2001:db8:10:1::/64", ""));
	expect_flags(&p, "2001:db8:10:1::3", STORE_F_EXCLUDE, NULL);
	imp_list_fini(&p.list);
}

static void
ip6trie_word_prefixes(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_rbldnsd_ip6trie, "2001:db8:c000/36\n"
	    "2001:db8:def7:4242\n2001:db8::1\n2001:db8:ab00::/61 :5:x\n"
	    "2001\n::1 :6:\n:127.0.0.7:\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 1);
	assert_true(ft_has(&p, "2001:db8:c000::/36", ""));
	assert_true(ft_has(&p, "2001:db8:def7:4242::/64", ""));
	assert_true(ft_has(&p, "2001:db8::1/128", ""));
	assert_true(ft_has(&p, "2001:db8:ab00::/61", "x"));
	expect_flags(&p, "::1", STORE_F_CODE, "127.0.0.6");
	imp_list_fini(&p.list);
}

static void
specials_become_metadata(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_rbldnsd_ip4set,
	    "$SOA 1h ns1.example. hm.example. 42 2h 10m 1w 5m\n"
	    "$SOA 0 no. no. 1 1 1 1 1\n:$NS 1d ns1.example -ns2 ns3.example.\n"
	    "$TTL 30m\n#$TTL 45m\n$MAXRANGE4 /16\n10.0.0.0/8\n10.1.0.0/16\n"
	    "$FOO bar\n");
	assert_int_equal(p.rc, 0);
	ft_expect_meta(&p, "soa", "3600 ns1.example hm.example 42 7200 600 "
	    "604800 300");
	ft_expect_meta(&p, "serial", "42");
	ft_expect_meta(&p, "ns", "86400 ns1.example ns3.example");
	ft_expect_meta(&p, "ttl", "2700");
	assert_int_equal(p.st.rejected, 1);	/* larger than /16 */
	assert_int_equal(p.list.n, 1);
	imp_list_fini(&p.list);
}

static void
dataset_files_may_be_empty_or_all_bad(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_rbldnsd_ip4set, "\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.list.n, 0);
	imp_list_fini(&p.list);
	FT_PARSE_STR(&p, &fmt_rbldnsd_ip4tset, "10/8\n10.1\n");
	assert_int_equal(p.rc, 0);
	imp_list_fini(&p.list);
	FT_PARSE_STR(&p, FMT, "10/8x\n10.1x\n");
	assert_int_not_equal(p.rc, 0);	/* a list that is not one */
	imp_list_fini(&p.list);
}

/* Combined data, part by part (reputed-import --part N). */
static void
parse_part(struct parsed *p, const char *text, unsigned part)
{
	char *body = strdup(text);
	struct imp_input in = { "c", body, strlen(text) };

	assert_non_null(body);
	imp_list_init(&p->list);
	p->err[0] = '\0';
	p->rc = imp_parse_list_inputs(&fmt_rbldnsd_combined, &in, 1,
	    IMP_F_STRICT_CIDR | part << IMP_F_PART_SHIFT, &p->list, &p->st,
	    p->err, sizeof(p->err));
	free(body);
}

#define COMBINED \
	"$SOA 1h ns.c. hm.c. 5 1h 15m 1w 10m\n$TTL 20m\n$1 common\n" \
	"$DATASET ip4set @\n:127.0.0.2:set $ $1\n10.0.0.0/22\n" \
	"!10.0.0.0/20\n192.0.2.1\n" \
	"$DATASET ip4trie:lbl sub1 Deep.Sub2\n$TTL 10m\n$2 two\n" \
	"10.0.0.0/8 :3:trie $2\n10.0.0.0/8 :4:second\n" \
	"$DATASET ip4tset t\n192.0.2.7\n:127.0.0.8:tset\n" \
	"$NS 1h ns1.c\n"

static void
combined_part0_lists_the_blocks(void **state)
{
	struct parsed p;

	(void)state;
	parse_part(&p, COMBINED, 0);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.list.n, 0);
	ft_expect_meta(&p, "datasets",
	    "ip4set @;ip4trie:lbl sub1 Deep.Sub2;ip4tset t");
	ft_expect_meta(&p, "soa", "3600 ns.c hm.c 5 3600 900 604800 600");
	ft_expect_meta(&p, "ns", "3600 ns1.c");
	ft_expect_meta(&p, "ttl", "1200");
	imp_list_fini(&p.list);
}

static void
combined_parts_are_read_by_their_type(void **state)
{
	struct parsed p;

	(void)state;
	parse_part(&p, COMBINED, 1);
	assert_int_equal(p.rc, 0);
	/* ip4set: cells, the level's exclusion wins. */
	expect_flags(&p, "10.0.3.0/24", STORE_F_EXCLUDE, NULL);
	assert_true(ft_has(&p, "192.0.2.1", "set $ common"));
	ft_expect_meta(&p, "ttl", "1200");
	imp_list_fini(&p.list);
	parse_part(&p, COMBINED, 2);
	assert_int_equal(p.rc, 0);
	/* ip4trie: the first line of a prefix stays. */
	assert_int_equal(p.list.n, 1);
	assert_true(ft_has(&p, "10.0.0.0/8", "trie two"));
	ft_expect_meta(&p, "ttl", "600");
	imp_list_fini(&p.list);
	parse_part(&p, COMBINED, 3);
	assert_true(ft_has(&p, "192.0.2.7", "tset"));
	expect_flags(&p, "192.0.2.7", STORE_F_CODE, "127.0.0.8");
	imp_list_fini(&p.list);
	parse_part(&p, COMBINED, 4);
	assert_int_not_equal(p.rc, 0);		/* no such block */
	imp_list_fini(&p.list);
}

static void
combined_refuses_what_it_cannot_serve(void **state)
{
	struct parsed p;

	(void)state;
	parse_part(&p, "10.0.0.1\n$DATASET ip4set @\n", 0);
	assert_int_not_equal(p.rc, 0);		/* data before $DATASET */
	imp_list_fini(&p.list);
	parse_part(&p, "$DATASET nosuchtype @\nexample.com\n", 0);
	assert_int_not_equal(p.rc, 0);
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
		cmocka_unit_test(ip4set_entries_become_octet_level_cells),
		cmocka_unit_test(ip4set_values_defaults_and_substitutions),
		cmocka_unit_test(ip4set_base_template),
		cmocka_unit_test(strict_cidr_skips_host_bits),
		cmocka_unit_test(tries_keep_the_first_line_of_a_prefix),
		cmocka_unit_test(tsets_have_one_value_and_whole_keys),
		cmocka_unit_test(ip6trie_word_prefixes),
		cmocka_unit_test(specials_become_metadata),
		cmocka_unit_test(dataset_files_may_be_empty_or_all_bad),
		cmocka_unit_test(combined_part0_lists_the_blocks),
		cmocka_unit_test(combined_parts_are_read_by_their_type),
		cmocka_unit_test(combined_refuses_what_it_cannot_serve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
