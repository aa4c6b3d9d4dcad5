/* ctlsock.h -- reputed's control socket, the contract between the daemon
 * (server/control.c serves it) and reputectl (the client side is here).
 *
 * A Unix stream socket, by default control.sock in the database
 * directory ([server] control-socket sets another path), mode 0660,
 * owned by [server] user when reputed drops to one. The client sends one
 * command line; the daemon answers one JSON document (compact, then a
 * newline) and closes. Commands:
 *
 *   stats\n    {"version": 1, "pid", "started", "uptime", "reloads",
 *               "total": C, "zones": {"NAME": C, ...}, "unmatched": C,
 *               "latency": {"udp": H, "tcp": H}, "sockets": {...}}
 *
 * where C is a set of counters: "queries", "qtypes" {"A": n, ...},
 * "rcodes" {"NOERROR": n, ...}, the same three under "udp" and "tcp",
 * and "listed", "not_listed", "lookup_errors", "truncated",
 * "rate_limited", "slipped", "acl_refused", "malformed"; and H a latency
 * histogram: "count", "sum_us", "buckets" [{"le_us": N or null, "count":
 * n}] (not cumulative). Anything else is answered {"error": "why"}.
 */
#ifndef REPUTED_CTLSOCK_H
#define REPUTED_CTLSOCK_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "config.h"

#define CTLSOCK_NAME		"control.sock"
#define CTLSOCK_VERSION		1
#define CTLSOCK_CMD_MAX		256	/* bytes of a command line */
#define CTLSOCK_REPLY_MAX	(16 * 1024 * 1024)
#define CTLSOCK_TIMEOUT_MS	5000

/*
 * The control socket's path for cfg into buf: [server] control-socket,
 * else control.sock in the database directory. 0, or -ENAMETOOLONG when
 * it does not fit buf or a sockaddr_un.
 */
int	ctlsock_path(const struct cfg *cfg, char *buf, size_t len);

/*
 * Send cmd (no newline) to the daemon at path and read its answer, each
 * step within CTLSOCK_TIMEOUT_MS. 0 with *out yours (json_decref() it);
 * else a negative code with the reason in err (errlen bytes): -ENOENT or
 * -ECONNREFUSED (reputed is not running), -ETIMEDOUT, -EPROTO (not JSON,
 * or the daemon's "error"), another -errno.
 */
int	ctlsock_request(const char *path, const char *cmd, json_t **out,
	    char *err, size_t errlen);

/* The answer to "stats" as aligned text: a column per zone. */
void	ctlsock_stats_print(FILE *f, json_t *stats);

#endif
