/* querylog.h -- the query log, in rbldnsd's format (its -l): one line per
 * answer sent, "<unixtime> <client> <qname> <QTYPE> <QCLASS>:
 * <RCODE>/<ancount>/<bytes>", written on the loop thread with buffered
 * stdio. listen.c writes a line for every UDP answer it sends and every
 * TCP answer it queues; the daemon reopens the file on SIGHUP. */
#ifndef REPUTED_QUERYLOG_H
#define REPUTED_QUERYLOG_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"

/* Longest line querylog_format() writes, newline and NUL included: a
 * name of 255 bytes each escaped as \DDD, and the rest. */
#define QUERYLOG_LINE_MAX	(255 * 4 + 160)

struct querylog;

/*
 * Open the log at path ("-": standard output), appending, created mode
 * 0644. flush: write each line at once (rbldnsd's "+"), else buffer
 * (flushed by querylog_flush() and when full). 0 with *out yours
 * (querylog_close() it); -ENOMEM; or -errno when the file cannot be
 * opened, logged as a warning, with *out NULL: the caller goes on
 * without a log (rbldnsd warns and does the same).
 */
int	querylog_open(struct querylog **out, const char *path, int flush);

/* Flush and close (standard output is only flushed). Accepts NULL. */
void	querylog_close(struct querylog *ql);

/* Write out what is buffered (the daemon does every 10 seconds). */
void	querylog_flush(struct querylog *ql);

/*
 * Log the answer reply[0, len) to client. An answer without a question
 * (FORMERR to a message whose question could not be read, which
 * rbldnsd drops unanswered) is not logged. A failed write loses lines
 * and is warned about once a minute at most.
 */
void	querylog_reply(struct querylog *ql, const struct rp_addr *client,
	    const uint8_t *reply, size_t len);

/*
 * The line for reply[0, len) sent to client at unix time now, newline
 * ended, into buf (cap bytes, QUERYLOG_LINE_MAX will do): its length,
 * or 0 if the reply has no readable question (or cap is too small).
 * The name is the question's as the client wrote it (the answer echoes
 * it), escaped as rbldnsd does (\. \; \" \\ \@ \$, \DDD for bytes
 * outside 0x21-0x7e), "." for the root; types, classes and rcodes by
 * rbldnsd's names (NOTIMPL, type65, class5 for those it has none for).
 */
size_t	querylog_format(char *buf, size_t cap, int64_t now,
	    const struct rp_addr *client, const uint8_t *reply, size_t len);

#endif
