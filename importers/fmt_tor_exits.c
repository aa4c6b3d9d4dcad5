/* fmt_tor_exits.c -- Tor exit lists: TorDNSEL "exit-addresses" records, or
 * the bulk list of one address per line. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "formats.h"

#define TOR_FP_LEN	40	/* a relay fingerprint: 40 hex digits */

enum tor_mode { TOR_UNKNOWN, TOR_RECORDS, TOR_BULK };

struct tor_state {
	enum tor_mode	mode;		/* set by the first data line */
	char		node[TOR_FP_LEN + 1];	/* "" outside a record */
	size_t		relays;		/* ExitNode lines */
	size_t		node_addrs;	/* ExitAddress lines of node */
	size_t		bare;		/* relays without an ExitAddress */
	size_t		unknown;	/* lines with other keywords */
	char		newest[24];	/* latest ExitAddress test time */
};

/* "ExitNode FE39F07EBE7870DCE124AB30DF3ABD0700A43F75" */
static int
tor_node(struct imp_parser *p, struct tor_state *s, const char *fp)
{
	size_t i;

	if (s->relays > 0 && s->node_addrs == 0)
		s->bare++;
	s->relays++;
	s->node_addrs = 0;
	s->node[0] = '\0';
	for (i = 0; i < TOR_FP_LEN && isxdigit((unsigned char)fp[i]); i++)
		;
	if (i != TOR_FP_LEN || fp[i] != '\0') {
		imp_warn(p, "bad relay fingerprint '%.48s'", fp);
		return 1;
	}
	memcpy(s->node, fp, TOR_FP_LEN + 1);
	return 0;
}

/* "ExitAddress 185.241.208.232 2024-03-12 08:10:51" */
static int
tor_address(struct imp_parser *p, struct tor_state *s, char *v)
{
	char reason[TOR_FP_LEN + 16], *when;
	struct imp_item it;
	int rc;

	if (s->node[0] == '\0') {
		imp_warn(p, "ExitAddress outside a relay's record");
		return 1;
	}
	s->node_addrs++;
	when = v + strcspn(v, " \t");
	if (*when != '\0')
		*when++ = '\0';
	when = imp_trim(when);
	memset(&it, 0, sizeof(it));
	if ((rc = imp_parse_prefix(p, v, &it.prefix)) != 0)
		return rc;
	/* The times are ISO 8601 in UTC: text order is time order. */
	if (strcmp(when, s->newest) > 0)
		snprintf(s->newest, sizeof(s->newest), "%s", when);
	snprintf(reason, sizeof(reason), "Tor exit %s", s->node);
	it.reason = reason;
	it.reason_len = strlen(reason);
	return imp_emit(p, &it);
}

static int
tor_record(struct imp_parser *p, struct tor_state *s, char *line)
{
	char *v = line + strcspn(line, " \t");

	if (*v != '\0')
		*v++ = '\0';
	v = imp_trim(v);
	if (strcmp(line, "ExitNode") == 0)
		return tor_node(p, s, v);
	if (strcmp(line, "ExitAddress") == 0)
		return tor_address(p, s, v);
	if (strcmp(line, "Published") == 0 || strcmp(line, "LastStatus") == 0)
		return 0;
	if (!isalpha((unsigned char)*line)) {
		imp_warn(p, "not an exit-addresses line: '%.48s'", line);
		return 1;
	}
	/* A keyword added later: records stay readable without it. */
	s->unknown++;
	return 0;
}

/* torbulkexitlist: one address per line, the same reason for all. */
static int
tor_bulk(struct imp_parser *p, char *line)
{
	static const char reason[] = "Tor exit";
	struct imp_item it;
	int rc;

	memset(&it, 0, sizeof(it));
	if ((rc = imp_parse_prefix(p, line, &it.prefix)) != 0)
		return rc;
	it.reason = reason;
	it.reason_len = sizeof(reason) - 1;
	return imp_emit(p, &it);
}

static int
tor_parse_line(struct imp_parser *p, char *line, size_t len)
{
	struct tor_state *s;

	(void)len;
	if ((s = imp_state(p, sizeof(*s))) == NULL)
		return -ENOMEM;
	if (*line == '#')
		return 0;
	if (s->mode == TOR_UNKNOWN)
		s->mode = strncmp(line, "ExitNode", 8) == 0 ? TOR_RECORDS :
		    TOR_BULK;
	return s->mode == TOR_BULK ? tor_bulk(p, line) :
	    tor_record(p, s, line);
}

static int
tor_finish(struct imp_parser *p, int aborted, char *err, size_t errlen)
{
	struct tor_state *s = p->state;

	(void)err;
	(void)errlen;
	if (aborted || s == NULL)
		return 0;
	imp_meta_set(p, "variant", "%s", s->mode == TOR_RECORDS ?
	    "exit-addresses" : "bulk");
	if (s->mode != TOR_RECORDS)
		return 0;
	if (s->relays > 0 && s->node_addrs == 0)
		s->bare++;
	imp_meta_set(p, "relays", "%zu", s->relays);
	if (s->newest[0] != '\0')
		imp_meta_set(p, "date", "%s", s->newest);
	if (s->bare > 0)
		imp_notice(p, "%zu relays without an ExitAddress line (a cut "
		    "body ends with one)", s->bare);
	if (s->unknown > 0)
		imp_notice(p, "%zu lines with unknown keywords ignored",
		    s->unknown);
	return 0;
}

static int
tor_sniff(const char *body, size_t len)
{
	const char *line;
	size_t n;

	return imp_head_first_line(body, len, &line, &n) == 0 &&
	    n > 9 && memcmp(line, "ExitNode ", 9) == 0;
}

const struct imp_format fmt_tor_exits = {
	.name		= "tor-exits",
	/* returns 0 stored, >0 skipped with a warning, <0 abort the import */
	.parse_line	= tor_parse_line,
	.finish		= tor_finish,
	.sniff		= tor_sniff,
};
