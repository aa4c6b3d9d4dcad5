/* fetch.c -- download a list body into memory with libcurl's easy API. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "fetch.h"

/* One transfer in progress. */
struct fetch_ctx {
	struct fetch_result	*out;
	size_t			 cap;
	size_t			 max;		/* body limit, bytes */
	int			 too_big;
	int			 oom;
	char			 retry[64];	/* Retry-After, as sent */
};

void
fetch_result_free(struct fetch_result *out)
{
	if (out == NULL)
		return;
	free(out->body);
	memset(out, 0, sizeof(*out));
}

int
fetch_is_http(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "https://", 8) == 0;
}

/* Grow the body so that it holds need bytes plus the final NUL. */
static int
body_reserve(struct fetch_ctx *c, size_t need)
{
	size_t cap = c->cap ? c->cap : 65536;
	char *b;

	while (cap < need + 1)
		cap *= 2;
	if (cap == c->cap)
		return 0;
	if ((b = realloc(c->out->body, cap)) == NULL)
		return -ENOMEM;
	c->out->body = b;
	c->cap = cap;
	return 0;
}

static size_t
fetch_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct fetch_ctx *c = arg;
	struct fetch_result *out = c->out;
	size_t n = size * nmemb;

	/* Refused here too: curl only knows the size up front when the
	 * server sends Content-Length, and that is the compressed size.
	 * Returning short aborts the transfer. */
	if (n > c->max - out->len) {
		c->too_big = 1;
		return 0;
	}
	if (body_reserve(c, out->len + n) != 0) {
		c->oom = 1;
		return 0;
	}
	memcpy(out->body + out->len, data, n);
	out->len += n;
	out->body[out->len] = '\0';
	return n;
}

/* Copy a header's value, trimmed; "" when it does not fit, since a cut
 * validator would never match again. */
static void
header_value(char *dst, size_t dstlen, const char *v, size_t n)
{
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' ||
	    v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= dstlen)
		n = 0;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static size_t
fetch_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct fetch_ctx *c = arg;
	size_t n = size * nmemb;

	/* A status line starts the headers of the next response (after a
	 * redirect): only the final response's headers count. */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		c->out->etag[0] = '\0';
		c->out->last_modified[0] = '\0';
		c->retry[0] = '\0';
	} else if (n > 5 && strncasecmp(data, "ETag:", 5) == 0)
		header_value(c->out->etag, sizeof(c->out->etag), data + 5,
		    n - 5);
	else if (n > 14 && strncasecmp(data, "Last-Modified:", 14) == 0)
		header_value(c->out->last_modified,
		    sizeof(c->out->last_modified), data + 14, n - 14);
	else if (n > 12 && strncasecmp(data, "Retry-After:", 12) == 0)
		header_value(c->retry, sizeof(c->retry), data + 12, n - 12);
	return n;
}

/* Retry-After is seconds or an HTTP date (RFC 9110 10.2.3); the Unix
 * time it names, within FETCH_RETRY_MAX from now, or 0. */
static int64_t
retry_time(const char *v, time_t now)
{
	int64_t t = 0;
	const char *s;

	if (*v == '\0')
		return 0;
	if (isdigit((unsigned char)*v)) {
		for (s = v; isdigit((unsigned char)*s) && t <= FETCH_RETRY_MAX;
		    s++)
			t = t * 10 + (*s - '0');
		t += (int64_t)now;
	} else if ((t = (int64_t)curl_getdate(v, NULL)) <= 0)
		return 0;
	if (t > (int64_t)now + FETCH_RETRY_MAX)
		t = (int64_t)now + FETCH_RETRY_MAX;
	return t > (int64_t)now ? t : 0;
}

/* The conditional request headers; *list stays NULL when there are
 * none. 0 or -ENOMEM. */
static int
fetch_conditions(const char *url, const struct fetch_validators *in,
    struct curl_slist **list)
{
	char buf[512];
	struct curl_slist *l;

	*list = NULL;
	if (!fetch_is_http(url))
		return 0;
	if (in->etag != NULL && in->etag[0] != '\0') {
		snprintf(buf, sizeof(buf), "If-None-Match: %s", in->etag);
		if ((l = curl_slist_append(*list, buf)) == NULL)
			goto fail;
		*list = l;
	}
	if (in->last_modified != NULL && in->last_modified[0] != '\0') {
		snprintf(buf, sizeof(buf), "If-Modified-Since: %s",
		    in->last_modified);
		if ((l = curl_slist_append(*list, buf)) == NULL)
			goto fail;
		*list = l;
	}
	return 0;
fail:
	curl_slist_free_all(*list);
	*list = NULL;
	return -ENOMEM;
}

/* The limits of one transfer. CURLE_OK or the first error. */
static CURLcode
fetch_limits(CURL *h, const char *url, const struct fetch_opts *o,
    size_t max)
{
	long timeout = o->timeout > 0 ? o->timeout : FETCH_TIMEOUT;
	long connect = timeout < FETCH_CONNECT_TIMEOUT ? timeout :
	    FETCH_CONNECT_TIMEOUT;
	/* No downgrade: a list asked for over https stays on https. */
	const char *redir = strncasecmp(url, "https://", 8) == 0 ? "https" :
	    "http,https";
	CURLcode rc;

	if ((rc = curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_MAXREDIRS,
	    (long)FETCH_MAX_REDIRS)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, redir)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, connect)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)max)))
		return rc;
	return CURLE_OK;
}

/* Set every option of one transfer. CURLE_OK or the first error. */
static CURLcode
fetch_setup(CURL *h, const char *url, const struct fetch_opts *o,
    struct fetch_ctx *c, struct curl_slist *hdrs, char *cerr)
{
	CURLcode rc;

	if ((rc = curl_easy_setopt(h, CURLOPT_URL, url)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR,
	    "file,http,https")) ||
	    (rc = fetch_limits(h, url, o, c->max)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_USERAGENT,
	    o->user_agent ? o->user_agent : FETCH_USER_AGENT)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "")) ||
	    (rc = curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_write)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_WRITEDATA, c)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, fetch_header)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_HEADERDATA, c)))
		return rc;
	return CURLE_OK;
}

/* An HTTP error status, with the server's wish to be left alone. */
static int
fetch_http_error(const char *url, struct fetch_ctx *c, char *err,
    size_t errlen)
{
	struct fetch_result *out = c->out;
	time_t now = time(NULL), t;
	char when[64];

	if (out->status == 429 || out->status == 503)
		out->retry_after = retry_time(c->retry, now);
	if (out->retry_after == 0) {
		snprintf(err, errlen, "HTTP %ld from %s", out->status, url);
		return -EIO;
	}
	t = (time_t)out->retry_after;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
	snprintf(err, errlen, "HTTP %ld from %s; retry after %s",
	    out->status, url, when);
	return -EIO;
}

/* Turn a finished transfer into our result; 0 or <0 with err set. */
static int
fetch_judge(CURL *h, const char *url, const struct fetch_opts *o,
    CURLcode rc, struct fetch_ctx *c, const char *cerr, char *err,
    size_t errlen)
{
	struct fetch_result *out = c->out;
	char size[32];

	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	if (c->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errlen, "max-size: body larger than %s from %s",
		    cfg_size_str(c->max, size, sizeof(size)), url);
		return -EFBIG;
	}
	if (c->oom) {
		snprintf(err, errlen, "out of memory reading %s", url);
		return -ENOMEM;
	}
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		snprintf(err, errlen, "fetch-timeout: no whole answer within "
		    "%lds from %s (%s)", o->timeout > 0 ? o->timeout :
		    FETCH_TIMEOUT, url, cerr[0] ? cerr : "timed out");
		return -ETIMEDOUT;
	}
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s%s%s", curl_easy_strerror(rc),
		    cerr[0] ? ": " : "", cerr);
		return -EIO;
	}
	if (out->status == 304) {
		out->not_modified = 1;
		return 0;
	}
	if (fetch_is_http(url) && (out->status < 200 || out->status > 299))
		return fetch_http_error(url, c, err, errlen);
	return body_reserve(c, out->len) == 0 ? 0 : -ENOMEM;
}

/* Keep what a failed fetch can still tell: the status, Retry-After. */
static void
fetch_failed(struct fetch_result *out)
{
	long status = out->status;
	int64_t retry = out->retry_after;

	fetch_result_free(out);
	out->status = status;
	out->retry_after = retry;
}

int
fetch_get(const char *url, const struct fetch_opts *o,
    struct fetch_result *out, char *err, size_t errlen)
{
	static const struct fetch_opts none;
	char cerr[CURL_ERROR_SIZE] = "";
	struct fetch_ctx c;
	struct curl_slist *hdrs = NULL;
	CURL *h = NULL;
	CURLcode crc;
	int rc = -ENOMEM;

	if (o == NULL)
		o = &none;
	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.out = out;
	c.max = o->max_size > 0 ? o->max_size : FETCH_MAX_BODY;
	snprintf(err, errlen, "out of memory");
	if (fetch_conditions(url, &o->v, &hdrs) != 0 ||
	    (h = curl_easy_init()) == NULL)
		goto fail;
	if ((crc = fetch_setup(h, url, o, &c, hdrs, cerr)) != CURLE_OK) {
		snprintf(err, errlen, "%s", curl_easy_strerror(crc));
		rc = -EINVAL;
		goto fail;
	}
	crc = curl_easy_perform(h);
	if ((rc = fetch_judge(h, url, o, crc, &c, cerr, err, errlen)) != 0)
		goto fail;
	if (!fetch_is_http(url))
		out->etag[0] = out->last_modified[0] = '\0';
	if (out->not_modified) {
		free(out->body);
		out->body = NULL;
		out->len = 0;
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	err[0] = '\0';
	return 0;
fail:
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	fetch_failed(out);
	return rc;
}

int
fetch_url(const char *url, const struct fetch_validators *in,
    struct fetch_result *out, char *err, size_t errlen)
{
	struct fetch_opts o;

	memset(&o, 0, sizeof(o));
	if (in != NULL)
		o.v = *in;
	return fetch_get(url, &o, out, err, errlen);
}

int
fetch_file_max(const char *path, size_t max, struct fetch_result *out,
    char *err, size_t errlen)
{
	char size[32];
	struct stat sb;
	ssize_t n;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	if (max == 0)
		max = FETCH_MAX_BODY;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1)
		goto fail_errno;
	if (sb.st_size < 0 || (size_t)sb.st_size > max) {
		snprintf(err, errlen, "max-size: %s is larger than %s", path,
		    cfg_size_str(max, size, sizeof(size)));
		rc = -EFBIG;
		goto fail;
	}
	if ((out->body = malloc((size_t)sb.st_size + 1)) == NULL)
		goto fail_errno;
	/* The buffer has st_size bytes: a file growing meanwhile is cut
	 * there, one shrinking ends the read early. */
	while (out->len < (size_t)sb.st_size &&
	    (n = read(fd, out->body + out->len,
	    (size_t)sb.st_size - out->len)) != 0) {
		if (n == -1 && errno != EINTR)
			goto fail_errno;
		if (n > 0)
			out->len += (size_t)n;
	}
	out->body[out->len] = '\0';
	close(fd);
	return 0;
fail_errno:
	rc = -errno;
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
fail:
	if (fd != -1)
		close(fd);
	fetch_result_free(out);
	return rc;
}

int
fetch_file(const char *path, struct fetch_result *out, char *err,
    size_t errlen)
{
	return fetch_file_max(path, 0, out, err, errlen);
}
