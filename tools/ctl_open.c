/* ctl_open.c -- what reputectl's commands read: the configuration, the
 * store and the [geoip] databases, each opened with its errors said. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "ctl.h"
#include "guard.h"
#include "log.h"

/* Load -c FILE; every problem has been printed when this fails. */
int
ctl_load_config(struct ctl *ctl, FILE *err)
{
	int rc;

	if ((rc = cfg_load(&ctl->cfg, ctl->conf, err)) != 0)
		return rc;
	if (ctl->cfg->server.database == NULL) {
		fprintf(err, "%s: no database in [server]\n", ctl->conf);
		return -EINVAL;
	}
	return 0;
}

/* Name the schema versions when the store has one we do not know. */
static void
ctl_version_error(const char *path, const struct store *st, int rc)
{
	if (st != NULL)
		log_warnx("%s: %s (store version %" PRIu32 ", this program "
		    "knows version %" PRIu32 ")", path, store_strerror(rc),
		    store_found_version(st), store_schema_version());
	else
		log_warnx("%s: %s (this program knows version %" PRIu32 ")",
		    path, store_strerror(rc), store_schema_version());
}

/* Name the store if reading its map faults (a damaged file). */
void
ctl_guard(const struct store *st, const char *path)
{
	const void *map;
	size_t len;

	store_map_range(st, &map, &len);
	guard_store_faults("reputectl", path, map, len);
}

/* Say why store_open() failed; st is what it left in *out, if any. */
void
ctl_store_error(const char *path, const struct store *st, int rc)
{
	if (rc == -ENOENT)
		log_warnx("no store at %s (run reputed-import first)", path);
	else if (rc == -EPROTO)
		ctl_version_error(path, st, rc);
	else
		log_warnx("%s: %s", path, store_strerror(rc));
}

/* Open the configured store into ctl->st; errors are printed. */
int
ctl_open_store(struct ctl *ctl, unsigned flags)
{
	const char *path = ctl->cfg->server.database;
	struct store *st = NULL;
	int rc;

	if ((rc = store_open(&st, path, flags)) == 0) {
		ctl->st = st;
		ctl_guard(st, path);
		return 0;
	}
	ctl_store_error(path, st, rc);
	store_close(st);
	return rc;
}

/* A read transaction on the configured store, opened read-only. */
int
ctl_read_txn(struct ctl *ctl, struct store_txn **t)
{
	int rc;

	if ((rc = ctl_open_store(ctl, STORE_RDONLY)) != 0)
		return rc;
	if ((rc = store_txn_begin(ctl->st, 0, t)) != 0)
		log_warnx("%s: %s", ctl->cfg->server.database,
		    store_strerror(rc));
	return rc;
}

/* Open the [geoip] databases into ctl->geo. None configured is fine:
 * ctl->geo stays NULL and geo features are off. Errors are printed. */
int
ctl_open_geo(struct ctl *ctl)
{
	const struct cfg_geoip *gc = &ctl->cfg->geoip;
	char err[512];
	int rc;

	if (gc->asn_db == NULL && gc->country_db == NULL)
		return 0;
	err[0] = '\0';
	rc = geo_open(&ctl->geo, gc->asn_db, gc->country_db, err,
	    sizeof(err));
	if (rc != 0) {
		log_warnx("%s", err[0] != '\0' ? err : geo_strerror(rc));
		ctl->geo = NULL;
	}
	return rc;
}
