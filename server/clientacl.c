/* clientacl.c -- the client ACLs of [server] and the zones (rbldnsd's acl
 * datasets): one store lookup of the client's address per ACL. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clientacl.h"
#include "template.h"

/* Sources listing a client that fit on the stack; with more, the ACL's
 * entries covering it are walked instead (a client listed by that many
 * sources at once is rare). */
#define CLIENTACL_HITS	64

/* One ACL source, and its id in the store once known. */
struct clientacl_src {
	const struct cfg_source	*src;
	uint16_t		 id;
	int			 known;
	int			 missing;	/* not in the store as of snap */
	uint64_t		 snap;
};

/* The index in ca->srcs of the source called name, added if new: 0 with
 * *idx, -ENOMEM, or -ENOENT when cfg has no such source. */
static int
clientacl_add(struct clientacl *ca, const struct cfg *cfg, const char *name,
    long *idx)
{
	const struct cfg_source *src = cfg_source_find(cfg, name);
	size_t i;

	if (src == NULL)
		return -ENOENT;		/* cfg_load() refuses it */
	for (i = 0; i < ca->nsrcs; i++) {
		if (ca->srcs[i].src == src) {
			*idx = (long)i;
			return 0;
		}
	}
	/* At most one per zone and [server]: srcs was sized for that. */
	memset(&ca->srcs[ca->nsrcs], 0, sizeof(ca->srcs[0]));
	ca->srcs[ca->nsrcs].src = src;
	*idx = (long)ca->nsrcs++;
	return 0;
}

int
clientacl_init(struct clientacl *ca, const struct cfg *cfg)
{
	size_t i, n = cfg->server.client_acl != NULL;

	memset(ca, 0, sizeof(*ca));
	ca->global = -1;
	for (i = 0; i < cfg->nzones; i++)
		n += cfg->zones[i].client_acl != NULL;
	if (n == 0)
		return 0;
	if ((ca->srcs = calloc(n, sizeof(*ca->srcs))) == NULL ||
	    (ca->zones = calloc(cfg->nzones + 1, sizeof(*ca->zones))) == NULL)
		goto nomem;
	ca->nzones = cfg->nzones;
	if (cfg->server.client_acl != NULL &&
	    clientacl_add(ca, cfg, cfg->server.client_acl, &ca->global) != 0)
		ca->global = -1;
	for (i = 0; i < cfg->nzones; i++) {
		ca->zones[i] = -1;
		if (cfg->zones[i].client_acl != NULL &&
		    clientacl_add(ca, cfg, cfg->zones[i].client_acl,
		    &ca->zones[i]) != 0)
			ca->zones[i] = -1;
	}
	return 0;
nomem:
	clientacl_fini(ca);
	return -ENOMEM;
}

void
clientacl_fini(struct clientacl *ca)
{
	free(ca->srcs);
	free(ca->zones);
	memset(ca, 0, sizeof(*ca));
	ca->global = -1;
}

/* The store id of s: 0, -ENOENT while it has never been imported (asked
 * again with the next snapshot), or another store code. */
static int
clientacl_id(struct clientacl_src *s, struct store_txn *t)
{
	struct store_source ss;
	uint64_t snap;
	int rc;

	if (s->known)
		return 0;
	snap = store_txn_snapshot(t);
	if (s->missing && s->snap == snap)
		return -ENOENT;
	if ((rc = store_source_get(t, s->src->name, &ss)) != 0) {
		if (rc == -ENOENT) {
			s->missing = 1;
			s->snap = snap;
		}
		return rc;
	}
	s->id = ss.id;
	s->known = 1;
	return 0;
}

/* store_entry_covering() callback: keep the last (most specific). */
static int
clientacl_deepest(const struct store_entry *e, void *arg)
{
	struct store_hit *h = arg;

	h->bits = e->prefix.bits;
	h->flags = e->flags;
	h->source_id = 1;		/* found */
	return 0;
}

/* The winning entry of source id for a: 1 with *h, 0 if none, or a
 * negative store code. */
static int
clientacl_hit(struct store_txn *t, uint16_t id, const struct rp_addr *a,
    struct store_hit *h)
{
	struct store_hit hits[CLIENTACL_HITS];
	size_t n, i;
	int rc;

	if ((rc = store_lookup(t, a, hits, CLIENTACL_HITS, &n)) != 0)
		return rc;
	for (i = 0; i < n && i < CLIENTACL_HITS; i++) {
		if (hits[i].source_id == id) {
			*h = hits[i];
			return 1;
		}
	}
	if (n <= CLIENTACL_HITS)
		return 0;
	memset(h, 0, sizeof(*h));
	if ((rc = store_entry_covering(t, id, a, clientacl_deepest, h)) != 0)
		return rc;
	if (h->source_id == 0)
		return 0;
	h->source_id = id;
	return 1;
}

/* The TXT of an "always listed" entry e of src: its template, with $ip
 * (and rbldnsd's "$") the client's address; the reason's first line. */
static void
clientacl_txt(const struct cfg_source *src, const struct rp_addr *a,
    const struct store_entry *e, uint32_t code, char *out)
{
	struct template_vars tv;
	char ip[RP_CIDR_STRLEN];
	const char *nl;

	out[0] = '\0';
	if (src->txt == NULL)
		return;
	memset(&tv, 0, sizeof(tv));
	tv.source = src->name;
	tv.ip = cidr_addr_str(a, ip);
	tv.first_seen = e->first_seen;
	tv.last_seen = e->last_seen;
	tv.expires = e->expires;
	tv.code = code;
	if (e->reason != NULL && e->reason_len > 0) {
		tv.reason = e->reason;
		nl = memchr(e->reason, '\n', e->reason_len);
		tv.reason_len = nl ? (size_t)(nl - e->reason) : e->reason_len;
	}
	template_expand(src->txt, &tv, out, ANSWER_TXT_LEN);
}

/* What ACL source s says of a: 0 with *v, or a negative store code. */
static int
clientacl_lookup(struct clientacl_src *s, struct store_txn *t,
    const struct rp_addr *a, struct clientacl_verdict *v)
{
	struct store_entry e;
	struct store_hit h;
	struct rp_cidr p;
	int rc;

	v->action = ACLCODE_NONE;
	if (t == NULL || a == NULL ||
	    (a->family != RP_AF_INET && a->family != RP_AF_INET6))
		return 0;
	if ((rc = clientacl_id(s, t)) != 0)
		return rc == -ENOENT ? 0 : rc;
	if ((rc = clientacl_hit(t, s->id, a, &h)) <= 0)
		return rc;
	if (h.flags & STORE_F_EXCLUDE)
		return 0;
	p.addr = *a;
	p.bits = h.bits;
	cidr_mask(&p.addr, h.bits);
	if ((rc = store_entry_get(t, s->id, &p, &e)) != 0)
		return rc == -ENOENT ? 0 : rc;
	v->action = aclcode_action_of(e.flags, e.code);
	if (v->action != ACLCODE_ALWAYS)
		return 0;
	v->code = (e.flags & STORE_F_CODE) && e.code != 0 ? e.code :
	    s->src->code;
	clientacl_txt(s->src, a, &e, v->code, v->txt);
	return 0;
}

int
clientacl_global(struct clientacl *ca, struct store_txn *t,
    const struct rp_addr *a, struct clientacl_verdict *v)
{
	int rc;

	v->action = ACLCODE_NONE;
	if (ca->global < 0)
		return 0;
	if ((rc = clientacl_lookup(&ca->srcs[ca->global], t, a, v)) != 0)
		v->action = ACLCODE_NONE;
	return rc;
}

int
clientacl_zone(struct clientacl *ca, struct store_txn *t, size_t zone,
    const struct rp_addr *a, struct clientacl_verdict *v)
{
	struct clientacl_verdict z;
	int rc;

	if (ca->zones == NULL || zone >= ca->nzones || ca->zones[zone] < 0)
		return 0;
	/* Nothing the zone says can beat [server]'s ignore. */
	if (v->action == ACLCODE_IGNORE)
		return 0;
	if ((rc = clientacl_lookup(&ca->srcs[ca->zones[zone]], t, a, &z)) != 0)
		return rc;
	if (z.action > v->action)	/* enum aclcode_action's order */
		*v = z;
	return 0;
}

int
clientacl_answer(const struct clientacl_verdict *v, unsigned flags,
    struct answer *out)
{
	out->test_point = 0;
	out->nsources = out->ncodes = out->ntxt = 0;
	if (v->action != ACLCODE_ALWAYS)
		return 0;
	out->codes[out->ncodes++] = v->code;
	if (!(flags & ANSWER_NO_TXT) && v->txt[0] != '\0')
		memcpy(out->txt[out->ntxt++], v->txt, strlen(v->txt) + 1);
	return 0;
}
