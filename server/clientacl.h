/* clientacl.h -- rbldnsd's acl datasets on the packet path: what the
 * client ACL sources of [server] and of each zone (client-acl) say of the
 * client asking, looked up in the store by its address like any address.
 * Built with the query engine; no allocation per query. */
#ifndef REPUTED_CLIENTACL_H
#define REPUTED_CLIENTACL_H

#include <stddef.h>
#include <stdint.h>

#include "aclcode.h"
#include "answer.h"
#include "cidr.h"
#include "config.h"
#include "store.h"

/* What the ACLs say of one query's client. */
struct clientacl_verdict {
	enum aclcode_action	 action;	/* NONE: no ACL entry */
	/* ACLCODE_ALWAYS only: the A (network order) and the TXT ("" for
	 * none) every address query of the client is answered with. */
	uint32_t		 code;
	char			 txt[ANSWER_TXT_LEN];
};

struct clientacl_src;

/* The ACL sources of one configuration, and which one each zone uses. */
struct clientacl {
	struct clientacl_src	*srcs;		/* distinct, or NULL */
	size_t			 nsrcs;
	long			 global;	/* [server]'s: in srcs, or -1 */
	long			*zones;		/* as cfg->zones: same; NULL
						 * when there is no ACL */
	size_t			 nzones;
};

/*
 * The ACLs of cfg ([server]'s client-acl, each zone's), which must
 * outlive ca. 0, or -ENOMEM with ca empty. clientacl_fini() it; safe on
 * a zeroed one.
 */
int	clientacl_init(struct clientacl *ca, const struct cfg *cfg);
void	clientacl_fini(struct clientacl *ca);

/*
 * What [server]'s ACL says of client a, read through t: 0 with *v set
 * (action ACLCODE_NONE when there is no global ACL, no entry for a, or a
 * or t is NULL), or a negative store code (*v is then NONE). A source
 * not imported yet has no entries.
 */
int	clientacl_global(struct clientacl *ca, struct store_txn *t,
	    const struct rp_addr *a, struct clientacl_verdict *v);

/*
 * Combine the ACL of zone (its index in cfg->zones) into *v, which holds
 * what clientacl_global() said, as rbldnsd does: ignore > refuse > empty
 * > always (pass and no entry change nothing); when both say "always",
 * [server]'s code and TXT stay. 0, or a negative store code.
 */
int	clientacl_zone(struct clientacl *ca, struct store_txn *t,
	    size_t zone, const struct rp_addr *a, struct clientacl_verdict *v);

/*
 * The answer to an address query of a client whose verdict is "always"
 * (its code, and its TXT unless flags has ANSWER_NO_TXT) or "empty"
 * (nothing listed), into out. 0.
 */
int	clientacl_answer(const struct clientacl_verdict *v, unsigned flags,
	    struct answer *out);

#endif
