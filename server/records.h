/* records.h -- the zones' static records (record = in [zone], config.h)
 * in wire form, found by name for query.c without allocating. Built
 * with the query engine; read on the loop thread only. */
#ifndef REPUTED_RECORDS_H
#define REPUTED_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "zone.h"

/* One RR, ready to write after an owner: its type, TTL and RDATA. The
 * RRs of a name come sorted by type; equal ones are given once, and the
 * RRs of one type share the least TTL among them (RFC 2181 5.2). */
struct records_rr {
	uint16_t	 type;
	uint16_t	 rdlen;
	uint32_t	 ttl;
	const uint8_t	*rdata;		/* MX names are not compressed */
};

/* The records of one name; n is 0 for a name that has none of its own
 * but is above one that has (an empty non-terminal, RFC 8020). */
struct records_set {
	const struct records_rr	*rr;
	size_t			 n;
};

struct records;

/*
 * The records of every zone of cfg (which must outlive them; a record
 * without a TTL takes its zone's ttl). 0 with *out yours
 * (records_free() it), -ENOMEM, or -EINVAL for a record that does not
 * make a DNS name under its zone.
 */
int	records_new(struct records **out, const struct cfg *cfg);
void	records_free(struct records *rs);	/* accepts NULL */

/*
 * The records at qn (lower case, as zone_qname_parse() gives it), a
 * name of cfg->zones[zone], whose name has zlabels labels: 0 with *set
 * filled, or -ENOENT when the name neither has records nor is above a
 * name that has. Costs a comparison or two for a zone without records
 * below its apex.
 */
int	records_find(const struct records *rs, size_t zone,
	    const struct zone_qname *qn, unsigned zlabels,
	    struct records_set *set);

/* Does any zone have records? */
int	records_any(const struct records *rs);

#endif
