#!/bin/bash
# t_import_file.sh -- import Spamhaus DROP/DROPv6 through file:// URLs (an
# absolute one and one relative to the config file), --file into a
# source, then explain/query/sources against the real store.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"
cp "$(fixture spamhaus-dropv6/dropv6.txt)" "$T/dropv6.txt"
EDROP=$(fixture spamhaus-edrop/edrop.txt)

make_conf <<EOF
[source drop]
url     = file://$T/drop.txt
format  = plain
refresh = 12h
code    = 127.0.0.2
txt     = Listed by \$source: \$reason

[source drop6]
url     = file:dropv6.txt
format  = plain
code    = 127.0.0.4
txt     = Listed by \$source: \$reason

[source edrop]
url     = http://127.0.0.1:9/never-fetched-with-file
code    = 127.0.0.5
txt     = Listed by \$source: \$reason

[zone bl.test]
sources = drop drop6
ttl     = 300
soa     = ns1.bl.test hostmaster.bl.test
ns      = ns1.bl.test
EOF

log "first import"
expect_exit 0 run_import --force drop drop6
expect_match "$OUT" '^drop: 1385 entries, \+1385 -0 =0, 0 rejected' \
    "summary counts 1385 DROP prefixes, all added"
expect_match "$OUT" '^drop6: 78 entries' "summary counts 78 DROPv6 prefixes"
expect_eq "$ERR" "" "no warnings for clean lists"

log "explain"
expect_exit 0 ctl explain 1.10.16.5
expect_contains "$OUT" "drop" "explain names the source"
expect_contains "$OUT" "1.10.16.0/20" "explain names the prefix"
expect_contains "$OUT" "SBL256894" "explain names the SBL id"

# 5.188.11.0/24 (SBL402809) is nested in 5.188.10.0/23 (SBL402741).
expect_exit 0 ctl explain 5.188.11.7
expect_contains "$OUT" "SBL402809" "explain shows the most specific entry"
expect_contains "$OUT" "5.188.11.0/24" "explain shows the nested prefix"
expect_exit 0 ctl explain 5.188.10.7
expect_contains "$OUT" "SBL402741" "explain beside the nested /24 shows the /23"
expect_not_contains "$OUT" "SBL402809" "the /24 does not cover its neighbour"

expect_exit 0 ctl explain 2001:678:6c4::1
expect_contains "$OUT" "drop6" "IPv6 explain names the source"
expect_contains "$OUT" "SBL626637" "IPv6 explain names the SBL id"

expect_exit 1 ctl explain 192.0.2.1
expect_match "$OUT$ERR" 'not listed' \
    "explain says an unlisted address is not listed"
expect_exit 1 ctl explain 2001:db8::1
expect_exit 2 ctl explain not-an-address

expect_exit 0 ctl --json explain 1.10.16.5
expect_json "$OUT" "explain --json is JSON"
expect_contains "$OUT" "SBL256894" "explain --json names the SBL id"

log "query"
expect_exit 0 ctl query 1.10.16.5 bl.test
expect_contains "$OUT" "127.0.0.2" "query shows the A code"
expect_contains "$OUT" "Listed by drop: SBL256894" "query shows the TXT"
expect_exit 0 ctl query 2001:678:6c4::1 bl.test
expect_contains "$OUT" "127.0.0.4" "IPv6 query shows drop6's code"
expect_exit 1 ctl query 192.0.2.1 bl.test
expect_exit 2 ctl query 1.10.16.5 no.such.zone
expect_exit 0 ctl --json query 1.10.16.5
expect_json "$OUT" "query --json is JSON"

log "sources"
expect_exit 0 ctl sources
expect_match "$OUT" 'drop[[:space:]].*1385' "sources shows drop with 1385 entries"
expect_match "$OUT" 'drop6[[:space:]].*78' "sources shows drop6 with 78 entries"
expect_exit 0 ctl --json sources
expect_json "$OUT" "sources --json is JSON"

log "refresh not elapsed, then a forced import of the same file"
expect_exit 0 run_import drop
expect_not_contains "$OUT" "+1385" "an import within refresh does not re-add"
expect_exit 0 run_import --force drop
expect_match "$OUT" '^drop: 1385 entries, \+0 -0 =1385, 0 rejected' \
    "a forced re-import of the same file changes nothing"

log "--file into a source whatever its url"
expect_exit 0 run_import --file "$EDROP" --source edrop
expect_match "$OUT" '^edrop: 289 entries' "--file imports EDROP into edrop"
expect_exit 0 ctl explain 2.56.247.9
expect_contains "$OUT" "SBL620754" "an EDROP address is explained"

expect_fail run_import --force nosuchsource
expect_exit 0 ctl check
expect_contains "$OUT" "configuration OK" "check passes after the imports"

finish
