/* test_fmt_rbldnsd_dnset.c -- rbldnsd dnset data (format rbldnsd-dnset,
 * and dnset blocks of combined data): names, forms, values, defaults. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "fmt_test.h"
#include "name.h"

#define FMT	(&fmt_rbldnsd_dnset)
#define DATA_A	"../rbldnsd/dnset-a.zone"
#define DATA_B	"../rbldnsd/dnset-b.zone"
#define DATA_C	"../rbldnsd/dnset-combined.zone"

/* The record of listing s ("x", "*.x", ".x"), or NULL; checks that the
 * record keeps the name and its kind. */
static const struct imp_rec *
dn_find(const struct parsed *p, const char *s)
{
	const struct imp_rec *r;
	struct rp_name n;
	struct rp_cidr key;
	const char *text;
	size_t len;

	if (name_parse(s, strlen(s), &n) != 0)
		fail_msg("bad test name %s", s);
	name_key(&n, &key);
	if ((r = imp_list_find(&p->list, &key)) == NULL)
		return NULL;
	assert_int_equal(r->prefix.addr.family, RP_AF_NAME);
	assert_int_equal(r->name_kind, n.kind);
	text = imp_list_name(&p->list, r, &len);
	assert_non_null(text);
	assert_int_equal(len, n.len);
	assert_memory_equal(text, n.text, len);
	return r;
}

/* Listing s is there with flags, its own A (NULL: none) and reason
 * (NULL: any). */
static void
dn_expect(const struct parsed *p, const char *s, uint8_t flags,
    const char *a, const char *reason)
{
	const struct imp_rec *r = dn_find(p, s);
	struct in_addr in;
	const char *txt;
	size_t len;

	if (r == NULL)
		fail_msg("%s not in the list", s);
	if (r->flags != flags)
		fail_msg("%s: flags %u, not %u", s, r->flags, flags);
	if (a != NULL) {
		assert_int_equal(inet_aton(a, &in), 1);
		assert_int_equal(r->code, in.s_addr);
	}
	if (reason == NULL)
		return;
	txt = imp_list_reason(&p->list, r, &len);
	if (len != strlen(reason) || memcmp(txt, reason, len) != 0)
		fail_msg("%s: reason '%.*s', not '%s'", s, (int)len, txt,
		    reason);
}

/* Parse n bodies as the files of one dataset. */
static void
parse_files(struct parsed *p, const struct imp_format *fmt,
    const char *const *text, size_t n, unsigned flags)
{
	struct imp_input in[4];
	size_t i;

	assert_true(n <= 4);
	for (i = 0; i < n; i++) {
		in[i].path = i == 0 ? "a" : "b";
		in[i].body = strdup(text[i]);
		assert_non_null(in[i].body);
		in[i].len = strlen(text[i]);
	}
	imp_list_init(&p->list);
	p->err[0] = '\0';
	p->rc = imp_parse_list_inputs(fmt, in, n, flags, &p->list, &p->st,
	    p->err, sizeof(p->err));
	for (i = 0; i < n; i++)
		free(in[i].body);
}

static void
names_come_in_three_forms_case_folded(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "x.example\n*.y.example\n.z.example\n"
	    "UPPER.Example.\n*\n*foo.example\na..b.example.\n"
	    "esc\\065pe.example\n*.*.star.example\n.x.example\n"
	    "caf\xc9.example\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 0);
	assert_int_equal(p.list.n, 11);
	assert_int_equal(ft_count_family(&p, RP_AF_NAME), 11);
	dn_expect(&p, "x.example", 0, NULL, "");
	dn_expect(&p, ".x.example", 0, NULL, "");	/* another entry */
	dn_expect(&p, "*.y.example", 0, NULL, "");
	assert_null(dn_find(&p, "y.example"));
	dn_expect(&p, ".z.example", 0, NULL, "");
	assert_null(dn_find(&p, "z.example"));
	dn_expect(&p, "upper.example", 0, NULL, "");	/* a final dot */
	dn_expect(&p, "*", 0, NULL, "");		/* a name "*" */
	dn_expect(&p, "*foo.example", 0, NULL, "");
	dn_expect(&p, "a.b.example", 0, NULL, "");	/* "a..b": empty
							 * labels vanish */
	dn_expect(&p, "escape.example", 0, NULL, "");	/* "\065" is 'A' */
	dn_expect(&p, "*.*.star.example", 0, NULL, "");
	/* Only ASCII is folded; other bytes are kept as they are. */
	dn_expect(&p, "caf\xc9.example", 0, NULL, "");
	imp_list_fini(&p.list);
}

static void
exclusions_of_each_form_win_over_their_form_only(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "!a.example\n! b.example\n!*.c.example\n"
	    "!.d.example\n.d.example :3:tree\nd.example :4:exact\n"
	    "*.c.example :5:below\n!e.example :6:ignored value\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 0);
	dn_expect(&p, "a.example", STORE_F_EXCLUDE, NULL, "");
	dn_expect(&p, "b.example", STORE_F_EXCLUDE, NULL, "");
	dn_expect(&p, "*.c.example", STORE_F_EXCLUDE, NULL, "");
	dn_expect(&p, ".d.example", STORE_F_EXCLUDE, NULL, "");
	dn_expect(&p, "d.example", STORE_F_CODE, "127.0.0.4", "exact");
	dn_expect(&p, "e.example", STORE_F_EXCLUDE, NULL, "");
	assert_int_equal(p.list.n, 6);
	ft_expect_meta(&p, "exclusions", "5");
	imp_list_fini(&p.list);
}

static void
values_and_default_lines_as_rbldnsd_reads_them(void **state)
{
	static const char *const files[] = {
		"a.example\n"
		"b.example :127.0.0.3:own text\n"
		"c.example :4\n"
		"d.example :5:\n"
		"e.example text without a colon\n"
		"f.example:6:glued\n"
		"g.example # a comment\n"
		":127.0.0.7:default $\n"
		"h.example\n"
		"i.example :8\n"
		"j.example :2:\n"
		":9\n"
		"k.example\n"
		"l.example :0:bad A\n",
		"m.example\n:10:second file\nn.example\n"
	};
	struct parsed p;

	(void)state;
	parse_files(&p, FMT, files, 2, 0);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 1);	/* ":0:" */
	dn_expect(&p, "a.example", 0, NULL, "");
	dn_expect(&p, "b.example", STORE_F_CODE, "127.0.0.3", "own text");
	dn_expect(&p, "c.example", STORE_F_CODE, "127.0.0.4", "");
	dn_expect(&p, "d.example", STORE_F_CODE, "127.0.0.5", "");
	dn_expect(&p, "e.example", 0, NULL, "text without a colon");
	/* The name ends at a blank only: a colon is part of it. */
	dn_expect(&p, "f.example:6:glued", 0, NULL, "");
	dn_expect(&p, "g.example", 0, NULL, "");
	dn_expect(&p, "h.example", STORE_F_CODE, "127.0.0.7", "default $");
	dn_expect(&p, "i.example", STORE_F_CODE, "127.0.0.8", "default $");
	/* 127.0.0.2 is the source's code: not the entry's own. */
	dn_expect(&p, "j.example", 0, NULL, "");
	/* A default line ":A" alone has no TXT (not the one before). */
	dn_expect(&p, "k.example", STORE_F_CODE, "127.0.0.9", "");
	assert_null(dn_find(&p, "l.example"));
	/* Defaults hold to the end of their file. */
	dn_expect(&p, "m.example", 0, NULL, "");
	dn_expect(&p, "n.example", STORE_F_CODE, "127.0.0.10",
	    "second file");
	imp_list_fini(&p.list);
}

static void
variables_and_templates_are_substituted(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "a.example :2:$ costs $$5, see $1$, $7\n"
	    "$1 https://x.test/?d=\n$1 second definition ignored\n");
	assert_int_equal(p.rc, 0);
	/* "$" (the listed name) stays for the daemon, "$$" too. */
	dn_expect(&p, "a.example", 0, NULL,
	    "$ costs $$5, see https://x.test/?d=$, $$7");
	imp_list_fini(&p.list);
	FT_PARSE_STR(&p, FMT, "$= [$=] $\nb.example :3:t\nc.example :4:\n"
	    "d.example :5:=raw $\n");
	assert_int_equal(p.rc, 0);
	dn_expect(&p, "b.example", STORE_F_CODE, "127.0.0.3", "[t] $");
	dn_expect(&p, "c.example", STORE_F_CODE, "127.0.0.4", "[$] $");
	dn_expect(&p, "d.example", STORE_F_CODE, "127.0.0.5", "raw $");
	imp_list_fini(&p.list);
}

static void
invalid_names_are_warned_and_skipped(void **state)
{
	char long_label[128], long_name[300];
	char body[1024];
	struct parsed p;

	(void)state;
	memset(long_label, 'a', 64);
	snprintf(long_label + 64, sizeof(long_label) - 64, ".example");
	/* 254 bytes of text: one more than a name may have. */
	memset(long_name, 'b', 254);
	long_name[63] = long_name[127] = long_name[191] = '.';
	long_name[254] = '\0';
	snprintf(body, sizeof(body), "ok.example\n..\n.\n*.\n!\n%s\n%s\n"
	    "ctl\x01.example\nesc\\.dot.example\nesc\\256.example\n"
	    "ok2.example\nok3.example\nok4.example\nok5.example\n"
	    "ok6.example\nok7.example\nok8.example\nok9.example\n",
	    long_label, long_name);
	ft_parse(&p, FMT, body, strlen(body));
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 9);
	assert_int_equal(p.list.n, 9);
	imp_list_fini(&p.list);
	/* 253 bytes is a name. */
	long_name[253] = '\0';
	ft_parse(&p, FMT, long_name, 253);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.list.n, 1);
	imp_list_fini(&p.list);
}

static void
several_values_of_one_name_are_all_kept(void **state)
{
	struct parsed p;

	(void)state;
	FT_PARSE_STR(&p, FMT, "m.example :3:first\nm.example :4:second\n"
	    "m.example :3:first\nm.example\n*.w.example :5:one\n"
	    "*.w.example :6:two\n!*.w.example\n");
	assert_int_equal(p.rc, 0);
	/* The first A stays (an entry has one); every TXT is a line. */
	dn_expect(&p, "m.example", STORE_F_CODE, "127.0.0.3",
	    "first\nsecond");
	/* An exclusion of the same form wins wherever it stands. */
	dn_expect(&p, "*.w.example", STORE_F_EXCLUDE, NULL, "");
	assert_int_equal(p.list.n, 2);
	imp_list_fini(&p.list);
}

static void
fixture_files_load_as_one_dataset(void **state)
{
	char *a, *b;
	const char *files[2];
	size_t la, lb;
	struct parsed p;

	(void)state;
	a = ft_read(DATA_A, &la);
	b = ft_read(DATA_B, &lb);
	files[0] = a;
	files[1] = b;
	parse_files(&p, FMT, files, 2, IMP_F_STRICT_CIDR);
	free(a);
	free(b);
	if (p.rc != 0)
		fail_msg("%s", p.err);
	assert_int_equal(p.st.rejected, 0);
	ft_expect_meta(&p, "soa", "3600 ns.dn.test hm.dn.test 31 3600 900 "
	    "604800 600");
	ft_expect_meta(&p, "ns", "3600 ns.dn.test");
	ft_expect_meta(&p, "ttl", "1200");	/* the last $TTL */
	dn_expect(&p, "test", 0, NULL, "");
	/* Excluded in file b, listed in file a: excluded. */
	dn_expect(&p, "exact.example.com", STORE_F_EXCLUDE, NULL, "");
	dn_expect(&p, "upper.case.example.com", STORE_F_CODE, "127.0.0.3",
	    "upper case folded");
	dn_expect(&p, "*.below.example.org", STORE_F_CODE, "127.0.0.5",
	    "below $ (https://dn.test/lookup?d=$)\n"
	    "second file, same name: both values answer");
	dn_expect(&p, "spaced.tree.example.org", STORE_F_EXCLUDE, NULL, "");
	dn_expect(&p, "treex.example", STORE_F_EXCLUDE, NULL, "");
	dn_expect(&p, ".treex.example", STORE_F_CODE, "127.0.0.10", NULL);
	dn_expect(&p, "multi.example", STORE_F_CODE, "127.0.0.11",
	    "first\nsecond\nthird, from file 2");
	dn_expect(&p, "dollar.example", STORE_F_CODE, "127.0.0.13",
	    "cost $$5 for $, see https://dn.test/lookup?d=$, unset $$7");
	dn_expect(&p, "quoted.example", STORE_F_CODE, "127.0.0.14",
	    "\"quoted\" # not a comment");
	dn_expect(&p, "lat\xe9n.example", STORE_F_CODE, "127.0.0.16",
	    "Caf\xe9 $");
	dn_expect(&p, "caf\xc9.example", STORE_F_CODE, "127.0.0.16", NULL);
	dn_expect(&p, "onlya.example", STORE_F_CODE, "127.0.0.21",
	    "default $ https://dn.test/lookup?d=$");
	dn_expect(&p, "noa.example", STORE_F_CODE, "127.0.0.22", "");
	dn_expect(&p, "second.example", 0, NULL, "");
	dn_expect(&p, ".tree2.example", STORE_F_CODE, "127.0.0.25", "");
	dn_expect(&p, "after.b.example", STORE_F_CODE, "127.0.0.26",
	    "file two default $");
	dn_expect(&p, "colon.example:2:x", 0, NULL, "");
	imp_list_fini(&p.list);
}

/* Combined data, part by part (reputed-import --part N). */
static void
parse_part(struct parsed *p, const char *text, unsigned part)
{
	parse_files(p, &fmt_rbldnsd_combined, &text, 1,
	    IMP_F_STRICT_CIDR | part << IMP_F_PART_SHIFT);
}

static void
combined_dnset_blocks_are_read_as_dnset(void **state)
{
	struct parsed p;
	size_t len;
	char *c = ft_read(DATA_C, &len);

	(void)state;
	parse_part(&p, c, 0);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.list.n, 0);
	ft_expect_meta(&p, "datasets",
	    "dnset @;dnset:rhs rhs Deep.Sub;ip4set ip");
	ft_expect_meta(&p, "ttl", "600");
	imp_list_fini(&p.list);
	parse_part(&p, c, 1);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.list.n, 4);
	dn_expect(&p, "listed.example", 0, NULL, "base $ common");
	dn_expect(&p, "*.wild.example", STORE_F_CODE, "127.0.0.3", "");
	dn_expect(&p, "no.wild.example", STORE_F_EXCLUDE, NULL, "");
	dn_expect(&p, ".tree.example", STORE_F_CODE, "127.0.0.4", "tree $");
	imp_list_fini(&p.list);
	parse_part(&p, c, 2);
	assert_int_equal(p.rc, 0);
	dn_expect(&p, "x.example", STORE_F_CODE, "127.0.0.5",
	    "[own text] via the base template");
	dn_expect(&p, "y.example", STORE_F_CODE, "127.0.0.6",
	    "[$] via the base template");
	dn_expect(&p, "z.example", STORE_F_CODE, "127.0.0.7", "bypass $");
	dn_expect(&p, "w.example", 0, NULL, "[$] via the base template");
	ft_expect_meta(&p, "ttl", "300");
	imp_list_fini(&p.list);
	parse_part(&p, c, 3);
	assert_int_equal(p.rc, 0);
	assert_true(ft_has(&p, "192.0.2.1", "ip $"));
	assert_int_equal(ft_count_family(&p, RP_AF_NAME), 0);
	imp_list_fini(&p.list);
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_come_in_three_forms_case_folded),
		cmocka_unit_test(
		    exclusions_of_each_form_win_over_their_form_only),
		cmocka_unit_test(
		    values_and_default_lines_as_rbldnsd_reads_them),
		cmocka_unit_test(variables_and_templates_are_substituted),
		cmocka_unit_test(invalid_names_are_warned_and_skipped),
		cmocka_unit_test(several_values_of_one_name_are_all_kept),
		cmocka_unit_test(fixture_files_load_as_one_dataset),
		cmocka_unit_test(combined_dnset_blocks_are_read_as_dnset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
