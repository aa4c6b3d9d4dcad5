/* fmt_spamhaus_asndrop.c -- Spamhaus ASN-DROP NDJSON: {"asn":932,...} rows. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fmt_spamhaus_json.h"

struct asndrop_state {
	struct fmt_shjson	frame;		/* first: the shared checks */
};

/* "AS932 XNNET (xn.net, US)": the number, the name, then what else the
 * row says, leaving out what it does not. */
static void
asndrop_reason(const json_t *o, uint32_t asn, char *buf, size_t size)
{
	const char *name = fmt_shjson_str(o, "asname");
	const char *domain = fmt_shjson_str(o, "domain");
	const char *cc = fmt_shjson_str(o, "cc");
	size_t n;

	n = (size_t)snprintf(buf, size, "AS%u", asn);
	if (name != NULL && *name != '\0' && n < size)
		n += (size_t)snprintf(buf + n, size - n, " %s", name);
	if (domain != NULL && *domain == '\0')
		domain = NULL;
	if (cc != NULL && *cc == '\0')
		cc = NULL;
	if ((domain != NULL || cc != NULL) && n < size)
		snprintf(buf + n, size - n, " (%s%s%s)", domain ? domain : "",
		    domain && cc ? ", " : "", cc ? cc : "");
}

/* An ASN listing: family RP_AF_ASN, the number big-endian, bits 32. */
static int
asndrop_emit(struct imp_parser *p, const json_t *o)
{
	const json_t *v = json_object_get(o, "asn");
	char asn[16], reason[256];
	struct imp_item it;
	json_int_t n;

	if (!json_is_integer(v) || (n = json_integer_value(v)) < 0 ||
	    n > (json_int_t)UINT32_MAX) {
		imp_warn(p, "data row without an \"asn\" number");
		return 1;
	}
	memset(&it, 0, sizeof(it));
	snprintf(asn, sizeof(asn), "AS%u", (uint32_t)n);
	if (cidr_parse_asn(asn, &it.prefix) != 0) {
		imp_warn(p, "bad ASN %s", asn);
		return 1;
	}
	asndrop_reason(o, (uint32_t)n, reason, sizeof(reason));
	it.reason = reason;
	it.reason_len = strlen(reason);
	return imp_emit(p, &it);
}

static int
asndrop_parse_line(struct imp_parser *p, char *line, size_t len)
{
	struct asndrop_state *s;
	json_t *o;
	int rc;

	if ((s = imp_state(p, sizeof(*s))) == NULL)
		return -ENOMEM;
	if ((rc = fmt_shjson_line(p, &s->frame, line, len, &o)) != 0 ||
	    o == NULL)
		return rc;
	rc = asndrop_emit(p, o);
	json_decref(o);
	return rc;
}

static int
asndrop_finish(struct imp_parser *p, int aborted, char *err, size_t errlen)
{
	struct asndrop_state *s = p->state;
	int rc;

	if (aborted)
		return 0;
	if ((rc = fmt_shjson_finish(p, s ? &s->frame : NULL, err,
	    errlen)) != 0)
		return rc;
	/* Until the GeoIP work maps ASNs to prefixes, a listing is only
	 * something to count and explain: say so, not serve nothing
	 * silently. */
	if (p->items > 0)
		imp_notice(p, "%zu ASN listings are stored and explained, but "
		    "no prefixes are served for them until a GeoIP ASN "
		    "database is configured", p->items);
	return 0;
}

/* NDJSON whose first row names an "asn". */
static int
asndrop_sniff(const char *body, size_t len)
{
	const char *line;
	size_t n;

	return imp_head_first_line(body, len, &line, &n) == 0 &&
	    line[0] == '{' && memmem(line, n, "\"asn\"", 5) != NULL;
}

const struct imp_format fmt_spamhaus_asndrop = {
	.name		= "spamhaus-asndrop",
	/* returns 0 stored, >0 skipped with a warning, <0 abort the import */
	.parse_line	= asndrop_parse_line,
	.finish		= asndrop_finish,
	.sniff		= asndrop_sniff,
};
