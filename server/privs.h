/* privs.h -- who the daemon runs as and what it can see: the run user,
 * an optional chroot, and whether that user can use the store. */
#ifndef REPUTED_PRIVS_H
#define REPUTED_PRIVS_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"

#define PRIVS_MAX_GROUPS	64

/* The run identity, found before anything changes; main owns it. */
struct privs {
	const char	*user;		/* user = (borrowed), or NULL */
	int		 root;		/* started with euid 0 */
	int		 drop;		/* root with a user: switch to it */
	uid_t		 uid;		/* who runs after the drop */
	gid_t		 gid;
	gid_t		 groups[PRIVS_MAX_GROUPS];	/* with gid */
	int		 ngroups;
	char		 chroot[PATH_MAX];	/* resolved; "" if none */
	char		 conf[PATH_MAX];	/* config file inside it */
};

/*
 * Find out who runs after the drop: user's ids when started as root
 * (fatal if there is no such user, or it is root itself), else our own.
 * Looks the user up now, while /etc/passwd is still in view.
 */
void	privs_init(struct privs *p, const char *user);

/*
 * Can p's run user use the store in directory dir: search the directory,
 * read data.mdb, read and write lock.mdb (LMDB readers register in the
 * lock file), or create lock.mdb when it is missing? 0 if so (or there
 * is no store yet: opening it says that better). Otherwise why says which
 * file, its owner and mode, and what to change; the result is negative
 * when this very process cannot use the store (not root: fatal at
 * start-up), positive when only the user dropped to cannot (started as
 * root, the daemon opens the files before the drop and keeps them, so
 * it works, but reputed-import, or a daemon not started as root, would
 * not: a warning).
 */
int	privs_check_store(const struct privs *p, const char *dir, char *why,
	    size_t len);

/*
 * chroot = dir: check that the configuration file (*conf), the store and
 * the geo databases of cfg are inside dir, then chroot there and rewrite
 * *conf and those paths of cfg as seen from inside, so that the store
 * and databases are opened, a SIGHUP re-reads the file and replaced
 * geo databases are found, all inside. dir NULL: nothing to do. 0, or
 * -1 with the reason in why (fatal at start-up).
 */
int	privs_chroot(struct privs *p, const char *dir, struct cfg *cfg,
	    const char **conf, char *why, size_t len);

/*
 * After a reload inside the chroot: the paths of the new cfg (written
 * as host paths, under the chroot directory) as seen from inside. A
 * changed chroot is only warned about: it takes a restart.
 */
void	privs_cfg_inside(const struct privs *p, struct cfg *cfg);

/*
 * Become p's run user for good. Call once, at startup, after every
 * socket is bound and the store is open (the store's lock file stays
 * open, so the user needs no access to the store directory for what it
 * already holds). Started as root: with a user, switch groups and ids
 * and check that root cannot be regained; any failure is fatal. Without
 * user, warn that the daemon keeps running as root. Not root: nothing to
 * drop, and a user given is only mentioned.
 */
void	privs_apply(const struct privs *p);

/* privs_init() and privs_apply() at once (no chroot). */
void	privs_drop(const char *user);

#endif
