/* geo.c -- ASN and country lookups over libmaxminddb, with the checks
 * that keep a wrong or corrupt database from being served. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <maxminddb.h>

#include "geo.h"

/* Which file a database was read from: geoipupdate replaces a database
 * by renaming a new file over it, so the inode changes; an edit in place
 * changes size or mtime. */
struct geo_stamp {
	dev_t		dev;
	ino_t		ino;
	off_t		size;
	struct timespec	mtime;
};

struct geo_db {
	MMDB_s		*mmdb;		/* NULL: none open */
	char		*path;
	struct geo_stamp stamp;		/* of the file mmdb was read from */
	struct geo_stamp failed;	/* of the last file that failed */
	int		 fail_rc;	/* its code; 0: none failed */
};

struct geo {
	struct geo_db	db[2];		/* by enum geo_role */
};

static const char *const geo_role_key[2] = { "asn-db", "country-db" };

/* libmaxminddb codes to -errno: the only place they are read. */
static int
geo_errno(int mmdb_rc)
{
	switch (mmdb_rc) {
	case MMDB_SUCCESS:
		return 0;
	case MMDB_FILE_OPEN_ERROR:
		return errno != 0 ? -errno : -EIO;
	case MMDB_IO_ERROR:
		return -EIO;
	case MMDB_OUT_OF_MEMORY_ERROR:
		return -ENOMEM;
	case MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR:
	case MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR:
		return -ENOENT;		/* the database does not say */
	case MMDB_INVALID_LOOKUP_PATH_ERROR:
		return -EINVAL;
	default:			/* corrupt tree, data, metadata */
		return -EILSEQ;
	}
}

const char *
geo_strerror(int rc)
{
	switch (rc) {
	case -EILSEQ:
		return "corrupt, or not a MaxMind DB file";
	case -EMEDIUMTYPE:
		return "wrong database type";
	case -ENOENT:
		return "not found";
	default:
		return strerror(-rc);
	}
}

/* ---- Opening and checking one database --------------------------------- */

static void
geo_stamp_of(const struct stat *st, struct geo_stamp *s)
{
	memset(s, 0, sizeof(*s));
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->size = st->st_size;
	s->mtime = st->st_mtim;
}

static int
geo_stamp_eq(const struct geo_stamp *a, const struct geo_stamp *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* Open path ourselves first: a clear errno, and the identity of the file
 * that libmaxminddb is about to map. */
static int
geo_stat(const char *path, struct geo_stamp *s)
{
	struct stat st;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	if (fstat(fd, &st) != 0)
		rc = -errno;
	else if (!S_ISREG(st.st_mode))
		rc = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	else
		geo_stamp_of(&st, s);
	close(fd);
	return rc;
}

/* Does a database_type fit the role? Vendors name their types freely
 * ("GeoLite2-ASN", "DBIP-ASN-Lite (compat=GeoLite2-ASN)", "GeoIP2-ISP"
 * which has the ASN fields too; "GeoLite2-City", "DBIP-Country-Lite",
 * "GeoIP2-Enterprise"), so look for the telling word. */
static int
geo_type_fits(const char *type, enum geo_role role)
{
	static const char *const asn[] = { "ASN", "ISP", NULL };
	static const char *const country[] = { "Country", "City",
	    "Enterprise", NULL };
	const char *const *w = role == GEO_ASN ? asn : country;

	for (; type != NULL && *w != NULL; w++)
		if (strcasestr(type, *w) != NULL)
			return 1;
	return 0;
}

/* Decode every data record once: one bit per data section byte says
 * which offsets were done (records are shared by many networks). */
static int
geo_check_record(const MMDB_s *m, uint64_t rec, uint8_t *done)
{
	MMDB_entry_s e = { m, 0 };
	MMDB_entry_data_list_s *list = NULL;
	uint64_t off;
	int rc;

	/* A data record points 16 bytes (the separator) past the tree. */
	if (rec < (uint64_t)m->metadata.node_count + 16 ||
	    (off = rec - m->metadata.node_count - 16) >= m->data_section_size)
		return -EILSEQ;
	if (done[off / 8] & (1u << (off % 8)))
		return 0;
	done[off / 8] |= (uint8_t)(1u << (off % 8));
	e.offset = (uint32_t)off;
	rc = MMDB_get_entry_data_list(&e, &list);
	MMDB_free_entry_data_list(list);
	return geo_errno(rc);
}

/* One pass over the nodes in file order (a crafted tree cannot make it
 * loop): every record must be a node, empty, or a record that decodes. */
static int
geo_check_tree(const MMDB_s *m)
{
	MMDB_search_node_s node;
	uint8_t *done;
	uint64_t rec[2];
	uint32_t i;
	int rc = 0, j;

	if ((done = calloc((size_t)m->data_section_size / 8 + 1, 1)) == NULL)
		return -ENOMEM;
	for (i = 0; rc == 0 && i < m->metadata.node_count; i++) {
		if ((rc = geo_errno(MMDB_read_node(m, i, &node))) != 0)
			break;
		rec[0] = node.left_record;
		rec[1] = node.right_record;
		for (j = 0; rc == 0 && j < 2; j++)
			if (rec[j] > m->metadata.node_count)
				rc = geo_check_record(m, rec[j], done);
	}
	free(done);
	return rc;
}

/* Open path for role into *out, checked. On failure err says why. */
static int
geo_db_load(MMDB_s **out, struct geo_stamp *stamp, const char *path,
    enum geo_role role, char *err, size_t errlen)
{
	MMDB_s *m;
	const char *type;
	int rc;

	*out = NULL;
	if ((rc = geo_stat(path, stamp)) != 0) {
		snprintf(err, errlen, "%s: cannot read %s: %s",
		    geo_role_key[role], path, strerror(-rc));
		return rc;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return -ENOMEM;
	errno = 0;
	if ((rc = geo_errno(MMDB_open(path, MMDB_MODE_MMAP, m))) != 0) {
		free(m);	/* MMDB_open() cleans up after itself */
		snprintf(err, errlen, "%s: %s: %s", geo_role_key[role], path,
		    rc == -EILSEQ ? "not a MaxMind DB file, or corrupt" :
		    strerror(-rc));
		return rc;
	}
	type = m->metadata.database_type;
	if (!geo_type_fits(type, role)) {
		snprintf(err, errlen, "%s: %s: database type '%s' is not %s "
		    "database", geo_role_key[role], path, type ? type : "",
		    role == GEO_ASN ? "an ASN (or ISP)" :
		    "a country (or city)");
		rc = -EMEDIUMTYPE;
	} else if ((rc = geo_check_tree(m)) != 0)
		snprintf(err, errlen, "%s: %s: %s", geo_role_key[role], path,
		    rc == -EILSEQ ? "corrupt (search tree or data section)" :
		    strerror(-rc));
	if (rc != 0) {
		MMDB_close(m);
		free(m);
		return rc;
	}
	*out = m;
	return 0;
}

static void
geo_db_fini(struct geo_db *d)
{
	if (d->mmdb != NULL) {
		MMDB_close(d->mmdb);
		free(d->mmdb);
	}
	free(d->path);
	memset(d, 0, sizeof(*d));
}

/* ---- The handle -------------------------------------------------------- */

int
geo_open(struct geo **out, const char *asn_db, const char *country_db,
    char *err, size_t errlen)
{
	const char *paths[2] = { asn_db, country_db };
	char none[1];
	struct geo *g;
	int rc = 0, r;

	*out = NULL;
	if (errlen == 0) {
		err = none;
		errlen = sizeof(none);
	}
	*err = '\0';
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return -ENOMEM;
	for (r = 0; rc == 0 && r < 2; r++) {
		if (paths[r] == NULL)
			continue;
		if ((g->db[r].path = strdup(paths[r])) == NULL)
			rc = -ENOMEM;
		else
			rc = geo_db_load(&g->db[r].mmdb, &g->db[r].stamp,
			    paths[r], (enum geo_role)r, err, errlen);
	}
	if (rc != 0) {
		if (rc == -ENOMEM && *err == '\0')
			snprintf(err, errlen, "%s", strerror(ENOMEM));
		geo_close(g);
		return rc;
	}
	*out = g;
	return 0;
}

void
geo_close(struct geo *g)
{
	if (g == NULL)
		return;
	geo_db_fini(&g->db[GEO_ASN]);
	geo_db_fini(&g->db[GEO_COUNTRY]);
	free(g);
}

int
geo_has(const struct geo *g, enum geo_role role)
{
	return g != NULL && g->db[role].mmdb != NULL;
}

/* ---- Lookups ----------------------------------------------------------- */

/* The address as libmaxminddb takes it. An IPv4-only database answers
 * an IPv4-mapped IPv6 address for its IPv4 address (IPv6 databases map
 * ::ffff:0:0/96 to IPv4 themselves); *shift says how many bits of the
 * address the database's network length misses, or has too many. */
static int
geo_sockaddr(const MMDB_s *m, const struct rp_addr *a,
    struct sockaddr_storage *ss, int *shift)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	int v6db = m->metadata.ip_version == 6;

	memset(ss, 0, sizeof(*ss));
	*shift = 0;
	if (a->family == RP_AF_INET || (a->family == RP_AF_INET6 && !v6db &&
	    memcmp(a->bytes, mapped, sizeof(mapped)) == 0)) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a->family == RP_AF_INET ? a->bytes :
		    a->bytes + 12, 4);
		/* libmaxminddb counts the ::/96 path an IPv6 tree puts IPv4
		 * under; an IPv4 database, the reverse for a mapped one. */
		*shift = a->family == RP_AF_INET ? (v6db ? -96 : 0) : 96;
		return 0;
	}
	if (a->family != RP_AF_INET6)
		return -EINVAL;
	sin6->sin6_family = AF_INET6;
	memcpy(&sin6->sin6_addr, a->bytes, 16);
	return 0;
}

/* Find a's record in d. 0, -ENOENT, or an error; network may be NULL. */
static int
geo_find(const struct geo_db *d, const struct rp_addr *a,
    MMDB_entry_s *entry, struct rp_cidr *network)
{
	struct sockaddr_storage ss;
	MMDB_lookup_result_s r;
	int rc, shift, bits;

	if (d->mmdb == NULL)
		return -ENOENT;
	if ((rc = geo_sockaddr(d->mmdb, a, &ss, &shift)) != 0)
		return rc;
	r = MMDB_lookup_sockaddr(d->mmdb, (struct sockaddr *)&ss, &rc);
	if ((rc = geo_errno(rc)) != 0)
		return rc;
	if (!r.found_entry)
		return -ENOENT;
	*entry = r.entry;
	if (network == NULL)
		return 0;
	bits = (int)r.netmask + shift;
	if (bits < 0)
		bits = 0;	/* IPv4 under a record above ::/96 */
	if (bits > (int)cidr_family_bits(a->family))
		bits = (int)cidr_family_bits(a->family);
	network->addr = *a;
	network->bits = (uint8_t)bits;
	cidr_mask(&network->addr, network->bits);
	return 0;
}

/* A number field; writers use any unsigned width. */
static int
geo_get_u32(MMDB_entry_s *e, const char *key, uint32_t *out)
{
	MMDB_entry_data_s v;
	int rc;

	if ((rc = geo_errno(MMDB_get_value(e, &v, key, NULL))) != 0)
		return rc;
	if (!v.has_data)
		return -ENOENT;
	switch (v.type) {
	case MMDB_DATA_TYPE_UINT16:
		*out = v.uint16;
		return 0;
	case MMDB_DATA_TYPE_UINT32:
		*out = v.uint32;
		return 0;
	case MMDB_DATA_TYPE_UINT64:
		*out = (uint32_t)v.uint64;
		return v.uint64 <= UINT32_MAX ? 0 : -EILSEQ;
	case MMDB_DATA_TYPE_INT32:
		*out = (uint32_t)v.int32;
		return v.int32 >= 0 ? 0 : -EILSEQ;
	default:
		return -EILSEQ;
	}
}

/* Copy a string field, cut on a UTF-8 boundary, control characters as
 * spaces (the text goes into DNS TXT answers and terminals). */
static void
geo_copy_text(const char *s, size_t n, char *out, size_t len)
{
	size_t i;

	if (n >= len)
		for (n = len - 1; n > 0 && ((uint8_t)s[n] & 0xc0) == 0x80; n--)
			;
	for (i = 0; i < n; i++) {
		out[i] = s[i];
		if ((uint8_t)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = ' ';
	}
	out[n] = '\0';
}

int
geo_asn(struct geo *g, const struct rp_addr *a, uint32_t *asn, char *org,
    size_t orglen, struct rp_cidr *network)
{
	MMDB_entry_s e;
	MMDB_entry_data_s v;
	int rc;

	if (org != NULL && orglen > 0)
		*org = '\0';
	if ((rc = geo_find(&g->db[GEO_ASN], a, &e, network)) != 0 ||
	    (rc = geo_get_u32(&e, "autonomous_system_number", asn)) != 0)
		return rc;
	if (org == NULL || orglen == 0)
		return 0;
	rc = geo_errno(MMDB_get_value(&e, &v,
	    "autonomous_system_organization", NULL));
	if (rc == 0 && v.has_data && v.type == MMDB_DATA_TYPE_UTF8_STRING)
		geo_copy_text(v.utf8_string, v.data_size, org, orglen);
	return rc == -ENOENT ? 0 : rc;
}

/* The iso_code of map key (country or registered_country). */
static int
geo_get_cc(MMDB_entry_s *e, const char *key, char cc[3])
{
	MMDB_entry_data_s v;
	int rc, i;

	if ((rc = geo_errno(MMDB_get_value(e, &v, key, "iso_code",
	    NULL))) != 0)
		return rc;
	if (!v.has_data)
		return -ENOENT;
	if (v.type != MMDB_DATA_TYPE_UTF8_STRING || v.data_size != 2)
		return -EILSEQ;
	for (i = 0; i < 2; i++) {
		cc[i] = v.utf8_string[i];
		if (cc[i] >= 'a' && cc[i] <= 'z')
			cc[i] = (char)(cc[i] - 'a' + 'A');
		if (cc[i] < 'A' || cc[i] > 'Z')
			return -EILSEQ;
	}
	cc[2] = '\0';
	return 0;
}

int
geo_country(struct geo *g, const struct rp_addr *a, char cc[3],
    struct rp_cidr *network)
{
	MMDB_entry_s e;
	int rc;

	cc[0] = '\0';
	if ((rc = geo_find(&g->db[GEO_COUNTRY], a, &e, network)) != 0)
		return rc;
	/* Where the address is used; failing that, where the network is
	 * registered (MaxMind leaves country out for some networks). */
	if ((rc = geo_get_cc(&e, "country", cc)) == -ENOENT)
		rc = geo_get_cc(&e, "registered_country", cc);
	if (rc != 0)
		cc[0] = '\0';
	return rc;
}

int
geo_origin(struct geo *g, const struct rp_addr *a, char txt[GEO_ORIGIN_LEN])
{
	char org[GEO_ORIGIN_LEN], net[RP_CIDR_STRLEN], cc[3];
	struct rp_cidr network;
	uint32_t asn;
	int rc, n;

	txt[0] = '\0';
	if ((rc = geo_asn(g, a, &asn, org, sizeof(org), &network)) != 0)
		return rc;
	if ((rc = geo_country(g, a, cc, NULL)) != 0 && rc != -ENOENT)
		return rc;
	n = snprintf(txt, GEO_ORIGIN_LEN, "%" PRIu32 " | %s | %s | ", asn,
	    cidr_str(&network, net), cc);
	/* org is cut on a UTF-8 boundary to fit what is left. */
	if (n > 0 && n < GEO_ORIGIN_LEN)
		geo_copy_text(org, strlen(org), txt + n,
		    GEO_ORIGIN_LEN - (size_t)n);
	return 0;
}

/* ---- Replaced files ---------------------------------------------------- */

/* What a reload does about one database. */
enum geo_step {
	GEO_STEP_NONE,		/* unchanged, or failed already */
	GEO_STEP_GONE,		/* its file cannot be stat()ed: say so */
	GEO_STEP_LOAD		/* a new file: open and check it */
};

/* One database's part of a reload: what geo_reload_prepare() reads and
 * writes, copied from the handle so that it needs nothing else. */
struct geo_reload_db {
	enum geo_step	 step;
	char		*path;		/* a copy of the handle's */
	struct geo_stamp stamp;		/* of the file opened (or seen) */
	MMDB_s		*mmdb;		/* the new database, once prepared */
	int		 rc;		/* why GONE, or why LOAD failed */
	char		 err[1024];
};

struct geo_reload {
	struct geo_reload_db	db[2];		/* by enum geo_role */
};

/* What a reload has to do about d: its file's status against the one
 * served and the one that failed last. Updates d's failure only when
 * the file is back as it was (there is nothing to do then). */
static enum geo_step
geo_db_step(struct geo_db *d, struct geo_stamp *now, int *rc)
{
	struct stat st;

	if (stat(d->path, &st) != 0) {
		*rc = -errno;
		/* Gone while we hold it mapped: say so once, keep serving. */
		return *rc == d->fail_rc ? GEO_STEP_NONE : GEO_STEP_GONE;
	}
	geo_stamp_of(&st, now);
	if (geo_stamp_eq(now, &d->stamp)) {
		d->fail_rc = 0;		/* back as it was: report anew */
		return GEO_STEP_NONE;
	}
	if (d->fail_rc != 0 && geo_stamp_eq(now, &d->failed))
		return GEO_STEP_NONE;	/* failed already: said so then */
	return GEO_STEP_LOAD;
}

int
geo_reload_check(struct geo *g, struct geo_reload **out)
{
	struct geo_stamp now[2];
	enum geo_step step[2] = { GEO_STEP_NONE, GEO_STEP_NONE };
	struct geo_reload *rl;
	struct geo_reload_db *e;
	int r, rc[2] = { 0, 0 };

	*out = NULL;
	for (r = 0; g != NULL && r < 2; r++)
		if (g->db[r].mmdb != NULL)
			step[r] = geo_db_step(&g->db[r], &now[r], &rc[r]);
	if (step[0] == GEO_STEP_NONE && step[1] == GEO_STEP_NONE)
		return 0;
	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return -ENOMEM;
	for (r = 0; r < 2; r++) {
		if (step[r] == GEO_STEP_NONE)
			continue;
		e = &rl->db[r];
		if ((e->path = strdup(g->db[r].path)) == NULL) {
			geo_reload_free(rl);
			return -ENOMEM;
		}
		e->step = step[r];
		e->rc = rc[r];
		if (step[r] == GEO_STEP_GONE)
			snprintf(e->err, sizeof(e->err), "%s: %s: %s",
			    geo_role_key[r], e->path, strerror(-rc[r]));
		else
			e->stamp = now[r];
	}
	*out = rl;
	return 1;
}

void
geo_reload_prepare(struct geo_reload *rl)
{
	struct geo_reload_db *e;
	int r;

	for (r = 0; r < 2; r++) {
		e = &rl->db[r];
		if (e->step != GEO_STEP_LOAD || e->mmdb != NULL || e->rc != 0)
			continue;	/* nothing to open, or done already */
		e->rc = geo_db_load(&e->mmdb, &e->stamp, e->path,
		    (enum geo_role)r, e->err, sizeof(e->err));
		if (e->rc == -ENOMEM && e->err[0] == '\0')
			snprintf(e->err, sizeof(e->err), "%s: %s: %s",
			    geo_role_key[r], e->path, strerror(ENOMEM));
	}
}

/* Add one database's failure to err: "; " between two. */
static void
geo_err_append(char *err, size_t errlen, const char *what)
{
	size_t n = strlen(err);

	if (n + 1 < errlen)
		snprintf(err + n, errlen - n, "%s%s", n > 0 ? "; " : "",
		    what);
}

/* One database's part of geo_reload_apply(): 1 swapped, 0 nothing to
 * do, or the code it failed with (e->err says why). */
static int
geo_db_apply(struct geo_db *d, struct geo_reload_db *e)
{
	/* Another handle's reload (a misuse) changes nothing. */
	if (e->step == GEO_STEP_NONE || d->mmdb == NULL ||
	    strcmp(d->path, e->path) != 0)
		return 0;
	if (e->step == GEO_STEP_LOAD && e->rc == 0) {
		if (e->mmdb == NULL)
			return 0;	/* not prepared: check again later */
		/* On the loop thread between two messages: no lookup holds
		 * the old database, so it goes at once. */
		MMDB_close(d->mmdb);
		free(d->mmdb);
		d->mmdb = e->mmdb;
		e->mmdb = NULL;
		d->stamp = e->stamp;
		d->fail_rc = 0;
		return 1;
	}
	d->fail_rc = e->rc;
	if (e->step == GEO_STEP_GONE)
		memset(&d->failed, 0, sizeof(d->failed));
	else
		d->failed = e->stamp;
	return e->rc;
}

int
geo_reload_apply(struct geo *g, struct geo_reload *rl, char *err,
    size_t errlen)
{
	char none[1];
	int r, rc, n = 0, bad = 0;

	if (errlen == 0) {
		err = none;
		errlen = sizeof(none);
	}
	*err = '\0';
	for (r = 0; r < 2; r++) {
		if ((rc = geo_db_apply(&g->db[r], &rl->db[r])) > 0)
			n++;
		else if (rc < 0) {
			geo_err_append(err, errlen, rl->db[r].err);
			bad = rc;
		}
	}
	return bad != 0 ? bad : n;
}

void
geo_reload_free(struct geo_reload *rl)
{
	int r;

	if (rl == NULL)
		return;
	for (r = 0; r < 2; r++) {
		if (rl->db[r].mmdb != NULL) {
			MMDB_close(rl->db[r].mmdb);
			free(rl->db[r].mmdb);
		}
		free(rl->db[r].path);
	}
	free(rl);
}

int
geo_reload_if_changed(struct geo *g, char *err, size_t errlen)
{
	struct geo_reload *rl;
	int rc;

	if (errlen > 0)
		*err = '\0';
	if ((rc = geo_reload_check(g, &rl)) <= 0) {
		if (rc < 0 && errlen > 0)
			snprintf(err, errlen, "%s", strerror(-rc));
		return rc;
	}
	geo_reload_prepare(rl);
	rc = geo_reload_apply(g, rl, err, errlen);
	geo_reload_free(rl);
	return rc;
}

/* ---- Facts ------------------------------------------------------------- */

int
geo_db_info(const struct geo *g, enum geo_role role,
    struct geo_db_info *out)
{
	const struct geo_db *d = &g->db[role];

	memset(out, 0, sizeof(*out));
	if (d->mmdb == NULL)
		return -ENOENT;
	out->path = d->path;
	out->type = d->mmdb->metadata.database_type;
	out->build_epoch = d->mmdb->metadata.build_epoch;
	out->ip_version = d->mmdb->metadata.ip_version;
	out->node_count = d->mmdb->metadata.node_count;
	out->mapped = d->mmdb->file_size > 0 ? (size_t)d->mmdb->file_size : 0;
	return 0;
}

size_t
geo_mapped_size(const struct geo *g)
{
	struct geo_db_info info;
	size_t sum = 0;
	int r;

	for (r = 0; g != NULL && r < 2; r++)
		if (geo_db_info(g, (enum geo_role)r, &info) == 0)
			sum += info.mapped;
	return sum;
}
