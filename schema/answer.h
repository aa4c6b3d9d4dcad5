/* answer.h -- what the DNS daemon answers for an address in a zone. */
#ifndef REPUTED_ANSWER_H
#define REPUTED_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "config.h"
#include "geo.h"
#include "name.h"
#include "store.h"

/* A zone answers from at most this many sources, so nothing overflows. */
#define ANSWER_MAX	CFG_MAX_ZONE_SOURCES
/* One DNS character-string (255 bytes) and its NUL. */
#define ANSWER_TXT_LEN	256

/* The TXT text of the RFC 5782 test point 127.0.0.2 / ::ffff:7f00:2. */
#define ANSWER_TEST_TXT	"RFC 5782 test point"

/*
 * Maps store source ids to configured sources for one struct cfg,
 * learning each id on first use. Ids are never reused for another
 * name, so one context serves every transaction while cfg lives.
 * answer_ctx_init() cannot fail; answer_ctx_fini() frees the table.
 *
 * geo (NULL after init) is set by the caller to match ASN and country
 * listings at query time; without it they match nothing. The context
 * learns, once per store snapshot and zone, which of the zone's sources
 * have such listings, so that the others cost nothing.
 */
struct answer_id;
struct answer_zgeo;
struct answer_zname;
struct answer_ctx {
	const struct cfg	*cfg;
	struct answer_id	*ids;		/* indexed by source id */
	size_t			 nids;
	struct geo		*geo;		/* not owned; may be NULL */
	struct answer_zgeo	*zgeo;		/* indexed as cfg->zones */
	struct answer_zname	*znames;	/* indexed as cfg->zones */
};

void	answer_ctx_init(struct answer_ctx *ctx, const struct cfg *cfg);
void	answer_ctx_fini(struct answer_ctx *ctx);

/*
 * A zone source that lists the address, with its winning entry: the most
 * specific prefix covering it or, when the source has none, its listing
 * of the address's autonomous system (prefix of family RP_AF_ASN), else
 * of its country (RP_AF_COUNTRY). network is the prefix itself, or for
 * those two the geo database's network that holds the address.
 */
struct answer_source {
	const struct cfg_source	*src;
	struct rp_cidr		 prefix;	/* the winning entry */
	struct rp_cidr		 network;
	uint32_t		 code;		/* network byte order */
	uint8_t			 flags;		/* the entry's STORE_F_* */
	/* A domain-name listing: its text form ("*.x"); else "". */
	char			 name[NAME_STRLEN];
};

/*
 * The answer for one address in one zone. Codes and TXT strings are
 * distinct and in the zone's source order; listed means ncodes > 0.
 */
struct answer {
	int			 test_point;	/* RFC 5782 127.0.0.2 */
	size_t			 nsources;
	struct answer_source	 sources[ANSWER_MAX];
	size_t			 ncodes;
	uint32_t		 codes[ANSWER_MAX];	/* network order */
	size_t			 ntxt;
	char			 txt[ANSWER_MAX][ANSWER_TXT_LEN];
};

/*
 * Fill *out with what zone (one of ctx->cfg's zones) answers for address
 * a, reading the store through t (a read or write transaction). Only the
 * zone's sources count; a TXT longer than one character-string is cut at
 * 255 bytes. An exclusion of a source hides its ASN and country listings
 * as it hides its wider prefixes; a source listing a by prefix is not
 * looked up by ASN.
 * RFC 5782 test points answer the same in every zone whatever the data:
 * 127.0.0.2 and ::ffff:7f00:2 are listed, 127.0.0.1 and ::ffff:7f00:1
 * are not. 0, or a negative store or geo code (*out is then empty).
 */
int	answer_lookup(struct answer_ctx *ctx, struct store_txn *t,
	    const struct cfg_zone *zone, const struct rp_addr *a,
	    struct answer *out);

/* answer_lookup_flags() and answer_lookup_name() flags. */
#define ANSWER_NO_TXT	0x1	/* codes only: ntxt is 0 */
#define ANSWER_ADD	0x2	/* add to *out, do not empty it first */

/*
 * answer_lookup() with flags. ANSWER_NO_TXT skips the TXT templates and
 * the entry reads only they need, for the DNS daemon's A queries: codes,
 * sources and test_point are as answer_lookup() gives them.
 */
int	answer_lookup_flags(struct answer_ctx *ctx, struct store_txn *t,
	    const struct cfg_zone *zone, const struct rp_addr *a,
	    unsigned flags, struct answer *out);

/*
 * Does zone have sources with domain-name listings (rbldnsd dnset) in
 * the snapshot t sees? 1 or 0 (learnt once a snapshot, then cheap), or
 * a negative code. Only then do names below the zone mean anything
 * but addresses.
 */
int	answer_zone_has_names(struct answer_ctx *ctx, struct store_txn *t,
	    const struct cfg_zone *zone);

/*
 * What zone answers for the domain name q (q_len bytes: the labels below
 * the zone's apex, lower case, dot-separated, no final dot), as rbldnsd
 * answers a dnset query (store_name_lookup()). With ANSWER_ADD the
 * answers are added to *out (an address answer for the same name, in a
 * zone with both kinds of data); codes and TXTs stay distinct. Each
 * source's prefix is its entry's key; "$ip" in a TXT is the name listed
 * ("x" for a "*.x" match). RFC 5782 test points: "test" is listed,
 * "invalid" never. 0, or a negative store code (*out is then empty).
 */
int	answer_lookup_name(struct answer_ctx *ctx, struct store_txn *t,
	    const struct cfg_zone *zone, const char *q, size_t q_len,
	    unsigned flags, struct answer *out);

#endif
