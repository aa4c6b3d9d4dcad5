/* test_fuzz_regress.c -- every fuzz target's seeds and saved findings
 * (tests/fuzz/corpus/NAME/, tests/fuzz/regress/NAME/) replayed through
 * the target's own entry point, built with the suite's compiler and
 * flags: a crash the fuzzer found stays a failing test until it is fixed,
 * and `make sanitize` replays them under ASan and UBSan too. Each target
 * is included here with its libFuzzer entry points renamed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LLVMFuzzerInitialize	fuzz_query_init
#define LLVMFuzzerTestOneInput	fuzz_query_one
#include "../fuzz/fuzz_query.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize	fuzz_formats_init
#define LLVMFuzzerTestOneInput	fuzz_formats_one
#include "../fuzz/fuzz_formats.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize	fuzz_rbldnsd_init
#define LLVMFuzzerTestOneInput	fuzz_rbldnsd_one
#include "../fuzz/fuzz_rbldnsd.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize	fuzz_config_init
#define LLVMFuzzerTestOneInput	fuzz_config_one
#include "../fuzz/fuzz_config.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize	fuzz_records_init
#define LLVMFuzzerTestOneInput	fuzz_records_one
#include "../fuzz/fuzz_records.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

struct target {
	const char	*name;
	int		(*init)(int *, char ***);
	int		(*one)(const uint8_t *, size_t);
	int		 ready;
};

static struct target targets[] = {
	{ "query", fuzz_query_init, fuzz_query_one, 0 },
	{ "formats", fuzz_formats_init, fuzz_formats_one, 0 },
	{ "rbldnsd", fuzz_rbldnsd_init, fuzz_rbldnsd_one, 0 },
	{ "config", fuzz_config_init, fuzz_config_one, 0 },
	{ "records", fuzz_records_init, fuzz_records_one, 0 },
};

/* The whole file, in a buffer of exactly its size (so that a sanitized
 * build sees a read past the end, as under libFuzzer). */
static uint8_t *
read_input(const char *path, size_t *len)
{
	uint8_t *buf = NULL;
	long n = -1;
	FILE *f;

	if ((f = fopen(path, "rb")) != NULL && fseek(f, 0, SEEK_END) == 0 &&
	    (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc(n > 0 ? (size_t)n : 1)) != NULL &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		fclose(f);
		*len = (size_t)n;
		return buf;
	}
	if (f != NULL)
		fclose(f);
	free(buf);
	fail_msg("cannot read %s", path);
	return NULL;
}

/* Run every file of $SRCDIR/tests/fuzz/KIND/NAME/ through t; the count. */
static size_t
replay_dir(struct target *t, const char *kind)
{
	const char *src = getenv("SRCDIR");
	char dir[1024], path[2048];
	struct dirent **ents;
	uint8_t *data;
	size_t len, done = 0;
	int i, n;

	snprintf(dir, sizeof(dir), "%s/tests/fuzz/%s/%s", src ? src : ".",
	    kind, t->name);
	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0)
		return 0;	/* no saved inputs */
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir,
			    ents[i]->d_name);
			/* Named first: a crash's output then says which. */
			print_message("%s %s\n", t->name, path);
			if ((data = read_input(path, &len)) != NULL)
				t->one(data, len);
			free(data);
			done++;
		}
		free(ents[i]);
	}
	free(ents);
	return done;
}

static void
replay(struct target *t)
{
	int argc = 1;
	char *args[] = { (char *)"test_fuzz_regress", NULL }, **argv = args;
	size_t n;

	if (!t->ready) {
		t->init(&argc, &argv);
		t->ready = 1;
	}
	n = replay_dir(t, "corpus");
	n += replay_dir(t, "regress");
	print_message("%s: %zu inputs replayed\n", t->name, n);
}

static void
query_target_survives_its_inputs(void **state)
{
	(void)state;
	replay(&targets[0]);
}

static void
formats_target_survives_its_inputs(void **state)
{
	(void)state;
	replay(&targets[1]);
}

static void
rbldnsd_target_survives_its_inputs(void **state)
{
	(void)state;
	replay(&targets[2]);
}

static void
config_target_survives_its_inputs(void **state)
{
	(void)state;
	replay(&targets[3]);
}

static void
records_target_survives_its_inputs(void **state)
{
	(void)state;
	replay(&targets[4]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(query_target_survives_its_inputs),
		cmocka_unit_test(formats_target_survives_its_inputs),
		cmocka_unit_test(rbldnsd_target_survives_its_inputs),
		cmocka_unit_test(config_target_survives_its_inputs),
		cmocka_unit_test(records_target_survives_its_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
