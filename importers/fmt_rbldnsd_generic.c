/* fmt_rbldnsd_generic.c -- rbldnsd's generic dataset ("www 1h A 192.0.2.1",
 * "@ MX 10 mx.example.org", "@ TXT \"text\""): each line becomes a static
 * record of the zone, in reputed's syntax (config.h), never an entry. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fmt_rbldnsd_generic.h"

#define GEN_LINE_MAX	(CFG_DNAME_MAX + 2 * CFG_RECORD_TXT_MAX + 64)

static int
gen_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *
gen_skip(char *s)
{
	while (gen_blank(*s))
		s++;
	return s;
}

/* The word at *s, NUL-terminated in place; *s moves past the blanks
 * after it. NULL at the end of the line. */
static char *
gen_word(char **s)
{
	char *w = gen_skip(*s), *e = w;

	if (*w == '\0')
		return NULL;
	while (*e != '\0' && !gen_blank(*e))
		e++;
	*s = *e != '\0' ? gen_skip(e + 1) : e;
	*e = '\0';
	return w;
}

/*
 * rbldnsd's TTL: digits, one optional unit (s m h d w), then a blank or
 * the end. 0 with *ttl set and *s past it; 1 when a ':' follows (rbldnsd
 * then meets ":" as the type: a bad line); -1 when rbldnsd refuses the
 * dataset (overflow, any other character).
 */
static int
gen_ttl(char **s, uint32_t *ttl)
{
	static const char units[] = "smhdw";
	static const uint32_t mul[] = { 1, 60, 3600, 86400, 604800 };
	const char *u;
	uint64_t v = 0;
	char *p = *s;

	for (; isdigit((unsigned char)*p); p++)
		if ((v = v * 10 + (uint64_t)(*p - '0')) > UINT32_MAX)
			return -1;
	if (*p != '\0' && (u = strchr(units, tolower((unsigned char)*p))) !=
	    NULL) {
		if ((v *= mul[u - units]) > UINT32_MAX)
			return -1;
		p++;
	}
	if (*p == ':')
		return 1;
	if (*p != '\0' && !gen_blank(*p))
		return -1;
	*ttl = (uint32_t)v;
	*s = gen_skip(p);
	return 0;
}

/* An address as rbldnsd's inet_aton-like reader takes it ("127.1" is
 * 127.0.0.1, "1" 0.0.0.1; text after it ignored): 0, or -1. */
static int
gen_addr(const char *s, uint32_t *a)
{
	uint32_t o[4];
	int n;

	for (n = 0; n < 4; n++) {
		if (n > 0 && *s++ != '.')
			break;
		if (!isdigit((unsigned char)*s))
			return -1;
		for (o[n] = 0; isdigit((unsigned char)*s); s++)
			if ((o[n] = o[n] * 10 + (uint32_t)(*s - '0')) > 255)
				return -1;
		if (*s != '.')
			break;
	}
	if (n == 4)
		n = 3;
	switch (n) {
	case 0:
		*a = o[0];
		break;
	case 1:
		*a = o[0] << 24 | o[1];
		break;
	case 2:
		*a = o[0] << 24 | o[1] << 16 | o[2];
		break;
	default:
		*a = o[0] << 24 | o[1] << 16 | o[2] << 8 | o[3];
	}
	return 0;
}

/* A name of the data: one final dot dropped ("." stays the root); an
 * owner (lower) in lower case, as rbldnsd folds it. */
static char *
gen_name(char *w, int lower)
{
	size_t n = strlen(w), i;

	if (n > 1 && w[n - 1] == '.')
		w[n - 1] = '\0';
	for (i = 0; lower && w[i] != '\0'; i++)
		w[i] = (char)tolower((unsigned char)w[i]);
	return w;
}

/* The value of type t at s as reputed writes it, into out. 0, 1 (a bad
 * line, warned), or -EINVAL (warned: rbldnsd refuses the dataset). */
static int
gen_value(struct imp_parser *p, const char *t, char *s, char *out,
    size_t len)
{
	unsigned long pref;
	uint32_t a;
	size_t n;
	char *w, *e;

	if (strcmp(t, "a") == 0) {
		if (gen_addr(s, &a) != 0) {
			imp_warn(p, "bad A address '%.40s'", s);
			return 1;
		}
		snprintf(out, len, "A %u.%u.%u.%u", a >> 24, (a >> 16) & 255,
		    (a >> 8) & 255, a & 255);
		return 0;
	}
	if (strcmp(t, "txt") == 0) {
		n = strlen(s);
		if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
			s++;
			n -= 2;
		}
		if (n > CFG_RECORD_TXT_MAX) {
			imp_warn(p, "TXT cut to %d bytes", CFG_RECORD_TXT_MAX);
			n = CFG_RECORD_TXT_MAX;
		}
		snprintf(out, len, "TXT \"%.*s\"", (int)n, s);
		return 0;
	}
	if (strcmp(t, "mx") != 0) {
		imp_warn(p, "unknown record type '%.16s' (generic takes A, "
		    "TXT, MX)", t);
		return 1;
	}
	pref = strtoul(s, &e, 10);
	if (!isdigit((unsigned char)*s) || (*e != '\0' && !gen_blank(*e)) ||
	    pref > 65535 || e - s > 10) {
		imp_warn(p, "bad MX preference '%.16s'", s);
		return 1;
	}
	s = gen_skip(e);
	if ((w = gen_word(&s)) == NULL || *s != '\0') {
		imp_warn(p, "MX %s: rbldnsd refuses the dataset", w == NULL ?
		    "without a host" : "with text after its host");
		return -EINVAL;
	}
	snprintf(out, len, "MX %lu %s", pref, gen_name(w, 0));
	return 0;
}

/* The TTL a record without one (or with 0) gets: the $TTL in force. */
static unsigned long
gen_dataset_ttl(const struct imp_parser *p)
{
	const char *v = p->stats ? imp_stats_meta(p->stats, "ttl") : NULL;

	return v != NULL ? strtoul(v, NULL, 10) : 0;
}

int
fmt_generic_line(struct imp_parser *p, char *line)
{
	char value[GEN_LINE_MAX], rec[GEN_LINE_MAX + 16], *s = line, *owner;
	char orig[65], *t;
	struct cfg_record r;
	const char *why;
	uint32_t ttl = 0;
	int rc;

	snprintf(orig, sizeof(orig), "%s", line);	/* for warnings */
	if (line[0] == '@' && gen_blank(line[1])) {
		owner = "@";
		s = gen_skip(line + 2);
	} else if ((owner = gen_word(&s)) == NULL || strcmp(owner, ".") == 0 ||
	    *s == '\0') {
		imp_warn(p, "bad record '%s'", orig);
		return 1;
	} else
		owner = gen_name(owner, 1);
	if (isdigit((unsigned char)*s) && (rc = gen_ttl(&s, &ttl)) != 0) {
		imp_warn(p, "bad TTL in '%s'%s", orig, rc < 0 ?
		    ": rbldnsd refuses the dataset" : "");
		return rc < 0 ? -EINVAL : 1;
	}
	if (tolower((unsigned char)s[0]) == 'i' &&
	    tolower((unsigned char)s[1]) == 'n' && gen_blank(s[2]))
		s = gen_skip(s + 2);
	/* The type must be followed by a value. */
	for (t = s; *s != '\0' && !gen_blank(*s); s++)
		*s = (char)tolower((unsigned char)*s);
	if (*s == '\0') {
		imp_warn(p, "record without a value '%s'", orig);
		return 1;
	}
	*s = '\0';
	if ((rc = gen_value(p, t, gen_skip(s + 1), value,
	    sizeof(value))) != 0)
		return rc;
	/* What reputed cannot serve is left out here, not refused later by
	 * the configuration: names with other characters, wildcards. */
	snprintf(rec, sizeof(rec), "%s %s", owner, value);
	if ((rc = cfg_record_parse(rec, &r, &why)) != 0) {
		if (rc == -ENOMEM)
			return rc;
		imp_warn(p, "record '%s' left out: %s", orig, why);
		return 1;
	}
	cfg_record_fini(&r);
	snprintf(rec, sizeof(rec), "%s %lu %s", owner, ttl != 0 ?
	    (unsigned long)ttl : gen_dataset_ttl(p), value);
	return imp_record_add(p, rec);
}
