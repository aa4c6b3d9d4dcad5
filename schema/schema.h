/* schema.h -- the LMDB layout of the store: database names, keys, records.
 * Only schema/ includes this file; everything else uses store.h. The
 * layout is described for people in schema/README.md: keep both true. */
#ifndef REPUTED_SCHEMA_H
#define REPUTED_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "store.h"

/* Bump when any key or record below changes shape. */
#define SCHEMA_VERSION		2

/* Named databases. */
#define DB_META			"meta"		/* text key -> small value */
#define DB_ENTRIES		"entries"	/* entry key -> entry record */
#define DB_SOURCES		"sources"	/* name -> source record */
#define DB_SOURCE_IDS		"source_ids"	/* u32 id -> name */
#define DB_HISTORY		"history"	/* u64 seq -> event record */
#define DB_HISTORY_BY_ENTRY	"history_by_entry" /* entry key -> seq dups */
#define DB_INDEX4		"index4"	/* u32 last address -> chunk */
#define DB_INDEX6		"index6"	/* 16-byte last address -> chunk */

/* Keys of DB_META. */
#define META_VERSION		"version"	/* u32 */
#define META_NEXT_SOURCE_ID	"next_source_id" /* u32 */
#define META_SERIAL		"serial"	/* u32 */
#define META_CHANGED		"changed"	/* i64 Unix seconds */

/* Entry key: u16 source id (big endian), u8 family (1 ASN, 2 country,
 * 3 name, 4, 6), the prefix's address (4 or 16 bytes, network order; a
 * name's key digest), u8 prefix length. memcmp order is: source, family,
 * address, wider before narrower. */
#define SCHEMA_ENTRY_KEY_MAX	(2 + 1 + 16 + 1)
#define SCHEMA_ENTRY_VAL_FIXED	32
#define SCHEMA_REASON_MAX	4096

size_t	schema_entry_key(uint8_t *buf, uint16_t source_id,
	    const struct rp_cidr *c);
int	schema_entry_key_decode(const void *buf, size_t len,
	    uint16_t *source_id, struct rp_cidr *c);

/* Entry record: u8 flags, u8 name kind (0 but for a name), u16 reason
 * length, u32 code (network order), i64 first_seen, i64 last_seen, i64
 * expires (little endian), then the reason bytes, then (a name only) the
 * name's text, to the end of the record. */
size_t	schema_entry_val_size(const struct store_entry *e);
void	schema_entry_val(uint8_t *buf, const struct store_entry *e);
int	schema_entry_val_decode(const void *buf, size_t len,
	    struct store_entry *e);

/* Source record: u16 id, i64 last_attempt, last_success, last_change,
 * u64 entries, u32 added, kept, removed, rejected, then three strings
 * (u16 length + bytes): etag, last_modified, last_error; then u32
 * failures, i64 retry_after, string last_warning (a record that ends
 * before them reads as 0, 0, ""). */
#define SCHEMA_SOURCE_VAL_MAX	(2 + 3 * 8 + 8 + 4 * 4 + 3 * 2 + 256 + 64 + \
				 512 + 4 + 8 + 2 + 256)
size_t	schema_source_val(uint8_t *buf, const struct store_source *s);
int	schema_source_val_decode(const void *buf, size_t len,
	    struct store_source *s);

/* Event record: i64 time, u8 type, u16 source id, u8 family, u8 length,
 * address (4 or 16 bytes), u16 reason length, reason bytes; for a name,
 * then u8 name kind and the name's text to the end of the record. */
size_t	schema_event_val_size(const struct store_event *ev);
void	schema_event_val(uint8_t *buf, const struct store_event *ev);
int	schema_event_val_decode(const void *buf, size_t len,
	    struct store_event *ev);

/*
 * Interval index chunk (value of DB_INDEX4 / DB_INDEX6). The key is the
 * last address the chunk covers; the chunk covers from the previous key
 * plus one (or from 0) to its key, and its first interval starts there.
 *   u32 n, u32 payload bytes, u32 padding bytes before the groups, u32 0
 *   top: the first start of every 256th interval (ceil(groups / 16))
 *   summary: the first start of each group of 16 intervals
 *   payload: at each offset, u8 count, then count x {u16 source id,
 *            u8 prefix length, u8 flags}, sorted by source id;
 *            offset 0 always holds count 0 (not listed); each distinct
 *            payload once per chunk, next to the summary so that a
 *            lookup touches few pages
 *   padding: zeros, so that the groups start on a 128-byte boundary
 *   groups: ceil(n / 16) x {16 starts, 16 u32 payload offsets}, the last
 *           one padded with zeros; a start is a u32 (IPv4) or u64 high,
 *           u64 low (IPv6), host order
 * Interval i covers [start i, start i+1 - 1]; the last to the chunk's key.
 * Values are read in place with unaligned-safe loads.
 */
#define SCHEMA_CHUNK_HDR	16
#define SCHEMA_CHUNK_ALIGN	128	/* groups start on this boundary */
#define SCHEMA_CHUNK_TARGET	4096	/* intervals per chunk when split */
#define SCHEMA_CHUNK_MAX	8192	/* split above this */
#define SCHEMA_CHUNK_MIN	512	/* merge below this */
#define SCHEMA_CHUNK_GROUP	16	/* intervals per group: a cache line */
#define SCHEMA_HIT_SIZE		4

#endif
