/* test_template.c -- TXT template checking and expansion. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "template.h"

/* 2025-01-17 17:03:47 UTC and two days later. */
#define T0	INT64_C(1737133427)
#define T2	(T0 + 2 * 86400)

static struct template_vars
sample_vars(void)
{
	struct template_vars v = {
		.source = "drop",
		.reason = "SBL256894 trailing bytes not part of the reason",
		.reason_len = 9,
		.ip = "1.10.16.1",
		.first_seen = T0,
		.last_seen = T2,
		.expires = 0,
		.code = htonl(0x7f000002),
	};

	return v;
}

static const char *
expand(const char *tpl, const struct template_vars *v)
{
	static char out[512];

	template_expand(tpl, v, out, sizeof(out));
	return out;
}

static void
template_expands_every_variable(void **state)
{
	struct template_vars v = sample_vars();

	(void)state;
	assert_string_equal(expand("$source", &v), "drop");
	assert_string_equal(expand("$reason", &v), "SBL256894");
	assert_string_equal(expand("$ip", &v), "1.10.16.1");
	assert_string_equal(expand("$first_seen", &v), "2025-01-17 17:03:47");
	assert_string_equal(expand("$last_seen", &v), "2025-01-19 17:03:47");
	assert_string_equal(expand("$expires", &v), "never");
	assert_string_equal(expand("$code", &v), "127.0.0.2");
	assert_string_equal(expand("Listed by $source: $reason, $ip", &v),
	    "Listed by drop: SBL256894, 1.10.16.1");
}

static void
template_prints_unset_times(void **state)
{
	struct template_vars v = sample_vars();

	(void)state;
	v.first_seen = v.last_seen = 0;
	v.expires = T0;
	assert_string_equal(expand("$first_seen|$last_seen|$expires", &v),
	    "-|-|2025-01-17 17:03:47");
}

static void
template_expands_null_values_to_nothing(void **state)
{
	struct template_vars v;

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_string_equal(expand("[$source][$reason][$ip]", &v), "[][][]");
	assert_string_equal(expand("$source $code", NULL), " 0.0.0.0");
	assert_string_equal(expand(NULL, &v), "");
}

static void
template_turns_double_dollar_into_dollar(void **state)
{
	struct template_vars v = sample_vars();

	(void)state;
	assert_string_equal(expand("costs $$5", &v), "costs $5");
	assert_string_equal(expand("$$source", &v), "$source");
	assert_string_equal(expand("$$$source", &v), "$drop");
}

static void
template_accepts_braces(void **state)
{
	struct template_vars v = sample_vars();

	(void)state;
	assert_string_equal(expand("${source}s and ${ip}:53", &v),
	    "drops and 1.10.16.1:53");
	assert_string_equal(expand("${first_seen}", &v),
	    "2025-01-17 17:03:47");
}

static void
template_matches_longest_name(void **state)
{
	struct template_vars v = sample_vars();

	(void)state;
	/* "$ips" is $ip then "s"; "$codes" is $code then "s". */
	assert_string_equal(expand("$ips $codes", &v),
	    "1.10.16.1s 127.0.0.2s");
}

static void
template_copies_unknown_references(void **state)
{
	struct template_vars v = sample_vars();

	(void)state;
	assert_string_equal(expand("a $foo ${bar} ${source c $", &v),
	    "a $foo ${bar} ${source c $");
}

static void
template_truncates_and_terminates(void **state)
{
	struct template_vars v = sample_vars();
	char out[8];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_int_equal(template_expand("Listed by $source", &v, out,
	    sizeof(out)), 7);
	assert_string_equal(out, "Listed ");
	assert_int_equal(template_expand("$reason", &v, out, sizeof(out)), 7);
	assert_string_equal(out, "SBL2568");
	assert_int_equal(template_expand("ab", &v, out, 1), 0);
	assert_string_equal(out, "");
	out[0] = 'x';
	assert_int_equal(template_expand("ab", &v, out, 0), 0);
	assert_int_equal(out[0], 'x');
	assert_int_equal(template_expand("$source", &v, out, sizeof(out)), 4);
	assert_string_equal(out, "drop");
}

static void
template_scrubs_control_characters(void **state)
{
	struct template_vars v = sample_vars();
	static const char reason[] = "a\nb\tc\0d\x7f" "e\x1f" "f\xc3\xa9";

	(void)state;
	v.reason = reason;
	v.reason_len = sizeof(reason) - 1;
	v.source = "s\rc";
	v.ip = "1.2.3.4\n";
	/* Control bytes become spaces; UTF-8 is left alone. */
	assert_string_equal(expand("$source|$reason|$ip", &v),
	    "s c|a b c d e f\xc3\xa9|1.2.3.4 ");
	assert_int_equal(strlen(expand("$reason", &v)), sizeof(reason) - 1);
}

static void
template_check_accepts_known_variables(void **state)
{
	char bad[32] = "unchanged";

	(void)state;
	assert_int_equal(template_check("Listed by $source: $reason $ip "
	    "$first_seen $last_seen $expires $code ${source}s $$ $$x",
	    bad, sizeof(bad)), 0);
	assert_string_equal(bad, "unchanged");
	assert_int_equal(template_check("", NULL, 0), 0);
	assert_int_equal(template_check("$ips", NULL, 0), 0);
}

static void
template_check_names_unknown_variable(void **state)
{
	char bad[32];

	(void)state;
	assert_int_equal(template_check("see $url now", bad, sizeof(bad)),
	    -EINVAL);
	assert_string_equal(bad, "$url");
	assert_int_equal(template_check("ok $source ${nope} $x", bad,
	    sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "${nope}");
	assert_int_equal(template_check("cost: 5 $", bad, sizeof(bad)),
	    -EINVAL);
	assert_string_equal(bad, "$");
	assert_int_equal(template_check("$ 5", bad, sizeof(bad)), -EINVAL);
	assert_string_equal(bad, "$");
	assert_int_equal(template_check("${source", bad, sizeof(bad)),
	    -EINVAL);
	assert_string_equal(bad, "${source");
	assert_int_equal(template_check("$Source", bad, sizeof(bad)),
	    -EINVAL);
	assert_string_equal(bad, "$Source");
	assert_int_equal(template_check("$averyveryverylongname", bad, 6),
	    -EINVAL);
	assert_string_equal(bad, "$aver");
	assert_int_equal(template_check("$x", NULL, 0), -EINVAL);
}

static void
rbldnsd_txt_puts_the_address_for_each_dollar(void **state)
{
	struct template_vars v = sample_vars();
	char big[400], out[512];
	size_t n;

	(void)state;
	v.reason = "ip $, $$5 and\t$";
	v.reason_len = strlen(v.reason);
	assert_string_equal(expand("$rbldnsd_txt", &v),
	    "ip 1.10.16.1, $5 and\t1.10.16.1");
	/* rbldnsd cuts a TXT at 254 bytes, after its substitutions. */
	memset(big, 'x', sizeof(big));
	v.reason = big;
	v.reason_len = sizeof(big);
	n = template_expand("$rbldnsd_txt tail", &v, out, sizeof(out));
	assert_int_equal(n, 254);
	v.reason_len = 10;
	assert_string_equal(expand("$rbldnsd_txt!", &v), "xxxxxxxxxx!");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(template_expands_every_variable),
		cmocka_unit_test(template_prints_unset_times),
		cmocka_unit_test(template_expands_null_values_to_nothing),
		cmocka_unit_test(template_turns_double_dollar_into_dollar),
		cmocka_unit_test(template_accepts_braces),
		cmocka_unit_test(template_matches_longest_name),
		cmocka_unit_test(template_copies_unknown_references),
		cmocka_unit_test(template_truncates_and_terminates),
		cmocka_unit_test(template_scrubs_control_characters),
		cmocka_unit_test(template_check_accepts_known_variables),
		cmocka_unit_test(template_check_names_unknown_variable),
		cmocka_unit_test(
		    rbldnsd_txt_puts_the_address_for_each_dollar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
