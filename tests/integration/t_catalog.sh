#!/bin/bash
# t_catalog.sh -- the catalog of public lists: `reputed-import --catalog`
# (text and JSON), a source written as "catalog = NAME" getting its values
# (and overriding some), `reputectl check` and `reputed -t` resolving the
# references with file:line errors, a refresh below the provider's
# minimum refused, and a contact-required list (DShield) not fetched until
# [server] contact is set, then fetched with the contact in the
# User-Agent (checked on a loopback HTTP server).
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

CATALOG=$ROOT/catalog/catalog.ini
[ -f "$CATALOG" ] || die "$CATALOG is missing"

log "--catalog"
expect_exit 0 "$IMPORT" --catalog
expect_match "$OUT" '^NAME +PROVIDER +FORMAT +REFRESH +MIN +TERMS' \
    "a header of aligned columns"
for name in spamhaus-drop spamhaus-drop-json spamhaus-dropv6 \
    spamhaus-asndrop dshield firehol-level1 feodo blocklist-de tor-exits \
    cins-army et-compromised ipsum stopforumspam-toxic; do
	expect_match "$OUT" "^$name " "--catalog lists $name"
done
expect_match "$OUT" '^spamhaus-drop +Spamhaus +spamhaus-drop +12h +1h +.*terms' \
    "spamhaus-drop: provider, format, refresh, minimum, terms"
expect_exit 0 "$IMPORT" --catalog --json
expect_json "$OUT" "--catalog --json is JSON"
expect_contains "$OUT" '"contact_required": true' "JSON has contact_required"
expect_exit 2 "$IMPORT" --json
expect_contains "$ERR" "--json goes with --catalog" "--json alone is refused"

log "a source taking its values from the catalog"
DROP=$(fixture spamhaus-drop/drop.txt)
make_conf <<EOF
catalog-file = $CATALOG

[source drop]
catalog = spamhaus-drop
url     = file://$DROP                  ; the rest from the catalog

[zone bl.test]
sources = drop
EOF
expect_exit 0 ctl check
expect_exit 0 "$IMPORT" --catalog -c "$CONF"
run_import --force
if printf '%s\n' "$ERR" | grep -q "unknown format"; then
	log "skipped: this build has no spamhaus-drop format yet"
else
	expect_exit 0 run_import --force
	expect_match "$OUT" '^drop: 1385 entries' "DROP imported with its catalog format"
	expect_exit 0 ctl query 1.10.16.5 bl.test
	expect_contains "$OUT" "127.0.0.2" "the catalog's code is answered"
	expect_contains "$OUT" "Listed in Spamhaus DROP: SBL256894, see https://check.spamhaus.org/" \
	    "the catalog's TXT is answered"
	if [ -x "$REPUTED" ]; then
		expect_exit 0 "$REPUTED" -t -c "$CONF"
	fi
fi

log "errors: an unknown list, a refresh below the provider's minimum"
make_conf <<EOF
catalog-file = $CATALOG

[source a]
catalog = nosuch

[source b]
catalog = spamhaus-drop
refresh = 30m
EOF
expect_fail ctl check
expect_contains "$OUT$ERR" "$CONF:8: catalog: no list 'nosuch'" \
    "check names the unknown list with file:line"
expect_contains "$OUT$ERR" "$CONF:12: refresh: 30m is below the 1h that Spamhaus asks for" \
    "check refuses a refresh below the catalog minimum"
if [ -x "$REPUTED" ]; then
	expect_fail "$REPUTED" -t -c "$CONF"
	expect_contains "$OUT$ERR" "$CONF:8: catalog: no list 'nosuch'" \
	    "reputed -t names it too"
fi
expect_exit 2 run_import --force
expect_contains "$ERR" "$CONF:8: catalog: no list 'nosuch'" \
    "reputed-import refuses the configuration"

log "contact-required: refused without [server] contact"
mkdir -p "$T/www"
for ((i = 0; i < 50; i++)); do echo "203.0.113.$i"; done >"$T/www/top.txt"
start_fixture "$T/www" "$T/fixture.log" 300
cat >"$T/catalog.ini" <<EOF
[list test-isc]
provider         = Test ISC
description      = a DShield-like list that wants to know who fetches it
url              = $HTTP_URL/files/top.txt
format           = plain
refresh          = 1h
min-refresh      = 1h
contact-required = yes
code             = 127.0.0.7
txt              = Listed by \$source, see https://isc.example/ipinfo/\$ip
terms            = test terms
EOF
make_conf <<EOF
catalog-file = catalog.ini

[source isc]
catalog = test-isc

[zone bl.test]
sources = isc
EOF
expect_exit 1 run_import --force
expect_match "$ERR" '^isc: import failed: contact-required: .*set contact = .*in \[server\]' \
    "no contact: not fetched, with a clear error"
expect_eq "$(grep -c . "$T/fixture.log" 2>/dev/null || echo 0)" 0 \
    "nothing was requested"
expect_exit 0 run_import --force --file "$T/www/top.txt" --source isc
expect_match "$OUT" '^isc: 50 entries' "--file needs no contact"

make_conf <<EOF
catalog-file = catalog.ini
contact      = ops@example.org

[source isc]
catalog = test-isc

[zone bl.test]
sources = isc
EOF
expect_exit 0 run_import --force
expect_match "$OUT" '^isc: 50 entries' "with a contact it is fetched"
expect_match "$(tail -n 1 "$T/fixture.log")" \
    '^/files/top.txt [0-9]+ ua=reputed-import/[0-9.]+ \(\+ops@example.org\) ' \
    "the User-Agent names the project, version and contact"
expect_exit 0 ctl query 203.0.113.7 bl.test
expect_contains "$OUT" "127.0.0.7" "the catalog's code"
expect_contains "$OUT" "see https://isc.example/ipinfo/203.0.113.7" \
    "the catalog's TXT with its lookup link"
finish
