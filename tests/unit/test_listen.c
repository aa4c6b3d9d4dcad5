/* test_listen.c -- the daemon's sockets: address parsing, UDP answers,
 * TCP framing and pipelining, the connection cap, and a clean close
 * (every handle closed, uv_loop_close() == 0). The loop runs in its own
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
    size_t outcap, enum query_transport tr)
{
	(void)arg;
	(void)tr;
	if (len < 3 || in[0] == 0xff || len > outcap)
		return 0;
	memcpy(out, in, len);
	out[2] |= 0x80;
	return len;
}

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
setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	assert_int_equal(uv_loop_init(&f.loop), 0);
	assert_int_equal(listen_new(&f.ls, &f.loop, echo_answer, NULL, 2,
	    60000), 0);
	f.port = free_port();
	snprintf(f.addr, sizeof(f.addr), "127.0.0.1:%d", f.port);
	assert_int_equal(listen_add(f.ls, f.addr), 0);
	assert_int_equal(uv_async_init(&f.loop, &f.stop, on_stop), 0);
	f.stop.data = &f;
	assert_int_equal(uv_thread_create(&f.thread, loop_thread, &f), 0);
	*state = &f;
	return 0;
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

static int
client(int type, int port)
{
	struct timeval tv = { 2, 0 };
	struct sockaddr_in sin;
	int s;

	assert_true((s = socket(AF_INET, type, 0)) >= 0);
	assert_int_equal(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(s, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return s;
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
	assert_int_equal(listen_new(&ls, &loop, echo_answer, NULL, 1, 1), 0);
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

static void
listen_closes_clients_over_the_cap(void **state)
{
	struct fixture *f = *state;
	uint8_t q[] = { 0, 3, 1, 2, 3 }, a[8];
	int c1, c2, c3;

	c1 = client(SOCK_STREAM, f->port);
	c2 = client(SOCK_STREAM, f->port);
	/* Answered: both are accepted before the third connects. */
	assert_int_equal(send(c1, q, sizeof(q), 0), sizeof(q));
	assert_int_equal(read_full(c1, a, 5), 5);
	assert_int_equal(send(c2, q, sizeof(q), 0), sizeof(q));
	assert_int_equal(read_full(c2, a, 5), 5);
	c3 = client(SOCK_STREAM, f->port);
	assert_int_equal(recv(c3, a, sizeof(a), 0), 0);	/* EOF */
	close(c3);
	close(c1);
	close(c2);
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
		    listen_closes_clients_over_the_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    listen_survives_clients_gone_mid_message, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
