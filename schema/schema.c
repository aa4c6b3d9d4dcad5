/* schema.c -- encoding and decoding of the store's keys and records. */
#include <errno.h>
#include <string.h>

#include "name.h"
#include "schema.h"

static void
put_u16le(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static uint16_t
get_u16le(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static void
put_u32le(uint8_t *p, uint32_t v)
{
	put_u16le(p, (uint16_t)v);
	put_u16le(p + 2, (uint16_t)(v >> 16));
}

static uint32_t
get_u32le(const uint8_t *p)
{
	return get_u16le(p) | (uint32_t)get_u16le(p + 2) << 16;
}

static void
put_u64le(uint8_t *p, uint64_t v)
{
	put_u32le(p, (uint32_t)v);
	put_u32le(p + 4, (uint32_t)(v >> 32));
}

static uint64_t
get_u64le(const uint8_t *p)
{
	return get_u32le(p) | (uint64_t)get_u32le(p + 4) << 32;
}

size_t
schema_entry_key(uint8_t *buf, uint16_t source_id, const struct rp_cidr *c)
{
	size_t alen = cidr_family_bits(c->addr.family) / 8;

	buf[0] = (uint8_t)(source_id >> 8);
	buf[1] = (uint8_t)source_id;
	buf[2] = c->addr.family;
	memcpy(buf + 3, c->addr.bytes, alen);
	buf[3 + alen] = c->bits;
	return 4 + alen;
}

int
schema_entry_key_decode(const void *vbuf, size_t len, uint16_t *source_id,
    struct rp_cidr *c)
{
	const uint8_t *buf = vbuf;
	size_t alen;

	if (len != 8 && len != 20)
		return -EILSEQ;
	alen = len - 4;
	if ((buf[2] != RP_AF_INET || alen != 4) &&
	    (buf[2] != RP_AF_ASN || alen != 4) &&
	    (buf[2] != RP_AF_COUNTRY || alen != 4) &&
	    (buf[2] != RP_AF_NAME || alen != 16) &&
	    (buf[2] != RP_AF_INET6 || alen != 16))
		return -EILSEQ;
	memset(c, 0, sizeof(*c));
	*source_id = (uint16_t)(buf[0] << 8 | buf[1]);
	c->addr.family = buf[2];
	memcpy(c->addr.bytes, buf + 3, alen);
	c->bits = buf[3 + alen];
	if (c->bits > alen * 8)
		return -EILSEQ;
	return 0;
}

/* The name a record carries: only an entry of family RP_AF_NAME has one,
 * at most NAME_TEXT_MAX bytes. */
static size_t
name_len_of(const struct rp_cidr *c, size_t len)
{
	if (c->addr.family != RP_AF_NAME)
		return 0;
	return len > NAME_TEXT_MAX ? NAME_TEXT_MAX : len;
}

static size_t
reason_len_of(size_t len)
{
	return len > SCHEMA_REASON_MAX ? SCHEMA_REASON_MAX : len;
}

size_t
schema_entry_val_size(const struct store_entry *e)
{
	return SCHEMA_ENTRY_VAL_FIXED + reason_len_of(e->reason_len) +
	    name_len_of(&e->prefix, e->name_len);
}

void
schema_entry_val(uint8_t *buf, const struct store_entry *e)
{
	size_t rlen = reason_len_of(e->reason_len);
	size_t nlen = name_len_of(&e->prefix, e->name_len);

	buf[0] = e->flags;
	buf[1] = nlen > 0 ? e->name_kind : 0;
	put_u16le(buf + 2, (uint16_t)rlen);
	memcpy(buf + 4, &e->code, 4);
	put_u64le(buf + 8, (uint64_t)e->first_seen);
	put_u64le(buf + 16, (uint64_t)e->last_seen);
	put_u64le(buf + 24, (uint64_t)e->expires);
	if (rlen > 0)
		memcpy(buf + SCHEMA_ENTRY_VAL_FIXED, e->reason, rlen);
	if (nlen > 0)
		memcpy(buf + SCHEMA_ENTRY_VAL_FIXED + rlen, e->name, nlen);
}

/* Is kind a name kind, with a name of nlen bytes? */
static int
name_ok(unsigned kind, size_t nlen)
{
	return kind >= NAME_EXACT && kind <= NAME_TREE && nlen > 0 &&
	    nlen <= NAME_TEXT_MAX;
}

/* Fills the record fields of e; prefix and source_id are left alone, but
 * its family must be set: it says whether the record holds a name. */
int
schema_entry_val_decode(const void *vbuf, size_t len, struct store_entry *e)
{
	const uint8_t *buf = vbuf;
	size_t rlen, nlen;

	if (len < SCHEMA_ENTRY_VAL_FIXED)
		return -EILSEQ;
	rlen = get_u16le(buf + 2);
	if (len < SCHEMA_ENTRY_VAL_FIXED + rlen)
		return -EILSEQ;
	nlen = len - SCHEMA_ENTRY_VAL_FIXED - rlen;
	e->name_kind = 0;
	e->name = NULL;
	e->name_len = 0;
	if (e->prefix.addr.family == RP_AF_NAME) {
		if (!name_ok(buf[1], nlen))
			return -EILSEQ;
		e->name_kind = buf[1];
		e->name = (const char *)buf + SCHEMA_ENTRY_VAL_FIXED + rlen;
		e->name_len = nlen;
	} else if (nlen != 0) {
		return -EILSEQ;
	}
	e->flags = buf[0];
	memcpy(&e->code, buf + 4, 4);
	e->first_seen = (int64_t)get_u64le(buf + 8);
	e->last_seen = (int64_t)get_u64le(buf + 16);
	e->expires = (int64_t)get_u64le(buf + 24);
	e->reason = (const char *)buf + SCHEMA_ENTRY_VAL_FIXED;
	e->reason_len = rlen;
	return 0;
}

static uint8_t *
put_str(uint8_t *p, const char *s, size_t max)
{
	size_t n = strnlen(s, max - 1);

	put_u16le(p, (uint16_t)n);
	memcpy(p + 2, s, n);
	return p + 2 + n;
}

static const uint8_t *
get_str(const uint8_t *p, const uint8_t *end, char *out, size_t max)
{
	size_t n;

	if (p == NULL || end - p < 2)
		return NULL;
	n = get_u16le(p);
	if ((size_t)(end - p - 2) < n || n >= max)
		return NULL;
	memcpy(out, p + 2, n);
	out[n] = '\0';
	return p + 2 + n;
}

size_t
schema_source_val(uint8_t *buf, const struct store_source *s)
{
	uint8_t *p = buf;

	put_u16le(p, s->id);
	put_u64le(p + 2, (uint64_t)s->last_attempt);
	put_u64le(p + 10, (uint64_t)s->last_success);
	put_u64le(p + 18, (uint64_t)s->last_change);
	put_u64le(p + 26, s->entries);
	put_u32le(p + 34, s->added);
	put_u32le(p + 38, s->kept);
	put_u32le(p + 42, s->removed);
	put_u32le(p + 46, s->rejected);
	p = put_str(p + 50, s->etag, sizeof(s->etag));
	p = put_str(p, s->last_modified, sizeof(s->last_modified));
	p = put_str(p, s->last_error, sizeof(s->last_error));
	put_u32le(p, s->failures);
	put_u64le(p + 4, (uint64_t)s->retry_after);
	p = put_str(p + 12, s->last_warning, sizeof(s->last_warning));
	return (size_t)(p - buf);
}

/* Fills every field of s but the name, which is the record's key. */
int
schema_source_val_decode(const void *vbuf, size_t len, struct store_source *s)
{
	const uint8_t *buf = vbuf, *end = buf + len, *p;

	if (len < 50)
		return -EILSEQ;
	s->id = get_u16le(buf);
	s->last_attempt = (int64_t)get_u64le(buf + 2);
	s->last_success = (int64_t)get_u64le(buf + 10);
	s->last_change = (int64_t)get_u64le(buf + 18);
	s->entries = get_u64le(buf + 26);
	s->added = get_u32le(buf + 34);
	s->kept = get_u32le(buf + 38);
	s->removed = get_u32le(buf + 42);
	s->rejected = get_u32le(buf + 46);
	p = get_str(buf + 50, end, s->etag, sizeof(s->etag));
	p = get_str(p, end, s->last_modified, sizeof(s->last_modified));
	p = get_str(p, end, s->last_error, sizeof(s->last_error));
	if (p == end)
		return 0;	/* written before the fields below existed */
	if (p == NULL || end - p < 12)
		return -EILSEQ;
	s->failures = get_u32le(p);
	s->retry_after = (int64_t)get_u64le(p + 4);
	p = get_str(p + 12, end, s->last_warning, sizeof(s->last_warning));
	return p == end ? 0 : -EILSEQ;
}

size_t
schema_event_val_size(const struct store_event *ev)
{
	size_t nlen = name_len_of(&ev->prefix, ev->name_len);

	return 8 + 1 + 2 + 1 + 1 + cidr_family_bits(ev->prefix.addr.family) /
	    8 + 2 + reason_len_of(ev->reason_len) + (nlen > 0 ? 1 + nlen : 0);
}

void
schema_event_val(uint8_t *buf, const struct store_event *ev)
{
	size_t alen = cidr_family_bits(ev->prefix.addr.family) / 8;
	size_t rlen = reason_len_of(ev->reason_len);
	size_t nlen = name_len_of(&ev->prefix, ev->name_len);

	put_u64le(buf, (uint64_t)ev->time);
	buf[8] = ev->type;
	put_u16le(buf + 9, ev->source_id);
	buf[11] = ev->prefix.addr.family;
	buf[12] = ev->prefix.bits;
	memcpy(buf + 13, ev->prefix.addr.bytes, alen);
	put_u16le(buf + 13 + alen, (uint16_t)rlen);
	if (rlen > 0)
		memcpy(buf + 15 + alen, ev->reason, rlen);
	if (nlen > 0) {
		buf[15 + alen + rlen] = ev->name_kind;
		memcpy(buf + 16 + alen + rlen, ev->name, nlen);
	}
}

/* Fills every field of ev but seq, which is the record's key. */
int
schema_event_val_decode(const void *vbuf, size_t len, struct store_event *ev)
{
	const uint8_t *buf = vbuf;
	size_t alen, rlen, tail;

	if (len < 13)
		return -EILSEQ;
	if (buf[11] != RP_AF_INET && buf[11] != RP_AF_INET6 &&
	    buf[11] != RP_AF_ASN && buf[11] != RP_AF_COUNTRY &&
	    buf[11] != RP_AF_NAME)
		return -EILSEQ;
	alen = cidr_family_bits(buf[11]) / 8;
	if (len < 15 + alen)
		return -EILSEQ;
	rlen = get_u16le(buf + 13 + alen);
	if (len < 15 + alen + rlen)
		return -EILSEQ;
	tail = len - 15 - alen - rlen;	/* a name: its kind and text */
	ev->name_kind = 0;
	ev->name = NULL;
	ev->name_len = 0;
	if (buf[11] == RP_AF_NAME) {
		if (tail < 1 || !name_ok(buf[15 + alen + rlen], tail - 1))
			return -EILSEQ;
		ev->name_kind = buf[15 + alen + rlen];
		ev->name = (const char *)buf + 16 + alen + rlen;
		ev->name_len = tail - 1;
	} else if (tail != 0) {
		return -EILSEQ;
	}
	memset(&ev->prefix, 0, sizeof(ev->prefix));
	ev->time = (int64_t)get_u64le(buf);
	ev->type = buf[8];
	ev->source_id = get_u16le(buf + 9);
	ev->prefix.addr.family = buf[11];
	ev->prefix.bits = buf[12];
	if (ev->prefix.bits > alen * 8)
		return -EILSEQ;
	memcpy(ev->prefix.addr.bytes, buf + 13, alen);
	ev->reason_len = get_u16le(buf + 13 + alen);
	ev->reason = (const char *)buf + 15 + alen;
	return 0;
}
