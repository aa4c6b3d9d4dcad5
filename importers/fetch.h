/* fetch.h -- get a list body from file://, http:// or https:// (libcurl). */
#ifndef REPUTED_FETCH_H
#define REPUTED_FETCH_H

#include <stddef.h>

#define FETCH_MAX_BODY		((size_t)512 << 20)	/* 512 MiB */
#define FETCH_MAX_REDIRS	5
#define FETCH_CONNECT_TIMEOUT	30L	/* seconds */
#define FETCH_TIMEOUT		300L	/* seconds, whole transfer */
#define FETCH_USER_AGENT \
	"reputed-import/0.1 (+https://github.com/reputed)"

/* Validators of the last good copy, for a conditional request. NULL or
 * "" means none. They are sent to http:// and https:// URLs only. */
struct fetch_validators {
	const char	*etag;		/* sent as If-None-Match */
	const char	*last_modified;	/* sent as If-Modified-Since */
};

/*
 * What a fetch got. body is NUL-terminated at body[len] (the NUL is not
 * counted) and yours until fetch_result_free(). etag and last_modified
 * are the final response's headers as received ("" if absent or too
 * long to keep); sizes match struct store_source.
 */
struct fetch_result {
	char	*body;
	size_t	 len;
	long	 status;	/* HTTP status; 0 for file:// */
	int	 not_modified;	/* HTTP 304: no body, keep the data */
	char	 etag[256];
	char	 last_modified[64];
};

/*
 * Fetch url into out, following up to FETCH_MAX_REDIRS redirects (to
 * http and https only). 0 on a 2xx answer, a file, or a 304 (then
 * out->not_modified is set). On failure a negative code with a message
 * in err: the curl error text, "HTTP 503 from URL", or "body larger
 * than 512 MiB"; out holds nothing to free. Call curl_global_init()
 * once before the first fetch.
 */
int	fetch_url(const char *url, const struct fetch_validators *in,
	    struct fetch_result *out, char *err, size_t errlen);

/* Read a local file into out the same way (no curl). 0 or -errno with
 * a message in err. */
int	fetch_file(const char *path, struct fetch_result *out, char *err,
	    size_t errlen);

/* Free out's body and clear it; accepts NULL. */
void	fetch_result_free(struct fetch_result *out);

/* Is url http:// or https:// (the schemes that have validators)? */
int	fetch_is_http(const char *url);

#endif
