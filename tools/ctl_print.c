/* ctl_print.c -- reputectl's output helpers: times, A values, quoted
 * strings, and JSON values built from the store's data. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ctl.h"
#include "log.h"

#define CTL_JSON_FLAGS		(JSON_INDENT(2) | JSON_PRESERVE_ORDER)

/* "YYYY-MM-DD HH:MM:SS" in UTC, or none when t is 0 (never). */
const char *
ctl_time(int64_t t, const char *none, char *buf)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL)
		return none;
	strftime(buf, CTL_TIME_LEN, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

const char *
ctl_code(uint32_t code, char *buf)
{
	return inet_ntop(AF_INET, &code, buf, INET_ADDRSTRLEN);
}

/* Print s as a DNS presentation character-string: "...", \" \\ \DDD. */
void
ctl_put_quoted(FILE *f, const char *s, size_t len)
{
	unsigned char c;
	size_t i;

	putc('"', f);
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\%03u", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

/* Text from the store as a JSON string: it need not be UTF-8 (then its
 * other bytes become '?') nor NUL-terminated. */
json_t *
ctl_json_text(const char *s, size_t len)
{
	json_t *j;
	char *copy;
	size_t i;

	if (s == NULL || len == 0)
		return json_string("");
	if ((j = json_stringn(s, len)) != NULL)
		return j;
	if ((copy = malloc(len)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		copy[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
	j = json_stringn(copy, len);
	free(copy);
	return j;
}

/* A time as in text, or null for never. */
json_t *
ctl_json_time(int64_t t)
{
	char buf[CTL_TIME_LEN];

	return t == 0 ? json_null() : json_string(ctl_time(t, "", buf));
}

json_t *
ctl_json_code(uint32_t code)
{
	char buf[INET_ADDRSTRLEN];

	return json_string(ctl_code(code, buf));
}

json_t *
ctl_json_prefix(const struct rp_cidr *c)
{
	char buf[RP_CIDR_STRLEN];

	return json_string(cidr_str(c, buf));
}

/* Print and free root; 0, or -ENOMEM when building it failed. */
int
ctl_json_print(json_t *root)
{
	int rc;

	if (root == NULL) {
		log_warnx("out of memory building the JSON output");
		return -ENOMEM;
	}
	rc = json_dumpf(root, stdout, CTL_JSON_FLAGS);
	putchar('\n');
	json_decref(root);
	return rc == 0 ? 0 : -EIO;
}
