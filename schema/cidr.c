/* cidr.c -- address, prefix and range parsing and arithmetic. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"

unsigned
cidr_family_bits(unsigned family)
{
	return family == RP_AF_INET6 || family == RP_AF_NAME ? 128 : 32;
}

int
cidr_parse_asn(const char *s, struct rp_cidr *c)
{
	unsigned long v;
	char *end;

	if ((s[0] != 'A' && s[0] != 'a') || (s[1] != 'S' && s[1] != 's') ||
	    s[2] < '0' || s[2] > '9' || strlen(s) > 12)
		return -EINVAL;
	v = strtoul(s + 2, &end, 10);
	if (*end != '\0' || v > 0xffffffffUL)
		return -EINVAL;
	cidr_from_asn((uint32_t)v, c);
	return 0;
}

void
cidr_from_asn(uint32_t asn, struct rp_cidr *c)
{
	memset(c, 0, sizeof(*c));
	c->addr.family = RP_AF_ASN;
	c->addr.bytes[0] = (uint8_t)(asn >> 24);
	c->addr.bytes[1] = (uint8_t)(asn >> 16);
	c->addr.bytes[2] = (uint8_t)(asn >> 8);
	c->addr.bytes[3] = (uint8_t)asn;
	c->bits = 32;
}

static int
cidr_upper_letter(char ch, uint8_t *out)
{
	if (ch >= 'a' && ch <= 'z')
		ch = (char)(ch - 'a' + 'A');
	if (ch < 'A' || ch > 'Z')
		return -EINVAL;
	*out = (uint8_t)ch;
	return 0;
}

int
cidr_from_country(const char cc[2], struct rp_cidr *c)
{
	uint8_t a, b;

	if (cidr_upper_letter(cc[0], &a) != 0 ||
	    cidr_upper_letter(cc[1], &b) != 0)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->addr.family = RP_AF_COUNTRY;
	c->addr.bytes[0] = a;
	c->addr.bytes[1] = b;
	c->bits = 16;
	return 0;
}

int
cidr_parse_country(const char *s, struct rp_cidr *c)
{
	if ((s[0] != 'C' && s[0] != 'c') || (s[1] != 'C' && s[1] != 'c') ||
	    s[2] != ':' || strlen(s) != 5)
		return -EINVAL;
	return cidr_from_country(s + 3, c);
}

/* "AS.." and "CC:XX" are never addresses: an IPv6 address has no 's',
 * and "cc:de" has two groups without "::". So the order is free. */
int
cidr_parse_listing(const char *s, struct rp_cidr *c, int *had_host_bits)
{
	if (had_host_bits != NULL)
		*had_host_bits = 0;
	if (cidr_parse_asn(s, c) == 0 || cidr_parse_country(s, c) == 0)
		return 0;
	return cidr_parse(s, c, had_host_bits);
}

int
cidr_parse_addr(const char *s, struct rp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, a->bytes) != 1)
			return -EINVAL;
		a->family = RP_AF_INET6;
		return 0;
	}
	/* inet_pton refuses the shorthands inet_aton takes ("10.1"). */
	if (inet_pton(AF_INET, s, a->bytes) != 1)
		return -EINVAL;
	a->family = RP_AF_INET;
	return 0;
}

static int
parse_bits(const char *s, unsigned max, unsigned *bits)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9' || strlen(s) > 3)
		return -EINVAL;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > max)
		return -EINVAL;
	*bits = (unsigned)v;
	return 0;
}

int
cidr_parse(const char *s, struct rp_cidr *c, int *had_host_bits)
{
	char buf[RP_CIDR_STRLEN + 8];
	char *slash;
	unsigned bits;
	struct rp_addr masked;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (cidr_parse_addr(buf, &c->addr) != 0)
		return -EINVAL;
	bits = cidr_family_bits(c->addr.family);
	if (slash != NULL && parse_bits(slash, bits, &bits) != 0)
		return -EINVAL;
	c->bits = (uint8_t)bits;
	masked = c->addr;
	cidr_mask(&masked, bits);
	if (had_host_bits != NULL)
		*had_host_bits = memcmp(&masked, &c->addr, sizeof(masked)) != 0;
	c->addr = masked;
	return 0;
}

int
cidr_parse_range(const char *s, struct rp_addr *lo, struct rp_addr *hi)
{
	char buf[2 * RP_CIDR_STRLEN];
	char *dash;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	if ((dash = strchr(buf, '-')) == NULL)
		return -EINVAL;
	*dash++ = '\0';
	if (cidr_parse_addr(buf, lo) != 0 || cidr_parse_addr(dash, hi) != 0)
		return -EINVAL;
	if (lo->family != hi->family || cidr_addr_cmp(lo, hi) > 0)
		return -EINVAL;
	return 0;
}

void
cidr_mask(struct rp_addr *a, unsigned bits)
{
	unsigned nbytes = cidr_family_bits(a->family) / 8;
	unsigned i;

	for (i = 0; i < nbytes; i++) {
		if (bits >= 8 * (i + 1))
			continue;
		if (bits <= 8 * i)
			a->bytes[i] = 0;
		else
			a->bytes[i] &= (uint8_t)(0xff << (8 - (bits - 8 * i)));
	}
}

void
cidr_first(const struct rp_cidr *c, struct rp_addr *out)
{
	*out = c->addr;
	cidr_mask(out, c->bits);
}

void
cidr_last(const struct rp_cidr *c, struct rp_addr *out)
{
	unsigned nbytes = cidr_family_bits(c->addr.family) / 8;
	unsigned i, bits = c->bits;

	*out = c->addr;
	for (i = 0; i < nbytes; i++) {
		if (bits >= 8 * (i + 1))
			continue;
		if (bits <= 8 * i)
			out->bytes[i] = 0xff;
		else
			out->bytes[i] |= (uint8_t)(0xff >> (bits - 8 * i));
	}
}

int
cidr_contains(const struct rp_cidr *c, const struct rp_addr *a)
{
	struct rp_addr m;

	if (a->family != c->addr.family)
		return 0;
	m = *a;
	cidr_mask(&m, c->bits);
	return memcmp(m.bytes, c->addr.bytes, sizeof(m.bytes)) == 0;
}

int
cidr_addr_cmp(const struct rp_addr *a, const struct rp_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->bytes, b->bytes, sizeof(a->bytes));
}

int
cidr_addr_next(struct rp_addr *a)
{
	int i = (int)cidr_family_bits(a->family) / 8 - 1;

	for (; i >= 0; i--) {
		if (++a->bytes[i] != 0)
			return 0;
	}
	/* Wrapped: every byte is 0 again; restore the last address. */
	memset(a->bytes, 0xff, cidr_family_bits(a->family) / 8);
	return -ERANGE;
}

/* Number of trailing zero bits of a, capped at the family width. */
static unsigned
trailing_zero_bits(const struct rp_addr *a)
{
	int nbytes = (int)cidr_family_bits(a->family) / 8;
	unsigned n = 0;
	int i;

	for (i = nbytes - 1; i >= 0; i--) {
		if (a->bytes[i] == 0) {
			n += 8;
			continue;
		}
		n += (unsigned)__builtin_ctz(a->bytes[i]);
		break;
	}
	return n;
}

int
cidr_range_split(const struct rp_addr *lo, const struct rp_addr *hi,
    int (*fn)(const struct rp_cidr *, void *), void *arg)
{
	unsigned width = cidr_family_bits(lo->family);
	struct rp_addr cur = *lo, last;
	struct rp_cidr c;
	unsigned host;
	int rc;

	for (;;) {
		/* The largest block aligned at cur that does not pass hi. */
		host = trailing_zero_bits(&cur);
		for (;;) {
			c.addr = cur;
			c.bits = (uint8_t)(width - host);
			cidr_last(&c, &last);
			if (cidr_addr_cmp(&last, hi) <= 0)
				break;
			host--;
		}
		if ((rc = fn(&c, arg)) != 0)
			return rc;
		if (cidr_addr_cmp(&last, hi) == 0)
			return 0;
		cur = last;
		if (cidr_addr_next(&cur) != 0)
			return 0;
	}
}

char *
cidr_addr_str(const struct rp_addr *a, char *buf)
{
	if (a->family == RP_AF_ASN) {
		snprintf(buf, RP_CIDR_STRLEN, "AS%u",
		    (unsigned)a->bytes[0] << 24 | (unsigned)a->bytes[1] << 16 |
		    (unsigned)a->bytes[2] << 8 | a->bytes[3]);
		return buf;
	}
	if (a->family == RP_AF_COUNTRY) {
		snprintf(buf, RP_CIDR_STRLEN, "CC:%c%c", a->bytes[0],
		    a->bytes[1]);
		return buf;
	}
	if (a->family == RP_AF_NAME) {
		snprintf(buf, RP_CIDR_STRLEN, "name#%02x%02x%02x%02x%02x%02x"
		    "%02x%02x", a->bytes[0], a->bytes[1], a->bytes[2],
		    a->bytes[3], a->bytes[4], a->bytes[5], a->bytes[6],
		    a->bytes[7]);
		return buf;
	}
	if (inet_ntop(a->family == RP_AF_INET ? AF_INET : AF_INET6, a->bytes,
	    buf, RP_CIDR_STRLEN) == NULL)
		strcpy(buf, "?");
	return buf;
}

char *
cidr_str(const struct rp_cidr *c, char *buf)
{
	size_t len;

	cidr_addr_str(&c->addr, buf);
	if (c->addr.family == RP_AF_ASN || c->addr.family == RP_AF_COUNTRY ||
	    c->addr.family == RP_AF_NAME)
		return buf;
	len = strlen(buf);
	snprintf(buf + len, RP_CIDR_STRLEN - len, "/%u", c->bits);
	return buf;
}
