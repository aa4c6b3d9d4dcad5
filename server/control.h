/* control.h -- the daemon's side of the control socket (ctlsock.h says
 * what it answers): a Unix socket served on the loop. */
#ifndef REPUTED_CONTROL_H
#define REPUTED_CONTROL_H

#include <jansson.h>
#include <uv.h>

#include "stats.h"

#define CONTROL_CONNS	8	/* at once; more are closed at once */

struct control;

/*
 * Listen on the Unix socket path, answering from st (which must outlive
 * it), on loop. A socket file left by a daemon that died is replaced; a
 * live one (another reputed answers on it) is -EADDRINUSE, anything
 * else at path -EEXIST. The socket is mode 0660; started as root with
 * user (may be NULL), it is chowned to user and its group so that the
 * daemon still owns it after dropping privileges. 0 with *out yours
 * (control_close() it), or a negative code (uv_* for bind/listen; a
 * handle may be closing, freed as the loop runs).
 */
int	control_open(struct control **out, uv_loop_t *loop, const char *path,
	    const char *user, const struct stats *st);

/* Stop listening, close every connection and remove the socket file (if
 * allowed). Memory goes once libuv has closed the handles: run the loop
 * afterwards. Accepts NULL. */
void	control_close(struct control *c);

/* The "stats" answer for st (see ctlsock.h): a new reference, or NULL
 * when out of memory. */
json_t	*control_stats_json(const struct stats *st);

#endif
