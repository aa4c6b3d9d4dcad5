/* ctl_sources.c -- reputectl sources: every source, configured or only in
 * the store, with its entries, last success, next fetch and last error. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

#define CTL_ERROR_WIDTH		40	/* of a last error in `sources` */

/*
 * Every source: the configured ones in configuration order, then those
 * only the store knows, by name. *out is malloc'd: free() it. Names
 * point into the configuration or into *out itself.
 */
int
ctl_sources_collect(struct ctl *ctl, struct store_txn *t,
    struct ctl_source **out, size_t *n)
{
	const struct cfg *cfg = ctl->cfg;
	struct store_source *list = NULL;
	struct ctl_source *s;
	size_t nlist = 0, i, j;
	int rc;

	if ((rc = store_source_list(t, &list, &nlist)) != 0)
		return rc;
	if ((s = calloc(cfg->nsources + nlist + 1, sizeof(*s))) == NULL) {
		free(list);
		return -ENOMEM;
	}
	*n = 0;
	for (i = 0; i < cfg->nsources; i++) {
		s[*n].name = cfg->sources[i].name;
		s[*n].cfg = &cfg->sources[i];
		for (j = 0; j < nlist; j++)
			if (strcmp(list[j].name, s[*n].name) == 0)
				break;
		if (j < nlist) {
			s[*n].in_store = 1;
			s[*n].st = list[j];
		}
		(*n)++;
	}
	for (j = 0; j < nlist; j++) {
		if (cfg_source_find(cfg, list[j].name) != NULL)
			continue;
		s[*n].in_store = 1;
		s[*n].st = list[j];
		s[*n].name = s[*n].st.name;
		(*n)++;
	}
	free(list);
	*out = s;
	return 0;
}

/* When the next fetch is due: a time, "now", "manual", or NULL when
 * the source is not configured. */
static const char *
ctl_next_fetch(const struct ctl *ctl, const struct ctl_source *s, char *buf)
{
	int64_t due;

	if (s->cfg == NULL)
		return NULL;
	if (s->cfg->url == NULL)
		return "manual";
	if (!s->in_store || s->st.last_attempt == 0)
		return "now";
	/* The importer's own rule: refresh, catalog minimum, back-off after
	 * failures and the server's Retry-After. */
	due = cfg_source_next_fetch(s->cfg, s->st.last_attempt,
	    s->st.failures, s->st.retry_after);
	return due <= ctl->now ? "now" : ctl_time(due, "now", buf);
}

/* The last error on one line and at most CTL_ERROR_WIDTH wide. */
static const char *
ctl_short_error(const char *err, char *buf)
{
	size_t i, len = strlen(err);

	if (len == 0)
		return "-";
	for (i = 0; i < len && i < CTL_ERROR_WIDTH; i++)
		buf[i] = (unsigned char)err[i] < 0x20 ? ' ' : err[i];
	buf[i] = '\0';
	if (len > CTL_ERROR_WIDTH)
		memcpy(buf + CTL_ERROR_WIDTH - 3, "...", 4);
	return buf;
}

static void
ctl_sources_row(const struct ctl *ctl, const struct ctl_source *s,
    int wname, int wnum)
{
	char name[80], tb[CTL_TIME_LEN], nb[CTL_TIME_LEN];
	char err[CTL_ERROR_WIDTH + 1];
	const char *next = ctl_next_fetch(ctl, s, nb);

	snprintf(name, sizeof(name), "%s%s", s->name, s->cfg ? "" : "*");
	printf("%-*s  %*" PRIu64 "  %-19s  %-19s  %s\n", wname, name, wnum,
	    s->in_store ? s->st.entries : 0,
	    ctl_time(s->in_store ? s->st.last_success : 0, "never", tb),
	    next != NULL ? next : "-",
	    ctl_short_error(s->in_store ? s->st.last_error : "", err));
}

static void
ctl_sources_text(const struct ctl *ctl, const struct ctl_source *s,
    size_t n)
{
	char num[24];
	int wname = 6, wnum = 7, w, unconfigured = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		w = (int)strlen(s[i].name) + (s[i].cfg == NULL);
		wname = w > wname ? w : wname;
		w = snprintf(num, sizeof(num), "%" PRIu64,
		    s[i].in_store ? s[i].st.entries : 0);
		wnum = w > wnum ? w : wnum;
		unconfigured |= s[i].cfg == NULL;
	}
	printf("%-*s  %*s  %-19s  %-19s  %s\n", wname, "SOURCE", wnum,
	    "ENTRIES", "LAST SUCCESS", "NEXT FETCH", "LAST ERROR");
	for (i = 0; i < n; i++)
		ctl_sources_row(ctl, &s[i], wname, wnum);
	if (unconfigured)
		printf("* in the store but not in %s\n", ctl->conf);
}

static json_t *
ctl_source_json(const struct ctl *ctl, const struct ctl_source *s)
{
	static const struct store_source none;
	const struct store_source *st = s->in_store ? &s->st : &none;
	char nb[CTL_TIME_LEN];
	const char *next = ctl_next_fetch(ctl, s, nb);

	return json_pack("{s:s, s:b, s:b, s:s?, s:I, s:o, s:o, s:o, s:s?, "
	    "s:I, s:I, s:I, s:I, s:o, s:I, s:o, s:o}",
	    "name", s->name, "configured", s->cfg != NULL,
	    "in_store", s->in_store, "url", s->cfg ? s->cfg->url : NULL,
	    "entries", (json_int_t)st->entries,
	    "last_attempt", ctl_json_time(st->last_attempt),
	    "last_success", ctl_json_time(st->last_success),
	    "last_change", ctl_json_time(st->last_change),
	    "next_fetch", next,
	    "added", (json_int_t)st->added, "kept", (json_int_t)st->kept,
	    "removed", (json_int_t)st->removed,
	    "rejected", (json_int_t)st->rejected,
	    "last_error", st->last_error[0] == '\0' ? json_null() :
	    ctl_json_text(st->last_error, strlen(st->last_error)),
	    "failures", (json_int_t)st->failures,
	    "retry_after", ctl_json_time(st->retry_after),
	    "last_warning", st->last_warning[0] == '\0' ? json_null() :
	    ctl_json_text(st->last_warning, strlen(st->last_warning)));
}

/* sources */
int
ctl_sources(struct ctl *ctl)
{
	struct ctl_source *s = NULL;
	struct store_txn *t = NULL;
	json_t *arr;
	size_t i, n = 0;
	int rc;

	if (ctl_read_txn(ctl, &t) != 0)
		return CTL_ERR;
	rc = ctl_sources_collect(ctl, t, &s, &n);
	store_txn_abort(t);	/* the rows are copies */
	if (rc != 0) {
		log_warnx("sources: %s", store_strerror(rc));
		return CTL_ERR;
	}
	if (!ctl->json)
		ctl_sources_text(ctl, s, n);
	else {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, ctl_source_json(ctl, &s[i]));
		rc = ctl_json_print(json_pack("{s:o}", "sources", arr));
	}
	free(s);
	return rc == 0 ? CTL_OK : CTL_ERR;
}
