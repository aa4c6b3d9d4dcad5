/* template.c -- expands TXT templates such as "Listed by $source: $reason". */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "template.h"

enum tpl_var {
	TPL_UNKNOWN = -1,
	TPL_SOURCE,
	TPL_REASON,
	TPL_IP,
	TPL_FIRST_SEEN,
	TPL_LAST_SEEN,
	TPL_EXPIRES,
	TPL_CODE,
	TPL_RBLDNSD_TXT,
	TPL_NVARS,
	TPL_DOLLAR = TPL_NVARS,		/* "$$" */
};

static const char *const tpl_names[TPL_NVARS] = {
	[TPL_SOURCE]		= "source",
	[TPL_REASON]		= "reason",
	[TPL_IP]		= "ip",
	[TPL_FIRST_SEEN]	= "first_seen",
	[TPL_LAST_SEEN]		= "last_seen",
	[TPL_EXPIRES]		= "expires",
	[TPL_CODE]		= "code",
	[TPL_RBLDNSD_TXT]	= "rbldnsd_txt",
};

/* rbldnsd cuts a TXT here, after its substitutions. */
#define TPL_RBLDNSD_MAX	254

/* What an unknown "$name" spans, so that errors quote the whole word. */
#define TPL_WORDCHARS \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

/* The output buffer: cap excludes the terminating NUL. */
struct tpl_out {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

/*
 * Classify the reference at s, which points just past a '$'. *len is how
 * many bytes after the '$' it spans, also for an unknown one (its word,
 * or up to the closing brace).
 */
static int
tpl_ref(const char *s, size_t *len)
{
	const char *end;
	size_t best = 0, n;
	int i, var = TPL_UNKNOWN;

	if (*s == '$') {
		*len = 1;
		return TPL_DOLLAR;
	}
	if (*s == '{') {
		if ((end = strchr(s, '}')) == NULL) {
			*len = strlen(s);
			return TPL_UNKNOWN;
		}
		*len = (size_t)(end - s) + 1;
		for (i = 0; i < TPL_NVARS; i++)
			if (strlen(tpl_names[i]) == *len - 2 &&
			    memcmp(tpl_names[i], s + 1, *len - 2) == 0)
				return i;
		return TPL_UNKNOWN;
	}
	/* Longest match, so that a longer name never loses to its prefix. */
	for (i = 0; i < TPL_NVARS; i++) {
		n = strlen(tpl_names[i]);
		if (n > best && strncmp(s, tpl_names[i], n) == 0) {
			best = n;
			var = i;
		}
	}
	*len = var == TPL_UNKNOWN ? strspn(s, TPL_WORDCHARS) : best;
	return var;
}

int
template_check(const char *tpl, char *bad, size_t badlen)
{
	const char *d;
	size_t len;

	for (d = tpl; (d = strchr(d, '$')) != NULL; d += 1 + len) {
		if (tpl_ref(d + 1, &len) != TPL_UNKNOWN)
			continue;
		if (badlen > 0)
			snprintf(bad, badlen, "%.*s", (int)(len + 1), d);
		return -EINVAL;
	}
	return 0;
}

/* Append n bytes of s; scrub replaces control characters by spaces. */
static void
tpl_put(struct tpl_out *o, const char *s, size_t n, int scrub)
{
	size_t i;

	if (n > o->cap - o->len)
		n = o->cap - o->len;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		o->buf[o->len++] = scrub && (c < 0x20 || c == 0x7f) ?
		    ' ' : (char)c;
	}
}

static void
tpl_puts(struct tpl_out *o, const char *s)
{
	if (s != NULL)
		tpl_put(o, s, strlen(s), 1);
}

/* A time as UTC text in buf, or zero when it is unset or unprintable. */
static const char *
tpl_time(int64_t t, const char *zero, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		return zero;
	return buf;
}

/* The reason with rbldnsd's "$" substitution, cut at TPL_RBLDNSD_MAX. */
static void
tpl_rbldnsd_txt(struct tpl_out *o, const struct template_vars *v)
{
	size_t i, cap = o->cap, n = v->reason != NULL ? v->reason_len : 0;

	if (o->cap > TPL_RBLDNSD_MAX)
		o->cap = TPL_RBLDNSD_MAX;
	for (i = 0; i < n && o->len < o->cap; i++) {
		if (v->reason[i] != '$')
			tpl_put(o, v->reason + i, 1, 0);
		else if (i + 1 < n && v->reason[i + 1] == '$')
			tpl_put(o, v->reason + i++, 1, 0);
		else if (v->ip != NULL)
			tpl_put(o, v->ip, strlen(v->ip), 0);
	}
	/* Text after the variable may follow, unless the cut was hit. */
	if (o->len < o->cap)
		o->cap = cap;
}

static void
tpl_var(struct tpl_out *o, int var, const struct template_vars *v)
{
	char tmp[64];
	uint32_t a;

	switch (var) {
	case TPL_DOLLAR:
		tpl_put(o, "$", 1, 0);
		break;
	case TPL_SOURCE:
		tpl_puts(o, v->source);
		break;
	case TPL_REASON:
		if (v->reason != NULL)
			tpl_put(o, v->reason, v->reason_len, 1);
		break;
	case TPL_IP:
		tpl_puts(o, v->ip);
		break;
	case TPL_FIRST_SEEN:
		tpl_puts(o, tpl_time(v->first_seen, "-", tmp, sizeof(tmp)));
		break;
	case TPL_LAST_SEEN:
		tpl_puts(o, tpl_time(v->last_seen, "-", tmp, sizeof(tmp)));
		break;
	case TPL_EXPIRES:
		tpl_puts(o, tpl_time(v->expires, "never", tmp, sizeof(tmp)));
		break;
	case TPL_RBLDNSD_TXT:
		tpl_rbldnsd_txt(o, v);
		break;
	case TPL_CODE:
		a = ntohl(v->code);
		snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", a >> 24,
		    (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
		tpl_puts(o, tmp);
		break;
	}
}

size_t
template_expand(const char *tpl, const struct template_vars *v, char *out,
    size_t outlen)
{
	static const struct template_vars none;
	struct tpl_out o = { out, 0, outlen - 1 };
	const char *s, *d;
	size_t len;
	int var;

	if (outlen == 0)
		return 0;
	if (v == NULL)
		v = &none;
	for (s = tpl != NULL ? tpl : ""; (d = strchr(s, '$')) != NULL;
	    s = d + 1 + len) {
		tpl_put(&o, s, (size_t)(d - s), 0);
		if ((var = tpl_ref(d + 1, &len)) == TPL_UNKNOWN)
			tpl_put(&o, d, len + 1, 0);
		else
			tpl_var(&o, var, v);
	}
	tpl_put(&o, s, strlen(s), 0);
	out[o.len] = '\0';
	return o.len;
}
