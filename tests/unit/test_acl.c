/* test_acl.c -- access control: the allow, deny and rate-limit-exempt
 * keys as the configuration reads them, prefix matching, deny over
 * allow, [server] before the zone, and the query engine answering a
 * refused client REFUSED with AA clear. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acl.h"
#include "config.h"
#include "query.h"

/* Load text as a configuration; *err gets what cfg_load() said. */
static int
load(const char *text, struct cfg **out, char **err)
{
	char path[] = "/tmp/test_acl.XXXXXX";
	size_t errlen;
	FILE *f, *e;
	int fd, rc;

	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	*err = NULL;
	assert_non_null(e = open_memstream(err, &errlen));
	rc = cfg_load(out, path, e);
	assert_int_equal(fclose(e), 0);
	unlink(path);
	return rc;
}

static struct rp_addr
addr(const char *s)
{
	struct rp_addr a;

	assert_int_equal(cidr_parse_addr(s, &a), 0);
	return a;
}

static int
permits(const struct acl_set *set, size_t zone, const char *client)
{
	struct rp_addr a = addr(client);

	return acl_set_permits(set, zone, &a);
}

static void
acl_keys_default_to_nothing_and_exempt_loopback(void **state)
{
	struct cfg *cfg;
	char *err, buf[RP_CIDR_STRLEN];

	(void)state;
	assert_int_equal(load("[server]\n", &cfg, &err), 0);
	assert_int_equal(cfg->server.allow.n, 0);
	assert_int_equal(cfg->server.deny.n, 0);
	assert_int_equal(cfg->server.rate_limit, 20);
	assert_int_equal(cfg->server.rate_limit_slip, 2);
	assert_int_equal(cfg->server.rate_limit_exempt.n, 2);
	assert_string_equal(cidr_str(&cfg->server.rate_limit_exempt.v[0],
	    buf), "127.0.0.0/8");
	assert_string_equal(cidr_str(&cfg->server.rate_limit_exempt.v[1],
	    buf), "::1/128");
	assert_int_equal(cfg->server.tcp_clients_per_ip, 16);
	assert_int_equal(cfg->server.tcp_timeout, 120);
	assert_int_equal(cfg->server.tcp_max_queries, 100);
	assert_null(cfg->server.chroot);
	cfg_free(cfg);
	free(err);
}

static void
acl_keys_parse_lists_and_empty_values(void **state)
{
	struct cfg *cfg;
	char *err;

	(void)state;
	assert_int_equal(load("[server]\n"
	    "rate-limit-exempt =\n"
	    "allow = 192.0.2.0/24 2001:db8::/32 198.51.100.7\n"
	    "deny = 192.0.2.128/25 192.0.2.128/25\n"
	    "[source s]\n"
	    "[zone bl.test]\n"
	    "sources = s\n"
	    "allow = 10.0.0.0/8\n", &cfg, &err), 0);
	assert_int_equal(cfg->server.rate_limit_exempt.n, 0);
	assert_int_equal(cfg->server.allow.n, 3);
	assert_int_equal(cfg->server.allow.v[2].bits, 32);
	assert_int_equal(cfg->server.deny.n, 1);	/* twice is once */
	assert_int_equal(cfg->zones[0].allow.n, 1);
	assert_int_equal(cfg->zones[0].deny.n, 0);
	cfg_free(cfg);
	free(err);
}

static void
acl_keys_reject_what_is_not_a_prefix(void **state)
{
	struct cfg *cfg;
	char *err;

	(void)state;
	assert_int_not_equal(load("[server]\n"
	    "allow = 192.0.2.1/24\n"
	    "deny = AS64496 example.org 300.1.1.1\n"
	    "rate-limit = -1\n"
	    "rate-limit-slip = 11\n", &cfg, &err), 0);
	assert_non_null(strstr(err, ":2: allow: 192.0.2.1/24 has bits set "
	    "past /24 (192.0.2.0/24?)"));
	assert_non_null(strstr(err, ":3: deny: 'AS64496' is not an address "
	    "or a prefix"));
	assert_non_null(strstr(err, "'example.org' is not"));
	assert_non_null(strstr(err, "'300.1.1.1' is not"));
	assert_non_null(strstr(err, ":4: rate-limit: expected a number"));
	assert_non_null(strstr(err, ":5: rate-limit-slip: expected a number "
	    "from 0 to 10"));
	free(err);
}

static void
acl_deny_wins_and_empty_allow_means_everyone(void **state)
{
	struct cfg *cfg;
	struct acl_set set;
	char *err;

	(void)state;
	assert_int_equal(load("[server]\n"
	    "deny = 192.0.2.66 2001:db8:bad::/48\n"
	    "[source s]\n"
	    "[zone open.test]\n"
	    "sources = s\n"
	    "[zone private.test]\n"
	    "sources = s\n"
	    "allow = 192.0.2.0/24 2001:db8::/32\n"
	    "deny = 192.0.2.7\n", &cfg, &err), 0);
	assert_int_equal(acl_set_init(&set, cfg), 0);
	cfg_free(cfg);
	assert_false(set.open);
	/* open.test: everyone but [server]'s deny. */
	assert_true(permits(&set, 0, "203.0.113.1"));
	assert_true(permits(&set, 0, "2001:db9::1"));
	assert_false(permits(&set, 0, "192.0.2.66"));
	assert_false(permits(&set, 0, "2001:db8:bad:1::1"));
	/* private.test: its allow, less its deny and [server]'s. */
	assert_true(permits(&set, 1, "192.0.2.1"));
	assert_true(permits(&set, 1, "2001:db8:1::1"));
	assert_false(permits(&set, 1, "192.0.3.1"));
	assert_false(permits(&set, 1, "192.0.2.7"));
	assert_false(permits(&set, 1, "192.0.2.66"));
	assert_false(permits(&set, 1, "2001:db8:bad::1"));
	assert_false(permits(&set, 1, "::ffff:192.0.2.1"));
	/* No client (tests, fuzzing): let in. */
	assert_true(acl_set_permits(&set, 1, NULL));
	acl_set_fini(&set);
	acl_set_fini(&set);	/* a finished set is a zeroed one */
	free(err);
}

static void
acl_matches_prefix_edges(void **state)
{
	struct cfg_prefixes p;
	struct acl_list l;
	struct rp_cidr v[4];

	(void)state;
	assert_int_equal(cidr_parse("0.0.0.0/0", &v[0], NULL), 0);
	assert_int_equal(cidr_parse("2001:db8:0:8000::/49", &v[1], NULL), 0);
	assert_int_equal(cidr_parse("10.255.255.255/32", &v[2], NULL), 0);
	assert_int_equal(cidr_parse("fe80::/10", &v[3], NULL), 0);
	p.v = v + 1;
	p.n = 3;
	assert_int_equal(acl_list_init(&l, &p), 0);
	assert_true(acl_list_match(&l, &(struct rp_addr){ 0 }) == 0);
	{
		struct rp_addr a = addr("2001:db8:0:8000::1");
		struct rp_addr b = addr("2001:db8:0:7fff::1");
		struct rp_addr c = addr("10.255.255.255");
		struct rp_addr d = addr("10.255.255.254");
		struct rp_addr e = addr("febf:ffff::1");
		struct rp_addr g = addr("fec0::1");

		assert_true(acl_list_match(&l, &a));
		assert_false(acl_list_match(&l, &b));
		assert_true(acl_list_match(&l, &c));
		assert_false(acl_list_match(&l, &d));
		assert_true(acl_list_match(&l, &e));
		assert_false(acl_list_match(&l, &g));
	}
	acl_list_fini(&l);
	/* /0 is every IPv4 address, and no IPv6 one. */
	p.v = v;
	p.n = 1;
	assert_int_equal(acl_list_init(&l, &p), 0);
	{
		struct rp_addr a = addr("255.255.255.255");
		struct rp_addr b = addr("::1");

		assert_true(acl_list_match(&l, &a));
		assert_false(acl_list_match(&l, &b));
	}
	acl_list_fini(&l);
}

/* A query for name (type A, no EDNS) into q; its length. */
static size_t
make_query(uint8_t *q, const char *name)
{
	size_t n = 12, l;
	const char *dot;

	memset(q, 0, 12);
	q[0] = 0x42;
	q[2] = 0x01;
	q[5] = 1;
	while (*name != '\0') {
		dot = strchr(name, '.');
		l = dot != NULL ? (size_t)(dot - name) : strlen(name);
		q[n++] = (uint8_t)l;
		memcpy(q + n, name, l);
		n += l;
		name += l + (dot != NULL);
	}
	memcpy(q + n, "\0\0\2\0\1", 5);		/* NS IN */
	return n + 5;
}

static void
acl_refused_clients_get_refused_without_aa(void **state)
{
	struct query_engine *qe;
	struct cfg *cfg;
	uint8_t q[512], out[1232];
	struct rp_addr in = addr("127.0.0.2"), outside = addr("127.0.0.3");
	char *err;
	size_t n;

	(void)state;
	assert_int_equal(load("[server]\n"
	    "[source s]\n"
	    "[zone private.test]\n"
	    "sources = s\n"
	    "allow = 127.0.0.2\n", &cfg, &err), 0);
	assert_int_equal(query_engine_new(&qe, cfg), 0);
	query_engine_begin(qe, NULL);
	n = make_query(q, "private.test");
	assert_true(query_answer(qe, q, n, out, sizeof(out), QUERY_UDP,
	    &outside) > 12);
	assert_int_equal(out[3] & 0x0f, 5);		/* REFUSED */
	assert_int_equal(out[2] & 0x04, 0);		/* AA clear */
	assert_int_equal(out[7], 0);			/* no answer */
	/* The allowed client gets the zone's NS, over either transport. */
	assert_true(query_answer(qe, q, n, out, sizeof(out), QUERY_TCP,
	    &in) > 12);
	assert_int_equal(out[3] & 0x0f, 0);
	assert_int_equal(out[2] & 0x04, 0x04);
	assert_true(query_answer(qe, q, n, out, sizeof(out), QUERY_UDP,
	    NULL) > 12);
	assert_int_equal(out[3] & 0x0f, 0);
	query_engine_free(qe);
	cfg_free(cfg);
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    acl_keys_default_to_nothing_and_exempt_loopback),
		cmocka_unit_test(acl_keys_parse_lists_and_empty_values),
		cmocka_unit_test(acl_keys_reject_what_is_not_a_prefix),
		cmocka_unit_test(acl_deny_wins_and_empty_allow_means_everyone),
		cmocka_unit_test(acl_matches_prefix_edges),
		cmocka_unit_test(acl_refused_clients_get_refused_without_aa),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
