/* answer.c -- a zone's A codes and TXT strings for one address. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "template.h"

/* Hits fit on the stack up to here; more sources cost one malloc. */
#define ANSWER_HITS	128

struct answer_id {
	const struct cfg_source	*src;	/* NULL: not configured */
	int			 known;
};

/* A hit of one of the zone's sources; pos orders it as the zone does. */
struct answer_match {
	size_t			 pos;
	const struct cfg_source	*src;
	const struct store_hit	*hit;
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
static int
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

static void
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
static void
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

static void
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

/* The TXT of one listing source, from its template and entry e. */
static void
answer_add_source_txt(struct answer *out, const struct rp_addr *a,
    const struct answer_source *as, const struct store_entry *e)
{
	struct template_vars v;
	char ip[RP_CIDR_STRLEN], txt[ANSWER_TXT_LEN];

	memset(&v, 0, sizeof(v));
	v.source = as->src->name;
	v.reason = e->reason;
	v.reason_len = e->reason_len;
	v.ip = cidr_addr_str(a, ip);
	v.first_seen = e->first_seen;
	v.last_seen = e->last_seen;
	v.expires = e->expires;
	v.code = as->code;
	template_expand(as->src->txt, &v, txt, sizeof(txt));
	answer_add_txt(out, txt);
}

/* Record one listing source: its code, and its TXT from the entry. */
static int
answer_add_source(struct answer *out, struct store_txn *t,
    const struct rp_addr *a, const struct answer_match *m, unsigned flags)
{
	struct answer_source *as = &out->sources[out->nsources];
	struct store_entry e;
	int rc;

	as->src = m->src;
	as->flags = m->hit->flags;
	as->prefix.addr = *a;
	as->prefix.bits = m->hit->bits;
	cidr_mask(&as->prefix.addr, m->hit->bits);
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
		answer_add_source_txt(out, a, as, &e);
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

/* Keep the hits of the zone's sources, in the zone's order. */
static int
answer_match(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone, const struct store_hit *hits, size_t n,
    struct answer_match *m, size_t *nm)
{
	struct answer_match tmp;
	const struct cfg_source *src;
	size_t i, j, pos;
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
		/* Distinct sources, so at most zone->nsources matches. */
		m[*nm] = (struct answer_match){ pos, src, &hits[i] };
		for (j = (*nm)++; j > 0 && m[j - 1].pos > m[j].pos; j--) {
			tmp = m[j - 1];
			m[j - 1] = m[j];
			m[j] = tmp;
		}
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
	for (i = 0; rc == 0 && i < nm; i++)
		rc = answer_add_source(out, t, a, &m[i], flags);
	if (hits != buf)
		free(hits);
	if (rc != 0)
		out->nsources = out->ncodes = out->ntxt = 0;
	return rc;
}
