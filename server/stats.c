/* stats.c -- the daemon's counters: zones kept across reloads, totals and
 * names for output. The counting itself is inline in stats.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static const char *const stats_qtype_names[STATS_NQTYPES] = {
	"A", "NS", "CNAME", "SOA", "PTR", "MX", "TXT", "AAAA", "SRV", "ANY",
	"other", "none"
};

static const char *const stats_rcode_names[STATS_NRCODES] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"BADVERS", "other"
};

static void
stats_zones_free(struct stats_zone *z, size_t n)
{
	size_t i;

	for (i = 0; z != NULL && i < n; i++)
		free(z[i].name);
	free(z);
}

/* Zeroed counters named as cfg's zones: 0 with *out yours, or -ENOMEM. */
static int
stats_zones_new(const struct cfg *cfg, struct stats_zone **out)
{
	struct stats_zone *z;
	size_t i;

	/* One more than needed: calloc(0) may return NULL. */
	if ((z = calloc(cfg->nzones + 1, sizeof(*z))) == NULL)
		return -ENOMEM;
	for (i = 0; i < cfg->nzones; i++)
		if ((z[i].name = strdup(cfg->zones[i].name)) == NULL) {
			stats_zones_free(z, cfg->nzones);
			return -ENOMEM;
		}
	*out = z;
	return 0;
}

int
stats_init(struct stats *st, const struct cfg *cfg)
{
	memset(st, 0, sizeof(*st));
	st->started = time(NULL);
	st->last_zone = -1;
	if (stats_zones_new(cfg, &st->zones) != 0)
		return -ENOMEM;
	st->nzones = cfg->nzones;
	return 0;
}

void
stats_fini(struct stats *st)
{
	stats_zones_free(st->zones, st->nzones);
	st->zones = NULL;
	st->nzones = 0;
}

/* a += b, counter by counter (the struct is nothing but uint64_t). */
static void
stats_add(struct stats_counters *a, const struct stats_counters *b)
{
	uint64_t *pa = (uint64_t *)(void *)a;
	const uint64_t *pb = (const uint64_t *)(const void *)b;
	size_t i;

	for (i = 0; i < sizeof(*a) / sizeof(uint64_t); i++)
		pa[i] += pb[i];
}

static struct stats_zone *
stats_zone_find(struct stats_zone *z, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (z[i].name != NULL && strcmp(z[i].name, name) == 0)
			return &z[i];
	return NULL;
}

int
stats_set_zones(struct stats *st, const struct cfg *cfg)
{
	struct stats_zone *nz, *old;
	size_t i;

	if (stats_zones_new(cfg, &nz) != 0)
		return -ENOMEM;
	for (i = 0; i < cfg->nzones; i++) {
		if ((old = stats_zone_find(st->zones, st->nzones,
		    nz[i].name)) == NULL)
			continue;
		nz[i].c = old->c;
		/* Taken: what is left named over there has gone. */
		free(old->name);
		old->name = NULL;
	}
	for (i = 0; i < st->nzones; i++)
		if (st->zones[i].name != NULL)
			stats_add(&st->retired, &st->zones[i].c);
	stats_zones_free(st->zones, st->nzones);
	st->zones = nz;
	st->nzones = cfg->nzones;
	st->last_zone = -1;
	st->reloads++;
	return 0;
}

void
stats_total(const struct stats *st, struct stats_counters *out)
{
	size_t i;

	*out = st->unmatched;
	stats_add(out, &st->retired);
	for (i = 0; i < st->nzones; i++)
		stats_add(out, &st->zones[i].c);
}

uint64_t
stats_queries_by(const struct stats_counters *c, enum query_transport tr)
{
	uint64_t n = 0;
	unsigned q;

	for (q = 0; q < STATS_NQTYPES; q++)
		n += c->queries[tr][q];
	return n;
}

uint64_t
stats_queries(const struct stats_counters *c)
{
	return stats_queries_by(c, QUERY_UDP) + stats_queries_by(c, QUERY_TCP);
}

uint64_t
stats_qtype_all(const struct stats_counters *c, unsigned qtype)
{
	return c->queries[QUERY_UDP][qtype] + c->queries[QUERY_TCP][qtype];
}

uint64_t
stats_rcode_all(const struct stats_counters *c, unsigned rcode)
{
	return c->rcodes[QUERY_UDP][rcode] + c->rcodes[QUERY_TCP][rcode];
}

const char *
stats_qtype_name(unsigned qtype)
{
	return qtype < STATS_NQTYPES ? stats_qtype_names[qtype] : "?";
}

const char *
stats_rcode_name(unsigned rcode)
{
	return rcode < STATS_NRCODES ? stats_rcode_names[rcode] : "?";
}

const char *
stats_transport_name(unsigned tr)
{
	return tr == QUERY_TCP ? "tcp" : "udp";
}

uint64_t
stats_bucket_us(unsigned i)
{
	return i < STATS_BUCKETS - 1 ? UINT64_C(1) << i : 0;
}
