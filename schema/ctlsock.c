/* ctlsock.c -- the control socket's client side: where it is, one request
 * and its JSON answer, and the stats answer as text for reputectl. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "ctlsock.h"

int
ctlsock_path(const struct cfg *cfg, char *buf, size_t len)
{
	struct sockaddr_un sun;
	int n;

	if (cfg->server.control_socket != NULL)
		n = snprintf(buf, len, "%s", cfg->server.control_socket);
	else
		n = snprintf(buf, len, "%s/%s", cfg->server.database,
		    CTLSOCK_NAME);
	if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	return 0;
}

/* ---- The request ------------------------------------------------------- */

/* Wait until fd is ready for events: 0, -ETIMEDOUT or -errno. */
static int
ctlsock_wait(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do
		n = poll(&p, 1, CTLSOCK_TIMEOUT_MS);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == 0 ? -ETIMEDOUT : 0;
}

static int
ctlsock_connect(const char *path, int *out)
{
	struct sockaddr_un sun;
	int fd, rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -errno;
	/* A Unix socket's connect does not wait for the daemon: it either
	 * queues on the listener at once or fails (the backlog is full:
	 * EAGAIN, taken as a timeout). */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		rc = errno == EAGAIN ? -ETIMEDOUT : -errno;
		close(fd);
		return rc;
	}
	*out = fd;
	return 0;
}

/* Write the command line; 0 or a negative code. */
static int
ctlsock_send(int fd, const char *cmd)
{
	char line[CTLSOCK_CMD_MAX];
	size_t len, off = 0;
	ssize_t n;
	int rc;

	len = (size_t)snprintf(line, sizeof(line), "%s\n", cmd);
	if (len >= sizeof(line))
		return -E2BIG;
	while (off < len) {
		if ((rc = ctlsock_wait(fd, POLLOUT)) != 0)
			return rc;
		n = send(fd, line + off, len - off,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return -errno;
		if (n > 0)
			off += (size_t)n;
	}
	return 0;
}

/* Read until EOF into *buf (NUL-terminated, yours): 0 or negative. */
static int
ctlsock_recv(int fd, char **buf, size_t *len)
{
	size_t cap = 0;
	char *p = NULL, *np;
	ssize_t n;
	int rc;

	*len = 0;
	for (;;) {
		if (cap - *len < 4096) {
			if (cap >= CTLSOCK_REPLY_MAX) {
				free(p);
				return -EMSGSIZE;
			}
			cap = cap == 0 ? 16384 : cap * 2;
			if ((np = realloc(p, cap + 1)) == NULL) {
				free(p);
				return -ENOMEM;
			}
			p = np;
		}
		if ((rc = ctlsock_wait(fd, POLLIN)) != 0) {
			free(p);
			return rc;
		}
		n = recv(fd, p + *len, cap - *len, MSG_DONTWAIT);
		if (n == 0)
			break;
		if (n < 0 && errno != EINTR && errno != EAGAIN) {
			rc = -errno;
			free(p);
			return rc;
		}
		if (n > 0)
			*len += (size_t)n;
	}
	p[*len] = '\0';
	*buf = p;
	return 0;
}

/* Parse the reply: 0 with *out, or -EPROTO with why in err. */
static int
ctlsock_parse(const char *buf, size_t len, json_t **out, char *err,
    size_t errlen)
{
	json_error_t je;
	json_t *root, *e;

	if ((root = json_loadb(buf, len, 0, &je)) == NULL) {
		snprintf(err, errlen, "the daemon's answer is not JSON: %s",
		    je.text);
		return -EPROTO;
	}
	if ((e = json_object_get(root, "error")) != NULL) {
		snprintf(err, errlen, "the daemon says: %s",
		    json_is_string(e) ? json_string_value(e) : "error");
		json_decref(root);
		return -EPROTO;
	}
	*out = root;
	return 0;
}

int
ctlsock_request(const char *path, const char *cmd, json_t **out,
    char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	int fd = -1, rc;

	*out = NULL;
	if ((rc = ctlsock_connect(path, &fd)) != 0) {
		snprintf(err, errlen, "cannot connect to reputed's control "
		    "socket %s: %s%s", path, strerror(-rc), rc == -ENOENT ||
		    rc == -ECONNREFUSED ? " (is reputed running?)" : "");
		return rc;
	}
	if ((rc = ctlsock_send(fd, cmd)) == 0)
		rc = ctlsock_recv(fd, &buf, &len);
	close(fd);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", path, rc == -ETIMEDOUT ?
		    "no answer from reputed in time" : strerror(-rc));
		return rc;
	}
	rc = ctlsock_parse(buf, len, out, err, errlen);
	free(buf);
	return rc;
}

/* ---- Stats as text ----------------------------------------------------- */

#define CTL_COLS_MAX	64	/* zones shown side by side; more: rows */

static uint64_t
jnum(json_t *o, const char *k1, const char *k2)
{
	json_t *v = json_object_get(o, k1);

	if (k2 != NULL)
		v = json_object_get(v, k2);
	return json_is_integer(v) && json_integer_value(v) > 0 ?
	    (uint64_t)json_integer_value(v) : 0;
}

/* The columns: total, each zone, then the traffic of no zone. */
struct cols {
	const char	*name[CTL_COLS_MAX + 2];
	json_t		*c[CTL_COLS_MAX + 2];
	int		 width[CTL_COLS_MAX + 2];
	size_t		 n;
};

static void
cols_add(struct cols *t, const char *name, json_t *c)
{
	if (t->n < sizeof(t->c) / sizeof(t->c[0]) && json_is_object(c)) {
		t->name[t->n] = name;
		t->c[t->n++] = c;
	}
}

/* One row: label, then k1 (and k2 below it) of each column. Rows of a
 * breakdown (optional) are left out when the total is 0. */
static void
row(FILE *f, const struct cols *t, const char *label, const char *k1,
    const char *k2, int optional)
{
	size_t i;

	if (optional && jnum(t->c[0], k1, k2) == 0)
		return;
	fprintf(f, "%-18s", label);
	for (i = 0; i < t->n; i++)
		fprintf(f, "  %*" PRIu64, t->width[i], jnum(t->c[i], k1, k2));
	fputc('\n', f);
}

static void
cols_width(struct cols *t)
{
	char num[24];
	size_t i;
	int w;

	for (i = 0; i < t->n; i++) {
		/* Queries are the largest count of a column. */
		w = snprintf(num, sizeof(num), "%" PRIu64,
		    jnum(t->c[i], "queries", NULL));
		t->width[i] = (int)strlen(t->name[i]) > w ?
		    (int)strlen(t->name[i]) : w;
	}
}

/* The rows of every key of the object at k1 (qtypes, rcodes). */
static void
rows_of(FILE *f, const struct cols *t, const char *k1, const char *prefix)
{
	const char *key;
	char label[64];
	json_t *v;

	json_object_foreach(json_object_get(t->c[0], k1), key, v) {
		(void)v;
		snprintf(label, sizeof(label), "  %s%s", prefix, key);
		row(f, t, label, k1, key, 1);
	}
}

static void
counters_table(FILE *f, struct cols *t)
{
	size_t i;

	cols_width(t);
	fprintf(f, "%-18s", "");
	for (i = 0; i < t->n; i++)
		fprintf(f, "  %*s", t->width[i], t->name[i]);
	fputc('\n', f);
	row(f, t, "queries", "queries", NULL, 0);
	row(f, t, "  udp", "udp", "queries", 0);
	row(f, t, "  tcp", "tcp", "queries", 0);
	rows_of(f, t, "qtypes", "type ");
	rows_of(f, t, "rcodes", "");
	row(f, t, "listed", "listed", NULL, 0);
	row(f, t, "not listed", "not_listed", NULL, 0);
	row(f, t, "lookup errors", "lookup_errors", NULL, 0);
	row(f, t, "truncated", "truncated", NULL, 0);
	row(f, t, "rate limited", "rate_limited", NULL, 0);
	row(f, t, "slipped", "slipped", NULL, 0);
	row(f, t, "acl refused", "acl_refused", NULL, 0);
	row(f, t, "malformed", "malformed", NULL, 0);
}

/* The bound of the bucket holding the q-th fraction of h's answers. */
static void
quantile(json_t *h, double q, char *buf, size_t len)
{
	uint64_t count = jnum(h, "count", NULL), cum = 0;
	json_t *b, *le;
	size_t i;

	if (count == 0) {
		snprintf(buf, len, "-");
		return;
	}
	json_array_foreach(json_object_get(h, "buckets"), i, b) {
		cum += jnum(b, "count", NULL);
		if ((double)cum < q * (double)count)
			continue;
		le = json_object_get(b, "le_us");
		if (json_is_integer(le))
			snprintf(buf, len, "<=%" JSON_INTEGER_FORMAT "us",
			    json_integer_value(le));
		else
			snprintf(buf, len, "more");
		return;
	}
	snprintf(buf, len, "?");
}

static void
latency_table(FILE *f, json_t *lat)
{
	static const struct { const char *label; double q; } qs[] = {
		{ "  p50", 0.5 }, { "  p90", 0.9 }, { "  p99", 0.99 },
		{ "  max", 1.0 },
	};
	static const char *const tr[] = { "udp", "tcp" };
	char cell[32];
	json_t *h;
	size_t i, k;

	fprintf(f, "\n%-18s  %10s  %10s\n", "latency", tr[0], tr[1]);
	fprintf(f, "%-18s", "  answers");
	for (k = 0; k < 2; k++)
		fprintf(f, "  %10" PRIu64, jnum(json_object_get(lat, tr[k]),
		    "count", NULL));
	fprintf(f, "\n%-18s", "  mean");
	for (k = 0; k < 2; k++) {
		h = json_object_get(lat, tr[k]);
		if (jnum(h, "count", NULL) == 0)
			snprintf(cell, sizeof(cell), "-");
		else
			snprintf(cell, sizeof(cell), "%" PRIu64 "us",
			    jnum(h, "sum_us", NULL) / jnum(h, "count", NULL));
		fprintf(f, "  %10s", cell);
	}
	fputc('\n', f);
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		fprintf(f, "%-18s", qs[i].label);
		for (k = 0; k < 2; k++) {
			quantile(json_object_get(lat, tr[k]), qs[i].q, cell,
			    sizeof(cell));
			fprintf(f, "  %10s", cell);
		}
		fputc('\n', f);
	}
}

static void
sockets_lines(FILE *f, json_t *s)
{
	if (!json_is_object(s))
		return;
	fprintf(f, "\nudp: %" PRIu64 " received, %" PRIu64 " sent, %" PRIu64
	    " send errors, %" PRIu64 " receive errors\n",
	    jnum(s, "udp_received", NULL), jnum(s, "udp_sent", NULL),
	    jnum(s, "udp_send_errors", NULL),
	    jnum(s, "udp_receive_errors", NULL));
	fprintf(f, "tcp: %" PRIu64 " open, %" PRIu64 " accepted, %" PRIu64
	    " refused, %" PRIu64 " evicted, %" PRIu64 " timed out\n",
	    jnum(s, "tcp_open", NULL), jnum(s, "tcp_accepted", NULL),
	    jnum(s, "tcp_refused", NULL), jnum(s, "tcp_evicted", NULL) +
	    jnum(s, "tcp_evicted_client", NULL), jnum(s, "tcp_timeouts", NULL) +
	    jnum(s, "tcp_expired", NULL));
}

void
ctlsock_stats_print(FILE *f, json_t *stats)
{
	struct cols t;
	const char *key;
	json_t *zones, *v;
	uint64_t up = jnum(stats, "uptime", NULL);

	memset(&t, 0, sizeof(t));
	zones = json_object_get(stats, "zones");
	fprintf(f, "reputed pid %" PRIu64 ", up %" PRIu64 "d%02" PRIu64 "h%02"
	    PRIu64 "m%02" PRIu64 "s, %zu zone(s), %" PRIu64 " reload(s)\n\n",
	    jnum(stats, "pid", NULL), up / 86400, up / 3600 % 24,
	    up / 60 % 60, up % 60, json_object_size(zones),
	    jnum(stats, "reloads", NULL));
	cols_add(&t, "total", json_object_get(stats, "total"));
	json_object_foreach(zones, key, v)
		if (t.n <= CTL_COLS_MAX)
			cols_add(&t, key, v);
	cols_add(&t, "(no zone)", json_object_get(stats, "unmatched"));
	if (t.n > 0)
		counters_table(f, &t);
	if (json_object_size(zones) > CTL_COLS_MAX)
		fprintf(f, "(%zu more zones: see --json)\n",
		    json_object_size(zones) - CTL_COLS_MAX);
	latency_table(f, json_object_get(stats, "latency"));
	sockets_lines(f, json_object_get(stats, "sockets"));
}
