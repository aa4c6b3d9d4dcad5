#!/bin/bash
# t_import_rules.sh -- "never serve garbage": every rule a fetched body must
# pass, driven by a loopback HTTP server that misbehaves on purpose
# (http_fixture.py). A good list is imported first; then for each bad
# answer (an HTML page, a 15-byte error text, binary data, a 500, a 429
# with Retry-After, a truncated JSON list, a /0, a /7, a list shrunk to
# 1%, too many rejected lines, an oversize body, a slow body, a redirect
# loop) the import must exit 1 with "rules: import failed: REASON" naming
# the rule, record REASON as the source's last_error, and keep answering
# the good list. Then: the per-source overrides, gzip, the 304 of an
# unchanged list, and the back-off after repeated failures.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

WWW=$T/www
FIXLOG=$T/fixture.log
mkdir -p "$WWW"

# ------------------------------------------------------------- the fixture

# The good list: 1000 addresses of 198.18.0.0/15 (benchmark space).
good_list()
{
	local i
	for ((i = 0; i < 1000; i++)); do
		echo "198.18.$((i / 256)).$((i % 256)) ; good $i"
	done
}

good_list >"$WWW/good.txt"
{ good_list; echo "0.0.0.0/0 ; everyone"; } >"$WWW/slash0.txt"
{ good_list; echo "2.0.0.0/7 ; too broad"; } >"$WWW/slash7.txt"
{ good_list; echo "2001::/16 ; too broad"; } >"$WWW/slash16v6.txt"
good_list | head -n 10 >"$WWW/shrunk.txt"
{
	good_list
	for ((i = 0; i < 20; i++)); do echo "not-an-address-$i"; done
} >"$WWW/rejected.txt"
# Spamhaus NDJSON cut short: data rows, no metadata row at the end.
head -n 100 "$(fixture spamhaus-drop/drop_v4.json)" >"$WWW/truncated.json"

start_fixture "$WWW" "$FIXLOG" 600

# rules_conf URL [KEY = VALUE...]: one source "rules" on URL, in zone
# bl.test; the extra lines go in its section.
rules_conf()
{
	local url=$1 extra
	shift
	extra=$(printf '%s\n' "$@")
	make_conf <<EOF
[source rules]
url     = $url
refresh = 1h
code    = 127.0.0.2
txt     = Listed by \$source: \$reason
$extra

[source flaky]
url     = $HTTP_URL/500
refresh = 1h

[zone bl.test]
sources = rules
EOF
}

# source_field NAME FIELD: FIELD of source NAME in `reputectl --json
# sources` ("" for null).
source_field()
{
	ctl --json sources
	printf '%s' "$OUT" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
rows = doc if isinstance(doc, list) else doc.get("sources", [])
for s in rows:
    if s.get("name") == sys.argv[1]:
        v = s.get(sys.argv[2])
        print("" if v is None else v)
' "$1" "$2"
}

# still_served WHAT: the good list is still answered.
still_served()
{
	expect_exit 0 ctl query 198.18.0.5 bl.test
	expect_contains "$OUT" "127.0.0.2" "$1: the previous data is still served"
	expect_exit 0 ctl query 198.18.3.231 bl.test
}

# refused WHAT REGEX [import args]: the import fails naming the rule, the
# status records it, the old data stays.
refused()
{
	local what=$1 re=$2 err
	shift 2
	expect_exit 1 run_import --force "$@" rules
	expect_match "$ERR" "^rules: import failed: .*$re" \
	    "$what: refused, the message names the rule"
	err=$(source_field rules last_error)
	expect_match "$err" "$re" "$what: last_error in sources --json"
	still_served "$what"
}

# ------------------------------------------------------------- good list

log "a good list"
rules_conf "$HTTP_URL/files/good.txt"
expect_exit 0 run_import --force rules
expect_match "$OUT" '^rules: 1000 entries, \+1000 -0 =0, 0 rejected' \
    "the good list is imported"
still_served "good list"
expect_eq "$(source_field rules last_error)" "" "no last_error after success"

log "the same list again: 304 (If-None-Match)"
before=$(source_field rules last_success)
sleep 1.1
expect_exit 0 run_import --force rules
expect_match "$OUT" '^rules: 1000 entries, not modified' "304: not modified"
expect_match "$(tail -n 1 "$FIXLOG")" '^/files/good.txt 304 .*inm="' \
    "the request was conditional and got 304"
after=$(source_field rules last_success)
if [ -n "$before" ] && [ "$before" != "$after" ]; then
	pass "304 updates last_success"
else
	fail "304 updates last_success ($before -> $after)"
fi
still_served "304"

# --------------------------------------------------------------- the rules

log "an HTML error page with status 200"
rules_conf "$HTTP_URL/html"
refused "HTML" "HTML page, not a list"

log "the 15-byte error text real mirrors kept (status 200)"
rules_conf "$HTTP_URL/error-body"
refused "error text" "not a list"

log "binary data"
rules_conf "$HTTP_URL/binary"
refused "binary" "binary data"

log "HTTP 500"
rules_conf "$HTTP_URL/500"
refused "HTTP 500" "HTTP 500 from"

log "HTTP 429 with Retry-After: 3600"
# After a success (here a 304) no back-off is pending: only Retry-After.
rules_conf "$HTTP_URL/files/good.txt"
expect_exit 0 run_import --force rules
rules_conf "$HTTP_URL/429"
refused "HTTP 429" "HTTP 429 from .*; retry after [0-9-]+ [0-9:]+ UTC"
expect_exit 0 run_import -v rules
expect_match "$OUT" "^rules: not due until .*the server asked to retry after" \
    "the next run waits for Retry-After"
n429=$(grep -c '^/429 ' "$FIXLOG")
expect_eq "$n429" 1 "no second request before Retry-After"

log "HTTP 503 with Retry-After as a date"
rules_conf "$HTTP_URL/503-date"
refused "HTTP 503" "HTTP 503 from .*; retry after"

log "a truncated JSON list (spamhaus-json)"
rules_conf "$HTTP_URL/files/truncated.json" "format  = spamhaus-json"
run_import --force rules
if printf '%s\n' "$ERR" | grep -q "unknown format"; then
	log "skipped: this build has no spamhaus-json format"
else
	refused "truncated JSON" "metadata|truncat|records"
fi

log "a list holding 0.0.0.0/0"
rules_conf "$HTTP_URL/files/slash0.txt"
refused "/0" "max-prefix4: 0\.0\.0\.0/0 is broader than /8"

log "a list holding a /7"
rules_conf "$HTTP_URL/files/slash7.txt"
refused "/7" "max-prefix4: 2\.0\.0\.0/7 is broader than /8"

log "a list holding an IPv6 /16"
rules_conf "$HTTP_URL/files/slash16v6.txt"
refused "IPv6 /16" "max-prefix6: 2001::/16 is broader than /24"

log "a list shrunk to 1%"
rules_conf "$HTTP_URL/files/shrunk.txt"
refused "shrink" "max-shrink: would remove 990 of 1000 entries"

log "2% of the lines rejected"
rules_conf "$HTTP_URL/files/rejected.txt"
refused "rejected" "max-rejected: 20 of 1020 lines rejected"

log "an oversize body (chunked, then with Content-Length)"
rules_conf "$HTTP_URL/big" "max-size = 1M"
refused "oversize" "max-size: body larger than 1M"
rules_conf "$HTTP_URL/big-cl" "max-size = 1M"
refused "oversize (Content-Length)" "max-size: body larger than 1M"

log "a slow body that hits fetch-timeout"
rules_conf "$HTTP_URL/slow" "fetch-timeout = 2s"
t0=$SECONDS
refused "timeout" "fetch-timeout: no whole answer within 2s"
if [ $((SECONDS - t0)) -lt 8 ]; then
	pass "the timeout cut the transfer short"
else
	fail "the timeout cut the transfer short ($((SECONDS - t0)) s)"
fi

log "TLS: https to a server that speaks plain HTTP"
rules_conf "https://127.0.0.1:$(cat "$T/port")/files/good.txt"
refused "TLS" "SSL|TLS"

log "nobody listening"
rules_conf "http://127.0.0.1:$(free_port)/files/good.txt"
refused "connection refused" "[Cc]ould(n't| not) connect"

log "a redirect loop"
rules_conf "$HTTP_URL/redirect-loop"
refused "redirects" "[Rr]edirect"

# ----------------------------------------------------------- overrides

log "per-source overrides"
rules_conf "$HTTP_URL/files/slash0.txt" "max-prefix4 = 0"
expect_exit 0 run_import --force rules
expect_match "$OUT" '^rules: 1001 entries, \+1 -0 =1000' \
    "max-prefix4 = 0 accepts the /0"
rules_conf "$HTTP_URL/files/good.txt"
expect_exit 0 run_import --force rules
expect_match "$OUT" '^rules: 1000 entries, \+0 -1 =1000' "back to the good list"

rules_conf "$HTTP_URL/files/rejected.txt" "max-rejected = 5%"
expect_exit 0 run_import --force rules
expect_match "$OUT" '^rules: 1000 entries, .* 20 rejected' \
    "max-rejected = 5% accepts 2% rejected lines"

rules_conf "$HTTP_URL/files/shrunk.txt" "max-shrink = 100%"
expect_exit 0 run_import --force rules
expect_match "$OUT" '^rules: 10 entries, \+0 -990 =10' \
    "max-shrink = 100% accepts the shrink"

log "gzip"
rules_conf "$HTTP_URL/gzip/good.txt"
expect_exit 0 run_import --force rules
expect_match "$OUT" '^rules: 1000 entries, \+990 -0 =10' \
    "a gzip-encoded body is imported"
expect_match "$(grep '^/gzip/good.txt 200' "$FIXLOG" | tail -n 1)" \
    'ae=.*gzip.* gzip=1$' "it was asked for and sent gzip-encoded"

log "--allow-shrink"
rules_conf "$HTTP_URL/files/shrunk.txt"
expect_exit 1 run_import --force rules
expect_exit 0 run_import --force --allow-shrink rules
expect_match "$OUT" '^rules: 10 entries, \+0 -990 =10' "--allow-shrink accepts it"

# ------------------------------------------------------------- back-off

log "back-off after repeated failures"
for i in 1 2 3; do
	expect_exit 1 run_import --force flaky
done
expect_eq "$(source_field flaky last_error | grep -c 'HTTP 500')" 1 \
    "flaky's last_error says HTTP 500"
now=$(date +%s)
expect_exit 0 run_import -v flaky
expect_match "$OUT" '^flaky: not due until .*back-off after 3 failures' \
    "three failures: back-off"
due=$(printf '%s\n' "$OUT" | sed -n 's/^flaky: not due until \(.* UTC\).*/\1/p')
due_s=$(date -u -d "$due" +%s 2>/dev/null || echo 0)
# refresh 1h, doubled twice: 4h, less the 5-minute timer tolerance.
if [ $((due_s - now)) -ge $((4 * 3600 - 400)) ] &&
    [ $((due_s - now)) -le $((4 * 3600)) ]; then
	pass "the back-off after three failures is 4h"
else
	fail "the back-off after three failures is 4h ($((due_s - now)) s)"
fi
expect_exit 0 ctl check
finish
