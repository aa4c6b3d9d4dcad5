/* test_rrl.c -- response rate limiting: the rate, the burst, slip, what
 * makes two answers alike (client prefix, name, type, kind), exemption,
 * the slipped answer's form, counters and reconfiguration. Time is
 * passed in, so nothing here sleeps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rrl.h"

#define T0	1000000		/* some ms clock reading */

/* An answer to name (dotted) of qtype with rcode and ancount answer
 * bytes after the question (their content does not matter). */
static size_t
answer(uint8_t *buf, const char *name, unsigned qtype, unsigned rcode,
    unsigned ancount)
{
	size_t n = 12, l;
	const char *dot;

	memset(buf, 0, 12);
	buf[0] = 0xab;
	buf[2] = 0x84;		/* QR, AA */
	buf[3] = (uint8_t)rcode;
	buf[5] = 1;
	buf[7] = (uint8_t)ancount;
	while (*name != '\0') {
		dot = strchr(name, '.');
		l = dot != NULL ? (size_t)(dot - name) : strlen(name);
		buf[n++] = (uint8_t)l;
		memcpy(buf + n, name, l);
		n += l;
		name += l + (dot != NULL);
	}
	buf[n++] = 0;
	buf[n++] = (uint8_t)(qtype >> 8);
	buf[n++] = (uint8_t)qtype;
	buf[n++] = 0;
	buf[n++] = 1;
	memset(buf + n, 0x55, 16 * ancount);
	return n + 16 * ancount;
}

static struct rp_addr
addr(const char *s)
{
	struct rp_addr a;

	assert_int_equal(cidr_parse_addr(s, &a), 0);
	return a;
}

/* A limiter of rate and slip; exempt is a list of prefixes or NULL. */
static struct rrl *
limiter(unsigned rate, unsigned slip, const char *exempt)
{
	struct cfg_server cs;
	struct rp_cidr c;
	struct rrl *rrl;

	memset(&cs, 0, sizeof(cs));
	cs.rate_limit = rate;
	cs.rate_limit_slip = slip;
	if (exempt != NULL) {
		assert_int_equal(cidr_parse(exempt, &c, NULL), 0);
		cs.rate_limit_exempt.v = &c;
		cs.rate_limit_exempt.n = 1;
	}
	assert_int_equal(rrl_new(&rrl, &cs), 0);
	return rrl;
}

/* Of n identical answers at now, how many may be sent. */
static unsigned
sent(struct rrl *rrl, const char *client, const uint8_t *a, size_t len,
    unsigned n, uint64_t now)
{
	struct rp_addr c = addr(client);
	unsigned ok = 0;

	while (n-- > 0)
		ok += rrl_check(rrl, &c, a, len, now) == RRL_SEND;
	return ok;
}

static void
rrl_sends_a_burst_then_rate_a_second(void **state)
{
	uint8_t a[512];
	size_t len = answer(a, "2.0.0.127.bl.test", 1, 0, 1);
	struct rrl *rrl = limiter(5, 0, NULL);

	(void)state;
	assert_int_equal(sent(rrl, "192.0.2.1", a, len, 20, T0), 5);
	/* 200 ms earn one token (5 a second), a full second five. */
	assert_int_equal(sent(rrl, "192.0.2.1", a, len, 20, T0 + 200), 1);
	assert_int_equal(sent(rrl, "192.0.2.1", a, len, 20, T0 + 1200), 5);
	/* Idle for long: the saved tokens stop at one second's worth. */
	assert_int_equal(sent(rrl, "192.0.2.1", a, len, 20, T0 + 60000), 5);
	/* A steady flood: 5 a second, over 10 seconds. */
	{
		unsigned ms, ok = 0;

		for (ms = 1; ms <= 10000; ms += 10)
			ok += sent(rrl, "192.0.2.1", a, len, 3,
			    T0 + 60000 + ms);
		assert_true(ok >= 49 && ok <= 51);
	}
	rrl_free(rrl);
}

static void
rrl_slips_every_nth_dropped_answer(void **state)
{
	uint8_t a[512];
	size_t len = answer(a, "2.0.0.127.bl.test", 16, 0, 1);
	struct rp_addr c = addr("198.51.100.1");
	struct rrl *rrl = limiter(1, 2, NULL), *always, *never;
	int i;

	(void)state;
	assert_int_equal(rrl_check(rrl, &c, a, len, T0), RRL_SEND);
	assert_int_equal(rrl_check(rrl, &c, a, len, T0), RRL_DROP);
	assert_int_equal(rrl_check(rrl, &c, a, len, T0), RRL_SLIP);
	assert_int_equal(rrl_check(rrl, &c, a, len, T0), RRL_DROP);
	assert_int_equal(rrl_check(rrl, &c, a, len, T0), RRL_SLIP);
	assert_int_equal(rrl_stats(rrl)->rate_limited_dropped, 2);
	assert_int_equal(rrl_stats(rrl)->rate_limited_slipped, 2);
	assert_int_equal(rrl_stats(rrl)->checked, 5);
	always = limiter(1, 1, NULL);
	never = limiter(1, 0, NULL);
	rrl_check(always, &c, a, len, T0);
	rrl_check(never, &c, a, len, T0);
	for (i = 0; i < 10; i++) {
		assert_int_equal(rrl_check(always, &c, a, len, T0), RRL_SLIP);
		assert_int_equal(rrl_check(never, &c, a, len, T0), RRL_DROP);
	}
	rrl_free(rrl);
	rrl_free(always);
	rrl_free(never);
}

static void
rrl_counts_ipv4_per_24_and_ipv6_per_56(void **state)
{
	uint8_t a[512];
	size_t len = answer(a, "bl.test", 6, 0, 1);
	struct rrl *rrl = limiter(2, 0, NULL);

	(void)state;
	assert_int_equal(sent(rrl, "192.0.2.1", a, len, 5, T0), 2);
	assert_int_equal(sent(rrl, "192.0.2.250", a, len, 5, T0), 0);
	assert_int_equal(sent(rrl, "192.0.3.1", a, len, 5, T0), 2);
	assert_int_equal(sent(rrl, "2001:db8:0:ff::1", a, len, 5, T0), 2);
	assert_int_equal(sent(rrl, "2001:db8:0:1::2", a, len, 5, T0), 0);
	assert_int_equal(sent(rrl, "2001:db8:0:100::1", a, len, 5, T0), 2);
	rrl_free(rrl);
}

static void
rrl_tells_answers_apart_by_name_type_and_kind(void **state)
{
	uint8_t a[512], b[512];
	size_t la, lb;
	struct rrl *rrl = limiter(1, 0, NULL);

	(void)state;
	la = answer(a, "2.0.0.127.bl.test", 1, 0, 1);
	assert_int_equal(sent(rrl, "192.0.2.1", a, la, 3, T0), 1);
	/* Case does not make a name another. */
	lb = answer(b, "2.0.0.127.BL.Test", 1, 0, 1);
	assert_int_equal(sent(rrl, "192.0.2.1", b, lb, 3, T0), 0);
	/* Another type, another name, another kind: their own buckets. */
	lb = answer(b, "2.0.0.127.bl.test", 16, 0, 1);
	assert_int_equal(sent(rrl, "192.0.2.1", b, lb, 3, T0), 1);
	lb = answer(b, "3.0.0.127.bl.test", 1, 0, 1);
	assert_int_equal(sent(rrl, "192.0.2.1", b, lb, 3, T0), 1);
	lb = answer(b, "2.0.0.127.bl.test", 1, 0, 0);	/* NODATA */
	assert_int_equal(sent(rrl, "192.0.2.1", b, lb, 3, T0), 1);
	/* NXDOMAIN is per name: a DNSBL's usual "not listed" answer. */
	lb = answer(b, "9.0.0.127.bl.test", 1, 3, 0);
	assert_int_equal(sent(rrl, "192.0.2.1", b, lb, 3, T0), 1);
	lb = answer(b, "8.0.0.127.bl.test", 1, 3, 0);
	assert_int_equal(sent(rrl, "192.0.2.1", b, lb, 3, T0), 1);
	/* REFUSED (and errors) share one bucket whatever the name. */
	lb = answer(b, "a.example", 1, 5, 0);
	assert_int_equal(sent(rrl, "192.0.2.1", b, lb, 3, T0), 1);
	lb = answer(b, "b.example", 1, 5, 0);
	assert_int_equal(sent(rrl, "192.0.2.1", b, lb, 3, T0), 0);
	lb = answer(b, "c.example", 1, 2, 0);		/* SERVFAIL */
	assert_int_equal(sent(rrl, "192.0.2.1", b, lb, 3, T0), 1);
	lb = answer(b, "d.example", 1, 4, 0);		/* NOTIMP */
	assert_int_equal(sent(rrl, "192.0.2.1", b, lb, 3, T0), 0);
	rrl_free(rrl);
}

static void
rrl_spares_exempt_clients_and_stops_at_zero(void **state)
{
	uint8_t a[512];
	size_t len = answer(a, "bl.test", 6, 0, 1);
	struct rrl *rrl = limiter(1, 2, "127.0.0.0/8"), *off;

	(void)state;
	assert_int_equal(sent(rrl, "127.0.0.1", a, len, 50, T0), 50);
	assert_int_equal(sent(rrl, "127.200.0.1", a, len, 50, T0), 50);
	assert_int_equal(rrl_stats(rrl)->exempt, 100);
	assert_int_equal(sent(rrl, "128.0.0.1", a, len, 50, T0), 1);
	off = limiter(0, 2, NULL);
	assert_int_equal(sent(off, "128.0.0.1", a, len, 50, T0), 50);
	assert_int_equal(rrl_stats(off)->checked, 0);
	rrl_free(rrl);
	rrl_free(off);
}

static void
rrl_slip_leaves_header_and_question_with_tc(void **state)
{
	uint8_t a[512];
	size_t len = answer(a, "2.0.0.127.bl.test", 255, 0, 3), n;

	(void)state;
	a[11] = 1;		/* as if it had an OPT */
	n = rrl_slip(a, len);
	assert_int_equal(n, 12 + 19 + 4);
	assert_int_equal(a[0], 0xab);
	assert_int_equal(a[2] & 0x02, 0x02);
	assert_int_equal(a[2] & 0x80, 0x80);
	assert_int_equal(a[5], 1);
	assert_int_equal(a[7] | a[9] | a[11], 0);
	assert_memory_equal(a + 12, "\0012\0010\0010\003127\002bl\004test\0",
	    19);
	/* A FORMERR has no question: the header alone. */
	memset(a, 0, 12);
	a[3] = 1;
	assert_int_equal(rrl_slip(a, 12), 12);
	assert_int_equal(a[2] & 0x02, 0x02);
}

static void
rrl_reconfigure_keeps_the_table(void **state)
{
	uint8_t a[512];
	size_t len = answer(a, "bl.test", 6, 0, 1);
	struct cfg_server cs;
	struct rrl *rrl = limiter(3, 0, NULL);

	(void)state;
	assert_int_equal(sent(rrl, "192.0.2.1", a, len, 5, T0), 3);
	memset(&cs, 0, sizeof(cs));
	cs.rate_limit = 10;
	assert_int_equal(rrl_configure(rrl, &cs), 0);
	/* Still out of tokens: a reload does not reset anyone's limit. */
	assert_int_equal(sent(rrl, "192.0.2.1", a, len, 5, T0), 0);
	assert_int_equal(sent(rrl, "192.0.2.1", a, len, 50, T0 + 1000), 10);
	cs.rate_limit = 0;
	assert_int_equal(rrl_configure(rrl, &cs), 0);
	assert_int_equal(sent(rrl, "192.0.2.1", a, len, 50, T0 + 1000), 50);
	assert_int_equal(rrl_stats(rrl)->rate_limited_dropped, 2 + 5 + 40);
	rrl_free(rrl);
	rrl_free(NULL);
}

static void
rrl_keeps_limits_under_many_other_keys(void **state)
{
	uint8_t a[512], b[512];
	size_t la = answer(a, "victim.bl.test", 1, 0, 1), lb;
	struct rrl *rrl = limiter(2, 0, NULL);
	char name[64];
	unsigned i;

	(void)state;
	assert_int_equal(sent(rrl, "192.0.2.1", a, la, 5, T0), 2);
	/* 20000 other flows in the same millisecond: a table of 65536
	 * entries in sets of 4 keeps the limited one. */
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "n%u.bl.test", i);
		lb = answer(b, name, 1, 3, 0);
		sent(rrl, "198.51.100.1", b, lb, 1, T0);
	}
	assert_int_equal(sent(rrl, "192.0.2.1", a, la, 5, T0), 0);
	rrl_free(rrl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rrl_sends_a_burst_then_rate_a_second),
		cmocka_unit_test(rrl_slips_every_nth_dropped_answer),
		cmocka_unit_test(rrl_counts_ipv4_per_24_and_ipv6_per_56),
		cmocka_unit_test(rrl_tells_answers_apart_by_name_type_and_kind),
		cmocka_unit_test(rrl_spares_exempt_clients_and_stops_at_zero),
		cmocka_unit_test(rrl_slip_leaves_header_and_question_with_tc),
		cmocka_unit_test(rrl_reconfigure_keeps_the_table),
		cmocka_unit_test(rrl_keeps_limits_under_many_other_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
