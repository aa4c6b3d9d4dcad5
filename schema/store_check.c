/* store_check.c -- whole-store consistency checks and statistics. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"
#include "store_int.h"

struct entry_tally {
	uint16_t	*ids;
	uint64_t	*counts;
	size_t		 n;
	uint64_t	 total, bad;
};

static void
tally_add(struct entry_tally *et, uint16_t id)
{
	size_t i;

	for (i = 0; i < et->n; i++)
		if (et->ids[i] == id) {
			et->counts[i]++;
			return;
		}
	et->bad++;	/* an entry of a source that does not exist */
}

/* Decode every entry and count them per source. */
/* A name entry's key is the digest of the name it holds. */
static int
name_key_ok(const struct store_entry *e)
{
	struct rp_cidr key;

	if (e->prefix.addr.family != RP_AF_NAME)
		return 1;
	name_key_of(e->name_kind, e->name, e->name_len, &key);
	return memcmp(key.addr.bytes, e->prefix.addr.bytes,
	    sizeof(key.addr.bytes)) == 0 && e->prefix.bits == 128;
}

static int
check_entries(struct store_txn *t, struct entry_tally *et,
    void (*report)(const char *, void *), void *arg)
{
	MDB_cursor *c;
	MDB_val k, v;
	struct store_entry e;
	char msg[128];
	int rc, op = MDB_FIRST;

	if ((rc = mdb_cursor_open(t->txn, t->st->entries, &c)) != 0)
		return store_errno(rc);
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		et->total++;
		if (schema_entry_key_decode(k.mv_data, k.mv_size,
		    &e.source_id, &e.prefix) != 0 ||
		    schema_entry_val_decode(v.mv_data, v.mv_size, &e) != 0) {
			snprintf(msg, sizeof(msg), "entry %llu does not decode",
			    (unsigned long long)et->total);
			report(msg, arg);
			et->bad++;
			continue;
		}
		if (!name_key_ok(&e)) {
			snprintf(msg, sizeof(msg), "entry %llu: the name "
			    "does not match its key",
			    (unsigned long long)et->total);
			report(msg, arg);
			et->bad++;
			continue;
		}
		tally_add(et, e.source_id);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : store_errno(rc);
}

static int
check_counts(struct store_txn *t, struct entry_tally *et,
    void (*report)(const char *, void *), void *arg)
{
	struct store_source s;
	char msg[256];
	size_t i;
	int rc, bad = 0;

	for (i = 0; i < et->n; i++) {
		if ((rc = store_source_get_id(t, et->ids[i], &s)) != 0) {
			snprintf(msg, sizeof(msg), "source id %u has no record",
			    et->ids[i]);
			report(msg, arg);
			bad = 1;
			continue;
		}
		if (s.entries != et->counts[i]) {
			snprintf(msg, sizeof(msg), "source %s: status says %llu "
			    "entries, the store holds %llu", s.name,
			    (unsigned long long)s.entries,
			    (unsigned long long)et->counts[i]);
			report(msg, arg);
			bad = 1;
		}
	}
	return bad;
}

int
store_verify(struct store_txn *t, void (*report)(const char *, void *),
    void *arg)
{
	struct entry_tally et = { 0 };
	char msg[128];
	int rc, bad = 0;

	if ((rc = store_source_ids(t, &et.ids, &et.n)) != 0)
		return rc;
	if ((et.counts = calloc(et.n + 1, sizeof(*et.counts))) == NULL) {
		free(et.ids);
		return -ENOMEM;
	}
	rc = check_entries(t, &et, report, arg);
	if (rc == 0 && et.bad > 0) {
		snprintf(msg, sizeof(msg), "%llu entries are malformed or "
		    "belong to no source", (unsigned long long)et.bad);
		report(msg, arg);
		bad = 1;
	}
	if (rc == 0)
		bad |= check_counts(t, &et, report, arg);
	if (rc == 0 && (rc = index_verify(t, RP_AF_INET, report, arg)) ==
	    -EILSEQ) {
		bad = 1;
		rc = 0;
	}
	if (rc == 0 && (rc = index_verify(t, RP_AF_INET6, report, arg)) ==
	    -EILSEQ) {
		bad = 1;
		rc = 0;
	}
	free(et.ids);
	free(et.counts);
	if (rc != 0)
		return rc;
	return bad ? -EILSEQ : 0;
}

int
store_stats(struct store_txn *t, struct store_stats *out)
{
	MDB_stat ms;
	MDB_envinfo info;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = mdb_stat(t->txn, t->st->entries, &ms)) != 0)
		return store_errno(rc);
	out->entries = ms.ms_entries;
	if ((rc = mdb_stat(t->txn, t->st->history, &ms)) != 0)
		return store_errno(rc);
	out->history = ms.ms_entries;
	if ((rc = index_count(t, RP_AF_INET, &out->intervals[0],
	    &out->chunks[0])) != 0 ||
	    (rc = index_count(t, RP_AF_INET6, &out->intervals[1],
	    &out->chunks[1])) != 0)
		return rc;
	if ((rc = mdb_env_info(t->st->env, &info)) != 0 ||
	    (rc = mdb_env_stat(t->st->env, &ms)) != 0)
		return store_errno(rc);
	out->map_used = (uint64_t)(info.me_last_pgno + 1) * ms.ms_psize;
	return 0;
}
