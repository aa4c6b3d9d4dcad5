/* fetch.h -- get a list body from file://, http:// or https:// (libcurl). */
#ifndef REPUTED_FETCH_H
#define REPUTED_FETCH_H

#include <stddef.h>
#include <stdint.h>

#ifndef REPUTED_VERSION
#define REPUTED_VERSION		"0.1"
#endif

#define FETCH_MAX_BODY		((size_t)256 << 20)	/* 256 MiB */
#define FETCH_MAX_REDIRS	5
#define FETCH_CONNECT_TIMEOUT	30L	/* seconds, at most */
#define FETCH_TIMEOUT		120L	/* seconds, whole transfer */
#define FETCH_RETRY_MAX		(7 * 86400)	/* longest Retry-After kept */
#define FETCH_USER_AGENT	"reputed-import/" REPUTED_VERSION

/* Validators of the last good copy, for a conditional request. NULL or
 * "" means none. They are sent to http:// and https:// URLs only. */
struct fetch_validators {
	const char	*etag;		/* sent as If-None-Match */
	const char	*last_modified;	/* sent as If-Modified-Since */
};

/* How to fetch. Zero or NULL fields take the defaults above. */
struct fetch_opts {
	struct fetch_validators	 v;
	const char		*user_agent;
	long			 timeout;	/* seconds, whole transfer */
	size_t			 max_size;	/* body bytes, after gzip */
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
	int64_t	 retry_after;	/* a 429 or 503 said: not before (Unix
				 * time, at most FETCH_RETRY_MAX away); 0 */
	char	 etag[256];
	char	 last_modified[64];
};

/*
 * Fetch url into out as o says (o may be NULL), following up to
 * FETCH_MAX_REDIRS redirects (from https to https only, from http to
 * http or https), verifying TLS certificates, asking for gzip. 0 on a
 * 2xx answer, a file, or a 304 (then out->not_modified is set).
 *
 * On failure a negative code with a message in err that names what
 * went wrong: curl's text (DNS, TLS, connection), "fetch-timeout: ..."
 * (-ETIMEDOUT), "HTTP 503 from URL" (-EIO; with "; retry after TIME"
 * and out->retry_after set when a 429 or 503 said so) or "max-size:
 * ..." (-EFBIG). Then out->body is NULL and only out->status and
 * out->retry_after are set. Call curl_global_init() once before the
 * first fetch.
 */
int	fetch_get(const char *url, const struct fetch_opts *o,
	    struct fetch_result *out, char *err, size_t errlen);

/* fetch_get() with the default options and validators in (may be NULL). */
int	fetch_url(const char *url, const struct fetch_validators *in,
	    struct fetch_result *out, char *err, size_t errlen);

/* Read a local file into out the same way (no curl), refusing one over
 * max bytes (0: FETCH_MAX_BODY) with -EFBIG. 0 or -errno with a
 * message in err. */
int	fetch_file_max(const char *path, size_t max, struct fetch_result *out,
	    char *err, size_t errlen);

/* fetch_file_max() with the default limit. */
int	fetch_file(const char *path, struct fetch_result *out, char *err,
	    size_t errlen);

/* Free out's body and clear it; accepts NULL. */
void	fetch_result_free(struct fetch_result *out);

/* Is url http:// or https:// (the schemes that have validators)? */
int	fetch_is_http(const char *url);

#endif
