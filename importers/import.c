/* import.c -- one source's import: fetch, parse, merge in one write txn. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "fetch.h"
#include "formats.h"
#include "import.h"
#include "log.h"

/* What the merge decided for a parsed prefix (struct imp_rec.state). */
#define REC_NEW		0	/* not held yet: put, LISTED */
#define REC_SAME	1	/* held as is: put with the new last_seen */
#define REC_CHANGED	2	/* held with other reason, code, flags */
#define REC_MANUAL	3	/* held as a manual entry: see struct old */

/* A held entry that needs more than a last_seen update. */
enum old_action {
	OLD_DELIST,		/* gone from the list: delete, DELISTED */
	OLD_EXPIRE,		/* its expires has passed: delete, EXPIRED */
	OLD_GRACE,		/* gone, kept until last_seen + expire */
	OLD_TOUCH		/* manual entry the list has too: last_seen */
};

struct old {
	struct rp_cidr	prefix;
	uint8_t		flags;
	uint8_t		action;		/* enum old_action */
	uint8_t		name_kind;	/* a name entry's; 0: an address */
	uint32_t	code;
	int64_t		first_seen, last_seen, expires;
	size_t		reason_off, reason_len;
	size_t		name_off, name_len;
};

/* Everything one source's import holds. */
struct job {
	struct store		*st;
	const struct cfg_source	*src;
	const struct imp_opts	*o;
	struct imp_result	*res;
	int64_t			 now;
	const char		*label;		/* the input, in warnings */
	struct fetch_result	 fr;
	struct fetch_result	*more;		/* o->files[1..] */
	size_t			 nmore;
	struct imp_list		 list;
	struct imp_stats	 stats;
	uint16_t		 source_id;
	/* The merge of the held entries with list. */
	int64_t			*first_seen;	/* per record; 0: new */
	size_t			 cursor;
	struct rp_cidr		 prev;
	int			 have_prev;
	struct old		*old;
	size_t			 nold, oldcap;
	char			*arena;		/* old[]'s reasons */
	size_t			 alen, acap;
	size_t			 held, delisted, changed;
	int			 store_damaged;	/* the write met corruption */
};

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
imp_source_due(struct store *st, const struct cfg_source *src,
    int64_t now, int64_t *due_at, struct store_source *status)
{
	struct store_txn *t;
	struct store_source s;
	int rc;

	*due_at = now;
	memset(&s, 0, sizeof(s));
	if (status != NULL)
		memset(status, 0, sizeof(*status));
	if ((rc = store_txn_begin(st, 0, &t)) != 0)
		return rc;
	rc = store_source_get(t, src->name, &s);
	store_txn_abort(t);
	if (rc != 0 && rc != -ENOENT)
		return rc;
	if (status != NULL)
		*status = s;
	*due_at = cfg_source_next_fetch(src, s.last_attempt, s.failures,
	    s.retry_after);
	return now >= *due_at;
}

/* Fill in the validators of the last good copy, if there is one. */
static int
job_validators(struct job *j, char *etag, size_t elen, char *lm,
    size_t lmlen)
{
	struct store_txn *t;
	struct store_source s;
	int rc;

	etag[0] = lm[0] = '\0';
	if ((rc = store_txn_begin(j->st, 0, &t)) != 0)
		return rc;
	rc = store_source_get(t, j->src->name, &s);
	store_txn_abort(t);
	if (rc == -ENOENT)
		return 0;
	if (rc != 0)
		return rc;
	snprintf(etag, elen, "%s", s.etag);
	snprintf(lm, lmlen, "%s", s.last_modified);
	return 0;
}

/* Some providers (DShield) want to know whom to tell when a fetcher
 * misbehaves: refuse to fetch from them anonymously. */
static int
job_contact_check(struct job *j)
{
	if (!j->src->contact_required || !fetch_is_http(j->src->url) ||
	    (j->o->contact != NULL && j->o->contact[0] != '\0'))
		return 0;
	snprintf(j->res->error, sizeof(j->res->error), "contact-required: "
	    "the provider of catalog list %s asks for an operator contact "
	    "in the User-Agent; set contact = (an e-mail address or URL) "
	    "in [server]", j->src->catalog ? j->src->catalog : "?");
	return -EPERM;
}

/* --file PATH...: each file, read as it is (no curl). */
static int
job_fetch_files(struct job *j)
{
	struct imp_result *res = j->res;
	size_t i, n = j->o->nfiles > 1 ? j->o->nfiles - 1 : 0;
	int rc;

	j->label = j->o->file;
	if ((rc = fetch_file_max(j->o->file, (size_t)j->src->max_size,
	    &j->fr, res->error, sizeof(res->error))) != 0)
		return rc;
	if (n > 0 && (j->more = calloc(n, sizeof(*j->more))) == NULL) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		j->nmore = i + 1;
		if ((rc = fetch_file_max(j->o->files[i + 1],
		    (size_t)j->src->max_size, &j->more[i], res->error,
		    sizeof(res->error))) != 0)
			return rc;
	}
	return 0;
}

static int
job_fetch(struct job *j)
{
	char etag[256], lm[64], ua[320];
	struct fetch_opts fo;
	struct imp_result *res = j->res;
	int rc;

	if (j->o->file != NULL)
		return job_fetch_files(j);
	j->label = j->src->url;
	if (strncmp(j->label, "file://", 7) == 0)
		j->label += 7;
	if ((rc = job_contact_check(j)) != 0)
		return rc;
	if ((rc = job_validators(j, etag, sizeof(etag), lm, sizeof(lm))) != 0) {
		snprintf(res->error, sizeof(res->error), "store: %s",
		    store_strerror(rc));
		return rc;
	}
	memset(&fo, 0, sizeof(fo));
	fo.v.etag = etag;
	fo.v.last_modified = lm;
	fo.timeout = (long)j->src->fetch_timeout;
	fo.max_size = (size_t)j->src->max_size;
	if (j->o->contact != NULL && j->o->contact[0] != '\0') {
		snprintf(ua, sizeof(ua), "%s (+%s)", FETCH_USER_AGENT,
		    j->o->contact);
		fo.user_agent = ua;
	}
	rc = fetch_get(j->src->url, &fo, &j->fr, res->error,
	    sizeof(res->error));
	if (rc == 0 && j->fr.not_modified)
		res->not_modified = 1;
	if (rc == 0)
		res->error[0] = '\0';
	return rc;
}

/*
 * The share of rejected lines (max-rejected): a provider having a bad
 * day shows as lines that do not parse, long before none do.
 */
static int
rule_rejected(struct job *j)
{
	const struct imp_stats *st = &j->stats;
	size_t lines = st->accepted + st->rejected;
	double pct;

	if (st->rejected == 0)
		return 0;
	pct = 100.0 * (double)st->rejected / (double)lines;
	if (pct > j->src->max_rejected) {
		snprintf(j->res->error, sizeof(j->res->error), "max-rejected: "
		    "%zu of %zu lines rejected (%.2f%%, more than %g%%)",
		    st->rejected, lines, pct, j->src->max_rejected);
		return -EINVAL;
	}
	return 0;
}

static void	warn_add(struct imp_result *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* Append to the warning of res, "; "-separated; cut when it is full. */
static void
warn_add(struct imp_result *res, const char *fmt, ...)
{
	size_t n = strlen(res->warning);
	va_list ap;

	if (n > 0 && n + 2 < sizeof(res->warning)) {
		memcpy(res->warning + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(res->warning + n, sizeof(res->warning) - n, fmt, ap);
	va_end(ap);
}

/* What a good import should still tell (kept as the source's
 * last_warning): the format "auto" picked, the format's notices (a
 * retired list, a layout it worked around), rejected lines. */
static void
job_warning(struct job *j)
{
	const struct imp_stats *st = &j->stats;
	size_t i, lines = st->accepted + st->rejected;

	if (st->detected && st->format != NULL)
		warn_add(j->res, "format auto: detected %s", st->format);
	for (i = 0; i < st->nnotes && i < IMP_NOTE_MAX; i++)
		warn_add(j->res, "%s", st->notes[i]);
	if (st->nnotes > IMP_NOTE_MAX)
		warn_add(j->res, "%zu more notices", st->nnotes - IMP_NOTE_MAX);
	if (st->rejected > 0)
		warn_add(j->res, "%zu of %zu lines rejected (%.2f%%)",
		    st->rejected, lines, 100.0 * (double)st->rejected /
		    (double)lines);
}

/*
 * No entry broader than max-prefix4/6: a list that suddenly holds
 * 0.0.0.0/0 or a /7 would list everyone; an exclusion that broad harms
 * nobody, so only listings count.
 */
static int
rule_prefix(struct job *j)
{
	char buf[RP_CIDR_STRLEN];
	const struct imp_rec *r, *first = NULL;
	unsigned max, bits = 0;
	size_t i, n = 0;

	for (i = 0; i < j->list.n; i++) {
		r = &j->list.recs[i];
		if (r->flags & STORE_F_EXCLUDE)
			continue;
		if (r->prefix.addr.family == RP_AF_INET)
			max = j->src->max_prefix4;
		else if (r->prefix.addr.family == RP_AF_INET6)
			max = j->src->max_prefix6;
		else
			continue;
		if (r->prefix.bits >= max)
			continue;
		if (n++ == 0 || r->prefix.bits < first->prefix.bits)
			first = r;
	}
	if (n == 0)
		return 0;
	bits = first->prefix.addr.family == RP_AF_INET ?
	    j->src->max_prefix4 : j->src->max_prefix6;
	snprintf(j->res->error, sizeof(j->res->error), "max-prefix%c: %s is "
	    "broader than /%u (%zu such entr%s); a source that means it sets "
	    "max-prefix%c", first->prefix.addr.family == RP_AF_INET ? '4' :
	    '6', cidr_str(&first->prefix, buf), bits, n, n == 1 ? "y" : "ies",
	    first->prefix.addr.family == RP_AF_INET ? '4' : '6');
	return -ERANGE;
}

/* Parse the body, or the bodies of several --file, into j->list. */
static int
job_parse_inputs(struct job *j, const struct imp_format *fmt)
{
	struct imp_input *in;
	unsigned flags = (j->src->strict_cidr ? IMP_F_STRICT_CIDR : 0) |
	    j->o->part << IMP_F_PART_SHIFT;
	size_t i;
	int rc;

	if ((in = calloc(j->nmore + 1, sizeof(*in))) == NULL)
		return -ENOMEM;
	in[0] = (struct imp_input){ j->label, j->fr.body, j->fr.len };
	for (i = 0; i < j->nmore; i++)
		in[i + 1] = (struct imp_input){ j->o->files[i + 1],
		    j->more[i].body, j->more[i].len };
	rc = imp_parse_list_inputs(fmt, in, j->nmore + 1, flags, &j->list,
	    &j->stats, j->res->error, sizeof(j->res->error));
	free(in);
	for (i = 0; i < j->nmore; i++)
		fetch_result_free(&j->more[i]);
	return rc;
}

static int
job_parse(struct job *j)
{
	const char *name = j->src->format ? j->src->format : "plain";
	const struct imp_format *fmt;
	int rc;

	if ((fmt = imp_format_find(name)) == NULL) {
		snprintf(j->res->error, sizeof(j->res->error),
		    "unknown format '%s'", name);
		return -EINVAL;
	}
	if ((rc = job_parse_inputs(j, fmt)) != 0 && j->res->error[0] == '\0')
		snprintf(j->res->error, sizeof(j->res->error), "%s",
		    strerror(-rc));
	j->res->rejected = (uint32_t)j->stats.rejected;
	j->res->nmeta = j->stats.nmeta;
	memcpy(j->res->meta, j->stats.meta, sizeof(j->res->meta));
	j->res->records = j->stats.records;	/* now the caller's */
	j->stats.records = NULL;
	/* The body is no longer needed: give its memory back early (the
	 * validators stay for the status). */
	free(j->fr.body);
	j->fr.body = NULL;
	j->fr.len = 0;
	if (rc == 0 && ((rc = rule_rejected(j)) != 0 ||
	    (rc = rule_prefix(j)) != 0))
		return rc;
	if (rc == 0)
		job_warning(j);
	if (rc == 0 && (j->first_seen = calloc(j->list.n + 1,
	    sizeof(*j->first_seen))) == NULL) {
		snprintf(j->res->error, sizeof(j->res->error), "out of memory");
		rc = -ENOMEM;
	}
	return rc;
}

/*
 * The index of the list record with the held entry's prefix, or -1.
 * The store walks entries in address order, so a cursor moving forward
 * finds them in O(n). Every record before the cursor sorts before the
 * previous entry; an entry out of that order is binary-searched and
 * moves the cursor back to keep that true.
 */
static ssize_t
merge_find(struct job *j, const struct rp_cidr *p)
{
	const struct imp_list *l = &j->list;
	size_t lo = 0, hi = l->n, mid;

	if (j->have_prev && imp_prefix_cmp(&j->prev, p) < 0) {
		while (j->cursor < l->n &&
		    imp_prefix_cmp(&l->recs[j->cursor].prefix, p) < 0)
			j->cursor++;
	} else {
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (imp_prefix_cmp(&l->recs[mid].prefix, p) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		j->cursor = lo;
	}
	j->prev = *p;
	j->have_prev = 1;
	if (j->cursor < l->n &&
	    imp_prefix_cmp(&l->recs[j->cursor].prefix, p) == 0)
		return (ssize_t)j->cursor;
	return -1;
}

/* Does the list say something other than the held entry e? */
static int
merge_differs(const struct job *j, const struct imp_rec *r,
    const struct store_entry *e)
{
	const uint8_t mask = STORE_F_EXCLUDE | STORE_F_CODE;
	const char *reason;
	size_t len;

	if ((e->flags & mask) != r->flags)
		return 1;
	if ((r->flags & STORE_F_CODE) && e->code != r->code)
		return 1;
	reason = imp_list_reason(&j->list, r, &len);
	return len != e->reason_len ||
	    (len > 0 && memcmp(reason, e->reason, len) != 0);
}

/* Remember a held entry with its action, copying its reason (and the
 * name of a name entry). */
static int
old_push(struct job *j, const struct store_entry *e, enum old_action a)
{
	size_t cap, need = e->reason_len + e->name_len;
	struct old *o;
	void *p;

	if (j->nold == j->oldcap) {
		cap = j->oldcap ? j->oldcap * 2 : 256;
		if ((p = realloc(j->old, cap * sizeof(*j->old))) == NULL)
			return -ENOMEM;
		j->old = p;
		j->oldcap = cap;
	}
	if (j->alen + need > j->acap) {
		cap = j->acap ? j->acap : 4096;
		while (cap < j->alen + need)
			cap *= 2;
		if ((p = realloc(j->arena, cap)) == NULL)
			return -ENOMEM;
		j->arena = p;
		j->acap = cap;
	}
	o = &j->old[j->nold++];
	o->prefix = e->prefix;
	o->flags = e->flags;
	o->action = (uint8_t)a;
	o->code = e->code;
	o->first_seen = e->first_seen;
	o->last_seen = e->last_seen;
	o->expires = e->expires;
	o->reason_off = j->alen;
	o->reason_len = e->reason_len;
	if (e->reason_len > 0)
		memcpy(j->arena + j->alen, e->reason, e->reason_len);
	j->alen += e->reason_len;
	o->name_kind = e->prefix.addr.family == RP_AF_NAME ? e->name_kind : 0;
	o->name_off = j->alen;
	o->name_len = o->name_kind ? e->name_len : 0;
	if (o->name_len > 0)
		memcpy(j->arena + j->alen, e->name, o->name_len);
	j->alen += o->name_len;
	return 0;
}

/* A held entry the list has: keep it, noting what the put must do. */
static int
merge_held(struct job *j, const struct store_entry *e, size_t i)
{
	struct imp_rec *r = &j->list.recs[i];
	int expired = e->expires != 0 && e->expires <= j->now;

	j->first_seen[i] = e->first_seen;
	/* A manual entry stays reputectl's (its reason, code, expiry)
	 * until that expiry passes; then the list's entry replaces it. */
	if ((e->flags & STORE_F_MANUAL) && !expired) {
		r->state = REC_MANUAL;
		return old_push(j, e, OLD_TOUCH);
	}
	r->state = (e->flags & STORE_F_MANUAL) || merge_differs(j, r, e) ?
	    REC_CHANGED : REC_SAME;
	return 0;
}

/* A held entry the list no longer has. */
static int
merge_gone(struct job *j, const struct store_entry *e)
{
	int64_t expire = j->src->expire;

	if (e->expires != 0 && e->expires <= j->now)
		return old_push(j, e, OLD_EXPIRE);
	if (e->flags & STORE_F_MANUAL) {
		j->res->kept++;
		return 0;
	}
	if (expire > 0 && j->now - e->last_seen < expire) {
		j->res->kept++;
		if (e->expires == e->last_seen + expire)
			return 0;
		return old_push(j, e, OLD_GRACE);
	}
	j->delisted++;
	return old_push(j, e, OLD_DELIST);
}

static int
merge_cb(const struct store_entry *e, void *arg)
{
	struct job *j = arg;
	ssize_t i;

	j->held++;
	if ((i = merge_find(j, &e->prefix)) >= 0)
		return merge_held(j, e, (size_t)i);
	return merge_gone(j, e);
}

/* Old[]'s text at off. The arena stays NULL while every text kept is
 * empty, and NULL + 0 is undefined: then NULL. */
static const char *
arena_at(const struct job *j, size_t off)
{
	return j->arena != NULL ? j->arena + off : NULL;
}

/* Apply the decisions about held entries the list does not replace. */
static int
apply_old(struct job *j, struct store_txn *t, const struct old *o)
{
	struct store_entry e = { .prefix = o->prefix,
	    .source_id = j->source_id, .flags = o->flags, .code = o->code,
	    .first_seen = o->first_seen, .last_seen = o->last_seen,
	    .expires = o->expires, .reason = arena_at(j, o->reason_off),
	    .reason_len = o->reason_len, .name_kind = o->name_kind,
	    .name = o->name_kind ? arena_at(j, o->name_off) : NULL,
	    .name_len = o->name_len };
	int rc;

	switch (o->action) {
	case OLD_DELIST:
	case OLD_EXPIRE:
		j->res->removed++;
		if ((rc = store_entry_del(t, j->source_id, &o->prefix)) != 0)
			return rc;
		return store_history_add_name(t, o->action == OLD_DELIST ?
		    STORE_EV_DELISTED : STORE_EV_EXPIRED, j->source_id,
		    &o->prefix, e.name_kind, e.name, e.name_len, e.reason,
		    e.reason_len, j->now);
	case OLD_GRACE:
		/* Only for display: when the entry will be gone. */
		e.expires = o->last_seen + j->src->expire;
		return store_entry_put(t, &e, NULL);
	default:
		e.last_seen = j->now;
		j->res->kept++;
		return store_entry_put(t, &e, NULL);
	}
}

/* Write one parsed prefix, with a history event if it is news. */
static int
apply_rec(struct job *j, struct store_txn *t, size_t i)
{
	const struct imp_rec *r = &j->list.recs[i];
	struct store_entry e = { .prefix = r->prefix,
	    .source_id = j->source_id, .flags = r->flags,
	    .code = (r->flags & STORE_F_CODE) ? r->code : 0,
	    .first_seen = j->first_seen[i] ? j->first_seen[i] : j->now,
	    .last_seen = j->now };
	int rc;

	if (r->state == REC_MANUAL)
		return 0;	/* done by apply_old() */
	e.reason = imp_list_reason(&j->list, r, &e.reason_len);
	e.name_kind = r->name_kind;
	e.name = imp_list_name(&j->list, r, &e.name_len);
	if ((rc = store_entry_put(t, &e, NULL)) != 0)
		return rc;
	if (r->state == REC_SAME) {
		j->res->kept++;
		return 0;
	}
	if (r->state == REC_CHANGED) {
		j->res->kept++;
		j->changed++;
	} else
		j->res->added++;
	return store_history_add_name(t, r->state == REC_NEW ?
	    STORE_EV_LISTED : STORE_EV_CHANGED, j->source_id, &r->prefix,
	    e.name_kind, e.name, e.name_len, e.reason, e.reason_len, j->now);
}

/* Merge the list into the held entries; refuses a large shrink
 * (max-shrink): a list cut short in transit still parses. */
static int
job_merge(struct job *j, struct store_txn *t)
{
	struct imp_result *res = j->res;
	double pct;
	size_t i;
	int rc;

	if ((rc = store_entry_foreach(t, j->source_id, 0, merge_cb, j)) != 0)
		return rc;
	pct = j->held ? 100.0 * (double)j->delisted / (double)j->held : 0;
	if (!j->o->allow_shrink && pct > j->src->max_shrink) {
		snprintf(res->error, sizeof(res->error), "max-shrink: would "
		    "remove %zu of %zu entries (%.1f%%, more than %g%%); "
		    "--allow-shrink accepts it", j->delisted, j->held, pct,
		    j->src->max_shrink);
		return -ERANGE;
	}
	for (i = 0; i < j->nold; i++) {
		if ((rc = apply_old(j, t, &j->old[i])) != 0)
			return rc;
	}
	for (i = 0; i < j->list.n; i++) {
		if ((rc = apply_rec(j, t, i)) != 0)
			return rc;
	}
	return 0;
}

/* The status of a good import; s is the source's status as held. */
static void
job_status(struct job *j, struct store_source *s)
{
	const struct imp_result *res = j->res;

	s->last_attempt = s->last_success = j->now;
	if (res->added || res->removed || j->changed)
		s->last_change = j->now;
	if (!res->not_modified) {
		s->added = res->added;
		s->kept = res->kept;
		s->removed = res->removed;
		s->rejected = res->rejected;
	} else {
		s->added = s->removed = s->rejected = 0;
		s->kept = (uint32_t)s->entries;
	}
	/* A 304 may carry no validators: keep the ones that got it. */
	if (!res->not_modified || j->fr.etag[0] != '\0')
		snprintf(s->etag, sizeof(s->etag), "%s", j->fr.etag);
	if (!res->not_modified || j->fr.last_modified[0] != '\0')
		snprintf(s->last_modified, sizeof(s->last_modified), "%s",
		    j->fr.last_modified);
	s->last_error[0] = '\0';
	s->failures = 0;
	s->retry_after = 0;
	snprintf(s->last_warning, sizeof(s->last_warning), "%s",
	    res->warning);
}

/* The one write transaction of a good fetch. */
static int
job_write(struct job *j)
{
	struct store_txn *t = NULL;
	struct store_source s;
	int rc;

	if ((rc = store_txn_begin(j->st, 1, &t)) != 0 ||
	    (rc = store_source_ensure(t, j->src->name, &s)) != 0)
		goto fail;
	j->source_id = s.id;
	if (!j->res->not_modified && (rc = job_merge(j, t)) != 0)
		goto fail;
	job_status(j, &s);
	if ((rc = store_source_put(t, &s)) != 0)
		goto fail;
	rc = store_txn_commit(t);
	t = NULL;
	if (rc != 0)
		goto fail;
	return 0;
fail:
	store_txn_abort(t);
	if (j->res->error[0] == '\0')
		snprintf(j->res->error, sizeof(j->res->error), "store: %s",
		    store_strerror(rc));
	j->store_damaged = rc == -EIO || rc == -EILSEQ || rc == -ENODATA;
	return rc;
}

/* The number of prefixes the source holds, read back after the commit
 * (the store counts them when the transaction commits). */
static void
job_count(struct job *j)
{
	struct store_txn *t;
	struct store_source s;

	if (store_txn_begin(j->st, 0, &t) != 0)
		return;
	if (store_source_get(t, j->src->name, &s) == 0)
		j->res->entries = s.entries;
	store_txn_abort(t);
}

/* Record a failure in its own small transaction: the data stays. */
static void
job_record_failure(struct job *j)
{
	struct store_txn *t = NULL;
	struct store_source s;
	int rc;

	if ((rc = store_txn_begin(j->st, 1, &t)) != 0 ||
	    (rc = store_source_ensure(t, j->src->name, &s)) != 0)
		goto fail;
	s.last_attempt = j->now;
	snprintf(s.last_error, sizeof(s.last_error), "%s", j->res->error);
	/* Back-off is about the provider: a bad --file is not its fault. */
	if (j->o->file == NULL && s.failures < UINT32_MAX)
		s.failures++;
	s.retry_after = j->fr.retry_after;
	if ((rc = store_source_put(t, &s)) != 0)
		goto fail;
	rc = store_txn_commit(t);
	t = NULL;
	if (rc == 0)
		return;
fail:
	store_txn_abort(t);
	log_warnx("%s: cannot record the failure: %s", j->src->name,
	    store_strerror(rc));
}

static void
job_fini(struct job *j)
{
	size_t i;

	fetch_result_free(&j->fr);
	for (i = 0; i < j->nmore; i++)
		fetch_result_free(&j->more[i]);
	free(j->more);
	imp_list_fini(&j->list);
	free(j->first_seen);
	free(j->old);
	free(j->arena);
}

int
imp_source(struct store *st, const struct cfg_source *src,
    const struct imp_opts *o, struct imp_result *res)
{
	struct job j;
	double t0 = mono_now();
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&j, 0, sizeof(j));
	j.st = st;
	j.src = src;
	j.o = o;
	j.res = res;
	j.now = (int64_t)time(NULL);
	imp_list_init(&j.list);
	if (o->file == NULL && src->url == NULL) {
		snprintf(res->error, sizeof(res->error), "manual source: no "
		    "url (use --file)");
		rc = -EINVAL;
	} else if ((rc = job_fetch(&j)) == 0 &&
	    (res->not_modified || (rc = job_parse(&j)) == 0) &&
	    (rc = job_write(&j)) == 0)
		job_count(&j);
	/* A damaged store is left as it is: not even the status is written. */
	if (rc != 0 && !j.store_damaged)
		job_record_failure(&j);
	job_fini(&j);
	res->secs = mono_now() - t0;
	return rc;
}

void
imp_result_print(const char *name, int rc, const struct imp_result *res,
    FILE *out, FILE *errout)
{
	if (rc != 0)
		fprintf(errout, "%s: import failed: %s\n", name, res->error);
	else if (res->not_modified)
		fprintf(out, "%s: %llu entries, not modified, %.2f s\n", name,
		    (unsigned long long)res->entries, res->secs);
	else
		fprintf(out, "%s: %llu entries, +%u -%u =%u, %u rejected, "
		    "%.2f s\n", name, (unsigned long long)res->entries,
		    res->added, res->removed, res->kept, res->rejected,
		    res->secs);
}
