/* statsfile.h -- the statistics file, in rbldnsd's format (its -s): a
 * line appended every interval, "<unixtime> <zone>:<tot>:<ok>:<nxd>:
 * <in>:<out> ... *:<tot>:<ok>:<nxd>:<in>:<out>", and a bare "<unixtime>"
 * line when the daemon starts and stops. Per zone, and for every
 * message in "*" (queries outside every zone, and messages dropped
 * unread, count there only): tot, messages received; ok, answered
 * NOERROR; nxd, answered NXDOMAIN (tot - ok - nxd are the errors:
 * REFUSED, SERVFAIL, FORMERR, NOTIMP, dropped); in and out, bytes
 * received and answered. Read from struct stats (stats.h) on the loop
 * thread; the file is opened, appended to and closed each time, so it
 * may be rotated at any moment. */
#ifndef REPUTED_STATSFILE_H
#define REPUTED_STATSFILE_H

#include <stdint.h>
#include <stdio.h>

#include "stats.h"

struct statsfile;

/*
 * The file at path (not opened yet). deltas: each line counts what
 * happened since the previous line (rbldnsd's "+"), else since the
 * daemon started. 0 with *out yours (statsfile_free() it), or -ENOMEM.
 */
int	statsfile_new(struct statsfile **out, const char *path, int deltas);
void	statsfile_free(struct statsfile *sf);		/* accepts NULL */

const char *statsfile_path(const struct statsfile *sf);
int	statsfile_deltas(const struct statsfile *sf);

/*
 * Append the counters of st at unix time now (statsfile_write), or a
 * bare time line (statsfile_mark). 0, or a negative errno-style code,
 * warned about (once, until a line is written again).
 */
int	statsfile_write(struct statsfile *sf, const struct stats *st,
	    int64_t now);
int	statsfile_mark(struct statsfile *sf, int64_t now);

/*
 * The counters' line, newline ended, to f; with deltas, it becomes the
 * base of the next line. A zone missing from the previous line (new, or
 * its counters went back) counts from zero. 0, or -ENOMEM with nothing
 * written.
 */
int	statsfile_format(struct statsfile *sf, const struct stats *st,
	    int64_t now, FILE *f);

#endif
