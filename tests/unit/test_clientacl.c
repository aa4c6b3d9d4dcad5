/* test_clientacl.c -- client ACLs (client-acl of [server] and of a zone,
 * rbldnsd's acl datasets): the verdicts, their precedence, and what the
 * query engine answers each client. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aclcode.h"
#include "cidr.h"
#include "config.h"
#include "store.h"
#include "../../server/clientacl.h"
#include "../../server/query.h"

/*
 * Zone a.test: data "data" and the zone ACL "zacl"; b.test: data only.
 * [server]'s ACL is "gacl". Each client 192.0.2.N has an entry for one
 * case (see fill()).
 */
static const char conf_text[] =
"[server]\n"
"database = db\n"
"client-acl = gacl\n"
"[source data]\n"
"txt = $reason\n"
"[source zacl]\n"
"format = rbldnsd-acl\n"
"txt = $rbldnsd_txt\n"
"[source gacl]\n"
"format = rbldnsd-acl\n"
"code = 127.0.0.5\n"
"txt = global $ip\n"
"[source unused]\n"
"format = rbldnsd-acl\n"
"[zone a.test]\n"
"sources = data\n"
"client-acl = zacl\n"
"ttl = 300\n"
"[zone b.test]\n"
"sources = data\n"
"ttl = 300\n";

#define T_A	1
#define T_SOA	6
#define T_TXT	16

struct fixture {
	char			 dir[64];
	struct cfg		*cfg;
	struct store		*st;
	struct store_txn	*t;
	struct query_engine	*qe;
	struct clientacl	 ca;
	uint8_t			 out[QUERY_MAX_MSG];
};

static void
put(struct store_txn *t, const char *source, const char *prefix,
    const char *reason, uint32_t code)
{
	struct store_source s;
	struct store_entry e = { 0 };

	assert_int_equal(store_source_ensure(t, source, &s), 0);
	assert_int_equal(cidr_parse(prefix, &e.prefix, NULL), 0);
	e.source_id = s.id;
	if (code != 0) {
		e.flags = STORE_F_CODE;
		e.code = htonl(code);
	}
	e.first_seen = e.last_seen = 1000;
	e.reason = reason;
	e.reason_len = strlen(reason);
	assert_int_equal(store_entry_put(t, &e, NULL), 0);
}

static void
fill(struct store *st)
{
	struct store_txn *t;

	assert_int_equal(store_txn_begin(st, 1, &t), 0);
	put(t, "data", "10.0.0.0/8", "ten", 0x7f000003);
	/* The zone's ACL. */
	put(t, "zacl", "192.0.2.1", "", ACLCODE_REFUSE_CODE);
	put(t, "zacl", "192.0.2.2", "", ACLCODE_EMPTY_CODE);
	put(t, "zacl", "192.0.2.3", "zone $ here", 0x7f000009);
	put(t, "zacl", "192.0.2.4", "", ACLCODE_IGNORE_CODE);
	put(t, "zacl", "192.0.2.16/28", "", ACLCODE_EMPTY_CODE);
	put(t, "zacl", "192.0.2.20", "", ACLCODE_PASS_CODE);	/* a hole */
	put(t, "zacl", "192.0.2.32", "", ACLCODE_EMPTY_CODE);
	put(t, "zacl", "192.0.2.33", "zone33", 0x7f00000a);
	put(t, "zacl", "192.0.2.34", "", ACLCODE_REFUSE_CODE);
	put(t, "zacl", "192.0.2.35", "", ACLCODE_REFUSE_CODE);
	put(t, "zacl", "192.0.2.36", "", ACLCODE_IGNORE_CODE);
	put(t, "zacl", "2001:db8::/32", "six $", 0);
	/* [server]'s: alone, then against the zone's. */
	put(t, "gacl", "192.0.2.64", "", ACLCODE_IGNORE_CODE);
	put(t, "gacl", "192.0.2.65", "g", 0);
	put(t, "gacl", "192.0.2.32", "g32", 0x7f00000b);	/* < empty */
	put(t, "gacl", "192.0.2.33", "g33", 0x7f00000c);	/* wins */
	put(t, "gacl", "192.0.2.34", "", ACLCODE_PASS_CODE);	/* no hole */
	put(t, "gacl", "192.0.2.35", "", ACLCODE_EMPTY_CODE);	/* < refuse */
	put(t, "gacl", "192.0.2.36", "", ACLCODE_REFUSE_CODE);	/* < ignore */
	assert_int_equal(store_txn_commit(t), 0);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[96];
	FILE *fp;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_clientacl.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/reputed.conf", f->dir);
	assert_non_null(fp = fopen(path, "w"));
	assert_true(fputs(conf_text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(cfg_load(&f->cfg, path, stderr), 0);
	assert_int_equal(store_open(&f->st, f->cfg->server.database,
	    STORE_CREATE), 0);
	fill(f->st);
	assert_int_equal(store_txn_begin(f->st, 0, &f->t), 0);
	assert_int_equal(query_engine_new(&f->qe, f->cfg), 0);
	query_engine_begin(f->qe, f->t);
	assert_int_equal(clientacl_init(&f->ca, f->cfg), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	clientacl_fini(&f->ca);
	query_engine_free(f->qe);
	store_txn_abort(f->t);
	store_close(f->st);
	cfg_free(f->cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static struct rp_addr
addr(const char *s)
{
	struct rp_addr a;

	assert_int_equal(cidr_parse_addr(s, &a), 0);
	return a;
}

/* The verdict of both ACLs for client s in zone (its index). */
static struct clientacl_verdict
verdict(struct fixture *f, const char *s, size_t zone)
{
	struct clientacl_verdict v;
	struct rp_addr a = addr(s);

	assert_int_equal(clientacl_global(&f->ca, f->t, &a, &v), 0);
	assert_int_equal(clientacl_zone(&f->ca, f->t, zone, &a, &v), 0);
	return v;
}

static void
each_action_of_the_zone_acl(void **state)
{
	struct fixture *f = *state;
	struct clientacl_verdict v;

	assert_int_equal(verdict(f, "192.0.2.1", 0).action, ACLCODE_REFUSE);
	assert_int_equal(verdict(f, "192.0.2.2", 0).action, ACLCODE_EMPTY);
	v = verdict(f, "192.0.2.3", 0);
	assert_int_equal(v.action, ACLCODE_ALWAYS);
	assert_int_equal(v.code, htonl(0x7f000009));
	assert_string_equal(v.txt, "zone 192.0.2.3 here");
	assert_int_equal(verdict(f, "192.0.2.4", 0).action, ACLCODE_IGNORE);
	/* The longest prefix wins: a /28, and a hole in it. */
	assert_int_equal(verdict(f, "192.0.2.17", 0).action, ACLCODE_EMPTY);
	assert_int_equal(verdict(f, "192.0.2.20", 0).action, ACLCODE_PASS);
	assert_int_equal(verdict(f, "192.0.2.99", 0).action, ACLCODE_NONE);
	v = verdict(f, "2001:db8::1", 0);
	assert_int_equal(v.action, ACLCODE_ALWAYS);
	assert_int_equal(v.code, htonl(0x7f000002));	/* the source's */
	assert_string_equal(v.txt, "six 2001:db8::1");
	/* b.test has no ACL of its own. */
	assert_int_equal(verdict(f, "192.0.2.1", 1).action, ACLCODE_NONE);
}

static void
server_acl_and_zone_acl_combine_as_rbldnsd(void **state)
{
	struct fixture *f = *state;
	struct clientacl_verdict v;

	assert_int_equal(verdict(f, "192.0.2.64", 1).action, ACLCODE_IGNORE);
	v = verdict(f, "192.0.2.65", 1);
	assert_int_equal(v.action, ACLCODE_ALWAYS);
	assert_int_equal(v.code, htonl(0x7f000005));
	assert_string_equal(v.txt, "global 192.0.2.65");
	/* empty > always; two "always": [server]'s; pass is no hole in
	 * the other ACL; refuse > empty; ignore > refuse. */
	assert_int_equal(verdict(f, "192.0.2.32", 0).action, ACLCODE_EMPTY);
	v = verdict(f, "192.0.2.33", 0);
	assert_int_equal(v.action, ACLCODE_ALWAYS);
	assert_int_equal(v.code, htonl(0x7f00000c));
	assert_int_equal(verdict(f, "192.0.2.34", 0).action, ACLCODE_REFUSE);
	assert_int_equal(verdict(f, "192.0.2.35", 0).action, ACLCODE_REFUSE);
	assert_int_equal(verdict(f, "192.0.2.36", 0).action, ACLCODE_IGNORE);
	assert_int_equal(verdict(f, "192.0.2.36", 1).action, ACLCODE_REFUSE);
}

/* A query for name/type; returns the answer's length. */
static size_t
ask(struct fixture *f, const char *client, const char *name, uint16_t type)
{
	uint8_t q[300];
	struct rp_addr a = addr(client);
	const char *l = name, *dot;
	size_t n = 12;

	memset(q, 0, 12);
	q[0] = 0x12;
	q[1] = 0x34;
	q[5] = 1;
	for (; *l != '\0'; l = *dot ? dot + 1 : dot) {
		dot = strchr(l, '.');
		if (dot == NULL)
			dot = l + strlen(l);
		q[n++] = (uint8_t)(dot - l);
		memcpy(q + n, l, (size_t)(dot - l));
		n += (size_t)(dot - l);
	}
	q[n++] = 0;
	q[n++] = 0;
	q[n++] = (uint8_t)type;
	q[n++] = 0;
	q[n++] = 1;
	return query_answer(f->qe, q, n, f->out, sizeof(f->out), QUERY_UDP,
	    &a);
}

static int
rcode(const struct fixture *f)
{
	return f->out[3] & 0x0f;
}

static unsigned
ancount(const struct fixture *f)
{
	return (unsigned)(f->out[6] << 8 | f->out[7]);
}

static void
the_engine_answers_each_client_as_its_verdict_says(void **state)
{
	struct fixture *f = *state;
	uint64_t dropped = query_engine_stats(f->qe)->dropped;

	/* No entry: the data. */
	assert_true(ask(f, "192.0.2.99", "1.0.0.10.a.test", T_A) > 0);
	assert_int_equal(rcode(f), 0);
	assert_int_equal(ancount(f), 1);
	assert_true(ask(f, "192.0.2.99", "1.0.0.11.a.test", T_A) > 0);
	assert_int_equal(rcode(f), 3);
	/* refuse: everything, the apex too, AA clear. */
	assert_true(ask(f, "192.0.2.1", "a.test", T_SOA) > 0);
	assert_int_equal(rcode(f), 5);
	assert_int_equal(f->out[2] & 0x04, 0);
	/* empty: not listed; the apex still answers. */
	assert_true(ask(f, "192.0.2.2", "1.0.0.10.a.test", T_A) > 0);
	assert_int_equal(rcode(f), 3);
	assert_true(ask(f, "192.0.2.2", "a.test", T_SOA) > 0);
	assert_int_equal(rcode(f), 0);
	assert_int_equal(ancount(f), 1);
	/* always: any address, its A and TXT; other types NODATA. */
	assert_true(ask(f, "192.0.2.3", "1.0.0.11.a.test", T_A) > 0);
	assert_int_equal(rcode(f), 0);
	assert_int_equal(ancount(f), 1);
	assert_true(ask(f, "192.0.2.3", "1.0.0.127.a.test", T_TXT) > 0);
	assert_int_equal(rcode(f), 0);
	assert_int_equal(ancount(f), 1);
	assert_non_null(memmem(f->out, sizeof(f->out), "zone 192.0.2.3 here",
	    19));
	assert_true(ask(f, "192.0.2.3", "1.0.0.11.a.test", 28) > 0);
	assert_int_equal(rcode(f), 0);
	assert_int_equal(ancount(f), 0);
	/* ... but no name that is not an address. */
	assert_true(ask(f, "192.0.2.3", "www.a.test", T_A) > 0);
	assert_int_equal(rcode(f), 3);
	/* ignore: nothing, counted as dropped; [server]'s before the
	 * message is even read. */
	assert_int_equal(ask(f, "192.0.2.4", "1.0.0.10.a.test", T_A), 0);
	assert_int_equal(ask(f, "192.0.2.64", "whatever.example", T_A), 0);
	assert_int_equal(query_engine_stats(f->qe)->dropped, dropped + 2);
	/* The zone's ACL is only the zone's. */
	assert_true(ask(f, "192.0.2.4", "1.0.0.10.b.test", T_A) > 0);
	assert_int_equal(rcode(f), 0);
}

static void
a_client_acl_must_be_an_acl_and_only_that(void **state)
{
	static const char *const bad[] = {
		"[source d]\n[zone z.test]\nsources = d\nclient-acl = d\n",
		"[source d]\n[source x]\nformat = rbldnsd-acl\n"
		"[zone z.test]\nsources = d x\n",
		"[server]\nclient-acl = nosuch\n[source d]\n"
		"[zone z.test]\nsources = d\n",
	};
	char path[96], dir[] = "/tmp/test_clientacl_cfg.XXXXXX";
	struct cfg *cfg;
	size_t i;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.conf", dir);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_non_null(fp = fopen(path, "w"));
		fputs(bad[i], fp);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(cfg_load(&cfg, path, NULL), -EINVAL);
		assert_null(cfg);
	}
	remove(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_action_of_the_zone_acl),
		cmocka_unit_test(server_acl_and_zone_acl_combine_as_rbldnsd),
		cmocka_unit_test(
		    the_engine_answers_each_client_as_its_verdict_says),
		cmocka_unit_test(a_client_acl_must_be_an_acl_and_only_that),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
