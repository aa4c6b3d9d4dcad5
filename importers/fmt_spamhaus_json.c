/* fmt_spamhaus_json.c -- Spamhaus DROP NDJSON (drop_v4.json, drop_v6.json). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fmt_spamhaus_json.h"

const char *
fmt_shjson_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An integer member as text for the metadata, and into *out. */
static int
shjson_int(struct imp_parser *p, const json_t *o, const char *key,
    json_int_t *out)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		return -1;
	*out = json_integer_value(v);
	imp_meta_set(p, key, "%" JSON_INTEGER_FORMAT, *out);
	return 0;
}

/* {"type":"metadata","timestamp":...,"size":...,"records":...,...} */
static void
shjson_meta(struct imp_parser *p, struct fmt_shjson *s, const json_t *o)
{
	const char *v;
	json_int_t ts;
	time_t t;
	struct tm tm;
	char buf[64];

	s->meta = 1;
	s->meta_offset = p->offset;
	if (shjson_int(p, o, "records", &s->records) != 0 ||
	    shjson_int(p, o, "size", &s->size) != 0)
		s->bad_meta = 1;
	imp_meta_set(p, "entries", "%" JSON_INTEGER_FORMAT, s->records);
	if (shjson_int(p, o, "timestamp", &ts) == 0) {
		t = (time_t)ts;
		if (gmtime_r(&t, &tm) != NULL &&
		    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm))
			imp_meta_set(p, "date", "%s", buf);
	}
	if ((v = fmt_shjson_str(o, "copyright")) != NULL)
		imp_meta_set(p, "copyright", "%s", v);
	if ((v = fmt_shjson_str(o, "terms")) != NULL)
		imp_meta_set(p, "terms", "%s", v);
}

int
fmt_shjson_line(struct imp_parser *p, struct fmt_shjson *s,
    const char *line, size_t len, json_t **row)
{
	json_error_t jerr;
	const char *type;
	json_t *o;

	*row = NULL;
	if (s->meta) {
		s->after_meta++;
		imp_warn(p, "line after the metadata row");
		return 1;
	}
	if ((o = json_loadb(line, len, 0, &jerr)) == NULL ||
	    !json_is_object(o)) {
		s->rows++;
		imp_warn(p, "not a JSON object: %s", o ? "other JSON value" :
		    jerr.text);
		json_decref(o);
		return 1;
	}
	/* Data rows have no "type"; unknown keys are ignored. */
	if ((type = fmt_shjson_str(o, "type")) == NULL) {
		s->rows++;
		*row = o;
		return 0;
	}
	if (strcmp(type, "metadata") == 0) {
		shjson_meta(p, s, o);
		json_decref(o);
		return 0;
	}
	imp_warn(p, "unknown row type '%.32s'", type);
	json_decref(o);
	return 1;
}

int
fmt_shjson_finish(struct imp_parser *p, const struct fmt_shjson *s,
    char *err, size_t errlen)
{
	(void)p;
	if (s == NULL || !s->meta) {
		snprintf(err, errlen, "truncated: no metadata row at the end "
		    "(Spamhaus JSON lists end with one)");
		return -EINVAL;
	}
	if (s->after_meta > 0) {
		snprintf(err, errlen, "%zu lines after the metadata row, which "
		    "must be the last", s->after_meta);
		return -EINVAL;
	}
	if (s->bad_meta) {
		snprintf(err, errlen, "metadata row without integer 'records' "
		    "and 'size'");
		return -EINVAL;
	}
	if (s->records < 0 || (uint64_t)s->records != s->rows) {
		snprintf(err, errlen, "metadata says %" JSON_INTEGER_FORMAT
		    " records, %zu read: truncated or altered", s->records,
		    s->rows);
		return -EINVAL;
	}
	if (s->size < 0 || (uint64_t)s->size != s->meta_offset) {
		snprintf(err, errlen, "metadata says %" JSON_INTEGER_FORMAT
		    " bytes before it, %zu read: truncated or altered",
		    s->size, s->meta_offset);
		return -EINVAL;
	}
	return 0;
}

/* {"cidr":"1.10.16.0/20","sblid":"SBL256894","rir":"apnic"} */
static int
shjson_parse_line(struct imp_parser *p, char *line, size_t len)
{
	struct fmt_shjson *s;
	struct imp_item it;
	const char *cidr;
	json_t *o;
	int rc;

	if ((s = imp_state(p, sizeof(*s))) == NULL)
		return -ENOMEM;
	if ((rc = fmt_shjson_line(p, s, line, len, &o)) != 0 || o == NULL)
		return rc;
	memset(&it, 0, sizeof(it));
	if ((cidr = fmt_shjson_str(o, "cidr")) == NULL) {
		imp_warn(p, "data row without a \"cidr\" string");
		rc = 1;
	} else if ((rc = imp_parse_prefix(p, cidr, &it.prefix)) == 0) {
		/* The reason borrows from o: emit before letting it go. */
		if ((it.reason = fmt_shjson_str(o, "sblid")) != NULL)
			it.reason_len = strlen(it.reason);
		rc = imp_emit(p, &it);
	}
	json_decref(o);
	return rc;
}

static int
shjson_finish(struct imp_parser *p, int aborted, char *err, size_t errlen)
{
	if (aborted)
		return 0;
	return fmt_shjson_finish(p, p->state, err, errlen);
}

/* NDJSON whose first row names a "cidr" (or, for an empty list, is
 * the metadata row). */
static int
shjson_sniff(const char *body, size_t len)
{
	static const char meta[] = "{\"type\":\"metadata\"";
	const char *line;
	size_t n;

	if (imp_head_first_line(body, len, &line, &n) != 0 || line[0] != '{')
		return 0;
	if (memmem(line, n, "\"cidr\"", 6) != NULL)
		return 1;
	return n >= sizeof(meta) - 1 &&
	    memcmp(line, meta, sizeof(meta) - 1) == 0;
}

const struct imp_format fmt_spamhaus_json = {
	.name		= "spamhaus-json",
	/* returns 0 stored, >0 skipped with a warning, <0 abort the import */
	.parse_line	= shjson_parse_line,
	.finish		= shjson_finish,
	.sniff		= shjson_sniff,
};
