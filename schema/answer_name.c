/* answer_name.c -- a zone's A codes and TXT strings for a domain name
 * (RHSBL: rbldnsd's dnset). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "answer_int.h"
#include "name.h"

/* A zone source with domain-name listings. */
struct answer_nsrc {
	const struct cfg_source	*src;
	uint16_t		 id;		/* in the store */
};

/* The zone's sources with name listings, as of snapshot snap, in the
 * zone's order. */
struct answer_zname {
	int			 valid;
	uint64_t		 snap;
	size_t			 n;
	struct answer_nsrc	 s[ANSWER_MAX];
};

/* Learn which of zone's sources have name listings in t. */
static int
answer_zname_learn(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone, struct answer_zname *zn)
{
	struct store_source s;
	struct answer_nsrc *ns;
	size_t i;
	int rc;

	zn->valid = 0;
	zn->n = 0;
	for (i = 0; i < zone->nsources; i++) {
		ns = &zn->s[zn->n];
		ns->src = cfg_source_find(ctx->cfg, zone->sources[i]);
		if (ns->src == NULL)
			continue;
		rc = store_source_get(t, zone->sources[i], &s);
		if (rc == -ENOENT)
			continue;	/* nothing imported yet */
		if (rc != 0)
			return rc;
		if ((rc = store_entry_has_family(t, s.id, RP_AF_NAME)) < 0)
			return rc;
		if (rc == 0)
			continue;
		ns->id = s.id;
		zn->n++;
	}
	zn->snap = store_txn_snapshot(t);
	/* A write transaction changes entries under one snapshot number. */
	zn->valid = !store_txn_writable(t);
	return 0;
}

/* The zone's name sources, learnt once a snapshot. */
static int
answer_zname_get(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone, struct answer_zname **out)
{
	const struct cfg *cfg = ctx->cfg;
	uintptr_t z = (uintptr_t)zone, z0 = (uintptr_t)cfg->zones;
	struct answer_zname *zn;

	if (z < z0 || z >= (uintptr_t)(cfg->zones + cfg->nzones))
		return -EINVAL;		/* not one of ctx->cfg's zones */
	if (ctx->znames == NULL &&
	    (ctx->znames = calloc(cfg->nzones, sizeof(*ctx->znames))) == NULL)
		return -ENOMEM;
	zn = &ctx->znames[(z - z0) / sizeof(*zone)];
	*out = zn;
	if (zn->valid && zn->snap == store_txn_snapshot(t))
		return 0;
	return answer_zname_learn(ctx, t, zone, zn);
}

int
answer_zone_has_names(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone)
{
	struct answer_zname *zn;
	int rc;

	if ((rc = answer_zname_get(ctx, t, zone, &zn)) != 0)
		return rc;
	return zn->n > 0;
}

/* RFC 5782 section 5: "test" is listed in every domain list,
 * "invalid" in none. 1 listed, 0 not, -1 neither. */
static int
answer_name_test_point(const char *q, size_t q_len)
{
	if (q_len == 4 && memcmp(q, "test", 4) == 0)
		return 1;
	if (q_len == 7 && memcmp(q, "invalid", 7) == 0)
		return 0;
	return -1;
}

/* The listed name as rbldnsd prints it for "$": '"' and '\\' escaped with
 * a backslash, bytes outside printable ASCII as \DDD. Into subject (at
 * least 4 x NAME_TEXT_MAX + 1 bytes). */
static void
answer_name_subject(const struct store_entry *e, char *subject)
{
	unsigned char ch;
	size_t i, n = 0;

	for (i = 0; i < e->name_len; i++) {
		ch = (unsigned char)e->name[i];
		if (ch <= ' ' || ch >= 0x7f) {
			subject[n++] = '\\';
			subject[n++] = (char)('0' + ch / 100);
			subject[n++] = (char)('0' + ch / 10 % 10);
			subject[n++] = (char)('0' + ch % 10);
			continue;
		}
		if (ch == '"' || ch == '\\')
			subject[n++] = '\\';
		subject[n++] = (char)ch;
	}
	subject[n] = '\0';
}

/* The text form of name entry e ("*.x") into buf (NAME_STRLEN bytes). */
static void
answer_name_text(const struct store_entry *e, char *buf)
{
	struct rp_name n;

	memset(&n, 0, sizeof(n));
	n.kind = e->name_kind;
	n.len = (uint8_t)e->name_len;	/* <= NAME_TEXT_MAX: decoded */
	memcpy(n.text, e->name, e->name_len);
	name_str(&n, buf);
}

/* Record one matching entry e of ns. */
static void
answer_name_add(struct answer *out, const struct answer_nsrc *ns,
    const struct store_entry *e, unsigned flags)
{
	struct answer_source *as;
	char subject[4 * NAME_TEXT_MAX + 1];

	if (out->nsources == ANSWER_MAX)
		return;
	as = &out->sources[out->nsources++];
	as->src = ns->src;
	answer_name_text(e, as->name);
	as->prefix = e->prefix;
	as->network = e->prefix;
	as->flags = e->flags;
	as->code = ns->src->code;
	if ((e->flags & STORE_F_CODE) && e->code != 0)
		as->code = e->code;
	answer_add_code(out, as->code);
	if (ns->src->txt == NULL || (flags & ANSWER_NO_TXT))
		return;
	answer_name_subject(e, subject);
	answer_add_source_txt(out, subject, as, e);
}

int
answer_lookup_name(struct answer_ctx *ctx, struct store_txn *t,
    const struct cfg_zone *zone, const char *q, size_t q_len,
    unsigned flags, struct answer *out)
{
	struct answer_zname *zn;
	struct store_entry e[2];
	size_t i, j, n;
	int rc, point;

	if (!(flags & ANSWER_ADD)) {
		out->test_point = 0;
		out->nsources = out->ncodes = out->ntxt = 0;
	}
	if ((point = answer_name_test_point(q, q_len)) >= 0) {
		if (point)
			answer_set_test_point(out, flags);
		return 0;
	}
	if ((rc = answer_zname_get(ctx, t, zone, &zn)) != 0)
		goto fail;
	for (i = 0; i < zn->n; i++) {
		rc = store_name_lookup(t, zn->s[i].id, q, q_len, e, &n);
		if (rc == -ENOENT)
			continue;
		if (rc != 0)
			goto fail;
		for (j = 0; j < n; j++)
			answer_name_add(out, &zn->s[i], &e[j], flags);
	}
	return 0;
fail:
	out->nsources = out->ncodes = out->ntxt = 0;
	return rc;
}
