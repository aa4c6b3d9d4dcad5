/* store_name.c -- domain-name listings: rbldnsd's dnset lookup. */
#include <errno.h>
#include <string.h>

#include "name.h"
#include "store_int.h"

/* The entry of source_id for kind and name p: 0, -ENOENT, or an error.
 * The text is compared too, so a digest collision is only a miss. */
static int
name_get(struct store_txn *t, uint16_t source_id, unsigned kind,
    const char *p, size_t plen, struct store_entry *out)
{
	struct rp_cidr key;
	int rc;

	name_key_of(kind, p, plen, &key);
	if ((rc = store_entry_get(t, source_id, &key, out)) != 0)
		return rc;
	if (out->name_kind != kind || out->name_len != plen ||
	    memcmp(out->name, p, plen) != 0)
		return -ENOENT;
	return 0;
}

/* The entries of kinds ka and kb for name p into out[*n...]. */
static int
name_level(struct store_txn *t, uint16_t source_id, unsigned ka,
    unsigned kb, const char *p, size_t plen, struct store_entry out[2],
    size_t *n)
{
	unsigned kinds[2] = { ka, kb };
	size_t i;
	int rc;

	*n = 0;
	for (i = 0; i < 2; i++) {
		rc = name_get(t, source_id, kinds[i], p, plen, &out[*n]);
		if (rc == 0)
			(*n)++;
		else if (rc != -ENOENT)
			return rc;
	}
	return 0;
}

int
store_name_lookup(struct store_txn *t, uint16_t source_id, const char *q,
    size_t q_len, struct store_entry out[2], size_t *n)
{
	const char *p = q, *dot;
	size_t plen = q_len, i;
	int rc;

	*n = 0;
	if (q_len == 0 || q_len > NAME_TEXT_MAX)
		return -ENOENT;
	/* The name itself: "q" and ".q". */
	rc = name_level(t, source_id, NAME_EXACT, NAME_TREE, p, plen, out, n);
	/* Else the nearest parent with "*.p" or ".p" decides. */
	while (rc == 0 && *n == 0) {
		if ((dot = memchr(p, '.', plen)) == NULL)
			return -ENOENT;
		plen -= (size_t)(dot + 1 - p);
		p = dot + 1;
		rc = name_level(t, source_id, NAME_BELOW, NAME_TREE, p, plen,
		    out, n);
	}
	if (rc != 0) {
		*n = 0;
		return rc;
	}
	for (i = 0; i < *n; i++) {
		if (out[i].flags & STORE_F_EXCLUDE) {
			*n = 0;
			return -ENOENT;
		}
	}
	return 0;
}
