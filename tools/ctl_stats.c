/* ctl_stats.c -- reputectl stats: the running daemon's counters, asked
 * over its control socket. */

#include <stdio.h>

#include "ctl.h"
#include "ctlsock.h"
#include "log.h"

/* stats: ask the daemon (ctlsock.h); nothing is read from the store. */
int
ctl_stats(struct ctl *ctl)
{
	char path[256], err[512];
	json_t *root;

	if (ctlsock_path(ctl->cfg, path, sizeof(path)) != 0) {
		log_warnx("%s: the control socket's path is too long",
		    ctl->conf);
		return CTL_ERR;
	}
	if (ctlsock_request(path, "stats", &root, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return CTL_ERR;
	}
	if (ctl->json)
		return ctl_json_print(root) == 0 ? CTL_OK : CTL_ERR;
	ctlsock_stats_print(stdout, root);
	json_decref(root);
	return CTL_OK;
}
