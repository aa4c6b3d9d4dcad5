/* fuzz_records.c -- libFuzzer target: the store's record decoders and its
 * index chunk reader, on bytes as they could be found in a damaged or
 * hostile data.mdb. The first input byte picks what the rest is:
 *   0 entry key, 1 entry record, 2 source record, 3 history event
 *     (each decoded, and when accepted encoded back to the same bytes);
 *   4, 5 an IPv4 / IPv6 index chunk read in place as it is;
 *   6, 7 the same with a header made to fit (n, payload and padding
 *     sizes from the next 4 bytes), so that chunk_open() accepts it and
 *     chunk_find() / chunk_payload() run on hostile contents;
 *   8, 9 IPv4 / IPv6 intervals generated from the input, encoded with
 *     enc_chunk() and read back: every interval found, its payload the
 *     same bytes.
 * No input may crash, leak or read outside the value. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "../../schema/index_int.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REC_FUZZ	"fuzz_records"
#define REC_MODES	10
/* Intervals in a generated chunk: above 8192, chunk_find() searches
 * its top level by bisection. */
#define REC_MAX_N	9000

static void
rec_entry_key(const uint8_t *d, size_t n)
{
	uint8_t buf[SCHEMA_ENTRY_KEY_MAX];
	struct rp_cidr c;
	uint16_t id;

	if (schema_entry_key_decode(d, n, &id, &c) != 0)
		return;
	FH_CHECK(REC_FUZZ, c.bits <= cidr_family_bits(c.addr.family));
	FH_CHECK(REC_FUZZ, schema_entry_key(buf, id, &c) == n);
	FH_CHECK(REC_FUZZ, memcmp(buf, d, n) == 0);
}

static void
rec_entry_val(const uint8_t *d, size_t n)
{
	struct store_entry e;
	uint8_t *buf;

	memset(&e, 0, sizeof(e));
	/* The first byte picks whether the record is read as a name's. */
	if (n > 0 && (d[0] & 1)) {
		e.prefix.addr.family = RP_AF_NAME;
		e.prefix.bits = 128;
	}
	if (n > 0)
		d++, n--;
	if (schema_entry_val_decode(d, n, &e) != 0)
		return;
	FH_CHECK(REC_FUZZ, e.reason_len == 0 ||
	    ((const uint8_t *)e.reason >= d &&
	    (const uint8_t *)e.reason + e.reason_len <= d + n));
	/* The encoder cuts reasons at SCHEMA_REASON_MAX: only those
	 * within it come back whole. */
	if (e.reason_len > SCHEMA_REASON_MAX)
		return;
	FH_CHECK(REC_FUZZ, schema_entry_val_size(&e) == n);
	if ((buf = malloc(n)) == NULL)
		return;
	schema_entry_val(buf, &e);
	/* Byte 1 is a name's kind; in other records it is written 0 and
	 * not checked when read. */
	FH_CHECK(REC_FUZZ, buf[0] == d[0] && (e.name_len > 0 ?
	    buf[1] == d[1] : buf[1] == 0) &&
	    memcmp(buf + 2, d + 2, n - 2) == 0);
	free(buf);
}

static int
rec_source_eq(const struct store_source *a, const struct store_source *b)
{
	return a->id == b->id && a->last_attempt == b->last_attempt &&
	    a->last_success == b->last_success &&
	    a->last_change == b->last_change && a->entries == b->entries &&
	    a->added == b->added && a->kept == b->kept &&
	    a->removed == b->removed && a->rejected == b->rejected &&
	    strcmp(a->etag, b->etag) == 0 &&
	    strcmp(a->last_modified, b->last_modified) == 0 &&
	    strcmp(a->last_error, b->last_error) == 0 &&
	    a->failures == b->failures && a->retry_after == b->retry_after &&
	    strcmp(a->last_warning, b->last_warning) == 0;
}

/* Decode, encode, decode: the same source (strings up to a NUL). */
static void
rec_source_val(const uint8_t *d, size_t n)
{
	static uint8_t buf[SCHEMA_SOURCE_VAL_MAX];
	struct store_source a, b;
	size_t len;

	/* The store's reader zeroes the struct first (source_decode). */
	memset(&a, 0, sizeof(a));
	if (schema_source_val_decode(d, n, &a) != 0)
		return;
	len = schema_source_val(buf, &a);
	FH_CHECK(REC_FUZZ, len <= sizeof(buf));
	memset(&b, 0, sizeof(b));
	FH_CHECK(REC_FUZZ, schema_source_val_decode(buf, len, &b) == 0);
	FH_CHECK(REC_FUZZ, rec_source_eq(&a, &b));
}

static void
rec_event_val(const uint8_t *d, size_t n)
{
	struct store_event ev;
	uint8_t *buf;

	memset(&ev, 0, sizeof(ev));
	if (schema_event_val_decode(d, n, &ev) != 0)
		return;
	FH_CHECK(REC_FUZZ, ev.prefix.bits <=
	    cidr_family_bits(ev.prefix.addr.family));
	FH_CHECK(REC_FUZZ, ev.reason_len == 0 ||
	    ((const uint8_t *)ev.reason >= d &&
	    (const uint8_t *)ev.reason + ev.reason_len <= d + n));
	if (ev.reason_len > SCHEMA_REASON_MAX)
		return;
	FH_CHECK(REC_FUZZ, schema_event_val_size(&ev) == n);
	if ((buf = malloc(n)) == NULL)
		return;
	schema_event_val(buf, &ev);
	FH_CHECK(REC_FUZZ, memcmp(buf, d, n) == 0);
	free(buf);
}

/* One lookup in an open chunk: an interval of it, and a payload that
 * is NULL or wholly inside the payload area. */
static uint32_t
rec_probe(const struct chunk *c, u128 a)
{
	const uint8_t *p, *end = c->pay + c->paylen;
	volatile uint8_t sink = 0;
	uint32_t i;
	size_t k;

	i = chunk_find(c, a);
	FH_CHECK(REC_FUZZ, i < c->n);
	if ((p = chunk_payload(c, i)) == NULL)
		return i;
	FH_CHECK(REC_FUZZ, p >= c->pay && p < end);
	FH_CHECK(REC_FUZZ, payload_size(p) <= (size_t)(end - p));
	for (k = 0; k < payload_size(p); k++)
		sink ^= p[k];
	(void)sink;
	return i;
}

/* Look up the edges, the input's own addresses and around each start. */
static void
rec_chunk_probe(const struct chunk *c, const uint8_t *d, size_t n)
{
	u128 max = family_max(c->family), s;
	uint32_t i;
	size_t k;

	rec_probe(c, 0);
	rec_probe(c, max);
	for (k = 0; k + c->kw <= n && k < 64 * c->kw; k += c->kw)
		rec_probe(c, key_at(d + k, c->kw) & max);
	for (i = 0; i < c->n && i < 300; i++) {
		s = chunk_start(c, i) & max;
		rec_probe(c, s);
		rec_probe(c, s + 1 > max ? max : s + 1);
		rec_probe(c, s == 0 ? 0 : s - 1);
	}
}

static void
rec_chunk_raw(unsigned family, const uint8_t *d, size_t n)
{
	struct chunk c;
	MDB_val v;

	v.mv_data = (void *)d;
	v.mv_size = n;
	if (chunk_open(&v, family, &c) == 0)
		rec_chunk_probe(&c, d, n);
}

/* A chunk whose sizes agree with its length: the contents are the
 * input's (zeros where it runs out). */
static void
rec_chunk_fitted(unsigned family, const uint8_t *d, size_t n)
{
	uint32_t cnt, paylen, pad, zero = 0;
	struct chunk c;
	uint8_t *buf;
	MDB_val v;
	size_t size;

	if (n < 4)
		return;
	cnt = 1 + (uint32_t)(d[0] | d[1] << 8) % REC_MAX_N;
	paylen = 1 + d[2];
	pad = d[3] % SCHEMA_CHUNK_ALIGN;
	d += 4;
	n -= 4;
	size = chunk_size(key_width(family), cnt, paylen, pad);
	if ((buf = calloc(1, size)) == NULL)
		return;
	memcpy(buf, &cnt, 4);
	memcpy(buf + 4, &paylen, 4);
	memcpy(buf + 8, &pad, 4);
	memcpy(buf + 12, &zero, 4);
	memcpy(buf + SCHEMA_CHUNK_HDR, d, n < size - SCHEMA_CHUNK_HDR ? n :
	    size - SCHEMA_CHUNK_HDR);
	v.mv_data = buf;
	v.mv_size = size;
	FH_CHECK(REC_FUZZ, chunk_open(&v, family, &c) == 0);
	rec_chunk_probe(&c, d, n);
	free(buf);
}

/* xorshift64: the input seeds it, so each input makes one chunk. */
static uint64_t
rec_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A number below lim (lim > 0) from the generator. */
static u128
rec_below(uint64_t *x, u128 lim)
{
	u128 r = (u128)rec_rand(x) << 64 | rec_rand(x);

	return r % lim;
}

/* Intervals from the input: the first start, gaps and payloads (0 to 3
 * hits) drawn from its bytes, then from a generator it seeds; the gaps
 * spread the intervals over the family's whole space, or keep them
 * close. 0, or -1 when out of memory. */
static int
rec_intervals(unsigned family, const uint8_t *d, size_t n,
    struct pool *pool, struct ivec *v)
{
	u128 max = family_max(family), s, gap, span;
	uint8_t pay[1 + 3 * SCHEMA_HIT_SIZE];
	uint64_t x = 0x9e3779b97f4a7c15u, r;
	uint32_t want, off, i;
	size_t k;

	for (k = 0; k < n && k < 8; k++)
		x = (x << 8 | x >> 56) ^ d[k];
	/* Mostly small chunks, which are fast; one in 16 up to the most. */
	r = rec_rand(&x);
	want = 1 + (uint32_t)(r % (n > 2 && (r >> 32 & 15) == 0 ?
	    REC_MAX_N : 300));
	span = max / want / 2;
	s = n > 0 && d[0] & 1 ? rec_below(&x, span + 1) : 0;
	for (i = 0; i < want; i++) {
		r = i + 2 < n ? d[i + 2] : rec_rand(&x);
		pay[0] = (uint8_t)(r % 4);
		for (k = 0; k < pay[0]; k++) {
			pay[1 + 4 * k] = 0;
			pay[2 + 4 * k] = (uint8_t)(k + (r >> 2 & 1));
			pay[3 + 4 * k] = (uint8_t)(r >> 3);
			pay[4 + 4 * k] = (uint8_t)(r >> 5 & 7);
		}
		if (pool_add(pool, pay, &off) != 0 ||
		    ivec_append(v, s, off) != 0)
			return -1;
		gap = 1 + (r & 4 ? rec_below(&x, span + 1) : r >> 6);
		if (max - s < gap)
			break;
		s += gap;
	}
	return 0;
}

/* Encode intervals, read them back. */
static void
rec_chunk_codec(unsigned family, const uint8_t *d, size_t n)
{
	struct encoder e;
	struct pool pool;
	struct ivec v;
	struct chunk c;
	const uint8_t *p;
	MDB_val val;
	size_t len, i;
	u128 end;

	memset(&e, 0, sizeof(e));
	memset(&v, 0, sizeof(v));
	if (pool_init(&pool) != 0)
		return;
	if (rec_intervals(family, d, n, &pool, &v) != 0 || v.n == 0 ||
	    enc_chunk(&e, family, &v, &pool, 0, v.n, v.start[0], &len) != 0)
		goto out;
	val.mv_data = e.buf;
	val.mv_size = len;
	FH_CHECK(REC_FUZZ, chunk_open(&val, family, &c) == 0);
	FH_CHECK(REC_FUZZ, c.n == v.n);
	for (i = 0; i < v.n; i++) {
		end = i + 1 < v.n ? v.start[i + 1] - 1 : family_max(family);
		FH_CHECK(REC_FUZZ, chunk_start(&c, (uint32_t)i) ==
		    v.start[i]);
		FH_CHECK(REC_FUZZ, chunk_find(&c, v.start[i]) == i);
		FH_CHECK(REC_FUZZ, chunk_find(&c, end) == i);
		FH_CHECK(REC_FUZZ, (p = chunk_payload(&c, (uint32_t)i)) !=
		    NULL);
		FH_CHECK(REC_FUZZ, memcmp(p, pool.buf + v.pay[i],
		    payload_size(pool.buf + v.pay[i])) == 0);
	}
out:
	enc_free(&e);
	ivec_free(&v);
	free(pool.buf);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fh_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *d = data + 1;
	size_t n = size - 1;

	if (size == 0)
		return 0;
	switch (data[0] % REC_MODES) {
	case 0:
		rec_entry_key(d, n);
		break;
	case 1:
		rec_entry_val(d, n);
		break;
	case 2:
		rec_source_val(d, n);
		break;
	case 3:
		rec_event_val(d, n);
		break;
	case 4:
	case 5:
		rec_chunk_raw(data[0] % 2 ? RP_AF_INET6 : RP_AF_INET, d, n);
		break;
	case 6:
	case 7:
		rec_chunk_fitted(data[0] % 2 ? RP_AF_INET6 : RP_AF_INET, d, n);
		break;
	default:
		rec_chunk_codec(data[0] % 2 ? RP_AF_INET6 : RP_AF_INET, d, n);
		break;
	}
	return 0;
}
