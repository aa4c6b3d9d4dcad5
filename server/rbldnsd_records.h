/* rbldnsd_records.h -- `reputed --rbldnsd`: the records of rbldnsd's
 * generic datasets, as reputed-import --print-meta hands them over
 * ("record" lines, reputed's record syntax), kept per source and
 * written per zone as a records file of the generated configuration. */
#ifndef REPUTED_RBLDNSD_RECORDS_H
#define REPUTED_RBLDNSD_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The records of each source whose last good import had any. */
struct rbldnsd_recset;
struct rbldnsd_records {
	struct rbldnsd_recset	*v;
	size_t			 n;
	char			*pending;	/* of the import running */
	size_t			 plen, pcap;
};

/* rbldnsd's TTL rules (-t): 0 is def, others held in min..max (0: no
 * limit), then cut at limit (what a reputed record takes). */
struct rbldnsd_ttl {
	uint32_t	def, min, max, limit;
};

/* The value of a "meta\tSOURCE\trecord\tVALUE" line of the importer,
 * or NULL for another line. */
const char *rbldnsd_records_meta(const char *line);

/* An import starts: forget what a previous one left pending. */
void	rbldnsd_records_begin(struct rbldnsd_records *t);

/* One "record" value the import printed: "OWNER TTL TYPE VALUE". */
void	rbldnsd_records_line(struct rbldnsd_records *t, const char *line);

/* The import of source ended: when ok, its records are the ones just
 * read (none if it printed none); else what it had stays. */
void	rbldnsd_records_end(struct rbldnsd_records *t, const char *source,
	    int ok);

/*
 * The records of the zone's sources (n of them, in order) as the zone
 * zone's records file dir/zINDEX.records, written when its content
 * changed, with the TTLs ttl says; writes the [zone] keys that name it
 * to conf ("records =", and a comment with a checksum, so that a change
 * of the records changes the configuration). Nothing when the sources
 * have no records. A record whose owner is too long under zone is left
 * out with a warning. 0, or -1 when the file cannot be written (then
 * conf names no file).
 */
int	rbldnsd_records_zone(const struct rbldnsd_records *t,
	    const char *const *sources, size_t n, const char *zone,
	    size_t index, const char *dir, const struct rbldnsd_ttl *ttl,
	    FILE *conf);

void	rbldnsd_records_fini(struct rbldnsd_records *t);

#endif
