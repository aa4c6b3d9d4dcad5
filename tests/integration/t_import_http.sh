#!/bin/bash
# t_import_http.sh -- import DROP from an HTTP server on loopback, change
# the list (10 prefixes gone, 5 new) and re-import: the summary counts the
# change, a delisted address is no longer listed and explain tells its
# history, a new one is listed, a kept one keeps its first-seen time; an
# unmodified list gets a 304 (If-Modified-Since) and is kept.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

DROP=$(fixture spamhaus-drop/drop.txt)
mkdir -p "$T/www"
serve "$DROP" "$T/www/drop.txt"
start_http "$T/www"

make_conf <<EOF
[source drop]
url     = $HTTP_URL/drop.txt
format  = plain
refresh = 12h
code    = 127.0.0.2
txt     = Listed by \$source: \$reason

[zone bl.test]
sources = drop
EOF

log "first import over HTTP"
expect_exit 0 run_import --force
expect_match "$OUT" '^drop: 1385 entries, \+1385 -0 =0, 0 rejected' \
    "first import adds 1385 prefixes"
expect_exit 0 ctl explain 1.10.16.5
expect_contains "$OUT" "SBL256894" "1.10.16.5 is listed by SBL256894"
expect_exit 0 ctl --json explain 5.134.128.1
first_json=$OUT

# Version 2: the first ten prefixes vanish (1.10.16.0/20 ... 5.105.62.0/24),
# five new ones appear, one of them IPv6.
awk 'BEGIN { n = 0 } /^[0-9]/ && n < 10 { n++; next } { print }' "$DROP" \
    >"$T/drop2.txt"
cat >>"$T/drop2.txt" <<'EOF'
198.51.100.0/25 ; SBLTEST1
198.51.100.128/25 ; SBLTEST2
203.0.113.0/24 ; SBLTEST3
192.0.2.0/28 ; SBLTEST4
2001:db8::/32 ; SBLTEST6
EOF
serve "$T/drop2.txt" "$T/www/drop.txt"
sleep 1		# first_seen/last_seen of the two imports differ

log "re-import of the changed list"
expect_exit 0 run_import --force
expect_match "$OUT" '^drop: 1380 entries, \+5 -10 =1375, 0 rejected' \
    "re-import counts +5 -10 =1375"

expect_exit 1 ctl explain 1.10.16.5
expect_match "$OUT$ERR" 'not listed' "a delisted address is not listed"
expect_match "$OUT" 'delisted' "explain tells the address was delisted"
expect_exit 1 ctl query 1.10.16.5 bl.test
expect_exit 1 ctl query 5.105.62.200 bl.test

expect_exit 0 ctl explain 198.51.100.200
expect_contains "$OUT" "SBLTEST2" "a new prefix is listed"
expect_match "$OUT" 'listed' "explain shows the listing event"
expect_exit 0 ctl query 2001:db8::77 bl.test
expect_contains "$OUT" "Listed by drop: SBLTEST6" "a new IPv6 prefix answers"

expect_exit 0 ctl --json explain 5.134.128.1
# A kept prefix: first_seen is the first import's, last_seen moved on.
first_seen=$(printf '%s' "$first_json" | grep -oE '"first_seen"[^,}]*' | head -n 1)
now_seen=$(printf '%s' "$OUT" | grep -oE '"first_seen"[^,}]*' | head -n 1)
last1=$(printf '%s' "$first_json" | grep -oE '"last_seen"[^,}]*' | head -n 1)
last2=$(printf '%s' "$OUT" | grep -oE '"last_seen"[^,}]*' | head -n 1)
if [ -n "$first_seen" ]; then
	expect_eq "$now_seen" "$first_seen" "a kept prefix keeps its first_seen"
	if [ "$last1" != "$last2" ]; then
		pass "a kept prefix gets a new last_seen"
	else
		fail "a kept prefix gets a new last_seen ($last1)"
	fi
else
	fail "explain --json has a first_seen field"
	show_last
fi

log "status"
expect_exit 0 ctl sources
expect_match "$OUT" 'drop[[:space:]].*1380' "sources shows 1380 entries"

log "unchanged list again"
serve "$T/drop2.txt" "$T/www/drop.txt"
expect_exit 0 run_import --force
expect_match "$OUT" '^drop: 1380 entries, \+0 -0 =1380' \
    "re-import of the same list changes nothing"

log "conditional GET: the file is not touched, the server answers 304"
expect_exit 0 run_import --force
expect_match "$OUT" '^drop: 1380 entries, not modified' \
    "an unmodified list is not fetched again"
expect_contains "$(cat "$T/http.log")" '" 304 ' "the server answered 304"
expect_exit 0 ctl query 198.51.100.200 bl.test

expect_exit 0 ctl check
finish
