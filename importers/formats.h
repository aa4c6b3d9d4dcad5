/* formats.h -- list formats: per-line parsers that hand items to a sink. */
#ifndef REPUTED_FORMATS_H
#define REPUTED_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include "cidr.h"
#include "name.h"

/* What imp_list_sort() keeps of records with equal prefixes. */
enum imp_dups {
	IMP_DUPS_EXCLUDE,	/* the first, but an exclusion wins (default) */
	IMP_DUPS_FIRST,		/* the first, whatever it is (rbldnsd tries) */
	IMP_DUPS_MERGE		/* an exclusion wins; else the first, with the
				 * others' distinct reasons as more lines,
				 * "\n"-separated (rbldnsd ip4set cells) */
};

/*
 * One parsed item: a prefix, or a range lo-hi (is_range) that the sink
 * splits into prefixes, or a domain name (name not NULL; its prefix is
 * then name_key() of it, is_range 0). flags takes STORE_F_EXCLUDE and
 * STORE_F_CODE (then code is the item's own A value, network order).
 * The reason and the name are borrowed from the line being parsed; copy
 * them to keep them.
 */
struct imp_item {
	struct rp_cidr	 prefix;
	struct rp_addr	 lo, hi;
	int		 is_range;
	uint8_t		 flags;
	uint32_t	 code;
	const char	*reason;	/* not NUL-terminated; may be NULL */
	size_t		 reason_len;
	const struct rp_name *name;	/* NULL: an address item */
};

/* Where items go: emit returns 0 to go on, a negative code to abort. */
struct imp_sink {
	int	(*emit)(const struct imp_item *, void *);
	void	*arg;
};

struct imp_stats;

/*
 * What a format's parse_line sees. path and lineno name the line for
 * warnings; offset is where the line starts in the body (in bytes,
 * before trimming: Spamhaus JSON counts the bytes before its metadata
 * row). state is the format's own: NULL at the start, set with
 * imp_state(), freed by imp_parse_body() after finish. stats receives
 * the body's metadata and notices (imp_meta_set(), imp_notice()).
 */
struct imp_parser {
	const char		*path;
	size_t			 lineno;
	size_t			 offset;
	struct imp_sink		 sink;
	void			*state;
	struct imp_stats	*stats;
	size_t			 items;		/* emitted so far */
	size_t			 warnings;	/* printed or not */
	char			 last_warning[160];
	size_t			 file;		/* index of the input (body) */
	unsigned		 flags;		/* IMP_F_* of the import */
	enum imp_dups		 dups;		/* fmt->dups; the format may
						 * change it (imp_stats.dups) */
};

/* imp_parser.flags, from the source's configuration. */
#define IMP_F_STRICT_CIDR	0x1	/* reject "10.1.2.3/24", do not mask */
/* The part of a list of several to read, in the bits from here up
 * (rbldnsd combined: its $DATASET block; 0 the common section). */
#define IMP_F_PART_SHIFT	8

/* One body of a source that is read from several files (rbldnsd's
 * "zone:type:file1,file2"): parsed in order as one list. */
struct imp_input {
	const char	*path;		/* for warnings */
	char		*body;		/* NUL-terminated at len, cut in place */
	size_t		 len;
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
	/*
	 * Optional (may be NULL): called once after the last line, also
	 * after an abort (aborted != 0: only clean up). This is where a
	 * format checks what needs the whole body -- its signature, a
	 * trailer, a declared count -- and refuses a truncated or foreign
	 * body: 0, or <0 (-EINVAL) with a message in err.
	 */
	int	(*finish)(struct imp_parser *p, int aborted, char *err,
		    size_t errlen);
	/*
	 * Optional: does body (NUL-terminated at len) carry this format's
	 * signature? Looks at the head only. Format "auto" asks every
	 * format in imp_formats[] order and takes the first that says yes.
	 */
	int	(*sniff)(const char *body, size_t len);
	/*
	 * Only for a format that picks another ("auto"): the format that
	 * parses body, never NULL. imp_parse_body() then uses that one and
	 * says so in imp_stats.format and .detected.
	 */
	const struct imp_format *(*detect)(const char *body, size_t len);
	/*
	 * Optional: called once before the first line with every input,
	 * for a format whose lines depend on later ones (rbldnsd's "$1"
	 * variables and first-wins defaults). Must not modify the bodies.
	 * 0, or <0 to abort the import.
	 */
	int	(*begin)(struct imp_parser *p, const struct imp_input *in,
		    size_t n);
	/*
	 * Data, not a download: an empty body is an empty list, and no
	 * share of rejected lines makes it "not a list" (rbldnsd loads
	 * whatever a file holds).
	 */
	int	empty_ok;
	/* How equal prefixes are kept (imp_list_sort()). */
	enum imp_dups dups;
};

/* Every format, NULL-terminated; one line per format in formats.c.
 * Each fmt_x is defined in fmt_x.c (fmt_abuse_ch_txt beside the CSV). */
extern const struct imp_format *const imp_formats[];
extern const struct imp_format fmt_plain;
extern const struct imp_format fmt_auto;
extern const struct imp_format fmt_spamhaus_drop;
extern const struct imp_format fmt_spamhaus_json;
extern const struct imp_format fmt_spamhaus_asndrop;
extern const struct imp_format fmt_dshield;
extern const struct imp_format fmt_firehol;
extern const struct imp_format fmt_abuse_ch_csv;
extern const struct imp_format fmt_abuse_ch_txt;
extern const struct imp_format fmt_tor_exits;
extern const struct imp_format fmt_rbldnsd;
extern const struct imp_format fmt_rbldnsd_ip4set;
extern const struct imp_format fmt_rbldnsd_ip4tset;
extern const struct imp_format fmt_rbldnsd_ip4trie;
extern const struct imp_format fmt_rbldnsd_ip6tset;
extern const struct imp_format fmt_rbldnsd_ip6trie;
extern const struct imp_format fmt_rbldnsd_dnset;
extern const struct imp_format fmt_rbldnsd_combined;
extern const struct imp_format fmt_rbldnsd_generic;
extern const struct imp_format fmt_rbldnsd_acl;

/* The format called name, or NULL. */
const struct imp_format *imp_format_find(const char *name);

/* The format whose signature body carries (the first in imp_formats[]
 * whose sniff says yes), else fmt_plain. body is NUL-terminated at
 * len. Never NULL. */
const struct imp_format *imp_format_detect(const char *body, size_t len);

/* Hand an item to the sink (formats call this). 0 or the sink's <0. */
int	imp_emit(struct imp_parser *p, const struct imp_item *it);

/* Log "path:line: message" as a warning. After the first few per body
 * the rest are only counted, so a bad file cannot flood the log. */
void	imp_warn(struct imp_parser *p, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * A notice about the whole body, not one line ("list retired: merged
 * into ...", "end column disagrees with the prefix length on 20 rows"):
 * logged as "path: message" and kept in imp_stats.notes for the caller.
 */
void	imp_notice(struct imp_parser *p, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Record what the body says about itself under key (a string literal,
 * one of the keys listed above struct imp_meta; setting a key again
 * replaces its value). */
void	imp_meta_set(struct imp_parser *p, const char *key,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Trim spaces and tabs at both ends of s in place; returns the start. */
char	*imp_trim(char *s);

/* Parse an address or CIDR token into *c, masking host bits with a
 * warning (rejecting the line instead under IMP_F_STRICT_CIDR). 0, or 1
 * after imp_warn() ("bad address 'x'"). */
int	imp_parse_prefix(struct imp_parser *p, const char *tok,
	    struct rp_cidr *c);

/* The format's state, zeroed and size bytes on the first call; NULL
 * when out of memory (parse_line then returns -ENOMEM). */
void	*imp_state(struct imp_parser *p, size_t size);

/* Helpers for sniff: the head is the first IMP_HEAD_LINES lines (and
 * at most IMP_HEAD_BYTES bytes), a UTF-8 BOM and leading blanks of each
 * line skipped. Does a line of the head start with prefix? */
#define IMP_HEAD_LINES	100
#define IMP_HEAD_BYTES	32768
int	imp_head_has_line(const char *body, size_t len, const char *prefix);
/* Does the head contain needle anywhere? */
int	imp_head_contains(const char *body, size_t len, const char *needle);
/* The first non-empty line of the head: 0 with *line (not terminated)
 * and *linelen (trailing blanks and CR cut) set, or -ENOENT. */
int	imp_head_first_line(const char *body, size_t len, const char **line,
	    size_t *linelen);

/*
 * Checks every body gets before any format sees it: 0 when it may be a
 * list, -EINVAL with *why set ("empty body", "binary data, not a list",
 * "HTML page, not a list") otherwise.
 */
int	imp_body_check(const char *body, size_t len, const char **why);

/*
 * Metadata keys a format may set (values are text as the list wrote
 * them, cut at IMP_META_LEN - 1 bytes):
 *   date           the list's own generation date (Spamhaus "2025/01/17",
 *                  DShield "updated:", FireHOL "This File Date",
 *                  abuse.ch "Last updated", JSON "timestamp" as UTC)
 *   last-modified, expires   Spamhaus header lines (RFC 7231 dates)
 *   source         the URL the list names as its origin
 *   source-date    FireHOL "Source File Date"
 *   maintainer     FireHOL "Maintainer"
 *   update-frequency  FireHOL "Update Frequency" ("1 day")
 *   entries        the count the list declares, a number (FireHOL
 *                  "Entries" subnets or IPs, abuse.ch "END n entries",
 *                  JSON "records")
 *   records, size, timestamp, copyright, terms   the JSON metadata row
 *   title          the list's name line (Spamhaus, DShield, abuse.ch)
 *   merged-into    the retired EDROP's replacement URL
 *   serial         rbldnsd $SOA serial
 *   default-code   rbldnsd default A (":127.0.0.2:" line)
 *   exclusions     rbldnsd "!" lines read
 *   soa            rbldnsd-* first $SOA: "TTL MNAME RNAME SERIAL REFRESH
 *                  RETRY EXPIRE MINIMUM", times in seconds (TTL 0: the
 *                  dataset's)
 *   ns             rbldnsd-* first $NS: "TTL NAME...", TTL in seconds
 *   ttl            rbldnsd-* last $TTL, in seconds
 *   datasets       rbldnsd-combined part 0: its $DATASET blocks, in
 *                  order, ";"-separated: "TYPE[:LABEL] SUBZONE..."
 *   relays         Tor exit-addresses: ExitNode records read
 *   variant        the layout a format found ("exit-addresses",
 *                  "bulk", "netset", "ipset")
 */
#define IMP_META_MAX	16
#define IMP_META_LEN	320
#define IMP_NOTE_MAX	4
#define IMP_NOTE_LEN	256

struct imp_meta {
	const char	*key;		/* a string literal */
	char		 value[IMP_META_LEN];
};

/* What one parse found: line counts, the format used, and what the
 * body says about itself. */
struct imp_stats {
	size_t	lines;		/* all lines */
	size_t	accepted;	/* lines that gave at least one item */
	size_t	rejected;	/* lines skipped with a warning */
	size_t	items;		/* items emitted */
	const char *format;	/* name of the format that parsed it */
	enum imp_dups dups;	/* how to keep equal prefixes (the format's) */
	int	detected;	/* 1: format "auto" picked it */
	size_t	nmeta;
	struct imp_meta meta[IMP_META_MAX];
	size_t	nnotes;		/* notices; the first IMP_NOTE_MAX kept */
	char	notes[IMP_NOTE_MAX][IMP_NOTE_LEN];
	/* rbldnsd-generic: the zone's static records the body holds, one
	 * "OWNER TTL TYPE VALUE" line each ("\n"-terminated; config.h
	 * syntax), or NULL. malloc'd: imp_stats_fini() frees it. */
	char	*records;
	size_t	records_len, records_cap, nrecords;
};

/* The value recorded under key, or NULL. */
const char *imp_stats_meta(const struct imp_stats *st, const char *key);

/* Add a static record (one line, no newline) to the body's records
 * (imp_stats.records). 0, or -ENOMEM. */
int	imp_record_add(struct imp_parser *p, const char *line);

/* Free what st holds (its records); st may be zeroed. */
void	imp_stats_fini(struct imp_stats *st);

/*
 * Parse a whole body with fmt, handing items to sink. body must be
 * NUL-terminated at body[len]; it is modified (lines are cut in place).
 * fmt may be "auto": the detected format parses (st->format names it).
 * Fails with -EINVAL and a message in err when the body check fails,
 * when the format's finish refuses the body (signature, trailer or
 * count check), when lines were rejected but none accepted (not a
 * list), or when more lines were rejected than accepted; a body of
 * comments only is a valid empty list. A sink or format abort is
 * returned as its code. *st is filled in every case, with the metadata
 * and notices found so far.
 */
int	imp_parse_body(const struct imp_format *fmt, const char *path,
	    char *body, size_t len, const struct imp_sink *sink,
	    struct imp_stats *st, char *err, size_t errlen);

/*
 * A sorted, de-duplicated set of prefixes with their reasons, the
 * parsed form of one body. Reasons live in one arena: read them with
 * imp_list_reason(). state is free for the importer's bookkeeping.
 * A record of a domain name (name_kind not 0) keeps its name in the
 * arena too, just before its reason: read it with imp_list_name().
 */
struct imp_rec {
	struct rp_cidr	prefix;
	uint8_t		flags;		/* STORE_F_EXCLUDE, _CODE */
	uint8_t		state;
	uint32_t	code;
	uint32_t	reason_off;	/* of the name, then the reason */
	uint16_t	reason_len;	/* at most IMP_MERGE_MAX */
	uint8_t		name_kind;	/* 0: an address; else enum name_kind */
	uint8_t		name_len;
};

/* Longer reasons are cut here (the store keeps at most 4096 bytes, and
 * a cut made there would look like a change on every import). */
#define IMP_REASON_MAX	1024

/* A merged reason stays within what the store keeps. */
#define IMP_MERGE_MAX	4096

struct imp_list {
	struct imp_rec	*recs;
	size_t		 n, cap;
	char		*arena;
	size_t		 alen, acap;
	enum imp_dups	 dups;		/* imp_parse_list*() sets it */
};

void	imp_list_init(struct imp_list *l);
void	imp_list_fini(struct imp_list *l);	/* frees; reusable */

/* Add an item (a range is split into prefixes, a reason is cut at
 * IMP_REASON_MAX bytes). 0 or -ENOMEM. */
int	imp_list_add(struct imp_list *l, const struct imp_item *it);

/* A sink that adds to the imp_list passed as arg. */
int	imp_list_emit(const struct imp_item *it, void *arg);

/* Sort by family, address, prefix length and drop duplicates as l->dups
 * says: by default keeping the first one added, except that an exclusion
 * (STORE_F_EXCLUDE) wins over a listing of the same prefix. 0 or
 * -ENOMEM. */
int	imp_list_sort(struct imp_list *l);

/* The reason of r (not NUL-terminated), and its length in *len. */
const char *imp_list_reason(const struct imp_list *l,
	    const struct imp_rec *r, size_t *len);

/* The name of a record of a domain name (lower case, not NUL-terminated,
 * its kind in r->name_kind) and its length in *len; NULL (and 0) for an
 * address record. */
const char *imp_list_name(const struct imp_list *l,
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

/*
 * imp_parse_body() over n inputs parsed as one list, in order, with
 * the parser's flags (IMP_F_*): warnings name each input's path and
 * line, the checks apply to each body, the verdict to the whole. An
 * empty input among several is skipped. Same results.
 */
int	imp_parse_inputs(const struct imp_format *fmt,
	    const struct imp_input *in, size_t n, unsigned flags,
	    const struct imp_sink *sink, struct imp_stats *st, char *err,
	    size_t errlen);

/* imp_parse_inputs() into l, then imp_list_sort(). */
int	imp_parse_list_inputs(const struct imp_format *fmt,
	    const struct imp_input *in, size_t n, unsigned flags,
	    struct imp_list *l, struct imp_stats *st, char *err,
	    size_t errlen);

#endif
