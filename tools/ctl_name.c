/* ctl_name.c -- reputectl query NAME and explain NAME: domain names in the
 * zones and sources that hold rbldnsd dnset listings. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

/* A domain-name operand ("x.example", a final dot dropped), lower case.
 * 0, or -EINVAL (nothing logged). */
int
ctl_parse_name(const char *s, struct rp_name *q)
{
	if (name_parse(s, strlen(s), q) != 0 || q->kind != NAME_EXACT)
		return -EINVAL;
	return 0;
}

/* What the zones with domain-name data (zone, or every dnsbl zone when
 * NULL) answer for q; r->n is 0 when none has any. 0 or <0. */
static int
ctl_answers_name(struct ctl *ctl, struct store_txn *t,
    const struct rp_name *q, const struct cfg_zone *zone,
    struct ctl_answers *r)
{
	struct answer_ctx actx;
	const struct cfg_zone *z;
	size_t i, n = zone != NULL ? 1 : ctl->cfg->nzones;
	int rc = 0;

	if ((rc = ctl_answers_init(ctl, n, r, &actx)) != 0)
		return rc;
	for (i = 0; i < n && rc >= 0; i++) {
		z = zone != NULL ? zone : &ctl->cfg->zones[i];
		if (z->type != CFG_ZONE_DNSBL ||
		    (rc = answer_zone_has_names(&actx, t, z)) <= 0)
			continue;
		r->zones[r->n] = z;
		rc = answer_lookup_name(&actx, t, z, q->text, q->len, 0,
		    &r->ans[r->n]);
		if (r->ans[r->n++].ncodes > 0)
			r->listed = 1;
	}
	answer_ctx_fini(&actx);
	if (rc < 0)
		ctl_answers_free(r);
	return rc < 0 ? rc : 0;
}

/* query NAME [ZONE]: CTL_NOT_NAME when no zone has domain-name data,
 * else CTL_OK, CTL_NO or CTL_ERR. */
int
ctl_query_name(struct ctl *ctl, const struct cfg_zone *zone,
    const struct rp_name *q)
{
	struct ctl_answers r;
	struct store_txn *t = NULL;
	int rc, listed;

	if (ctl_read_txn(ctl, &t) != 0)
		return CTL_ERR;
	rc = ctl_answers_name(ctl, t, q, zone, &r);
	store_txn_abort(t);
	if (rc != 0) {
		log_warnx("lookup: %s", store_strerror(rc));
		return CTL_ERR;
	}
	if (r.n == 0) {
		ctl_answers_free(&r);
		return CTL_NOT_NAME;
	}
	if (!ctl->json)
		ctl_answers_print(&r, "");
	else if (ctl_json_print(json_pack("{s:s, s:b, s:o}", "name", q->text,
	    "listed", r.listed, "zones", ctl_answers_json(&r))) != 0)
		rc = -ENOMEM;
	listed = r.listed;
	ctl_answers_free(&r);
	if (rc != 0)
		return CTL_ERR;
	return listed ? CTL_OK : CTL_NO;
}

/*
 * The entries of source id that decide for name q, as rbldnsd's dnset
 * (store_name_lookup()) decides: "q" and ".q", else those of the nearest
 * parent p with "*.p" or ".p". An exclusion among them is put last: it
 * is the one that wins.
 */
static int
ctl_name_covering(struct store_txn *t, uint16_t id, const struct rp_name *q,
    struct ctl_covering *cov)
{
	unsigned kinds[2] = { NAME_EXACT, NAME_TREE };
	const char *p = q->text, *dot;
	size_t plen = q->len, k;
	struct store_entry e, tmp;
	struct rp_cidr key;
	int rc;

	for (;;) {
		for (k = 0; k < 2; k++) {
			name_key_of(kinds[k], p, plen, &key);
			if ((rc = store_entry_get(t, id, &key, &e)) == -ENOENT)
				continue;
			if (rc != 0)
				return rc;
			if (e.name_kind == kinds[k] && e.name_len == plen &&
			    memcmp(e.name, p, plen) == 0 &&
			    (rc = ctl_covering_add(&e, cov)) != 0)
				return rc;
		}
		if (cov->n > 0 || (dot = memchr(p, '.', plen)) == NULL)
			break;
		plen -= (size_t)(dot + 1 - p);
		p = dot + 1;
		kinds[0] = NAME_BELOW;
	}
	if (cov->n == 2 && (cov->e[0].flags & STORE_F_EXCLUDE)) {
		tmp = cov->e[0];
		cov->e[0] = cov->e[1];
		cov->e[1] = tmp;
	}
	return 0;
}

/* Explain name q in one source: 1 if it lists q, 0 if not, or <0. */
static int
ctl_explain_name_source(const struct ctl *ctl, struct store_txn *t,
    const struct rp_name *q, const struct ctl_source *s, json_t *jsources)
{
	struct ctl_covering cov = { NULL, 0, 0 };
	char verdict[CTL_PREFIX_LEN + 96], p[CTL_PREFIX_LEN];
	json_t *jentries = NULL;
	int rc;

	if ((rc = ctl_name_covering(t, s->st.id, q, &cov)) != 0)
		goto done;
	if (jsources == NULL)
		printf("\nsource %s: %s\n", s->name,
		    ctl_verdict(s, &cov, verdict, sizeof(verdict)));
	else if ((jentries = json_array()) == NULL ||
	    json_array_append_new(jsources, json_pack("{s:s, s:b, s:s, s:o, "
	    "s:O}", "name", s->name, "configured", s->cfg != NULL,
	    "verdict", ctl_verdict_json(s, &cov), "winner", cov.n == 0 ?
	    json_null() : json_string(ctl_entry_prefix(&cov.e[cov.n - 1], p)),
	    "entries", jentries)) != 0) {
		rc = -ENOMEM;
		goto done;
	}
	if ((rc = ctl_explain_entries(ctl, t, s, &cov, jentries)) != 0)
		goto done;
	rc = cov.n > 0 && !(cov.e[cov.n - 1].flags & STORE_F_EXCLUDE);
done:
	json_decref(jentries);
	free(cov.e);
	return rc;
}

/* explain NAME, over the sources with domain-name listings:
 * CTL_NOT_NAME when none has any, else CTL_OK, CTL_NO or CTL_ERR. */
int
ctl_explain_name(struct ctl *ctl, const struct rp_name *q)
{
	json_t *jsources = ctl->json ? json_array() : NULL;
	struct ctl_source *s = NULL;
	struct store_txn *t = NULL;
	struct ctl_answers r;
	size_t n = 0, i, shown = 0;
	char *listed = NULL;
	int rc, any = 0;

	memset(&r, 0, sizeof(r));
	if (ctl_read_txn(ctl, &t) != 0) {
		json_decref(jsources);
		return CTL_ERR;
	}
	if ((rc = ctl_sources_collect(ctl, t, &s, &n)) != 0 ||
	    (rc = ctl_answers_name(ctl, t, q, NULL, &r)) != 0)
		goto fail;
	if ((listed = calloc(n + 1, 1)) == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (!s[i].in_store || (rc = store_entry_has_family(t,
		    s[i].st.id, RP_AF_NAME)) == 0)
			continue;
		if (rc < 0)
			goto fail;
		if (shown++ == 0 && !ctl->json)
			printf("%s\n", q->text);
		if ((rc = ctl_explain_name_source(ctl, t, q, &s[i],
		    jsources)) < 0)
			goto fail;
		listed[i] = rc > 0;
		any |= rc > 0;
	}
	if (shown == 0) {
		rc = CTL_NOT_NAME;
		goto out;
	}
	any |= r.listed;
	if (!ctl->json) {
		printf("\nzones:\n");
		if (r.n > 0)
			ctl_answers_print(&r, "  ");
		else
			printf("  none has domain-name data\n");
		ctl_explain_summary(q->text, s, listed, n);
	} else if (ctl_json_print(json_pack("{s:s, s:b, s:o, s:O, s:o}",
	    "name", q->text, "listed", any, "listed_by",
	    ctl_explain_listed_json(s, listed, n), "sources", jsources,
	    "zones", ctl_answers_json(&r))) != 0) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = any ? CTL_OK : CTL_NO;
	goto out;
fail:
	log_warnx("explain: %s", store_strerror(rc));
	rc = CTL_ERR;
out:
	ctl_answers_free(&r);
	store_txn_abort(t);
	json_decref(jsources);
	free(listed);
	free(s);
	return rc;
}
