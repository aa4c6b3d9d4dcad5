/* fuzz_config.c -- libFuzzer target: the input as a configuration file
 * through cfg_load() (and, if it has a [list] section, as a catalog
 * through cfg_catalog_load()). Whatever the file, the load ends without
 * a crash or a leak; a refusal says why, every problem on a line of its
 * own naming the file; an accepted configuration is consistent. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CONF_FUZZ	"fuzz_config"

/* The file each input is written to, in a directory of its own under
 * $TMPDIR or /tmp, removed at exit (not after a crash: run.sh points
 * TMPDIR to build-fuzz/tmp/ and empties it). */
static struct {
	char	dir[256];
	char	path[300];
} conf_fuzz;

static void
conf_fuzz_cleanup(void)
{
	unlink(conf_fuzz.path);
	rmdir(conf_fuzz.dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	fh_init();
	snprintf(conf_fuzz.dir, sizeof(conf_fuzz.dir), "%s/fuzz_config.XXXXXX",
	    tmp != NULL && strlen(tmp) < 200 ? tmp : "/tmp");
	if (mkdtemp(conf_fuzz.dir) == NULL)
		fh_fail(CONF_FUZZ, "mkdtemp %s failed", conf_fuzz.dir);
	snprintf(conf_fuzz.path, sizeof(conf_fuzz.path), "%s/reputed.conf",
	    conf_fuzz.dir);
	atexit(conf_fuzz_cleanup);
	return 0;
}

/*
 * Paths a configuration may name that are not files: reading /dev/zero
 * or a FIFO as the catalog never ends, which is the operator's doing,
 * not a parser bug. Such inputs are skipped. Relative paths start in a
 * directory under /tmp, so "../../dev/zero" has "dev/" too.
 */
static int
conf_fuzz_special(const uint8_t *data, size_t size)
{
	static const char *const avoid[] = { "dev/", "proc/", "sys/",
	    "run/", "fd/", NULL };
	size_t i;

	for (i = 0; avoid[i] != NULL; i++)
		if (memmem(data, size, avoid[i], strlen(avoid[i])) != NULL)
			return 1;
	return 0;
}

/* Every line of the error text starts "PATH:" (PATH: the file read or,
 * when a source names a catalog, the catalog). */
static void
conf_fuzz_check_err(const char *err, size_t len, const char *path,
    int catalog)
{
	const char *line = err, *nl;
	size_t plen = strlen(path);

	while (line < err + len) {
		nl = memchr(line, '\n', (size_t)(err + len - line));
		FH_CHECK(CONF_FUZZ, nl != NULL);
		FH_CHECK(CONF_FUZZ, catalog || ((size_t)(nl - line) > plen &&
		    memcmp(line, path, plen) == 0 && line[plen] == ':'));
		line = nl + 1;
	}
}

/* What an accepted configuration promises its readers. */
static void
conf_fuzz_check_cfg(const struct cfg *cfg)
{
	const struct cfg_source *s;
	const struct cfg_zone *z;
	char buf[64];
	int64_t d;
	size_t i, k;

	FH_CHECK(CONF_FUZZ, cfg->server.database != NULL &&
	    cfg->server.database[0] == '/');
	FH_CHECK(CONF_FUZZ, cfg->server.nlisten <= CFG_MAX_LISTEN);
	/* Indexes, not pointers: cfg->sources is NULL when there are none,
	 * and NULL + 0 is undefined. */
	for (k = 0; k < cfg->nsources; k++) {
		s = &cfg->sources[k];
		FH_CHECK(CONF_FUZZ, s->name != NULL &&
		    strlen(s->name) <= CFG_NAME_MAX);
		FH_CHECK(CONF_FUZZ, cfg_source_find(cfg, s->name) == s);
		FH_CHECK(CONF_FUZZ, s->format != NULL && s->txt != NULL);
		FH_CHECK(CONF_FUZZ, s->refresh > 0);
		FH_CHECK(CONF_FUZZ, cfg_parse_duration(cfg_duration_str(
		    s->refresh, buf, sizeof(buf)), &d) == 0 &&
		    d == s->refresh);
		FH_CHECK(CONF_FUZZ, cfg_source_next_fetch(s, 0, 0, 0) == 0);
		FH_CHECK(CONF_FUZZ, cfg_source_next_fetch(s, 1000000, 40,
		    0) >= 1000000);
	}
	for (k = 0; k < cfg->nzones; k++) {
		z = &cfg->zones[k];
		FH_CHECK(CONF_FUZZ, z->name != NULL &&
		    strlen(z->name) <= CFG_DNAME_MAX);
		FH_CHECK(CONF_FUZZ, cfg_zone_find(cfg, z->name) == z);
		FH_CHECK(CONF_FUZZ, z->nsources <= CFG_MAX_ZONE_SOURCES);
		FH_CHECK(CONF_FUZZ, z->nns >= 1 && z->nns <= CFG_MAX_NS);
		FH_CHECK(CONF_FUZZ, z->soa_mname != NULL &&
		    z->soa_rname != NULL);
		for (i = 0; i < z->nsources; i++)
			FH_CHECK(CONF_FUZZ, cfg_source_find(cfg,
			    z->sources[i]) != NULL);
	}
}

static void
conf_fuzz_catalog(void)
{
	struct cfg_catalog *cat = NULL;
	const struct cfg_list *l;
	char *err = NULL;
	size_t len = 0, k;
	FILE *fp;
	int rc;

	if ((fp = open_memstream(&err, &len)) == NULL)
		return;
	rc = cfg_catalog_load(&cat, conf_fuzz.path, fp);
	FH_CHECK(CONF_FUZZ, fclose(fp) == 0);
	FH_CHECK(CONF_FUZZ, (rc == 0) == (cat != NULL));
	FH_CHECK(CONF_FUZZ, rc == 0 || len > 0);
	conf_fuzz_check_err(err, len, conf_fuzz.path, 0);
	for (k = 0; cat != NULL && k < cat->nlists; k++) {
		l = &cat->lists[k];
		FH_CHECK(CONF_FUZZ, l->name != NULL &&
		    cfg_catalog_find(cat, l->name) == l);
	}
	cfg_catalog_free(cat);
	free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg *cfg = NULL;
	char *err = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	if (conf_fuzz_special(data, size))
		return 0;
	if ((fp = fopen(conf_fuzz.path, "w")) == NULL)
		fh_fail(CONF_FUZZ, "cannot write %s", conf_fuzz.path);
	if (fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
		fh_fail(CONF_FUZZ, "cannot write %s", conf_fuzz.path);
	if ((fp = open_memstream(&err, &len)) == NULL)
		return 0;
	rc = cfg_load(&cfg, conf_fuzz.path, fp);
	FH_CHECK(CONF_FUZZ, fclose(fp) == 0);
	FH_CHECK(CONF_FUZZ, rc <= 0 && (rc == 0) == (cfg != NULL));
	FH_CHECK(CONF_FUZZ, rc == 0 || len > 0);
	conf_fuzz_check_err(err, len, conf_fuzz.path,
	    memmem(data, size, "catalog", 7) != NULL);
	if (cfg != NULL)
		conf_fuzz_check_cfg(cfg);
	cfg_free(cfg);
	free(err);
	if (memmem(data, size, "[list", 5) != NULL)
		conf_fuzz_catalog();
	return 0;
}
