/* test_fetch.c -- fetching bodies from files and file:// URLs (no network). */
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

#include <curl/curl.h>

#include "../../importers/fetch.h"

#define DROP_REL	"tests/data/lists/spamhaus-drop/drop.txt"
#define DROP_SIZE	38508

/* Absolute path of a file under $SRCDIR (default: the cwd). */
static void
fixture_path(char *buf, size_t len, const char *rel)
{
	const char *dir = getenv("SRCDIR");
	char cwd[1024];

	if (dir == NULL || dir[0] != '/') {
		assert_non_null(getcwd(cwd, sizeof(cwd)));
		snprintf(buf, len, "%s/%s/%s", cwd, dir ? dir : ".", rel);
	} else
		snprintf(buf, len, "%s/%s", dir, rel);
}

static void
file_is_read_whole_and_nul_terminated(void **state)
{
	struct fetch_result fr;
	char path[2048], err[256];

	(void)state;
	fixture_path(path, sizeof(path), DROP_REL);
	assert_int_equal(fetch_file(path, &fr, err, sizeof(err)), 0);
	assert_int_equal(fr.len, DROP_SIZE);
	assert_int_equal(fr.body[fr.len], '\0');
	assert_memory_equal(fr.body, "; Spamhaus DROP List", 20);
	fetch_result_free(&fr);
	assert_null(fr.body);
}

static void
missing_file_names_path_and_errno(void **state)
{
	struct fetch_result fr;
	char err[256];

	(void)state;
	assert_int_equal(fetch_file("/nonexistent/list.txt", &fr, err,
	    sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/list.txt"));
	assert_null(fr.body);
}

static void
file_url_gives_body_without_validators(void **state)
{
	struct fetch_validators v = { "\"etag\"", "Fri, 17 Jan 2025" };
	struct fetch_result fr;
	char path[2048], url[2100], err[256];

	(void)state;
	fixture_path(path, sizeof(path), DROP_REL);
	snprintf(url, sizeof(url), "file://%s", path);
	if (fetch_url(url, &v, &fr, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(fr.len, DROP_SIZE);
	assert_int_equal(fr.body[fr.len], '\0');
	assert_false(fr.not_modified);
	assert_string_equal(fr.etag, "");
	assert_string_equal(fr.last_modified, "");
	fetch_result_free(&fr);
}

static void
missing_file_url_fails_with_curl_text(void **state)
{
	struct fetch_result fr;
	char err[512];

	(void)state;
	assert_int_not_equal(fetch_url("file:///nonexistent/list.txt", NULL,
	    &fr, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "file"));
	assert_null(fr.body);
}

static void
other_schemes_are_refused(void **state)
{
	struct fetch_result fr;
	char err[512];

	(void)state;
	assert_int_not_equal(fetch_url("ftp://127.0.0.1/list.txt", NULL,
	    &fr, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "nsupported protocol"));
	assert_null(fr.body);
}

static void
only_http_and_https_are_http(void **state)
{
	(void)state;
	assert_true(fetch_is_http("http://example.org/x"));
	assert_true(fetch_is_http("HTTPS://example.org/x"));
	assert_false(fetch_is_http("file:///tmp/x"));
	assert_false(fetch_is_http("ftp://example.org/x"));
}

static int
setup(void **state)
{
	(void)state;
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	curl_global_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(file_is_read_whole_and_nul_terminated),
		cmocka_unit_test(missing_file_names_path_and_errno),
		cmocka_unit_test(file_url_gives_body_without_validators),
		cmocka_unit_test(missing_file_url_fails_with_curl_text),
		cmocka_unit_test(other_schemes_are_refused),
		cmocka_unit_test(only_http_and_https_are_http),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
