/* fmt_firehol.c -- FireHOL netset/ipset: "# Key : value" header, one entry
 * per line. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"

struct firehol_state {
	int		entries;	/* the "# Entries" line was read */
	uint64_t	declared;	/* its count: subnets, else IPs */
	uint64_t	declared_ips;	/* its unique IPs */
	int		netset;		/* it counts subnets */
	size_t		rows;		/* data lines, good or not */
	uint64_t	ips;		/* addresses the good lines cover */
};

/* Header keys kept as metadata, as FireHOL spells them. */
static const struct { const char *key, *meta; } firehol_keys[] = {
	{ "Maintainer",		"maintainer" },
	{ "List source URL",	"source" },
	{ "Source File Date",	"source-date" },
	{ "This File Date",	"date" },
	{ "Update Frequency",	"update-frequency" },
};

/* "2511 subnets, 618830080 unique IPs" or "203676 unique IPs". */
static void
firehol_entries(struct imp_parser *p, struct firehol_state *s,
    const char *v)
{
	uint64_t a, b;

	s->entries = 1;
	if (sscanf(v, "%" SCNu64 " subnets, %" SCNu64, &a, &b) == 2) {
		s->netset = 1;
		s->declared = a;
		s->declared_ips = b;
	} else if (sscanf(v, "%" SCNu64, &a) == 1)
		s->declared = s->declared_ips = a;
	else {
		s->entries = -1;	/* there, but unreadable */
		return;
	}
	imp_meta_set(p, "entries", "%" PRIu64, s->declared);
}

static int
firehol_comment(struct imp_parser *p, struct firehol_state *s, char *text)
{
	char *colon = strchr(text, ':'), *key, *v;
	size_t i;

	if (colon == NULL)
		return 0;
	*colon = '\0';
	key = imp_trim(text);
	v = imp_trim(colon + 1);
	for (i = 0; i < sizeof(firehol_keys) / sizeof(firehol_keys[0]); i++) {
		if (strcmp(key, firehol_keys[i].key) != 0)
			continue;
		if (*v != '\0')
			imp_meta_set(p, firehol_keys[i].meta, "%s", v);
		break;
	}
	if (strcmp(key, "Entries") == 0)
		firehol_entries(p, s, v);
	return 0;
}

static int
firehol_parse_line(struct imp_parser *p, char *line, size_t len)
{
	struct firehol_state *s;
	struct imp_item it;
	unsigned width;
	int rc;

	(void)len;
	if ((s = imp_state(p, sizeof(*s))) == NULL)
		return -ENOMEM;
	if (*line == '#')
		return firehol_comment(p, s, line + 1);
	s->rows++;
	memset(&it, 0, sizeof(it));
	if ((rc = imp_parse_prefix(p, line, &it.prefix)) != 0)
		return rc;
	width = cidr_family_bits(it.prefix.addr.family);
	if (width - it.prefix.bits < 64)
		s->ips += (uint64_t)1 << (width - it.prefix.bits);
	return imp_emit(p, &it);
}

static int
firehol_finish(struct imp_parser *p, int aborted, char *err, size_t errlen)
{
	struct firehol_state *s = p->state;

	if (aborted)
		return 0;
	if (s == NULL || s->entries == 0) {
		snprintf(err, errlen, "not a FireHOL list: no '# Entries' "
		    "header line");
		return -EINVAL;
	}
	if (s->entries < 0) {
		snprintf(err, errlen, "unreadable '# Entries' header line");
		return -EINVAL;
	}
	imp_meta_set(p, "variant", "%s", s->netset ? "netset" : "ipset");
	if (s->declared != s->rows) {
		snprintf(err, errlen, "header says %" PRIu64 " %s, body has "
		    "%zu: truncated or altered", s->declared, s->netset ?
		    "subnets" : "unique IPs", s->rows);
		return -EINVAL;
	}
	/* iprange aggregates a netset, so its prefixes do not overlap and
	 * their sizes add up to the header's count, unless lines changed. */
	if (s->declared_ips != s->ips)
		imp_notice(p, "header says %" PRIu64 " unique IPs, the entries "
		    "cover %" PRIu64, s->declared_ips, s->ips);
	return 0;
}

static int
firehol_sniff(const char *body, size_t len)
{
	return imp_head_has_line(body, len, "# Entries ") &&
	    imp_head_has_line(body, len, "# This File Date");
}

const struct imp_format fmt_firehol = {
	.name		= "firehol",
	/* returns 0 stored, >0 skipped with a warning, <0 abort the import */
	.parse_line	= firehol_parse_line,
	.finish		= firehol_finish,
	.sniff		= firehol_sniff,
};
