/* privs.c -- dropping root after binding, as nsd and knot do it. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
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
privs_drop(const char *user)
{
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0) {
		if (user != NULL)
			log_info("not started as root: running as uid %lu, "
			    "user %s not needed", (unsigned long)geteuid(),
			    user);
		return;
	}
	if (user == NULL) {
		log_warnx("WARNING: running as root; set user = in [server] "
		    "to drop privileges after binding");
		return;
	}
	privs_lookup(user, &uid, &gid);
	/* Groups first: once the uid is gone we could not change them. */
	if (setgroups(1, &gid) == -1)
		fatal("setgroups %s", user);
	if (setresgid(gid, gid, gid) == -1)
		fatal("setresgid %s", user);
	if (setresuid(uid, uid, uid) == -1)
		fatal("setresuid %s", user);
	/* A half-done drop (a saved uid of 0) must not go unnoticed. */
	if (setuid(0) != -1 || seteuid(0) != -1)
		fatalx("could regain root after dropping to %s", user);
	log_info("running as user %s (uid %lu, gid %lu)", user,
	    (unsigned long)uid, (unsigned long)gid);
}
