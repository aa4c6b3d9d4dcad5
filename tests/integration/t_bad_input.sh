#!/bin/bash
# t_bad_input.sh -- after a good import, bad fetches (an error body, an
# HTML page, an empty file, a 404, a refused connection, a list that
# would remove more than half the entries) each fail with exit 1 and a
# message naming the problem, record it in the source's status, and leave
# the previous data answered. --allow-shrink lets the shrink through. A
# bad line is reported as path:line: and skipped.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

DROP=$(fixture spamhaus-drop/drop.txt)
ERRBODY=$(fixture spamhaus-drop/error-body-500-2025-11-18.txt)
mkdir -p "$T/www"
serve "$DROP" "$T/www/drop.txt"
start_http "$T/www"
DEAD_PORT=$(free_port)	# nothing listens there

make_conf <<EOF
[source drop]
url     = $HTTP_URL/drop.txt
format  = plain
code    = 127.0.0.2
txt     = Listed by \$source: \$reason

[source dead]
url     = http://127.0.0.1:$DEAD_PORT/drop.txt
format  = plain
code    = 127.0.0.3

[zone bl.test]
sources = drop dead
EOF

expect_exit 0 run_import --force drop
expect_match "$OUT" '^drop: 1385 entries' "the good import has 1385 entries"

# still_served WHAT: the data of the good import is answered in full.
still_served()
{
	expect_exit 0 ctl query 1.10.16.5 bl.test
	expect_contains "$OUT" "Listed by drop: SBL256894" "$1: query still answers"
	expect_exit 0 ctl explain 223.254.0.1
	expect_contains "$OUT" "SBL212803" "$1: explain still answers"
	expect_exit 0 ctl sources
	expect_match "$OUT" 'drop[[:space:]].*1385' "$1: drop still has 1385 entries"
}

# bad_fetch WHAT ERE: the import of drop fails, its message matches ERE,
# the status keeps the error, and the old data is still served.
bad_fetch()
{
	log "$1"
	expect_exit 1 run_import --force drop
	log "stderr: $ERR"
	expect_match "$ERR" '^drop: import failed: ' "$1: stderr says the import failed"
	expect_match "$ERR" "$2" "$1: the message names the problem"
	expect_exit 0 ctl --json sources
	expect_match "$OUT" "$2" "$1: the error is recorded in the source status"
	still_served "$1"
}

serve "$ERRBODY" "$T/www/drop.txt"
bad_fetch "the 15-byte 'error code: 500' body" 'not a list|no valid|no entries|error code'

printf '<!DOCTYPE html>\n<html><head><title>Oops</title></head>\n<body><h1>Service unavailable</h1>\n<p>Try again later.</p></body></html>\n' \
    >"$T/page.html"
serve "$T/page.html" "$T/www/drop.txt"
bad_fetch "an HTML page" 'html|not a list|no valid|no entries'

: >"$T/empty.txt"
serve "$T/empty.txt" "$T/www/drop.txt"
bad_fetch "an empty body" 'empty'

rm -f "$T/www/drop.txt"
bad_fetch "a 404" '404'

log "a refused connection"
expect_exit 1 run_import --force dead
log "stderr: $ERR"
expect_match "$ERR" '^dead: import failed: ' "refused: stderr says the import failed"
expect_match "$ERR" 'connect|refused' "refused: the message names the problem"
still_served "refused"

log "a bad line is reported and skipped"
# Line 6 of the file is the bad one (four header lines come first).
{
	head -n 5 "$DROP"
	echo "999.1.2.3/8 ; not an address"
	tail -n +6 "$DROP"
} >"$T/drop-badline.txt"
expect_exit 0 run_import --file "$T/drop-badline.txt" --source drop
log "stderr: $ERR"
expect_contains "$ERR" "$T/drop-badline.txt:6:" "the bad line is reported as path:line:"
expect_match "$OUT" '^drop: 1385 entries, \+0 -0 =1385, 1 rejected' \
    "the bad line is counted as rejected and the rest imported"
still_served "bad line"

log "a list that removes more than half the entries"
# Keep the header, the first 600 prefixes and the last one
# (223.254.0.0/16): 601 of 1385, so 784 would go.
{
	head -n 604 "$DROP"
	grep '^223.254.0.0/16' "$DROP"
} >"$T/drop-short.txt"
serve "$T/drop-short.txt" "$T/www/drop.txt"
bad_fetch "a shrink by more than half" 'shrink|half|remove'
expect_exit 1 ctl query 200.0.0.1 bl.test	# sanity: unlisted

log "--allow-shrink lets it through"
expect_exit 0 run_import --force --allow-shrink drop
expect_match "$OUT" '^drop: 601 entries, \+0 -784 =601' \
    "--allow-shrink imports the short list"
expect_exit 0 ctl explain 223.254.0.1
expect_exit 1 ctl query 223.173.0.1 bl.test
expect_exit 0 ctl --json sources
expect_match "$OUT" '"last_error": *(null|"")' "a success clears the last error"

expect_exit 0 ctl check
finish
