/* ctl_check.c -- reputectl check: the configuration, the store's
 * consistency and the [geoip] databases, reported on stdout. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "log.h"

/* Store problems found by store_verify(): printed, or kept for JSON. */
struct ctl_problems {
	const char	*path;
	json_t		*arr;		/* NULL: print them */
	size_t		 n;
};

static void
ctl_problem(const char *msg, void *arg)
{
	struct ctl_problems *p = arg;

	p->n++;
	if (p->arr != NULL)
		json_array_append_new(p->arr, json_string(msg));
	else
		printf("%s: %s\n", p->path, msg);
}

/* Verify an open store; CTL_OK, CTL_NO with problems, or CTL_ERR. */
static int
ctl_check_verify(struct ctl *ctl, struct ctl_problems *p,
    struct store_stats *stats)
{
	struct store_txn *t = NULL;
	int rc;

	memset(stats, 0, sizeof(*stats));
	if ((rc = store_txn_begin(ctl->st, 0, &t)) != 0)
		goto fail;
	rc = store_verify(t, ctl_problem, p);
	if (rc == 0 && (rc = store_stats(t, stats)) != 0)
		goto fail;
	store_txn_abort(t);
	t = NULL;
	if (rc == -EILSEQ || (rc == 0 && p->n > 0))
		return CTL_NO;
	if (rc == 0)
		return CTL_OK;
fail:
	store_txn_abort(t);
	log_warnx("%s: verify: %s", p->path, store_strerror(rc));
	return CTL_ERR;
}

/* The store half of check: absent is fine, unreadable is an error. */
static int
ctl_check_store(struct ctl *ctl, json_t **jstore)
{
	struct ctl_problems p = { ctl->cfg->server.database, NULL, 0 };
	struct store_stats stats;
	struct store *st = NULL;
	int rc, res;

	memset(&stats, 0, sizeof(stats));
	if (ctl->json && (p.arr = json_array()) == NULL)
		return CTL_ERR;
	if ((rc = store_open(&st, p.path, STORE_RDONLY)) == -ENOENT) {
		res = CTL_OK;
		if (!ctl->json)
			printf("no store at %s yet: nothing to verify\n",
			    p.path);
	} else if (rc != 0) {
		ctl_store_error(p.path, st, rc);
		store_close(st);
		res = CTL_ERR;
	} else {
		ctl_guard(st, p.path);
		ctl->st = st;
		res = ctl_check_verify(ctl, &p, &stats);
		if (res == CTL_OK && !ctl->json)
			printf("store OK (%" PRIu64 " entries)\n",
			    stats.entries);
	}
	if (ctl->json)
		*jstore = json_pack("{s:s, s:b, s:b, s:s?, s:I, s:o}",
		    "path", p.path, "exists", rc != -ENOENT,
		    "ok", res == CTL_OK, "error", rc != 0 && rc != -ENOENT ?
		    store_strerror(rc) : NULL, "entries",
		    (json_int_t)stats.entries, "problems", p.arr);
	return res;
}

/* One open database for check: its type and build date, or null. */
static json_t *
ctl_geo_db_json(const struct geo *g, enum geo_role role, char *text,
    size_t len)
{
	struct geo_db_info info;
	char tb[CTL_TIME_LEN];

	if (g == NULL || geo_db_info(g, role, &info) != 0)
		return json_null();
	snprintf(text, len, "%s %s (built %s)", role == GEO_ASN ? "asn-db" :
	    "country-db", info.type, ctl_time((int64_t)info.build_epoch,
	    "-", tb));
	return json_pack("{s:s, s:s, s:o}", "path", info.path, "type",
	    info.type, "built", ctl_json_time((int64_t)info.build_epoch));
}

/* The [geoip] half of check: every database configured opens and
 * passes geo_open()'s checks. CTL_OK (also when none is configured) or
 * CTL_ERR, said on stdout or in *jgeo. */
static int
ctl_check_geo(struct ctl *ctl, json_t **jgeo)
{
	const struct cfg_geoip *gc = &ctl->cfg->geoip;
	char err[512], asn[160] = "", cc[160] = "";
	struct geo *g = NULL;
	json_t *jasn, *jcc;
	int rc;

	if (gc->asn_db == NULL && gc->country_db == NULL) {
		if (ctl->json)
			*jgeo = json_pack("{s:b}", "configured", 0);
		return CTL_OK;
	}
	err[0] = '\0';
	rc = geo_open(&g, gc->asn_db, gc->country_db, err, sizeof(err));
	jasn = ctl_geo_db_json(g, GEO_ASN, asn, sizeof(asn));
	jcc = ctl_geo_db_json(g, GEO_COUNTRY, cc, sizeof(cc));
	if (!ctl->json && rc == 0)
		printf("geoip OK: %s%s%s\n", asn, asn[0] && cc[0] ? ", " : "",
		    cc);
	else if (!ctl->json)
		printf("%s\n", err[0] != '\0' ? err : geo_strerror(rc));
	if (ctl->json)
		*jgeo = json_pack("{s:b, s:b, s:o, s:o, s:o}", "configured",
		    1, "ok", rc == 0, "error", rc == 0 ? json_null() :
		    json_string(err[0] != '\0' ? err : geo_strerror(rc)),
		    "asn_db", jasn, "country_db", jcc);
	else {
		json_decref(jasn);
		json_decref(jcc);
	}
	geo_close(g);
	return rc == 0 ? CTL_OK : CTL_ERR;
}

/* Configuration errors as a JSON array: one string per line. */
static json_t *
ctl_lines_json(const char *buf, size_t len)
{
	json_t *arr = json_array();
	const char *p = buf, *nl, *end = buf + len;

	while (buf != NULL && p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (nl > p)
			json_array_append_new(arr,
			    ctl_json_text(p, (size_t)(nl - p)));
		p = nl + 1;
	}
	return arr;
}

/* check: the report is the output, so errors go to stdout too. */
int
ctl_check(struct ctl *ctl)
{
	json_t *jcfg, *jstore = json_null(), *jgeo = json_null();
	char *buf = NULL;
	size_t len = 0;
	FILE *err = stdout;
	int rc, res, gres;

	if (ctl->json && (err = open_memstream(&buf, &len)) == NULL) {
		log_warn("open_memstream");
		return CTL_ERR;
	}
	rc = ctl_load_config(ctl, err);
	if (ctl->json)
		fclose(err);
	else if (rc == 0)
		puts("configuration OK");
	res = rc != 0 ? CTL_ERR : ctl_check_store(ctl, &jstore);
	if (rc == 0 && (gres = ctl_check_geo(ctl, &jgeo)) > res)
		res = gres;
	if (ctl->json) {
		jcfg = json_pack("{s:s, s:b, s:o}", "path", ctl->conf,
		    "ok", rc == 0, "errors", ctl_lines_json(buf, len));
		if (ctl_json_print(json_pack("{s:o, s:o, s:o}", "config",
		    jcfg, "store", jstore, "geoip", jgeo)) != 0)
			res = CTL_ERR;
	}
	free(buf);
	return res;
}
