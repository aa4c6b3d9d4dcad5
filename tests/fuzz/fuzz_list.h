/* fuzz_list.h -- what the list format targets share: parse a body with a
 * format and check what came out (fuzz_formats.c, fuzz_rbldnsd.c). */
#ifndef REPUTED_FUZZ_LIST_H
#define REPUTED_FUZZ_LIST_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "store.h"
#include "../../importers/formats.h"

#include "fuzz.h"

/* A format's own checks of a parsed list, after the common ones. */
typedef void	fl_extra_fn(const char *target, int rc,
		    const struct imp_list *l, const struct imp_stats *st);

/* A prefix is canonical: a known family, a length that fits, no host
 * bits, nothing past an IPv4 address, and its text reads back. */
static __attribute__((unused)) void
fl_check_prefix(const char *target, const struct rp_cidr *c)
{
	char buf[RP_CIDR_STRLEN];
	struct rp_addr masked = c->addr;
	struct rp_cidr back;
	unsigned fam = c->addr.family;
	size_t i;

	FH_CHECK(target, fam == RP_AF_INET || fam == RP_AF_INET6 ||
	    fam == RP_AF_ASN || fam == RP_AF_NAME);
	if (fam == RP_AF_NAME) {	/* a digest: fl_check_name() */
		FH_CHECK(target, c->bits == 128);
		return;
	}
	FH_CHECK(target, c->bits <= cidr_family_bits(fam));
	FH_CHECK(target, fam != RP_AF_ASN || c->bits == 32);
	cidr_mask(&masked, c->bits);
	FH_CHECK(target, memcmp(&masked, &c->addr, sizeof(masked)) == 0);
	for (i = 4; fam != RP_AF_INET6 && i < 16; i++)
		FH_CHECK(target, c->addr.bytes[i] == 0);
	cidr_str(c, buf);
	FH_CHECK(target, (fam == RP_AF_ASN ? cidr_parse_asn(buf, &back) :
	    cidr_parse(buf, &back, NULL)) == 0);
	FH_CHECK(target, back.bits == c->bits &&
	    memcmp(&back.addr, &c->addr, sizeof(back.addr)) == 0);
}

/* A name record's name parses back to itself and gives its key. */
static __attribute__((unused)) void
fl_check_name(const char *target, const struct imp_list *l,
    const struct imp_rec *r)
{
	char buf[NAME_STRLEN];
	struct rp_name n, back;
	struct rp_cidr key;
	const char *text;
	size_t len;

	text = imp_list_name(l, r, &len);
	FH_CHECK(target, (r->name_kind != 0) ==
	    (r->prefix.addr.family == RP_AF_NAME));
	if (r->name_kind == 0) {
		FH_CHECK(target, text == NULL && len == 0);
		return;
	}
	FH_CHECK(target, text != NULL && len > 0 && len <= NAME_TEXT_MAX);
	FH_CHECK(target, (size_t)r->reason_off + len + r->reason_len <=
	    l->alen);
	memset(&n, 0, sizeof(n));
	n.kind = r->name_kind;
	n.len = (uint8_t)len;
	memcpy(n.text, text, len);
	name_str(&n, buf);
	FH_CHECK(target, name_parse(buf, strlen(buf), &back) == 0);
	FH_CHECK(target, back.kind == n.kind && back.len == n.len &&
	    memcmp(back.text, n.text, len) == 0);
	name_key(&n, &key);
	FH_CHECK(target, imp_prefix_cmp(&key, &r->prefix) == 0);
}

/* Every record is sound; after a successful parse the list is sorted,
 * without duplicates, and imp_list_find() finds each record. */
static __attribute__((unused)) void
fl_check_list(const char *target, const struct imp_list *l, int sorted)
{
	const struct imp_rec *r;
	const char *reason;
	size_t i, len;

	FH_CHECK(target, l->n <= l->cap || l->n == 0);
	for (i = 0; i < l->n; i++) {
		r = &l->recs[i];
		fl_check_prefix(target, &r->prefix);
		fl_check_name(target, l, r);
		FH_CHECK(target, (r->flags & ~(STORE_F_EXCLUDE |
		    STORE_F_CODE)) == 0);
		/* Merged reasons (rbldnsd ip4set cells) may be longer. */
		FH_CHECK(target, r->reason_len <= (l->dups == IMP_DUPS_MERGE ?
		    IMP_MERGE_MAX : IMP_REASON_MAX));
		FH_CHECK(target, r->reason_len == 0 ||
		    (size_t)r->reason_off + r->reason_len <= l->alen);
		reason = imp_list_reason(l, r, &len);
		FH_CHECK(target, len == r->reason_len && reason != NULL);
		if (!sorted)
			continue;
		FH_CHECK(target, i == 0 ||
		    imp_prefix_cmp(&l->recs[i - 1].prefix, &r->prefix) < 0);
		FH_CHECK(target, imp_list_find(l, &r->prefix) == r);
	}
}

/* Strings in the stats end within their buffers. */
static __attribute__((unused)) void
fl_check_stats(const char *target, int rc, const struct imp_stats *st)
{
	size_t i;

	FH_CHECK(target, st->accepted + st->rejected <= st->lines);
	FH_CHECK(target, rc != 0 || st->format != NULL);
	FH_CHECK(target, st->nmeta <= IMP_META_MAX);
	for (i = 0; i < st->nmeta; i++) {
		FH_CHECK(target, st->meta[i].key != NULL);
		FH_CHECK(target, memchr(st->meta[i].value, '\0',
		    IMP_META_LEN) != NULL);
		FH_CHECK(target, imp_stats_meta(st, st->meta[i].key) != NULL);
	}
	for (i = 0; i < st->nnotes && i < IMP_NOTE_MAX; i++)
		FH_CHECK(target, memchr(st->notes[i], '\0', IMP_NOTE_LEN) !=
		    NULL);
}

/*
 * Parse size bytes of data as fmt does in the importer, then check the
 * result. The data is one body, or with split != 0 several, cut at each
 * split byte (rbldnsd reads a dataset from several files); each is a
 * copy, NUL-terminated, since the parser cuts lines in place. flags are
 * the import's IMP_F_*. Leaks and memory errors are the sanitizers' to
 * find.
 */
#define FL_MAX_INPUTS	4

static __attribute__((unused)) void
fl_run(const char *target, const struct imp_format *fmt,
    const uint8_t *data, size_t size, int split, unsigned flags,
    fl_extra_fn *extra)
{
	struct imp_input in[FL_MAX_INPUTS];
	struct imp_list l;
	struct imp_stats st;
	const uint8_t *s = data, *e, *end = data + size;
	char err[512];
	size_t n = 0, i;
	int rc;

	do {
		e = split && n + 1 < FL_MAX_INPUTS ?
		    memchr(s, split, (size_t)(end - s)) : NULL;
		if (e == NULL)
			e = end;
		in[n].path = "fuzz";
		in[n].len = (size_t)(e - s);
		if ((in[n].body = malloc(in[n].len + 1)) == NULL)
			goto out;
		memcpy(in[n].body, s, in[n].len);
		in[n++].body[e - s] = '\0';
		s = e + 1;
	} while (e < end);
	err[0] = '\0';
	imp_list_init(&l);
	rc = imp_parse_list_inputs(fmt, in, n, flags, &l, &st, err,
	    sizeof(err));
	FH_CHECK(target, rc <= 0);
	FH_CHECK(target, rc == 0 || err[0] != '\0');
	fl_check_stats(target, rc, &st);
	fl_check_list(target, &l, rc == 0);
	if (extra != NULL)
		extra(target, rc, &l, &st);
	FH_CHECK(target, st.records == NULL ||
	    st.records[st.records_len] == '\0');
	imp_stats_fini(&st);	/* rbldnsd-generic's records */
	imp_list_fini(&l);
out:
	for (i = 0; i < n; i++)
		free(in[i].body);
}

#endif
