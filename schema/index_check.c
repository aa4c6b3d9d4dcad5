/* index_check.c -- comparing the stored index with a rebuilt one. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

static void
reportf(void (*report)(const char *, void *), void *arg, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
reportf(void (*report)(const char *, void *), void *arg, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report(msg, arg);
}

/* Check that every chunk is well formed and that they tile the family. */
static int
verify_chunks(const struct span *sp, void (*report)(const char *, void *),
    void *arg)
{
	const struct ivec *v = &sp->old;
	size_t i;
	int bad = 0;

	if (sp->start != 0 || sp->end != family_max(sp->family)) {
		reportf(report, arg, "IPv%u index does not cover every address",
		    sp->family);
		bad = 1;
	}
	for (i = 1; i < v->n; i++) {
		if (v->start[i] <= v->start[i - 1]) {
			reportf(report, arg, "IPv%u index: intervals out of "
			    "order at position %zu", sp->family, i);
			return 1;
		}
	}
	return bad;
}

/* Compare two interval lists (both starting at 0) as functions from
 * address to payload, at every boundary of either. */
static int
verify_same(unsigned family, const struct ivec *a, const struct ivec *b,
    const struct pool *pool, void (*report)(const char *, void *), void *arg)
{
	size_t i = 0, j = 0, bad = 0;
	char buf[RP_CIDR_STRLEN];
	struct rp_addr at;
	u128 pt = 0;
	int more_a, more_b;

	while (bad < 10) {
		if (!pay_eq(pool, a->pay[i], b->pay[j])) {
			u128_addr(pt, family, &at);
			reportf(report, arg, "index disagrees with entries at "
			    "%s", cidr_addr_str(&at, buf));
			bad++;
		}
		more_a = i + 1 < a->n;
		more_b = j + 1 < b->n;
		if (!more_a && !more_b)
			break;
		if (more_a && (!more_b || a->start[i + 1] <= b->start[j + 1]))
			pt = a->start[i + 1];
		else
			pt = b->start[j + 1];
		if (more_a && a->start[i + 1] == pt)
			i++;
		if (more_b && b->start[j + 1] == pt)
			j++;
	}
	return bad != 0;
}

int
index_verify(struct store_txn *t, unsigned family,
    void (*report)(const char *msg, void *), void *arg)
{
	struct span sp = { 0 };
	struct pool pool;
	struct ivec fresh = { 0 };
	struct rp_cidr all;
	int rc, bad;

	if ((rc = pool_init(&pool)) != 0)
		return rc;
	memset(&all, 0, sizeof(all));
	all.addr.family = (uint8_t)family;
	sp.family = family;
	rc = span_load(t, &sp, &pool, 0, family_max(family));
	if (rc == -EILSEQ)
		reportf(report, arg, "IPv%u index: a chunk is malformed",
		    family);
	if (rc == 0)
		rc = sweep_range(t, &all, &pool, &fresh);
	if (rc == 0) {
		bad = verify_chunks(&sp, report, arg);
		bad |= verify_same(family, &sp.old, &fresh, &pool, report,
		    arg);
		rc = bad ? -EILSEQ : 0;
	}
	ivec_free(&fresh);
	ivec_free(&sp.old);
	free(sp.bounds);
	free(pool.buf);
	return rc;
}

int
index_count(struct store_txn *t, unsigned family, uint64_t *intervals,
    uint64_t *chunks)
{
	int slot = store_family_slot(family), rc, op = MDB_FIRST;
	MDB_cursor *cur;
	MDB_val k, v;
	struct chunk c;

	*intervals = *chunks = 0;
	if ((rc = mdb_cursor_open(t->txn, t->st->index[slot], &cur)) != 0)
		return store_errno(rc);
	while ((rc = mdb_cursor_get(cur, &k, &v, op)) == 0) {
		op = MDB_NEXT;
		if ((rc = chunk_open(&v, family, &c)) != 0)
			break;
		*intervals += c.n;
		(*chunks)++;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : store_errno(rc);
}
