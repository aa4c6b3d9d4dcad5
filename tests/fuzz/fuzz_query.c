/* fuzz_query.c -- libFuzzer target: any byte string through query_answer()
 * over UDP and TCP; every answer must fit its buffer and parse with ldns. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <ldns/ldns.h>

#include "cidr.h"
#include "config.h"
#include "query.h"
#include "store.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char conf_text[] =
"[server]\n"
"database = db\n"
"[source a]\n"
"code = 127.0.0.2\n"
"txt = A $source $reason $ip $first_seen $code\n"
"[source b]\n"
"code = 127.0.0.3\n"
"txt = $reason\n"
"[zone bl.test]\n"
"sources = a b\n"
"soa = ns1.bl.test hostmaster.bl.test\n"
"ns = ns1.bl.test ns2.example.net\n"
"[zone v6.bl.test]\n"
"sources = b\n"
"[zone other.example]\n"
"sources = a\n";

struct fuzz {
	char			 dir[64];
	struct cfg		*cfg;
	struct store		*st;
	struct store_txn	*t;
	struct query_engine	*qe;
	uint8_t			 out[QUERY_MAX_MSG];
};

/* libFuzzer's entry points share no argument: the state must be global. */
static struct fuzz *fz;

static void
fuzz_check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_query: %s\n", what);
		abort();
	}
}

static void
fuzz_put(struct store_txn *t, const char *source, const char *prefix,
    const char *reason, uint8_t flags, uint32_t code)
{
	struct store_source s;
	struct store_entry e = { 0 };

	fuzz_check(store_source_ensure(t, source, &s) == 0, "source");
	fuzz_check(cidr_parse(prefix, &e.prefix, NULL) == 0, "prefix");
	e.source_id = s.id;
	e.flags = flags;
	e.code = code;
	e.first_seen = e.last_seen = 1000;
	e.reason = reason;
	e.reason_len = strlen(reason);
	fuzz_check(store_entry_put(t, &e, NULL) == 0, "put");
}

static void
fuzz_fill(struct store *st)
{
	struct store_txn *t;
	char longer[300];

	memset(longer, 'r', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	fuzz_check(store_txn_begin(st, 1, &t) == 0, "write txn");
	fuzz_put(t, "a", "192.0.2.0/24", "doc", 0, 0);
	fuzz_put(t, "a", "1.2.3.4", longer, 0, 0);
	fuzz_put(t, "a", "2001:db8::/32", "v6", 0, 0);
	fuzz_put(t, "a", "192.0.2.64/26", "hole", STORE_F_EXCLUDE, 0);
	fuzz_put(t, "b", "192.0.2.0/25", "", 0, 0);
	fuzz_put(t, "b", "10.0.0.0/8", "ten", STORE_F_CODE,
	    htonl(0x7f00000a));
	fuzz_put(t, "b", "2001:db8:1::/48", "b6", 0, 0);
	fuzz_check(store_txn_commit(t) == 0, "commit");
}

static void
fuzz_cleanup(void)
{
	char cmd[96];

	if (fz == NULL)
		return;
	query_engine_free(fz->qe);
	store_txn_abort(fz->t);
	store_close(fz->st);
	cfg_free(fz->cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fz->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_query: could not remove %s\n", fz->dir);
	free(fz);
	fz = NULL;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[96];
	FILE *fp;

	(void)argc;
	(void)argv;
	fuzz_check((fz = calloc(1, sizeof(*fz))) != NULL, "calloc");
	strcpy(fz->dir, "/tmp/fuzz_query.XXXXXX");
	fuzz_check(mkdtemp(fz->dir) != NULL, "mkdtemp");
	snprintf(path, sizeof(path), "%s/reputed.conf", fz->dir);
	fuzz_check((fp = fopen(path, "w")) != NULL, "fopen");
	fuzz_check(fputs(conf_text, fp) >= 0 && fclose(fp) == 0, "write");
	fuzz_check(cfg_load(&fz->cfg, path, stderr) == 0, "cfg_load");
	fuzz_check(store_open(&fz->st, fz->cfg->server.database,
	    STORE_CREATE) == 0, "store_open");
	fuzz_fill(fz->st);
	fuzz_check(store_txn_begin(fz->st, 0, &fz->t) == 0, "read txn");
	fuzz_check(query_engine_new(&fz->qe, fz->cfg) == 0, "engine");
	query_engine_begin(fz->qe, fz->t);
	atexit(fuzz_cleanup);
	return 0;
}

/* A response: fits, echoes the ID, has QR, and ldns reads it. */
static void
fuzz_answer(const uint8_t *data, size_t size, enum query_transport tr,
    size_t cap)
{
	ldns_pkt *p = NULL;
	size_t n;

	n = query_answer(fz->qe, data, size, fz->out, cap, tr, NULL);
	if (n == 0)
		return;
	fuzz_check(n <= cap, "response longer than the buffer");
	fuzz_check(tr == QUERY_TCP || n <= QUERY_EDNS_SIZE,
	    "UDP response longer than our EDNS size");
	fuzz_check(n >= 12 && size >= 12 && memcmp(fz->out, data, 2) == 0 &&
	    (fz->out[2] & 0x80), "bad header");
	fuzz_check(ldns_wire2pkt(&p, fz->out, n) == LDNS_STATUS_OK,
	    "ldns cannot parse our response");
	ldns_pkt_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A roomy UDP buffer too: the limit must come from the query. */
	fuzz_answer(data, size, QUERY_UDP, QUERY_EDNS_SIZE);
	fuzz_answer(data, size, QUERY_UDP, QUERY_MAX_MSG);
	fuzz_answer(data, size, QUERY_TCP, QUERY_MAX_MSG);
	return 0;
}
