/* main.c -- reputed-import: fetch the configured lists into the store. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "catalog.h"
#include "config.h"
#include "formats.h"
#include "import.h"
#include "guard.h"
#include "log.h"
#include "store.h"

#define EXIT_SOURCE_FAILED	1
#define EXIT_USAGE		2	/* also config and store errors */

/* What the command line asked for. */
struct args {
	const char	*config;
	const char	*file;
	const char	**files;	/* every --file, in order */
	size_t		 nfiles;
	const char	*source;
	int		 print_meta;	/* --print-meta */
	int		 verbose;
	int		 force;		/* ignore refresh, back-off */
	int		 catalog;	/* --catalog: print it, no import */
	int		 json;
	struct imp_opts	 opts;
	char		**names;	/* SOURCE... */
	int		 nnames;
};

/* The program's state: main owns it. */
struct importer {
	struct args	 a;
	struct cfg	*cfg;
	struct store	*st;
	int		 lockfd;
};

static void
usage(FILE *f, int full)
{
	fprintf(f,
"usage: reputed-import -c FILE [--force] [--allow-shrink] [-v] [SOURCE...]\n"
"       reputed-import -c FILE --file PATH... --source NAME [--allow-shrink]\n"
"       reputed-import [-c FILE] --catalog [--json]\n");
	if (!full) {
		fprintf(f, "Try 'reputed-import --help' for more.\n");
		return;
	}
	fprintf(f,
"\n"
"Fetch every configured source that is due (its refresh has passed since\n"
"its last attempt, longer after failures or when the server asked with\n"
"Retry-After; never sooner than the provider's min-refresh), or only the\n"
"SOURCEs named, and replace its entries in the store, one transaction per\n"
"source. A body is refused, and the previous data kept, when it is not a\n"
"list (HTML, binary, an error text), fails its format's checks, or breaks\n"
"the source's max-rejected, max-prefix4/6 or max-shrink. Prints \"NAME: N\n"
"entries, +added -removed =kept, R rejected, T s\" per source, or\n"
"\"NAME: import failed: REASON\".\n"
"\n"
"  -c, --config FILE   configuration file (required but for --catalog)\n"
"  -f, --force         import even if not due: ignores refresh,\n"
"                      min-refresh, back-off and Retry-After, so use it\n"
"                      by hand, not from cron (the request stays\n"
"                      conditional: an unchanged list answers 304)\n"
"      --allow-shrink  accept an import that removes more of a source's\n"
"                      entries than its max-shrink (default 50%%)\n"
"      --catalog       print the known public lists (name, provider,\n"
"                      format, refresh, min-refresh, terms) and exit\n"
"      --json          with --catalog: JSON, with every value\n"
"      --file PATH     import the local file PATH instead of fetching;\n"
"                      needs --source (works for manual sources too);\n"
"                      given again, the files are read as one list\n"
"      --part N        with --file: read part N of a list of several\n"
"                      (rbldnsd combined data: its N-th $DATASET block;\n"
"                      0 the common section)\n"
"      --print-meta    after each import, print what the list says of\n"
"                      itself: \"meta<TAB>NAME<TAB>KEY<TAB>VALUE\" lines\n"
"                      (rbldnsd data: soa, ns, ttl)\n"
"      --source NAME   the configured source --file imports into\n"
"  -v, --verbose       also say which sources are not due yet; debug log\n"
"  -h, --help          show this help\n"
"\n"
"Exit status: 0 all imports worked, 1 a source failed (its previous data\n"
"is kept), 2 usage, configuration or store error.\n");
}

enum { OPT_ALLOW_SHRINK = 256, OPT_FILE, OPT_SOURCE, OPT_CATALOG, OPT_JSON,
    OPT_PRINT_META, OPT_PART };

/* --part N: 0 to 65535. */
static int
parse_part(const char *s, unsigned *out)
{
	unsigned long n;
	char *e;

	n = strtoul(s, &e, 10);
	if (*s < '0' || *s > '9' || *e != '\0' || n > 65535) {
		log_warnx("--part %s: expected a number", s);
		return -EINVAL;
	}
	*out = (unsigned)n;
	return 0;
}

/* One more --file: the first is also a->file. */
static int
add_file(struct args *a, const char *path)
{
	const char **f;

	if ((f = realloc(a->files, (a->nfiles + 1) * sizeof(*f))) == NULL)
		return -ENOMEM;
	f[a->nfiles++] = path;
	a->files = f;
	a->file = f[0];
	return 0;
}

static int
parse_args(struct args *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	  required_argument, NULL, 'c' },
		{ "force",	  no_argument,	     NULL, 'f' },
		{ "allow-shrink", no_argument, NULL, OPT_ALLOW_SHRINK },
		{ "file",	  required_argument, NULL, OPT_FILE },
		{ "source",	  required_argument, NULL, OPT_SOURCE },
		{ "catalog",	  no_argument,	     NULL, OPT_CATALOG },
		{ "json",	  no_argument,	     NULL, OPT_JSON },
		{ "print-meta",	  no_argument,	     NULL, OPT_PRINT_META },
		{ "part",	  required_argument, NULL, OPT_PART },
		{ "verbose",	  no_argument,	     NULL, 'v' },
		{ "help",	  no_argument,	     NULL, 'h' },
		{ NULL,		  0,		     NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "c:fvh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': a->config = optarg; break;
		case 'f': a->force = 1; break;
		case OPT_ALLOW_SHRINK: a->opts.allow_shrink = 1; break;
		case OPT_FILE:
			if (add_file(a, optarg) != 0)
				return -ENOMEM;
			break;
		case OPT_PRINT_META: a->print_meta = 1; break;
		case OPT_PART:
			if (parse_part(optarg, &a->opts.part) != 0)
				return -EINVAL;
			break;
		case OPT_SOURCE: a->source = optarg; break;
		case OPT_CATALOG: a->catalog = 1; break;
		case OPT_JSON: a->json = 1; break;
		case 'v': a->verbose++; break;
		case 'h': usage(stdout, 1); exit(0);
		default: return -EINVAL;
		}
	}
	a->names = argv + optind;
	a->nnames = argc - optind;
	a->opts.file = a->file;
	a->opts.files = a->files;
	a->opts.nfiles = a->nfiles;
	return 0;
}

/* Cross-checks of the arguments; prints why they are wrong. */
static int
check_args(const struct args *a)
{
	if (a->catalog && (a->file != NULL || a->source != NULL ||
	    a->nnames > 0 || a->force)) {
		log_warnx("--catalog only prints the catalog");
		return -EINVAL;
	}
	if (a->json && !a->catalog) {
		log_warnx("--json goes with --catalog");
		return -EINVAL;
	}
	if (a->catalog)
		return 0;
	if (a->config == NULL) {
		log_warnx("-c FILE is required");
		return -EINVAL;
	}
	if ((a->file == NULL) != (a->source == NULL)) {
		log_warnx("--file and --source go together");
		return -EINVAL;
	}
	if (a->file != NULL && a->nnames > 0) {
		log_warnx("--file imports one source: name it with --source");
		return -EINVAL;
	}
	return 0;
}

/* Can this source be imported as asked? Prints why not. */
static int
check_source(const struct importer *im, const char *name)
{
	const struct cfg_source *src = cfg_source_find(im->cfg, name);
	const char *fmt;

	if (src == NULL) {
		log_warnx("%s: no such source in %s", name, im->a.config);
		return -ENOENT;
	}
	fmt = src->format ? src->format : "plain";
	if (imp_format_find(fmt) == NULL) {
		log_warnx("%s: unknown format '%s'", name, fmt);
		return -EINVAL;
	}
	if (src->url == NULL && im->a.file == NULL) {
		log_warnx("%s: a manual source (no url): import a file into it "
		    "with --file PATH --source %s", name, name);
		return -EINVAL;
	}
	return 0;
}

/* Check every source this run may import before touching the store. */
static int
check_sources(const struct importer *im)
{
	size_t i;
	int k, rc = 0;

	if (im->a.source != NULL)
		return check_source(im, im->a.source);
	for (k = 0; k < im->a.nnames; k++) {
		if (check_source(im, im->a.names[k]) != 0)
			rc = -EINVAL;
	}
	for (i = 0; im->a.nnames == 0 && i < im->cfg->nsources; i++) {
		if (im->cfg->sources[i].url != NULL &&
		    check_source(im, im->cfg->sources[i].name) != 0)
			rc = -EINVAL;
	}
	return rc;
}

/* Open the store and take the importers' lock (one import at a time). */
static int
open_store(struct importer *im)
{
	const char *db = im->cfg->server.database;
	char path[4096];
	int rc;

	if ((rc = store_open(&im->st, db, STORE_CREATE)) != 0) {
		/* The store keeps its handle on -EPROTO to name the
		 * version; do not count on it. */
		if (rc == -EPROTO && im->st != NULL)
			log_warnx("store %s has schema version %u; this "
			    "program knows version %u", db,
			    store_found_version(im->st),
			    store_schema_version());
		else
			log_warnx("store %s: %s", db, store_strerror(rc));
		return rc;
	}
	{
		const void *map;
		size_t len;

		store_map_range(im->st, &map, &len);
		guard_store_faults("reputed-import", db, map, len);
	}
	snprintf(path, sizeof(path), "%s/import.lock", db);
	if ((im->lockfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC,
	    0644)) == -1) {
		log_warn("open %s", path);
		return -errno;
	}
	if (flock(im->lockfd, LOCK_EX | LOCK_NB) == -1) {
		rc = -errno;
		if (errno == EWOULDBLOCK)
			log_warnx("another reputed-import is running (%s)",
			    path);
		else
			log_warn("lock %s", path);
		return rc;
	}
	return 0;
}

/* With -v: when a source that is not due will be, and why then. */
static void
say_not_due(const struct cfg_source *src, int64_t due,
    const struct store_source *s)
{
	char when[64];
	time_t tt = (time_t)due;

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&tt));
	if (s->retry_after != 0 && due == s->retry_after)
		printf("%s: not due until %s (the server asked to retry "
		    "after)\n", src->name, when);
	else if (s->failures > 1)
		printf("%s: not due until %s (back-off after %u failures)\n",
		    src->name, when, s->failures);
	else
		printf("%s: not due until %s\n", src->name, when);
}

/* --print-meta: one line per key, tab-separated, for programs (the
 * reputed --rbldnsd front end reads $SOA, $NS and $TTL this way). */
static void
print_meta(const char *name, const struct imp_result *res)
{
	size_t i;

	const char *r, *nl;

	for (i = 0; i < res->nmeta && i < IMP_META_MAX; i++)
		printf("meta\t%s\t%s\t%s\n", name, res->meta[i].key,
		    res->meta[i].value);
	/* A zone's static records (rbldnsd generic data), one a line. */
	for (r = res->records; r != NULL && *r != '\0'; r = nl + 1) {
		if ((nl = strchr(r, '\n')) == NULL)
			break;
		printf("meta\t%s\trecord\t%.*s\n", name, (int)(nl - r), r);
	}
}

/* Import one source unless it is not due. 0, or -1 if it failed. */
static int
run_source(struct importer *im, const struct cfg_source *src, int check)
{
	struct store_source status;
	struct imp_result res;
	int64_t now = (int64_t)time(NULL), due;
	int rc;

	if (check && (rc = imp_source_due(im->st, src, now, &due,
	    &status)) <= 0) {
		if (rc < 0) {
			fprintf(stderr, "%s: import failed: store: %s\n",
			    src->name, store_strerror(rc));
			return -1;
		}
		if (im->a.verbose)
			say_not_due(src, due, &status);
		return 0;
	}
	rc = imp_source(im->st, src, &im->a.opts, &res);
	imp_result_print(src->name, rc, &res, stdout, stderr);
	if (rc == 0 && im->a.print_meta)
		print_meta(src->name, &res);
	free(res.records);
	fflush(stdout);
	return rc == 0 ? 0 : -1;
}

/* Import the sources asked for; the exit status. */
static int
run(struct importer *im)
{
	const struct cfg *cfg = im->cfg;
	int check = !im->a.force, failed = 0, k;
	size_t i;

	if (im->a.source != NULL)
		failed |= run_source(im, cfg_source_find(cfg, im->a.source),
		    0);
	for (k = 0; k < im->a.nnames; k++)
		failed |= run_source(im, cfg_source_find(cfg,
		    im->a.names[k]), check);
	for (i = 0; im->a.source == NULL && im->a.nnames == 0 &&
	    i < cfg->nsources; i++) {
		if (cfg->sources[i].url != NULL)
			failed |= run_source(im, &cfg->sources[i], check);
	}
	return failed ? EXIT_SOURCE_FAILED : 0;
}

/*
 * Forget history events older than HISTORY_KEEP, so the store does not
 * grow without bound with every re-import; at most HISTORY_PRUNE_MAX per
 * run, in their own transaction, so one run never takes long. A failure
 * only costs space: it is logged, not fatal.
 */
#define HISTORY_KEEP		(365 * 86400)
#define HISTORY_PRUNE_MAX	200000

static void
prune_history(struct importer *im)
{
	struct store_txn *t;
	size_t n = 0;
	int rc;

	if ((rc = store_txn_begin(im->st, 1, &t)) != 0 ||
	    (rc = store_history_prune(t, (int64_t)time(NULL) - HISTORY_KEEP,
	    HISTORY_PRUNE_MAX, &n)) != 0) {
		store_txn_abort(t);
		log_warnx("pruning the history: %s", store_strerror(rc));
		return;
	}
	if ((rc = store_txn_commit(t)) != 0)
		log_warnx("pruning the history: %s", store_strerror(rc));
	else if (n > 0)
		log_debug("history: %zu events older than %d days removed", n,
		    HISTORY_KEEP / 86400);
}

/* --catalog: print the catalog the configuration (if any) would use. */
static int
show_catalog(const struct importer *im)
{
	struct cfg_catalog *cat;
	char path[4096];
	int rc;

	if (cfg_catalog_path(im->cfg, path, sizeof(path)) != 0) {
		log_warnx("catalog: file name too long");
		return EXIT_USAGE;
	}
	if (cfg_catalog_load(&cat, path, stderr) != 0)
		return EXIT_USAGE;
	rc = catalog_print(cat, im->a.json, stdout);
	cfg_catalog_free(cat);
	if (rc != 0 || fflush(stdout) != 0) {
		log_warnx("cannot print the catalog: %s", strerror(rc ? -rc :
		    errno));
		return EXIT_USAGE;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct importer im;
	int ex = EXIT_USAGE;

	memset(&im, 0, sizeof(im));
	im.lockfd = -1;
	log_init("reputed-import", 0, 0);
	if (parse_args(&im.a, argc, argv) != 0 || check_args(&im.a) != 0) {
		usage(stderr, 0);
		return EXIT_USAGE;
	}
	log_init("reputed-import", 0, im.a.verbose);
	if (im.a.config != NULL &&
	    cfg_load(&im.cfg, im.a.config, stderr) != 0)
		return EXIT_USAGE;
	if (im.a.catalog) {
		ex = show_catalog(&im);
		goto done;
	}
	im.a.opts.contact = im.cfg->server.contact;
	if (check_sources(&im) != 0)
		goto done;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_warnx("curl_global_init failed");
		goto done;
	}
	if (open_store(&im) == 0) {
		ex = run(&im);
		prune_history(&im);
	}
	curl_global_cleanup();
done:
	free(im.a.files);
	if (im.lockfd != -1)
		close(im.lockfd);
	store_close(im.st);
	cfg_free(im.cfg);
	return ex;
}
