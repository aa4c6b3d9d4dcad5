/* test_cidr.c -- address, prefix and range parsing and arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cidr.h"

static const char *
str(const struct rp_cidr *c)
{
	static char buf[RP_CIDR_STRLEN];

	return cidr_str(c, buf);
}

static void
cidr_parses_v4_prefix(void **state)
{
	struct rp_cidr c;
	int host;

	(void)state;
	assert_int_equal(cidr_parse("192.0.2.0/24", &c, &host), 0);
	assert_int_equal(c.addr.family, RP_AF_INET);
	assert_int_equal(c.bits, 24);
	assert_int_equal(host, 0);
	assert_string_equal(str(&c), "192.0.2.0/24");
	assert_int_equal(cidr_parse("192.0.2.7", &c, &host), 0);
	assert_int_equal(c.bits, 32);
	assert_int_equal(cidr_parse("0.0.0.0/0", &c, NULL), 0);
	assert_int_equal(c.bits, 0);
}

static void
cidr_masks_host_bits_and_says_so(void **state)
{
	struct rp_cidr c;
	int host;

	(void)state;
	assert_int_equal(cidr_parse("10.1.2.3/8", &c, &host), 0);
	assert_int_equal(host, 1);
	assert_string_equal(str(&c), "10.0.0.0/8");
	assert_int_equal(cidr_parse("2001:db8::1/32", &c, &host), 0);
	assert_int_equal(host, 1);
	assert_string_equal(str(&c), "2001:db8::/32");
}

static void
cidr_parses_v6_limits(void **state)
{
	struct rp_cidr c;

	(void)state;
	assert_int_equal(cidr_parse("::/0", &c, NULL), 0);
	assert_int_equal(c.addr.family, RP_AF_INET6);
	assert_int_equal(c.bits, 0);
	assert_int_equal(cidr_parse("2001:db8::1", &c, NULL), 0);
	assert_int_equal(c.bits, 128);
	assert_int_equal(cidr_parse("::ffff:127.0.0.2", &c, NULL), 0);
	assert_int_equal(c.addr.family, RP_AF_INET6);
}

static void
cidr_rejects_garbage(void **state)
{
	static const char *bad[] = { "", "1.2.3", "1.2.3.4/33", "1.2.3.4/",
	    "1.2.3.4/-1", "1.2.3.4/8x", "256.1.1.1", "::/129", "1.2.3.4 ",
	    "error code: 500", "<html>", "1.2.3.4/0008", "2001:db8:::1",
	    NULL };
	struct rp_cidr c;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		if (cidr_parse(bad[i], &c, NULL) == 0)
			fail_msg("accepted '%s'", bad[i]);
}

static void
cidr_range_parses_and_orders(void **state)
{
	struct rp_addr lo, hi;

	(void)state;
	assert_int_equal(cidr_parse_range("192.0.2.0-192.0.2.255", &lo, &hi),
	    0);
	assert_int_equal(cidr_parse_range("192.0.2.9-192.0.2.1", &lo, &hi),
	    -22);
	assert_int_equal(cidr_parse_range("192.0.2.0-2001:db8::", &lo, &hi),
	    -22);
	assert_int_equal(cidr_parse_range("192.0.2.0", &lo, &hi), -22);
}

struct split {
	char	out[64][RP_CIDR_STRLEN];
	size_t	n;
};

static int
collect(const struct rp_cidr *c, void *arg)
{
	struct split *s = arg;

	cidr_str(c, s->out[s->n++]);
	return 0;
}

static void
split_range(const char *range, struct split *s)
{
	struct rp_addr lo, hi;

	memset(s, 0, sizeof(*s));
	assert_int_equal(cidr_parse_range(range, &lo, &hi), 0);
	assert_int_equal(cidr_range_split(&lo, &hi, collect, s), 0);
}

static void
cidr_range_splits_into_minimal_prefixes(void **state)
{
	struct split s;

	(void)state;
	split_range("192.0.2.0-192.0.2.255", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.out[0], "192.0.2.0/24");
	split_range("192.0.2.1-192.0.2.6", &s);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.out[0], "192.0.2.1/32");
	assert_string_equal(s.out[1], "192.0.2.2/31");
	assert_string_equal(s.out[2], "192.0.2.4/31");
	assert_string_equal(s.out[3], "192.0.2.6/32");
	split_range("0.0.0.0-255.255.255.255", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.out[0], "0.0.0.0/0");
	split_range("255.255.255.255-255.255.255.255", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.out[0], "255.255.255.255/32");
	split_range("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.out[0], "::/0");
	split_range("2001:db8::-2001:db8::2", &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.out[0], "2001:db8::/127");
	assert_string_equal(s.out[1], "2001:db8::2/128");
}

static void
cidr_contains_first_last_next(void **state)
{
	struct rp_cidr c;
	struct rp_addr a, b;

	(void)state;
	assert_int_equal(cidr_parse("10.16.0.0/12", &c, NULL), 0);
	cidr_first(&c, &a);
	cidr_last(&c, &b);
	assert_true(cidr_contains(&c, &a));
	assert_true(cidr_contains(&c, &b));
	assert_int_equal(cidr_addr_next(&b), 0);
	assert_false(cidr_contains(&c, &b));
	assert_int_equal(cidr_parse_addr("255.255.255.255", &a), 0);
	assert_int_not_equal(cidr_addr_next(&a), 0);
	assert_int_equal(cidr_parse_addr("10.16.0.1", &a), 0);
	assert_int_equal(cidr_parse_addr("::a10:1", &b), 0);
	assert_false(cidr_contains(&c, &b));	/* other family */
	assert_true(cidr_addr_cmp(&a, &b) < 0);	/* IPv4 first */
}

static void
cidr_parses_and_prints_asn(void **state)
{
	struct rp_cidr c;

	(void)state;
	assert_int_equal(cidr_parse_asn("AS932", &c), 0);
	assert_int_equal(c.addr.family, RP_AF_ASN);
	assert_int_equal(c.bits, 32);
	assert_string_equal(str(&c), "AS932");
	assert_int_equal(cidr_parse_asn("as4294967295", &c), 0);
	assert_string_equal(str(&c), "AS4294967295");
	assert_int_not_equal(cidr_parse_asn("AS4294967296", &c), 0);
	assert_int_not_equal(cidr_parse_asn("AS", &c), 0);
	assert_int_not_equal(cidr_parse_asn("932", &c), 0);
	assert_int_not_equal(cidr_parse_asn("AS-1", &c), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cidr_parses_v4_prefix),
		cmocka_unit_test(cidr_masks_host_bits_and_says_so),
		cmocka_unit_test(cidr_parses_v6_limits),
		cmocka_unit_test(cidr_rejects_garbage),
		cmocka_unit_test(cidr_range_parses_and_orders),
		cmocka_unit_test(cidr_range_splits_into_minimal_prefixes),
		cmocka_unit_test(cidr_contains_first_last_next),
		cmocka_unit_test(cidr_parses_and_prints_asn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
