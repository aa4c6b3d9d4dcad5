/* listen.h -- the daemon's sockets: UDP and TCP on every listen address,
 * on the loop thread. Messages go to one answer function; this module
 * knows framing, flow control and limits, not DNS. */
#ifndef REPUTED_LISTEN_H
#define REPUTED_LISTEN_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "cidr.h"
#include "config.h"
#include "query.h"

/*
 * Answer the message in[0, len) from client into out (outcap bytes): the
 * response's length, or 0 to send nothing. Called for every UDP datagram
 * and every TCP message, in the order they arrive.
 */
typedef size_t	listen_answer_fn(void *arg, const uint8_t *in, size_t len,
		    uint8_t *out, size_t outcap, enum query_transport tr,
		    const struct rp_addr *client);

struct rrl;

/*
 * TCP limits. A new connection over tcp_clients, or over tcp_per_client
 * from one client (an IPv4 address, an IPv6 /64), closes the least
 * recently active connection (of all, or of that client) to make room:
 * slow or stale connections cannot lock others out. A connection is
 * closed after idle_ms without a whole message, lifetime_ms after it
 * was accepted, and after max_queries answers (written out first; then
 * the server half-closes and reads to the client's EOF, so no answer is
 * lost to a reset).
 */
struct listen_limits {
	unsigned	tcp_clients;
	unsigned	tcp_per_client;
	uint64_t	idle_ms;
	uint64_t	lifetime_ms;	/* 0: no limit */
	unsigned	max_queries;	/* 0: no limit */
};

/* The limits [server] sets (tcp-clients, tcp-clients-per-ip,
 * tcp-idle-timeout, tcp-timeout, tcp-max-queries). */
void	listen_limits_cfg(struct listen_limits *lim,
	    const struct cfg_server *cs);

/* Counters since listen_new(). */
struct listen_stats {
	uint64_t	udp_in;		/* datagrams received */
	uint64_t	udp_out;	/* answers sent */
	uint64_t	udp_send_failed; /* answers the kernel refused */
	uint64_t	udp_recv_failed; /* receive errors, oversized */
	uint64_t	udp_rate_limited; /* answers rrl dropped or slipped */
	uint64_t	tcp_accepted;
	uint64_t	tcp_refused;	/* closed at once: accept failed */
	uint64_t	tcp_evicted;	/* closed for a newer: tcp-clients */
	uint64_t	tcp_evicted_client; /* the same: tcp-clients-per-ip */
	uint64_t	tcp_timeouts;	/* closed for idling */
	uint64_t	tcp_expired;	/* closed at tcp-timeout */
	uint64_t	tcp_max_queries; /* closed after tcp-max-queries */
	uint64_t	tcp_in;		/* messages received */
	uint64_t	tcp_out;	/* answers queued */
	unsigned	tcp_open;	/* connections open now */
};

struct listen_set;

/*
 * An empty set of sockets on loop, handing messages to answer(arg, ...),
 * under the TCP limits lim (copied). 0 with *out yours (listen_close()
 * it), or -ENOMEM.
 */
int	listen_new(struct listen_set **out, uv_loop_t *loop,
	    listen_answer_fn *answer, void *arg,
	    const struct listen_limits *lim);

/*
 * Bind UDP and TCP on addr ("192.0.2.1:53" or "[2001:db8::1]:53", as
 * the configuration checks it) and start serving. An IPv6 socket is
 * IPv6-only, so [::]:53 and 0.0.0.0:53 can both be listed. 0, -EINVAL
 * for a malformed address, or the bind/listen error; on failure the
 * handles made for addr are closing and ls is still usable.
 */
int	listen_add(struct listen_set *ls, const char *addr);

/* New limits (on reload); open connections take them on at their next
 * message. */
void	listen_set_limits(struct listen_set *ls,
	    const struct listen_limits *lim);

/* Rate-limit UDP answers with rrl (rrl.h; not owned, NULL: none). TCP
 * answers are never limited. */
void	listen_set_rrl(struct listen_set *ls, struct rrl *rrl);

const struct listen_stats *listen_stats(const struct listen_set *ls);

/* Count latency (and rate-limited answers, per zone) in st (stats.h;
 * not owned, NULL: not counted). */
struct stats;
void	listen_set_stats(struct listen_set *ls, struct stats *st);

/* Log every UDP answer sent and every TCP answer queued to ql
 * (querylog.h; not owned, NULL: no log). */
struct querylog;
void	listen_set_querylog(struct listen_set *ls, struct querylog *ql);

/*
 * Close every socket and connection (queued TCP answers are dropped).
 * ls is freed once libuv has closed the last handle, so run the loop
 * until it returns afterwards. Accepts NULL.
 */
void	listen_close(struct listen_set *ls);

#endif
