/* import.h -- import one source: fetch, parse, one store write transaction. */
#ifndef REPUTED_IMPORT_H
#define REPUTED_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "store.h"

struct imp_opts {
	int		 allow_shrink;	/* may remove over half */
	const char	*file;		/* read it, not the url */
};

/* The outcome of one source's import, for the summary line. */
struct imp_result {
	uint64_t	entries;	/* distinct prefixes held afterwards */
	uint32_t	added, removed, kept, rejected;
	int		not_modified;	/* HTTP 304: nothing parsed */
	double		secs;
	char		error[512];	/* "" after a success */
};

/*
 * Is src due for a fetch at now (its refresh has passed since the last
 * attempt)? 1 yes, 0 no with *due_at set to when, <0 on a store error.
 * A source never tried is due.
 */
int	imp_source_due(struct store *st, const struct cfg_source *src,
	    int64_t now, int64_t *due_at);

/*
 * Import src (from o->file if set, else from src->url) in one write
 * transaction that replaces its entries. 0 with *res filled; on failure
 * a negative code, res->error says why, the store's entries are as they
 * were, and the error is recorded in the source's status (that write
 * is best effort).
 */
int	imp_source(struct store *st, const struct cfg_source *src,
	    const struct imp_opts *o, struct imp_result *res);

/* Print the summary line of an import that returned rc: on out when it
 * worked ("drop: 1385 entries, +12 -3 =1373, 0 rejected, 0.04 s"), on
 * errout when it failed ("drop: import failed: <reason>"). */
void	imp_result_print(const char *name, int rc,
	    const struct imp_result *res, FILE *out, FILE *errout);

#endif
