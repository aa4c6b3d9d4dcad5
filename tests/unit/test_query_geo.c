/* test_query_geo.c -- geo through query_answer(): origin zones (type asn)
 * and addresses listed by their ASN or country, with exclusions, over the
 * MaxMind test databases; and the configuration rules for both. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "answer.h"
#include "cidr.h"
#include "config.h"
#include "geo.h"
#include "store.h"
#include "../../server/query.h"

#include "fixture_store.h"

#define DATA	"tests/data/mmdb/"

/*
 * "drop" lists autonomous systems (as Spamhaus ASN-DROP does), "local"
 * an AS with an exclusion and a prefix inside it, and a country; "plain"
 * only prefixes. The test databases map 1.0.0.0/24 to AS15169,
 * 1.128.0.0/11 to AS1221, 89.160.0.0/17 to AS29518 (SE), 67.43.156.0/24
 * to BT and 2c0f:ff40::/26 to AS10474.
 */
static const char conf_tail[] =
"[source drop]\n"
"code = 127.0.0.6\n"
"txt = $reason listed by $source\n"
"[source local]\n"
"code = 127.0.0.7\n"
"txt = local: $reason ($ip)\n"
"[source plain]\n"
"[zone bl.test]\n"
"sources = plain drop local\n"
"[zone plain.test]\n"
"sources = plain\n"
"[zone origin.test]\n"
"type = asn\n";

struct fixture {
	char			 dir[64];
	struct cfg		*cfg;
	struct store		*st;
	struct store_txn	*t;
	struct geo		*geo;
	struct query_engine	*qe;
	uint8_t			 out[QUERY_MAX_MSG];
};

static void
fill_store(struct store_txn *t)
{
	fs_put_listing(t, "drop", "AS15169", "AS15169 GOOGLE", 0, 0);
	fs_put_listing(t, "drop", "AS1221", "AS1221 TELSTRA", STORE_F_CODE,
	    htonl(0x7f000009));
	fs_put_listing(t, "drop", "AS10474", "AS10474 MWEB", 0, 0);
	fs_put_listing(t, "local", "AS29518", "AS29518 Bredband2", 0, 0);
	fs_put_listing(t, "local", "!89.160.20.128/25", "our customer", 0, 0);
	fs_put_listing(t, "local", "89.160.21.0/24", "own prefix", 0, 0);
	fs_put_listing(t, "local", "CC:BT", "all of Bhutan", 0, 0);
	fs_put_listing(t, "local", "!AS1221", "not Telstra", 0, 0);
	fs_put_listing(t, "plain", "10.0.0.0/8", "ten", 0, 0);
}

/* Make the text of reputed.conf in buf: [server], [geoip] with geoip
 * (unless NULL; database paths absolute: the file is elsewhere), then
 * body. */
static void
make_conf(char *buf, size_t size, const char *geoip, const char *body)
{
	assert_true((size_t)snprintf(buf, size, "[server]\ndatabase = db\n"
	    "%s%s%s", geoip != NULL ? "[geoip]\n" : "",
	    geoip != NULL ? geoip : "", body) < size);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char cwd[PATH_MAX], geoip[2 * PATH_MAX + 128], err[512];
	char text[4 * PATH_MAX];

	assert_non_null(f);
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(geoip, sizeof(geoip), "asn-db = %s/" DATA
	    "GeoLite2-ASN-Test.mmdb\ncountry-db = %s/" DATA
	    "GeoLite2-Country-Test.mmdb\n", cwd, cwd);
	make_conf(text, sizeof(text), geoip, conf_tail);
	strcpy(f->dir, "/tmp/test_query_geo.XXXXXX");
	fs_open(f->dir, text, fill_store, &f->cfg, &f->st);
	assert_int_equal(geo_open(&f->geo, f->cfg->geoip.asn_db,
	    f->cfg->geoip.country_db, err, sizeof(err)), 0);
	assert_int_equal(store_txn_begin(f->st, 0, &f->t), 0);
	assert_int_equal(query_engine_new(&f->qe, f->cfg), 0);
	query_engine_set_geo(f->qe, f->geo);
	query_engine_begin(f->qe, f->t);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	query_engine_free(f->qe);
	store_txn_abort(f->t);
	geo_close(f->geo);
	fs_close(f->dir, f->cfg, f->st);
	free(f);
	return 0;
}

/* ---- Asking ------------------------------------------------------------ */

/* What an answer says, in one line: "RCODE AA an=N: RR; RR" with each
 * answer RR's type and rdata (TXT without quotes), "ns=SOA" when the
 * authority section has the SOA. */
static const char *
ask(struct fixture *f, const char *name, ldns_rr_type type)
{
	static char line[2048];
	ldns_pkt *q, *r;
	ldns_rr *rr;
	uint8_t *wire;
	size_t len, n, i;
	char *s;

	assert_int_equal(ldns_pkt_query_new_frm_str(&q, name, type,
	    LDNS_RR_CLASS_IN, LDNS_RD), LDNS_STATUS_OK);
	assert_int_equal(ldns_pkt2wire(&wire, q, &len), LDNS_STATUS_OK);
	n = query_answer(f->qe, wire, len, f->out, sizeof(f->out), QUERY_TCP,
	    NULL);
	assert_true(n > 0);
	assert_int_equal(ldns_wire2pkt(&r, f->out, n), LDNS_STATUS_OK);
	s = ldns_pkt_rcode2str(ldns_pkt_get_rcode(r));
	snprintf(line, sizeof(line), "%s%s an=%zu", s,
	    ldns_pkt_aa(r) ? " AA" : "", (size_t)ldns_pkt_ancount(r));
	free(s);
	for (i = 0; i < ldns_pkt_ancount(r); i++) {
		rr = ldns_rr_list_rr(ldns_pkt_answer(r), i);
		s = ldns_rdf2str(ldns_rr_rdf(rr, 0));
		snprintf(line + strlen(line), sizeof(line) - strlen(line),
		    "%s%s", i == 0 ? ": " : "; ", s);
		free(s);
	}
	if (ldns_pkt_nscount(r) > 0 && ldns_rr_get_type(ldns_rr_list_rr(
	    ldns_pkt_authority(r), 0)) == LDNS_RR_TYPE_SOA)
		strncat(line, " ns=SOA", sizeof(line) - strlen(line) - 1);
	ldns_pkt_free(q);
	ldns_pkt_free(r);
	free(wire);
	return line;
}

/* The reverse name of address s under zone. */
static const char *
rev(const char *s, const char *zone)
{
	static char name[256];
	ldns_rdf *a, *r;
	char *t;

	if (strchr(s, ':') != NULL)
		assert_non_null(a = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_AAAA, s));
	else
		assert_non_null(a = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, s));
	assert_non_null(r = ldns_rdf_address_reverse(a));
	assert_non_null(t = ldns_rdf2str(r));
	/* "4.3.2.1.in-addr.arpa." -> "4.3.2.1.ZONE." */
	*strstr(t, strchr(s, ':') ? "ip6.arpa." : "in-addr.arpa.") = '\0';
	snprintf(name, sizeof(name), "%s%s.", t, zone);
	free(t);
	ldns_rdf_deep_free(a);
	ldns_rdf_deep_free(r);
	return name;
}

/* ---- Origin zones ------------------------------------------------------ */

static void
origin_answers_asn_network_country_and_organisation(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(ask(f, rev("1.0.0.1", "origin.test"),
	    LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=1: \"15169 | 1.0.0.0/24 |  | Google Inc.\"");
	assert_string_equal(ask(f, rev("89.160.20.130", "origin.test"),
	    LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=1: \"29518 | 89.160.0.0/17 | SE | Bredband2 AB\"");
	assert_string_equal(ask(f, rev("2c0f:ff40::1", "origin.test"),
	    LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=1: \"10474 | 2c0f:ff40::/26 |  | MWEB-10474\"");
	assert_string_equal(ask(f, rev("89.160.20.130", "origin.test"),
	    LDNS_RR_TYPE_ANY),
	    "NOERROR AA an=1: \"29518 | 89.160.0.0/17 | SE | Bredband2 AB\"");
}

static void
origin_other_types_and_unknown_addresses_are_negative(void **state)
{
	struct fixture *f = *state;

	/* The name exists (it has a TXT): NODATA. */
	assert_string_equal(ask(f, rev("1.0.0.1", "origin.test"),
	    LDNS_RR_TYPE_A), "NOERROR AA an=0 ns=SOA");
	assert_string_equal(ask(f, rev("192.0.2.1", "origin.test"),
	    LDNS_RR_TYPE_TXT), "NXDOMAIN AA an=0 ns=SOA");
	assert_string_equal(ask(f, rev("2001:db8::1", "origin.test"),
	    LDNS_RR_TYPE_TXT), "NXDOMAIN AA an=0 ns=SOA");
	/* Four single digits are also above IPv6 names (RFC 8020). */
	assert_string_equal(ask(f, "4.3.2.1.origin.test.", LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=0 ns=SOA");
	assert_string_equal(ask(f, "2.1.origin.test.", LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=0 ns=SOA");
	assert_string_equal(ask(f, "x.origin.test.", LDNS_RR_TYPE_TXT),
	    "NXDOMAIN AA an=0 ns=SOA");
	assert_string_equal(ask(f, "origin.test.", LDNS_RR_TYPE_SOA),
	    "NOERROR AA an=1: ns.origin.test.");
}

static void
origin_without_a_database_is_servfail(void **state)
{
	struct fixture *f = *state;

	query_engine_set_geo(f->qe, NULL);
	assert_string_equal(ask(f, rev("1.0.0.1", "origin.test"),
	    LDNS_RR_TYPE_TXT), "SERVFAIL an=0");
}

/* ---- Listings by ASN and country --------------------------------------- */

static void
dnsbl_lists_addresses_of_a_listed_asn(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(ask(f, rev("1.0.0.1", "bl.test"),
	    LDNS_RR_TYPE_A), "NOERROR AA an=1: 127.0.0.6");
	assert_string_equal(ask(f, rev("1.0.0.1", "bl.test"),
	    LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=1: \"AS15169 GOOGLE listed by drop\"");
	/* The entry's own code. */
	assert_string_equal(ask(f, rev("1.128.0.5", "bl.test"),
	    LDNS_RR_TYPE_A), "NOERROR AA an=1: 127.0.0.9");
	assert_string_equal(ask(f, rev("2c0f:ff40::1", "bl.test"),
	    LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=1: \"AS10474 MWEB listed by drop\"");
	assert_string_equal(ask(f, rev("89.160.20.5", "bl.test"),
	    LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=1: \"local: AS29518 Bredband2 (89.160.20.5)\"");
	/* Not in any listed AS. */
	assert_string_equal(ask(f, rev("192.0.2.1", "bl.test"),
	    LDNS_RR_TYPE_A), "NXDOMAIN AA an=0 ns=SOA");
}

static void
dnsbl_lists_addresses_of_a_listed_country(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(ask(f, rev("67.43.156.1", "bl.test"),
	    LDNS_RR_TYPE_A), "NOERROR AA an=1: 127.0.0.7");
	assert_string_equal(ask(f, rev("67.43.156.1", "bl.test"),
	    LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=1: \"local: all of Bhutan (67.43.156.1)\"");
}

static void
dnsbl_exclusions_and_prefixes_win_over_asn(void **state)
{
	struct fixture *f = *state;

	/* local's !89.160.20.128/25 hides its AS29518 listing there. */
	assert_string_equal(ask(f, rev("89.160.20.130", "bl.test"),
	    LDNS_RR_TYPE_A), "NXDOMAIN AA an=0 ns=SOA");
	/* Its own prefix is the more specific listing. */
	assert_string_equal(ask(f, rev("89.160.21.7", "bl.test"),
	    LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=1: \"local: own prefix (89.160.21.7)\"");
	/* local's !AS1221 leaves drop's listing alone. */
	assert_string_equal(ask(f, rev("1.128.0.5", "bl.test"),
	    LDNS_RR_TYPE_TXT),
	    "NOERROR AA an=1: \"AS1221 TELSTRA listed by drop\"");
}

static void
dnsbl_zone_without_geo_sources_ignores_them(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(ask(f, rev("1.0.0.200", "plain.test"),
	    LDNS_RR_TYPE_A), "NXDOMAIN AA an=0 ns=SOA");
	assert_string_equal(ask(f, rev("10.1.2.3", "plain.test"),
	    LDNS_RR_TYPE_A), "NOERROR AA an=1: 127.0.0.2");
	/* Without databases, ASN listings match nothing. */
	query_engine_set_geo(f->qe, NULL);
	assert_string_equal(ask(f, rev("1.0.0.200", "bl.test"),
	    LDNS_RR_TYPE_A), "NXDOMAIN AA an=0 ns=SOA");
}

/* The answer says which entry lists the address, and the network. */
static void
answer_names_the_asn_entry_and_the_database_network(void **state)
{
	struct fixture *f = *state;
	const struct cfg_zone *z = cfg_zone_find(f->cfg, "bl.test");
	struct answer_ctx ctx;
	struct answer *ans;
	struct rp_addr a;
	char buf[RP_CIDR_STRLEN];

	assert_non_null(ans = calloc(1, sizeof(*ans)));
	answer_ctx_init(&ctx, f->cfg);
	ctx.geo = f->geo;
	assert_int_equal(cidr_parse_addr("67.43.156.9", &a), 0);
	assert_int_equal(answer_lookup(&ctx, f->t, z, &a, ans), 0);
	assert_int_equal(ans->nsources, 1);
	assert_string_equal(ans->sources[0].src->name, "local");
	assert_string_equal(cidr_str(&ans->sources[0].prefix, buf), "CC:BT");
	assert_string_equal(cidr_str(&ans->sources[0].network, buf),
	    "67.43.156.0/24");
	assert_int_equal(cidr_parse_addr("1.0.0.200", &a), 0);
	assert_int_equal(answer_lookup(&ctx, f->t, z, &a, ans), 0);
	assert_string_equal(cidr_str(&ans->sources[0].prefix, buf),
	    "AS15169");
	assert_string_equal(cidr_str(&ans->sources[0].network, buf),
	    "1.0.0.0/24");
	answer_ctx_fini(&ctx);
	free(ans);
}

/* A new snapshot with new ASN listings is seen by the next query. */
static void
dnsbl_sees_asn_listings_of_a_new_snapshot(void **state)
{
	struct fixture *f = *state;
	struct store_txn *w;

	assert_string_equal(ask(f, rev("1.0.0.200", "plain.test"),
	    LDNS_RR_TYPE_A), "NXDOMAIN AA an=0 ns=SOA");
	assert_int_equal(store_txn_begin(f->st, 1, &w), 0);
	fs_put_listing(w, "plain", "AS15169", "now plain too", 0, 0);
	assert_int_equal(store_txn_commit(w), 0);
	store_txn_reset(f->t);
	assert_int_equal(store_txn_renew(f->t), 0);
	query_engine_begin(f->qe, f->t);
	assert_string_equal(ask(f, rev("1.0.0.200", "plain.test"),
	    LDNS_RR_TYPE_A), "NOERROR AA an=1: 127.0.0.2");
}

/* ---- The store's side -------------------------------------------------- */

static void
report_problem(const char *msg, void *arg)
{
	(void)arg;
	fail_msg("store_verify: %s", msg);
}

static int
count_event(const struct store_event *ev, void *arg)
{
	char buf[RP_CIDR_STRLEN];

	assert_string_equal(cidr_str(&ev->prefix, buf), "CC:BT");
	(*(int *)arg)++;
	return 0;
}

/* Country and ASN entries are kept, counted and have history, outside
 * the address index; the store says which families a source has. */
static void
store_keeps_country_and_asn_entries_out_of_the_index(void **state)
{
	struct fixture *f = *state;
	struct store_source local, plain;
	struct store_entry e;
	struct store_hit hits[4];
	struct rp_cidr cc;
	struct rp_addr a;
	size_t n;

	assert_int_equal(store_source_get(f->t, "local", &local), 0);
	assert_int_equal(store_source_get(f->t, "plain", &plain), 0);
	assert_int_equal(local.entries, 5);
	assert_int_equal(cidr_parse_listing("cc:bt", &cc, NULL), 0);
	assert_int_equal(store_entry_get(f->t, local.id, &cc, &e), 0);
	assert_int_equal((int)e.reason_len, 13);
	assert_int_equal(store_entry_has_family(f->t, local.id,
	    RP_AF_COUNTRY), 1);
	assert_int_equal(store_entry_has_family(f->t, local.id, RP_AF_ASN),
	    1);
	assert_int_equal(store_entry_has_family(f->t, local.id, RP_AF_INET),
	    1);
	assert_int_equal(store_entry_has_family(f->t, local.id,
	    RP_AF_INET6), 0);
	assert_int_equal(store_entry_has_family(f->t, plain.id, RP_AF_ASN),
	    0);
	assert_int_equal(store_entry_has_family(f->t, 999, RP_AF_ASN), 0);
	assert_int_equal(cidr_parse_addr("67.43.156.1", &a), 0);
	assert_int_equal(store_lookup(f->t, &a, hits, 4, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_verify(f->t, report_problem, NULL), 0);
}

/* A country's history event is written and read back (fs_put_listing()
 * wrote none). */
static void
store_keeps_history_of_a_country(void **state)
{
	struct fixture *f = *state;
	struct store_source local;
	struct store_txn *w;
	struct rp_cidr cc;
	int events = 0;

	assert_int_equal(store_source_get(f->t, "local", &local), 0);
	assert_int_equal(cidr_parse_country("CC:BT", &cc), 0);
	assert_int_equal(store_txn_writable(f->t), 0);
	assert_int_equal(store_txn_begin(f->st, 1, &w), 0);
	assert_int_equal(store_txn_writable(w), 1);
	assert_int_equal(store_history_add(w, STORE_EV_MANUAL_ADD, local.id,
	    &cc, "x", 1, 2000), 0);
	assert_int_equal(store_history_for(w, local.id, &cc, count_event,
	    &events), 0);
	store_txn_abort(w);
	assert_int_equal(events, 1);
}

static void
cidr_parses_and_prints_countries(void **state)
{
	struct rp_cidr c;
	char buf[RP_CIDR_STRLEN];
	int host = 1;

	(void)state;
	assert_int_equal(cidr_parse_country("CC:de", &c), 0);
	assert_int_equal(c.addr.family, RP_AF_COUNTRY);
	assert_int_equal(c.bits, 16);
	assert_memory_equal(c.addr.bytes, "DE\0\0", 4);
	assert_string_equal(cidr_str(&c, buf), "CC:DE");
	assert_int_not_equal(cidr_parse_country("CC:D", &c), 0);
	assert_int_not_equal(cidr_parse_country("CC:DEU", &c), 0);
	assert_int_not_equal(cidr_parse_country("CC:D1", &c), 0);
	assert_int_not_equal(cidr_parse_country("DE", &c), 0);
	assert_int_equal(cidr_parse_listing("cc:de", &c, &host), 0);
	assert_int_equal(host, 0);
	assert_int_equal(cidr_parse_listing("as64496", &c, NULL), 0);
	assert_string_equal(cidr_str(&c, buf), "AS64496");
	assert_int_equal(cidr_parse_listing("192.0.2.1/24", &c, &host), 0);
	assert_int_equal(host, 1);
	assert_int_equal(cidr_parse_listing("cc:de::1", &c, NULL), 0);
	assert_int_equal(c.addr.family, RP_AF_INET6);
	assert_int_not_equal(cidr_parse_listing("CC:", &c, NULL), 0);
	cidr_from_asn(4294967295u, &c);
	assert_string_equal(cidr_str(&c, buf), "AS4294967295");
}

/* ---- Configuration ----------------------------------------------------- */

/* cfg_load() of [server], geoip and body: its errors, or "" if none. */
static const char *
conf_errors(const char *geoip, const char *body)
{
	static char out[2048];
	char dir[] = "/tmp/test_query_geo.XXXXXX", path[64], text[4096];
	struct cfg *cfg = NULL;
	FILE *err;
	size_t n;

	assert_non_null(mkdtemp(dir));
	make_conf(text, sizeof(text), geoip, body);
	fs_write_conf(dir, text, path, sizeof(path));
	assert_non_null(err = tmpfile());
	cfg_load(&cfg, path, err);
	rewind(err);
	n = fread(out, 1, sizeof(out) - 1, err);
	out[n] = '\0';
	fclose(err);
	if (cfg != NULL) {
		assert_string_equal(out, "");
		assert_string_equal(cfg->geoip.asn_db == NULL ? "-" :
		    strrchr(cfg->geoip.asn_db, '/') + 1, geoip == NULL ||
		    strstr(geoip, "asn-db") == NULL ? "-" : "asn.mmdb");
		cfg_free(cfg);
	}
	unlink(path);
	rmdir(dir);
	return out;
}

static void
config_origin_zone_needs_an_asn_database(void **state)
{
	(void)state;
	assert_string_equal(conf_errors("asn-db = geo/asn.mmdb\n",
	    "[zone o.test]\ntype = asn\n"), "");
	assert_non_null(strstr(conf_errors(NULL,
	    "[zone o.test]\ntype = asn\n"), "[zone o.test]: type asn needs "
	    "an ASN database (asn-db in [geoip])"));
	assert_non_null(strstr(conf_errors("country-db = c.mmdb\n",
	    "[zone o.test]\ntype = ASN\n"), "asn-db in [geoip]"));
	assert_non_null(strstr(conf_errors("asn-db = a.mmdb\n",
	    "[source s]\n[zone o.test]\ntype = asn\nsources = s\n"),
	    "reputed.conf:8: [zone o.test]: a zone of type asn takes no "
	    "sources"));
	assert_non_null(strstr(conf_errors(NULL,
	    "[zone o.test]\ntype = cymru\n"), "type: 'cymru': expected "
	    "dnsbl or asn"));
	/* A DNSBL zone still needs sources; the type is the default. */
	assert_non_null(strstr(conf_errors(NULL,
	    "[zone o.test]\ntype = dnsbl\n"), "no sources"));
}

static void
config_geoip_section_rules(void **state)
{
	(void)state;
	assert_string_equal(conf_errors("", ""), "");
	assert_non_null(strstr(conf_errors("asn-db = a\n[geoip]\n", ""),
	    "duplicate [geoip] (first on line 3)"));
	assert_non_null(strstr(conf_errors("isp-db = a\n", ""),
	    "unknown key 'isp-db' in [geoip]"));
	assert_non_null(strstr(conf_errors("asn-db =\n", ""),
	    "asn-db: empty path"));
	assert_non_null(strstr(conf_errors(NULL, "[geoip x]\n"),
	    "[geoip] takes no name"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name)	cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(origin_answers_asn_network_country_and_organisation),
		T(origin_other_types_and_unknown_addresses_are_negative),
		T(origin_without_a_database_is_servfail),
		T(dnsbl_lists_addresses_of_a_listed_asn),
		T(dnsbl_lists_addresses_of_a_listed_country),
		T(dnsbl_exclusions_and_prefixes_win_over_asn),
		T(dnsbl_zone_without_geo_sources_ignores_them),
		T(answer_names_the_asn_entry_and_the_database_network),
		T(dnsbl_sees_asn_listings_of_a_new_snapshot),
		T(store_keeps_country_and_asn_entries_out_of_the_index),
		T(store_keeps_history_of_a_country),
#undef T
		cmocka_unit_test(cidr_parses_and_prints_countries),
		cmocka_unit_test(config_origin_zone_needs_an_asn_database),
		cmocka_unit_test(config_geoip_section_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
