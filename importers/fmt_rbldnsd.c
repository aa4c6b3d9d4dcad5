/* fmt_rbldnsd.c -- rbldnsd ip4set/ip4tset/ip6tset data: entries with
 * ":A:TXT" values, "!" exclusions, "$SOA" and other special lines. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "store.h"

/* Longest key ("255.255.255.0-255.255.255.255", an IPv6 prefix). */
#define RBL_KEY_MAX	64

/* What rbldnsd answers when the data states no A: 127.0.0.2. */
#define RBL_DEFAULT_A	"127.0.0.2"

struct rbl_state {
	int		soa;		/* the first $SOA was read */
	uint32_t	def_a;		/* default A, network order; 0: none */
	int		def_a_other;	/* a default A other than 127.0.0.2 */
	int		def_has_txt;
	size_t		def_txt_len;
	char		def_txt[IMP_REASON_MAX];
	size_t		exclusions;
};

/* A parsed value: its A (0: the default) and TXT (NULL: none). */
struct rbl_val {
	uint32_t	 a;
	const char	*txt;
	size_t		 txt_len;
};

static uint32_t
rbl_mask(int bits)
{
	return bits == 0 ? 0 : 0xffffffffu << (32 - bits);
}

static void
rbl_addr(uint32_t a, struct rp_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = RP_AF_INET;
	out->bytes[0] = (uint8_t)(a >> 24);
	out->bytes[1] = (uint8_t)(a >> 16);
	out->bytes[2] = (uint8_t)(a >> 8);
	out->bytes[3] = (uint8_t)a;
}

/* rbldnsd's IPv4 prefix: 1 to 4 decimal octets ("127.0.0" is the /24).
 * Returns the bits given (8, 16, 24, 32) with *end past them, or -1. */
static int
rbl_ip4prefix(const char *s, uint32_t *a, const char **end)
{
	unsigned long o;
	char *e;
	int n;

	*a = 0;
	for (n = 0; n < 4; n++) {
		if (n > 0 && *s++ != '.')
			return -1;
		if (!isdigit((unsigned char)*s))
			return -1;
		o = strtoul(s, &e, 10);
		if (o > 255 || e - s > 3)
			return -1;
		*a |= (uint32_t)o << (24 - 8 * n);
		s = e;
		if (*s != '.')
			break;
	}
	*end = s;
	return 8 * (n < 4 ? n + 1 : 4);
}

/* "/len" after an IPv4 prefix: 1..32 (rbldnsd refuses /0). */
static int
rbl_bits(const char *s)
{
	unsigned long b;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	b = strtoul(s, &e, 10);
	return *e != '\0' || b < 1 || b > 32 ? -1 : (int)b;
}

/*
 * An IPv4 key as rbldnsd reads it: "1.2.3.4", "1.2.3" (/24), "127/8",
 * "1.2.3.0/24", "1.2.3.4-1.2.3.9", "127.16-31" (the last octet given
 * is the range). A bare number must be written "127/8". 0 with the item
 * filled, or 1 after a warning.
 */
static int
rbl_ip4key(struct imp_parser *p, const char *key, struct imp_item *it)
{
	const char *s;
	uint32_t a, b;
	int bits, bb;

	if ((bits = rbl_ip4prefix(key, &a, &s)) < 0)
		goto bad;
	if (*s == '-') {
		if ((bb = rbl_ip4prefix(s + 1, &b, &s)) < 0 || *s != '\0')
			goto bad;
		if (bb == 8) {	/* "127.0.0.1-2": the last octet only */
			b = (b >> (bits - 8)) | (a & rbl_mask(bits - 8));
			bb = bits;
		} else if (bb != bits)
			goto bad;
		b |= ~rbl_mask(bb);
		if (a > b)
			goto bad;
		it->is_range = 1;
		rbl_addr(a, &it->lo);
		rbl_addr(b, &it->hi);
		return 0;
	}
	if (*s == '/')
		bits = rbl_bits(s + 1);
	else if (bits == 8 || *s != '\0')
		goto bad;
	if (bits < 0)
		goto bad;
	if (a & ~rbl_mask(bits))
		imp_warn(p, "host bits set in '%.64s', using the network", key);
	rbl_addr(a & rbl_mask(bits), &it->prefix.addr);
	it->prefix.bits = (uint8_t)bits;
	return 0;
bad:
	imp_warn(p, "bad address '%.64s'", key);
	return 1;
}

/* An IPv6 key: an address or CIDR, or ip6tset's prefix of groups
 * without "::" ("2001:20fe:23:41ed" is the /64). */
static int
rbl_ip6key(struct imp_parser *p, const char *key, struct imp_item *it)
{
	char buf[RBL_KEY_MAX + 8];
	size_t colons = 0;
	const char *c;

	for (c = key; *c != '\0'; c++)
		colons += *c == ':';
	if (strstr(key, "::") == NULL && strchr(key, '/') == NULL &&
	    colons < 7) {
		snprintf(buf, sizeof(buf), "%s::/%zu", key, (colons + 1) * 16);
		key = buf;
	}
	return imp_parse_prefix(p, key, &it->prefix);
}

/*
 * The key's length in line: up to a blank or a comment, and for IPv4
 * up to a ':' that starts its value ("10.0.0.5:5:text").
 */
static size_t
rbl_key_len(const char *line)
{
	size_t n = strcspn(line, " \t#;"), v4;

	v4 = strspn(line, "0123456789./-");
	if (v4 < n && line[v4] == ':' && memchr(line, '.', v4) != NULL)
		return v4;
	return n;
}

/* An A value: "127.0.0.5", a bare n for 127.0.0.n, or inet_aton forms
 * ("127.5" is 127.0.0.5); "" keeps the default (*a = 0). 0 or -1. */
static int
rbl_a(const char *s, uint32_t *a)
{
	struct in_addr in;
	unsigned long n;
	char *e;

	*a = 0;
	if (*s == '\0')
		return 0;
	if (s[strcspn(s, " \t")] != '\0')
		return -1;	/* ":127.0.0.15 junk": no second colon */
	if (strchr(s, '.') == NULL) {
		n = strtoul(s, &e, 10);
		if (!isdigit((unsigned char)*s) || *e != '\0' || n < 1 ||
		    n > 255)
			return -1;
		*a = htonl(0x7f000000u | (uint32_t)n);
		return 0;
	}
	if (inet_aton(s, &in) == 0 || in.s_addr == 0)
		return -1;
	*a = in.s_addr;
	return 0;
}

/*
 * A value after a key, or a default line: ":A:TXT", ":A" (the default
 * TXT), ":A:" (no TXT), or plain TXT (the default A). v is trimmed and
 * not empty. 0 with *out set, or 1 after a warning.
 */
static int
rbl_value(struct imp_parser *p, const struct rbl_state *s, char *v,
    struct rbl_val *out)
{
	char *colon;

	out->a = 0;
	out->txt = s->def_has_txt ? s->def_txt : NULL;
	out->txt_len = s->def_txt_len;
	if (*v == '\0')
		return 0;
	if (*v != ':') {
		out->txt = v;
		out->txt_len = strlen(v);
		return 0;
	}
	if ((colon = strchr(++v, ':')) != NULL)
		*colon = '\0';
	if (rbl_a(imp_trim(v), &out->a) != 0) {
		imp_warn(p, "bad A value '%.32s'", v);
		return 1;
	}
	if (colon != NULL) {
		/* "$" in the text stays: the daemon puts the address in. */
		out->txt = colon + 1 + strspn(colon + 1, " \t");
		out->txt_len = strlen(out->txt);
		if (out->txt_len == 0)
			out->txt = NULL;
	}
	return 0;
}

/* ":127.0.0.2:Listed $": the values of the entries that follow. */
static int
rbl_default(struct imp_parser *p, struct rbl_state *s, char *line)
{
	char buf[INET_ADDRSTRLEN];
	struct rbl_val v;
	int rc;

	if ((rc = rbl_value(p, s, line, &v)) != 0)
		return rc;
	if (v.a != 0) {
		s->def_a = v.a;
		inet_ntop(AF_INET, &v.a, buf, sizeof(buf));
		imp_meta_set(p, "default-code", "%s", buf);
		if (strcmp(buf, RBL_DEFAULT_A) != 0)
			s->def_a_other = 1;
	}
	s->def_has_txt = v.txt != NULL;
	s->def_txt_len = v.txt ? v.txt_len : 0;
	if (s->def_txt_len > sizeof(s->def_txt))
		s->def_txt_len = sizeof(s->def_txt);
	if (v.txt != NULL && v.txt != s->def_txt)
		memcpy(s->def_txt, v.txt, s->def_txt_len);
	return 0;
}

/* "$SOA ttl origin person serial refresh retry expire minimum": only
 * the first counts (as in rbldnsd); its serial dates the data. Other
 * special lines ($NS, $TTL, $0..$9, $=, ...) are the daemon's
 * business, not the list's entries. */
static int
rbl_special(struct imp_parser *p, struct rbl_state *s, char *line)
{
	char *tok[5], *save = NULL, *t;
	int n = 0;

	for (t = strtok_r(line + 1, " \t", &save); t != NULL && n < 5;
	    t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (n == 5 && strcmp(tok[0], "SOA") == 0 && !s->soa) {
		s->soa = 1;
		imp_meta_set(p, "serial", "%s", tok[4]);
	}
	return 0;
}

/* An entry, or with excl an exclusion ("!10.0.0.0/8"): the key, then
 * an optional value, or a comment. */
static int
rbl_entry(struct imp_parser *p, struct rbl_state *s, char *line, int excl)
{
	char key[RBL_KEY_MAX], *rest;
	struct imp_item it;
	struct rbl_val v;
	size_t n = rbl_key_len(line);
	int rc;

	if (n == 0 || n >= sizeof(key)) {
		imp_warn(p, "bad entry '%.64s'", line);
		return 1;
	}
	memcpy(key, line, n);
	key[n] = '\0';
	memset(&it, 0, sizeof(it));
	if ((rc = strchr(key, ':') ? rbl_ip6key(p, key, &it) :
	    rbl_ip4key(p, key, &it)) != 0)
		return rc;
	if (excl) {
		s->exclusions++;
		it.flags = STORE_F_EXCLUDE;
		return imp_emit(p, &it);
	}
	rest = imp_trim(line + n);
	if (*rest == '#' || *rest == ';')
		*rest = '\0';		/* a comment: the default value */
	if ((rc = rbl_value(p, s, rest, &v)) != 0)
		return rc;
	/* Only an entry's own A is its code; the default line's is the
	 * source's business (see rbl_finish). */
	if (v.a != 0) {
		it.flags = STORE_F_CODE;
		it.code = v.a;
	}
	it.reason = v.txt;
	it.reason_len = v.txt ? v.txt_len : 0;
	return imp_emit(p, &it);
}

static int
rbl_parse_line(struct imp_parser *p, char *line, size_t len)
{
	struct rbl_state *s;

	(void)len;
	if ((s = imp_state(p, sizeof(*s))) == NULL)
		return -ENOMEM;
	/* "#$", ";$" and ":$" are "$" lines (DJB rbldns files). */
	if ((*line == '#' || *line == ';' || *line == ':') && line[1] == '$')
		return rbl_special(p, s, line + 1);
	if (*line == '#' || *line == ';')
		return 0;
	if (*line == '$')
		return rbl_special(p, s, line);
	if (*line == ':')
		return rbl_default(p, s, line);
	if (*line == '!')
		return rbl_entry(p, s, line + 1, 1);
	return rbl_entry(p, s, line, 0);
}

static int
rbl_finish(struct imp_parser *p, int aborted, char *err, size_t errlen)
{
	struct rbl_state *s = p->state;
	char buf[INET_ADDRSTRLEN];

	(void)err;
	(void)errlen;
	if (aborted || s == NULL)
		return 0;
	imp_meta_set(p, "exclusions", "%zu", s->exclusions);
	/*
	 * A default A other than rbldnsd's own is not forced on every
	 * entry: the source's code (config or catalog) answers, as for
	 * every other list, so an operator's "code =" still works. Say
	 * what the data wanted.
	 */
	if (s->def_a_other) {
		inet_ntop(AF_INET, &s->def_a, buf, sizeof(buf));
		imp_notice(p, "the data's default A %s is not applied to its "
		    "entries: they answer the source's code (set code = %s "
		    "to match)", buf, buf);
	}
	return 0;
}

/* rbldnsd's own lines: "$SOA"/"$NS"/... specials, ":127.x:" defaults. */
static int
rbl_sniff(const char *body, size_t len)
{
	return imp_head_has_line(body, len, "$") ||
	    imp_head_has_line(body, len, ":127.");
}

const struct imp_format fmt_rbldnsd = {
	.name		= "rbldnsd",
	/* returns 0 stored, >0 skipped with a warning, <0 abort the import */
	.parse_line	= rbl_parse_line,
	.finish		= rbl_finish,
	.sniff		= rbl_sniff,
};
