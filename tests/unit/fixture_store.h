/* fixture_store.h -- what the tests over a real store and configuration
 * share: a temporary directory holding reputed.conf and the store it
 * names, filled by the test, and entries put into it. Each failure fails
 * the test. Include after <cmocka.h>. */
#ifndef REPUTED_FIXTURE_STORE_H
#define REPUTED_FIXTURE_STORE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "config.h"
#include "store.h"

/* Each test program uses only some of these. */
#define FS_UNUSED	__attribute__((unused))

/* Put an entry of source for prefix, read by parse (cidr_parse() or
 * cidr_parse_listing()); a leading "!" makes it an exclusion. It was
 * first and last seen at 1000. */
static FS_UNUSED void
fs_put_parsed(struct store_txn *t,
    int (*parse)(const char *, struct rp_cidr *, int *),
    const char *source, const char *prefix, const char *reason,
    uint8_t flags, uint32_t code)
{
	struct store_source s;
	struct store_entry e = { 0 };
	const char *p = prefix[0] == '!' ? prefix + 1 : prefix;

	assert_int_equal(store_source_ensure(t, source, &s), 0);
	assert_int_equal(parse(p, &e.prefix, NULL), 0);
	e.source_id = s.id;
	e.flags = flags | (prefix[0] == '!' ? STORE_F_EXCLUDE : 0);
	e.code = code;
	e.first_seen = e.last_seen = 1000;
	e.reason = reason;
	e.reason_len = strlen(reason);
	assert_int_equal(store_entry_put(t, &e, NULL), 0);
}

/* Put an address prefix ("192.0.2.0/24", "!192.0.2.64/26"). */
static FS_UNUSED void
fs_put(struct store_txn *t, const char *source, const char *prefix,
    const char *reason, uint8_t flags, uint32_t code)
{
	fs_put_parsed(t, cidr_parse, source, prefix, reason, flags, code);
}

/* Put anything a source may list: a prefix, "AS64496" or "CC:XX". */
static FS_UNUSED void
fs_put_listing(struct store_txn *t, const char *source, const char *what,
    const char *reason, uint8_t flags, uint32_t code)
{
	fs_put_parsed(t, cidr_parse_listing, source, what, reason, flags,
	    code);
}

/* Write text to dir/reputed.conf; its path goes to path. */
static FS_UNUSED void
fs_write_conf(const char *dir, const char *text, char *path, size_t size)
{
	FILE *fp;

	assert_true((size_t)snprintf(path, size, "%s/reputed.conf", dir) <
	    size);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Make dir (a mkdtemp() template, rewritten in place), write text to its
 * reputed.conf, load that into *cfg, create the store it names into *st
 * and fill it in one write transaction. Undo with fs_close(). */
static FS_UNUSED void
fs_open(char *dir, const char *text, void (*fill)(struct store_txn *),
    struct cfg **cfg, struct store **st)
{
	struct store_txn *t;
	char path[96];

	assert_non_null(mkdtemp(dir));
	fs_write_conf(dir, text, path, sizeof(path));
	assert_int_equal(cfg_load(cfg, path, stderr), 0);
	assert_int_equal(store_open(st, (*cfg)->server.database,
	    STORE_CREATE), 0);
	assert_int_equal(store_txn_begin(*st, 1, &t), 0);
	fill(t);
	assert_int_equal(store_txn_commit(t), 0);
}

/* Close what fs_open() opened and remove dir with all in it. */
static FS_UNUSED void
fs_close(const char *dir, struct cfg *cfg, struct store *st)
{
	char cmd[128];

	store_close(st);
	cfg_free(cfg);
	assert_true((size_t)snprintf(cmd, sizeof(cmd), "rm -rf %s", dir) <
	    sizeof(cmd));
	assert_int_equal(system(cmd), 0);
}

#endif
