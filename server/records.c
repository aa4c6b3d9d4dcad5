/* records.c -- the zones' static records in wire form: per zone a sorted
 * table of names (with the empty non-terminals above them), each with
 * its RRs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"

#define REC_RDATA_MAX	(2 + ZONE_NAME_MAX + 1)	/* MX: PREF + host */

/* A name of a zone: its labels below the apex, in wire form, lower
 * case, without the root byte (the apex: klen 0). */
struct rec_name {
	uint8_t		key[ZONE_NAME_MAX];
	size_t		klen;
	unsigned	nlabels;
	size_t		first, n;	/* its RRs: rs->rr[first..first+n) */
};

struct rec_zone {
	struct rec_name	*names;		/* by klen, then bytes */
	size_t		 nnames;
	unsigned	 maxlabels;	/* of its deepest name */
};

struct records {
	struct rec_zone		*zones;		/* as cfg->zones */
	size_t			 nzones;
	struct records_rr	*rr;
	size_t			 nrr;
	uint8_t			*rdata;		/* every RR's RDATA */
	int			 any;
};

/* One record while the table is built. */
struct rec_item {
	size_t		zone;
	struct rec_name	name;
	uint16_t	type;
	uint32_t	ttl;
	uint16_t	rdlen;
	uint8_t		rdata[REC_RDATA_MAX];
};

static int
rec_name_cmp(const struct rec_name *a, const struct rec_name *b)
{
	if (a->klen != b->klen)
		return a->klen < b->klen ? -1 : 1;
	return memcmp(a->key, b->key, a->klen);
}

/* By zone, name, type, RDATA: equal records end up side by side. */
static int
rec_item_cmp(const void *pa, const void *pb)
{
	const struct rec_item *a = pa, *b = pb;
	int c;

	if (a->zone != b->zone)
		return a->zone < b->zone ? -1 : 1;
	if ((c = rec_name_cmp(&a->name, &b->name)) != 0)
		return c;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->rdlen != b->rdlen)
		return a->rdlen < b->rdlen ? -1 : 1;
	return memcmp(a->rdata, b->rdata, a->rdlen);
}

/* Names with records before empty non-terminals of the same name. */
static int
rec_zname_cmp(const void *pa, const void *pb)
{
	const struct rec_item *a = pa, *b = pb;
	int c;

	if (a->zone != b->zone)
		return a->zone < b->zone ? -1 : 1;
	if ((c = rec_name_cmp(&a->name, &b->name)) != 0)
		return c;
	return (a->name.n == 0) - (b->name.n == 0);
}

/* "www.sub" (no final dot, "" the apex) as a key. */
static int
rec_key(struct rec_name *k, const char *owner)
{
	size_t n;

	k->klen = 0;
	k->nlabels = 0;
	while (*owner != '\0') {
		n = strcspn(owner, ".");
		if (n == 0 || n > 63 || k->klen + 1 + n >= ZONE_NAME_MAX)
			return -EINVAL;
		k->key[k->klen++] = (uint8_t)n;
		memcpy(k->key + k->klen, owner, n);
		k->klen += n;
		k->nlabels++;
		owner += n;
		if (*owner == '.')
			owner++;
	}
	return 0;
}

/* The RDATA of r into it. */
static int
rec_rdata(struct rec_item *it, const struct cfg_record *r)
{
	size_t len;

	it->type = r->type;
	switch (r->type) {
	case CFG_RR_A:
		memcpy(it->rdata, r->addr, 4);
		it->rdlen = 4;
		return 0;
	case CFG_RR_AAAA:
		memcpy(it->rdata, r->addr, 16);
		it->rdlen = 16;
		return 0;
	case CFG_RR_TXT:
		if (r->len > CFG_RECORD_TXT_MAX)
			return -EINVAL;
		it->rdata[0] = (uint8_t)r->len;
		memcpy(it->rdata + 1, r->data, r->len);
		it->rdlen = (uint16_t)(r->len + 1);
		return 0;
	case CFG_RR_MX:
		it->rdata[0] = (uint8_t)(r->pref >> 8);
		it->rdata[1] = (uint8_t)r->pref;
		if (zone_name_to_wire(r->data, it->rdata + 2, &len) != 0)
			return -EINVAL;
		it->rdlen = (uint16_t)(2 + len);
		return 0;
	default:
		return -EINVAL;
	}
}

/* Every record of cfg as an item; *n of them in *out (malloc'd). */
static int
rec_items(const struct cfg *cfg, struct rec_item **out, size_t *n)
{
	const struct cfg_zone *z;
	const struct cfg_record *r;
	struct rec_item *v;
	size_t i, k, total = 0;

	for (i = 0; i < cfg->nzones; i++)
		total += cfg->zones[i].nrecords;
	*out = NULL;
	*n = 0;
	if (total == 0)
		return 0;
	if ((v = calloc(total, sizeof(*v))) == NULL)
		return -ENOMEM;
	for (i = 0; i < cfg->nzones; i++) {
		z = &cfg->zones[i];
		for (k = 0; k < z->nrecords; k++) {
			r = &z->records[k];
			v[*n].zone = i;
			v[*n].ttl = r->has_ttl ? r->ttl : z->ttl;
			if (rec_key(&v[*n].name, r->owner) != 0 ||
			    rec_rdata(&v[*n], r) != 0) {
				free(v);
				return -EINVAL;
			}
			(*n)++;
		}
	}
	*out = v;
	return 0;
}

/*
 * Sort the items, drop repeated records (the least TTL stays) and give
 * each RRset its least TTL. Returns how many items are left.
 */
static size_t
rec_rrsets(struct rec_item *v, size_t n)
{
	size_t i, k = 0, start;
	uint32_t ttl;

	qsort(v, n, sizeof(*v), rec_item_cmp);
	for (i = 0; i < n; i++) {
		if (k > 0 && rec_item_cmp(&v[k - 1], &v[i]) == 0) {
			if (v[i].ttl < v[k - 1].ttl)
				v[k - 1].ttl = v[i].ttl;
			continue;
		}
		if (k != i)
			v[k] = v[i];
		k++;
	}
	for (start = 0; start < k; start = i) {
		ttl = v[start].ttl;
		for (i = start; i < k && v[i].zone == v[start].zone &&
		    v[i].type == v[start].type &&
		    rec_name_cmp(&v[i].name, &v[start].name) == 0; i++)
			if (v[i].ttl < ttl)
				ttl = v[i].ttl;
		while (start < i)
			v[start++].ttl = ttl;
	}
	return k;
}

/* The RRs, in item order, with their RDATA in one block. */
static int
rec_fill_rrs(struct records *rs, const struct rec_item *v, size_t n)
{
	size_t i, off = 0;

	for (i = 0; i < n; i++)
		off += v[i].rdlen;
	if ((rs->rr = calloc(n + 1, sizeof(*rs->rr))) == NULL ||
	    (rs->rdata = malloc(off > 0 ? off : 1)) == NULL)
		return -ENOMEM;
	for (i = 0, off = 0; i < n; i++) {
		memcpy(rs->rdata + off, v[i].rdata, v[i].rdlen);
		rs->rr[i].type = v[i].type;
		rs->rr[i].rdlen = v[i].rdlen;
		rs->rr[i].ttl = v[i].ttl;
		rs->rr[i].rdata = rs->rdata + off;
		off += v[i].rdlen;
	}
	rs->nrr = n;
	return 0;
}

/*
 * The names: one per distinct (zone, name) of the items, each with its
 * RRs, plus every name between one and its zone's apex (an empty
 * non-terminal, n 0) that has none. Into w (room for n * ZONE_LABELS_MAX
 * names); returns how many.
 */
static size_t
rec_names(const struct rec_item *v, size_t n, struct rec_item *w)
{
	const struct rec_name *nm;
	size_t i, k = 0, cut;
	unsigned j;

	for (i = 0; i < n; i++) {
		if (k > 0 && w[k - 1].zone == v[i].zone &&
		    rec_name_cmp(&w[k - 1].name, &v[i].name) == 0) {
			w[k - 1].name.n++;
			continue;
		}
		w[k].zone = v[i].zone;
		w[k].name = v[i].name;
		w[k].name.first = i;
		w[k++].name.n = 1;
	}
	for (i = 0, n = k; i < n; i++) {
		nm = &w[i].name;
		for (j = 1, cut = 0; j < nm->nlabels; j++) {
			cut += 1 + (size_t)nm->key[cut];
			w[k].zone = w[i].zone;
			memcpy(w[k].name.key, nm->key + cut, nm->klen - cut);
			w[k].name.klen = nm->klen - cut;
			w[k].name.nlabels = nm->nlabels - j;
			w[k].name.first = w[k].name.n = 0;
			k++;
		}
	}
	qsort(w, k, sizeof(*w), rec_zname_cmp);
	for (i = 0, n = 0; i < k; i++) {
		if (n > 0 && w[n - 1].zone == w[i].zone &&
		    rec_name_cmp(&w[n - 1].name, &w[i].name) == 0)
			continue;	/* a repeat, or a name that has RRs */
		if (n != i)
			w[n] = w[i];
		n++;
	}
	return n;
}

/* Hand the names in w to their zones. */
static int
rec_fill_zones(struct records *rs, const struct rec_item *w, size_t n)
{
	struct rec_zone *z;
	size_t i, start;

	for (start = 0; start < n; start = i) {
		for (i = start; i < n && w[i].zone == w[start].zone; i++)
			;
		z = &rs->zones[w[start].zone];
		if ((z->names = calloc(i - start, sizeof(*z->names))) == NULL)
			return -ENOMEM;
		for (; start < i; start++) {
			z->names[z->nnames++] = w[start].name;
			if (w[start].name.nlabels > z->maxlabels)
				z->maxlabels = w[start].name.nlabels;
		}
	}
	return 0;
}

int
records_new(struct records **out, const struct cfg *cfg)
{
	struct rec_item *v = NULL, *w = NULL;
	struct records *rs;
	size_t n, nn, most = 0, i;
	int rc;

	*out = NULL;
	if ((rs = calloc(1, sizeof(*rs))) == NULL)
		return -ENOMEM;
	rs->nzones = cfg->nzones;
	rc = -ENOMEM;
	if ((rs->zones = calloc(cfg->nzones + 1, sizeof(*rs->zones))) ==
	    NULL || (rc = rec_items(cfg, &v, &n)) != 0)
		goto fail;
	if (n > 0)
		n = rec_rrsets(v, n);
	for (i = 0; i < n; i++)
		most += v[i].name.nlabels > 0 ? v[i].name.nlabels : 1;
	rc = -ENOMEM;
	if (n > 0 && (w = calloc(most, sizeof(*w))) == NULL)
		goto fail;
	nn = n > 0 ? rec_names(v, n, w) : 0;
	if ((rc = rec_fill_rrs(rs, v, n)) != 0 ||
	    (rc = rec_fill_zones(rs, w, nn)) != 0)
		goto fail;
	rs->any = n > 0;
	free(v);
	free(w);
	*out = rs;
	return 0;
fail:
	free(v);
	free(w);
	records_free(rs);
	return rc;
}

void
records_free(struct records *rs)
{
	size_t i;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->nzones && rs->zones != NULL; i++)
		free(rs->zones[i].names);
	free(rs->zones);
	free(rs->rr);
	free(rs->rdata);
	free(rs);
}

int
records_any(const struct records *rs)
{
	return rs != NULL && rs->any;
}

int
records_find(const struct records *rs, size_t zone,
    const struct zone_qname *qn, unsigned zlabels, struct records_set *set)
{
	const struct rec_zone *z;
	const struct rec_name *nm;
	size_t lo, hi, mid, klen;
	unsigned k;
	int c;

	if (rs == NULL || zone >= rs->nzones || qn->nlabels < zlabels)
		return -ENOENT;
	z = &rs->zones[zone];
	k = qn->nlabels - zlabels;
	if (z->nnames == 0 || k > z->maxlabels)
		return -ENOENT;
	klen = qn->off[k];
	for (lo = 0, hi = z->nnames; lo < hi; ) {
		mid = lo + (hi - lo) / 2;
		nm = &z->names[mid];
		if (nm->klen != klen)
			c = nm->klen < klen ? -1 : 1;
		else
			c = memcmp(nm->key, qn->wire, klen);
		if (c == 0) {
			set->rr = rs->rr + nm->first;
			set->n = nm->n;
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -ENOENT;
}
