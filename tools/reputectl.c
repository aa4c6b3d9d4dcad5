/* reputectl.c -- look into and edit the reputation store: query, explain,
 * sources, list, report, check; and the running daemon's stats. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "answer.h"
#include "cidr.h"
#include "config.h"
#include "guard.h"
#include "ctlsock.h"
#include "geo.h"
#include "log.h"
#include "name.h"
#include "store.h"

#define CTL_DEFAULT_CONF	"/etc/reputed.conf"
#define CTL_HISTORY		5	/* events shown per entry by explain */
#define CTL_ERROR_WIDTH		40	/* of a last error in `sources` */
#define CTL_TIME_LEN		20	/* "YYYY-MM-DD HH:MM:SS" and NUL */
#define CTL_JSON_FLAGS		(JSON_INDENT(2) | JSON_PRESERVE_ORDER)
#define CTL_TOP_DEFAULT		20	/* rows of `report` */
#define CTL_TOP_MAX		1000000
/* explain maps at most this many entries per source to ASNs: a bound
 * on the time a neighbourhood takes with a list of millions. */
#define CTL_ASN_SCAN_MAX	1000000
#define CTL_ORG_LEN		256	/* an AS organisation and its NUL */
/* An entry's text: "!" and a prefix or a listed name ("*.x"), NUL. */
#define CTL_PREFIX_LEN		(1 + NAME_STRLEN)
/* What query and explain of a name return when no zone or source has
 * domain-name data: the operand is then no name they take. */
#define CTL_NOT_NAME		(-1)

/* Exit codes, as grep's: 0 listed or fine, 1 not listed or problems. */
enum ctl_exit {
	CTL_OK = 0,
	CTL_NO = 1,
	CTL_ERR = 2
};

/* Everything a command needs; main() owns it. */
struct ctl {
	const char	*conf;
	int		 json;
	const char	*source;	/* list, report: --source */
	const char	*reason;	/* list: --reason */
	const char	*expires;	/* list add: --expires */
	const char	*top;		/* report: --top */
	int		 argc;		/* the command and its operands */
	char	       **argv;
	int64_t		 now;
	struct cfg	*cfg;
	struct store	*st;
	struct geo	*geo;		/* NULL: no [geoip] configured */
};

struct ctl_cmd {
	const char	*name;
	int		 min_args;	/* operands after the name */
	int		 max_args;
	int		 needs_cfg;	/* check loads it itself */
	int		(*run)(struct ctl *);
};

/* One source as reputectl shows it: configured, in the store, or both. */
struct ctl_source {
	const char		*name;
	const struct cfg_source	*cfg;		/* NULL: only in the store */
	int			 in_store;
	struct store_source	 st;
};

/* Every zone asked about and its answer, in configuration order. */
struct ctl_answers {
	const struct cfg_zone	**zones;
	struct answer		 *ans;
	size_t			  n;
	int			  listed;	/* by any zone */
};

/* Entries covering an address, widest first; the last one wins. */
struct ctl_covering {
	struct store_entry	*e;
	size_t			 n;
	size_t			 cap;
};

/* The last CTL_HISTORY events of one entry: a ring, oldest first. */
struct ctl_history {
	struct store_event	ev[CTL_HISTORY];
	size_t			n;		/* events seen */
};

/* What `list add` or `list del` is asked to do, and what it did. */
struct ctl_list_op {
	int			 add;
	const struct cfg_source	*src;
	struct rp_cidr		 prefix;
	int			 exclude;	/* "!PREFIX" */
	int64_t			 duration;	/* --expires; 0: never */
	struct store_entry	 e;		/* the entry written/removed */
	int			 inserted;
	int			 was_manual;
};

static void
ctl_usage(FILE *f)
{
	fputs(
"usage: reputectl [-c FILE] [--json] COMMAND [ARG...]\n"
"\n"
"Look into and edit the reputation store of reputed.\n"
"\n"
"Commands:\n"
"  query IP [ZONE]   what the DNS server answers for IP in every zone (or in\n"
"                    ZONE): the A codes and the TXT strings.\n"
"                    Exit 0 if listed in a zone asked, 1 if not, 2 on error.\n"
"  explain IP        every source and every entry covering IP (widest first,\n"
"                    exclusions too): prefix, code, reason, first and last\n"
"                    seen, expiry, manual/exclusion flags, the winning (most\n"
"                    specific) entry and its last 5 history events; then the\n"
"                    verdict per source and per zone. With [geoip]: the\n"
"                    ASN, AS organisation, country and the database's\n"
"                    network, and ASN or country listings covering IP; and\n"
"                    the neighbourhood: per source, listed entries in the\n"
"                    same /24 (/48 for IPv6) and in the same ASN (of at\n"
"                    most the first 1000000 entries of each source).\n"
"                    Exit status as query.\n"
"  query NAME [ZONE], explain NAME\n"
"                    the same for a domain name (\"spam.example\", below\n"
"                    the zone) in the zones and sources that hold domain-\n"
"                    name listings (rbldnsd dnset): the entries that decide\n"
"                    (\"x\" and \".x\", else the nearest \"*.p\" or \".p\").\n"
"  sources           one row per source (configured or only in the store):\n"
"                    entries, last success, next fetch due, last error.\n"
"  list add PREFIX --source NAME --reason TEXT [--expires DURATION]\n"
"                    list PREFIX (an address, a CIDR, or !PREFIX for an\n"
"                    exclusion; AS64496 for every address of an ASN, CC:XX\n"
"                    for a country, by the [geoip] databases) by hand in a\n"
"                    configured source; imports keep manual entries.\n"
"                    Recorded in the history.\n"
"  list del PREFIX --source NAME --reason TEXT\n"
"                    remove the entry PREFIX (or !PREFIX) of a source.\n"
"  report asn|country [--source NAME] [--top N]\n"
"                    listed addresses per ASN (with the AS organisation) or\n"
"                    per country, most first, of every source or of NAME:\n"
"                    each entry counts for the ASN or country of its first\n"
"                    address (IPv4 in addresses, a /24 is 256; IPv6 in /64s).\n"
"                    The top N rows (default 20), then addresses not in the\n"
"                    database and the ASNs or countries listed whole.\n"
"  check             validate the configuration (every error as file:line:\n"
"                    message, else \"configuration OK\"), then verify the\n"
"                    store if there is one (\"store OK\" or each problem)\n"
"                    and open the [geoip] databases (\"geoip OK\" or why\n"
"                    not).\n"
"                    Exit 0 if all is well, 1 if the store has problems,\n"
"                    2 on configuration or other errors.\n"
"  stats             the running daemon's counters, in total and per zone\n"
"                    (queries by transport and type, rcodes, listed or not,\n"
"                    truncated, rate-limited, refused, malformed, lookup\n"
"                    errors) and its latency, over its control socket\n"
"                    (control-socket in [server], else control.sock in the\n"
"                    database directory). Exit 2 if reputed does not answer.\n"
"\n"
"Options:\n"
"  -c, --config FILE   configuration file (default " CTL_DEFAULT_CONF ")\n"
"  -j, --json          JSON output instead of aligned text\n"
"  -s, --source NAME   list: the source to change; report: the one to count\n"
"  -t, --top N         report: how many rows (default 20)\n"
"  -r, --reason TEXT   list: why, kept in the history (required)\n"
"  -e, --expires DUR   list add: remove it after DUR (90s, 30m, 12h, 7d, 2w)\n"
"  -h, --help          show this help\n"
"\n"
"Times are UTC. Configuration errors, a missing store and bad arguments\n"
"exit 2.\n", f);
}

/* "YYYY-MM-DD HH:MM:SS" in UTC, or none when t is 0 (never). */
static const char *
ctl_time(int64_t t, const char *none, char *buf)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL)
		return none;
	strftime(buf, CTL_TIME_LEN, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static const char *
ctl_code(uint32_t code, char *buf)
{
	return inet_ntop(AF_INET, &code, buf, INET_ADDRSTRLEN);
}

/* Print s as a DNS presentation character-string: "...", \" \\ \DDD. */
static void
ctl_put_quoted(FILE *f, const char *s, size_t len)
{
	unsigned char c;
	size_t i;

	putc('"', f);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\%03u", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

/* Text from the store as a JSON string: it need not be UTF-8 (then its
 * other bytes become '?') nor NUL-terminated. */
static json_t *
ctl_json_text(const char *s, size_t len)
{
	json_t *j;
	char *copy;
	size_t i;

	if (s == NULL || len == 0)
		return json_string("");
	if ((j = json_stringn(s, len)) != NULL)
		return j;
	if ((copy = malloc(len)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		copy[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
	j = json_stringn(copy, len);
	free(copy);
	return j;
}

/* A time as in text, or null for never. */
static json_t *
ctl_json_time(int64_t t)
{
	char buf[CTL_TIME_LEN];

	return t == 0 ? json_null() : json_string(ctl_time(t, "", buf));
}

static json_t *
ctl_json_code(uint32_t code)
{
	char buf[INET_ADDRSTRLEN];

	return json_string(ctl_code(code, buf));
}

static json_t *
ctl_json_prefix(const struct rp_cidr *c)
{
	char buf[RP_CIDR_STRLEN];

	return json_string(cidr_str(c, buf));
}

/* Print and free root; 0, or -ENOMEM when building it failed. */
static int
ctl_json_print(json_t *root)
{
	int rc;

	if (root == NULL) {
		log_warnx("out of memory building the JSON output");
		return -ENOMEM;
	}
	rc = json_dumpf(root, stdout, CTL_JSON_FLAGS);
	putchar('\n');
	json_decref(root);
	return rc == 0 ? 0 : -EIO;
}

/* Load -c FILE; every problem has been printed when this fails. */
static int
ctl_load_config(struct ctl *ctl, FILE *err)
{
	int rc;

	if ((rc = cfg_load(&ctl->cfg, ctl->conf, err)) != 0)
		return rc;
	if (ctl->cfg->server.database == NULL) {
		fprintf(err, "%s: no database in [server]\n", ctl->conf);
		return -EINVAL;
	}
	return 0;
}

/* Name the schema versions when the store has one we do not know. */
static void
ctl_version_error(const char *path, const struct store *st, int rc)
{
	if (st != NULL)
		log_warnx("%s: %s (store version %" PRIu32 ", this program "
		    "knows version %" PRIu32 ")", path, store_strerror(rc),
		    store_found_version(st), store_schema_version());
	else
		log_warnx("%s: %s (this program knows version %" PRIu32 ")",
		    path, store_strerror(rc), store_schema_version());
}

/* Name the store if reading its map faults (a damaged file). */
static void
ctl_guard(const struct store *st, const char *path)
{
	const void *map;
	size_t len;

	store_map_range(st, &map, &len);
	guard_store_faults("reputectl", path, map, len);
}

/* Say why store_open() failed; st is what it left in *out, if any. */
static void
ctl_store_error(const char *path, const struct store *st, int rc)
{
	if (rc == -ENOENT)
		log_warnx("no store at %s (run reputed-import first)", path);
	else if (rc == -EPROTO)
		ctl_version_error(path, st, rc);
	else
		log_warnx("%s: %s", path, store_strerror(rc));
}

/* Open the configured store into ctl->st; errors are printed. */
static int
ctl_open_store(struct ctl *ctl, unsigned flags)
{
	const char *path = ctl->cfg->server.database;
	struct store *st = NULL;
	int rc;

	if ((rc = store_open(&st, path, flags)) == 0) {
		ctl->st = st;
		ctl_guard(st, path);
		return 0;
	}
	ctl_store_error(path, st, rc);
	store_close(st);
	return rc;
}

/* A read transaction on the configured store, opened read-only. */
static int
ctl_read_txn(struct ctl *ctl, struct store_txn **t)
{
	int rc;

	if ((rc = ctl_open_store(ctl, STORE_RDONLY)) != 0)
		return rc;
	if ((rc = store_txn_begin(ctl->st, 0, t)) != 0)
		log_warnx("%s: %s", ctl->cfg->server.database,
		    store_strerror(rc));
	return rc;
}

/* Open the [geoip] databases into ctl->geo. None configured is fine:
 * ctl->geo stays NULL and geo features are off. Errors are printed. */
static int
ctl_open_geo(struct ctl *ctl)
{
	const struct cfg_geoip *gc = &ctl->cfg->geoip;
	char err[512];
	int rc;

	if (gc->asn_db == NULL && gc->country_db == NULL)
		return 0;
	err[0] = '\0';
	rc = geo_open(&ctl->geo, gc->asn_db, gc->country_db, err,
	    sizeof(err));
	if (rc != 0) {
		log_warnx("%s", err[0] != '\0' ? err : geo_strerror(rc));
		ctl->geo = NULL;
	}
	return rc;
}

static int
ctl_parse_ip(const char *s, struct rp_addr *a)
{
	if (cidr_parse_addr(s, a) == 0)
		return 0;
	log_warnx("%s: not an IPv4 or IPv6 address", s);
	return -EINVAL;
}

/*
 * Every source: the configured ones in configuration order, then those
 * only the store knows, by name. *out is malloc'd: free() it. Names
 * point into the configuration or into *out itself.
 */
static int
ctl_sources_collect(struct ctl *ctl, struct store_txn *t,
    struct ctl_source **out, size_t *n)
{
	const struct cfg *cfg = ctl->cfg;
	struct store_source *list = NULL;
	struct ctl_source *s;
	size_t nlist = 0, i, j;
	int rc;

	if ((rc = store_source_list(t, &list, &nlist)) != 0)
		return rc;
	if ((s = calloc(cfg->nsources + nlist + 1, sizeof(*s))) == NULL) {
		free(list);
		return -ENOMEM;
	}
	*n = 0;
	for (i = 0; i < cfg->nsources; i++) {
		s[*n].name = cfg->sources[i].name;
		s[*n].cfg = &cfg->sources[i];
		for (j = 0; j < nlist; j++)
			if (strcmp(list[j].name, s[*n].name) == 0)
				break;
		if (j < nlist) {
			s[*n].in_store = 1;
			s[*n].st = list[j];
		}
		(*n)++;
	}
	for (j = 0; j < nlist; j++) {
		if (cfg_source_find(cfg, list[j].name) != NULL)
			continue;
		s[*n].in_store = 1;
		s[*n].st = list[j];
		s[*n].name = s[*n].st.name;
		(*n)++;
	}
	free(list);
	*out = s;
	return 0;
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

static void
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

/* The answer of zone (or of every zone when NULL) for address a. */
static int
ctl_answers(struct ctl *ctl, struct store_txn *t, const struct rp_addr *a,
    const struct cfg_zone *zone, struct ctl_answers *r)
{
	struct answer_ctx actx;
	size_t i, n = zone != NULL ? 1 : ctl->cfg->nzones;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->zones = calloc(n + 1, sizeof(*r->zones));
	r->ans = calloc(n + 1, sizeof(*r->ans));
	if (r->zones == NULL || r->ans == NULL) {
		ctl_answers_free(r);
		return -ENOMEM;
	}
	answer_ctx_init(&actx, ctl->cfg);
	actx.geo = ctl->geo;
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
static void
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

static json_t *
ctl_answers_json(const struct ctl_answers *r)
{
	json_t *zones = json_array();
	size_t i;

	for (i = 0; i < r->n; i++)
		json_array_append_new(zones,
		    ctl_answer_json(r->zones[i], &r->ans[i]));
	return zones;
}

static int	ctl_parse_name(const char *, struct rp_name *);
static int	ctl_query_name(struct ctl *, const struct cfg_zone *,
		    const struct rp_name *);

/* query IP [ZONE], or query NAME [ZONE] where zones have domain names */
static int
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

static int
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
static const char *
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
static const char *
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

static const char *
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
static int
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

/* Ends a store walk early without being an error: no store_ function
 * returns a positive value. */
#define CTL_WALK_STOP	1

enum ctl_geo_kind {
	CTL_GEO_ASN,
	CTL_GEO_COUNTRY
};

/* What the geo databases say about one address (explain). */
struct ctl_geo {
	int		 asn_rc;	/* 0 found, -ENOENT not in the DB */
	uint32_t	 asn;
	char		 org[CTL_ORG_LEN];
	struct rp_cidr	 asn_net;	/* the database's network */
	int		 cc_rc;
	char		 cc[3];
	struct rp_cidr	 cc_net;
};

/*
 * Maps addresses to an ASN or a country, remembering the last network
 * found: a source's entries come in address order, so most fall in the
 * network of the one before and cost no database lookup.
 */
struct ctl_geo_map {
	struct geo	*geo;
	int		 kind;		/* enum ctl_geo_kind */
	int		 valid;		/* key, name and net hold a result */
	uint32_t	 key;		/* the ASN, or the country's letters */
	char		 name[CTL_ORG_LEN];	/* organisation or code */
	struct rp_cidr	 net;
};

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
static int
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

static void
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
static int
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
static int
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
static int
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
static void
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

static json_t *
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

/* ---- Domain names: rbldnsd dnset sources ------------------------------- */

/* A domain-name operand ("x.example", a final dot dropped), lower case.
 * 0, or -EINVAL (nothing logged). */
static int
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

	memset(r, 0, sizeof(*r));
	r->zones = calloc(n + 1, sizeof(*r->zones));
	r->ans = calloc(n + 1, sizeof(*r->ans));
	if (r->zones == NULL || r->ans == NULL) {
		ctl_answers_free(r);
		return -ENOMEM;
	}
	answer_ctx_init(&actx, ctl->cfg);
	actx.geo = ctl->geo;
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
static int
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
static int
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

/* explain IP, or explain NAME in a store with domain-name listings */
static int
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

/* When the next fetch is due: a time, "now", "manual", or NULL when
 * the source is not configured. */
static const char *
ctl_next_fetch(const struct ctl *ctl, const struct ctl_source *s, char *buf)
{
	int64_t due;

	if (s->cfg == NULL)
		return NULL;
	if (s->cfg->url == NULL)
		return "manual";
	if (!s->in_store || s->st.last_attempt == 0)
		return "now";
	/* The importer's own rule: refresh, catalog minimum, back-off after
	 * failures and the server's Retry-After. */
	due = cfg_source_next_fetch(s->cfg, s->st.last_attempt,
	    s->st.failures, s->st.retry_after);
	return due <= ctl->now ? "now" : ctl_time(due, "now", buf);
}

/* The last error on one line and at most CTL_ERROR_WIDTH wide. */
static const char *
ctl_short_error(const char *err, char *buf)
{
	size_t i, len = strlen(err);

	if (len == 0)
		return "-";
	for (i = 0; i < len && i < CTL_ERROR_WIDTH; i++)
		buf[i] = (unsigned char)err[i] < 0x20 ? ' ' : err[i];
	buf[i] = '\0';
	if (len > CTL_ERROR_WIDTH)
		memcpy(buf + CTL_ERROR_WIDTH - 3, "...", 4);
	return buf;
}

static void
ctl_sources_row(const struct ctl *ctl, const struct ctl_source *s,
    int wname, int wnum)
{
	char name[80], tb[CTL_TIME_LEN], nb[CTL_TIME_LEN];
	char err[CTL_ERROR_WIDTH + 1];
	const char *next = ctl_next_fetch(ctl, s, nb);

	snprintf(name, sizeof(name), "%s%s", s->name, s->cfg ? "" : "*");
	printf("%-*s  %*" PRIu64 "  %-19s  %-19s  %s\n", wname, name, wnum,
	    s->in_store ? s->st.entries : 0,
	    ctl_time(s->in_store ? s->st.last_success : 0, "never", tb),
	    next != NULL ? next : "-",
	    ctl_short_error(s->in_store ? s->st.last_error : "", err));
}

static void
ctl_sources_text(const struct ctl *ctl, const struct ctl_source *s,
    size_t n)
{
	char num[24];
	int wname = 6, wnum = 7, w, unconfigured = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		w = (int)strlen(s[i].name) + (s[i].cfg == NULL);
		wname = w > wname ? w : wname;
		w = snprintf(num, sizeof(num), "%" PRIu64,
		    s[i].in_store ? s[i].st.entries : 0);
		wnum = w > wnum ? w : wnum;
		unconfigured |= s[i].cfg == NULL;
	}
	printf("%-*s  %*s  %-19s  %-19s  %s\n", wname, "SOURCE", wnum,
	    "ENTRIES", "LAST SUCCESS", "NEXT FETCH", "LAST ERROR");
	for (i = 0; i < n; i++)
		ctl_sources_row(ctl, &s[i], wname, wnum);
	if (unconfigured)
		printf("* in the store but not in %s\n", ctl->conf);
}

static json_t *
ctl_source_json(const struct ctl *ctl, const struct ctl_source *s)
{
	static const struct store_source none;
	const struct store_source *st = s->in_store ? &s->st : &none;
	char nb[CTL_TIME_LEN];
	const char *next = ctl_next_fetch(ctl, s, nb);

	return json_pack("{s:s, s:b, s:b, s:s?, s:I, s:o, s:o, s:o, s:s?, "
	    "s:I, s:I, s:I, s:I, s:o, s:I, s:o, s:o}",
	    "name", s->name, "configured", s->cfg != NULL,
	    "in_store", s->in_store, "url", s->cfg ? s->cfg->url : NULL,
	    "entries", (json_int_t)st->entries,
	    "last_attempt", ctl_json_time(st->last_attempt),
	    "last_success", ctl_json_time(st->last_success),
	    "last_change", ctl_json_time(st->last_change),
	    "next_fetch", next,
	    "added", (json_int_t)st->added, "kept", (json_int_t)st->kept,
	    "removed", (json_int_t)st->removed,
	    "rejected", (json_int_t)st->rejected,
	    "last_error", st->last_error[0] == '\0' ? json_null() :
	    ctl_json_text(st->last_error, strlen(st->last_error)),
	    "failures", (json_int_t)st->failures,
	    "retry_after", ctl_json_time(st->retry_after),
	    "last_warning", st->last_warning[0] == '\0' ? json_null() :
	    ctl_json_text(st->last_warning, strlen(st->last_warning)));
}

/* sources */
static int
ctl_sources(struct ctl *ctl)
{
	struct ctl_source *s = NULL;
	struct store_txn *t = NULL;
	json_t *arr;
	size_t i, n = 0;
	int rc;

	if (ctl_read_txn(ctl, &t) != 0)
		return CTL_ERR;
	rc = ctl_sources_collect(ctl, t, &s, &n);
	store_txn_abort(t);	/* the rows are copies */
	if (rc != 0) {
		log_warnx("sources: %s", store_strerror(rc));
		return CTL_ERR;
	}
	if (!ctl->json)
		ctl_sources_text(ctl, s, n);
	else {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, ctl_source_json(ctl, &s[i]));
		rc = ctl_json_print(json_pack("{s:o}", "sources", arr));
	}
	free(s);
	return rc == 0 ? CTL_OK : CTL_ERR;
}

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
static int
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

/* --expires: list add only, a positive duration. */
static int
ctl_list_expires(const struct ctl *ctl, struct ctl_list_op *op)
{
	if (ctl->expires == NULL)
		return 0;
	if (!op->add) {
		log_warnx("list del: --expires is for list add only");
		return -EINVAL;
	}
	if (cfg_parse_duration(ctl->expires, &op->duration) != 0 ||
	    op->duration <= 0) {
		log_warnx("--expires %s: not a duration such as 30d",
		    ctl->expires);
		return -EINVAL;
	}
	return 0;
}

/* The [!]PREFIX of list add|del into op; errors printed. */
static int
ctl_list_prefix(struct ctl_list_op *op, const char *p)
{
	char buf[RP_CIDR_STRLEN];
	int host_bits;

	if ((op->exclude = *p == '!') != 0)
		p++;
	if (cidr_parse_listing(p, &op->prefix, &host_bits) != 0) {
		log_warnx("%s: not an address, a CIDR prefix, an ASN "
		    "(AS64496) or a country (CC:XX)", p);
		return -EINVAL;
	}
	/* The answers pass over such an entry (answer.h): refuse it
	 * rather than store one that does nothing. */
	if (op->add && op->exclude &&
	    op->prefix.addr.family != RP_AF_INET &&
	    op->prefix.addr.family != RP_AF_INET6) {
		log_warnx("!%s: an ASN or a country cannot be excluded; "
		    "exclude addresses (!PREFIX) or list del it", p);
		return -EINVAL;
	}
	/* A typo in the length must not list a wider range than meant. */
	if (host_bits) {
		log_warnx("%s: host bits set past the length (prefix %s?)",
		    p, cidr_str(&op->prefix, buf));
		return -EINVAL;
	}
	return 0;
}

/* "list add|del [!]PREFIX" and its options into op; errors printed. */
static int
ctl_list_parse(const struct ctl *ctl, struct ctl_list_op *op)
{
	const char *verb = ctl->argv[1];

	memset(op, 0, sizeof(*op));
	op->add = strcmp(verb, "add") == 0;
	if (!op->add && strcmp(verb, "del") != 0) {
		log_warnx("list %s: say list add or list del", verb);
		return -EINVAL;
	}
	if (ctl->source == NULL || ctl->reason == NULL ||
	    ctl->reason[0] == '\0') {
		log_warnx("list %s needs --source NAME and --reason TEXT",
		    verb);
		return -EINVAL;
	}
	if ((op->src = cfg_source_find(ctl->cfg, ctl->source)) == NULL) {
		log_warnx("no source %s in %s", ctl->source, ctl->conf);
		return -EINVAL;
	}
	if (ctl_list_expires(ctl, op) != 0)
		return -EINVAL;
	return ctl_list_prefix(op, ctl->argv[2]);
}

/* Write the manual entry, keeping what an existing one had first. */
static int
ctl_list_add(const struct ctl *ctl, struct store_txn *t, uint16_t id,
    struct ctl_list_op *op)
{
	struct store_entry old;
	size_t rlen = strlen(ctl->reason);
	int rc;

	memset(&op->e, 0, sizeof(op->e));
	op->e.first_seen = ctl->now;
	if ((rc = store_entry_get(t, id, &op->prefix, &old)) == 0) {
		op->was_manual = (old.flags & STORE_F_MANUAL) != 0;
		if (old.first_seen != 0)
			op->e.first_seen = old.first_seen;
		if ((old.flags & STORE_F_CODE) && !op->exclude) {
			op->e.flags |= STORE_F_CODE;
			op->e.code = old.code;
		}
	} else if (rc != -ENOENT)
		return rc;
	op->e.prefix = op->prefix;
	op->e.source_id = id;
	op->e.flags |= STORE_F_MANUAL | (op->exclude ? STORE_F_EXCLUDE : 0);
	op->e.last_seen = ctl->now;
	op->e.expires = op->duration != 0 ? ctl->now + op->duration : 0;
	op->e.reason = ctl->reason;
	op->e.reason_len = rlen;
	if ((rc = store_entry_put(t, &op->e, &op->inserted)) != 0)
		return rc;
	return store_history_add(t, STORE_EV_MANUAL_ADD, id, &op->prefix,
	    ctl->reason, rlen, ctl->now);
}

/* Remove the entry; -ENOENT or -EEXIST (wrong kind) are printed. */
static int
ctl_list_del(const struct ctl *ctl, struct store_txn *t, uint16_t id,
    struct ctl_list_op *op)
{
	char buf[CTL_PREFIX_LEN], plain[RP_CIDR_STRLEN];
	int rc, excl;

	if ((rc = store_entry_get(t, id, &op->prefix, &op->e)) == -ENOENT) {
		log_warnx("%s: no entry %s%s", op->src->name,
		    op->exclude ? "!" : "", cidr_str(&op->prefix, plain));
		return rc;
	}
	if (rc != 0)
		return rc;
	op->e.reason = NULL;	/* it goes with the entry */
	op->e.reason_len = 0;
	op->was_manual = (op->e.flags & STORE_F_MANUAL) != 0;
	excl = (op->e.flags & STORE_F_EXCLUDE) != 0;
	if (excl != op->exclude) {
		log_warnx("%s: %s is %s: write %s", op->src->name,
		    cidr_str(&op->prefix, plain), excl ? "an exclusion" :
		    "a listing, not an exclusion", ctl_entry_prefix(&op->e,
		    buf));
		return -EEXIST;
	}
	if ((rc = store_entry_del(t, id, &op->prefix)) != 0)
		return rc;
	return store_history_add(t, STORE_EV_MANUAL_DEL, id, &op->prefix,
	    ctl->reason, strlen(ctl->reason), ctl->now);
}

static void
ctl_list_text(const struct ctl_list_op *op)
{
	char buf[CTL_PREFIX_LEN], tb[CTL_TIME_LEN];
	const char *p = ctl_entry_prefix(&op->e, buf);

	if (!op->add) {
		printf("%s: removed %s\n", op->src->name, p);
		/* An import brings an imported prefix back; say how not. */
		if (!op->was_manual && op->src->url != NULL &&
		    !op->exclude)
			printf("note: the next import of %s lists %s again if "
			    "its list still has it; `list add !%s` keeps it "
			    "out\n", op->src->name, p, p);
		return;
	}
	printf("%s: %s %s (manual %s, %s%s)\n", op->src->name,
	    op->inserted ? "added" : "updated", p,
	    op->exclude ? "exclusion" : "listing",
	    op->e.expires != 0 ? "expires " : "never expires",
	    ctl_time(op->e.expires, "", tb));
}

/* An ASN or a country listing answers only with its database. */
static void
ctl_list_geo_note(const struct ctl *ctl, const struct ctl_list_op *op)
{
	char buf[RP_CIDR_STRLEN];
	unsigned fam = op->prefix.addr.family;

	if (!op->add || op->exclude)
		return;
	if ((fam == RP_AF_ASN && ctl->cfg->geoip.asn_db == NULL) ||
	    (fam == RP_AF_COUNTRY && ctl->cfg->geoip.country_db == NULL))
		printf("note: %s has no %s in [geoip]: no zone answers for "
		    "%s until one is set\n", ctl->conf, fam == RP_AF_ASN ?
		    "asn-db" : "country-db", cidr_str(&op->prefix, buf));
}

static int
ctl_list_json(const struct ctl *ctl, const struct ctl_list_op *op)
{
	const char *action = !op->add ? "removed" :
	    op->inserted ? "added" : "updated";

	return ctl_json_print(json_pack("{s:s, s:s, s:o, s:b, s:b, s:o, "
	    "s:s}", "source", op->src->name, "action", action,
	    "prefix", ctl_json_prefix(&op->prefix), "exclusion", op->exclude,
	    "manual", op->add || op->was_manual,
	    "expires", ctl_json_time(op->add ? op->e.expires : 0),
	    "reason", ctl->reason));
}

/* list add|del PREFIX --source NAME --reason TEXT [--expires DUR] */
static int
ctl_list(struct ctl *ctl)
{
	struct ctl_list_op op;
	struct store_source s;
	struct store_txn *t = NULL;
	int rc;

	if (ctl_list_parse(ctl, &op) != 0)
		return CTL_ERR;
	/* A manual source may need a store before any import made one. */
	if (ctl_open_store(ctl, op.add ? STORE_CREATE : 0) != 0)
		return CTL_ERR;
	if ((rc = store_txn_begin(ctl->st, 1, &t)) != 0 ||
	    (rc = store_source_ensure(t, op.src->name, &s)) != 0)
		goto fail;
	rc = op.add ? ctl_list_add(ctl, t, s.id, &op) :
	    ctl_list_del(ctl, t, s.id, &op);
	if (rc == -ENOENT || rc == -EEXIST) {
		store_txn_abort(t);	/* already said why */
		return CTL_ERR;
	}
	if (rc != 0)
		goto fail;
	rc = store_txn_commit(t);
	t = NULL;
	if (rc != 0)
		goto fail;
	if (ctl->json)
		return ctl_list_json(ctl, &op) == 0 ? CTL_OK : CTL_ERR;
	ctl_list_text(&op);
	ctl_list_geo_note(ctl, &op);
	return CTL_OK;
fail:
	store_txn_abort(t);
	log_warnx("list %s: %s", ctl->argv[1], store_strerror(rc));
	return CTL_ERR;
}

/* Store problems found by store_verify(): printed, or kept for JSON. */
struct ctl_problems {
	const char	*path;
	json_t		*arr;		/* NULL: print them */
	size_t		 n;
};

static void
ctl_problem(const char *msg, void *arg)
{
	struct ctl_problems *p = arg;

	p->n++;
	if (p->arr != NULL)
		json_array_append_new(p->arr, json_string(msg));
	else
		printf("%s: %s\n", p->path, msg);
}

/* Verify an open store; CTL_OK, CTL_NO with problems, or CTL_ERR. */
static int
ctl_check_verify(struct ctl *ctl, struct ctl_problems *p,
    struct store_stats *stats)
{
	struct store_txn *t = NULL;
	int rc;

	memset(stats, 0, sizeof(*stats));
	if ((rc = store_txn_begin(ctl->st, 0, &t)) != 0)
		goto fail;
	rc = store_verify(t, ctl_problem, p);
	if (rc == 0 && (rc = store_stats(t, stats)) != 0)
		goto fail;
	store_txn_abort(t);
	t = NULL;
	if (rc == -EILSEQ || (rc == 0 && p->n > 0))
		return CTL_NO;
	if (rc == 0)
		return CTL_OK;
fail:
	store_txn_abort(t);
	log_warnx("%s: verify: %s", p->path, store_strerror(rc));
	return CTL_ERR;
}

/* The store half of check: absent is fine, unreadable is an error. */
static int
ctl_check_store(struct ctl *ctl, json_t **jstore)
{
	struct ctl_problems p = { ctl->cfg->server.database, NULL, 0 };
	struct store_stats stats;
	struct store *st = NULL;
	int rc, res;

	memset(&stats, 0, sizeof(stats));
	if (ctl->json && (p.arr = json_array()) == NULL)
		return CTL_ERR;
	if ((rc = store_open(&st, p.path, STORE_RDONLY)) == -ENOENT) {
		res = CTL_OK;
		if (!ctl->json)
			printf("no store at %s yet: nothing to verify\n",
			    p.path);
	} else if (rc != 0) {
		ctl_store_error(p.path, st, rc);
		store_close(st);
		res = CTL_ERR;
	} else {
		ctl_guard(st, p.path);
		ctl->st = st;
		res = ctl_check_verify(ctl, &p, &stats);
		if (res == CTL_OK && !ctl->json)
			printf("store OK (%" PRIu64 " entries)\n",
			    stats.entries);
	}
	if (ctl->json)
		*jstore = json_pack("{s:s, s:b, s:b, s:s?, s:I, s:o}",
		    "path", p.path, "exists", rc != -ENOENT,
		    "ok", res == CTL_OK, "error", rc != 0 && rc != -ENOENT ?
		    store_strerror(rc) : NULL, "entries",
		    (json_int_t)stats.entries, "problems", p.arr);
	return res;
}

/* One open database for check: its type and build date, or null. */
static json_t *
ctl_geo_db_json(const struct geo *g, enum geo_role role, char *text,
    size_t len)
{
	struct geo_db_info info;
	char tb[CTL_TIME_LEN];

	if (g == NULL || geo_db_info(g, role, &info) != 0)
		return json_null();
	snprintf(text, len, "%s %s (built %s)", role == GEO_ASN ? "asn-db" :
	    "country-db", info.type, ctl_time((int64_t)info.build_epoch,
	    "-", tb));
	return json_pack("{s:s, s:s, s:o}", "path", info.path, "type",
	    info.type, "built", ctl_json_time((int64_t)info.build_epoch));
}

/* The [geoip] half of check: every database configured opens and
 * passes geo_open()'s checks. CTL_OK (also when none is configured) or
 * CTL_ERR, said on stdout or in *jgeo. */
static int
ctl_check_geo(struct ctl *ctl, json_t **jgeo)
{
	const struct cfg_geoip *gc = &ctl->cfg->geoip;
	char err[512], asn[160] = "", cc[160] = "";
	struct geo *g = NULL;
	json_t *jasn, *jcc;
	int rc;

	if (gc->asn_db == NULL && gc->country_db == NULL) {
		if (ctl->json)
			*jgeo = json_pack("{s:b}", "configured", 0);
		return CTL_OK;
	}
	err[0] = '\0';
	rc = geo_open(&g, gc->asn_db, gc->country_db, err, sizeof(err));
	jasn = ctl_geo_db_json(g, GEO_ASN, asn, sizeof(asn));
	jcc = ctl_geo_db_json(g, GEO_COUNTRY, cc, sizeof(cc));
	if (!ctl->json && rc == 0)
		printf("geoip OK: %s%s%s\n", asn, asn[0] && cc[0] ? ", " : "",
		    cc);
	else if (!ctl->json)
		printf("%s\n", err[0] != '\0' ? err : geo_strerror(rc));
	if (ctl->json)
		*jgeo = json_pack("{s:b, s:b, s:o, s:o, s:o}", "configured",
		    1, "ok", rc == 0, "error", rc == 0 ? json_null() :
		    json_string(err[0] != '\0' ? err : geo_strerror(rc)),
		    "asn_db", jasn, "country_db", jcc);
	else {
		json_decref(jasn);
		json_decref(jcc);
	}
	geo_close(g);
	return rc == 0 ? CTL_OK : CTL_ERR;
}

/* Configuration errors as a JSON array: one string per line. */
static json_t *
ctl_lines_json(const char *buf, size_t len)
{
	json_t *arr = json_array();
	const char *p = buf, *nl, *end = buf + len;

	while (buf != NULL && p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl > p)
			json_array_append_new(arr,
			    ctl_json_text(p, (size_t)(nl - p)));
		p = nl + 1;
	}
	return arr;
}

/* check: the report is the output, so errors go to stdout too. */
static int
ctl_check(struct ctl *ctl)
{
	json_t *jcfg, *jstore = json_null(), *jgeo = json_null();
	char *buf = NULL;
	size_t len = 0;
	FILE *err = stdout;
	int rc, res, gres;

	if (ctl->json && (err = open_memstream(&buf, &len)) == NULL) {
		log_warn("open_memstream");
		return CTL_ERR;
	}
	rc = ctl_load_config(ctl, err);
	if (ctl->json)
		fclose(err);
	else if (rc == 0)
		puts("configuration OK");
	res = rc != 0 ? CTL_ERR : ctl_check_store(ctl, &jstore);
	if (rc == 0 && (gres = ctl_check_geo(ctl, &jgeo)) > res)
		res = gres;
	if (ctl->json) {
		jcfg = json_pack("{s:s, s:b, s:o}", "path", ctl->conf,
		    "ok", rc == 0, "errors", ctl_lines_json(buf, len));
		if (ctl_json_print(json_pack("{s:o, s:o, s:o}", "config",
		    jcfg, "store", jstore, "geoip", jgeo)) != 0)
			res = CTL_ERR;
	}
	free(buf);
	return res;
}

/* stats: ask the daemon (ctlsock.h); nothing is read from the store. */
static int
ctl_stats(struct ctl *ctl)
{
	char path[256], err[512];
	json_t *root;

	if (ctlsock_path(ctl->cfg, path, sizeof(path)) != 0) {
		log_warnx("%s: the control socket's path is too long",
		    ctl->conf);
		return CTL_ERR;
	}
	if (ctlsock_request(path, "stats", &root, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return CTL_ERR;
	}
	if (ctl->json)
		return ctl_json_print(root) == 0 ? CTL_OK : CTL_ERR;
	ctlsock_stats_print(stdout, root);
	json_decref(root);
	return CTL_OK;
}

static const struct ctl_cmd ctl_cmds[] = {
	{ "query",	1, 2, 1, ctl_query },
	{ "explain",	1, 1, 1, ctl_explain },
	{ "sources",	0, 0, 1, ctl_sources },
	{ "list",	2, 2, 1, ctl_list },
	{ "report",	1, 1, 1, ctl_report },
	{ "check",	0, 0, 0, ctl_check },
	{ "stats",	0, 0, 1, ctl_stats },
};

/* Options into ctl: 0, 1 after --help, or -EINVAL (usage printed). */
static int
ctl_parse_args(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config",	required_argument,	NULL, 'c' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "source",	required_argument,	NULL, 's' },
		{ "reason",	required_argument,	NULL, 'r' },
		{ "expires",	required_argument,	NULL, 'e' },
		{ "top",	required_argument,	NULL, 't' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	int ch;

	ctl->conf = CTL_DEFAULT_CONF;
	/* GNU getopt permutes: list's options may follow its operands. */
	while ((ch = getopt_long(argc, argv, "c:js:r:e:t:h", opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			ctl->conf = optarg;
			break;
		case 'j':
			ctl->json = 1;
			break;
		case 's':
			ctl->source = optarg;
			break;
		case 'r':
			ctl->reason = optarg;
			break;
		case 'e':
			ctl->expires = optarg;
			break;
		case 't':
			ctl->top = optarg;
			break;
		case 'h':
			ctl_usage(stdout);
			return 1;
		default:
			ctl_usage(stderr);
			return -EINVAL;
		}
	}
	ctl->argc = argc - optind;
	ctl->argv = argv + optind;
	return 0;
}

/* The command named by the first operand, with its operand count and
 * options checked; NULL (after a message) when they are wrong. */
static const struct ctl_cmd *
ctl_find_cmd(const struct ctl *ctl)
{
	const struct ctl_cmd *cmd;
	size_t i;

	if (ctl->argc == 0) {
		ctl_usage(stderr);
		return NULL;
	}
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++) {
		cmd = &ctl_cmds[i];
		if (strcmp(ctl->argv[0], cmd->name) != 0)
			continue;
		if (ctl->argc - 1 < cmd->min_args ||
		    ctl->argc - 1 > cmd->max_args) {
			log_warnx("%s: wrong number of arguments (see --help)",
			    cmd->name);
			return NULL;
		}
		if (cmd->run != ctl_list && (ctl->reason != NULL ||
		    ctl->expires != NULL || (ctl->source != NULL &&
		    cmd->run != ctl_report))) {
			log_warnx("%s: --source is for list and report, "
			    "--reason and --expires for list only", cmd->name);
			return NULL;
		}
		if (cmd->run != ctl_report && ctl->top != NULL) {
			log_warnx("%s: --top is for report only", cmd->name);
			return NULL;
		}
		return cmd;
	}
	log_warnx("%s: unknown command (see --help)", ctl->argv[0]);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct ctl ctl;
	const struct ctl_cmd *cmd;
	int rc;

	log_init("reputectl", 0, 0);
	memset(&ctl, 0, sizeof(ctl));
	if ((rc = ctl_parse_args(&ctl, argc, argv)) != 0)
		return rc > 0 ? CTL_OK : CTL_ERR;
	if ((cmd = ctl_find_cmd(&ctl)) == NULL)
		return CTL_ERR;
	ctl.now = (int64_t)time(NULL);
	if (cmd->needs_cfg && ctl_load_config(&ctl, stderr) != 0)
		rc = CTL_ERR;
	else
		rc = cmd->run(&ctl);
	store_close(ctl.st);
	geo_close(ctl.geo);
	cfg_free(ctl.cfg);
	return rc;
}
