/* acl.h -- who may query: the allow and deny prefix lists of [server]
 * and of each [zone], compiled for matching on the packet path. Built
 * with the query engine, read-only afterwards; no allocation per query. */
#ifndef REPUTED_ACL_H
#define REPUTED_ACL_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "config.h"

/* A prefix list as masks: a match is (address & mask) == network. */
struct acl_list {
	uint32_t	*v4;	/* network, mask pairs, host byte order */
	uint64_t	*v6;	/* network hi, lo, mask hi, lo quads */
	size_t		 n4, n6;
};

/* One allow list and one deny list: deny wins; an empty allow list lets
 * in every client that deny does not name. */
struct acl {
	struct acl_list	 allow, deny;
	int		 open;	/* both empty: everyone, nothing to check */
};

/* [server]'s lists, then one pair per zone of the configuration. */
struct acl_set {
	struct acl	 server;
	struct acl	*zones;		/* as cfg->zones, or NULL */
	size_t		 nzones;
	int		 open;		/* no list anywhere */
};

/* Compile p into l. 0, or -ENOMEM with l empty. acl_list_fini() it. */
int	acl_list_init(struct acl_list *l, const struct cfg_prefixes *p);
void	acl_list_fini(struct acl_list *l);	/* safe on a zeroed list */

/* Is a in one of l's prefixes? An address of another family (or an ASN)
 * never is. */
int	acl_list_match(const struct acl_list *l, const struct rp_addr *a);

int	acl_init(struct acl *acl, const struct cfg_prefixes *allow,
	    const struct cfg_prefixes *deny);
void	acl_fini(struct acl *acl);

/* May a query? 1 or 0. */
int	acl_permits(const struct acl *acl, const struct rp_addr *a);

/*
 * The lists of cfg ([server] and every zone; cfg may be freed after).
 * 0, or -ENOMEM with set empty. acl_set_fini() it; safe on a zeroed set.
 */
int	acl_set_init(struct acl_set *set, const struct cfg *cfg);
void	acl_set_fini(struct acl_set *set);

/*
 * May client a query zone (its index in cfg->zones)? It must pass
 * [server]'s lists, then the zone's. A NULL a (a caller with no client:
 * tests, fuzzing) is always let in. 1 or 0.
 */
int	acl_set_permits(const struct acl_set *set, size_t zone,
	    const struct rp_addr *a);

#endif
