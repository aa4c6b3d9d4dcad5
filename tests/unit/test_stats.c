/* test_stats.c -- the daemon's counters: histogram buckets, per zone and
 * total counting, reloads keeping zones by name, the query engine's
 * hooks, the Prometheus text, the /metrics HTTP listener, the control
 * socket and reputectl's text. Loops run in their own thread and end
 * with every handle closed (uv_loop_close() == 0). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <jansson.h>
#include <uv.h>

#include "cidr.h"
#include "config.h"
#include "ctlsock.h"
#include "store.h"
#include "../../server/control.h"
#include "../../server/metrics.h"
#include "../../server/query.h"
#include "../../server/stats.h"

static const char conf_text[] =
"[server]\n"
"database = db\n"
"[source a]\n"
"code = 127.0.0.2\n"
"txt = A $reason\n"
"[zone bl.test]\n"
"sources = a\n"
"[zone other.test]\n"
"sources = a\n";

/* A configuration file in dir (made) with text; the loaded cfg. */
static struct cfg *
load_conf(char *dir, const char *text)
{
	struct cfg *cfg;
	char path[128];
	FILE *fp;

	if (dir[0] == '\0') {
		strcpy(dir, "/tmp/test_stats.XXXXXX");
		assert_non_null(mkdtemp(dir));
	}
	snprintf(path, sizeof(path), "%s/reputed.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(cfg_load(&cfg, path, stderr), 0);
	return cfg;
}

static void
rm_dir(const char *dir)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---- Counting ----------------------------------------------------------- */

static void
latency_buckets_are_powers_of_two_microseconds(void **state)
{
	(void)state;
	assert_int_equal(stats_bucket_of(0), 0);
	assert_int_equal(stats_bucket_of(1000), 0);		/* 1 us */
	assert_int_equal(stats_bucket_of(1001), 1);		/* 2 us */
	assert_int_equal(stats_bucket_of(2000), 1);
	assert_int_equal(stats_bucket_of(2001), 2);
	assert_int_equal(stats_bucket_of(4000), 2);
	assert_int_equal(stats_bucket_of(4001), 3);
	assert_int_equal(stats_bucket_of(1048576000), 20);	/* 2^20 us */
	assert_int_equal(stats_bucket_of(1048576001), STATS_BUCKETS - 1);
	assert_int_equal(stats_bucket_of(UINT64_C(1) << 62),
	    STATS_BUCKETS - 1);
	assert_int_equal(stats_bucket_us(0), 1);
	assert_int_equal(stats_bucket_us(20), 1048576);
	assert_int_equal(stats_bucket_us(STATS_BUCKETS - 1), 0);
}

static void
counts_go_to_their_zone_and_add_up_in_the_total(void **state)
{
	char dir[64] = "";
	struct cfg *cfg = load_conf(dir, conf_text);
	struct stats st;
	struct stats_counters tot;

	(void)state;
	assert_int_equal(stats_init(&st, cfg), 0);
	assert_int_equal(st.nzones, 2);
	assert_string_equal(st.zones[1].name, "other.test");
	stats_count(&st, 0, QUERY_UDP, 1, 0, 0, STATS_LISTED);
	stats_count(&st, 0, QUERY_UDP, 16, 3, 0, STATS_NOT_LISTED);
	stats_count(&st, 0, QUERY_TCP, 16, 0, 0, STATS_LISTED);
	stats_count(&st, 1, QUERY_UDP, 28, 2, 1, STATS_LOOKUP_ERROR);
	stats_count(&st, -1, QUERY_UDP, 6, 5, 0, STATS_NONE);
	stats_count(&st, -1, QUERY_UDP, -1, 1, 0, STATS_NONE);
	stats_count(&st, 1, QUERY_UDP, 1, 5, 0, STATS_ACL_REFUSED);
	stats_rate_limited(&st, 1);	/* the last one: other.test's */
	stats_rate_limited(&st, 0);
	stats_malformed(&st, QUERY_TCP);
	stats_count(NULL, 0, QUERY_UDP, 1, 0, 0, STATS_LISTED);

	assert_int_equal(st.zones[0].c.queries[QUERY_UDP][STATS_QT_A], 1);
	assert_int_equal(st.zones[0].c.queries[QUERY_UDP][STATS_QT_TXT], 1);
	assert_int_equal(st.zones[0].c.queries[QUERY_TCP][STATS_QT_TXT], 1);
	assert_int_equal(stats_queries(&st.zones[0].c), 3);
	assert_int_equal(st.zones[0].c.listed, 2);
	assert_int_equal(st.zones[0].c.not_listed, 1);
	assert_int_equal(stats_rcode_all(&st.zones[0].c, STATS_RC_NXDOMAIN),
	    1);
	assert_int_equal(st.zones[1].c.queries[QUERY_UDP][STATS_QT_AAAA], 1);
	assert_int_equal(st.zones[1].c.truncated, 1);
	assert_int_equal(st.zones[1].c.lookup_errors, 1);
	assert_int_equal(st.zones[1].c.acl_refused, 1);
	assert_int_equal(st.zones[1].c.slipped, 1);
	assert_int_equal(st.zones[1].c.rate_limited, 1);
	assert_int_equal(st.unmatched.queries[QUERY_UDP][STATS_QT_SOA], 1);
	assert_int_equal(st.unmatched.queries[QUERY_UDP][STATS_QT_NONE], 1);
	assert_int_equal(st.unmatched.queries[QUERY_TCP][STATS_QT_NONE], 1);
	assert_int_equal(st.unmatched.malformed, 1);

	stats_total(&st, &tot);
	assert_int_equal(stats_queries(&tot), 8);
	assert_int_equal(stats_queries_by(&tot, QUERY_TCP), 2);
	assert_int_equal(stats_rcode_all(&tot, STATS_RC_REFUSED), 2);
	assert_int_equal(stats_rcode_all(&tot, STATS_RC_FORMERR), 1);
	assert_int_equal(tot.listed, 2);
	assert_int_equal(stats_qtype_all(&tot, STATS_QT_OTHER), 0);
	stats_count(&st, 0, QUERY_UDP, 99, 16, 0, STATS_NONE);
	stats_total(&st, &tot);
	assert_int_equal(stats_qtype_all(&tot, STATS_QT_OTHER), 1);
	assert_int_equal(stats_rcode_all(&tot, STATS_RC_BADVERS), 1);

	stats_latency(&st, QUERY_UDP, 3000, 4);
	stats_latency(&st, QUERY_UDP, 500, 1);
	assert_int_equal(st.latency[QUERY_UDP].bucket[2], 4);
	assert_int_equal(st.latency[QUERY_UDP].bucket[0], 1);
	assert_int_equal(st.latency[QUERY_UDP].count, 5);
	assert_int_equal(st.latency[QUERY_UDP].sum_ns, 12500);
	stats_fini(&st);
	cfg_free(cfg);
	rm_dir(dir);
}

static void
reload_keeps_zones_by_name_and_totals_never_shrink(void **state)
{
	char dir[64] = "";
	struct cfg *cfg = load_conf(dir, conf_text), *cfg2;
	struct stats_counters tot;
	struct stats st;

	(void)state;
	assert_int_equal(stats_init(&st, cfg), 0);
	stats_count(&st, 0, QUERY_UDP, 1, 0, 0, STATS_LISTED);
	stats_count(&st, 1, QUERY_UDP, 1, 3, 0, STATS_NOT_LISTED);
	stats_count(&st, 1, QUERY_UDP, 1, 3, 0, STATS_NOT_LISTED);
	/* other.test goes, new.test comes, bl.test moves to the end. */
	cfg2 = load_conf(dir, "[server]\ndatabase = db\n[source a]\n"
	    "[zone new.test]\nsources = a\n[zone bl.test]\nsources = a\n");
	assert_int_equal(stats_set_zones(&st, cfg2), 0);
	assert_int_equal(st.nzones, 2);
	assert_int_equal(st.reloads, 1);
	assert_string_equal(st.zones[0].name, "new.test");
	assert_int_equal(stats_queries(&st.zones[0].c), 0);
	assert_string_equal(st.zones[1].name, "bl.test");
	assert_int_equal(st.zones[1].c.listed, 1);
	assert_int_equal(st.retired.not_listed, 2);
	stats_total(&st, &tot);
	assert_int_equal(stats_queries(&tot), 3);
	/* Counting goes by the new indices. */
	stats_count(&st, 1, QUERY_UDP, 1, 0, 0, STATS_LISTED);
	assert_int_equal(st.zones[1].c.listed, 2);
	stats_fini(&st);
	stats_fini(&st);	/* harmless twice */
	cfg_free(cfg);
	cfg_free(cfg2);
	rm_dir(dir);
}

/* A configuration that must not load; cfg_load's messages in msg. */
static void
bad_conf(const char *text, const char *msg)
{
	char dir[64] = "/tmp/test_stats.XXXXXX", path[128], *err = NULL;
	struct cfg *cfg = NULL;
	size_t len = 0;
	FILE *fp, *ef;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/reputed.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(ef = open_memstream(&err, &len));
	assert_int_equal(cfg_load(&cfg, path, ef), -EINVAL);
	assert_int_equal(fclose(ef), 0);
	assert_null(cfg);
	if (strstr(err, msg) == NULL)
		fail_msg("'%s' not in: %s", msg, err);
	free(err);
	rm_dir(dir);
}

static void
config_takes_one_metrics_address_and_a_socket_path(void **state)
{
	char dir[64] = "", path[128];
	struct cfg *cfg;

	(void)state;
	cfg = load_conf(dir, "[server]\nmetrics = [::1]:9153\n"
	    "control-socket = run/c.sock\n");
	assert_string_equal(cfg->server.metrics, "[::1]:9153");
	assert_int_equal(ctlsock_path(cfg, path, sizeof(path)), 0);
	assert_int_equal(strncmp(path, dir, strlen(dir)), 0);
	assert_string_equal(path + strlen(dir), "/run/c.sock");
	cfg_free(cfg);
	cfg = load_conf(dir, "[server]\n");
	assert_null(cfg->server.metrics);
	assert_null(cfg->server.control_socket);
	cfg_free(cfg);
	rm_dir(dir);
	bad_conf("[server]\nmetrics = localhost:9153\n", "metrics:");
	bad_conf("[server]\nmetrics = 127.0.0.1\n", "missing ':PORT'");
	bad_conf("[server]\nmetrics = 127.0.0.1:1 127.0.0.1:2\n",
	    "more than 1");
	bad_conf("[server]\ncontrol-socket =\n", "empty path");
}

/* ---- The query engine's hooks ----------------------------------------- */

struct msg {
	uint8_t	b[512];
	size_t	len;
};

/* A query for name (dotted) and type, RD set, no EDNS. */
static void
mkquery(struct msg *m, const char *name, unsigned qtype)
{
	const char *p = name, *dot;
	size_t n;

	memset(m, 0, sizeof(*m));
	m->b[0] = 0x12;
	m->b[1] = 0x34;
	m->b[2] = 0x01;
	m->b[5] = 1;
	m->len = 12;
	while (*p != '\0') {
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		m->b[m->len++] = (uint8_t)n;
		memcpy(m->b + m->len, p, n);
		m->len += n;
		p += n + (dot != NULL);
	}
	m->b[m->len++] = 0;
	m->b[m->len++] = (uint8_t)(qtype >> 8);
	m->b[m->len++] = (uint8_t)qtype;
	m->b[m->len++] = 0;
	m->b[m->len++] = 1;
}

static size_t
ask(struct query_engine *qe, const char *name, unsigned qtype,
    enum query_transport tr)
{
	static uint8_t out[QUERY_MAX_MSG];
	struct msg m;

	mkquery(&m, name, qtype);
	return query_answer(qe, m.b, m.len, out, tr == QUERY_UDP ?
	    QUERY_EDNS_SIZE : sizeof(out), tr, NULL);
}

static void
fill(struct store *s)
{
	struct store_source src;
	struct store_entry e = { 0 };
	struct store_txn *t;

	assert_int_equal(store_txn_begin(s, 1, &t), 0);
	assert_int_equal(store_source_ensure(t, "a", &src), 0);
	assert_int_equal(cidr_parse("192.0.2.0/24", &e.prefix, NULL), 0);
	e.source_id = src.id;
	e.first_seen = e.last_seen = 1000;
	e.reason = "test";
	e.reason_len = 4;
	assert_int_equal(store_entry_put(t, &e, NULL), 0);
	assert_int_equal(store_txn_commit(t), 0);
}

static void
engine_counts_every_answer_by_zone_type_and_rcode(void **state)
{
	static const uint8_t junk[] = { 1, 2, 3 };
	char dir[64] = "";
	struct cfg *cfg = load_conf(dir, conf_text);
	struct query_engine *qe;
	struct store_txn *t;
	struct store *s;
	struct stats st;
	struct msg m;
	uint8_t out[QUERY_EDNS_SIZE];

	(void)state;
	assert_int_equal(store_open(&s, cfg->server.database, STORE_CREATE),
	    0);
	fill(s);
	assert_int_equal(store_txn_begin(s, 0, &t), 0);
	assert_int_equal(query_engine_new(&qe, cfg), 0);
	assert_int_equal(stats_init(&st, cfg), 0);
	query_engine_set_stats(qe, &st);
	query_engine_begin(qe, t);

	assert_true(ask(qe, "1.2.0.192.bl.test", 1, QUERY_UDP) > 0);
	assert_true(ask(qe, "1.2.0.192.bl.test", 16, QUERY_TCP) > 0);
	assert_true(ask(qe, "1.1.168.192.bl.test", 1, QUERY_UDP) > 0);
	assert_true(ask(qe, "bl.test", 6, QUERY_UDP) > 0);
	assert_true(ask(qe, "9.9.9.9.other.test", 1, QUERY_UDP) > 0);
	assert_true(ask(qe, "example.org", 1, QUERY_UDP) > 0);
	assert_int_equal(query_answer(qe, junk, sizeof(junk), out,
	    sizeof(out), QUERY_UDP, NULL), 0);
	mkquery(&m, "bl.test", 1);
	m.b[5] = 2;		/* QDCOUNT 2, one question: FORMERR */
	assert_true(query_answer(qe, m.b, m.len, out, sizeof(out),
	    QUERY_UDP, NULL) > 0);
	/* No snapshot: a lookup fails. */
	query_engine_begin(qe, NULL);
	assert_true(ask(qe, "1.2.0.192.bl.test", 1, QUERY_UDP) > 0);

	assert_int_equal(st.zones[0].c.queries[QUERY_UDP][STATS_QT_A], 3);
	assert_int_equal(st.zones[0].c.queries[QUERY_TCP][STATS_QT_TXT], 1);
	assert_int_equal(st.zones[0].c.queries[QUERY_UDP][STATS_QT_SOA], 1);
	assert_int_equal(st.zones[0].c.listed, 2);
	assert_int_equal(st.zones[0].c.not_listed, 1);
	assert_int_equal(st.zones[0].c.lookup_errors, 1);
	assert_int_equal(st.zones[0].c.rcodes[QUERY_UDP][STATS_RC_NOERROR],
	    2);
	assert_int_equal(st.zones[0].c.rcodes[QUERY_UDP][STATS_RC_NXDOMAIN],
	    1);
	assert_int_equal(st.zones[0].c.rcodes[QUERY_UDP][STATS_RC_SERVFAIL],
	    1);
	assert_int_equal(st.zones[1].c.not_listed, 1);
	assert_int_equal(stats_queries(&st.zones[1].c), 1);
	assert_int_equal(st.unmatched.rcodes[QUERY_UDP][STATS_RC_REFUSED], 1);
	assert_int_equal(st.unmatched.rcodes[QUERY_UDP][STATS_RC_FORMERR], 1);
	assert_int_equal(st.unmatched.queries[QUERY_UDP][STATS_QT_NONE], 2);
	assert_int_equal(st.unmatched.malformed, 1);

	stats_fini(&st);
	query_engine_free(qe);
	store_txn_abort(t);
	store_close(s);
	cfg_free(cfg);
	rm_dir(dir);
}

/* ---- Output ------------------------------------------------------------- */

static struct stats *
sample_stats(struct cfg **cfg, char *dir)
{
	static struct stats st;

	*cfg = load_conf(dir, conf_text);
	assert_int_equal(stats_init(&st, *cfg), 0);
	stats_count(&st, 0, QUERY_UDP, 1, 0, 0, STATS_LISTED);
	stats_count(&st, 0, QUERY_UDP, 1, 3, 0, STATS_NOT_LISTED);
	stats_count(&st, 1, QUERY_TCP, 16, 0, 0, STATS_LISTED);
	stats_count(&st, -1, QUERY_UDP, 6, 5, 0, STATS_NONE);
	stats_latency(&st, QUERY_UDP, 3000, 3);
	stats_latency(&st, QUERY_TCP, 100000, 1);
	return &st;
}

static char *
render(const struct stats *st)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(f = open_memstream(&text, &len));
	assert_int_equal(metrics_render(st, f), 0);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void
prometheus_text_has_totals_zones_and_a_histogram(void **state)
{
	char dir[64] = "";
	struct cfg *cfg;
	struct stats *st = sample_stats(&cfg, dir);
	char *text = render(st);
	const char *line;

	(void)state;
	assert_non_null(strstr(text, "# HELP reputed_queries_total "));
	assert_non_null(strstr(text, "# TYPE reputed_queries_total counter\n"));
	assert_non_null(strstr(text, "\nreputed_queries_total{transport="
	    "\"udp\",qtype=\"A\"} 2\n"));
	assert_non_null(strstr(text, "\nreputed_zone_queries_total{zone="
	    "\"bl.test\",transport=\"udp\",qtype=\"A\"} 2\n"));
	assert_non_null(strstr(text, "\nreputed_zone_queries_total{zone="
	    "\"other.test\",transport=\"tcp\",qtype=\"TXT\"} 1\n"));
	assert_non_null(strstr(text, "\nreputed_responses_total{transport="
	    "\"udp\",rcode=\"REFUSED\"} 1\n"));
	assert_non_null(strstr(text, "\nreputed_zone_lookups_total{zone="
	    "\"bl.test\",result=\"not_listed\"} 1\n"));
	assert_non_null(strstr(text, "\nreputed_lookups_total{result="
	    "\"listed\"} 2\n"));
	assert_non_null(strstr(text, "\nreputed_malformed_total 0\n"));
	assert_null(strstr(text, "reputed_zone_malformed_total"));
	assert_non_null(strstr(text, "# TYPE reputed_response_seconds "
	    "histogram\n"));
	/* 3 us is in the 4 us bucket, and counted in every one above. */
	assert_non_null(strstr(text, "\nreputed_response_seconds_bucket{"
	    "transport=\"udp\",le=\"0.000002\"} 0\n"));
	assert_non_null(strstr(text, "\nreputed_response_seconds_bucket{"
	    "transport=\"udp\",le=\"0.000004\"} 3\n"));
	assert_non_null(strstr(text, "\nreputed_response_seconds_bucket{"
	    "transport=\"udp\",le=\"1.048576\"} 3\n"));
	assert_non_null(strstr(text, "\nreputed_response_seconds_bucket{"
	    "transport=\"udp\",le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(text, "\nreputed_response_seconds_sum{"
	    "transport=\"udp\"} 0.000009000\n"));
	assert_non_null(strstr(text, "\nreputed_response_seconds_count{"
	    "transport=\"tcp\"} 1\n"));
	assert_non_null(strstr(text, "\nreputed_zones 2\n"));
	/* Every line a comment or reputed_NAME{...} VALUE. */
	for (line = text; *line != '\0'; line = strchr(line, '\n') + 1) {
		assert_true(line[0] == '#' ||
		    strncmp(line, "reputed_", 8) == 0);
		assert_non_null(strchr(line, '\n'));
	}
	free(text);
	stats_fini(st);
	cfg_free(cfg);
	rm_dir(dir);
}

static void
label_values_are_escaped(void **state)
{
	char dir[64] = "";
	struct cfg *cfg;
	struct stats *st = sample_stats(&cfg, dir);
	char *text, *old = st->zones[0].name;

	(void)state;
	st->zones[0].name = "a\"b\\c\nd";
	text = render(st);
	assert_non_null(strstr(text, "{zone=\"a\\\"b\\\\c\\nd\","));
	st->zones[0].name = old;
	free(text);
	stats_fini(st);
	cfg_free(cfg);
	rm_dir(dir);
}

static void
stats_json_and_its_text_agree(void **state)
{
	char dir[64] = "";
	struct cfg *cfg;
	struct stats *st = sample_stats(&cfg, dir);
	json_t *j = control_stats_json(st), *z;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "version")),
	    CTLSOCK_VERSION);
	z = json_object_get(json_object_get(j, "zones"), "bl.test");
	assert_int_equal(json_integer_value(json_object_get(z, "queries")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    z, "qtypes"), "A")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_object_get(z, "udp"), "rcodes"), "NXDOMAIN")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    j, "total"), "queries")), 4);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    j, "unmatched"), "queries")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    json_object_get(j, "latency"), "udp"), "count")), 3);
	assert_true(json_is_null(json_object_get(j, "sockets")));

	assert_non_null(f = open_memstream(&text, &len));
	ctlsock_stats_print(f, j);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(text, "total  bl.test  other.test  (no zone)"));
	assert_non_null(strstr(text, "\nqueries                 4        2 "
	    "          1          1\n"));
	assert_non_null(strstr(text, "\n  type A                2        2 "));
	assert_null(strstr(text, "type AAAA"));	/* zero: left out */
	assert_non_null(strstr(text, "  p50"));
	assert_non_null(strstr(text, "<=4us"));
	free(text);
	json_decref(j);
	stats_fini(st);
	cfg_free(cfg);
	rm_dir(dir);
}

/* ---- Listeners on a loop ---------------------------------------------- */

struct loopfix {
	uv_loop_t	 loop;
	uv_async_t	 stop;
	uv_thread_t	 thread;
	struct metrics	*m;
	struct control	*c;
};

static void
on_stop(uv_async_t *a)
{
	struct loopfix *lf = a->data;

	metrics_close(lf->m);
	control_close(lf->c);
	uv_close((uv_handle_t *)&lf->stop, NULL);
}

static void
loop_thread(void *arg)
{
	struct loopfix *lf = arg;

	uv_run(&lf->loop, UV_RUN_DEFAULT);
}

static void
loop_start(struct loopfix *lf)
{
	assert_int_equal(uv_async_init(&lf->loop, &lf->stop, on_stop), 0);
	lf->stop.data = lf;
	assert_int_equal(uv_thread_create(&lf->thread, loop_thread, lf), 0);
}

static void
loop_stop(struct loopfix *lf)
{
	assert_int_equal(uv_async_send(&lf->stop), 0);
	assert_int_equal(uv_thread_join(&lf->thread), 0);
	assert_int_equal(uv_loop_close(&lf->loop), 0);
}

static int
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int s, port;

	assert_true((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&sin, &len), 0);
	port = ntohs(sin.sin_port);
	close(s);
	return port;
}

/* Send req to 127.0.0.1:port, read until EOF: the response (yours). */
static char *
http(int port, const char *req, size_t reqlen)
{
	struct timeval tv = { 5, 0 };
	struct sockaddr_in sin;
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap + 1);
	ssize_t n;
	int s;

	assert_non_null(buf);
	assert_true((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(send(s, req, reqlen, MSG_NOSIGNAL), (ssize_t)reqlen);
	while (len < cap && (n = recv(s, buf + len, cap - len, 0)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(s);
	return buf;
}

static void
http_gets_metrics_and_nothing_else(void **state)
{
	static char big[METRICS_REQUEST_MAX + 100];
	char dir[64] = "", addr[32], *r;
	struct loopfix lf;
	struct cfg *cfg;
	struct stats *st = sample_stats(&cfg, dir);
	int port = free_port();

	(void)state;
	memset(&lf, 0, sizeof(lf));
	assert_int_equal(uv_loop_init(&lf.loop), 0);
	assert_int_equal(metrics_open(&lf.m, &lf.loop, "127.0.0.1:x", st),
	    -EINVAL);
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	assert_int_equal(metrics_open(&lf.m, &lf.loop, addr, st), 0);
	loop_start(&lf);

	r = http(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 35);
	assert_true(strncmp(r, "HTTP/1.1 200 OK\r\n", 17) == 0);
	assert_non_null(strstr(r, "Content-Type: text/plain; version=0.0.4"));
	assert_non_null(strstr(r, "Connection: close\r\n"));
	assert_non_null(strstr(r, "\r\n\r\n# HELP reputed_queries_total"));
	assert_non_null(strstr(r, "reputed_zone_queries_total{zone=\"bl.test\""
	    ",transport=\"udp\",qtype=\"A\"} 2\n"));
	free(r);
	r = http(port, "GET /metrics?x=1 HTTP/1.0\n\n", 27);
	assert_true(strncmp(r, "HTTP/1.1 200 OK\r\n", 17) == 0);
	free(r);
	r = http(port, "GET / HTTP/1.1\r\n\r\n", 18);
	assert_true(strncmp(r, "HTTP/1.1 404 Not Found\r\n", 24) == 0);
	free(r);
	r = http(port, "GET /metricsx HTTP/1.1\r\n\r\n", 26);
	assert_true(strncmp(r, "HTTP/1.1 404 ", 13) == 0);
	free(r);
	r = http(port, "POST /metrics HTTP/1.1\r\n\r\n", 26);
	assert_true(strncmp(r, "HTTP/1.1 405 ", 13) == 0);
	assert_non_null(strstr(r, "Allow: GET\r\n"));
	free(r);
	r = http(port, "GET /metrics HTTP/2.0\r\n\r\n", 25);
	assert_true(strncmp(r, "HTTP/1.1 505 ", 13) == 0);
	free(r);
	r = http(port, "hello\r\n\r\n", 9);
	assert_true(strncmp(r, "HTTP/1.1 400 ", 13) == 0);
	free(r);
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /metrics HTTP/1.1\r\nX: ", 26);
	r = http(port, big, sizeof(big));
	assert_true(strncmp(r, "HTTP/1.1 431 ", 13) == 0);
	free(r);

	loop_stop(&lf);
	stats_fini(st);
	cfg_free(cfg);
	rm_dir(dir);
}

/* A socket file at path that nobody listens on (its daemon died). */
static void
stale_socket(const char *path)
{
	struct sockaddr_un sun;
	int s;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	assert_true((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(s);
}

static void
control_socket_answers_stats_and_cleans_up(void **state)
{
	char dir[64] = "", path[128], file[128], err[256];
	struct control *other;
	struct loopfix lf;
	struct stat sb;
	struct cfg *cfg;
	struct stats *st = sample_stats(&cfg, dir);
	json_t *j;

	(void)state;
	memset(&lf, 0, sizeof(lf));
	assert_int_equal(uv_loop_init(&lf.loop), 0);
	assert_int_equal(ctlsock_path(cfg, path, sizeof(path)), 0);
	assert_non_null(strstr(path, "/db/control.sock"));
	snprintf(path, sizeof(path), "%s/c.sock", dir);
	assert_int_equal(ctlsock_request(path, "stats", &j, err,
	    sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "is reputed running?"));
	stale_socket(path);
	assert_int_equal(ctlsock_request(path, "stats", &j, err,
	    sizeof(err)), -ECONNREFUSED);
	snprintf(file, sizeof(file), "%s/reputed.conf", dir);
	assert_int_equal(control_open(&lf.c, &lf.loop, file, NULL, st),
	    -EEXIST);
	assert_int_equal(control_open(&lf.c, &lf.loop, path, NULL, st), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0660);
	assert_int_equal(control_open(&other, &lf.loop, path, NULL, st),
	    -EADDRINUSE);
	loop_start(&lf);

	assert_int_equal(ctlsock_request(path, "stats", &j, err,
	    sizeof(err)), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
	    j, "total"), "queries")), 4);
	assert_int_equal(json_integer_value(json_object_get(j, "pid")),
	    getpid());
	json_decref(j);
	assert_int_equal(ctlsock_request(path, "reload", &j, err,
	    sizeof(err)), -EPROTO);
	assert_non_null(strstr(err, "unknown command"));

	loop_stop(&lf);
	assert_int_equal(stat(path, &sb), -1);
	assert_int_equal(errno, ENOENT);
	stats_fini(st);
	cfg_free(cfg);
	rm_dir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    latency_buckets_are_powers_of_two_microseconds),
		cmocka_unit_test(
		    counts_go_to_their_zone_and_add_up_in_the_total),
		cmocka_unit_test(
		    reload_keeps_zones_by_name_and_totals_never_shrink),
		cmocka_unit_test(
		    config_takes_one_metrics_address_and_a_socket_path),
		cmocka_unit_test(
		    engine_counts_every_answer_by_zone_type_and_rcode),
		cmocka_unit_test(
		    prometheus_text_has_totals_zones_and_a_histogram),
		cmocka_unit_test(label_values_are_escaped),
		cmocka_unit_test(stats_json_and_its_text_agree),
		cmocka_unit_test(http_gets_metrics_and_nothing_else),
		cmocka_unit_test(control_socket_answers_stats_and_cleans_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
