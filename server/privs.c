/* privs.c -- dropping root after binding, as nsd and knot do it; the
 * optional chroot; the store's permissions for the run user. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "log.h"
#include "privs.h"

/* Look up user before changing anything, so a typo fails cleanly. */
static void
privs_lookup(const char *user, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		if (errno != 0)
			fatal("user %s", user);
		fatalx("user %s: no such user", user);
	}
	if (pw->pw_uid == 0)
		fatalx("user %s: has uid 0, which would keep root", user);
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
}

void
privs_init(struct privs *p, const char *user)
{
	int n;

	memset(p, 0, sizeof(*p));
	p->user = user;
	p->root = geteuid() == 0;
	if (p->root && user != NULL) {
		privs_lookup(user, &p->uid, &p->gid);
		/* privs_apply() leaves the user's group alone. */
		p->groups[0] = p->gid;
		p->ngroups = 1;
		p->drop = 1;
		return;
	}
	p->uid = geteuid();
	p->gid = getegid();
	if ((n = getgroups(PRIVS_MAX_GROUPS, p->groups)) < 0)
		n = 0;
	p->ngroups = n;
}

/* ---- The store's permissions ------------------------------------------- */

static int
privs_in_group(const struct privs *p, gid_t g)
{
	int i;

	if (g == p->gid)
		return 1;
	for (i = 0; i < p->ngroups; i++)
		if (p->groups[i] == g)
			return 1;
	return 0;
}

/* May p's run user do what (R_OK, W_OK, X_OK bits) to a file of st? The
 * permission bits as the kernel applies them: owner, else group, else
 * others. root may do anything. */
static int
privs_may(const struct privs *p, const struct stat *st, int what)
{
	mode_t m = st->st_mode, bits;

	if (p->uid == 0)
		return 1;
	if (st->st_uid == p->uid)
		bits = (m >> 6) & 7;
	else if (privs_in_group(p, st->st_gid))
		bits = (m >> 3) & 7;
	else
		bits = m & 7;
	return ((mode_t)what & ~bits) == 0;
}

static const char *
privs_user_name(const struct privs *p, char *buf, size_t len)
{
	if (p->user != NULL && p->drop)
		snprintf(buf, len, "user %s (uid %lu)", p->user,
		    (unsigned long)p->uid);
	else
		snprintf(buf, len, "uid %lu", (unsigned long)p->uid);
	return buf;
}

/* One file of the store (name "": the directory): 0, or -1 with why
 * filled. need says what the run user must do, note why. */
static int
privs_check_file(const struct privs *p, const char *dir, const char *name,
    int what, const char *need, const char *note, char *why, size_t len)
{
	char path[PATH_MAX], who[128], owner[64], group[64];
	struct passwd *pw;
	struct group *gr;
	struct stat st;

	snprintf(path, sizeof(path), "%s%s%s", dir, name[0] ? "/" : "", name);
	if (stat(path, &st) != 0)
		return 0;	/* missing: the store open explains it */
	if (privs_may(p, &st, what))
		return 0;
	if ((pw = getpwuid(st.st_uid)) != NULL)
		snprintf(owner, sizeof(owner), "%s", pw->pw_name);
	else
		snprintf(owner, sizeof(owner), "%lu", (unsigned long)st.st_uid);
	if ((gr = getgrgid(st.st_gid)) != NULL)
		snprintf(group, sizeof(group), "%s", gr->gr_name);
	else
		snprintf(group, sizeof(group), "%lu", (unsigned long)st.st_gid);
	snprintf(why, len, "store %s: %s cannot %s %s (owner %s:%s, mode "
	    "%04o)%s; give the store to the user that runs reputed-import "
	    "and reputed (chown -R USER %s), or let a group they share "
	    "read and write it (chgrp -R GROUP %s; chmod -R g+rwX %s)%s",
	    dir, privs_user_name(p, who, sizeof(who)), need,
	    name[0] ? name : "the directory", owner, group,
	    (unsigned)(st.st_mode & 07777), note, dir, dir, dir,
	    p->drop ? "; started as root, reputed opens the store before "
	    "the drop and keeps serving" : "");
	return -1;
}

int
privs_check_store(const struct privs *p, const char *dir, char *why,
    size_t len)
{
	char lock[PATH_MAX];
	struct stat st;

	if (p->root && !p->drop)
		return 0;	/* root keeps root: nothing to check */
	snprintf(lock, sizeof(lock), "%s/lock.mdb", dir);
	if (privs_check_file(p, dir, "", X_OK, "enter", "", why, len) != 0 ||
	    privs_check_file(p, dir, "data.mdb", R_OK, "read", "", why,
	    len) != 0 ||
	    privs_check_file(p, dir, "lock.mdb", R_OK | W_OK, "write",
	    ", which every reader of the store must (LMDB readers register "
	    "in the lock file)", why, len) != 0 ||
	    (stat(lock, &st) != 0 && errno == ENOENT &&
	    privs_check_file(p, dir, "", W_OK | X_OK, "create lock.mdb in",
	    ", which the first reader does", why, len) != 0))
		return p->drop ? 1 : -1;
	return 0;
}

/* ---- chroot ------------------------------------------------------------ */

static void	privs_strip(const struct privs *, char **);

/* Where path (which must exist) is, seen from inside root: out gets the
 * rest of its resolved form after root. 0, or -1 with why filled. */
static int
privs_inside(const char *root, const char *what, const char *path,
    char *out, size_t outlen, char *why, size_t len)
{
	char real[PATH_MAX];
	size_t n = strlen(root);

	if (realpath(path, real) == NULL) {
		snprintf(why, len, "%s %s: %s", what, path, strerror(errno));
		return -1;
	}
	if (strncmp(real, root, n) != 0 || (real[n] != '/' && n > 1)) {
		snprintf(why, len, "chroot %s: the %s %s is outside it (it "
		    "must be inside, to be read after the chroot)", root, what,
		    real);
		return -1;
	}
	snprintf(out, outlen, "%s", n > 1 ? real + n : real);
	return 0;
}

/* Replace the path *field by in (its form inside the chroot). */
static int
privs_move(char **field, const char *in, char *why, size_t len)
{
	char *s;

	if (*field == NULL)
		return 0;
	if ((s = strdup(in)) == NULL) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	free(*field);
	*field = s;
	return 0;
}

int
privs_chroot(struct privs *p, const char *dir, struct cfg *cfg,
    const char **conf, char *why, size_t len)
{
	char db[PATH_MAX], asn[PATH_MAX] = "", cc[PATH_MAX] = "";
	const char *root = p->chroot;

	if (dir == NULL)
		return 0;
	if (!p->root) {
		snprintf(why, len, "chroot %s: reputed must be started as "
		    "root to chroot (or leave chroot out)", dir);
		return -1;
	}
	if (realpath(dir, p->chroot) == NULL) {
		snprintf(why, len, "chroot %s: %s", dir, strerror(errno));
		return -1;
	}
	/* Everything is resolved, outside, before anything moves. */
	if (privs_inside(root, "configuration file", *conf, p->conf,
	    sizeof(p->conf), why, len) != 0 ||
	    privs_inside(root, "database", cfg->server.database, db,
	    sizeof(db), why, len) != 0 ||
	    (cfg->geoip.asn_db != NULL && privs_inside(root, "asn-db",
	    cfg->geoip.asn_db, asn, sizeof(asn), why, len) != 0) ||
	    (cfg->geoip.country_db != NULL && privs_inside(root,
	    "country-db", cfg->geoip.country_db, cc, sizeof(cc), why,
	    len) != 0))
		return -1;
	/* Time zone rules are read now: /etc/localtime stays outside. */
	tzset();
	if (chroot(root) != 0 || chdir("/") != 0) {
		snprintf(why, len, "chroot %s: %s", root, strerror(errno));
		return -1;
	}
	if (privs_move(&cfg->server.database, db, why, len) != 0 ||
	    privs_move(&cfg->geoip.asn_db, asn, why, len) != 0 ||
	    privs_move(&cfg->geoip.country_db, cc, why, len) != 0)
		return -1;
	/* Files written later (they may not exist yet): seen from inside. */
	privs_strip(p, &cfg->server.query_log);
	privs_strip(p, &cfg->server.stats_file);
	*conf = p->conf;
	log_info("chroot %s", root);
	return 0;
}

/* A host path under the chroot, written inside; others are kept. */
static void
privs_strip(const struct privs *p, char **field)
{
	size_t n = strlen(p->chroot);
	char *s = *field;

	if (s == NULL || strncmp(s, p->chroot, n) != 0 || s[n] != '/')
		return;
	memmove(s, s + n, strlen(s + n) + 1);
}

void
privs_cfg_inside(const struct privs *p, struct cfg *cfg)
{
	char real[PATH_MAX];

	if (p->chroot[0] == '\0' || strcmp(p->chroot, "/") == 0)
		return;
	if (cfg->server.chroot == NULL ||
	    (strcmp(cfg->server.chroot, p->chroot) != 0 &&
	    (realpath(cfg->server.chroot, real) == NULL ||
	    strcmp(real, p->chroot) != 0)))
		log_warnx("reload: chroot changed; restart reputed to apply");
	privs_strip(p, &cfg->server.database);
	privs_strip(p, &cfg->geoip.asn_db);
	privs_strip(p, &cfg->geoip.country_db);
	privs_strip(p, &cfg->server.query_log);
	privs_strip(p, &cfg->server.stats_file);
}

/* ---- The drop ---------------------------------------------------------- */

void
privs_apply(const struct privs *p)
{
	if (!p->root) {
		if (p->user != NULL)
			log_info("not started as root: running as uid %lu, "
			    "user %s not needed", (unsigned long)geteuid(),
			    p->user);
		return;
	}
	if (!p->drop) {
		log_warnx("WARNING: running as root; set user = in [server] "
		    "to drop privileges after binding");
		return;
	}
	/* Groups first: once the uid is gone we could not change them. */
	if (setgroups(1, &p->gid) == -1)
		fatal("setgroups %s", p->user);
	if (setresgid(p->gid, p->gid, p->gid) == -1)
		fatal("setresgid %s", p->user);
	if (setresuid(p->uid, p->uid, p->uid) == -1)
		fatal("setresuid %s", p->user);
	/* A half-done drop (a saved uid of 0) must not go unnoticed. */
	if (setuid(0) != -1 || seteuid(0) != -1)
		fatalx("could regain root after dropping to %s", p->user);
	log_info("running as user %s (uid %lu, gid %lu)", p->user,
	    (unsigned long)p->uid, (unsigned long)p->gid);
}

void
privs_drop(const char *user)
{
	struct privs p;

	privs_init(&p, user);
	privs_apply(&p);
}
