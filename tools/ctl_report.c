/* ctl_report.c -- reputectl report asn|country: listed addresses per ASN
 * or per country, most first. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

#define CTL_TOP_DEFAULT		20	/* rows of `report` */
#define CTL_TOP_MAX		1000000

/* One row of `report asn` or `report country`. */
struct ctl_row {
	uint32_t	 key;		/* the ASN, or the country's letters */
	int		 used;
	char		*name;		/* AS organisation or country code */
	uint64_t	 entries;
	uint64_t	 addr4;		/* IPv4 addresses */
	uint64_t	 nets6;		/* IPv6 /64s (a longer prefix: 1) */
	size_t		*srcs;		/* indices of the sources, each once */
	size_t		 nsrcs;
};

/* A report being built: rows in an open-addressing table on key. */
struct ctl_report {
	struct ctl_geo_map	 map;
	struct ctl_row		*rows;
	size_t			 cap;		/* a power of two */
	size_t			 n;
	struct ctl_row		 unmapped;	/* not in the database */
	const struct ctl_source	*src;		/* the sources walked */
	size_t			 nsrc;
	size_t			 cur;		/* the one being walked */
	uint64_t		*whole;		/* per source: whole listings */
};

static uint64_t
ctl_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* IPv6 counts in /64s, the usual end-site subnet: addresses would be
 * numbers nobody can compare. */
static int
ctl_row_add(struct ctl_row *row, size_t src, const struct rp_cidr *p)
{
	size_t *tmp;

	row->entries++;
	if (p->addr.family == RP_AF_INET)
		row->addr4 += (uint64_t)1 << (32 - p->bits);
	else if (p->bits == 0)
		row->nets6 = UINT64_MAX;
	else
		row->nets6 = ctl_add_sat(row->nets6, p->bits >= 64 ? 1 :
		    (uint64_t)1 << (64 - p->bits));
	if (row->nsrcs > 0 && row->srcs[row->nsrcs - 1] == src)
		return 0;
	if ((tmp = realloc(row->srcs, (row->nsrcs + 1) * sizeof(*tmp))) ==
	    NULL)
		return -ENOMEM;
	row->srcs = tmp;
	row->srcs[row->nsrcs++] = src;
	return 0;
}

static size_t
ctl_report_slot(const struct ctl_row *rows, size_t cap, uint32_t key)
{
	size_t i = (size_t)(key * 2654435761u) & (cap - 1);

	while (rows[i].used && rows[i].key != key)
		i = (i + 1) & (cap - 1);
	return i;
}

/* Double the table (at most half full keeps probes short). */
static int
ctl_report_grow(struct ctl_report *r)
{
	size_t cap = r->cap != 0 ? 2 * r->cap : 256, i;
	struct ctl_row *rows;

	if ((rows = calloc(cap, sizeof(*rows))) == NULL)
		return -ENOMEM;
	for (i = 0; i < r->cap; i++)
		if (r->rows[i].used)
			rows[ctl_report_slot(rows, cap, r->rows[i].key)] =
			    r->rows[i];
	free(r->rows);
	r->rows = rows;
	r->cap = cap;
	return 0;
}

/* The row of key, made with name when new. */
static int
ctl_report_row(struct ctl_report *r, uint32_t key, const char *name,
    struct ctl_row **out)
{
	struct ctl_row *row;
	int rc;

	if (2 * (r->n + 1) > r->cap && (rc = ctl_report_grow(r)) != 0)
		return rc;
	row = &r->rows[ctl_report_slot(r->rows, r->cap, key)];
	if (!row->used) {
		if ((row->name = strdup(name)) == NULL)
			return -ENOMEM;
		row->used = 1;
		row->key = key;
		r->n++;
	}
	*out = row;
	return 0;
}

static int
ctl_report_fn(const struct store_entry *e, void *arg)
{
	struct ctl_report *r = arg;
	unsigned fam = e->prefix.addr.family;
	struct ctl_row *row = &r->unmapped;
	int rc;

	if (e->flags & STORE_F_EXCLUDE)
		return 0;
	if (fam != RP_AF_INET && fam != RP_AF_INET6) {
		if (fam == (r->map.kind == CTL_GEO_ASN ? RP_AF_ASN :
		    RP_AF_COUNTRY))
			r->whole[r->cur]++;
		return 0;
	}
	/* Where a prefix starts: a list entry wider than the database's
	 * network is rare, and its first address names its owner. */
	rc = ctl_geo_map(&r->map, &e->prefix.addr);
	if (rc != 0 && rc != -ENOENT)
		return rc;
	if (rc == 0 && (rc = ctl_report_row(r, r->map.key, r->map.name,
	    &row)) != 0)
		return rc;
	return ctl_row_add(row, r->cur, &e->prefix);
}

static void
ctl_report_free(struct ctl_report *r)
{
	size_t i;

	for (i = 0; i < r->cap; i++) {
		free(r->rows[i].name);
		free(r->rows[i].srcs);
	}
	free(r->rows);
	free(r->unmapped.srcs);
	free(r->whole);
}

static uint64_t
ctl_row_total(const struct ctl_row *row)
{
	return ctl_add_sat(row->addr4, row->nets6);
}

/* Most addresses first, then most entries, then by key. */
static int
ctl_row_cmp(const void *a, const void *b)
{
	const struct ctl_row *x = *(const struct ctl_row *const *)a;
	const struct ctl_row *y = *(const struct ctl_row *const *)b;
	uint64_t tx = ctl_row_total(x), ty = ctl_row_total(y);

	if (tx != ty)
		return tx > ty ? -1 : 1;
	if (x->entries != y->entries)
		return x->entries > y->entries ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* The rows, sorted, in a malloc'd array of pointers (free() it). */
static int
ctl_report_sorted(const struct ctl_report *r, struct ctl_row ***out)
{
	struct ctl_row **v;
	size_t i, n = 0;

	if ((v = calloc(r->n + 1, sizeof(*v))) == NULL)
		return -ENOMEM;
	for (i = 0; i < r->cap; i++)
		if (r->rows[i].used)
			v[n++] = &r->rows[i];
	qsort(v, n, sizeof(*v), ctl_row_cmp);
	*out = v;
	return 0;
}

/* Walk every chosen source's entries into r. */
static int
ctl_report_walk(struct store_txn *t, struct ctl_report *r)
{
	int rc = 0;

	if ((r->whole = calloc(r->nsrc + 1, sizeof(*r->whole))) == NULL)
		return -ENOMEM;
	for (r->cur = 0; r->cur < r->nsrc && rc == 0; r->cur++)
		if (r->src[r->cur].in_store)
			rc = store_entry_foreach(t, r->src[r->cur].st.id, 0,
			    ctl_report_fn, r);
	return rc;
}

/* The chosen sources that list a row's ASN or country whole: into the
 * array names, or as "  [listed whole by a, b]" into buf when names is
 * NULL. */
static int
ctl_row_whole(struct store_txn *t, const struct ctl_report *r,
    const struct ctl_row *row, json_t *names, char *buf, size_t len)
{
	size_t i, used = 0;
	int rc, lists;

	if (names == NULL)
		buf[0] = '\0';
	for (i = 0; i < r->nsrc; i++) {
		if (!r->src[i].in_store || r->whole[i] == 0)
			continue;
		if ((rc = ctl_lists_whole(t, r->src[i].st.id, r->map.kind,
		    row->key, &lists)) != 0)
			return rc;
		if (!lists)
			continue;
		if (names != NULL)
			json_array_append_new(names,
			    json_string(r->src[i].name));
		else if (used < len)
			used += (size_t)snprintf(buf + used, len - used,
			    "%s%s", used == 0 ? "  [listed whole by " : ", ",
			    r->src[i].name);
	}
	if (used > 0 && used < len)
		snprintf(buf + used, len - used, "]");
	return 0;
}

static void
ctl_report_head(const struct ctl *ctl, const struct ctl_report *r)
{
	int asn = r->map.kind == CTL_GEO_ASN;

	printf("listed addresses per %s, %s%s (IPv6 counted in /64s)\n",
	    asn ? "ASN" : "country", ctl->source != NULL ? "source " :
	    "all sources", ctl->source != NULL ? ctl->source : "");
	printf("%-12s %14s %10s %8s%s\n", asn ? "ASN" : "COUNTRY",
	    "ADDRESSES", "ENTRIES", "SOURCES", asn ? "  ORGANISATION" : "");
}

static int
ctl_report_text(const struct ctl *ctl, struct store_txn *t,
    const struct ctl_report *r, struct ctl_row **v, size_t top)
{
	char key[16], whole[256];
	size_t i;
	int asn = r->map.kind == CTL_GEO_ASN, rc;

	ctl_report_head(ctl, r);
	for (i = 0; i < r->n && i < top; i++) {
		if ((rc = ctl_row_whole(t, r, v[i], NULL, whole,
		    sizeof(whole))) != 0)
			return rc;
		if (asn)
			snprintf(key, sizeof(key), "AS%" PRIu32, v[i]->key);
		else
			snprintf(key, sizeof(key), "%s", v[i]->name);
		printf("%-12s %14" PRIu64 " %10" PRIu64 " %8zu%s%s%s\n", key,
		    ctl_row_total(v[i]), v[i]->entries, v[i]->nsrcs,
		    asn ? "  " : "", asn ? v[i]->name : "", whole);
	}
	if (r->unmapped.entries > 0)
		printf("%-12s %14" PRIu64 " %10" PRIu64 " %8zu\n", "not in DB",
		    ctl_row_total(&r->unmapped), r->unmapped.entries,
		    r->unmapped.nsrcs);
	if (r->n > top)
		printf("(%zu more not shown: --top N)\n", r->n - top);
	for (i = 0; i < r->nsrc; i++)
		if (r->whole[i] > 0)
			printf("%s also lists %" PRIu64 " %s whole: every "
			    "address in %s is listed\n", r->src[i].name,
			    r->whole[i], r->whole[i] == 1 ? (asn ? "ASN" :
			    "country") : (asn ? "ASNs" : "countries"),
			    r->whole[i] == 1 ? "it" : "them");
	return 0;
}

/* JSON integers are signed: the saturated counts stop at INT64_MAX. */
static json_t *
ctl_json_u64(uint64_t v)
{
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

static json_t *
ctl_row_json(const struct ctl_report *r, const struct ctl_row *row,
    json_t *whole)
{
	json_t *o, *names = json_array();
	size_t i;

	for (i = 0; i < row->nsrcs; i++)
		json_array_append_new(names,
		    json_string(r->src[row->srcs[i]].name));
	if (r->map.kind == CTL_GEO_ASN)
		o = json_pack("{s:I, s:o}", "asn", (json_int_t)row->key,
		    "organisation", row->name[0] == '\0' ? json_null() :
		    ctl_json_text(row->name, strlen(row->name)));
	else
		o = json_pack("{s:s}", "country", row->name);
	if (o == NULL || json_object_update_new(o, json_pack("{s:o, s:o, "
	    "s:o, s:o, s:o, s:o}", "addresses",
	    ctl_json_u64(ctl_row_total(row)), "ipv4_addresses",
	    ctl_json_u64(row->addr4), "ipv6_64s", ctl_json_u64(row->nets6),
	    "entries", ctl_json_u64(row->entries), "sources", names,
	    "listed_whole_by", whole)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
ctl_report_json(const struct ctl *ctl, struct store_txn *t,
    const struct ctl_report *r, struct ctl_row **v, size_t top)
{
	json_t *rows = json_array(), *whole = json_array(), *names;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->n && i < top && rc == 0; i++) {
		names = json_array();
		rc = ctl_row_whole(t, r, v[i], names, NULL, 0);
		if (rc == 0 && json_array_append_new(rows,
		    ctl_row_json(r, v[i], names)) != 0)
			rc = -ENOMEM;
		else if (rc != 0)
			json_decref(names);
	}
	for (i = 0; i < r->nsrc; i++)
		if (r->whole[i] > 0)
			json_array_append_new(whole, json_pack("{s:s, s:o}",
			    "source", r->src[i].name, "count",
			    ctl_json_u64(r->whole[i])));
	if (rc != 0) {
		json_decref(rows);
		json_decref(whole);
		return rc;
	}
	return ctl_json_print(json_pack("{s:s, s:s?, s:I, s:s, s:o, s:o, "
	    "s:{s:o, s:o}, s:o}", "report", r->map.kind == CTL_GEO_ASN ?
	    "asn" : "country", "source", ctl->source, "top",
	    (json_int_t)top, "ipv6_unit", "/64", "rows", rows, "more",
	    ctl_json_u64(r->n > top ? r->n - top : 0), "unmapped",
	    "entries", ctl_json_u64(r->unmapped.entries), "addresses",
	    ctl_json_u64(ctl_row_total(&r->unmapped)), "listed_whole",
	    whole));
}

/* --top N: 0 with *top set, or -EINVAL (printed). */
static int
ctl_report_top(const struct ctl *ctl, size_t *top)
{
	unsigned long v;
	char *end;

	*top = CTL_TOP_DEFAULT;
	if (ctl->top == NULL)
		return 0;
	errno = 0;
	v = strtoul(ctl->top, &end, 10);
	if (errno != 0 || end == ctl->top || *end != '\0' || v == 0 ||
	    v > CTL_TOP_MAX || ctl->top[0] == '-') {
		log_warnx("--top %s: not a number from 1 to %d", ctl->top,
		    CTL_TOP_MAX);
		return -EINVAL;
	}
	*top = (size_t)v;
	return 0;
}

/* "asn" or "country", with the database it needs; errors printed. */
static int
ctl_report_kind(const struct ctl *ctl, int *kind)
{
	const char *what = ctl->argv[1];
	const char *db;

	if (strcmp(what, "asn") == 0) {
		*kind = CTL_GEO_ASN;
		db = ctl->cfg->geoip.asn_db;
	} else if (strcmp(what, "country") == 0) {
		*kind = CTL_GEO_COUNTRY;
		db = ctl->cfg->geoip.country_db;
	} else {
		log_warnx("report %s: say report asn or report country", what);
		return -EINVAL;
	}
	if (db == NULL) {
		log_warnx("report %s: geo: not configured (no %s in the "
		    "[geoip] section of %s)", what, *kind == CTL_GEO_ASN ?
		    "asn-db" : "country-db", ctl->conf);
		return -EINVAL;
	}
	return 0;
}

/* Keep only --source in r->src, if given; errors printed. */
static int
ctl_report_pick(const struct ctl *ctl, struct ctl_report *r)
{
	size_t i;

	if (ctl->source == NULL)
		return 0;
	for (i = 0; i < r->nsrc; i++) {
		if (strcmp(r->src[i].name, ctl->source) == 0) {
			r->src += i;
			r->nsrc = 1;
			return 0;
		}
	}
	log_warnx("no source %s in %s or in the store", ctl->source,
	    ctl->conf);
	return -EINVAL;
}

/* report asn|country [--source S] [--top N] */
int
ctl_report(struct ctl *ctl)
{
	struct ctl_report r;
	struct ctl_source *s = NULL;
	struct ctl_row **v = NULL;
	struct store_txn *t = NULL;
	size_t top;
	int rc, kind, res = CTL_ERR;

	memset(&r, 0, sizeof(r));
	if (ctl_report_kind(ctl, &kind) != 0 ||
	    ctl_report_top(ctl, &top) != 0 ||
	    ctl_open_geo(ctl) != 0 || ctl_read_txn(ctl, &t) != 0)
		goto out;
	r.map.geo = ctl->geo;
	r.map.kind = kind;
	if ((rc = ctl_sources_collect(ctl, t, &s, &r.nsrc)) != 0)
		goto fail;
	r.src = s;
	if (ctl_report_pick(ctl, &r) != 0)
		goto out;
	if ((rc = ctl_report_walk(t, &r)) != 0 ||
	    (rc = ctl_report_sorted(&r, &v)) != 0 ||
	    (rc = ctl->json ? ctl_report_json(ctl, t, &r, v, top) :
	    ctl_report_text(ctl, t, &r, v, top)) != 0)
		goto fail;
	res = CTL_OK;
	goto out;
fail:
	log_warnx("report: %s", store_strerror(rc));
out:
	store_txn_abort(t);
	free(v);
	ctl_report_free(&r);
	free(s);
	return res;
}
