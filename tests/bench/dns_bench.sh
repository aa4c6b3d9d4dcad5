#!/bin/bash
# dns_bench.sh -- `make bench`, DNS part: reputed against Debian's rbldnsd.
# A benchmark, not a test: it prints figures and whether the bars of the
# daemon's issue are met, and fails only when a step does not work.
#
# One generated data set of BENCH_DNS_ENTRIES entries (default 1M: 96%
# IPv4 /32, 2% IPv4 /24-/16, 2% IPv6 /128-/48, see dns_bench_data.py) is
# imported into a temporary reputed store and written as rbldnsd ip4trie
# and ip6trie files for zone bl.bench.test. Both servers get the same
# query file (half listed, half not, A and TXT), one after the other, the
# server pinned to CPU 1 and dnsperf to CPU 0 (taskset). For each server,
# at a fixed rate (dnsperf -Q, default 50,000 qps):
#   steady      BENCH_DNS_SECONDS (default 20) of queries
#   re-import   the same while the data is replaced by a copy with 5% of
#               the entries changed: reputed-import --force into reputed's
#               live store (the importer on the client's CPU, as another
#               core of a server would run it), or rbldnsd's files swapped
#               with mv and a SIGHUP (rbldnsd reloads in its own process)
# and reports the server's CPU time per answered query (utime + stime
# from /proc/PID/stat), dnsperf's average, 99.9th percentile and maximum
# latency (from its -v lines), lost queries and achieved rate. dnsperf keeps at most 100 queries in flight
# (its default), so a server that stalls shows it as latency and a rate
# dip rather than as loss; its timeout is 5 s.
#
# Environment: BUILD (default build/), BENCH_DIR (temporary folder's
# parent, default /tmp; about 200 MB), BENCH_DNS_ENTRIES, BENCH_DNS_SECONDS,
# BENCH_DNS_QPS, BENCH_DNS_QUERIES (query file lines, default 200000),
# BENCH_DNS_INFLIGHT (dnsperf -q, default 100),
# BENCH_SERVER_CPU (1), BENCH_CLIENT_CPU (0), BENCH_IMPORT_CPU (the
# client's; 1 shares the server's core), BENCH_IMPORT_NICE (0),
# BENCH_RBLDNSD_OPTS (extra rbldnsd options, e.g. -f), BENCH_RBLDNSD_V4
# (ip4trie, or ip4set: a little more CPU per query here, faster reloads),
# BENCH_KEEP=1 (keep the temporary folder: logs, dnsperf outputs).
set -u
umask 022

BENCH_NAME=dns_bench
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
ROOT=$BENCH_ROOT
BUILD=${BUILD:-$ROOT/build}
IMPORT=$BUILD/reputed-import
REPUTED=$BUILD/reputed
DATA=$ROOT/tests/bench/dns_bench_data.py
N=${BENCH_DNS_ENTRIES:-1000000}
SECS=${BENCH_DNS_SECONDS:-20}
QPS=${BENCH_DNS_QPS:-50000}
NQ=${BENCH_DNS_QUERIES:-200000}
INFLIGHT=${BENCH_DNS_INFLIGHT:-100}
SCPU=${BENCH_SERVER_CPU:-1}
CCPU=${BENCH_CLIENT_CPU:-0}
ICPU=${BENCH_IMPORT_CPU:-$CCPU}
INICE=${BENCH_IMPORT_NICE:-0}
PCT=5
ZONE=bl.bench.test

need_built "$IMPORT" "$REPUTED"
need_tools dnsperf rbldnsd taskset dig python3
case $SECS in
'' | *[!0-9]* | 0) die "BENCH_DNS_SECONDS must be a positive integer" ;;
esac
share_cpus "server and dnsperf"

workdir dnsbench
chmod 755 "$W"		# rbldnsd reads its files as user nobody
echo "dns_bench: working in $W"
# Anything else running skews the figures: say how busy the machine is.
echo "dns_bench: load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"

# Figures: FIG[server.phase.what], printed as a table at the end.
declare -A FIG

# dnsperf_run LABEL SECONDS: dnsperf on the client CPU, in the background
# (its PID in DP), output in $W/LABEL.out.
dnsperf_run()
{
	dnsperf_start "$1" "$PORT" "$W/queries.txt" "$2" -Q "$QPS" \
	    -q "$INFLIGHT" -S 1 -v
}

# measure KEY PID: wait for dnsperf $DP, then file its figures under KEY,
# the CPU time PID used since T0 (ticks) divided by answered queries.
measure()
{
	local key=$1 pid=$2 out=$W/$1.out t1
	dnsperf_wait "$key"
	t1=$(ticks "$pid")
	read -r _ "FIG[$key.done]" "FIG[$key.lost]" "FIG[$key.qps]" \
	    "FIG[$key.avg]" "FIG[$key.max]" < <(dnsperf_figures "$out")
	# -v gave one "> RCODE NAME TYPE SECONDS" line per answer: the 99.9th
	# percentile (10 us buckets) and the answers slower than 10 ms.
	read -r "FIG[$key.p999]" "FIG[$key.slow]" < <(dnsperf_slow "$out")
	FIG[$key.cpu]=$(cpu_us $((t1 - T0)) "${FIG[$key.done]:-}")
	FIG[$key.cpus]=$(cpu_s $((t1 - T0)))
	[ -n "${FIG[$key.done]:-}" ] ||
	    { cat "$out" >&2; die "no dnsperf figures"; }
	printf '  %-10s %8s answered, %5s lost, %6s qps, CPU %6.2f s = %s us/query,' \
	    "${key#*.}" "${FIG[$key.done]}" "${FIG[$key.lost]}" \
	    "${FIG[$key.qps]}" "${FIG[$key.cpus]}" "${FIG[$key.cpu]}"
	printf ' latency avg %s ms, 99.9%% %s ms, max %s ms, %s over 10 ms\n' \
	    "${FIG[$key.avg]}" "${FIG[$key.p999]}" "${FIG[$key.max]}" \
	    "${FIG[$key.slow]}"
	grep 'Response codes:' "$out" | sed 's/^ */             /'
}

# steady NAME PID: warm-up, then the steady-rate measurement.
steady()
{
	dnsperf_run "$1.warmup" 2
	dnsperf_wait "$1.warmup"
	T0=$(ticks "$2")
	dnsperf_run "$1.steady" "$SECS"
	measure "$1.steady" "$2"
}

echo "== generating $N entries ($PCT% changed copy) and $NQ queries"
t0=$EPOCHREALTIME
python3 "$DATA" gen "$W" "$N" 1 "$PCT" "$NQ" "$ZONE" | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] || die "data generation failed"
echo "  $(elapsed "$t0") s"

PORT=$(freeport) || die "no free port"
RPORT=$(freeport) || die "no free port"
[ "$PORT" != "$RPORT" ] || RPORT=$(freeport)
cat >"$W/reputed.conf" <<EOF
[server]
listen   = 127.0.0.1:$PORT
database = $W/reputed.db

[source bench]
url      = file://$W/list.txt
code     = 127.0.0.2
txt      = Listed by \$source, see https://$ZONE/lookup?ip=\$ip

[zone $ZONE]
sources  = bench
ttl      = 300
EOF

echo "== reputed-import of $N entries (cold)"
t0=$EPOCHREALTIME
"$IMPORT" -c "$W/reputed.conf" --force 2>"$W/import.err" | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] || { cat "$W/import.err" >&2; die "import failed"; }
FIG[import.cold]=$(elapsed "$t0")
echo "  wall: ${FIG[import.cold]} s"
# The re-import phase lasts long enough to hold the whole re-import.
RSECS=$(awk -v s="$SECS" -v i="${FIG[import.cold]}" \
    'BEGIN { r = int(i * 1.5 + 5); print (r > s) ? r : s }')


RBL_USER=""
[ "$(id -u)" -eq 0 ] && RBL_USER="-u nobody"
# shellcheck disable=SC2086
taskset -c "$SCPU" rbldnsd -n $RBL_USER -a -b "127.0.0.1/$RPORT" -w "$W" \
    ${BENCH_RBLDNSD_OPTS:-} "$ZONE:${BENCH_RBLDNSD_V4:-ip4trie}:rbl-v4.txt" \
    "$ZONE:ip6trie:rbl-v6.txt" >"$W/rbldnsd.log" 2>&1 &
BP=$!
track "$BP"
wait_answers "$BP" "$RPORT" "$ZONE" "$W/rbldnsd.log"
echo "== rbldnsd $RBL_USER -a ${BENCH_RBLDNSD_OPTS:-}(${BENCH_RBLDNSD_V4:-ip4trie} + ip6trie, port $RPORT)"
FIG[rbldnsd.load]=$(grep 'zones reloaded' "$W/rbldnsd.log" | head -n 1 |
    sed -n 's/.*time \([0-9.]*\)e.*/\1/p')
echo "  loaded in ${FIG[rbldnsd.load]} s"
start_reputed "$W/reputed.conf" "$PORT" "$ZONE" "$W/reputed.log"
echo "== reputed (port $PORT) answers"

echo "== the same answers from both (2000 queries, rcode and records)"
python3 "$DATA" compare "$PORT" "$RPORT" "$W/queries.txt" 2000 |
    sed 's/^/  /'
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
	tail -n 5 "$W/reputed.log" >&2
	die "reputed and rbldnsd answer differently"
fi
stop "$RP"

echo "== rbldnsd: $QPS qps, server on CPU $SCPU, dnsperf on CPU $CCPU"
PORT_SAVE=$PORT
PORT=$RPORT
steady rbldnsd "$BP"
FIG[rbldnsd.rss]=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$BP/status")
reloads=$(grep -c 'zones reloaded' "$W/rbldnsd.log")
T0=$(ticks "$BP")
dnsperf_run rbldnsd.reimport "$RSECS"
sleep 2
if ! { cp "$W/rbl-v4-changed.txt" "$W/v4.tmp" &&
    cp "$W/rbl-v6-changed.txt" "$W/v6.tmp" &&
    mv "$W/v4.tmp" "$W/rbl-v4.txt" && mv "$W/v6.tmp" "$W/rbl-v6.txt"; }; then
	die "cannot replace rbldnsd's files"
fi
kill -HUP "$BP"
measure rbldnsd.reimport "$BP"
if [ "$(grep -c 'zones reloaded' "$W/rbldnsd.log")" -gt "$reloads" ]; then
	FIG[rbldnsd.reload]=$(grep 'zones reloaded' "$W/rbldnsd.log" |
	    tail -n 1 | sed -n 's/.*time \([0-9.]*\)e.*/\1/p')
	echo "  reload: $(grep 'zones reloaded' "$W/rbldnsd.log" | tail -n 1)"
else
	die "rbldnsd did not reload its data"
fi
stop "$BP"

echo "== reputed: $QPS qps, server on CPU $SCPU, dnsperf on CPU $CCPU"
PORT=$PORT_SAVE
start_reputed "$W/reputed.conf" "$PORT" "$ZONE" "$W/reputed.log"
steady reputed "$RP"
FIG[reputed.rss]=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$RP/status")
T0=$(ticks "$RP")
dnsperf_run reputed.reimport "$RSECS"
sleep 2
t0=$EPOCHREALTIME
# The subshell's `times` gives the importer's CPU time (children line).
(taskset -c "$ICPU" nice -n "$INICE" "$IMPORT" -c "$W/reputed.conf" --force \
    --file "$W/list-changed.txt" --source bench; rc=$?; times; exit $rc) \
    >"$W/reimport.out" 2>"$W/reimport.err" || {
	cat "$W/reimport.out" "$W/reimport.err" >&2
	die "re-import failed"
}
FIG[import.re]=$(elapsed "$t0")
kill -0 "$DP" 2>/dev/null ||
    echo "  note: the re-import outlasted dnsperf's $RSECS s"
measure reputed.reimport "$RP"
FIG[import.cpu]=$(tail -n 1 "$W/reimport.out" | awk '{
	s = 0
	for (i = 1; i <= 2; i++) {
		split($i, p, "m"); sub(/s$/, "", p[2]); s += p[1] * 60 + p[2]
	}
	printf "%.2f", s }')
echo "  re-import on CPU $ICPU (nice $INICE): $(head -n 1 "$W/reimport.out"), ${FIG[import.re]} s wall, ${FIG[import.cpu]} s CPU"
stop "$RP"

# row LABEL KEY UNIT: reputed, rbldnsd and their ratio.
row()
{
	local a=${FIG[reputed.$2]:-} b=${FIG[rbldnsd.$2]:-}
	local r
	r=$(awk -v a="$a" -v b="$b" \
	    'BEGIN { if (a != "" && b + 0 > 0) printf "%.2f", a / b; else print "-" }')
	printf '  %-34s %12s %12s %8s\n' "$1${3:+ ($3)}" "$a" "$b" "$r"
}

# bar WHAT VALUE OP LIMIT: one line of the bars table.
bar()
{
	local ok
	if [ -z "$2" ]; then
		ok="no figure"
	elif awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN {
	    exit !((op == "<") ? v < l : (op == "<=") ? v <= l : v == l) }'; then
		ok="met"
	else
		ok="NOT MET"
	fi
	printf '  %-44s %10s %2s %-10s %s\n' "$1" "$2" "$3" "$4" "$ok"
}

echo
echo "dns_bench: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "== summary: $N entries, $QPS qps, server on CPU $SCPU, dnsperf on CPU $CCPU"
printf '  %-34s %12s %12s %8s\n' "" reputed rbldnsd ratio
for ph in steady reimport; do
	[ $ph = steady ] && echo "  steady, ${SECS} s" ||
	    echo "  during the re-import ($PCT% changed), ${RSECS} s"
	row "    CPU per query" $ph.cpu "us"
	row "    latency, average" $ph.avg "ms"
	row "    latency, 99.9th percentile" $ph.p999 "ms"
	row "    latency, maximum" $ph.max "ms"
	row "    answers slower than 10 ms" $ph.slow ""
	row "    lost queries" $ph.lost ""
	row "    answered per second" $ph.qps ""
done
echo "  data"
printf '  %-34s %12s %12s\n' "    RSS, steady (MB)" "${FIG[reputed.rss]}" \
    "${FIG[rbldnsd.rss]}"
printf '  %-34s %12s %12s\n' "    re-import / reload (s)" "${FIG[import.re]}" \
    "${FIG[rbldnsd.reload]}"
printf '  %-34s %12s %12s\n' "    cold import / load (s)" "${FIG[import.cold]}" \
    "${FIG[rbldnsd.load]}"
echo "  (reputed's re-import runs in reputed-import, ${FIG[import.cpu]} s CPU"
echo "   outside the server; rbldnsd reloads inside the server process)"
echo
echo "== bars"
bar "CPU per query, reputed <= rbldnsd (us)" "${FIG[reputed.steady.cpu]}" "<=" \
    "${FIG[rbldnsd.steady.cpu]}"
bar "lost queries, steady" "${FIG[reputed.steady.lost]}" "==" 0
bar "lost queries, during the re-import" "${FIG[reputed.reimport.lost]}" "==" 0
bar "max latency during the re-import (ms)" "${FIG[reputed.reimport.max]}" \
    "<" 10
exit 0
