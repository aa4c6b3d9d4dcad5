/* cidr.h -- IPv4/IPv6 addresses, prefixes and ranges: parse, mask, print. */
#ifndef REPUTED_CIDR_H
#define REPUTED_CIDR_H

#include <stddef.h>
#include <stdint.h>

#define RP_AF_ASN	1	/* an autonomous system number, not an address */
#define RP_AF_COUNTRY	2	/* a country code, not an address */
#define RP_AF_NAME	3	/* a domain-name listing's key (name.h) */
#define RP_AF_INET	4
#define RP_AF_INET6	6

/* An address in network byte order; IPv4 uses bytes[0..3], the rest is 0.
 * An ASN (RP_AF_ASN) is held the same way, as 4 big-endian bytes, and as a
 * prefix always has bits 32: sources can list whole networks by number.
 * A country (RP_AF_COUNTRY) is its two upper-case ISO 3166 letters in
 * bytes[0..1], and as a prefix has bits 16: sources can list countries.
 * A domain name (RP_AF_NAME) is a digest of the name (name_key()), bits
 * 128: the entry record holds the name itself. */
struct rp_addr {
	uint8_t	family;		/* RP_AF_INET or RP_AF_INET6 */
	uint8_t	bytes[16];
};

/* A prefix: addr with every bit past bits cleared. */
struct rp_cidr {
	struct rp_addr	addr;
	uint8_t		bits;	/* 0..32 or 0..128 */
};

/* Longest text of an address or a prefix, NUL included. */
#define RP_CIDR_STRLEN	(46 + 4)

/* Address width in bits of a family (32 for IPv4, ASNs and countries,
 * 128 for IPv6 and names). */
unsigned	cidr_family_bits(unsigned family);

/* Parse one address ("192.0.2.1", "2001:db8::1"). 0 or -EINVAL. */
int	cidr_parse_addr(const char *s, struct rp_addr *a);

/* Parse "AS64496" (case-insensitive; an ASN listing, bits 32). */
int	cidr_parse_asn(const char *s, struct rp_cidr *c);

/* Parse "CC:XX", two ASCII letters (case-insensitive, kept upper case; a
 * country listing, bits 16). 0 or -EINVAL. */
int	cidr_parse_country(const char *s, struct rp_cidr *c);

/* The listing prefix of an ASN, and of a country (two letters, either
 * case; 0 or -EINVAL). */
void	cidr_from_asn(uint32_t asn, struct rp_cidr *c);
int	cidr_from_country(const char cc[2], struct rp_cidr *c);

/* Whatever a source may list: "AS64496", "CC:XX", or as cidr_parse()
 * (then *had_host_bits, may be NULL, as there; else 0). 0 or -EINVAL. */
int	cidr_parse_listing(const char *s, struct rp_cidr *c,
	    int *had_host_bits);

/* Parse "ADDR" (a host prefix) or "ADDR/LEN". Host bits past LEN are
 * cleared; *had_host_bits (may be NULL) says whether any were set.
 * 0 or -EINVAL. */
int	cidr_parse(const char *s, struct rp_cidr *c, int *had_host_bits);

/* Parse "A-B" (two full addresses of one family, A <= B). 0 or -EINVAL. */
int	cidr_parse_range(const char *s, struct rp_addr *lo, struct rp_addr *hi);

/* Split [lo, hi] into the minimal list of prefixes, in address order.
 * Calls fn for each; stops and returns fn's value if it is non-zero. */
int	cidr_range_split(const struct rp_addr *lo, const struct rp_addr *hi,
	    int (*fn)(const struct rp_cidr *, void *), void *arg);

/* Clear the bits of a past bits. */
void	cidr_mask(struct rp_addr *a, unsigned bits);

/* First and last address of a prefix. */
void	cidr_first(const struct rp_cidr *c, struct rp_addr *out);
void	cidr_last(const struct rp_cidr *c, struct rp_addr *out);

/* Does prefix c contain address a (same family)? */
int	cidr_contains(const struct rp_cidr *c, const struct rp_addr *a);

/* Order of addresses: family first (IPv4 before IPv6), then numerically.
 * <0, 0, >0 like memcmp. */
int	cidr_addr_cmp(const struct rp_addr *a, const struct rp_addr *b);

/* a + 1 within its family; returns -ERANGE if a is the last address. */
int	cidr_addr_next(struct rp_addr *a);

/* Text forms into buf (RP_CIDR_STRLEN bytes); a host prefix prints with
 * its length ("192.0.2.1/32"), an ASN as "AS64496", a country as "CC:XX"
 * (both without a length), a name key as "name#" and 16 hex digits (the
 * name is in its entry: print that where there is one). Return buf. */
char	*cidr_addr_str(const struct rp_addr *a, char *buf);
char	*cidr_str(const struct rp_cidr *c, char *buf);

#endif
