#!/bin/bash
# t_check.sh -- reputectl check: the example configuration is OK; a broken
# one gets every error reported as file:line and a non-zero exit; a
# missing file is an error; after an import the store checks pass.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

EXAMPLE=$ROOT/examples/reputed.conf
[ -f "$EXAMPLE" ] || die "$EXAMPLE is missing"

log "the example configuration"
# A copy with the store moved into the test's directory and relative
# file: URLs made absolute (they are relative to the example's folder).
EXCONF=$T/example.conf
sed -e "s|^database[[:space:]]*=.*|database = $DB|" \
    -e "s|^\(url[[:space:]]*=[[:space:]]*\)file:\([^/]\)|\1file://$ROOT/examples/\2|" \
    "$EXAMPLE" >"$EXCONF"
expect_exit 0 run "$CTL" -c "$EXAMPLE" check
expect_contains "$OUT" "configuration OK" "the example configuration is OK"
expect_exit 0 run "$CTL" -c "$EXCONF" check
expect_contains "$OUT" "configuration OK" "the adjusted copy is OK"
expect_exit 0 run "$IMPORT" -c "$EXCONF" --force
expect_exit 0 run "$CTL" -c "$EXCONF" check
expect_contains "$OUT" "configuration OK" "the example store passes the checks"

log "a broken configuration"
BAD=$T/bad.conf
cat >"$BAD" <<EOF
[server]
database = $T/db2
colour   = blue

[source drop]
url      = file:drop.txt
code     = 127.0.0.2
refresh  = soon

[weird]
x = 1

[zone bl.test]
sources  = drop nosuch
EOF
expect_fail run "$CTL" -c "$BAD" check
expect_not_contains "$OUT" "configuration OK" "a broken configuration is not OK"
expect_contains "$OUT$ERR" "$BAD:3:" "the unknown key is reported at line 3"
expect_match "$OUT$ERR" "$BAD:3:.*colour" "the message names the unknown key"
expect_contains "$OUT$ERR" "$BAD:8:" "the bad duration is reported at line 8"
expect_contains "$OUT$ERR" "$BAD:10:" "the unknown section is reported at line 10"
expect_match "$OUT$ERR" "$BAD:10:.*weird" "the message names the unknown section"
expect_match "$OUT$ERR" "$BAD:1[34]:.*nosuch" \
    "the unknown source of a zone is reported at its section or key"

log "the other programs refuse it too"
expect_fail run "$IMPORT" -c "$BAD" --force
expect_contains "$OUT$ERR" "$BAD:3:" "reputed-import reports the same error"
expect_fail run "$CTL" -c "$BAD" sources

log "a missing file"
expect_fail run "$CTL" -c "$T/nonexistent.conf" check
expect_contains "$OUT$ERR" "$T/nonexistent.conf" "the missing file is named"

log "a bad code and a bad listen address"
cat >"$BAD" <<EOF
[server]
listen   = 127.0.0.1:99999
database = $T/db3

[source local]
code     = not-an-address
EOF
expect_fail run "$CTL" -c "$BAD" check
expect_contains "$OUT$ERR" "$BAD:2:" "a bad port is reported at line 2"
expect_contains "$OUT$ERR" "$BAD:6:" "a bad code is reported at line 6"

finish
