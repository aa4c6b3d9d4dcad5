/* name.c -- domain-name listings: parse, print, key. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ldns/sha2.h>

#include "name.h"

/* A byte a label may hold: not the separator, a blank or a control
 * byte (ISO-8859-1 and other high bytes pass, as rbldnsd keeps them). */
static int
name_byte_ok(unsigned char ch)
{
	return ch > ' ' && ch != '.' && ch != 0x7f;
}

/* Copy the labels of s[0, len) to out lower-cased, checking them. */
static int
name_copy(const char *s, size_t len, struct rp_name *out)
{
	size_t i, label = 0;
	unsigned char ch;

	if (len == 0 || len > NAME_TEXT_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if (ch == '.') {
			if (label == 0)
				return -EINVAL;
			label = 0;
		} else if (!name_byte_ok(ch) || ++label > 63) {
			return -EINVAL;
		}
		out->text[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
	}
	if (label == 0)
		return -EINVAL;
	out->text[len] = '\0';
	out->len = (uint8_t)len;
	return 0;
}

int
name_parse(const char *s, size_t len, struct rp_name *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = NAME_EXACT;
	if (len >= 2 && s[0] == '*' && s[1] == '.') {
		out->kind = NAME_BELOW;
		s += 2;
		len -= 2;
	} else if (len >= 1 && s[0] == '.') {
		out->kind = NAME_TREE;
		s++;
		len--;
	}
	if (len > 1 && s[len - 1] == '.')
		len--;
	return name_copy(s, len, out);
}

char *
name_str(const struct rp_name *n, char *buf)
{
	const char *lead = n->kind == NAME_BELOW ? "*." :
	    n->kind == NAME_TREE ? "." : "";

	snprintf(buf, NAME_STRLEN, "%s%.*s", lead, (int)n->len, n->text);
	return buf;
}

void
name_key_of(unsigned kind, const char *text, size_t len,
    struct rp_cidr *out)
{
	unsigned char in[1 + NAME_TEXT_MAX], digest[LDNS_SHA256_DIGEST_LENGTH];

	if (len > NAME_TEXT_MAX)
		len = NAME_TEXT_MAX;
	in[0] = (unsigned char)kind;
	memcpy(in + 1, text, len);
	ldns_sha256(in, (unsigned int)(1 + len), digest);
	memset(out, 0, sizeof(*out));
	out->addr.family = RP_AF_NAME;
	memcpy(out->addr.bytes, digest, sizeof(out->addr.bytes));
	out->bits = 128;
}

void
name_key(const struct rp_name *n, struct rp_cidr *out)
{
	name_key_of(n->kind, n->text, n->len, out);
}
