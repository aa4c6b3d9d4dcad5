/* rbldnsd_records.c -- `reputed --rbldnsd`: generic datasets' records,
 * from the importer's "record" metadata to each zone's records file. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "rbldnsd_records.h"

struct rbldnsd_recset {
	char	 source[CFG_NAME_MAX + 1];
	char	*text;		/* "\n"-terminated record lines */
	size_t	 len;
};

const char *
rbldnsd_records_meta(const char *line)
{
	const char *key;

	if (strncmp(line, "meta\t", 5) != 0 ||
	    (key = strchr(line + 5, '\t')) == NULL ||
	    strncmp(key, "\trecord\t", 8) != 0)
		return NULL;
	return key + 8;
}

void
rbldnsd_records_begin(struct rbldnsd_records *t)
{
	t->plen = 0;
}

void
rbldnsd_records_line(struct rbldnsd_records *t, const char *line)
{
	size_t n = strlen(line), cap;
	char *p;

	if (t->plen + n + 2 > t->pcap) {
		for (cap = t->pcap ? t->pcap : 1024; cap < t->plen + n + 2;
		    cap *= 2)
			;
		if ((p = realloc(t->pending, cap)) == NULL)
			fatal("realloc");
		t->pending = p;
		t->pcap = cap;
	}
	memcpy(t->pending + t->plen, line, n);
	t->plen += n;
	t->pending[t->plen++] = '\n';
	t->pending[t->plen] = '\0';
}

static struct rbldnsd_recset *
rec_find(const struct rbldnsd_records *t, const char *source)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].source, source) == 0)
			return &t->v[i];
	return NULL;
}

void
rbldnsd_records_end(struct rbldnsd_records *t, const char *source, int ok)
{
	struct rbldnsd_recset *s;

	if (!ok)
		return;
	if ((s = rec_find(t, source)) == NULL) {
		if (t->plen == 0)
			return;
		if ((s = realloc(t->v, (t->n + 1) * sizeof(*s))) == NULL)
			fatal("realloc");
		t->v = s;
		s = &t->v[t->n++];
		memset(s, 0, sizeof(*s));
		snprintf(s->source, sizeof(s->source), "%s", source);
	}
	free(s->text);
	s->text = NULL;
	s->len = t->plen;
	if (t->plen > 0 && (s->text = strdup(t->pending)) == NULL)
		fatal("strdup");
}

/* rbldnsd's rule for a TTL read from data, then reputed's limit. */
static uint32_t
rec_ttl(const struct rbldnsd_ttl *r, unsigned long v)
{
	uint32_t ttl = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;

	if (ttl == 0)
		ttl = r->def;
	else if (r->min != 0 && ttl < r->min)
		ttl = r->min;
	else if (r->max != 0 && ttl > r->max)
		ttl = r->max;
	return ttl < r->limit ? ttl : r->limit;
}

/* One "OWNER TTL TYPE VALUE" line with the TTL rbldnsd gives, to out. */
static void
rec_put(FILE *out, const char *line, size_t len, const char *zone,
    const struct rbldnsd_ttl *ttl, size_t *dropped)
{
	size_t olen = strcspn(line, " ");
	unsigned long v;
	char *rest;

	/* A name too long under this zone: the configuration would refuse
	 * it (and rbldnsd could never be asked it). */
	if (olen >= len || (!(olen == 1 && line[0] == '@') &&
	    olen + 1 + strlen(zone) > CFG_DNAME_MAX)) {
		(*dropped)++;
		return;
	}
	v = strtoul(line + olen + 1, &rest, 10);
	if (*rest != ' ') {
		(*dropped)++;
		return;
	}
	fprintf(out, "%.*s %" PRIu32 "%.*s\n", (int)olen, line,
	    rec_ttl(ttl, v), (int)(len - (size_t)(rest - line)), rest);
}

/* 64-bit FNV-1a: a change of the records shows in the configuration. */
static uint64_t
rec_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n-- > 0) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Is path's content text (len bytes)? */
static int
rec_same(const char *path, const char *text, size_t len)
{
	char *buf;
	size_t got;
	FILE *f;
	int same;

	if ((f = fopen(path, "r")) == NULL)
		return 0;
	if ((buf = malloc(len + 1)) == NULL)
		fatal("malloc");
	got = fread(buf, 1, len + 1, f);
	same = got == len && memcmp(buf, text, len) == 0;
	free(buf);
	fclose(f);
	return same;
}

/* Write text to path by renaming a new file over it. 0 or -1. */
static int
rec_write(const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX + 64];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL ||
	    fwrite(text, 1, len, f) != len || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		log_warn("writing %s", path);
		return -1;
	}
	return 0;
}

int
rbldnsd_records_zone(const struct rbldnsd_records *t,
    const char *const *sources, size_t n, const char *zone, size_t index,
    const char *dir, const struct rbldnsd_ttl *ttl, FILE *conf)
{
	const struct rbldnsd_recset *s;
	char path[PATH_MAX + 32], *text = NULL;
	size_t i, len = 0, dropped = 0;
	const char *l, *nl;
	FILE *f;

	if ((f = open_memstream(&text, &len)) == NULL)
		fatal("open_memstream");
	for (i = 0; i < n; i++) {
		if ((s = rec_find(t, sources[i])) == NULL || s->text == NULL)
			continue;
		for (l = s->text; (nl = strchr(l, '\n')) != NULL; l = nl + 1)
			rec_put(f, l, (size_t)(nl - l), zone, ttl, &dropped);
	}
	if (fclose(f) != 0)
		fatal("open_memstream");
	if (len == 0) {
		free(text);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/z%zu.records", dir, index);
	if (!rec_same(path, text, len)) {
		if (dropped > 0)
			log_warnx("zone %s: %zu record(s) left out: their "
			    "names under the zone are longer than %d "
			    "characters", zone, dropped, CFG_DNAME_MAX);
		if (rec_write(path, text, len) != 0) {
			free(text);
			return -1;
		}
	}
	fprintf(conf, "records = z%zu.records\n# records: %016" PRIx64 "\n",
	    index, rec_hash(text, len));
	free(text);
	return 0;
}

void
rbldnsd_records_fini(struct rbldnsd_records *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].text);
	free(t->v);
	free(t->pending);
	memset(t, 0, sizeof(*t));
}
