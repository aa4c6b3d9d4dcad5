/* query.h -- answering one DNS message: the per-packet hot path. Runs on
 * the loop thread only; never allocates per packet. */
#ifndef REPUTED_QUERY_H
#define REPUTED_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "store.h"

/* Our EDNS UDP payload size, and the classic limit without EDNS. */
#define QUERY_EDNS_SIZE		1232
#define QUERY_UDP_PLAIN		512
/* Largest message we build (TCP). */
#define QUERY_MAX_MSG		65535

enum query_transport {
	QUERY_UDP = 0,
	QUERY_TCP = 1
};

/* Counters, for logs and statistics. */
struct query_stats {
	uint64_t	queries;	/* messages handed to query_answer */
	uint64_t	noerror, nxdomain, refused, formerr, servfail;
	uint64_t	notimp, badvers;
	uint64_t	dropped;	/* not answered (responses, garbage) */
	uint64_t	truncated;	/* UDP answers sent with TC=1 */
	uint64_t	listed;		/* address lookups that were listed */
};

struct query_engine;
struct geo;

/*
 * Build an engine for the zones of cfg (which must outlive it).
 * 0 with *out yours (query_engine_free() it), or -ENOMEM/-EINVAL.
 */
int	query_engine_new(struct query_engine **out, const struct cfg *cfg);
void	query_engine_free(struct query_engine *qe);	/* accepts NULL */

/*
 * Answer origin zones (type asn) and listings by ASN and country from
 * geo (not owned; NULL: origin lookups answer SERVFAIL, and those
 * listings match nothing). It must outlive its use by the engine.
 */
void	query_engine_set_geo(struct query_engine *qe, struct geo *geo);

/*
 * Use read transaction t for the following query_answer() calls, until
 * the next query_engine_begin() (call it once per batch of packets,
 * after store_txn_renew()). Reads the SOA serial once per batch. t may be
 * NULL (the renewal failed): lookups then answer SERVFAIL.
 */
void	query_engine_begin(struct query_engine *qe, struct store_txn *t);

/*
 * Answer the DNS message in[0, len). Writes the response to out (outcap
 * bytes, at least QUERY_MAX_MSG for TCP, QUERY_EDNS_SIZE for UDP) and
 * returns its length, or 0 when nothing must be sent (a response, a
 * packet too short for a header). A UDP answer larger than the client's
 * limit (EDNS payload size, capped at QUERY_EDNS_SIZE, else 512) is
 * truncated with TC=1. Never fails: store errors give SERVFAIL.
 * client is who asked: one that the allow and deny lists of [server] or
 * of the zone asked about keep out gets REFUSED (acl.h); the client-acl
 * of [server] and of the zone may ignore it (0: nothing to send; counted
 * as dropped), refuse it, or answer its address queries "not listed" or
 * "always listed" (clientacl.h). NULL, for callers without a client
 * (tests, fuzzing), is let in everywhere.
 */
size_t	query_answer(struct query_engine *qe, const uint8_t *in, size_t len,
	    uint8_t *out, size_t outcap, enum query_transport tr,
	    const struct rp_addr *client);

const struct query_stats *query_engine_stats(const struct query_engine *qe);

/*
 * Count every message in st (stats.h; not owned, NULL: nothing), per
 * zone by the index of the zone in cfg->zones: st's zones must be those
 * of the engine's cfg (stats_set_zones() on reload).
 */
struct stats;
void	query_engine_set_stats(struct query_engine *qe, struct stats *st);

#endif
