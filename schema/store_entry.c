/* store_entry.c -- entries and their history; marks what the index must
 * redo at commit. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"
#include "store_int.h"

/* Ends a walk early without being an error; no callback returns it. */
#define WITHIN_DONE	0x7ffffff0

int
store_count_add(struct store_txn *t, uint16_t id, int delta)
{
	struct store_count *tmp;
	size_t i;

	for (i = 0; i < t->ncounts; i++) {
		if (t->counts[i].id == id) {
			t->counts[i].delta += delta;
			return 0;
		}
	}
	tmp = realloc(t->counts, (t->ncounts + 1) * sizeof(*tmp));
	if (tmp == NULL)
		return -ENOMEM;
	t->counts = tmp;
	t->counts[t->ncounts].id = id;
	t->counts[t->ncounts].delta = delta;
	t->ncounts++;
	return 0;
}

/* Remember that the index must be redone over prefix c. */
static int
mark_dirty(struct store_txn *t, const struct rp_cidr *c)
{
	int slot = store_family_slot(c->addr.family);
	struct rp_cidr *tmp;
	size_t cap;

	t->changed = 1;
	if (c->addr.family != RP_AF_INET && c->addr.family != RP_AF_INET6)
		return 0;	/* ASN, country and name listings are not in it */
	if (t->full[slot])
		return 0;
	if (++t->nfam[slot] > STORE_DIRTY_MAX) {
		/* A whole-family sweep is cheaper now than range by range. */
		t->full[slot] = 1;
		return 0;
	}
	if (t->ndirty == t->dirty_cap) {
		cap = t->dirty_cap ? t->dirty_cap * 2 : 64;
		if ((tmp = realloc(t->dirty, cap * sizeof(*tmp))) == NULL)
			return -ENOMEM;
		t->dirty = tmp;
		t->dirty_cap = cap;
	}
	t->dirty[t->ndirty++] = *c;
	return 0;
}

static int
entry_decode(const MDB_val *k, const MDB_val *v, struct store_entry *e)
{
	int rc;

	memset(e, 0, sizeof(*e));
	rc = schema_entry_key_decode(k->mv_data, k->mv_size, &e->source_id,
	    &e->prefix);
	if (rc == 0)
		rc = schema_entry_val_decode(v->mv_data, v->mv_size, e);
	return rc;
}

int
store_entry_get(struct store_txn *t, uint16_t source_id,
    const struct rp_cidr *prefix, struct store_entry *out)
{
	uint8_t key[SCHEMA_ENTRY_KEY_MAX];
	MDB_val k = { 0, key }, v;
	int rc;

	k.mv_size = schema_entry_key(key, source_id, prefix);
	if ((rc = mdb_get(t->txn, t->st->entries, &k, &v)) != 0)
		return store_errno(rc);
	return entry_decode(&k, &v, out);
}

/* Does the change from old to new record matter to answers (anything but
 * last_seen)? Flags matter to the index as well. */
static int
record_differs(const MDB_val *old, const uint8_t *nv, size_t nlen)
{
	const uint8_t *ov = old->mv_data;

	if (old->mv_size != nlen)
		return 1;
	return memcmp(ov, nv, 16) != 0 ||
	    memcmp(ov + 24, nv + 24, nlen - 24) != 0;
}

int
store_entry_put(struct store_txn *t, const struct store_entry *e,
    int *inserted)
{
	uint8_t key[SCHEMA_ENTRY_KEY_MAX], stackbuf[256], *val = stackbuf;
	MDB_val k = { 0, key }, v;
	size_t vlen = schema_entry_val_size(e);
	int rc, flags_changed = 0, differs = 1;

	if (inserted != NULL)
		*inserted = 0;
	if (e->prefix.bits > cidr_family_bits(e->prefix.addr.family))
		return -EINVAL;
	if (e->prefix.addr.family == RP_AF_NAME && (e->name_len == 0 ||
	    e->name_len > NAME_TEXT_MAX || e->name_kind < NAME_EXACT ||
	    e->name_kind > NAME_TREE))
		return -EINVAL;
	if (vlen > sizeof(stackbuf) && (val = malloc(vlen)) == NULL)
		return -ENOMEM;
	schema_entry_val(val, e);
	k.mv_size = schema_entry_key(key, e->source_id, &e->prefix);
	v.mv_size = vlen;
	v.mv_data = val;
	rc = mdb_put(t->txn, t->st->entries, &k, &v, MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST) {
		/* v now points at the stored record. */
		flags_changed = ((const uint8_t *)v.mv_data)[0] != val[0];
		differs = record_differs(&v, val, vlen);
		v.mv_size = vlen;
		v.mv_data = val;
		rc = mdb_put(t->txn, t->st->entries, &k, &v, 0);
	} else if (rc == 0) {
		flags_changed = 1;
		if (inserted != NULL)
			*inserted = 1;
		rc = store_count_add(t, e->source_id, 1);
	}
	if (val != stackbuf)
		free(val);
	if (rc != 0)
		return store_errno(rc);
	if (flags_changed)
		return mark_dirty(t, &e->prefix);
	if (differs)
		t->changed = 1;
	return 0;
}

int
store_entry_del(struct store_txn *t, uint16_t source_id,
    const struct rp_cidr *prefix)
{
	uint8_t key[SCHEMA_ENTRY_KEY_MAX];
	MDB_val k = { 0, key };
	int rc;

	k.mv_size = schema_entry_key(key, source_id, prefix);
	if ((rc = mdb_del(t->txn, t->st->entries, &k, NULL)) != 0)
		return store_errno(rc);
	if ((rc = store_count_add(t, source_id, -1)) != 0)
		return rc;
	return mark_dirty(t, prefix);
}

/* Walk entries from key start while the first plen bytes match. */
static int
walk_prefix(struct store_txn *t, const uint8_t *start, size_t slen,
    size_t plen, int (*fn)(const struct store_entry *, void *), void *arg)
{
	MDB_cursor *c;
	MDB_val k = { slen, (void *)start }, v;
	struct store_entry e;
	int rc, frc = 0, op = MDB_SET_RANGE;

	if ((rc = mdb_cursor_open(t->txn, t->st->entries, &c)) != 0)
		return store_errno(rc);
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if (k.mv_size < plen || memcmp(k.mv_data, start, plen) != 0)
			break;
		if ((rc = entry_decode(&k, &v, &e)) != 0 ||
		    (frc = fn(&e, arg)) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (frc != 0)
		return frc;	/* the callback's own value, as promised */
	if (rc == MDB_NOTFOUND)
		return 0;
	return store_errno(rc);
}

/* Filters a walk down to the entries inside a prefix, ending it after. */
struct within {
	const struct rp_cidr	*prefix;
	int			(*fn)(const struct store_entry *, void *);
	void			*arg;
};

static int
within_fn(const struct store_entry *e, void *arg)
{
	struct within *w = arg;

	if (e->prefix.addr.family != w->prefix->addr.family ||
	    !cidr_contains(w->prefix, &e->prefix.addr))
		return WITHIN_DONE;
	return w->fn(e, w->arg);
}

int
store_entry_foreach(struct store_txn *t, uint16_t source_id,
    unsigned family, int (*fn)(const struct store_entry *, void *),
    void *arg)
{
	uint8_t key[3] = { (uint8_t)(source_id >> 8), (uint8_t)source_id,
	    (uint8_t)family };

	if (family == 0)
		return walk_prefix(t, key, 2, 2, fn, arg);
	return walk_prefix(t, key, 3, 3, fn, arg);
}

int
store_entry_within(struct store_txn *t, uint16_t source_id,
    const struct rp_cidr *prefix,
    int (*fn)(const struct store_entry *, void *), void *arg)
{
	uint8_t key[SCHEMA_ENTRY_KEY_MAX];
	struct within w = { prefix, fn, arg };
	size_t klen = schema_entry_key(key, source_id, prefix);
	int rc;

	/* Keys from the prefix's own on; stop at the first one outside. */
	rc = walk_prefix(t, key, klen, 3, within_fn, &w);
	return rc == WITHIN_DONE ? 0 : rc;
}

int
store_entry_has_family(struct store_txn *t, uint16_t source_id,
    unsigned family)
{
	uint8_t key[3] = { (uint8_t)(source_id >> 8), (uint8_t)source_id,
	    (uint8_t)family };
	MDB_cursor *c;
	MDB_val k = { sizeof(key), key }, v;
	int rc;

	/* Keys sort by source, then family: the first key at or after
	 * [source][family] tells, without reading any entry. */
	if ((rc = mdb_cursor_open(t->txn, t->st->entries, &c)) != 0)
		return store_errno(rc);
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return store_errno(rc);
	return k.mv_size >= sizeof(key) && memcmp(k.mv_data, key,
	    sizeof(key)) == 0;
}

/* Here, beside the probe whose answers callers keep per snapshot: a write
 * transaction's snapshot number stays while its entries change. */
int
store_txn_writable(const struct store_txn *t)
{
	return t->write;
}

int
store_entry_covering(struct store_txn *t, uint16_t source_id,
    const struct rp_addr *a, int (*fn)(const struct store_entry *, void *),
    void *arg)
{
	unsigned bits, width = cidr_family_bits(a->family);
	struct rp_cidr c;
	struct store_entry e;
	int rc;

	for (bits = 0; bits <= width; bits++) {
		c.addr = *a;
		cidr_mask(&c.addr, bits);
		c.bits = (uint8_t)bits;
		rc = store_entry_get(t, source_id, &c, &e);
		if (rc == -ENOENT)
			continue;
		if (rc != 0 || (rc = fn(&e, arg)) != 0)
			return rc;
	}
	return 0;
}

static int
history_next_seq(struct store_txn *t, uint64_t *seq)
{
	MDB_cursor *c;
	MDB_val k, v;
	size_t last = 0;
	int rc;

	if (t->next_seq == 0) {
		if ((rc = mdb_cursor_open(t->txn, t->st->history, &c)) != 0)
			return store_errno(rc);
		rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
		if (rc == 0 && k.mv_size == sizeof(last))
			memcpy(&last, k.mv_data, sizeof(last));
		mdb_cursor_close(c);
		if (rc != 0 && rc != MDB_NOTFOUND)
			return store_errno(rc);
		t->next_seq = last + 1;
	}
	*seq = t->next_seq++;
	return 0;
}

int
store_history_add(struct store_txn *t, enum store_event_type type,
    uint16_t source_id, const struct rp_cidr *prefix, const char *reason,
    size_t reason_len, int64_t when)
{
	return store_history_add_name(t, type, source_id, prefix, 0, NULL, 0,
	    reason, reason_len, when);
}

int
store_history_add_name(struct store_txn *t, enum store_event_type type,
    uint16_t source_id, const struct rp_cidr *prefix, unsigned name_kind,
    const char *name, size_t name_len, const char *reason,
    size_t reason_len, int64_t when)
{
	uint8_t key[SCHEMA_ENTRY_KEY_MAX];
	struct store_event ev = { 0, when, (uint8_t)type, source_id, *prefix,
	    reason, reason_len, (uint8_t)name_kind, name, name_len };
	size_t seq;
	uint64_t seq64 = 0;
	MDB_val k = { sizeof(seq), &seq }, v, ek = { 0, key };
	int rc;

	if ((rc = history_next_seq(t, &seq64)) != 0)
		return rc;
	seq = (size_t)seq64;
	if (prefix->addr.family == RP_AF_NAME && (name_len == 0 ||
	    name_len > NAME_TEXT_MAX || name_kind < NAME_EXACT ||
	    name_kind > NAME_TREE))
		return -EINVAL;
	v.mv_size = schema_event_val_size(&ev);
	rc = mdb_put(t->txn, t->st->history, &k, &v,
	    MDB_APPEND | MDB_RESERVE);
	if (rc != 0)
		return store_errno(rc);
	schema_event_val(v.mv_data, &ev);
	ek.mv_size = schema_entry_key(key, source_id, prefix);
	v.mv_size = sizeof(seq);
	v.mv_data = &seq;
	return store_errno(mdb_put(t->txn, t->st->history_by_entry, &ek, &v,
	    MDB_APPENDDUP));
}

static int
history_get(struct store_txn *t, size_t seq, struct store_event *ev)
{
	MDB_val k = { sizeof(seq), &seq }, v;
	int rc;

	if ((rc = mdb_get(t->txn, t->st->history, &k, &v)) != 0)
		return store_errno(rc);
	ev->seq = seq;
	return schema_event_val_decode(v.mv_data, v.mv_size, ev);
}

int
store_history_for(struct store_txn *t, uint16_t source_id,
    const struct rp_cidr *prefix,
    int (*fn)(const struct store_event *, void *), void *arg)
{
	uint8_t key[SCHEMA_ENTRY_KEY_MAX];
	MDB_cursor *c;
	MDB_val k = { 0, key }, v;
	struct store_event ev;
	size_t seq;
	int rc, frc = 0, op = MDB_SET_KEY;

	k.mv_size = schema_entry_key(key, source_id, prefix);
	if ((rc = mdb_cursor_open(t->txn, t->st->history_by_entry, &c)) != 0)
		return store_errno(rc);
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT_DUP;
		if (v.mv_size != sizeof(seq)) {
			rc = -EILSEQ;
			break;
		}
		memcpy(&seq, v.mv_data, sizeof(seq));
		if ((rc = history_get(t, seq, &ev)) != 0 ||
		    (frc = fn(&ev, arg)) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (frc != 0)
		return frc;
	if (rc == MDB_NOTFOUND)
		return 0;
	return store_errno(rc);
}

int
store_history_foreach(struct store_txn *t, uint64_t from_seq,
    int (*fn)(const struct store_event *, void *), void *arg)
{
	MDB_cursor *c;
	size_t seq = (size_t)from_seq;
	MDB_val k = { sizeof(seq), &seq }, v;
	struct store_event ev;
	int rc, frc = 0, op = MDB_SET_RANGE;

	if ((rc = mdb_cursor_open(t->txn, t->st->history, &c)) != 0)
		return store_errno(rc);
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if (k.mv_size != sizeof(seq)) {
			rc = -EILSEQ;
			break;
		}
		memcpy(&seq, k.mv_data, sizeof(seq));
		ev.seq = seq;
		if ((rc = schema_event_val_decode(v.mv_data, v.mv_size,
		    &ev)) != 0 || (frc = fn(&ev, arg)) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (frc != 0)
		return frc;
	if (rc == MDB_NOTFOUND)
		return 0;
	return store_errno(rc);
}

/* Remove one event and its line in history_by_entry; c is on it. */
static int
history_drop(struct store_txn *t, MDB_cursor *c, const MDB_val *k,
    const struct store_event *ev)
{
	uint8_t key[SCHEMA_ENTRY_KEY_MAX];
	MDB_val ek = { 0, key }, sv = { k->mv_size, k->mv_data };
	int rc;

	ek.mv_size = schema_entry_key(key, ev->source_id, &ev->prefix);
	rc = mdb_del(t->txn, t->st->history_by_entry, &ek, &sv);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_errno(rc);
	return store_errno(mdb_cursor_del(c, 0));
}

int
store_history_prune(struct store_txn *t, int64_t before, size_t max,
    size_t *n)
{
	MDB_cursor *c;
	MDB_val k, v;
	struct store_event ev;
	int rc;

	*n = 0;
	if ((rc = mdb_cursor_open(t->txn, t->st->history, &c)) != 0)
		return store_errno(rc);
	/* Sequence order is time order: stop at the first recent event. */
	while (*n < max && (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST)) == 0) {
		if ((rc = schema_event_val_decode(v.mv_data, v.mv_size,
		    &ev)) != 0 || ev.time >= before)
			break;
		if ((rc = history_drop(t, c, &k, &ev)) != 0)
			break;
		(*n)++;
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND || rc == 0 ? 0 : store_errno(rc);
}
