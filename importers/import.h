/* import.h -- import one source: fetch, parse, one store write transaction. */
#ifndef REPUTED_IMPORT_H
#define REPUTED_IMPORT_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "formats.h"
#include "store.h"

struct imp_opts {
	int		 allow_shrink;	/* ignore the sources' max-shrink */
	const char	*file;		/* read it, not the url */
	/* Several files read as one list, in order (rbldnsd's datasets
	 * "type:file1,file2"); file is then files[0]. */
	const char *const *files;
	size_t		 nfiles;	/* 0: only file, if set */
	unsigned	 part;		/* of a list of several parts: the
					 * $DATASET block of rbldnsd
					 * combined data (0: the common
					 * section) */
	const char	*contact;	/* [server] contact, or NULL */
};

/* The outcome of one source's import, for the summary line. */
struct imp_result {
	uint64_t	entries;	/* distinct prefixes held afterwards */
	uint32_t	added, removed, kept, rejected;
	int		not_modified;	/* HTTP 304: nothing parsed */
	double		secs;
	char		error[512];	/* "" after a success */
	char		warning[256];	/* of a success, or "" */
	/* What the body said about itself (formats.h lists the keys). */
	size_t		nmeta;
	struct imp_meta	meta[IMP_META_MAX];
	/* The static records the body holds (rbldnsd-generic), "\n"-
	 * terminated lines, or NULL; malloc'd, the caller frees it (after
	 * a failure too). */
	char		*records;
};

/*
 * Is src due for a fetch at now? When it is, cfg_source_next_fetch()
 * says from its stored status (refresh, back-off after failures, a
 * server's Retry-After, the provider's min-refresh). 1 yes, 0 no with
 * *due_at set to when, <0 on a store error. A source never tried is
 * due. status (may be NULL) gets the stored status, zeroed if none.
 */
int	imp_source_due(struct store *st, const struct cfg_source *src,
	    int64_t now, int64_t *due_at, struct store_source *status);

/*
 * Import src (from o->file if set, else from src->url) in one write
 * transaction that replaces its entries. The body must pass every rule
 * first: a list, not HTML or binary; the format's own checks; at most
 * src->max_rejected percent of its lines rejected; no entry broader
 * than max-prefix4/max-prefix6; at most max_shrink percent of the held
 * entries removed (unless o->allow_shrink). 0 with *res filled; on
 * failure a negative code, res->error says why (naming the rule), the
 * store's entries are as they were, and the error is recorded in the
 * source's status with the consecutive failures and any Retry-After
 * (that write is best effort).
 */
int	imp_source(struct store *st, const struct cfg_source *src,
	    const struct imp_opts *o, struct imp_result *res);

/* Print the summary line of an import that returned rc: on out when it
 * worked ("drop: 1385 entries, +12 -3 =1373, 0 rejected, 0.04 s"), on
 * errout when it failed ("drop: import failed: <reason>"). */
void	imp_result_print(const char *name, int rc,
	    const struct imp_result *res, FILE *out, FILE *errout);

#endif
