/* test_store.c -- the store: records, entries, sources, history, and the
 * interval index checked against a naive model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cidr.h"
#include "schema.h"
#include "store.h"

struct fixture {
	char		 dir[64];
	struct store	*st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(store_open(&f->st, f->dir, STORE_CREATE), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static struct rp_cidr
P(const char *s)
{
	struct rp_cidr c;

	assert_int_equal(cidr_parse(s, &c, NULL), 0);
	return c;
}

static struct rp_addr
A(const char *s)
{
	struct rp_addr a;

	assert_int_equal(cidr_parse_addr(s, &a), 0);
	return a;
}

static uint16_t
source(struct store_txn *t, const char *name)
{
	struct store_source s;

	assert_int_equal(store_source_ensure(t, name, &s), 0);
	return s.id;
}

static void
put(struct store_txn *t, uint16_t src, const char *prefix, uint8_t flags)
{
	struct store_entry e = { 0 };

	e.prefix = P(prefix);
	e.source_id = src;
	e.flags = flags;
	e.first_seen = e.last_seen = 1000;
	e.reason = prefix;
	e.reason_len = strlen(prefix);
	assert_int_equal(store_entry_put(t, &e, NULL), 0);
}

/* Sources listing a, as "id/bits id/bits". */
static const char *
hits_of(struct store *st, const char *addr)
{
	static char out[256];
	struct store_txn *t;
	struct store_hit h[16];
	struct rp_addr a = A(addr);
	size_t n, i, len = 0;

	assert_int_equal(store_txn_begin(st, 0, &t), 0);
	assert_int_equal(store_lookup(t, &a, h, 16, &n), 0);
	store_txn_abort(t);
	out[0] = '\0';
	for (i = 0; i < n && i < 16; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%u/%u",
		    i ? " " : "", h[i].source_id, h[i].bits);
	return out;
}

static void
schema_entry_roundtrips(void **state)
{
	struct store_entry e = { 0 }, d;
	uint8_t key[SCHEMA_ENTRY_KEY_MAX], val[128];
	uint16_t src;
	size_t klen;

	(void)state;
	e.prefix = P("2001:db8::/32");
	e.source_id = 513;
	e.flags = STORE_F_MANUAL;
	e.code = 0x0200007f;
	e.first_seen = 1;
	e.last_seen = -2;
	e.expires = (int64_t)1 << 40;
	e.reason = "why";
	e.reason_len = 3;
	klen = schema_entry_key(key, e.source_id, &e.prefix);
	assert_int_equal(klen, 20);
	schema_entry_val(val, &e);
	memset(&d, 0, sizeof(d));
	assert_int_equal(schema_entry_key_decode(key, klen, &src, &d.prefix),
	    0);
	assert_int_equal(schema_entry_val_decode(val,
	    schema_entry_val_size(&e), &d), 0);
	assert_int_equal(src, 513);
	assert_int_equal(d.prefix.bits, 32);
	assert_int_equal(d.flags, STORE_F_MANUAL);
	assert_int_equal(d.code, 0x0200007f);
	assert_int_equal(d.last_seen, -2);
	assert_true(d.expires == (int64_t)1 << 40);
	assert_memory_equal(d.reason, "why", 3);
	assert_int_not_equal(schema_entry_val_decode(val, 5, &d), 0);
	assert_int_not_equal(schema_entry_key_decode(key, 7, &src, &d.prefix),
	    0);
}

static void
schema_source_and_event_roundtrip(void **state)
{
	struct store_source s = { 0 }, d;
	struct store_event ev = { 0 }, de;
	uint8_t buf[SCHEMA_SOURCE_VAL_MAX];
	size_t len;

	(void)state;
	s.id = 7;
	s.last_success = 12345;
	s.entries = 99;
	s.rejected = 3;
	strcpy(s.etag, "\"abc\"");
	strcpy(s.last_error, "HTTP 503");
	s.failures = 3;
	s.retry_after = 99;
	strcpy(s.last_warning, "EDROP retired");
	len = schema_source_val(buf, &s);
	assert_int_equal(schema_source_val_decode(buf, len, &d), 0);
	assert_int_equal(d.failures, 3);
	assert_int_equal(d.retry_after, 99);
	assert_string_equal(d.last_warning, "EDROP retired");
	assert_int_equal(d.id, 7);
	assert_int_equal(d.entries, 99);
	assert_string_equal(d.etag, "\"abc\"");
	assert_string_equal(d.last_error, "HTTP 503");
	assert_int_not_equal(schema_source_val_decode(buf, len - 1, &d), 0);

	ev.time = 42;
	ev.type = STORE_EV_DELISTED;
	ev.source_id = 3;
	ev.prefix = P("192.0.2.0/24");
	ev.reason = "gone";
	ev.reason_len = 4;
	len = schema_event_val_size(&ev);
	schema_event_val(buf, &ev);
	assert_int_equal(schema_event_val_decode(buf, len, &de), 0);
	assert_int_equal(de.type, STORE_EV_DELISTED);
	assert_int_equal(de.prefix.bits, 24);
	assert_memory_equal(de.reason, "gone", 4);
}

static void
store_nested_overlap_and_exclusions(void **state)
{
	struct fixture *f = *state;
	struct store_txn *t;
	uint16_t a, b;

	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	a = source(t, "a");
	b = source(t, "b");
	put(t, a, "10.0.0.0/8", 0);
	put(t, a, "10.1.0.0/16", 0);
	put(t, a, "10.1.2.0/24", STORE_F_EXCLUDE);
	put(t, a, "10.1.2.3/32", 0);
	put(t, b, "10.1.0.0/20", 0);
	assert_int_equal(store_txn_commit(t), 0);

	assert_string_equal(hits_of(f->st, "9.255.255.255"), "");
	assert_string_equal(hits_of(f->st, "10.0.0.0"), "1/8");
	assert_string_equal(hits_of(f->st, "10.1.0.0"), "1/16 2/20");
	assert_string_equal(hits_of(f->st, "10.1.2.2"), "2/20");
	assert_string_equal(hits_of(f->st, "10.1.2.3"), "1/32 2/20");
	assert_string_equal(hits_of(f->st, "10.1.16.0"), "1/16");
	assert_string_equal(hits_of(f->st, "10.255.255.255"), "1/8");
	assert_string_equal(hits_of(f->st, "11.0.0.0"), "");
	assert_string_equal(hits_of(f->st, "::a01:0"), "");
}

static void
store_family_limits(void **state)
{
	struct fixture *f = *state;
	struct store_txn *t;
	uint16_t a;

	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	a = source(t, "a");
	put(t, a, "0.0.0.0/0", 0);
	put(t, a, "255.255.255.255/32", STORE_F_EXCLUDE);
	put(t, a, "::/0", 0);
	put(t, a, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 0);
	put(t, a, "::/128", STORE_F_EXCLUDE);
	assert_int_equal(store_txn_commit(t), 0);
	assert_string_equal(hits_of(f->st, "0.0.0.0"), "1/0");
	assert_string_equal(hits_of(f->st, "255.255.255.254"), "1/0");
	assert_string_equal(hits_of(f->st, "255.255.255.255"), "");
	assert_string_equal(hits_of(f->st, "::"), "");
	assert_string_equal(hits_of(f->st, "::1"), "1/0");
	assert_string_equal(hits_of(f->st,
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "1/128");

	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	assert_int_equal(store_entry_del(t, a, &(struct rp_cidr){
	    .addr = A("::"), .bits = 0 }), 0);
	assert_int_equal(store_txn_commit(t), 0);
	assert_string_equal(hits_of(f->st, "::1"), "");
	assert_string_equal(hits_of(f->st, "1.2.3.4"), "1/0");
}

static int
count_event(const struct store_event *ev, void *arg)
{
	(void)ev;
	(*(int *)arg)++;
	return 0;
}

static void
store_counts_history_and_serial(void **state)
{
	struct fixture *f = *state;
	struct store_txn *t;
	struct store_source s;
	struct rp_cidr c = P("192.0.2.0/24");
	uint32_t serial1, serial2;
	int64_t changed;
	int events = 0, inserted;
	uint16_t a;

	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	a = source(t, "a");
	put(t, a, "192.0.2.0/24", 0);
	put(t, a, "198.51.100.7", 0);
	assert_int_equal(store_history_add(t, STORE_EV_LISTED, a, &c, "x", 1,
	    5), 0);
	assert_int_equal(store_history_add(t, STORE_EV_DELISTED, a, &c, "", 0,
	    6), 0);
	assert_int_equal(store_txn_commit(t), 0);

	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_source_get(t, "a", &s), 0);
	assert_int_equal(s.entries, 2);
	assert_int_equal(store_history_for(t, a, &c, count_event, &events), 0);
	assert_int_equal(events, 2);
	assert_int_equal(store_serial(t, &serial1, &changed), 0);
	assert_true(serial1 > 0);
	store_txn_abort(t);

	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	{
		struct store_entry e = { 0 };

		e.prefix = c;
		e.source_id = a;
		assert_int_equal(store_entry_put(t, &e, &inserted), 0);
		assert_int_equal(inserted, 0);
	}
	assert_int_equal(store_entry_del(t, a, &(struct rp_cidr){
	    .addr = A("198.51.100.7"), .bits = 32 }), 0);
	assert_int_equal(store_entry_del(t, a, &(struct rp_cidr){
	    .addr = A("198.51.100.7"), .bits = 32 }), -ENOENT);
	assert_int_equal(store_txn_commit(t), 0);

	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_source_get(t, "a", &s), 0);
	assert_int_equal(s.entries, 1);
	assert_int_equal(store_serial(t, &serial2, &changed), 0);
	assert_true(serial2 > serial1);
	assert_int_equal(store_verify(t, NULL, NULL), 0);
	store_txn_abort(t);
}

/* ---- randomised model test ---- */

struct model_entry {
	uint16_t	src;
	struct rp_cidr	c;
	uint8_t		flags;
	int		live;
};

struct model {
	struct model_entry	*e;
	size_t			 n;
};

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A random address in a small space, so prefixes nest and overlap. */
static struct rp_addr
random_addr(uint64_t *s, unsigned family)
{
	struct rp_addr a;

	a = family == RP_AF_INET ? A("10.20.0.0") : A("2001:db8::");
	if (rnd(s) % 50 == 0)
		memset(a.bytes, rnd(s) % 2 ? 0xff : 0x00,
		    cidr_family_bits(family) / 8);
	a.bytes[cidr_family_bits(family) / 8 - 2] = (uint8_t)(rnd(s) % 4);
	a.bytes[cidr_family_bits(family) / 8 - 1] = (uint8_t)rnd(s);
	return a;
}

static struct rp_cidr
random_prefix(uint64_t *s, unsigned family)
{
	unsigned width = cidr_family_bits(family);
	struct rp_cidr c;
	unsigned r = (unsigned)(rnd(s) % 100);

	c.addr = random_addr(s, family);
	if (r < 3)
		c.bits = (uint8_t)(rnd(s) % (width - 16));
	else
		c.bits = (uint8_t)(width - rnd(s) % 17);
	cidr_mask(&c.addr, c.bits);
	return c;
}

static const char *
model_hits(const struct model *m, const struct rp_addr *a)
{
	static char out[256];
	int best[4];
	size_t i, len = 0;
	uint16_t s;

	for (s = 0; s < 4; s++)
		best[s] = -1;
	for (i = 0; i < m->n; i++) {
		const struct model_entry *e = &m->e[i];

		if (!e->live || !cidr_contains(&e->c, a))
			continue;
		if (best[e->src] < 0 ||
		    m->e[best[e->src]].c.bits < e->c.bits)
			best[e->src] = (int)i;
	}
	out[0] = '\0';
	for (s = 1; s < 4; s++) {
		if (best[s] < 0 || m->e[best[s]].flags & STORE_F_EXCLUDE)
			continue;
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%u/%u",
		    len ? " " : "", s, m->e[best[s]].c.bits);
	}
	return out;
}

static struct model_entry *
model_find(struct model *m, uint16_t src, const struct rp_cidr *c)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->e[i].live && m->e[i].src == src &&
		    m->e[i].c.bits == c->bits &&
		    cidr_addr_cmp(&m->e[i].c.addr, &c->addr) == 0)
			return &m->e[i];
	return NULL;
}

static void
model_op(struct store_txn *t, struct model *m, uint64_t *s)
{
	unsigned family = rnd(s) % 3 ? RP_AF_INET : RP_AF_INET6;
	struct model_entry *me;
	struct store_entry e = { 0 };

	e.source_id = (uint16_t)(1 + rnd(s) % 3);
	e.prefix = random_prefix(s, family);
	me = model_find(m, e.source_id, &e.prefix);
	if (me != NULL && rnd(s) % 2) {
		assert_int_equal(store_entry_del(t, e.source_id, &e.prefix), 0);
		me->live = 0;
		return;
	}
	e.flags = rnd(s) % 5 == 0 ? STORE_F_EXCLUDE : 0;
	assert_int_equal(store_entry_put(t, &e, NULL), 0);
	if (me == NULL) {
		me = &m->e[m->n++];
		me->src = e.source_id;
		me->c = e.prefix;
		me->live = 1;
	}
	me->flags = e.flags;
}

static void
model_check(struct store *st, const struct model *m, uint64_t *s)
{
	struct store_txn *t;
	struct store_hit h[8];
	struct rp_addr a;
	char buf[RP_CIDR_STRLEN], got[256];
	size_t n, i, j, len;

	assert_int_equal(store_txn_begin(st, 0, &t), 0);
	for (i = 0; i < 400; i++) {
		a = random_addr(s, i % 3 ? RP_AF_INET : RP_AF_INET6);
		assert_int_equal(store_lookup(t, &a, h, 8, &n), 0);
		got[0] = '\0';
		for (j = 0, len = 0; j < n; j++)
			len += (size_t)snprintf(got + len, sizeof(got) - len,
			    "%s%u/%u", j ? " " : "", h[j].source_id,
			    h[j].bits);
		if (strcmp(got, model_hits(m, &a)) != 0)
			fail_msg("%s: store says '%s', model '%s'",
			    cidr_addr_str(&a, buf), got, model_hits(m, &a));
	}
	assert_int_equal(store_verify(t, NULL, NULL), 0);
	store_txn_abort(t);
}

static void
store_matches_model_under_random_changes(void **state)
{
	struct fixture *f = *state;
	struct model m = { 0 };
	struct store_txn *t;
	struct store_source src;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t round, i, batch;

	m.e = calloc(20000, sizeof(*m.e));
	assert_non_null(m.e);
	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	for (i = 1; i <= 3; i++) {
		char name[8];

		snprintf(name, sizeof(name), "s%zu", i);
		assert_int_equal(store_source_ensure(t, name, &src), 0);
	}
	assert_int_equal(store_txn_commit(t), 0);
	/* Small batches take the per-range path, big ones the full sweep. */
	for (round = 0; round < 40; round++) {
		batch = round % 4 == 3 ? 600 : 1 + rnd(&seed) % 40;
		assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
		for (i = 0; i < batch && m.n < 19000; i++)
			model_op(t, &m, &seed);
		assert_int_equal(store_txn_commit(t), 0);
		model_check(f->st, &m, &seed);
	}
	free(m.e);
}

/* Enough intervals for many chunks: splits on growth, merges on shrink. */
static void
store_chunks_split_and_merge(void **state)
{
	struct fixture *f = *state;
	struct model m = { 0 };
	struct store_txn *t;
	struct store_stats stats;
	uint64_t seed = 42;
	size_t i, round;

	m.e = calloc(60000, sizeof(*m.e));
	assert_non_null(m.e);
	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	for (i = 1; i <= 3; i++) {
		char name[8];
		struct store_source src;

		snprintf(name, sizeof(name), "s%zu", i);
		assert_int_equal(store_source_ensure(t, name, &src), 0);
	}
	for (i = 0; i < 30000; i++) {
		struct store_entry e = { 0 };

		e.source_id = (uint16_t)(1 + rnd(&seed) % 3);
		e.prefix.addr = random_addr(&seed, RP_AF_INET);
		e.prefix.addr.bytes[1] = (uint8_t)rnd(&seed);
		e.prefix.bits = rnd(&seed) % 10 ? 32 : 24;
		cidr_mask(&e.prefix.addr, e.prefix.bits);
		if (model_find(&m, e.source_id, &e.prefix) != NULL)
			continue;
		assert_int_equal(store_entry_put(t, &e, NULL), 0);
		m.e[m.n].src = e.source_id;
		m.e[m.n].c = e.prefix;
		m.e[m.n].live = 1;
		m.n++;
	}
	assert_int_equal(store_txn_commit(t), 0);
	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_stats(t, &stats), 0);
	assert_true(stats.chunks[0] > 5);
	store_txn_abort(t);
	/* Remove most entries in small batches (per-range path). */
	for (round = 0; round < 12; round++) {
		assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
		for (i = 0; i < m.n; i++) {
			if (!m.e[i].live || rnd(&seed) % 200 != 0)
				continue;
			assert_int_equal(store_entry_del(t, m.e[i].src,
			    &m.e[i].c), 0);
			m.e[i].live = 0;
		}
		assert_int_equal(store_txn_commit(t), 0);
	}
	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	for (i = 0; i < m.n; i++) {
		if (!m.e[i].live || rnd(&seed) % 10 == 0)
			continue;
		assert_int_equal(store_entry_del(t, m.e[i].src, &m.e[i].c), 0);
		m.e[i].live = 0;
	}
	assert_int_equal(store_txn_commit(t), 0);
	for (i = 0; i < m.n; i++)
		if (m.e[i].live)
			break;
	{
		char buf[RP_CIDR_STRLEN];

		/* A listed address is found through the shrunk chunks. */
		assert_true(i < m.n);
		cidr_addr_str(&m.e[i].c.addr, buf);
		assert_string_equal(model_hits(&m, &m.e[i].c.addr),
		    hits_of(f->st, buf));
	}
	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_stats(t, &stats), 0);
	assert_int_equal(store_verify(t, NULL, NULL), 0);
	store_txn_abort(t);
	free(m.e);
}

static void
store_keeps_asn_listings_out_of_the_index(void **state)
{
	struct fixture *f = *state;
	struct store_txn *t;
	struct store_entry e = { 0 }, got;
	struct store_source s;
	uint16_t a;

	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	a = source(t, "asndrop");
	assert_int_equal(cidr_parse_asn("AS932", &e.prefix), 0);
	e.source_id = a;
	e.reason = "XNNET";
	e.reason_len = 5;
	assert_int_equal(store_entry_put(t, &e, NULL), 0);
	put(t, a, "192.0.2.0/24", 0);
	assert_int_equal(store_txn_commit(t), 0);
	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_entry_get(t, a, &e.prefix, &got), 0);
	assert_memory_equal(got.reason, "XNNET", 5);
	assert_int_equal(store_source_get(t, "asndrop", &s), 0);
	assert_int_equal(s.entries, 2);
	assert_int_equal(store_verify(t, NULL, NULL), 0);
	store_txn_abort(t);
	assert_string_equal(hits_of(f->st, "0.0.3.164"), "");
	assert_string_equal(hits_of(f->st, "192.0.2.1"), "1/24");
}

static int
count_entry(const struct store_entry *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static int
stop_at_first(const struct store_entry *e, void *arg)
{
	(void)e;
	(void)arg;
	return 7;
}

static void
store_walks_entries_within_a_prefix(void **state)
{
	struct fixture *f = *state;
	struct store_txn *t;
	struct rp_cidr p24 = P("192.0.2.0/24"), p16 = P("10.1.0.0/16");
	int n = 0;
	uint16_t a;

	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	a = source(t, "a");
	put(t, a, "10.0.0.0/8", 0);
	put(t, a, "10.1.0.0/16", 0);
	put(t, a, "10.1.2.3", 0);
	put(t, a, "10.2.0.1", 0);
	put(t, a, "192.0.2.0/24", 0);
	put(t, a, "192.0.2.9", 0);
	put(t, a, "192.0.3.0", 0);
	assert_int_equal(store_txn_commit(t), 0);
	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_entry_within(t, a, &p24, count_entry, &n), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(store_entry_within(t, a, &p16, count_entry, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_entry_within(t, a, &p16, stop_at_first, NULL),
	    7);
	assert_int_equal(store_entry_foreach(t, a, 0, stop_at_first, NULL), 7);
	store_txn_abort(t);
}

static void
store_prunes_old_history(void **state)
{
	struct fixture *f = *state;
	struct store_txn *t;
	struct rp_cidr c = P("192.0.2.0/24");
	size_t n;
	int events = 0;
	uint16_t a;

	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	a = source(t, "a");
	assert_int_equal(store_history_add(t, STORE_EV_LISTED, a, &c, "", 0,
	    100), 0);
	assert_int_equal(store_history_add(t, STORE_EV_DELISTED, a, &c, "", 0,
	    200), 0);
	assert_int_equal(store_history_add(t, STORE_EV_LISTED, a, &c, "", 0,
	    300), 0);
	assert_int_equal(store_txn_commit(t), 0);
	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	assert_int_equal(store_history_prune(t, 250, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_history_prune(t, 250, 10, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_txn_commit(t), 0);
	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_history_for(t, a, &c, count_event, &events), 0);
	assert_int_equal(events, 1);
	store_txn_abort(t);
}

static void
store_aborted_txn_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct store_txn *t;
	uint16_t a;

	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	a = source(t, "a");
	put(t, a, "192.0.2.0/24", 0);
	assert_int_equal(store_txn_commit(t), 0);
	assert_int_equal(store_txn_begin(f->st, 1, &t), 0);
	put(t, a, "198.51.100.0/24", 0);
	assert_int_equal(store_entry_del(t, a, &(struct rp_cidr){
	    .addr = A("192.0.2.0"), .bits = 24 }), 0);
	store_txn_abort(t);
	assert_string_equal(hits_of(f->st, "192.0.2.1"), "1/24");
	assert_string_equal(hits_of(f->st, "198.51.100.1"), "");
}

static void
store_refuses_unknown_version(void **state)
{
	struct fixture *f = *state;
	struct store *st2;
	char cmd[256];

	store_close(f->st);
	f->st = NULL;
	/* Write version 99 with lmdb-utils, as a newer program would. */
	if (system("command -v mdb_load >/dev/null") != 0)
		skip();
	{
		FILE *p;

		snprintf(cmd, sizeof(cmd), "mdb_load -T -s meta %s", f->dir);
		p = popen(cmd, "w");
		assert_non_null(p);
		fputs("version\nc\\00\\00\\00\n", p);
		assert_int_equal(pclose(p), 0);
	}
	assert_int_equal(store_open(&st2, f->dir, STORE_CREATE), -EPROTO);
	assert_non_null(st2);
	assert_int_equal(store_found_version(st2), 99);
	store_close(st2);
	assert_int_equal(store_open(&f->st, "/nonexistent/x", STORE_RDONLY),
	    -ENOENT);
	f->st = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(schema_entry_roundtrips),
		cmocka_unit_test(schema_source_and_event_roundtrip),
		cmocka_unit_test_setup_teardown(
		    store_nested_overlap_and_exclusions, setup, teardown),
		cmocka_unit_test_setup_teardown(store_family_limits, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    store_counts_history_and_serial, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_matches_model_under_random_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_chunks_split_and_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_keeps_asn_listings_out_of_the_index, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_walks_entries_within_a_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_prunes_old_history, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_aborted_txn_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_refuses_unknown_version, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
