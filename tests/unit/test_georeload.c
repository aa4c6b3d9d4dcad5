/* test_georeload.c -- replaced geo databases checked on a libuv worker:
 * swapped in on the loop, a bad one refused, the loop free (lookups
 * answered) while a check is held up, and a reload in flight dropped
 * cleanly by SIGHUP (forget) and at shutdown (every handle and request
 * done, uv_loop_close() == 0). A FIFO in place of the database holds
 * the worker in open() until this thread opens the other end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <uv.h>

#include "cidr.h"
#include "geo.h"
#include "../../server/georeload.h"

#define DATA		"tests/data/mmdb/"
#define ASN_DB		DATA "GeoLite2-ASN-Test.mmdb"
#define ISP_DB		DATA "GeoIP2-ISP-Test.mmdb"

struct fixture {
	char			 dir[64];
	char			 path[96];	/* dir/asn.mmdb */
	uv_loop_t		 loop;
	struct georeload	 gr;
	struct geo		*geo;
};

/* Copy src to path through a new file renamed into place (geoipupdate's
 * way), with len bytes of it (0: all). */
static void
put_db(const char *src, const char *path, long len)
{
	char tmp[128], buf[65536];
	FILE *in, *out;
	size_t n;
	long done = 0;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	assert_non_null(in = fopen(src, "rb"));
	assert_non_null(out = fopen(tmp, "wb"));
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0 &&
	    (len == 0 || done < len)) {
		if (len > 0 && (long)n > len - done)
			n = (size_t)(len - done);
		assert_int_equal(fwrite(buf, 1, n, out), n);
		done += (long)n;
	}
	fclose(in);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(rename(tmp, path), 0);
}

/* A FIFO renamed over path: opening it blocks until a writer comes. */
static void
put_fifo(const char *path)
{
	char tmp[128];

	snprintf(tmp, sizeof(tmp), "%s.fifo", path);
	assert_int_equal(mkfifo(tmp, 0600), 0);
	assert_int_equal(rename(tmp, path), 0);
}

/* Let the worker held in open() of the FIFO go: it then finds no file. */
static void
release_fifo(const char *path)
{
	int fd;

	assert_true((fd = open(path, O_WRONLY)) >= 0);
	close(fd);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	strcpy(f->dir, "/tmp/test_georeload.XXXXXX");
	if (mkdtemp(f->dir) == NULL || uv_loop_init(&f->loop) != 0) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/asn.mmdb", f->dir);
	put_db(ASN_DB, f->path, 0);
	if (geo_open(&f->geo, f->path, NULL, NULL, 0) != 0)
		return -1;
	georeload_init(&f->gr, &f->loop);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	/* Everything done: no request, no handle left. */
	assert_false(georeload_busy(&f->gr));
	assert_int_equal(uv_loop_close(&f->loop), 0);
	geo_close(f->geo);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* The organisation the database has for 12.81.92.1: "AT&T Services" in
 * the ASN test database, "" in the ISP one (same number, 7018). */
static const char *
org_of(struct geo *g)
{
	static char org[64];
	struct rp_addr a;
	uint32_t asn;

	assert_int_equal(cidr_parse_addr("12.81.92.1", &a), 0);
	assert_int_equal(geo_asn(g, &a, &asn, org, sizeof(org), NULL), 0);
	assert_int_equal(asn, 7018);
	return org;
}

static void
georeload_swaps_in_a_replaced_database(void **state)
{
	struct fixture *f = *state;

	georeload_start(&f->gr, f->geo);	/* nothing changed */
	assert_false(georeload_busy(&f->gr));
	put_db(ISP_DB, f->path, 0);
	georeload_start(&f->gr, f->geo);
	assert_true(georeload_busy(&f->gr));
	georeload_start(&f->gr, f->geo);	/* one at a time */
	/* Until the loop runs the after-work callback, the old one serves. */
	assert_string_equal(org_of(f->geo), "AT&T Services");
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	assert_false(georeload_busy(&f->gr));
	assert_string_equal(org_of(f->geo), "");
	georeload_start(&f->gr, f->geo);	/* taken: nothing new */
	assert_false(georeload_busy(&f->gr));
}

static void
georeload_keeps_the_old_database_when_the_new_is_bad(void **state)
{
	struct fixture *f = *state;

	put_db(ASN_DB, f->path, 300);		/* truncated */
	georeload_start(&f->gr, f->geo);
	assert_true(georeload_busy(&f->gr));
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	assert_string_equal(org_of(f->geo), "AT&T Services");
	georeload_start(&f->gr, f->geo);	/* refused once: not again */
	assert_false(georeload_busy(&f->gr));
	put_db(ISP_DB, f->path, 0);		/* a good one is taken */
	georeload_start(&f->gr, f->geo);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	assert_string_equal(org_of(f->geo), "");
}

/* The worker is held in open() for as long as this test likes: the loop
 * runs and the database answers all that time. */
static void
georeload_leaves_the_loop_free_while_a_check_is_held_up(void **state)
{
	struct fixture *f = *state;
	int i;

	put_fifo(f->path);
	georeload_start(&f->gr, f->geo);
	for (i = 0; i < 20; i++) {
		assert_int_equal(uv_run(&f->loop, UV_RUN_NOWAIT), 1);
		assert_true(georeload_busy(&f->gr));
		assert_string_equal(org_of(f->geo), "AT&T Services");
		usleep(5000);
	}
	release_fifo(f->path);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	assert_false(georeload_busy(&f->gr));	/* refused: not a file */
	assert_string_equal(org_of(f->geo), "AT&T Services");
	put_db(ISP_DB, f->path, 0);
	georeload_start(&f->gr, f->geo);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	assert_string_equal(org_of(f->geo), "");
}

/* SIGHUP opened the databases afresh while a check ran: its result is
 * dropped and the handle it came from, closed at once, never touched. */
static void
georeload_forget_drops_the_reload_in_flight(void **state)
{
	struct fixture *f = *state;

	put_fifo(f->path);
	georeload_start(&f->gr, f->geo);
	assert_true(georeload_busy(&f->gr));
	georeload_forget(&f->gr);
	geo_close(f->geo);
	f->geo = NULL;
	release_fifo(f->path);
	put_db(ISP_DB, f->path, 0);
	assert_int_equal(geo_open(&f->geo, f->path, NULL, NULL, 0), 0);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	assert_false(georeload_busy(&f->gr));
	assert_string_equal(org_of(f->geo), "");
}

/* Shutdown with a check queued or running: cancelled, or waited for and
 * dropped; either way the loop ends with nothing left and nothing
 * swapped, and no reload starts after. */
static void
georeload_stop_ends_a_reload_in_flight_cleanly(void **state)
{
	struct fixture *f = *state;

	put_db(ISP_DB, f->path, 0);
	georeload_start(&f->gr, f->geo);
	assert_true(georeload_busy(&f->gr));
	georeload_stop(&f->gr);
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	assert_false(georeload_busy(&f->gr));
	assert_string_equal(org_of(f->geo), "AT&T Services");
	georeload_start(&f->gr, f->geo);
	assert_false(georeload_busy(&f->gr));
}

/* The same with the worker surely running: once this thread could open
 * the FIFO for writing, the worker has it open, so uv_cancel() cannot
 * take the check back and the loop waits for it. */
static void
georeload_stop_waits_for_a_running_check(void **state)
{
	struct fixture *f = *state;
	int fd, i;

	put_fifo(f->path);
	georeload_start(&f->gr, f->geo);
	for (i = 0; (fd = open(f->path, O_WRONLY | O_NONBLOCK)) < 0; i++) {
		assert_int_equal(errno, ENXIO);		/* no reader yet */
		assert_true(i < 10000);			/* 10 s */
		usleep(1000);
	}
	georeload_stop(&f->gr);
	assert_true(georeload_busy(&f->gr));
	assert_int_equal(uv_run(&f->loop, UV_RUN_DEFAULT), 0);
	close(fd);
	assert_false(georeload_busy(&f->gr));
	assert_string_equal(org_of(f->geo), "AT&T Services");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    georeload_swaps_in_a_replaced_database, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    georeload_keeps_the_old_database_when_the_new_is_bad,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    georeload_leaves_the_loop_free_while_a_check_is_held_up,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    georeload_forget_drops_the_reload_in_flight, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    georeload_stop_ends_a_reload_in_flight_cleanly, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    georeload_stop_waits_for_a_running_check, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
