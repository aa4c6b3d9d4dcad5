/* template.h -- TXT templates ("Listed by $source: $reason"), expanded per
 * answer by reputectl and the DNS daemon. */
#ifndef REPUTED_TEMPLATE_H
#define REPUTED_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

/* Every variable a template may use, for messages and documentation. */
#define TEMPLATE_VARS \
	"$source $reason $ip $first_seen $last_seen $expires $code " \
	"$rbldnsd_txt"

/*
 * The values of one answer. Every pointer may be NULL (expands to
 * nothing). reason is reason_len bytes and need not be NUL-terminated,
 * since it points into the store. Times are seconds since the epoch:
 * first_seen and last_seen of 0 expand to "-", expires of 0 to "never".
 */
struct template_vars {
	const char	*source;
	const char	*reason;
	size_t		 reason_len;
	const char	*ip;
	int64_t		 first_seen;
	int64_t		 last_seen;
	int64_t		 expires;
	uint32_t	 code;		/* network byte order */
};

/*
 * Check that every "$name" or "${name}" in tpl is a known variable ("$$"
 * is a literal "$"). Returns 0, or -EINVAL with the first bad reference
 * as written ("$foo", "${foo}", "$") copied, truncated, into bad (which
 * may be NULL when badlen is 0).
 */
int	template_check(const char *tpl, char *bad, size_t badlen);

/*
 * $rbldnsd_txt is the reason read as rbldnsd reads a TXT: each "$" in it
 * is the address queried (ip), "$$" a "$"; it passes every byte (no
 * scrubbing), and the whole expansion stops at 254 bytes, rbldnsd's cut.
 *
 * Expand tpl into out. Variable names match longest first, so "$ips" is
 * "$ip" followed by "s"; an unknown reference is copied as written.
 * Control characters (below 0x20, and 0x7f) in substituted values become
 * spaces. The result is truncated at outlen - 1 bytes and always
 * NUL-terminated when outlen > 0. Returns the length written.
 */
size_t	template_expand(const char *tpl, const struct template_vars *v,
	    char *out, size_t outlen);

#endif
