/* index_chunk.c -- the chunk format: keys, reading in place, encoding. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

u128
addr_u128(const struct rp_addr *a)
{
	unsigned i, n = cidr_family_bits(a->family) / 8;
	u128 v = 0;

	for (i = 0; i < n; i++)
		v = v << 8 | a->bytes[i];
	return v;
}

void
u128_addr(u128 v, unsigned family, struct rp_addr *a)
{
	int i, n = (int)cidr_family_bits(family) / 8;

	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)family;
	for (i = n - 1; i >= 0; i--, v >>= 8)
		a->bytes[i] = (uint8_t)v;
}

u128
family_max(unsigned family)
{
	return family == RP_AF_INET ? (u128)0xffffffffu : ~(u128)0;
}

size_t
key_width(unsigned family)
{
	return family == RP_AF_INET ? 4 : 16;
}

/* The DB key of a chunk ending at last: native u32 for IPv4 (an
 * MDB_INTEGERKEY database), 16 big-endian bytes for IPv6. */
void
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

int
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

/* Bytes before the groups: header, top, summary, payloads. */
size_t
chunk_head(size_t kw, uint32_t n, uint32_t paylen)
{
	size_t g = chunk_groups(n), top = chunk_groups((uint32_t)g);

	return SCHEMA_CHUNK_HDR + top * kw + g * kw + paylen;
}

size_t
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

u128
chunk_start(const struct chunk *c, uint32_t i)
{
	const uint8_t *g = c->groups +
	    (size_t)(i / SCHEMA_CHUNK_GROUP) * c->gsize;

	return key_at(g + (size_t)(i % SCHEMA_CHUNK_GROUP) * c->kw, c->kw);
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
int
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

void
enc_free(struct encoder *e)
{
	free(e->buf);
	free(e->pay);
	free(e->slots);
}

/* Store one chunk unless the same bytes are there already. */
