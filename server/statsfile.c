/* statsfile.c -- rbldnsd's statistics file: a line of per-zone totals
 * (or deltas) appended every interval. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "statsfile.h"

/* tot, ok, nxd, in, out */
#define NVAL	5

/* What a zone's previous line said (deltas). */
struct sf_prev {
	char		*name;
	uint64_t	 v[NVAL];
};

struct statsfile {
	char		*path;
	int		 deltas;
	int		 failing;	/* the last write failed: warned */
	struct sf_prev	*prev;		/* of the zones, nprev */
	size_t		 nprev;
	uint64_t	 prev_total[NVAL];
};

int
statsfile_new(struct statsfile **out, const char *path, int deltas)
{
	struct statsfile *sf;

	*out = NULL;
	if ((sf = calloc(1, sizeof(*sf))) == NULL ||
	    (sf->path = strdup(path)) == NULL) {
		free(sf);
		return -ENOMEM;
	}
	sf->deltas = deltas;
	*out = sf;
	return 0;
}

static void
sf_prev_free(struct sf_prev *p, size_t n)
{
	size_t i;

	for (i = 0; p != NULL && i < n; i++)
		free(p[i].name);
	free(p);
}

void
statsfile_free(struct statsfile *sf)
{
	if (sf == NULL)
		return;
	sf_prev_free(sf->prev, sf->nprev);
	free(sf->path);
	free(sf);
}

const char *
statsfile_path(const struct statsfile *sf)
{
	return sf->path;
}

int
statsfile_deltas(const struct statsfile *sf)
{
	return sf->deltas;
}

static void
sf_values(const struct stats_counters *c, uint64_t v[NVAL])
{
	v[0] = stats_queries(c);
	v[1] = stats_rcode_all(c, STATS_RC_NOERROR);
	v[2] = stats_rcode_all(c, STATS_RC_NXDOMAIN);
	v[3] = c->bytes_in;
	v[4] = c->bytes_out;
}

/* " name:tot:ok:nxd:in:out", less base when given (a counter below its
 * base started again: it counts from zero). */
static void
sf_put(FILE *f, const char *name, const uint64_t v[NVAL],
    const uint64_t *base)
{
	uint64_t d[NVAL];
	int i;

	for (i = 0; i < NVAL; i++)
		d[i] = base != NULL && v[i] >= base[i] ? v[i] - base[i] : v[i];
	fprintf(f, " %s:%" PRIu64 ":%" PRIu64 ":%" PRIu64 ":%" PRIu64 ":%"
	    PRIu64, name, d[0], d[1], d[2], d[3], d[4]);
}

static const struct sf_prev *
sf_find(const struct statsfile *sf, const char *name)
{
	size_t i;

	for (i = 0; i < sf->nprev; i++)
		if (strcmp(sf->prev[i].name, name) == 0)
			return &sf->prev[i];
	return NULL;
}

int
statsfile_format(struct statsfile *sf, const struct stats *st,
    int64_t now, FILE *f)
{
	struct stats_counters tot;
	struct sf_prev *next = NULL;
	const struct sf_prev *p;
	uint64_t v[NVAL];
	size_t i;

	if (sf->deltas && (next = calloc(st->nzones + 1,
	    sizeof(*next))) == NULL)
		return -ENOMEM;
	for (i = 0; next != NULL && i < st->nzones; i++)
		if ((next[i].name = strdup(st->zones[i].name)) == NULL) {
			sf_prev_free(next, i);
			return -ENOMEM;
		}
	fprintf(f, "%" PRId64, now);
	for (i = 0; i < st->nzones; i++) {
		sf_values(&st->zones[i].c, v);
		p = sf->deltas ? sf_find(sf, st->zones[i].name) : NULL;
		sf_put(f, st->zones[i].name, v, p != NULL ? p->v : NULL);
		if (next != NULL)
			memcpy(next[i].v, v, sizeof(v));
	}
	stats_total(st, &tot);
	sf_values(&tot, v);
	sf_put(f, "*", v, sf->deltas ? sf->prev_total : NULL);
	fputc('\n', f);
	if (sf->deltas) {
		sf_prev_free(sf->prev, sf->nprev);
		sf->prev = next;
		sf->nprev = st->nzones;
		memcpy(sf->prev_total, v, sizeof(v));
	}
	return 0;
}

/* Append text[0, len) to the file in one write. */
static int
sf_append(struct statsfile *sf, const char *text, size_t len)
{
	ssize_t n;
	int fd, rc = 0;

	fd = open(sf->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd == -1)
		rc = -errno;
	else {
		while ((n = write(fd, text, len)) == -1 && errno == EINTR)
			;
		if (n == -1)
			rc = -errno;
		else if ((size_t)n != len)
			rc = -ENOSPC;
		if (close(fd) != 0 && rc == 0)
			rc = -errno;
	}
	if (rc != 0 && !sf->failing)
		log_warnx("statistics file %s: %s", sf->path, strerror(-rc));
	sf->failing = rc != 0;
	return rc;
}

int
statsfile_write(struct statsfile *sf, const struct stats *st, int64_t now)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if ((f = open_memstream(&text, &len)) == NULL)
		return -ENOMEM;
	rc = statsfile_format(sf, st, now, f);
	if (fclose(f) != 0 && rc == 0)
		rc = -ENOMEM;
	if (rc == 0)
		rc = sf_append(sf, text, len);
	free(text);
	return rc;
}

int
statsfile_mark(struct statsfile *sf, int64_t now)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%" PRId64 "\n", now);

	return sf_append(sf, line, (size_t)n);
}
