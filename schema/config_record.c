/* config_record.c -- a zone's static records ("www 1h A 192.0.2.1"), the
 * record = key and records files of config.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "config.h"

#define RR_BLANKS	" \t"
#define RR_TTL_MAX	604800		/* as a zone's ttl */

/* The next blank-separated word of *s (its length in *len), or NULL. */
static const char *
rr_word(const char **s, size_t *len)
{
	const char *w = *s + strspn(*s, RR_BLANKS);

	if (*w == '\0')
		return NULL;
	*len = strcspn(w, RR_BLANKS);
	*s = w + *len;
	return w;
}

static int
rr_is(const char *w, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(w, name, len) == 0;
}

/*
 * A DNS name of labels of letters, digits, '-' and '_' (no wildcards, no
 * escapes), without a final dot: NULL if good, else why not.
 */
static const char *
rr_check_name(const char *s, size_t len)
{
	size_t i, label = 0;

	if (len > CFG_DNAME_MAX)
		return "name longer than 253 characters";
	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (label == 0)
				return "empty label in a name";
			if (label > 63)
				return "label longer than 63 characters";
			label = 0;
		} else if (s[i] == '*')
			return "no wildcards: '*' is not a name";
		else if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_')
			return "bad character in a name (letters, digits, "
			    "'-', '_')";
		else
			label++;
	}
	return NULL;
}

/* OWNER: "@" is the apex (""); else a name relative to the zone. The
 * helpers return NULL, why the text is wrong, or "" when out of memory. */
static const char *
rr_owner(struct cfg_record *r, const char *w, size_t len)
{
	const char *why;
	size_t i;

	if (len == 1 && w[0] == '@')
		len = 0;
	else if (w[len - 1] == '.')
		return "OWNER is relative to the zone: no final dot (@ is "
		    "the apex)";
	else if ((why = rr_check_name(w, len)) != NULL)
		return why;
	if ((r->owner = malloc(len + 1)) == NULL)
		return "";
	for (i = 0; i < len; i++)
		r->owner[i] = (char)tolower((unsigned char)w[i]);
	r->owner[len] = '\0';
	return NULL;
}

static const char *
rr_copy(struct cfg_record *r, const char *s, size_t len)
{
	if ((r->data = malloc(len + 1)) == NULL)
		return "";
	memcpy(r->data, s, len);
	r->data[len] = '\0';
	r->len = len;
	return NULL;
}

/* MX: "PREF HOST", HOST absolute (final dot optional, "." the root). */
static const char *
rr_mx(struct cfg_record *r, const char *v)
{
	const char *w, *why;
	unsigned long pref;
	size_t len;
	char *end;

	if ((w = rr_word(&v, &len)) == NULL || !isdigit((unsigned char)*w))
		return "MX needs PREF HOST";
	pref = strtoul(w, &end, 10);
	if (end != w + len || pref > 65535)
		return "MX preference is 0 to 65535";
	r->pref = (uint16_t)pref;
	if ((w = rr_word(&v, &len)) == NULL)
		return "MX needs PREF HOST";
	if (rr_word(&v, &len) != NULL)
		return "text after the MX host";
	if (len > 1 && w[len - 1] == '.')
		len--;
	if (len == 1 && w[0] == '.')
		len = 0;		/* the root: "no mail" (RFC 7505) */
	else if ((why = rr_check_name(w, len)) != NULL)
		return why;
	return rr_copy(r, w, len);
}

/* TXT: the rest of the line, without one pair of quotes around it. */
static const char *
rr_txt(struct cfg_record *r, const char *v)
{
	size_t len;

	v += strspn(v, RR_BLANKS);
	len = strlen(v);
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (len == 0)
		return "TXT needs a text (\"\" for an empty one)";
	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		v++;
		len -= 2;
	}
	if (len > CFG_RECORD_TXT_MAX)
		return "TXT text longer than 255 bytes";
	return rr_copy(r, v, len);
}

/* An A or AAAA value: one address, nothing after it. */
static const char *
rr_addr(struct cfg_record *r, const char *v, int af)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *w;
	size_t len;

	if ((w = rr_word(&v, &len)) == NULL)
		return af == AF_INET ? "A needs an IPv4 address" :
		    "AAAA needs an IPv6 address";
	if (rr_word(&v, &len) != NULL)
		return "text after the address";
	if (len >= sizeof(buf))
		return "bad address";
	memcpy(buf, w, len);
	buf[len] = '\0';
	if (inet_pton(af, buf, r->addr) != 1)
		return af == AF_INET ? "bad IPv4 address" :
		    "bad IPv6 address";
	return NULL;
}

/* The TYPE word and the VALUE after it. */
static const char *
rr_value(struct cfg_record *r, const char *t, size_t tlen, const char *v)
{
	if (rr_is(t, tlen, "A")) {
		r->type = CFG_RR_A;
		return rr_addr(r, v, AF_INET);
	}
	if (rr_is(t, tlen, "AAAA")) {
		r->type = CFG_RR_AAAA;
		return rr_addr(r, v, AF_INET6);
	}
	if (rr_is(t, tlen, "MX")) {
		r->type = CFG_RR_MX;
		return rr_mx(r, v);
	}
	if (rr_is(t, tlen, "TXT")) {
		r->type = CFG_RR_TXT;
		return rr_txt(r, v);
	}
	return "unknown TYPE (A, AAAA, TXT, MX)";
}

int
cfg_record_parse(const char *s, struct cfg_record *r, const char **why)
{
	char ttl[32];
	const char *w;
	size_t len;
	int64_t secs;

	memset(r, 0, sizeof(*r));
	*why = "expected OWNER [TTL] TYPE VALUE";
	if ((w = rr_word(&s, &len)) == NULL ||
	    (*why = rr_owner(r, w, len)) != NULL)
		goto fail;
	*why = "expected OWNER [TTL] TYPE VALUE";
	if ((w = rr_word(&s, &len)) == NULL)
		goto fail;
	if (isdigit((unsigned char)*w)) {
		*why = "TTL is a duration of 0 to 7d (3600, 1h)";
		if (len >= sizeof(ttl))
			goto fail;
		memcpy(ttl, w, len);
		ttl[len] = '\0';
		if (cfg_parse_duration(ttl, &secs) != 0 || secs < 0 ||
		    secs > RR_TTL_MAX)
			goto fail;
		r->has_ttl = 1;
		r->ttl = (uint32_t)secs;
		*why = "expected OWNER [TTL] TYPE VALUE";
		if ((w = rr_word(&s, &len)) == NULL)
			goto fail;
	}
	if (rr_is(w, len, "IN") && (w = rr_word(&s, &len)) == NULL)
		goto fail;
	if ((*why = rr_value(r, w, len, s)) != NULL)
		goto fail;
	return 0;
fail:
	cfg_record_fini(r);
	if (**why == '\0')
		return -ENOMEM;
	return -EINVAL;
}

void
cfg_record_fini(struct cfg_record *r)
{
	free(r->owner);
	free(r->data);
	r->owner = r->data = NULL;
}

int
cfg_zone_add_record(struct cfg_zone *z, struct cfg_record *r)
{
	struct cfg_record *v;
	size_t olen = strlen(r->owner);

	if (z->nrecords >= CFG_MAX_RECORDS)
		return -E2BIG;
	if (olen > 0 && olen + 1 + strlen(z->name) > CFG_DNAME_MAX)
		return -ENAMETOOLONG;
	if ((v = realloc(z->records, (z->nrecords + 1) * sizeof(*v))) ==
	    NULL)
		return -ENOMEM;
	z->records = v;
	v[z->nrecords++] = *r;
	memset(r, 0, sizeof(*r));
	return 0;
}

/* One line of a records file (trimmed into buf): 0, or as the file. */
static int
rr_file_line(struct cfg_zone *z, char *buf, unsigned n, const char **why)
{
	struct cfg_record r;
	size_t len = strlen(buf);
	char *s;
	int rc;

	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	s = buf + strspn(buf, RR_BLANKS);
	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if ((rc = cfg_record_parse(s, &r, why)) != 0)
		return rc;
	r.line = n;
	if ((rc = cfg_zone_add_record(z, &r)) != 0) {
		cfg_record_fini(&r);
		*why = rc == -E2BIG ? "too many records in the zone" :
		    rc == -ENAMETOOLONG ? "OWNER under the zone name is "
		    "longer than 253 characters" : "out of memory";
		return rc == -ENOMEM ? rc : -EINVAL;
	}
	return 0;
}

int
cfg_records_read(struct cfg_zone *z, const char *path, unsigned *line,
    const char **why)
{
	size_t before = z->nrecords, cap = 0;
	char *buf = NULL;
	ssize_t got;
	FILE *f;
	int rc = 0;

	*line = 0;
	if ((f = fopen(path, "r")) == NULL)
		return -errno;
	while (rc == 0 && (got = getline(&buf, &cap, f)) >= 0) {
		++*line;
		/* A NUL inside the line: strlen() stops short of got. */
		if (strlen(buf) != (size_t)got) {
			*why = "NUL character in line";
			rc = -EINVAL;
		} else
			rc = rr_file_line(z, buf, *line, why);
	}
	if (rc == 0 && ferror(f))
		rc = -EIO;
	free(buf);
	fclose(f);
	if (rc != 0) {
		/* All or nothing: the zone keeps what it had before. */
		while (z->nrecords > before)
			cfg_record_fini(&z->records[--z->nrecords]);
	}
	return rc;
}

void
cfg_zone_records_free(struct cfg_zone *z)
{
	size_t i;

	for (i = 0; i < z->nrecords; i++)
		cfg_record_fini(&z->records[i]);
	free(z->records);
	free(z->records_file);
	z->records = NULL;
	z->nrecords = 0;
	z->records_file = NULL;
}
