/* reputectl.c -- look into and edit the reputation store: query, explain,
 * sources, list, report, check; and the running daemon's stats. This
 * file parses the arguments and runs the command (ctl.h). */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl.h"
#include "log.h"

#define CTL_DEFAULT_CONF	"/etc/reputed.conf"

struct ctl_cmd {
	const char	*name;
	int		 min_args;	/* operands after the name */
	int		 max_args;
	int		 needs_cfg;	/* check loads it itself */
	int		(*run)(struct ctl *);
};

static void
ctl_usage(FILE *f)
{
	fputs(
"usage: reputectl [-c FILE] [--json] COMMAND [ARG...]\n"
"\n"
"Look into and edit the reputation store of reputed.\n"
"\n"
"Commands:\n"
"  query IP [ZONE]   what the DNS server answers for IP in every zone (or in\n"
"                    ZONE): the A codes and the TXT strings.\n"
"                    Exit 0 if listed in a zone asked, 1 if not, 2 on error.\n"
"  explain IP        every source and every entry covering IP (widest first,\n"
"                    exclusions too): prefix, code, reason, first and last\n"
"                    seen, expiry, manual/exclusion flags, the winning (most\n"
"                    specific) entry and its last 5 history events; then the\n"
"                    verdict per source and per zone. With [geoip]: the\n"
"                    ASN, AS organisation, country and the database's\n"
"                    network, and ASN or country listings covering IP; and\n"
"                    the neighbourhood: per source, listed entries in the\n"
"                    same /24 (/48 for IPv6) and in the same ASN (of at\n"
"                    most the first 1000000 entries of each source).\n"
"                    Exit status as query.\n"
"  query NAME [ZONE], explain NAME\n"
"                    the same for a domain name (\"spam.example\", below\n"
"                    the zone) in the zones and sources that hold domain-\n"
"                    name listings (rbldnsd dnset): the entries that decide\n"
"                    (\"x\" and \".x\", else the nearest \"*.p\" or \".p\").\n"
"  sources           one row per source (configured or only in the store):\n"
"                    entries, last success, next fetch due, last error.\n"
"  list add PREFIX --source NAME --reason TEXT [--expires DURATION]\n"
"                    list PREFIX (an address, a CIDR, or !PREFIX for an\n"
"                    exclusion; AS64496 for every address of an ASN, CC:XX\n"
"                    for a country, by the [geoip] databases) by hand in a\n"
"                    configured source; imports keep manual entries.\n"
"                    Recorded in the history.\n"
"  list del PREFIX --source NAME --reason TEXT\n"
"                    remove the entry PREFIX (or !PREFIX) of a source.\n"
"  report asn|country [--source NAME] [--top N]\n"
"                    listed addresses per ASN (with the AS organisation) or\n"
"                    per country, most first, of every source or of NAME:\n"
"                    each entry counts for the ASN or country of its first\n"
"                    address (IPv4 in addresses, a /24 is 256; IPv6 in /64s).\n"
"                    The top N rows (default 20), then addresses not in the\n"
"                    database and the ASNs or countries listed whole.\n"
"  check             validate the configuration (every error as file:line:\n"
"                    message, else \"configuration OK\"), then verify the\n"
"                    store if there is one (\"store OK\" or each problem)\n"
"                    and open the [geoip] databases (\"geoip OK\" or why\n"
"                    not).\n"
"                    Exit 0 if all is well, 1 if the store has problems,\n"
"                    2 on configuration or other errors.\n"
"  stats             the running daemon's counters, in total and per zone\n"
"                    (queries by transport and type, rcodes, listed or not,\n"
"                    truncated, rate-limited, refused, malformed, lookup\n"
"                    errors) and its latency, over its control socket\n"
"                    (control-socket in [server], else control.sock in the\n"
"                    database directory). Exit 2 if reputed does not answer.\n"
"\n"
"Options:\n"
"  -c, --config FILE   configuration file (default " CTL_DEFAULT_CONF ")\n"
"  -j, --json          JSON output instead of aligned text\n"
"  -s, --source NAME   list: the source to change; report: the one to count\n"
"  -t, --top N         report: how many rows (default 20)\n"
"  -r, --reason TEXT   list: why, kept in the history (required)\n"
"  -e, --expires DUR   list add: remove it after DUR (90s, 30m, 12h, 7d, 2w)\n"
"  -h, --help          show this help\n"
"\n"
"Times are UTC. Configuration errors, a missing store and bad arguments\n"
"exit 2.\n", f);
}

static const struct ctl_cmd ctl_cmds[] = {
	{ "query",	1, 2, 1, ctl_query },
	{ "explain",	1, 1, 1, ctl_explain },
	{ "sources",	0, 0, 1, ctl_sources },
	{ "list",	2, 2, 1, ctl_list },
	{ "report",	1, 1, 1, ctl_report },
	{ "check",	0, 0, 0, ctl_check },
	{ "stats",	0, 0, 1, ctl_stats },
};

/* Options into ctl: 0, 1 after --help, or -EINVAL (usage printed). */
static int
ctl_parse_args(struct ctl *ctl, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config",	required_argument,	NULL, 'c' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "source",	required_argument,	NULL, 's' },
		{ "reason",	required_argument,	NULL, 'r' },
		{ "expires",	required_argument,	NULL, 'e' },
		{ "top",	required_argument,	NULL, 't' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 }
	};
	int ch;

	ctl->conf = CTL_DEFAULT_CONF;
	/* GNU getopt permutes: list's options may follow its operands. */
	while ((ch = getopt_long(argc, argv, "c:js:r:e:t:h", opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			ctl->conf = optarg;
			break;
		case 'j':
			ctl->json = 1;
			break;
		case 's':
			ctl->source = optarg;
			break;
		case 'r':
			ctl->reason = optarg;
			break;
		case 'e':
			ctl->expires = optarg;
			break;
		case 't':
			ctl->top = optarg;
			break;
		case 'h':
			ctl_usage(stdout);
			return 1;
		default:
			ctl_usage(stderr);
			return -EINVAL;
		}
	}
	ctl->argc = argc - optind;
	ctl->argv = argv + optind;
	return 0;
}

/* The command named by the first operand, with its operand count and
 * options checked; NULL (after a message) when they are wrong. */
static const struct ctl_cmd *
ctl_find_cmd(const struct ctl *ctl)
{
	const struct ctl_cmd *cmd;
	size_t i;

	if (ctl->argc == 0) {
		ctl_usage(stderr);
		return NULL;
	}
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++) {
		cmd = &ctl_cmds[i];
		if (strcmp(ctl->argv[0], cmd->name) != 0)
			continue;
		if (ctl->argc - 1 < cmd->min_args ||
		    ctl->argc - 1 > cmd->max_args) {
			log_warnx("%s: wrong number of arguments (see --help)",
			    cmd->name);
			return NULL;
		}
		if (cmd->run != ctl_list && (ctl->reason != NULL ||
		    ctl->expires != NULL || (ctl->source != NULL &&
		    cmd->run != ctl_report))) {
			log_warnx("%s: --source is for list and report, "
			    "--reason and --expires for list only", cmd->name);
			return NULL;
		}
		if (cmd->run != ctl_report && ctl->top != NULL) {
			log_warnx("%s: --top is for report only", cmd->name);
			return NULL;
		}
		return cmd;
	}
	log_warnx("%s: unknown command (see --help)", ctl->argv[0]);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct ctl ctl;
	const struct ctl_cmd *cmd;
	int rc;

	log_init("reputectl", 0, 0);
	memset(&ctl, 0, sizeof(ctl));
	if ((rc = ctl_parse_args(&ctl, argc, argv)) != 0)
		return rc > 0 ? CTL_OK : CTL_ERR;
	if ((cmd = ctl_find_cmd(&ctl)) == NULL)
		return CTL_ERR;
	ctl.now = (int64_t)time(NULL);
	if (cmd->needs_cfg && ctl_load_config(&ctl, stderr) != 0)
		rc = CTL_ERR;
	else
		rc = cmd->run(&ctl);
	store_close(ctl.st);
	geo_close(ctl.geo);
	cfg_free(ctl.cfg);
	return rc;
}
