/* fmt_spamhaus_json.h -- the NDJSON frame of Spamhaus's JSON lists. */
#ifndef REPUTED_FMT_SPAMHAUS_JSON_H
#define REPUTED_FMT_SPAMHAUS_JSON_H

#include <jansson.h>

#include "formats.h"

/*
 * drop_v4.json, drop_v6.json and asndrop.json share a frame: one JSON
 * object per line, then a {"type":"metadata",...} row whose "records"
 * counts the data rows and whose "size" counts the bytes before it.
 * A format keeps this at the start of its state.
 */
struct fmt_shjson {
	size_t	rows;		/* data lines, good or not */
	size_t	after_meta;	/* non-empty lines after the metadata */
	int	meta;		/* the metadata row was read */
	int	bad_meta;	/* it was, with a bad field */
	size_t	meta_offset;	/* bytes before it */
	json_int_t records, size;
};

/*
 * Read one line into *row: a data object (yours: json_decref() it) or
 * NULL when the line was the metadata row (then 0). >0 after a warning
 * when the line is not a JSON object or comes after the metadata.
 */
int	fmt_shjson_line(struct imp_parser *p, struct fmt_shjson *s,
	    const char *line, size_t len, json_t **row);

/* The frame checks after the last line: 0, or -EINVAL with err set
 * (no metadata row, records or size not what was read). */
int	fmt_shjson_finish(struct imp_parser *p, const struct fmt_shjson *s,
	    char *err, size_t errlen);

/* The string member key of o, or NULL (absent, null, not a string). */
const char *fmt_shjson_str(const json_t *o, const char *key);

#endif
