/* store_source.c -- per-source import status and the id <-> name map. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define SOURCE_ID_MAX	65535

static int
source_decode(const MDB_val *k, const MDB_val *v, struct store_source *out)
{
	memset(out, 0, sizeof(*out));
	if (k->mv_size == 0 || k->mv_size >= sizeof(out->name))
		return -EILSEQ;
	memcpy(out->name, k->mv_data, k->mv_size);
	out->name[k->mv_size] = '\0';
	return schema_source_val_decode(v->mv_data, v->mv_size, out);
}

int
store_source_get(struct store_txn *t, const char *name,
    struct store_source *out)
{
	MDB_val k = { strlen(name), (void *)name }, v;
	int rc;

	if (k.mv_size == 0 || k.mv_size >= sizeof(out->name))
		return -EINVAL;
	if ((rc = mdb_get(t->txn, t->st->sources, &k, &v)) != 0)
		return store_errno(rc);
	return source_decode(&k, &v, out);
}

int
store_source_get_id(struct store_txn *t, uint16_t id,
    struct store_source *out)
{
	unsigned int key = id;
	MDB_val k = { sizeof(key), &key }, v;
	char name[sizeof(out->name)];
	int rc;

	if ((rc = mdb_get(t->txn, t->st->source_ids, &k, &v)) != 0)
		return store_errno(rc);
	if (v.mv_size == 0 || v.mv_size >= sizeof(name))
		return -EILSEQ;
	memcpy(name, v.mv_data, v.mv_size);
	name[v.mv_size] = '\0';
	return store_source_get(t, name, out);
}

int
source_write(struct store_txn *t, const struct store_source *s)
{
	uint8_t buf[SCHEMA_SOURCE_VAL_MAX];
	MDB_val k = { strlen(s->name), (void *)s->name }, v;

	v.mv_data = buf;
	v.mv_size = schema_source_val(buf, s);
	return store_errno(mdb_put(t->txn, t->st->sources, &k, &v, 0));
}

static int
next_source_id(struct store_txn *t, uint16_t *id)
{
	MDB_val k = { strlen(META_NEXT_SOURCE_ID), META_NEXT_SOURCE_ID }, v;
	uint32_t next = 1;
	int rc;

	rc = mdb_get(t->txn, t->st->meta, &k, &v);
	if (rc == 0 && v.mv_size == sizeof(next))
		memcpy(&next, v.mv_data, sizeof(next));
	else if (rc != MDB_NOTFOUND)
		return rc == 0 ? -EILSEQ : store_errno(rc);
	if (next > SOURCE_ID_MAX)
		return -ENOSPC;
	*id = (uint16_t)next++;
	v.mv_size = sizeof(next);
	v.mv_data = &next;
	return store_errno(mdb_put(t->txn, t->st->meta, &k, &v, 0));
}

int
store_source_ensure(struct store_txn *t, const char *name,
    struct store_source *out)
{
	unsigned int key;
	MDB_val k = { sizeof(key), &key }, v;
	int rc;

	rc = store_source_get(t, name, out);
	if (rc != -ENOENT)
		return rc;
	if (!t->write)
		return -EROFS;
	memset(out, 0, sizeof(*out));
	if (strlen(name) >= sizeof(out->name))
		return -EINVAL;
	strcpy(out->name, name);
	if ((rc = next_source_id(t, &out->id)) != 0)
		return rc;
	key = out->id;
	v.mv_size = strlen(name);
	v.mv_data = (void *)name;
	if ((rc = mdb_put(t->txn, t->st->source_ids, &k, &v, 0)) != 0)
		return store_errno(rc);
	return source_write(t, out);
}

/* The entry count is the store's own (kept by entry puts and deletes):
 * whatever the caller's copy says, the stored one stays. */
int
store_source_put(struct store_txn *t, const struct store_source *s)
{
	struct store_source cur, merged;
	int rc;

	if ((rc = store_source_get(t, s->name, &cur)) != 0)
		return rc;
	if (cur.id != s->id)
		return -EINVAL;
	merged = *s;
	merged.entries = cur.entries;
	return source_write(t, &merged);
}

int
store_source_list(struct store_txn *t, struct store_source **out, size_t *n)
{
	MDB_cursor *c;
	MDB_val k, v;
	struct store_source *arr = NULL, *tmp;
	size_t cnt = 0, cap = 0;
	int rc, op = MDB_FIRST;

	*out = NULL;
	*n = 0;
	if ((rc = mdb_cursor_open(t->txn, t->st->sources, &c)) != 0)
		return store_errno(rc);
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			if ((tmp = realloc(arr, cap * sizeof(*arr))) == NULL) {
				rc = ENOMEM;
				break;
			}
			arr = tmp;
		}
		if ((rc = source_decode(&k, &v, &arr[cnt])) != 0)
			break;
		cnt++;
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND) {
		free(arr);
		return store_errno(rc);
	}
	*out = arr;
	*n = cnt;
	return 0;
}

int
store_source_ids(struct store_txn *t, uint16_t **ids, size_t *n)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint16_t *arr = NULL, *tmp;
	size_t cnt = 0, cap = 0;
	unsigned int key;
	int rc, op = MDB_FIRST;

	*ids = NULL;
	*n = 0;
	if ((rc = mdb_cursor_open(t->txn, t->st->source_ids, &c)) != 0)
		return store_errno(rc);
	while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if (k.mv_size != sizeof(key)) {
			rc = EILSEQ;
			break;
		}
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			if ((tmp = realloc(arr, cap * sizeof(*arr))) == NULL) {
				rc = ENOMEM;
				break;
			}
			arr = tmp;
		}
		memcpy(&key, k.mv_data, sizeof(key));
		arr[cnt++] = (uint16_t)key;
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND) {
		free(arr);
		return store_errno(rc);
	}
	*ids = arr;
	*n = cnt;
	return 0;
}
