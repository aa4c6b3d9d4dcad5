/* fmt_dshield.c -- DShield block.txt: TAB-separated start/end/prefix rows. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats.h"

#define DSHIELD_SIGNATURE	"DShield.org Recommended Block List"
#define DSHIELD_COLS		7

struct dshield_state {
	int	signature;	/* the header names the list */
	int	placeholders;	/* header values left as "$name" */
	size_t	before_header;	/* data rows before the signature */
	size_t	mismatches;	/* rows whose end disagrees */
	char	first_mismatch[96];
};

/* A header value is "$date UTC" when the generator failed to expand it
 * (31 Jan 2023): keep it out of the metadata, note it once. */
static void
dshield_value(struct imp_parser *p, struct dshield_state *s,
    const char *key, const char *v)
{
	if (strchr(v, '$') != NULL) {
		if (!s->placeholders++)
			imp_notice(p, "header has unexpanded template "
			    "placeholders ('%.64s'): generator bug, rows "
			    "checked as usual", v);
		return;
	}
	imp_meta_set(p, key, "%s", v);
}

static int
dshield_comment(struct imp_parser *p, struct dshield_state *s, char *text)
{
	text = imp_trim(text);
	if (strncmp(text, DSHIELD_SIGNATURE, sizeof(DSHIELD_SIGNATURE) - 1)
	    == 0) {
		s->signature = 1;
		imp_meta_set(p, "title", "%s", DSHIELD_SIGNATURE);
	} else if (strncmp(text, "updated:", 8) == 0)
		dshield_value(p, s, "date", imp_trim(text + 8));
	else if (strncmp(text, "primary URL:", 12) == 0)
		dshield_value(p, s, "source", imp_trim(text + 12));
	return 0;
}

/* Split a row at TABs (only TABs: names have spaces). Returns the
 * number of fields; absent trailing fields are "". */
static size_t
dshield_split(char *line, char **f)
{
	size_t n = 0, i;
	char *s = line;

	while (n < DSHIELD_COLS) {
		f[n++] = imp_trim(strsep(&s, "\t"));
		if (s == NULL)
			break;
	}
	for (i = n; i < DSHIELD_COLS; i++)
		f[i] = "";
	return n;
}

/* "-", ">>UNKNOWN<<" and "None" mean the generator did not know. */
static int
dshield_known(const char *v)
{
	return *v != '\0' && strcmp(v, "-") != 0 && strcmp(v, "None") != 0 &&
	    strcmp(v, ">>UNKNOWN<<") != 0;
}

/* The range is start + prefix length; the end column only cross-checks
 * it (in Jan 2023 it held a host address, not the /24's end). */
static int
dshield_prefix(struct imp_parser *p, struct dshield_state *s, char **f,
    struct rp_cidr *c)
{
	char buf[RP_CIDR_STRLEN + 4];
	struct rp_addr end, last;
	char *e;
	unsigned long bits = strtoul(f[2], &e, 10);

	if (*f[2] == '\0' || *e != '\0' || bits > 32) {
		imp_warn(p, "bad prefix length '%.16s'", f[2]);
		return 1;
	}
	if (strchr(f[0], ':') != NULL) {
		imp_warn(p, "bad IPv4 start '%.40s'", f[0]);
		return 1;
	}
	snprintf(buf, sizeof(buf), "%.40s/%lu", f[0], bits);
	if (imp_parse_prefix(p, buf, c) != 0)
		return 1;
	cidr_last(c, &last);
	if (cidr_parse_addr(f[1], &end) != 0 ||
	    cidr_addr_cmp(&end, &last) != 0) {
		if (s->mismatches++ == 0)
			snprintf(s->first_mismatch, sizeof(s->first_mismatch),
			    "%s %s /%lu", f[0], f[1], bits);
	}
	return 0;
}

static int
dshield_parse_line(struct imp_parser *p, char *line, size_t len)
{
	char *f[DSHIELD_COLS], reason[256];
	struct dshield_state *s;
	struct imp_item it;
	int rc;

	(void)len;
	if ((s = imp_state(p, sizeof(*s))) == NULL)
		return -ENOMEM;
	if (*line == '#')
		return dshield_comment(p, s, line + 1);
	if (dshield_split(line, f) < 3) {
		imp_warn(p, "not a TAB-separated row");
		return 1;
	}
	/* Files up to Jan 2023 had "Start End Netmask ..." uncommented. */
	if (strcasecmp(f[0], "Start") == 0)
		return 0;
	if (!s->signature)
		s->before_header++;
	memset(&it, 0, sizeof(it));
	if ((rc = dshield_prefix(p, s, f, &it.prefix)) != 0)
		return rc;
	snprintf(reason, sizeof(reason), "attacks=%.20s%s%.100s%s%.8s", f[3],
	    dshield_known(f[4]) ? " " : "", dshield_known(f[4]) ? f[4] : "",
	    dshield_known(f[5]) ? " " : "", dshield_known(f[5]) ? f[5] : "");
	it.reason = reason;
	it.reason_len = strlen(reason);
	return imp_emit(p, &it);
}

static int
dshield_finish(struct imp_parser *p, int aborted, char *err, size_t errlen)
{
	struct dshield_state *s = p->state;

	if (aborted)
		return 0;
	if (s == NULL || !s->signature || s->before_header > 0) {
		snprintf(err, errlen, "not a DShield block list: no '"
		    DSHIELD_SIGNATURE "' header before the data");
		return -EINVAL;
	}
	if (s->mismatches > 0)
		imp_notice(p, "end column disagrees with the prefix length on "
		    "%zu rows (first: %s); ranges built from start and prefix "
		    "length", s->mismatches, s->first_mismatch);
	return 0;
}

static int
dshield_sniff(const char *body, size_t len)
{
	return imp_head_contains(body, len, DSHIELD_SIGNATURE);
}

const struct imp_format fmt_dshield = {
	.name		= "dshield",
	/* returns 0 stored, >0 skipped with a warning, <0 abort the import */
	.parse_line	= dshield_parse_line,
	.finish		= dshield_finish,
	.sniff		= dshield_sniff,
};
