/* bench_store.c -- generate benchmark lists; time store_lookup() on a store. */
/*
 * Usage:
 *	bench_store gen N SEED [CHANGED_PERCENT] > FILE
 *		N random IPv4 entries in the plain format: mostly /32, some
 *		/24, /20 and /16. Line i depends only on SEED and i, so two
 *		lists of one SEED are equal except where CHANGED_PERCENT (of
 *		the lines, evenly spread) is drawn anew.
 *	bench_store lookup DBDIR LISTFILE [SECONDS]
 *		Opens the store read-only and calls store_lookup() on random
 *		IPv4 addresses, half of them inside prefixes of LISTFILE
 *		(known hits), half uniform, in one read transaction on one
 *		core, for SECONDS (default 3). Prints "lookups/s: N".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cidr.h"
#include "store.h"

#define QUERIES		(1u << 20)	/* addresses looked up, round robin */
#define MAX_SAMPLE	(1u << 20)	/* listed prefixes kept for hits */

static uint64_t
splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One generated line from a random word: 98% /32, 1.8% /24, 0.19% /20,
 * 0.01% /16, first octet 1..223 (no 0/8, multicast or class E). */
static void
gen_line(uint64_t x, FILE *out)
{
	uint32_t a = (uint32_t)x;
	unsigned kind = (unsigned)((x >> 32) % 10000);
	unsigned bits = 32, o1 = 1 + (a >> 24) % 223;

	if (kind >= 9999)
		bits = 16;
	else if (kind >= 9980)
		bits = 20;
	else if (kind >= 9800)
		bits = 24;
	a = (o1 << 24) | (a & 0xffffff);
	if (bits < 32)
		a &= ~(uint32_t)0 << (32 - bits);
	if (bits == 32)
		fprintf(out, "%u.%u.%u.%u\n", a >> 24, (a >> 16) & 255,
		    (a >> 8) & 255, a & 255);
	else
		fprintf(out, "%u.%u.%u.%u/%u ; bench range\n", a >> 24,
		    (a >> 16) & 255, (a >> 8) & 255, a & 255, bits);
}

static int
gen(unsigned long n, uint64_t seed, unsigned changed_pct)
{
	static char buf[1 << 20];
	unsigned long i;
	uint64_t x;

	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	printf("# bench_store gen %lu %llu %u\n", n, (unsigned long long)seed,
	    changed_pct);
	for (i = 0; i < n; i++) {
		x = splitmix64(seed * 0x100000000ULL + i);
		/* Changed lines: i % 100 < pct, drawn from another stream. */
		if (changed_pct > 0 && i % 100 < changed_pct)
			x = splitmix64(~seed * 0x100000000ULL + i);
		gen_line(x, stdout);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Reservoir-sample up to MAX_SAMPLE IPv4 prefixes of a list file. */
static int
read_sample(const char *path, struct rp_cidr *sample, size_t *nsample,
    unsigned long *nlines)
{
	char line[512], *p, *e;
	struct rp_cidr c;
	uint64_t rnd = 42, seen = 0, j;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		return -1;
	}
	*nsample = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		p = line + strspn(line, " \t");
		if (*p == '#' || *p == ';' || *p == '\n' || *p == '\0')
			continue;
		e = p + strcspn(p, " \t;\r\n");
		*e = '\0';
		if (cidr_parse(p, &c, NULL) != 0 ||
		    c.addr.family != RP_AF_INET)
			continue;
		seen++;
		if (*nsample < MAX_SAMPLE)
			sample[(*nsample)++] = c;
		else if ((j = (rnd = splitmix64(rnd)) % seen) < MAX_SAMPLE)
			sample[j] = c;
	}
	fclose(f);
	*nlines = (unsigned long)seen;
	return 0;
}

/* Half the queries inside sampled prefixes, half anywhere in IPv4. */
static void
make_queries(struct rp_addr *q, const struct rp_cidr *sample, size_t nsample)
{
	const struct rp_cidr *c;
	uint64_t rnd = 7;
	uint32_t a, host;
	size_t i;

	for (i = 0; i < QUERIES; i++) {
		rnd = splitmix64(rnd);
		if (i % 2 == 0 && nsample > 0) {
			c = &sample[(rnd >> 32) % nsample];
			a = (uint32_t)c->addr.bytes[0] << 24 |
			    (uint32_t)c->addr.bytes[1] << 16 |
			    (uint32_t)c->addr.bytes[2] << 8 | c->addr.bytes[3];
			host = c->bits >= 32 ? 0 :
			    (uint32_t)rnd & (0xffffffffu >> c->bits);
			a |= host;
		} else
			a = (uint32_t)rnd;
		memset(&q[i], 0, sizeof(q[i]));
		q[i].family = RP_AF_INET;
		q[i].bytes[0] = a >> 24;
		q[i].bytes[1] = (a >> 16) & 255;
		q[i].bytes[2] = (a >> 8) & 255;
		q[i].bytes[3] = a & 255;
	}
}

static void
print_stats(struct store_txn *t)
{
	struct store_stats s;

	if (store_stats(t, &s) != 0)
		return;
	printf("store: %llu entries, %llu+%llu intervals (v4+v6), "
	    "%llu+%llu chunks, %.1f MB of map used\n",
	    (unsigned long long)s.entries,
	    (unsigned long long)s.intervals[0],
	    (unsigned long long)s.intervals[1],
	    (unsigned long long)s.chunks[0], (unsigned long long)s.chunks[1],
	    (double)s.map_used / 1e6);
}

/* Time store_lookup() over the query set until secs have passed. */
static int
run_lookups(struct store_txn *t, const struct rp_addr *q, double secs)
{
	struct store_hit hits[8];
	unsigned long long total = 0, listed = 0, errors = 0;
	double t0, el;
	size_t i, n;

	for (i = 0; i < QUERIES; i++)		/* warm the map */
		(void)store_lookup(t, &q[i], hits, 8, &n);
	t0 = now();
	do {
		for (i = 0; i < QUERIES; i++) {
			if (store_lookup(t, &q[i], hits, 8, &n) != 0)
				errors++;
			else if (n > 0)
				listed++;
		}
		total += QUERIES;
		el = now() - t0;
	} while (el < secs);
	printf("lookups: %llu in %.2f s, %.1f%% listed, %llu errors\n",
	    total, el, 100.0 * (double)listed / (double)total, errors);
	printf("ns/lookup: %.0f\n", el * 1e9 / (double)total);
	printf("lookups/s: %.0f\n", (double)total / el);
	return errors == 0 ? 0 : 1;
}

static int
lookup(const char *dir, const char *list, double secs)
{
	struct rp_cidr *sample = NULL;
	struct rp_addr *q = NULL;
	struct store *st = NULL;
	struct store_txn *t = NULL;
	unsigned long nlines;
	size_t nsample;
	int rc, ret = 1;

	if ((sample = calloc(MAX_SAMPLE, sizeof(*sample))) == NULL ||
	    (q = calloc(QUERIES, sizeof(*q))) == NULL) {
		perror("calloc");
		goto out;
	}
	if (read_sample(list, sample, &nsample, &nlines) != 0)
		goto out;
	printf("list: %lu IPv4 prefixes read, %zu sampled for hits\n",
	    nlines, nsample);
	make_queries(q, sample, nsample);
	if ((rc = store_open(&st, dir, STORE_RDONLY)) != 0) {
		fprintf(stderr, "store_open %s: %s\n", dir, store_strerror(rc));
		goto out;
	}
	if ((rc = store_txn_begin(st, 0, &t)) != 0) {
		fprintf(stderr, "store_txn_begin: %s\n", store_strerror(rc));
		goto out;
	}
	print_stats(t);
	ret = run_lookups(t, q, secs);
out:
	store_txn_abort(t);
	store_close(st);
	free(q);
	free(sample);
	return ret;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_store gen N SEED [CHANGED_PERCENT]\n"
	    "       bench_store lookup DBDIR LISTFILE [SECONDS]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "gen") == 0)
		return gen(strtoul(argv[2], NULL, 10),
		    strtoull(argv[3], NULL, 10),
		    argc > 4 ? (unsigned)atoi(argv[4]) % 100 : 0);
	if (argc >= 4 && strcmp(argv[1], "lookup") == 0)
		return lookup(argv[2], argv[3], argc > 4 ? atof(argv[4]) : 3.0);
	usage();
	return 2;
}
