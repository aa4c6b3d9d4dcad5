/* log.c -- logging to stderr or syslog, in the OpenSMTPD style. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

#define LOG_MSG_MAX	2048	/* a message, escaped, NUL included */

/*
 * The only process-wide state outside main: where log lines go. It is
 * written once by log_init() before any thread or loop starts.
 */
static struct {
	const char	*prog;
	int		 syslog;
	int		 verbose;
} log_dest = { "reputed", 0, 0 };

void
log_init(const char *progname, int use_syslog, int verbose)
{
	log_dest.prog = progname;
	log_dest.syslog = use_syslog;
	log_dest.verbose = verbose;
	if (use_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/*
 * Control characters in msg as "\xNN", in place (msg has room for
 * size bytes; what does not fit is cut). Messages quote what lists,
 * packets and files hold, which must not reach a terminal or a log file
 * as escape sequences or fake line breaks.
 */
static void
log_escape(char *msg, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	char out[LOG_MSG_MAX];
	size_t i, n = 0;
	unsigned char c;

	for (i = 0; msg[i] != '\0' && n + 5 < sizeof(out); i++) {
		c = (unsigned char)msg[i];
		if (c >= 0x20 && c != 0x7f) {
			out[n++] = (char)c;
			continue;
		}
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[c >> 4];
		out[n++] = hex[c & 15];
	}
	out[n] = '\0';
	snprintf(msg, size, "%s", out);
}

static void	log_vemit(int, int, const char *, va_list)
	    __attribute__((format(printf, 3, 0)));

static void
log_vemit(int pri, int with_errno, const char *fmt, va_list ap)
{
	char msg[LOG_MSG_MAX];
	int saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_escape(msg, sizeof(msg));
	if (log_dest.syslog) {
		if (with_errno)
			syslog(pri, "%s: %s", msg, strerror(saved));
		else
			syslog(pri, "%s", msg);
	} else if (with_errno)
		fprintf(stderr, "%s: %s: %s\n", log_dest.prog, msg,
		    strerror(saved));
	else
		fprintf(stderr, "%s: %s\n", log_dest.prog, msg);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_WARNING, 1, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_WARNING, 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_INFO, 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_dest.verbose <= 0)
		return;
	va_start(ap, fmt);
	log_vemit(LOG_DEBUG, 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, 1, fmt, ap);
	va_end(ap);
	exit(2);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_CRIT, 0, fmt, ap);
	va_end(ap);
	exit(2);
}
