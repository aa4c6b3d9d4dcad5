/* test_listen.c -- the daemon's sockets: address parsing, UDP answers,
 * TCP framing and pipelining, the connection caps (total and per client:
 * the least recently active goes), tcp-max-queries, the lifetime limit,
 * and a clean close (every handle closed, uv_loop_close() == 0). The loop runs in its own
 * thread; this one is the client, with plain blocking sockets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <uv.h>

#include "../../server/listen.h"

struct fixture {
	uv_loop_t		 loop;
	uv_async_t		 stop;
	uv_thread_t		 thread;
	struct listen_set	*ls;
	int			 port;
	char			 addr[32];
};

/*
 * The answer: the message with QR set, or nothing for a message whose
 * first byte is 0xff (a "drop" request) or shorter than 2 bytes.
 */
static size_t
echo_answer(void *arg, const uint8_t *in, size_t len, uint8_t *out,
    size_t outcap, enum query_transport tr, const struct rp_addr *client)
{
	(void)arg;
	(void)tr;
	if (len < 3 || in[0] == 0xff || len > outcap)
		return 0;
	memcpy(out, in, len);
	out[2] |= 0x80;
	/* A message starting 0xfe asks who it comes from: the last byte
	 * of its IPv4 address comes back in its second byte. */
	if (in[0] == 0xfe)
		out[1] = client->family == RP_AF_INET ? client->bytes[3] : 0;
	return len;
}

/* The fixture's limits: 3 connections, 2 per client, no lifetime or
 * query limit; the second fixture's: 3 queries a connection, 600 ms. */
static const struct listen_limits lim_caps = { 3, 2, 60000, 0, 0 };
static const struct listen_limits lim_quota = { 8, 8, 60000, 600, 3 };

static void
on_stop(uv_async_t *a)
{
	struct fixture *f = a->data;

	listen_close(f->ls);
	uv_close((uv_handle_t *)&f->stop, NULL);
}

static void
loop_thread(void *arg)
{
	struct fixture *f = arg;

	uv_run(&f->loop, UV_RUN_DEFAULT);
}

/* A TCP port of 127.0.0.1 that was free a moment ago. */
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

static int
setup_with(void **state, const struct listen_limits *lim)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	assert_int_equal(uv_loop_init(&f.loop), 0);
	assert_int_equal(listen_new(&f.ls, &f.loop, echo_answer, NULL, lim),
	    0);
	f.port = free_port();
	snprintf(f.addr, sizeof(f.addr), "127.0.0.1:%d", f.port);
	assert_int_equal(listen_add(f.ls, f.addr), 0);
	assert_int_equal(uv_async_init(&f.loop, &f.stop, on_stop), 0);
	f.stop.data = &f;
	assert_int_equal(uv_thread_create(&f.thread, loop_thread, &f), 0);
	*state = &f;
	return 0;
}

static int
setup(void **state)
{
	return setup_with(state, &lim_caps);
}

static int
setup_quota(void **state)
{
	return setup_with(state, &lim_quota);
}

/* Stop the loop from its own thread, then check nothing is left. */
static int
teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(uv_async_send(&f->stop), 0);
	assert_int_equal(uv_thread_join(&f->thread), 0);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	return 0;
}

/* A socket connected to port from 127.0.0.src (all of 127/8 is
 * loopback), so that tests can be several clients. */
static int
client_from(int type, int port, int src)
{
	struct timeval tv = { 2, 0 };
	struct sockaddr_in sin;
	int s;

	assert_true((s = socket(AF_INET, type, 0)) >= 0);
	assert_int_equal(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK - 1 + (uint32_t)src);
	assert_int_equal(bind(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return s;
}

static int
client(int type, int port)
{
	return client_from(type, port, 1);
}

/* Read exactly n bytes; the count read (short at EOF or timeout). */
static size_t
read_full(int s, uint8_t *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n && (r = recv(s, buf + got, n - got, 0)) > 0)
		got += (size_t)r;
	return got;
}

static void
listen_rejects_malformed_addresses(void **state)
{
	struct fixture *f = *state;
	uv_loop_t loop;
	struct listen_set *ls;

	(void)f;
	assert_int_equal(uv_loop_init(&loop), 0);
	assert_int_equal(listen_new(&ls, &loop, echo_answer, NULL, &lim_caps),
	    0);
	assert_int_equal(listen_add(ls, "127.0.0.1"), -EINVAL);
	assert_int_equal(listen_add(ls, "127.0.0.1:0"), -EINVAL);
	assert_int_equal(listen_add(ls, "127.0.0.1:65536"), -EINVAL);
	assert_int_equal(listen_add(ls, "300.0.0.1:53"), -EINVAL);
	assert_int_equal(listen_add(ls, "[::1]53"), -EINVAL);
	assert_int_equal(listen_add(ls, "[::1:53"), -EINVAL);
	assert_int_equal(listen_add(ls, "::1:53"), -EINVAL);
	/* A taken address is the bind error, and ls stays usable. */
	assert_int_equal(listen_add(ls, f->addr), UV_EADDRINUSE);
	listen_close(ls);
	assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
	assert_int_equal(uv_loop_close(&loop), 0);
}

static void
listen_answers_udp(void **state)
{
	struct fixture *f = *state;
	uint8_t q[] = { 0x12, 0x34, 0x01, 0x00, 'x' }, a[64];
	uint8_t drop[] = { 0xff, 0, 0 };
	int s = client(SOCK_DGRAM, f->port);

	assert_int_equal(send(s, drop, sizeof(drop), 0), sizeof(drop));
	assert_int_equal(send(s, q, sizeof(q), 0), sizeof(q));
	/* The dropped message got nothing: the first answer is q's. */
	assert_int_equal(recv(s, a, sizeof(a), 0), sizeof(q));
	assert_int_equal(a[0], 0x12);
	assert_int_equal(a[2], 0x81);
	close(s);
}

static void
listen_answers_tcp_pipelined_in_order(void **state)
{
	struct fixture *f = *state;
	uint8_t out[3 * 7], in[3 * 7];
	int s = client(SOCK_STREAM, f->port), i;

	for (i = 0; i < 3; i++) {
		uint8_t *m = out + 7 * i;

		m[0] = 0;
		m[1] = 5;
		m[2] = (uint8_t)i;
		memcpy(m + 3, "\0\1ab", 4);
	}
	/* Split across writes, the second message cut in its length. */
	assert_int_equal(send(s, out, 8, 0), 8);
	usleep(20000);
	assert_int_equal(send(s, out + 8, sizeof(out) - 8, 0),
	    sizeof(out) - 8);
	assert_int_equal(read_full(s, in, sizeof(in)), sizeof(in));
	for (i = 0; i < 3; i++) {
		assert_int_equal(in[7 * i + 1], 5);
		assert_int_equal(in[7 * i + 2], i);
		assert_int_equal(in[7 * i + 4], 0x81);
	}
	close(s);
}

/* One query on s, answered: the client is now its most recent. */
static void
ask(int s)
{
	uint8_t q[] = { 0, 3, 1, 2, 3 }, a[8];

	assert_int_equal(send(s, q, sizeof(q), 0), sizeof(q));
	assert_int_equal(read_full(s, a, 5), 5);
	assert_int_equal(a[4], 0x83);
}

/* Was s closed by the server (EOF, or a reset)? */
static int
closed(int s)
{
	uint8_t a[8];

	return recv(s, a, sizeof(a), 0) <= 0;
}

static void
listen_passes_the_client_address(void **state)
{
	struct fixture *f = *state;
	uint8_t q[] = { 0xfe, 0, 0x01, 0 }, t[] = { 0, 4, 0xfe, 0, 1, 0 };
	uint8_t a[8];
	int s = client_from(SOCK_DGRAM, f->port, 7);

	assert_int_equal(send(s, q, sizeof(q), 0), sizeof(q));
	assert_int_equal(recv(s, a, sizeof(a), 0), sizeof(q));
	assert_int_equal(a[1], 7);
	close(s);
	s = client_from(SOCK_STREAM, f->port, 9);
	assert_int_equal(send(s, t, sizeof(t), 0), sizeof(t));
	assert_int_equal(read_full(s, a, 6), 6);
	assert_int_equal(a[3], 9);
	close(s);
}

static void
listen_evicts_the_least_recently_active_over_the_cap(void **state)
{
	struct fixture *f = *state;
	int c1, c2, c3, c4;

	/* Three clients (the cap), c1 the least recently active. */
	c1 = client_from(SOCK_STREAM, f->port, 2);
	c2 = client_from(SOCK_STREAM, f->port, 3);
	c3 = client_from(SOCK_STREAM, f->port, 4);
	ask(c2);
	ask(c3);
	ask(c1);
	ask(c2);
	/* Now c3 is: a fourth client takes its place. */
	c4 = client_from(SOCK_STREAM, f->port, 5);
	ask(c4);
	assert_true(closed(c3));
	ask(c1);
	ask(c2);
	close(c1);
	close(c2);
	close(c3);
	close(c4);
}

static void
listen_evicts_a_clients_own_oldest_over_its_cap(void **state)
{
	struct fixture *f = *state;
	int c1, c2, c3, other;

	other = client_from(SOCK_STREAM, f->port, 6);
	c1 = client(SOCK_STREAM, f->port);
	c2 = client(SOCK_STREAM, f->port);
	ask(c2);
	ask(c1);
	/* A third from 127.0.0.1 (2 per client): its c2 goes, not the
	 * other client's connection, though that one is older. */
	c3 = client(SOCK_STREAM, f->port);
	ask(c3);
	assert_true(closed(c2));
	ask(c1);
	ask(other);
	close(c1);
	close(c2);
	close(c3);
	close(other);
}

static void
listen_closes_after_max_queries_with_every_answer(void **state)
{
	struct fixture *f = *state;
	uint8_t q[5 * 5], a[5 * 5];
	int s = client(SOCK_STREAM, f->port), i;

	for (i = 0; i < 5; i++)
		memcpy(q + 5 * i, (uint8_t []){ 0, 3, (uint8_t)i, 0, 0 }, 5);
	/* Five pipelined, three answered (tcp-max-queries), then EOF:
	 * a clean one, not a reset that could lose the answers. */
	assert_int_equal(send(s, q, sizeof(q), 0), sizeof(q));
	assert_int_equal(read_full(s, a, sizeof(a)), 15);
	for (i = 0; i < 3; i++)
		assert_int_equal(a[5 * i + 2], i);
	assert_int_equal(recv(s, a, sizeof(a), 0), 0);
	close(s);
}

static void
listen_closes_at_the_end_of_a_connections_lifetime(void **state)
{
	struct fixture *f = *state;
	struct timeval t0, t1;
	uint8_t t[] = { 0, 3, 1, 0, 0 }, a[8];
	long ms;
	int s = client(SOCK_STREAM, f->port);

	gettimeofday(&t0, NULL);
	/* Busy, never idle, but closed 600 ms after it was accepted. */
	assert_int_equal(send(s, t, sizeof(t), 0), sizeof(t));
	assert_int_equal(read_full(s, a, 5), 5);
	usleep(300000);
	assert_int_equal(send(s, t, sizeof(t), 0), sizeof(t));
	assert_int_equal(read_full(s, a, 5), 5);
	assert_int_equal(recv(s, a, sizeof(a), 0), 0);
	gettimeofday(&t1, NULL);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_usec - t0.tv_usec) / 1000;
	assert_true(ms >= 500 && ms < 1500);
	close(s);
}

static void
listen_survives_clients_gone_mid_message(void **state)
{
	struct fixture *f = *state;
	uint8_t part[] = { 0xff, 0xff, 1, 2, 3 }, q[] = { 9, 9, 9 }, a[8];
	int s = client(SOCK_STREAM, f->port);

	assert_int_equal(send(s, part, sizeof(part), 0), sizeof(part));
	close(s);
	s = client(SOCK_DGRAM, f->port);
	usleep(50000);
	assert_int_equal(send(s, q, sizeof(q), 0), sizeof(q));
	assert_int_equal(recv(s, a, sizeof(a), 0), sizeof(q));
	close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    listen_rejects_malformed_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(listen_answers_udp, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    listen_answers_tcp_pipelined_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    listen_passes_the_client_address, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    listen_evicts_the_least_recently_active_over_the_cap,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    listen_evicts_a_clients_own_oldest_over_its_cap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    listen_closes_after_max_queries_with_every_answer,
		    setup_quota, teardown),
		cmocka_unit_test_setup_teardown(
		    listen_closes_at_the_end_of_a_connections_lifetime,
		    setup_quota, teardown),
		cmocka_unit_test_setup_teardown(
		    listen_survives_clients_gone_mid_message, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
