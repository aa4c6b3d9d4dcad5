/* fuzz_formats.c -- libFuzzer target: every list format of imp_formats[]
 * on one body, as the importer parses a fetched list. The first input
 * byte picks the format (modulo their number; the next multiple up adds
 * IMP_F_STRICT_CIDR, and so on alternately); the rest is the body.
 * Whatever the body, the parse ends without a crash or a leak, and what
 * it returns is a sound, sorted list of canonical prefixes. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_list.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fh_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n;

	for (n = 0; imp_formats[n] != NULL; n++)
		;
	if (size == 0 || n == 0)
		return 0;
	fl_run("fuzz_formats", imp_formats[data[0] % n], data + 1, size - 1,
	    0, data[0] / n % 2 ? IMP_F_STRICT_CIDR : 0, NULL);
	return 0;
}
