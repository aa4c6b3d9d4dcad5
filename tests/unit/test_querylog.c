/* test_querylog.c -- the query log: rbldnsd's line format read back from
 * answers (names, escapes, types, classes, rcodes, the OPT's extended
 * rcode), answers that are not logged, and the file: buffered, flushed,
 * unwritable. */
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

#include "cidr.h"
#include "../../server/querylog.h"

#define NOW	INT64_C(1795341957)

/* An answer being built. */
struct msg {
	uint8_t	b[1024];
	size_t	len;
};

static void
put16(struct msg *m, unsigned v)
{
	m->b[m->len++] = (uint8_t)(v >> 8);
	m->b[m->len++] = (uint8_t)v;
}

/* Header (flags2 is the byte with the rcode), then the question: name
 * given as wire labels (a string of length-prefixed labels). */
static void
mkanswer(struct msg *m, unsigned flags2, unsigned an, unsigned ar,
    const char *wire, size_t wlen, unsigned qtype, unsigned qclass)
{
	memset(m, 0, sizeof(*m));
	put16(m, 0x1234);
	m->b[m->len++] = 0x84;		/* QR AA */
	m->b[m->len++] = (uint8_t)flags2;
	put16(m, 1);
	put16(m, an);
	put16(m, 0);
	put16(m, ar);
	memcpy(m->b + m->len, wire, wlen);
	m->len += wlen;
	put16(m, qtype);
	put16(m, qclass);
}

/* An A record for the question's name (a pointer to it). */
static void
put_a(struct msg *m)
{
	put16(m, 0xc00c);
	put16(m, 1);
	put16(m, 1);
	put16(m, 0);
	put16(m, 2100);
	put16(m, 4);
	m->b[m->len++] = 127;
	m->b[m->len++] = 0;
	m->b[m->len++] = 0;
	m->b[m->len++] = 2;
}

/* An OPT record: size 1232, extended rcode ext. */
static void
put_opt(struct msg *m, unsigned ext)
{
	m->b[m->len++] = 0;
	put16(m, 41);
	put16(m, 1232);
	m->b[m->len++] = (uint8_t)ext;
	m->b[m->len++] = 0;
	put16(m, 0);
	put16(m, 0);
}

static const char bl_name[] = "\0012\0010\0010\003127\002bl\007Example\003org";
#define BL_WIRE	bl_name, sizeof(bl_name)	/* with the final 0 */

static struct rp_addr
client4(void)
{
	struct rp_addr a;

	memset(&a, 0, sizeof(a));
	a.family = RP_AF_INET;
	a.bytes[0] = 127;
	a.bytes[3] = 1;
	return a;
}

/* The line of m at NOW from 127.0.0.1. */
static const char *
line_of(const struct msg *m)
{
	static char buf[QUERYLOG_LINE_MAX];
	struct rp_addr a = client4();

	if (querylog_format(buf, sizeof(buf), NOW, &a, m->b, m->len) == 0)
		return "";
	return buf;
}

static void
formats_an_answer_as_rbldnsd_does(void **state)
{
	struct msg m;
	char want[128];

	(void)state;
	mkanswer(&m, 0x00, 1, 0, BL_WIRE, 1, 1);
	put_a(&m);
	snprintf(want, sizeof(want), "1795341957 127.0.0.1 "
	    "2.0.0.127.bl.Example.org A IN: NOERROR/1/%zu\n", m.len);
	assert_string_equal(line_of(&m), want);
	/* NXDOMAIN, with CD echoed in the same byte (rcode is its low
	 * nibble), over IPv6. */
	{
		char buf[QUERYLOG_LINE_MAX];
		struct rp_addr a;

		mkanswer(&m, 0x13, 0, 0, BL_WIRE, 16, 1);
		memset(&a, 0, sizeof(a));
		a.family = RP_AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, "2001:db8::1", a.bytes),
		    1);
		assert_true(querylog_format(buf, sizeof(buf), NOW, &a, m.b,
		    m.len) > 0);
		assert_string_equal(buf, "1795341957 2001:db8::1 "
		    "2.0.0.127.bl.Example.org TXT IN: NXDOMAIN/0/42\n");
	}
}

static void
names_types_classes_and_rcodes_as_rbldnsd_does(void **state)
{
	static const struct { unsigned type, class, rcode; const char *s; }
	    cases[] = {
		{ 0, 1, 0, "INVALID IN: NOERROR" },
		{ 28, 255, 0, "AAAA ANY: NOERROR" },
		{ 41, 3, 5, "OPT CH: REFUSED" },
		{ 42, 4, 5, "type42 HS: REFUSED" },
		{ 65, 1, 3, "type65 IN: NXDOMAIN" },
		{ 250, 0, 4, "TSIG INVALID: NOTIMPL" },
		{ 252, 2, 4, "AXFR class2: NOTIMPL" },
		{ 256, 254, 1, "ZXFR class254: FORMERR" },
		{ 257, 1, 2, "type257 IN: SERVFAIL" },
		{ 65535, 65535, 9, "type65535 class65535: rcode9" },
	};
	struct msg m;
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mkanswer(&m, cases[i].rcode, 0, 0, "\001x\0", 3,
		    cases[i].type, cases[i].class);
		snprintf(want, sizeof(want), "1795341957 127.0.0.1 x %s/0/"
		    "19\n", cases[i].s);
		assert_string_equal(line_of(&m), want);
	}
}

static void
reads_the_extended_rcode_from_the_opt_record(void **state)
{
	struct msg m;

	(void)state;
	mkanswer(&m, 0x00, 0, 1, "\001x\0", 3, 1, 1);
	put_opt(&m, 1);			/* 16: BADVERS */
	assert_string_equal(line_of(&m),
	    "1795341957 127.0.0.1 x A IN: BADVERS/0/30\n");
	/* After an answer, and with an OPT saying 0. */
	mkanswer(&m, 0x00, 1, 1, "\001x\0", 3, 1, 1);
	put_a(&m);
	put_opt(&m, 0);
	assert_string_equal(line_of(&m),
	    "1795341957 127.0.0.1 x A IN: NOERROR/1/46\n");
}

static void
escapes_names_as_rbldnsd_does(void **state)
{
	static const char wire[] = "\011a.b;c\"d\\e\004@$ \377\001x";
	struct msg m;

	(void)state;
	mkanswer(&m, 0x03, 0, 0, wire, sizeof(wire), 1, 1);
	assert_string_equal(line_of(&m), "1795341957 127.0.0.1 "
	    "a\\.b\\;c\\\"d\\\\e.\\@\\$\\032\\255.x A IN: NXDOMAIN/0/34\n");
	/* The root. */
	mkanswer(&m, 0x05, 0, 0, "", 1, 6, 1);
	assert_string_equal(line_of(&m),
	    "1795341957 127.0.0.1 . SOA IN: REFUSED/0/17\n");
}

static void
answers_without_a_readable_question_are_not_logged(void **state)
{
	char buf[QUERYLOG_LINE_MAX];
	struct rp_addr a = client4();
	struct msg m;

	(void)state;
	/* FORMERR without a question (qdcount 0). */
	mkanswer(&m, 0x01, 0, 0, "", 0, 0, 0);
	m.len = 12;
	m.b[5] = 0;
	assert_int_equal(querylog_format(buf, sizeof(buf), NOW, &a, m.b,
	    m.len), 0);
	/* A header alone, a name running out, a pointer, no type. */
	assert_int_equal(querylog_format(buf, sizeof(buf), NOW, &a, m.b, 5),
	    0);
	mkanswer(&m, 0, 0, 0, BL_WIRE, 1, 1);
	assert_int_equal(querylog_format(buf, sizeof(buf), NOW, &a, m.b, 20),
	    0);
	assert_int_equal(querylog_format(buf, sizeof(buf), NOW, &a, m.b,
	    m.len - 2), 0);
	mkanswer(&m, 0, 0, 0, "\001x\300\014", 4, 1, 1);
	assert_int_equal(querylog_format(buf, sizeof(buf), NOW, &a, m.b,
	    m.len), 0);
	/* No room for the line. */
	mkanswer(&m, 0, 0, 0, BL_WIRE, 1, 1);
	assert_int_equal(querylog_format(buf, 20, NOW, &a, m.b, m.len), 0);
	/* A name of 255 bytes of \DDD still fits the longest line. */
	{
		struct msg big;
		size_t i;

		/* Labels of 63, 63, 63 and 61 bytes: 255 with the root. */
		mkanswer(&big, 0, 0, 0, "", 0, 0, 0);
		big.len = 12;
		for (i = 0; i < 4; i++) {
			big.b[big.len++] = i < 3 ? 63 : 61;
			memset(big.b + big.len, 0xff, i < 3 ? 63 : 61);
			big.len += i < 3 ? 63 : 61;
		}
		big.b[big.len++] = 0;
		put16(&big, 1);
		put16(&big, 1);
		assert_true(querylog_format(buf, sizeof(buf), NOW, &a, big.b,
		    big.len) > 250 * 4);
		/* One byte more is no name. */
		big.b[12 + 3 * 64] = 62;
		memmove(big.b + 12 + 3 * 64 + 63, big.b + 12 + 3 * 64 + 62, 5);
		big.b[12 + 3 * 64 + 62] = 0xff;
		big.len++;
		assert_int_equal(querylog_format(buf, sizeof(buf), NOW, &a,
		    big.b, big.len), 0);
	}
}

/* The whole content of path, as a string (static). */
static const char *
slurp(const char *path)
{
	static char text[4096];
	size_t n;
	FILE *f;

	assert_non_null(f = fopen(path, "r"));
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static void
log_file_is_buffered_unless_flushed_each_line(void **state)
{
	char dir[] = "/tmp/test_querylog.XXXXXX", path[64], bad[96];
	struct rp_addr a = client4();
	struct querylog *ql;
	struct msg m;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/q.log", dir);
	mkanswer(&m, 0x03, 0, 0, "\001x\0", 3, 1, 1);

	assert_int_equal(querylog_open(&ql, path, 0), 0);
	querylog_reply(ql, &a, m.b, m.len);
	querylog_reply(ql, &a, m.b, 12);	/* no question: no line */
	assert_string_equal(slurp(path), "");	/* still buffered */
	querylog_flush(ql);
	assert_non_null(strstr(slurp(path), " 127.0.0.1 x A IN: "
	    "NXDOMAIN/0/19\n"));
	querylog_close(ql);

	/* Appended to; a line at once. */
	assert_int_equal(querylog_open(&ql, path, 1), 0);
	querylog_reply(ql, &a, m.b, m.len);
	{
		const char *t = slurp(path), *nl = strchr(t, '\n');

		assert_non_null(nl);
		assert_non_null(strchr(nl + 1, '\n'));
	}
	querylog_close(ql);
	querylog_close(NULL);

	/* A file that cannot be opened: an error, nothing to close. */
	snprintf(bad, sizeof(bad), "%s/missing/q.log", dir);
	assert_int_equal(querylog_open(&ql, bad, 0), -ENOENT);
	assert_null(ql);

	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats_an_answer_as_rbldnsd_does),
		cmocka_unit_test(
		    names_types_classes_and_rcodes_as_rbldnsd_does),
		cmocka_unit_test(reads_the_extended_rcode_from_the_opt_record),
		cmocka_unit_test(escapes_names_as_rbldnsd_does),
		cmocka_unit_test(
		    answers_without_a_readable_question_are_not_logged),
		cmocka_unit_test(
		    log_file_is_buffered_unless_flushed_each_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
