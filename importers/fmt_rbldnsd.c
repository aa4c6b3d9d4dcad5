/* fmt_rbldnsd.c -- rbldnsd data files: format "rbldnsd" (IP entries with
 * ":A:TXT" values, "!" exclusions, "$SOA" and other special lines, read
 * as a list) and the dataset types "rbldnsd-ip4set", "-ip4tset",
 * "-ip4trie", "-ip6tset", "-ip6trie", "-dnset", "-generic" (records of
 * the zone, fmt_rbldnsd_generic.c) and "-combined" (its
 * $DATASET blocks of those types), read exactly as rbldnsd reads them
 * (for `reputed --rbldnsd`; see docs/rbldnsd.md), and "rbldnsd-acl", a
 * client ACL whose actions are stored as codes (aclcode.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclcode.h"
#include "config.h"
#include "fmt_rbldnsd_generic.h"
#include "formats.h"
#include "store.h"

/* Longest key ("255.255.255.0-255.255.255.255", an IPv6 prefix). */
#define RBL_KEY_MAX	64

/* What rbldnsd answers when the data states no A: 127.0.0.2. */
#define RBL_DEFAULT_A	"127.0.0.2"
#define RBL_A2		0x7f000002u	/* the same, host order */

/* rbldnsd keeps at most this much of a TXT text when it loads it. */
#define RBL_TXT_MAX	255

/* Which rules a line is read by: the list format, or a dataset type. */
enum rbl_type {
	RBL_LIST,	/* "rbldnsd": any IP entry, values kept as text */
	RBL_IP4SET,
	RBL_IP4TSET,
	RBL_IP4TRIE,
	RBL_IP6TSET,
	RBL_IP6TRIE,
	RBL_DNSET,	/* domain names (RHSBL) */
	RBL_GENERIC,	/* records of the zone (fmt_rbldnsd_generic.c) */
	RBL_ACL,	/* "rbldnsd-acl": a client ACL; never in combined */
	RBL_COMBINED	/* "rbldnsd-combined", outside the block it reads */
};

/* The dataset types, by their rbldnsd names. */
static const struct {
	const char	*name;
	enum rbl_type	 type;
} rbl_types[] = {
	{ "ip4set", RBL_IP4SET }, { "ip4tset", RBL_IP4TSET },
	{ "ip4trie", RBL_IP4TRIE }, { "ip6tset", RBL_IP6TSET },
	{ "ip6trie", RBL_IP6TRIE }, { "dnset", RBL_DNSET },
	{ "generic", RBL_GENERIC },
};

struct rbl_state {
	enum rbl_type	type;
	int		soa;		/* the first $SOA was read */
	int		ns;		/* the first $NS was read */
	uint32_t	def_a;		/* default A, network order; 0: none */
	int		def_a_other;	/* a default A other than 127.0.0.2 */
	int		def_has_txt;
	size_t		def_txt_len;
	char		def_txt[IMP_REASON_MAX];
	size_t		def_file;	/* the input the default belongs to */
	/* rbldnsd-acl: the default action's code (aclcode.h, host
	 * order), 0 for ignore, or RBL_ACL_VALUE: def_a and def_txt
	 * ("always listed"). Per file, as the default values. */
	uint32_t	acl_def;
	size_t		exclusions;
	/* Dataset types only: what holds for the whole dataset, found by
	 * rbl_begin() before the first line ("first definition wins"). */
	int		has_var[10];	/* $0 .. $9 */
	char		var[10][RBL_TXT_MAX + 1];
	int		has_base;	/* $= */
	char		base[RBL_TXT_MAX + 1];
	int		tdef_has_txt;	/* ip4tset/ip6tset: the first */
	uint32_t	tdef_a;		/* default line, wherever it is */
	char		tdef_txt[RBL_TXT_MAX + 1];
	uint64_t	maxrange4;	/* $MAXRANGE4; 0: no limit */
	char		reason[IMP_REASON_MAX];	/* the entry's, being built */
	/* rbldnsd-combined: the $DATASET block read (0: only the common
	 * section), the block the line is in, the blocks seen so far. */
	int		combined;
	unsigned	part, block;
	char		datasets[IMP_META_LEN];
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

static uint32_t
rbl_addr_u32(const struct rp_addr *a)
{
	return (uint32_t)a->bytes[0] << 24 | (uint32_t)a->bytes[1] << 16 |
	    (uint32_t)a->bytes[2] << 8 | a->bytes[3];
}

static int
rbl_strict(const struct imp_parser *p)
{
	return (p->flags & IMP_F_STRICT_CIDR) != 0;
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

/* "/len" after an IPv4 prefix: 1..32, or 0..32 with zero_ok (ip4trie). */
static int
rbl_bits(const char *s, int zero_ok)
{
	unsigned long b;
	char *e;

	if (!isdigit((unsigned char)*s))
		return -1;
	b = strtoul(s, &e, 10);
	return *e != '\0' || b < (zero_ok ? 0u : 1u) || b > 32 ? -1 : (int)b;
}

/*
 * An IPv4 key as rbldnsd reads it: "1.2.3.4", "1.2.3" (/24), "127/8",
 * "1.2.3.0/24", "1.2.3.4-1.2.3.9", "127.16-31" (the last octet given
 * is the range). A bare number must be written "127/8". Host bits past
 * the length are masked with a warning, or with IMP_F_STRICT_CIDR the
 * line is skipped (rbldnsd without -e). 0 with the item filled, or 1
 * after a warning.
 */
static int
rbl_ip4key(struct imp_parser *p, const char *key, struct imp_item *it,
    int zero_ok)
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
		bits = rbl_bits(s + 1, zero_ok);
	else if (bits == 8 || *s != '\0')
		goto bad;
	if (bits < 0)
		goto bad;
	if (a & ~rbl_mask(bits)) {
		if (rbl_strict(p)) {
			imp_warn(p, "host bits set in '%.64s' (rbldnsd -e "
			    "accepts it), line skipped", key);
			return 1;
		}
		imp_warn(p, "host bits set in '%.64s', using the network", key);
	}
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

/* How many colon-separated groups of 1-4 hex digits s is ("2001:db8"
 * is 2), or -1 when it is anything else (a "::", an empty group). */
static int
rbl_ip6words(const char *s)
{
	int n = 0;
	size_t k;

	for (;;) {
		k = strspn(s, "0123456789abcdefABCDEF");
		if (k == 0 || k > 4)
			return -1;
		n++;
		s += k;
		if (*s == '\0')
			return n;
		if (*s++ != ':')
			return -1;
	}
}

/*
 * An IPv6 key of the dataset types. ip6trie: an address with an optional
 * "/len"; without it, the groups written x 16 ("2001:db8:c000" is the
 * /48), an address with "::" is the /128; one group alone is not a key.
 * ip6tset: exactly four groups (the /64), or for an exclusion (excl) a
 * whole address. 0 with it->prefix set, or 1 after a warning.
 */
static int
rbl_ip6key_exact(struct imp_parser *p, enum rbl_type type, const char *key,
    int excl, struct imp_item *it)
{
	char addr[RBL_KEY_MAX + 4];
	const char *slash = strchr(key, '/');
	struct rp_cidr c;
	int words, bits = -1, host_bits = 0;
	size_t n = slash ? (size_t)(slash - key) : strlen(key);
	char *e;

	if (n >= RBL_KEY_MAX)
		goto bad;
	memcpy(addr, key, n);
	addr[n] = '\0';
	if (slash != NULL) {
		if (type == RBL_IP6TSET || !isdigit((unsigned char)slash[1]))
			goto bad;
		bits = (int)strtol(slash + 1, &e, 10);
		if (*e != '\0' || bits > 128)
			goto bad;
	}
	if (strstr(addr, "::") != NULL) {
		if (type == RBL_IP6TSET && !excl)
			goto bad;
		if (bits < 0)
			bits = 128;
	} else {
		words = rbl_ip6words(addr);
		if (words < 2 || words > 8)
			goto bad;
		if (type == RBL_IP6TSET && words != (excl ? 8 : 4))
			goto bad;
		if (bits < 0)
			bits = words * 16;
		if (words < 8)
			strcat(addr, "::");
	}
	if (cidr_parse_addr(addr, &c.addr) != 0 ||
	    c.addr.family != RP_AF_INET6)
		goto bad;
	c.bits = (uint8_t)bits;
	it->prefix = c;
	cidr_mask(&it->prefix.addr, (unsigned)bits);
	host_bits = memcmp(&it->prefix.addr, &c.addr, sizeof(c.addr)) != 0;
	if (host_bits && rbl_strict(p)) {
		imp_warn(p, "host bits set in '%.64s' (rbldnsd -e accepts it), "
		    "line skipped", key);
		return 1;
	}
	if (host_bits)
		imp_warn(p, "host bits set in '%.64s', using the network", key);
	return 0;
bad:
	imp_warn(p, "bad address '%.64s'", key);
	return 1;
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
 * not empty. 0 with *out set, or 1 after a warning (none if p is NULL).
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
		if (p != NULL)
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
	size_t max = s->type == RBL_LIST ? sizeof(s->def_txt) : RBL_TXT_MAX;
	struct rbl_val v;
	int rc;

	if ((rc = rbl_value(p, s, line, &v)) != 0)
		return rc;
	/* ":A" alone: rbldnsd gives a default line the built-in default's
	 * TXT (none), not the TXT of the default line before it. */
	if (v.txt == s->def_txt)
		v.txt = NULL;
	if (v.a != 0) {
		s->def_a = v.a;
		inet_ntop(AF_INET, &v.a, buf, sizeof(buf));
		imp_meta_set(p, "default-code", "%s", buf);
		if (strcmp(buf, RBL_DEFAULT_A) != 0)
			s->def_a_other = 1;
	}
	s->def_has_txt = v.txt != NULL;
	s->def_txt_len = v.txt ? v.txt_len : 0;
	if (s->def_txt_len > max) {
		if (s->type != RBL_LIST)
			imp_warn(p, "TXT cut to %d bytes", RBL_TXT_MAX);
		s->def_txt_len = max;
	}
	if (v.txt != NULL && v.txt != s->def_txt)
		memmove(s->def_txt, v.txt, s->def_txt_len);
	s->def_file = p->file;
	return 0;
}

/* ---- Special lines ------------------------------------------------------ */

/* A name of $SOA or $NS, without its final dot. */
static const char *
rbl_dname(char *t)
{
	size_t n = strlen(t);

	if (n > 1 && t[n - 1] == '.')
		t[n - 1] = '\0';
	return t;
}

/* "$SOA ttl origin person serial refresh retry expire minimum": only the
 * first counts (as in rbldnsd); its serial dates the data. */
static void
rbl_soa(struct imp_parser *p, struct rbl_state *s, char **tok, int n)
{
	uint32_t v[6];
	unsigned long serial;
	char *e;

	if (s->soa || n < 5)
		return;
	if (s->type == RBL_LIST) {
		s->soa = 1;
		imp_meta_set(p, "serial", "%s", tok[4]);
		return;
	}
	serial = strtoul(tok[4], &e, 10);
	if (n != 9 || cfg_parse_rbldnsd_time(tok[1], &v[0]) != 0 || *e != '\0' ||
	    !isdigit((unsigned char)*tok[4]) || serial > 0xfffffffful ||
	    cfg_parse_rbldnsd_time(tok[5], &v[1]) != 0 || cfg_parse_rbldnsd_time(tok[6], &v[2]) != 0 ||
	    cfg_parse_rbldnsd_time(tok[7], &v[3]) != 0 || cfg_parse_rbldnsd_time(tok[8], &v[4]) != 0) {
		imp_warn(p, "invalid $SOA line, ignored");
		return;
	}
	s->soa = 1;
	imp_meta_set(p, "serial", "%lu", serial);
	imp_meta_set(p, "soa", "%u %s %s %lu %u %u %u %u", v[0],
	    rbl_dname(tok[2]), rbl_dname(tok[3]), serial, v[1], v[2], v[3],
	    v[4]);
}

/* "$NS ttl ns1 ns2 ...": only the first counts; a name written "-ns"
 * is left out. */
static void
rbl_ns(struct imp_parser *p, struct rbl_state *s, char **tok, int n)
{
	char list[IMP_META_LEN];
	size_t len = 0;
	uint32_t ttl;
	int i, k;

	if (s->ns || s->type == RBL_LIST)
		return;
	if (n < 2 || cfg_parse_rbldnsd_time(tok[1], &ttl) != 0) {
		imp_warn(p, "invalid $NS line, ignored");
		return;
	}
	s->ns = 1;
	list[0] = '\0';
	for (i = 2; i < n; i++) {
		if (tok[i][0] == '-')
			continue;
		k = snprintf(list + len, sizeof(list) - len, " %s",
		    rbl_dname(tok[i]));
		if (k < 0 || (size_t)k >= sizeof(list) - len)
			break;
		len += (size_t)k;
	}
	imp_meta_set(p, "ns", "%u%s", ttl, list);
}

/* "$MAXRANGE4 n" or "$MAXRANGE4 /len": larger IPv4 entries are skipped.
 * It can only be lowered. */
static void
rbl_maxrange4(struct imp_parser *p, struct rbl_state *s, const char *v)
{
	unsigned long long n;
	char *e;

	if (*v == '/') {
		n = strtoull(v + 1, &e, 10);
		if (!isdigit((unsigned char)v[1]) || *e != '\0' || n > 32) {
			imp_warn(p, "invalid $MAXRANGE4, ignored");
			return;
		}
		n = 1ull << (32 - n);
	} else {
		n = strtoull(v, &e, 10);
		if (!isdigit((unsigned char)*v) || *e != '\0' || n == 0) {
			imp_warn(p, "invalid $MAXRANGE4, ignored");
			return;
		}
	}
	if (s->maxrange4 == 0 || n < s->maxrange4)
		s->maxrange4 = n;
}

/*
 * A "$" line. The list format reads only the first $SOA's serial; the
 * dataset types also report $SOA, $NS and the last $TTL (metadata the
 * front end turns into the zone's SOA, NS and TTL) and apply
 * $MAXRANGE4. $0..$9 and $= were read by rbl_begin(). Returns 0: a bad
 * special line is only a warning, as in rbldnsd.
 */
static int
rbl_special(struct imp_parser *p, struct rbl_state *s, char *line)
{
	char *tok[40], *save = NULL, *t;
	uint32_t ttl;
	int n = 0;

	for (t = strtok_r(line, " \t", &save); t != NULL && n < 40;
	    t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (n == 0)
		return 0;
	if (s->type == RBL_ACL && (strcmp(tok[0], "$SOA") == 0 ||
	    strcmp(tok[0], "$NS") == 0 || strcmp(tok[0], "$NAMESERVER") == 0)) {
		imp_warn(p, "invalid or unrecognized special entry '%.32s' "
		    "(an acl has no $SOA or $NS)", tok[0]);
		return 0;
	}
	if (strcmp(tok[0], "$SOA") == 0) {
		rbl_soa(p, s, tok, n);
		return 0;
	}
	if (s->type == RBL_LIST)
		return 0;
	if (strcmp(tok[0], "$NS") == 0 || strcmp(tok[0], "$NAMESERVER") == 0)
		rbl_ns(p, s, tok, n);
	else if (strcmp(tok[0], "$TTL") == 0) {
		if (n != 2 || cfg_parse_rbldnsd_time(tok[1], &ttl) != 0)
			imp_warn(p, "invalid $TTL, ignored");
		else
			imp_meta_set(p, "ttl", "%u", ttl);
	} else if (strcmp(tok[0], "$MAXRANGE4") == 0 && n == 2)
		rbl_maxrange4(p, s, tok[1]);
	else if ((tok[0][1] >= '0' && tok[0][1] <= '9' && tok[0][2] == '\0') ||
	    strcmp(tok[0], "$=") == 0)
		return 0;	/* see rbl_begin() */
	else if (strcmp(tok[0], "$TIMESTAMP") == 0)
		imp_warn(p, "$TIMESTAMP is not supported, ignored");
	else
		imp_warn(p, "invalid or unrecognized special entry '%.32s'",
		    tok[0]);
	return 0;
}

/* ---- TXT texts of the dataset types ------------------------------------ */

/* The reason being built: the text in the daemon's $rbldnsd_txt form,
 * where "$" is the address queried and "$$" a "$". */
struct rbl_out {
	char	*buf;
	size_t	 len, cap;
};

static void
rbl_put(struct rbl_out *o, const char *s, size_t n)
{
	if (n > o->cap - o->len)
		n = o->cap - o->len;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* Literal text: every "$" doubled, so the daemon shows it as is. */
static void
rbl_put_literal(struct rbl_out *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rbl_put(o, s[i] == '$' ? "$$" : s + i, s[i] == '$' ? 2 : 1);
}

/*
 * rbldnsd's substitutions in text t: "$$" is a "$", "$0".."$9" the
 * dataset's variable (kept as written when it has none), "$=" the
 * entry's own text as written (or the address when it has none), and
 * any other "$" the address queried, left for the daemon.
 */
static void
rbl_subst(const struct rbl_state *s, struct rbl_out *o, const char *t,
    size_t n, const char *entry, size_t elen)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		if (t[i] != '$') {
			rbl_put(o, t + i, 1);
			continue;
		}
		c = i + 1 < n ? t[i + 1] : '\0';
		if (c == '$') {
			rbl_put(o, "$$", 2);
			i++;
		} else if (c >= '0' && c <= '9') {
			if (s->has_var[c - '0'])
				rbl_put_literal(o, s->var[c - '0'],
				    strlen(s->var[c - '0']));
			else {
				rbl_put(o, "$$", 2);
				rbl_put(o, &c, 1);
			}
			i++;
		} else if (c == '=') {
			if (entry != NULL && elen > 0)
				rbl_put_literal(o, entry, elen);
			else
				rbl_put(o, "$", 1);
			i++;
		} else
			rbl_put(o, "$", 1);
	}
}

/*
 * The stored text of an entry whose TXT is t (t_len bytes; NULL: none):
 * through the dataset's base template ($=) when it has one and t does
 * not start with "=". Sets *out to s->reason, or to NULL when the entry
 * has no TXT; returns its length.
 */
static size_t
rbl_txt(struct rbl_state *s, const char *t, size_t t_len, const char **out)
{
	struct rbl_out o = { s->reason, 0, sizeof(s->reason) };

	if (t != NULL && t_len > RBL_TXT_MAX)
		t_len = RBL_TXT_MAX;
	if (s->has_base && !(t != NULL && t_len > 0 && t[0] == '='))
		rbl_subst(s, &o, s->base, strlen(s->base), t, t ? t_len : 0);
	else if (t != NULL && t_len > 0 && t[0] == '=' && s->has_base)
		rbl_subst(s, &o, t + 1, t_len - 1, t + 1, t_len - 1);
	else if (t != NULL)
		rbl_subst(s, &o, t, t_len, t, t_len);
	*out = o.len > 0 ? s->reason : NULL;
	return o.len;
}

/* ---- Entries ------------------------------------------------------------ */

/* Is the IPv4 item larger than $MAXRANGE4 allows? Warns if so. */
static int
rbl_too_large(struct imp_parser *p, const struct rbl_state *s,
    const struct imp_item *it, const char *key)
{
	uint64_t n;

	if (s->maxrange4 == 0)
		return 0;
	if (it->is_range)
		n = (uint64_t)rbl_addr_u32(&it->hi) -
		    rbl_addr_u32(&it->lo) + 1;
	else
		n = 1ull << (32 - it->prefix.bits);
	if (n <= s->maxrange4)
		return 0;
	imp_warn(p, "'%.64s' is larger than $MAXRANGE4, skipped", key);
	return 1;
}

/*
 * ip4set: rbldnsd keeps /32, /24, /16 and /8 cells, and the most
 * specific level holding any cell for an address decides, an exclusion
 * winning within a level. Emitting the item as those cells gives the
 * same answers under the store's longest-prefix match: a /20 is 16 /24
 * cells, a range its cells level by level.
 */
static int
rbl_emit_cells(struct imp_parser *p, struct imp_item *it)
{
	struct imp_item c = *it;
	uint64_t lo, hi, size;
	uint32_t k, n;
	int bits, level, rc;

	if (it->is_range) {
		lo = rbl_addr_u32(&it->lo);
		hi = rbl_addr_u32(&it->hi);
	} else {
		lo = rbl_addr_u32(&it->prefix.addr);
		hi = lo + (1ull << (32 - it->prefix.bits)) - 1;
	}
	c.is_range = 0;
	while (lo <= hi) {
		/* The largest aligned block at lo that fits in the range. */
		for (bits = 0; bits < 32; bits++) {
			size = 1ull << (32 - bits);
			if ((lo & (size - 1)) == 0 && lo + size - 1 <= hi)
				break;
		}
		level = bits <= 8 ? 8 : (bits + 7) / 8 * 8;
		n = 1u << (level - bits);
		for (k = 0; k < n; k++) {
			rbl_addr((uint32_t)lo + (k << (32 - level)),
			    &c.prefix.addr);
			c.prefix.bits = (uint8_t)level;
			if ((rc = imp_emit(p, &c)) != 0)
				return rc;
		}
		lo += 1ull << (32 - bits);
	}
	return 0;
}

/* The key of a dataset type: 0 with it filled, or 1 after a warning. */
static int
rbl_typed_key(struct imp_parser *p, struct rbl_state *s, const char *key,
    int excl, struct imp_item *it)
{
	const char *e;
	uint32_t a;
	int rc;

	switch (s->type) {
	case RBL_IP4TSET:
		if (rbl_ip4prefix(key, &a, &e) != 32 || *e != '\0') {
			imp_warn(p, "bad address '%.64s' (ip4tset takes whole "
			    "addresses only)", key);
			return 1;
		}
		rbl_addr(a, &it->prefix.addr);
		it->prefix.bits = 32;
		return 0;
	case RBL_ACL:		/* an ip6trie key, else an ip4trie one */
		if (strchr(key, ':') != NULL)
			return rbl_ip6key_exact(p, RBL_IP6TRIE, key, excl, it);
		/* FALLTHROUGH */
	case RBL_IP4TRIE:
		if (strchr(key, '-') != NULL) {
			imp_warn(p, "bad address '%.64s' (ip4trie takes no "
			    "ranges)", key);
			return 1;
		}
		rc = rbl_ip4key(p, key, it, 1);
		break;
	case RBL_IP4SET:
		rc = rbl_ip4key(p, key, it, 0);
		break;
	default:
		return rbl_ip6key_exact(p, s->type, key, excl, it);
	}
	if (rc == 0 && rbl_too_large(p, s, it, key))
		rc = 1;
	return rc;
}

/* ---- rbldnsd-acl ------------------------------------------------------- */

/* acl_def: the default A and TXT, not an action. */
#define RBL_ACL_VALUE	0xffffffffu

/* rbldnsd's action keywords (any case), after ':' or '=': the code of
 * the action (aclcode.h), or 0 when s is not one. A keyword ends at the
 * end, a ':', a blank or a comment. */
static uint32_t
rbl_acl_keyword(const char *s)
{
	static const struct {
		const char	*name;
		uint32_t	 code;
	} kw[] = {
		{ "ignore", ACLCODE_IGNORE_CODE },
		{ "blackhole", ACLCODE_IGNORE_CODE },
		{ "refuse", ACLCODE_REFUSE_CODE },
		{ "empty", ACLCODE_EMPTY_CODE },
		{ "pass", ACLCODE_PASS_CODE },
	};
	size_t i, n;

	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++) {
		n = strlen(kw[i].name);
		if (strncasecmp(s, kw[i].name, n) == 0 &&
		    strchr(": \t#;", s[n]) != NULL)
			return kw[i].code;
	}
	return 0;
}

/*
 * An acl value: ":keyword" or "=keyword" sets *code to the action's;
 * anything else is an A and TXT value (rbl_value(): ":A:TXT", plain
 * TXT...), which lists every address for the client ("always listed"):
 * then *code is RBL_ACL_VALUE and *v is the value. 0, or 1 after a
 * warning.
 */
static int
rbl_acl_value(struct imp_parser *p, struct rbl_state *s, char *val,
    uint32_t *code, struct rbl_val *v)
{
	if ((*val == ':' || *val == '=') &&
	    (*code = rbl_acl_keyword(val + 1)) != 0)
		return 0;
	if (*val == '=') {
		imp_warn(p, "invalid keyword '%.32s' (ignore blackhole refuse "
		    "empty pass)", val + 1);
		return 1;
	}
	*code = RBL_ACL_VALUE;
	return rbl_value(p, s, val, v);
}

/* A default line of an acl: an action, or the A and TXT of the entries
 * that follow (which then list every address for their clients). */
static int
rbl_acl_default(struct imp_parser *p, struct rbl_state *s, char *line)
{
	uint32_t code;

	if ((*line == ':' || *line == '=') &&
	    (code = rbl_acl_keyword(line + 1)) != 0) {
		s->acl_def = code;
		return 0;
	}
	if (*line == '=') {
		imp_warn(p, "invalid keyword '%.32s' (ignore blackhole refuse "
		    "empty pass)", line + 1);
		return 1;
	}
	s->acl_def = RBL_ACL_VALUE;
	return rbl_default(p, s, line);
}

/*
 * An acl entry's value in rest (or the default action): an action is
 * stored as its code (aclcode.h), "always listed" as the entry's A (when
 * not 127.0.0.2, the source's) and TXT, as for a listing. An A in
 * 0.0.0.0/8 would read as an action: the line is skipped.
 */
static int
rbl_acl_item(struct imp_parser *p, struct rbl_state *s, char *rest,
    struct imp_item *it)
{
	char buf[INET_ADDRSTRLEN];
	struct rbl_val v;
	uint32_t code = s->acl_def != 0 ? s->acl_def : ACLCODE_IGNORE_CODE;
	uint32_t a;
	int rc;

	if (*rest != '\0' &&
	    (rc = rbl_acl_value(p, s, rest, &code, &v)) != 0)
		return rc;
	if (code != RBL_ACL_VALUE) {
		it->flags = STORE_F_CODE;
		it->code = htonl(code);
		return 0;
	}
	if (*rest == '\0' && (rc = rbl_value(p, s, rest, &v)) != 0)
		return rc;
	if (v.a == 0)
		v.a = s->def_a;
	a = v.a != 0 ? ntohl(v.a) : RBL_A2;
	if (aclcode_reserved(a)) {
		inet_ntop(AF_INET, &v.a, buf, sizeof(buf));
		imp_warn(p, "A value %s is reserved in an acl (0.0.0.0/8 "
		    "stores the actions), line skipped", buf);
		return 1;
	}
	if (a != RBL_A2) {
		it->flags = STORE_F_CODE;
		it->code = htonl(a);
	}
	it->reason_len = rbl_txt(s, v.txt, v.txt_len, &it->reason);
	return 0;
}

/* ---- Entries, continued ------------------------------------------------ */

/* The A and TXT an entry of a dataset type gets from rest. */
static int
rbl_typed_value(struct imp_parser *p, struct rbl_state *s, char *rest,
    struct imp_item *it)
{
	struct rbl_val v;
	uint32_t a;
	int rc;

	if (s->type == RBL_ACL)
		return rbl_acl_item(p, s, rest, it);
	if (s->type == RBL_IP4TSET || s->type == RBL_IP6TSET) {
		/* One value for the whole dataset; the entry's is ignored. */
		v.a = s->tdef_a;
		v.txt = s->tdef_has_txt ? s->tdef_txt : NULL;
		v.txt_len = v.txt ? strlen(v.txt) : 0;
	} else if ((rc = rbl_value(p, s, rest, &v)) != 0)
		return rc;
	if (v.a == 0)
		v.a = s->def_a;
	a = v.a != 0 ? ntohl(v.a) : RBL_A2;
	/* The source's code is 127.0.0.2: only others are the entry's. */
	if (a != RBL_A2) {
		it->flags = STORE_F_CODE;
		it->code = htonl(a);
	}
	it->reason_len = rbl_txt(s, v.txt, v.txt_len, &it->reason);
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
	if (s->type != RBL_LIST)
		rc = rbl_typed_key(p, s, key, excl, &it);
	else
		rc = strchr(key, ':') ? rbl_ip6key(p, key, &it) :
		    rbl_ip4key(p, key, &it, 0);
	if (rc != 0)
		return rc;
	rest = imp_trim(line + n);
	if (*rest == '#' || *rest == ';')
		*rest = '\0';		/* a comment: the default value */
	if (excl) {
		s->exclusions++;
		it.flags = STORE_F_EXCLUDE;
	} else if (s->type != RBL_LIST) {
		if ((rc = rbl_typed_value(p, s, rest, &it)) != 0)
			return rc;
	} else {
		if ((rc = rbl_value(p, s, rest, &v)) != 0)
			return rc;
		/* Only an entry's own A is its code; the default line's is
		 * the source's business (see rbl_finish). */
		if (v.a != 0) {
			it.flags = STORE_F_CODE;
			it.code = v.a;
		}
		it.reason = v.txt;
		it.reason_len = v.txt ? v.txt_len : 0;
	}
	if (s->type == RBL_IP4SET)
		return rbl_emit_cells(p, &it);
	return imp_emit(p, &it);
}

/* ---- dnset: domain names ------------------------------------------------ */

/*
 * The name of a dnset key as rbldnsd reads it (its dns_ptodn()): "\c"
 * is c, "\ddd" the byte ddd; empty labels vanish ("a..b." is "a.b"); a
 * label has at most 63 bytes, the name 253. Writes the labels to out
 * (NAME_TEXT_MAX + 1 bytes), "."-separated, and returns its length;
 * 0 when there is no name, -1 when it is not one (rbldnsd's "invalid
 * domain name"), -2 when a label holds a "." (written "\."), which a
 * listing here cannot.
 */
static int
rbl_dn_text(const char *k, char *out)
{
	size_t n = 0, label = 0;
	unsigned c;
	int dot_in_label = 0;

	while ((c = (unsigned char)*k++) != '\0') {
		if (c == '.') {
			if (label > 0 && n < NAME_TEXT_MAX + 1)
				out[n++] = '.';
			label = 0;
			continue;
		}
		if (c == '\\') {
			if ((c = (unsigned char)*k++) == '\0')
				break;
			if (c >= '0' && c <= '9') {
				c -= '0';
				if (*k >= '0' && *k <= '9') {
					c = c * 10 + (unsigned)(*k++ - '0');
					if (*k >= '0' && *k <= '9') {
						c = c * 10 +
						    (unsigned)(*k++ - '0');
						if (c > 255)
							return -1;
					}
				}
			}
			dot_in_label |= c == '.';
		}
		if (++label > 63 || n >= NAME_TEXT_MAX)
			return -1;
		out[n++] = (char)c;
	}
	if (n > 0 && out[n - 1] == '.')
		n--;
	if (dot_in_label)
		return -2;
	return (int)n;
}

/*
 * A dnset line: "name", "*.name" (the names below it), ".name" (it and
 * the names below), each with an optional value, or with excl an
 * exclusion of one of those forms ("!" and blanks already skipped). The
 * name ends at the first blank: "a.example:2:x" is one name, as in
 * rbldnsd. 0 when emitted, 1 after a warning.
 */
static int
rbl_dn_entry(struct imp_parser *p, struct rbl_state *s, char *line,
    int excl)
{
	char text[2 + NAME_TEXT_MAX + 1], *rest, *key = line;
	struct rp_name name;
	struct imp_item it;
	size_t lead = 0;
	int n, rc;

	if (*key == '.')
		lead = 1;
	else if (key[0] == '*' && key[1] == '.')
		lead = 2;
	rest = key + lead + strcspn(key + lead, " \t");
	if (*rest != '\0')
		*rest++ = '\0';
	memcpy(text, key, lead);
	if ((n = rbl_dn_text(key + lead, text + lead)) <= 0 ||
	    name_parse(text, lead + (size_t)n, &name) != 0) {
		if (n == -2 || n > 0)
			imp_warn(p, "domain name '%.64s' with a control byte, "
			    "a blank or an escaped dot: not kept", key);
		else
			imp_warn(p, "invalid domain name '%.64s'", key);
		return 1;
	}
	memset(&it, 0, sizeof(it));
	it.name = &name;
	name_key(&name, &it.prefix);
	rest = imp_trim(rest);
	if (*rest == '#' || *rest == ';')
		*rest = '\0';		/* a comment: the default value */
	if (excl) {
		s->exclusions++;
		it.flags = STORE_F_EXCLUDE;
	} else if ((rc = rbl_typed_value(p, s, rest, &it)) != 0)
		return rc;
	return imp_emit(p, &it);
}

/* Is line a "$" special line ("#$", ";$" and ":$" are too, as in DJB's
 * rbldns files)? Returns where its "$" is, or NULL. */
static char *
rbl_is_special(char *line)
{
	if (*line == '$')
		return line;
	if ((*line == '#' || *line == ';' || *line == ':') && line[1] == '$')
		return line + 1;
	return NULL;
}

/* ---- rbldnsd-combined --------------------------------------------------- */

/* The type called name (the part before any ":label"), or -1. */
static int
rbl_type_of(const char *name)
{
	size_t i, n = strcspn(name, ": \t");

	for (i = 0; i < sizeof(rbl_types) / sizeof(rbl_types[0]); i++)
		if (strlen(rbl_types[i].name) == n &&
		    strncmp(rbl_types[i].name, name, n) == 0)
			return (int)rbl_types[i].type;
	return -1;
}

/* Is sp (at a "$") a "$DATASET" line? */
static int
rbl_is_dataset(const char *sp)
{
	return strncmp(sp, "$DATASET", 8) == 0 &&
	    (sp[8] == ' ' || sp[8] == '\t' || sp[8] == '\0');
}

/*
 * "$DATASET type[:label] subzone...": a new block. Part 0 lists every
 * block (metadata "datasets"); the block being read sets the type its
 * lines are read by, with fresh default values. A type reputed does not
 * read (dnset, generic, acl) fails the import: serving the rest would
 * answer "not listed" for what rbldnsd lists. 0, or -EINVAL.
 */
static int
rbl_dataset_line(struct imp_parser *p, struct rbl_state *s, char *args)
{
	char *tok[40], *save = NULL, *t, item[IMP_META_LEN];
	size_t len;
	int n = 0, i, type;

	for (t = strtok_r(args, " \t", &save); t != NULL && n < 40;
	    t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	s->block++;
	if (n > 0 && strncmp(tok[0], "acl", 3) == 0 &&
	    (tok[0][3] == '\0' || tok[0][3] == ':')) {
		imp_warn(p, "$DATASET %s: dataset type 'acl' cannot be used "
		    "inside combined data (rbldnsd refuses it too)", tok[0]);
		return -EINVAL;
	}
	if (n < 2 || (type = rbl_type_of(tok[0])) < 0) {
		imp_warn(p, "$DATASET %s: %s", n > 0 ? tok[0] : "",
		    n < 2 ? "no subzone" : "a dataset type reputed does not "
		    "read in combined data (ip4set ip4tset ip4trie ip6tset "
		    "ip6trie dnset generic are)");
		return -EINVAL;
	}
	if (s->part == 0) {
		len = (size_t)snprintf(item, sizeof(item), "%s", tok[0]);
		for (i = 1; i < n && len < sizeof(item); i++)
			len += (size_t)snprintf(item + len, sizeof(item) - len,
			    " %s", tok[i]);
		len = strlen(s->datasets);
		snprintf(s->datasets + len, sizeof(s->datasets) - len, "%s%s",
		    len > 0 ? ";" : "", item);
		imp_meta_set(p, "datasets", "%s", s->datasets);
	}
	if (s->block == s->part) {
		s->type = (enum rbl_type)type;
		s->def_a = 0;
		s->def_has_txt = 0;
		s->def_txt_len = 0;
		p->dups = type == RBL_IP4SET || type == RBL_DNSET ?
		    IMP_DUPS_MERGE :
		    type == RBL_IP4TRIE || type == RBL_IP6TRIE ?
		    IMP_DUPS_FIRST : IMP_DUPS_EXCLUDE;
	}
	return 0;
}

/*
 * A line of combined data: 1 when it is to be read as usual (a line of
 * the block being read, of the common section's specials, or a $SOA or
 * $NS anywhere: they are the base zone's), else 0 with *rc set.
 */
static int
rbl_combined_line(struct imp_parser *p, struct rbl_state *s, char *line,
    int *rc)
{
	char *sp = rbl_is_special(line);

	*rc = 0;
	if (sp != NULL && rbl_is_dataset(sp)) {
		*rc = rbl_dataset_line(p, s, sp + 8);
		return 0;
	}
	if (sp != NULL)
		return s->block == 0 || s->block == s->part ||
		    strncmp(sp, "$SOA", 4) == 0 || strncmp(sp, "$NS", 3) == 0;
	if (*line == '#' || *line == ';')
		return 0;
	if (s->block == 0) {
		imp_warn(p, "data before the first $DATASET");
		*rc = -EINVAL;
		return 0;
	}
	return s->block == s->part;
}

static int
rbl_parse_line(struct imp_parser *p, char *line, size_t len)
{
	struct rbl_state *s;
	char *sp;
	int rc;

	(void)len;
	if ((s = imp_state(p, sizeof(*s))) == NULL)
		return -ENOMEM;
	if (s->combined && !rbl_combined_line(p, s, line, &rc))
		return rc;
	/* Default values hold to the end of their file. */
	if (s->def_file != p->file) {
		s->def_file = p->file;
		s->def_a = 0;
		s->def_has_txt = 0;
		s->def_txt_len = 0;
		s->acl_def = 0;
	}
	if ((sp = rbl_is_special(line)) != NULL)
		return rbl_special(p, s, sp);
	if (*line == '#' || *line == ';')
		return 0;
	if (s->type == RBL_GENERIC)	/* every other line is a record */
		return fmt_generic_line(p, line);
	/* "::1" is an address; "=refuse" a default line. */
	if (s->type == RBL_ACL && (*line == '=' ||
	    (*line == ':' && line[1] != ':')))
		return rbl_acl_default(p, s, line);
	if (s->type == RBL_ACL && *line == '!') {
		imp_warn(p, "invalid address '%.64s' (an acl has no "
		    "exclusions)", line);
		return 1;
	}
	if (*line == ':' && !((s->type == RBL_IP6TRIE || s->type == RBL_ACL) &&
	    line[1] == ':')) {
		if (s->type == RBL_IP4TSET || s->type == RBL_IP6TSET) {
			if (line[1] != ':')
				return 0;	/* read by rbl_begin() */
			imp_warn(p, "bad default line '%.64s'", line);
			return 1;
		}
		return rbl_default(p, s, line);
	}
	if (s->type == RBL_DNSET && *line == '!')
		return rbl_dn_entry(p, s, imp_trim(line + 1), 1);
	if (s->type == RBL_DNSET)
		return rbl_dn_entry(p, s, line, 0);
	if (*line == '!') {
		if (s->type == RBL_IP4TSET) {
			imp_warn(p, "ip4tset has no exclusions: '%.64s' "
			    "skipped", line);
			return 1;
		}
		return rbl_entry(p, s, line + 1, 1);
	}
	return rbl_entry(p, s, line, 0);
}

/* ---- Before the first line: what holds for the whole dataset ----------- */

/* One line of rbl_begin()'s scan, trimmed into buf (cut at its size). */
static void
rbl_scan_line(struct rbl_state *s, char *buf)
{
	struct rbl_val v;
	char *sp = rbl_is_special(buf), *text;
	int d;

	if (sp != NULL) {
		if (sp[1] == '=' || (sp[1] >= '0' && sp[1] <= '9')) {
			text = sp + 2 + strspn(sp + 2, " \t");
			if (sp[2] != '\0' && sp[2] != ' ' && sp[2] != '\t')
				return;
			if (sp[1] == '=' && !s->has_base) {
				s->has_base = 1;
				snprintf(s->base, sizeof(s->base), "%s", text);
			} else if (sp[1] != '=' && !s->has_var[sp[1] - '0']) {
				d = sp[1] - '0';
				s->has_var[d] = 1;
				snprintf(s->var[d], sizeof(s->var[d]), "%s",
				    text);
			}
		}
		return;
	}
	if ((s->type != RBL_IP4TSET && s->type != RBL_IP6TSET) ||
	    buf[0] != ':' || buf[1] == ':' || s->tdef_a != 0 ||
	    s->tdef_has_txt)
		return;
	if (rbl_value(NULL, s, buf, &v) != 0)
		return;
	s->tdef_a = v.a != 0 ? v.a : htonl(RBL_A2);
	if ((s->tdef_has_txt = v.txt != NULL))
		snprintf(s->tdef_txt, sizeof(s->tdef_txt), "%.*s",
		    (int)v.txt_len, v.txt);
}

/*
 * rbldnsd substitutes "$1".."$9" and applies the base template "$=" at
 * query time, so their first definition holds for every entry of the
 * dataset, before or after it; ip4tset and ip6tset have one value, the
 * first default line's. Read those before the first line.
 */
static int
rbl_begin_type(struct imp_parser *p, const struct imp_input *in, size_t n,
    enum rbl_type type)
{
	struct rbl_state *s;
	char buf[IMP_REASON_MAX];
	const char *l, *end, *nl;
	size_t i, k;

	unsigned block = 0;
	char *sp;
	int t;

	if ((s = imp_state(p, sizeof(*s))) == NULL)
		return -ENOMEM;
	s->type = type;
	s->combined = type == RBL_COMBINED;
	s->part = p->flags >> IMP_F_PART_SHIFT;
	for (i = 0; i < n; i++) {
		end = in[i].body + in[i].len;
		for (l = in[i].body; l < end; l = nl + 1) {
			if ((nl = memchr(l, '\n', (size_t)(end - l))) == NULL)
				nl = end;
			while (l < nl && (*l == ' ' || *l == '\t'))
				l++;
			if (l == nl || (*l != '$' && *l != ':' && *l != '#' &&
			    *l != ';'))
				continue;
			k = (size_t)(nl - l);
			if (k >= sizeof(buf))
				k = sizeof(buf) - 1;
			memcpy(buf, l, k);
			buf[k] = '\0';
			sp = rbl_is_special(imp_trim(buf));
			/* Combined: the common section and the block read
			 * (its type says whether it has one value). */
			if (s->combined && sp != NULL && rbl_is_dataset(sp)) {
				block++;
				t = rbl_type_of(sp + 8 + strspn(sp + 8, " \t"));
				s->type = block == s->part && t >= 0 ?
				    (enum rbl_type)t : RBL_COMBINED;
				continue;
			}
			if (s->combined && block != 0 && block != s->part)
				continue;
			rbl_scan_line(s, imp_trim(buf));
		}
	}
	s->type = type;
	/* The text scanned was rbl_value()'s default: forget it. */
	s->def_has_txt = 0;
	s->def_txt_len = 0;
	return 0;
}

#define RBL_BEGIN(name, type)						\
static int								\
name(struct imp_parser *p, const struct imp_input *in, size_t n)	\
{									\
	return rbl_begin_type(p, in, n, type);				\
}
RBL_BEGIN(rbl_begin_ip4set, RBL_IP4SET)
RBL_BEGIN(rbl_begin_ip4tset, RBL_IP4TSET)
RBL_BEGIN(rbl_begin_ip4trie, RBL_IP4TRIE)
RBL_BEGIN(rbl_begin_ip6tset, RBL_IP6TSET)
RBL_BEGIN(rbl_begin_ip6trie, RBL_IP6TRIE)
RBL_BEGIN(rbl_begin_dnset, RBL_DNSET)
RBL_BEGIN(rbl_begin_generic, RBL_GENERIC)
RBL_BEGIN(rbl_begin_combined, RBL_COMBINED)
RBL_BEGIN(rbl_begin_acl, RBL_ACL)

static int
rbl_finish(struct imp_parser *p, int aborted, char *err, size_t errlen)
{
	struct rbl_state *s = p->state;
	char buf[INET_ADDRSTRLEN];

	if (aborted || s == NULL)
		return 0;
	if (s->combined && s->part > s->block) {
		snprintf(err, errlen, "%s: no $DATASET block %u (%u in the "
		    "data)", p->path, s->part, s->block);
		return -EINVAL;
	}
	imp_meta_set(p, "exclusions", "%zu", s->exclusions);
	/*
	 * A default A other than rbldnsd's own is not forced on every
	 * entry: the source's code (config or catalog) answers, as for
	 * every other list, so an operator's "code =" still works. Say
	 * what the data wanted. (The dataset types do apply it.)
	 */
	if (s->def_a_other && s->type == RBL_LIST) {
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

/* The dataset types: every entry gets its A (the source's code is
 * 127.0.0.2) and its TXT for the daemon's "$rbldnsd_txt" template. */
#define RBL_TYPE_FORMAT(var, fname, begin_fn, dups_rule)		\
const struct imp_format var = {						\
	.name		= fname,					\
	.parse_line	= rbl_parse_line,				\
	.finish		= rbl_finish,					\
	.begin		= begin_fn,					\
	.empty_ok	= 1,						\
	.dups		= dups_rule,					\
};
/* An ip4set cell answers every value given for it, an exclusion
 * winning; a trie keeps the first line of a prefix, even against a
 * later exclusion; a tset has one value. */
RBL_TYPE_FORMAT(fmt_rbldnsd_ip4set, "rbldnsd-ip4set", rbl_begin_ip4set,
    IMP_DUPS_MERGE)
RBL_TYPE_FORMAT(fmt_rbldnsd_ip4tset, "rbldnsd-ip4tset", rbl_begin_ip4tset,
    IMP_DUPS_EXCLUDE)
RBL_TYPE_FORMAT(fmt_rbldnsd_ip4trie, "rbldnsd-ip4trie", rbl_begin_ip4trie,
    IMP_DUPS_FIRST)
RBL_TYPE_FORMAT(fmt_rbldnsd_ip6tset, "rbldnsd-ip6tset", rbl_begin_ip6tset,
    IMP_DUPS_EXCLUDE)
RBL_TYPE_FORMAT(fmt_rbldnsd_ip6trie, "rbldnsd-ip6trie", rbl_begin_ip6trie,
    IMP_DUPS_FIRST)
/* A dnset name answers every value given for it (as an ip4set cell),
 * an exclusion of the same form winning. */
RBL_TYPE_FORMAT(fmt_rbldnsd_dnset, "rbldnsd-dnset", rbl_begin_dnset,
    IMP_DUPS_MERGE)
/* generic: no entries, the zone's records (imp_stats.records). */
RBL_TYPE_FORMAT(fmt_rbldnsd_generic, "rbldnsd-generic", rbl_begin_generic,
    IMP_DUPS_EXCLUDE)
/* combined: part N of the import (reputed-import --part N) is the N-th
 * $DATASET block, read by its type; part 0 is the common section, which
 * lists the blocks in the metadata "datasets". */
RBL_TYPE_FORMAT(fmt_rbldnsd_combined, "rbldnsd-combined", rbl_begin_combined,
    IMP_DUPS_EXCLUDE)
/* acl: a client ACL (ip4trie and ip6trie keys; the first line of a
 * prefix wins), each entry's action stored as its code (aclcode.h). */
RBL_TYPE_FORMAT(fmt_rbldnsd_acl, "rbldnsd-acl", rbl_begin_acl,
    IMP_DUPS_FIRST)
