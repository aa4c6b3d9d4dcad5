/* log.h -- logging to stderr (default) or syslog, printf-checked. */
#ifndef REPUTED_LOG_H
#define REPUTED_LOG_H

#include <stdarg.h>

/* Choose the destination and the program name; call once from main().
 * verbose > 0 enables log_debug(). Safe to never call (stderr, no debug). */
void	log_init(const char *progname, int use_syslog, int verbose);

/* log_warn() appends ": strerror(errno)"; log_warnx() does not. */
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Startup only: log and exit(2). fatal() appends strerror(errno). */
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
