/* metrics.h -- the statistics in Prometheus' text format, served over a
 * minimal HTTP/1.x listener on the daemon's loop ([server] metrics). */
#ifndef REPUTED_METRICS_H
#define REPUTED_METRICS_H

#include <stdio.h>

#include <uv.h>

#include "stats.h"

/* Requests are bounded: MAX bytes of request line and headers, TIMEOUT
 * milliseconds from accepting to closing, CONNS at once (more are closed
 * at once). */
#define METRICS_REQUEST_MAX	4096
#define METRICS_TIMEOUT_MS	5000
#define METRICS_CONNS		16

struct metrics;

/*
 * Serve st (which must outlive the listener) at GET /metrics on addr
 * ("127.0.0.1:9153", "[::1]:9153"), on loop. Every other path is 404,
 * another method 405; each connection closes after its response.
 * 0 with *out yours (metrics_close() it), -EINVAL for a malformed
 * address, -ENOMEM, or libuv's bind/listen error (then nothing is left
 * open but handles closing, freed as the loop runs).
 */
int	metrics_open(struct metrics **out, uv_loop_t *loop, const char *addr,
	    const struct stats *st);

/* Stop listening and close every connection; the memory goes once libuv
 * has closed the handles, so run the loop afterwards. Accepts NULL. */
void	metrics_close(struct metrics *m);

/* Write st as Prometheus text exposition (format 0.0.4) to f: every
 * metric named reputed_*, with # HELP and # TYPE. 0, or -EIO. */
int	metrics_render(const struct stats *st, FILE *f);

#endif
