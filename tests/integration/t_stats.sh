#!/bin/bash
# t_stats.sh -- statistics: queries made with dig over UDP and TCP (listed,
# not listed, truncated, refused, malformed) show, per zone and in total,
# in `reputectl stats` (text and --json, over the control socket) and at
# GET /metrics (curl; Prometheus text); other paths are 404, other
# methods 405; a reload keeps the counters of zones still configured and
# the totals; without `metrics =` there is no HTTP listener; the control
# socket goes away with the daemon.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"
command -v curl >/dev/null || die "curl is not installed (make deps)"

cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"
PAD="padding to make this record long enough that six of them exceed a
512 byte UDP answer but not 1232"
PAD=${PAD//$'\n'/ }
{
	cat <<EOF
[source drop]
url  = file://$T/drop.txt
txt  = Listed by \$source: \$reason

EOF
	for i in 1 2 3 4 5 6; do
		printf '[source long%s]\nurl = file://%s/drop.txt\n' "$i" "$T"
		# shellcheck disable=SC2016 # $source, $reason: a template
		printf 'txt = %s $source $reason %s\n\n' "$i" "$PAD"
	done
	cat <<EOF
[zone bl.test]
sources = drop

[zone long.test]
sources = long1 long2 long3 long4 long5 long6
EOF
} >"$T/sections"
make_conf <"$T/sections"
MPORT=$(free_port)
sed -i "/^database/a metrics  = 127.0.0.1:$MPORT" "$CONF"
MURL="http://127.0.0.1:$MPORT"
SOCK=$DB/control.sock

import_or_die --force

# jv FILE EXPR: a Python expression over the JSON document d in FILE;
# t is its total, u its unmatched, z its zones, bl and lt two of them.
jv()
{
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
t, u, z = d["total"], d["unmatched"], d["zones"]
bl, lt = z.get("bl.test", {}), z.get("long.test", {})
print(eval(sys.argv[2]))' "$1" "$2"
}

# snap NAME: `reputectl stats --json` into $T/NAME.json.
snap()
{
	ctl stats --json
	[ "$RC" = 0 ] || { show_last; die "reputectl stats --json failed"; }
	printf '%s\n' "$OUT" >"$T/$1.json"
}

# mv_of NAME{labels}: the value of one series of $T/metrics.txt.
mv_of()
{
	awk -v k="$1" '$1 == k { print $2 }' "$T/metrics.txt"
}

log "not running: reputectl stats says so"
expect_exit 2 ctl stats
expect_contains "$ERR" "is reputed running?" "reputectl stats names the cause"

start_reputed
expect_eq "$(stat -c %a "$SOCK" 2>/dev/null)" 660 \
    "control.sock in the database directory, mode 660"
snap before
expect_eq "$(jv "$T/before.json" 'bl["queries"]')" 0 \
    "bl.test starts at 0 queries"

log "queries"
L=1.16.10.1.bl.test
N=1.1.168.192.bl.test
LL=1.16.10.1.long.test
dq +short "$L" A
dq +short "$L" A
dq "$N" A
dq +short "$L" TXT
dq +tcp +short "$L" A
dq bl.test SOA
dq +bufsize=512 +ignore "$LL" TXT
expect_match "$OUT" "flags: qr aa tc" \
    "long.test TXT over 512 bytes is truncated"
dq +tcp "$LL" TXT
# A datagram too short for a header is dropped unanswered; the refused
# query after it on the same socket shows it has been handled.
python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"\x01\x02\x03", ("127.0.0.1", int(sys.argv[1])))' "$REPUTED_PORT"
expect_rcode example.org REFUSED
snap after
run curl -sS --max-time 5 "$MURL/metrics"
expect_eq "$RC" 0 "curl GET /metrics"
printf '%s\n' "$OUT" >"$T/metrics.txt"

log "reputectl stats --json: per zone"
A=$T/after.json
expect_eq "$(jv "$A" 'bl["queries"]')" 6 "bl.test: 6 queries"
expect_eq "$(jv "$A" 'bl["udp"]["queries"]')" 5 "bl.test: 5 over UDP"
expect_eq "$(jv "$A" 'bl["tcp"]["queries"]')" 1 "bl.test: 1 over TCP"
expect_eq "$(jv "$A" 'bl["qtypes"]["A"]')" 4 "bl.test: 4 of type A"
expect_eq "$(jv "$A" 'bl["qtypes"]["TXT"]')" 1 "bl.test: 1 of type TXT"
expect_eq "$(jv "$A" 'bl["qtypes"]["SOA"]')" 1 "bl.test: 1 of type SOA"
expect_eq "$(jv "$A" 'bl["listed"]')" 4 "bl.test: 4 listed"
expect_eq "$(jv "$A" 'bl["not_listed"]')" 1 "bl.test: 1 not listed"
expect_eq "$(jv "$A" 'bl["rcodes"]["NOERROR"]')" 5 "bl.test: 5 NOERROR"
expect_eq "$(jv "$A" 'bl["rcodes"]["NXDOMAIN"]')" 1 "bl.test: 1 NXDOMAIN"
expect_eq "$(jv "$A" 'bl["truncated"]')" 0 "bl.test: none truncated"
expect_eq "$(jv "$A" 'lt["queries"]')" 2 "long.test: 2 queries"
expect_eq "$(jv "$A" 'lt["truncated"]')" 1 "long.test: 1 truncated"
expect_eq "$(jv "$A" 'lt["tcp"]["qtypes"]["TXT"]')" 1 \
    "long.test: 1 TXT over TCP"

log "reputectl stats --json: in total"
B=$T/before.json
delta()
{
	echo $(($(jv "$A" "$1") - $(jv "$B" "$1")))
}
expect_eq "$(delta 't["queries"]')" 10 "total: 10 more queries"
expect_eq "$(delta 'u["queries"]')" 2 "outside every zone: 2 more"
expect_eq "$(delta 't["malformed"]')" 1 "total: 1 malformed"
expect_eq "$(delta 't["rcodes"]["REFUSED"]')" 1 "total: 1 more REFUSED"
expect_eq "$(delta 't["truncated"]')" 1 "total: 1 truncated"
expect_eq "$(delta 't["listed"]')" 6 "total: 6 listed"
expect_eq "$(jv "$A" \
    't["queries"] == sum(x["queries"] for x in z.values()) + u["queries"]')" \
    True "total = zones + unmatched"
L=$T/after.json
expect_eq "$(jv "$L" 'd["latency"]["tcp"]["count"]')" 2 "latency: 2 TCP answers"
expect_eq "$(jv "$L" \
    'd["latency"]["udp"]["count"] == d["sockets"]["udp_received"]')" \
    True "latency: one UDP observation per datagram"
expect_eq "$(jv "$L" '(sum(b["count"] for b in d["latency"]["udp"]["buckets"])
    == d["latency"]["udp"]["count"])')" True "latency: the buckets add up"

log "/metrics"
# mz NAME ZONE LABELS: reputed_zone_NAME{zone="ZONE",LABELS}'s value.
mz()
{
	mv_of "reputed_zone_$1{zone=\"$2\"${3:+,$3}}"
}
expect_eq "$(mz queries_total bl.test 'transport="udp",qtype="A"')" 3 \
    "metrics: bl.test UDP A"
expect_eq "$(mz queries_total bl.test 'transport="tcp",qtype="A"')" 1 \
    "metrics: bl.test TCP A"
expect_eq "$(mz responses_total bl.test 'transport="udp",rcode="NXDOMAIN"')" \
    1 "metrics: bl.test NXDOMAIN"
expect_eq "$(mz lookups_total bl.test 'result="listed"')" 4 \
    "metrics: bl.test listed"
expect_eq "$(mz lookups_total bl.test 'result="not_listed"')" 1 \
    "metrics: bl.test not listed"
expect_eq "$(mz truncated_total long.test)" 1 "metrics: long.test truncated"
expect_eq "$(mz queries_total long.test 'transport="tcp",qtype="TXT"')" 1 \
    "metrics: long.test TCP TXT"
expect_eq "$(awk '/^reputed_queries_total\{/ { s += $2 } END { print s }' \
    "$T/metrics.txt")" "$(jv "$A" 't["queries"]')" \
    "metrics: total queries as reputectl's"
expect_eq "$(mv_of reputed_malformed_total)" "$(jv "$A" 't["malformed"]')" \
    "metrics: malformed as reputectl's"
H=reputed_response_seconds
expect_eq "$(mv_of "${H}_bucket{transport=\"udp\",le=\"+Inf\"}")" \
    "$(mv_of "${H}_count{transport=\"udp\"}")" "metrics: +Inf bucket = count"
expect_contains "$(cat "$T/metrics.txt")" "# TYPE $H histogram" \
    "metrics: the latency histogram"
expect_eq "$(grep -v '^#' "$T/metrics.txt" | grep -vc '^reputed_')" 0 \
    "metrics: every series named reputed_*"
run curl -sS -o /dev/null -w '%{http_code} %{content_type}' --max-time 5 \
    "$MURL/metrics"
expect_eq "$OUT" "200 text/plain; version=0.0.4; charset=utf-8" \
    "metrics: 200, Prometheus text"
run curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$MURL/"
expect_eq "$OUT" 404 "metrics: / is 404"
run curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$MURL/stats"
expect_eq "$OUT" 404 "metrics: /stats is 404"
run curl -sS -o /dev/null -w '%{http_code}' --max-time 5 -X POST "$MURL/metrics"
expect_eq "$OUT" 405 "metrics: POST is 405"
run curl -sS -o /dev/null -w '%{http_code}' --max-time 5 --http1.0 \
    "$MURL/metrics"
expect_eq "$OUT" 200 "metrics: HTTP/1.0 works too"

log "reputectl stats: text"
expect_exit 0 ctl stats
expect_match "$OUT" "^ +total +bl\.test +long\.test +\(no zone\)$" \
    "text: a column per zone"
expect_match "$OUT" "^queries +[0-9]+ +6 +2 +[0-9]+$" "text: queries per zone"
expect_match "$OUT" "^truncated +1 +0 +1 +0$" "text: truncated"
expect_contains "$OUT" "p99" "text: latency"

log "reload: zones kept by name, totals never shrink"
sed -i '/^\[zone long.test\]/,$d' "$CONF"
kill -HUP "$REPUTED_PID"
wait_for 5 grep -q "reloaded" "$REPUTED_LOG" || fail "reputed reloads"
snap reloaded
R=$T/reloaded.json
expect_eq "$(jv "$R" 'list(d["zones"])')" "['bl.test']" "reload: long.test gone"
expect_eq "$(jv "$R" 'bl["queries"]')" 6 "reload: bl.test kept its counters"
expect_eq "$(jv "$R" 't["queries"]')" "$(jv "$A" 't["queries"]')" \
    "reload: the total kept long.test's"
expect_eq "$(jv "$R" 't["truncated"]')" 1 \
    "reload: the total kept the truncation"
expect_eq "$(jv "$R" 'd["reloads"]')" 1 "reload: counted"

stop_reputed
expect_eq "$(test -e "$SOCK" && echo yes || echo no)" no \
    "control.sock removed at exit"

log "without metrics ="
sed -i '/^metrics/d' "$CONF"
start_reputed
run curl -sS --max-time 5 "$MURL/metrics"
expect_eq "$RC" 7 "no listener on the metrics port (curl: cannot connect)"
expect_not_contains "$(cat "$REPUTED_LOG")" "metrics on" \
    "no metrics listener logged"
expect_exit 0 ctl stats --json
printf '%s\n' "$OUT" >"$T/fresh.json"
expect_eq "$(jv "$T/fresh.json" 'bl["queries"]')" 0 "a new daemon starts from 0"
stop_reputed
finish
