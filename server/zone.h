/* zone.h -- the zone table: which configured zone a query name is in, and
 * what the labels below that zone's apex mean (RFC 5782 query names). */
#ifndef REPUTED_ZONE_H
#define REPUTED_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "config.h"

/* A domain name on the wire: at most 255 bytes, so at most 127 labels. */
#define ZONE_NAME_MAX	255
#define ZONE_LABELS_MAX	127

/*
 * A query name in wire form, lower-cased (ASCII only), with where each
 * label starts: label 0 is the leftmost, off[nlabels] is the root byte.
 */
struct zone_qname {
	uint8_t		wire[ZONE_NAME_MAX];
	uint8_t		off[ZONE_LABELS_MAX + 1];
	size_t		len;		/* bytes, the root byte included */
	unsigned	nlabels;	/* the root not counted */
};

/*
 * Read the uncompressed name at msg[pos] (msg is len bytes) into *qn.
 * A compression pointer, a label type other than 0 (a length > 63), a
 * name longer than 255 bytes or one running past len is -EBADMSG.
 * On success *end (may be NULL) is the offset just past the name.
 */
int	zone_qname_parse(struct zone_qname *qn, const uint8_t *msg, size_t len,
	    size_t pos, size_t *end);

/*
 * Write the text name s ("a.example.org", the final dot optional, "" or
 * "." for the root; no escapes) to out in wire form, as written (case
 * kept). 0 with *len set, or -EINVAL (empty label, label > 63, > 255).
 */
int	zone_name_to_wire(const char *s, uint8_t out[ZONE_NAME_MAX],
	    size_t *len);

/* What a query name is, relative to the zone that holds it. */
enum zone_kind {
	ZONE_APEX,	/* the zone name itself */
	ZONE_ADDR,	/* d.c.b.a or 32 nibbles: an address to look up */
	ZONE_ABOVE,	/* 1-3 octet or 1-31 nibble labels: a name above
			 * possible listings (an empty non-terminal) */
	ZONE_OTHER	/* anything else: no such name */
};

struct zone_match {
	const struct cfg_zone	*zone;
	size_t			 index;		/* of zone in cfg->zones */
	unsigned		 zlabels;	/* labels of the zone name */
	enum zone_kind		 kind;
	/*
	 * ZONE_ADDR only. above: the name is also above possible IPv6
	 * listings (four single-digit labels are also four nibbles), so
	 * an unlisted address is NODATA, not NXDOMAIN (RFC 8020).
	 */
	int			 above;
	struct rp_addr		 addr;
};

struct zone_table;

/*
 * Build the table of cfg's zones (cfg must outlive it). 0 with *out
 * yours (zone_table_free() it), -ENOMEM, or -EINVAL for a zone name
 * that is not a valid DNS name.
 */
int	zone_table_new(struct zone_table **out, const struct cfg *cfg);
void	zone_table_free(struct zone_table *zt);	/* accepts NULL */

/*
 * Find the most specific zone holding qn (qn is lower case, so the match
 * ignores case) and classify the labels below its apex: IPv4 is exactly
 * 4 labels d.c.b.a, each 0-255 in decimal without leading zeros ("0" is
 * fine, "00" and "02" are not); IPv6 is exactly 32 one-hex-digit labels,
 * least significant nibble first (RFC 5782 2.4). 0 with *m filled, or
 * -ENOENT when no configured zone holds qn.
 */
int	zone_find(const struct zone_table *zt, const struct zone_qname *qn,
	    struct zone_match *m);

/*
 * The labels of qn below its zone's apex (the first nlabels - zlabels),
 * as text joined by dots, lower case, without a final dot: the name a
 * domain list (rbldnsd dnset) is asked about. Into buf (cap bytes, NUL
 * added) with *len set; -EINVAL when there are none or a label holds a
 * byte no listed name can (a dot, a blank, a control byte), -ENOSPC when
 * it does not fit.
 */
int	zone_qname_below(const struct zone_qname *qn, unsigned zlabels,
	    char *buf, size_t cap, size_t *len);

#endif
