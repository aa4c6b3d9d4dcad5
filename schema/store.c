/* store.c -- the LMDB environment: open, transactions, entries, sources,
 * history. The interval index lives in index*.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store_int.h"

/* Virtual size of the map; the file only grows as data is written. A
 * smaller value can be built in (valgrind cannot map 64 GiB). */
#ifndef STORE_MAP_SIZE
#define STORE_MAP_SIZE	((size_t)64 << 30)
#endif

int
store_errno(int rc)
{
	switch (rc) {
	case 0:
		return 0;
	case MDB_NOTFOUND:
		return -ENOENT;
	case MDB_MAP_FULL:
	case MDB_TXN_FULL:
		return -ENOSPC;
	case MDB_READERS_FULL:
		return -EAGAIN;
	case MDB_INVALID:
	case MDB_VERSION_MISMATCH:
		return -EILSEQ;
	case MDB_KEYEXIST:
		return -EEXIST;
	default:
		if (rc < 0 && rc > -4096)
			return rc;	/* already ours */
		if (rc > 0 && rc < 4096)
			return -rc;	/* an errno from the system */
		return -EIO;		/* corruption and LMDB misuse */
	}
}

const char *
store_strerror(int rc)
{
	switch (rc) {
	case -EPROTO:
		return "the store has a schema version this program does "
		    "not know";
	case -EILSEQ:
		return "not a valid reputed store (corrupt or foreign data)";
	case -ENOSPC:
		return "no space left (disk or LMDB map full)";
	case -ENOENT:
		return "not found";
	case -ENODATA:
		return "the store's data file is empty or truncated (restore "
		    "it from a backup, or remove it to start anew)";
	case -EIO:
		return "the store is corrupt: LMDB found a damaged page "
		    "(restore it from a backup, or remove it to start anew)";
	default:
		return strerror(rc < 0 ? -rc : rc);
	}
}

void
store_map_range(const struct store *st, const void **addr, size_t *len)
{
	MDB_envinfo info;

	*addr = NULL;
	*len = 0;
	if (mdb_env_info(st->env, &info) == 0) {
		*addr = info.me_mapaddr;
		*len = info.me_mapsize;
	}
}

uint32_t
store_schema_version(void)
{
	return SCHEMA_VERSION;
}

uint32_t
store_found_version(const struct store *st)
{
	return st->found_version;
}

/* mkdir -p */
static int
make_dirs(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int
open_dbis(struct store *st, MDB_txn *txn, unsigned flags)
{
	static const struct {
		const char	*name;
		size_t		 off;
		unsigned	 flags;
	} dbs[] = {
		{ DB_META, offsetof(struct store, meta), 0 },
		{ DB_ENTRIES, offsetof(struct store, entries), 0 },
		{ DB_SOURCES, offsetof(struct store, sources), 0 },
		{ DB_SOURCE_IDS, offsetof(struct store, source_ids),
		    MDB_INTEGERKEY },
		{ DB_HISTORY, offsetof(struct store, history),
		    MDB_INTEGERKEY },
		{ DB_HISTORY_BY_ENTRY, offsetof(struct store,
		    history_by_entry),
		    MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP },
		{ DB_INDEX4, offsetof(struct store, index[0]),
		    MDB_INTEGERKEY },
		{ DB_INDEX6, offsetof(struct store, index[1]), 0 },
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(dbs) / sizeof(dbs[0]); i++) {
		rc = mdb_dbi_open(txn, dbs[i].name, dbs[i].flags | flags,
		    (MDB_dbi *)((char *)st + dbs[i].off));
		if (rc != 0)
			return store_errno(rc);
	}
	return 0;
}

static int
meta_get_u32(MDB_txn *txn, MDB_dbi dbi, const char *name, uint32_t *out)
{
	MDB_val k = { strlen(name), (void *)name }, v;
	int rc;

	if ((rc = mdb_get(txn, dbi, &k, &v)) != 0)
		return store_errno(rc);
	if (v.mv_size != sizeof(*out))
		return -EILSEQ;
	memcpy(out, v.mv_data, sizeof(*out));
	return 0;
}

static int
meta_put(MDB_txn *txn, MDB_dbi dbi, const char *name, const void *val,
    size_t len)
{
	MDB_val k = { strlen(name), (void *)name }, v = { len, (void *)val };

	return store_errno(mdb_put(txn, dbi, &k, &v, 0));
}

/* Check (or, on a new store, write) the schema version. */
static int
check_version(struct store *st, MDB_txn *txn, int may_write)
{
	uint32_t v = SCHEMA_VERSION;
	int rc;

	rc = meta_get_u32(txn, st->meta, META_VERSION, &st->found_version);
	if (rc == -ENOENT && may_write) {
		st->found_version = v;
		return meta_put(txn, st->meta, META_VERSION, &v, sizeof(v));
	}
	if (rc != 0)
		return rc == -ENOENT ? -EILSEQ : rc;
	return st->found_version == SCHEMA_VERSION ? 0 : -EPROTO;
}

/* Open the named databases: in a read txn when they exist (never waits
 * for a writer), else, when allowed, create them in a write txn. */
static int
store_init(struct store *st, unsigned flags)
{
	MDB_txn *txn;
	int rc;

	if ((rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)) != 0)
		return store_errno(rc);
	rc = open_dbis(st, txn, 0);
	if (rc == 0)
		rc = check_version(st, txn, 0);
	if (rc == 0)
		return store_errno(mdb_txn_commit(txn));
	mdb_txn_abort(txn);
	if (rc != -ENOENT || !(flags & STORE_CREATE) || (flags & STORE_RDONLY))
		return rc;
	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0)
		return store_errno(rc);
	rc = open_dbis(st, txn, MDB_CREATE);
	if (rc == 0)
		rc = check_version(st, txn, 1);
	if (rc != 0) {
		mdb_txn_abort(txn);
		return rc;
	}
	return store_errno(mdb_txn_commit(txn));
}

/* The size of dir/data.mdb: 0 with *size, or -errno (-ENOENT: none). */
static int
data_file_size(const char *dir, off_t *size)
{
	char path[PATH_MAX];
	struct stat sb;

	if (snprintf(path, sizeof(path), "%s/data.mdb", dir) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	if (stat(path, &sb) != 0)
		return -errno;
	*size = sb.st_size;
	return 0;
}

/*
 * A data file must hold LMDB's two meta pages, and every page the last
 * commit used: a file cut short (a bad copy, a full disk in another tool)
 * would make reading the map fault. A new store is only made where there
 * is no data file at all, never over an empty or damaged one.
 */
static int
check_data_file(const char *dir, unsigned flags, int after_open,
    MDB_env *env)
{
	MDB_envinfo info;
	MDB_stat ms;
	off_t size;
	int rc;

	if ((rc = data_file_size(dir, &size)) == -ENOENT)
		return (flags & STORE_CREATE) && !(flags & STORE_RDONLY) ?
		    0 : -ENOENT;
	if (rc != 0)
		return rc;
	if (!after_open)
		return size < 2 * 4096 ? -ENODATA : 0;
	if ((rc = mdb_env_info(env, &info)) != 0 ||
	    (rc = mdb_env_stat(env, &ms)) != 0)
		return store_errno(rc);
	if ((uint64_t)size < ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize)
		return -ENODATA;
	return 0;
}

int
store_open(struct store **out, const char *dir, unsigned flags)
{
	struct store *st;
	struct stat sb;
	unsigned envflags = MDB_NOTLS | MDB_NORDAHEAD;
	int rc;

	*out = NULL;
	if (flags & STORE_CREATE && !(flags & STORE_RDONLY)) {
		if ((rc = make_dirs(dir)) != 0)
			return rc;
	} else if (stat(dir, &sb) != 0)
		return -errno;
	if ((rc = check_data_file(dir, flags, 0, NULL)) != 0)
		return rc;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return -ENOMEM;
	st->rdonly = (flags & STORE_RDONLY) != 0;
	if (st->rdonly)
		envflags |= MDB_RDONLY;
	if ((rc = mdb_env_create(&st->env)) != 0 ||
	    (rc = mdb_env_set_maxdbs(st->env, 16)) != 0 ||
	    (rc = mdb_env_set_mapsize(st->env, STORE_MAP_SIZE)) != 0 ||
	    (rc = mdb_env_open(st->env, dir, envflags, 0644)) != 0) {
		rc = store_errno(rc);
		goto fail;
	}
	if ((rc = check_data_file(dir, flags, 1, st->env)) != 0 ||
	    (rc = store_init(st, flags)) != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	if (rc == -EPROTO) {
		/* Keep the handle so the caller can name the version. */
		*out = st;
		return rc;
	}
	store_close(st);
	return rc;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->env != NULL)
		mdb_env_close(st->env);
	free(st);
}

int
store_txn_begin(struct store *st, int write, struct store_txn **out)
{
	struct store_txn *t;
	int rc;

	*out = NULL;
	if (write && st->rdonly)
		return -EROFS;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -ENOMEM;
	t->st = st;
	t->write = write;
	rc = mdb_txn_begin(st->env, NULL, write ? 0 : MDB_RDONLY, &t->txn);
	if (rc != 0) {
		free(t);
		return store_errno(rc);
	}
	*out = t;
	return 0;
}

static void
txn_free(struct store_txn *t)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (t->lookup[i] != NULL)
			mdb_cursor_close(t->lookup[i]);
		index_dir_free(&t->dir[i]);
	}
	free(t->dirty);
	free(t->counts);
	free(t);
}

void
store_txn_abort(struct store_txn *t)
{
	if (t == NULL)
		return;
	/* Read-only cursors must be closed before their txn ends; a write
	 * txn frees its own. */
	if (t->write)
		t->lookup[0] = t->lookup[1] = NULL;
	else {
		mdb_cursor_close(t->lookup[0]);
		mdb_cursor_close(t->lookup[1]);
		t->lookup[0] = t->lookup[1] = NULL;
	}
	mdb_txn_abort(t->txn);
	txn_free(t);
}

void
store_txn_reset(struct store_txn *t)
{
	if (!t->write)
		mdb_txn_reset(t->txn);
}

int
store_txn_renew(struct store_txn *t)
{
	int rc, i;

	if (t->write)
		return -EINVAL;
	if ((rc = mdb_txn_renew(t->txn)) != 0)
		return store_errno(rc);
	for (i = 0; i < 2; i++)
		if (t->lookup[i] != NULL &&
		    (rc = mdb_cursor_renew(t->txn, t->lookup[i])) != 0)
			return store_errno(rc);
	return 0;
}

/* Apply the per-source entry count changes of this txn. */
static int
apply_counts(struct store_txn *t)
{
	struct store_source s;
	size_t i;
	int rc;

	for (i = 0; i < t->ncounts; i++) {
		if (t->counts[i].delta == 0)
			continue;
		if ((rc = store_source_get_id(t, t->counts[i].id, &s)) != 0)
			return rc;
		s.entries = (uint64_t)((int64_t)s.entries + t->counts[i].delta);
		if ((rc = source_write(t, &s)) != 0)
			return rc;
	}
	return 0;
}

static int
bump_serial(struct store_txn *t)
{
	uint32_t serial = 0, now32;
	int64_t now = (int64_t)time(NULL);
	int rc;

	rc = meta_get_u32(t->txn, t->st->meta, META_SERIAL, &serial);
	if (rc != 0 && rc != -ENOENT)
		return rc;
	/* Time-based when the clock allows it, always increasing. */
	now32 = (uint32_t)now;
	serial = (int32_t)(now32 - serial) > 0 ? now32 : serial + 1;
	if ((rc = meta_put(t->txn, t->st->meta, META_SERIAL, &serial,
	    sizeof(serial))) != 0)
		return rc;
	return meta_put(t->txn, t->st->meta, META_CHANGED, &now, sizeof(now));
}

int
store_txn_commit(struct store_txn *t)
{
	int rc = 0;

	if (!t->write) {
		store_txn_abort(t);
		return 0;
	}
	if ((rc = index_update(t)) != 0 || (rc = apply_counts(t)) != 0 ||
	    (t->changed && (rc = bump_serial(t)) != 0)) {
		store_txn_abort(t);
		return rc;
	}
	t->lookup[0] = t->lookup[1] = NULL;	/* closed by the commit */
	rc = store_errno(mdb_txn_commit(t->txn));
	txn_free(t);
	return rc;
}

uint64_t
store_txn_snapshot(const struct store_txn *t)
{
	return mdb_txn_id(t->txn);
}

int
store_serial(struct store_txn *t, uint32_t *serial, int64_t *changed)
{
	MDB_val k = { strlen(META_CHANGED), META_CHANGED }, v;
	int rc;

	*serial = 0;
	*changed = 0;
	rc = meta_get_u32(t->txn, t->st->meta, META_SERIAL, serial);
	if (rc != 0 && rc != -ENOENT)
		return rc;
	rc = mdb_get(t->txn, t->st->meta, &k, &v);
	if (rc == 0 && v.mv_size == sizeof(*changed))
		memcpy(changed, v.mv_data, sizeof(*changed));
	return 0;
}

int
store_lookup(struct store_txn *t, const struct rp_addr *a,
    struct store_hit *hits, size_t max, size_t *n)
{
	return index_lookup(t, a, hits, max, n);
}
