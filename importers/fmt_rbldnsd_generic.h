/* fmt_rbldnsd_generic.h -- the lines of rbldnsd's generic dataset, for
 * fmt_rbldnsd.c (format "rbldnsd-generic", and $DATASET generic blocks
 * of "rbldnsd-combined"). */
#ifndef REPUTED_FMT_RBLDNSD_GENERIC_H
#define REPUTED_FMT_RBLDNSD_GENERIC_H

#include "formats.h"

/*
 * One record line "name [ttl] [IN] type value" (trimmed, not a comment
 * nor a "$" line), read as rbldnsd reads it and handed on as a record
 * in reputed's syntax (imp_record_add(): "OWNER TTL TYPE VALUE", TTL in
 * seconds as the data says it, the $TTL in force for none or 0, 0 when
 * there was no $TTL yet; `reputed --rbldnsd` applies -t to it). Returns
 * 0 when kept, 1 when skipped with a warning (as rbldnsd skips it), <0
 * when rbldnsd would refuse the whole dataset (a bad TTL, an MX without
 * its host or with text after it), or -ENOMEM.
 */
int	fmt_generic_line(struct imp_parser *p, char *line);

#endif
