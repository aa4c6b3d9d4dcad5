/* test_answer.c -- zone answers: codes, order, dedup, TXT, exclusions and
 * the RFC 5782 test points, over a real store and configuration. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "cidr.h"
#include "config.h"
#include "store.h"

#include "fixture_store.h"

/*
 * Sources a, b, c, d are configured; "old" is only in the store. Zone
 * "ba" answers from b then a, "a" from a alone, "acd" from a, c and d
 * (c and d share a fixed TXT, a and c share a code).
 */
static const char conf_text[] =
"[server]\n"
"database = db\n"
"[source a]\n"
"code = 127.0.0.2\n"
"txt = A $source: $reason $ip\n"
"[source b]\n"
"code = 127.0.0.3\n"
"txt = B $reason\n"
"[source c]\n"
"code = 127.0.0.2\n"
"txt = Listed\n"
"[source d]\n"
"code = 127.0.0.4\n"
"txt = Listed\n"
"[zone ba.test]\n"
"sources = b a\n"
"[zone a.test]\n"
"sources = a\n"
"[zone acd.test]\n"
"sources = a c d\n";

struct fixture {
	char		 dir[64];
	struct cfg	*cfg;
	struct store	*st;
	struct answer	 ans;
};

static void
fill_store(struct store_txn *t)
{
	char longer[400];

	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	fs_put(t, "old", "203.0.113.0/24", "gone", 0, 0);
	fs_put(t, "a", "192.0.2.0/24", "wide", 0, 0);
	fs_put(t, "a", "192.0.2.128/25", "narrow", 0, 0);
	fs_put(t, "a", "!192.0.2.64/26", "customer", STORE_F_MANUAL, 0);
	fs_put(t, "a", "2001:db8::/32", "v6", 0, 0);
	fs_put(t, "a", "127.0.0.0/8", "loopback", 0, 0);
	fs_put(t, "a", "::ffff:0:0/96", "mapped", 0, 0);
	fs_put(t, "a", "198.51.100.7", longer, 0, 0);
	fs_put(t, "b", "192.0.2.0/24", "bee", STORE_F_CODE, htonl(0x7f000009));
	fs_put(t, "c", "192.0.2.0/24", "sea", 0, 0);
	fs_put(t, "d", "192.0.2.0/24", "dee", 0, 0);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_answer.XXXXXX");
	fs_open(f->dir, conf_text, fill_store, &f->cfg, &f->st);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	fs_close(f->dir, f->cfg, f->st);
	free(f);
	return 0;
}

/* Look addr up in zone; return the codes as "127.0.0.2 127.0.0.3". */
static const char *
codes(struct fixture *f, const char *zone, const char *addr)
{
	static char out[256];
	char buf[INET_ADDRSTRLEN];
	const struct cfg_zone *z = cfg_zone_find(f->cfg, zone);
	struct answer_ctx ctx;
	struct store_txn *t;
	struct rp_addr a;
	size_t i, len = 0;

	assert_non_null(z);
	assert_int_equal(cidr_parse_addr(addr, &a), 0);
	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	answer_ctx_init(&ctx, f->cfg);
	assert_int_equal(answer_lookup(&ctx, t, z, &a, &f->ans), 0);
	answer_ctx_fini(&ctx);
	store_txn_abort(t);
	out[0] = '\0';
	for (i = 0; i < f->ans.ncodes; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s",
		    i ? " " : "", inet_ntop(AF_INET, &f->ans.codes[i], buf,
		    sizeof(buf)));
	return out;
}

static void
answer_lists_in_zone_source_order(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(codes(f, "ba.test", "192.0.2.200"),
	    "127.0.0.9 127.0.0.2");
	assert_int_equal(f->ans.ntxt, 2);
	assert_string_equal(f->ans.txt[0], "B bee");
	assert_string_equal(f->ans.txt[1], "A a: narrow 192.0.2.200");
	assert_int_equal(f->ans.nsources, 2);
	assert_string_equal(f->ans.sources[0].src->name, "b");
	assert_string_equal(f->ans.sources[1].src->name, "a");
	assert_int_equal(f->ans.sources[1].prefix.bits, 25);
	assert_int_equal(f->ans.test_point, 0);
}

static void
answer_uses_entry_code_only_when_flagged(void **state)
{
	struct fixture *f = *state;

	/* b's entry carries its own code; a's falls back to the source's. */
	assert_string_equal(codes(f, "ba.test", "192.0.2.1"),
	    "127.0.0.9 127.0.0.2");
	assert_int_equal(f->ans.sources[0].flags & STORE_F_CODE,
	    STORE_F_CODE);
}

static void
answer_dedups_codes_and_txt(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(codes(f, "acd.test", "192.0.2.10"),
	    "127.0.0.2 127.0.0.4");
	assert_int_equal(f->ans.nsources, 3);
	assert_int_equal(f->ans.ntxt, 2);
	assert_string_equal(f->ans.txt[0], "A a: wide 192.0.2.10");
	assert_string_equal(f->ans.txt[1], "Listed");
}

static void
answer_exclusion_hides_only_its_source(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(codes(f, "a.test", "192.0.2.70"), "");
	assert_int_equal(f->ans.ntxt, 0);
	assert_int_equal(f->ans.nsources, 0);
	assert_string_equal(codes(f, "ba.test", "192.0.2.70"), "127.0.0.9");
	assert_int_equal(f->ans.ntxt, 1);
	assert_string_equal(f->ans.txt[0], "B bee");
}

static void
answer_ignores_sources_outside_the_zone(void **state)
{
	struct fixture *f = *state;

	/* b, c and d list it, a excludes it: a.test answers from a. */
	assert_string_equal(codes(f, "a.test", "192.0.2.70"), "");
	/* Only "old" lists it, and no zone (nor the config) has "old". */
	assert_string_equal(codes(f, "a.test", "203.0.113.1"), "");
	assert_string_equal(codes(f, "ba.test", "203.0.113.1"), "");
	assert_string_equal(codes(f, "acd.test", "203.0.113.1"), "");
	assert_string_equal(codes(f, "a.test", "192.0.3.1"), "");
}

static void
answer_expands_ipv6(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(codes(f, "a.test", "2001:db8::1"), "127.0.0.2");
	assert_string_equal(f->ans.txt[0], "A a: v6 2001:db8::1");
	assert_string_equal(codes(f, "a.test", "2001:db9::1"), "");
}

static void
answer_test_points_ignore_data(void **state)
{
	struct fixture *f = *state;

	/* a lists 127.0.0.0/8 and ::ffff:0:0/96, which must not show. */
	assert_string_equal(codes(f, "acd.test", "127.0.0.2"), "127.0.0.2");
	assert_int_equal(f->ans.test_point, 1);
	assert_int_equal(f->ans.ntxt, 1);
	assert_string_equal(f->ans.txt[0], ANSWER_TEST_TXT);
	assert_int_equal(f->ans.nsources, 0);
	assert_string_equal(codes(f, "ba.test", "::ffff:7f00:2"),
	    "127.0.0.2");
	assert_string_equal(f->ans.txt[0], ANSWER_TEST_TXT);
	assert_string_equal(codes(f, "a.test", "127.0.0.1"), "");
	assert_int_equal(f->ans.ntxt, 0);
	assert_string_equal(codes(f, "a.test", "::ffff:7f00:1"), "");
	/* Other loopback addresses are ordinary data. */
	assert_string_equal(codes(f, "a.test", "127.0.0.3"), "127.0.0.2");
	assert_string_equal(f->ans.txt[0], "A a: loopback 127.0.0.3");
}

static void
answer_cuts_txt_to_one_string(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(codes(f, "a.test", "198.51.100.7"), "127.0.0.2");
	assert_int_equal(strlen(f->ans.txt[0]), ANSWER_TXT_LEN - 1);
	assert_memory_equal(f->ans.txt[0], "A a: xxx", 8);
}

static void
answer_ctx_serves_many_transactions(void **state)
{
	struct fixture *f = *state;
	const struct cfg_zone *z = cfg_zone_find(f->cfg, "ba.test");
	struct answer_ctx ctx;
	struct store_txn *t;
	struct rp_addr a;
	int i;

	assert_int_equal(cidr_parse_addr("192.0.2.200", &a), 0);
	answer_ctx_init(&ctx, f->cfg);
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
		assert_int_equal(answer_lookup(&ctx, t, z, &a, &f->ans), 0);
		store_txn_abort(t);
		assert_int_equal(f->ans.ncodes, 2);
	}
	answer_ctx_fini(&ctx);
	answer_ctx_fini(&ctx);		/* twice is harmless */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answer_lists_in_zone_source_order),
		cmocka_unit_test(answer_uses_entry_code_only_when_flagged),
		cmocka_unit_test(answer_dedups_codes_and_txt),
		cmocka_unit_test(answer_exclusion_hides_only_its_source),
		cmocka_unit_test(answer_ignores_sources_outside_the_zone),
		cmocka_unit_test(answer_expands_ipv6),
		cmocka_unit_test(answer_test_points_ignore_data),
		cmocka_unit_test(answer_cuts_txt_to_one_string),
		cmocka_unit_test(answer_ctx_serves_many_transactions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
