/* fmt_abuse_ch_csv.c -- abuse.ch Feodo Tracker CSV and text lists, with their
 * "# END n entries" trailer. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "formats.h"

/* The CSV's columns, in the order abuse.ch writes them; a header row
 * naming them in another order is followed. */
enum { COL_FIRST_SEEN, COL_IP, COL_PORT, COL_STATUS, COL_LAST_ONLINE,
    COL_MALWARE, NCOLS };
static const char *const abuse_cols[NCOLS] = { "first_seen_utc", "dst_ip",
    "dst_port", "c2_status", "last_online", "malware" };

/* Most fields a CSV record may have: the six, and room for new ones. */
#define CSV_MAX_FIELDS	16

struct abuse_state {
	int		signature;	/* "# abuse.ch ..." */
	int		end;		/* "# END n entries" */
	unsigned long	declared;	/* its n */
	size_t		rows;		/* data lines, good or not */
	size_t		after_end;	/* data lines after the trailer */
	int		ready;		/* col[] is set */
	int		header;		/* the CSV header row was read */
	int		col[NCOLS];	/* index of each column, or -1 */
};

/*
 * Split one CSV record (RFC 4180) in place: fields separated by ',',
 * a field in double quotes may hold ',' and '""' for a quote. Returns
 * the number of fields, or -1 when malformed (a quote inside an
 * unquoted field, text after a closing quote, a quote left open: a
 * record over several lines is one of these, as lines come one by one).
 */
static int
csv_split(char *line, char **f, int max)
{
	char *r = line, *w, c;
	int n = 0;

	for (;;) {
		if (n == max)
			return -1;
		f[n++] = w = r;
		if (*r == '"') {
			for (r++; *r != '"' || r[1] == '"'; r++) {
				if (*r == '\0')
					return -1;
				*w++ = *r;
				r += *r == '"';		/* "" is one " */
			}
			if (*++r != ',' && *r != '\0')
				return -1;
		} else {
			for (; *r != ',' && *r != '\0'; *w++ = *r++)
				if (*r == '"')
					return -1;
		}
		c = *r;
		*w = '\0';	/* w <= r: the field is never longer */
		if (c == '\0')
			return n;
		r++;
	}
}

/* "# Last updated: 2024-04-04 07:03:03 UTC      #": the box's right
 * edge is not part of the value. */
static char *
abuse_unbox(char *v)
{
	size_t n;

	v = imp_trim(v);
	n = strlen(v);
	if (n > 0 && v[n - 1] == '#')
		v[n - 1] = '\0';
	return imp_trim(v);
}

static void
abuse_comment(struct imp_parser *p, struct abuse_state *s, char *text)
{
	unsigned long n;
	char word[8];

	text = imp_trim(text);
	if (sscanf(text, "END %lu %7s", &n, word) == 2 &&
	    strcmp(word, "entries") == 0) {
		s->end = 1;
		s->declared = n;
		imp_meta_set(p, "entries", "%lu", n);
	} else if (strncmp(text, "abuse.ch ", 9) == 0 && !s->signature) {
		s->signature = 1;
		imp_meta_set(p, "title", "%s", abuse_unbox(text));
	} else if (strncmp(text, "Last updated:", 13) == 0)
		imp_meta_set(p, "date", "%s", abuse_unbox(text + 13));
	else if (strncmp(text, "Terms Of Use:", 13) == 0)
		imp_meta_set(p, "terms", "%s", abuse_unbox(text + 13));
}

static struct abuse_state *
abuse_get(struct imp_parser *p)
{
	struct abuse_state *s;
	int i;

	if ((s = imp_state(p, sizeof(*s))) != NULL && !s->ready) {
		s->ready = 1;
		for (i = 0; i < NCOLS; i++)
			s->col[i] = i;	/* the order abuse.ch writes */
	}
	return s;
}

/* Comments and the trailer, alike in both variants: 1 when the line was
 * one of those, with *rc its result; 0 for a data line. */
static int
abuse_common(struct imp_parser *p, struct abuse_state *s, char *line,
    int *rc)
{
	*rc = 0;
	if (*line == '#') {
		abuse_comment(p, s, line + 1);
		return 1;
	}
	if (s->end) {
		s->after_end++;
		imp_warn(p, "data after the '# END n entries' trailer");
		*rc = 1;
		return 1;
	}
	return 0;
}

/* "first_seen_utc","dst_ip",...: note where each column is. */
static void
csv_header(struct abuse_state *s, char **f, int n)
{
	int i, j;

	for (i = 0; i < NCOLS; i++) {
		s->col[i] = -1;
		for (j = 0; j < n; j++) {
			if (strcmp(imp_trim(f[j]), abuse_cols[i]) == 0)
				s->col[i] = j;
		}
	}
	s->header = 1;
}

static int
csv_is_header(char **f, int n)
{
	int j;

	for (j = 0; j < n; j++) {
		if (strcmp(imp_trim(f[j]), abuse_cols[COL_IP]) == 0)
			return 1;
	}
	return 0;
}

/* Column c of the record, or "" when the record lacks it. */
static const char *
csv_col(const struct abuse_state *s, char **f, int n, int c)
{
	return s->col[c] >= 0 && s->col[c] < n ? imp_trim(f[s->col[c]]) : "";
}

/* "Emotet C2 port 443 (online)", leaving out what the row lacks. */
static void
csv_reason(const struct abuse_state *s, char **f, int n, char *buf,
    size_t size)
{
	const char *m = csv_col(s, f, n, COL_MALWARE);
	const char *port = csv_col(s, f, n, COL_PORT);
	const char *st = csv_col(s, f, n, COL_STATUS);

	snprintf(buf, size, "%.64s%sC2%s%.8s%s%.16s%s", m, *m ? " " : "",
	    *port ? " port " : "", port, *st ? " (" : "", st, *st ? ")" : "");
}

static int
csv_parse_line(struct imp_parser *p, char *line, size_t len)
{
	char *f[CSV_MAX_FIELDS], reason[128];
	struct abuse_state *s;
	struct imp_item it;
	int n, rc;

	(void)len;
	if ((s = abuse_get(p)) == NULL)
		return -ENOMEM;
	if (abuse_common(p, s, line, &rc))
		return rc;
	if ((n = csv_split(line, f, CSV_MAX_FIELDS)) < 0) {
		s->rows++;
		imp_warn(p, "malformed CSV record");
		return 1;
	}
	if (!s->header && s->rows == 0 && csv_is_header(f, n)) {
		csv_header(s, f, n);
		return 0;
	}
	s->rows++;
	memset(&it, 0, sizeof(it));
	if ((rc = imp_parse_prefix(p, csv_col(s, f, n, COL_IP),
	    &it.prefix)) != 0)
		return rc;
	csv_reason(s, f, n, reason, sizeof(reason));
	it.reason = reason;
	it.reason_len = strlen(reason);
	return imp_emit(p, &it);
}

/* The text list: one address per line, nothing after it. */
static int
txt_parse_line(struct imp_parser *p, char *line, size_t len)
{
	struct abuse_state *s;
	struct imp_item it;
	int rc;

	(void)len;
	if ((s = abuse_get(p)) == NULL)
		return -ENOMEM;
	if (abuse_common(p, s, line, &rc))
		return rc;
	s->rows++;
	memset(&it, 0, sizeof(it));
	if ((rc = imp_parse_prefix(p, line, &it.prefix)) != 0)
		return rc;
	return imp_emit(p, &it);
}

/* The trailer is the only end marker: without it, or with another
 * count, the body was cut or changed on the way. */
static int
abuse_finish(struct imp_parser *p, int aborted, char *err, size_t errlen)
{
	struct abuse_state *s = p->state;

	if (aborted)
		return 0;
	if (s == NULL || !s->signature) {
		snprintf(err, errlen, "not an abuse.ch list: no '# abuse.ch "
		    "...' header");
		return -EINVAL;
	}
	if (!s->end) {
		snprintf(err, errlen, "truncated: no '# END n entries' "
		    "trailer");
		return -EINVAL;
	}
	if (s->after_end > 0) {
		snprintf(err, errlen, "%zu data lines after the '# END n "
		    "entries' trailer, which must be the last", s->after_end);
		return -EINVAL;
	}
	if (s->declared != s->rows) {
		snprintf(err, errlen, "trailer says %lu entries, body has %zu: "
		    "truncated or altered", s->declared, s->rows);
		return -EINVAL;
	}
	return 0;
}

static int
csv_sniff(const char *body, size_t len)
{
	return imp_head_has_line(body, len, "# abuse.ch ") &&
	    (imp_head_has_line(body, len, "\"first_seen_utc\"") ||
	    imp_head_has_line(body, len, "first_seen_utc,"));
}

static int
txt_sniff(const char *body, size_t len)
{
	return imp_head_has_line(body, len, "# abuse.ch ") &&
	    !csv_sniff(body, len);
}

const struct imp_format fmt_abuse_ch_csv = {
	.name		= "abuse-ch-csv",
	/* returns 0 stored, >0 skipped with a warning, <0 abort the import */
	.parse_line	= csv_parse_line,
	.finish		= abuse_finish,
	.sniff		= csv_sniff,
};

const struct imp_format fmt_abuse_ch_txt = {
	.name		= "abuse-ch-txt",
	.parse_line	= txt_parse_line,
	.finish		= abuse_finish,
	.sniff		= txt_sniff,
};
