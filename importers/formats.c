/* formats.c -- the format table, body checks, line splitting, item lists. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "log.h"
#include "store.h"

/* Warnings printed per body; the rest are counted (rbldnsd does alike). */
#define IMP_WARN_MAX	20

/* Format "auto" asks the formats with a sniff in this order. */
const struct imp_format *const imp_formats[] = {
	&fmt_plain,
	&fmt_auto,
	&fmt_spamhaus_drop,
	&fmt_spamhaus_json,
	&fmt_spamhaus_asndrop,
	&fmt_firehol,
	&fmt_dshield,
	&fmt_abuse_ch_csv,
	&fmt_abuse_ch_txt,
	&fmt_tor_exits,
	&fmt_rbldnsd,
	&fmt_rbldnsd_ip4set,
	&fmt_rbldnsd_ip4tset,
	&fmt_rbldnsd_ip4trie,
	&fmt_rbldnsd_ip6tset,
	&fmt_rbldnsd_ip6trie,
	&fmt_rbldnsd_dnset,
	&fmt_rbldnsd_combined,
	&fmt_rbldnsd_acl,
	&fmt_rbldnsd_generic,
	NULL
};

const struct imp_format *
imp_format_find(const char *name)
{
	size_t i;

	for (i = 0; imp_formats[i] != NULL; i++) {
		if (strcmp(imp_formats[i]->name, name) == 0)
			return imp_formats[i];
	}
	return NULL;
}

int
imp_emit(struct imp_parser *p, const struct imp_item *it)
{
	p->items++;
	return p->sink.emit(it, p->sink.arg);
}

void
imp_warn(struct imp_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->last_warning, sizeof(p->last_warning), fmt, ap);
	va_end(ap);
	if (++p->warnings <= IMP_WARN_MAX)
		log_warnx("%s:%zu: %s", p->path, p->lineno, p->last_warning);
}

void
imp_notice(struct imp_parser *p, const char *fmt, ...)
{
	struct imp_stats *st = p->stats;
	char msg[IMP_NOTE_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s: %s", p->path, msg);
	if (st == NULL)
		return;
	if (st->nnotes < IMP_NOTE_MAX)
		memcpy(st->notes[st->nnotes], msg, sizeof(msg));
	st->nnotes++;
}

void
imp_meta_set(struct imp_parser *p, const char *key, const char *fmt, ...)
{
	struct imp_stats *st = p->stats;
	struct imp_meta *m = NULL;
	va_list ap;
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nmeta && m == NULL; i++) {
		if (strcmp(st->meta[i].key, key) == 0)
			m = &st->meta[i];
	}
	if (m == NULL) {
		if (st->nmeta == IMP_META_MAX)
			return;		/* a format sets a known few */
		m = &st->meta[st->nmeta++];
		m->key = key;
	}
	va_start(ap, fmt);
	vsnprintf(m->value, sizeof(m->value), fmt, ap);
	va_end(ap);
}

int
imp_record_add(struct imp_parser *p, const char *line)
{
	struct imp_stats *st = p->stats;
	size_t n = strlen(line), cap;
	char *b;

	if (st == NULL)
		return 0;
	if (st->records_len + n + 2 > st->records_cap) {
		for (cap = st->records_cap ? st->records_cap : 1024;
		    cap < st->records_len + n + 2; cap *= 2)
			;
		if ((b = realloc(st->records, cap)) == NULL)
			return -ENOMEM;
		st->records = b;
		st->records_cap = cap;
	}
	memcpy(st->records + st->records_len, line, n);
	st->records_len += n;
	st->records[st->records_len++] = '\n';
	st->records[st->records_len] = '\0';
	st->nrecords++;
	return 0;
}

void
imp_stats_fini(struct imp_stats *st)
{
	free(st->records);
	st->records = NULL;
	st->records_len = st->records_cap = st->nrecords = 0;
}

const char *
imp_stats_meta(const struct imp_stats *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->nmeta; i++) {
		if (strcmp(st->meta[i].key, key) == 0)
			return st->meta[i].value;
	}
	return NULL;
}

char *
imp_trim(char *s)
{
	char *e;

	s += strspn(s, " \t");
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	return s;
}

int
imp_parse_prefix(struct imp_parser *p, const char *tok, struct rp_cidr *c)
{
	char buf[RP_CIDR_STRLEN];
	int host_bits;

	if (cidr_parse(tok, c, &host_bits) != 0) {
		imp_warn(p, "bad address '%.64s'", tok);
		return 1;
	}
	if (host_bits && (p->flags & IMP_F_STRICT_CIDR)) {
		imp_warn(p, "host bits set in '%.64s', line skipped", tok);
		return 1;
	}
	/* Lists do carry "10.1.2.3/24"; mean the network, but say so. */
	if (host_bits)
		imp_warn(p, "host bits set in '%.64s', using %s", tok,
		    cidr_str(c, buf));
	return 0;
}

void *
imp_state(struct imp_parser *p, size_t size)
{
	if (p->state == NULL)
		p->state = calloc(1, size);
	return p->state;
}

/*
 * Walk the head of a body: call fn on each non-empty line (leading
 * blanks skipped, trailing blanks and CR cut) until it returns non-zero
 * or the head ends. Returns fn's value, or 0.
 */
static int
head_walk(const char *body, size_t len,
    int (*fn)(const char *line, size_t n, const void *arg), const void *arg)
{
	const char *s = body, *end, *nl, *e;
	size_t lines = 0;
	int rc;

	if (len > IMP_HEAD_BYTES)
		len = IMP_HEAD_BYTES;
	end = body + len;
	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	for (; s < end && lines < IMP_HEAD_LINES; s = nl + 1, lines++) {
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		for (e = nl; e > s && (e[-1] == '\r' || e[-1] == ' ' ||
		    e[-1] == '\t'); e--)
			;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if (s < e && (rc = fn(s, (size_t)(e - s), arg)) != 0)
			return rc;
	}
	return 0;
}

static int
starts_with(const char *line, size_t n, const void *arg)
{
	const char *prefix = arg;
	size_t plen = strlen(prefix);

	return n >= plen && memcmp(line, prefix, plen) == 0;
}

int
imp_head_has_line(const char *body, size_t len, const char *prefix)
{
	return head_walk(body, len, starts_with, prefix);
}

int
imp_head_contains(const char *body, size_t len, const char *needle)
{
	if (len > IMP_HEAD_BYTES)
		len = IMP_HEAD_BYTES;
	return memmem(body, len, needle, strlen(needle)) != NULL;
}

/* Where the first line goes: the walk stops at it. */
struct first_line {
	const char	**line;
	size_t		 *len;
};

static int
take_first(const char *line, size_t n, const void *arg)
{
	const struct first_line *f = arg;

	*f->line = line;
	*f->len = n;
	return 1;
}

int
imp_head_first_line(const char *body, size_t len, const char **line,
    size_t *linelen)
{
	struct first_line f = { line, linelen };

	return head_walk(body, len, take_first, &f) ? 0 : -ENOENT;
}

const struct imp_format *
imp_format_detect(const char *body, size_t len)
{
	size_t i;

	for (i = 0; imp_formats[i] != NULL; i++) {
		if (imp_formats[i]->sniff != NULL &&
		    imp_formats[i]->sniff(body, len))
			return imp_formats[i];
	}
	return &fmt_plain;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\f' || c == '\v';
}

int
imp_body_check(const char *body, size_t len, const char **why)
{
	size_t i = 0;

	/* A UTF-8 byte order mark is not content. */
	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && is_blank(body[i]))
		i++;
	if (i == len) {
		*why = "empty body";
		return -EINVAL;
	}
	if (memchr(body, '\0', len) != NULL) {
		*why = "binary data, not a list";
		return -EINVAL;
	}
	/* Error and challenge pages from CDNs and WAFs are HTML. */
	if (body[i] == '<') {
		*why = "HTML page, not a list";
		return -EINVAL;
	}
	return 0;
}

/*
 * Cut the line starting at s (ending before end) in place: trim spaces,
 * tabs and the CR of CRLF, NUL-terminate. Returns its start; *len is
 * the trimmed length.
 */
static char *
cut_line(char *s, char *end, size_t *len)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		end--;
	*end = '\0';
	*len = (size_t)(end - s);
	return s;
}

/* Feed every non-empty line to fmt. 0, or <0 when the format aborted. */
static int
parse_lines(const struct imp_format *fmt, struct imp_parser *p,
    char *body, size_t len, struct imp_stats *st, char *first_bad,
    size_t first_bad_len)
{
	char *s = body, *bend = body + len, *nl, *line;
	size_t n, before;
	int rc;

	if (len >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < bend) {
		if ((nl = memchr(s, '\n', (size_t)(bend - s))) == NULL)
			nl = bend;	/* the last line needs no newline */
		p->lineno++;
		st->lines++;
		p->offset = (size_t)(s - body);
		line = cut_line(s, nl, &n);
		s = nl + 1;
		if (n == 0)
			continue;
		before = p->items;
		if ((rc = fmt->parse_line(p, line, n)) < 0)
			return rc;
		if (rc > 0 && st->rejected++ == 0)
			snprintf(first_bad, first_bad_len, "line %zu: %s",
			    p->lineno, p->last_warning);
		else if (rc == 0 && p->items > before)
			st->accepted++;
	}
	return 0;
}

/* The verdict on a parsed body: is it a list at all? */
static int
judge(const struct imp_stats *st, const char *first_bad, char *err,
    size_t errlen)
{
	if (st->rejected > 0 && st->accepted == 0) {
		snprintf(err, errlen, "not a list: no line accepted, %zu "
		    "rejected (%s)", st->rejected, first_bad);
		return -EINVAL;
	}
	if (st->rejected > st->accepted) {
		snprintf(err, errlen, "not a list: %zu lines rejected, only "
		    "%zu accepted (%s)", st->rejected, st->accepted,
		    first_bad);
		return -EINVAL;
	}
	return 0;
}

/* The format that parses body: fmt, or the one "auto" picks. */
static const struct imp_format *
pick_format(const struct imp_format *fmt, const char *body, size_t len,
    struct imp_stats *st)
{
	if (fmt->detect != NULL) {
		fmt = fmt->detect(body, len);
		st->detected = 1;
	}
	st->format = fmt->name;
	return fmt;
}

int
imp_parse_body(const struct imp_format *fmt, const char *path,
    char *body, size_t len, const struct imp_sink *sink,
    struct imp_stats *st, char *err, size_t errlen)
{
	struct imp_input in = { path, body, len };

	return imp_parse_inputs(fmt, &in, 1, 0, sink, st, err, errlen);
}

/* The body checks of every input; a format whose data may be empty
 * (and any input of several) may be blank. 0 or -EINVAL. */
static int
check_inputs(const struct imp_format *fmt, const struct imp_input *in,
    size_t n, char *err, size_t errlen)
{
	const char *why;
	size_t i;

	for (i = 0; i < n; i++) {
		if (imp_body_check(in[i].body, in[i].len, &why) == 0)
			continue;
		if ((fmt->empty_ok || n > 1) && strcmp(why, "empty body") == 0)
			continue;
		if (n > 1)
			snprintf(err, errlen, "%s: %s", in[i].path, why);
		else
			snprintf(err, errlen, "%s", why);
		return -EINVAL;
	}
	return 0;
}

int
imp_parse_inputs(const struct imp_format *fmt, const struct imp_input *in,
    size_t n, unsigned flags, const struct imp_sink *sink,
    struct imp_stats *st, char *err, size_t errlen)
{
	struct imp_parser p;
	char first_bad[200] = "", scratch[200];
	size_t i;
	int rc = 0, frc = 0;

	memset(st, 0, sizeof(*st));
	if (n == 0 || check_inputs(fmt, in, n, err, errlen) != 0) {
		if (n == 0)
			snprintf(err, errlen, "no input");
		return -EINVAL;
	}
	fmt = pick_format(fmt, in[0].body, in[0].len, st);
	memset(&p, 0, sizeof(p));
	p.path = in[0].path;
	p.sink = *sink;
	p.stats = st;
	p.flags = flags;
	p.dups = fmt->dups;
	if (fmt->begin != NULL)
		rc = fmt->begin(&p, in, n);
	for (i = 0; rc >= 0 && i < n; i++) {
		p.file = i;
		p.path = in[i].path;
		p.lineno = 0;
		rc = parse_lines(fmt, &p, in[i].body, in[i].len, st,
		    first_bad, sizeof(first_bad));
	}
	if (rc < 0)
		snprintf(err, errlen, "%s:%zu: import aborted: %s", p.path,
		    p.lineno, strerror(-rc));
	/* After an abort finish only cleans up: keep the first message. */
	if (fmt->finish != NULL)
		frc = fmt->finish(&p, rc < 0, rc < 0 ? scratch : err,
		    rc < 0 ? sizeof(scratch) : errlen);
	free(p.state);
	st->items = p.items;
	st->dups = p.dups;
	if (p.warnings > IMP_WARN_MAX)
		log_warnx("%s: %zu more warnings not shown", in[0].path,
		    p.warnings - IMP_WARN_MAX);
	if (rc < 0)
		return rc;
	if (frc < 0)
		return frc;
	return fmt->empty_ok ? 0 : judge(st, first_bad, err, errlen);
}

void
imp_list_init(struct imp_list *l)
{
	memset(l, 0, sizeof(*l));
}

void
imp_list_fini(struct imp_list *l)
{
	if (l == NULL)
		return;
	free(l->recs);
	free(l->arena);
	memset(l, 0, sizeof(*l));
}

static int
list_reserve(struct imp_list *l, size_t more)
{
	struct imp_rec *r;
	size_t cap;

	if (l->n + more <= l->cap)
		return 0;
	cap = l->cap ? l->cap : 1024;
	while (cap < l->n + more)
		cap *= 2;
	if ((r = realloc(l->recs, cap * sizeof(*r))) == NULL)
		return -ENOMEM;
	l->recs = r;
	l->cap = cap;
	return 0;
}

_Static_assert(IMP_MERGE_MAX <= UINT16_MAX && NAME_TEXT_MAX <= UINT8_MAX,
    "struct imp_rec holds the lengths");

/* Copy a reason (of a name record: its name, then its reason) into the
 * arena; *off is where. Repeats of the previous record's (IPsum's
 * counts, one SBL id per split range) share its copy. */
static int
arena_add(struct imp_list *l, const char *s, size_t len, uint32_t *off)
{
	static const size_t max = UINT32_MAX;
	const struct imp_rec *prev = l->n > 0 ? &l->recs[l->n - 1] : NULL;
	size_t cap;
	char *a;

	if (prev != NULL && (size_t)prev->name_len + prev->reason_len ==
	    len && memcmp(l->arena + prev->reason_off, s, len) == 0) {
		*off = prev->reason_off;
		return 0;
	}
	if (len > max - l->alen)
		return -ENOMEM;
	if (l->alen + len > l->acap) {
		cap = l->acap ? l->acap : 65536;
		while (cap < l->alen + len)
			cap *= 2;
		if ((a = realloc(l->arena, cap)) == NULL)
			return -ENOMEM;
		l->arena = a;
		l->acap = cap;
	}
	memcpy(l->arena + l->alen, s, len);
	*off = (uint32_t)l->alen;
	l->alen += len;
	return 0;
}

/* What a range split adds: the prefix plus the item's other fields. */
struct split_ctx {
	struct imp_list		*l;
	const struct imp_item	*it;
	uint32_t		 off;
};

static int
add_prefix(const struct rp_cidr *c, void *arg)
{
	struct split_ctx *x = arg;
	struct imp_rec *r;

	if (list_reserve(x->l, 1) != 0)
		return -ENOMEM;
	r = &x->l->recs[x->l->n++];
	memset(r, 0, sizeof(*r));
	r->prefix = *c;
	r->flags = x->it->flags;
	r->code = x->it->code;
	r->reason_off = x->off;
	r->reason_len = (uint16_t)x->it->reason_len;
	if (x->it->name != NULL) {
		r->name_kind = x->it->name->kind;
		r->name_len = x->it->name->len;
	}
	return 0;
}

/* A name item: its name and reason are one copy in the arena. */
static int
list_add_name(struct imp_list *l, const struct imp_item *it)
{
	char blob[NAME_TEXT_MAX + IMP_REASON_MAX];
	struct split_ctx x = { l, it, 0 };
	size_t nlen = it->name->len;
	int rc;

	if (nlen == 0 || nlen > NAME_TEXT_MAX)
		return -EINVAL;
	memcpy(blob, it->name->text, nlen);
	if (it->reason_len > 0)
		memcpy(blob + nlen, it->reason, it->reason_len);
	if ((rc = arena_add(l, blob, nlen + it->reason_len, &x.off)) != 0)
		return rc;
	return add_prefix(&it->prefix, &x);
}

int
imp_list_add(struct imp_list *l, const struct imp_item *it)
{
	struct imp_item cut = *it;
	struct split_ctx x = { l, &cut, 0 };
	int rc;

	if (cut.reason_len > IMP_REASON_MAX)
		cut.reason_len = IMP_REASON_MAX;
	if (cut.name != NULL)
		return list_add_name(l, &cut);
	if (cut.reason_len > 0 &&
	    (rc = arena_add(l, cut.reason, cut.reason_len, &x.off)) != 0)
		return rc;
	if (!cut.is_range)
		return add_prefix(&cut.prefix, &x);
	return cidr_range_split(&cut.lo, &cut.hi, add_prefix, &x);
}

int
imp_list_emit(const struct imp_item *it, void *arg)
{
	return imp_list_add(arg, it);
}

int
imp_prefix_cmp(const struct rp_cidr *a, const struct rp_cidr *b)
{
	int c;

	if (a->addr.family != b->addr.family)
		return a->addr.family < b->addr.family ? -1 : 1;
	if ((c = memcmp(a->addr.bytes, b->addr.bytes, 16)) != 0)
		return c;
	return (int)a->bits - (int)b->bits;
}

static inline int
rec_le(const struct imp_rec *a, const struct imp_rec *b)
{
	return imp_prefix_cmp(&a->prefix, &b->prefix) <= 0;
}

/* The sort key is struct rp_cidr's bytes as laid out: family, address,
 * length -- exactly the order imp_prefix_cmp() defines. */
#define KEY_LEN	((unsigned)sizeof(struct rp_cidr))
_Static_assert(sizeof(struct rp_cidr) == 18 &&
    offsetof(struct rp_cidr, addr) == 0 &&
    offsetof(struct rp_addr, bytes) == 1 &&
    offsetof(struct rp_cidr, bits) == 17, "struct rp_cidr is a byte key");

/*
 * Stable LSD radix sort, one pass per key byte that is not the same in
 * every record: an IPv4 list costs about four passes, whatever its
 * order (a comparison sort of 10M records took seconds). Stability
 * keeps the first of equal prefixes first. tmp holds n records; the
 * result is in *a, which may now point at tmp (*tmp then at the old).
 */
static int
rec_radix_sort(struct imp_rec **a, struct imp_rec **tmp, size_t n)
{
	size_t (*cnt)[256] = calloc(KEY_LEN, sizeof(*cnt));
	struct imp_rec *src = *a, *dst = *tmp, *swap;
	const uint8_t *key;
	size_t i, sum, c;
	int k;

	if (cnt == NULL)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		key = (const uint8_t *)&src[i].prefix;
		for (k = 0; k < (int)KEY_LEN; k++)
			cnt[k][key[k]]++;
	}
	for (k = (int)KEY_LEN - 1; k >= 0; k--) {
		if (cnt[k][((const uint8_t *)&src[0].prefix)[k]] == n)
			continue;	/* one value: nothing to order */
		for (i = 0, sum = 0; i < 256; i++) {
			c = cnt[k][i];
			cnt[k][i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++) {
			key = (const uint8_t *)&src[i].prefix;
			dst[cnt[k][key[k]]++] = src[i];
		}
		swap = src;
		src = dst;
		dst = swap;
	}
	free(cnt);
	*a = src;
	*tmp = dst;
	return 0;
}

/* Is line (len bytes) one of the "\n"-separated lines of text? */
static int
has_line(const char *text, size_t tlen, const char *line, size_t len)
{
	const char *end = text + tlen, *nl;

	for (; text <= end; text = nl + 1) {
		if ((nl = memchr(text, '\n', (size_t)(end - text))) == NULL)
			nl = end;
		if ((size_t)(nl - text) == len && memcmp(text, line, len) == 0)
			return 1;
	}
	return 0;
}

/*
 * IMP_DUPS_MERGE: o lists r's prefix too; its reason becomes another
 * line of r's (rbldnsd answers every value of an ip4set cell or a dnset
 * name). Only the first code stays: an entry has one. A name record's
 * copy starts with its name (o's is the same). 0 or -ENOMEM.
 */
static int
rec_merge(struct imp_list *l, struct imp_rec *r, const struct imp_rec *o)
{
	size_t len = r->reason_len + 1 + o->reason_len, nlen = r->name_len;
	const char *rr, *or;
	size_t rlen, olen;
	uint32_t off;
	char *buf;
	int rc;

	rr = imp_list_reason(l, r, &rlen);
	or = imp_list_reason(l, o, &olen);
	if (olen == 0 || (rlen > 0 && has_line(rr, rlen, or, olen)))
		return 0;
	if (rlen == 0) {
		r->reason_off = o->reason_off;
		r->reason_len = o->reason_len;
		return 0;
	}
	if (len > IMP_MERGE_MAX)
		return 0;
	/* Built aside: arena_add() may move the arena. */
	if ((buf = malloc(nlen + len)) == NULL)
		return -ENOMEM;
	memcpy(buf, l->arena + r->reason_off, nlen + rlen);
	buf[nlen + rlen] = '\n';
	memcpy(buf + nlen + rlen + 1, or, olen);
	len += nlen;
	rc = arena_add(l, buf, len, &off);
	free(buf);
	if (rc == 0) {
		r->reason_off = off;
		r->reason_len = (uint16_t)(len - nlen);
	}
	return rc;
}

int
imp_list_sort(struct imp_list *l)
{
	struct imp_rec *tmp;
	size_t i, out;
	int rc;

	if (l->n < 2)
		return 0;
	for (i = 1; i < l->n && rec_le(&l->recs[i - 1], &l->recs[i]); i++)
		;
	if (i < l->n) {
		if ((tmp = malloc(l->n * sizeof(*tmp))) == NULL)
			return -ENOMEM;
		rc = rec_radix_sort(&l->recs, &tmp, l->n);
		free(tmp);
		if (rc != 0)
			return rc;
		l->cap = l->n;
	}
	for (i = 1, out = 1; i < l->n; i++) {
		if (imp_prefix_cmp(&l->recs[out - 1].prefix,
		    &l->recs[i].prefix) != 0)
			l->recs[out++] = l->recs[i];
		else if (l->dups == IMP_DUPS_FIRST)
			continue;
		/* An exclusion wins over a listing of the same prefix
		 * wherever it stands (rbldnsd's rule). */
		else if ((l->recs[i].flags & STORE_F_EXCLUDE) &&
		    !(l->recs[out - 1].flags & STORE_F_EXCLUDE))
			l->recs[out - 1] = l->recs[i];
		else if (l->dups == IMP_DUPS_MERGE &&
		    !(l->recs[out - 1].flags & STORE_F_EXCLUDE) &&
		    (rc = rec_merge(l, &l->recs[out - 1], &l->recs[i])) != 0)
			return rc;
	}
	l->n = out;
	return 0;
}

const char *
imp_list_reason(const struct imp_list *l, const struct imp_rec *r,
    size_t *len)
{
	*len = r->reason_len;
	return r->reason_len ? l->arena + r->reason_off + r->name_len : "";
}

const char *
imp_list_name(const struct imp_list *l, const struct imp_rec *r,
    size_t *len)
{
	*len = r->name_kind ? r->name_len : 0;
	return r->name_kind ? l->arena + r->reason_off : NULL;
}

const struct imp_rec *
imp_list_find(const struct imp_list *l, const struct rp_cidr *prefix)
{
	size_t lo = 0, hi = l->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = imp_prefix_cmp(&l->recs[mid].prefix, prefix);
		if (c == 0)
			return &l->recs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
imp_parse_list(const struct imp_format *fmt, const char *path,
    char *body, size_t len, struct imp_list *l, struct imp_stats *st,
    char *err, size_t errlen)
{
	struct imp_input in = { path, body, len };

	return imp_parse_list_inputs(fmt, &in, 1, 0, l, st, err, errlen);
}

int
imp_parse_list_inputs(const struct imp_format *fmt,
    const struct imp_input *in, size_t n, unsigned flags,
    struct imp_list *l, struct imp_stats *st, char *err, size_t errlen)
{
	struct imp_sink sink = { imp_list_emit, l };
	int rc;

	if ((rc = imp_parse_inputs(fmt, in, n, flags, &sink, st, err,
	    errlen)) != 0)
		return rc;
	l->dups = st->dups;
	if ((rc = imp_list_sort(l)) != 0)
		snprintf(err, errlen, "sorting %zu prefixes: %s", l->n,
		    strerror(-rc));
	return rc;
}
