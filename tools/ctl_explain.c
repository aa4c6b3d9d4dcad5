/* ctl_explain.c -- reputectl explain IP: every source and entry covering
 * an address, with their history, the verdicts and the zones' answers. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

#define CTL_HISTORY		5	/* events shown per entry by explain */

/* The last CTL_HISTORY events of one entry: a ring, oldest first. */
struct ctl_history {
	struct store_event	ev[CTL_HISTORY];
	size_t			n;		/* events seen */
};

int
ctl_covering_add(const struct store_entry *e, void *arg)
{
	struct ctl_covering *c = arg;
	struct store_entry *ne;
	size_t cap;

	if (c->n == c->cap) {
		cap = c->cap != 0 ? 2 * c->cap : 8;
		if ((ne = realloc(c->e, cap * sizeof(*ne))) == NULL)
			return -ENOMEM;
		c->e = ne;
		c->cap = cap;
	}
	c->e[c->n++] = *e;	/* its reason stays in the map until txn end */
	return 0;
}

static int
ctl_history_add(const struct store_event *ev, void *arg)
{
	struct ctl_history *h = arg;

	h->ev[h->n++ % CTL_HISTORY] = *ev;
	return 0;
}

/* The i-th oldest of the events kept. */
static const struct store_event *
ctl_history_at(const struct ctl_history *h, size_t i)
{
	size_t kept = h->n < CTL_HISTORY ? h->n : CTL_HISTORY;

	return &h->ev[(h->n - kept + i) % CTL_HISTORY];
}

static size_t
ctl_history_kept(const struct ctl_history *h)
{
	return h->n < CTL_HISTORY ? h->n : CTL_HISTORY;
}

static const char *
ctl_event_name(uint8_t type)
{
	static const char *const names[] = {
		[STORE_EV_LISTED] = "listed",
		[STORE_EV_DELISTED] = "delisted",
		[STORE_EV_EXPIRED] = "expired",
		[STORE_EV_MANUAL_ADD] = "manual-add",
		[STORE_EV_MANUAL_DEL] = "manual-del",
		[STORE_EV_CHANGED] = "changed"
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type] != NULL)
		return names[type];
	return "unknown";
}

/* "192.0.2.0/24", or for a domain-name listing its name ("*.x"), into
 * buf (NAME_STRLEN bytes). */
static const char *
ctl_entry_key(const struct store_entry *e, char *buf)
{
	struct rp_name n;

	if (e->prefix.addr.family != RP_AF_NAME || e->name_len == 0 ||
	    e->name_len > NAME_TEXT_MAX)
		return cidr_str(&e->prefix, buf);
	memset(&n, 0, sizeof(n));
	n.kind = e->name_kind;
	n.len = (uint8_t)e->name_len;
	memcpy(n.text, e->name, e->name_len);
	return name_str(&n, buf);
}

/* "192.0.2.0/24", or "!192.0.2.0/24" for an exclusion (a name listing:
 * "*.x", "!*.x"); buf has CTL_PREFIX_LEN bytes. */
const char *
ctl_entry_prefix(const struct store_entry *e, char *buf)
{
	buf[0] = '!';
	ctl_entry_key(e, buf + 1);
	return e->flags & STORE_F_EXCLUDE ? buf : buf + 1;
}

/* The A value an entry gives; 0 when it gives none. */
static uint32_t
ctl_entry_code(const struct ctl_source *s, const struct store_entry *e)
{
	if (e->flags & STORE_F_EXCLUDE)
		return 0;
	if ((e->flags & STORE_F_CODE) && e->code != 0)
		return e->code;
	return s->cfg != NULL ? s->cfg->code : 0;
}

static void
ctl_explain_history_text(const struct ctl_history *h)
{
	const struct store_event *ev;
	char when[CTL_TIME_LEN];
	size_t i;

	for (i = 0; i < ctl_history_kept(h); i++) {
		ev = ctl_history_at(h, i);
		printf("    %-12s%s  %-10s ", i == 0 ? "history" : "",
		    ctl_time(ev->time, "-", when), ctl_event_name(ev->type));
		ctl_put_quoted(stdout, ev->reason, ev->reason_len);
		putchar('\n');
	}
	if (h->n == 0)
		printf("    %-12s%s\n", "history", "none");
}

static void
ctl_explain_entry_text(const struct ctl *ctl, const struct ctl_source *s,
    const struct store_entry *e, int wins, const struct ctl_history *h)
{
	char p[CTL_PREFIX_LEN], tb[CTL_TIME_LEN], code[INET_ADDRSTRLEN];
	uint32_t c = ctl_entry_code(s, e);

	printf("  %s%s%s%s\n", ctl_entry_prefix(e, p),
	    e->flags & STORE_F_EXCLUDE ? "  exclusion" : "",
	    e->flags & STORE_F_MANUAL ? "  manual" : "",
	    wins ? "  <- wins" : "");
	if (c != 0)
		printf("    %-12s%s\n", "code", ctl_code(c, code));
	printf("    %-12s", "reason");
	ctl_put_quoted(stdout, e->reason, e->reason_len);
	printf("\n    %-12s%s\n", "first seen", ctl_time(e->first_seen, "-",
	    tb));
	printf("    %-12s%s\n", "last seen", ctl_time(e->last_seen, "-", tb));
	printf("    %-12s%s%s\n", "expires", ctl_time(e->expires, "never", tb),
	    e->expires != 0 && e->expires <= ctl->now ? " (passed)" : "");
	ctl_explain_history_text(h);
}

static json_t *
ctl_explain_history_json(const struct ctl_history *h)
{
	const struct store_event *ev;
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < ctl_history_kept(h); i++) {
		ev = ctl_history_at(h, i);
		json_array_append_new(arr, json_pack("{s:o, s:s, s:o}",
		    "time", ctl_json_time(ev->time), "event",
		    ctl_event_name(ev->type), "reason",
		    ctl_json_text(ev->reason, ev->reason_len)));
	}
	return arr;
}

static json_t *
ctl_explain_entry_json(const struct ctl *ctl, const struct ctl_source *s,
    const struct store_entry *e, int wins, const struct ctl_history *h)
{
	uint32_t c = ctl_entry_code(s, e);
	char key[NAME_STRLEN];

	return json_pack("{s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:b, "
	    "s:b, s:o}",
	    "prefix", json_string(ctl_entry_key(e, key)),
	    "exclusion", (e->flags & STORE_F_EXCLUDE) != 0,
	    "manual", (e->flags & STORE_F_MANUAL) != 0,
	    "code", c != 0 ? ctl_json_code(c) : json_null(),
	    "reason", ctl_json_text(e->reason, e->reason_len),
	    "first_seen", ctl_json_time(e->first_seen),
	    "last_seen", ctl_json_time(e->last_seen),
	    "expires", ctl_json_time(e->expires),
	    "expired", e->expires != 0 && e->expires <= ctl->now,
	    "wins", wins,
	    "history", ctl_explain_history_json(h));
}

/* One line on what a source says about the address. */
const char *
ctl_verdict(const struct ctl_source *s, const struct ctl_covering *cov,
    char *buf, size_t len)
{
	const struct store_entry *win = cov->n ? &cov->e[cov->n - 1] : NULL;
	char p[CTL_PREFIX_LEN];
	const char *note = s->cfg == NULL ?
	    " [not configured: no zone answers from it]" : "";

	if (!s->in_store)
		snprintf(buf, len, "no data in the store%s", note);
	else if (win == NULL)
		snprintf(buf, len, "not listed (no entry covers it)%s", note);
	else if (win->flags & STORE_F_EXCLUDE)
		snprintf(buf, len, "not listed (excluded by %s)%s",
		    ctl_entry_prefix(win, p), note);
	else
		snprintf(buf, len, "listed by %s%s",
		    ctl_entry_prefix(win, p), note);
	return buf;
}

const char *
ctl_verdict_json(const struct ctl_source *s, const struct ctl_covering *cov)
{
	if (!s->in_store)
		return "no data";
	if (cov->n == 0)
		return "not listed";
	if (cov->e[cov->n - 1].flags & STORE_F_EXCLUDE)
		return "excluded";
	return "listed";
}

/* Print, or append to jentries, every covering entry and its history. */
int
ctl_explain_entries(const struct ctl *ctl, struct store_txn *t,
    const struct ctl_source *s, const struct ctl_covering *cov,
    json_t *jentries)
{
	struct ctl_history h;
	const struct store_entry *e;
	size_t i;
	int rc, wins;

	for (i = 0; i < cov->n; i++) {
		e = &cov->e[i];
		wins = i + 1 == cov->n;
		memset(&h, 0, sizeof(h));
		rc = store_history_for(t, s->st.id, &e->prefix,
		    ctl_history_add, &h);
		if (rc != 0)
			return rc;
		if (jentries == NULL)
			ctl_explain_entry_text(ctl, s, e, wins, &h);
		else if (json_array_append_new(jentries,
		    ctl_explain_entry_json(ctl, s, e, wins, &h)) != 0)
			return -ENOMEM;
	}
	return 0;
}

/* Prefixes covering a that the source no longer holds but that have a
 * history: how the address came off the list, and when. */
static int
ctl_explain_past(struct store_txn *t, const struct rp_addr *a,
    const struct ctl_source *s, const struct ctl_covering *cov,
    json_t *jpast)
{
	unsigned bits, width = cidr_family_bits(a->family);
	char p[RP_CIDR_STRLEN];
	struct ctl_history h;
	struct rp_cidr c;
	size_t i;
	int rc;

	for (bits = 0; bits <= width; bits++) {
		/* cov may hold the ASN and country listings too. */
		for (i = 0; i < cov->n && (cov->e[i].prefix.bits != bits ||
		    cov->e[i].prefix.addr.family != a->family); i++)
			;
		if (i < cov->n)
			continue;	/* held now: shown with its history */
		c.addr = *a;
		cidr_mask(&c.addr, bits);
		c.bits = (uint8_t)bits;
		memset(&h, 0, sizeof(h));
		if ((rc = store_history_for(t, s->st.id, &c, ctl_history_add,
		    &h)) != 0)
			return rc;
		if (h.n == 0)
			continue;
		if (jpast == NULL) {
			printf("  %s  (no longer held)\n", cidr_str(&c, p));
			ctl_explain_history_text(&h);
		} else if (json_array_append_new(jpast, json_pack("{s:s, s:o}",
		    "prefix", cidr_str(&c, p), "history",
		    ctl_explain_history_json(&h))) != 0)
			return -ENOMEM;
	}
	return 0;
}

/* Explain one source: 1 if it lists the address, 0 if not, or <0. */
static int
ctl_explain_source(const struct ctl *ctl, struct store_txn *t,
    const struct rp_addr *a, const struct ctl_geo *g,
    const struct ctl_source *s, json_t *jsources)
{
	struct ctl_covering cov = { NULL, 0, 0 };
	char verdict[CTL_PREFIX_LEN + 96], p[CTL_PREFIX_LEN];
	json_t *jentries = NULL, *jpast = NULL;
	int rc = 0;

	if (s->in_store && ((rc = ctl_covering_geo(t, s, g, &cov)) != 0 ||
	    (rc = store_entry_covering(t, s->st.id, a, ctl_covering_add,
	    &cov)) != 0))
		goto done;
	if (jsources == NULL)
		printf("\nsource %s: %s\n", s->name,
		    ctl_verdict(s, &cov, verdict, sizeof(verdict)));
	else if ((jentries = json_array()) == NULL ||
	    (jpast = json_array()) == NULL ||
	    json_array_append_new(jsources, json_pack("{s:s, s:b, s:s, s:o, "
	    "s:O, s:O}", "name", s->name, "configured", s->cfg != NULL,
	    "verdict", ctl_verdict_json(s, &cov), "winner", cov.n == 0 ?
	    json_null() : json_string(ctl_entry_prefix(&cov.e[cov.n - 1], p)),
	    "entries", jentries, "past", jpast)) != 0) {
		rc = -ENOMEM;
		goto done;
	}
	if ((rc = ctl_explain_entries(ctl, t, s, &cov, jentries)) != 0 ||
	    (s->in_store && (rc = ctl_explain_past(t, a, s, &cov,
	    jpast)) != 0))
		goto done;
	rc = cov.n > 0 && !(cov.e[cov.n - 1].flags & STORE_F_EXCLUDE);
done:
	json_decref(jentries);
	json_decref(jpast);
	free(cov.e);
	return rc;
}

/* The closing line: which sources list the address, or none. */
void
ctl_explain_summary(const char *ip, const struct ctl_source *s,
    const char *listed, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		count += listed[i] != 0;
	if (count == 0) {
		printf("\n%s is not listed by any source\n", ip);
		return;
	}
	printf("\n%s is listed by %zu source%s:", ip, count,
	    count == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		if (listed[i])
			printf(" %s%s", s[i].name,
			    s[i].cfg == NULL ? " (not configured)" : "");
	putchar('\n');
}

json_t *
ctl_explain_listed_json(const struct ctl_source *s, const char *listed,
    size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		if (listed[i])
			json_array_append_new(arr, json_string(s[i].name));
	return arr;
}

/* Every source, then every zone; 1 if listed anywhere, 0 if not, <0. */
static int
ctl_explain_run(struct ctl *ctl, struct store_txn *t,
    const struct rp_addr *a, const struct ctl_geo *g,
    const struct ctl_source *s, size_t n, const struct ctl_answers *r)
{
	json_t *jsources = ctl->json ? json_array() : NULL;
	json_t *jgeo = NULL, *jnear = NULL;
	char ip[RP_CIDR_STRLEN], *listed;
	size_t i;
	int rc, any = r->listed;

	if ((listed = calloc(n + 1, 1)) == NULL)
		return -ENOMEM;
	cidr_addr_str(a, ip);
	if (!ctl->json)
		printf("%s\n", ip);
	rc = ctl_explain_geo(ctl, t, a, s, n, g, &jgeo, &jnear);
	for (i = 0; i < n && rc >= 0; i++) {
		rc = ctl_explain_source(ctl, t, a, g, &s[i], jsources);
		listed[i] = rc > 0;
		any |= rc > 0;
	}
	if (rc >= 0 && !ctl->json) {
		printf("\nzones:\n");
		ctl_answers_print(r, "  ");
		ctl_explain_summary(ip, s, listed, n);
	} else if (rc >= 0)
		rc = ctl_json_print(json_pack("{s:s, s:b, s:o, s:O, s:O, s:O, "
		    "s:o}", "ip", ip, "listed", any, "listed_by",
		    ctl_explain_listed_json(s, listed, n), "geo", jgeo,
		    "neighbourhood", jnear, "sources", jsources, "zones",
		    ctl_answers_json(r)));
	json_decref(jsources);
	json_decref(jgeo);
	json_decref(jnear);
	free(listed);
	return rc < 0 ? rc : any;
}

/* explain IP, or explain NAME in a store with domain-name listings */
int
ctl_explain(struct ctl *ctl)
{
	struct ctl_answers r;
	struct ctl_source *s = NULL;
	struct store_txn *t = NULL;
	struct ctl_geo g;
	struct rp_addr a;
	struct rp_name q;
	size_t n = 0;
	int rc;

	if (cidr_parse_addr(ctl->argv[1], &a) != 0 &&
	    ctl_parse_name(ctl->argv[1], &q) == 0 &&
	    (rc = ctl_explain_name(ctl, &q)) != CTL_NOT_NAME)
		return rc;
	if (ctl_parse_ip(ctl->argv[1], &a) != 0)
		return CTL_ERR;
	/* A database that does not open is said, and explain goes on
	 * without: the store's side is worth seeing all the same. */
	(void)ctl_open_geo(ctl);
	ctl_geo_lookup(ctl, &a, &g);
	if (ctl_read_txn(ctl, &t) != 0)
		return CTL_ERR;
	if ((rc = ctl_sources_collect(ctl, t, &s, &n)) != 0)
		goto fail;
	if ((rc = ctl_answers(ctl, t, &a, NULL, &r)) != 0)
		goto fail;
	/* Reasons and events point into the map: print before txn end. */
	rc = ctl_explain_run(ctl, t, &a, &g, s, n, &r);
	ctl_answers_free(&r);
	if (rc < 0)
		goto fail;
	store_txn_abort(t);
	free(s);
	return rc > 0 ? CTL_OK : CTL_NO;
fail:
	log_warnx("explain: %s", store_strerror(rc));
	store_txn_abort(t);
	free(s);
	return CTL_ERR;
}
