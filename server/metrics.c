/* metrics.c -- GET /metrics: Prometheus text exposition of the counters,
 * over a minimal HTTP/1.0-1.1 server on the loop (one request per
 * connection, bounded in size and time). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <uv.h>

#include "listen.h"
#include "log.h"
#include "metrics.h"

#define METRICS_BACKLOG		16
#define METRICS_CTYPE		"text/plain; version=0.0.4; charset=utf-8"

/* ---- Exposition -------------------------------------------------------- */

/* A label value, escaped as the text format wants (\\, \", \n). */
static void
put_value(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* "name{zone="z",labels} value": zone NULL for a total, labels may be
 * "" (no other label). */
static void
put_series(FILE *f, const char *name, const char *zone, const char *labels,
    uint64_t v)
{
	fputs(name, f);
	if (zone != NULL || labels[0] != '\0') {
		fputc('{', f);
		if (zone != NULL) {
			fputs("zone=\"", f);
			put_value(f, zone);
			fputs(labels[0] != '\0' ? "\"," : "\"", f);
		}
		fprintf(f, "%s}", labels);
	}
	fprintf(f, " %" PRIu64 "\n", v);
}

static void
put_head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One family's series for one set of counters. */
typedef void	family_fn(FILE *, const char *name, const char *zone,
		    const struct stats_counters *);

static void
put_queries(FILE *f, const char *name, const char *zone,
    const struct stats_counters *c)
{
	char l[64];
	unsigned tr, q;

	for (tr = 0; tr < STATS_TRANSPORTS; tr++)
		for (q = 0; q < STATS_NQTYPES; q++) {
			snprintf(l, sizeof(l), "transport=\"%s\",qtype=\"%s\"",
			    stats_transport_name(tr), stats_qtype_name(q));
			put_series(f, name, zone, l, c->queries[tr][q]);
		}
}

static void
put_responses(FILE *f, const char *name, const char *zone,
    const struct stats_counters *c)
{
	char l[64];
	unsigned tr, r;

	for (tr = 0; tr < STATS_TRANSPORTS; tr++)
		for (r = 0; r < STATS_NRCODES; r++) {
			snprintf(l, sizeof(l), "transport=\"%s\",rcode=\"%s\"",
			    stats_transport_name(tr), stats_rcode_name(r));
			put_series(f, name, zone, l, c->rcodes[tr][r]);
		}
}

static void
put_lookups(FILE *f, const char *name, const char *zone,
    const struct stats_counters *c)
{
	put_series(f, name, zone, "result=\"listed\"", c->listed);
	put_series(f, name, zone, "result=\"not_listed\"", c->not_listed);
	put_series(f, name, zone, "result=\"error\"", c->lookup_errors);
}

static void
put_truncated(FILE *f, const char *name, const char *zone,
    const struct stats_counters *c)
{
	put_series(f, name, zone, "", c->truncated);
}

static void
put_rate_limited(FILE *f, const char *name, const char *zone,
    const struct stats_counters *c)
{
	put_series(f, name, zone, "action=\"dropped\"", c->rate_limited);
	put_series(f, name, zone, "action=\"slipped\"", c->slipped);
}

static void
put_acl(FILE *f, const char *name, const char *zone,
    const struct stats_counters *c)
{
	put_series(f, name, zone, "", c->acl_refused);
}

static void
put_malformed(FILE *f, const char *name, const char *zone,
    const struct stats_counters *c)
{
	put_series(f, name, zone, "", c->malformed);
}

/* Counter families: reputed_NAME for all traffic, and (per_zone)
 * reputed_zone_NAME{zone=...} for each configured zone. */
static const struct {
	const char	*name;
	const char	*help;
	family_fn	*put;
	int		 per_zone;
} families[] = {
	{ "queries_total", "DNS messages received, by transport and query "
	    "type (none: no question could be read).", put_queries, 1 },
	{ "responses_total", "Answers built, by transport and rcode.",
	    put_responses, 1 },
	{ "lookups_total", "Address lookups: listed, not listed, or failed "
	    "(answered SERVFAIL).", put_lookups, 1 },
	{ "truncated_total", "UDP answers sent truncated (TC=1).",
	    put_truncated, 1 },
	{ "rate_limited_total", "Answers withheld by response rate "
	    "limiting: dropped, or slipped (sent truncated instead).",
	    put_rate_limited, 1 },
	{ "acl_refused_total", "Queries refused by allow/deny.", put_acl, 1 },
	{ "malformed_total", "Messages dropped unanswered: shorter than a "
	    "header, a response, or no room for the question.",
	    put_malformed, 0 },
};

static void
put_families(FILE *f, const struct stats *st)
{
	struct stats_counters tot;
	char name[64], help[256];
	size_t i, z;

	stats_total(st, &tot);
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		snprintf(name, sizeof(name), "reputed_%s", families[i].name);
		put_head(f, name, "counter", families[i].help);
		families[i].put(f, name, NULL, &tot);
	}
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		if (!families[i].per_zone)
			continue;
		snprintf(name, sizeof(name), "reputed_zone_%s",
		    families[i].name);
		snprintf(help, sizeof(help), "Per zone: %s",
		    families[i].help);
		put_head(f, name, "counter", help);
		for (z = 0; z < st->nzones; z++)
			families[i].put(f, name, st->zones[z].name,
			    &st->zones[z].c);
	}
}

static void
put_latency(FILE *f, const struct stats *st)
{
	const struct stats_hist *h;
	const char *tn;
	uint64_t cum;
	unsigned tr, i;

	put_head(f, "reputed_response_seconds", "histogram", "Time from "
	    "receiving queries to sending their answers: per UDP batch (each "
	    "query of it counted), per TCP message (to queuing the answer).");
	for (tr = 0; tr < STATS_TRANSPORTS; tr++) {
		h = &st->latency[tr];
		tn = stats_transport_name(tr);
		cum = 0;
		for (i = 0; i < STATS_BUCKETS - 1; i++) {
			cum += h->bucket[i];
			/* 2^i microseconds: exact with six decimals. */
			fprintf(f, "reputed_response_seconds_bucket{transport="
			    "\"%s\",le=\"%.6f\"} %" PRIu64 "\n", tn,
			    (double)stats_bucket_us(i) / 1e6, cum);
		}
		fprintf(f, "reputed_response_seconds_bucket{transport=\"%s\","
		    "le=\"+Inf\"} %" PRIu64 "\n", tn, h->count);
		fprintf(f, "reputed_response_seconds_sum{transport=\"%s\"} "
		    "%.9f\n", tn, (double)h->sum_ns / 1e9);
		fprintf(f, "reputed_response_seconds_count{transport=\"%s\"} "
		    "%" PRIu64 "\n", tn, h->count);
	}
}

/* listen.c's socket counters, when the sockets are open. */
static void
put_sockets(FILE *f, const struct listen_stats *l)
{
	static const struct {
		const char	*name, *help;
		size_t		 off;
	} c[] = {
#define LS(f)	offsetof(struct listen_stats, f)
		{ "udp_received_total", "UDP datagrams received.",
		    LS(udp_in) },
		{ "udp_sent_total", "UDP answers sent.", LS(udp_out) },
		{ "udp_send_errors_total", "UDP answers the kernel refused.",
		    LS(udp_send_failed) },
		{ "udp_receive_errors_total", "UDP receive errors and "
		    "oversized datagrams.", LS(udp_recv_failed) },
		{ "tcp_accepted_total", "TCP connections accepted.",
		    LS(tcp_accepted) },
		{ "tcp_refused_total", "TCP connections closed at once "
		    "(accept failed).", LS(tcp_refused) },
		{ "tcp_evicted_total", "TCP connections closed for a newer "
		    "one: over tcp-clients.", LS(tcp_evicted) },
		{ "tcp_evicted_client_total", "TCP connections closed for a "
		    "newer one: over tcp-clients-per-ip.",
		    LS(tcp_evicted_client) },
		{ "tcp_timeouts_total", "TCP connections closed for idling.",
		    LS(tcp_timeouts) },
		{ "tcp_expired_total", "TCP connections closed at "
		    "tcp-timeout.", LS(tcp_expired) },
		{ "tcp_max_queries_total", "TCP connections closed after "
		    "tcp-max-queries.", LS(tcp_max_queries) },
		{ "tcp_received_total", "DNS messages received over TCP.",
		    LS(tcp_in) },
		{ "tcp_sent_total", "DNS answers queued over TCP.",
		    LS(tcp_out) },
#undef LS
	};
	char name[64];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(name, sizeof(name), "reputed_%s", c[i].name);
		put_head(f, name, "counter", c[i].help);
		put_series(f, name, NULL, "", *(const uint64_t *)(const void *)
		    ((const char *)l + c[i].off));
	}
	put_head(f, "reputed_tcp_connections", "gauge",
	    "TCP connections open now.");
	put_series(f, "reputed_tcp_connections", NULL, "", l->tcp_open);
}

int
metrics_render(const struct stats *st, FILE *f)
{
	put_families(f, st);
	put_latency(f, st);
	if (st->listen != NULL)
		put_sockets(f, st->listen);
	put_head(f, "reputed_zones", "gauge", "Zones configured.");
	put_series(f, "reputed_zones", NULL, "", st->nzones);
	put_head(f, "reputed_reloads_total", "counter",
	    "Configurations reloaded (SIGHUP).");
	put_series(f, "reputed_reloads_total", NULL, "", st->reloads);
	put_head(f, "reputed_start_time_seconds", "gauge",
	    "When reputed started, in seconds since the Unix epoch.");
	put_series(f, "reputed_start_time_seconds", NULL, "",
	    (uint64_t)st->started);
	return ferror(f) ? -EIO : 0;
}

/* ---- HTTP -------------------------------------------------------------- */

/* One client: a request read into in, one response, then closed. */
struct http_conn {
	struct metrics		*m;
	struct http_conn	*prev, *next;
	uv_tcp_t		 h;
	uv_timer_t		 timer;	/* the whole connection's */
	uv_write_t		 wreq;
	uv_shutdown_t		 sreq;
	char			*resp;		/* being written */
	size_t			 inlen;
	int			 nopen;	/* handles not yet closed */
	unsigned		 responded:1, closing:1;
	char			 in[METRICS_REQUEST_MAX];
};

struct metrics {
	uv_loop_t		*loop;
	const struct stats	*st;
	uv_tcp_t		 listener;
	struct http_conn	*conns;
	unsigned		 nconns;
	size_t			 nhandles;	/* open, all kinds */
	int			 closing;
	char			 name[64];
};

static void
metrics_handle_gone(struct metrics *m)
{
	if (--m->nhandles == 0 && m->closing)
		free(m);
}

static void
http_closed(uv_handle_t *h)
{
	struct http_conn *c = h->data;
	struct metrics *m = c->m;

	if (--c->nopen == 0) {
		free(c->resp);
		free(c);
	}
	metrics_handle_gone(m);
}

static void
http_close(struct http_conn *c)
{
	struct metrics *m = c->m;

	if (c->closing)
		return;
	c->closing = 1;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		m->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	m->nconns--;
	uv_close((uv_handle_t *)&c->h, http_closed);
	uv_close((uv_handle_t *)&c->timer, http_closed);
}

static void
http_timeout(uv_timer_t *t)
{
	http_close(t->data);
}

/*
 * The status for the request line at req (the headers follow it): 200
 * for GET /metrics (a query string is ignored), 400 for a malformed
 * line, 505 for a version other than HTTP/1.x, 404 for another path,
 * 405 for another method.
 */
static int
http_status(const char *req, size_t len)
{
	const char *eol, *sp1, *sp2, *ver;
	size_t tlen, vlen;

	if ((eol = memchr(req, '\n', len)) == NULL)
		return 400;
	if (eol > req && eol[-1] == '\r')
		eol--;
	if ((sp1 = memchr(req, ' ', (size_t)(eol - req))) == NULL ||
	    (sp2 = memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1))) == NULL ||
	    memchr(sp2 + 1, ' ', (size_t)(eol - sp2 - 1)) != NULL ||
	    sp1 == req || sp2 == sp1 + 1)
		return 400;
	ver = sp2 + 1;
	vlen = (size_t)(eol - ver);
	if (vlen < 5 || memcmp(ver, "HTTP/", 5) != 0)
		return 400;
	if (vlen != 8 || memcmp(ver, "HTTP/1.", 7) != 0 ||
	    (ver[7] != '0' && ver[7] != '1'))
		return 505;
	tlen = strcspn(sp1 + 1, "? ");
	if (tlen != 8 || memcmp(sp1 + 1, "/metrics", 8) != 0)
		return 404;
	if (sp1 - req != 3 || memcmp(req, "GET", 3) != 0)
		return 405;
	return 200;
}

static const char *
http_reason(int status)
{
	switch (status) {
	case 200:	return "OK";
	case 400:	return "Bad Request";
	case 404:	return "Not Found";
	case 405:	return "Method Not Allowed";
	case 431:	return "Request Header Fields Too Large";
	case 505:	return "HTTP Version Not Supported";
	default:	return "Internal Server Error";
	}
}

/* The body for status: the exposition for 200, else the reason. 0 with
 * *body yours (malloc'd), or -ENOMEM. */
static int
http_body(const struct stats *st, int *status, char **body, size_t *len)
{
	FILE *f;
	int rc = 0;

	*body = NULL;
	if ((f = open_memstream(body, len)) == NULL)
		return -ENOMEM;
	if (*status == 200)
		rc = metrics_render(st, f);
	else
		fprintf(f, "%s\n", http_reason(*status));
	if (fclose(f) != 0 || rc != 0) {
		free(*body);
		*body = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* The whole response for status into c->resp: 0, or -ENOMEM. */
static int
http_response(struct http_conn *c, int status, size_t *len)
{
	char *body, head[256];
	size_t blen;
	int hlen;

	if (http_body(c->m->st, &status, &body, &blen) != 0)
		return -ENOMEM;
	hlen = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\n"
	    "Content-Type: %s\r\nContent-Length: %zu\r\n%s"
	    "Connection: close\r\n\r\n", status, http_reason(status),
	    status == 200 ? METRICS_CTYPE : "text/plain; charset=utf-8",
	    blen, status == 405 ? "Allow: GET\r\n" : "");
	if ((c->resp = malloc((size_t)hlen + blen)) == NULL) {
		free(body);
		return -ENOMEM;
	}
	memcpy(c->resp, head, (size_t)hlen);
	memcpy(c->resp + hlen, body, blen);
	free(body);
	*len = (size_t)hlen + blen;
	return 0;
}

static void
http_shut(uv_shutdown_t *req, int status)
{
	struct http_conn *c = req->data;

	/* On success, reading goes on until the client's EOF (or the
	 * timer): closing with its bytes unread could reset the
	 * connection before it has read the response. */
	if (status < 0 && !c->closing)
		http_close(c);
}

static void
http_written(uv_write_t *req, int status)
{
	struct http_conn *c = req->data;

	free(c->resp);
	c->resp = NULL;
	if (c->closing)
		return;
	c->sreq.data = c;
	if (status < 0 || uv_shutdown(&c->sreq, (uv_stream_t *)&c->h,
	    http_shut) != 0)
		http_close(c);
}

static void
http_respond(struct http_conn *c, int status)
{
	uv_buf_t b;
	size_t len;

	c->responded = 1;
	c->inlen = 0;
	if (http_response(c, status, &len) != 0) {
		log_warnx("%s: out of memory for a response", c->m->name);
		http_close(c);
		return;
	}
	b = uv_buf_init(c->resp, (unsigned)len);
	c->wreq.data = c;
	if (uv_write(&c->wreq, (uv_stream_t *)&c->h, &b, 1,
	    http_written) != 0)
		http_close(c);
}

static void
http_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct http_conn *c = h->data;

	(void)suggested;
	/* Before the response there is always room (a full buffer is
	 * answered 431); after it, what comes is read and dropped. */
	*buf = uv_buf_init(c->in + c->inlen,
	    (unsigned)(sizeof(c->in) - c->inlen));
}

/* The end of the request's headers is in the buffer. */
static int
http_complete(const struct http_conn *c)
{
	return memmem(c->in, c->inlen, "\r\n\r\n", 4) != NULL ||
	    memmem(c->in, c->inlen, "\n\n", 2) != NULL;
}

static void
http_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct http_conn *c = s->data;

	(void)buf;
	if (nread < 0) {
		/* EOF or an error: before a response, the client gave up;
		 * after it, it has read what it wanted. */
		http_close(c);
		return;
	}
	if (nread == 0 || c->responded)
		return;
	c->inlen += (size_t)nread;
	if (http_complete(c))
		http_respond(c, http_status(c->in, c->inlen));
	else if (c->inlen == sizeof(c->in))
		http_respond(c, 431);
}

static void
http_accept(uv_stream_t *srv, int status)
{
	struct metrics *m = srv->data;
	struct http_conn *c;

	if (status < 0 || (c = calloc(1, sizeof(*c))) == NULL)
		return;
	c->m = m;
	uv_tcp_init(m->loop, &c->h);
	c->h.data = c;
	c->nopen = 1;
	m->nhandles++;
	if (uv_accept(srv, (uv_stream_t *)&c->h) != 0 ||
	    m->nconns >= METRICS_CONNS) {
		c->closing = 1;
		uv_close((uv_handle_t *)&c->h, http_closed);
		return;
	}
	uv_timer_init(m->loop, &c->timer);
	c->timer.data = c;
	c->nopen++;
	m->nhandles++;
	if ((c->next = m->conns) != NULL)
		c->next->prev = c;
	m->conns = c;
	m->nconns++;
	uv_timer_start(&c->timer, http_timeout, METRICS_TIMEOUT_MS, 0);
	if (uv_read_start((uv_stream_t *)&c->h, http_alloc, http_read) != 0)
		http_close(c);
}

/* ---- The listener ------------------------------------------------------ */

/* "A.B.C.D:PORT" or "[V6]:PORT" into ss (the configuration checked it,
 * but this is a library too). 0 or -EINVAL. */
static int
metrics_parse_addr(const char *addr, struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN + 1], *end;
	const char *h = addr, *colon;
	unsigned long port;
	size_t hlen;

	if (addr[0] == '[') {
		h = addr + 1;
		if ((colon = strchr(h, ']')) == NULL || colon[1] != ':')
			return -EINVAL;
		hlen = (size_t)(colon++ - h);
	} else if ((colon = strrchr(addr, ':')) != NULL) {
		hlen = (size_t)(colon - addr);
	} else
		return -EINVAL;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (hlen >= sizeof(host) || errno != 0 || *end != '\0' ||
	    end == colon + 1 || port == 0 || port > 65535)
		return -EINVAL;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (addr[0] == '[')
		return uv_ip6_addr(host, (int)port,
		    (struct sockaddr_in6 *)ss) == 0 ? 0 : -EINVAL;
	return uv_ip4_addr(host, (int)port, (struct sockaddr_in *)ss) == 0 ?
	    0 : -EINVAL;
}

static void
metrics_listener_closed(uv_handle_t *h)
{
	metrics_handle_gone(h->data);
}

int
metrics_open(struct metrics **out, uv_loop_t *loop, const char *addr,
    const struct stats *st)
{
	struct sockaddr_storage ss;
	struct metrics *m;
	int rc;

	*out = NULL;
	if ((rc = metrics_parse_addr(addr, &ss)) != 0)
		return rc;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return -ENOMEM;
	m->loop = loop;
	m->st = st;
	snprintf(m->name, sizeof(m->name), "metrics %s", addr);
	uv_tcp_init(loop, &m->listener);
	m->listener.data = m;
	m->nhandles = 1;
	if ((rc = uv_tcp_bind(&m->listener, (const struct sockaddr *)&ss,
	    ss.ss_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0)) != 0 ||
	    (rc = uv_listen((uv_stream_t *)&m->listener, METRICS_BACKLOG,
	    http_accept)) != 0) {
		metrics_close(m);
		return rc;
	}
	*out = m;
	return 0;
}

void
metrics_close(struct metrics *m)
{
	if (m == NULL)
		return;
	m->closing = 1;
	uv_close((uv_handle_t *)&m->listener, metrics_listener_closed);
	while (m->conns != NULL)
		http_close(m->conns);
}
