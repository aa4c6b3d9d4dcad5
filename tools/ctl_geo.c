/* ctl_geo.c -- reputectl and the [geoip] databases: an address's ASN and
 * country, the neighbourhood explain shows, the map report counts by. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* explain maps at most this many entries per source to ASNs: a bound
 * on the time a neighbourhood takes with a list of millions. */
#define CTL_ASN_SCAN_MAX	1000000

/* Ends a store walk early without being an error: no store_ function
 * returns a positive value. */
#define CTL_WALK_STOP	1

/* Listed entries of one source near an address (explain). */
struct ctl_near {
	uint64_t	in_prefix;	/* inside its /24 (IPv4) or /48 */
	uint64_t	in_asn;		/* mapped to its ASN */
	uint64_t	scanned;	/* entries mapped to an ASN */
	int		complete;	/* every entry was mapped */
	int		lists_asn;	/* the source lists the ASN itself */
	int		lists_cc;	/* or the country */
};

struct ctl_near_walk {
	struct ctl_geo_map	 map;
	uint32_t		 asn;		/* the address's */
	struct ctl_near		*near;
};

/* A country code as a number: its two letters, as a map key. */
static uint32_t
ctl_cc_key(const char *cc)
{
	return (uint32_t)(unsigned char)cc[0] << 8 | (unsigned char)cc[1];
}

/* The store's key of an ASN or a country listing. */
static int
ctl_geo_prefix(int kind, uint32_t key, struct rp_cidr *c)
{
	char cc[2] = { (char)(key >> 8), (char)key };

	if (kind == CTL_GEO_ASN) {
		cidr_from_asn(key, c);
		return 0;
	}
	return cidr_from_country(cc, c);
}

/* Map a to its ASN or country into m; 0, -ENOENT, or another code. */
int
ctl_geo_map(struct ctl_geo_map *m, const struct rp_addr *a)
{
	char cc[3];
	int rc;

	if (m->valid && cidr_contains(&m->net, a))
		return 0;
	m->valid = 0;
	if (m->kind == CTL_GEO_ASN)
		rc = geo_asn(m->geo, a, &m->key, m->name, sizeof(m->name),
		    &m->net);
	else if ((rc = geo_country(m->geo, a, cc, &m->net)) == 0) {
		m->key = ctl_cc_key(cc);
		snprintf(m->name, sizeof(m->name), "%s", cc);
	}
	m->valid = rc == 0;
	return rc;
}

static int
ctl_geo_configured(const struct ctl *ctl)
{
	return ctl->cfg->geoip.asn_db != NULL ||
	    ctl->cfg->geoip.country_db != NULL;
}

/* Why a lookup found nothing, for people. */
static const char *
ctl_geo_miss(int rc, int configured)
{
	if (!configured)
		return "no database configured";
	return rc == -ENOENT ? "not in the database" : geo_strerror(rc);
}

void
ctl_geo_lookup(struct ctl *ctl, const struct rp_addr *a, struct ctl_geo *g)
{
	memset(g, 0, sizeof(*g));
	g->asn_rc = g->cc_rc = -ENOENT;
	if (ctl->geo == NULL)
		return;
	if (ctl->cfg->geoip.asn_db != NULL)
		g->asn_rc = geo_asn(ctl->geo, a, &g->asn, g->org,
		    sizeof(g->org), &g->asn_net);
	if (ctl->cfg->geoip.country_db != NULL)
		g->cc_rc = geo_country(ctl->geo, a, g->cc, &g->cc_net);
}

/* "  asn      AS15169 GOOGLE (8.8.8.0/24)", then the country. */
static void
ctl_geo_text(const struct ctl *ctl, const struct ctl_geo *g)
{
	char net[RP_CIDR_STRLEN];

	if (ctl->geo == NULL) {
		printf("  geo: %s\n", ctl_geo_configured(ctl) ?
		    "the databases did not open" : "not configured");
		return;
	}
	if (g->asn_rc == 0)
		printf("  %-9sAS%" PRIu32 "%s%s (%s)\n", "asn", g->asn,
		    g->org[0] != '\0' ? " " : "", g->org,
		    cidr_str(&g->asn_net, net));
	else
		printf("  %-9s%s\n", "asn", ctl_geo_miss(g->asn_rc,
		    ctl->cfg->geoip.asn_db != NULL));
	if (g->cc_rc == 0)
		printf("  %-9s%s (%s)\n", "country", g->cc,
		    cidr_str(&g->cc_net, net));
	else
		printf("  %-9s%s\n", "country", ctl_geo_miss(g->cc_rc,
		    ctl->cfg->geoip.country_db != NULL));
}

static json_t *
ctl_geo_json(const struct ctl *ctl, const struct ctl_geo *g)
{
	json_t *asn = json_null(), *cc = json_null();

	if (ctl->geo == NULL)
		return json_pack("{s:b, s:b, s:o, s:o}", "configured",
		    ctl_geo_configured(ctl), "available", 0, "asn", asn,
		    "country", cc);
	if (g->asn_rc == 0)
		asn = json_pack("{s:I, s:o, s:o}", "number",
		    (json_int_t)g->asn, "organisation", g->org[0] == '\0' ?
		    json_null() : ctl_json_text(g->org, strlen(g->org)),
		    "network", ctl_json_prefix(&g->asn_net));
	if (g->cc_rc == 0)
		cc = json_pack("{s:s, s:o}", "code", g->cc, "network",
		    ctl_json_prefix(&g->cc_net));
	return json_pack("{s:b, s:b, s:o, s:o}", "configured", 1,
	    "available", 1, "asn", asn, "country", cc);
}

/* The neighbourhood of a: its /24, or its /48 for IPv6. */
static void
ctl_near_prefix(const struct rp_addr *a, struct rp_cidr *c)
{
	c->addr = *a;
	c->bits = a->family == RP_AF_INET ? 24 : 48;
	cidr_mask(&c->addr, c->bits);
}

static int
ctl_near_prefix_fn(const struct store_entry *e, void *arg)
{
	struct ctl_near *n = arg;

	if (!(e->flags & STORE_F_EXCLUDE))
		n->in_prefix++;
	return 0;
}

static int
ctl_near_asn_fn(const struct store_entry *e, void *arg)
{
	struct ctl_near_walk *w = arg;
	int rc;

	if (e->flags & STORE_F_EXCLUDE)
		return 0;
	if (w->near->scanned == CTL_ASN_SCAN_MAX)
		return CTL_WALK_STOP;
	w->near->scanned++;
	rc = ctl_geo_map(&w->map, &e->prefix.addr);
	if (rc == 0 && w->map.key == w->asn)
		w->near->in_asn++;
	return rc == 0 || rc == -ENOENT ? 0 : rc;
}

/* Does the source list an ASN or a country itself (not excluded)? */
int
ctl_lists_whole(struct store_txn *t, uint16_t id, int kind, uint32_t key,
    int *out)
{
	struct store_entry e;
	struct rp_cidr c;
	int rc;

	*out = 0;
	if (ctl_geo_prefix(kind, key, &c) != 0)
		return 0;
	if ((rc = store_entry_get(t, id, &c, &e)) == -ENOENT)
		return 0;
	if (rc == 0)
		*out = !(e.flags & STORE_F_EXCLUDE);
	return rc;
}

/* Count, for one source, the listed entries near a (see ctl_near). */
static int
ctl_near_source(const struct ctl *ctl, struct store_txn *t,
    const struct rp_addr *a, const struct ctl_source *s,
    const struct ctl_geo *g, struct ctl_near *n)
{
	static const unsigned fams[2] = { RP_AF_INET, RP_AF_INET6 };
	struct ctl_near_walk w;
	struct rp_cidr c;
	size_t i;
	int rc;

	memset(n, 0, sizeof(*n));
	n->complete = 1;
	if (!s->in_store)
		return 0;
	ctl_near_prefix(a, &c);
	if ((rc = store_entry_within(t, s->st.id, &c, ctl_near_prefix_fn,
	    n)) != 0)
		return rc;
	if (g->cc_rc == 0 && (rc = ctl_lists_whole(t, s->st.id,
	    CTL_GEO_COUNTRY, ctl_cc_key(g->cc), &n->lists_cc)) != 0)
		return rc;
	if (g->asn_rc != 0)
		return 0;
	if ((rc = ctl_lists_whole(t, s->st.id, CTL_GEO_ASN, g->asn,
	    &n->lists_asn)) != 0)
		return rc;
	memset(&w, 0, sizeof(w));
	w.map.geo = ctl->geo;
	w.map.kind = CTL_GEO_ASN;
	w.asn = g->asn;
	w.near = n;
	for (i = 0, rc = 0; i < 2 && rc == 0; i++)
		rc = store_entry_foreach(t, s->st.id, fams[i],
		    ctl_near_asn_fn, &w);
	if (rc == CTL_WALK_STOP) {
		n->complete = 0;	/* the bound, not an error */
		rc = 0;
	}
	return rc;
}

/* "5", or ">= 5" when the walk stopped at the bound. */
static const char *
ctl_near_count(const struct ctl_near *n, char *buf, size_t len)
{
	snprintf(buf, len, "%s%" PRIu64, n->complete ? "" : ">= ",
	    n->in_asn);
	return buf;
}

/* What a source lists whole that covers the address, or "". */
static const char *
ctl_near_note(const struct ctl_geo *g, const struct ctl_near *n,
    char *buf, size_t len)
{
	if (n->lists_asn && n->lists_cc)
		snprintf(buf, len, "  lists AS%" PRIu32 " and CC:%s itself",
		    g->asn, g->cc);
	else if (n->lists_asn)
		snprintf(buf, len, "  lists AS%" PRIu32 " itself", g->asn);
	else if (n->lists_cc)
		snprintf(buf, len, "  lists CC:%s itself", g->cc);
	else
		buf[0] = '\0';
	return buf;
}

static void
ctl_near_text(const struct ctl_geo *g, const struct rp_cidr *c,
    const struct ctl_source *s, const struct ctl_near *n, size_t ns)
{
	char head[RP_CIDR_STRLEN + 4], ahead[24], num[32], note[64];
	int wname = 6, w1, w2, w;
	size_t i, partial = 0;

	for (i = 0; i < ns; i++)
		if ((w = (int)strlen(s[i].name)) > wname)
			wname = w;
	w1 = snprintf(head, sizeof(head), "IN %s", cidr_str(c, num));
	w2 = snprintf(ahead, sizeof(ahead), "IN AS%" PRIu32, g->asn);
	w2 = w2 < 12 ? 12 : w2;		/* room for ">= 1000000" */
	printf("\nneighbourhood: listed entries of each source\n");
	printf("  %-*s  %*s", wname, "SOURCE", w1, head);
	if (g->asn_rc == 0)
		printf("  %*s", w2, ahead);
	putchar('\n');
	for (i = 0; i < ns; i++) {
		printf("  %-*s  %*" PRIu64, wname, s[i].name, w1,
		    n[i].in_prefix);
		if (g->asn_rc == 0)
			printf("  %*s", w2, ctl_near_count(&n[i], num,
			    sizeof(num)));
		printf("%s\n", ctl_near_note(g, &n[i], note, sizeof(note)));
		partial += !n[i].complete;
	}
	if (partial > 0)
		printf("  (>=: only the first %d entries of a source are "
		    "mapped to ASNs)\n", CTL_ASN_SCAN_MAX);
}

static json_t *
ctl_near_json(const struct ctl_geo *g, const struct rp_cidr *c,
    const struct ctl_source *s, const struct ctl_near *n, size_t ns)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < ns; i++)
		json_array_append_new(arr, json_pack("{s:s, s:I, s:o, s:b, "
		    "s:I, s:b, s:b}", "name", s[i].name, "in_prefix",
		    (json_int_t)n[i].in_prefix, "in_asn", g->asn_rc != 0 ?
		    json_null() : json_integer((json_int_t)n[i].in_asn),
		    "asn_complete", n[i].complete, "asn_scanned",
		    (json_int_t)n[i].scanned, "lists_asn", n[i].lists_asn,
		    "lists_country", n[i].lists_cc));
	return json_pack("{s:o, s:o, s:i, s:o}", "prefix", ctl_json_prefix(c),
	    "asn", g->asn_rc != 0 ? json_null() :
	    json_integer((json_int_t)g->asn), "asn_scan_limit",
	    CTL_ASN_SCAN_MAX, "sources", arr);
}

/*
 * The geo lines and the neighbourhood of a: printed, or into *jgeo and
 * *jnear (both set, also on error, when ctl->json). 0 or <0.
 */
int
ctl_explain_geo(struct ctl *ctl, struct store_txn *t,
    const struct rp_addr *a, const struct ctl_source *s, size_t ns,
    const struct ctl_geo *g, json_t **jgeo, json_t **jnear)
{
	struct ctl_near *near;
	struct rp_cidr c;
	size_t i;
	int rc = 0;

	*jgeo = *jnear = NULL;
	if ((near = calloc(ns + 1, sizeof(*near))) == NULL)
		return -ENOMEM;
	for (i = 0; i < ns && rc == 0; i++)
		rc = ctl_near_source(ctl, t, a, &s[i], g, &near[i]);
	ctl_near_prefix(a, &c);
	if (rc == 0 && !ctl->json) {
		ctl_geo_text(ctl, g);
		ctl_near_text(g, &c, s, near, ns);
	} else if (rc == 0) {
		*jgeo = ctl_geo_json(ctl, g);
		*jnear = ctl_near_json(g, &c, s, near, ns);
		if (*jgeo == NULL || *jnear == NULL)
			rc = -ENOMEM;
	}
	free(near);
	return rc;
}

/* Add the source's listing of one ASN or country to cov, if any. */
static int
ctl_covering_whole(struct store_txn *t, uint16_t id, int kind,
    uint32_t key, struct ctl_covering *cov)
{
	struct store_entry e;
	struct rp_cidr c;
	int rc;

	if (ctl_geo_prefix(kind, key, &c) != 0)
		return 0;
	if ((rc = store_entry_get(t, id, &c, &e)) == -ENOENT)
		return 0;
	/* The answers pass over an excluded one: it lists nothing. */
	if (rc != 0 || (e.flags & STORE_F_EXCLUDE))
		return rc;
	return ctl_covering_add(&e, cov);
}

/*
 * Put the source's listings of the address's country and ASN first in
 * cov, as if they were its widest entries: an address entry, listing or
 * exclusion, is more specific and wins over them, and the ASN over the
 * country, as in the answers (answer.h).
 */
int
ctl_covering_geo(struct store_txn *t, const struct ctl_source *s,
    const struct ctl_geo *g, struct ctl_covering *cov)
{
	int rc = 0;

	if (g->cc_rc == 0)
		rc = ctl_covering_whole(t, s->st.id, CTL_GEO_COUNTRY,
		    ctl_cc_key(g->cc), cov);
	if (rc == 0 && g->asn_rc == 0)
		rc = ctl_covering_whole(t, s->st.id, CTL_GEO_ASN, g->asn,
		    cov);
	return rc;
}
