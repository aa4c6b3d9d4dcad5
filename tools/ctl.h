/* ctl.h -- reputectl's insides: the context every command gets, the types
 * shared by its commands, and the helpers more than one file uses. Each
 * command is one ctl_<command>() in its own file; main() in reputectl.c
 * parses the arguments and dispatches. One thread only. */
#ifndef REPUTED_CTL_H
#define REPUTED_CTL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "answer.h"
#include "cidr.h"
#include "config.h"
#include "geo.h"
#include "name.h"
#include "store.h"

#define CTL_TIME_LEN		20	/* "YYYY-MM-DD HH:MM:SS" and NUL */
#define CTL_ORG_LEN		256	/* an AS organisation and its NUL */
/* An entry's text: "!" and a prefix or a listed name ("*.x"), NUL. */
#define CTL_PREFIX_LEN		(1 + NAME_STRLEN)
/* What query and explain of a name return when no zone or source has
 * domain-name data: the operand is then no name they take. */
#define CTL_NOT_NAME		(-1)

/* Exit codes, as grep's: 0 listed or fine, 1 not listed or problems. */
enum ctl_exit {
	CTL_OK = 0,
	CTL_NO = 1,
	CTL_ERR = 2
};

/* Everything a command needs; main() owns it. */
struct ctl {
	const char	*conf;
	int		 json;
	const char	*source;	/* list, report: --source */
	const char	*reason;	/* list: --reason */
	const char	*expires;	/* list add: --expires */
	const char	*top;		/* report: --top */
	int		 argc;		/* the command and its operands */
	char	       **argv;
	int64_t		 now;
	struct cfg	*cfg;
	struct store	*st;
	struct geo	*geo;		/* NULL: no [geoip] configured */
};

/* One source as reputectl shows it: configured, in the store, or both. */
struct ctl_source {
	const char		*name;
	const struct cfg_source	*cfg;		/* NULL: only in the store */
	int			 in_store;
	struct store_source	 st;
};

/* Every zone asked about and its answer, in configuration order. */
struct ctl_answers {
	const struct cfg_zone	**zones;
	struct answer		 *ans;
	size_t			  n;
	int			  listed;	/* by any zone */
};

/* Entries covering an address, widest first; the last one wins. */
struct ctl_covering {
	struct store_entry	*e;
	size_t			 n;
	size_t			 cap;
};

enum ctl_geo_kind {
	CTL_GEO_ASN,
	CTL_GEO_COUNTRY
};

/* What the geo databases say about one address (explain). */
struct ctl_geo {
	int		 asn_rc;	/* 0 found, -ENOENT not in the DB */
	uint32_t	 asn;
	char		 org[CTL_ORG_LEN];
	struct rp_cidr	 asn_net;	/* the database's network */
	int		 cc_rc;
	char		 cc[3];
	struct rp_cidr	 cc_net;
};

/*
 * Maps addresses to an ASN or a country, remembering the last network
 * found: a source's entries come in address order, so most fall in the
 * network of the one before and cost no database lookup.
 */
struct ctl_geo_map {
	struct geo	*geo;
	int		 kind;		/* enum ctl_geo_kind */
	int		 valid;		/* key, name and net hold a result */
	uint32_t	 key;		/* the ASN, or the country's letters */
	char		 name[CTL_ORG_LEN];	/* organisation or code */
	struct rp_cidr	 net;
};

/*
 * The commands (ctl_query.c, ctl_explain.c, ctl_sources.c, ctl_list.c,
 * ctl_report.c, ctl_check.c, ctl_stats.c). Each takes the operands in
 * ctl->argv (argv[0] is the command's name, their count checked by
 * main()), prints its result on stdout and its errors with log_warnx(),
 * and returns its exit code: CTL_OK, CTL_NO or CTL_ERR. What they open
 * into ctl (st, geo) is closed by main().
 */
int	ctl_query(struct ctl *ctl);
int	ctl_explain(struct ctl *ctl);
int	ctl_sources(struct ctl *ctl);
int	ctl_list(struct ctl *ctl);
int	ctl_report(struct ctl *ctl);
/* check loads the configuration itself and reports on stdout. */
int	ctl_check(struct ctl *ctl);
int	ctl_stats(struct ctl *ctl);

/* ---- ctl_print.c: text and JSON output ---------------------------------- */

/* t as "YYYY-MM-DD HH:MM:SS" UTC in buf (CTL_TIME_LEN bytes), or none
 * when t is 0 (never); returns the one used. */
const char	*ctl_time(int64_t t, const char *none, char *buf);
/* An A value (network order) as a dotted quad in buf
 * (INET_ADDRSTRLEN bytes). */
const char	*ctl_code(uint32_t code, char *buf);
/* Print s as a DNS presentation character-string: "...", \" \\ \DDD. */
void		 ctl_put_quoted(FILE *f, const char *s, size_t len);
/* New JSON values (NULL when out of memory): text from the store, which
 * need not be UTF-8 nor NUL-terminated (other bytes become '?'); a time
 * as ctl_time() has it, or null for 0; an A value; a prefix. */
json_t		*ctl_json_text(const char *s, size_t len);
json_t		*ctl_json_time(int64_t t);
json_t		*ctl_json_code(uint32_t code);
json_t		*ctl_json_prefix(const struct rp_cidr *c);
/* Print root on stdout and free it; root NULL (building it failed) is
 * logged. 0, -ENOMEM (root NULL) or -EIO. */
int		 ctl_json_print(json_t *root);

/* ---- ctl_open.c: the configuration, the store, the geo databases -------- */

/* Load -c FILE into ctl->cfg; every problem has been printed on err
 * when this fails (<0). */
int	ctl_load_config(struct ctl *ctl, FILE *err);
/* Name the store if reading its map faults (a damaged file). */
void	ctl_guard(const struct store *st, const char *path);
/* Say why store_open() failed; st is what it left in *out, if any. */
void	ctl_store_error(const char *path, const struct store *st, int rc);
/* Open the configured store into ctl->st with store_open()'s flags;
 * 0, or <0 with the reason printed. */
int	ctl_open_store(struct ctl *ctl, unsigned flags);
/* Open the store read-only and begin a read transaction in *t (the
 * caller aborts it); 0, or <0 with the reason printed. */
int	ctl_read_txn(struct ctl *ctl, struct store_txn **t);
/* Open the [geoip] databases into ctl->geo. None configured is fine:
 * ctl->geo stays NULL. 0, or <0 with the reason printed. */
int	ctl_open_geo(struct ctl *ctl);

/* ---- ctl_sources.c ------------------------------------------------------ */

/*
 * Every source: the configured ones in configuration order, then those
 * only the store knows, by name. *out is malloc'd: free() it. Names
 * point into the configuration or into *out itself. 0 or <0.
 */
int	ctl_sources_collect(struct ctl *ctl, struct store_txn *t,
	    struct ctl_source **out, size_t *n);

/* ---- ctl_query.c: what the zones answer --------------------------------- */

/* An address operand into a; 0, or -EINVAL (said why). */
int	ctl_parse_ip(const char *s, struct rp_addr *a);
/* The answer of zone (or of every zone when NULL) for address a into r:
 * 0 (ctl_answers_free() r), or <0. */
int	ctl_answers(struct ctl *ctl, struct store_txn *t,
	    const struct rp_addr *a, const struct cfg_zone *zone,
	    struct ctl_answers *r);
void	ctl_answers_free(struct ctl_answers *r);
/* Room in r for the answers of n zones, and *actx ready for ctl->cfg
 * and ctl->geo: 0 (ctl_answers_free() r), or -ENOMEM. */
int	ctl_answers_init(struct ctl *ctl, size_t n, struct ctl_answers *r,
	    struct answer_ctx *actx);
/* One line per zone, each after indent:
 * "bl.example.org: 127.0.0.2 "Listed by drop: SBL123"". */
void	ctl_answers_print(const struct ctl_answers *r, const char *indent);
/* The zones' answers as a new JSON array. */
json_t	*ctl_answers_json(const struct ctl_answers *r);

/* ---- ctl_explain.c: entries and verdicts -------------------------------- */

/* A store_entry_covering() callback appending e to the ctl_covering arg;
 * 0 or -ENOMEM. */
int	ctl_covering_add(const struct store_entry *e, void *arg);
/* "192.0.2.0/24", or "!192.0.2.0/24" for an exclusion (a name listing:
 * "*.x", "!*.x"); buf has CTL_PREFIX_LEN bytes. */
const char *ctl_entry_prefix(const struct store_entry *e, char *buf);
/* One line on what a source says (cov holds its covering entries):
 * into buf, returned; or one word for JSON. */
const char *ctl_verdict(const struct ctl_source *s,
	    const struct ctl_covering *cov, char *buf, size_t len);
const char *ctl_verdict_json(const struct ctl_source *s,
	    const struct ctl_covering *cov);
/* Print, or append to jentries when not NULL, every covering entry and
 * its history. 0 or <0. */
int	ctl_explain_entries(const struct ctl *ctl, struct store_txn *t,
	    const struct ctl_source *s, const struct ctl_covering *cov,
	    json_t *jentries);
/* The closing line: which of the n sources list what (ip) when
 * listed[i], or none. */
void	ctl_explain_summary(const char *ip, const struct ctl_source *s,
	    const char *listed, size_t n);
/* The names of the listed[i] sources, as a new JSON array. */
json_t	*ctl_explain_listed_json(const struct ctl_source *s,
	    const char *listed, size_t n);

/* ---- ctl_geo.c: ASNs, countries and the neighbourhood ------------------- */

/* Map a to its ASN or country (m->kind) into m; 0, -ENOENT (not in the
 * database), or another code. */
int	ctl_geo_map(struct ctl_geo_map *m, const struct rp_addr *a);
/* What ctl->geo says of a into g (-ENOENT for what it lacks). */
void	ctl_geo_lookup(struct ctl *ctl, const struct rp_addr *a,
	    struct ctl_geo *g);
/* Whether source id lists an ASN or a country (kind, key: the ASN, or
 * the country's two letters as a number) itself, not excluded, into
 * *out. 0 or <0. */
int	ctl_lists_whole(struct store_txn *t, uint16_t id, int kind,
	    uint32_t key, int *out);
/* The geo lines and the neighbourhood of a for explain: printed, or into
 * *jgeo and *jnear (both set, also on error, when ctl->json). 0 or <0. */
int	ctl_explain_geo(struct ctl *ctl, struct store_txn *t,
	    const struct rp_addr *a, const struct ctl_source *s, size_t ns,
	    const struct ctl_geo *g, json_t **jgeo, json_t **jnear);
/* Put the source's listings of g's country and ASN first in cov, as its
 * widest entries. 0 or <0. */
int	ctl_covering_geo(struct store_txn *t, const struct ctl_source *s,
	    const struct ctl_geo *g, struct ctl_covering *cov);

/* ---- ctl_name.c: domain names (rbldnsd dnset sources) ------------------- */

/* A domain-name operand ("x.example", a final dot dropped), lower case.
 * 0, or -EINVAL (nothing logged). */
int	ctl_parse_name(const char *s, struct rp_name *q);
/* query NAME [ZONE] and explain NAME: CTL_NOT_NAME when no zone (no
 * source) has domain-name data, else CTL_OK, CTL_NO or CTL_ERR. */
int	ctl_query_name(struct ctl *ctl, const struct cfg_zone *zone,
	    const struct rp_name *q);
int	ctl_explain_name(struct ctl *ctl, const struct rp_name *q);

#endif
