/* index.c -- the interval index: disjoint address intervals, each with the
 * winning entry of every source covering it, stored as sorted arrays in
 * large LMDB values ("chunks") searched in place. See schema.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

__extension__ typedef unsigned __int128 u128;

#define PAYLOAD_MAX	(1 + 255 * SCHEMA_HIT_SIZE)

/* Interval starts and payload offsets; payloads live in a shared pool. */
struct ivec {
	u128		*start;
	uint32_t	*pay;
	size_t		 n, cap;
};

struct pool {
	uint8_t		*buf;	/* buf[0] is the empty payload */
	size_t		 len, cap;
	size_t		 last;	/* offset of the newest payload */
};

/* A chunk value, read in place. */
struct chunk {
	unsigned	 family;
	uint32_t	 n, paylen, ngroups, ntop;
	size_t		 kw, gsize;	/* key width, bytes per group */
	const uint8_t	*top, *summary, *groups, *pay;
};

static inline uint32_t
ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint64_t
ld64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u128
addr_u128(const struct rp_addr *a)
{
	unsigned i, n = cidr_family_bits(a->family) / 8;
	u128 v = 0;

	for (i = 0; i < n; i++)
		v = v << 8 | a->bytes[i];
	return v;
}

static void
u128_addr(u128 v, unsigned family, struct rp_addr *a)
{
	int i, n = (int)cidr_family_bits(family) / 8;

	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)family;
	for (i = n - 1; i >= 0; i--, v >>= 8)
		a->bytes[i] = (uint8_t)v;
}

static u128
family_max(unsigned family)
{
	return family == RP_AF_INET ? (u128)0xffffffffu : ~(u128)0;
}

static size_t
key_width(unsigned family)
{
	return family == RP_AF_INET ? 4 : 16;
}

/* The DB key of a chunk ending at last: native u32 for IPv4 (an
 * MDB_INTEGERKEY database), 16 big-endian bytes for IPv6. */
static void
dbkey(unsigned family, u128 last, uint8_t *buf, MDB_val *k)
{
	struct rp_addr a;
	unsigned int v4;

	if (family == RP_AF_INET) {
		v4 = (unsigned int)last;
		memcpy(buf, &v4, sizeof(v4));
		k->mv_size = sizeof(v4);
	} else {
		u128_addr(last, family, &a);
		memcpy(buf, a.bytes, 16);
		k->mv_size = 16;
	}
	k->mv_data = buf;
}

static int
dbkey_read(unsigned family, const MDB_val *k, u128 *out)
{
	struct rp_addr a;

	if (k->mv_size != key_width(family))
		return -EILSEQ;
	if (family == RP_AF_INET) {
		*out = ld32(k->mv_data);
		return 0;
	}
	memset(&a, 0, sizeof(a));
	a.family = RP_AF_INET6;
	memcpy(a.bytes, k->mv_data, 16);
	*out = addr_u128(&a);
	return 0;
}

static uint32_t
chunk_groups(uint32_t n)
{
	return (n + SCHEMA_CHUNK_GROUP - 1) / SCHEMA_CHUNK_GROUP;
}

/* Bytes before the groups: header, top, summary, payloads. */
static size_t
chunk_head(size_t kw, uint32_t n, uint32_t paylen)
{
	size_t g = chunk_groups(n), top = chunk_groups((uint32_t)g);

	return SCHEMA_CHUNK_HDR + top * kw + g * kw + paylen;
}

static size_t
chunk_size(size_t kw, uint32_t n, uint32_t paylen, uint32_t pad)
{
	return chunk_head(kw, n, paylen) + pad +
	    chunk_groups(n) * SCHEMA_CHUNK_GROUP * (kw + 4);
}

/*
 * Padding that puts the groups on a 128-byte boundary of the map, so that
 * a group's starts and offsets are one aligned pair of cache lines. A
 * large LMDB value sits on overflow pages right after a 16-byte page
 * header (64-bit builds); were that not so, only speed would suffer.
 */
static uint32_t
chunk_pad(size_t head)
{
	return (uint32_t)((SCHEMA_CHUNK_ALIGN - (16 + head) %
	    SCHEMA_CHUNK_ALIGN) % SCHEMA_CHUNK_ALIGN);
}

static int
chunk_open(const MDB_val *v, unsigned family, struct chunk *c)
{
	const uint8_t *p = v->mv_data;
	uint32_t pad;

	if (v->mv_size < SCHEMA_CHUNK_HDR)
		return -EILSEQ;
	c->family = family;
	c->kw = key_width(family);
	c->n = ld32(p);
	c->paylen = ld32(p + 4);
	pad = ld32(p + 8);
	if (c->n == 0 || c->paylen == 0 || c->n > (1u << 24) ||
	    pad >= SCHEMA_CHUNK_ALIGN ||
	    v->mv_size != chunk_size(c->kw, c->n, c->paylen, pad))
		return -EILSEQ;
	c->ngroups = chunk_groups(c->n);
	c->ntop = chunk_groups(c->ngroups);
	c->gsize = SCHEMA_CHUNK_GROUP * (c->kw + 4);
	c->top = p + SCHEMA_CHUNK_HDR;
	c->summary = c->top + (size_t)c->ntop * c->kw;
	c->pay = c->summary + (size_t)c->ngroups * c->kw;
	c->groups = c->pay + c->paylen + pad;
	return 0;
}

static inline u128
key_at(const uint8_t *k, size_t kw)
{
	if (kw == 4)
		return ld32(k);
	return (u128)ld64(k) << 64 | ld64(k + 8);
}

static inline u128
chunk_start(const struct chunk *c, uint32_t i)
{
	const uint8_t *g = c->groups +
	    (size_t)(i / SCHEMA_CHUNK_GROUP) * c->gsize;

	return key_at(g + (size_t)(i % SCHEMA_CHUNK_GROUP) * c->kw, c->kw);
}

/* Index of the last of keys[0, cnt) that is <= a, given keys[0] <= a. */
static inline uint32_t
scan_keys(const uint8_t *keys, size_t kw, uint32_t cnt, u128 a)
{
	uint32_t i, lo = 0, hi = cnt, mid;

	if (cnt > 2 * SCHEMA_CHUNK_GROUP) {
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (key_at(keys + (size_t)mid * kw, kw) <= a)
				lo = mid;
			else
				hi = mid;
		}
		return lo;
	}
	for (i = 1; i < cnt && key_at(keys + (size_t)i * kw, kw) <= a; i++)
		;
	return i - 1;
}

/*
 * The last interval starting at or before a (interval 0 starts at the
 * chunk's first address, which is <= a by the chunk's choice). Three
 * short scans, fanout 16 each, like a tiny B+tree: the top level is one
 * or two cache lines and stays cached; then one line of the summary and
 * one group, so a lookup costs about two memory misses.
 */
static uint32_t
chunk_find(const struct chunk *c, u128 a)
{
	uint32_t t, g, cnt;

	t = scan_keys(c->top, c->kw, c->ntop, a);
	cnt = c->ngroups - t * SCHEMA_CHUNK_GROUP;
	if (cnt > SCHEMA_CHUNK_GROUP)
		cnt = SCHEMA_CHUNK_GROUP;
	g = t * SCHEMA_CHUNK_GROUP + scan_keys(c->summary +
	    (size_t)t * SCHEMA_CHUNK_GROUP * c->kw, c->kw, cnt, a);
	cnt = c->n - g * SCHEMA_CHUNK_GROUP;
	if (cnt > SCHEMA_CHUNK_GROUP)
		cnt = SCHEMA_CHUNK_GROUP;
	return g * SCHEMA_CHUNK_GROUP + scan_keys(c->groups +
	    (size_t)g * c->gsize, c->kw, cnt, a);
}

/* The payload of interval i, or NULL when the chunk is malformed. */
static const uint8_t *
chunk_payload(const struct chunk *c, uint32_t i)
{
	const uint8_t *g = c->groups +
	    (size_t)(i / SCHEMA_CHUNK_GROUP) * c->gsize;
	uint32_t off = ld32(g + SCHEMA_CHUNK_GROUP * c->kw +
	    (size_t)(i % SCHEMA_CHUNK_GROUP) * 4);

	if (off >= c->paylen ||
	    (size_t)off + 1 + (size_t)c->pay[off] * SCHEMA_HIT_SIZE >
	    c->paylen)
		return NULL;
	return c->pay + off;
}

static void
payload_hits(const uint8_t *p, struct store_hit *hits, size_t max, size_t *n)
{
	size_t i, cnt = p[0];

	for (i = 0; i < cnt && i < max; i++) {
		const uint8_t *h = p + 1 + i * SCHEMA_HIT_SIZE;

		hits[i].source_id = (uint16_t)(h[0] << 8 | h[1]);
		hits[i].bits = h[2];
		hits[i].flags = h[3];
	}
	*n = cnt;
}

void
index_dir_free(struct index_dir *d)
{
	free(d->last);
	free(d->data);
	free(d->size);
	memset(d, 0, sizeof(*d));
}

static int
dir_add(struct index_dir *d, size_t *cap, u128 last, const MDB_val *v)
{
	void *a, *b, *c;

	if (d->n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		if ((a = realloc(d->last, *cap * (d->family == RP_AF_INET ?
		    sizeof(uint32_t) : sizeof(u128)))) == NULL)
			return -ENOMEM;
		d->last = a;
		if ((b = realloc(d->data, *cap * sizeof(*d->data))) == NULL)
			return -ENOMEM;
		d->data = b;
		if ((c = realloc(d->size, *cap * sizeof(*d->size))) == NULL)
			return -ENOMEM;
		d->size = c;
	}
	if (d->family == RP_AF_INET)
		((uint32_t *)d->last)[d->n] = (uint32_t)last;
	else
		((u128 *)d->last)[d->n] = last;
	d->data[d->n] = v->mv_data;
	d->size[d->n] = v->mv_size;
	d->n++;
	return 0;
}

/* Read the chunk directory of a family once per snapshot: a lookup then
 * searches a small array instead of walking LMDB's B-tree. */
static int
dir_build(struct store_txn *t, unsigned family, struct index_dir *d)
{
	int slot = store_family_slot(family), rc, op = MDB_FIRST;
	size_t cap = 0;
	MDB_cursor *cur;
	MDB_val k, v;
	u128 last;

	index_dir_free(d);
	d->family = family;
	if ((rc = mdb_cursor_open(t->txn, t->st->index[slot], &cur)) != 0)
		return store_errno(rc);
	while ((rc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if ((rc = dbkey_read(family, &k, &last)) != 0 ||
		    (rc = dir_add(d, &cap, last, &v)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND) {
		index_dir_free(d);
		return store_errno(rc);
	}
	d->built = 1;
	d->txnid = mdb_txn_id(t->txn);
	return 0;
}

/* The chunk holding a, through the directory; 0, or -ENOENT if none. */
static int
dir_find(struct store_txn *t, unsigned family, u128 a, MDB_val *v)
{
	struct index_dir *d = &t->dir[store_family_slot(family)];
	const uint32_t *last4;
	const u128 *last6;
	uint32_t a4 = (uint32_t)a;
	size_t lo = 0, hi, mid;
	int rc;

	if ((!d->built || d->txnid != mdb_txn_id(t->txn)) &&
	    (rc = dir_build(t, family, d)) != 0)
		return rc;
	last4 = d->last;
	last6 = d->last;
	hi = d->n;
	/* The first chunk whose last address is >= a. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (family == RP_AF_INET ? last4[mid] < a4 : last6[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == d->n)
		return -ENOENT;
	v->mv_data = (void *)d->data[lo];
	v->mv_size = d->size[lo];
	return 0;
}

/* The chunk holding a, through LMDB (write txns change chunks). */
static int
cursor_find(struct store_txn *t, unsigned family, u128 a, MDB_val *v)
{
	int slot = store_family_slot(family), rc;
	uint8_t kbuf[16];
	MDB_val k;

	if (t->lookup[slot] == NULL &&
	    (rc = mdb_cursor_open(t->txn, t->st->index[slot],
	    &t->lookup[slot])) != 0)
		return store_errno(rc);
	dbkey(family, a, kbuf, &k);
	rc = mdb_cursor_get(t->lookup[slot], &k, v, MDB_SET_RANGE);
	return store_errno(rc);
}

int
index_lookup(struct store_txn *t, const struct rp_addr *a,
    struct store_hit *hits, size_t max, size_t *n)
{
	MDB_val v;
	struct chunk c;
	const uint8_t *p;
	u128 av = addr_u128(a);
	int rc;

	*n = 0;
	rc = t->write ? cursor_find(t, a->family, av, &v) :
	    dir_find(t, a->family, av, &v);
	if (rc == -ENOENT)
		return 0;		/* an empty index */
	if (rc != 0)
		return rc;
	if (chunk_open(&v, a->family, &c) != 0 ||
	    (p = chunk_payload(&c, chunk_find(&c, av))) == NULL)
		return -EILSEQ;
	payload_hits(p, hits, max, n);
	return 0;
}

/* ---- building: payload pool and interval vectors ---- */

static int
pool_init(struct pool *p)
{
	memset(p, 0, sizeof(*p));
	if ((p->buf = malloc(4096)) == NULL)
		return -ENOMEM;
	p->cap = 4096;
	p->buf[0] = 0;
	p->len = 1;
	return 0;
}

static size_t
payload_size(const uint8_t *p)
{
	return 1 + (size_t)p[0] * SCHEMA_HIT_SIZE;
}

static int
pay_eq(const struct pool *p, uint32_t a, uint32_t b)
{
	return a == b || (p->buf[a] == p->buf[b] &&
	    memcmp(p->buf + a, p->buf + b, payload_size(p->buf + a)) == 0);
}

/* Add a payload, reusing the newest one when equal; 0 or -ENOMEM. */
static int
pool_add(struct pool *p, const uint8_t *pay, uint32_t *off)
{
	size_t sz = payload_size(pay), cap;
	uint8_t *tmp;

	if (pay[0] == 0) {
		*off = 0;
		return 0;
	}
	if (p->buf[p->last] == pay[0] &&
	    memcmp(p->buf + p->last, pay, sz) == 0) {
		*off = (uint32_t)p->last;
		return 0;
	}
	if (p->len + sz > p->cap) {
		for (cap = p->cap; cap < p->len + sz; cap *= 2)
			;
		if (cap > UINT32_MAX || (tmp = realloc(p->buf, cap)) == NULL)
			return -ENOMEM;
		p->buf = tmp;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, pay, sz);
	*off = (uint32_t)p->len;
	p->last = p->len;
	p->len += sz;
	return 0;
}

static int
ivec_append(struct ivec *v, u128 start, uint32_t pay)
{
	size_t cap;
	void *a, *b;

	if (v->n == v->cap) {
		cap = v->cap ? v->cap * 2 : 1024;
		if ((a = realloc(v->start, cap * sizeof(*v->start))) == NULL)
			return -ENOMEM;
		v->start = a;
		if ((b = realloc(v->pay, cap * sizeof(*v->pay))) == NULL)
			return -ENOMEM;
		v->pay = b;
		v->cap = cap;
	}
	v->start[v->n] = start;
	v->pay[v->n] = pay;
	v->n++;
	return 0;
}

/* Append keeping the vector canonical: one interval per start, and no
 * two neighbours with equal payloads. */
static int
ivec_push(struct ivec *v, const struct pool *p, u128 start, uint32_t pay)
{
	if (v->n > 0 && v->start[v->n - 1] == start) {
		v->pay[v->n - 1] = pay;
		if (v->n > 1 && pay_eq(p, v->pay[v->n - 2], pay))
			v->n--;
		return 0;
	}
	if (v->n > 0 && pay_eq(p, v->pay[v->n - 1], pay))
		return 0;
	return ivec_append(v, start, pay);
}

static void
ivec_free(struct ivec *v)
{
	free(v->start);
	free(v->pay);
	memset(v, 0, sizeof(*v));
}

/* Index of the last interval starting at or before a; v->n > 0 and
 * v->start[0] <= a. */
static size_t
ivec_find(const struct ivec *v, u128 a)
{
	size_t lo = 0, hi = v->n, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (v->start[mid] <= a)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* ---- the sweep: entries in address order -> intervals ---- */

struct sw_item {
	u128		start, end;
	uint16_t	src;
	uint8_t		bits, flags;
};

/* One cursor per source over the entries inside the range. */
struct sw_src {
	MDB_cursor	*cur;
	uint16_t	 id;
	int		 valid;
	struct sw_item	 item;
};

struct sweep {
	unsigned	 family;
	u128		 lo, hi;
	struct sw_item	*stack;
	size_t		 depth, cap;
	struct ivec	*out;
	struct pool	*pool;
};

/* Emit the cover at address at: per source the topmost stack item, unless
 * it is an exclusion. Hits sorted by source id. */
static int
sweep_emit(struct sweep *sw, u128 at)
{
	uint8_t pay[PAYLOAD_MAX], *h;
	uint16_t seen[256];
	size_t nseen = 0, i, j, cnt = 0;
	uint32_t off;
	int rc;

	for (i = sw->depth; i-- > 0;) {
		const struct sw_item *it = &sw->stack[i];

		for (j = 0; j < nseen && seen[j] != it->src; j++)
			;
		if (j < nseen || nseen == 255)
			continue;
		seen[nseen++] = it->src;
		if (it->flags & STORE_F_EXCLUDE)
			continue;
		/* Insertion by source id keeps payloads canonical. */
		for (j = cnt; j > 0; j--) {
			h = pay + 1 + (j - 1) * SCHEMA_HIT_SIZE;
			if ((h[0] << 8 | h[1]) < it->src)
				break;
			memcpy(h + SCHEMA_HIT_SIZE, h, SCHEMA_HIT_SIZE);
		}
		h = pay + 1 + j * SCHEMA_HIT_SIZE;
		h[0] = (uint8_t)(it->src >> 8);
		h[1] = (uint8_t)it->src;
		h[2] = it->bits;
		h[3] = it->flags;
		cnt++;
	}
	pay[0] = (uint8_t)cnt;
	if ((rc = pool_add(sw->pool, pay, &off)) != 0)
		return rc;
	return ivec_push(sw->out, sw->pool, at, off);
}

static int
sweep_push(struct sweep *sw, const struct sw_item *it)
{
	struct sw_item *tmp;
	size_t cap;

	if (sw->depth == sw->cap) {
		cap = sw->cap ? sw->cap * 2 : 64;
		if ((tmp = realloc(sw->stack, cap * sizeof(*tmp))) == NULL)
			return -ENOMEM;
		sw->stack = tmp;
		sw->cap = cap;
	}
	sw->stack[sw->depth++] = *it;
	return 0;
}

/* Pop every stack item ending before limit, emitting where cover changes. */
static int
sweep_pop_before(struct sweep *sw, u128 limit)
{
	int rc;

	while (sw->depth > 0 && sw->stack[sw->depth - 1].end < limit) {
		u128 next = sw->stack[--sw->depth].end + 1;

		if ((rc = sweep_emit(sw, next)) != 0)
			return rc;
	}
	return 0;
}

static int
item_from_entry(const MDB_val *k, const MDB_val *v, struct sw_item *it)
{
	struct rp_cidr c;
	struct rp_addr last;
	uint16_t src;
	int rc;

	if ((rc = schema_entry_key_decode(k->mv_data, k->mv_size, &src,
	    &c)) != 0 || v->mv_size < SCHEMA_ENTRY_VAL_FIXED)
		return rc ? rc : -EILSEQ;
	cidr_last(&c, &last);
	it->start = addr_u128(&c.addr);
	it->end = addr_u128(&last);
	it->src = src;
	it->bits = c.bits;
	it->flags = ((const uint8_t *)v->mv_data)[0];
	return 0;
}

/* Read the source's next entry inside [lo, hi], or mark it exhausted. */
static int
src_next(struct sweep *sw, struct sw_src *s, MDB_val *k, MDB_cursor_op op)
{
	MDB_val v;
	int rc;

	s->valid = 0;
	rc = mdb_cursor_get(s->cur, k, &v, op);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return store_errno(rc);
	if (k->mv_size < 3 || ((const uint8_t *)k->mv_data)[0] != s->id >> 8 ||
	    ((const uint8_t *)k->mv_data)[1] != (s->id & 0xff) ||
	    ((const uint8_t *)k->mv_data)[2] != sw->family)
		return 0;
	if ((rc = item_from_entry(k, &v, &s->item)) != 0)
		return rc;
	s->valid = s->item.start <= sw->hi;
	return 0;
}

/* The deepest entry of source id strictly containing range r, if any. */
static int
deepest_ancestor(struct store_txn *t, uint16_t id, const struct rp_cidr *r,
    struct sw_item *it, int *found)
{
	uint8_t key[SCHEMA_ENTRY_KEY_MAX];
	MDB_val k = { 0, key }, v;
	struct rp_cidr c;
	int bits, rc;

	*found = 0;
	for (bits = r->bits - 1; bits >= 0; bits--) {
		c.addr = r->addr;
		cidr_mask(&c.addr, (unsigned)bits);
		c.bits = (uint8_t)bits;
		k.mv_size = schema_entry_key(key, id, &c);
		rc = mdb_get(t->txn, t->st->entries, &k, &v);
		if (rc == MDB_NOTFOUND)
			continue;
		if (rc != 0)
			return store_errno(rc);
		*found = 1;
		return item_from_entry(&k, &v, it);
	}
	return 0;
}

static int
item_cmp(const void *a, const void *b)
{
	const struct sw_item *x = a, *y = b;

	if (x->bits != y->bits)
		return x->bits < y->bits ? -1 : 1;
	return x->src < y->src ? -1 : x->src > y->src;
}

/* Start the sweep of range r: the ancestors on the stack, widest first,
 * and one positioned cursor per source. */
static int
sweep_start(struct store_txn *t, struct sweep *sw, const struct rp_cidr *r,
    struct sw_src *srcs, size_t nsrc)
{
	uint8_t key[SCHEMA_ENTRY_KEY_MAX];
	MDB_val k;
	struct sw_item it;
	size_t i;
	int found, rc;

	for (i = 0; i < nsrc; i++) {
		if ((rc = deepest_ancestor(t, srcs[i].id, r, &it,
		    &found)) != 0)
			return rc;
		if (found && (rc = sweep_push(sw, &it)) != 0)
			return rc;
	}
	if (sw->depth > 1)
		qsort(sw->stack, sw->depth, sizeof(*sw->stack), item_cmp);
	for (i = 0; i < nsrc; i++) {
		if ((rc = mdb_cursor_open(t->txn, t->st->entries,
		    &srcs[i].cur)) != 0)
			return store_errno(rc);
		k.mv_data = key;
		k.mv_size = schema_entry_key(key, srcs[i].id, r);
		if ((rc = src_next(sw, &srcs[i], &k, MDB_SET_RANGE)) != 0)
			return rc;
	}
	return sweep_emit(sw, sw->lo);
}

static struct sw_src *
sweep_pick(struct sw_src *srcs, size_t nsrc)
{
	struct sw_src *best = NULL;
	size_t i;

	for (i = 0; i < nsrc; i++) {
		if (!srcs[i].valid)
			continue;
		if (best == NULL || srcs[i].item.start < best->item.start ||
		    (srcs[i].item.start == best->item.start &&
		    srcs[i].item.bits < best->item.bits))
			best = &srcs[i];
	}
	return best;
}

/* Merge the sources' entries in (start, length) order and sweep. */
static int
sweep_run(struct sweep *sw, struct sw_src *srcs, size_t nsrc)
{
	struct sw_src *s;
	MDB_val k;
	int rc;

	while ((s = sweep_pick(srcs, nsrc)) != NULL) {
		if ((rc = sweep_pop_before(sw, s->item.start)) != 0 ||
		    (rc = sweep_push(sw, &s->item)) != 0 ||
		    (rc = sweep_emit(sw, s->item.start)) != 0 ||
		    (rc = src_next(sw, s, &k, MDB_NEXT)) != 0)
			return rc;
	}
	return sweep_pop_before(sw, sw->hi);
}

/* Compute into out the intervals of range r from the entries. */
static int
sweep_range(struct store_txn *t, const struct rp_cidr *r, struct pool *pool,
    struct ivec *out)
{
	struct sweep sw = { 0 };
	struct sw_src *srcs = NULL;
	struct rp_addr last;
	uint16_t *ids = NULL;
	size_t i, nsrc = 0;
	int rc;

	sw.family = r->addr.family;
	cidr_last(r, &last);
	sw.lo = addr_u128(&r->addr);
	sw.hi = addr_u128(&last);
	sw.out = out;
	sw.pool = pool;
	if ((rc = store_source_ids(t, &ids, &nsrc)) != 0)
		return rc;
	if (nsrc > 0 && (srcs = calloc(nsrc, sizeof(*srcs))) == NULL) {
		free(ids);
		return -ENOMEM;
	}
	for (i = 0; i < nsrc; i++)
		srcs[i].id = ids[i];
	rc = sweep_start(t, &sw, r, srcs, nsrc);
	if (rc == 0)
		rc = sweep_run(&sw, srcs, nsrc);
	for (i = 0; i < nsrc; i++)
		if (srcs[i].cur != NULL)
			mdb_cursor_close(srcs[i].cur);
	free(srcs);
	free(ids);
	free(sw.stack);
	return rc;
}

/* ---- splicing new intervals into the stored chunks ---- */

/* The stored chunks overlapping a range: their intervals and bounds. */
struct span {
	unsigned	 family;
	u128		 start, end;
	u128		*bounds;	/* chunk keys (last addresses) */
	size_t		 nb;
	struct ivec	 old;
};

static int
span_add_bound(struct span *sp, u128 b)
{
	u128 *tmp;

	if ((tmp = realloc(sp->bounds, (sp->nb + 1) * sizeof(*tmp))) == NULL)
		return -ENOMEM;
	sp->bounds = tmp;
	sp->bounds[sp->nb++] = b;
	return 0;
}

static int
span_add_chunk(struct span *sp, struct pool *pool, const MDB_val *v)
{
	struct chunk c;
	const uint8_t *p;
	uint32_t i, off;
	int rc;

	if ((rc = chunk_open(v, sp->family, &c)) != 0)
		return rc;
	for (i = 0; i < c.n; i++) {
		if ((p = chunk_payload(&c, i)) == NULL)
			return -EILSEQ;
		if ((rc = pool_add(pool, p, &off)) != 0 ||
		    (rc = ivec_append(&sp->old, chunk_start(&c, i), off)) != 0)
			return rc;
	}
	return 0;
}

/* Where the chunk under the cursor starts: after the previous one. */
static int
span_find_start(MDB_cursor *cur, unsigned family, u128 *start)
{
	MDB_val k, v;
	u128 prev;
	int rc;

	rc = mdb_cursor_get(cur, &k, &v, MDB_PREV);
	if (rc == MDB_NOTFOUND) {
		*start = 0;
		return store_errno(mdb_cursor_get(cur, &k, &v, MDB_FIRST));
	}
	if (rc != 0 || (rc = dbkey_read(family, &k, &prev)) != 0)
		return store_errno(rc);
	*start = prev + 1;
	return store_errno(mdb_cursor_get(cur, &k, &v, MDB_NEXT));
}

static int
span_load(struct store_txn *t, struct span *sp, struct pool *pool,
    u128 lo, u128 hi)
{
	int slot = store_family_slot(sp->family), rc;
	uint8_t kbuf[16];
	MDB_cursor *cur;
	MDB_val k, v;
	u128 b = 0;

	if ((rc = mdb_cursor_open(t->txn, t->st->index[slot], &cur)) != 0)
		return store_errno(rc);
	dbkey(sp->family, lo, kbuf, &k);
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	if (rc == MDB_NOTFOUND) {
		/* No index yet: one uncovered interval over everything. */
		mdb_cursor_close(cur);
		sp->start = 0;
		sp->end = family_max(sp->family);
		return ivec_append(&sp->old, 0, 0);
	}
	if (rc == 0)
		rc = span_find_start(cur, sp->family, &sp->start);
	while (rc == 0) {
		if ((rc = mdb_cursor_get(cur, &k, &v, MDB_GET_CURRENT)) != 0 ||
		    (rc = dbkey_read(sp->family, &k, &b)) != 0 ||
		    (rc = span_add_bound(sp, b)) != 0 ||
		    (rc = span_add_chunk(sp, pool, &v)) != 0 || b >= hi)
			break;
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	sp->end = b;
	if (rc == MDB_NOTFOUND)		/* the last chunk must end at max */
		rc = -EILSEQ;
	return store_errno(rc);
}

/* res = old intervals outside [lo, hi] + the new ones inside. */
static int
splice(const struct span *sp, const struct ivec *nv, const struct pool *pool,
    u128 lo, u128 hi, struct ivec *res)
{
	const struct ivec *ov = &sp->old;
	size_t i;
	int rc = 0;

	for (i = 0; i < ov->n && ov->start[i] < lo && rc == 0; i++)
		rc = ivec_push(res, pool, ov->start[i], ov->pay[i]);
	for (i = 0; i < nv->n && rc == 0; i++)
		rc = ivec_push(res, pool, nv->start[i], nv->pay[i]);
	if (rc != 0 || hi >= sp->end)
		return rc;
	/* Outside the range nothing changed: restore the cover at hi + 1. */
	i = ivec_find(ov, hi + 1);
	rc = ivec_push(res, pool, hi + 1, ov->pay[i]);
	for (i++; i < ov->n && rc == 0; i++)
		rc = ivec_push(res, pool, ov->start[i], ov->pay[i]);
	return rc;
}

/* ---- chunk layout: where chunks end, and their bytes ---- */

static int
bounds_add(u128 **b, size_t *n, size_t *cap, u128 v)
{
	u128 *tmp;

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		if ((tmp = realloc(*b, *cap * sizeof(*tmp))) == NULL)
			return -ENOMEM;
		*b = tmp;
	}
	(*b)[(*n)++] = v;
	return 0;
}

/*
 * Where the new chunks end. Old bounds stay, so an import rewrites only
 * the chunks whose intervals changed; a piece grown past the maximum is
 * split into target-sized chunks, and one shrunk below the minimum is
 * merged with the next.
 */
static int
plan_bounds(const struct span *sp, const struct ivec *res, u128 **out,
    size_t *nout)
{
	const u128 *old = sp->nb ? sp->bounds : &sp->end;
	size_t nold = sp->nb ? sp->nb : 1, j, i = 0, begin = 0, k, cap = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	for (j = 0; j < nold; j++) {
		while (i < res->n && res->start[i] <= old[j])
			i++;
		if (i - begin < SCHEMA_CHUNK_MIN && j + 1 < nold)
			continue;
		if (i - begin > SCHEMA_CHUNK_MAX) {
			for (k = begin + SCHEMA_CHUNK_TARGET; k + 1 < i;
			    k += SCHEMA_CHUNK_TARGET)
				if ((rc = bounds_add(out, nout, &cap,
				    res->start[k] - 1)) != 0)
					return rc;
		}
		if ((rc = bounds_add(out, nout, &cap, old[j])) != 0)
			return rc;
		begin = i;
	}
	return 0;
}

static uint32_t
pay_hash(const uint8_t *p)
{
	size_t i, n = payload_size(p);
	uint32_t h = 2166136261u;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

struct encoder {
	uint8_t		*buf;		/* the chunk being built */
	size_t		 cap;
	uint8_t		*pay;		/* its payload area, deduplicated */
	size_t		 paylen, paycap;
	uint32_t	*slots;		/* hash: payload offset + 1 */
	size_t		 nslots;
};

static int
enc_reserve(uint8_t **buf, size_t *cap, size_t need)
{
	uint8_t *tmp;
	size_t c = *cap ? *cap : 4096;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if ((tmp = realloc(*buf, c)) == NULL)
		return -ENOMEM;
	*buf = tmp;
	*cap = c;
	return 0;
}

/* Offset of payload p in the chunk's payload area, adding it once. */
static int
enc_payload(struct encoder *e, const uint8_t *p, uint32_t *off)
{
	size_t sz = payload_size(p), s;
	uint32_t o;
	int rc;

	if (p[0] == 0) {
		*off = 0;
		return 0;
	}
	for (s = pay_hash(p) & (e->nslots - 1); e->slots[s] != 0;
	    s = (s + 1) & (e->nslots - 1)) {
		o = e->slots[s] - 1;
		if (memcmp(e->pay + o, p, sz) == 0) {
			*off = o;
			return 0;
		}
	}
	if ((rc = enc_reserve(&e->pay, &e->paycap, e->paylen + sz)) != 0)
		return rc;
	memcpy(e->pay + e->paylen, p, sz);
	*off = (uint32_t)e->paylen;
	e->slots[s] = (uint32_t)e->paylen + 1;
	e->paylen += sz;
	return 0;
}

static int
enc_reset(struct encoder *e, size_t n)
{
	size_t ns = 16;
	uint32_t *tmp;
	int rc;

	while (ns < 2 * n)
		ns *= 2;
	if (ns > e->nslots) {
		if ((tmp = realloc(e->slots, ns * sizeof(*tmp))) == NULL)
			return -ENOMEM;
		e->slots = tmp;
		e->nslots = ns;
	}
	memset(e->slots, 0, e->nslots * sizeof(*e->slots));
	if ((rc = enc_reserve(&e->pay, &e->paycap, 1)) != 0)
		return rc;
	e->pay[0] = 0;
	e->paylen = 1;
	return 0;
}

static void
store_key(uint8_t *p, u128 v, size_t kw)
{
	uint64_t half;
	uint32_t v4;

	if (kw == 4) {
		v4 = (uint32_t)v;
		memcpy(p, &v4, 4);
		return;
	}
	half = (uint64_t)(v >> 64);
	memcpy(p, &half, 8);
	half = (uint64_t)v;
	memcpy(p + 8, &half, 8);
}

/* Build the chunk of intervals res[from, to) whose first starts at cs.
 * Payloads first (their size decides where the groups go). */
static int
enc_chunk(struct encoder *e, unsigned family, const struct ivec *res,
    const struct pool *pool, size_t from, size_t to, u128 cs, size_t *len)
{
	size_t n = to - from, kw = key_width(family), i, ng, ntop, size;
	size_t gsize = SCHEMA_CHUNK_GROUP * (kw + 4), head;
	uint8_t *top, *sum, *g;
	uint32_t off, v32, pad;
	int rc;

	if ((rc = enc_reset(e, n)) != 0)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = enc_payload(e, pool->buf + res->pay[from + i],
		    &off)) != 0)
			return rc;
	ng = chunk_groups((uint32_t)n);
	ntop = chunk_groups((uint32_t)ng);
	head = chunk_head(kw, (uint32_t)n, (uint32_t)e->paylen);
	pad = chunk_pad(head);
	size = chunk_size(kw, (uint32_t)n, (uint32_t)e->paylen, pad);
	if ((rc = enc_reserve(&e->buf, &e->cap, size)) != 0)
		return rc;
	memset(e->buf, 0, size);
	top = e->buf + SCHEMA_CHUNK_HDR;
	sum = top + ntop * kw;
	memcpy(sum + ng * kw, e->pay, e->paylen);
	for (i = 0; i < n; i++) {
		u128 s = i == 0 ? cs : res->start[from + i];

		/* Found again: the same bytes hash to the same slot. */
		(void)enc_payload(e, pool->buf + res->pay[from + i], &off);
		g = e->buf + head + pad + (i / SCHEMA_CHUNK_GROUP) * gsize;
		store_key(g + (i % SCHEMA_CHUNK_GROUP) * kw, s, kw);
		memcpy(g + SCHEMA_CHUNK_GROUP * kw +
		    (i % SCHEMA_CHUNK_GROUP) * 4, &off, 4);
		if (i % SCHEMA_CHUNK_GROUP == 0)
			store_key(sum + (i / SCHEMA_CHUNK_GROUP) * kw, s, kw);
		if (i % (SCHEMA_CHUNK_GROUP * SCHEMA_CHUNK_GROUP) == 0)
			store_key(top + i / (SCHEMA_CHUNK_GROUP *
			    SCHEMA_CHUNK_GROUP) * kw, s, kw);
	}
	v32 = (uint32_t)n;
	memcpy(e->buf, &v32, 4);
	v32 = (uint32_t)e->paylen;
	memcpy(e->buf + 4, &v32, 4);
	memcpy(e->buf + 8, &pad, 4);
	*len = size;
	return 0;
}

static void
enc_free(struct encoder *e)
{
	free(e->buf);
	free(e->pay);
	free(e->slots);
}

/* Store one chunk unless the same bytes are there already. */
static int
put_chunk(struct store_txn *t, unsigned family, u128 last, const uint8_t *buf,
    size_t len)
{
	int slot = store_family_slot(family), rc;
	uint8_t kbuf[16];
	MDB_val k, v;

	dbkey(family, last, kbuf, &k);
	rc = mdb_get(t->txn, t->st->index[slot], &k, &v);
	if (rc == 0 && v.mv_size == len && memcmp(v.mv_data, buf, len) == 0)
		return 0;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_errno(rc);
	v.mv_size = len;
	v.mv_data = (void *)buf;
	return store_errno(mdb_put(t->txn, t->st->index[slot], &k, &v, 0));
}

/* Delete the old chunk keys that are not among the new bounds. */
static int
drop_old_bounds(struct store_txn *t, const struct span *sp, const u128 *nb,
    size_t nnb)
{
	int slot = store_family_slot(sp->family), rc;
	uint8_t kbuf[16];
	size_t i, j = 0;
	MDB_val k;

	for (i = 0; i < sp->nb; i++) {
		while (j < nnb && nb[j] < sp->bounds[i])
			j++;
		if (j < nnb && nb[j] == sp->bounds[i])
			continue;
		dbkey(sp->family, sp->bounds[i], kbuf, &k);
		if ((rc = mdb_del(t->txn, t->st->index[slot], &k, NULL)) != 0)
			return store_errno(rc);
	}
	return 0;
}

static int
write_chunks(struct store_txn *t, const struct span *sp,
    const struct ivec *res, const struct pool *pool)
{
	struct encoder e = { 0 };
	u128 *nb, cs = sp->start;
	size_t nnb, j, from = 0, to, len;
	int rc;

	if ((rc = plan_bounds(sp, res, &nb, &nnb)) != 0)
		return rc;
	for (j = 0; j < nnb && rc == 0; j++) {
		/* The first interval is the one covering cs. */
		from = ivec_find(res, cs);
		for (to = from + 1; to < res->n && res->start[to] <= nb[j]; to++)
			;
		rc = enc_chunk(&e, sp->family, res, pool, from, to, cs, &len);
		if (rc == 0)
			rc = put_chunk(t, sp->family, nb[j], e.buf, len);
		cs = nb[j] + 1;
	}
	if (rc == 0)
		rc = drop_old_bounds(t, sp, nb, nnb);
	enc_free(&e);
	free(nb);
	return rc;
}

/* ---- updating, checking, counting ---- */

/* Redo the index over prefix r from the entries. */
static int
rebuild_range(struct store_txn *t, const struct rp_cidr *r)
{
	struct span sp = { 0 };
	struct pool pool;
	struct ivec nv = { 0 }, res = { 0 };
	struct rp_addr last;
	int rc;

	if ((rc = pool_init(&pool)) != 0)
		return rc;
	sp.family = r->addr.family;
	cidr_last(r, &last);
	rc = span_load(t, &sp, &pool, addr_u128(&r->addr), addr_u128(&last));
	if (rc == 0)
		rc = sweep_range(t, r, &pool, &nv);
	if (rc == 0)
		rc = splice(&sp, &nv, &pool, addr_u128(&r->addr),
		    addr_u128(&last), &res);
	if (rc == 0)
		rc = write_chunks(t, &sp, &res, &pool);
	ivec_free(&nv);
	ivec_free(&res);
	ivec_free(&sp.old);
	free(sp.bounds);
	free(pool.buf);
	return rc;
}

static int
cidr_cmp(const void *a, const void *b)
{
	const struct rp_cidr *x = a, *y = b;
	int c = cidr_addr_cmp(&x->addr, &y->addr);

	if (c != 0)
		return c;
	return x->bits < y->bits ? -1 : x->bits > y->bits;
}

/* Sort the changed prefixes and keep only the outermost ones. */
static size_t
reduce_dirty(struct rp_cidr *d, size_t n)
{
	size_t i, out = 0;

	if (n > 1)
		qsort(d, n, sizeof(*d), cidr_cmp);
	for (i = 0; i < n; i++) {
		if (out > 0 && cidr_contains(&d[out - 1], &d[i].addr))
			continue;
		d[out++] = d[i];
	}
	return out;
}

int
index_update(struct store_txn *t)
{
	static const unsigned fams[2] = { RP_AF_INET, RP_AF_INET6 };
	struct rp_cidr all;
	size_t i, n;
	int s, rc;

	for (s = 0; s < 2; s++) {
		if (!t->full[s])
			continue;
		memset(&all, 0, sizeof(all));
		all.addr.family = (uint8_t)fams[s];
		if ((rc = rebuild_range(t, &all)) != 0)
			return rc;
	}
	n = reduce_dirty(t->dirty, t->ndirty);
	for (i = 0; i < n; i++) {
		if (t->full[store_family_slot(t->dirty[i].addr.family)])
			continue;
		if ((rc = rebuild_range(t, &t->dirty[i])) != 0)
			return rc;
	}
	t->ndirty = 0;
	t->full[0] = t->full[1] = 0;
	t->nfam[0] = t->nfam[1] = 0;
	return 0;
}

static void
reportf(void (*report)(const char *, void *), void *arg, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
reportf(void (*report)(const char *, void *), void *arg, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report(msg, arg);
}

/* Check that every chunk is well formed and that they tile the family. */
static int
verify_chunks(const struct span *sp, void (*report)(const char *, void *),
    void *arg)
{
	const struct ivec *v = &sp->old;
	size_t i;
	int bad = 0;

	if (sp->start != 0 || sp->end != family_max(sp->family)) {
		reportf(report, arg, "IPv%u index does not cover every address",
		    sp->family);
		bad = 1;
	}
	for (i = 1; i < v->n; i++) {
		if (v->start[i] <= v->start[i - 1]) {
			reportf(report, arg, "IPv%u index: intervals out of "
			    "order at position %zu", sp->family, i);
			return 1;
		}
	}
	return bad;
}

/* Compare two interval lists (both starting at 0) as functions from
 * address to payload, at every boundary of either. */
static int
verify_same(unsigned family, const struct ivec *a, const struct ivec *b,
    const struct pool *pool, void (*report)(const char *, void *), void *arg)
{
	size_t i = 0, j = 0, bad = 0;
	char buf[RP_CIDR_STRLEN];
	struct rp_addr at;
	u128 pt = 0;
	int more_a, more_b;

	while (bad < 10) {
		if (!pay_eq(pool, a->pay[i], b->pay[j])) {
			u128_addr(pt, family, &at);
			reportf(report, arg, "index disagrees with entries at "
			    "%s", cidr_addr_str(&at, buf));
			bad++;
		}
		more_a = i + 1 < a->n;
		more_b = j + 1 < b->n;
		if (!more_a && !more_b)
			break;
		if (more_a && (!more_b || a->start[i + 1] <= b->start[j + 1]))
			pt = a->start[i + 1];
		else
			pt = b->start[j + 1];
		if (more_a && a->start[i + 1] == pt)
			i++;
		if (more_b && b->start[j + 1] == pt)
			j++;
	}
	return bad != 0;
}

int
index_verify(struct store_txn *t, unsigned family,
    void (*report)(const char *msg, void *), void *arg)
{
	struct span sp = { 0 };
	struct pool pool;
	struct ivec fresh = { 0 };
	struct rp_cidr all;
	int rc, bad;

	if ((rc = pool_init(&pool)) != 0)
		return rc;
	memset(&all, 0, sizeof(all));
	all.addr.family = (uint8_t)family;
	sp.family = family;
	rc = span_load(t, &sp, &pool, 0, family_max(family));
	if (rc == -EILSEQ)
		reportf(report, arg, "IPv%u index: a chunk is malformed",
		    family);
	if (rc == 0)
		rc = sweep_range(t, &all, &pool, &fresh);
	if (rc == 0) {
		bad = verify_chunks(&sp, report, arg);
		bad |= verify_same(family, &sp.old, &fresh, &pool, report,
		    arg);
		rc = bad ? -EILSEQ : 0;
	}
	ivec_free(&fresh);
	ivec_free(&sp.old);
	free(sp.bounds);
	free(pool.buf);
	return rc;
}

int
index_count(struct store_txn *t, unsigned family, uint64_t *intervals,
    uint64_t *chunks)
{
	int slot = store_family_slot(family), rc, op = MDB_FIRST;
	MDB_cursor *cur;
	MDB_val k, v;
	struct chunk c;

	*intervals = *chunks = 0;
	if ((rc = mdb_cursor_open(t->txn, t->st->index[slot], &cur)) != 0)
		return store_errno(rc);
	while ((rc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if ((rc = chunk_open(&v, family, &c)) != 0)
			break;
		*intervals += c.n;
		(*chunks)++;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : store_errno(rc);
}
