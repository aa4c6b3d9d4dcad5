/* rbldnsd.c -- `reputed --rbldnsd`: rbldnsd's command line on reputed,
 * as a supervisor of reputed-import (loads) and reputed -c (serves). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "config.h"
#include "log.h"
#include "privs.h"
#include "filesum.h"
#include "rbldnsd.h"
#include "rbldnsd_records.h"

/*
 * Architecture: the server never parses list formats and the importer
 * never speaks DNS, so this front end only translates. It writes
 * STORE/reputed.conf (a [source] per dataset, format rbldnsd-TYPE; a
 * [zone] per zone name), imports each dataset with
 *	reputed-import -c CONF --print-meta --source NAME --file F...
 * (one write transaction: the server never sees half a load, and a
 * failed load leaves the previous data served), turns the $SOA, $NS and
 * $TTL that import prints into the zones' settings (combined data: part
 * 0, the common section, lists the $DATASET blocks; each block is a
 * source of its own, imported with --part N, each subzone a zone), runs
 *	reputed -c CONF
 * which renews its store snapshot per batch of queries: new data is
 * served as soon as an import commits. A change of SOA, NS or TTL
 * rewrites the configuration and sends that server SIGHUP.
 */

#define RBL_EXIT_ERR	1		/* rbldnsd's exit status on errors */
#define RBL_TTL_DEF	2100		/* rbldnsd's default TTL, 35m */
#define RBL_CHECK_DEF	60		/* -c default, 1m */
#define RBL_TTL_LIMIT	604800		/* the most a [zone] ttl may be */
#define RBL_LINE_MAX	190		/* config lines stay under 198 */
#define RBL_STOP_WAIT	100		/* x 100 ms for the server to stop */
#define RBL_READY_TRIES	50		/* x 200 ms for the server to answer */
#define RBL_DNAME	(CFG_DNAME_MAX + 1)
#define RBL_META_LEN	320		/* formats.h IMP_META_LEN */
#define RBL_SUBS	16		/* subzones of one $DATASET */

/* What a data file was when it was last loaded (or tried). */
struct rbl_file {
	char		*path;		/* absolute */
	int		 err;		/* errno of stat(), or 0 */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	int		 have_sum;	/* sum is of the bytes last tried */
	uint8_t		 sum[FILESUM_LEN];
};

/* What a dataset's last good import said of itself (--print-meta). */
struct rbl_meta {
	int		has_soa;
	uint32_t	soa[6];		/* ttl serial refresh retry expire min */
	char		mname[RBL_DNAME], rname[RBL_DNAME];
	int		has_ns;
	uint32_t	ns_ttl;
	char		ns[CFG_MAX_NS][RBL_DNAME];
	size_t		nns;
	int		has_ttl;
	uint32_t	ttl;
	char		datasets[RBL_META_LEN];	/* combined, part 0 */
};

/* A $DATASET block of combined data: a source of its own. */
struct rbl_block {
	char		 spec[RBL_META_LEN];	/* "type[:label] sub..." */
	char		 source[CFG_NAME_MAX + 1];
	char		 subs[RBL_SUBS][RBL_DNAME];	/* "@": the zone */
	size_t		 nsubs;
	int		 loaded;
	struct rbl_meta	 meta;
};

struct rbl_dataset {
	char		*spec;		/* "type:file,file" as given */
	char		 type[16];
	char		 source[CFG_NAME_MAX + 1];
	struct rbl_file	*files;
	size_t		 nfiles;
	int		 tried, loaded;
	struct rbl_meta	 meta;		/* combined: of its common section */
	struct rbl_block *blocks;	/* combined only */
	size_t		 nblocks;
};

struct rbl_zone {
	char		 name[RBL_DNAME];
	size_t		 ds[CFG_MAX_ZONE_SOURCES];	/* indexes */
	size_t		 nds;
	int		 has_acl;	/* "zone:acl:file": its client-acl */
	size_t		 acl;		/* that dataset's index */
};

/* The front end's state: rbldnsd_main() owns it. */
struct rbl {
	/* The command line. */
	char			*listen[CFG_MAX_LISTEN];
	size_t			 nlisten;
	int			 family;	/* -4: AF_INET, -6: AF_INET6 */
	const char		*user;		/* -u as given, then the name */
	char			 user_name[64];
	uid_t			 uid;
	gid_t			 gid;
	int			 drop;		/* root: run as user */
	const char		*root, *workdir, *pidfile, *store_opt;
	uint32_t		 ttl_def, ttl_min, ttl_max;
	uint32_t		 check;		/* seconds; 0: no checks */
	int			 accept_host_bits, quick, foreground;
	/* -l [+]file, -s [+]file: as given, then absolute ("-" kept). */
	const char		*qlog_arg, *sfile_arg;
	char			*qlog, *sfile;
	int			 qlog_flush, sfile_deltas;
	struct rbl_dataset	*ds;
	size_t			 nds;
	int			 has_gacl;	/* ":acl:file", [server]'s */
	size_t			 gacl;		/* client-acl: its dataset */
	struct rbl_zone		*zones;
	size_t			 nzones;
	/* What it runs. */
	char			 self[PATH_MAX], import[PATH_MAX];
	char			 store[PATH_MAX], conf[PATH_MAX + 16];
	int			 store_tmp;	/* ours: removed at exit */
	char			*conf_text;	/* as last written */
	struct rbldnsd_records	 recs;		/* of generic datasets */
	pid_t			 server;
	sigset_t		 sigs, oldmask;
	int			 ready_fd;	/* -1, or the waiting parent */
};

static void
rbl_usage(FILE *f)
{
	fprintf(f,
"usage: reputed --rbldnsd [options] zone:type:file[,file...] ...\n"
"\n"
"rbldnsd's command line (see man rbldnsd) on reputed: the data files are\n"
"loaded into a store by reputed-import and served by reputed, over UDP\n"
"and TCP. Dataset types: ip4set ip4tset ip4trie ip6tset ip6trie dnset,\n"
"generic, and combined with $DATASET blocks of those types; acl\n"
"(zone:acl:file, a zone's, and :acl:file, every zone's).\n"
"\n"
"  -b addr[/port]  listen (required; repeatable; port 53 by default)\n"
"  -4, -6          resolve -b names to IPv4 / IPv6 addresses only\n"
"  -u user[:group] run as user (default rbldns when started as root)\n"
"  -r dir, -w dir  data file names are relative to dir (-r: no chroot)\n"
"  -t def:min:max  default TTL (35m) and limits of the data's TTLs\n"
"  -c time         check the data files this often (1m; 0: only SIGHUP)\n"
"  -e              accept CIDRs with host bits set (10.1.2.3/24)\n"
"  -q              a file that fails to load at startup is not fatal\n"
"  -n              stay in the foreground, log to stderr\n"
"  -p file         write the pid here\n"
"  -l [+]file      query log, a line per answer (+: unbuffered; -: stdout;\n"
"                  reopened on SIGHUP)\n"
"  -s [+]file      statistics file, a line every -c (+: per interval)\n"
"  --store DIR     keep the store in DIR (default: a temporary one,\n"
"                  removed at exit)\n"
"Accepted and ignored: -a -A -f -v -C -x -X -F (one line each).\n"
"docs/rbldnsd.md lists every difference from rbldnsd.\n");
}

/* ---- Command line ------------------------------------------------------- */

/* -t defttl:minttl:maxttl, any part may be left out. */
static int
rbl_opt_ttl(struct rbl *r, const char *arg)
{
	uint32_t *field[3] = { &r->ttl_def, &r->ttl_min, &r->ttl_max };
	char buf[128], *s = buf, *colon;
	int i;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (i = 0; i < 3 && s != NULL; i++) {
		if ((colon = strchr(s, ':')) != NULL)
			*colon++ = '\0';
		if (*s != '\0' && cfg_parse_rbldnsd_time(s, field[i]) != 0)
			return -1;
		s = colon;
	}
	return s == NULL ? 0 : -1;
}

/* -b addr[/port]: every address the name has, as "a.b.c.d:port" or
 * "[v6]:port" for [server] listen. */
static int
rbl_opt_bind(struct rbl *r, const char *arg)
{
	char host[256], text[INET6_ADDRSTRLEN], item[INET6_ADDRSTRLEN + 16];
	const char *port = "53", *slash = strrchr(arg, '/');
	struct addrinfo hints, *res, *ai;
	unsigned short pnum;
	size_t i, n = slash ? (size_t)(slash - arg) : strlen(arg);
	int rc, dup;

	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, arg, n);
	host[n] = '\0';
	if (slash != NULL)
		port = slash + 1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = r->family;
	hints.ai_socktype = SOCK_DGRAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		log_warnx("-b %s: %s", arg, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			const struct sockaddr_in *sin = (void *)ai->ai_addr;

			inet_ntop(AF_INET, &sin->sin_addr, text, sizeof(text));
			pnum = ntohs(sin->sin_port);
			snprintf(item, sizeof(item), "%s:%u", text, pnum);
		} else if (ai->ai_family == AF_INET6) {
			const struct sockaddr_in6 *s6 = (void *)ai->ai_addr;

			inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
			pnum = ntohs(s6->sin6_port);
			snprintf(item, sizeof(item), "[%s]:%u", text, pnum);
		} else
			continue;
		/* An address given twice is bound once (rbldnsd too). */
		for (i = 0, dup = 0; i < r->nlisten && !dup; i++)
			dup = strcmp(r->listen[i], item) == 0;
		if (dup)
			continue;
		if (r->nlisten == CFG_MAX_LISTEN) {
			log_warnx("-b %s: more than %d listen addresses", arg,
			    CFG_MAX_LISTEN);
			freeaddrinfo(res);
			return -1;
		}
		if ((r->listen[r->nlisten] = strdup(item)) == NULL)
			fatal("strdup");
		r->nlisten++;
	}
	freeaddrinfo(res);
	return 0;
}

/* The dataset types the importer reads exactly (rbldnsd-TYPE). */
static int
rbl_type_known(const char *type)
{
	static const char *const ok[] = { "ip4set", "ip4tset", "ip4trie",
	    "ip6tset", "ip6trie", "dnset", "generic", "combined", "acl",
	    NULL };
	size_t i;

	for (i = 0; ok[i] != NULL; i++)
		if (strcmp(type, ok[i]) == 0)
			return 1;
	return 0;
}

/* A data file name as rbldnsd opens it after chroot(-r) and chdir(-w),
 * made absolute. */
static char *
rbl_path(const struct rbl *r, const char *file)
{
	char cwd[PATH_MAX], *out = NULL;
	const char *w = r->workdir;
	int rc;

	if (file[0] == '/')
		rc = asprintf(&out, "%s%s", r->root ? r->root : "", file);
	else if (r->root != NULL)
		rc = asprintf(&out, "%s/%s%s%s", r->root, w ? w : "",
		    w ? "/" : "", file);
	else if (w != NULL && w[0] == '/')
		rc = asprintf(&out, "%s/%s", w, file);
	else {
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			fatal("getcwd");
		rc = asprintf(&out, "%s/%s%s%s", cwd, w ? w : "", w ? "/" : "",
		    file);
	}
	if (rc < 0)
		fatal("asprintf");
	return out;
}

/* The dataset "type:files", shared by every zone that names it. */
static int
rbl_dataset(struct rbl *r, const char *spec, size_t *index)
{
	struct rbl_dataset *d;
	const char *colon = strchr(spec, ':');
	char *files, *f, *save = NULL;
	size_t i, tlen = colon ? (size_t)(colon - spec) : 0;

	for (i = 0; i < r->nds; i++) {
		if (strcmp(r->ds[i].spec, spec) == 0) {
			*index = i;
			return 0;
		}
	}
	if ((d = realloc(r->ds, (r->nds + 1) * sizeof(*d))) == NULL)
		fatal("realloc");
	r->ds = d;
	d = &r->ds[r->nds];
	memset(d, 0, sizeof(*d));
	if (tlen == 0 || tlen >= sizeof(d->type) || colon[1] == '\0') {
		log_warnx("invalid zone spec (zone:type:file,...): '%s'",
		    spec);
		return -1;
	}
	memcpy(d->type, spec, tlen);
	if (!rbl_type_known(d->type)) {
		log_warnx("dataset type '%s' is not supported by reputed "
		    "--rbldnsd (ip4set ip4tset ip4trie ip6tset ip6trie "
		    "dnset generic combined acl are; see docs/rbldnsd.md)",
		    d->type);
		return -1;
	}
	if ((d->spec = strdup(spec)) == NULL ||
	    (files = strdup(colon + 1)) == NULL)
		fatal("strdup");
	for (f = strtok_r(files, ",", &save); f != NULL;
	    f = strtok_r(NULL, ",", &save)) {
		d->files = realloc(d->files, (d->nfiles + 1) *
		    sizeof(*d->files));
		if (d->files == NULL)
			fatal("realloc");
		memset(&d->files[d->nfiles], 0, sizeof(*d->files));
		d->files[d->nfiles++].path = rbl_path(r, f);
	}
	free(files);
	if (d->nfiles == 0) {
		log_warnx("no data file in '%s'", spec);
		return -1;
	}
	snprintf(d->source, sizeof(d->source), "d%zu-%s", r->nds + 1,
	    d->type);
	*index = r->nds++;
	return 0;
}

/* "zone:type:file,file": the zone (case-folded, no final dot) gets the
 * dataset; a zone named twice is the union of its datasets. */
static int
rbl_zone_spec(struct rbl *r, const char *arg)
{
	const char *colon = strchr(arg, ':');
	struct rbl_zone *z = NULL;
	char name[RBL_DNAME];
	size_t i, n = colon ? (size_t)(colon - arg) : 0, ds;
	int acl = colon != NULL && strncmp(colon + 1, "acl:", 4) == 0;

	if (colon == NULL || n >= sizeof(name)) {
		log_warnx("invalid zone spec (zone:type:file,...): '%s'", arg);
		return -1;
	}
	for (i = 0; i < n; i++)
		name[i] = (char)tolower((unsigned char)arg[i]);
	name[n] = '\0';
	if (n > 1 && name[n - 1] == '.')
		name[n - 1] = '\0';
	if (name[0] == '\0' && !acl) {
		log_warnx("missing domain name in '%s'", arg);
		return -1;
	}
	if (rbl_dataset(r, colon + 1, &ds) != 0)
		return -1;
	/* An acl is not data: the zone's client-acl, or with no zone name
	 * [server]'s (one each, as in rbldnsd). */
	if (name[0] == '\0') {
		if (r->has_gacl) {
			log_warnx("global acl specified more than once");
			return -1;
		}
		r->has_gacl = 1;
		r->gacl = ds;
		return 0;
	}
	for (i = 0; i < r->nzones && z == NULL; i++)
		if (strcmp(r->zones[i].name, name) == 0)
			z = &r->zones[i];
	if (z == NULL) {
		if ((z = realloc(r->zones, (r->nzones + 1) *
		    sizeof(*z))) == NULL)
			fatal("realloc");
		r->zones = z;
		z = &r->zones[r->nzones++];
		memset(z, 0, sizeof(*z));
		snprintf(z->name, sizeof(z->name), "%s", name);
	}
	if (acl) {
		if (z->has_acl) {
			log_warnx("repeated ACL definition for zone %s", name);
			return -1;
		}
		z->has_acl = 1;
		z->acl = ds;
		return 0;
	}
	for (i = 0; i < z->nds; i++)
		if (z->ds[i] == ds)
			return 0;
	if (z->nds == CFG_MAX_ZONE_SOURCES) {
		log_warnx("zone %s: more than %d datasets", name,
		    CFG_MAX_ZONE_SOURCES);
		return -1;
	}
	z->ds[z->nds++] = ds;
	return 0;
}

/*
 * -l and -s: "[+]file" into the [server] keys' values: '+' set in
 * *plus, the file made absolute as rbldnsd opens it (after -r and -w),
 * "-" (-l only) kept. An empty name means no file (rbldnsd too). 0, or
 * -1 if the name does not fit a configuration line.
 */
static int
rbl_opt_file(const struct rbl *r, int ch, const char *arg, char **out,
    int *plus)
{
	const char *name = arg;

	*out = NULL;
	if ((*plus = name[0] == '+'))
		name++;
	if (name[0] == '\0')
		return 0;
	if (ch == 'l' && strcmp(name, "-") == 0)
		*out = strdup(name);
	else
		*out = rbl_path(r, name);
	if (*out == NULL)
		fatal("strdup");
	if (strlen(*out) + 24 > RBL_LINE_MAX) {
		log_warnx("-%c %s: the file name is too long (at most %d "
		    "characters, made absolute)", ch, arg, RBL_LINE_MAX - 24);
		return -1;
	}
	return 0;
}

/* An option reputed takes but has no use for: say so, once. */
static void
rbl_ignored(int ch, const char *arg, const char *why)
{
	log_info("rbldnsd option -%c%s%s accepted but ignored: %s", ch,
	    arg ? " " : "", arg ? arg : "", why);
}

enum { RBL_OPT_STORE = 256 };

/* rbldnsd's options (its getopt string), then the zone specs. */
static int
rbl_parse(struct rbl *r, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, RBL_OPT_STORE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *binds[64];
	size_t nb = 0, i;
	int ch, bad = 0;

	r->ttl_def = RBL_TTL_DEF;
	r->check = RBL_CHECK_DEF;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "u:r:b:w:t:c:p:nel:qs:h46dvaAfCx:X:F:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'u': r->user = optarg; break;
		case 'r': r->root = optarg; break;
		case 'w': r->workdir = optarg; break;
		case 'b':
			if (nb == sizeof(binds) / sizeof(binds[0])) {
				log_warnx("too many -b options");
				return -1;
			}
			binds[nb++] = optarg;
			break;
		case 't':
			if (rbl_opt_ttl(r, optarg) != 0) {
				log_warnx("invalid -t '%s'", optarg);
				bad = 1;
			}
			break;
		case 'c':
			if (cfg_parse_rbldnsd_time(optarg, &r->check) != 0) {
				log_warnx("invalid -c '%s'", optarg);
				bad = 1;
			}
			break;
		case 'p': r->pidfile = optarg; break;
		case 'n': r->foreground = 1; break;
		case 'e': r->accept_host_bits = 1; break;
		case 'q': r->quick = 1; break;
		case '4': r->family = AF_INET; break;
		case '6': r->family = AF_INET6; break;
		case RBL_OPT_STORE: r->store_opt = optarg; break;
		case 'h': rbl_usage(stdout); exit(0);
		case 'd':
			log_warnx("-d (dump the zones) is not supported");
			return -1;
		case 'l': r->qlog_arg = optarg; break;
		case 's': r->sfile_arg = optarg; break;
		case 'v': rbl_ignored(ch, NULL, "version.bind is always "
			    "REFUSED"); break;
		case 'a': rbl_ignored(ch, NULL, "answers are always minimal "
			    "(no NS in the authority section)"); break;
		case 'A': rbl_ignored(ch, NULL, "answers are always minimal "
			    "(no NS in the authority section)"); break;
		case 'f': rbl_ignored(ch, NULL, "reloads never stall: "
			    "reputed-import loads in its own process"); break;
		case 'C': rbl_ignored(ch, NULL, "compressed data files are "
			    "never read"); break;
		case 'x': rbl_ignored(ch, optarg, "no extensions"); break;
		case 'X': rbl_ignored(ch, optarg, "no extensions"); break;
		case 'F': rbl_ignored(ch, optarg, "syslog facility is "
			    "daemon"); break;
		default: rbl_usage(stderr); return -1;
		}
	}
	/* After every option: -r and -w may follow -l and -s. */
	if ((r->qlog_arg != NULL && rbl_opt_file(r, 'l', r->qlog_arg,
	    &r->qlog, &r->qlog_flush) != 0) ||
	    (r->sfile_arg != NULL && rbl_opt_file(r, 's', r->sfile_arg,
	    &r->sfile, &r->sfile_deltas) != 0))
		bad = 1;
	if (bad)
		return -1;
	for (i = 0; i < nb; i++)
		if (rbl_opt_bind(r, binds[i]) != 0)
			return -1;
	if (r->nlisten == 0 || optind >= argc) {
		log_warnx("%s", r->nlisten == 0 ? "no -b address to listen "
		    "on" : "no zone:type:file given");
		rbl_usage(stderr);
		return -1;
	}
	for (; optind < argc; optind++)
		if (rbl_zone_spec(r, argv[optind]) != 0)
			return -1;
	/* rbldnsd refuses a zone that has only an acl. */
	for (i = 0; i < r->nzones; i++) {
		if (r->zones[i].nds == 0) {
			log_warnx("missing data for zone %s (an acl is not "
			    "data)", r->zones[i].name);
			return -1;
		}
	}
	return 0;
}

/* ---- Programs, user, store directory ------------------------------------ */

/* prog next to dir's programs: 0 with path set if it is executable. */
static int
rbl_beside(const char *dir_of, const char *prog, char *path, size_t len)
{
	const char *slash = strrchr(dir_of, '/');

	if (slash == NULL)
		return -1;
	snprintf(path, len, "%.*s/%s", (int)(slash - dir_of), dir_of, prog);
	return access(path, X_OK);
}

/* reputed-import: beside this binary, beside argv[0], or in PATH. */
static int
rbl_find_programs(struct rbl *r, const char *argv0)
{
	const char *pathenv = getenv("PATH");
	char *copy, *dir, *save = NULL;
	ssize_t n;
	int rc = -1;

	if ((n = readlink("/proc/self/exe", r->self, sizeof(r->self) - 1)) > 0)
		r->self[n] = '\0';
	else if (realpath(argv0, r->self) == NULL)
		snprintf(r->self, sizeof(r->self), "%s", argv0);
	if (rbl_beside(r->self, "reputed-import", r->import,
	    sizeof(r->import)) == 0 || rbl_beside(argv0, "reputed-import",
	    r->import, sizeof(r->import)) == 0)
		return 0;
	if (pathenv == NULL || (copy = strdup(pathenv)) == NULL)
		return -1;
	for (dir = strtok_r(copy, ":", &save); dir != NULL && rc != 0;
	    dir = strtok_r(NULL, ":", &save)) {
		snprintf(r->import, sizeof(r->import), "%s/reputed-import",
		    dir);
		rc = access(r->import, X_OK);
	}
	free(copy);
	return rc;
}

/* rbldnsd never runs as root: -u, else user rbldns. */
static int
rbl_user(struct rbl *r)
{
	struct passwd *pw;
	char name[64], *colon;

	if (geteuid() != 0) {
		if (r->user != NULL)
			log_info("not started as root: -u %s not needed",
			    r->user);
		return 0;
	}
	snprintf(name, sizeof(name), "%s", r->user ? r->user : "rbldns");
	if ((colon = strchr(name, ':')) != NULL) {
		*colon = '\0';
		rbl_ignored('u', r->user, "the group is the user's own");
	}
	if ((pw = getpwnam(name)) == NULL) {
		log_warnx("user %s: no such user%s", name,
		    r->user ? "" : " (rbldnsd runs as rbldns unless -u)");
		return -1;
	}
	if (pw->pw_uid == 0) {
		log_warnx("refusing to run as root: use -u");
		return -1;
	}
	snprintf(r->user_name, sizeof(r->user_name), "%s", name);
	r->user = r->user_name;
	r->uid = pw->pw_uid;
	r->gid = pw->pw_gid;
	r->drop = 1;
	return 0;
}

/* In a child about to exec: the run user, quietly (the supervisor has
 * not dropped root yet while it loads at startup). */
static void
rbl_become(const struct rbl *r)
{
	if (!r->drop || geteuid() != 0)
		return;
	if (setgroups(1, &r->gid) == -1 || setresgid(r->gid, r->gid,
	    r->gid) == -1 || setresuid(r->uid, r->uid, r->uid) == -1) {
		fprintf(stderr, "cannot become user %s: %s\n", r->user,
		    strerror(errno));
		_exit(127);
	}
}

static int
rbl_rm(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (remove(path) != 0 && flag != FTW_DNR)
		log_warn("remove %s", path);
	return 0;
}

/* The store directory: --store DIR, or a private temporary one. */
static int
rbl_store(struct rbl *r)
{
	const char *tmp = getenv("TMPDIR");

	if (r->store_opt != NULL) {
		if (realpath(r->store_opt, r->store) == NULL) {
			if (mkdir(r->store_opt, 0755) != 0 ||
			    realpath(r->store_opt, r->store) == NULL) {
				log_warn("--store %s", r->store_opt);
				return -1;
			}
		}
	} else {
		snprintf(r->store, sizeof(r->store), "%s/reputed-rbldnsd."
		    "XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(r->store) == NULL) {
			log_warn("mkdtemp %s", r->store);
			return -1;
		}
		r->store_tmp = 1;
	}
	if (r->drop && chown(r->store, r->uid, r->gid) != 0) {
		log_warn("chown %s", r->store);
		return -1;
	}
	snprintf(r->conf, sizeof(r->conf), "%s/reputed.conf", r->store);
	return 0;
}

/* ---- The configuration ------------------------------------------------- */

/* rbldnsd's rule for a TTL read from data: 0 is the default, others are
 * held within -t's limits (0: none). */
static uint32_t
rbl_ttl(const struct rbl *r, uint32_t ttl)
{
	if (ttl == 0)
		return r->ttl_def;
	if (r->ttl_min != 0 && ttl < r->ttl_min)
		ttl = r->ttl_min;
	if (r->ttl_max != 0 && ttl > r->ttl_max)
		ttl = r->ttl_max;
	return ttl;
}

/* A TTL a [zone] accepts (at most a week). */
static uint32_t
rbl_limit(uint32_t ttl)
{
	return ttl < RBL_TTL_LIMIT ? ttl : RBL_TTL_LIMIT;
}

/* A dataset's (or block's) TTL: its last $TTL, else -t's default. */
static uint32_t
rbl_meta_ttl(const struct rbl *r, const struct rbl_meta *m)
{
	return m->has_ttl ? rbl_ttl(r, m->ttl) : r->ttl_def;
}

static void
rbl_conf_source(const struct rbl *r, const struct rbl_dataset *d,
    const char *source, const char *format, const char *what, FILE *f)
{
	size_t i;

	fprintf(f, "\n[source %s]\n", source);
	fprintf(f, "# %s%s%s\n", d->spec, what ? ": " : "", what ? what : "");
	for (i = 0; i < d->nfiles; i++)
		fprintf(f, "# file %s\n", d->files[i].path);
	/* One file: its URL, so that plain reputed-import runs work too
	 * (the front end always names the files with --file). */
	if (d->nfiles == 1 && strlen(d->files[0].path) + 14 < RBL_LINE_MAX &&
	    d->blocks == NULL && strcmp(d->type, "combined") != 0)
		fprintf(f, "url = file://%s\n", d->files[0].path);
	fprintf(f, "format = rbldnsd-%s\n", format);
	fprintf(f, "code = 127.0.0.2\n");
	fprintf(f, "txt = $rbldnsd_txt\n");
	fprintf(f, "strict-cidr = %s\n", r->accept_host_bits ? "no" : "yes");
	/* rbldnsd loads whatever the file holds. */
	fprintf(f, "max-rejected = 100%%\nmax-shrink = 100%%\n");
	fprintf(f, "max-prefix4 = 0\nmax-prefix6 = 0\nmax-size = 4G\n");
}

static void
rbl_conf_sources(const struct rbl *r, const struct rbl_dataset *d, FILE *f)
{
	char what[32];
	size_t k;

	if (strcmp(d->type, "combined") != 0) {
		rbl_conf_source(r, d, d->source, d->type, NULL, f);
		return;
	}
	/* Part 0 holds no entries: it is the base zone's $SOA and $NS. */
	rbl_conf_source(r, d, d->source, "combined", "common section", f);
	for (k = 0; k < d->nblocks; k++) {
		snprintf(what, sizeof(what), "$DATASET %zu", k + 1);
		rbl_conf_source(r, d, d->blocks[k].source, "combined", what,
		    f);
	}
}

/* One source of a zone being written, and what it says of the zone. */
struct rbl_member {
	const char		*source;
	int			 has_ttl;	/* 0: holds no entries */
	uint32_t		 ttl;
	const struct rbl_meta	*meta;		/* its $SOA, $NS; or NULL */
};

struct rbl_zconf {
	char			 name[RBL_DNAME];
	struct rbl_member	 m[CFG_MAX_ZONE_SOURCES];
	size_t			 n;
	/* 1 + the index of the command-line zone it is, and of the one
	 * whose combined data made it a subzone (0: none): whose acl. */
	size_t			 zone, base;
};

/* Add a member to zone name in zs (n zones, room for max); the zone, or
 * NULL when there is no room. */
static struct rbl_zconf *
rbl_zconf_add(struct rbl_zconf *zs, size_t *n, size_t max, const char *name,
    struct rbl_member m)
{
	size_t i;

	for (i = 0; i < *n && strcmp(zs[i].name, name) != 0; i++)
		;
	if (i == *n) {
		if (*n == max)
			return NULL;
		memset(&zs[i], 0, sizeof(zs[i]));
		snprintf(zs[i].name, sizeof(zs[i].name), "%s", name);
		(*n)++;
	}
	if (zs[i].n < CFG_MAX_ZONE_SOURCES)
		zs[i].m[zs[i].n++] = m;
	return &zs[i];
}

/* Does a dataset (or a $DATASET block, its spec) of this type hold
 * entries? A generic one holds records of the zone only. */
static int
rbl_has_entries(const char *type)
{
	return !(strncmp(type, "generic", 7) == 0 && (type[7] == '\0' ||
	    type[7] == ' ' || type[7] == ':'));
}

/*
 * The zones to write: the command line's, each with its datasets, and
 * for combined data its blocks: in the zone itself ("@") or in subzones
 * SUB.ZONE, which take the SOA and NS of the base zone's data.
 */
static struct rbl_zconf *
rbl_zones(const struct rbl *r, size_t *nz)
{
	struct rbl_zconf *zs, *zc;
	const struct rbl_dataset *d;
	const struct rbl_block *b;
	char name[RBL_DNAME * 2];
	size_t i, j, k, q, max = r->nzones * 4 + 64;

	if ((zs = calloc(max, sizeof(*zs))) == NULL)
		fatal("calloc");
	*nz = 0;
	for (i = 0; i < r->nzones; i++) {
		const struct rbl_zone *z = &r->zones[i];

		for (j = 0; j < z->nds; j++) {
			d = &r->ds[z->ds[j]];
			zc = rbl_zconf_add(zs, nz, max, z->name,
			    (struct rbl_member){ d->source, d->blocks == NULL &&
			    strcmp(d->type, "combined") != 0 &&
			    rbl_has_entries(d->type),
			    rbl_meta_ttl(r, &d->meta), &d->meta });
			if (zc != NULL)
				zc->zone = i + 1;
			for (k = 0; k < d->nblocks; k++) {
				b = &d->blocks[k];
				for (q = 0; q < b->nsubs; q++) {
					if (strcmp(b->subs[q], "@") == 0)
						snprintf(name, sizeof(name),
						    "%s", z->name);
					else
						snprintf(name, sizeof(name),
						    "%s.%s", b->subs[q],
						    z->name);
					if (strlen(name) >= RBL_DNAME)
						continue;
					zc = rbl_zconf_add(zs, nz, max, name,
					    (struct rbl_member){ b->source,
					    rbl_has_entries(b->spec),
					    rbl_meta_ttl(r, &b->meta),
					    &d->meta });
					if (zc != NULL && zc->base == 0)
						zc->base = i + 1;
				}
			}
		}
	}
	return zs;
}

/* The zone's client-acl: its own acl, or a subzone's of combined data,
 * its base zone's (rbldnsd consults the base zone's acl for all of it). */
static void
rbl_conf_zone_acl(const struct rbl *r, const struct rbl_zconf *z, FILE *f)
{
	size_t zi = z->zone != 0 ? z->zone : z->base;

	if (zi != 0 && r->zones[zi - 1].has_acl)
		fprintf(f, "client-acl = %s\n",
		    r->ds[r->zones[zi - 1].acl].source);
}

/* The SOA and NS of a zone: the first source (in command-line order)
 * with a $SOA, and the first with a $NS, as rbldnsd takes them. */
static void
rbl_conf_zone(const struct rbl *r, const struct rbl_zconf *z, FILE *f)
{
	const struct rbl_member *m, *soa = NULL, *ns = NULL;
	uint32_t ttl = 0, t;
	size_t i, k, len;
	int have_ttl = 0;

	fprintf(f, "\n[zone %s]\n", z->name);
	rbl_conf_zone_acl(r, z, f);
	fprintf(f, "sources =");
	for (i = 0; i < z->n; i++) {
		m = &z->m[i];
		fprintf(f, " %s", m->source);
		/* One TTL per zone: the smallest of its datasets. */
		if (m->has_ttl && (!have_ttl || m->ttl < ttl)) {
			ttl = m->ttl;
			have_ttl = 1;
		}
		if (soa == NULL && m->meta != NULL && m->meta->has_soa)
			soa = m;
		if (ns == NULL && m->meta != NULL && m->meta->has_ns)
			ns = m;
	}
	fprintf(f, "\nttl = %" PRIu32 "\n", rbl_limit(have_ttl ? ttl :
	    r->ttl_def));
	if (soa != NULL && strlen(soa->meta->mname) +
	    strlen(soa->meta->rname) < RBL_LINE_MAX - 8) {
		const uint32_t *v = soa->meta->soa;

		fprintf(f, "soa = %s %s\n", soa->meta->mname,
		    soa->meta->rname);
		/* A $SOA TTL of 0 is the dataset's; MINIMUM is as written. */
		t = v[0] ? rbl_ttl(r, v[0]) : rbl_meta_ttl(r, soa->meta);
		fprintf(f, "soa-ttl = %" PRIu32 "\n", rbl_limit(t));
		fprintf(f, "soa-refresh = %" PRIu32 "\nsoa-retry = %" PRIu32
		    "\nsoa-expire = %" PRIu32 "\n", v[2] & INT32_MAX,
		    v[3] & INT32_MAX, v[4] & INT32_MAX);
		fprintf(f, "negative-ttl = %" PRIu32 "\n", rbl_limit(v[5]));
	}
	if (ns != NULL) {
		t = ns->meta->ns_ttl ? rbl_ttl(r, ns->meta->ns_ttl) :
		    rbl_meta_ttl(r, ns->meta);
		fprintf(f, "ns-ttl = %" PRIu32 "\n", rbl_limit(t));
	}
	if (ns != NULL && ns->meta->nns > 0) {
		fprintf(f, "ns =");
		for (k = 0, len = 5; k < ns->meta->nns; k++) {
			len += strlen(ns->meta->ns[k]) + 1;
			if (len > RBL_LINE_MAX)
				break;
			fprintf(f, " %s", ns->meta->ns[k]);
		}
		fprintf(f, "\n");
	}
}

/* The records of the zone's generic datasets: a records file (number i)
 * with rbldnsd's TTLs, named in the zone. */
static void
rbl_conf_records(const struct rbl *r, const struct rbl_zconf *z, size_t i,
    FILE *f)
{
	const struct rbldnsd_ttl ttl = { r->ttl_def, r->ttl_min, r->ttl_max,
	    RBL_TTL_LIMIT };
	const char *src[CFG_MAX_ZONE_SOURCES];
	size_t k;

	for (k = 0; k < z->n; k++)
		src[k] = z->m[k].source;
	rbldnsd_records_zone(&r->recs, src, z->n, z->name, i, r->store, &ttl,
	    f);
}

/* The whole configuration, in a malloc'd string. */
static char *
rbl_conf_build(const struct rbl *r)
{
	struct rbl_zconf *zs;
	char *text = NULL;
	size_t len = 0, i, nz;
	FILE *f;

	if ((f = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream");
	fprintf(f, "# Written by reputed --rbldnsd from its command line and\n"
	    "# the data's $SOA, $NS and $TTL; rewritten when they change.\n"
	    "[server]\nlisten =");
	for (i = 0; i < r->nlisten; i++)
		fprintf(f, " %s", r->listen[i]);
	fprintf(f, "\ndatabase = %s/db\n", r->store);
	if (r->drop)
		fprintf(f, "user = %s\n", r->user);
	if (r->has_gacl)
		fprintf(f, "client-acl = %s\n", r->ds[r->gacl].source);
	if (r->qlog != NULL)
		fprintf(f, "query-log = %s\nquery-log-flush = %s\n", r->qlog,
		    r->qlog_flush ? "yes" : "no");
	/* rbldnsd writes a line at each -c check; -c 0: only at exit. */
	if (r->sfile != NULL)
		fprintf(f, "stats-file = %s\nstats-file-interval = %" PRIu32
		    "\nstats-file-deltas = %s\n", r->sfile, r->check,
		    r->sfile_deltas ? "yes" : "no");
	for (i = 0; i < r->nds; i++)
		rbl_conf_sources(r, &r->ds[i], f);
	zs = rbl_zones(r, &nz);
	for (i = 0; i < nz; i++) {
		rbl_conf_zone(r, &zs[i], f);
		rbl_conf_records(r, &zs[i], i, f);
	}
	free(zs);
	if (fclose(f) != 0)
		fatal("open_memstream");
	return text;
}

/* Write the configuration if it changed: 1 written, 0 same, -1 error. */
static int
rbl_conf_write(struct rbl *r)
{
	char tmp[sizeof(r->conf) + 8], *text = rbl_conf_build(r);
	FILE *f;

	if (r->conf_text != NULL && strcmp(text, r->conf_text) == 0) {
		free(text);
		return 0;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", r->conf);
	if ((f = fopen(tmp, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) != 0 || rename(tmp, r->conf) != 0) {
		log_warn("writing %s", r->conf);
		free(text);
		return -1;
	}
	free(r->conf_text);
	r->conf_text = text;
	return 1;
}

/* ---- Child processes ---------------------------------------------------- */

/* In a child: the parent's signal mask and dispositions, not ours. */
static void
rbl_child_signals(const struct rbl *r)
{
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &r->oldmask, NULL);
}

/* One "meta\tSOURCE\tKEY\tVALUE" line of reputed-import --print-meta. */
static void
rbl_meta_line(struct rbl_meta *m, char *line)
{
	char *key, *val, *save = NULL, *t;
	unsigned long v[6];
	int i;

	if ((key = strchr(line + 5, '\t')) == NULL)
		return;
	key++;
	if ((val = strchr(key, '\t')) == NULL)
		return;
	*val++ = '\0';
	if (strcmp(key, "soa") == 0) {
		char mn[RBL_DNAME], rn[RBL_DNAME];

		if (sscanf(val, "%lu %253s %253s %lu %lu %lu %lu %lu", &v[0],
		    mn, rn, &v[1], &v[2], &v[3], &v[4], &v[5]) != 8)
			return;
		m->has_soa = 1;
		for (i = 0; i < 6; i++)
			m->soa[i] = (uint32_t)v[i];
		snprintf(m->mname, sizeof(m->mname), "%s", mn);
		snprintf(m->rname, sizeof(m->rname), "%s", rn);
	} else if (strcmp(key, "ns") == 0) {
		if ((t = strtok_r(val, " ", &save)) == NULL)
			return;
		m->has_ns = 1;
		m->ns_ttl = (uint32_t)strtoul(t, NULL, 10);
		while ((t = strtok_r(NULL, " ", &save)) != NULL &&
		    m->nns < CFG_MAX_NS)
			snprintf(m->ns[m->nns++], sizeof(m->ns[0]), "%s", t);
	} else if (strcmp(key, "ttl") == 0) {
		m->has_ttl = 1;
		m->ttl = (uint32_t)strtoul(val, NULL, 10);
	} else if (strcmp(key, "datasets") == 0)
		snprintf(m->datasets, sizeof(m->datasets), "%s", val);
}

/* Relay the importer's output to our log and collect its metadata. */
static void
rbl_import_output(int fd, struct rbl_meta *m, struct rbldnsd_records *recs)
{
	const char *rec;

	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	if ((f = fdopen(fd, "r")) == NULL) {
		close(fd);
		return;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if ((rec = rbldnsd_records_meta(line)) != NULL)
			rbldnsd_records_line(recs, rec);
		else if (strncmp(line, "meta\t", 5) == 0)
			rbl_meta_line(m, line);
		else if (strstr(line, " entries, ") != NULL)
			log_info("%s", line);
		else if (n > 0)
			log_warnx("%s", line);
	}
	free(line);
	fclose(f);
}

/*
 * Load dataset d (part of it for combined data, into source) with
 * reputed-import, waiting for it: 0 when the import committed (*m is
 * then its metadata), -1 when it failed (the store still holds the
 * previous data; the importer said why).
 */
static int
rbl_import(struct rbl *r, const struct rbl_dataset *d, const char *source,
    int part, struct rbl_meta *m)
{
	const char **argv;
	char partbuf[16];
	size_t i, k = 0;
	int fds[2], status, ok;
	pid_t pid;

	if ((argv = calloc(10 + 2 * d->nfiles, sizeof(*argv))) == NULL)
		fatal("calloc");
	argv[k++] = "reputed-import";
	argv[k++] = "-c";
	argv[k++] = r->conf;
	argv[k++] = "--print-meta";
	argv[k++] = "--source";
	argv[k++] = source;
	if (part >= 0) {
		snprintf(partbuf, sizeof(partbuf), "%d", part);
		argv[k++] = "--part";
		argv[k++] = partbuf;
	}
	for (i = 0; i < d->nfiles; i++) {
		argv[k++] = "--file";
		argv[k++] = d->files[i].path;
	}
	if (pipe2(fds, O_CLOEXEC) != 0 || (pid = fork()) == -1)
		fatal("starting %s", r->import);
	if (pid == 0) {
		rbl_child_signals(r);
		if (dup2(fds[1], 1) == -1 || dup2(fds[1], 2) == -1)
			_exit(127);
		rbl_become(r);
		execv(r->import, (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", r->import, strerror(errno));
		_exit(127);
	}
	free(argv);
	close(fds[1]);
	memset(m, 0, sizeof(*m));
	rbldnsd_records_begin(&r->recs);
	rbl_import_output(fds[0], m, &r->recs);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	/* A generic dataset's records: the last good import's. */
	rbldnsd_records_end(&r->recs, source, ok);
	return ok ? 0 : -1;
}

/* The blocks combined data lists ("type[:label] sub...;..."): 0 with
 * *out (malloc'd) and *n, or -1 for a list the front end cannot use. */
static int
rbl_blocks_parse(const struct rbl_dataset *d, const char *list,
    struct rbl_block **out, size_t *n)
{
	struct rbl_block *b = NULL, *nb;
	char *copy, *item, *save = NULL, *t, *save2;
	size_t k;

	*n = 0;
	if ((copy = strdup(list)) == NULL)
		fatal("strdup");
	for (item = strtok_r(copy, ";", &save); item != NULL;
	    item = strtok_r(NULL, ";", &save)) {
		if ((nb = realloc(b, (*n + 1) * sizeof(*b))) == NULL)
			fatal("realloc");
		b = nb;
		nb = &b[(*n)++];
		memset(nb, 0, sizeof(*nb));
		snprintf(nb->spec, sizeof(nb->spec), "%s", item);
		snprintf(nb->source, sizeof(nb->source), "%.40s-b%zu",
		    d->source, *n);
		save2 = NULL;
		strtok_r(item, " ", &save2);		/* the type */
		while ((t = strtok_r(NULL, " ", &save2)) != NULL &&
		    nb->nsubs < RBL_SUBS) {
			for (k = 0; t[k] != '\0'; k++)
				t[k] = (char)tolower((unsigned char)t[k]);
			if (k > 1 && t[k - 1] == '.')
				t[k - 1] = '\0';
			snprintf(nb->subs[nb->nsubs++], RBL_DNAME, "%s", t);
		}
	}
	free(copy);
	*out = b;
	return 0;
}

/* Load dataset d: one import, or for combined data the common section,
 * then each block (rewriting the configuration first when the blocks
 * changed). 0, or how many imports failed; *conf says whether the
 * configuration was rewritten. */
static int
rbl_load(struct rbl *r, struct rbl_dataset *d, int *conf)
{
	struct rbl_block *b;
	struct rbl_meta m;
	size_t k, n;
	int failed = 0, rc;

	if (strcmp(d->type, "combined") != 0) {
		if (rbl_import(r, d, d->source, -1, &m) != 0)
			return 1;
		d->meta = m;
		d->loaded = 1;
		return 0;
	}
	if (rbl_import(r, d, d->source, 0, &m) != 0)
		return 1;
	d->meta = m;
	d->loaded = 1;
	rbl_blocks_parse(d, m.datasets, &b, &n);
	for (k = 0; k < n && k < d->nblocks; k++)
		if (strcmp(b[k].spec, d->blocks[k].spec) == 0) {
			b[k].meta = d->blocks[k].meta;
			b[k].loaded = d->blocks[k].loaded;
		}
	free(d->blocks);
	d->blocks = b;
	d->nblocks = n;
	/* The importer reads the blocks' sources from the configuration. */
	if ((rc = rbl_conf_write(r)) < 0)
		return 1;
	*conf |= rc > 0;
	for (k = 0; k < d->nblocks; k++) {
		if (rbl_import(r, d, d->blocks[k].source, (int)k + 1,
		    &m) != 0) {
			failed++;
			continue;
		}
		d->blocks[k].meta = m;
		d->blocks[k].loaded = 1;
	}
	return failed;
}

/* ---- Checking the data files -------------------------------------------- */

/* A file whose stat() changed: has its content? Updates its digest.
 * Re-importing a large file costs seconds, hashing it milliseconds, and
 * a touch or a copy of the same bytes (rsync, a rename after a touch)
 * changes nothing that is served. */
static int
rbl_content_changed(struct rbl_file *f)
{
	uint8_t sum[FILESUM_LEN];
	int had = f->have_sum;

	if (filesum(f->path, sum) != 0) {
		f->have_sum = 0;
		return 1;		/* the import will say why */
	}
	f->have_sum = 1;
	if (had && memcmp(sum, f->sum, sizeof(sum)) == 0)
		return 0;
	memcpy(f->sum, sum, sizeof(sum));
	return 1;
}

/* Has any file of d changed since it was last tried? Updates files[]. */
static int
rbl_files_changed(struct rbl_dataset *d)
{
	struct rbl_file *f;
	struct stat st;
	size_t i;
	int changed = !d->tried, err;

	for (i = 0; i < d->nfiles; i++) {
		f = &d->files[i];
		err = stat(f->path, &st) == 0 ? 0 : errno;
		if (err != f->err || (err == 0 && (st.st_dev != f->dev ||
		    st.st_ino != f->ino || st.st_size != f->size ||
		    st.st_mtim.tv_sec != f->mtime.tv_sec ||
		    st.st_mtim.tv_nsec != f->mtime.tv_nsec))) {
			if (err != 0 || f->err != 0 || rbl_content_changed(f))
				changed = 1;
		} else if (err == 0 && !f->have_sum && d->tried) {
			(void)rbl_content_changed(f);
		}
		f->err = err;
		if (err == 0) {
			f->dev = st.st_dev;
			f->ino = st.st_ino;
			f->size = st.st_size;
			f->mtime = st.st_mtim;
		}
	}
	return changed;
}

/*
 * Load every dataset whose files changed (all at startup), then write
 * the configuration and tell the server when the zones' SOA, NS or TTL
 * changed. Returns how many loads failed.
 */
static int
rbl_check(struct rbl *r)
{
	struct rbl_dataset *d;
	size_t i;
	int failed = 0, rc, conf = 0, loaded;

	for (i = 0; i < r->nds; i++) {
		d = &r->ds[i];
		if (!rbl_files_changed(d))
			continue;
		log_info("loading %s (%s)", d->spec, d->source);
		d->tried = 1;
		loaded = d->loaded;
		if (rbl_load(r, d, &conf) != 0) {
			failed++;
			log_warnx("%s: load failed; %s", d->spec, loaded ?
			    "still serving the previous data" : "no data "
			    "served for it yet");
		}
	}
	if ((rc = rbl_conf_write(r)) < 0)
		failed++;
	else if ((rc > 0 || conf) && r->server > 0) {
		log_info("zone settings changed: reloading the server");
		kill(r->server, SIGHUP);
	}
	return failed;
}

/* ---- The server --------------------------------------------------------- */

/* One query for "." to the first listen address: any answer will do. */
static int
rbl_probe(const struct rbl *r)
{
	static const uint8_t q[17] = { 0x52, 0x42, 0, 0, 0, 1, 0, 0, 0, 0,
	    0, 0, 0, 0, 6, 0, 1 };
	struct sockaddr_storage ss;
	char host[INET6_ADDRSTRLEN + 2], *colon;
	const char *l = r->listen[0];
	struct pollfd pfd;
	uint8_t buf[512];
	socklen_t sl;
	int fd, ok = 0;

	snprintf(host, sizeof(host), "%s", l[0] == '[' ? l + 1 : l);
	if ((colon = strrchr(host, ':')) == NULL)
		return 0;
	*colon = '\0';
	if (host[0] != '\0' && colon[-1] == ']')
		colon[-1] = '\0';
	memset(&ss, 0, sizeof(ss));
	if (l[0] == '[') {
		struct sockaddr_in6 *s6 = (void *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)atoi(colon + 1));
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return 0;
		if (IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr))
			s6->sin6_addr = in6addr_loopback;
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *sin = (void *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)atoi(colon + 1));
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return 0;
		if (sin->sin_addr.s_addr == htonl(INADDR_ANY))
			sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof(*sin);
	}
	if ((fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (sendto(fd, q, sizeof(q), 0, (struct sockaddr *)&ss, sl) ==
	    (ssize_t)sizeof(q) && poll(&pfd, 1, 200) == 1 &&
	    recv(fd, buf, sizeof(buf), 0) >= 12)
		ok = 1;
	close(fd);
	return ok;
}

/* Has the server exited? Reaps it if so. */
static int
rbl_server_gone(struct rbl *r)
{
	int status;

	if (r->server <= 0)
		return 1;
	if (waitpid(r->server, &status, WNOHANG) != r->server)
		return 0;
	if (WIFEXITED(status))
		log_warnx("the DNS server (pid %ld) exited with status %d",
		    (long)r->server, WEXITSTATUS(status));
	else
		log_warnx("the DNS server (pid %ld) was killed by signal %d",
		    (long)r->server, WTERMSIG(status));
	r->server = 0;
	return 1;
}

/* Start `reputed -c CONF` and wait until it answers. 0 or -1. */
static int
rbl_server_start(struct rbl *r)
{
	const char *argv[5] = { "reputed", "-c", r->conf, NULL, NULL };
	pid_t parent = getpid(), pid;
	int i;

	if (!r->foreground)
		argv[3] = "--syslog";
	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0) {
		rbl_child_signals(r);
		/* The server goes when its supervisor does, however. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 ||
		    getppid() != parent)
			_exit(127);
		execv(r->self, (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", r->self, strerror(errno));
		_exit(127);
	}
	r->server = pid;
	for (i = 0; i < RBL_READY_TRIES; i++) {
		if (rbl_server_gone(r))
			return -1;
		if (rbl_probe(r))
			return 0;
	}
	log_warnx("the DNS server does not answer on %s", r->listen[0]);
	return -1;
}

static void
rbl_server_stop(struct rbl *r)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int i;

	if (r->server <= 0)
		return;
	kill(r->server, SIGTERM);
	for (i = 0; i < RBL_STOP_WAIT && !rbl_server_gone(r); i++)
		nanosleep(&ts, NULL);
	if (r->server > 0) {
		kill(r->server, SIGKILL);
		waitpid(r->server, NULL, 0);
		r->server = 0;
	}
}

/* ---- Startup, loop, exit ------------------------------------------------ */

/* Without -n: the caller waits until the daemon serves (or fails). */
static void
rbl_daemonize(struct rbl *r)
{
	char c = 0;
	int fds[2], null;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) != 0 || (pid = fork()) == -1)
		fatal("daemon");
	if (pid > 0) {
		close(fds[1]);
		while (read(fds[0], &c, 1) == -1 && errno == EINTR)
			;
		_exit(c == 'y' ? 0 : RBL_EXIT_ERR);
	}
	close(fds[0]);
	r->ready_fd = fds[1];
	setsid();
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		dup2(null, 0);
		/* -l -: the log stays on standard output (rbldnsd too). */
		if (r->qlog == NULL || strcmp(r->qlog, "-") != 0)
			dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	log_init("reputed", 1, 0);
}

static void
rbl_ready(struct rbl *r, int ok)
{
	if (r->ready_fd == -1)
		return;
	if (write(r->ready_fd, ok ? "y" : "n", 1) != 1)
		log_warn("telling the parent");
	close(r->ready_fd);
	r->ready_fd = -1;
}

static void
rbl_pidfile(const struct rbl *r)
{
	FILE *f;

	if (r->pidfile == NULL)
		return;
	if ((f = fopen(r->pidfile, "w")) == NULL ||
	    fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0)
		log_warn("pid file %s", r->pidfile);
}

static void
rbl_cleanup(struct rbl *r)
{
	size_t i, k;

	rbl_server_stop(r);
	if (r->store_tmp && r->store[0] != '\0')
		nftw(r->store, rbl_rm, 16, FTW_DEPTH | FTW_PHYS);
	for (i = 0; i < r->nds; i++) {
		for (k = 0; k < r->ds[i].nfiles; k++)
			free(r->ds[i].files[k].path);
		free(r->ds[i].files);
		free(r->ds[i].spec);
		free(r->ds[i].blocks);
	}
	for (i = 0; i < r->nlisten; i++)
		free(r->listen[i]);
	free(r->qlog);
	free(r->sfile);
	free(r->ds);
	free(r->zones);
	free(r->conf_text);
	rbldnsd_records_fini(&r->recs);
}

/* Wait for a signal or the next check; returns the exit status. */
static int
rbl_loop(struct rbl *r)
{
	struct timespec ts;
	time_t next = time(NULL) + r->check, now;
	int sig;

	for (;;) {
		now = time(NULL);
		ts.tv_sec = r->check == 0 ? 3600 : next > now ? next - now : 0;
		ts.tv_nsec = 0;
		sig = sigtimedwait(&r->sigs, NULL, &ts);
		if (sig == -1 && errno != EAGAIN)
			continue;		/* EINTR */
		if (sig == -1) {
			if (r->check != 0) {
				rbl_check(r);
				next = time(NULL) + r->check;
			}
			continue;
		}
		switch (sig) {
		case SIGHUP:
			log_info("SIGHUP: checking the data files");
			rbl_check(r);
			/* rbldnsd reopens its query log on SIGHUP: the
			 * server does on its own. */
			if (r->qlog != NULL && r->server > 0)
				kill(r->server, SIGHUP);
			break;
		case SIGCHLD:
			if (rbl_server_gone(r))
				return RBL_EXIT_ERR;
			break;
		case SIGUSR1:
		case SIGUSR2:
			log_info("statistics: reputed logs them at debug "
			    "level");
			break;
		default:
			log_info("%s: shutting down", strsignal(sig));
			return 0;
		}
	}
}

int
rbldnsd_main(int argc, char **argv, const char *self)
{
	struct rbl r;
	int ex = RBL_EXIT_ERR, failed;

	memset(&r, 0, sizeof(r));
	r.ready_fd = -1;
	log_init("reputed", 0, 0);
	sigemptyset(&r.sigs);
	sigaddset(&r.sigs, SIGHUP);
	sigaddset(&r.sigs, SIGTERM);
	sigaddset(&r.sigs, SIGINT);
	sigaddset(&r.sigs, SIGCHLD);
	sigaddset(&r.sigs, SIGUSR1);
	sigaddset(&r.sigs, SIGUSR2);
	/* Signals are taken by sigtimedwait() only, between two steps. */
	sigprocmask(SIG_BLOCK, &r.sigs, &r.oldmask);
	if (rbl_parse(&r, argc, argv) != 0 || rbl_user(&r) != 0)
		goto done;
	if (rbl_find_programs(&r, self) != 0) {
		log_warnx("reputed-import not found beside %s nor in PATH",
		    r.self);
		goto done;
	}
	if (rbl_store(&r) != 0 || rbl_conf_write(&r) < 0)
		goto done;
	log_info("store %s, %zu zone(s), %zu dataset(s)", r.store, r.nzones,
	    r.nds);
	if ((failed = rbl_check(&r)) != 0 && !r.quick) {
		log_warnx("%d dataset(s) failed to load: not starting (-q "
		    "starts anyway)", failed);
		goto done;
	}
	if (!r.foreground)
		rbl_daemonize(&r);
	rbl_pidfile(&r);
	if (rbl_server_start(&r) != 0) {
		rbl_ready(&r, 0);
		goto done;
	}
	/* The server has bound its sockets: nothing needs root now. */
	if (r.drop)
		privs_drop(r.user);
	log_info("serving %zu zone(s) on %s%s; checking the data files %s",
	    r.nzones, r.listen[0], r.nlisten > 1 ? " and more" : "",
	    r.check ? "periodically" : "on SIGHUP only");
	rbl_ready(&r, 1);
	ex = rbl_loop(&r);
done:
	rbl_ready(&r, 0);
	rbl_cleanup(&r);
	return ex;
}
