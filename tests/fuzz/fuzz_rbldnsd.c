/* fuzz_rbldnsd.c -- libFuzzer target: the rbldnsd data parsers (format
 * "rbldnsd", and each dataset type, "rbldnsd-ip4set" and the others of
 * imp_formats[], picked by the input's length): ip4set/ip4tset/ip6tset
 * entries, "!" exclusions, ":A:TXT" defaults, "$" specials and
 * variables. A NUL byte starts another file of the same dataset. On top
 * of the list checks: no ASN, an entry's own A is never 0.0.0.0, and an
 * exclusion carries no code of its own. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_list.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
rbl_fuzz_extra(const char *target, int rc, const struct imp_list *l,
    const struct imp_stats *st)
{
	const struct imp_rec *r;
	size_t i;

	FH_CHECK(target, rc != 0 || st->detected == 0);
	for (i = 0; i < l->n; i++) {
		r = &l->recs[i];
		FH_CHECK(target, r->prefix.addr.family != RP_AF_ASN);
		if (r->flags & STORE_F_CODE)
			FH_CHECK(target, r->code != 0);
		if (r->flags & STORE_F_EXCLUDE)
			FH_CHECK(target, !(r->flags & STORE_F_CODE));
	}
}

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
	const struct imp_format *rbl[32];
	size_t i, n = 0;

	for (i = 0; imp_formats[i] != NULL && n < 32; i++)
		if (strncmp(imp_formats[i]->name, "rbldnsd", 7) == 0)
			rbl[n++] = imp_formats[i];
	if (n == 0)
		return 0;
	fl_run("fuzz_rbldnsd", rbl[size % n], data, size, '\0', 0,
	    rbl_fuzz_extra);
	return 0;
}
