/* index_build.c -- bringing the interval index up to date in a write txn:
 * sweep the entries of a range, splice, rewrite only changed chunks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

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
int
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

int
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
