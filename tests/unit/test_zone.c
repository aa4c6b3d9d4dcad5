/* test_zone.c -- the zone table: zone selection, case, and the IPv4/IPv6
 * query name forms of RFC 5782 with their edge cases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "config.h"
#include "../../server/zone.h"

static const char conf_text[] =
"[server]\n"
"database = db\n"
"[source a]\n"
"[zone bl.test]\n"
"sources = a\n"
"[zone V6.BL.test.]\n"
"sources = a\n"
"[zone example.org]\n"
"sources = a\n"
"[zone deep.sub.example.org]\n"
"sources = a\n";

struct fixture {
	char			 dir[64];
	struct cfg		*cfg;
	struct zone_table	*zt;
	struct zone_match	 m;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[96];
	FILE *fp;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/test_zone.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/reputed.conf", f->dir);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fputs(conf_text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(cfg_load(&f->cfg, path, stderr), 0);
	assert_int_equal(zone_table_new(&f->zt, f->cfg), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	zone_table_free(f->zt);
	cfg_free(f->cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Look name up; return 0 or -ENOENT, with f->m filled. */
static int
find(struct fixture *f, const char *name)
{
	struct zone_qname qn;
	uint8_t wire[ZONE_NAME_MAX];
	size_t len, end;

	assert_int_equal(zone_name_to_wire(name, wire, &len), 0);
	assert_int_equal(zone_qname_parse(&qn, wire, len, 0, &end), 0);
	assert_int_equal(end, len);
	memset(&f->m, 0xa5, sizeof(f->m));
	return zone_find(f->zt, &qn, &f->m);
}

/* The zone name a name falls in, or "-" outside every zone. */
static const char *
zone_of(struct fixture *f, const char *name)
{
	if (find(f, name) != 0)
		return "-";
	return f->m.zone->name;
}

static enum zone_kind
kind_of(struct fixture *f, const char *name)
{
	assert_int_equal(find(f, name), 0);
	return f->m.kind;
}

/* The address a name spells, as text, or "" if it is none. */
static const char *
addr_of(struct fixture *f, const char *name)
{
	static char buf[RP_CIDR_STRLEN];

	if (find(f, name) != 0 || f->m.kind != ZONE_ADDR)
		return "";
	return cidr_addr_str(&f->m.addr, buf);
}

/* 32 nibble labels for IPv6 address s, under zone. */
static const char *
nibbles(const char *s, const char *zone, int upper)
{
	static char buf[256];
	struct rp_addr a;
	size_t i, o = 0;
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	assert_int_equal(cidr_parse_addr(s, &a), 0);
	for (i = 32; i-- > 0;) {
		buf[o++] = hex[i % 2 ? a.bytes[i / 2] & 0xf :
		    a.bytes[i / 2] >> 4];
		buf[o++] = '.';
	}
	strcpy(buf + o, zone);
	return buf;
}

static void
zone_most_specific_wins(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(zone_of(f, "bl.test"), "bl.test");
	assert_string_equal(zone_of(f, "v6.bl.test"), "v6.bl.test");
	assert_string_equal(zone_of(f, "2.0.0.127.v6.bl.test"), "v6.bl.test");
	assert_string_equal(zone_of(f, "x.v6.bl.test"), "v6.bl.test");
	assert_string_equal(zone_of(f, "2.0.0.127.bl.test"), "bl.test");
	assert_string_equal(zone_of(f, "1.deep.sub.example.org"),
	    "deep.sub.example.org");
	/* sub.example.org is not a zone: its names are example.org's. */
	assert_string_equal(zone_of(f, "sub.example.org"), "example.org");
	assert_string_equal(zone_of(f, "eep.sub.example.org"), "example.org");
}

static void
zone_matches_on_label_boundaries(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(zone_of(f, "xbl.test"), "-");
	assert_string_equal(zone_of(f, "1.xbl.test"), "-");
	assert_string_equal(zone_of(f, "test"), "-");
	assert_string_equal(zone_of(f, "."), "-");
	assert_string_equal(zone_of(f, "bl.test.org"), "-");
	assert_string_equal(zone_of(f, "example.org.bl"), "-");
	assert_int_equal(find(f, "org"), -ENOENT);
}

static void
zone_ignores_case(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(zone_of(f, "BL.TEST"), "bl.test");
	assert_string_equal(zone_of(f, "v6.Bl.tEsT"), "v6.bl.test");
	assert_string_equal(addr_of(f, "2.0.0.127.Bl.Test"), "127.0.0.2");
	assert_int_equal(kind_of(f, "Example.ORG"), ZONE_APEX);
	assert_int_equal(f->m.zlabels, 2);
}

static void
zone_apex_is_apex(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(kind_of(f, "bl.test"), ZONE_APEX);
	assert_int_equal(kind_of(f, "v6.bl.test."), ZONE_APEX);
	assert_int_equal(f->m.zlabels, 3);
	assert_ptr_equal(f->m.zone, &f->cfg->zones[f->m.index]);
}

static void
zone_parses_ipv4(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(addr_of(f, "2.0.0.127.bl.test"), "127.0.0.2");
	assert_int_equal(f->m.addr.family, RP_AF_INET);
	assert_string_equal(addr_of(f, "0.0.0.0.bl.test"), "0.0.0.0");
	assert_string_equal(addr_of(f, "255.255.255.255.bl.test"),
	    "255.255.255.255");
	assert_string_equal(addr_of(f, "100.2.0.192.bl.test"), "192.0.2.100");
	assert_int_equal(f->m.above, 0);
}

static void
zone_rejects_bad_octets(void **state)
{
	struct fixture *f = *state;

	/* Leading zeros: clients never send them; one name per address. */
	assert_int_equal(kind_of(f, "02.0.0.127.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "2.00.0.127.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "2.0.0.0127.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "256.0.0.127.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "2.0.0.999.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "-2.0.0.127.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "0x2.0.0.127.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "2a.0.0.127.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "www.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "2.0.0.127.www.bl.test"), ZONE_OTHER);
	/* Too many labels: five with a two-digit one is nothing. */
	assert_int_equal(kind_of(f, "2.0.0.127.1.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "10.2.0.0.127.bl.test"), ZONE_OTHER);
}

static void
zone_names_above_listings_exist(void **state)
{
	struct fixture *f = *state;

	/* 1-3 octets: empty non-terminals above IPv4 names. */
	assert_int_equal(kind_of(f, "127.bl.test"), ZONE_ABOVE);
	assert_int_equal(kind_of(f, "0.127.bl.test"), ZONE_ABOVE);
	assert_int_equal(kind_of(f, "0.0.127.bl.test"), ZONE_ABOVE);
	assert_int_equal(kind_of(f, "255.bl.test"), ZONE_ABOVE);
	assert_int_equal(kind_of(f, "256.bl.test"), ZONE_OTHER);
	assert_int_equal(kind_of(f, "01.bl.test"), ZONE_OTHER);
	/* 1-31 nibbles: above IPv6 names. */
	assert_int_equal(kind_of(f, "a.bl.test"), ZONE_ABOVE);
	assert_int_equal(kind_of(f, "F.e.bl.test"), ZONE_ABOVE);
	assert_int_equal(kind_of(f, "1.2.3.4.5.bl.test"), ZONE_ABOVE);
	assert_int_equal(kind_of(f, "a.b.c.d.bl.test"), ZONE_ABOVE);
	assert_int_equal(kind_of(f, "g.bl.test"), ZONE_OTHER);
}

static void
zone_flags_ipv4_names_that_are_also_nibbles(void **state)
{
	struct fixture *f = *state;

	/* 4.3.2.1 is an address, and also above 1234::/16's names. */
	assert_string_equal(addr_of(f, "4.3.2.1.bl.test"), "1.2.3.4");
	assert_int_equal(f->m.above, 1);
	assert_string_equal(addr_of(f, "0.0.0.0.bl.test"), "0.0.0.0");
	assert_int_equal(f->m.above, 1);
	assert_string_equal(addr_of(f, "1.0.0.127.bl.test"), "127.0.0.1");
	assert_int_equal(f->m.above, 0);
}

static void
zone_parses_ipv6(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(addr_of(f, nibbles("2001:db8::1", "bl.test", 0)),
	    "2001:db8::1");
	assert_int_equal(f->m.addr.family, RP_AF_INET6);
	assert_string_equal(addr_of(f,
	    nibbles("::ffff:7f00:2", "v6.bl.test", 0)), "::ffff:127.0.0.2");
	assert_string_equal(addr_of(f, nibbles("::", "bl.test", 0)), "::");
	assert_string_equal(addr_of(f, nibbles("ffff:ffff:ffff:ffff:ffff:"
	    "ffff:ffff:ffff", "bl.test", 0)),
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	/* Upper-case hex digits are the same name. */
	assert_string_equal(addr_of(f, nibbles("2001:db8:abcd:ef::1",
	    "bl.test", 1)), "2001:db8:abcd:ef::1");
}

static void
zone_counts_nibbles(void **state)
{
	struct fixture *f = *state;
	const char *n = nibbles("2001:db8::1", "bl.test", 0);

	/* 31 nibbles: above an address; 33: nothing. */
	assert_int_equal(kind_of(f, n + 2), ZONE_ABOVE);
	assert_int_equal(kind_of(f, n + 62), ZONE_ABOVE);
	assert_int_equal(kind_of(f, n + 64), ZONE_APEX);
	n = nibbles("2001:db8::1", "0.bl.test", 0);
	assert_int_equal(kind_of(f, n), ZONE_OTHER);
	/* A two-digit or non-hex label among them. */
	n = nibbles("2001:db8::1", "bl.test", 0);
	{
		char buf[256];

		strcpy(buf, n);
		buf[0] = 'g';
		assert_int_equal(kind_of(f, buf), ZONE_OTHER);
		snprintf(buf, sizeof(buf), "1%s", n);
		assert_int_equal(kind_of(f, buf), ZONE_OTHER);
	}
}

static void
zone_qname_rejects_malformed(void **state)
{
	static const uint8_t ptr[] = { 1, 'a', 0xc0, 0 };
	static const uint8_t ext[] = { 0x41, 'a', 0 };
	static const uint8_t overrun[] = { 3, 'a', 'b' };
	static const uint8_t noroot[] = { 1, 'a' };
	uint8_t big[300];
	struct zone_qname qn;
	size_t i;

	(void)state;
	assert_int_equal(zone_qname_parse(&qn, ptr, sizeof(ptr), 0, NULL),
	    -EBADMSG);
	assert_int_equal(zone_qname_parse(&qn, ext, sizeof(ext), 0, NULL),
	    -EBADMSG);
	assert_int_equal(zone_qname_parse(&qn, overrun, sizeof(overrun), 0,
	    NULL), -EBADMSG);
	assert_int_equal(zone_qname_parse(&qn, noroot, sizeof(noroot), 0,
	    NULL), -EBADMSG);
	assert_int_equal(zone_qname_parse(&qn, noroot, 0, 0, NULL), -EBADMSG);
	/* 127 labels of one byte: 255 bytes, fine; one more is too long. */
	for (i = 0; i < 127; i++) {
		big[2 * i] = 1;
		big[2 * i + 1] = 'x';
	}
	big[254] = 0;
	assert_int_equal(zone_qname_parse(&qn, big, 255, 0, &i), 0);
	assert_int_equal(i, 255);
	assert_int_equal(qn.nlabels, 127);
	big[254] = 1;
	big[255] = 'x';
	big[256] = 0;
	assert_int_equal(zone_qname_parse(&qn, big, 257, 0, NULL), -EBADMSG);
}

static void
zone_qname_lowers_case_and_marks_labels(void **state)
{
	static const uint8_t msg[] = { 0xff, 2, 'A', 'b', 3, 'C', '-', 'Z',
	    0, 0xee };
	struct zone_qname qn;
	size_t end;

	(void)state;
	assert_int_equal(zone_qname_parse(&qn, msg, sizeof(msg), 1, &end), 0);
	assert_int_equal(end, 9);
	assert_int_equal(qn.len, 8);
	assert_int_equal(qn.nlabels, 2);
	assert_memory_equal(qn.wire, "\2ab\3c-z", 8);
	assert_int_equal(qn.off[0], 0);
	assert_int_equal(qn.off[1], 3);
	assert_int_equal(qn.off[2], 7);
}

static void
zone_name_to_wire_checks_labels(void **state)
{
	uint8_t w[ZONE_NAME_MAX];
	char big[300];
	size_t len;

	(void)state;
	assert_int_equal(zone_name_to_wire(".", w, &len), 0);
	assert_int_equal(len, 1);
	assert_int_equal(zone_name_to_wire("", w, &len), 0);
	assert_int_equal(len, 1);
	assert_int_equal(zone_name_to_wire("Ab.c.", w, &len), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(w, "\2Ab\1c", 6);
	assert_int_equal(zone_name_to_wire("a..b", w, &len), -EINVAL);
	assert_int_equal(zone_name_to_wire(".a", w, &len), -EINVAL);
	memset(big, 'x', 64);
	big[64] = '\0';
	assert_int_equal(zone_name_to_wire(big, w, &len), -EINVAL);
	big[63] = '\0';
	assert_int_equal(zone_name_to_wire(big, w, &len), 0);
	memset(big, 'x', 299);
	big[299] = '\0';
	for (len = 63; len < 299; len += 64)
		big[len] = '.';
	assert_int_equal(zone_name_to_wire(big, w, &len), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zone_most_specific_wins),
		cmocka_unit_test(zone_matches_on_label_boundaries),
		cmocka_unit_test(zone_ignores_case),
		cmocka_unit_test(zone_apex_is_apex),
		cmocka_unit_test(zone_parses_ipv4),
		cmocka_unit_test(zone_rejects_bad_octets),
		cmocka_unit_test(zone_names_above_listings_exist),
		cmocka_unit_test(zone_flags_ipv4_names_that_are_also_nibbles),
		cmocka_unit_test(zone_parses_ipv6),
		cmocka_unit_test(zone_counts_nibbles),
		cmocka_unit_test(zone_qname_rejects_malformed),
		cmocka_unit_test(zone_qname_lowers_case_and_marks_labels),
		cmocka_unit_test(zone_name_to_wire_checks_labels),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
