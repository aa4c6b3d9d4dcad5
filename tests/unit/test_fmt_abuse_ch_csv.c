/* test_fmt_abuse_ch_csv.c -- abuse.ch Feodo CSV and text lists. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fmt_test.h"

#define CSV	(&fmt_abuse_ch_csv)
#define TXT	(&fmt_abuse_ch_txt)
#define CSV_FILE	"feodo/ipblocklist.csv"
#define TXT_FILE	"feodo/ipblocklist_recommended.txt"

static void
csv_has_28_rows_with_reasons_and_metadata(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, CSV, CSV_FILE, 28);
	assert_int_equal(p.st.accepted, 28);
	assert_true(ft_has(&p, "192.9.135.73",
	    "Pikabot C2 port 1194 (online)"));
	/* The last row, after which the trailer has no newline. */
	assert_true(ft_has(&p, "172.233.221.61",
	    "Pikabot C2 port 5938 (offline)"));
	ft_expect_meta(&p, "entries", "28");
	ft_expect_meta(&p, "date", "2024-04-04 07:03:03 UTC");
	ft_expect_meta(&p, "terms", "https://feodotracker.abuse.ch/blocklist/");
	ft_expect_meta(&p, "title",
	    "abuse.ch Feodo Tracker Botnet C2 IP Blocklist (CSV)");
	imp_list_fini(&p.list);
}

static void
csv_without_or_with_wrong_trailer_is_refused(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_cut(&p, CSV, CSV_FILE, 0);
	ft_expect_refused(&p, "truncated: no '# END n entries' trailer");
	imp_list_fini(&p.list);
	ft_parse_cut(&p, CSV, CSV_FILE, 1);
	ft_expect_refused(&p, "truncated: no '# END n entries' trailer");
	imp_list_fini(&p.list);
	ft_parse_edited(&p, CSV, CSV_FILE, "# END 28", "# END 29");
	ft_expect_refused(&p, "trailer says 29 entries, body has 28");
	imp_list_fini(&p.list);
	ft_parse_edited(&p, CSV, CSV_FILE, "# abuse.ch", "# example.org");
	ft_expect_refused(&p, "not an abuse.ch list");
	imp_list_fini(&p.list);
}

static void
csv_columns_follow_the_header_row(void **state)
{
	struct parsed p;

	(void)state;
	/* Reordered columns, quotes with commas and "" inside, CRLF. */
	FT_PARSE_STR(&p, CSV, "# abuse.ch Feodo Tracker (CSV) #\r\n"
	    "\"malware\",\"dst_port\",\"dst_ip\",\"c2_status\"\r\n"
	    "\"Emotet\",\"443\",\"192.0.2.1\",\"online\"\r\n"
	    "\"Qak, \"\"bot\"\"\",8080,198.51.100.7,offline\r\n"
	    "\"x\",\"1\",\"203.0.113.1\r\n"
	    "\"\",\"\",\"203.0.113.2\",\"\"\r\n"
	    "# END 4 entries");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.st.rejected, 1);
	assert_true(ft_has(&p, "192.0.2.1", "Emotet C2 port 443 (online)"));
	assert_true(ft_has(&p, "198.51.100.7",
	    "Qak, \"bot\" C2 port 8080 (offline)"));
	assert_true(ft_has(&p, "203.0.113.2", "C2"));
	imp_list_fini(&p.list);
}

static void
csv_rejects_malformed_quoting(void **state)
{
	static const char *const bad[] = {
		"\"a\"b,\"192.0.2.1\"",	/* text after a closing quote */
		"a\"b,192.0.2.1",	/* quote in an unquoted field */
		"\"open,192.0.2.1",	/* never closed */
	};
	char body[256];
	struct parsed p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "# abuse.ch x\n"
		    "\"2024-01-01\",\"192.0.2.9\",\"1\",\"online\",\"\",\"m\"\n"
		    "%s\n# END 2 entries\n", bad[i]);
		ft_parse(&p, CSV, body, strlen(body));
		assert_int_equal(p.rc, 0);
		assert_int_equal(p.st.rejected, 1);
		assert_int_equal(p.st.nnotes, 0);
		assert_true(ft_has(&p, "192.0.2.9", "m C2 port 1 (online)"));
		imp_list_fini(&p.list);
	}
}

static void
txt_has_244_entries_with_crlf_and_no_final_newline(void **state)
{
	struct parsed p;

	(void)state;
	ft_expect_list(&p, TXT, TXT_FILE, 244);
	assert_true(ft_has(&p, "8.8.8.8", ""));
	assert_true(ft_has(&p, "97.107.134.115", ""));
	ft_expect_meta(&p, "entries", "244");
	ft_expect_meta(&p, "date", "2022-07-08 02:09:47 UTC");
	ft_expect_meta(&p, "title",
	    "abuse.ch Feodo Tracker Botnet C2 IP Blocklist (recommended)");
	imp_list_fini(&p.list);
}

static void
txt_cut_or_miscounted_is_refused(void **state)
{
	struct parsed p;

	(void)state;
	ft_parse_cut(&p, TXT, TXT_FILE, 0);
	ft_expect_refused(&p, "truncated: no '# END n entries' trailer");
	imp_list_fini(&p.list);
	ft_parse_edited(&p, TXT, TXT_FILE, "# END 244", "# END 243");
	ft_expect_refused(&p, "trailer says 243 entries, body has 244");
	imp_list_fini(&p.list);
	ft_parse_edited(&p, TXT, TXT_FILE, "# END 244 entries",
	    "# END 244 entries\r\n192.0.2.1");
	ft_expect_refused(&p, "1 data lines after the '# END n entries'");
	imp_list_fini(&p.list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csv_has_28_rows_with_reasons_and_metadata),
		cmocka_unit_test(csv_without_or_with_wrong_trailer_is_refused),
		cmocka_unit_test(csv_columns_follow_the_header_row),
		cmocka_unit_test(csv_rejects_malformed_quoting),
		cmocka_unit_test(
		    txt_has_244_entries_with_crlf_and_no_final_newline),
		cmocka_unit_test(txt_cut_or_miscounted_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
