#!/bin/bash
# t_manual.sh -- reputectl list add/del: manual listings with a reason and
# an expiry, exclusions (!prefix) inside a listed range, codes and TXT per
# zone, manual entries in an imported source surviving its imports, and
# history of manual changes in explain.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"

make_conf <<EOF
[source drop]
url     = file://$T/drop.txt
format  = plain
code    = 127.0.0.2
txt     = Listed by \$source: \$reason

[source local]
code    = 127.0.0.3
txt     = Listed locally: \$reason

[zone bl.test]
sources = drop local

[zone drop.test]
sources = drop
EOF

expect_exit 0 run_import --force

log "list add"
expect_exit 0 ctl list add 192.0.2.0/24 --source local --reason "spam run 42"
expect_exit 0 ctl explain 192.0.2.7
expect_contains "$OUT" "local" "explain names the manual source"
expect_contains "$OUT" "192.0.2.0/24" "explain names the manual prefix"
expect_contains "$OUT" "spam run 42" "explain shows the reason"
expect_exit 0 ctl query 192.0.2.7 bl.test
expect_contains "$OUT" "127.0.0.3" "query shows local's code"
expect_contains "$OUT" "Listed locally: spam run 42" "query shows local's TXT"
expect_exit 1 ctl query 192.0.2.7 drop.test
expect_exit 0 ctl sources
expect_match "$OUT" 'local[[:space:]].*1' "sources counts the manual entry"

log "both sources list an address"
expect_exit 0 ctl list add 1.10.16.0/24 --source local --reason "also ours"
expect_exit 0 ctl query 1.10.16.5 bl.test
expect_contains "$OUT" "127.0.0.2" "query shows drop's code"
expect_contains "$OUT" "127.0.0.3" "query shows local's code too"
expect_exit 0 ctl query 1.10.16.5 drop.test
expect_not_contains "$OUT" "127.0.0.3" "a zone answers only from its sources"

log "exclusion inside a listed range"
expect_exit 0 ctl list add '!192.0.2.128/25' --source local --reason "customer range"
expect_exit 1 ctl query 192.0.2.200 bl.test
expect_exit 0 ctl query 192.0.2.100 bl.test
expect_exit 0 ctl query 192.0.2.127 bl.test
expect_exit 1 ctl query 192.0.2.128 bl.test
expect_exit 0 ctl list add 192.0.2.250/32 --source local --reason "inside the hole"
expect_exit 0 ctl query 192.0.2.250 bl.test
expect_exit 1 ctl query 192.0.2.249 bl.test
expect_exit 1 ctl query 192.0.2.251 bl.test

log "expiry"
expect_exit 0 ctl list add 203.0.113.5 --source local --reason "temporary" --expires 30d
expect_exit 0 ctl explain 203.0.113.5
expect_contains "$OUT" "temporary" "explain shows the reason of an expiring entry"
when=$(($(date +%s) + 30 * 86400))
d_utc=$(date -u -d "@$when" +%Y-%m-%d)
d_loc=$(date -d "@$when" +%Y-%m-%d)
expect_match "$OUT" "$d_utc|$d_loc" "explain shows the expiry 30 days ahead"

log "manual entries in an imported source survive imports"
expect_exit 0 ctl list add 198.51.100.0/24 --source drop --reason "added by hand"
expect_exit 0 run_import --force drop
expect_match "$OUT" '^drop: 1386 entries' "the import counts the manual entry"
expect_exit 0 ctl explain 198.51.100.1
expect_contains "$OUT" "added by hand" "the manual entry outlived the import"

log "list del"
expect_exit 0 ctl list del 192.0.2.0/24 --source local --reason "resolved ticket 7"
expect_exit 1 ctl query 192.0.2.7 bl.test
expect_exit 1 ctl explain 192.0.2.7
expect_match "$OUT$ERR" 'not listed' "explain says a deleted prefix is not listed"
expect_contains "$OUT" "resolved ticket 7" "explain shows the delisting reason"
expect_exit 0 ctl query 192.0.2.250 bl.test	# the /32 is its own entry

log "errors"
expect_fail ctl list add 192.0.2.0/24 --source nosuch --reason x
expect_fail ctl list add 300.1.2.3/24 --source local --reason x
expect_fail ctl list add 192.0.2.0/24 --source local --reason x --expires soon
expect_fail ctl list del 10.9.9.0/24 --source local --reason "never listed"

expect_exit 0 ctl check
finish
