/* filesum.c -- SHA-256 of a file's bytes (ldns's implementation). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <ldns/sha2.h>

#include "filesum.h"

int
filesum(const char *path, uint8_t out[FILESUM_LEN])
{
	ldns_sha256_CTX ctx;
	uint8_t buf[65536];
	ssize_t n;
	int fd, err = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	ldns_sha256_init(&ctx);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		ldns_sha256_update(&ctx, buf, (size_t)n);
	}
	close(fd);
	if (err == 0)
		ldns_sha256_final(out, &ctx);
	return err;
}
