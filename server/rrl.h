/* rrl.h -- response rate limiting (RRL, in the manner of BIND and Knot):
 * identical UDP answers to one client prefix, at most rate-limit a
 * second; the rest dropped, every slip-th of them sent truncated (TC=1)
 * so a real client retries over TCP. Loop thread only; a fixed-size
 * table, no allocation and O(1) work per answer. */
#ifndef REPUTED_RRL_H
#define REPUTED_RRL_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "config.h"

/* Entries of the table: 4-way sets, 16 bytes each (1 MiB). */
#define RRL_SLOTS	65536

enum rrl_verdict {
	RRL_SEND = 0,		/* send the answer as it is */
	RRL_DROP,		/* send nothing */
	RRL_SLIP		/* send rrl_slip()'s truncated answer */
};

/* Counters since rrl_new() (a reload keeps them). */
struct rrl_stats {
	uint64_t	checked;	/* answers counted against a limit */
	uint64_t	exempt;		/* answers to rate-limit-exempt */
	uint64_t	rate_limited_dropped;	/* not sent */
	uint64_t	rate_limited_slipped;	/* sent truncated instead */
	uint64_t	evicted;	/* live entries pushed out */
};

struct rrl;

/*
 * A limiter with the rate-limit, rate-limit-slip and rate-limit-exempt
 * of cs (copied). The table is allocated only while rate-limit is not
 * 0. 0 with *out yours (rrl_free() it), or -ENOMEM.
 */
int	rrl_new(struct rrl **out, const struct cfg_server *cs);

/* New settings (on reload); the table and counters are kept. 0, or
 * -ENOMEM with the old settings still in force. */
int	rrl_configure(struct rrl *rrl, const struct cfg_server *cs);

void	rrl_free(struct rrl *rrl);		/* accepts NULL */

/*
 * The fate of the UDP answer resp[0, len) to client at now_ms (any
 * monotonic clock in milliseconds). Answers are alike when they answer
 * the same client prefix (IPv4 /24, IPv6 /56) with the same kind
 * (listed, NODATA, NXDOMAIN: per query name and type; REFUSED and
 * errors: one kind each, whatever the name); each kind earns rate-limit
 * tokens a second, at most one second's worth saved, and an answer
 * without a token is dropped or slipped. Never fails.
 */
enum rrl_verdict rrl_check(struct rrl *rrl, const struct rp_addr *client,
	    const uint8_t *resp, size_t len, uint64_t now_ms);

/*
 * Rewrite the answer resp[0, len) in place as its slipped form: the
 * header with TC=1 and the question, nothing else (no OPT either). The
 * new length (at most len).
 */
size_t	rrl_slip(uint8_t *resp, size_t len);

const struct rrl_stats *rrl_stats(const struct rrl *rrl);

#endif
