/* fmt_plain.c -- "plain": one address, CIDR or range A-B per line. */
#include <string.h>

#include "formats.h"

/* Longest token quoted back in a warning. */
#define PLAIN_QUOTE	64

/* Parse the address token into it. 0, or >0 after a warning. */
static int
plain_parse_addr(struct imp_parser *p, const char *tok, struct imp_item *it)
{
	char buf[RP_CIDR_STRLEN];
	int host_bits;

	if (strchr(tok, '-') != NULL) {
		if (cidr_parse_range(tok, &it->lo, &it->hi) != 0) {
			imp_warn(p, "bad range '%.*s'", PLAIN_QUOTE, tok);
			return 1;
		}
		it->is_range = 1;
		return 0;
	}
	if (cidr_parse(tok, &it->prefix, &host_bits) != 0) {
		imp_warn(p, "bad address '%.*s'", PLAIN_QUOTE, tok);
		return 1;
	}
	/* Lists do carry "10.1.2.3/24"; mean the network, but say so. */
	if (host_bits)
		imp_warn(p, "host bits set in '%.*s', using %s", PLAIN_QUOTE,
		    tok, cidr_str(&it->prefix, buf));
	return 0;
}

/* The reason is what follows the address, minus one comment marker:
 * "1.10.16.0/20 ; SBL256894" -> "SBL256894", "1.2.3.4<TAB>7" -> "7". */
static const char *
plain_reason(char *rest, int after_marker)
{
	rest += strspn(rest, " \t");
	if (!after_marker && (*rest == ';' || *rest == '#')) {
		rest++;
		rest += strspn(rest, " \t");
	}
	return rest;
}

static int
plain_parse_line(struct imp_parser *p, char *line, size_t len)
{
	struct imp_item it;
	char *end, sep;
	int rc;

	(void)len;
	if (*line == '#' || *line == ';')
		return 0;
	memset(&it, 0, sizeof(it));
	end = line + strcspn(line, " \t;#");
	sep = *end;
	*end = '\0';
	if ((rc = plain_parse_addr(p, line, &it)) != 0)
		return rc;
	if (sep != '\0') {
		it.reason = plain_reason(end + 1, sep == ';' || sep == '#');
		it.reason_len = strlen(it.reason);
	}
	return imp_emit(p, &it);
}

const struct imp_format fmt_plain = {
	.name		= "plain",
	/* returns 0 stored, >0 skipped with a warning, <0 abort the import */
	.parse_line	= plain_parse_line,
};
