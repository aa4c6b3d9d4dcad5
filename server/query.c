/* query.c -- the per-packet path: parse one DNS query, answer it from the
 * zone table and the store, and write the response, without allocating. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acl.h"
#include "answer.h"
#include "clientacl.h"
#include "geo.h"
#include "log.h"
#include "name.h"
#include "query.h"
#include "records.h"
#include "stats.h"
#include "zone.h"

/*
 * What is answered how, in order of precedence:
 *   shorter than a header, or QR=1          nothing
 *   a client [server]'s client-acl ignores  nothing
 *   any part unreadable (the question name compressed, a label type
 *   other than 0, a name > 255, a section running past the end), two
 *   OPTs, or an OPT not owned by the root   FORMERR, header only
 *   EDNS version > 0                        BADVERS
 *   opcode other than QUERY                 NOTIMP
 *   QDCOUNT other than 1, QTYPE OPT or TSIG FORMERR, header only
 *   QTYPE TKEY, MAILA, MAILB                NOTIMP
 *   QTYPE AXFR, IXFR; QCLASS other than IN  REFUSED
 *   a name outside every zone               REFUSED
 *   a client kept out by allow, deny        REFUSED
 *   client-acl (clientacl.h): ignore        nothing
 *                             refuse        REFUSED
 * then AA=1 and the zone's data, with its static records at their names
 * (query_records()) (zone.h says what names mean; an origin
 * zone, type asn, answers an address's "ASN | network | CC | org" TXT
 * from the geo database instead of listings). The
 * question (with the client's case), RD and CD are echoed; RA, AD, Z
 * are 0; an OPT (our size, the client's DO bit) comes back when the
 * query had one. RDATA of other RRs in a query is never looked at.
 */

#define Q_HDR		12
#define Q_OPT_LEN	11	/* root owner, type, class, TTL, RDLENGTH */

/* RR types and class (RFC 1035, 2845, 2930, 6891). */
#define T_A		1
#define T_NS		2
#define T_SOA		6
#define T_TXT		16
#define T_OPT		41
#define T_TKEY		249
#define T_TSIG		250
#define T_IXFR		251
#define T_AXFR		252
#define T_MAILB		253
#define T_MAILA		254
#define T_ANY		255
#define C_IN		1

#define R_NOERROR	0
#define R_FORMERR	1
#define R_SERVFAIL	2
#define R_NXDOMAIN	3
#define R_NOTIMP	4
#define R_REFUSED	5
#define R_BADVERS	16	/* extended: the OPT carries the high bits */
#define Q_GO		(-1)	/* no protocol problem: look the name up */
#define Q_DROP		(-2)	/* no answer at all (a client ACL's ignore) */

/* Header bits: byte 2, then byte 3. */
#define H_QR		0x80
#define H_OPCODE	0x78
#define H_AA		0x04
#define H_TC		0x02
#define H_RD		0x01
#define H_CD		0x10
#define EDNS_DO		0x8000

/*
 * SOA timers come from the zone (soa-refresh, -retry, -expire: the usual
 * values by default). Nothing transfers our zones, so they only matter to
 * tools that read them. MINIMUM is the zone's negative-ttl, by default
 * its ttl, so that a new listing is seen as soon as a removed one (see
 * docs on TTLs); reputed --rbldnsd sets them all from $SOA.
 */

/* Seconds between two "lookup failed" lines. */
#define QUERY_LOG_EVERY	10
/* Compression pointers followed per name: real messages need one or two;
 * the bound keeps a crafted chain from costing more than a few labels. */
#define QUERY_NAME_HOPS	32

/* An RDATA name: written labels, then a pointer to the last suffix
 * labels of the zone name as the question spells it. */
struct query_name {
	uint8_t		prefix[ZONE_NAME_MAX];
	size_t		plen;
	unsigned	suffix;		/* 0: prefix is the whole name */
};

struct query_zone {
	struct query_name	mname, rname;
	struct query_name	ns[CFG_MAX_NS];
	size_t			nns;
	uint32_t		ttl;
	uint32_t		soa_ttl, ns_ttl, neg_ttl;	/* 0: ttl */
	uint32_t		refresh, retry, expire;
};

struct query_engine {
	const struct cfg	*cfg;
	struct zone_table	*zt;
	struct query_zone	*zones;		/* as cfg->zones */
	struct acl_set		 acl;		/* allow, deny */
	struct clientacl	 cacl;		/* client-acl: rbldnsd's acl */
	struct answer_ctx	 actx;
	struct store_txn	*txn;		/* of the current batch */
	uint32_t		 serial;
	int			 serial_rc;	/* 0, or why no serial */
	uint64_t		 serial_snap;	/* the snapshot it is of */
	struct query_stats	 stats;
	struct stats		*counters;	/* NULL: not counted */
	time_t			 log_next;
	uint64_t		 log_quiet;	/* errors not logged since */
	struct answer		 ans;		/* too big for the stack */
	struct records		*recs;		/* static records (records.h) */
};

/* The query as parsed. */
struct query_msg {
	const uint8_t		*in;
	size_t			 len;
	size_t			 qend;		/* past the first QCLASS */
	uint16_t		 qdcount, qtype, qclass;
	uint8_t			 opcode;
	int			 edns;
	uint16_t		 edns_size;
	uint8_t			 edns_version;
	uint16_t		 edns_flags;
	struct zone_qname	 qn;
};

/* The response being written; full: something did not fit. */
struct query_w {
	uint8_t		*buf;
	size_t		 len, cap;
	int		 full;
	uint16_t	 an, ns;
};

/* One query being answered. */
struct query_ctx {
	struct query_engine	*qe;
	struct query_msg	 m;
	struct zone_match	 zm;
	const struct query_zone	*qz;
	struct query_w		 w;
	int			 aa, echo, opt;
	const struct rp_addr	*client;	/* NULL: trusted (tests) */
	long			 zone;		/* of cfg->zones, or -1 */
	enum stats_result	 res;		/* for the counters */
	struct clientacl_verdict acl;		/* of the client ACLs */
	int			 acl_rc;	/* 0, or why no verdict */
};

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- Engine ------------------------------------------------------------ */

/* name as labels of its own plus the longest suffix shared with zone. */
static int
query_name_init(struct query_name *n, const char *name,
    const struct zone_qname *zone)
{
	struct zone_qname q;
	uint8_t buf[ZONE_NAME_MAX];
	const uint8_t *a, *b;
	size_t len;
	unsigned k;

	if (zone_name_to_wire(name, buf, &len) != 0 ||
	    zone_qname_parse(&q, buf, len, 0, NULL) != 0)
		return -EINVAL;
	for (k = 0; k < q.nlabels && k < zone->nlabels; k++) {
		a = q.wire + q.off[q.nlabels - 1 - k];
		b = zone->wire + zone->off[zone->nlabels - 1 - k];
		if (a[0] != b[0] || memcmp(a + 1, b + 1, a[0]) != 0)
			break;
	}
	n->suffix = k;
	n->plen = k > 0 ? q.off[q.nlabels - k] : q.len;
	memcpy(n->prefix, q.wire, n->plen);
	return 0;
}

static int
query_zone_init(struct query_zone *qz, const struct cfg_zone *z)
{
	struct zone_qname zq;
	uint8_t buf[ZONE_NAME_MAX];
	size_t len, i;

	if (zone_name_to_wire(z->name, buf, &len) != 0 ||
	    zone_qname_parse(&zq, buf, len, 0, NULL) != 0 ||
	    query_name_init(&qz->mname, z->soa_mname, &zq) != 0 ||
	    query_name_init(&qz->rname, z->soa_rname, &zq) != 0)
		return -EINVAL;
	for (i = 0; i < z->nns; i++)
		if (query_name_init(&qz->ns[i], z->ns[i], &zq) != 0)
			return -EINVAL;
	qz->nns = z->nns;
	qz->ttl = z->ttl;
	qz->soa_ttl = z->soa_ttl ? z->soa_ttl : z->ttl;
	qz->ns_ttl = z->ns_ttl ? z->ns_ttl : z->ttl;
	qz->neg_ttl = z->negative_ttl ? z->negative_ttl : z->ttl;
	qz->refresh = z->soa_refresh;
	qz->retry = z->soa_retry;
	qz->expire = z->soa_expire;
	return 0;
}

int
query_engine_new(struct query_engine **out, const struct cfg *cfg)
{
	struct query_engine *qe;
	size_t i;
	int rc;

	*out = NULL;
	if ((qe = calloc(1, sizeof(*qe))) == NULL)
		return -ENOMEM;
	qe->cfg = cfg;
	answer_ctx_init(&qe->actx, cfg);
	qe->serial_rc = -EINVAL;	/* no transaction yet */
	if ((rc = zone_table_new(&qe->zt, cfg)) != 0 ||
	    (rc = acl_set_init(&qe->acl, cfg)) != 0 ||
	    (rc = clientacl_init(&qe->cacl, cfg)) != 0 ||
	    (rc = records_new(&qe->recs, cfg)) != 0)
		goto fail;
	rc = -ENOMEM;
	if ((qe->zones = calloc(cfg->nzones + 1, sizeof(*qe->zones))) == NULL)
		goto fail;
	for (i = 0; i < cfg->nzones; i++)
		if ((rc = query_zone_init(&qe->zones[i], &cfg->zones[i])) != 0)
			goto fail;
	*out = qe;
	return 0;
fail:
	query_engine_free(qe);
	return rc;
}

void
query_engine_free(struct query_engine *qe)
{
	if (qe == NULL)
		return;
	answer_ctx_fini(&qe->actx);
	acl_set_fini(&qe->acl);
	clientacl_fini(&qe->cacl);
	zone_table_free(qe->zt);
	records_free(qe->recs);
	free(qe->zones);
	free(qe);
}

void
query_engine_set_geo(struct query_engine *qe, struct geo *geo)
{
	qe->actx.geo = geo;
}

/* Store errors are logged at most every QUERY_LOG_EVERY seconds: a broken
 * store fails every query, and the log must not drown. */
static void
query_log_error(struct query_engine *qe, const char *what, const char *why)
{
	time_t now = time(NULL);

	if (now < qe->log_next) {
		qe->log_quiet++;
		return;
	}
	log_warnx("query: %s: %s (%" PRIu64 " more since the last report)",
	    what, why, qe->log_quiet);
	qe->log_next = now + QUERY_LOG_EVERY;
	qe->log_quiet = 0;
}

void
query_engine_begin(struct query_engine *qe, struct store_txn *t)
{
	int64_t changed;
	uint64_t snap;

	qe->txn = t;
	if (t == NULL) {
		qe->serial_rc = -EINVAL;
		return;
	}
	/* The serial changes only with the data: read it once a snapshot. */
	snap = store_txn_snapshot(t);
	if (qe->serial_rc == 0 && snap == qe->serial_snap)
		return;
	qe->serial_snap = snap;
	if ((qe->serial_rc = store_serial(t, &qe->serial, &changed)) != 0)
		query_log_error(qe, "reading the SOA serial",
		    store_strerror(qe->serial_rc));
}

const struct query_stats *
query_engine_stats(const struct query_engine *qe)
{
	return &qe->stats;
}

void
query_engine_set_stats(struct query_engine *qe, struct stats *st)
{
	qe->counters = st;
}

/* ---- Parsing ----------------------------------------------------------- */

/*
 * Step over a possibly compressed name, as ldns reads it: a pointer may
 * go anywhere in the message but offset 0; labels are at most 63 bytes;
 * the name at most 255. *root says whether it is the root name.
 */
static int
query_skip_name(const uint8_t *in, size_t len, size_t *pos, int *root)
{
	size_t p = *pos, total = 1;
	unsigned hops = 0;
	int jumped = 0;
	uint8_t l;

	*root = 1;
	for (;;) {
		if (p >= len)
			return -EBADMSG;
		if ((l = in[p]) == 0)
			break;
		if (l >= 0xc0) {
			if (p + 2 > len || ++hops > QUERY_NAME_HOPS)
				return -EBADMSG;
			if (!jumped)
				*pos = p + 2;
			jumped = 1;
			if ((p = (size_t)(l & 0x3f) << 8 | in[p + 1]) == 0)
				return -EBADMSG;
			continue;
		}
		total += 1 + (size_t)l;
		if (l > 63 || p + 1 + l > len || total > ZONE_NAME_MAX)
			return -EBADMSG;
		*root = 0;
		p += 1 + (size_t)l;
	}
	if (!jumped)
		*pos = p + 1;
	return 0;
}

/* An RR of the answer, authority or additional section; RDATA is opaque
 * to us (RFC 3597), except an OPT's fixed fields. */
static int
query_skip_rr(struct query_msg *m, size_t *pos, int additional)
{
	const uint8_t *p;
	size_t at = *pos;
	int root;

	if (query_skip_name(m->in, m->len, &at, &root) != 0 ||
	    at + 10 > m->len || at + 10 + rd16(m->in + at + 8) > m->len)
		return -EBADMSG;
	p = m->in + at;
	if (additional && rd16(p) == T_OPT) {
		/* RFC 6891 6.1.1: one OPT, owned by the root. */
		if (m->edns || !root)
			return -EBADMSG;
		m->edns = 1;
		m->edns_size = rd16(p + 2);
		m->edns_version = p[5];
		m->edns_flags = rd16(p + 6);
	}
	*pos = at + 10 + rd16(p + 8);
	return 0;
}

/* The whole message must be well formed: a server that reads only the
 * question would answer packets no DNS library accepts. */
static int
query_parse(struct query_msg *m, const uint8_t *in, size_t len)
{
	size_t pos = Q_HDR;
	unsigned i, n;
	int root, rc;

	m->in = in;
	m->len = len;
	m->edns = 0;
	m->opcode = (uint8_t)((in[2] & H_OPCODE) >> 3);
	m->qdcount = rd16(in + 4);
	for (i = 0; i < m->qdcount; i++) {
		/* The first name of a message has nothing to point to. */
		if (i == 0)
			rc = zone_qname_parse(&m->qn, in, len, pos, &pos);
		else
			rc = query_skip_name(in, len, &pos, &root);
		if (rc != 0 || pos + 4 > len)
			return -EBADMSG;
		if (i == 0) {
			m->qtype = rd16(in + pos);
			m->qclass = rd16(in + pos + 2);
			m->qend = pos + 4;
		}
		pos += 4;
	}
	n = (unsigned)rd16(in + 6) + rd16(in + 8);
	for (i = 0; i < n; i++)
		if (query_skip_rr(m, &pos, 0) != 0)
			return -EBADMSG;
	n = rd16(in + 10);
	for (i = 0; i < n; i++)
		if (query_skip_rr(m, &pos, 1) != 0)
			return -EBADMSG;
	return 0;
}

/* Protocol-level answers, in order of precedence; Q_GO if none. */
static int
query_check(struct query_ctx *c, const uint8_t *in, size_t len)
{
	struct query_msg *m = &c->m;

	if (query_parse(m, in, len) != 0)
		return R_FORMERR;
	c->echo = m->qdcount == 1;
	c->opt = m->edns;
	if (m->edns && m->edns_version != 0)
		return R_BADVERS;
	if (m->opcode != 0)
		return R_NOTIMP;
	if (m->qdcount != 1)
		return R_FORMERR;
	switch (m->qtype) {
	case T_OPT:
	case T_TSIG:		/* pseudo types: never asked for */
		return R_FORMERR;
	case T_TKEY:
	case T_MAILB:
	case T_MAILA:
		return R_NOTIMP;
	case T_AXFR:
	case T_IXFR:		/* no zone transfers (not even of IN) */
		return R_REFUSED;
	default:
		break;
	}
	return m->qclass == C_IN ? Q_GO : R_REFUSED;
}

/* ---- Writing ----------------------------------------------------------- */

static inline void
w_put(struct query_w *w, const void *p, size_t n)
{
	if (w->full || n > w->cap - w->len) {
		w->full = 1;
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

/* Owner (a pointer into the question), type, class IN, TTL, RDLENGTH. */
static inline void
w_rr(struct query_w *w, uint16_t owner, uint16_t type, uint32_t ttl,
    uint16_t rdlen)
{
	uint8_t b[12];

	wr16(b, (uint16_t)(0xc000 | owner));
	wr16(b + 2, type);
	wr16(b + 4, C_IN);
	wr32(b + 6, ttl);
	wr16(b + 10, rdlen);
	w_put(w, b, sizeof(b));
}

/* Offset of the question's last k labels, for a compression pointer. */
static inline uint16_t
query_suffix(const struct query_ctx *c, unsigned k)
{
	return (uint16_t)(Q_HDR + c->m.qn.off[c->m.qn.nlabels - k]);
}

static void
query_put_name(struct query_ctx *c, const struct query_name *n)
{
	uint8_t b[2];

	w_put(&c->w, n->prefix, n->plen);
	if (n->suffix > 0) {
		wr16(b, (uint16_t)(0xc000 | query_suffix(c, n->suffix)));
		w_put(&c->w, b, 2);
	}
}

/* Patch the RDLENGTH of the RR whose RDATA starts at rdata. */
static void
query_end_rdata(struct query_ctx *c, size_t rdata)
{
	if (!c->w.full)
		wr16(c->w.buf + rdata - 2, (uint16_t)(c->w.len - rdata));
}

static void
query_put_soa(struct query_ctx *c, uint16_t owner, uint32_t ttl)
{
	uint8_t b[20];
	size_t rdata;

	w_rr(&c->w, owner, T_SOA, ttl, 0);
	rdata = c->w.len;
	query_put_name(c, &c->qz->mname);
	query_put_name(c, &c->qz->rname);
	wr32(b, c->qe->serial);
	wr32(b + 4, c->qz->refresh);
	wr32(b + 8, c->qz->retry);
	wr32(b + 12, c->qz->expire);
	wr32(b + 16, c->qz->neg_ttl);	/* MINIMUM: see the timers */
	w_put(&c->w, b, sizeof(b));
	query_end_rdata(c, rdata);
}

static void
query_put_ns(struct query_ctx *c)
{
	size_t i, rdata;

	for (i = 0; i < c->qz->nns; i++) {
		w_rr(&c->w, Q_HDR, T_NS, c->qz->ns_ttl, 0);
		rdata = c->w.len;
		query_put_name(c, &c->qz->ns[i]);
		query_end_rdata(c, rdata);
		c->w.an++;
	}
}

static void
query_put_opt(struct query_ctx *c, int rcode)
{
	uint8_t b[Q_OPT_LEN] = { 0 };

	wr16(b + 1, T_OPT);
	wr16(b + 3, QUERY_EDNS_SIZE);
	b[5] = (uint8_t)(rcode >> 4);		/* extended RCODE */
	/* Version 0; DO copied as RFC 3225 3 asks, though we never sign. */
	wr16(b + 7, c->m.edns_flags & EDNS_DO);
	w_put(&c->w, b, sizeof(b));
}

/* ---- Answering --------------------------------------------------------- */

static int
query_fail(struct query_ctx *c, const char *what, const char *why)
{
	query_log_error(c->qe, what, why);
	c->aa = 0;
	c->res = STATS_LOOKUP_ERROR;
	return R_SERVFAIL;
}

static int
query_servfail(struct query_ctx *c, int rc)
{
	return query_fail(c, "store lookup failed", store_strerror(rc));
}

/* NXDOMAIN or NODATA: the SOA in the authority section (RFC 2308), with
 * the SOA MINIMUM as its TTL. */
static int
query_negative(struct query_ctx *c, int rcode)
{
	if (c->qe->serial_rc != 0)
		return query_servfail(c, c->qe->serial_rc);
	query_put_soa(c, query_suffix(c, c->zm.zlabels), c->qz->neg_ttl);
	c->w.ns++;
	return rcode;
}

static int
query_apex(struct query_ctx *c)
{
	uint16_t qtype = c->m.qtype;

	if (qtype != T_SOA && qtype != T_NS && qtype != T_ANY)
		return query_negative(c, R_NOERROR);
	if (qtype != T_NS) {
		if (c->qe->serial_rc != 0)
			return query_servfail(c, c->qe->serial_rc);
		query_put_soa(c, Q_HDR, c->qz->soa_ttl);
		c->w.an++;
	}
	if (qtype != T_SOA)
		query_put_ns(c);
	return R_NOERROR;
}

/* One TXT RR of one character-string (txt is shorter than 256). */
static void
query_put_txt(struct query_ctx *c, const char *txt)
{
	size_t n = strlen(txt);
	uint8_t b = (uint8_t)n;

	w_rr(&c->w, Q_HDR, T_TXT, c->qz->ttl, (uint16_t)(n + 1));
	w_put(&c->w, &b, 1);
	w_put(&c->w, txt, n);
	c->w.an++;
}

static void
query_put_listed(struct query_ctx *c, const struct answer *a)
{
	uint8_t b[4];
	size_t i;

	if (c->m.qtype == T_A || c->m.qtype == T_ANY) {
		for (i = 0; i < a->ncodes; i++, c->w.an++) {
			w_rr(&c->w, Q_HDR, T_A, c->qz->ttl, 4);
			memcpy(b, &a->codes[i], 4);	/* network order */
			w_put(&c->w, b, 4);
		}
	}
	if (c->m.qtype == T_TXT || c->m.qtype == T_ANY)
		for (i = 0; i < a->ntxt; i++)
			query_put_txt(c, a->txt[i]);
}

/*
 * An address in an origin zone: one TXT from the geo databases; another
 * type is NODATA. An address the ASN database does not have is NXDOMAIN,
 * or NODATA when the name is also above IPv6 names (as in query_addr()).
 */
static int
query_origin(struct query_ctx *c)
{
	struct geo *geo = c->qe->actx.geo;
	char txt[GEO_ORIGIN_LEN];
	int rc;

	/* cfg_load() wants asn-db for such a zone; reputed opens it. */
	rc = geo != NULL ? geo_origin(geo, &c->zm.addr, txt) : -ENODEV;
	if (rc == -ENOENT)
		return query_negative(c, c->zm.above ? R_NOERROR :
		    R_NXDOMAIN);
	if (rc != 0)
		return query_fail(c, "origin lookup failed", rc == -ENODEV ?
		    "no ASN database open" : geo_strerror(rc));
	if (c->m.qtype != T_TXT && c->m.qtype != T_ANY)
		return query_negative(c, R_NOERROR);
	query_put_txt(c, txt);
	return R_NOERROR;
}

/* Only TXT and ANY answers show text: skip its work otherwise. */
static unsigned
query_answer_flags(const struct query_ctx *c)
{
	return c->m.qtype == T_TXT || c->m.qtype == T_ANY ? 0 : ANSWER_NO_TXT;
}

/*
 * In a zone with domain-name listings (rbldnsd dnset), the labels below
 * the apex are also a name to look up: add its answers to qe->ans (flags
 * as for the address, ANSWER_ADD when there is one). 0, or a store code.
 */
static int
query_names(struct query_ctx *c, unsigned flags)
{
	struct query_engine *qe = c->qe;
	char q[ZONE_NAME_MAX + 1];
	size_t qlen;
	int rc;

	rc = answer_zone_has_names(&qe->actx, qe->txn, c->zm.zone);
	if (rc <= 0)
		return rc;
	/* rbldnsd's acl: where names are listed, "always" lists any name
	 * below the apex and "empty" none (clientacl.h). */
	if (c->acl.action == ACLCODE_ALWAYS || c->acl.action == ACLCODE_EMPTY)
		return clientacl_answer(&c->acl, flags, &qe->ans);
	if (zone_qname_below(&c->m.qn, c->zm.zlabels, q, sizeof(q),
	    &qlen) != 0 || qlen > NAME_TEXT_MAX)
		return 0;	/* no listed name looks like that */
	return answer_lookup_name(&qe->actx, qe->txn, c->zm.zone, q, qlen,
	    flags, &qe->ans);
}

/* A name below the apex that is not an address: listed by a domain list,
 * or else the negative answer rcode. */
static int
query_name(struct query_ctx *c, int rcode)
{
	struct query_engine *qe = c->qe;
	int rc;

	qe->ans.test_point = 0;
	qe->ans.nsources = qe->ans.ncodes = qe->ans.ntxt = 0;
	if (qe->txn == NULL)
		return query_servfail(c, -EINVAL);
	if ((rc = query_names(c, query_answer_flags(c) | ANSWER_ADD)) != 0)
		return query_servfail(c, rc);
	if (qe->ans.ncodes == 0)
		return query_negative(c, rcode);
	c->res = STATS_LISTED;
	qe->stats.listed++;
	query_put_listed(c, &qe->ans);
	if (c->w.an == 0)	/* listed, but nothing of this type */
		return query_negative(c, R_NOERROR);
	return R_NOERROR;
}

/* An address asked by a client whom a client ACL answers "always
 * listed" (its code and TXT) or "empty" (nothing), whatever the data. */
static int
query_acl_addr(struct query_ctx *c, unsigned flags)
{
	struct query_engine *qe = c->qe;

	clientacl_answer(&c->acl, flags, &qe->ans);
	if (qe->ans.ncodes == 0) {
		c->res = STATS_NOT_LISTED;
		return query_negative(c, c->zm.above ? R_NOERROR :
		    R_NXDOMAIN);
	}
	c->res = STATS_LISTED;
	qe->stats.listed++;
	query_put_listed(c, &qe->ans);
	if (c->w.an == 0)	/* listed, but nothing of this type */
		return query_negative(c, R_NOERROR);
	return R_NOERROR;
}

static int
query_addr(struct query_ctx *c)
{
	struct query_engine *qe = c->qe;
	unsigned flags = query_answer_flags(c);
	int rc;

	if (qe->txn == NULL)
		rc = -EINVAL;
	else if (c->acl.action == ACLCODE_ALWAYS ||
	    c->acl.action == ACLCODE_EMPTY)	/* every address, or none */
		return query_acl_addr(c, flags);
	else
		rc = answer_lookup_flags(&qe->actx, qe->txn, c->zm.zone,
		    &c->zm.addr, flags, &qe->ans);
	/* A zone may list names too: "2.0.0.127" is one. */
	if (rc == 0 && !qe->ans.test_point)
		rc = query_names(c, flags | ANSWER_ADD);
	if (rc != 0)
		return query_servfail(c, rc);
	c->res = qe->ans.ncodes == 0 ? STATS_NOT_LISTED : STATS_LISTED;
	if (qe->ans.ncodes == 0)
		return query_negative(c, c->zm.above ? R_NOERROR :
		    R_NXDOMAIN);
	qe->stats.listed++;
	query_put_listed(c, &qe->ans);
	if (c->w.an == 0)	/* listed, but nothing of this type */
		return query_negative(c, R_NOERROR);
	return R_NOERROR;
}

static int
query_resolve(struct query_ctx *c)
{
	if (zone_find(c->qe->zt, &c->m.qn, &c->zm) != 0)
		return R_REFUSED;
	c->zone = (long)c->zm.index;
	/* [server] and the zone's allow and deny: REFUSED, AA clear, as
	 * for a zone we do not serve (docs/dns.md). */
	if (!acl_set_permits(&c->qe->acl, c->zm.index, c->client)) {
		c->res = STATS_ACL_REFUSED;
		return R_REFUSED;
	}
	/* rbldnsd's acl: [server]'s verdict and the zone's (clientacl.h).
	 * Ignore: no answer; refuse: REFUSED, even the apex. */
	if (c->acl_rc == 0)
		c->acl_rc = clientacl_zone(&c->qe->cacl, c->qe->txn,
		    c->zm.index, c->client, &c->acl);
	if (c->acl_rc != 0)
		return query_fail(c, "client ACL lookup failed",
		    store_strerror(c->acl_rc));
	if (c->acl.action == ACLCODE_IGNORE)
		return Q_DROP;
	if (c->acl.action == ACLCODE_REFUSE) {
		c->res = STATS_ACL_REFUSED;
		return R_REFUSED;
	}
	c->qz = &c->qe->zones[c->zm.index];
	c->aa = 1;
	switch (c->zm.kind) {
	case ZONE_APEX:
		return query_apex(c);
	case ZONE_ADDR:
		if (c->zm.zone->type == CFG_ZONE_ASN)
			return query_origin(c);
		return query_addr(c);
	case ZONE_ABOVE:	/* an empty non-terminal (RFC 8020, 9156) */
		return query_name(c, R_NOERROR);
	default:
		return query_name(c, R_NXDOMAIN);
	}
}

/* ---- Static records ------------------------------------------------------ */

/* Where the TYPE of the RR at *pos is; *pos moves past the RR. Only for
 * RRs we wrote: a complete message, the owner a name or a pointer. */
static size_t
query_rr_fields(const struct query_ctx *c, size_t *pos)
{
	const uint8_t *b = c->w.buf;
	size_t p = *pos, f;

	while (b[p] != 0 && b[p] < 0xc0)
		p += 1 + (size_t)b[p];
	f = b[p] == 0 ? p + 1 : p + 2;
	*pos = f + 10 + rd16(b + f + 8);
	return f;
}

/* Is rr among the answers already? Then that one keeps the lesser TTL
 * of the two (rbldnsd answers a repeated RR once). */
static int
query_has_rr(struct query_ctx *c, size_t qend, const struct records_rr *rr)
{
	uint8_t *b = c->w.buf;
	size_t pos = qend, f;
	unsigned i;

	for (i = 0; i < c->w.an; i++) {
		f = query_rr_fields(c, &pos);
		if (rd16(b + f) != rr->type || rd16(b + f + 8) != rr->rdlen ||
		    memcmp(b + f + 10, rr->rdata, rr->rdlen) != 0)
			continue;
		if (((uint32_t)rd16(b + f + 4) << 16 | rd16(b + f + 6)) >
		    rr->ttl)
			wr32(b + f + 4, rr->ttl);
		return 1;
	}
	return 0;
}

/* Each type of the answers gets the least TTL among its RRs, as rbldnsd
 * gives merged answers (and RFC 2181 5.2 RRsets). */
static void
query_rrset_ttls(struct query_ctx *c, size_t qend)
{
	size_t pos = qend, f, p2, f2;
	uint32_t ttl, t;
	unsigned i, k;
	uint8_t *b = c->w.buf;

	for (i = 0; i < c->w.an; i++) {
		f = query_rr_fields(c, &pos);
		ttl = (uint32_t)rd16(b + f + 4) << 16 | rd16(b + f + 6);
		for (k = 0, p2 = qend; k < c->w.an; k++) {
			f2 = query_rr_fields(c, &p2);
			t = (uint32_t)rd16(b + f2 + 4) << 16 | rd16(b + f2 + 6);
			if (rd16(b + f2) == rd16(b + f) && t < ttl)
				ttl = t;
		}
		wr32(b + f + 4, ttl);
	}
}

/*
 * The zone's static records at the name (records.h) join what its data
 * answered, as rbldnsd merges its generic dataset with the others: the
 * name exists (no NXDOMAIN), its RRs of the type asked (all on ANY) are
 * added without repeats, and NODATA stays when none is of that type. A
 * name only above one with records is NODATA (RFC 8020). The rcode.
 */
static int
query_records(struct query_ctx *c, int rcode, size_t qend)
{
	struct records_set set;
	unsigned an;
	size_t i;

	if (c->w.full || (rcode != R_NOERROR && rcode != R_NXDOMAIN) ||
	    (c->w.an > 0 && c->w.ns > 0) || records_find(c->qe->recs,
	    c->zm.index, &c->m.qn, c->zm.zlabels, &set) != 0)
		return rcode;
	if (set.n == 0)		/* an empty non-terminal */
		return R_NOERROR;
	if (c->w.an == 0) {	/* a negative answer: its SOA goes */
		c->w.len = qend;
		c->w.ns = 0;
	}
	an = c->w.an;
	for (i = 0; i < set.n; i++) {
		if ((c->m.qtype != T_ANY && c->m.qtype != set.rr[i].type) ||
		    query_has_rr(c, qend, &set.rr[i]))
			continue;
		w_rr(&c->w, Q_HDR, set.rr[i].type, set.rr[i].ttl,
		    set.rr[i].rdlen);
		w_put(&c->w, set.rr[i].rdata, set.rr[i].rdlen);
		c->w.an++;
	}
	if (c->w.full)
		return R_NOERROR;
	if (an > 0)		/* the data's RRs and the records' */
		query_rrset_ttls(c, qend);
	if (c->w.an == 0)
		return query_negative(c, R_NOERROR);
	return R_NOERROR;
}

static void
query_count(struct query_stats *s, int rcode)
{
	switch (rcode) {
	case R_NOERROR:		s->noerror++;	break;
	case R_FORMERR:		s->formerr++;	break;
	case R_SERVFAIL:	s->servfail++;	break;
	case R_NXDOMAIN:	s->nxdomain++;	break;
	case R_NOTIMP:		s->notimp++;	break;
	case R_REFUSED:		s->refused++;	break;
	default:		s->badvers++;	break;
	}
}

/* The client's UDP limit: EDNS size (512 at least, RFC 6891 6.2.5),
 * capped by ours; 512 without EDNS. */
static size_t
query_limit(const struct query_ctx *c, size_t outcap,
    enum query_transport tr)
{
	size_t lim = QUERY_MAX_MSG;

	if (tr == QUERY_UDP) {
		lim = QUERY_UDP_PLAIN;
		if (c->opt && c->m.edns_size > lim)
			lim = c->m.edns_size < QUERY_EDNS_SIZE ?
			    c->m.edns_size : QUERY_EDNS_SIZE;
	}
	return lim < outcap ? lim : outcap;
}

static void
query_put_header(struct query_ctx *c, int rcode, int tc)
{
	const uint8_t *in = c->m.in;
	uint8_t *h = c->w.buf;

	h[0] = in[0];
	h[1] = in[1];
	h[2] = (uint8_t)(H_QR | (in[2] & (H_OPCODE | H_RD)) |
	    (c->aa ? H_AA : 0) | (tc ? H_TC : 0));
	h[3] = (uint8_t)((in[3] & H_CD) | (rcode & 0x0f));
	wr16(h + 4, c->echo ? 1 : 0);
	wr16(h + 6, c->w.an);
	wr16(h + 8, c->w.ns);
	wr16(h + 10, c->opt ? 1 : 0);
}

/* Header, question, OPT room: 0 if even that does not fit. */
static int
query_start(struct query_ctx *c, uint8_t *out, size_t outcap,
    enum query_transport tr)
{
	size_t qlen = c->echo ? c->m.qend - Q_HDR : 0;
	size_t optlen = c->opt ? Q_OPT_LEN : 0;

	c->w.buf = out;
	c->w.cap = query_limit(c, outcap, tr);
	c->w.len = Q_HDR;
	c->w.full = 0;
	c->w.an = c->w.ns = 0;
	if (Q_HDR + qlen + optlen > c->w.cap)
		return -ENOSPC;
	c->w.cap -= optlen;
	/* The question as sent: its case is echoed (RFC 4343). */
	memcpy(out + Q_HDR, c->m.in + Q_HDR, qlen);
	c->w.len += qlen;
	return 0;
}

size_t
query_answer(struct query_engine *qe, const uint8_t *in, size_t len,
    uint8_t *out, size_t outcap, enum query_transport tr,
    const struct rp_addr *client)
{
	struct query_ctx c;
	size_t qend;
	int rcode, tc = 0;

	qe->stats.queries++;
	if (len < Q_HDR || (in[2] & H_QR) || outcap < Q_HDR) {
		qe->stats.dropped++;		/* responses never get one */
		stats_malformed(qe->counters, tr);
		return 0;
	}
	c.qe = qe;
	c.client = client;
	c.aa = c.echo = c.opt = 0;
	c.zone = -1;
	c.res = STATS_NONE;
	/* rbldnsd's global acl: a client it ignores gets nothing, not even
	 * an error for a message we cannot read. */
	c.acl_rc = clientacl_global(&qe->cacl, qe->txn, client, &c.acl);
	if (c.acl.action == ACLCODE_IGNORE) {
		qe->stats.dropped++;
		return 0;
	}
	/* A FORMERR says nothing of a message we could not read. */
	if ((rcode = query_check(&c, in, len)) == R_FORMERR)
		c.echo = c.opt = 0;
	if (query_start(&c, out, outcap, tr) != 0) {
		qe->stats.dropped++;
		stats_malformed(qe->counters, tr);
		return 0;
	}
	qend = c.w.len;
	if (rcode == Q_GO)
		rcode = query_resolve(&c);
	if (rcode == Q_DROP) {		/* a zone's acl ignores the client */
		qe->stats.dropped++;
		return 0;
	}
	if (c.aa && records_any(qe->recs))
		rcode = query_records(&c, rcode, qend);
	if (c.w.full) {		/* RFC 2181 9: TC, and no partial RRsets */
		c.w.len = qend;
		c.w.full = 0;
		c.w.an = c.w.ns = 0;
		tc = 1;
		qe->stats.truncated++;
	}
	if (c.opt) {
		c.w.cap += Q_OPT_LEN;
		query_put_opt(&c, rcode);
	}
	query_put_header(&c, rcode, tc);
	query_count(&qe->stats, rcode);
	/* The question's type only when it was read (echo). */
	stats_count(qe->counters, c.zone, tr, c.echo ? c.m.qtype : -1, rcode,
	    tc, c.res);
	return c.w.len;
}
