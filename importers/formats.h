/* formats.h -- list formats: per-line parsers that hand items to a sink. */
#ifndef REPUTED_FORMATS_H
#define REPUTED_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"

/*
 * One parsed item: a prefix, or a range lo-hi (is_range) that the sink
 * splits into prefixes. flags takes STORE_F_EXCLUDE and STORE_F_CODE
 * (then code is the item's own A value, network order). The reason is
 * borrowed from the line being parsed; copy it to keep it.
 */
struct imp_item {
	struct rp_cidr	 prefix;
	struct rp_addr	 lo, hi;
	int		 is_range;
	uint8_t		 flags;
	uint32_t	 code;
	const char	*reason;	/* not NUL-terminated; may be NULL */
	size_t		 reason_len;
};

/* Where items go: emit returns 0 to go on, a negative code to abort. */
struct imp_sink {
	int	(*emit)(const struct imp_item *, void *);
	void	*arg;
};

/*
 * What a format's parse_line sees. path and lineno name the line for
 * warnings; state is the format's own (NULL at the start; a format that
 * allocates it frees it in finish).
 */
struct imp_parser {
	const char		*path;
	size_t			 lineno;
	struct imp_sink		 sink;
	void			*state;
	size_t			 items;		/* emitted so far */
	size_t			 warnings;	/* printed or not */
	char			 last_warning[160];
};

struct imp_format {
	const char	*name;
	/*
	 * Parse one line: NUL-terminated at line[len], line end removed,
	 * spaces and tabs trimmed, never empty; the format may modify it.
	 * Returns 0 when stored (or nothing to store, e.g. a comment),
	 * >0 when skipped after imp_warn(), <0 to abort the import.
	 */
	int	(*parse_line)(struct imp_parser *p, char *line, size_t len);
	/* Optional (may be NULL): called once after the last line, also
	 * after an abort. 0, or <0 with a message in err to fail. */
	int	(*finish)(struct imp_parser *p, int aborted, char *err,
		    size_t errlen);
};

/* Every format, NULL-terminated; one line per format in formats.c. */
extern const struct imp_format *const imp_formats[];
extern const struct imp_format fmt_plain;		/* fmt_plain.c */

/* The format called name, or NULL. */
const struct imp_format *imp_format_find(const char *name);

/* Hand an item to the sink (formats call this). 0 or the sink's <0. */
int	imp_emit(struct imp_parser *p, const struct imp_item *it);

/* Log "path:line: message" as a warning. After the first few per body
 * the rest are only counted, so a bad file cannot flood the log. */
void	imp_warn(struct imp_parser *p, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Checks every body gets before any format sees it: 0 when it may be a
 * list, -EINVAL with *why set ("empty body", "binary data, not a list",
 * "HTML page, not a list") otherwise.
 */
int	imp_body_check(const char *body, size_t len, const char **why);

/* Line counts of one parse. */
struct imp_stats {
	size_t	lines;		/* all lines */
	size_t	accepted;	/* lines that gave at least one item */
	size_t	rejected;	/* lines skipped with a warning */
	size_t	items;		/* items emitted */
};

/*
 * Parse a whole body with fmt, handing items to sink. body must be
 * NUL-terminated at body[len]; it is modified (lines are cut in place).
 * Fails with -EINVAL and a message in err when the body check fails,
 * when lines were rejected but none accepted (not a list), or when more
 * lines were rejected than accepted; a body of comments only is a valid
 * empty list. A sink or format abort is returned as its code. *st is
 * filled in every case.
 */
int	imp_parse_body(const struct imp_format *fmt, const char *path,
	    char *body, size_t len, const struct imp_sink *sink,
	    struct imp_stats *st, char *err, size_t errlen);

/*
 * A sorted, de-duplicated set of prefixes with their reasons, the
 * parsed form of one body. Reasons live in one arena: read them with
 * imp_list_reason(). state is free for the importer's bookkeeping.
 */
struct imp_rec {
	struct rp_cidr	prefix;
	uint8_t		flags;		/* STORE_F_EXCLUDE, _CODE */
	uint8_t		state;
	uint32_t	code;
	uint32_t	reason_off;
	uint32_t	reason_len;
};

/* Longer reasons are cut here (the store keeps at most 4096 bytes, and
 * a cut made there would look like a change on every import). */
#define IMP_REASON_MAX	1024

struct imp_list {
	struct imp_rec	*recs;
	size_t		 n, cap;
	char		*arena;
	size_t		 alen, acap;
};

void	imp_list_init(struct imp_list *l);
void	imp_list_fini(struct imp_list *l);	/* frees; reusable */

/* Add an item (a range is split into prefixes, a reason is cut at
 * IMP_REASON_MAX bytes). 0 or -ENOMEM. */
int	imp_list_add(struct imp_list *l, const struct imp_item *it);

/* A sink that adds to the imp_list passed as arg. */
int	imp_list_emit(const struct imp_item *it, void *arg);

/* Sort by family, address, prefix length and drop duplicates, keeping
 * the first one added. 0 or -ENOMEM. */
int	imp_list_sort(struct imp_list *l);

/* The reason of r (not NUL-terminated), and its length in *len. */
const char *imp_list_reason(const struct imp_list *l,
	    const struct imp_rec *r, size_t *len);

/* Binary search of a sorted list; NULL when prefix is not in it. */
const struct imp_rec *imp_list_find(const struct imp_list *l,
	    const struct rp_cidr *prefix);

/* Order of prefixes used by imp_list_sort(): <0, 0, >0. */
int	imp_prefix_cmp(const struct rp_cidr *a, const struct rp_cidr *b);

/* imp_parse_body() into l, then imp_list_sort(). Same results. */
int	imp_parse_list(const struct imp_format *fmt, const char *path,
	    char *body, size_t len, struct imp_list *l,
	    struct imp_stats *st, char *err, size_t errlen);

#endif
