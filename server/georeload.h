/* georeload.h -- geo databases replaced on disk, picked up without
 * stalling the loop: the files' status is looked at on the loop thread,
 * a new file is opened and checked (the slow part) on a libuv worker
 * thread, and swapped in on the loop thread again, between two messages.
 * One reload is in flight at a time. */
#ifndef REPUTED_GEORELOAD_H
#define REPUTED_GEORELOAD_H

#include <stdint.h>

#include <uv.h>

#include "geo.h"

/* Caller-embedded; its fields are georeload.c's. */
struct georeload {
	uv_loop_t		*loop;
	uv_work_t		 work;
	struct geo		*geo;		/* the handle being reloaded */
	struct geo_reload	*rl;		/* NULL: none in flight */
	uint64_t		 took;		/* the worker's time, ns */
	int			 drop;		/* throw the result away */
	int			 stopped;	/* start no more */
};

void	georeload_init(struct georeload *gr, uv_loop_t *loop);

/*
 * On the loop thread: if a database file of g changed (a cheap stat()),
 * open and check the new one on a worker thread; once done, the loop
 * swaps it into g and logs "geo: reloaded ..." or, for a bad one,
 * "geo: replaced database refused: ...; still serving the previous one".
 * Does nothing while a reload is in flight, after georeload_stop(), or
 * for a NULL g. g must stay open until the reload ends or
 * georeload_forget() is called.
 */
void	georeload_start(struct georeload *gr, struct geo *g);

/* Is a reload in flight? */
int	georeload_busy(const struct georeload *gr);

/* The handle given to georeload_start() is about to be closed (SIGHUP
 * opened the databases afresh): a reload in flight is thrown away when
 * it ends, and never touches that handle. */
void	georeload_forget(struct georeload *gr);

/*
 * Shutdown: no more reloads. One queued but not started is cancelled;
 * one that runs ends on its worker (the check of a file: 80-170 ms for
 * a 16 MB ASN database) and is thrown away. Either way the loop must run on until it has
 * ended: uv_run() does, as the request keeps the loop alive. Nothing
 * leaks and g is not touched.
 */
void	georeload_stop(struct georeload *gr);

#endif
