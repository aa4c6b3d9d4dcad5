/* filesum.h -- a digest of a file's bytes: tells a file rewritten with
 * the same content (a touch, a copy over it) from a changed one. */
#ifndef REPUTED_FILESUM_H
#define REPUTED_FILESUM_H

#include <stdint.h>

#define FILESUM_LEN	32	/* SHA-256 */

/* SHA-256 of the file at path into out: 0, or -errno. */
int	filesum(const char *path, uint8_t out[FILESUM_LEN]);

#endif
