/* guard.c -- turn a fault while reading a damaged store into a message. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guard.h"

/*
 * A signal handler gets no argument to carry the message in, so it is
 * composed here once, before the handler is installed, and only read
 * afterwards: the one piece of process-wide state this module keeps.
 */
static char guard_msg[1024];
static size_t guard_len;
static const char *guard_map;
static size_t guard_map_len;

static void
guard_handler(int sig, siginfo_t *si, void *ctx)
{
	const char *at = si->si_addr;
	ssize_t w;

	(void)sig;
	(void)ctx;
	/* Not in the map: a bug. SA_RESETHAND has put the default action
	 * back, so returning faults again and dumps core as it should. */
	if (at < guard_map || at >= guard_map + guard_map_len)
		return;
	/* Only async-signal-safe calls from here on. */
	w = write(STDERR_FILENO, guard_msg, guard_len);
	(void)w;
	_exit(2);
}

void
guard_store_faults(const char *prog, const char *store_path,
    const void *map, size_t map_len)
{
	struct sigaction sa;
	int n;

	n = snprintf(guard_msg, sizeof(guard_msg), "%s: fatal: a memory "
	    "fault while reading %s: the store may be corrupt; check it with "
	    "`reputectl check`, restore it from a backup or re-import into a "
	    "new one\n", prog, store_path);
	if (n < 0)
		return;
	guard_len = (size_t)n < sizeof(guard_msg) ? (size_t)n :
	    sizeof(guard_msg) - 1;
	guard_map = map;
	guard_map_len = map_len;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = guard_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND | SA_SIGINFO;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}
