/* acl.c -- allow/deny prefix lists: compiled into masks, matched by a
 * linear scan (a list holds at most CFG_MAX_PREFIXES prefixes). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) << 32 | rd32(p + 4);
}

/* The mask of the first bits of a 64-bit half, for a prefix of bits
 * (which may cover none, part or all of the half). */
static uint64_t
mask64(int bits)
{
	if (bits <= 0)
		return 0;
	if (bits >= 64)
		return UINT64_MAX;
	return UINT64_MAX << (64 - bits);
}

int
acl_list_init(struct acl_list *l, const struct cfg_prefixes *p)
{
	const struct rp_cidr *c;
	size_t i, n4 = 0, n6 = 0;
	uint32_t m;

	memset(l, 0, sizeof(*l));
	/* Indexed, not "c < p->v + p->n": an empty list has v NULL, and
	 * NULL + 0 is undefined. */
	for (i = 0; i < p->n; i++) {
		c = &p->v[i];
		if (c->addr.family == RP_AF_INET)
			n4++;
		else if (c->addr.family == RP_AF_INET6)
			n6++;
	}
	if ((n4 > 0 && (l->v4 = calloc(n4, 2 * sizeof(*l->v4))) == NULL) ||
	    (n6 > 0 && (l->v6 = calloc(n6, 4 * sizeof(*l->v6))) == NULL)) {
		acl_list_fini(l);
		return -ENOMEM;
	}
	for (i = 0; i < p->n; i++) {
		c = &p->v[i];
		if (c->addr.family == RP_AF_INET) {
			m = c->bits == 0 ? 0 : UINT32_MAX << (32 - c->bits);
			l->v4[2 * l->n4] = rd32(c->addr.bytes) & m;
			l->v4[2 * l->n4++ + 1] = m;
		} else if (c->addr.family == RP_AF_INET6) {
			l->v6[4 * l->n6 + 2] = mask64(c->bits);
			l->v6[4 * l->n6 + 3] = mask64(c->bits - 64);
			l->v6[4 * l->n6] = rd64(c->addr.bytes) &
			    l->v6[4 * l->n6 + 2];
			l->v6[4 * l->n6 + 1] = rd64(c->addr.bytes + 8) &
			    l->v6[4 * l->n6 + 3];
			l->n6++;
		}
	}
	return 0;
}

void
acl_list_fini(struct acl_list *l)
{
	free(l->v4);
	free(l->v6);
	memset(l, 0, sizeof(*l));
}

int
acl_list_match(const struct acl_list *l, const struct rp_addr *a)
{
	uint64_t hi, lo;
	uint32_t v;
	size_t i;

	if (a->family == RP_AF_INET) {
		v = rd32(a->bytes);
		for (i = 0; i < l->n4; i++)
			if ((v & l->v4[2 * i + 1]) == l->v4[2 * i])
				return 1;
	} else if (a->family == RP_AF_INET6) {
		hi = rd64(a->bytes);
		lo = rd64(a->bytes + 8);
		for (i = 0; i < l->n6; i++)
			if ((hi & l->v6[4 * i + 2]) == l->v6[4 * i] &&
			    (lo & l->v6[4 * i + 3]) == l->v6[4 * i + 1])
				return 1;
	}
	return 0;
}

int
acl_init(struct acl *acl, const struct cfg_prefixes *allow,
    const struct cfg_prefixes *deny)
{
	memset(acl, 0, sizeof(*acl));
	if (acl_list_init(&acl->allow, allow) != 0 ||
	    acl_list_init(&acl->deny, deny) != 0) {
		acl_fini(acl);
		return -ENOMEM;
	}
	acl->open = allow->n == 0 && deny->n == 0;
	return 0;
}

void
acl_fini(struct acl *acl)
{
	acl_list_fini(&acl->allow);
	acl_list_fini(&acl->deny);
}

int
acl_permits(const struct acl *acl, const struct rp_addr *a)
{
	if (acl->open)
		return 1;
	if (acl_list_match(&acl->deny, a))
		return 0;
	/* An empty allow list: everyone not denied. */
	if (acl->allow.n4 + acl->allow.n6 == 0)
		return 1;
	return acl_list_match(&acl->allow, a);
}

int
acl_set_init(struct acl_set *set, const struct cfg *cfg)
{
	size_t i;
	int rc;

	memset(set, 0, sizeof(*set));
	set->open = 1;
	if ((rc = acl_init(&set->server, &cfg->server.allow,
	    &cfg->server.deny)) != 0)
		return rc;
	set->open = set->server.open;
	if (cfg->nzones > 0 &&
	    (set->zones = calloc(cfg->nzones, sizeof(*set->zones))) == NULL)
		goto fail;
	for (i = 0; i < cfg->nzones; i++, set->nzones++) {
		if (acl_init(&set->zones[i], &cfg->zones[i].allow,
		    &cfg->zones[i].deny) != 0)
			goto fail;
		set->open = set->open && set->zones[i].open;
	}
	return 0;
fail:
	acl_set_fini(set);
	return -ENOMEM;
}

void
acl_set_fini(struct acl_set *set)
{
	size_t i;

	acl_fini(&set->server);
	for (i = 0; i < set->nzones; i++)
		acl_fini(&set->zones[i]);
	free(set->zones);
	memset(set, 0, sizeof(*set));
	set->open = 1;
}

int
acl_set_permits(const struct acl_set *set, size_t zone,
    const struct rp_addr *a)
{
	if (set->open || a == NULL)
		return 1;
	if (!acl_permits(&set->server, a))
		return 0;
	return zone >= set->nzones || acl_permits(&set->zones[zone], a);
}
