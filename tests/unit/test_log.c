/* test_log.c -- log lines: control characters in a message (which may
 * quote lists, packets or files) are written as \xNN, never raw. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* What log_warnx("%s", arg) writes to stderr, into buf. */
static void
capture(char *buf, size_t len, const char *arg)
{
	int fds[2], saved;
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	fflush(stderr);
	assert_true((saved = dup(2)) >= 0);
	assert_int_equal(dup2(fds[1], 2), 2);
	log_warnx("%s", arg);
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	close(fds[1]);
	assert_true((n = read(fds[0], buf, len - 1)) > 0);
	buf[n] = '\0';
	close(fds[0]);
}

static void
log_escapes_control_characters(void **state)
{
	char buf[512];

	(void)state;
	log_init("test", 0, 0);
	capture(buf, sizeof(buf),
	    "bad address 'x\033[31mred\r\nfake line\x7f\t\xc3\xa9'");
	assert_string_equal(buf, "test: bad address 'x\\x1b[31mred\\x0d"
	    "\\x0afake line\\x7f\\x09\xc3\xa9'\n");
	capture(buf, sizeof(buf), "plain text, as it was");
	assert_string_equal(buf, "test: plain text, as it was\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(log_escapes_control_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
