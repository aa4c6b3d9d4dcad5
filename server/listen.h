/* listen.h -- the daemon's sockets: UDP and TCP on every listen address,
 * on the loop thread. Messages go to one answer function; this module
 * knows framing, flow control and limits, not DNS. */
#ifndef REPUTED_LISTEN_H
#define REPUTED_LISTEN_H

#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "query.h"

/*
 * Answer the message in[0, len) into out (outcap bytes): the response's
 * length, or 0 to send nothing. Called for every UDP datagram and every
 * TCP message, in the order they arrive.
 */
typedef size_t	listen_answer_fn(void *arg, const uint8_t *in, size_t len,
		    uint8_t *out, size_t outcap, enum query_transport tr);

/* Counters since listen_new(). */
struct listen_stats {
	uint64_t	udp_in;		/* datagrams received */
	uint64_t	udp_out;	/* answers sent */
	uint64_t	udp_send_failed; /* answers the kernel refused */
	uint64_t	udp_recv_failed; /* receive errors, oversized */
	uint64_t	tcp_accepted;
	uint64_t	tcp_refused;	/* closed at once: over tcp-clients */
	uint64_t	tcp_timeouts;	/* closed for idling */
	uint64_t	tcp_in;		/* messages received */
	uint64_t	tcp_out;	/* answers queued */
	unsigned	tcp_open;	/* connections open now */
};

struct listen_set;

/*
 * An empty set of sockets on loop, handing messages to answer(arg, ...).
 * TCP allows max_clients connections at once and closes one idle for
 * idle_ms. 0 with *out yours (listen_close() it), or -ENOMEM.
 */
int	listen_new(struct listen_set **out, uv_loop_t *loop,
	    listen_answer_fn *answer, void *arg, unsigned max_clients,
	    uint64_t idle_ms);

/*
 * Bind UDP and TCP on addr ("192.0.2.1:53" or "[2001:db8::1]:53", as
 * the configuration checks it) and start serving. An IPv6 socket is
 * IPv6-only, so [::]:53 and 0.0.0.0:53 can both be listed. 0, -EINVAL
 * for a malformed address, or the bind/listen error; on failure the
 * handles made for addr are closing and ls is still usable.
 */
int	listen_add(struct listen_set *ls, const char *addr);

/* New limits (on reload); open connections keep running under them. */
void	listen_set_limits(struct listen_set *ls, unsigned max_clients,
	    uint64_t idle_ms);

const struct listen_stats *listen_stats(const struct listen_set *ls);

/*
 * Close every socket and connection (queued TCP answers are dropped).
 * ls is freed once libuv has closed the last handle, so run the loop
 * until it returns afterwards. Accepts NULL.
 */
void	listen_close(struct listen_set *ls);

#endif
