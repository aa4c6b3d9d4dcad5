/* store.h -- the reputation store: one LMDB environment (see README.md). */
#ifndef REPUTED_STORE_H
#define REPUTED_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"

struct store;
struct store_txn;

/* store_open() flags. */
#define STORE_RDONLY	0x1	/* never write; the store must exist */
#define STORE_CREATE	0x2	/* create the directory and store if missing */

/* Entry flags (struct store_entry.flags, struct store_hit.flags). */
#define STORE_F_EXCLUDE	0x01	/* an exclusion: hides wider entries */
#define STORE_F_MANUAL	0x02	/* added by `reputectl list`; imports keep it */
#define STORE_F_CODE	0x04	/* code is the entry's own, not the source's */

/* History event types. */
enum store_event_type {
	STORE_EV_LISTED = 1,	/* an import added the prefix */
	STORE_EV_DELISTED,	/* an import no longer had it */
	STORE_EV_EXPIRED,	/* removed because its time ran out */
	STORE_EV_MANUAL_ADD,	/* reputectl list add */
	STORE_EV_MANUAL_DEL,	/* reputectl list del */
	STORE_EV_CHANGED	/* same prefix, new code, reason or flags */
};

/* One listed (or excluded) prefix of one source. A prefix of family
 * RP_AF_ASN lists an autonomous system, one of RP_AF_COUNTRY a country: it
 * is stored, counted, explained and has history like any entry, but is not
 * in the address index (answer.c matches it at query time). One of family
 * RP_AF_NAME lists a domain name (name.h): its prefix is name_key() of the
 * name, which the entry carries in name_kind and name; it is found by
 * store_name_lookup(), not by the address index. */
struct store_entry {
	struct rp_cidr	 prefix;
	uint16_t	 source_id;
	uint8_t		 flags;		/* STORE_F_* */
	uint32_t	 code;		/* A value, network order; 0: source's */
	int64_t		 first_seen;	/* Unix seconds */
	int64_t		 last_seen;
	int64_t		 expires;	/* 0: never */
	const char	*reason;	/* not NUL-terminated; see reason_len */
	size_t		 reason_len;
	/* Family RP_AF_NAME only (else 0, NULL, 0): enum name_kind, and
	 * the lower-case name, not NUL-terminated. */
	uint8_t		 name_kind;
	const char	*name;
	size_t		 name_len;
};

/* Import status of one source. Strings are NUL-terminated copies. */
struct store_source {
	char		name[64];
	uint16_t	id;
	int64_t		last_attempt;	/* 0: never */
	int64_t		last_success;
	int64_t		last_change;	/* last import that changed entries */
	uint64_t	entries;	/* distinct prefixes held now */
	uint32_t	added, kept, removed, rejected;	/* of the last import */
	char		etag[256];
	char		last_modified[64];
	char		last_error[512];	/* "" after a success */
	uint32_t	failures;	/* failed attempts since the last success */
	int64_t		retry_after;	/* no fetch before this (Retry-After) */
	char		last_warning[256];	/* of the last import, or "" */
};

/* A source listing an address: the winning (most specific) entry. */
struct store_hit {
	uint16_t	source_id;
	uint8_t		bits;		/* the entry's prefix length */
	uint8_t		flags;		/* the entry's STORE_F_* */
};

struct store_event {
	uint64_t	 seq;
	int64_t		 time;
	uint8_t		 type;		/* enum store_event_type */
	uint16_t	 source_id;
	struct rp_cidr	 prefix;
	const char	*reason;	/* not NUL-terminated */
	size_t		 reason_len;
	uint8_t		 name_kind;	/* as in struct store_entry */
	const char	*name;
	size_t		 name_len;
};

/*
 * Open (and with STORE_CREATE create) the store in directory dir.
 * 0 with *out yours (store_close() it); -EPROTO when the store has a
 * schema version this program does not know: then *out is set too, only
 * for store_found_version(), and must be closed; -ENOENT when it does not
 * exist, another -errno otherwise (*out NULL).
 */
int	store_open(struct store **out, const char *dir, unsigned flags);
void	store_close(struct store *st);		/* accepts NULL */

/* Where the store's map is in memory (for a fault handler). */
void	store_map_range(const struct store *st, const void **addr,
	    size_t *len);

/* Text for a negative code returned by any store_ function. */
const char *store_strerror(int rc);

/* The schema version a store holds (after -EPROTO), and the one we know. */
uint32_t store_found_version(const struct store *st);
uint32_t store_schema_version(void);

/*
 * Transactions. A read transaction sees one consistent state and never
 * blocks a writer; keep it short. Everything returned through pointers
 * (reasons, events) is borrowed from the map until the txn ends.
 * A write transaction brings the lookup index up to date and bumps the
 * serial in store_txn_commit(); on any error abort it.
 */
int	store_txn_begin(struct store *st, int write, struct store_txn **out);
int	store_txn_commit(struct store_txn *t);	/* always ends t */
void	store_txn_abort(struct store_txn *t);	/* accepts NULL */
/* Read transactions only: release the snapshot and take a fresh one,
 * keeping the handle (cheap; for the daemon's per-batch reads). */
void	store_txn_reset(struct store_txn *t);
int	store_txn_renew(struct store_txn *t);

/* Which committed state t sees: equal numbers, equal data (cheap). Not so
 * in a write transaction, whose number stays while it changes entries. */
uint64_t store_txn_snapshot(const struct store_txn *t);
/* 1 for a write transaction, 0 for a read one. */
int	store_txn_writable(const struct store_txn *t);

/* The serial: bumped by every commit that changed entries. */
int	store_serial(struct store_txn *t, uint32_t *serial, int64_t *changed);

/*
 * Which sources list address a: fills up to max hits, sorted by source
 * id, and sets *n to how many sources list it (may exceed max).
 * Exclusions are already applied. 0, or a negative code on error.
 * One index search: safe and fast on the query path.
 */
int	store_lookup(struct store_txn *t, const struct rp_addr *a,
	    struct store_hit *hits, size_t max, size_t *n);

/*
 * Does source_id list the domain name q (q_len bytes, lower case, relative
 * to the zone, no final dot), as rbldnsd's dnset decides: an entry for q
 * itself ("q" or ".q") wins; without one, the nearest parent p with a
 * "*.p" or ".p" entry decides. Where an exclusion is among the entries
 * that decide, q is not listed. Fills out[0..*n) (at most 2: the exact
 * and the tree form of one name both match) and returns 0 when listed,
 * -ENOENT when not, another negative code on error. A few B-tree reads
 * per label of q.
 */
int	store_name_lookup(struct store_txn *t, uint16_t source_id,
	    const char *q, size_t q_len, struct store_entry out[2],
	    size_t *n);

/* Entries. get: 0 or -ENOENT. put inserts or replaces (*inserted, may be
 * NULL, says which). del: 0 or -ENOENT. All keep counts and index right. */
int	store_entry_get(struct store_txn *t, uint16_t source_id,
	    const struct rp_cidr *prefix, struct store_entry *out);
int	store_entry_put(struct store_txn *t, const struct store_entry *e,
	    int *inserted);
int	store_entry_del(struct store_txn *t, uint16_t source_id,
	    const struct rp_cidr *prefix);

/* Call fn for every entry of a source (family 0: both; IPv4 first) in
 * address order. fn returns 0 to go on; any other value stops the walk
 * and is returned. Do not change the source's entries from fn. */
int	store_entry_foreach(struct store_txn *t, uint16_t source_id,
	    unsigned family,
	    int (*fn)(const struct store_entry *, void *), void *arg);

/* Does source_id have any entry of family (RP_AF_*)? 1 or 0, or a
 * negative code. One cursor step: cheap enough to ask once a snapshot. */
int	store_entry_has_family(struct store_txn *t, uint16_t source_id,
	    unsigned family);

/* Every entry of source_id that covers a (all lengths, exclusions too),
 * widest first. Same callback rules as store_entry_foreach(). */
int	store_entry_covering(struct store_txn *t, uint16_t source_id,
	    const struct rp_addr *a,
	    int (*fn)(const struct store_entry *, void *), void *arg);

/* Every entry of source_id whose prefix lies inside prefix (prefix itself
 * included), in address order: one cursor range walk. Same callback rules
 * as store_entry_foreach(). */
int	store_entry_within(struct store_txn *t, uint16_t source_id,
	    const struct rp_cidr *prefix,
	    int (*fn)(const struct store_entry *, void *), void *arg);

/* Sources. get: by name, 0 or -ENOENT. get_id: by id. ensure: get, or
 * create with a new id (write txn). put: write back status fields. list:
 * all sources sorted by name into a malloc'd array (free() it). */
int	store_source_get(struct store_txn *t, const char *name,
	    struct store_source *out);
int	store_source_get_id(struct store_txn *t, uint16_t id,
	    struct store_source *out);
int	store_source_ensure(struct store_txn *t, const char *name,
	    struct store_source *out);
int	store_source_put(struct store_txn *t, const struct store_source *s);
int	store_source_list(struct store_txn *t, struct store_source **out,
	    size_t *n);

/* History: append one event (write txn); read the events of one entry
 * (oldest first) or all events from seq on. Same callback rules. */
int	store_history_add(struct store_txn *t, enum store_event_type type,
	    uint16_t source_id, const struct rp_cidr *prefix,
	    const char *reason, size_t reason_len, int64_t when);
/* The same for an entry of family RP_AF_NAME: the event keeps the name
 * (kind and text as in struct store_entry), so that history shows it. */
int	store_history_add_name(struct store_txn *t,
	    enum store_event_type type, uint16_t source_id,
	    const struct rp_cidr *prefix, unsigned name_kind,
	    const char *name, size_t name_len, const char *reason,
	    size_t reason_len, int64_t when);
int	store_history_for(struct store_txn *t, uint16_t source_id,
	    const struct rp_cidr *prefix,
	    int (*fn)(const struct store_event *, void *), void *arg);
int	store_history_foreach(struct store_txn *t, uint64_t from_seq,
	    int (*fn)(const struct store_event *, void *), void *arg);

/* Delete the history events older than before (Unix seconds), oldest
 * first, at most max of them (write txn): bounded work per call. Sets
 * *n to how many went. 0 or a negative code. */
int	store_history_prune(struct store_txn *t, int64_t before, size_t max,
	    size_t *n);

/*
 * Consistency check: every record decodes, every source's entry count
 * is right, and the lookup index equals one rebuilt from the entries.
 * Problems go to report (one line each). 0 when all is well, -EILSEQ
 * when something is wrong, another negative code on error.
 */
int	store_verify(struct store_txn *t,
	    void (*report)(const char *msg, void *), void *arg);

/* Statistics for `reputectl` and benchmarks. */
struct store_stats {
	uint64_t	entries;	/* all sources */
	uint64_t	intervals[2];	/* IPv4, IPv6 */
	uint64_t	chunks[2];
	uint64_t	history;
	uint64_t	map_used;	/* bytes of the data file in use */
};
int	store_stats(struct store_txn *t, struct store_stats *out);

#endif
