/* fmt_spamhaus_drop.c -- Spamhaus DROP/EDROP/DROPv6: "CIDR ; SBLnnn" lines. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "formats.h"

/*
 * Spamhaus has ended its files with "; EOF" since 2024; the 2023 EDROP
 * has none. A body dated (Last-Modified, else the header's date) in or
 * after this year must end with it, or it was cut short. A body with
 * no date at all is held to the newer rule.
 */
#define DROP_EOF_SINCE	2024

struct drop_state {
	int	header;		/* "; Spamhaus ... List" seen */
	int	eof;		/* "; EOF" seen */
	int	retired;	/* "; This list has been merged into" */
	int	year;		/* of Last-Modified, else of the header */
	int	lm_year;	/* Last-Modified's, which wins */
	size_t	before_header;	/* data lines before the header */
};

/* "Spamhaus DROP List 2025/01/17 - (c) ...": the date after "List". */
static void
drop_header(struct imp_parser *p, struct drop_state *s, const char *text)
{
	const char *d = strstr(text, " List ");
	int y, m, day;

	s->header = 1;
	imp_meta_set(p, "title", "%s", text);
	if (d != NULL && sscanf(d + 6, "%4d/%2d/%2d", &y, &m, &day) == 3) {
		imp_meta_set(p, "date", "%04d/%02d/%02d", y, m, day);
		s->year = y;
	}
}

/* "Last-Modified: Fri, 17 Jan 2025 17:03:47 GMT" */
static void
drop_last_modified(struct imp_parser *p, struct drop_state *s,
    const char *v)
{
	int y;

	imp_meta_set(p, "last-modified", "%s", v);
	if (sscanf(v, "%*s %*d %*s %d", &y) == 1)
		s->lm_year = y;
}

static int
drop_comment(struct imp_parser *p, struct drop_state *s, char *text)
{
	static const char merged[] = "This list has been merged into";

	text = imp_trim(text);
	if (strncmp(text, "Spamhaus ", 9) == 0 && strstr(text, " List") &&
	    !s->header)
		drop_header(p, s, text);
	else if (strncmp(text, "Last-Modified:", 14) == 0)
		drop_last_modified(p, s, imp_trim(text + 14));
	else if (strncmp(text, "Expires:", 8) == 0)
		imp_meta_set(p, "expires", "%s", imp_trim(text + 8));
	else if (strncmp(text, "http", 4) == 0 && s->header)
		imp_meta_set(p, "source", "%s", text);
	else if (strcmp(text, "EOF") == 0)
		s->eof = 1;
	else if (strncmp(text, merged, sizeof(merged) - 1) == 0) {
		s->retired = 1;
		imp_meta_set(p, "merged-into", "%s",
		    imp_trim(text + sizeof(merged) - 1));
	}
	return 0;
}

static int
drop_parse_line(struct imp_parser *p, char *line, size_t len)
{
	struct drop_state *s;
	struct imp_item it;
	char *semi;
	int rc;

	(void)len;
	if ((s = imp_state(p, sizeof(*s))) == NULL)
		return -ENOMEM;
	if (*line == ';')
		return drop_comment(p, s, line + 1);
	if (s->eof) {
		imp_warn(p, "data after '; EOF'");
		return 1;
	}
	if (!s->header)
		s->before_header++;
	memset(&it, 0, sizeof(it));
	/* Everything from the first ';' is the comment: the SBL id. */
	if ((semi = strchr(line, ';')) != NULL) {
		*semi = '\0';
		it.reason = imp_trim(semi + 1);
		it.reason_len = strlen(it.reason);
	}
	if ((rc = imp_parse_prefix(p, imp_trim(line), &it.prefix)) != 0)
		return rc;
	return imp_emit(p, &it);
}

static int
drop_finish(struct imp_parser *p, int aborted, char *err, size_t errlen)
{
	struct drop_state *s = p->state;
	int year;

	if (aborted)
		return 0;
	if (s == NULL || !s->header || s->before_header > 0) {
		snprintf(err, errlen, "not a Spamhaus DROP list: no "
		    "'; Spamhaus ... List' header before the data");
		return -EINVAL;
	}
	year = s->lm_year ? s->lm_year : s->year;
	if (!s->eof && (year == 0 || year >= DROP_EOF_SINCE)) {
		snprintf(err, errlen, "truncated: no '; EOF' trailer (Spamhaus "
		    "lists dated %d or later end with one)", DROP_EOF_SINCE);
		return -EINVAL;
	}
	if (s->retired)
		imp_notice(p, "list retired: merged into %s; this copy is a "
		    "valid list with %zu entries, import the new list instead",
		    imp_stats_meta(p->stats, "merged-into"), p->items);
	return 0;
}

/* The header is the first line, or the second after the retired
 * EDROP's notice. */
static int
drop_sniff(const char *body, size_t len)
{
	return imp_head_has_line(body, len, "; Spamhaus ");
}

const struct imp_format fmt_spamhaus_drop = {
	.name		= "spamhaus-drop",
	/* returns 0 stored, >0 skipped with a warning, <0 abort the import */
	.parse_line	= drop_parse_line,
	.finish		= drop_finish,
	.sniff		= drop_sniff,
};
