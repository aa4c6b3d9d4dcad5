/* georeload.c -- replaced geo databases opened and checked on a libuv
 * worker thread, swapped in on the loop thread. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "georeload.h"
#include "log.h"

void
georeload_init(struct georeload *gr, uv_loop_t *loop)
{
	memset(gr, 0, sizeof(*gr));
	gr->loop = loop;
	gr->work.data = gr;
}

/* On the worker: only gr->rl, which the loop leaves alone until
 * georeload_done(), and gr->took, read there. */
static void
georeload_work(uv_work_t *w)
{
	struct georeload *gr = w->data;
	uint64_t began = uv_hrtime();

	geo_reload_prepare(gr->rl);
	gr->took = uv_hrtime() - began;
}

/* Back on the loop, between two messages: no lookup is under way, so
 * the swap (and closing the databases replaced) is safe here. */
static void
georeload_done(uv_work_t *w, int status)
{
	struct georeload *gr = w->data;
	struct geo_reload *rl = gr->rl;
	char why[2100];
	int rc;

	gr->rl = NULL;
	if (status != 0 || gr->drop) {
		log_debug("geo: replaced database check %s",
		    status == UV_ECANCELED ? "cancelled" : gr->stopped ?
		    "ended at shutdown, dropped" :
		    "dropped: the databases were opened afresh");
		geo_reload_free(rl);
		gr->drop = 0;
		return;
	}
	rc = geo_reload_apply(gr->geo, rl, why, sizeof(why));
	geo_reload_free(rl);
	if (rc < 0)
		log_warnx("geo: replaced database refused: %s; still serving "
		    "the previous one", why);
	else if (rc > 0)
		log_info("geo: reloaded %d replaced database(s), %zu bytes "
		    "mapped (opened and checked in %.1f ms on a "
		    "worker thread)", rc, geo_mapped_size(gr->geo),
		    (double)gr->took / 1e6);
}

void
georeload_start(struct georeload *gr, struct geo *g)
{
	struct geo_reload *rl;
	int rc;

	if (g == NULL || gr->rl != NULL || gr->stopped)
		return;
	if ((rc = geo_reload_check(g, &rl)) <= 0) {
		if (rc < 0)
			log_warnx("geo: looking for replaced databases: %s",
			    strerror(-rc));
		return;
	}
	gr->geo = g;
	gr->rl = rl;
	gr->drop = 0;
	gr->took = 0;
	if ((rc = uv_queue_work(gr->loop, &gr->work, georeload_work,
	    georeload_done)) != 0) {
		gr->rl = NULL;
		geo_reload_free(rl);
		log_warnx("geo: cannot check replaced databases: %s",
		    uv_strerror(rc));
		return;
	}
	log_debug("geo: a database file changed: opening and checking it on "
	    "a worker thread");
}

int
georeload_busy(const struct georeload *gr)
{
	return gr->rl != NULL;
}

void
georeload_forget(struct georeload *gr)
{
	if (gr->rl != NULL)
		gr->drop = 1;
	gr->geo = NULL;
}

void
georeload_stop(struct georeload *gr)
{
	gr->stopped = 1;
	if (gr->rl == NULL)
		return;
	gr->drop = 1;
	/* Fails once the worker runs it: georeload_done() comes after. */
	if (uv_cancel((uv_req_t *)&gr->work) == 0)
		log_debug("geo: shutting down: cancelling the replaced "
		    "database check");
	else
		log_debug("geo: shutting down: waiting for the replaced "
		    "database check under way");
}
