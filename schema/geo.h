/* geo.h -- the autonomous system and country of an address, from
 * MaxMind-format databases (GeoLite2-ASN, GeoLite2-Country or -City, DB-IP
 * lite, any .mmdb with the same fields) read with libmaxminddb. Used by
 * the DNS daemon on its loop thread and by reputectl. A handle belongs to
 * one thread; only geo_reload_prepare(), which reads and writes nothing
 * but its reload, may run on another (the daemon's worker thread). */
#ifndef REPUTED_GEO_H
#define REPUTED_GEO_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"

struct geo;

/* The two databases a handle holds, each optional. */
enum geo_role {
	GEO_ASN,	/* autonomous_system_number, _organization */
	GEO_COUNTRY	/* country.iso_code (or registered_country's) */
};

/*
 * Open the ASN database asn_db and the country database country_db
 * (either may be NULL: that lookup then finds nothing). Each must open,
 * be of a database_type that fits its role (an ASN database: "ASN" or
 * "ISP" in the type; a country one: "Country", "City" or "Enterprise"),
 * and pass a check of its whole search tree and of every data record it
 * points to, so that a corrupt file is refused here and never served.
 * 0 with *out yours (geo_close() it); else a negative code, *out NULL,
 * and err (errlen bytes, may be 0) says which file and why: -ENOENT,
 * -EACCES... (cannot read), -EMEDIUMTYPE (wrong type), -EILSEQ (corrupt
 * or not a MaxMind database), -ENOMEM.
 */
int	geo_open(struct geo **out, const char *asn_db, const char *country_db,
	    char *err, size_t errlen);
void	geo_close(struct geo *g);		/* accepts NULL */

/* Is a database of this role open? */
int	geo_has(const struct geo *g, enum geo_role role);

/*
 * The autonomous system of a: its number, its organisation (org, orglen
 * bytes, NUL-terminated, "" when the database has none; org may be NULL)
 * and the database's network holding a (network may be NULL; an IPv4
 * address gets an IPv4 network even from an IPv6 database). 0 found,
 * -ENOENT when the database has no ASN for a (or no ASN database is
 * open), -EILSEQ when the data is corrupt, another negative code on error.
 */
int	geo_asn(struct geo *g, const struct rp_addr *a, uint32_t *asn,
	    char *org, size_t orglen, struct rp_cidr *network);

/* The country of a as two upper-case letters and a NUL, from country,
 * else registered_country; network as for geo_asn(). Same results. */
int	geo_country(struct geo *g, const struct rp_addr *a, char cc[3],
	    struct rp_cidr *network);

/* Longest origin text: one DNS character-string and its NUL. */
#define GEO_ORIGIN_LEN	256

/*
 * The Team Cymru style origin of a: "15169 | 8.8.8.0/24 | US | GOOGLE",
 * that is ASN, the ASN database's network, country (empty without a
 * country database or when it has none for a), organisation, cut at
 * GEO_ORIGIN_LEN - 1 bytes. 0, -ENOENT (no ASN for a), or an error.
 */
int	geo_origin(struct geo *g, const struct rp_addr *a,
	    char txt[GEO_ORIGIN_LEN]);

/*
 * Pick up databases replaced on disk, in three steps so that the slow one
 * (opening and checking a new file: 80-170 ms for a 16 MB ASN database)
 * can run off the thread that answers queries:
 *
 *	geo_reload_check()	on g's thread: stat() each open database's
 *				file (device, inode, size, mtime)
 *	geo_reload_prepare()	on any thread: open and check the new files
 *	geo_reload_apply()	on g's thread: swap them in
 *
 * A file that fails is not tried again until it changes once more; the
 * old database keeps serving meanwhile and after.
 */
struct geo_reload;

/*
 * Has a database's file changed, or gone (a database stays mapped when
 * its file goes: that is said once)? 0: nothing to do, *out NULL. 1 with
 * *out yours: geo_reload_prepare() it, geo_reload_apply() it to g, then
 * geo_reload_free() it. -ENOMEM: try again later. Cheap: a stat() per
 * database, nothing read. g may be NULL (nothing to do).
 */
int	geo_reload_check(struct geo *g, struct geo_reload **out);

/* Open and check the new files of rl as geo_open() does, into rl alone:
 * it reads no handle, so g may be used (or closed) meanwhile on its own
 * thread. Failures are kept in rl for geo_reload_apply(). */
void	geo_reload_prepare(struct geo_reload *rl);

/*
 * Swap the good new databases of rl into g (the g it was checked from),
 * closing the ones they replace: no lookup may be under way, and what
 * geo_db_info() lent is gone. Returns how many were replaced (0 also
 * when rl was not prepared), or a negative code with err (errlen bytes,
 * may be 0) saying which file failed and why ("; " between two); the
 * other may have been replaced all the same. rl is still yours.
 */
int	geo_reload_apply(struct geo *g, struct geo_reload *rl, char *err,
	    size_t errlen);

/* Free rl, closing the new databases it still holds. Accepts NULL. */
void	geo_reload_free(struct geo_reload *rl);

/* The three steps at once, on g's thread (which waits for the open and
 * check): geo_reload_apply()'s results, or -ENOMEM. */
int	geo_reload_if_changed(struct geo *g, char *err, size_t errlen);

/* What one open database is, for logs, reputectl and benchmarks. */
struct geo_db_info {
	const char	*path;		/* as given to geo_open() */
	const char	*type;		/* metadata database_type */
	uint64_t	 build_epoch;	/* Unix seconds */
	unsigned	 ip_version;	/* 4 or 6 */
	uint32_t	 node_count;
	size_t		 mapped;	/* bytes of the file mapped */
};

/* 0 with *out filled (borrowed until geo_close() or a geo_reload_apply()
 * that replaces the database), or -ENOENT when no database of that role
 * is open. */
int	geo_db_info(const struct geo *g, enum geo_role role,
	    struct geo_db_info *out);

/* Bytes mapped by every open database: their memory cost. */
size_t	geo_mapped_size(const struct geo *g);

/* Text for a negative code returned by a geo_ function. */
const char *geo_strerror(int rc);

#endif
