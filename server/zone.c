/* zone.c -- the zone table: most specific zone for a name, and the
 * address (or the lack of one) its labels spell. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "zone.h"

struct zone_ent {
	const struct cfg_zone	*cfg;
	size_t			 index;
	uint8_t			 wire[ZONE_NAME_MAX];
	size_t			 len;
	unsigned		 nlabels;
};

/* Zones sorted by label count, longest first: the first match wins. */
struct zone_table {
	struct zone_ent	*z;
	size_t		 n;
};

int
zone_qname_parse(struct zone_qname *qn, const uint8_t *msg, size_t len,
    size_t pos, size_t *end)
{
	size_t o = 0, i;
	unsigned n = 0;
	uint8_t c, l;

	for (;;) {
		if (pos >= len)
			return -EBADMSG;
		l = msg[pos];
		if (l > 63)	/* a pointer, or label types 01 and 10 */
			return -EBADMSG;
		if (o + 1 + l > ZONE_NAME_MAX || pos + 1 + l > len)
			return -EBADMSG;
		qn->off[n] = (uint8_t)o;
		qn->wire[o++] = l;
		if (l == 0)
			break;
		/* Lower-case once here, so matching is a plain memcmp. */
		for (i = 1; i <= l; i++) {
			c = msg[pos + i];
			qn->wire[o++] = c >= 'A' && c <= 'Z' ? c + 32 : c;
		}
		pos += 1 + (size_t)l;
		n++;
	}
	qn->len = o;
	qn->nlabels = n;
	if (end != NULL)
		*end = pos + 1;
	return 0;
}

int
zone_name_to_wire(const char *s, uint8_t out[ZONE_NAME_MAX], size_t *len)
{
	size_t o = 0, n;

	if (s[0] == '.' && s[1] == '\0')
		s++;
	while (*s != '\0') {
		n = strcspn(s, ".");
		if (n == 0 || n > 63 || o + 1 + n + 1 > ZONE_NAME_MAX)
			return -EINVAL;
		out[o++] = (uint8_t)n;
		memcpy(out + o, s, n);
		o += n;
		s += n;
		if (*s == '.')
			s++;
	}
	out[o++] = 0;
	*len = o;
	return 0;
}

static int
zone_cmp(const void *a, const void *b)
{
	const struct zone_ent *x = a, *y = b;

	if (x->nlabels != y->nlabels)
		return x->nlabels > y->nlabels ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The zone's name in wire form, lower case, and its label count. */
static int
zone_ent_init(struct zone_ent *e, const struct cfg_zone *z, size_t index)
{
	struct zone_qname qn;
	uint8_t wire[ZONE_NAME_MAX];
	size_t len;

	if (zone_name_to_wire(z->name, wire, &len) != 0 ||
	    zone_qname_parse(&qn, wire, len, 0, NULL) != 0)
		return -EINVAL;
	e->cfg = z;
	e->index = index;
	memcpy(e->wire, qn.wire, qn.len);
	e->len = qn.len;
	e->nlabels = qn.nlabels;
	return 0;
}

int
zone_table_new(struct zone_table **out, const struct cfg *cfg)
{
	struct zone_table *zt;
	size_t i;
	int rc;

	*out = NULL;
	if ((zt = calloc(1, sizeof(*zt))) == NULL)
		return -ENOMEM;
	if (cfg->nzones > 0 &&
	    (zt->z = calloc(cfg->nzones, sizeof(*zt->z))) == NULL) {
		free(zt);
		return -ENOMEM;
	}
	for (i = 0; i < cfg->nzones; i++) {
		if ((rc = zone_ent_init(&zt->z[i], &cfg->zones[i], i)) != 0) {
			zone_table_free(zt);
			return rc;
		}
	}
	zt->n = cfg->nzones;
	qsort(zt->z, zt->n, sizeof(*zt->z), zone_cmp);
	*out = zt;
	return 0;
}

void
zone_table_free(struct zone_table *zt)
{
	if (zt == NULL)
		return;
	free(zt->z);
	free(zt);
}

/* A decimal octet as written by clients: "0" to "255", no leading zero. */
static int
zone_label_octet(const uint8_t *l, unsigned *v)
{
	unsigned n = l[0], i, x = 0;

	if (n == 0 || n > 3 || (n > 1 && l[1] == '0'))
		return 0;
	for (i = 1; i <= n; i++) {
		if (l[i] < '0' || l[i] > '9')
			return 0;
		x = x * 10 + (unsigned)(l[i] - '0');
	}
	*v = x;
	return x <= 255;
}

/* One hex digit (the name is lower case already). */
static int
zone_label_nibble(const uint8_t *l, unsigned *v)
{
	uint8_t c = l[1];

	if (l[0] != 1)
		return 0;
	if (c >= '0' && c <= '9')
		*v = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		*v = (unsigned)(c - 'a' + 10);
	else
		return 0;
	return 1;
}

/*
 * Classify the k labels below the apex. Both readings are tried at once:
 * "1.2.3.4" is an IPv4 address and also four nibbles above IPv6 names.
 */
static void
zone_classify(const struct zone_qname *qn, unsigned k, struct zone_match *m)
{
	uint8_t v4[4] = { 0 }, v6[16] = { 0 };
	unsigned i, v, octet = 1, nibble = 1;

	for (i = 0; i < k && (octet || nibble); i++) {
		const uint8_t *l = qn->wire + qn->off[i];

		if (octet && (i >= 4 || !zone_label_octet(l, &v)))
			octet = 0;
		else if (octet)
			v4[3 - i] = (uint8_t)v;
		if (nibble && (i >= 32 || !zone_label_nibble(l, &v)))
			nibble = 0;
		else if (nibble)
			v6[15 - i / 2] |= (uint8_t)(i % 2 ? v << 4 : v);
	}
	memset(&m->addr, 0, sizeof(m->addr));
	m->above = 0;
	if (k == 4 && octet) {
		m->kind = ZONE_ADDR;
		m->above = nibble;
		m->addr.family = RP_AF_INET;
		memcpy(m->addr.bytes, v4, sizeof(v4));
	} else if (k == 32 && nibble) {
		m->kind = ZONE_ADDR;
		m->addr.family = RP_AF_INET6;
		memcpy(m->addr.bytes, v6, sizeof(v6));
	} else if ((k < 4 && octet) || (k < 32 && nibble)) {
		m->kind = ZONE_ABOVE;
	} else {
		m->kind = ZONE_OTHER;
	}
}

int
zone_find(const struct zone_table *zt, const struct zone_qname *qn,
    struct zone_match *m)
{
	const struct zone_ent *e;
	size_t i, start;

	for (i = 0; i < zt->n; i++) {
		e = &zt->z[i];
		if (e->nlabels > qn->nlabels)
			continue;
		start = qn->off[qn->nlabels - e->nlabels];
		if (qn->len - start != e->len ||
		    memcmp(qn->wire + start, e->wire, e->len) != 0)
			continue;
		m->zone = e->cfg;
		m->index = e->index;
		m->zlabels = e->nlabels;
		if (qn->nlabels == e->nlabels) {
			m->kind = ZONE_APEX;
			m->above = 0;
			memset(&m->addr, 0, sizeof(m->addr));
		} else {
			zone_classify(qn, qn->nlabels - e->nlabels, m);
		}
		return 0;
	}
	return -ENOENT;
}

int
zone_qname_below(const struct zone_qname *qn, unsigned zlabels, char *buf,
    size_t cap, size_t *len)
{
	const uint8_t *lab;
	size_t n = 0, i, k;

	if (zlabels >= qn->nlabels)
		return -EINVAL;
	for (i = 0; i < qn->nlabels - zlabels; i++) {
		lab = qn->wire + qn->off[i];
		if (n + (i > 0) + lab[0] + 1 > cap)
			return -ENOSPC;
		if (i > 0)
			buf[n++] = '.';
		for (k = 1; k <= lab[0]; k++) {
			if (lab[k] <= ' ' || lab[k] == '.' || lab[k] == 0x7f)
				return -EINVAL;
			buf[n++] = (char)lab[k];
		}
	}
	buf[n] = '\0';
	*len = n;
	return 0;
}
