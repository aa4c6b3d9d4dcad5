/* index.c -- the interval index: lookups through a per-snapshot chunk
 * directory. Layout in schema.h and README.md; building in index_build.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

int
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
uint32_t
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
const uint8_t *
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
	if (a->family != RP_AF_INET && a->family != RP_AF_INET6)
		return -EINVAL;
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
