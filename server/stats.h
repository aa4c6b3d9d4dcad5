/* stats.h -- the daemon's counters, per zone and in total: queries by
 * transport and type, rcodes, listed or not, truncations, rate limiting,
 * refusals, malformed messages, lookup errors, and a latency histogram.
 * struct server owns one; the query path, listen.c and the rate limiter
 * count into it with the inline functions below (array increments: no
 * lock, no allocation, loop thread only); control.c (reputectl stats)
 * and metrics.c (/metrics) read it. Counters only grow while the daemon
 * runs: a reload keeps those of zones still configured, and folds those
 * of removed zones into the totals. */
#ifndef REPUTED_STATS_H
#define REPUTED_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "query.h"

struct listen_stats;

#define STATS_TRANSPORTS	2	/* enum query_transport: UDP, TCP */

/* Query types counted apart; the rest is "other". "none": a message
 * whose question could not be read (malformed, FORMERR). */
enum stats_qtype {
	STATS_QT_A, STATS_QT_NS, STATS_QT_CNAME, STATS_QT_SOA, STATS_QT_PTR,
	STATS_QT_MX, STATS_QT_TXT, STATS_QT_AAAA, STATS_QT_SRV, STATS_QT_ANY,
	STATS_QT_OTHER, STATS_QT_NONE,
	STATS_NQTYPES
};

/* The rcodes reputed answers with (BADVERS is the extended 16). */
enum stats_rcode {
	STATS_RC_NOERROR, STATS_RC_FORMERR, STATS_RC_SERVFAIL,
	STATS_RC_NXDOMAIN, STATS_RC_NOTIMP, STATS_RC_REFUSED,
	STATS_RC_BADVERS, STATS_RC_OTHER,
	STATS_NRCODES
};

/* What the lookup of an answered query gave, if it made one. */
enum stats_result {
	STATS_NONE = 0,		/* no address looked up (apex, errors) */
	STATS_LISTED,		/* an address with an answer */
	STATS_NOT_LISTED,	/* an address without one */
	STATS_LOOKUP_ERROR,	/* the store or a geo database failed:
				 * SERVFAIL */
	STATS_ACL_REFUSED	/* the client may not ask: REFUSED */
};

/* Latency buckets: bucket i < STATS_BUCKETS - 1 holds what took at most
 * 2^i microseconds (and more than 2^(i-1)); the last one, the rest. */
#define STATS_BUCKETS		22	/* 1 us .. 2^20 us (1.05 s); +Inf */

/* One set of counters: a zone's, or the traffic of no zone. */
struct stats_counters {
	uint64_t	queries[STATS_TRANSPORTS][STATS_NQTYPES];
	uint64_t	rcodes[STATS_TRANSPORTS][STATS_NRCODES];
	uint64_t	listed, not_listed, lookup_errors;
	uint64_t	truncated;	/* UDP answers sent with TC=1 */
	uint64_t	malformed;	/* dropped unanswered: too short, a
					 * response, no room for the question */
	uint64_t	rate_limited;	/* dropped by rate limiting */
	uint64_t	slipped;	/* ... sent truncated instead (slip) */
	uint64_t	acl_refused;	/* refused by allow/deny */
	uint64_t	bytes_in;	/* of the messages received */
	uint64_t	bytes_out;	/* of the answers sent (TCP: queued) */
};

struct stats_zone {
	char			*name;	/* as configured; yours */
	struct stats_counters	 c;
};

/* Time from receiving a UDP batch to sending its answers (each of its
 * queries is one observation), or from reading a TCP message to queuing
 * its answer. */
struct stats_hist {
	uint64_t	bucket[STATS_BUCKETS];	/* not cumulative */
	uint64_t	count;
	uint64_t	sum_ns;
};

struct stats {
	struct stats_zone	*zones;	/* as cfg->zones, nzones */
	size_t			 nzones;
	struct stats_counters	 unmatched; /* outside every zone, or no
					     * question read */
	struct stats_counters	 retired; /* of zones a reload removed */
	struct stats_hist	 latency[STATS_TRANSPORTS];
	time_t			 started; /* wall clock, for uptime */
	uint64_t		 reloads; /* stats_set_zones() calls */
	long			 last_zone; /* of the last stats_count() */
	/* Counters listen.c keeps; NULL when there are no sockets. */
	const struct listen_stats *listen;
};

/*
 * Zeroed counters for cfg's zones, st caller-embedded: 0, or -ENOMEM
 * with nothing to free. stats_fini() frees what stats_init() took (and
 * accepts a zeroed st).
 */
int	stats_init(struct stats *st, const struct cfg *cfg);
void	stats_fini(struct stats *st);

/*
 * The zones of a new configuration (on reload): a zone of the same name
 * keeps its counters, whatever its place; a zone no longer configured
 * has its counters added to retired, so totals never go back. Call it
 * where no query is being answered, with the query engine for cfg then
 * taking over. 0, or -ENOMEM with st unchanged.
 */
int	stats_set_zones(struct stats *st, const struct cfg *cfg);

/* Every zone, the unmatched and the retired counters added up. */
void	stats_total(const struct stats *st, struct stats_counters *out);

/* Sums over one dimension of a set of counters. */
uint64_t stats_queries(const struct stats_counters *c);
uint64_t stats_queries_by(const struct stats_counters *c,
	    enum query_transport tr);
uint64_t stats_qtype_all(const struct stats_counters *c, unsigned qtype);
uint64_t stats_rcode_all(const struct stats_counters *c, unsigned rcode);

/* Names for output: "A", "TXT", "other", "none"; "NOERROR", "BADVERS";
 * "udp", "tcp". */
const char	*stats_qtype_name(unsigned qtype);
const char	*stats_rcode_name(unsigned rcode);
const char	*stats_transport_name(unsigned tr);

/* The upper bound of latency bucket i in microseconds; 0 for the last
 * one, which has none. */
uint64_t stats_bucket_us(unsigned i);

/* ---- Counting: the hot path ------------------------------------------- */

static inline unsigned
stats_qtype_index(int qtype)
{
	switch (qtype) {
	case 1:		return STATS_QT_A;
	case 2:		return STATS_QT_NS;
	case 5:		return STATS_QT_CNAME;
	case 6:		return STATS_QT_SOA;
	case 12:	return STATS_QT_PTR;
	case 15:	return STATS_QT_MX;
	case 16:	return STATS_QT_TXT;
	case 28:	return STATS_QT_AAAA;
	case 33:	return STATS_QT_SRV;
	case 255:	return STATS_QT_ANY;
	case -1:	return STATS_QT_NONE;
	default:	return STATS_QT_OTHER;
	}
}

static inline unsigned
stats_rcode_index(int rcode)
{
	if (rcode >= 0 && rcode <= 5)
		return (unsigned)rcode;
	return rcode == 16 ? STATS_RC_BADVERS : STATS_RC_OTHER;
}

/* The counters of zone (an index into cfg->zones; negative: none). */
static inline struct stats_counters *
stats_block(struct stats *st, long zone)
{
	if (zone >= 0 && (size_t)zone < st->nzones)
		return &st->zones[zone].c;
	return &st->unmatched;
}

/*
 * One answered query: its zone (negative: none), transport, query type
 * (-1: no question read), rcode, whether it went out truncated, and what
 * its lookup gave. st may be NULL (nothing is counted).
 */
static inline void
stats_count(struct stats *st, long zone, enum query_transport tr,
    int qtype, int rcode, int tc, enum stats_result res)
{
	struct stats_counters *c;

	if (st == NULL)
		return;
	st->last_zone = zone;
	c = stats_block(st, zone);
	c->queries[tr][stats_qtype_index(qtype)]++;
	c->rcodes[tr][stats_rcode_index(rcode)]++;
	c->truncated += (unsigned)tc;
	switch (res) {
	case STATS_LISTED:		c->listed++;		break;
	case STATS_NOT_LISTED:		c->not_listed++;	break;
	case STATS_LOOKUP_ERROR:	c->lookup_errors++;	break;
	case STATS_ACL_REFUSED:		c->acl_refused++;	break;
	default:						break;
	}
}

/* A message dropped unanswered because it could not be read. */
static inline void
stats_malformed(struct stats *st, enum query_transport tr)
{
	if (st == NULL)
		return;
	st->unmatched.queries[tr][STATS_QT_NONE]++;
	st->unmatched.malformed++;
}

/* The answer last counted (its zone's), which the rate limiter dropped,
 * or (slipped) sent truncated in its place. */
static inline void
stats_rate_limited(struct stats *st, int slipped)
{
	struct stats_counters *c;

	if (st == NULL)
		return;
	c = stats_block(st, st->last_zone);
	if (slipped)
		c->slipped++;
	else
		c->rate_limited++;
}

/*
 * The sizes of the message just handed to query_answer() (in bytes) and
 * of its answer as sent (out; 0 when none went out): to the zone of the
 * answer last counted, or (answered 0: query_answer() returned 0, the
 * message was counted as malformed) to the unmatched counters.
 */
static inline void
stats_traffic(struct stats *st, int answered, size_t in, size_t out)
{
	struct stats_counters *c;

	if (st == NULL)
		return;
	c = answered ? stats_block(st, st->last_zone) : &st->unmatched;
	c->bytes_in += in;
	c->bytes_out += out;
}

/* Bucket of ns nanoseconds: the least i with ceil(ns / 1000) <= 2^i. */
static inline unsigned
stats_bucket_of(uint64_t ns)
{
	uint64_t us = (ns + 999) / 1000;
	unsigned i;

	if (us <= 1)
		return 0;
	i = 64 - (unsigned)__builtin_clzll(us - 1);
	return i < STATS_BUCKETS - 1 ? i : STATS_BUCKETS - 1;
}

/* n queries answered ns nanoseconds after they were received. */
static inline void
stats_latency(struct stats *st, enum query_transport tr, uint64_t ns,
    unsigned n)
{
	struct stats_hist *h;

	if (st == NULL || n == 0)
		return;
	h = &st->latency[tr];
	h->bucket[stats_bucket_of(ns)] += n;
	h->count += n;
	h->sum_ns += ns * n;
}

#endif
