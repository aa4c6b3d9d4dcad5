/* test_statsfile.c -- the statistics file: rbldnsd's line of per-zone
 * and total counters (tot = ok + nxd + errors, bytes in and out), since
 * the start or since the last line (deltas, across a reload), and the
 * file appended to with bare time lines. */
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

#include "../../server/stats.h"
#include "../../server/statsfile.h"

#define NOW	INT64_C(1795341957)

/* Counters for zones named names[0, n), as stats_init() makes them. */
static void
stats_for(struct stats *st, const char *const *names, size_t n)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	st->last_zone = -1;
	assert_non_null(st->zones = calloc(n + 1, sizeof(*st->zones)));
	for (i = 0; i < n; i++)
		assert_non_null(st->zones[i].name = strdup(names[i]));
	st->nzones = n;
}

/* What the daemon counts for one answered query of zone. */
static void
answered(struct stats *st, long zone, int rcode, size_t in, size_t out)
{
	stats_count(st, zone, QUERY_UDP, 1, rcode, 0, STATS_NONE);
	stats_traffic(st, 1, in, out);
}

/* The line statsfile_format() writes, as a string (static). */
static const char *
line(struct statsfile *sf, const struct stats *st)
{
	static char text[512];
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(statsfile_format(sf, st, NOW, f), 0);
	assert_int_equal(fclose(f), 0);
	snprintf(text, sizeof(text), "%s", buf);
	free(buf);
	return text;
}

static void
a_line_has_every_zone_then_the_total(void **state)
{
	static const char *const names[] = { "bl.test", "other.test" };
	struct statsfile *sf;
	struct stats st;

	(void)state;
	stats_for(&st, names, 2);
	assert_int_equal(statsfile_new(&sf, "/nonexistent/s", 0), 0);
	assert_string_equal(line(sf, &st), "1795341957 bl.test:0:0:0:0:0 "
	    "other.test:0:0:0:0:0 *:0:0:0:0:0\n");
	answered(&st, 0, 0, 40, 56);		/* NOERROR */
	answered(&st, 0, 3, 40, 90);		/* NXDOMAIN */
	answered(&st, 0, 2, 41, 41);		/* SERVFAIL: an error */
	answered(&st, 1, 5, 30, 30);		/* REFUSED by an ACL */
	answered(&st, -1, 5, 25, 25);		/* no zone: the total only */
	stats_malformed(&st, QUERY_TCP);	/* dropped unread */
	stats_traffic(&st, 0, 7, 0);
	/* Rate limiting dropped this one: counted, nothing sent. */
	answered(&st, 1, 3, 30, 0);
	assert_string_equal(line(sf, &st), "1795341957 "
	    "bl.test:3:1:1:121:187 other.test:2:0:1:60:30 "
	    "*:7:1:2:213:242\n");
	/* Totals again: the same line. */
	assert_string_equal(line(sf, &st), "1795341957 "
	    "bl.test:3:1:1:121:187 other.test:2:0:1:60:30 "
	    "*:7:1:2:213:242\n");
	assert_string_equal(statsfile_path(sf), "/nonexistent/s");
	assert_false(statsfile_deltas(sf));
	statsfile_free(sf);
	statsfile_free(NULL);
	stats_fini(&st);
}

static void
deltas_count_since_the_last_line_across_a_reload(void **state)
{
	static const char *const names[] = { "bl.test", "other.test" };
	static const char *const names2[] = { "new.test", "bl.test" };
	struct stats_zone *old;
	struct statsfile *sf;
	struct stats st;

	(void)state;
	stats_for(&st, names, 2);
	assert_int_equal(statsfile_new(&sf, "/nonexistent/s", 1), 0);
	assert_true(statsfile_deltas(sf));
	answered(&st, 0, 0, 40, 56);
	answered(&st, 1, 3, 30, 70);
	assert_string_equal(line(sf, &st), "1795341957 bl.test:1:1:0:40:56 "
	    "other.test:1:0:1:30:70 *:2:1:1:70:126\n");
	answered(&st, 0, 3, 40, 80);
	assert_string_equal(line(sf, &st), "1795341957 bl.test:1:0:1:40:80 "
	    "other.test:0:0:0:0:0 *:1:0:1:40:80\n");
	assert_string_equal(line(sf, &st), "1795341957 bl.test:0:0:0:0:0 "
	    "other.test:0:0:0:0:0 *:0:0:0:0:0\n");

	/* A reload: bl.test keeps its counters at another place,
	 * other.test goes (into retired, so the total never goes back),
	 * new.test starts from zero. */
	old = st.zones;
	stats_for(&st, names2, 2);
	free(st.zones[1].name);
	st.zones[1] = old[0];
	st.retired = old[1].c;
	free(old[1].name);
	free(old);
	answered(&st, 0, 0, 10, 20);
	answered(&st, 1, 0, 10, 20);
	assert_string_equal(line(sf, &st), "1795341957 "
	    "new.test:1:1:0:10:20 bl.test:1:1:0:10:20 *:2:2:0:20:40\n");
	statsfile_free(sf);
	stats_fini(&st);
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
file_is_appended_to_with_bare_time_lines(void **state)
{
	static const char *const names[] = { "bl.test" };
	char dir[] = "/tmp/test_statsfile.XXXXXX", path[64], bad[96];
	struct statsfile *sf;
	struct stats st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.log", dir);
	stats_for(&st, names, 1);
	assert_int_equal(statsfile_new(&sf, path, 0), 0);
	assert_int_equal(statsfile_mark(sf, NOW), 0);
	answered(&st, 0, 3, 40, 90);
	assert_int_equal(statsfile_write(sf, &st, NOW + 60), 0);
	/* Rotated away: the next line makes a new file. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(statsfile_write(sf, &st, NOW + 120), 0);
	assert_int_equal(statsfile_mark(sf, NOW + 120), 0);
	assert_string_equal(slurp(path), "1795342077 bl.test:1:0:1:40:90 "
	    "*:1:0:1:40:90\n1795342077\n");
	statsfile_free(sf);

	/* A directory that does not exist: an error (and a warning). */
	snprintf(bad, sizeof(bad), "%s/missing/s.log", dir);
	assert_int_equal(statsfile_new(&sf, bad, 0), 0);
	assert_int_equal(statsfile_mark(sf, NOW), -ENOENT);
	assert_int_equal(statsfile_write(sf, &st, NOW), -ENOENT);
	statsfile_free(sf);
	stats_fini(&st);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_line_has_every_zone_then_the_total),
		cmocka_unit_test(
		    deltas_count_since_the_last_line_across_a_reload),
		cmocka_unit_test(file_is_appended_to_with_bare_time_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
