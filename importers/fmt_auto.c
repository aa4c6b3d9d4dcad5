/* fmt_auto.c -- "auto": pick the format from the body's signature. */
#include "formats.h"

/*
 * auto never parses a line itself: imp_parse_body() asks detect for the
 * format and runs that one, so each format's own checks (signature,
 * trailer, counts) still apply. A body without a known signature is
 * plain, the format every list can fall back to.
 */
const struct imp_format fmt_auto = {
	.name		= "auto",
	.detect		= imp_format_detect,
};
