/* querylog.c -- rbldnsd's query log: a line per answer, read back from
 * the answer itself (question, header, OPT), so the query path is left
 * alone and pays one branch when there is no log. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "log.h"
#include "querylog.h"

#define QL_BUFSIZE	(64 * 1024)	/* stdio buffer of a file */
#define DNS_HDR		12
#define T_OPT		41
#define WARN_EVERY	60		/* seconds between write warnings */

struct querylog {
	FILE	*f;
	int	 flush;		/* a write per line */
	int	 is_stdout;	/* never closed */
	time_t	 warned;	/* of the last write warning */
	char	*path;
};

/* rbldnsd's names (its dns.h tables): 0-41 and 250-256; others are
 * written "type%u". */
static const char *const ql_types_low[] = {
	"INVALID", "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR",
	"NULL", "WKS", "PTR", "HINFO", "MINFO", "MX", "TXT", "RP", "AFSDB",
	"X25", "ISDN", "RT", "NSAP", "NSAP_PTR", "SIG", "KEY", "PX", "GPOS",
	"AAAA", "LOC", "NXT", "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX",
	"CERT", "A6", "DNAME", "SINK", "OPT"
};
static const char *const ql_types_high[] = {	/* from 250 */
	"TSIG", "IXFR", "AXFR", "MAILB", "MAILA", "ANY", "ZXFR"
};
#define NLOW	(sizeof(ql_types_low) / sizeof(ql_types_low[0]))
#define NHIGH	(sizeof(ql_types_high) / sizeof(ql_types_high[0]))

/* The name of t, or of a number in buf (at least 16 bytes). */
static const char *
ql_type_name(unsigned t, char *buf, size_t len)
{
	if (t < NLOW)
		return ql_types_low[t];
	if (t >= 250 && t - 250 < NHIGH)
		return ql_types_high[t - 250];
	snprintf(buf, len, "type%u", t);
	return buf;
}

static const char *
ql_class_name(unsigned c, char *buf, size_t len)
{
	switch (c) {
	case 0:		return "INVALID";
	case 1:		return "IN";
	case 3:		return "CH";
	case 4:		return "HS";
	case 255:	return "ANY";
	default:
		snprintf(buf, len, "class%u", c);
		return buf;
	}
}

/* rbldnsd says NOTIMPL; BADVERS (16, RFC 6891) is reputed's own. */
static const char *
ql_rcode_name(unsigned rc, char *buf, size_t len)
{
	static const char *const names[] = { "NOERROR", "FORMERR",
	    "SERVFAIL", "NXDOMAIN", "NOTIMPL", "REFUSED" };

	if (rc < sizeof(names) / sizeof(names[0]))
		return names[rc];
	if (rc == 16)
		return "BADVERS";
	snprintf(buf, len, "rcode%u", rc);
	return buf;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Past the name at *pos (compressed or not): 0, or -1 if it runs out. */
static int
ql_skip_name(const uint8_t *m, size_t len, size_t *pos)
{
	size_t p = *pos;

	while (p < len) {
		if ((m[p] & 0xc0) == 0xc0) {
			if (p + 2 > len)
				return -1;
			*pos = p + 2;
			return 0;
		}
		if (m[p] & 0xc0)
			return -1;
		if (m[p] == 0) {
			*pos = p + 1;
			return 0;
		}
		p += 1 + (size_t)m[p];
	}
	return -1;
}

/* The rcode with the OPT record's upper bits (BADVERS is 16), after the
 * question that ends at pos. The header's alone if the records cannot
 * be walked. */
static unsigned
ql_rcode(const uint8_t *m, size_t len, size_t pos)
{
	unsigned rc = m[3] & 0x0f, n, i, ar = rd16(m + 10);
	size_t rdlen;

	if (ar == 0)
		return rc;
	n = (unsigned)rd16(m + 6) + rd16(m + 8) + ar;
	for (i = 0; i < n; i++) {
		if (ql_skip_name(m, len, &pos) != 0 || pos + 10 > len)
			return rc;
		rdlen = rd16(m + pos + 8);
		if (rd16(m + pos) == T_OPT)
			return rc | (unsigned)m[pos + 4] << 4;
		pos += 10 + rdlen;
	}
	return rc;
}

/*
 * The question's name at m + DNS_HDR, as rbldnsd's dns_dntop() prints
 * it, into out (room for 4 bytes per name byte). The end of the name in
 * *pos; -1 if it is not a plain name inside the message.
 */
static int
ql_name(const uint8_t *m, size_t len, size_t *pos, char *out, size_t cap)
{
	size_t p = DNS_HDR, o = 0, total = 0;
	unsigned n, c;

	while (p < len && (n = m[p]) != 0) {
		/* A question is never compressed; a label is at most 63. */
		if (n > 63 || p + 1 + n >= len || (total += n + 1) > 254)
			return -1;
		if (o != 0)
			out[o++] = '.';
		for (p++; n > 0; n--, p++) {
			if (o + 5 > cap)
				return -1;
			c = m[p];
			if (c == '"' || c == '.' || c == ';' || c == '\\' ||
			    c == '@' || c == '$') {
				out[o++] = '\\';
				out[o++] = (char)c;
			} else if (c <= 0x20 || c >= 0x7f) {
				out[o++] = '\\';
				out[o++] = (char)('0' + c / 100);
				out[o++] = (char)('0' + c / 10 % 10);
				out[o++] = (char)('0' + c % 10);
			} else
				out[o++] = (char)c;
		}
	}
	if (p >= len)
		return -1;
	if (o == 0)
		out[o++] = '.';
	out[o] = '\0';
	*pos = p + 1;
	return 0;
}

size_t
querylog_format(char *buf, size_t cap, int64_t now,
    const struct rp_addr *client, const uint8_t *reply, size_t len)
{
	char name[255 * 4 + 8], ip[INET6_ADDRSTRLEN], tb[16], cb[16], rb[16];
	size_t pos;
	int n;

	if (len < DNS_HDR || rd16(reply + 4) == 0 ||
	    ql_name(reply, len, &pos, name, sizeof(name)) != 0 ||
	    pos + 4 > len)
		return 0;
	if (client == NULL || inet_ntop(client->family == RP_AF_INET6 ?
	    AF_INET6 : AF_INET, client->bytes, ip, sizeof(ip)) == NULL)
		snprintf(ip, sizeof(ip), "-");
	n = snprintf(buf, cap, "%" PRId64 " %s %s %s %s: %s/%u/%zu\n", now,
	    ip, name, ql_type_name(rd16(reply + pos), tb, sizeof(tb)),
	    ql_class_name(rd16(reply + pos + 2), cb, sizeof(cb)),
	    ql_rcode_name(ql_rcode(reply, len, pos + 4), rb, sizeof(rb)),
	    (unsigned)rd16(reply + 6), len);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

int
querylog_open(struct querylog **out, const char *path, int flush)
{
	struct querylog *ql;
	int fd, err;

	*out = NULL;
	if ((ql = calloc(1, sizeof(*ql))) == NULL ||
	    (ql->path = strdup(path)) == NULL) {
		free(ql);
		return -ENOMEM;
	}
	ql->flush = flush;
	if (strcmp(path, "-") == 0) {
		ql->f = stdout;
		ql->is_stdout = 1;
		*out = ql;
		return 0;
	}
	/* Non-blocking, as rbldnsd: a FIFO nobody reads must not stop
	 * the daemon (lines are lost instead). */
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK |
	    O_CLOEXEC, 0644);
	if (fd == -1 || (ql->f = fdopen(fd, "a")) == NULL) {
		err = errno;
		log_warnx("query log %s: %s; no query log until the next "
		    "SIGHUP", path, strerror(err));
		if (fd != -1)
			close(fd);
		free(ql->path);
		free(ql);
		return -err;
	}
	if (!flush)
		setvbuf(ql->f, NULL, _IOFBF, QL_BUFSIZE);
	*out = ql;
	return 0;
}

/* A write failed (disk full, a FIFO nobody reads): lines are lost; say
 * so once a minute at most. */
static void
ql_failed(struct querylog *ql)
{
	time_t now = time(NULL);

	if (ql->warned == 0 || now - ql->warned >= WARN_EVERY) {
		log_warn("query log %s: lines lost", ql->path);
		ql->warned = now;
	}
	clearerr(ql->f);
}

void
querylog_flush(struct querylog *ql)
{
	if (ql != NULL && fflush(ql->f) != 0)
		ql_failed(ql);
}

void
querylog_close(struct querylog *ql)
{
	if (ql == NULL)
		return;
	querylog_flush(ql);
	if (!ql->is_stdout)
		fclose(ql->f);
	free(ql->path);
	free(ql);
}

void
querylog_reply(struct querylog *ql, const struct rp_addr *client,
    const uint8_t *reply, size_t len)
{
	char line[QUERYLOG_LINE_MAX];
	size_t n;

	if ((n = querylog_format(line, sizeof(line), (int64_t)time(NULL),
	    client, reply, len)) == 0)
		return;
	if (fwrite(line, 1, n, ql->f) != n ||
	    (ql->flush && fflush(ql->f) != 0))
		ql_failed(ql);
}
