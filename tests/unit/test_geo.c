/* test_geo.c -- the geo databases: opening, refusing wrong and corrupt
 * files, lookups against MaxMind's source JSON, and replaced files (in
 * one go, and in the three steps the daemon splits between threads). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "cidr.h"
#include "geo.h"

#define DATA		"tests/data/mmdb/"
#define ASN_DB		DATA "GeoLite2-ASN-Test.mmdb"
#define COUNTRY_DB	DATA "GeoLite2-Country-Test.mmdb"

/* A scratch directory for copies of the databases. */
struct tdir {
	char	path[64];
	char	err[512];
};

static int
dir_setup(void **state)
{
	struct tdir *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return -1;
	strcpy(d->path, "/tmp/test_geo.XXXXXX");
	if (mkdtemp(d->path) == NULL) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int
dir_teardown(void **state)
{
	struct tdir *d = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", d->path);
	if (system(cmd) != 0)
		return -1;
	free(d);
	return 0;
}

/* Copy src to dir/name (keeping at most len bytes, 0: all); returns the
 * path, static. */
static const char *
copy_db(const struct tdir *d, const char *src, const char *name, long len)
{
	static char path[128];
	char buf[65536];
	FILE *in, *out;
	size_t n, want;
	long done = 0;

	snprintf(path, sizeof(path), "%s/%s", d->path, name);
	assert_non_null(in = fopen(src, "rb"));
	assert_non_null(out = fopen(path, "wb"));
	for (;;) {
		want = sizeof(buf);
		if (len > 0 && (long)want > len - done)
			want = (size_t)(len - done);
		if (want == 0 || (n = fread(buf, 1, want, in)) == 0)
			break;
		assert_int_equal(fwrite(buf, 1, n, out), n);
		done += (long)n;
	}
	fclose(in);
	assert_int_equal(fclose(out), 0);
	return path;
}

/* Put src in place of dir/name the way geoipupdate does: a new file
 * renamed over the old one. */
static void
replace_db(const struct tdir *d, const char *src, const char *name,
    long len)
{
	char tmp[128], dst[128];

	snprintf(tmp, sizeof(tmp), "%s.new", name);
	snprintf(tmp, sizeof(tmp), "%s", copy_db(d, src, tmp, len));
	snprintf(dst, sizeof(dst), "%s/%s", d->path, name);
	assert_int_equal(rename(tmp, dst), 0);
}

static long
file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (long)st.st_size;
}

static struct rp_addr
addr(const char *s)
{
	struct rp_addr a;

	assert_int_equal(cidr_parse_addr(s, &a), 0);
	return a;
}

static const char *
net_str(const struct rp_cidr *c)
{
	static char buf[RP_CIDR_STRLEN];

	return cidr_str(c, buf);
}

/* ---- Opening ----------------------------------------------------------- */

static void
geo_opens_each_good_database(void **state)
{
	static const struct { const char *asn, *country, *atype, *ctype; }
	    good[] = {
		{ ASN_DB, COUNTRY_DB, "GeoLite2-ASN", "GeoLite2-Country" },
		{ DATA "GeoIP2-ISP-Test.mmdb", DATA "GeoIP2-Country-Test.mmdb",
		    "GeoIP2-ISP", "GeoIP2-Country" },
		{ NULL, DATA "GeoLite2-City-Test.mmdb", NULL,
		    "GeoLite2-City" },
		{ ASN_DB, NULL, "GeoLite2-ASN", NULL },
	};
	struct geo_db_info info;
	struct geo *g;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(geo_open(&g, good[i].asn, good[i].country,
		    err, sizeof(err)), 0);
		assert_string_equal(err, "");
		assert_int_equal(geo_has(g, GEO_ASN), good[i].asn != NULL);
		assert_int_equal(geo_has(g, GEO_COUNTRY),
		    good[i].country != NULL);
		if (good[i].asn != NULL) {
			assert_int_equal(geo_db_info(g, GEO_ASN, &info), 0);
			assert_string_equal(info.type, good[i].atype);
			assert_string_equal(info.path, good[i].asn);
			assert_int_equal(info.mapped, file_size(good[i].asn));
		} else
			assert_int_equal(geo_db_info(g, GEO_ASN, &info),
			    -ENOENT);
		if (good[i].country != NULL) {
			assert_int_equal(geo_db_info(g, GEO_COUNTRY, &info),
			    0);
			assert_string_equal(info.type, good[i].ctype);
		}
		geo_close(g);
	}
	geo_close(NULL);
}

static void
geo_mapped_size_is_the_files(void **state)
{
	struct geo *g;

	(void)state;
	assert_int_equal(geo_open(&g, ASN_DB, COUNTRY_DB, NULL, 0), 0);
	assert_int_equal(geo_mapped_size(g),
	    file_size(ASN_DB) + file_size(COUNTRY_DB));
	geo_close(g);
	assert_int_equal(geo_mapped_size(NULL), 0);
}

static void
geo_refuses_a_database_of_the_wrong_type(void **state)
{
	struct geo *g = (struct geo *)&g;
	char err[512];

	(void)state;
	assert_int_equal(geo_open(&g, COUNTRY_DB, NULL, err, sizeof(err)),
	    -EMEDIUMTYPE);
	assert_null(g);
	assert_non_null(strstr(err, "asn-db"));
	assert_non_null(strstr(err, COUNTRY_DB));
	assert_non_null(strstr(err, "'GeoLite2-Country'"));
	assert_int_equal(geo_open(&g, ASN_DB, ASN_DB, err, sizeof(err)),
	    -EMEDIUMTYPE);
	assert_non_null(strstr(err, "country-db"));
	assert_non_null(strstr(err, "'GeoLite2-ASN'"));
	/* A valid MaxMind DB, but not of geography at all. */
	assert_int_equal(geo_open(&g, DATA "MaxMind-DB-test-ipv4-24.mmdb",
	    NULL, err, sizeof(err)), -EMEDIUMTYPE);
	assert_non_null(strstr(err, "'Test'"));
}

static void
geo_refuses_missing_and_unreadable_files(void **state)
{
	struct tdir *d = *state;
	struct geo *g;
	const char *p;
	char missing[96];

	snprintf(missing, sizeof(missing), "%s/none.mmdb", d->path);
	assert_int_equal(geo_open(&g, missing, NULL, d->err,
	    sizeof(d->err)), -ENOENT);
	assert_non_null(strstr(d->err, missing));
	assert_int_equal(geo_open(&g, NULL, d->path, d->err,
	    sizeof(d->err)), -EISDIR);
	assert_non_null(strstr(d->err, "country-db"));
	p = copy_db(d, "tests/data/mmdb/PROVENANCE.md", "text.mmdb", 0);
	assert_int_equal(geo_open(&g, p, NULL, d->err, sizeof(d->err)),
	    -EILSEQ);
	assert_non_null(strstr(d->err, p));
	p = copy_db(d, ASN_DB, "secret.mmdb", 0);
	assert_int_equal(chmod(p, 0), 0);
	if (geteuid() != 0) {		/* root reads it all the same */
		assert_int_equal(geo_open(&g, p, NULL, d->err,
		    sizeof(d->err)), -EACCES);
		assert_non_null(strstr(d->err, p));
	}
}

/* Every deliberately broken database fails cleanly, in either role. */
static void
geo_refuses_every_broken_database(void **state)
{
	static const char *const dirs[] = { DATA, DATA "bad-data/" };
	struct geo *g;
	struct dirent *de;
	char path[512], err[512];
	size_t i, n = 0;
	DIR *dir;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_non_null(dir = opendir(dirs[i]));
		while ((de = readdir(dir)) != NULL) {
			if (strstr(de->d_name, ".mmdb") == NULL ||
			    (i == 0 && strstr(de->d_name, "roken") == NULL &&
			    strstr(de->d_name, "Invalid") == NULL))
				continue;
			snprintf(path, sizeof(path), "%s%s", dirs[i],
			    de->d_name);
			assert_int_not_equal(geo_open(&g, path, NULL, err,
			    sizeof(err)), 0);
			assert_non_null(strstr(err, path));
			assert_int_not_equal(geo_open(&g, NULL, path, err,
			    sizeof(err)), 0);
			assert_non_null(strstr(err, path));
			n++;
		}
		closedir(dir);
	}
	assert_int_equal(n, 4 + 21);
}

/* A database of the right type whose data or tree is broken is refused
 * for being corrupt, not for its type. */
static void
geo_refuses_corruption_in_a_database_of_the_right_type(void **state)
{
	struct tdir *d = *state;
	struct geo *g;
	const char *p;
	FILE *f;
	static const uint8_t ff[7] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff };

	assert_int_equal(geo_open(&g, NULL,
	    DATA "GeoIP2-City-Test-Broken-Double-Format.mmdb", d->err,
	    sizeof(d->err)), -EILSEQ);
	assert_non_null(strstr(d->err, "corrupt"));
	assert_int_equal(geo_open(&g, NULL,
	    DATA "GeoIP2-City-Test-Invalid-Node-Count.mmdb", d->err,
	    sizeof(d->err)), -EILSEQ);
	/* Cut in half, as a download that stopped would be. */
	p = copy_db(d, ASN_DB, "half.mmdb", file_size(ASN_DB) / 2);
	assert_int_equal(geo_open(&g, p, NULL, d->err, sizeof(d->err)),
	    -EILSEQ);
	/* The first node's records point far past the data section. */
	p = copy_db(d, ASN_DB, "tree.mmdb", 0);
	assert_non_null(f = fopen(p, "r+b"));
	assert_int_equal(fwrite(ff, 1, sizeof(ff), f), sizeof(ff));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(geo_open(&g, p, NULL, d->err, sizeof(d->err)),
	    -EILSEQ);
	assert_non_null(strstr(d->err, "corrupt"));
}

/* ---- Lookups against the source JSON ----------------------------------- */

/* The JSON's network as we print it: IPv4 stays IPv4. */
static void
oracle_network(const char *key, struct rp_cidr *c, struct rp_addr *last)
{
	assert_int_equal(cidr_parse(key, c, NULL), 0);
	cidr_last(c, last);
}

/* Check one ASN record: first and last address of its network. */
static void
check_asn_record(struct geo *g, const char *key, json_t *rec)
{
	json_t *num = json_object_get(rec, "autonomous_system_number");
	json_t *org = json_object_get(rec, "autonomous_system_organization");
	struct rp_cidr want, got;
	struct rp_addr probe[2];
	char buf[256];
	uint32_t asn;
	int i;

	oracle_network(key, &want, &probe[1]);
	probe[0] = want.addr;
	for (i = 0; i < 2; i++) {
		assert_int_equal(geo_asn(g, &probe[i], &asn, buf, sizeof(buf),
		    &got), 0);
		assert_int_equal(asn, json_integer_value(num));
		assert_string_equal(buf, org ? json_string_value(org) : "");
		/* The writer merges neighbours with equal records into a
		 * wider network, and a narrower record may split one. */
		assert_true(cidr_contains(&got, &probe[i]));
		assert_true(got.bits >= want.bits ?
		    cidr_contains(&want, &got.addr) :
		    cidr_contains(&got, &want.addr));
	}
}

static void
geo_asn_lookups_match_the_source_json(void **state)
{
	json_t *all, *item, *rec;
	const char *key;
	size_t i, n4 = 0, n6 = 0;
	struct geo *g;

	(void)state;
	assert_non_null(all = json_load_file(DATA "GeoLite2-ASN-Test.json", 0,
	    NULL));
	assert_int_equal(geo_open(&g, ASN_DB, NULL, NULL, 0), 0);
	json_array_foreach(all, i, item) {
		json_object_foreach(item, key, rec) {
			check_asn_record(g, key, rec);
			if (strchr(key, ':') != NULL)
				n6++;
			else
				n4++;
		}
	}
	assert_int_equal(n4, 490);
	assert_int_equal(n6, 230);
	geo_close(g);
	json_decref(all);
}

/* The country the JSON gives a record: country, else registered. */
static const char *
oracle_cc(json_t *rec)
{
	json_t *c = json_object_get(rec, "country");

	if (json_object_get(c, "iso_code") == NULL)
		c = json_object_get(rec, "registered_country");
	return json_string_value(json_object_get(c, "iso_code"));
}

static void
geo_country_lookups_match_the_source_json(void **state)
{
	json_t *all, *item, *rec;
	struct rp_cidr want, got;
	struct rp_addr last;
	const char *key, *cc;
	char buf[3];
	size_t i, n = 0;
	struct geo *g;

	(void)state;
	assert_non_null(all = json_load_file(DATA "GeoLite2-Country-Test.json",
	    0, NULL));
	assert_int_equal(geo_open(&g, NULL, COUNTRY_DB, NULL, 0), 0);
	json_array_foreach(all, i, item) {
		json_object_foreach(item, key, rec) {
			oracle_network(key, &want, &last);
			cc = oracle_cc(rec);
			assert_int_equal(geo_country(g, &last, buf, &got),
			    cc != NULL ? 0 : -ENOENT);
			assert_string_equal(buf, cc != NULL ? cc : "");
			assert_true(cidr_contains(&want, &got.addr));
			n++;
		}
	}
	assert_int_equal(n, 244);
	geo_close(g);
	json_decref(all);
}

static void
geo_lookups_of_a_handful_of_addresses(void **state)
{
	struct rp_cidr net;
	struct rp_addr a;
	struct geo *g;
	char org[8], cc[3];
	uint32_t asn;

	(void)state;
	assert_int_equal(geo_open(&g, ASN_DB, COUNTRY_DB, NULL, 0), 0);
	a = addr("1.128.7.9");
	assert_int_equal(geo_asn(g, &a, &asn, org, sizeof(org), &net), 0);
	assert_int_equal(asn, 1221);
	assert_string_equal(org, "Telstra");	/* cut to fit */
	assert_string_equal(net_str(&net), "1.128.0.0/11");
	/* IPv4-mapped IPv6: the database's own ::ffff:0:0/96 alias. */
	a = addr("::ffff:1.0.0.1");
	assert_int_equal(geo_asn(g, &a, &asn, NULL, 0, &net), 0);
	assert_int_equal(asn, 15169);
	assert_string_equal(net_str(&net), "::ffff:1.0.0.0/120");
	a = addr("2c0f:ff40::1");
	assert_int_equal(geo_asn(g, &a, &asn, NULL, 0, NULL), 0);
	assert_int_equal(asn, 10474);
	a = addr("192.0.2.1");
	assert_int_equal(geo_asn(g, &a, &asn, NULL, 0, NULL), -ENOENT);
	assert_int_equal(geo_country(g, &a, cc, NULL), -ENOENT);
	assert_string_equal(cc, "");
	a = addr("2a02:d500::1");	/* neither country nor registered */
	assert_int_equal(geo_country(g, &a, cc, &net), -ENOENT);
	a = addr("81.2.69.160");
	assert_int_equal(geo_country(g, &a, cc, &net), 0);
	assert_string_equal(cc, "GB");
	assert_string_equal(net_str(&net), "81.2.69.160/27");
	geo_close(g);
}

static void
geo_without_a_database_finds_nothing(void **state)
{
	struct rp_addr a = addr("1.0.0.1");
	char txt[GEO_ORIGIN_LEN], cc[3];
	struct geo *g;
	uint32_t asn;

	(void)state;
	assert_int_equal(geo_open(&g, NULL, NULL, NULL, 0), 0);
	assert_int_equal(geo_asn(g, &a, &asn, NULL, 0, NULL), -ENOENT);
	assert_int_equal(geo_country(g, &a, cc, NULL), -ENOENT);
	assert_int_equal(geo_origin(g, &a, txt), -ENOENT);
	assert_int_equal(geo_mapped_size(g), 0);
	geo_close(g);
}

static void
geo_origin_is_team_cymru_style(void **state)
{
	char txt[GEO_ORIGIN_LEN];
	struct rp_addr a;
	struct geo *g;

	(void)state;
	assert_int_equal(geo_open(&g, ASN_DB, COUNTRY_DB, NULL, 0), 0);
	/* The source's 89.160.20.128/25 and its neighbours of the same
	 * AS are one network in the database. */
	a = addr("89.160.20.130");
	assert_int_equal(geo_origin(g, &a, txt), 0);
	assert_string_equal(txt, "29518 | 89.160.0.0/17 | SE | "
	    "Bredband2 AB");
	a = addr("1.0.0.1");		/* no country in the country DB */
	assert_int_equal(geo_origin(g, &a, txt), 0);
	assert_string_equal(txt, "15169 | 1.0.0.0/24 |  | Google Inc.");
	a = addr("2c0f:ff40::1");
	assert_int_equal(geo_origin(g, &a, txt), 0);
	assert_string_equal(txt, "10474 | 2c0f:ff40::/26 |  | MWEB-10474");
	a = addr("192.0.2.1");
	assert_int_equal(geo_origin(g, &a, txt), -ENOENT);
	geo_close(g);
}

/* ---- Replaced files ---------------------------------------------------- */

static void
geo_reload_picks_up_a_renamed_file(void **state)
{
	struct tdir *d = *state;
	struct rp_addr a = addr("12.81.92.1");
	struct geo_db_info info;
	struct geo *g;
	uint32_t asn;
	char org[64];

	assert_int_equal(geo_open(&g, copy_db(d, ASN_DB, "asn.mmdb", 0), NULL,
	    d->err, sizeof(d->err)), 0);
	assert_int_equal(geo_reload_if_changed(g, d->err, sizeof(d->err)), 0);
	assert_int_equal(geo_asn(g, &a, &asn, org, sizeof(org), NULL), 0);
	assert_string_equal(org, "AT&T Services");
	/* The ISP database has the same number without an organisation. */
	replace_db(d, DATA "GeoIP2-ISP-Test.mmdb", "asn.mmdb", 0);
	assert_int_equal(geo_reload_if_changed(g, d->err, sizeof(d->err)), 1);
	assert_int_equal(geo_db_info(g, GEO_ASN, &info), 0);
	assert_string_equal(info.type, "GeoIP2-ISP");
	assert_int_equal(geo_asn(g, &a, &asn, org, sizeof(org), NULL), 0);
	assert_int_equal(asn, 7018);
	assert_string_equal(org, "");
	assert_int_equal(geo_reload_if_changed(g, d->err, sizeof(d->err)), 0);
	geo_close(g);
}

static void
geo_reload_keeps_the_old_database_when_the_new_is_bad(void **state)
{
	struct tdir *d = *state;
	struct rp_addr a = addr("1.0.0.1");
	struct geo *g;
	char path[96];
	uint32_t asn;

	assert_int_equal(geo_open(&g, copy_db(d, ASN_DB, "asn.mmdb", 0), NULL,
	    d->err, sizeof(d->err)), 0);
	replace_db(d, ASN_DB, "asn.mmdb", file_size(ASN_DB) / 2);
	assert_int_equal(geo_reload_if_changed(g, d->err, sizeof(d->err)),
	    -EILSEQ);
	assert_non_null(strstr(d->err, "asn.mmdb"));
	assert_int_equal(geo_asn(g, &a, &asn, NULL, 0, NULL), 0);
	assert_int_equal(asn, 15169);
	/* Said once: the same bad file is not tried again. */
	assert_int_equal(geo_reload_if_changed(g, d->err, sizeof(d->err)), 0);
	/* A database of the wrong type is bad too. */
	replace_db(d, COUNTRY_DB, "asn.mmdb", 0);
	assert_int_equal(geo_reload_if_changed(g, d->err, sizeof(d->err)),
	    -EMEDIUMTYPE);
	assert_int_equal(geo_asn(g, &a, &asn, NULL, 0, NULL), 0);
	/* Gone: still served from the mapping, said once. */
	snprintf(path, sizeof(path), "%s/asn.mmdb", d->path);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(geo_reload_if_changed(g, d->err, sizeof(d->err)),
	    -ENOENT);
	assert_int_equal(geo_reload_if_changed(g, d->err, sizeof(d->err)), 0);
	assert_int_equal(geo_asn(g, &a, &asn, NULL, 0, NULL), 0);
	/* A good file again is taken. */
	replace_db(d, ASN_DB, "asn.mmdb", 0);
	assert_int_equal(geo_reload_if_changed(g, d->err, sizeof(d->err)), 1);
	assert_int_equal(geo_asn(g, &a, &asn, NULL, 0, NULL), 0);
	geo_close(g);
}

/* The three steps: the handle serves the old database until apply, and
 * prepare needs nothing of the handle (it may even be closed). */
static void
geo_reload_steps_touch_the_handle_only_at_apply(void **state)
{
	struct tdir *d = *state;
	struct rp_addr a = addr("12.81.92.1");
	struct geo_reload *rl = (struct geo_reload *)&rl;
	struct geo *g;
	uint32_t asn;
	char org[64];

	assert_int_equal(geo_open(&g, copy_db(d, ASN_DB, "asn.mmdb", 0), NULL,
	    d->err, sizeof(d->err)), 0);
	assert_int_equal(geo_reload_check(g, &rl), 0);
	assert_null(rl);
	assert_int_equal(geo_reload_check(NULL, &rl), 0);
	replace_db(d, DATA "GeoIP2-ISP-Test.mmdb", "asn.mmdb", 0);
	assert_int_equal(geo_reload_check(g, &rl), 1);
	assert_non_null(rl);
	geo_reload_prepare(rl);
	assert_int_equal(geo_asn(g, &a, &asn, org, sizeof(org), NULL), 0);
	assert_string_equal(org, "AT&T Services");	/* still the old */
	assert_int_equal(geo_reload_apply(g, rl, d->err, sizeof(d->err)), 1);
	assert_string_equal(d->err, "");
	geo_reload_free(rl);
	assert_int_equal(geo_asn(g, &a, &asn, org, sizeof(org), NULL), 0);
	assert_string_equal(org, "");			/* the ISP one */
	assert_int_equal(geo_reload_check(g, &rl), 0);
	/* Checked, then the handle goes: prepare runs all the same. */
	replace_db(d, ASN_DB, "asn.mmdb", 0);
	assert_int_equal(geo_reload_check(g, &rl), 1);
	geo_close(g);
	geo_reload_prepare(rl);
	geo_reload_free(rl);
	geo_reload_free(NULL);
}

/* A reload never prepared swaps nothing and is checked again later; two
 * bad files are both reported. */
static void
geo_reload_apply_reports_every_bad_file(void **state)
{
	struct tdir *d = *state;
	struct geo_reload *rl;
	struct geo *g;
	char asn[96];

	snprintf(asn, sizeof(asn), "%s", copy_db(d, ASN_DB, "asn.mmdb", 0));
	assert_int_equal(geo_open(&g, asn, copy_db(d, COUNTRY_DB, "cc.mmdb",
	    0), d->err, sizeof(d->err)), 0);
	replace_db(d, ASN_DB, "asn.mmdb", 0);
	assert_int_equal(geo_reload_check(g, &rl), 1);
	assert_int_equal(geo_reload_apply(g, rl, d->err, sizeof(d->err)), 0);
	geo_reload_free(rl);
	assert_int_equal(geo_reload_check(g, &rl), 1);	/* not forgotten */
	geo_reload_free(rl);
	replace_db(d, ASN_DB, "asn.mmdb", 300);
	replace_db(d, ASN_DB, "cc.mmdb", 0);
	assert_int_equal(geo_reload_check(g, &rl), 1);
	geo_reload_prepare(rl);
	assert_int_equal(geo_reload_apply(g, rl, d->err, sizeof(d->err)),
	    -EMEDIUMTYPE);				/* the last one */
	geo_reload_free(rl);
	assert_non_null(strstr(d->err, "asn-db: "));
	assert_non_null(strstr(d->err, "; country-db: "));
	assert_non_null(strstr(d->err, "'GeoLite2-ASN'"));
	assert_int_equal(geo_reload_check(g, &rl), 0);	/* said once */
	geo_close(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(geo_opens_each_good_database),
		cmocka_unit_test(geo_mapped_size_is_the_files),
		cmocka_unit_test(geo_refuses_a_database_of_the_wrong_type),
		cmocka_unit_test_setup_teardown(
		    geo_refuses_missing_and_unreadable_files, dir_setup,
		    dir_teardown),
		cmocka_unit_test(geo_refuses_every_broken_database),
		cmocka_unit_test_setup_teardown(
		    geo_refuses_corruption_in_a_database_of_the_right_type,
		    dir_setup, dir_teardown),
		cmocka_unit_test(geo_asn_lookups_match_the_source_json),
		cmocka_unit_test(geo_country_lookups_match_the_source_json),
		cmocka_unit_test(geo_lookups_of_a_handful_of_addresses),
		cmocka_unit_test(geo_without_a_database_finds_nothing),
		cmocka_unit_test(geo_origin_is_team_cymru_style),
		cmocka_unit_test_setup_teardown(
		    geo_reload_picks_up_a_renamed_file, dir_setup,
		    dir_teardown),
		cmocka_unit_test_setup_teardown(
		    geo_reload_keeps_the_old_database_when_the_new_is_bad,
		    dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(
		    geo_reload_steps_touch_the_handle_only_at_apply,
		    dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(
		    geo_reload_apply_reports_every_bad_file, dir_setup,
		    dir_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
