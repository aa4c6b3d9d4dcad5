/* config.h -- the one INI configuration file read by all three programs. */
#ifndef REPUTED_CONFIG_H
#define REPUTED_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cidr.h"

#define CFG_MAX_LISTEN	16
#define CFG_MAX_ZONE_SOURCES	64
#define CFG_MAX_NS	8
#define CFG_MAX_PREFIXES	64	/* in one allow, deny... list */
#define CFG_NAME_MAX	63	/* a source name: [A-Za-z0-9_.-]+ */
#define CFG_DNAME_MAX	253	/* a DNS name, no final dot */
#define CFG_REFRESH_MIN	300	/* seconds, the least refresh */
#define CFG_BACKOFF_MAX	86400	/* seconds, the longest back-off step */
#define CFG_CATALOG_NAME	"catalog.ini"

/* Where the catalog of public lists is installed; the Makefile may set
 * it to $(PREFIX)/share/reputed. */
#ifndef REPUTED_DATADIR
#define REPUTED_DATADIR	"/usr/local/share/reputed"
#endif

/* A list of address prefixes (allow, deny, rate-limit-exempt); n may be
 * 0: an empty list. */
struct cfg_prefixes {
	struct rp_cidr	*v;
	size_t		 n;
};

/* [server] */
struct cfg_server {
	char	*listen[CFG_MAX_LISTEN];	/* "addr:port", "[v6]:port" */
	size_t	 nlisten;
	char	*database;		/* LMDB environment directory */
	char	*user;			/* run user after binding, or NULL */
	uint32_t tcp_clients;		/* concurrent TCP connections */
	int64_t	 tcp_idle_timeout;	/* seconds a TCP client may idle */
	uint32_t tcp_clients_per_ip;	/* of one address (IPv6: /64) */
	int64_t	 tcp_timeout;		/* seconds a connection may live */
	uint32_t tcp_max_queries;	/* answered per connection; 0: any */
	uint32_t rate_limit;		/* identical answers/s; 0: off */
	uint32_t rate_limit_slip;	/* every Nth drop sent TC=1; 0: none */
	struct cfg_prefixes rate_limit_exempt;
	struct cfg_prefixes allow;	/* empty: everyone not denied */
	struct cfg_prefixes deny;
	char	*chroot;		/* directory to chroot to, or NULL */
	char	*contact;		/* operator e-mail or URL, or NULL */
	char	*catalog_file;		/* as set (absolute), or NULL */
	int64_t	 fetch_timeout;		/* seconds, sources' default */
	uint64_t max_size;		/* bytes, sources' default */
	char	*metrics;		/* HTTP /metrics "addr:port", or NULL */
	char	*control_socket;	/* as set (absolute), or NULL:
					 * control.sock in database (ctlsock.h) */
	char	*client_acl;		/* the source every zone's clients
					 * are looked up in (aclcode.h), or
					 * NULL */
	char	*query_log;		/* rbldnsd's -l: absolute, "-" for
					 * standard output, or NULL */
	int	 query_log_flush;	/* write each line at once */
	char	*stats_file;		/* rbldnsd's -s: absolute, or NULL */
	int64_t	 stats_file_interval;	/* seconds between lines; 0: only
					 * at start and stop */
	int	 stats_file_deltas;	/* a line counts since the last */
};

/* [source NAME] */
struct cfg_source {
	char		*name;
	char		*url;		/* NULL: a manual source */
	char		*format;	/* "plain" */
	int64_t		 refresh;	/* seconds between two fetches */
	uint32_t	 code;		/* IPv4 A value, network byte order */
	char		*txt;		/* TXT template, see template.h */
	int64_t		 expire;	/* seconds; 0: remove when vanished */
	char		*catalog;	/* the catalog list it is, or NULL */
	int64_t		 min_refresh;	/* the provider's (catalog), or 0 */
	int		 contact_required; /* the provider wants a contact */
	int64_t		 fetch_timeout;	/* seconds, the whole transfer */
	uint64_t	 max_size;	/* bytes of body, after gzip */
	double		 max_rejected;	/* percent of the lines */
	double		 max_shrink;	/* percent of the entries */
	uint32_t	 max_prefix4;	/* no IPv4 entry shorter than this */
	uint32_t	 max_prefix6;	/* nor IPv6 */
	int		 strict_cidr;	/* reject "10.1.2.3/24" (rbldnsd) */
	unsigned	 line;		/* where the section starts */
};

/* [geoip]: MaxMind-format databases (geo.h); absolute paths, or NULL. */
struct cfg_geoip {
	char		*asn_db;	/* GeoLite2-ASN, DB-IP ASN lite... */
	char		*country_db;	/* GeoLite2-Country or -City... */
	unsigned	 line;		/* of [geoip], 0 if none */
};

/* What a zone answers (its type key). */
enum cfg_zone_type {
	CFG_ZONE_DNSBL = 0,	/* "dnsbl": addresses its sources list */
	CFG_ZONE_ASN		/* "asn": "ASN | network | CC | organisation"
				 * of any address (needs asn-db) */
};

/*
 * A static record of a zone: "OWNER [TTL] [IN] TYPE VALUE" (a record =
 * line, or a line of a records file), see config_record.c. OWNER is
 * relative to the zone ("@" the apex); TYPE is A, AAAA, TXT or MX.
 */
#define CFG_RR_A	1
#define CFG_RR_MX	15
#define CFG_RR_TXT	16
#define CFG_RR_AAAA	28
#define CFG_RECORD_TXT_MAX	255	/* one character-string */
#define CFG_MAX_RECORDS	65536	/* of one zone */

struct cfg_record {
	char		*owner;		/* lower case, no final dot; "" is
					 * the apex */
	uint16_t	 type;		/* CFG_RR_* (the DNS type) */
	int		 has_ttl;	/* else the zone's ttl */
	uint32_t	 ttl;		/* seconds, at most 604800 */
	uint16_t	 pref;		/* MX preference */
	uint8_t		 addr[16];	/* A: 4 bytes, AAAA: 16 */
	char		*data;		/* TXT: the text, len bytes (any but
					 * NUL); MX: the host as written, no
					 * final dot ("" the root) */
	size_t		 len;
	unsigned	 line;		/* of the record = key, or of the
					 * records file */
};

/* [zone NAME] */
struct cfg_zone {
	char		*name;		/* lower case, no trailing dot */
	enum cfg_zone_type type;
	char		*sources[CFG_MAX_ZONE_SOURCES];
	size_t		 nsources;
	uint32_t	 ttl;
	char		*soa_mname;	/* primary name server */
	char		*soa_rname;	/* mailbox, DNS form */
	char		*ns[CFG_MAX_NS];
	size_t		 nns;
	/* The SOA's own TTL, the NS RRset's, and the negative one (also
	 * the SOA MINIMUM): 0 means ttl. The SOA's other timers. */
	uint32_t	 soa_ttl, ns_ttl, negative_ttl;
	uint32_t	 soa_refresh, soa_retry, soa_expire;
	/* Who may query it, after [server]'s lists. */
	struct cfg_prefixes allow, deny;
	/* The source its clients are looked up in (an rbldnsd acl,
	 * aclcode.h), or NULL. */
	char		*client_acl;
	/* Its static records (record = ..., records = FILE), in order. */
	struct cfg_record *records;
	size_t		 nrecords;
	char		*records_file;	/* absolute, or NULL */
	unsigned	 line;
};

struct cfg {
	char			*path;
	struct cfg_server	 server;
	struct cfg_source	*sources;
	size_t			 nsources;
	struct cfg_zone		*zones;
	size_t			 nzones;
	struct cfg_geoip	 geoip;
};

/*
 * Read and validate path. On success (0) *out is yours: cfg_free() it.
 * On failure (-EINVAL, or -errno when the file cannot be read), every
 * problem has been written to err as one "file:line: message" line and
 * *out is NULL. A relative database path (the store's, and [geoip]'s) is
 * taken relative to the directory of the configuration file, and so is
 * the path of a url written "file:PATH" (no "//"), stored as an absolute
 * "file:///PATH". err may be NULL.
 */
int	cfg_load(struct cfg **out, const char *path, FILE *err);
void	cfg_free(struct cfg *cfg);

/* Find a source or a zone by name; NULL when there is none. */
const struct cfg_source	*cfg_source_find(const struct cfg *cfg,
			    const char *name);
const struct cfg_zone	*cfg_zone_find(const struct cfg *cfg,
			    const char *name);

/*
 * When src is next due for a fetch, given its stored status: refresh
 * after the last attempt (less a tolerance of refresh/20, at most 5
 * minutes, for timer jitter), doubled per consecutive failure after
 * the first (up to CFG_BACKOFF_MAX, or refresh if longer), never
 * before min_refresh (or CFG_REFRESH_MIN) has passed, nor before
 * retry_after. A source never tried (last_attempt 0) is due at once:
 * the result is 0 then.
 */
int64_t	cfg_source_next_fetch(const struct cfg_source *src,
	    int64_t last_attempt, uint32_t failures, int64_t retry_after);

/*
 * The catalog of known public lists: an INI file of [list NAME]
 * sections (catalog/catalog.ini). A [source] with "catalog = NAME"
 * takes every key the list sets and the source does not, as if written
 * in the source (cfg_load() does that merge).
 */
struct cfg_kv {				/* one source key of a list */
	char		*key;
	char		*val;
	unsigned	 line;
};

struct cfg_list {
	char		*name;
	char		*provider;
	char		*description;
	char		*terms;		/* terms of use, licence */
	int64_t		 min_refresh;	/* seconds; 0: none */
	int		 contact_required;
	struct cfg_source src;		/* its source keys, with defaults */
	struct cfg_kv	*kv;		/* the source keys as written */
	size_t		 nkv;
	unsigned	 line;
};

struct cfg_catalog {
	char		*path;
	struct cfg_list	*lists;
	size_t		 nlists;
};

/*
 * Read the catalog at path. 0 with *out yours (cfg_catalog_free() it);
 * else -EINVAL or -errno with every problem written to err (may be
 * NULL) as "file:line: message", and *out NULL.
 */
int	cfg_catalog_load(struct cfg_catalog **out, const char *path,
	    FILE *err);
void	cfg_catalog_free(struct cfg_catalog *cat);	/* accepts NULL */
const struct cfg_list *cfg_catalog_find(const struct cfg_catalog *cat,
	    const char *name);

/*
 * The catalog file to read: cfg's catalog-file if cfg (may be NULL)
 * sets one; else the source tree's catalog/catalog.ini when the running
 * program is in a build directory of it (EXEDIR/../catalog/catalog.ini);
 * else REPUTED_DATADIR/catalog.ini. 0 with the path in buf (the last
 * candidate if none exists), -ENAMETOOLONG if it does not fit.
 */
int	cfg_catalog_path(const struct cfg *cfg, char *buf, size_t len);

/*
 * Parse one static record "OWNER [TTL] [IN] TYPE VALUE" (s: one line,
 * NUL-terminated) into *r: 0 with r->owner and r->data yours
 * (cfg_record_fini() them), -EINVAL with *why set (a fixed string), or
 * -ENOMEM. A TXT value is the rest of the line, without one pair of
 * double quotes around it; no escapes.
 */
int	cfg_record_parse(const char *s, struct cfg_record *r,
	    const char **why);
void	cfg_record_fini(struct cfg_record *r);	/* r may be zeroed */

/*
 * Add r to z (r's strings move to z; r is zeroed): 0, -ENOMEM, -E2BIG
 * when z has CFG_MAX_RECORDS already, or -ENAMETOOLONG when the owner
 * under z's name is longer than a DNS name.
 */
int	cfg_zone_add_record(struct cfg_zone *z, struct cfg_record *r);

/*
 * Read the records file at path into z: one record a line, blank lines
 * and lines starting with '#' or ';' skipped. 0; -EINVAL with *line and
 * *why set on the first bad line (nothing added); -errno when it
 * cannot be read; -ENOMEM.
 */
int	cfg_records_read(struct cfg_zone *z, const char *path,
	    unsigned *line, const char **why);
void	cfg_zone_records_free(struct cfg_zone *z);

/* Parse "90", "45s", "30m", "12h", "7d", "2w" into seconds. 0 or -EINVAL. */
int	cfg_parse_duration(const char *s, int64_t *out);

/* rbldnsd's time syntax: digits with an optional unit (s m h d w),
 * possibly several ("1h30m"), at most 2^32-1 seconds. 0 or -1. Shared by
 * the rbldnsd data format and `reputed --rbldnsd`'s -t and -c options. */
int	cfg_parse_rbldnsd_time(const char *s, uint32_t *out);

/* Print seconds back in the largest exact unit ("12h"). */
char	*cfg_duration_str(int64_t secs, char *buf, size_t len);

/* Parse "4096", "512k", "256M", "1G" (binary multiples) into bytes.
 * 0 or -EINVAL. */
int	cfg_parse_size(const char *s, uint64_t *out);

/* Print bytes back in the largest exact unit ("256M"). */
char	*cfg_size_str(uint64_t bytes, char *buf, size_t len);

#endif
