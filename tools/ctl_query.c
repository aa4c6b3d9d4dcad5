/* ctl_query.c -- reputectl query IP [ZONE]: what the DNS server answers
 * for an address in every zone; the answers explain shows too. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

int
ctl_parse_ip(const char *s, struct rp_addr *a)
{
	if (cidr_parse_addr(s, a) == 0)
		return 0;
	log_warnx("%s: not an IPv4 or IPv6 address", s);
	return -EINVAL;
}

/* Lower case without the trailing dot, as the configuration has it. */
static const struct cfg_zone *
ctl_zone_find(const struct cfg *cfg, const char *name)
{
	char buf[CFG_DNAME_MAX + 1];
	size_t i, len = strlen(name);

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len >= sizeof(buf))
		return NULL;
	for (i = 0; i < len; i++)
		buf[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ?
		    name[i] - 'A' + 'a' : name[i]);
	buf[len] = '\0';
	return cfg_zone_find(cfg, buf);
}

void
ctl_answers_free(struct ctl_answers *r)
{
	free(r->zones);
	free(r->ans);
	memset(r, 0, sizeof(*r));
}

/* What an origin zone (type asn) answers: one TXT, or none when the
 * ASN database has no a. It lists nothing. */
static void
ctl_origin(const struct ctl *ctl, const struct rp_addr *a,
    struct answer *ans)
{
	char txt[GEO_ORIGIN_LEN];

	memset(ans, 0, sizeof(*ans));
	if (ctl->geo == NULL || geo_origin(ctl->geo, a, txt) != 0)
		return;
	snprintf(ans->txt[0], sizeof(ans->txt[0]), "%s", txt);
	ans->ntxt = 1;
}

/* Room in r for the answers of n zones, and an answer context. */
int
ctl_answers_init(struct ctl *ctl, size_t n, struct ctl_answers *r,
    struct answer_ctx *actx)
{
	memset(r, 0, sizeof(*r));
	r->zones = calloc(n + 1, sizeof(*r->zones));
	r->ans = calloc(n + 1, sizeof(*r->ans));
	if (r->zones == NULL || r->ans == NULL) {
		ctl_answers_free(r);
		return -ENOMEM;
	}
	answer_ctx_init(actx, ctl->cfg);
	actx->geo = ctl->geo;
	return 0;
}

/* The answer of zone (or of every zone when NULL) for address a. */
int
ctl_answers(struct ctl *ctl, struct store_txn *t, const struct rp_addr *a,
    const struct cfg_zone *zone, struct ctl_answers *r)
{
	struct answer_ctx actx;
	size_t i, n = zone != NULL ? 1 : ctl->cfg->nzones;
	int rc = 0;

	if ((rc = ctl_answers_init(ctl, n, r, &actx)) != 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		r->zones[i] = zone != NULL ? zone : &ctl->cfg->zones[i];
		if (r->zones[i]->type == CFG_ZONE_ASN) {
			ctl_origin(ctl, a, &r->ans[i]);
			continue;
		}
		rc = answer_lookup(&actx, t, r->zones[i], a, &r->ans[i]);
		if (r->ans[i].ncodes > 0)
			r->listed = 1;
	}
	answer_ctx_fini(&actx);
	r->n = n;
	if (rc != 0)
		ctl_answers_free(r);
	return rc;
}

/* Width of the "zone:" column. */
static int
ctl_answers_width(const struct ctl_answers *r)
{
	size_t i, w = 0;

	for (i = 0; i < r->n; i++)
		if (strlen(r->zones[i]->name) + 1 > w)
			w = strlen(r->zones[i]->name) + 1;
	return (int)w;
}

/* "bl.example.org: 127.0.0.2 "Listed by drop: SBL123"" */
void
ctl_answers_print(const struct ctl_answers *r, const char *indent)
{
	char code[INET_ADDRSTRLEN], label[260];
	const struct answer *ans;
	int width = ctl_answers_width(r);
	size_t i, j;

	for (i = 0; i < r->n; i++) {
		ans = &r->ans[i];
		snprintf(label, sizeof(label), "%s:", r->zones[i]->name);
		printf("%s%-*s", indent, width, label);
		if (r->zones[i]->type == CFG_ZONE_ASN && ans->ntxt == 0)
			fputs(" not in the ASN database", stdout);
		else if (r->zones[i]->type != CFG_ZONE_ASN &&
		    ans->ncodes == 0)
			fputs(" not listed", stdout);
		for (j = 0; j < ans->ncodes; j++)
			printf(" %s", ctl_code(ans->codes[j], code));
		for (j = 0; j < ans->ntxt; j++) {
			putchar(' ');
			ctl_put_quoted(stdout, ans->txt[j],
			    strlen(ans->txt[j]));
		}
		putchar('\n');
	}
}

static json_t *
ctl_answer_json(const struct cfg_zone *zone, const struct answer *ans)
{
	const struct answer_source *as;
	json_t *codes = json_array(), *txt = json_array();
	json_t *srcs = json_array();
	size_t i;

	for (i = 0; i < ans->ncodes; i++)
		json_array_append_new(codes, ctl_json_code(ans->codes[i]));
	for (i = 0; i < ans->ntxt; i++)
		json_array_append_new(txt, ctl_json_text(ans->txt[i],
		    strlen(ans->txt[i])));
	for (i = 0; i < ans->nsources; i++) {
		as = &ans->sources[i];
		/* A domain-name listing shows its name, not its key. */
		json_array_append_new(srcs, json_pack("{s:s, s:o, s:o, s:o}",
		    "name", as->src->name, "prefix", as->name[0] != '\0' ?
		    json_string(as->name) : ctl_json_prefix(&as->prefix),
		    "network", as->name[0] != '\0' ?
		    json_string(as->name) : ctl_json_prefix(&as->network),
		    "code", ctl_json_code(as->code)));
	}
	return json_pack("{s:s, s:s, s:b, s:b, s:o, s:o, s:o}",
	    "zone", zone->name, "type", zone->type == CFG_ZONE_ASN ? "asn" :
	    "dnsbl", "listed", ans->ncodes > 0,
	    "test_point", ans->test_point, "codes", codes, "txt", txt,
	    "sources", srcs);
}

json_t *
ctl_answers_json(const struct ctl_answers *r)
{
	json_t *zones = json_array();
	size_t i;

	for (i = 0; i < r->n; i++)
		json_array_append_new(zones,
		    ctl_answer_json(r->zones[i], &r->ans[i]));
	return zones;
}

/* query IP [ZONE], or query NAME [ZONE] where zones have domain names */
int
ctl_query(struct ctl *ctl)
{
	struct ctl_answers r;
	struct store_txn *t = NULL;
	const struct cfg_zone *zone = NULL;
	struct rp_addr a;
	struct rp_name q;
	char ip[RP_CIDR_STRLEN];
	int rc, listed, is_name;

	is_name = cidr_parse_addr(ctl->argv[1], &a) != 0 &&
	    ctl_parse_name(ctl->argv[1], &q) == 0;
	if (!is_name && ctl_parse_ip(ctl->argv[1], &a) != 0)
		return CTL_ERR;
	if (ctl->argc > 2 &&
	    (zone = ctl_zone_find(ctl->cfg, ctl->argv[2])) == NULL) {
		log_warnx("no zone %s in %s", ctl->argv[2], ctl->conf);
		return CTL_ERR;
	}
	if (zone == NULL && ctl->cfg->nzones == 0) {
		log_warnx("%s: no zone configured", ctl->conf);
		return CTL_ERR;
	}
	if (is_name) {
		if ((rc = ctl_query_name(ctl, zone, &q)) != CTL_NOT_NAME)
			return rc;
		(void)ctl_parse_ip(ctl->argv[1], &a);	/* says why not */
		return CTL_ERR;
	}
	/* Without its databases, a zone's ASN listings would look unlisted:
	 * no answer is better than a wrong one. */
	if (ctl_open_geo(ctl) != 0 || ctl_read_txn(ctl, &t) != 0)
		return CTL_ERR;
	rc = ctl_answers(ctl, t, &a, zone, &r);
	store_txn_abort(t);
	if (rc != 0) {
		log_warnx("lookup: %s", store_strerror(rc));
		return CTL_ERR;
	}
	if (!ctl->json)
		ctl_answers_print(&r, "");
	else if (ctl_json_print(json_pack("{s:s, s:b, s:o}", "ip",
	    cidr_addr_str(&a, ip), "listed", r.listed, "zones",
	    ctl_answers_json(&r))) != 0)
		rc = -ENOMEM;
	/* An origin zone asked by name "lists" what its database has. */
	listed = r.listed || (zone != NULL && zone->type == CFG_ZONE_ASN &&
	    r.ans[0].ntxt > 0);
	ctl_answers_free(&r);
	if (rc != 0)
		return CTL_ERR;
	return listed ? CTL_OK : CTL_NO;
}
