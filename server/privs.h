/* privs.h -- giving up root once the daemon's sockets are bound. */
#ifndef REPUTED_PRIVS_H
#define REPUTED_PRIVS_H

/*
 * Run as user from now on. Call once, at startup, after every socket is
 * bound and the store is open (the store's lock file stays open, so the
 * user needs no access to the store directory for what it already
 * holds). Started as root: with user, switch groups and ids and check
 * that root cannot be regained; any failure is fatal. Without user, warn
 * that the daemon keeps running as root. Not root: nothing to drop, and
 * a user given is only mentioned.
 */
void	privs_drop(const char *user);

#endif
