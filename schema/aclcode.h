/* aclcode.h -- how a client ACL entry says what to do with a client: its
 * action stored as the entry's code (schema/README.md, "Client ACLs").
 * Written by the importer's rbldnsd-acl format, read by the server. */
#ifndef REPUTED_ACLCODE_H
#define REPUTED_ACLCODE_H

#include <stdint.h>

#include "store.h"

/*
 * What an entry of a client ACL source does to the clients it covers.
 * The order is the precedence of two ACLs that both match (a zone's and
 * [server]'s, as in rbldnsd): ignore > refuse > empty > always.
 */
enum aclcode_action {
	ACLCODE_NONE = 0,	/* no entry: answer as usual */
	ACLCODE_PASS,		/* an entry: answer as usual (a hole) */
	ACLCODE_ALWAYS,		/* every address query is listed, with the
				 * entry's code and TXT */
	ACLCODE_EMPTY,		/* every address query is not listed */
	ACLCODE_REFUSE,		/* REFUSED, even the apex */
	ACLCODE_IGNORE		/* no answer at all */
};

/*
 * The codes in 0.0.0.0/8 that mean an action (an entry's own code, flag
 * STORE_F_CODE): no DNSBL answers there, so rbldnsd-acl refuses them as
 * "always listed" values. Any other code (or none: the source's) is
 * "always listed" with that code.
 */
#define ACLCODE_IGNORE_CODE	1u	/* 0.0.0.1, host order */
#define ACLCODE_REFUSE_CODE	2u	/* 0.0.0.2 */
#define ACLCODE_EMPTY_CODE	3u	/* 0.0.0.3 */
#define ACLCODE_PASS_CODE	4u	/* 0.0.0.4 */

/* Is code (host order) one that only an action may have? */
static inline int
aclcode_reserved(uint32_t code)
{
	return (code >> 24) == 0;
}

/* The action of an entry with flags (STORE_F_*) and code (network
 * order, as stored). An exclusion never matches (ACLCODE_NONE). */
static inline enum aclcode_action
aclcode_action_of(uint8_t flags, uint32_t code)
{
	const uint8_t *b = (const uint8_t *)&code;
	uint32_t h = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];

	if (flags & STORE_F_EXCLUDE)
		return ACLCODE_NONE;
	/* Code 0 is the source's, as for any entry. */
	if (!(flags & STORE_F_CODE) || h == 0 || !aclcode_reserved(h))
		return ACLCODE_ALWAYS;
	switch (h) {
	case ACLCODE_IGNORE_CODE:	return ACLCODE_IGNORE;
	case ACLCODE_REFUSE_CODE:	return ACLCODE_REFUSE;
	case ACLCODE_EMPTY_CODE:	return ACLCODE_EMPTY;
	case ACLCODE_PASS_CODE:		return ACLCODE_PASS;
	default:			return ACLCODE_PASS;	/* unknown */
	}
}

#endif
