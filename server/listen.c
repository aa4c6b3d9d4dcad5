/* listen.c -- UDP (recvmmsg/sendmmsg batches, rate-limited) and TCP
 * (framed, pipelined, with per-client and lifetime limits) serving. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <uv.h>

#include "listen.h"
#include "log.h"
#include "querylog.h"
#include "stats.h"
#include "rrl.h"

/*
 * UDP is read with our own recvmmsg() when libuv says the socket is
 * readable (a uv_poll_t on the socket uv_udp_bind made): one call reads
 * up to UDP_BATCH queries, one sendmmsg() answers them, and we go back to
 * the loop unless the batch was full. libuv's own reader calls recvmmsg()
 * again until it fails, one wasted system call per wake-up, which at
 * moderate rates is one per query. One set of buffers serves every socket:
 * a batch is answered and sent before the next one is read. No DNS query
 * needs more than UDP_MSG_MAX bytes; a longer datagram is dropped.
 */
#define UDP_MSG_MAX	8192
#define UDP_BATCH	32
#define UDP_ROUNDS	4		/* full batches before yielding */
#define UDP_RCVBUF	(4 * 1024 * 1024)	/* kernel queue for bursts */

#define TCP_BACKLOG	128
#define TCP_READ_MIN	4096		/* room offered to each read */
#define TCP_IN_MAX	(2 + QUERY_MAX_MSG + TCP_READ_MIN)
#define TCP_OUT_MAX	(64 * 1024)	/* stop reading beyond this */
#define WARN_EVERY_MS	10000		/* one warning per kind and period */
#define TCP_BUCKETS	1024		/* connections by client, hashed */

/* A growable byte buffer; memory is kept for reuse when emptied. */
struct lbuf {
	uint8_t	*p;
	size_t	 len;
	size_t	 cap;
};

/*
 * The answers to one recvmmsg batch, sent with one sendmmsg when the
 * batch ends. A UDP answer never exceeds QUERY_EDNS_SIZE (query.h).
 */
struct udp_out {
	struct mmsghdr		 msg[UDP_BATCH];
	struct iovec		 iov[UDP_BATCH];
	struct sockaddr_storage	 peer[UDP_BATCH];
	uint8_t			 buf[UDP_BATCH][QUERY_EDNS_SIZE];
	unsigned		 n;
};

/* Where one recvmmsg() batch lands. */
struct udp_in {
	struct mmsghdr		 msg[UDP_BATCH];
	struct iovec		 iov[UDP_BATCH];
	struct sockaddr_storage	 peer[UDP_BATCH];
	uint8_t			 buf[UDP_BATCH][UDP_MSG_MAX];
};

/* One listen address: its UDP socket and TCP listener. */
struct listener {
	struct listen_set	*ls;
	struct listener		*next;
	uv_udp_t		 udp;		/* owns the UDP socket */
	uv_poll_t		 poll;		/* readable events of it */
	int			 polling;	/* poll is initialised */
	uv_tcp_t		 tcp;
	int			 nopen;		/* handles not yet closed */
	char			 name[64];
};

/*
 * One TCP client. Open connections are on two lists: every one, least
 * recently active first (the next to go when the set is full), and those
 * of its client's hash bucket (to count and evict per client).
 */
struct tcp_conn {
	struct listen_set	*ls;
	struct tcp_conn		*prev, *next;	/* by activity */
	struct tcp_conn		*hprev, *hnext;	/* in its bucket */
	uv_tcp_t		 h;
	uv_timer_t		 idle;		/* idle or lifetime, sooner */
	uv_write_t		 wreq;
	uv_shutdown_t		 sreq;
	struct rp_addr		 peer;
	struct rp_addr		 key;		/* peer, IPv6 cut to /64 */
	unsigned		 bucket;
	uint64_t		 born, active;	/* uv_now() at accept, last
						 * whole message */
	uint64_t		 seq;		/* ls->seq then: an order */
	unsigned		 nq;		/* messages answered */
	struct lbuf		 in;	/* bytes read, not yet answered */
	struct lbuf		 out;	/* answers waiting for the next write */
	struct lbuf		 wbuf;	/* the bytes of the write in flight */
	int			 nopen;
	unsigned		 writing:1, reading:1, eof:1, closing:1;
	unsigned		 quota:1, shut:1;	/* tcp-max-queries */
};

struct listen_set {
	uv_loop_t		*loop;
	listen_answer_fn	*answer;
	void			*arg;
	struct rrl		*rrl;		/* NULL: no rate limit */
	struct listener		*listeners;
	struct tcp_conn		*conns, *last;	/* by activity */
	struct tcp_conn		*bucket[TCP_BUCKETS];
	uint64_t		 seq;		/* activity counter */
	struct listen_limits	 lim;
	size_t			 nhandles;	/* open, all kinds */
	int			 closing;
	struct udp_in		*uin;	/* UDP queries of one batch */
	struct udp_out		*uout;	/* UDP answers of one batch */
	uint8_t			*resp;	/* a TCP answer after 2 bytes */
	uint64_t		 warned[3]; /* uv_now() of the last warning */
	struct listen_stats	 stats;
	struct stats		*counters;	/* NULL: not counted */
	struct querylog		*qlog;		/* NULL: no query log */
};

enum { WARN_UDP, WARN_ACCEPT, WARN_TCP };

static void	conn_process(struct tcp_conn *);
static void	conn_read(uv_stream_t *, ssize_t, const uv_buf_t *);

/* Rate limit: true when a warning of this kind may be logged now. */
static int
listen_may_warn(struct listen_set *ls, int kind)
{
	uint64_t now = uv_now(ls->loop);

	if (ls->warned[kind] != 0 && now - ls->warned[kind] < WARN_EVERY_MS)
		return 0;
	ls->warned[kind] = now;
	return 1;
}

static int
lbuf_reserve(struct lbuf *b, size_t room, size_t max)
{
	size_t cap = b->cap != 0 ? b->cap : 4096;
	uint8_t *p;

	while (cap - b->len < room && cap < max)
		cap *= 2;
	if (cap > max)
		cap = max;
	if (cap - b->len < room)
		return -ENOBUFS;
	if (cap == b->cap)
		return 0;
	if ((p = realloc(b->p, cap)) == NULL)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

static void
listen_free(struct listen_set *ls)
{
	free(ls->uin);
	free(ls->uout);
	free(ls->resp);
	free(ls);
}

/* A handle of ls finished closing: free ls after the last one. */
static void
listen_handle_gone(struct listen_set *ls)
{
	if (--ls->nhandles == 0 && ls->closing)
		listen_free(ls);
}

/* The client's address as the store's type; an IPv4-mapped IPv6 one
 * (a dual-stack socket) as the IPv4 address it is. */
static void
listen_client(const struct sockaddr *sa, struct rp_addr *a)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

	memset(a, 0, sizeof(*a));
	if (sa->sa_family != AF_INET6) {
		a->family = RP_AF_INET;
		memcpy(a->bytes, &s4->sin_addr, 4);
	} else if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		a->family = RP_AF_INET;
		memcpy(a->bytes, s6->sin6_addr.s6_addr + 12, 4);
	} else {
		a->family = RP_AF_INET6;
		memcpy(a->bytes, s6->sin6_addr.s6_addr, 16);
	}
}

/* ---- UDP ---------------------------------------------------------------- */

/*
 * Send the batch's answers with as few sendmmsg() calls as the kernel
 * allows. The socket is libuv's, but libuv never queues on it (we do
 * not use uv_udp_send), so writing to it directly is safe. A refused
 * answer is dropped and counted: the client will retry.
 */
static void
udp_flush(struct listener *l)
{
	struct listen_set *ls = l->ls;
	struct udp_out *o = ls->uout;
	uv_os_fd_t fd;
	unsigned i = 0;
	int rc;

	if (o->n == 0)
		return;
	if (uv_fileno((uv_handle_t *)&l->udp, &fd) != 0) {
		ls->stats.udp_send_failed += o->n;
		o->n = 0;
		return;
	}
	while (i < o->n) {
		rc = sendmmsg(fd, o->msg + i, o->n - i, MSG_DONTWAIT);
		if (rc > 0) {
			ls->stats.udp_out += (unsigned)rc;
			i += (unsigned)rc;
			continue;
		}
		if (rc < 0 && errno == EINTR)
			continue;
		ls->stats.udp_send_failed++;
		if (listen_may_warn(ls, WARN_UDP))
			log_warn("%s: UDP send (answers dropped: %llu)",
			    l->name,
			    (unsigned long long)ls->stats.udp_send_failed);
		i++;
	}
	o->n = 0;
}

/* Answer one datagram into the batch's next slot. */
static void
udp_answer(struct listener *l, const uint8_t *in, size_t len,
    const struct sockaddr *peer)
{
	struct listen_set *ls = l->ls;
	struct udp_out *o = ls->uout;
	unsigned k = o->n;
	struct rp_addr client;
	enum rrl_verdict v;
	size_t n;

	ls->stats.udp_in++;
	listen_client(peer, &client);
	n = ls->answer(ls->arg, in, len, o->buf[k], QUERY_EDNS_SIZE,
	    QUERY_UDP, &client);
	if (n == 0) {
		stats_traffic(ls->counters, 0, len, 0);
		return;
	}
	if (ls->rrl != NULL && (v = rrl_check(ls->rrl, &client, o->buf[k], n,
	    uv_now(ls->loop))) != RRL_SEND) {
		ls->stats.udp_rate_limited++;
		stats_rate_limited(ls->counters, v == RRL_SLIP);
		if (v == RRL_DROP) {
			stats_traffic(ls->counters, 1, len, 0);
			return;
		}
		n = rrl_slip(o->buf[k], n);
	}
	stats_traffic(ls->counters, 1, len, n);
	if (ls->qlog != NULL)
		querylog_reply(ls->qlog, &client, o->buf[k], n);
	memcpy(&o->peer[k], peer, peer->sa_family == AF_INET6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	o->iov[k].iov_base = o->buf[k];
	o->iov[k].iov_len = n;
	memset(&o->msg[k], 0, sizeof(o->msg[k]));
	o->msg[k].msg_hdr.msg_name = &o->peer[k];
	o->msg[k].msg_hdr.msg_namelen = peer->sa_family == AF_INET6 ?
	    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	o->msg[k].msg_hdr.msg_iov = &o->iov[k];
	o->msg[k].msg_hdr.msg_iovlen = 1;
	if (++o->n == UDP_BATCH)
		udp_flush(l);
}

/* Read one batch; its number of datagrams, or -1 when nothing came. */
static int
udp_read_batch(struct listener *l, int fd)
{
	struct udp_in *in = l->ls->uin;
	int i, n;

	for (i = 0; i < UDP_BATCH; i++) {
		in->iov[i].iov_base = in->buf[i];
		in->iov[i].iov_len = UDP_MSG_MAX;
		memset(&in->msg[i].msg_hdr, 0, sizeof(in->msg[i].msg_hdr));
		in->msg[i].msg_hdr.msg_name = &in->peer[i];
		in->msg[i].msg_hdr.msg_namelen = sizeof(in->peer[i]);
		in->msg[i].msg_hdr.msg_iov = &in->iov[i];
		in->msg[i].msg_hdr.msg_iovlen = 1;
	}
	do
		n = recvmmsg(fd, in->msg, UDP_BATCH, MSG_DONTWAIT, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
		l->ls->stats.udp_recv_failed++;
		if (listen_may_warn(l->ls, WARN_UDP))
			log_warn("%s: UDP receive", l->name);
	}
	return n;
}

static void
udp_readable(uv_poll_t *p, int status, int events)
{
	struct listener *l = p->data;
	struct udp_in *in = l->ls->uin;
	struct msghdr *h;
	uv_os_fd_t fd;
	uint64_t t0;
	int round, i, n;

	(void)events;
	if (status < 0 || uv_fileno((uv_handle_t *)&l->udp, &fd) != 0) {
		l->ls->stats.udp_recv_failed++;
		return;
	}
	for (round = 0; round < UDP_ROUNDS; round++) {
		if ((n = udp_read_batch(l, fd)) <= 0)
			break;
		/* Latency from the batch read to its answers sent: a
		 * monotonic clock with nanoseconds, twice a batch (the
		 * coarse one ticks every few milliseconds). */
		t0 = uv_hrtime();
		for (i = 0; i < n; i++) {
			h = &in->msg[i].msg_hdr;
			if (h->msg_flags & MSG_TRUNC) {
				l->ls->stats.udp_recv_failed++;
				continue;
			}
			udp_answer(l, in->buf[i], in->msg[i].msg_len,
			    (const struct sockaddr *)h->msg_name);
		}
		udp_flush(l);
		stats_latency(l->ls->counters, QUERY_UDP, uv_hrtime() - t0,
		    (unsigned)n);
		if (n < UDP_BATCH)
			break;
	}
}

/* ---- TCP connections ---------------------------------------------------- */

static void
conn_closed(uv_handle_t *h)
{
	struct tcp_conn *c = h->data;
	struct listen_set *ls = c->ls;

	if (--c->nopen == 0) {
		free(c->in.p);
		free(c->out.p);
		free(c->wbuf.p);
		free(c);
	}
	listen_handle_gone(ls);
}

/* Which bucket a client's connections are in. */
static unsigned
conn_bucket(const struct rp_addr *key)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(key->bytes); i++)
		h = (h ^ key->bytes[i]) * 16777619u;
	return h % TCP_BUCKETS;
}

/* Append c to the activity list: it is the most recently active. */
static void
conn_push(struct tcp_conn *c)
{
	struct listen_set *ls = c->ls;

	c->next = NULL;
	if ((c->prev = ls->last) != NULL)
		ls->last->next = c;
	else
		ls->conns = c;
	ls->last = c;
}

static void
conn_pull(struct tcp_conn *c)
{
	struct listen_set *ls = c->ls;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		ls->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		ls->last = c->prev;
	c->prev = c->next = NULL;
}

static void
conn_link(struct tcp_conn *c)
{
	struct listen_set *ls = c->ls;

	conn_push(c);
	c->hprev = NULL;
	if ((c->hnext = ls->bucket[c->bucket]) != NULL)
		c->hnext->hprev = c;
	ls->bucket[c->bucket] = c;
	ls->stats.tcp_open++;
}

static void
conn_unlink(struct tcp_conn *c)
{
	struct listen_set *ls = c->ls;

	conn_pull(c);
	if (c->hprev != NULL)
		c->hprev->hnext = c->hnext;
	else
		ls->bucket[c->bucket] = c->hnext;
	if (c->hnext != NULL)
		c->hnext->hprev = c->hprev;
	c->hprev = c->hnext = NULL;
	ls->stats.tcp_open--;
}

/* Close c; a write in flight is cancelled (its callback sees closing). */
static void
conn_close(struct tcp_conn *c)
{
	if (c->closing)
		return;
	c->closing = 1;
	conn_unlink(c);
	uv_close((uv_handle_t *)&c->h, conn_closed);
	uv_close((uv_handle_t *)&c->idle, conn_closed);
}

static void
conn_timeout(uv_timer_t *t)
{
	struct tcp_conn *c = t->data;
	struct listen_set *ls = c->ls;

	if (ls->lim.lifetime_ms != 0 &&
	    uv_now(ls->loop) >= c->born + ls->lim.lifetime_ms)
		ls->stats.tcp_expired++;
	else
		ls->stats.tcp_timeouts++;
	conn_close(c);
}

/* Run the timer to the idle deadline or the end of c's lifetime. */
static void
conn_arm(struct tcp_conn *c)
{
	struct listen_set *ls = c->ls;
	uint64_t now = uv_now(ls->loop), due = c->active + ls->lim.idle_ms;

	if (ls->lim.lifetime_ms != 0 && c->born + ls->lim.lifetime_ms < due)
		due = c->born + ls->lim.lifetime_ms;
	uv_timer_start(&c->idle, conn_timeout, due > now ? due - now : 0, 0);
}

/* A whole message came: c is the most recently active connection. */
static void
conn_touch(struct tcp_conn *c)
{
	c->active = uv_now(c->ls->loop);
	c->seq = ++c->ls->seq;
	if (c->ls->last != c) {
		conn_pull(c);
		conn_push(c);
	}
	conn_arm(c);
}

static void
conn_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct tcp_conn *c = h->data;

	(void)suggested;
	/* Reading stops while a whole message waits, so what is buffered
	 * here is less than one message and TCP_IN_MAX always leaves room;
	 * a failed allocation comes back as UV_ENOBUFS. */
	if (lbuf_reserve(&c->in, TCP_READ_MIN, TCP_IN_MAX) != 0) {
		*buf = uv_buf_init(NULL, 0);
		return;
	}
	*buf = uv_buf_init((char *)c->in.p + c->in.len,
	    (unsigned)(c->in.cap - c->in.len));
}

static void
conn_written(uv_write_t *req, int status)
{
	struct tcp_conn *c = req->data;

	c->writing = 0;
	c->wbuf.len = 0;
	if (c->closing)
		return;
	if (status < 0) {
		conn_close(c);
		return;
	}
	/* Output drained: answer what waited, and read again. */
	conn_process(c);
}

/* Hand the queued answers to libuv, unless a write is in flight. */
static void
conn_flush(struct tcp_conn *c)
{
	struct lbuf t;
	uv_buf_t b;

	if (c->writing || c->closing || c->out.len == 0)
		return;
	t = c->wbuf;
	c->wbuf = c->out;
	c->out = t;
	b = uv_buf_init((char *)c->wbuf.p, (unsigned)c->wbuf.len);
	c->wreq.data = c;
	if (uv_write(&c->wreq, (uv_stream_t *)&c->h, &b, 1,
	    conn_written) != 0) {
		conn_close(c);
		return;
	}
	c->writing = 1;
}

/* Answer one message and queue the answer with its length prefix. */
static int
conn_answer(struct tcp_conn *c, const uint8_t *msg, size_t len)
{
	struct listen_set *ls = c->ls;
	uint64_t t0 = uv_hrtime();
	size_t n;

	ls->stats.tcp_in++;
	conn_touch(c);
	n = ls->answer(ls->arg, msg, len, ls->resp + 2, QUERY_MAX_MSG,
	    QUERY_TCP, &c->peer);
	stats_traffic(ls->counters, n != 0, len, n);
	if (n == 0)
		return 0;
	if (lbuf_reserve(&c->out, n + 2, SIZE_MAX) != 0)
		return -ENOMEM;
	if (ls->qlog != NULL)
		querylog_reply(ls->qlog, &c->peer, ls->resp + 2, n);
	ls->resp[0] = (uint8_t)(n >> 8);
	ls->resp[1] = (uint8_t)n;
	memcpy(c->out.p + c->out.len, ls->resp, n + 2);
	c->out.len += n + 2;
	ls->stats.tcp_out++;
	stats_latency(ls->counters, QUERY_TCP, uv_hrtime() - t0, 1);
	return 0;
}

/* Read only while the queued output is small: a client that does not
 * read its answers must not make us buffer without bound. */
static void
conn_flow(struct tcp_conn *c, int blocked)
{
	if (blocked && c->reading) {
		uv_read_stop((uv_stream_t *)&c->h);
		c->reading = 0;
	} else if (!blocked && !c->reading && !c->eof) {
		if (uv_read_start((uv_stream_t *)&c->h, conn_alloc,
		    conn_read) != 0) {
			conn_close(c);
			return;
		}
		c->reading = 1;
	}
}

static void
conn_shut(uv_shutdown_t *req, int status)
{
	struct tcp_conn *c = req->data;

	if (!c->closing && status < 0)
		conn_close(c);
}

/*
 * tcp-max-queries answered: once they are written, half-close, and read
 * (and drop) whatever else comes until the client's EOF or the timer. A
 * close with unread bytes would send a reset, which can destroy answers
 * the client has not read yet.
 */
static void
conn_wind_down(struct tcp_conn *c)
{
	if (!c->shut && !c->writing && c->out.len == 0) {
		c->shut = 1;
		c->sreq.data = c;
		if (uv_shutdown(&c->sreq, (uv_stream_t *)&c->h,
		    conn_shut) != 0) {
			conn_close(c);
			return;
		}
	}
	conn_flow(c, 0);
}

/*
 * Answer every whole message buffered, in order, while the queued output
 * is below TCP_OUT_MAX and the connection has answers left; then write,
 * and decide whether to read on.
 */
static void
conn_process(struct tcp_conn *c)
{
	struct listen_set *ls = c->ls;
	size_t off = 0, len;
	int blocked = 0;

	while (!c->quota && c->in.len - off >= 2) {
		len = (size_t)c->in.p[off] << 8 | c->in.p[off + 1];
		if (c->in.len - off - 2 < len)
			break;
		if (c->out.len >= TCP_OUT_MAX) {
			blocked = 1;
			break;
		}
		if (conn_answer(c, c->in.p + off + 2, len) != 0) {
			conn_close(c);
			return;
		}
		off += 2 + len;
		if (ls->lim.max_queries != 0 &&
		    ++c->nq >= ls->lim.max_queries) {
			c->quota = 1;
			ls->stats.tcp_max_queries++;
		}
	}
	if (c->quota)
		off = c->in.len;	/* past the last answer: dropped */
	if (off > 0) {
		memmove(c->in.p, c->in.p + off, c->in.len - off);
		c->in.len -= off;
	}
	conn_flush(c);
	if (c->closing)
		return;
	/* After EOF, what is left is part of a message that never ends. */
	if (c->eof && !blocked && !c->writing && c->out.len == 0)
		conn_close(c);
	else if (c->quota)
		conn_wind_down(c);
	else
		conn_flow(c, blocked);
}

static void
conn_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct tcp_conn *c = s->data;

	(void)buf;
	if (nread == UV_EOF) {
		/* A client may half-close after its queries: answer them. */
		c->eof = 1;
		c->reading = 0;
		uv_read_stop(s);
		conn_process(c);
		return;
	}
	if (nread < 0) {
		if (nread != UV_ECONNRESET && nread != UV_ENOTCONN &&
		    listen_may_warn(c->ls, WARN_TCP))
			log_warnx("TCP read: %s", uv_strerror((int)nread));
		conn_close(c);
		return;
	}
	if (nread == 0)
		return;
	c->in.len += (size_t)nread;
	conn_process(c);
}

/*
 * Read what a new client has sent already, as it is accepted: libuv
 * accepts every pending connection before it reads from any, and in a
 * burst of them, a client whose query is waiting must be answered
 * before the newcomers push its connection out. libuv never buffers
 * what it reads, so reading the socket directly here is safe; EOF and
 * errors are left for libuv's reader to find.
 */
static void
conn_read_now(struct tcp_conn *c)
{
	uv_os_fd_t fd;
	ssize_t n;

	if (c->closing || !c->reading ||
	    uv_fileno((uv_handle_t *)&c->h, &fd) != 0 ||
	    lbuf_reserve(&c->in, TCP_READ_MIN, TCP_IN_MAX) != 0)
		return;
	n = recv(fd, c->in.p + c->in.len, c->in.cap - c->in.len,
	    MSG_DONTWAIT);
	if (n > 0) {
		c->in.len += (size_t)n;
		conn_process(c);
	}
}

/* The least recently active connection of c's client, and how many it
 * has open. */
static struct tcp_conn *
conn_client_oldest(const struct tcp_conn *c, unsigned *n)
{
	struct tcp_conn *o, *old = NULL;

	*n = 0;
	for (o = c->ls->bucket[c->bucket]; o != NULL; o = o->hnext) {
		if (memcmp(&o->key, &c->key, sizeof(o->key)) != 0)
			continue;
		(*n)++;
		if (old == NULL || o->seq < old->seq)
			old = o;
	}
	return old;
}

/*
 * Make room for c: over tcp-clients-per-ip its client's least recently
 * active connection goes, over tcp-clients the least recently active of
 * all. A client trickling bytes (slow loris) never completes a message,
 * so its connections are the first to go.
 */
static void
conn_make_room(struct tcp_conn *c)
{
	struct listen_set *ls = c->ls;
	struct tcp_conn *old;
	unsigned n;

	while ((old = conn_client_oldest(c, &n)) != NULL &&
	    n >= ls->lim.tcp_per_client) {
		ls->stats.tcp_evicted_client++;
		conn_close(old);
	}
	while (ls->conns != NULL && ls->stats.tcp_open >= ls->lim.tcp_clients) {
		ls->stats.tcp_evicted++;
		conn_close(ls->conns);
	}
}

/* Who c is: its address, and the key its client is counted by. */
static int
conn_peer(struct tcp_conn *c)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);

	if (uv_tcp_getpeername(&c->h, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	listen_client((const struct sockaddr *)&ss, &c->peer);
	c->key = c->peer;
	if (c->key.family == RP_AF_INET6)
		memset(c->key.bytes + 8, 0, 8);	/* one host: a /64 */
	c->bucket = conn_bucket(&c->key);
	return 0;
}

/* Take a new connection, making room for it if the set is full. */
static void
tcp_accept(uv_stream_t *srv, int status)
{
	struct listener *l = srv->data;
	struct listen_set *ls = l->ls;
	struct tcp_conn *c;

	if (status < 0 || (c = calloc(1, sizeof(*c))) == NULL) {
		if (listen_may_warn(ls, WARN_ACCEPT))
			log_warnx("%s: TCP accept: %s", l->name, status < 0 ?
			    uv_strerror(status) : "out of memory");
		return;
	}
	c->ls = ls;
	uv_tcp_init(ls->loop, &c->h);
	c->h.data = c;
	c->nopen = 1;
	ls->nhandles++;
	if (uv_accept(srv, (uv_stream_t *)&c->h) != 0 || conn_peer(c) != 0) {
		ls->stats.tcp_refused++;
		c->closing = 1;
		uv_close((uv_handle_t *)&c->h, conn_closed);
		return;
	}
	conn_make_room(c);
	uv_timer_init(ls->loop, &c->idle);
	c->idle.data = c;
	c->nopen++;
	ls->nhandles++;
	conn_link(c);
	ls->stats.tcp_accepted++;
	uv_tcp_nodelay(&c->h, 1);
	c->born = c->active = uv_now(ls->loop);
	c->seq = ++ls->seq;
	conn_arm(c);
	conn_flow(c, 0);
	conn_read_now(c);
}

/* ---- Listeners ---------------------------------------------------------- */

/* "A.B.C.D:PORT" or "[V6]:PORT" into ss. 0 or -EINVAL. */
static int
listen_parse(const char *addr, struct sockaddr_storage *ss)
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
	} else {
		if ((colon = strrchr(addr, ':')) == NULL)
			return -EINVAL;
		hlen = (size_t)(colon - addr);
	}
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
listener_closed(uv_handle_t *h)
{
	struct listener *l = h->data;
	struct listen_set *ls = l->ls;

	if (--l->nopen == 0)
		free(l);
	listen_handle_gone(ls);
}

static void
listener_close(struct listener *l)
{
	/* The poll watches the UDP socket: it goes first. */
	if (l->polling)
		uv_close((uv_handle_t *)&l->poll, listener_closed);
	uv_close((uv_handle_t *)&l->udp, listener_closed);
	uv_close((uv_handle_t *)&l->tcp, listener_closed);
}

/* Watch the bound UDP socket for queries. */
static int
listener_poll(struct listener *l)
{
	uv_os_fd_t fd;
	int rc;

	if ((rc = uv_fileno((uv_handle_t *)&l->udp, &fd)) != 0 ||
	    (rc = uv_poll_init_socket(l->ls->loop, &l->poll, fd)) != 0)
		return rc;
	l->poll.data = l;
	l->polling = 1;
	l->nopen++;
	l->ls->nhandles++;
	return uv_poll_start(&l->poll, UV_READABLE, udp_readable);
}

static int
listener_start(struct listener *l, const struct sockaddr *sa)
{
	unsigned v6 = sa->sa_family == AF_INET6;
	int rc, size = UDP_RCVBUF;

	if ((rc = uv_udp_bind(&l->udp, sa, v6 ? UV_UDP_IPV6ONLY : 0)) != 0 ||
	    (rc = listener_poll(l)) != 0 ||
	    (rc = uv_tcp_bind(&l->tcp, sa, v6 ? UV_TCP_IPV6ONLY : 0)) != 0 ||
	    (rc = uv_listen((uv_stream_t *)&l->tcp, TCP_BACKLOG,
	    tcp_accept)) != 0)
		return rc;
	/* Best effort: the kernel caps it at net.core.rmem_max. */
	if (uv_recv_buffer_size((uv_handle_t *)&l->udp, &size) != 0)
		log_debug("%s: cannot enlarge the UDP receive buffer",
		    l->name);
	return 0;
}

/* ---- The API ------------------------------------------------------------ */

void
listen_limits_cfg(struct listen_limits *lim, const struct cfg_server *cs)
{
	lim->tcp_clients = cs->tcp_clients;
	lim->tcp_per_client = cs->tcp_clients_per_ip;
	lim->idle_ms = (uint64_t)cs->tcp_idle_timeout * 1000;
	lim->lifetime_ms = (uint64_t)cs->tcp_timeout * 1000;
	lim->max_queries = cs->tcp_max_queries;
}

int
listen_new(struct listen_set **out, uv_loop_t *loop,
    listen_answer_fn *answer, void *arg, const struct listen_limits *lim)
{
	struct listen_set *ls;

	*out = NULL;
	if ((ls = calloc(1, sizeof(*ls))) == NULL ||
	    (ls->uin = malloc(sizeof(*ls->uin))) == NULL ||
	    (ls->uout = calloc(1, sizeof(*ls->uout))) == NULL ||
	    (ls->resp = malloc(2 + QUERY_MAX_MSG)) == NULL) {
		if (ls != NULL)
			listen_free(ls);
		return -ENOMEM;
	}
	ls->loop = loop;
	ls->answer = answer;
	ls->arg = arg;
	listen_set_limits(ls, lim);
	*out = ls;
	return 0;
}

int
listen_add(struct listen_set *ls, const char *addr)
{
	struct sockaddr_storage ss;
	struct listener *l;
	int rc;

	if ((rc = listen_parse(addr, &ss)) != 0)
		return rc;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return -ENOMEM;
	l->ls = ls;
	snprintf(l->name, sizeof(l->name), "%s", addr);
	/* No address family yet: the sockets are made by bind. */
	uv_udp_init(ls->loop, &l->udp);
	uv_tcp_init(ls->loop, &l->tcp);
	l->udp.data = l;
	l->tcp.data = l;
	l->nopen = 2;
	ls->nhandles += 2;
	if ((rc = listener_start(l, (const struct sockaddr *)&ss)) != 0) {
		listener_close(l);
		return rc;
	}
	l->next = ls->listeners;
	ls->listeners = l;
	log_debug("%s: UDP and TCP", addr);
	return 0;
}

void
listen_set_limits(struct listen_set *ls, const struct listen_limits *lim)
{
	ls->lim = *lim;
	/* At least one connection, and one per client. */
	if (ls->lim.tcp_clients == 0)
		ls->lim.tcp_clients = 1;
	if (ls->lim.tcp_per_client == 0)
		ls->lim.tcp_per_client = 1;
}

void
listen_set_rrl(struct listen_set *ls, struct rrl *rrl)
{
	ls->rrl = rrl;
}

const struct listen_stats *
listen_stats(const struct listen_set *ls)
{
	return &ls->stats;
}

void
listen_set_stats(struct listen_set *ls, struct stats *st)
{
	ls->counters = st;
}

void
listen_set_querylog(struct listen_set *ls, struct querylog *ql)
{
	ls->qlog = ql;
}

void
listen_close(struct listen_set *ls)
{
	struct listener *l;

	if (ls == NULL)
		return;
	ls->closing = 1;
	while ((l = ls->listeners) != NULL) {
		ls->listeners = l->next;
		listener_close(l);
	}
	while (ls->conns != NULL)
		conn_close(ls->conns);
	if (ls->nhandles == 0)
		listen_free(ls);
}
