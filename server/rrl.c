/* rrl.c -- response rate limiting: a token bucket per (client prefix,
 * kind of answer), kept in a fixed, set-associative hash table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "acl.h"
#include "rrl.h"

/*
 * The table: RRL_SLOTS entries in sets of RRL_WAYS (one cache line per
 * set). An entry is found by its 64-bit key hash alone: with a random
 * seed per process, two live keys sharing a hash is too rare to matter
 * (it would merge two buckets). A new key takes the set's least recently
 * used entry; an entry idle for a second holds a full bucket, the same
 * as a new one, so only flows active within the last second are worth
 * keeping, and an attacker must fill a set faster than a limited flow
 * returns to push it out (a million distinct keys a second or so).
 */
#define RRL_WAYS	4
#define RRL_SETS	(RRL_SLOTS / RRL_WAYS)
#define MTOK		1000	/* an answer costs 1000 milli-tokens */
#define QNAME_MAX	255

/* Kinds of answer (part of the key). */
enum {
	K_ANSWER,	/* NOERROR with answers: per name and type */
	K_NODATA,	/* NOERROR, none: per name and type */
	K_NXDOMAIN,	/* per name (a DNSBL's usual "not listed") */
	K_REFUSED,	/* one bucket, whatever the name */
	K_ERROR,	/* FORMERR, SERVFAIL, NOTIMP, BADVERS: one bucket */
	K_TRUNC		/* TC=1 (too large for UDP): per name and type */
};

struct rrl_slot {
	uint64_t	key;		/* 0: free */
	uint32_t	stamp;		/* ms clock (low 32 bits) of last use */
	int32_t		balance;	/* milli-tokens */
};

struct rrl {
	struct rrl_slot		*slots;	/* NULL while rate is 0 */
	uint32_t		 rate;	/* answers a second; 0: off */
	uint32_t		 slip;
	uint64_t		 slip_count;	/* drops so far, for slip */
	uint64_t		 seed;
	struct acl_list		 exempt;
	struct rrl_stats	 stats;
};

static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/* A seeded hash of p[0, n), eight bytes a step. */
static uint64_t
rrl_hash(uint64_t seed, const uint8_t *p, size_t n)
{
	uint64_t h = seed ^ (n * UINT64_C(0x9e3779b97f4a7c15)), w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ mix64(w)) * UINT64_C(0x9e3779b97f4a7c15);
	}
	w = 0;
	memcpy(&w, p, n);
	return mix64(h ^ w);
}

static uint64_t
rrl_seed(void)
{
	struct timespec ts;
	uint64_t s;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) == (ssize_t)sizeof(s))
		return s;
	/* No entropy yet (early boot): unpredictable enough for this. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return mix64((uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 32 ^
	    (uint64_t)getpid());
}

int
rrl_new(struct rrl **out, const struct cfg_server *cs)
{
	struct rrl *rrl;
	int rc;

	*out = NULL;
	if ((rrl = calloc(1, sizeof(*rrl))) == NULL)
		return -ENOMEM;
	rrl->seed = rrl_seed();
	if ((rc = rrl_configure(rrl, cs)) != 0) {
		rrl_free(rrl);
		return rc;
	}
	*out = rrl;
	return 0;
}

int
rrl_configure(struct rrl *rrl, const struct cfg_server *cs)
{
	struct acl_list ex;

	if (cs->rate_limit > 0 && rrl->slots == NULL &&
	    (rrl->slots = calloc(RRL_SLOTS, sizeof(*rrl->slots))) == NULL)
		return -ENOMEM;
	if (acl_list_init(&ex, &cs->rate_limit_exempt) != 0)
		return -ENOMEM;
	acl_list_fini(&rrl->exempt);
	rrl->exempt = ex;
	rrl->rate = cs->rate_limit;
	rrl->slip = cs->rate_limit_slip;
	if (rrl->rate == 0) {
		/* Off: give the memory back; a new table starts afresh. */
		free(rrl->slots);
		rrl->slots = NULL;
	}
	return 0;
}

void
rrl_free(struct rrl *rrl)
{
	if (rrl == NULL)
		return;
	acl_list_fini(&rrl->exempt);
	free(rrl->slots);
	free(rrl);
}

const struct rrl_stats *
rrl_stats(const struct rrl *rrl)
{
	return &rrl->stats;
}

/*
 * The key of an answer: client prefix, kind, and for the kinds that have
 * one, the query type and the name in lower case, as echoed in the
 * question. Written to buf; its length.
 */
static size_t
rrl_key(const struct rp_addr *client, const uint8_t *resp, size_t len,
    uint8_t *buf)
{
	size_t n = 0, pos = 12, end;
	unsigned kind, rcode = resp[3] & 0x0f;
	uint8_t l;

	buf[n++] = client->family;
	if (client->family == RP_AF_INET6) {
		memcpy(buf + n, client->bytes, 7);	/* /56 */
		n += 7;
	} else {
		memcpy(buf + n, client->bytes, 3);	/* /24 */
		n += 3;
	}
	if (resp[2] & 0x02)
		kind = K_TRUNC;
	else if (rcode == 0)
		kind = resp[6] != 0 || resp[7] != 0 ? K_ANSWER : K_NODATA;
	else if (rcode == 3)
		kind = K_NXDOMAIN;
	else if (rcode == 5)
		kind = K_REFUSED;
	else
		kind = K_ERROR;
	buf[n++] = (uint8_t)kind;
	if (kind == K_REFUSED || kind == K_ERROR || resp[5] == 0)
		return n;
	/* The echoed question: uncompressed labels, then QTYPE. */
	end = n;
	while (pos < len && (l = resp[pos]) != 0 && l < 64 &&
	    pos + 1 + l <= len && n - end + 1 + l <= QNAME_MAX) {
		buf[n++] = l;
		for (pos++; l > 0; l--, pos++)
			buf[n++] = (uint8_t)(resp[pos] >= 'A' &&
			    resp[pos] <= 'Z' ? resp[pos] | 0x20 : resp[pos]);
	}
	if (pos + 3 <= len && resp[pos] == 0 && kind != K_NXDOMAIN) {
		buf[n++] = resp[pos + 1];
		buf[n++] = resp[pos + 2];
	}
	return n;
}

/* The entry for key, found or made (the set's least recent one). */
static struct rrl_slot *
rrl_slot(struct rrl *rrl, uint64_t key, uint32_t now)
{
	struct rrl_slot *set, *old;
	size_t i;

	set = rrl->slots + (size_t)(key >> 32) % RRL_SETS * RRL_WAYS;
	old = set;
	for (i = 0; i < RRL_WAYS; i++) {
		if (set[i].key == key)
			return &set[i];
		if (set[i].key == 0 ||
		    (old->key != 0 && now - set[i].stamp > now - old->stamp))
			old = &set[i];
	}
	if (old->key != 0 && now - old->stamp < 1000)
		rrl->stats.evicted++;	/* it still held a limit */
	old->key = key;
	old->stamp = now;
	old->balance = (int32_t)(rrl->rate * MTOK);
	return old;
}

enum rrl_verdict
rrl_check(struct rrl *rrl, const struct rp_addr *client, const uint8_t *resp,
    size_t len, uint64_t now_ms)
{
	uint8_t buf[1 + 7 + 1 + QNAME_MAX + 2];
	int64_t bal, cap = (int64_t)rrl->rate * MTOK;
	uint32_t now = (uint32_t)now_ms;
	struct rrl_slot *s;
	uint64_t key;

	if (rrl->rate == 0 || len < 12)
		return RRL_SEND;
	if (acl_list_match(&rrl->exempt, client)) {
		rrl->stats.exempt++;
		return RRL_SEND;
	}
	rrl->stats.checked++;
	key = rrl_hash(rrl->seed, buf, rrl_key(client, resp, len, buf)) | 1;
	s = rrl_slot(rrl, key, now);
	/* Earn rate tokens a second since the last answer, up to one
	 * second's worth: a burst of rate answers, then rate a second. */
	bal = s->balance + (int64_t)(now - s->stamp) * rrl->rate;
	s->balance = (int32_t)(bal < cap ? bal : cap);
	s->stamp = now;
	if (s->balance >= MTOK) {
		s->balance -= MTOK;
		return RRL_SEND;
	}
	/* Over the limit. A dropped answer costs no token, so a flooding
	 * client still gets rate answers a second, as Knot does. */
	if (rrl->slip > 0 && ++rrl->slip_count % rrl->slip == 0) {
		rrl->stats.rate_limited_slipped++;
		return RRL_SLIP;
	}
	rrl->stats.rate_limited_dropped++;
	return RRL_DROP;
}

size_t
rrl_slip(uint8_t *resp, size_t len)
{
	size_t pos = 12;
	uint8_t l;

	if (len < 12)
		return len;
	if (resp[4] != 0 || resp[5] != 0) {
		/* Past the first question's name and QTYPE, QCLASS. */
		while (pos < len && (l = resp[pos]) != 0 && l < 64)
			pos += 1 + (size_t)l;
		if (pos + 5 > len)	/* cannot happen for our answers */
			pos = 12;
		else
			pos += 5;
	}
	resp[2] |= 0x02;				/* TC */
	resp[4] = 0;
	resp[5] = pos > 12 ? 1 : 0;			/* QDCOUNT */
	memset(resp + 6, 0, 6);		/* AN, NS, AR: nothing */
	return pos;
}
