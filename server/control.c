/* control.c -- the control socket: one command line in, one JSON document
 * out (ctlsock.h), on the loop; used by `reputectl stats`. */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <uv.h>

#include "control.h"
#include "ctlsock.h"
#include "listen.h"
#include "log.h"

#define CONTROL_BACKLOG	8

/* One client: a command line read into in, one answer, then closed. */
struct control_conn {
	struct control		*ctl;
	struct control_conn	*prev, *next;
	uv_pipe_t		 h;
	uv_timer_t		 timer;	/* the whole connection's */
	uv_write_t		 wreq;
	uv_shutdown_t		 sreq;
	char			*resp;		/* being written */
	size_t			 inlen;
	int			 nopen;
	unsigned		 responded:1, closing:1;
	char			 in[CTLSOCK_CMD_MAX];
};

struct control {
	uv_loop_t		*loop;
	const struct stats	*st;
	uv_pipe_t		 listener;
	struct control_conn	*conns;
	unsigned		 nconns;
	size_t			 nhandles;
	int			 closing;
	char			*path;
	dev_t			 dev;	/* of the socket we made */
	ino_t			 ino;
};

/* ---- The stats document ------------------------------------------------ */

/* {"A": n, ...} of one transport (tr >= 0) or of both (tr < 0). */
static json_t *
json_qtypes(const struct stats_counters *c, int tr)
{
	json_t *o = json_object();
	unsigned q;

	for (q = 0; o != NULL && q < STATS_NQTYPES; q++)
		json_object_set_new(o, stats_qtype_name(q), json_integer(
		    (json_int_t)(tr < 0 ? stats_qtype_all(c, q) :
		    c->queries[tr][q])));
	return o;
}

static json_t *
json_rcodes(const struct stats_counters *c, int tr)
{
	json_t *o = json_object();
	unsigned r;

	for (r = 0; o != NULL && r < STATS_NRCODES; r++)
		json_object_set_new(o, stats_rcode_name(r), json_integer(
		    (json_int_t)(tr < 0 ? stats_rcode_all(c, r) :
		    c->rcodes[tr][r])));
	return o;
}

static json_t *
json_transport(const struct stats_counters *c, enum query_transport tr)
{
	return json_pack("{s:I, s:o, s:o}",
	    "queries", (json_int_t)stats_queries_by(c, tr),
	    "qtypes", json_qtypes(c, (int)tr),
	    "rcodes", json_rcodes(c, (int)tr));
}

static json_t *
json_counters(const struct stats_counters *c)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, "
	    "s:I, s:I, s:I, s:I}",
	    "queries", (json_int_t)stats_queries(c),
	    "qtypes", json_qtypes(c, -1),
	    "rcodes", json_rcodes(c, -1),
	    "udp", json_transport(c, QUERY_UDP),
	    "tcp", json_transport(c, QUERY_TCP),
	    "listed", (json_int_t)c->listed,
	    "not_listed", (json_int_t)c->not_listed,
	    "lookup_errors", (json_int_t)c->lookup_errors,
	    "truncated", (json_int_t)c->truncated,
	    "rate_limited", (json_int_t)c->rate_limited,
	    "slipped", (json_int_t)c->slipped,
	    "acl_refused", (json_int_t)c->acl_refused,
	    "malformed", (json_int_t)c->malformed);
}

static json_t *
json_hist(const struct stats_hist *h)
{
	json_t *b = json_array(), *le;
	unsigned i;

	for (i = 0; b != NULL && i < STATS_BUCKETS; i++) {
		le = i < STATS_BUCKETS - 1 ?
		    json_integer((json_int_t)stats_bucket_us(i)) : json_null();
		json_array_append_new(b, json_pack("{s:o, s:I}", "le_us", le,
		    "count", (json_int_t)h->bucket[i]));
	}
	return json_pack("{s:I, s:I, s:o}", "count", (json_int_t)h->count,
	    "sum_us", (json_int_t)(h->sum_ns / 1000), "buckets", b);
}

static json_t *
json_sockets(const struct listen_stats *l)
{
	if (l == NULL)
		return json_null();
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
	    "s:I, s:I, s:I, s:I}",
	    "udp_received", (json_int_t)l->udp_in,
	    "udp_sent", (json_int_t)l->udp_out,
	    "udp_send_errors", (json_int_t)l->udp_send_failed,
	    "udp_receive_errors", (json_int_t)l->udp_recv_failed,
	    "tcp_accepted", (json_int_t)l->tcp_accepted,
	    "tcp_refused", (json_int_t)l->tcp_refused,
	    "tcp_evicted", (json_int_t)l->tcp_evicted,
	    "tcp_evicted_client", (json_int_t)l->tcp_evicted_client,
	    "tcp_timeouts", (json_int_t)l->tcp_timeouts,
	    "tcp_expired", (json_int_t)l->tcp_expired,
	    "tcp_max_queries", (json_int_t)l->tcp_max_queries,
	    "tcp_received", (json_int_t)l->tcp_in,
	    "tcp_sent", (json_int_t)l->tcp_out,
	    "tcp_open", (json_int_t)l->tcp_open);
}

json_t *
control_stats_json(const struct stats *st)
{
	struct stats_counters tot;
	json_t *zones = json_object();
	time_t now = time(NULL);
	size_t i;

	stats_total(st, &tot);
	for (i = 0; zones != NULL && i < st->nzones; i++)
		json_object_set_new(zones, st->zones[i].name,
		    json_counters(&st->zones[i].c));
	/* json_pack takes the references, and fails whole on a NULL. */
	return json_pack("{s:i, s:I, s:I, s:I, s:I, s:o, s:o, s:o, "
	    "s:{s:o, s:o}, s:o}",
	    "version", CTLSOCK_VERSION,
	    "pid", (json_int_t)getpid(),
	    "started", (json_int_t)st->started,
	    "uptime", (json_int_t)(now > st->started ? now - st->started : 0),
	    "reloads", (json_int_t)st->reloads,
	    "total", json_counters(&tot),
	    "zones", zones,
	    "unmatched", json_counters(&st->unmatched),
	    "latency",
	    "udp", json_hist(&st->latency[QUERY_UDP]),
	    "tcp", json_hist(&st->latency[QUERY_TCP]),
	    "sockets", json_sockets(st->listen));
}

/* ---- Connections ------------------------------------------------------- */

static void
control_handle_gone(struct control *ctl)
{
	if (--ctl->nhandles == 0 && ctl->closing) {
		free(ctl->path);
		free(ctl);
	}
}

static void
conn_closed(uv_handle_t *h)
{
	struct control_conn *c = h->data;
	struct control *ctl = c->ctl;

	if (--c->nopen == 0) {
		free(c->resp);
		free(c);
	}
	control_handle_gone(ctl);
}

static void
conn_close(struct control_conn *c)
{
	struct control *ctl = c->ctl;

	if (c->closing)
		return;
	c->closing = 1;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		ctl->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	ctl->nconns--;
	uv_close((uv_handle_t *)&c->h, conn_closed);
	uv_close((uv_handle_t *)&c->timer, conn_closed);
}

static void
conn_timeout(uv_timer_t *t)
{
	conn_close(t->data);
}

/* The answer to one command line (no newline): a new reference. */
static json_t *
control_answer(struct control *ctl, const char *cmd)
{
	if (strcmp(cmd, "stats") == 0)
		return control_stats_json(ctl->st);
	return json_pack("{s:s}", "error", "unknown command (there is: "
	    "stats)");
}

static void
conn_shut(uv_shutdown_t *req, int status)
{
	struct control_conn *c = req->data;

	/* Then read on until the client's EOF (or the timer), as
	 * metrics.c does: closing with bytes unread resets the peer. */
	if (status < 0 && !c->closing)
		conn_close(c);
}

static void
conn_written(uv_write_t *req, int status)
{
	struct control_conn *c = req->data;

	free(c->resp);
	c->resp = NULL;
	if (c->closing)
		return;
	c->sreq.data = c;
	if (status < 0 || uv_shutdown(&c->sreq, (uv_stream_t *)&c->h,
	    conn_shut) != 0)
		conn_close(c);
}

/* Answer the command line (or why there is none) and send it. */
static void
conn_respond(struct control_conn *c, const char *cmd, const char *error)
{
	json_t *root;
	uv_buf_t b;
	size_t len;

	c->responded = 1;
	root = error != NULL ? json_pack("{s:s}", "error", error) :
	    control_answer(c->ctl, cmd);
	c->resp = root != NULL ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	if (c->resp == NULL) {
		log_warnx("control: out of memory for an answer");
		conn_close(c);
		return;
	}
	len = strlen(c->resp);
	c->resp[len] = '\n';	/* over the NUL: the length is known */
	b = uv_buf_init(c->resp, (unsigned)(len + 1));
	c->inlen = 0;
	c->wreq.data = c;
	if (uv_write(&c->wreq, (uv_stream_t *)&c->h, &b, 1,
	    conn_written) != 0)
		conn_close(c);
}

static void
conn_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct control_conn *c = h->data;

	(void)suggested;
	/* in keeps a byte for the NUL; once answered, reads are dropped. */
	*buf = uv_buf_init(c->in + c->inlen,
	    (unsigned)(sizeof(c->in) - 1 - c->inlen));
}

static void
conn_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct control_conn *c = s->data;
	char *nl;

	(void)buf;
	if (nread < 0) {
		/* A command without its newline still counts at EOF. */
		if (nread == UV_EOF && !c->responded && c->inlen > 0) {
			c->in[c->inlen] = '\0';
			conn_respond(c, c->in, NULL);
		} else
			conn_close(c);
		return;
	}
	if (nread == 0 || c->responded)
		return;
	c->inlen += (size_t)nread;
	c->in[c->inlen] = '\0';
	if ((nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		*nl = '\0';
		if (nl > c->in && nl[-1] == '\r')
			nl[-1] = '\0';
		conn_respond(c, c->in, NULL);
	} else if (c->inlen == sizeof(c->in) - 1)
		conn_respond(c, NULL, "command line too long");
}

static void
control_accept(uv_stream_t *srv, int status)
{
	struct control *ctl = srv->data;
	struct control_conn *c;

	if (status < 0 || (c = calloc(1, sizeof(*c))) == NULL)
		return;
	c->ctl = ctl;
	uv_pipe_init(ctl->loop, &c->h, 0);
	c->h.data = c;
	c->nopen = 1;
	ctl->nhandles++;
	if (uv_accept(srv, (uv_stream_t *)&c->h) != 0 ||
	    ctl->nconns >= CONTROL_CONNS) {
		c->closing = 1;
		uv_close((uv_handle_t *)&c->h, conn_closed);
		return;
	}
	uv_timer_init(ctl->loop, &c->timer);
	c->timer.data = c;
	c->nopen++;
	ctl->nhandles++;
	if ((c->next = ctl->conns) != NULL)
		c->next->prev = c;
	ctl->conns = c;
	ctl->nconns++;
	uv_timer_start(&c->timer, conn_timeout, CTLSOCK_TIMEOUT_MS, 0);
	if (uv_read_start((uv_stream_t *)&c->h, conn_alloc, conn_read) != 0)
		conn_close(c);
}

/* ---- The socket file --------------------------------------------------- */

/*
 * Make room for our socket at path: nothing there is fine; a socket
 * nobody listens on (its daemon died) is removed. 0, -EADDRINUSE (a
 * daemon answers on it), -EEXIST (not a socket) or -errno.
 */
static int
control_clear(const char *path)
{
	struct sockaddr_un sun;
	struct stat sb;
	int fd, rc;

	if (lstat(path, &sb) == -1)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(sb.st_mode))
		return -EEXIST;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -errno;
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 ?
	    -EADDRINUSE : errno == ECONNREFUSED ? 0 : -errno;
	close(fd);
	if (rc == 0 && unlink(path) == -1 && errno != ENOENT)
		rc = -errno;
	return rc;
}

/* Mode 0660 and, as root with a run user, that user's. */
static int
control_own(struct control *ctl, const char *user)
{
	struct passwd *pw;
	struct stat sb;

	if (lstat(ctl->path, &sb) == -1)
		return -errno;
	ctl->dev = sb.st_dev;
	ctl->ino = sb.st_ino;
	if (chmod(ctl->path, 0660) == -1)
		return -errno;
	/* privs_drop() says what is wrong with the user, if anything. */
	if (user != NULL && geteuid() == 0 && (pw = getpwnam(user)) != NULL &&
	    chown(ctl->path, pw->pw_uid, pw->pw_gid) == -1)
		return -errno;
	return 0;
}

static void
control_listener_closed(uv_handle_t *h)
{
	control_handle_gone(h->data);
}

int
control_open(struct control **out, uv_loop_t *loop, const char *path,
    const char *user, const struct stats *st)
{
	struct sockaddr_un sun;
	struct control *ctl;
	mode_t mask;
	int rc;

	*out = NULL;
	/* libuv would cut a longer path short without a word. */
	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	if ((rc = control_clear(path)) != 0)
		return rc;
	if ((ctl = calloc(1, sizeof(*ctl))) == NULL ||
	    (ctl->path = strdup(path)) == NULL) {
		free(ctl);
		return -ENOMEM;
	}
	ctl->loop = loop;
	ctl->st = st;
	uv_pipe_init(loop, &ctl->listener, 0);
	ctl->listener.data = ctl;
	ctl->nhandles = 1;
	/* Never, even for a moment, a socket others may connect to. */
	mask = umask(0117);
	rc = uv_pipe_bind(&ctl->listener, path);
	umask(mask);
	if (rc == 0 && (rc = control_own(ctl, user)) == 0)
		rc = uv_listen((uv_stream_t *)&ctl->listener,
		    CONTROL_BACKLOG, control_accept);
	if (rc != 0) {
		control_close(ctl);
		return rc;
	}
	*out = ctl;
	return 0;
}

void
control_close(struct control *ctl)
{
	struct stat sb;

	if (ctl == NULL)
		return;
	ctl->closing = 1;
	/* Only the file we made: another daemon may have taken the path,
	 * or a chroot may have moved what path names. */
	if (ctl->ino != 0 && lstat(ctl->path, &sb) == 0 &&
	    sb.st_dev == ctl->dev && sb.st_ino == ctl->ino)
		unlink(ctl->path);
	uv_close((uv_handle_t *)&ctl->listener, control_listener_closed);
	while (ctl->conns != NULL)
		conn_close(ctl->conns);
}
