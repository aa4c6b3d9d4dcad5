/* test_query.c -- the hand-written DNS path against ldns: thousands of
 * generated and mutated queries, each answer parsed by ldns and compared
 * with what the spec says, built independently with ldns from the store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "answer.h"
#include "cidr.h"
#include "config.h"
#include "store.h"
#include "../../server/query.h"

#include "fixture_store.h"

#define CASES		40000
#define SEED		0x5eed1234abcdULL

/*
 * Zones: bl.test (a b c, names compressible against the zone),
 * v6.bl.test inside it (b; default SOA), other.example (a c; SOA and NS
 * outside the zone, TTL 0), big.test (twelve sources with long TXT, for
 * truncation). c's TXT is its reason, empty here: listed without TXT.
 */
static const char conf_text[] =
"[server]\n"
"database = db\n"
"[source a]\n"
"code = 127.0.0.2\n"
"txt = A $reason\n"
"[source b]\n"
"code = 127.0.0.3\n"
"txt = B $ip\n"
"[source c]\n"
"code = 127.0.0.4\n"
"txt = $reason\n"
#define BIG(n) "[source big" #n "]\ntxt = $source $reason\n"
BIG(1) BIG(2) BIG(3) BIG(4) BIG(5) BIG(6) BIG(7) BIG(8) BIG(9) BIG(10)
BIG(11) BIG(12)
"[zone bl.test]\n"
"sources = a b c\n"
"ttl = 300\n"
"soa = ns1.bl.test hostmaster.bl.test\n"
"ns = ns1.bl.test ns2.elsewhere.net\n"
"[zone v6.bl.test]\n"
"sources = b\n"
"ttl = 60\n"
"[zone Other.Example]\n"
"sources = a c\n"
"ttl = 0\n"
"soa = ns.elsewhere.net dns-admin.elsewhere.net\n"
"ns = a.ns.x b.ns.x c.ns.x\n"
"[zone big.test]\n"
"sources = big1 big2 big3 big4 big5 big6 big7 big8 big9 big10 big11 "
"big12\n"
"ttl = 3600\n";

/* What the run saw, so that a generator change cannot quietly stop
 * covering a case. */
enum seen {
	S_DROP, S_FORMERR, S_NOTIMP, S_BADVERS, S_REFUSED, S_NXDOMAIN,
	S_NODATA, S_ABOVE, S_ABOVE_ADDR, S_LISTED_A, S_LISTED_TXT,
	S_LISTED_ANY, S_LISTED_V6, S_TEST_POINT, S_APEX_SOA, S_APEX_NS,
	S_APEX_ANY, S_TC, S_TC_EDNS, S_EDNS, S_MUTATED_OK, S_OPAQUE_RDATA,
	S_COUNT
};

static const char *const seen_names[S_COUNT] = {
	"drop", "formerr", "notimp", "badvers", "refused", "nxdomain",
	"nodata", "above", "above-addr", "listed-a", "listed-txt",
	"listed-any", "listed-v6", "test-point", "apex-soa", "apex-ns",
	"apex-any", "tc", "tc-edns", "edns", "mutated-answered", "opaque-rdata"
};

struct fixture {
	char			 dir[64];
	struct cfg		*cfg;
	struct store		*st;
	struct store_txn	*t;
	struct query_engine	*qe;
	struct answer_ctx	 actx;
	struct answer		 ans;
	uint32_t		 serial;
	ldns_rdf		*zones[8];
	uint8_t			 out[QUERY_MAX_MSG];
	uint8_t			 out2[QUERY_MAX_MSG];
	unsigned long		 seen[S_COUNT];
};

/* ---- Store and engine ---------------------------------------------------- */

static void
fill_store(struct store_txn *t)
{
	char name[16], reason[201];
	int i;

	fs_put(t, "a", "192.0.2.0/24", "wide", 0, 0);
	fs_put(t, "a", "192.0.2.128/25", "narrow", 0, 0);
	fs_put(t, "a", "!192.0.2.64/26", "customer", 0, 0);
	fs_put(t, "a", "10.0.0.0/8", "ten", STORE_F_CODE, htonl(0x7f000009));
	fs_put(t, "a", "1.2.3.4", "ambiguous", 0, 0);
	fs_put(t, "a", "127.0.0.0/8", "loopback", 0, 0);
	fs_put(t, "a", "2001:db8::/32", "v6", 0, 0);
	fs_put(t, "a", "::ffff:0:0/96", "mapped", 0, 0);
	fs_put(t, "b", "192.0.2.0/24", "bee", 0, 0);
	fs_put(t, "b", "198.51.100.0/24", "bee2", 0, 0);
	fs_put(t, "b", "2001:db8:1::/48", "bee6", 0, 0);
	fs_put(t, "c", "192.0.2.0/25", "", 0, 0);
	fs_put(t, "c", "203.0.113.0/24", "", 0, 0);
	for (i = 1; i <= 12; i++) {
		snprintf(name, sizeof(name), "big%d", i);
		memset(reason, 'a' + i, 200);
		reason[200] = '\0';
		fs_put(t, name, "198.18.0.0/15", reason, STORE_F_CODE,
		    htonl(0x7f000010 + (uint32_t)i));
	}
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int64_t changed;
	size_t i;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_query.XXXXXX");
	fs_open(f->dir, conf_text, fill_store, &f->cfg, &f->st);
	assert_int_equal(store_txn_begin(f->st, 0, &f->t), 0);
	assert_int_equal(store_serial(f->t, &f->serial, &changed), 0);
	assert_int_equal(query_engine_new(&f->qe, f->cfg), 0);
	query_engine_begin(f->qe, f->t);
	answer_ctx_init(&f->actx, f->cfg);
	assert_true(f->cfg->nzones <= 8);
	for (i = 0; i < f->cfg->nzones; i++)
		assert_non_null(f->zones[i] =
		    ldns_dname_new_frm_str(f->cfg->zones[i].name));
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < f->cfg->nzones; i++)
		ldns_rdf_deep_free(f->zones[i]);
	answer_ctx_fini(&f->actx);
	query_engine_free(f->qe);
	store_txn_abort(f->t);
	fs_close(f->dir, f->cfg, f->st);
	free(f);
	return 0;
}

/* ---- Building queries ---------------------------------------------------- */

struct gen {
	uint64_t	s;
};

static uint64_t
rnd(struct gen *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545f4914f6cdd1dULL;
}

static unsigned
pick(struct gen *g, unsigned n)
{
	return n == 0 ? 0 : (unsigned)(rnd(g) % n);
}

struct msg {
	uint8_t	b[2048];
	size_t	len;
};

static void
put8(struct msg *m, unsigned v)
{
	if (m->len < sizeof(m->b))
		m->b[m->len++] = (uint8_t)v;
}

static void
put16(struct msg *m, unsigned v)
{
	put8(m, v >> 8);
	put8(m, v);
}

static void
put32(struct msg *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
set16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* A name as labels, so junk labels may hold any byte, dots included. */
struct name {
	size_t	n;
	uint8_t	len[48];
	char	lab[48][64];
};

static void
name_add(struct name *nm, const char *s, size_t len)
{
	if (nm->n == 48)
		return;
	nm->len[nm->n] = (uint8_t)len;
	memcpy(nm->lab[nm->n++], s, len);
}

static void
name_add_text(struct name *nm, const char *dotted)
{
	size_t n;

	while (*dotted != '\0') {
		n = strcspn(dotted, ".");
		name_add(nm, dotted, n);
		dotted += n;
		if (*dotted == '.')
			dotted++;
	}
}

/* Write nm with each letter's case at random (RFC 4343 echo). */
static void
put_name(struct gen *g, struct msg *m, const struct name *nm)
{
	size_t i, j;
	int c;

	for (i = 0; i < nm->n; i++) {
		put8(m, nm->len[i]);
		for (j = 0; j < nm->len[i]; j++) {
			c = (unsigned char)nm->lab[i][j];
			if (isalpha(c))
				c = pick(g, 2) ? toupper(c) : tolower(c);
			put8(m, (unsigned)c);
		}
	}
	put8(m, 0);
}

static const char *const v4_pool[] = {
	"192.0.2.1", "192.0.2.200", "192.0.2.70", "192.0.2.130", "10.1.2.3",
	"1.2.3.4", "4.3.2.1", "127.0.0.2", "127.0.0.1", "127.0.0.3",
	"198.51.100.7", "203.0.113.5", "198.18.0.1", "198.19.255.255",
	"8.8.8.8", "0.0.0.0", "255.255.255.255", "100.64.0.10",
	"198.18.1.2", "198.19.0.0", "198.18.200.1", "198.19.7.7"
};

static const char *const v6_pool[] = {
	"2001:db8::1", "2001:db8:1::5", "::ffff:7f00:2", "::ffff:7f00:1",
	"2001:db9::1", "::ffff:c000:201", "2001:db8:1:ffff::", "fe80::1"
};

static const char *const zone_pool[] = {
	"bl.test", "v6.bl.test", "other.example", "big.test", "bl.test",
	"big.test", "bl.test", "v6.bl.test", "other.example", "big.test",
	"test", "xbl.test", "", "bl.test.evil", "ns1.bl.test"
};

static void
gen_addr(struct gen *g, struct rp_addr *a, int v6)
{
	size_t i;

	if (pick(g, 4) == 0) {
		a->family = v6 ? RP_AF_INET6 : RP_AF_INET;
		memset(a->bytes, 0, sizeof(a->bytes));
		for (i = 0; i < (v6 ? 16u : 4u); i++)
			a->bytes[i] = (uint8_t)rnd(g);
	} else if (v6) {
		assert_int_equal(cidr_parse_addr(v6_pool[pick(g,
		    sizeof(v6_pool) / sizeof(v6_pool[0]))], a), 0);
	} else {
		assert_int_equal(cidr_parse_addr(v4_pool[pick(g,
		    sizeof(v4_pool) / sizeof(v4_pool[0]))], a), 0);
	}
}

/* The reversed labels of an address: 4 octets or 32 nibbles. */
static void
addr_labels(const struct rp_addr *a, struct name *nm)
{
	char buf[4];
	int i;

	if (a->family == RP_AF_INET) {
		for (i = 3; i >= 0; i--) {
			snprintf(buf, sizeof(buf), "%u", a->bytes[i]);
			name_add(nm, buf, strlen(buf));
		}
		return;
	}
	for (i = 31; i >= 0; i--) {
		snprintf(buf, sizeof(buf), "%x", i % 2 ?
		    a->bytes[i / 2] & 0xf : a->bytes[i / 2] >> 4);
		name_add(nm, buf, 1);
	}
}

/* Keep only the last k labels of nm (the ones nearest the zone). */
static void
name_keep_last(struct name *nm, size_t k)
{
	size_t i, drop = nm->n - k;

	for (i = 0; i < k; i++) {
		nm->len[i] = nm->len[i + drop];
		memcpy(nm->lab[i], nm->lab[i + drop], 64);
	}
	nm->n = k;
}

/* Near misses of the address forms. */
static void
gen_bad_labels(struct gen *g, struct name *nm)
{
	static const char *const bad[] = { "01", "00", "256", "999", "-1",
	    "0x1", "1a", "ab", "g", "G", "", "www", "0127", "1.2", " 1" };
	struct rp_addr a;
	const char *b = bad[pick(g, sizeof(bad) / sizeof(bad[0]))];
	size_t i;

	gen_addr(g, &a, (int)pick(g, 2));
	addr_labels(&a, nm);
	switch (pick(g, 3)) {
	case 0:		/* one label replaced */
		i = pick(g, (unsigned)nm->n);
		nm->len[i] = (uint8_t)strlen(b);
		memcpy(nm->lab[i], b, nm->len[i]);
		break;
	case 1:		/* one label too many */
		name_add(nm, pick(g, 2) ? "1" : "12", pick(g, 2) ? 1 : 2);
		break;
	default:	/* one too few for IPv6 */
		if (nm->n == 32)
			name_keep_last(nm, 31);
		break;
	}
}

static void
gen_random_labels(struct gen *g, struct name *nm)
{
	char buf[64];
	size_t n = 1 + pick(g, 4), i, j, len;

	for (i = 0; i < n; i++) {
		len = 1 + pick(g, pick(g, 4) ? 8 : 63);
		for (j = 0; j < len; j++)
			buf[j] = (char)(pick(g, 3) ? "0123456789abcdefXYZ"
			    [pick(g, 19)] : (char)rnd(g));
		name_add(nm, buf, len);
	}
}

static void
gen_name(struct gen *g, struct name *nm)
{
	struct rp_addr a;

	nm->n = 0;
	switch (pick(g, 9)) {
	case 0:		/* the apex */
		break;
	case 1:
	case 2:
		gen_addr(g, &a, 0);
		addr_labels(&a, nm);
		break;
	case 3:
		gen_addr(g, &a, 1);
		addr_labels(&a, nm);
		break;
	case 4:		/* above an IPv4 name */
		gen_addr(g, &a, 0);
		addr_labels(&a, nm);
		name_keep_last(nm, 1 + pick(g, 3));
		break;
	case 5:		/* above an IPv6 name */
		gen_addr(g, &a, 1);
		addr_labels(&a, nm);
		name_keep_last(nm, 1 + pick(g, 31));
		break;
	case 6:
	case 7:
		gen_bad_labels(g, nm);
		break;
	default:
		gen_random_labels(g, nm);
		break;
	}
	name_add_text(nm, zone_pool[pick(g,
	    sizeof(zone_pool) / sizeof(zone_pool[0]))]);
}

static unsigned
gen_qtype(struct gen *g)
{
	static const unsigned types[] = { 1, 1, 1, 1, 1, 16, 16, 16, 255,
	    255, 28, 15, 6, 6, 2, 2, 5, 12, 0, 252, 251, 41, 250, 249, 253,
	    254, 99, 65535 };

	if (pick(g, 40) == 0)
		return pick(g, 65536);
	return types[pick(g, sizeof(types) / sizeof(types[0]))];
}

static unsigned
gen_qclass(struct gen *g)
{
	static const unsigned classes[] = { 3, 4, 254, 255, 0, 2 };

	if (pick(g, 20) < 19)
		return 1;
	if (pick(g, 10) == 0)
		return pick(g, 65536);
	return classes[pick(g, sizeof(classes) / sizeof(classes[0]))];
}

/* An RR of any section: the owner points at the question. */
static void
put_extra_rr(struct gen *g, struct msg *m)
{
	static const char txt[] = "\011extra txt";

	put16(m, 0xc00c);
	switch (pick(g, 3)) {
	case 0:
		put16(m, 1);
		put16(m, 1);
		put32(m, 300);
		put16(m, 4);
		put32(m, 0x7f000002);
		break;
	case 1:
		put16(m, 16);
		put16(m, 1);
		put32(m, 300);
		put16(m, sizeof(txt) - 1);
		for (size_t i = 0; i < sizeof(txt) - 1; i++)
			put8(m, (unsigned char)txt[i]);
		break;
	default:	/* NS, its RDATA compressed too */
		put16(m, 2);
		put16(m, 1);
		put32(m, 300);
		put16(m, 4);
		put8(m, 1);
		put8(m, 'x');
		put16(m, 0xc00c);
		break;
	}
}

static void
put_opt(struct gen *g, struct msg *m)
{
	static const unsigned sizes[] = { 0, 100, 511, 512, 513, 1000, 1232,
	    1233, 4096, 65535 };
	unsigned ver = pick(g, 10) ? 0 : (pick(g, 2) ? 1 : 255);

	if (pick(g, 30) == 0) {		/* owner not the root */
		put8(m, 1);
		put8(m, 'x');
	}
	put8(m, 0);
	put16(m, 41);
	put16(m, sizes[pick(g, sizeof(sizes) / sizeof(sizes[0]))]);
	put8(m, pick(g, 30) ? 0 : pick(g, 256));	/* extended RCODE */
	put8(m, ver);
	put16(m, (pick(g, 2) ? 0x8000 : 0) | (pick(g, 30) ? 0 : 0x1234));
	if (pick(g, 5) == 0) {		/* a cookie option */
		put16(m, 12);
		put16(m, 10);
		put16(m, 8);
		put32(m, (uint32_t)rnd(g));
		put32(m, (uint32_t)rnd(g));
	} else {
		put16(m, 0);
	}
}

/* Header: any ID, sometimes QR, another opcode, AA/TC, Z or AD/CD. */
static void
put_header(struct gen *g, struct msg *m)
{
	m->len = 0;
	put16(m, pick(g, 65536));
	put8(m, (pick(g, 33) == 0 ? 0x80 : 0) |
	    (pick(g, 25) ? 0 : (1 + pick(g, 15)) << 3) |
	    (pick(g, 20) ? 0 : 0x06 & (unsigned)rnd(g)) | pick(g, 2));
	put8(m, (pick(g, 3) ? 0 : 0x30 & (unsigned)rnd(g)) |
	    (pick(g, 20) ? 0 : 0x4f & (unsigned)rnd(g)));
	put16(m, 1);
	put16(m, 0);
	put16(m, 0);
	put16(m, 0);
}

static void
put_question(struct gen *g, struct msg *m)
{
	struct name nm;
	unsigned qtype = gen_qtype(g);

	if (pick(g, 15) == 0) {		/* a big answer, to truncate */
		nm.n = 0;
		name_add(&nm, "1", 1);
		name_add(&nm, "2", 1);
		name_add(&nm, pick(g, 2) ? "18" : "19", 2);
		name_add_text(&nm, "198.big.test");
		qtype = pick(g, 2) ? 16 : 255;
	} else {
		gen_name(g, &nm);
	}
	put_name(g, m, &nm);
	put16(m, qtype);
	put16(m, gen_qclass(g));
}

static void
gen_query(struct gen *g, struct msg *m)
{
	unsigned an = 0, ns = 0, ar = 0, i;

	put_header(g, m);
	put_question(g, m);
	if (pick(g, 15) == 0)
		for (an = 1 + pick(g, 2), i = 0; i < an; i++)
			put_extra_rr(g, m);
	if (pick(g, 20) == 0) {
		put_extra_rr(g, m);
		ns++;
	}
	if (pick(g, 20) == 0) {
		put_extra_rr(g, m);
		ar++;
	}
	if (pick(g, 10) < 6) {
		put_opt(g, m);
		ar++;
		if (pick(g, 30) == 0) {
			put_opt(g, m);
			ar++;
		}
	}
	set16(m->b + 6, an);
	set16(m->b + 8, ns);
	set16(m->b + 10, ar);
}

/* Offsets of the question's label bytes (the root byte included). */
static size_t
question_labels(const struct msg *m, size_t *at, size_t max)
{
	size_t p = 12, n = 0;

	while (p < m->len && n < max) {
		at[n++] = p;
		if (m->b[p] == 0 || m->b[p] > 63)
			break;
		p += 1 + (size_t)m->b[p];
	}
	return n;
}

/* Mutations about names: lengths and pointers that lie. */
static void
mutate_name(struct gen *g, struct msg *m)
{
	size_t at[130], n, p;

	switch (pick(g, 3)) {
	case 0:		/* a label length that lies */
		if ((n = question_labels(m, at, 130)) > 0)
			m->b[at[pick(g, (unsigned)n)]] = (uint8_t)pick(g, 256);
		break;
	case 1:		/* a pointer in the question, maybe to itself */
		if ((n = question_labels(m, at, 130)) > 0 &&
		    (p = at[pick(g, (unsigned)n)]) + 1 < m->len)
			set16(m->b + p, 0xc000 | (pick(g, 2) ? p :
			    pick(g, (unsigned)m->len)));
		break;
	default:	/* an answer RR whose owner points at itself */
		if (m->len >= 12) {
			p = m->len;
			put16(m, 0xc000 | (unsigned)p);
			put16(m, 1);
			put16(m, 1);
			put32(m, 0);
			put16(m, 0);
			set16(m->b + 6, get16(m->b + 6) + 1);
		}
		break;
	}
}

static void
mutate_one(struct gen *g, struct msg *m)
{
	size_t n;

	switch (pick(g, 6)) {
	case 0:		/* bit flips */
		if (m->len > 0)
			m->b[pick(g, (unsigned)m->len)] ^= (uint8_t)(1 <<
			    pick(g, 8));
		break;
	case 1:		/* truncation */
		m->len = pick(g, (unsigned)m->len + 1);
		break;
	case 2:		/* trailing garbage */
		for (n = 1 + pick(g, 16); n > 0; n--)
			put8(m, (unsigned)rnd(g));
		break;
	case 3:		/* counts that lie */
		if (m->len >= 12)
			set16(m->b + 4 + 2 * pick(g, 4), pick(g, 4));
		break;
	case 4:
		mutate_name(g, m);
		break;
	default:	/* a random byte */
		if (m->len > 0)
			m->b[pick(g, (unsigned)m->len)] = (uint8_t)rnd(g);
		break;
	}
}

/* ---- The reference: ldns reads the query --------------------------------- */

struct ref {
	int		 ok;		/* the whole message parses */
	int		 qptr;		/* the first qname is compressed */
	int		 opaque;	/* ok only with RDATA taken as opaque */
	unsigned	 nopt;
	int		 opt_root;
	uint16_t	 opt_size, opt_flags;
	uint8_t		 opt_ver;
	ldns_rr		*q;		/* the first question */
	size_t		 qend;
};

static int
name_compressed(const uint8_t *w, size_t len, size_t p)
{
	while (p < len && w[p] != 0 && w[p] < 0x40)
		p += 1 + (size_t)w[p];
	return p < len && w[p] >= 0xc0;
}

/*
 * One RR of the answer, authority or additional section. ldns reads
 * RDATA by type, but a server must not (RFC 3597: it is opaque to us),
 * so ldns reads the owner name and the rest is bounds: fixed fields and
 * RDLENGTH inside the message.
 */
static int
ref_rr(struct ref *r, const uint8_t *w, size_t len, size_t *pos, int addl)
{
	ldns_rdf *owner = NULL;
	size_t at = *pos;
	int root;

	if (ldns_wire2dname(&owner, w, len, &at) != LDNS_STATUS_OK)
		return -1;
	root = ldns_rdf_size(owner) == 1;
	ldns_rdf_deep_free(owner);
	if (at + 10 > len || at + 10 + get16(w + at + 8) > len)
		return -1;
	if (addl && get16(w + at) == 41) {
		if (r->nopt++ == 0) {
			r->opt_size = get16(w + at + 2);
			r->opt_ver = w[at + 5];
			r->opt_flags = get16(w + at + 6);
		}
		r->opt_root &= root;
	}
	*pos = at + 10 + get16(w + at + 8);
	return 0;
}

static void
ref_parse(const uint8_t *w, size_t len, struct ref *r)
{
	size_t pos = 12, i, qd, an, n;
	ldns_rr *rr = NULL;
	ldns_pkt *p = NULL;

	memset(r, 0, sizeof(*r));
	r->opt_root = 1;
	if (len < 12)
		return;
	qd = get16(w + 4);
	an = (size_t)get16(w + 6) + get16(w + 8);
	n = an + get16(w + 10);
	for (i = 0; i < qd; i++) {
		if (i == 0)
			r->qptr = name_compressed(w, len, pos);
		if (ldns_wire2rr(&rr, w, len, &pos, LDNS_SECTION_QUESTION) !=
		    LDNS_STATUS_OK)
			return;
		if (i == 0) {
			r->q = rr;
			r->qend = pos;
		} else {
			ldns_rr_free(rr);
		}
	}
	for (i = 0; i < n; i++)
		if (ref_rr(r, w, len, &pos, i >= an) != 0)
			return;
	r->ok = 1;
	if (ldns_wire2pkt(&p, w, len) != LDNS_STATUS_OK)
		r->opaque = 1;
	ldns_pkt_free(p);
}

static void
ref_free(struct ref *r)
{
	ldns_rr_free(r->q);
	r->q = NULL;
}

/* ---- The expected answer ------------------------------------------------- */

enum kind { K_APEX, K_ADDR, K_ABOVE, K_OTHER };

struct expect {
	int		 drop;
	int		 formerr;	/* header only */
	int		 rcode;		/* with the extended bits */
	int		 aa, echo, opt;
	ldns_rr_list	*an, *ns;
	enum seen	 what;
};

/* Each label all digits, 1-3 of them; inet_pton does the rest. */
static int
labels_ipv4(const ldns_rdf *qname, size_t k, char *text, size_t len)
{
	size_t i, j, o = 0;
	ldns_rdf *l;
	const uint8_t *d;
	int ok = 1;

	text[0] = '\0';
	for (i = k; i-- > 0 && ok;) {
		l = ldns_dname_label(qname, (uint8_t)i);
		d = ldns_rdf_data(l);
		ok = d[0] >= 1 && d[0] <= 3;
		for (j = 1; ok && j <= d[0]; j++)
			ok = isdigit(d[j]);
		if (ok)
			o += (size_t)snprintf(text + o, len - o, "%s%.*s",
			    o ? "." : "", d[0], (const char *)d + 1);
		ldns_rdf_deep_free(l);
	}
	return ok;
}

static int
labels_nibbles(const ldns_rdf *qname, size_t k, char *hex)
{
	size_t i;
	ldns_rdf *l;
	const uint8_t *d;
	int ok = 1;

	for (i = 0; i < k && ok; i++) {
		l = ldns_dname_label(qname, (uint8_t)i);
		d = ldns_rdf_data(l);
		ok = d[0] == 1 && isxdigit(d[1]);
		hex[k - 1 - i] = (char)d[1];
		ldns_rdf_deep_free(l);
	}
	hex[k] = '\0';
	return ok;
}

/* RFC 5782 names, read through the C library's address parsers. */
static enum kind
classify(const ldns_rdf *qname, size_t k, struct rp_addr *a, int *above)
{
	char text[64], hex[40], v6[48];
	struct in_addr in;
	size_t i, o = 0;
	int v4ok, nib;

	*above = 0;
	if (k == 0)
		return K_APEX;
	if (k > 32)
		return K_OTHER;
	v4ok = k <= 4 && labels_ipv4(qname, k, text, sizeof(text));
	for (i = k; v4ok && i < 4; i++)		/* "0.127" -> "0.127.0.0" */
		strcat(text, ".0");
	v4ok = v4ok && inet_pton(AF_INET, text, &in) == 1;
	nib = labels_nibbles(qname, k, hex);
	if (k == 4 && v4ok) {
		a->family = RP_AF_INET;
		memset(a->bytes, 0, sizeof(a->bytes));
		memcpy(a->bytes, &in, 4);
		*above = nib;
		return K_ADDR;
	}
	if (k == 32 && nib) {
		for (i = 0; i < 32; i += 4)
			o += (size_t)snprintf(v6 + o, sizeof(v6) - o, "%s%.4s",
			    i ? ":" : "", hex + i);
		assert_int_equal(cidr_parse_addr(v6, a), 0);
		return K_ADDR;
	}
	return v4ok || nib ? K_ABOVE : K_OTHER;
}

static ldns_rr *
rr_new(const ldns_rdf *owner, ldns_rr_type type, uint32_t ttl)
{
	ldns_rr *rr = ldns_rr_new();

	ldns_rr_set_owner(rr, ldns_rdf_clone(owner));
	ldns_rr_set_type(rr, type);
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, ttl);
	return rr;
}

static void
push_soa(struct fixture *f, ldns_rr_list *l, const ldns_rdf *owner,
    const struct cfg_zone *z)
{
	ldns_rr *rr = rr_new(owner, LDNS_RR_TYPE_SOA, z->ttl);

	ldns_rr_push_rdf(rr, ldns_dname_new_frm_str(z->soa_mname));
	ldns_rr_push_rdf(rr, ldns_dname_new_frm_str(z->soa_rname));
	ldns_rr_push_rdf(rr, ldns_native2rdf_int32(LDNS_RDF_TYPE_INT32,
	    f->serial));
	ldns_rr_push_rdf(rr, ldns_native2rdf_int32(LDNS_RDF_TYPE_INT32,
	    3600));
	ldns_rr_push_rdf(rr, ldns_native2rdf_int32(LDNS_RDF_TYPE_INT32, 600));
	ldns_rr_push_rdf(rr, ldns_native2rdf_int32(LDNS_RDF_TYPE_INT32,
	    604800));
	ldns_rr_push_rdf(rr, ldns_native2rdf_int32(LDNS_RDF_TYPE_INT32,
	    z->ttl));
	ldns_rr_list_push_rr(l, rr);
}

static void
push_ns(ldns_rr_list *l, const ldns_rdf *owner, const struct cfg_zone *z)
{
	ldns_rr *rr;
	size_t i;

	for (i = 0; i < z->nns; i++) {
		rr = rr_new(owner, LDNS_RR_TYPE_NS, z->ttl);
		ldns_rr_push_rdf(rr, ldns_dname_new_frm_str(z->ns[i]));
		ldns_rr_list_push_rr(l, rr);
	}
}

static void
push_listed(struct fixture *f, struct expect *e, const ldns_rdf *owner,
    const struct cfg_zone *z, uint16_t qtype)
{
	uint8_t buf[256];
	ldns_rr *rr;
	size_t i, n;

	for (i = 0; (qtype == 1 || qtype == 255) && i < f->ans.ncodes; i++) {
		rr = rr_new(owner, LDNS_RR_TYPE_A, z->ttl);
		ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_A, 4,
		    &f->ans.codes[i]));
		ldns_rr_list_push_rr(e->an, rr);
	}
	for (i = 0; (qtype == 16 || qtype == 255) && i < f->ans.ntxt; i++) {
		n = strlen(f->ans.txt[i]);
		buf[0] = (uint8_t)n;
		memcpy(buf + 1, f->ans.txt[i], n);
		rr = rr_new(owner, LDNS_RR_TYPE_TXT, z->ttl);
		ldns_rr_push_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR,
		    n + 1, buf));
		ldns_rr_list_push_rr(e->an, rr);
	}
	e->what = qtype == 1 ? S_LISTED_A : qtype == 16 ? S_LISTED_TXT :
	    S_LISTED_ANY;
	if (f->ans.test_point)
		e->what = S_TEST_POINT;
	else if (f->ans.sources[0].prefix.addr.family == RP_AF_INET6)
		e->what = S_LISTED_V6;
}

/* The longest configured zone holding qname, or -1. */
static int
find_zone(struct fixture *f, const ldns_rdf *qname)
{
	size_t i;
	int best = -1;

	for (i = 0; i < f->cfg->nzones; i++) {
		if (ldns_dname_compare(qname, f->zones[i]) != 0 &&
		    !ldns_dname_is_subdomain(qname, f->zones[i]))
			continue;
		if (best < 0 || ldns_dname_label_count(f->zones[i]) >
		    ldns_dname_label_count(f->zones[best]))
			best = (int)i;
	}
	return best;
}

static void
expect_apex(struct fixture *f, struct expect *e, const ldns_rdf *qname,
    const struct cfg_zone *z, uint16_t qtype)
{
	if (qtype == 6 || qtype == 255)
		push_soa(f, e->an, qname, z);
	if (qtype == 2 || qtype == 255)
		push_ns(e->an, qname, z);
	e->what = qtype == 6 ? S_APEX_SOA : qtype == 2 ? S_APEX_NS :
	    S_APEX_ANY;
}

static void
expect_zone(struct fixture *f, struct expect *e, const ldns_rr *q)
{
	const ldns_rdf *qname = ldns_rr_owner(q);
	uint16_t qtype = ldns_rr_get_type(q);
	const struct cfg_zone *z;
	struct rp_addr a;
	int zi, above;
	enum kind k;

	if ((zi = find_zone(f, qname)) < 0) {
		e->rcode = LDNS_RCODE_REFUSED;
		return;
	}
	z = &f->cfg->zones[zi];
	e->aa = 1;
	k = classify(qname, ldns_dname_label_count(qname) -
	    ldns_dname_label_count(f->zones[zi]), &a, &above);
	e->what = k == K_ABOVE ? S_ABOVE : S_NXDOMAIN;
	if (k == K_APEX)
		expect_apex(f, e, qname, z, qtype);
	if (k == K_ADDR) {
		assert_int_equal(answer_lookup(&f->actx, f->t, z, &a,
		    &f->ans), 0);
		if (f->ans.ncodes > 0)
			push_listed(f, e, qname, z, qtype);
		else if (above)
			e->what = S_ABOVE_ADDR;
		else
			k = K_OTHER;
	}
	if (k == K_OTHER)
		e->rcode = LDNS_RCODE_NXDOMAIN;
	else if (ldns_rr_list_rr_count(e->an) == 0 && (k == K_APEX ||
	    (k == K_ADDR && f->ans.ncodes > 0)))
		e->what = S_NODATA;	/* the name exists, not this type */
	if (ldns_rr_list_rr_count(e->an) == 0)
		push_soa(f, e->ns, f->zones[zi], z);
}

/* What the spec says about the query r read. */
static void
expect_for(struct fixture *f, const uint8_t *w, size_t len,
    const struct ref *r, struct expect *e)
{
	uint16_t qtype, qclass;

	memset(e, 0, sizeof(*e));
	e->an = ldns_rr_list_new();
	e->ns = ldns_rr_list_new();
	if (len < 12 || (w[2] & 0x80)) {
		e->drop = 1;
		return;
	}
	e->formerr = 1;
	if (!r->ok || r->qptr || r->nopt > 1 || (r->nopt && !r->opt_root))
		return;
	e->echo = get16(w + 4) == 1;
	e->opt = r->nopt == 1;
	e->formerr = 0;
	if (e->opt && r->opt_ver != 0)
		e->rcode = 16;
	else if ((w[2] & 0x78) != 0)
		e->rcode = LDNS_RCODE_NOTIMPL;
	else if (!e->echo)
		e->formerr = 1;
	if (e->formerr || e->rcode != 0)
		return;
	qtype = ldns_rr_get_type(r->q);
	qclass = ldns_rr_get_class(r->q);
	if (qtype == 41 || qtype == 250)
		e->formerr = 1;
	else if (qtype == 249 || qtype == 253 || qtype == 254)
		e->rcode = LDNS_RCODE_NOTIMPL;
	else if (qtype == 251 || qtype == 252 || qclass != 1)
		e->rcode = LDNS_RCODE_REFUSED;
	else
		expect_zone(f, e, r->q);
}

static void
expect_free(struct expect *e)
{
	ldns_rr_list_deep_free(e->an);
	ldns_rr_list_deep_free(e->ns);
}

/* ---- Comparing ----------------------------------------------------------- */

static int
rr_same(const ldns_rr *a, const ldns_rr *b)
{
	ldns_rr *x = ldns_rr_clone(a), *y = ldns_rr_clone(b);
	int same;

	ldns_rr2canonical(x);
	ldns_rr2canonical(y);
	same = ldns_rr_compare(x, y) == 0 && ldns_rr_ttl(a) == ldns_rr_ttl(b);
	ldns_rr_free(x);
	ldns_rr_free(y);
	return same;
}

static void
print_list(const char *what, const ldns_rr_list *l)
{
	fprintf(stderr, "%s:\n", what);
	ldns_rr_list_print(stderr, l);
}

/* Same RRs in any order; owners of answers spelled as the question. */
static void
assert_same_set(const ldns_rr_list *got, const ldns_rr_list *want,
    const ldns_rdf *qname)
{
	size_t i, j, n = ldns_rr_list_rr_count(want);
	const ldns_rr *rr;
	int found;

	if (ldns_rr_list_rr_count(got) != n) {
		print_list("got", got);
		print_list("want", want);
	}
	assert_int_equal(ldns_rr_list_rr_count(got), n);
	for (i = 0; i < n; i++) {
		rr = ldns_rr_list_rr(want, i);
		for (found = 0, j = 0; j < n && !found; j++)
			found = rr_same(ldns_rr_list_rr(got, j), rr);
		if (!found) {
			print_list("got", got);
			print_list("want", want);
		}
		assert_true(found);
		rr = ldns_rr_list_rr(got, i);
		if (qname != NULL &&
		    ldns_dname_compare(ldns_rr_owner(rr), qname) == 0)
			assert_memory_equal(ldns_rdf_data(ldns_rr_owner(rr)),
			    ldns_rdf_data(qname), ldns_rdf_size(qname));
	}
}

/* ID, QR, opcode, RD and CD echoed; RA, Z, AD clear. */
static void
assert_header(const uint8_t *q, const uint8_t *r)
{
	assert_memory_equal(q, r, 2);
	assert_int_equal(r[2] & 0x80, 0x80);
	assert_int_equal(r[2] & 0x79, q[2] & 0x79);
	assert_int_equal(r[3] & 0xf0, q[3] & 0x10);
}

static size_t
udp_limit(const struct expect *e, const struct ref *r)
{
	size_t lim = 512;

	if (e->opt && r->opt_size > lim)
		lim = r->opt_size < QUERY_EDNS_SIZE ? r->opt_size :
		    QUERY_EDNS_SIZE;
	return lim;
}

static void
assert_opt(const uint8_t *resp, const ldns_pkt *p, const struct expect *e,
    const struct ref *r)
{
	if (!e->opt) {
		assert_int_equal(get16(resp + 10), 0);
		return;
	}
	assert_int_equal(get16(resp + 10), 1);
	assert_int_equal(ldns_pkt_edns_udp_size(p), QUERY_EDNS_SIZE);
	assert_int_equal(ldns_pkt_edns_version(p), 0);
	assert_int_equal(ldns_pkt_edns_extended_rcode(p), e->rcode >> 4);
	assert_int_equal(ldns_pkt_edns_do(p), (r->opt_flags & 0x8000) != 0);
}

/* The answer and authority sections, from a response not truncated. */
static void
assert_sections(const uint8_t *resp, size_t n, const struct expect *e,
    const struct ref *r)
{
	ldns_pkt *p = NULL;

	assert_int_equal(ldns_wire2pkt(&p, resp, n), LDNS_STATUS_OK);
	assert_int_equal(resp[2] & 0x02, 0);
	assert_same_set(ldns_pkt_answer(p), e->an,
	    r->q ? ldns_rr_owner(r->q) : NULL);
	assert_same_set(ldns_pkt_authority(p), e->ns, NULL);
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_additional(p)), 0);
	ldns_pkt_free(p);
}

static void
count_rcode(struct fixture *f, const struct expect *e)
{
	switch (e->rcode) {
	case LDNS_RCODE_NOTIMPL:
		f->seen[S_NOTIMP]++;
		break;
	case LDNS_RCODE_REFUSED:
		f->seen[S_REFUSED]++;
		break;
	case 16:
		f->seen[S_BADVERS]++;
		break;
	default:
		f->seen[e->what]++;
		break;
	}
}

/* The UDP answer is the TCP one, or header and question with TC. */
static void
assert_udp_vs_tcp(struct fixture *f, const uint8_t *q, size_t qlen,
    size_t n, const struct expect *e, const struct ref *r)
{
	size_t n2, lim = udp_limit(e, r);

	n2 = query_answer(f->qe, q, qlen, f->out2, QUERY_MAX_MSG, QUERY_TCP,
	    NULL);
	assert_true(n <= lim);
	if ((f->out[2] & 0x02) == 0) {
		assert_int_equal(n, n2);
		assert_memory_equal(f->out, f->out2, n);
		return;
	}
	f->seen[S_TC]++;
	if (lim > 512)
		f->seen[S_TC_EDNS]++;
	assert_true(n2 > lim);
	assert_int_equal(get16(f->out + 6), 0);
	assert_int_equal(get16(f->out + 8), 0);
	assert_int_equal(n, 12 + (e->echo ? r->qend - 12 : 0) +
	    (e->opt ? 11 : 0));
	assert_sections(f->out2, n2, e, r);
}

static void
dump(const char *what, const uint8_t *p, size_t n)
{
	size_t i;

	fprintf(stderr, "%s (%zu bytes):", what, n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ", p[i]);
	fprintf(stderr, "\n");
}

static void
check_answered(struct fixture *f, const uint8_t *q, size_t qlen, size_t n,
    int tcp, const struct expect *e, const struct ref *r)
{
	ldns_pkt *p = NULL;

	if (ldns_wire2pkt(&p, f->out, n) != LDNS_STATUS_OK) {
		dump("query", q, qlen);
		dump("response", f->out, n);
		fail();
	}
	assert_header(q, f->out);
	assert_int_equal(f->out[3] & 0x0f, e->rcode & 0x0f);
	assert_int_equal((f->out[2] & 0x04) != 0, e->aa);
	assert_int_equal(get16(f->out + 4), e->echo);
	if (e->echo)
		assert_memory_equal(f->out + 12, q + 12, r->qend - 12);
	assert_opt(f->out, p, e, r);
	ldns_pkt_free(p);
	if (!tcp)
		assert_udp_vs_tcp(f, q, qlen, n, e, r);
	if (tcp || (f->out[2] & 0x02) == 0)
		assert_sections(f->out, n, e, r);
	count_rcode(f, e);
	if (e->opt)
		f->seen[S_EDNS]++;
}

static void
check_query(struct fixture *f, struct gen *g, const uint8_t *q, size_t qlen,
    int tcp, int mutated)
{
	/* A roomy buffer for UDP too: the limit must come from the query. */
	size_t cap = tcp || pick(g, 2) ? QUERY_MAX_MSG : QUERY_EDNS_SIZE, n;
	struct expect e;
	struct ref r;

	n = query_answer(f->qe, q, qlen, f->out, cap,
	    tcp ? QUERY_TCP : QUERY_UDP, NULL);
	assert_true(n <= cap);
	ref_parse(q, qlen, &r);
	expect_for(f, q, qlen, &r, &e);
	if (e.drop) {
		assert_int_equal(n, 0);
		f->seen[S_DROP]++;
	} else if (e.formerr) {
		/* What ldns cannot read, we answer FORMERR, header only. */
		if (n != 12) {
			dump("query", q, qlen);
			dump("response", f->out, n);
		}
		assert_int_equal(n, 12);
		assert_header(q, f->out);
		assert_int_equal(f->out[2] & 0x06, 0);
		assert_int_equal(f->out[3] & 0x0f, LDNS_RCODE_FORMERR);
		assert_memory_equal(f->out + 4, "\0\0\0\0\0\0\0\0", 8);
		f->seen[S_FORMERR]++;
	} else {
		check_answered(f, q, qlen, n, tcp, &e, &r);
		if (mutated)
			f->seen[S_MUTATED_OK]++;
		if (r.opaque)
			f->seen[S_OPAQUE_RDATA]++;
	}
	expect_free(&e);
	ref_free(&r);
}

/* ---- Tests --------------------------------------------------------------- */

static void
query_matches_ldns_on_generated_queries(void **state)
{
	struct fixture *f = *state;
	struct gen g = { SEED };
	struct msg m;
	size_t i;
	int mutated;

	/* Another seed explores further; the default keeps runs equal. */
	if (getenv("TEST_QUERY_SEED") != NULL)
		g.s = strtoull(getenv("TEST_QUERY_SEED"), NULL, 0) | 1;

	for (i = 0; i < CASES; i++) {
		gen_query(&g, &m);
		mutated = pick(&g, 4) == 0;
		if (mutated)
			for (size_t k = 1 + pick(&g, 2); k > 0; k--)
				mutate_one(&g, &m);
		check_query(f, &g, m.b, m.len, pick(&g, 10) < 3, mutated);
	}
	for (i = 0; i < S_COUNT; i++) {
		if (f->seen[i] < 20 || getenv("TEST_QUERY_VERBOSE") != NULL)
			fprintf(stderr, "seen %s: %lu\n", seen_names[i],
			    f->seen[i]);
		assert_true(f->seen[i] >= 20 || i == S_OPAQUE_RDATA);
	}
}

/* A query for name/type with an OPT of size edns (0: none). */
static size_t
make_query(uint8_t *buf, const char *name, unsigned type, unsigned edns)
{
	struct name nm = { 0 };
	struct msg m = { .len = 0 };

	put16(&m, 0xbeef);
	put16(&m, 0x0100);
	put16(&m, 1);
	put16(&m, 0);
	put16(&m, 0);
	put16(&m, edns ? 1 : 0);
	name_add_text(&nm, name);
	for (size_t i = 0; i < nm.n; i++) {	/* keep the case as given */
		put8(&m, nm.len[i]);
		for (size_t j = 0; j < nm.len[i]; j++)
			put8(&m, (unsigned char)nm.lab[i][j]);
	}
	put8(&m, 0);
	put16(&m, type);
	put16(&m, 1);
	if (edns) {
		put8(&m, 0);
		put16(&m, 41);
		put16(&m, edns);
		put32(&m, 0);
		put16(&m, 0);
	}
	memcpy(buf, m.b, m.len);
	return m.len;
}

static void
query_compresses_owner_to_the_question(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512];
	size_t qlen = make_query(q, "2.0.0.127.BL.test", 1, 0), n;

	n = query_answer(f->qe, q, qlen, f->out, 512, QUERY_UDP, NULL);
	/* header, question, then one A RR of 16 bytes owned by 0xc00c */
	assert_int_equal(n, qlen + 16);
	assert_memory_equal(f->out + qlen, "\xc0\x0c\0\1\0\1\0\0\1\x2c\0\4"
	    "\x7f\0\0\2", 16);
	assert_int_equal(f->out[2], 0x80 | 0x04 | 0x01);	/* QR AA RD */
	assert_int_equal(f->out[3], 0);
	assert_memory_equal(f->out + 12, q + 12, qlen - 12);
}

static void
query_negative_soa_uses_pointers_and_minimum(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512];
	size_t qlen = make_query(q, "1.0.0.127.bl.TEST", 1, 1232), n;
	size_t zone = 12 + 10;		/* "\1" "1" ... "\3" "127": 10 bytes */

	n = query_answer(f->qe, q, qlen, f->out, 1232, QUERY_UDP, NULL);
	assert_int_equal(f->out[3] & 0x0f, 3);
	assert_int_equal(get16(f->out + 8), 1);
	/* SOA owned by the zone inside the question; TTL = MINIMUM. */
	assert_int_equal(get16(f->out + qlen - 11), 0xc000 | zone);
	assert_memory_equal(f->out + qlen - 11 + 2, "\0\6\0\1\0\0\1\x2c", 8);
	/* mname ns1 + pointer to the zone, rname hostmaster + pointer */
	assert_memory_equal(f->out + qlen - 11 + 12, "\3ns1", 4);
	assert_int_equal(get16(f->out + qlen - 11 + 16), 0xc000 | zone);
	assert_int_equal(n, qlen + 12 + 6 + 13 + 20);
	assert_int_equal(get16(f->out + 10), 1);	/* OPT */
}

static void
query_truncates_big_udp_answers(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512];
	size_t qlen = make_query(q, "1.0.18.198.big.test", 16, 0), n;
	const struct query_stats *s = query_engine_stats(f->qe);
	uint64_t before = s->truncated;

	n = query_answer(f->qe, q, qlen, f->out, 1232, QUERY_UDP, NULL);
	assert_int_equal(n, qlen);
	assert_int_equal(f->out[2] & 0x02, 0x02);
	assert_int_equal(s->truncated, before + 1);
	n = query_answer(f->qe, q, qlen, f->out, QUERY_MAX_MSG, QUERY_TCP,
	    NULL);
	assert_int_equal(f->out[2] & 0x02, 0);
	assert_int_equal(get16(f->out + 6), 12);
	assert_true(n > 12 * 200);
}

static void
query_caps_udp_at_our_edns_size(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512];
	size_t qlen = make_query(q, "1.0.18.198.big.test", 16, 4096), n;

	/* The client could take 4096, we offer 1232: TC even in a big
	 * buffer. */
	n = query_answer(f->qe, q, qlen, f->out, QUERY_MAX_MSG, QUERY_UDP,
	    NULL);
	assert_int_equal(n, qlen);
	assert_int_equal(f->out[2] & 0x02, 0x02);
	qlen = make_query(q, "1.0.18.198.big.test", 1, 600);
	n = query_answer(f->qe, q, qlen, f->out, QUERY_MAX_MSG, QUERY_UDP,
	    NULL);
	assert_int_equal(n, qlen + 12 * 16);
	assert_int_equal(f->out[2] & 0x02, 0);
}

static void
query_drops_responses_and_runts(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512];
	size_t qlen = make_query(q, "bl.test", 6, 0);
	const struct query_stats *s = query_engine_stats(f->qe);
	uint64_t before = s->dropped;

	assert_int_equal(query_answer(f->qe, q, 11, f->out, 512, QUERY_UDP,
	    NULL), 0);
	q[2] |= 0x80;
	assert_int_equal(query_answer(f->qe, q, qlen, f->out, 512,
	    QUERY_UDP, NULL), 0);
	assert_int_equal(s->dropped, before + 2);
}

static void
query_names_above_listings_are_nodata(void **state)
{
	struct fixture *f = *state;
	uint8_t q[512];
	size_t qlen;

	qlen = make_query(q, "0.0.127.bl.test", 1, 0);
	query_answer(f->qe, q, qlen, f->out, 512, QUERY_UDP, NULL);
	assert_int_equal(f->out[3] & 0x0f, 0);
	assert_int_equal(get16(f->out + 6), 0);
	assert_int_equal(get16(f->out + 8), 1);
	/* 4.3.2.1 is not listed, but it is above 1234::/16's names. */
	qlen = make_query(q, "4.3.2.1.bl.test", 1, 0);
	query_answer(f->qe, q, qlen, f->out, 512, QUERY_UDP, NULL);
	assert_int_equal(f->out[3] & 0x0f, 0);
	qlen = make_query(q, "4.3.2.20.bl.test", 1, 0);
	query_answer(f->qe, q, qlen, f->out, 512, QUERY_UDP, NULL);
	assert_int_equal(f->out[3] & 0x0f, 3);
}

static void
query_servfails_without_a_transaction(void **state)
{
	struct fixture *f = *state;
	struct query_engine *qe;
	uint8_t q[512];
	size_t qlen;

	assert_int_equal(query_engine_new(&qe, f->cfg), 0);
	qlen = make_query(q, "2.0.0.192.bl.test", 1, 0);
	query_answer(qe, q, qlen, f->out, 512, QUERY_UDP, NULL);
	assert_int_equal(f->out[3] & 0x0f, 2);
	assert_int_equal(f->out[2] & 0x04, 0);
	qlen = make_query(q, "bl.test", 6, 0);
	query_answer(qe, q, qlen, f->out, 512, QUERY_UDP, NULL);
	assert_int_equal(f->out[3] & 0x0f, 2);
	qlen = make_query(q, "example.com", 1, 0);
	query_answer(qe, q, qlen, f->out, 512, QUERY_UDP, NULL);
	assert_int_equal(f->out[3] & 0x0f, 5);
	assert_int_equal(query_engine_stats(qe)->servfail, 2);
	assert_int_equal(query_engine_stats(qe)->refused, 1);
	assert_int_equal(query_engine_stats(qe)->queries, 3);
	query_engine_free(qe);
	query_engine_free(NULL);
}

static void
query_counts_listed_and_rcodes(void **state)
{
	struct fixture *f = *state;
	const struct query_stats *s = query_engine_stats(f->qe);
	struct query_stats before = *s;
	uint8_t q[512];
	size_t qlen;

	qlen = make_query(q, "1.2.0.192.bl.test", 16, 0);
	query_answer(f->qe, q, qlen, f->out, 512, QUERY_UDP, NULL);
	qlen = make_query(q, "1.2.0.193.bl.test", 1, 0);
	query_answer(f->qe, q, qlen, f->out, 512, QUERY_UDP, NULL);
	q[2] = 0x28;	/* opcode 5, UPDATE */
	query_answer(f->qe, q, qlen, f->out, 512, QUERY_UDP, NULL);
	assert_int_equal(s->queries, before.queries + 3);
	assert_int_equal(s->listed, before.listed + 1);
	assert_int_equal(s->noerror, before.noerror + 1);
	assert_int_equal(s->nxdomain, before.nxdomain + 1);
	assert_int_equal(s->notimp, before.notimp + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(query_compresses_owner_to_the_question),
		cmocka_unit_test(query_negative_soa_uses_pointers_and_minimum),
		cmocka_unit_test(query_truncates_big_udp_answers),
		cmocka_unit_test(query_caps_udp_at_our_edns_size),
		cmocka_unit_test(query_drops_responses_and_runts),
		cmocka_unit_test(query_names_above_listings_are_nodata),
		cmocka_unit_test(query_servfails_without_a_transaction),
		cmocka_unit_test(query_counts_listed_and_rcodes),
		cmocka_unit_test(query_matches_ldns_on_generated_queries),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
