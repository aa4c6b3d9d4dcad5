/* test_catalog.c -- the shipped catalog of public lists, and its printing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <jansson.h>

#include "../../importers/catalog.h"
#include "../../importers/formats.h"
#include "config.h"

#define CATALOG_REL	"catalog/catalog.ini"

/* The lists the issue names, at least. */
static const char *const required_lists[] = {
	"spamhaus-drop", "spamhaus-drop-json", "spamhaus-dropv6",
	"spamhaus-asndrop", "dshield", "firehol-level1", "feodo",
	"blocklist-de", "tor-exits", "cins-army", "et-compromised", "ipsum",
	"stopforumspam-toxic", NULL
};

/* Absolute path of a file under $SRCDIR (default: the cwd). */
static void
src_path(char *buf, size_t len, const char *rel)
{
	const char *dir = getenv("SRCDIR");
	char cwd[1024];

	if (dir == NULL || dir[0] != '/') {
		assert_non_null(getcwd(cwd, sizeof(cwd)));
		snprintf(buf, len, "%s/%s/%s", cwd, dir ? dir : ".", rel);
	} else
		snprintf(buf, len, "%s/%s", dir, rel);
}

static int
cat_setup(void **state)
{
	struct cfg_catalog *cat;
	char path[PATH_MAX];

	src_path(path, sizeof(path), CATALOG_REL);
	if (cfg_catalog_load(&cat, path, stderr) != 0)
		return -1;
	*state = cat;
	return 0;
}

static int
cat_teardown(void **state)
{
	cfg_catalog_free(*state);
	return 0;
}

static void
catalog_has_every_required_list(void **state)
{
	const struct cfg_catalog *cat = *state;
	size_t i;

	for (i = 0; required_lists[i] != NULL; i++)
		if (cfg_catalog_find(cat, required_lists[i]) == NULL)
			fail_msg("no [list %s]", required_lists[i]);
	assert_true(cat->nlists >= i);
}

/* Everything a user needs to decide, and to fetch politely. */
static void
catalog_lists_are_complete(void **state)
{
	const struct cfg_catalog *cat = *state;
	const struct cfg_list *l;

	for (l = cat->lists; l < cat->lists + cat->nlists; l++) {
		if (l->provider == NULL || l->description == NULL ||
		    l->terms == NULL || l->src.txt == NULL)
			fail_msg("%s: provider, description, terms and txt "
			    "are required", l->name);
		if (strncmp(l->src.url, "https://", 8) != 0)
			fail_msg("%s: url is not https", l->name);
		if (strstr(l->src.txt, "http") == NULL)
			fail_msg("%s: txt has no lookup or removal link",
			    l->name);
		if (l->min_refresh < CFG_REFRESH_MIN)
			fail_msg("%s: no min-refresh, or below 5m", l->name);
		if (l->src.refresh < l->min_refresh)
			fail_msg("%s: refresh below min-refresh", l->name);
	}
}

/* Every format the catalog names is one the importer has. */
static void
catalog_formats_are_importable(void **state)
{
	const struct cfg_catalog *cat = *state;
	const struct cfg_list *l;

	for (l = cat->lists; l < cat->lists + cat->nlists; l++)
		if (imp_format_find(l->src.format) == NULL)
			fail_msg("%s: format %s is not built in", l->name,
			    l->src.format);
}

/* A zone made of several lists tells them apart by the answer. */
static void
catalog_codes_are_distinct(void **state)
{
	const struct cfg_catalog *cat = *state;
	uint32_t a, b;
	size_t i, j;

	for (i = 0; i < cat->nlists; i++) {
		a = ntohl(cat->lists[i].src.code);
		if ((a >> 8) != 0x7f0000 || (a & 0xff) < 2)
			fail_msg("%s: code is not 127.0.0.2-255",
			    cat->lists[i].name);
		for (j = 0; j < i; j++) {
			b = ntohl(cat->lists[j].src.code);
			if (a == b)
				fail_msg("%s and %s share a code",
				    cat->lists[i].name, cat->lists[j].name);
		}
	}
}

/* The providers' rules (shared/notes/list-formats.md, section 13). */
static void
catalog_keeps_provider_rules(void **state)
{
	const struct cfg_catalog *cat = *state;
	const struct cfg_list *l;

	for (l = cat->lists; l < cat->lists + cat->nlists; l++) {
		if (strncmp(l->name, "spamhaus-", 9) == 0 &&
		    l->min_refresh < 3600)
			fail_msg("%s: Spamhaus asks for one hour at least",
			    l->name);
		if (strcmp(l->name, "dshield") == 0 && !l->contact_required)
			fail_msg("dshield: ISC asks for a contact");
	}
	assert_non_null(l = cfg_catalog_find(cat, "spamhaus-drop"));
	assert_int_equal(l->src.refresh, 12 * 3600);
	assert_int_equal(l->min_refresh, 3600);
	/* FireHOL level1 holds 224.0.0.0/3 on purpose. */
	assert_non_null(l = cfg_catalog_find(cat, "firehol-level1"));
	assert_true(l->src.max_prefix4 <= 3);
}

/* A configuration naming every list loads, with the list's values. */
static void
catalog_resolves_in_a_configuration(void **state)
{
	const struct cfg_catalog *cat = *state;
	const struct cfg_source *s;
	const struct cfg_list *l;
	char tmpl[] = "/tmp/test_catalog.XXXXXX", conf[64];
	struct cfg *cfg;
	FILE *f;
	int fd;

	assert_true((fd = mkstemp(tmpl)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fprintf(f, "[server]\ncatalog-file = %s\ncontact = ops@example.org\n",
	    cat->path);
	for (l = cat->lists; l < cat->lists + cat->nlists; l++)
		fprintf(f, "[source %s]\ncatalog = %s\n", l->name, l->name);
	assert_int_equal(fclose(f), 0);
	snprintf(conf, sizeof(conf), "%s", tmpl);
	assert_int_equal(cfg_load(&cfg, conf, stderr), 0);
	unlink(conf);
	for (l = cat->lists; l < cat->lists + cat->nlists; l++) {
		assert_non_null(s = cfg_source_find(cfg, l->name));
		assert_string_equal(s->url, l->src.url);
		assert_string_equal(s->format, l->src.format);
		assert_string_equal(s->txt, l->src.txt);
		assert_int_equal(s->refresh, l->src.refresh);
		assert_int_equal(s->code, l->src.code);
		assert_int_equal(s->min_refresh, l->min_refresh);
		assert_int_equal(s->contact_required, l->contact_required);
	}
	cfg_free(cfg);
}

/* The output of catalog_print() into a string; free() it. */
static char *
print_to_string(const struct cfg_catalog *cat, int json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(catalog_print(cat, json, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* Columns line up: each row's FORMAT starts where the header's does. */
static void
catalog_prints_aligned_table(void **state)
{
	const struct cfg_catalog *cat = *state;
	char *out = print_to_string(cat, 0), *line, *save = NULL, *p;
	const char *want;
	size_t col = 0, rows = 0, i;

	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (rows == 0) {
			assert_memory_equal(line, "NAME ", 5);
			assert_non_null(p = strstr(line, "FORMAT"));
			col = (size_t)(p - line);
			assert_non_null(strstr(line, "PROVIDER"));
			assert_non_null(strstr(line, "REFRESH"));
			assert_non_null(strstr(line, "TERMS"));
		} else if (rows <= cat->nlists) {
			i = rows - 1;
			assert_memory_equal(line, cat->lists[i].name,
			    strlen(cat->lists[i].name));
			want = cat->lists[i].src.format;
			assert_memory_equal(line + col, want, strlen(want));
			assert_non_null(strstr(line, cat->lists[i].terms));
		}
		rows++;
	}
	assert_true(rows > cat->nlists);
	free(out);
}

static void
catalog_prints_json(void **state)
{
	const struct cfg_catalog *cat = *state;
	char *out = print_to_string(cat, 1);
	json_error_t jerr;
	json_t *root, *o;
	size_t i;

	if ((root = json_loads(out, 0, &jerr)) == NULL)
		fail_msg("not JSON: %s", jerr.text);
	assert_true(json_is_array(root));
	assert_int_equal(json_array_size(root), cat->nlists);
	for (i = 0; i < cat->nlists; i++) {
		o = json_array_get(root, i);
		assert_string_equal(json_string_value(json_object_get(o,
		    "name")), cat->lists[i].name);
		assert_string_equal(json_string_value(json_object_get(o,
		    "url")), cat->lists[i].src.url);
		assert_non_null(json_string_value(json_object_get(o,
		    "provider")));
		assert_non_null(json_string_value(json_object_get(o,
		    "terms")));
		assert_non_null(json_string_value(json_object_get(o,
		    "refresh")));
		assert_non_null(json_string_value(json_object_get(o, "code")));
		assert_true(json_is_boolean(json_object_get(o,
		    "contact_required")));
	}
	json_decref(root);
	free(out);
}

#define T(f)	cmocka_unit_test(f)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(catalog_has_every_required_list),
		T(catalog_lists_are_complete),
		T(catalog_formats_are_importable),
		T(catalog_codes_are_distinct),
		T(catalog_keeps_provider_rules),
		T(catalog_resolves_in_a_configuration),
		T(catalog_prints_aligned_table),
		T(catalog_prints_json),
	};

	return cmocka_run_group_tests(tests, cat_setup, cat_teardown);
}
