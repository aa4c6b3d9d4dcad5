/* test_fmt_rbldnsd_acl.c -- rbldnsd acl data (format rbldnsd-acl): each
 * entry's action stored as its code (aclcode.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "aclcode.h"
#include "fmt_test.h"

#define FMT	(&fmt_rbldnsd_acl)

/* The entry for s says action; "always" entries have code a (NULL: the
 * source's, 127.0.0.2) and reason txt (NULL: none). */
static void
expect_acl(const struct parsed *p, const char *s, enum aclcode_action action,
    const char *a, const char *txt)
{
	const struct imp_rec *r = ft_find(p, s);
	struct in_addr in;
	const char *reason;
	size_t len;

	if (r == NULL)
		fail_msg("%s has no entry", s);
	if (aclcode_action_of(r->flags, r->code) != action)
		fail_msg("%s: action %d, not %d", s,
		    (int)aclcode_action_of(r->flags, r->code), (int)action);
	if (action != ACLCODE_ALWAYS)
		return;
	if (a == NULL)
		assert_int_equal(r->flags & STORE_F_CODE, 0);
	else {
		assert_int_equal(inet_aton(a, &in), 1);
		assert_int_equal(r->flags, STORE_F_CODE);
		assert_int_equal(r->code, in.s_addr);
	}
	reason = imp_list_reason(&p->list, r, &len);
	if (txt == NULL)
		assert_int_equal(len, 0);
	else if (len != strlen(txt) || memcmp(reason, txt, len) != 0)
		fail_msg("%s: TXT '%.*s', not '%s'", s, (int)len, reason, txt);
}

static void
every_action_keyword_is_read_in_any_case(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "192.0.2.1 :ignore\n192.0.2.2 :Blackhole\n"
	    "192.0.2.3 :REFUSE\n192.0.2.4 :empty:some words\n"
	    "192.0.2.5 :pass # a comment\n192.0.2.6 =refuse\n"
	    "192.0.2.7:empty\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 0);
	expect_acl(&p, "192.0.2.1", ACLCODE_IGNORE, NULL, NULL);
	expect_acl(&p, "192.0.2.2", ACLCODE_IGNORE, NULL, NULL);
	expect_acl(&p, "192.0.2.3", ACLCODE_REFUSE, NULL, NULL);
	expect_acl(&p, "192.0.2.4", ACLCODE_EMPTY, NULL, NULL);
	expect_acl(&p, "192.0.2.5", ACLCODE_PASS, NULL, NULL);
	expect_acl(&p, "192.0.2.6", ACLCODE_REFUSE, NULL, NULL);
	expect_acl(&p, "192.0.2.7", ACLCODE_EMPTY, NULL, NULL);
	imp_list_fini(&p.list);
}

static void
a_value_lists_every_address_with_it(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "192.0.2.1 :127.0.0.9:listed $ here\n"
	    "192.0.2.2 :5:\n192.0.2.3 :6\n192.0.2.4 blocked, see $$1\n"
	    "192.0.2.5 :127.0.0.2:two\n192.0.2.6 :ignored-not:a keyword\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 1);	/* ":ignored-not" */
	expect_acl(&p, "192.0.2.1", ACLCODE_ALWAYS, "127.0.0.9",
	    "listed $ here");
	expect_acl(&p, "192.0.2.2", ACLCODE_ALWAYS, "127.0.0.5", NULL);
	expect_acl(&p, "192.0.2.3", ACLCODE_ALWAYS, "127.0.0.6", NULL);
	expect_acl(&p, "192.0.2.4", ACLCODE_ALWAYS, NULL, "blocked, see $$1");
	expect_acl(&p, "192.0.2.5", ACLCODE_ALWAYS, NULL, "two");
	imp_list_fini(&p.list);
}

static void
default_lines_hold_to_the_end_of_the_file(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "192.0.2.1\n:refuse\n192.0.2.2 ;why\n"
	    "=empty\n192.0.2.3\n:127.0.0.7:dflt $\n192.0.2.4\n"
	    "192.0.2.5 :8\n192.0.2.6 :pass\n:pass\n192.0.2.7\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 0);
	expect_acl(&p, "192.0.2.1", ACLCODE_IGNORE, NULL, NULL);
	expect_acl(&p, "192.0.2.2", ACLCODE_REFUSE, NULL, NULL);
	expect_acl(&p, "192.0.2.3", ACLCODE_EMPTY, NULL, NULL);
	expect_acl(&p, "192.0.2.4", ACLCODE_ALWAYS, "127.0.0.7", "dflt $");
	expect_acl(&p, "192.0.2.5", ACLCODE_ALWAYS, "127.0.0.8", "dflt $");
	expect_acl(&p, "192.0.2.6", ACLCODE_PASS, NULL, NULL);
	expect_acl(&p, "192.0.2.7", ACLCODE_PASS, NULL, NULL);
	imp_list_fini(&p.list);
}

static void
keys_are_ip4trie_and_ip6trie_keys(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "10/8 :pass\n192.0.2 :empty\n0.0.0.0/0 :refuse\n"
	    "::1 :127.0.0.8:v6 $\n2001:db8:c000/36 :empty\n2001:db8::/32\n"
	    "!192.0.2.9\n192.0.2.10-20 :empty\n10.1.2.3/8 :pass\nnonsense\n");
	assert_int_equal(p.rc, 0);
	/* "!", a range, "nonsense"; 10.1.2.3/8 is 10/8 again: the first
	 * line of a prefix wins. */
	assert_int_equal(p.st.rejected, 3);
	expect_acl(&p, "10.0.0.0/8", ACLCODE_PASS, NULL, NULL);
	expect_acl(&p, "192.0.2.0/24", ACLCODE_EMPTY, NULL, NULL);
	expect_acl(&p, "0.0.0.0/0", ACLCODE_REFUSE, NULL, NULL);
	expect_acl(&p, "::1", ACLCODE_ALWAYS, "127.0.0.8", "v6 $");
	expect_acl(&p, "2001:db8:c000::/36", ACLCODE_EMPTY, NULL, NULL);
	expect_acl(&p, "2001:db8::/32", ACLCODE_IGNORE, NULL, NULL);
	assert_int_equal(ft_count_flag(&p, STORE_F_EXCLUDE), 0);
	imp_list_fini(&p.list);
}

static void
first_line_of_a_prefix_wins(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "192.0.2.1 :refuse\n192.0.2.1 :pass\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.list.n, 1);
	expect_acl(&p, "192.0.2.1", ACLCODE_REFUSE, NULL, NULL);
	imp_list_fini(&p.list);
}

static void
action_codes_are_not_always_values(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "192.0.2.1 :0.0.0.1:x\n192.0.2.2 :0.0.0.3\n"
	    "192.0.2.3 :10.0.0.1:odd but fine\n=nonsense\n192.0.2.4 =bad\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 4);
	assert_null(ft_find(&p, "192.0.2.1"));
	assert_null(ft_find(&p, "192.0.2.2"));
	expect_acl(&p, "192.0.2.3", ACLCODE_ALWAYS, "10.0.0.1", "odd but fine");
	imp_list_fini(&p.list);
}

static void
specials_and_variables_as_in_rbldnsd(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "$SOA 1h ns. hm. 1 1h 1h 1w 1h\n$NS 1h ns1\n"
	    "$TTL 300\n$1 one\n$MAXRANGE4 /16\n10/8 :pass\n"
	    "192.0.2.1 :127.0.0.3:var $1 at $\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 1);	/* the /8; $SOA and $NS warn */
	assert_null(imp_stats_meta(&p.st, "soa"));
	assert_null(imp_stats_meta(&p.st, "ns"));
	ft_expect_meta(&p, "ttl", "300");
	expect_acl(&p, "192.0.2.1", ACLCODE_ALWAYS, "127.0.0.3",
	    "var one at $");
	imp_list_fini(&p.list);
}

static void
combined_data_refuses_an_acl_block(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, &fmt_rbldnsd_combined, "$DATASET ip4set @\n"
	    "192.0.2.1\n$DATASET acl @\n10/8 :refuse\n");
	/* As rbldnsd: "dataset type `acl' cannot be used inside
	 * `combined'", and the whole dataset fails. */
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.err, "test:3:"));
	imp_list_fini(&p.list);
}

static void
stored_codes_read_back_as_actions(void **state)
{
	uint32_t c = htonl(ACLCODE_EMPTY_CODE), l = htonl(0x7f000009);

	(void)state;
	assert_int_equal(aclcode_action_of(STORE_F_CODE, c), ACLCODE_EMPTY);
	assert_int_equal(aclcode_action_of(STORE_F_CODE, l), ACLCODE_ALWAYS);
	assert_int_equal(aclcode_action_of(0, 0), ACLCODE_ALWAYS);
	assert_int_equal(aclcode_action_of(STORE_F_CODE, 0), ACLCODE_ALWAYS);
	assert_int_equal(aclcode_action_of(STORE_F_EXCLUDE, c), ACLCODE_NONE);
	assert_int_equal(aclcode_action_of(STORE_F_CODE, htonl(0x00000077)),
	    ACLCODE_PASS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_action_keyword_is_read_in_any_case),
		cmocka_unit_test(a_value_lists_every_address_with_it),
		cmocka_unit_test(default_lines_hold_to_the_end_of_the_file),
		cmocka_unit_test(keys_are_ip4trie_and_ip6trie_keys),
		cmocka_unit_test(first_line_of_a_prefix_wins),
		cmocka_unit_test(action_codes_are_not_always_values),
		cmocka_unit_test(specials_and_variables_as_in_rbldnsd),
		cmocka_unit_test(combined_data_refuses_an_acl_block),
		cmocka_unit_test(stored_codes_read_back_as_actions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
