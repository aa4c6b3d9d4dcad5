/* fmt_test.h -- what the list format tests share: parse a fixture or a
 * string with a format, look the results up. Include after <cmocka.h>. */
#ifndef REPUTED_FMT_TEST_H
#define REPUTED_FMT_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../importers/formats.h"
#include "store.h"

/* Each test program uses only some of these. */
#define FT_UNUSED	__attribute__((unused))

/* One parsed body: what a test looks at. */
struct parsed {
	struct imp_list		list;
	struct imp_stats	st;
	char			err[512];
	int			rc;
};

/* Parse text with fmt (a copy: the parser cuts lines in place). */
static FT_UNUSED void
ft_parse(struct parsed *p, const struct imp_format *fmt, const char *text,
    size_t len)
{
	char *body = malloc(len + 1);

	assert_non_null(body);
	memcpy(body, text, len);
	body[len] = '\0';
	imp_list_init(&p->list);
	p->err[0] = '\0';
	p->rc = imp_parse_list(fmt, "test", body, len, &p->list, &p->st,
	    p->err, sizeof(p->err));
	free(body);
}

#define FT_PARSE_STR(p, fmt, s)	ft_parse((p), (fmt), (s), sizeof(s) - 1)

/* tests/data/lists/<rel> (from $SRCDIR, default "."), read whole into
 * a NUL-terminated buffer the caller frees; *len its size. */
static FT_UNUSED char *
ft_read(const char *rel, size_t *len)
{
	const char *dir = getenv("SRCDIR");
	char path[1024], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/lists/%s",
	    dir ? dir : ".", rel);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		fail_msg("cannot read %s", path);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static FT_UNUSED void
ft_parse_fixture(struct parsed *p, const struct imp_format *fmt,
    const char *rel)
{
	size_t len;
	char *body = ft_read(rel, &len);

	ft_parse(p, fmt, body, len);
	free(body);
}

/* A good fixture: parses, nothing rejected, n distinct prefixes. */
static FT_UNUSED void
ft_expect_list(struct parsed *p, const struct imp_format *fmt,
    const char *rel, size_t n)
{
	ft_parse_fixture(p, fmt, rel);
	if (p->rc != 0)
		fail_msg("%s: %s", rel, p->err);
	assert_int_equal(p->st.rejected, 0);
	assert_int_equal(p->list.n, n);
}

/* Replace the first from in the fixture rel with to, then parse. */
static FT_UNUSED void
ft_parse_edited(struct parsed *p, const struct imp_format *fmt,
    const char *rel, const char *from, const char *to)
{
	size_t len, flen = strlen(from), tlen = strlen(to);
	char *body = ft_read(rel, &len), *at, *out;

	if ((at = strstr(body, from)) == NULL)
		fail_msg("%s: no '%s'", rel, from);
	out = malloc(len - flen + tlen + 1);
	assert_non_null(out);
	memcpy(out, body, (size_t)(at - body));
	memcpy(out + (at - body), to, tlen);
	memcpy(out + (at - body) + tlen, at + flen,
	    len - (size_t)(at - body) - flen + 1);
	ft_parse(p, fmt, out, len - flen + tlen);
	free(out);
	free(body);
}

/* Parse the fixture cut at the first newline after half its size (or,
 * with mid_line, in the middle of that line). */
static FT_UNUSED void
ft_parse_cut(struct parsed *p, const struct imp_format *fmt,
    const char *rel, int mid_line)
{
	size_t len, cut;
	char *body = ft_read(rel, &len), *nl;

	nl = strchr(body + len / 2, '\n');
	assert_non_null(nl);
	cut = (size_t)(nl - body) + 1;
	if (mid_line)
		cut -= 5;
	ft_parse(p, fmt, body, cut);
	free(body);
}

/* The record of prefix s ("AS932" for an ASN), or NULL. */
static FT_UNUSED const struct imp_rec *
ft_find(const struct parsed *p, const char *s)
{
	struct rp_cidr c;

	if ((s[0] == 'A' ? cidr_parse_asn(s, &c) : cidr_parse(s, &c,
	    NULL)) != 0)
		fail_msg("bad test prefix %s", s);
	return imp_list_find(&p->list, &c);
}

/* Is prefix s in the list, with reason (NULL: any)? */
static FT_UNUSED int
ft_has(const struct parsed *p, const char *s, const char *reason)
{
	const struct imp_rec *r = ft_find(p, s);
	const char *txt;
	size_t len;

	if (r == NULL)
		return 0;
	if (reason == NULL)
		return 1;
	txt = imp_list_reason(&p->list, r, &len);
	if (len != strlen(reason) || memcmp(txt, reason, len) != 0) {
		print_message("%s: reason '%.*s', not '%s'\n", s, (int)len,
		    txt, reason);
		return 0;
	}
	return 1;
}

static FT_UNUSED size_t
ft_count_family(const struct parsed *p, unsigned family)
{
	size_t i, n = 0;

	for (i = 0; i < p->list.n; i++)
		n += p->list.recs[i].prefix.addr.family == family;
	return n;
}

static FT_UNUSED size_t
ft_count_flag(const struct parsed *p, uint8_t flag)
{
	size_t i, n = 0;

	for (i = 0; i < p->list.n; i++)
		n += (p->list.recs[i].flags & flag) != 0;
	return n;
}

/* The metadata value under key is value. */
static FT_UNUSED void
ft_expect_meta(const struct parsed *p, const char *key, const char *value)
{
	const char *v = imp_stats_meta(&p->st, key);

	if (v == NULL)
		fail_msg("no metadata '%s'", key);
	assert_string_equal(v, value);
}

/* Does a notice contain text? */
static FT_UNUSED int
ft_has_note(const struct parsed *p, const char *text)
{
	size_t i;

	for (i = 0; i < p->st.nnotes && i < IMP_NOTE_MAX; i++) {
		if (strstr(p->st.notes[i], text) != NULL)
			return 1;
	}
	return 0;
}

/* The parse was refused with a message containing text. */
static FT_UNUSED void
ft_expect_refused(const struct parsed *p, const char *text)
{
	assert_int_equal(p->rc, -EINVAL);
	if (strstr(p->err, text) == NULL)
		fail_msg("error '%s' does not say '%s'", p->err, text);
}

#endif
