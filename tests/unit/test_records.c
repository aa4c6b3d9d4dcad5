/* test_records.c -- a zone's static records (record = ...) as the query
 * engine answers them: at the apex beside SOA and NS, at names below it,
 * merged with the address data, empty non-terminals, TTLs. */
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

#include "cidr.h"
#include "config.h"
#include "store.h"
#include "../../server/query.h"
#include "../../server/records.h"
#include "../../server/zone.h"

static const char conf_text[] =
"[server]\n"
"database = db\n"
"[source s]\n"
"txt = listed $ip\n"
"[zone bl.test]\n"
"sources = s\n"
"ttl = 900\n"
"record = @ A 192.0.2.1\n"
"record = @ 60 TXT \"the zone\"\n"
"record = @ MX 10 Mx.Example.ORG.\n"
"record = www 300 A 192.0.2.2\n"
"record = www 30 A 192.0.2.3\n"
"record = www 300 A 192.0.2.2\n"
"record = www AAAA 2001:db8::1\n"
"record = a.b.c A 192.0.2.4\n"
"record = 5.2.0.192 A 127.0.0.9\n"
"record = 5.2.0.192 100 TXT \"record text\"\n"
"record = 6.2.0.192 A 127.0.0.2\n"
"record = 9.9.9.10 TXT \"not listed\"\n"
"[zone plain.test]\n"
"sources = s\n";

struct fixture {
	char			 dir[64];
	struct cfg		*cfg;
	struct store		*st;
	struct store_txn	*t;
	struct query_engine	*qe;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct store_source s;
	struct store_entry e = { 0 };
	struct store_txn *t;
	char path[96];
	FILE *fp;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_records.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/reputed.conf", f->dir);
	assert_non_null(fp = fopen(path, "w"));
	assert_true(fputs(conf_text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(cfg_load(&f->cfg, path, stderr), 0);
	assert_int_equal(store_open(&f->st, f->cfg->server.database,
	    STORE_CREATE), 0);
	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	assert_int_equal(store_source_ensure(t, "s", &s), 0);
	assert_int_equal(cidr_parse("192.0.2.0/29", &e.prefix, NULL), 0);
	e.source_id = s.id;
	e.first_seen = e.last_seen = 1000;
	assert_int_equal(store_entry_put(t, &e, NULL), 0);
	assert_int_equal(store_txn_commit(t), 0);
	assert_int_equal(store_txn_begin(f->st, 0, &f->t), 0);
	assert_int_equal(query_engine_new(&f->qe, f->cfg), 0);
	query_engine_begin(f->qe, f->t);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	query_engine_free(f->qe);
	store_txn_abort(f->t);
	store_close(f->st);
	cfg_free(f->cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* ---- One query, its answer --------------------------------------------- */

struct rr {
	uint16_t	type;
	uint32_t	ttl;
	char		text[300];	/* the RDATA, readable */
};

struct reply {
	int		rcode, aa;
	unsigned	an, ns;
	struct rr	rr[32];		/* the answer section */
	uint16_t	ns_type;	/* the authority's first RR */
};

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static size_t
skip_name(const uint8_t *m, size_t p)
{
	while (m[p] != 0 && m[p] < 0xc0)
		p += 1 + (size_t)m[p];
	return m[p] == 0 ? p + 1 : p + 2;
}

/* The name at p (pointers followed) as text, "." for the root. */
static void
name_text(const uint8_t *m, size_t p, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (;;) {
		if (m[p] >= 0xc0) {
			p = (size_t)(m[p] & 0x3f) << 8 | m[p + 1];
			continue;
		}
		if (m[p] == 0)
			break;
		n += (size_t)snprintf(out + n, cap - n, "%.*s.", m[p],
		    (const char *)m + p + 1);
		p += 1 + (size_t)m[p];
	}
	if (n == 0)
		snprintf(out, cap, ".");
}

static void
rdata_text(const uint8_t *m, size_t p, struct rr *r, uint16_t rdlen)
{
	char host[260];

	switch (r->type) {
	case 1:
		inet_ntop(AF_INET, m + p, r->text, sizeof(r->text));
		break;
	case 28:
		inet_ntop(AF_INET6, m + p, r->text, sizeof(r->text));
		break;
	case 16:
		snprintf(r->text, sizeof(r->text), "\"%.*s\"", m[p],
		    (const char *)m + p + 1);
		break;
	case 15:
		name_text(m, p + 2, host, sizeof(host));
		snprintf(r->text, sizeof(r->text), "%u %s", get16(m + p),
		    host);
		break;
	default:
		snprintf(r->text, sizeof(r->text), "(%u bytes)", rdlen);
	}
}

static void
ask(struct fixture *f, const char *name, uint16_t qtype, struct reply *out)
{
	uint8_t q[300], a[QUERY_MAX_MSG];
	size_t n = 12, len, p, i;
	uint16_t rdlen;
	const char *s = name, *dot;

	memset(q, 0, sizeof(q));
	q[0] = 0x12;
	q[5] = 1;			/* QDCOUNT */
	while (*s != '\0') {
		dot = strchr(s, '.');
		len = dot ? (size_t)(dot - s) : strlen(s);
		q[n++] = (uint8_t)len;
		memcpy(q + n, s, len);
		n += len;
		s += len + (dot != NULL);
	}
	q[n++] = 0;
	q[n++] = (uint8_t)(qtype >> 8);
	q[n++] = (uint8_t)qtype;
	q[n++] = 0;
	q[n++] = 1;			/* IN */
	len = query_answer(f->qe, q, n, a, sizeof(a), QUERY_TCP, NULL);
	assert_true(len >= 12);
	memset(out, 0, sizeof(*out));
	out->rcode = a[3] & 0x0f;
	out->aa = (a[2] & 0x04) != 0;
	out->an = get16(a + 6);
	out->ns = get16(a + 8);
	assert_true(out->an <= 32);
	p = skip_name(a, 12) + 4;
	for (i = 0; i < out->an + out->ns; i++) {
		p = skip_name(a, p);
		rdlen = get16(a + p + 8);
		if (i < out->an) {
			out->rr[i].type = get16(a + p);
			out->rr[i].ttl = (uint32_t)get16(a + p + 4) << 16 |
			    get16(a + p + 6);
			rdata_text(a, p + 10, &out->rr[i], rdlen);
		} else if (i == out->an)
			out->ns_type = get16(a + p);
		p += 10 + rdlen;
		assert_true(p <= len);
	}
}

/* Is "TYPE TTL TEXT" among the answers? */
static int
has(const struct reply *r, uint16_t type, uint32_t ttl, const char *text)
{
	unsigned i;

	for (i = 0; i < r->an; i++)
		if (r->rr[i].type == type && r->rr[i].ttl == ttl &&
		    strcmp(r->rr[i].text, text) == 0)
			return 1;
	return 0;
}

#define A	1
#define NS	2
#define SOA	6
#define MX	15
#define TXT	16
#define AAAA	28
#define ANY	255

/* ---- The tests ---------------------------------------------------------- */

static void
apex_answers_its_records_by_type(void **state)
{
	struct reply r;

	ask(*state, "bl.test", A, &r);
	assert_int_equal(r.rcode, 0);
	assert_true(r.aa);
	assert_int_equal(r.an, 1);
	assert_true(has(&r, A, 900, "192.0.2.1"));	/* the zone's ttl */
	ask(*state, "BL.Test", TXT, &r);
	assert_int_equal(r.an, 1);
	assert_true(has(&r, TXT, 60, "\"the zone\""));
	ask(*state, "bl.test", MX, &r);
	assert_true(has(&r, MX, 900, "10 Mx.Example.ORG."));
	ask(*state, "bl.test", SOA, &r);
	assert_int_equal(r.an, 1);
	assert_int_equal(r.rr[0].type, SOA);
}

static void
apex_any_is_soa_ns_and_records(void **state)
{
	struct reply r;

	ask(*state, "bl.test", ANY, &r);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.an, 5);
	assert_int_equal(r.rr[0].type, SOA);
	assert_int_equal(r.rr[1].type, NS);
	assert_true(has(&r, A, 900, "192.0.2.1"));
	assert_true(has(&r, MX, 900, "10 Mx.Example.ORG."));
	assert_true(has(&r, TXT, 60, "\"the zone\""));
}

static void
apex_other_type_is_nodata(void **state)
{
	struct reply r;

	ask(*state, "bl.test", AAAA, &r);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.an, 0);
	assert_int_equal(r.ns, 1);
	assert_int_equal(r.ns_type, SOA);
}

static void
name_rrset_has_one_ttl_and_no_repeats(void **state)
{
	struct reply r;

	ask(*state, "www.bl.test", A, &r);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.an, 2);
	assert_true(has(&r, A, 30, "192.0.2.2"));
	assert_true(has(&r, A, 30, "192.0.2.3"));
	ask(*state, "www.bl.test", ANY, &r);
	assert_int_equal(r.an, 3);
	assert_true(has(&r, AAAA, 900, "2001:db8::1"));
	ask(*state, "www.bl.test", TXT, &r);	/* the name exists */
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.an, 0);
	assert_int_equal(r.ns_type, SOA);
}

static void
names_above_records_are_nodata(void **state)
{
	struct reply r;

	ask(*state, "a.b.c.bl.test", A, &r);
	assert_true(has(&r, A, 900, "192.0.2.4"));
	ask(*state, "b.c.bl.test", A, &r);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.an, 0);
	assert_int_equal(r.ns_type, SOA);
	ask(*state, "c.bl.test", TXT, &r);
	assert_int_equal(r.rcode, 0);
	ask(*state, "x.c.bl.test", A, &r);
	assert_int_equal(r.rcode, 3);		/* NXDOMAIN */
	ask(*state, "nothere.bl.test", A, &r);
	assert_int_equal(r.rcode, 3);
	assert_int_equal(r.ns_type, SOA);
}

static void
records_join_a_listing_at_the_least_ttl(void **state)
{
	struct reply r;

	ask(*state, "5.2.0.192.bl.test", A, &r);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.an, 2);
	assert_true(has(&r, A, 900, "127.0.0.2"));
	assert_true(has(&r, A, 900, "127.0.0.9"));
	ask(*state, "5.2.0.192.bl.test", TXT, &r);
	assert_int_equal(r.an, 2);
	assert_true(has(&r, TXT, 100, "\"listed 192.0.2.5\""));
	assert_true(has(&r, TXT, 100, "\"record text\""));
	ask(*state, "5.2.0.192.bl.test", ANY, &r);
	assert_int_equal(r.an, 4);
	/* A record equal to the listing's A is answered once. */
	ask(*state, "6.2.0.192.bl.test", A, &r);
	assert_int_equal(r.an, 1);
	assert_true(has(&r, A, 900, "127.0.0.2"));
}

static void
records_at_an_unlisted_address_answer_alone(void **state)
{
	struct reply r;

	ask(*state, "9.9.9.10.bl.test", TXT, &r);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.an, 1);
	assert_true(has(&r, TXT, 900, "\"not listed\""));
	ask(*state, "9.9.9.10.bl.test", A, &r);	/* NODATA, no NXDOMAIN */
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.an, 0);
	ask(*state, "9.9.9.11.bl.test", A, &r);
	assert_int_equal(r.rcode, 3);
	ask(*state, "1.2.0.192.bl.test", A, &r);	/* listed, no records */
	assert_int_equal(r.an, 1);
	assert_true(has(&r, A, 900, "127.0.0.2"));
}

static void
zone_without_records_is_as_before(void **state)
{
	struct reply r;

	ask(*state, "www.plain.test", A, &r);
	assert_int_equal(r.rcode, 3);
	ask(*state, "plain.test", A, &r);
	assert_int_equal(r.rcode, 0);
	assert_int_equal(r.an, 0);
}

static void
records_find_by_name(void **state)
{
	struct fixture *f = *state;
	struct records *rs;
	struct records_set set;
	struct zone_qname qn;
	uint8_t wire[ZONE_NAME_MAX];
	size_t len;

	assert_int_equal(records_new(&rs, f->cfg), 0);
	assert_true(records_any(rs));
	assert_int_equal(zone_name_to_wire("www.bl.test", wire, &len), 0);
	assert_int_equal(zone_qname_parse(&qn, wire, len, 0, NULL), 0);
	assert_int_equal(records_find(rs, 0, &qn, 2, &set), 0);
	assert_int_equal(set.n, 3);		/* A, A, AAAA: sorted */
	assert_int_equal(set.rr[0].type, A);
	assert_int_equal(set.rr[2].type, AAAA);
	assert_int_equal(records_find(rs, 1, &qn, 2, &set), -ENOENT);
	assert_int_equal(zone_name_to_wire("c.bl.test", wire, &len), 0);
	assert_int_equal(zone_qname_parse(&qn, wire, len, 0, NULL), 0);
	assert_int_equal(records_find(rs, 0, &qn, 2, &set), 0);
	assert_int_equal(set.n, 0);		/* an empty non-terminal */
	records_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(apex_answers_its_records_by_type),
		cmocka_unit_test(apex_any_is_soa_ns_and_records),
		cmocka_unit_test(apex_other_type_is_nodata),
		cmocka_unit_test(name_rrset_has_one_ttl_and_no_repeats),
		cmocka_unit_test(names_above_records_are_nodata),
		cmocka_unit_test(records_join_a_listing_at_the_least_ttl),
		cmocka_unit_test(records_at_an_unlisted_address_answer_alone),
		cmocka_unit_test(zone_without_records_is_as_before),
		cmocka_unit_test(records_find_by_name),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
