/* answer.c -- a zone's A codes and TXT strings for one address. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "answer_int.h"
#include "template.h"

/* Hits fit on the stack up to here; more sources cost one malloc. */
#define ANSWER_HITS	128

struct answer_id {
	const struct cfg_source	*src;	/* NULL: not configured */
	int			 known;
};

/* A listing by ASN or country: the source's entry, and the database's
 * network the address is in. */
struct answer_geo_hit {
	struct store_entry	e;
	struct rp_cidr		net;
};

/* A hit of one of the zone's sources; pos orders it as the zone does.
 * hit is the index's, or NULL for a listing by ASN or country (geo). */
struct answer_match {
	size_t				 pos;
	const struct cfg_source		*src;
	const struct store_hit		*hit;
	const struct answer_geo_hit	*geo;
};

/* Which families of entries a source has (store_entry_has_family()). */
#define ANSWER_HAS_ASN	0x1
#define ANSWER_HAS_CC	0x2
#define ANSWER_HAS_V4	0x4
#define ANSWER_HAS_V6	0x8

/* A zone source with ASN or country listings. */
struct answer_gsrc {
	const struct cfg_source	*src;
	size_t			 pos;		/* in the zone's sources */
	uint16_t		 id;		/* in the store */
	uint8_t			 has;		/* ANSWER_HAS_* */
};

/* The zone's sources with ASN or country listings, as of snapshot snap:
 * the only ones a query looks up in the geo databases. */
struct answer_zgeo {
	int			 valid;
	uint64_t		 snap;
	size_t			 n;
	struct answer_gsrc	 s[ANSWER_MAX];
};

/* What the geo databases say of the queried address, asked once a
 * query and only when a source needs it. rc 1: not asked yet. */
struct answer_geo_q {
	int			 asn_rc;
	uint32_t		 asn;
	struct rp_cidr		 asn_net;
	int			 cc_rc;
	char			 cc[3];
	struct rp_cidr		 cc_net;
};

enum answer_point {
	ANSWER_POINT_NONE,
	ANSWER_POINT_LISTED,
	ANSWER_POINT_UNLISTED
};

void
answer_ctx_init(struct answer_ctx *ctx, const struct cfg *cfg)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg = cfg;
}

void
answer_ctx_fini(struct answer_ctx *ctx)
{
	free(ctx->ids);
	ctx->ids = NULL;
	ctx->nids = 0;
	free(ctx->zgeo);
	ctx->zgeo = NULL;
	free(ctx->znames);
	ctx->znames = NULL;
}

/* Make room for ids up to id; source ids are small and dense. */
static int
answer_ctx_grow(struct answer_ctx *ctx, uint16_t id)
{
	struct answer_id *ids;
	size_t n;

	if (id < ctx->nids)
		return 0;
	n = (size_t)id + 16;
	if ((ids = realloc(ctx->ids, n * sizeof(*ids))) == NULL)
		return -ENOMEM;
	memset(ids + ctx->nids, 0, (n - ctx->nids) * sizeof(*ids));
	ctx->ids = ids;
	ctx->nids = n;
	return 0;
}

/* The configured source behind a store id; *out is NULL if none. */
int
answer_source_of(struct answer_ctx *ctx, struct store_txn *t, uint16_t id,
    const struct cfg_source **out)
{
	struct store_source s;
	int rc;

	if ((rc = answer_ctx_grow(ctx, id)) != 0)
		return rc;
	if (!ctx->ids[id].known) {
		if ((rc = store_source_get_id(t, id, &s)) != 0)
			return rc;
		ctx->ids[id].src = cfg_source_find(ctx->cfg, s.name);
		ctx->ids[id].known = 1;
	}
	*out = ctx->ids[id].src;
	return 0;
}

/* RFC 5782 section 5: fixed answers a client can test a DNSxL with. */
static enum answer_point
answer_test_point(const struct rp_addr *a)
{
	static const uint8_t v4[3] = { 127, 0, 0 };
	static const uint8_t v6[15] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff, 0x7f, 0, 0 };
	uint8_t last;

	if (a->family == RP_AF_INET && memcmp(a->bytes, v4, 3) == 0)
		last = a->bytes[3];
	else if (a->family == RP_AF_INET6 && memcmp(a->bytes, v6, 15) == 0)
		last = a->bytes[15];
	else
		return ANSWER_POINT_NONE;
	if (last == 2)
		return ANSWER_POINT_LISTED;
	return last == 1 ? ANSWER_POINT_UNLISTED : ANSWER_POINT_NONE;
}

void
answer_add_code(struct answer *out, uint32_t code)
{
	size_t i;

	for (i = 0; i < out->ncodes; i++)
		if (out->codes[i] == code)
			return;
	if (out->ncodes < ANSWER_MAX)
		out->codes[out->ncodes++] = code;
}

/* An RRset holds no duplicates (RFC 2181 5), so neither does out. */
void
answer_add_txt(struct answer *out, const char *txt)
{
	size_t i;

	if (out->ntxt >= ANSWER_MAX || *txt == '\0')
		return;
	for (i = 0; i < out->ntxt; i++)
		if (strcmp(out->txt[i], txt) == 0)
			return;
	memcpy(out->txt[out->ntxt++], txt, strlen(txt) + 1);
}

void
answer_set_test_point(struct answer *out, unsigned flags)
{
	static const uint8_t listed[4] = { 127, 0, 0, 2 };
	uint32_t code;

	memcpy(&code, listed, sizeof(code));	/* network byte order */
	out->test_point = 1;
	answer_add_code(out, code);
	if (!(flags & ANSWER_NO_TXT))
		answer_add_txt(out, ANSWER_TEST_TXT);
}

/* The TXT of one listing source, from its template and entry e, with
 * subject ("$ip", rbldnsd's "$") the address queried or the name listed.
 * A reason of several lines (an rbldnsd ip4set address given several
 * values) gives one TXT per line. */
void
answer_add_source_txt(struct answer *out, const char *subject,
    const struct answer_source *as, const struct store_entry *e)
{
	struct template_vars v;
	char txt[ANSWER_TXT_LEN];
	const char *r = e->reason, *end, *nl;

	memset(&v, 0, sizeof(v));
	v.source = as->src->name;
	v.ip = subject;
	v.first_seen = e->first_seen;
	v.last_seen = e->last_seen;
	v.expires = e->expires;
	v.code = as->code;
	if (e->reason_len == 0 || r == NULL) {
		template_expand(as->src->txt, &v, txt, sizeof(txt));
		answer_add_txt(out, txt);
		return;
	}
	end = r + e->reason_len;
	for (;;) {
		nl = memchr(r, '\n', (size_t)(end - r));
		v.reason = r;
		v.reason_len = (size_t)((nl != NULL ? nl : end) - r);
		template_expand(as->src->txt, &v, txt, sizeof(txt));
		answer_add_txt(out, txt);
		if (nl == NULL)
			break;
		r = nl + 1;
	}
}

/* A source listing a by ASN or country: its entry is at hand. */
static void
answer_add_geo(struct answer *out, const struct rp_addr *a,
    const struct answer_match *m, unsigned flags)
{
	struct answer_source *as = &out->sources[out->nsources++];
	const struct store_entry *e = &m->geo->e;
	char ip[RP_CIDR_STRLEN];

	as->src = m->src;
	as->name[0] = '\0';
	as->prefix = e->prefix;
	as->network = m->geo->net;
	as->flags = e->flags;
	as->code = m->src->code;
	if ((e->flags & STORE_F_CODE) && e->code != 0)
		as->code = e->code;
	answer_add_code(out, as->code);
	if (m->src->txt != NULL && !(flags & ANSWER_NO_TXT))
		answer_add_source_txt(out, cidr_addr_str(a, ip), as, e);
}

/* Record one listing source: its code, and its TXT from the entry. */
static int
answer_add_source(struct answer *out, struct store_txn *t,
    const struct rp_addr *a, const struct answer_match *m, unsigned flags)
{
	struct answer_source *as = &out->sources[out->nsources];
	struct store_entry e;
	char ip[RP_CIDR_STRLEN];
	int rc;

	if (m->geo != NULL) {
		answer_add_geo(out, a, m, flags);
		return 0;
	}
	as->src = m->src;
	as->name[0] = '\0';
	as->flags = m->hit->flags;
	as->prefix.addr = *a;
	as->prefix.bits = m->hit->bits;
	cidr_mask(&as->prefix.addr, m->hit->bits);
	as->network = as->prefix;
	as->code = m->src->code;
	/* An A answer needs the entry only for a code of its own: the
	 * index hit says whether it has one, so most skip this read. */
	if ((flags & ANSWER_NO_TXT) && !(m->hit->flags & STORE_F_CODE)) {
		out->nsources++;
		answer_add_code(out, as->code);
		return 0;
	}
	/* The index only says which entry wins; the entry has the rest. */
	rc = store_entry_get(t, m->hit->source_id, &as->prefix, &e);
	if (rc != 0)
		return rc;
	if ((m->hit->flags & STORE_F_CODE) && e.code != 0)
		as->code = e.code;
	out->nsources++;
	answer_add_code(out, as->code);
	if (m->src->txt != NULL && !(flags & ANSWER_NO_TXT))
		answer_add_source_txt(out, cidr_addr_str(a, ip), as, &e);
	return 0;
}

/* Position of src in the zone's source list, or -ENOENT. */
static int
answer_zone_pos(const struct cfg_zone *zone, const struct cfg_source *src,
    size_t *pos)
{
	size_t i;

	for (i = 0; i < zone->nsources; i++) {
		if (strcmp(zone->sources[i], src->name) == 0) {
			*pos = i;
			return 0;
		}
	}
	return -ENOENT;
}

/* Add x to m, kept in the zone's order. Distinct sources, so there are
 * at most zone->nsources (<= ANSWER_MAX) matches. */
static void
answer_match_add(struct answer_match *m, size_t *nm,
    const struct answer_match *x)
{
	struct answer_match tmp;
	size_t j;

	m[*nm] = *x;
	for (j = (*nm)++; j > 0 && m[j - 1].pos > m[j].pos; j--) {
		tmp = m[j - 1];
		m[j - 1] = m[j];
		m[j] = tmp;
	}
}

/* Keep the hits of the zone's sources, in the zone's order. */
static int
answer_match(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone, const struct store_hit *hits, size_t n,
    struct answer_match *m, size_t *nm)
{
	struct answer_match x;
	const struct cfg_source *src;
	size_t i, pos;
	int rc;

	*nm = 0;
	for (i = 0; i < n; i++) {
		if (hits[i].flags & STORE_F_EXCLUDE)
			continue;	/* an exclusion never lists */
		if ((rc = answer_source_of(ctx, t, hits[i].source_id,
		    &src)) != 0)
			return rc;
		if (src == NULL || answer_zone_pos(zone, src, &pos) != 0)
			continue;
		if (*nm == ANSWER_MAX)
			break;
		x = (struct answer_match){ pos, src, &hits[i], NULL };
		answer_match_add(m, nm, &x);
	}
	return 0;
}

/* ---- Listings by ASN and country, at query time ------------------------ */

/* Which families of entries source id has; address families are asked
 * only of a source with ASN or country listings (for its exclusions). */
static int
answer_families(struct store_txn *t, uint16_t id, uint8_t *has)
{
	static const struct { unsigned family; uint8_t bit; } fam[4] = {
		{ RP_AF_ASN, ANSWER_HAS_ASN }, { RP_AF_COUNTRY, ANSWER_HAS_CC },
		{ RP_AF_INET, ANSWER_HAS_V4 }, { RP_AF_INET6, ANSWER_HAS_V6 },
	};
	size_t i;
	int rc;

	*has = 0;
	for (i = 0; i < 4; i++) {
		if (i == 2 && *has == 0)
			break;
		if ((rc = store_entry_has_family(t, id, fam[i].family)) < 0)
			return rc;
		if (rc > 0)
			*has |= fam[i].bit;
	}
	return 0;
}

/* Learn which of zone's sources have ASN or country listings in t. */
static int
answer_zgeo_learn(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone, struct answer_zgeo *zg)
{
	struct store_source s;
	struct answer_gsrc *gs;
	size_t i;
	int rc;

	zg->valid = 0;
	zg->n = 0;
	for (i = 0; i < zone->nsources; i++) {
		gs = &zg->s[zg->n];
		gs->src = cfg_source_find(ctx->cfg, zone->sources[i]);
		if (gs->src == NULL)
			continue;
		rc = store_source_get(t, zone->sources[i], &s);
		if (rc == -ENOENT)
			continue;	/* nothing imported yet */
		if (rc != 0 || (rc = answer_families(t, s.id, &gs->has)) != 0)
			return rc;
		if (!(gs->has & (ANSWER_HAS_ASN | ANSWER_HAS_CC)))
			continue;
		gs->pos = i;
		gs->id = s.id;
		zg->n++;
	}
	zg->snap = store_txn_snapshot(t);
	/* A write transaction changes entries under one snapshot number. */
	zg->valid = !store_txn_writable(t);
	return 0;
}

/* The zone's sources with ASN or country listings, learnt once a
 * snapshot: imports change them, queries do not. */
static int
answer_zgeo_get(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone, struct answer_zgeo **out)
{
	const struct cfg *cfg = ctx->cfg;
	uintptr_t z = (uintptr_t)zone, z0 = (uintptr_t)cfg->zones;
	struct answer_zgeo *zg;

	if (z < z0 || z >= (uintptr_t)(cfg->zones + cfg->nzones))
		return -EINVAL;		/* not one of ctx->cfg's zones */
	if (ctx->zgeo == NULL &&
	    (ctx->zgeo = calloc(cfg->nzones, sizeof(*ctx->zgeo))) == NULL)
		return -ENOMEM;
	zg = &ctx->zgeo[(z - z0) / sizeof(*zone)];
	*out = zg;
	if (zg->valid && zg->snap == store_txn_snapshot(t))
		return 0;
	return answer_zgeo_learn(ctx, t, zone, zg);
}

/* The source's entry for p, if it lists (not excludes) it. */
static int
answer_geo_entry(struct store_txn *t, uint16_t id, const struct rp_cidr *p,
    struct store_entry *e)
{
	int rc = store_entry_get(t, id, p, e);

	if (rc == 0 && (e->flags & STORE_F_EXCLUDE))
		return -ENOENT;
	return rc;
}

/* The listing by the address's ASN, if gs has one. */
static int
answer_geo_asn(struct geo *geo, struct store_txn *t,
    const struct answer_gsrc *gs, const struct rp_addr *a,
    struct answer_geo_q *q, struct answer_geo_hit *h)
{
	struct rp_cidr p;

	if (!(gs->has & ANSWER_HAS_ASN))
		return -ENOENT;
	if (q->asn_rc == 1)
		q->asn_rc = geo_asn(geo, a, &q->asn, NULL, 0, &q->asn_net);
	if (q->asn_rc != 0)
		return q->asn_rc;
	cidr_from_asn(q->asn, &p);
	h->net = q->asn_net;
	return answer_geo_entry(t, gs->id, &p, &h->e);
}

/* The listing by the address's country, if gs has one. */
static int
answer_geo_cc(struct geo *geo, struct store_txn *t,
    const struct answer_gsrc *gs, const struct rp_addr *a,
    struct answer_geo_q *q, struct answer_geo_hit *h)
{
	struct rp_cidr p;

	if (!(gs->has & ANSWER_HAS_CC))
		return -ENOENT;
	if (q->cc_rc == 1)
		q->cc_rc = geo_country(geo, a, q->cc, &q->cc_net);
	if (q->cc_rc != 0)
		return q->cc_rc;
	if (cidr_from_country(q->cc, &p) != 0)
		return -ENOENT;
	h->net = q->cc_net;
	return answer_geo_entry(t, gs->id, &p, &h->e);
}

static int
answer_any_entry(const struct store_entry *e, void *arg)
{
	(void)e;
	(void)arg;
	return 1;	/* one is enough: stop */
}

/*
 * Does an exclusion of gs cover a? gs has no index hit for a (the caller
 * checked), so any of its entries covering a must be an exclusion that
 * wins there: were the winner a listing, the index would hold it. Only
 * a source that has prefixes of a's family pays for the probe.
 */
static int
answer_geo_excluded(struct store_txn *t, const struct answer_gsrc *gs,
    const struct rp_addr *a)
{
	uint8_t need = a->family == RP_AF_INET ? ANSWER_HAS_V4 :
	    ANSWER_HAS_V6;
	int rc;

	if (!(gs->has & need))
		return 0;
	rc = store_entry_covering(t, gs->id, a, answer_any_entry, NULL);
	return rc < 0 ? rc : rc > 0;
}

/* Does gs list a by ASN or else (the wider) by country? 0 with *h
 * filled, -ENOENT, or an error. */
static int
answer_geo_source(struct geo *geo, struct store_txn *t,
    const struct answer_gsrc *gs, const struct rp_addr *a,
    struct answer_geo_q *q, struct answer_geo_hit *h)
{
	int rc;

	if ((rc = answer_geo_asn(geo, t, gs, a, q, h)) == -ENOENT)
		rc = answer_geo_cc(geo, t, gs, a, q, h);
	if (rc != 0)
		return rc;
	if ((rc = answer_geo_excluded(t, gs, a)) != 0)
		return rc > 0 ? -ENOENT : rc;
	return 0;
}

/*
 * Add the zone's sources that list a by ASN or country to m. A source
 * the index found already lists a by a prefix, which is more specific:
 * it is not looked up again. gh holds the entries (ANSWER_MAX of them).
 */
static int
answer_geo_match(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone, const struct rp_addr *a,
    struct answer_match *m, size_t *nm, struct answer_geo_hit *gh)
{
	struct answer_geo_q q = { .asn_rc = 1, .cc_rc = 1 };
	struct answer_zgeo *zg;
	struct answer_match x;
	size_t i, j, ng = 0;
	int rc;

	if ((rc = answer_zgeo_get(ctx, t, zone, &zg)) != 0)
		return rc;
	for (i = 0; i < zg->n; i++) {
		for (j = 0; j < *nm && m[j].pos != zg->s[i].pos; j++)
			;
		if (j < *nm)
			continue;
		rc = answer_geo_source(ctx->geo, t, &zg->s[i], a, &q, &gh[ng]);
		if (rc == -ENOENT)
			continue;
		if (rc != 0)
			return rc;
		x = (struct answer_match){ zg->s[i].pos, zg->s[i].src, NULL,
		    &gh[ng++] };
		answer_match_add(m, nm, &x);
	}
	return 0;
}

/* store_lookup() into buf, or into a malloc'd array when more match. */
static int
answer_hits(struct store_txn *t, const struct rp_addr *a,
    struct store_hit *buf, struct store_hit **hits, size_t *n)
{
	size_t want;
	int rc;

	*hits = buf;
	if ((rc = store_lookup(t, a, buf, ANSWER_HITS, n)) != 0)
		return rc;
	if (*n <= ANSWER_HITS)
		return 0;
	want = *n;
	if ((*hits = calloc(want, sizeof(**hits))) == NULL)
		return -ENOMEM;
	if ((rc = store_lookup(t, a, *hits, want, n)) != 0 || *n > want) {
		free(*hits);
		*hits = buf;
		return rc != 0 ? rc : -EAGAIN;
	}
	return 0;
}

int
answer_lookup(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone, const struct rp_addr *a,
    struct answer *out)
{
	return answer_lookup_flags(ctx, t, zone, a, 0, out);
}

int
answer_lookup_flags(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone, const struct rp_addr *a,
    unsigned flags, struct answer *out)
{
	struct store_hit buf[ANSWER_HITS], *hits = buf;
	struct answer_match m[ANSWER_MAX];
	struct answer_geo_hit gh[ANSWER_MAX];
	size_t n, nm, i;
	int rc;

	/* Counts only: clearing the whole struct costs more than a lookup. */
	out->test_point = 0;
	out->nsources = out->ncodes = out->ntxt = 0;
	switch (answer_test_point(a)) {
	case ANSWER_POINT_LISTED:
		answer_set_test_point(out, flags);
		return 0;
	case ANSWER_POINT_UNLISTED:
		return 0;
	default:
		break;
	}
	if ((rc = answer_hits(t, a, buf, &hits, &n)) != 0)
		return rc;
	rc = answer_match(ctx, t, zone, hits, n, m, &nm);
	/* Without geo databases, listings by ASN or country match nothing,
	 * and nothing is spent on them. */
	if (rc == 0 && ctx->geo != NULL)
		rc = answer_geo_match(ctx, t, zone, a, m, &nm, gh);
	for (i = 0; rc == 0 && i < nm; i++)
		rc = answer_add_source(out, t, a, &m[i], flags);
	if (hits != buf)
		free(hits);
	if (rc != 0)
		out->nsources = out->ncodes = out->ntxt = 0;
	return rc;
}
