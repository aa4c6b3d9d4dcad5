/* test_name.c -- domain-name listings: forms, keys, records, and the
 * dnset lookup (rbldnsd's semantics) against a real store. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "name.h"
#include "schema.h"
#include "store.h"

struct fixture {
	char		 dir[64];
	struct store	*st;
	struct store_txn *t;
	uint16_t	 src;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct store_source s;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_name.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(store_open(&f->st, f->dir, STORE_CREATE), 0);
	assert_int_equal(store_txn_begin(f->st, 1, &f->t), 0);
	assert_int_equal(store_source_ensure(f->t, "dbl", &s), 0);
	f->src = s.id;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	store_txn_abort(f->t);
	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Put listing s ("x", "*.x", ".x", "!..." for an exclusion). */
static void
put(struct fixture *f, const char *s, const char *reason)
{
	struct store_entry e = { 0 };
	struct rp_name n;
	int excl = s[0] == '!';

	assert_int_equal(name_parse(s + excl, strlen(s + excl), &n), 0);
	name_key(&n, &e.prefix);
	e.source_id = f->src;
	e.flags = excl ? STORE_F_EXCLUDE : 0;
	e.reason = reason;
	e.reason_len = strlen(reason);
	e.name_kind = n.kind;
	e.name = n.text;
	e.name_len = n.len;
	e.first_seen = e.last_seen = 1000;
	assert_int_equal(store_entry_put(f->t, &e, NULL), 0);
}

/* The reasons of what lists q, "|"-joined, or "-" when nothing does. */
static const char *
look(struct fixture *f, const char *q)
{
	static char buf[256];
	struct store_entry e[2];
	size_t n, i;
	int rc;

	rc = store_name_lookup(f->t, f->src, q, strlen(q), e, &n);
	if (rc == -ENOENT)
		return "-";
	assert_int_equal(rc, 0);
	buf[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
		    "%s%.*s", i ? "|" : "", (int)e[i].reason_len,
		    e[i].reason);
	return buf;
}

static void
name_forms(void **state)
{
	struct rp_name n;
	struct rp_cidr a, b;
	char buf[NAME_STRLEN], big[300];

	(void)state;
	assert_int_equal(name_parse("Example.COM.", 12, &n), 0);
	assert_int_equal(n.kind, NAME_EXACT);
	assert_string_equal(n.text, "example.com");
	assert_string_equal(name_str(&n, buf), "example.com");
	assert_int_equal(name_parse("*.x.org", 7, &n), 0);
	assert_int_equal(n.kind, NAME_BELOW);
	assert_string_equal(name_str(&n, buf), "*.x.org");
	assert_int_equal(name_parse(".x.org", 6, &n), 0);
	assert_int_equal(n.kind, NAME_TREE);
	assert_string_equal(name_str(&n, buf), ".x.org");
	/* High bytes pass untouched (ISO-8859-1 names exist in lists). */
	assert_int_equal(name_parse("caf\xe9.fr", 7, &n), 0);
	assert_string_equal(n.text, "caf\xe9.fr");
	assert_int_not_equal(name_parse("", 0, &n), 0);
	assert_int_not_equal(name_parse(".", 1, &n), 0);
	assert_int_not_equal(name_parse("*.", 2, &n), 0);
	assert_int_not_equal(name_parse("a..b", 4, &n), 0);
	assert_int_not_equal(name_parse("a b", 3, &n), 0);
	memset(big, 'a', sizeof(big));
	assert_int_not_equal(name_parse(big, 64, &n), 0);	/* label */
	assert_int_equal(name_parse(big, 63, &n), 0);
	/* Keys differ by kind and by name, not by case. */
	name_key_of(NAME_EXACT, "x.org", 5, &a);
	name_key_of(NAME_TREE, "x.org", 5, &b);
	assert_int_equal(a.addr.family, RP_AF_NAME);
	assert_int_equal(a.bits, 128);
	assert_memory_not_equal(a.addr.bytes, b.addr.bytes, 16);
	assert_int_equal(name_parse("X.Org", 5, &n), 0);
	name_key(&n, &b);
	assert_memory_equal(a.addr.bytes, b.addr.bytes, 16);
}

static void
name_lookup_semantics(void **state)
{
	struct fixture *f = *state;

	put(f, "exact.example", "exact");
	put(f, "*.wild.example", "wild");
	put(f, ".both.example", "both");
	put(f, "!ok.both.example", "");
	put(f, "*.deep.both.example", "deep");
	put(f, "!*.hole.wild.example", "");
	put(f, "x.multi.example", "one");
	put(f, ".x.multi.example", "two");

	assert_string_equal(look(f, "exact.example"), "exact");
	assert_string_equal(look(f, "sub.exact.example"), "-");
	assert_string_equal(look(f, "wild.example"), "-");
	assert_string_equal(look(f, "a.wild.example"), "wild");
	assert_string_equal(look(f, "a.b.wild.example"), "wild");
	assert_string_equal(look(f, "both.example"), "both");
	assert_string_equal(look(f, "a.both.example"), "both");
	/* An exact exclusion blocks that name only. */
	assert_string_equal(look(f, "ok.both.example"), "-");
	assert_string_equal(look(f, "sub.ok.both.example"), "both");
	/* The nearest wildcard parent decides. */
	assert_string_equal(look(f, "a.deep.both.example"), "deep");
	assert_string_equal(look(f, "deep.both.example"), "both");
	assert_string_equal(look(f, "x.hole.wild.example"), "-");
	assert_string_equal(look(f, "hole.wild.example"), "wild");
	/* Both forms of one name answer. */
	assert_string_equal(look(f, "x.multi.example"), "one|two");
	assert_string_equal(look(f, "y.x.multi.example"), "two");
	assert_string_equal(look(f, "example"), "-");
	assert_string_equal(look(f, "other"), "-");
}

static void
name_records(void **state)
{
	struct fixture *f = *state;
	struct store_entry e, es[2];
	struct store_event ev, de;
	uint8_t buf[512];
	struct rp_name n;
	size_t len, cnt;
	struct store_stats stats;

	put(f, "*.Rec.Example", "r");
	assert_int_equal(name_parse("*.rec.example", 13, &n), 0);
	name_key(&n, &e.prefix);
	assert_int_equal(store_entry_get(f->t, f->src, &e.prefix, &e), 0);
	assert_int_equal(e.name_kind, NAME_BELOW);
	assert_int_equal(e.name_len, 11);
	assert_memory_equal(e.name, "rec.example", 11);
	assert_int_equal(store_name_lookup(f->t, f->src, "a.rec.example",
	    13, es, &cnt), 0);
	assert_int_equal(cnt, 1);
	/* A name entry without a name is refused. */
	e.name_len = 0;
	assert_int_equal(store_entry_put(f->t, &e, NULL), -EINVAL);

	/* History keeps the name. */
	assert_int_equal(store_history_add_name(f->t, STORE_EV_LISTED,
	    f->src, &e.prefix, NAME_BELOW, "rec.example", 11, "r", 1, 5), 0);
	memset(&ev, 0, sizeof(ev));
	ev.prefix = e.prefix;
	ev.name_kind = NAME_TREE;
	ev.name = "a.b";
	ev.name_len = 3;
	ev.reason = "why";
	ev.reason_len = 3;
	len = schema_event_val_size(&ev);
	assert_true(len <= sizeof(buf));
	schema_event_val(buf, &ev);
	assert_int_equal(schema_event_val_decode(buf, len, &de), 0);
	assert_int_equal(de.name_kind, NAME_TREE);
	assert_int_equal(de.name_len, 3);
	assert_memory_equal(de.name, "a.b", 3);
	assert_int_not_equal(schema_event_val_decode(buf, len - 3, &de), 0);

	assert_int_equal(store_stats(f->t, &stats), 0);
	assert_int_equal(stats.entries, 1);
}

static void
report(const char *msg, void *arg)
{
	(void)arg;
	fail_msg("verify: %s", msg);
}

/* Names are outside the address index: a commit and a check are clean,
 * and the lookup reads a committed snapshot the same. */
static void
name_commit_verify(void **state)
{
	struct fixture *f = *state;
	struct store_txn *r;
	struct store_entry e[2];
	size_t n;

	put(f, ".spam.example", "s");
	assert_int_equal(store_txn_commit(f->t), 0);
	f->t = NULL;
	assert_int_equal(store_txn_begin(f->st, 0, &r), 0);
	assert_int_equal(store_verify(r, report, NULL), 0);
	assert_int_equal(store_name_lookup(r, f->src, "a.spam.example", 14,
	    e, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_name_lookup(r, f->src, "spam.example2", 13,
	    e, &n), -ENOENT);
	store_txn_abort(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_forms),
		cmocka_unit_test_setup_teardown(name_lookup_semantics, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(name_records, setup, teardown),
		cmocka_unit_test_setup_teardown(name_commit_verify, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
