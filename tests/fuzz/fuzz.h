/* fuzz.h -- what the fuzz targets share: reporting a broken invariant.
 *
 * A target is a libFuzzer program (tests/fuzz/run.sh) and is also built
 * into tests/unit/test_fuzz_regress.c, which includes every fuzz_*.c in
 * one file with the two entry points renamed to replay the saved inputs
 * under `make test`. So: the include guard makes these helpers shared,
 * and a target's own static names start with its own prefix. */
#ifndef REPUTED_FUZZ_H
#define REPUTED_FUZZ_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Where a broken invariant is reported: the standard error the program
 * started with. run.sh passes -close_fd_mask=2, so that the warnings of
 * the code under test (one per bad line) go nowhere, but this copy
 * stays open. The one global of a target: libFuzzer's entry points
 * share no argument.
 */
static FILE *fh_out;

/* Call from LLVMFuzzerInitialize, before libFuzzer closes stderr. */
static __attribute__((unused)) void
fh_init(void)
{
	int fd;

	if (fh_out != NULL)
		return;
	if ((fd = dup(2)) >= 0 && (fh_out = fdopen(fd, "w")) == NULL)
		close(fd);
	if (fh_out == NULL)
		fh_out = stderr;
}

/* Report "target: message" and abort: libFuzzer saves the input. */
static __attribute__((unused, noreturn, format(printf, 2, 3))) void
fh_fail(const char *target, const char *fmt, ...)
{
	va_list ap;

	fh_init();
	fprintf(fh_out, "%s: ", target);
	va_start(ap, fmt);
	vfprintf(fh_out, fmt, ap);
	va_end(ap);
	fputc('\n', fh_out);
	fflush(fh_out);
	abort();
}

/* The invariant cond holds, or the target fails naming it. */
#define FH_CHECK(target, cond) do {					\
	if (!(cond))							\
		fh_fail((target), "%s:%d: %s", __FILE__, __LINE__,	\
		    #cond);						\
} while (0)

#endif
