/* name.h -- domain-name listings (RHSBL, rbldnsd's dnset): their three
 * forms, their text, and the store key that stands for each. */
#ifndef REPUTED_NAME_H
#define REPUTED_NAME_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"

/* A listed name: lower case, relative to the zone, no final dot. */
#define NAME_TEXT_MAX	253
/* Longest text form ("*." + name) and its NUL. */
#define NAME_STRLEN	(NAME_TEXT_MAX + 3)

/* What a name listing covers (rbldnsd's three forms). */
enum name_kind {
	NAME_EXACT = 1,		/* "x": the name x only */
	NAME_BELOW = 2,		/* "*.x": every name below x, not x */
	NAME_TREE = 3		/* ".x": x and every name below it */
};

struct rp_name {
	uint8_t	kind;			/* enum name_kind */
	uint8_t	len;			/* of text */
	char	text[NAME_TEXT_MAX + 1];	/* NUL-terminated */
};

/*
 * Parse a listing "x", "*.x" or ".x" (len bytes, no NUL needed): ASCII
 * letters are folded to lower case, one final dot is dropped, labels are
 * 1-63 bytes of anything but '.', blanks and control bytes, and the name
 * at most 253 bytes. 0 or -EINVAL.
 */
int	name_parse(const char *s, size_t len, struct rp_name *out);

/* Text form of n into buf (NAME_STRLEN bytes): "x", "*.x" or ".x". */
char	*name_str(const struct rp_name *n, char *buf);

/*
 * The store key of a name listing: a prefix of family RP_AF_NAME whose
 * 16 bytes are the head of SHA-256 over the kind and the text, bits 128.
 * The entry record keeps the name itself (store.h), so a lookup checks
 * the text and a collision can only miss, never list a wrong name.
 */
void	name_key(const struct rp_name *n, struct rp_cidr *out);

/* The same for kind and text (len bytes, already lower case). */
void	name_key_of(unsigned kind, const char *text, size_t len,
	    struct rp_cidr *out);

#endif
