/* index_int.h -- what the index modules share: the chunk format, interval
 * vectors and the range rebuild. Only schema/index*.c include it. */
#ifndef REPUTED_INDEX_INT_H
#define REPUTED_INDEX_INT_H

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

/* The stored chunks overlapping a range: their intervals and bounds. */
struct span {
	unsigned	 family;
	u128		 start, end;
	u128		*bounds;	/* chunk keys (last addresses) */
	size_t		 nb;
	struct ivec	 old;
};

/* Builds chunk values; reused from chunk to chunk. */
struct encoder {
	uint8_t		*buf;		/* the chunk being built */
	size_t		 cap;
	uint8_t		*pay;		/* its payload area, deduplicated */
	size_t		 paylen, paycap;
	uint32_t	*slots;		/* hash: payload offset + 1 */
	size_t		 nslots;
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

static inline u128
key_at(const uint8_t *k, size_t kw)
{
	if (kw == 4)
		return ld32(k);
	return (u128)ld64(k) << 64 | ld64(k + 8);
}

static inline uint32_t
chunk_groups(uint32_t n)
{
	return (n + SCHEMA_CHUNK_GROUP - 1) / SCHEMA_CHUNK_GROUP;
}

/* index_chunk.c: addresses as numbers, chunk keys, reading and writing
 * chunk values. */
u128	addr_u128(const struct rp_addr *a);
void	u128_addr(u128 v, unsigned family, struct rp_addr *a);
u128	family_max(unsigned family);
size_t	key_width(unsigned family);
void	dbkey(unsigned family, u128 last, uint8_t *buf, MDB_val *k);
int	dbkey_read(unsigned family, const MDB_val *k, u128 *out);
size_t	chunk_head(size_t kw, uint32_t n, uint32_t paylen);
size_t	chunk_size(size_t kw, uint32_t n, uint32_t paylen, uint32_t pad);
u128	chunk_start(const struct chunk *c, uint32_t i);
int	enc_chunk(struct encoder *e, unsigned family, const struct ivec *res,
	    const struct pool *pool, size_t from, size_t to, u128 cs,
	    size_t *len);
void	enc_free(struct encoder *e);

/* index.c: reading a chunk in place (the lookup path). */
int	chunk_open(const MDB_val *v, unsigned family, struct chunk *c);
uint32_t chunk_find(const struct chunk *c, u128 a);
const uint8_t *chunk_payload(const struct chunk *c, uint32_t i);

/* index_vec.c: payload pools and canonical interval vectors. */
int	pool_init(struct pool *p);
size_t	payload_size(const uint8_t *p);
int	pay_eq(const struct pool *p, uint32_t a, uint32_t b);
int	pool_add(struct pool *p, const uint8_t *pay, uint32_t *off);
int	ivec_append(struct ivec *v, u128 start, uint32_t pay);
int	ivec_push(struct ivec *v, const struct pool *p, u128 start,
	    uint32_t pay);
void	ivec_free(struct ivec *v);
size_t	ivec_find(const struct ivec *v, u128 a);

/* index_build.c: the stored chunks over [lo, hi], and the intervals of a
 * prefix computed from the entries. */
int	span_load(struct store_txn *t, struct span *sp, struct pool *pool,
	    u128 lo, u128 hi);
int	sweep_range(struct store_txn *t, const struct rp_cidr *r,
	    struct pool *pool, struct ivec *out);

#endif
