/* test_import_dnset.c -- importing rbldnsd dnset data into a real store:
 * name entries, their counts, history and lookups across two imports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../importers/import.h"
#include "name.h"
#include "store.h"

struct fixture {
	char		 dir[64];
	char		 file_a[96], file_b[96];
	struct store	*st;
	struct cfg_source src;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_import_dnset.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->file_a, sizeof(f->file_a), "%s/a.zone", f->dir);
	snprintf(f->file_b, sizeof(f->file_b), "%s/b.zone", f->dir);
	assert_int_equal(store_open(&f->st, f->dir, STORE_CREATE), 0);
	/* What reputed --rbldnsd writes for a dnset dataset. */
	f->src.name = "dn";
	f->src.format = "rbldnsd-dnset";
	f->src.code = htonl(0x7f000002);
	f->src.max_size = 1 << 20;
	f->src.max_rejected = 100;
	f->src.max_shrink = 100;
	f->src.strict_cidr = 1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Import the two files as one dataset; 0 or the import's code. */
static int
import(struct fixture *f, struct imp_result *res)
{
	const char *files[2] = { f->file_a, f->file_b };
	struct imp_opts o = { .file = f->file_a, .files = files,
	    .nfiles = 2 };

	return imp_source(f->st, &f->src, &o, res);
}

/* Does the store list q for the source: its code (host order, 0 for
 * the source's) and reason into *code and buf, or -ENOENT. */
static int
lookup(struct fixture *f, const char *q, uint32_t *code, char *buf,
    size_t len)
{
	struct store_txn *t;
	struct store_source s;
	struct store_entry out[2];
	size_t n;
	int rc;

	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_source_get(t, "dn", &s), 0);
	rc = store_name_lookup(t, s.id, q, strlen(q), out, &n);
	if (rc == 0) {
		*code = ntohl(out[0].code);
		snprintf(buf, len, "%.*s", (int)out[0].reason_len,
		    out[0].reason);
	}
	store_txn_abort(t);
	return rc;
}

/* Every entry of the source as "name|flags|reason|" lines (in walk
 * order, after a first newline), or history events as "type name|". */
struct dump {
	char	*buf;
	size_t	 len, cap;
	size_t	 n;
};

static int
dump_entry(const struct store_entry *e, void *arg)
{
	struct dump *d = arg;
	struct rp_name n;
	char text[NAME_STRLEN];
	int k;

	assert_int_equal(e->prefix.addr.family, RP_AF_NAME);
	assert_true(e->name_len > 0 && e->name_len <= NAME_TEXT_MAX);
	memset(&n, 0, sizeof(n));
	n.kind = e->name_kind;
	n.len = (uint8_t)e->name_len;
	memcpy(n.text, e->name, e->name_len);
	k = snprintf(d->buf + d->len, d->cap - d->len, "%s|%u|%.*s|\n",
	    name_str(&n, text), e->flags, (int)e->reason_len, e->reason);
	assert_true(k > 0 && (size_t)k < d->cap - d->len);
	d->len += (size_t)k;
	d->n++;
	return 0;
}

/* Is line one of the lines of the dump? */
static int
dump_has(const struct dump *d, const char *line)
{
	char want[512];

	snprintf(want, sizeof(want), "\n%s|\n", line);
	return strstr(d->buf, want) != NULL;
}

static void
dump_source(struct fixture *f, struct dump *d, uint64_t *count)
{
	struct store_txn *t;
	struct store_source s;

	d->n = 0;
	d->len = 1;
	memcpy(d->buf, "\n", 2);
	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_source_get(t, "dn", &s), 0);
	assert_int_equal(store_entry_foreach(t, s.id, 0, dump_entry, d), 0);
	*count = s.entries;
	store_txn_abort(t);
}

/* History events as "type name" lines. */
static int
history_line(const struct store_event *ev, void *arg)
{
	struct dump *d = arg;
	struct rp_name n;
	char text[NAME_STRLEN];
	int k;

	assert_int_equal(ev->prefix.addr.family, RP_AF_NAME);
	assert_true(ev->name_len > 0);
	memset(&n, 0, sizeof(n));
	n.kind = ev->name_kind;
	n.len = (uint8_t)ev->name_len;
	memcpy(n.text, ev->name, ev->name_len);
	k = snprintf(d->buf + d->len, d->cap - d->len, "%u %s|\n", ev->type,
	    name_str(&n, text));
	assert_true(k > 0 && (size_t)k < d->cap - d->len);
	d->len += (size_t)k;
	d->n++;
	return 0;
}

static void
dump_history(struct fixture *f, struct dump *d)
{
	struct store_txn *t;

	d->n = 0;
	d->len = 1;
	memcpy(d->buf, "\n", 2);
	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_history_foreach(t, 0, history_line, d), 0);
	store_txn_abort(t);
}

static void
report(const char *msg, void *arg)
{
	(void)arg;
	print_error("store_verify: %s\n", msg);
}

/* The store's own check passes. */
static void
verify(struct fixture *f)
{
	struct store_txn *t;

	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_verify(t, report, NULL), 0);
	store_txn_abort(t);
}

static void
import_twice_keeps_names_counts_and_history(void **state)
{
	struct fixture *f = *state;
	struct imp_result res;
	char buf[8192], reason[256];
	struct dump d = { buf, 0, sizeof(buf), 0 };
	uint64_t count;
	uint32_t code;

	write_file(f->file_a, "$SOA 1h ns.dn.test. hm.dn.test. 1 1h 1h 1d 1h\n"
	    ":127.0.0.3:listed $\n"
	    "A.Example\n*.b.example :4:below\n.c.example :5:tree\n"
	    "!d.example\nm.example :6:x\nm.example :7:y\n"
	    "bad..\n..\n");
	write_file(f->file_b, "!x.c.example\n");
	assert_int_equal(import(f, &res), 0);
	assert_int_equal(res.added, 7);
	assert_int_equal(res.removed, 0);
	assert_int_equal(res.rejected, 1);	/* ".." */
	assert_int_equal(res.entries, 7);
	dump_source(f, &d, &count);
	assert_int_equal(count, 7);
	assert_int_equal(d.n, 7);
	assert_true(dump_has(&d, "a.example|4|listed $"));
	assert_true(dump_has(&d, "*.b.example|4|below"));
	assert_true(dump_has(&d, ".c.example|4|tree"));
	assert_true(dump_has(&d, "d.example|1|"));
	assert_true(dump_has(&d, "m.example|4|x\ny"));
	assert_true(dump_has(&d, "x.c.example|1|"));
	/* "bad.." is the name "bad" (a final dot and an empty label). */
	assert_true(dump_has(&d, "bad|4|listed $"));
	assert_int_equal(lookup(f, "bad", &code, reason, sizeof(reason)), 0);
	assert_int_equal(lookup(f, "a.example", &code, reason,
	    sizeof(reason)), 0);
	assert_int_equal(code, 0x7f000003);
	assert_int_equal(lookup(f, "z.y.b.example", &code, reason,
	    sizeof(reason)), 0);
	assert_string_equal(reason, "below");
	assert_int_equal(lookup(f, "b.example", &code, reason,
	    sizeof(reason)), -ENOENT);
	assert_int_equal(lookup(f, "x.c.example", &code, reason,
	    sizeof(reason)), -ENOENT);
	assert_int_equal(lookup(f, "y.x.c.example", &code, reason,
	    sizeof(reason)), 0);
	assert_string_equal(reason, "tree");
	dump_history(f, &d);
	assert_int_equal(d.n, 7);
	assert_true(dump_has(&d, "1 *.b.example"));
	assert_true(dump_has(&d, "1 d.example"));

	/* Second import: bad and the exclusions of d and x.c gone, e new,
	 * *.b and m changed, a and .c the same. */
	write_file(f->file_a, ":127.0.0.3:listed $\n"
	    "a.example\n*.b.example :4:below, changed\n.c.example :5:tree\n"
	    "m.example :6:x\n");
	write_file(f->file_b, "e.example\n");
	assert_int_equal(import(f, &res), 0);
	assert_int_equal(res.added, 1);
	assert_int_equal(res.removed, 3);
	assert_int_equal(res.kept, 4);
	assert_int_equal(res.entries, 5);
	dump_source(f, &d, &count);
	assert_int_equal(count, 5);
	assert_true(dump_has(&d, "*.b.example|4|below, changed"));
	assert_true(dump_has(&d, "m.example|4|x"));
	assert_true(dump_has(&d, "e.example|0|"));
	assert_int_equal(lookup(f, "x.c.example", &code, reason,
	    sizeof(reason)), 0);
	assert_int_equal(lookup(f, "d.example", &code, reason,
	    sizeof(reason)), -ENOENT);
	dump_history(f, &d);
	assert_int_equal(d.n, 7 + 1 + 3 + 2);
	assert_true(dump_has(&d, "2 d.example"));
	assert_true(dump_has(&d, "2 x.c.example"));
	assert_true(dump_has(&d, "2 bad"));
	assert_true(dump_has(&d, "6 *.b.example"));
	assert_true(dump_has(&d, "6 m.example"));
	assert_true(dump_has(&d, "1 e.example"));

	/* With expire, a vanished name stays until its time is up. */
	f->src.expire = 86400;
	write_file(f->file_b, "");
	assert_int_equal(import(f, &res), 0);
	assert_int_equal(res.removed, 0);
	assert_int_equal(res.entries, 5);
	assert_int_equal(lookup(f, "e.example", &code, reason,
	    sizeof(reason)), 0);
	verify(f);
}

static void
names_and_addresses_share_a_source(void **state)
{
	struct fixture *f = *state;
	struct imp_result res;
	struct store_txn *t;
	struct store_source s;
	struct store_entry e;
	struct rp_name n;
	struct rp_cidr key;

	/* Name entries and address entries in one store: each source
	 * counts its own. */
	write_file(f->file_a, "n.example :3:name\n");
	write_file(f->file_b, "");
	assert_int_equal(import(f, &res), 0);
	f->src.name = "ip";
	f->src.format = "rbldnsd-ip4trie";
	write_file(f->file_a, "192.0.2.0/24 :3:net\n");
	assert_int_equal(import(f, &res), 0);
	assert_int_equal(res.entries, 1);
	assert_int_equal(store_txn_begin(f->st, 0, &t), 0);
	assert_int_equal(store_source_get(t, "dn", &s), 0);
	assert_int_equal(s.entries, 1);
	assert_int_equal(name_parse("n.example", 9, &n), 0);
	name_key(&n, &key);
	assert_int_equal(store_entry_get(t, s.id, &key, &e), 0);
	assert_int_equal(e.name_kind, NAME_EXACT);
	assert_int_equal(e.name_len, 9);
	assert_memory_equal(e.name, "n.example", 9);
	store_txn_abort(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    import_twice_keeps_names_counts_and_history, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    names_and_addresses_share_a_source, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
