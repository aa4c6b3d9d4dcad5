/* fetch.c -- download a list body into memory with libcurl's easy API. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fetch.h"

/* One transfer in progress. */
struct fetch_ctx {
	struct fetch_result	*out;
	size_t			 cap;
	int			 too_big;
	int			 oom;
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
	 * server sends Content-Length. Returning short aborts the transfer. */
	if (n > FETCH_MAX_BODY - out->len) {
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
	 * redirect): only the final response's validators count. */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		c->out->etag[0] = '\0';
		c->out->last_modified[0] = '\0';
	} else if (n > 5 && strncasecmp(data, "ETag:", 5) == 0)
		header_value(c->out->etag, sizeof(c->out->etag), data + 5,
		    n - 5);
	else if (n > 14 && strncasecmp(data, "Last-Modified:", 14) == 0)
		header_value(c->out->last_modified,
		    sizeof(c->out->last_modified), data + 14, n - 14);
	return n;
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
	if (in == NULL || !fetch_is_http(url))
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

/* Set every option of one transfer. CURLE_OK or the first error. */
static CURLcode
fetch_setup(CURL *h, const char *url, struct fetch_ctx *c,
    struct curl_slist *hdrs, char *cerr)
{
	CURLcode rc;

	if ((rc = curl_easy_setopt(h, CURLOPT_URL, url)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR,
	    "file,http,https")) ||
	    (rc = curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_MAXREDIRS,
	    (long)FETCH_MAX_REDIRS)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR,
	    "http,https")) ||
	    (rc = curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
	    FETCH_CONNECT_TIMEOUT)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_TIMEOUT, FETCH_TIMEOUT)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)FETCH_MAX_BODY)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_USERAGENT, FETCH_USER_AGENT)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "")) ||
	    (rc = curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_write)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_WRITEDATA, c)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, fetch_header)) ||
	    (rc = curl_easy_setopt(h, CURLOPT_HEADERDATA, c)))
		return rc;
	return CURLE_OK;
}

/* Turn a finished transfer into our result; 0 or -EIO with err set. */
static int
fetch_judge(CURL *h, const char *url, CURLcode rc, struct fetch_ctx *c,
    const char *cerr, char *err, size_t errlen)
{
	struct fetch_result *out = c->out;

	if (c->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errlen, "body larger than %zu MiB from %s",
		    FETCH_MAX_BODY >> 20, url);
		return -EFBIG;
	}
	if (c->oom) {
		snprintf(err, errlen, "out of memory reading %s", url);
		return -ENOMEM;
	}
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s%s%s", curl_easy_strerror(rc),
		    cerr[0] ? ": " : "", cerr);
		return -EIO;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	if (out->status == 304) {
		out->not_modified = 1;
		return 0;
	}
	if (fetch_is_http(url) && (out->status < 200 || out->status > 299)) {
		snprintf(err, errlen, "HTTP %ld from %s", out->status, url);
		return -EIO;
	}
	return body_reserve(c, out->len) == 0 ? 0 : -ENOMEM;
}

int
fetch_url(const char *url, const struct fetch_validators *in,
    struct fetch_result *out, char *err, size_t errlen)
{
	char cerr[CURL_ERROR_SIZE] = "";
	struct fetch_ctx c;
	struct curl_slist *hdrs = NULL;
	CURL *h = NULL;
	CURLcode crc;
	int rc = -ENOMEM;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.out = out;
	snprintf(err, errlen, "out of memory");
	if (fetch_conditions(url, in, &hdrs) != 0 ||
	    (h = curl_easy_init()) == NULL)
		goto fail;
	if ((crc = fetch_setup(h, url, &c, hdrs, cerr)) != CURLE_OK) {
		snprintf(err, errlen, "%s", curl_easy_strerror(crc));
		rc = -EINVAL;
		goto fail;
	}
	crc = curl_easy_perform(h);
	if ((rc = fetch_judge(h, url, crc, &c, cerr, err, errlen)) != 0)
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
	fetch_result_free(out);
	return rc;
}

int
fetch_file(const char *path, struct fetch_result *out, char *err,
    size_t errlen)
{
	struct stat sb;
	ssize_t n;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) == -1)
		goto fail_errno;
	if (sb.st_size < 0 || (size_t)sb.st_size > FETCH_MAX_BODY) {
		snprintf(err, errlen, "%s: larger than %zu MiB", path,
		    FETCH_MAX_BODY >> 20);
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
