/* main.c -- reputed: the DNS daemon answering DNSBL queries from the store. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "config.h"
#include "control.h"
#include "ctlsock.h"
#include "geo.h"
#include "georeload.h"
#include "listen.h"
#include "guard.h"
#include "log.h"
#include "metrics.h"
#include "privs.h"
#include "query.h"
#include "querylog.h"
#include "rbldnsd.h"
#include "rrl.h"
#include "stats.h"
#include "statsfile.h"
#include "store.h"

#define DEFAULT_CONF	"/etc/reputed.conf"
#define EXIT_USAGE	2	/* also configuration and store errors */
#define TICK_MS		10000	/* problem counters and replaced geo
				 * databases are checked this often */
#define STATS_TICKS	6	/* a debug statistics line every minute */

/* What the command line asked for. */
struct args {
	const char	*conf;
	int		 check;		/* -t */
	int		 verbose;
	int		 use_syslog;
};

/* Where the loop iteration's batch of messages is. */
enum batch {
	BATCH_NONE,		/* no message yet: txn is reset */
	BATCH_LIVE,		/* txn renewed, the engine reads it */
	BATCH_NOSTORE		/* renewing failed: lookups answer SERVFAIL */
};

/* The daemon's state: main owns it, every callback reaches it. */
struct server {
	struct args		 a;
	struct cfg		*cfg;
	struct query_engine	*qe;
	struct geo		*geo;	/* NULL: no [geoip] databases */
	struct georeload	 georeload;	/* replaced files, off-loop */
	struct store		*st;
	struct store_txn	*txn;	/* reset between batches */
	enum batch		 batch;
	uint64_t		 renew_failed;	/* batches without a snapshot */
	uint64_t		 renew_reported;
	unsigned		 ticks;
	struct listen_set	*ls;
	struct rrl		*rrl;		/* UDP rate limiting */
	struct privs		 privs;		/* run user, chroot */
	struct stats		 stats;		/* kept across reloads */
	struct metrics		*metrics;	/* NULL: no [server] metrics */
	struct control		*control;	/* NULL: no control socket */
	struct querylog		*qlog;		/* NULL: no query-log */
	struct statsfile	*sfile;		/* NULL: no stats-file */
	int64_t			 sfile_every;	/* its timer's seconds */
	uv_loop_t		 loop;
	uv_signal_t		 sig_hup, sig_term, sig_int;
	uv_prepare_t		 prepare;
	uv_check_t		 check;
	uv_timer_t		 tick;
	uv_timer_t		 sfile_timer;
	int			 stopping;
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: reputed [-v] [--syslog] [-c FILE]\n"
"       reputed -t [-c FILE]\n"
"\n"
"Serve the DNSBL zones of the configuration from the store that\n"
"reputed-import fills, over UDP and TCP on every listen address. Runs in\n"
"the foreground and logs to stderr. SIGHUP re-reads the configuration\n"
"(zones, codes, TXT templates, [geoip] databases); a geo database replaced\n"
"on disk is picked up within 10 seconds. SIGTERM or SIGINT stop it.\n"
"\n"
"  -c, --config FILE  configuration file (default " DEFAULT_CONF ")\n"
"  -t, --test         check the configuration, the store and the geo\n"
"                     databases, then exit\n"
"  -v, --verbose      debug logging (statistics every minute)\n"
"      --syslog       log to syslog (daemon facility) instead of stderr\n"
"  -h, --help         show this help\n"
"\n"
"Exit status: 0 after SIGTERM or a good check, 2 for usage, configuration\n"
"or store errors at startup.\n");
}

enum { OPT_SYSLOG = 256 };

/* Options into a; exits after --help or a usage error. */
static void
parse_args(struct args *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument, NULL, 'c' },
		{ "test",	no_argument,	   NULL, 't' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "syslog",	no_argument,	   NULL, OPT_SYSLOG },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	a->conf = DEFAULT_CONF;
	while ((ch = getopt_long(argc, argv, "c:tvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': a->conf = optarg; break;
		case 't': a->check = 1; break;
		case 'v': a->verbose++; break;
		case OPT_SYSLOG: a->use_syslog = 1; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(EXIT_USAGE);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "reputed: unexpected argument '%s'\n",
		    argv[optind]);
		usage(stderr);
		exit(EXIT_USAGE);
	}
}

/*
 * cfg_load(), with each problem logged as a warning: under --syslog the
 * file:line messages must reach the log, not a closed stderr.
 */
static int
server_cfg_load(const char *path, struct cfg **out)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if ((f = open_memstream(&text, &len)) == NULL)
		return -errno;
	rc = cfg_load(out, path, f);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		log_warnx("%s", line);
	free(text);
	return rc;
}

/* Why the store cannot be opened, in words an operator can act on. */
static void
store_problem(char *buf, size_t len, const char *path,
    const struct store *st, int rc)
{
	if (rc == -ENOENT)
		snprintf(buf, len, "no store at %s: run reputed-import first",
		    path);
	else if (rc == -EPROTO && st != NULL)
		snprintf(buf, len, "%s: %s (store version %" PRIu32 ", this "
		    "program knows version %" PRIu32 ")", path,
		    store_strerror(rc), store_found_version(st),
		    store_schema_version());
	else
		snprintf(buf, len, "%s: cannot open the store: %s", path,
		    store_strerror(rc));
}

/*
 * Open the store read-only with its one read transaction, left reset.
 * Read-only still takes a reader slot in lock.mdb, so imports run
 * alongside. 0, or a negative code with the reason in why.
 */
static int
server_open_store(struct server *srv, char *why, size_t len)
{
	const char *path = srv->cfg->server.database;
	struct store *st = NULL;
	uint32_t serial;
	int64_t changed;
	int rc;

	if ((rc = store_open(&st, path, STORE_RDONLY)) != 0) {
		store_problem(why, len, path, st, rc);
		store_close(st);
		return rc;
	}
	srv->st = st;
	{
		const void *map;
		size_t maplen;

		store_map_range(st, &map, &maplen);
		guard_store_faults("reputed", path, map, maplen);
	}
	if ((rc = store_txn_begin(st, 0, &srv->txn)) != 0 ||
	    (rc = store_serial(srv->txn, &serial, &changed)) != 0) {
		snprintf(why, len, "%s: cannot read the store: %s", path,
		    store_strerror(rc));
		return rc;
	}
	log_debug("store %s, serial %" PRIu32, path, serial);
	store_txn_reset(srv->txn);
	return 0;
}

/* ---- Geo databases ------------------------------------------------------ */

/* Open cfg's [geoip] databases into *out (NULL when none is set: geo
 * costs nothing then). 0, or a negative code with the reason in why. */
static int
server_open_geo(const struct cfg *cfg, struct geo **out, char *why,
    size_t len)
{
	const struct cfg_geoip *gc = &cfg->geoip;

	*out = NULL;
	if (gc->asn_db == NULL && gc->country_db == NULL)
		return 0;
	return geo_open(out, gc->asn_db, gc->country_db, why, len);
}

static void
server_geo_log(const struct server *srv)
{
	struct geo_db_info info;
	int r;

	for (r = GEO_ASN; srv->geo != NULL && r <= GEO_COUNTRY; r++)
		if (geo_db_info(srv->geo, (enum geo_role)r, &info) == 0)
			log_info("geo: %s (%s, built %" PRIu64 ", %zu bytes "
			    "mapped)", info.path, info.type, info.build_epoch,
			    info.mapped);
}

/* Warn about a source whose ASN or country listings the databases open
 * cannot match: they list nothing then. */
static void
server_geo_warn_source(struct server *srv, const struct cfg_zone *z,
    const char *name)
{
	static const struct { unsigned family; enum geo_role role;
	    const char *what, *key; } kinds[] = {
		{ RP_AF_ASN, GEO_ASN, "ASN", "asn-db" },
		{ RP_AF_COUNTRY, GEO_COUNTRY, "country", "country-db" },
	};
	struct store_source s;
	size_t i;

	if (store_source_get(srv->txn, name, &s) != 0)
		return;
	for (i = 0; i < 2; i++)
		if (!geo_has(srv->geo, kinds[i].role) &&
		    store_entry_has_family(srv->txn, s.id,
		    kinds[i].family) > 0)
			log_warnx("zone %s: source %s has %s listings but no "
			    "%s is configured in [geoip]: they match nothing",
			    z->name, name, kinds[i].what, kinds[i].key);
}

/* Every DNSBL zone's sources, in a snapshot of their own. */
static void
server_geo_warn(struct server *srv)
{
	const struct cfg_zone *z;
	size_t i, zi;

	if (store_txn_renew(srv->txn) != 0) {
		store_txn_reset(srv->txn);
		return;
	}
	for (zi = 0; zi < srv->cfg->nzones; zi++) {	/* zones may be NULL */
		z = &srv->cfg->zones[zi];
		for (i = 0; z->type == CFG_ZONE_DNSBL && i < z->nsources; i++)
			server_geo_warn_source(srv, z, z->sources[i]);
	}
	store_txn_reset(srv->txn);
}

/* ---- Batches: one read transaction per loop iteration ------------------ */

/*
 * Renew the read transaction for the messages of this loop iteration,
 * once, at the first one: it sees every import committed before it. If
 * that fails, the iteration's lookups answer SERVFAIL (query_engine_begin
 * with no transaction) and the next iteration tries again.
 */
static void
server_batch_begin(struct server *srv)
{
	if (store_txn_renew(srv->txn) == 0) {
		srv->batch = BATCH_LIVE;
		query_engine_begin(srv->qe, srv->txn);
		return;
	}
	srv->renew_failed++;
	/* A half-renewed transaction must be reset before the next try. */
	store_txn_reset(srv->txn);
	srv->batch = BATCH_NOSTORE;
	query_engine_begin(srv->qe, NULL);
}

/*
 * Reset it before the loop can block again (prepare) and once the
 * iteration's I/O is done (check): a snapshot held while idle would
 * hide new imports and pin the pages writers want to reuse.
 */
static void
server_batch_end(struct server *srv)
{
	if (srv->batch == BATCH_LIVE)
		store_txn_reset(srv->txn);
	srv->batch = BATCH_NONE;
}

static void
on_prepare(uv_prepare_t *h)
{
	server_batch_end(h->data);
}

static void
on_check(uv_check_t *h)
{
	server_batch_end(h->data);
}

/* listen.c's answer function: every UDP and TCP message comes here. */
static size_t
server_answer(void *arg, const uint8_t *in, size_t len, uint8_t *out,
    size_t outcap, enum query_transport tr, const struct rp_addr *client)
{
	struct server *srv = arg;

	if (srv->batch == BATCH_NONE)
		server_batch_begin(srv);
	return query_answer(srv->qe, in, len, out, outcap, tr, client);
}

/* ---- Reload ------------------------------------------------------------- */

/* The statistics' listeners stay as they were started, too. */
static void
reload_warn_stats(const struct cfg *old, const struct cfg *new)
{
	const char *o = old->server.metrics, *n = new->server.metrics;
	char op[128], np[128];

	if ((o == NULL) != (n == NULL) || (o != NULL && strcmp(o, n) != 0))
		log_warnx("reload: metrics changed; restart reputed to apply");
	if (ctlsock_path(old, op, sizeof(op)) == 0 &&
	    (ctlsock_path(new, np, sizeof(np)) != 0 || strcmp(op, np) != 0))
		log_warnx("reload: control-socket changed; restart reputed "
		    "to apply");
}

/* Settings a reload cannot apply: the sockets, store and user stay. */
static void
reload_warn_fixed(const struct cfg *old, const struct cfg *new)
{
	size_t i;
	int same = old->server.nlisten == new->server.nlisten;

	for (i = 0; same && i < old->server.nlisten; i++)
		same = strcmp(old->server.listen[i],
		    new->server.listen[i]) == 0;
	if (!same)
		log_warnx("reload: listen changed; restart reputed to apply");
	if (strcmp(old->server.database, new->server.database) != 0)
		log_warnx("reload: database changed; restart reputed to "
		    "apply");
	if ((old->server.user == NULL) != (new->server.user == NULL) ||
	    (old->server.user != NULL &&
	    strcmp(old->server.user, new->server.user) != 0))
		log_warnx("reload: user changed; restart reputed to apply");
	reload_warn_stats(old, new);
}

static void
server_apply_limits(struct server *srv)
{
	struct listen_limits lim;

	listen_limits_cfg(&lim, &srv->cfg->server);
	listen_set_limits(srv->ls, &lim);
	if (rrl_configure(srv->rrl, &srv->cfg->server) != 0)
		log_warnx("reload: rate limiting: out of memory; the "
		    "previous rate-limit settings stay");
}

/*
 * SIGHUP: build the new configuration and query engine beside the old
 * ones and swap only when both are good. It all happens between two
 * messages, so no query is dropped or answered half-old, half-new.
 */
static void
server_reload(struct server *srv)
{
	struct query_engine *qe;
	struct geo *geo;
	struct cfg *cfg;
	char why[1024];
	int rc;

	log_info("SIGHUP: reading %s", srv->a.conf);
	if ((rc = server_cfg_load(srv->a.conf, &cfg)) != 0) {
		log_warnx("reload failed: %s; still serving the previous "
		    "configuration", rc == -EINVAL ? "errors above" :
		    strerror(-rc));
		return;
	}
	privs_cfg_inside(&srv->privs, cfg);	/* chroot: paths inside */
	if (server_open_geo(cfg, &geo, why, sizeof(why)) != 0) {
		log_warnx("reload failed: %s; still serving the previous "
		    "configuration", why);
		cfg_free(cfg);
		return;
	}
	if ((rc = query_engine_new(&qe, cfg)) != 0) {
		log_warnx("reload failed: query engine: %s; still serving "
		    "the previous configuration", strerror(-rc));
		geo_close(geo);
		cfg_free(cfg);
		return;
	}
	query_engine_set_geo(qe, geo);
	/* Last of what may fail: it takes the new zones at once. */
	if (stats_set_zones(&srv->stats, cfg) != 0) {
		log_warnx("reload failed: statistics: out of memory; still "
		    "serving the previous configuration");
		query_engine_free(qe);
		geo_close(geo);
		cfg_free(cfg);
		return;
	}
	query_engine_set_stats(qe, &srv->stats);
	reload_warn_fixed(srv->cfg, cfg);
	/* The next message renews the snapshot and begins the new engine. */
	server_batch_end(srv);
	query_engine_free(srv->qe);
	georeload_forget(&srv->georeload);	/* the new files are open */
	geo_close(srv->geo);
	cfg_free(srv->cfg);
	srv->qe = qe;
	srv->geo = geo;
	srv->cfg = cfg;
	server_geo_log(srv);
	server_geo_warn(srv);
	server_apply_limits(srv);
	log_info("reloaded %s: %zu zone(s), %zu source(s)", srv->a.conf,
	    cfg->nzones, cfg->nsources);
}

/* ---- Query log and statistics file (rbldnsd's -l and -s) -------------- */

/*
 * (Re)open the query-log of [server]: at startup once privileges are
 * dropped (the run user writes it, as with rbldnsd) and on every SIGHUP,
 * which is how a rotated log is let go. A file that cannot be opened is
 * a warning: no query log until the next SIGHUP.
 */
static void
server_querylog_open(struct server *srv)
{
	const struct cfg_server *c = &srv->cfg->server;

	listen_set_querylog(srv->ls, NULL);
	querylog_close(srv->qlog);
	srv->qlog = NULL;
	if (c->query_log == NULL)
		return;
	if (querylog_open(&srv->qlog, c->query_log,
	    c->query_log_flush) == -ENOMEM)
		log_warnx("query log %s: out of memory", c->query_log);
	listen_set_querylog(srv->ls, srv->qlog);
}

static void
on_sfile_timer(uv_timer_t *h)
{
	struct server *srv = h->data;

	statsfile_write(srv->sfile, &srv->stats, (int64_t)time(NULL));
}

/*
 * Follow the stats-file keys of [server]: at startup, and after each
 * reload. A new file (or deltas changed) starts with a bare time line;
 * the timer is restarted only when the interval changed, so frequent
 * SIGHUPs do not hold lines back.
 */
static void
server_statsfile_apply(struct server *srv)
{
	const struct cfg_server *c = &srv->cfg->server;
	int64_t every = c->stats_file != NULL ? c->stats_file_interval : 0;

	if (srv->sfile != NULL && (c->stats_file == NULL ||
	    strcmp(statsfile_path(srv->sfile), c->stats_file) != 0 ||
	    statsfile_deltas(srv->sfile) != c->stats_file_deltas)) {
		statsfile_free(srv->sfile);
		srv->sfile = NULL;
	}
	if (srv->sfile == NULL && c->stats_file != NULL) {
		if (statsfile_new(&srv->sfile, c->stats_file,
		    c->stats_file_deltas) != 0)
			log_warnx("statistics file %s: out of memory",
			    c->stats_file);
		else
			statsfile_mark(srv->sfile, (int64_t)time(NULL));
	}
	if (srv->sfile == NULL)
		every = 0;
	if (every == srv->sfile_every)
		return;
	uv_timer_stop(&srv->sfile_timer);
	if (every > 0)
		uv_timer_start(&srv->sfile_timer, on_sfile_timer,
		    (uint64_t)every * 1000, (uint64_t)every * 1000);
	srv->sfile_every = every;
}

/* At shutdown: the last counters and a bare time line (rbldnsd's). */
static void
server_outputs_close(struct server *srv)
{
	int64_t now = (int64_t)time(NULL);

	if (srv->sfile != NULL) {
		statsfile_write(srv->sfile, &srv->stats, now);
		statsfile_mark(srv->sfile, now);
	}
	querylog_close(srv->qlog);
	srv->qlog = NULL;
}

/* ---- Signals, statistics, shutdown -------------------------------------- */

static void
server_stop(struct server *srv)
{
	if (srv->stopping)
		return;
	srv->stopping = 1;
	server_batch_end(srv);
	listen_close(srv->ls);
	srv->ls = NULL;
	srv->stats.listen = NULL;
	server_outputs_close(srv);
	metrics_close(srv->metrics);
	srv->metrics = NULL;
	control_close(srv->control);
	srv->control = NULL;
	/* A geo reload under way keeps uv_run() going until it ends. */
	georeload_stop(&srv->georeload);
	/* These live in struct server: nothing to free when they close. */
	uv_close((uv_handle_t *)&srv->sig_hup, NULL);
	uv_close((uv_handle_t *)&srv->sig_term, NULL);
	uv_close((uv_handle_t *)&srv->sig_int, NULL);
	uv_close((uv_handle_t *)&srv->prepare, NULL);
	uv_close((uv_handle_t *)&srv->check, NULL);
	uv_close((uv_handle_t *)&srv->tick, NULL);
	uv_close((uv_handle_t *)&srv->sfile_timer, NULL);
}

static void
on_signal(uv_signal_t *h, int signum)
{
	struct server *srv = h->data;

	if (signum == SIGHUP) {
		server_reload(srv);
		/* Whether the reload took or not, as rbldnsd: the query log
		 * is reopened (rotation). */
		server_querylog_open(srv);
		server_statsfile_apply(srv);
		return;
	}
	log_info("%s: shutting down", signum == SIGINT ? "SIGINT" : "SIGTERM");
	server_stop(srv);
}

static void
log_stats(const struct server *srv)
{
	const struct query_stats *q = query_engine_stats(srv->qe);
	const struct listen_stats *l = listen_stats(srv->ls);

	log_debug("stats since (re)load: %" PRIu64 " queries, %" PRIu64
	    " listed; noerror %" PRIu64 " nxdomain %" PRIu64 " refused %"
	    PRIu64 " formerr %" PRIu64 " servfail %" PRIu64 " dropped %"
	    PRIu64 " truncated %" PRIu64, q->queries, q->listed, q->noerror,
	    q->nxdomain, q->refused, q->formerr, q->servfail, q->dropped,
	    q->truncated);
	log_debug("stats since start: udp in %" PRIu64 " out %" PRIu64
	    " unsent %" PRIu64 "; tcp %u open, %" PRIu64 " accepted, %"
	    PRIu64 " refused, %" PRIu64 " timed out", l->udp_in, l->udp_out,
	    l->udp_send_failed, l->tcp_open, l->tcp_accepted,
	    l->tcp_refused, l->tcp_timeouts);
}

/*
 * Warn once per tick about new problems: rate-limited by design. Store
 * errors met by lookups are logged by the query engine, and sockets'
 * errors by listen.c, each rate-limited too.
 */
static void
on_tick(uv_timer_t *h)
{
	struct server *srv = h->data;

	if (srv->renew_failed > srv->renew_reported)
		log_warnx("%" PRIu64 " batches answered SERVFAIL: the store's "
		    "read transaction could not be renewed",
		    srv->renew_failed - srv->renew_reported);
	srv->renew_reported = srv->renew_failed;
	/* Swap in databases replaced on disk (geoipupdate renames a new
	 * file over the old), opened and checked on a worker thread: the
	 * loop answers on meanwhile. A bad one is logged once. */
	georeload_start(&srv->georeload, srv->geo);
	querylog_flush(srv->qlog);	/* a buffered log lags 10 s at most */
	if (++srv->ticks % STATS_TICKS == 0)
		log_stats(srv);
}

/* ---- Startup ------------------------------------------------------------ */

/* Bind every listen address; any failure is fatal at startup. */
static void
server_listen(struct server *srv)
{
	const struct cfg_server *c = &srv->cfg->server;
	struct listen_limits lim;
	size_t i;
	int rc;

	listen_limits_cfg(&lim, c);
	if ((rc = listen_new(&srv->ls, &srv->loop, server_answer, srv,
	    &lim)) != 0 || (rc = rrl_new(&srv->rrl, c)) != 0)
		fatalx("listen: %s", strerror(-rc));
	listen_set_rrl(srv->ls, srv->rrl);
	for (i = 0; i < c->nlisten; i++)
		if ((rc = listen_add(srv->ls, c->listen[i])) != 0)
			fatalx("cannot listen on %s: %s", c->listen[i],
			    uv_strerror(rc));
}

/*
 * Where the counters are read: /metrics when configured (any failure is
 * fatal) and the control socket, made before privs_drop() so that root
 * may create it in the database directory. The default socket may fail
 * with a warning (reputectl stats then cannot reach this daemon); one
 * set in the configuration may not.
 */
static void
server_stats_open(struct server *srv)
{
	const struct cfg_server *c = &srv->cfg->server;
	const char *why;
	char path[128];
	int rc;

	listen_set_stats(srv->ls, &srv->stats);
	srv->stats.listen = listen_stats(srv->ls);
	if (c->metrics != NULL &&
	    (rc = metrics_open(&srv->metrics, &srv->loop, c->metrics,
	    &srv->stats)) != 0)
		fatalx("cannot listen on %s for metrics: %s", c->metrics,
		    uv_strerror(rc));
	if (srv->metrics != NULL)
		log_info("metrics on http://%s/metrics", c->metrics);
	if ((rc = ctlsock_path(srv->cfg, path, sizeof(path))) != 0)
		snprintf(path, sizeof(path), "control socket");
	else if ((rc = control_open(&srv->control, &srv->loop, path,
	    c->user, &srv->stats)) == 0) {
		log_debug("control socket %s", path);
		return;
	}
	why = rc == -EADDRINUSE ? "another reputed answers on it" :
	    uv_strerror(rc);
	if (c->control_socket != NULL)
		fatalx("%s: %s", path, why);
	log_warnx("%s: %s; reputectl stats cannot reach this daemon (set "
	    "control-socket in [server])", path, why);
}

static void
server_handles(struct server *srv)
{
	uv_signal_t *sigs[] = { &srv->sig_hup, &srv->sig_term, &srv->sig_int };
	const int nums[] = { SIGHUP, SIGTERM, SIGINT };
	size_t i;

	for (i = 0; i < 3; i++) {
		uv_signal_init(&srv->loop, sigs[i]);
		sigs[i]->data = srv;
		if (uv_signal_start(sigs[i], on_signal, nums[i]) != 0)
			fatalx("cannot handle signal %d", nums[i]);
	}
	uv_prepare_init(&srv->loop, &srv->prepare);
	uv_check_init(&srv->loop, &srv->check);
	uv_timer_init(&srv->loop, &srv->tick);
	uv_timer_init(&srv->loop, &srv->sfile_timer);
	srv->prepare.data = srv->check.data = srv->tick.data = srv;
	srv->sfile_timer.data = srv;
	uv_prepare_start(&srv->prepare, on_prepare);
	uv_check_start(&srv->check, on_check);
	uv_timer_start(&srv->tick, on_tick, TICK_MS, TICK_MS);
}

static void
server_start(struct server *srv)
{
	char why[1024];
	int rc;

	if (server_cfg_load(srv->a.conf, &srv->cfg) != 0)
		fatalx("%s: configuration errors, not starting", srv->a.conf);
	/* Who runs after the drop, then chroot: before opening files. */
	privs_init(&srv->privs, srv->cfg->server.user);
	if ((rc = privs_check_store(&srv->privs, srv->cfg->server.database,
	    why, sizeof(why))) < 0)
		fatalx("%s", why);
	else if (rc > 0)
		log_warnx("%s", why);
	if (privs_chroot(&srv->privs, srv->cfg->server.chroot, srv->cfg,
	    &srv->a.conf, why, sizeof(why)) != 0)
		fatalx("%s", why);
	/* The databases first: they are part of the configuration. */
	if (server_open_geo(srv->cfg, &srv->geo, why, sizeof(why)) != 0)
		fatalx("%s", why);
	if (server_open_store(srv, why, sizeof(why)) != 0)
		fatalx("%s", why);
	if ((rc = query_engine_new(&srv->qe, srv->cfg)) != 0)
		fatalx("query engine: %s", strerror(-rc));
	query_engine_set_geo(srv->qe, srv->geo);
	if (stats_init(&srv->stats, srv->cfg) != 0)
		fatalx("statistics: out of memory");
	query_engine_set_stats(srv->qe, &srv->stats);
	server_geo_log(srv);
	server_geo_warn(srv);
	if ((rc = uv_loop_init(&srv->loop)) != 0)
		fatalx("event loop: %s", uv_strerror(rc));
	/* Writing to a client that went away must be an error, not death. */
	signal(SIGPIPE, SIG_IGN);
	georeload_init(&srv->georeload, &srv->loop);
	server_listen(srv);
	server_stats_open(srv);
	privs_apply(&srv->privs);
	server_handles(srv);
	server_querylog_open(srv);
	server_statsfile_apply(srv);
	log_info("serving %zu zone(s) on %zu address(es) from %s",
	    srv->cfg->nzones, srv->cfg->server.nlisten,
	    srv->cfg->server.database);
}

static void
walk_report(uv_handle_t *h, void *arg)
{
	(void)arg;
	log_warnx("handle still open at exit: %s%s",
	    uv_handle_type_name(uv_handle_get_type(h)),
	    uv_is_closing(h) ? " (closing)" : "");
}

/* After the loop: everything closed, everything freed. 0 or 1. */
static int
server_finish(struct server *srv)
{
	int rc = 0;

	if (uv_loop_close(&srv->loop) != 0) {
		uv_walk(&srv->loop, walk_report, NULL);
		rc = 1;
	}
	query_engine_free(srv->qe);
	statsfile_free(srv->sfile);
	stats_fini(&srv->stats);
	rrl_free(srv->rrl);
	geo_close(srv->geo);
	store_txn_abort(srv->txn);
	store_close(srv->st);
	cfg_free(srv->cfg);
	log_info("stopped");
	return rc;
}

/* -t: every configuration problem, then whether the store and the geo
 * databases open (and what they cannot match). */
static int
server_check(struct server *srv)
{
	char why[1024];
	int rc;

	if (cfg_load(&srv->cfg, srv->a.conf, stderr) != 0)
		return EXIT_USAGE;
	if ((rc = server_open_geo(srv->cfg, &srv->geo, why,
	    sizeof(why))) == 0 &&
	    (rc = server_open_store(srv, why, sizeof(why))) == 0 &&
	    (rc = query_engine_new(&srv->qe, srv->cfg)) != 0)
		snprintf(why, sizeof(why), "query engine: %s", strerror(-rc));
	if (rc == 0)
		server_geo_warn(srv);
	query_engine_free(srv->qe);
	geo_close(srv->geo);
	store_txn_abort(srv->txn);
	store_close(srv->st);
	cfg_free(srv->cfg);
	if (rc != 0) {
		fprintf(stderr, "%s\n", why);
		return EXIT_USAGE;
	}
	printf("configuration OK\n");
	return 0;
}

int
main(int argc, char **argv)
{
	struct server srv;

	/* rbldnsd's command line, whole: see rbldnsd.h. */
	if (argc > 1 && strcmp(argv[1], "--rbldnsd") == 0)
		return rbldnsd_main(argc - 1, argv + 1, argv[0]);
	memset(&srv, 0, sizeof(srv));
	parse_args(&srv.a, argc, argv);
	log_init("reputed", srv.a.use_syslog, srv.a.verbose);
	if (srv.a.check)
		return server_check(&srv);
	server_start(&srv);
	uv_run(&srv.loop, UV_RUN_DEFAULT);
	return server_finish(&srv);
}
