#!/bin/bash
# rrl_bench.sh -- the cost of response rate limiting: reputed's CPU time
# per query and achieved rate at a fixed dnsperf rate, with rate limiting
# off (rate-limit = 0), on with the client exempt (the default: 127.0.0.1
# is in rate-limit-exempt), and on and counted (rate-limit-exempt empty,
# a rate-limit so large that nothing is dropped: the bookkeeping alone).
# A benchmark, not a test: it prints figures and fails only when a step
# does not work.
#
# Data and queries come from dns_bench_data.py (BENCH_RRL_ENTRIES entries,
# default 200000; 200000 queries, half listed, A and TXT: most answers
# differ, so the limiter's table turns over all the time, its worst
# case). The server is pinned to CPU 1, dnsperf to CPU 0. Each setting
# runs BENCH_RRL_ROUNDS times (default 2), interleaved, for
# BENCH_RRL_SECONDS (default 10) at BENCH_RRL_QPS (default 50000).
set -u
umask 022

BENCH_NAME=rrl_bench
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
ROOT=$BENCH_ROOT
BUILD=${BUILD:-$ROOT/build}
IMPORT=$BUILD/reputed-import
REPUTED=$BUILD/reputed
DATA=$ROOT/tests/bench/dns_bench_data.py
N=${BENCH_RRL_ENTRIES:-200000}
SECS=${BENCH_RRL_SECONDS:-10}
QPS=${BENCH_RRL_QPS:-50000}
ROUNDS=${BENCH_RRL_ROUNDS:-2}
SCPU=1
CCPU=0
ZONE=bl.bench.test

need_built "$IMPORT" "$REPUTED"
need_tools dnsperf taskset dig python3
[ "$(nproc)" -ge 2 ] || SCPU=0

workdir rrlbench
echo "rrl_bench: load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"

python3 "$DATA" gen "$W" "$N" 1 5 200000 "$ZONE" >/dev/null ||
    die "data generation failed"
PORT=$(freeport) || die "no free port"

# conf SETTINGS...: the configuration, with extra [server] lines.
conf()
{
	{
		echo "[server]"
		echo "listen   = 127.0.0.1:$PORT"
		echo "database = $W/reputed.db"
		printf '%s\n' "$@"
		cat <<EOF
[source bench]
url      = file://$W/list.txt
txt      = Listed by \$source, see https://$ZONE/lookup?ip=\$ip

[zone $ZONE]
sources  = bench
EOF
	} >"$W/reputed.conf"
}
conf
"$IMPORT" -c "$W/reputed.conf" --force >/dev/null 2>"$W/import.err" ||
    { cat "$W/import.err" >&2; die "import failed"; }

# run LABEL SETTINGS...: reputed with SETTINGS, a 2 s warm-up, then SECS
# of dnsperf; prints and records qps and CPU per query.
run()
{
	local label=$1 t0 t1 out=$W/$1.out answered lost qps avg cpu
	shift
	conf "$@"
	: >"$W/reputed.log"
	start_reputed "$W/reputed.conf" "$PORT" "$ZONE" "$W/reputed.log"
	dnsperf_start "$label.warmup" "$PORT" "$W/queries.txt" 2 -Q "$QPS"
	dnsperf_wait "$label.warmup"
	t0=$(ticks "$RP")
	dnsperf_start "$label" "$PORT" "$W/queries.txt" "$SECS" -Q "$QPS" -S 1
	dnsperf_wait "$label"
	t1=$(ticks "$RP")
	stop "$RP"
	grep -q 'NOERROR' "$out" || { cat "$out" >&2; die "dnsperf got no answers"; }
	read -r _ answered lost qps avg _ < <(dnsperf_figures "$out")
	cpu=$(cpu_us $((t1 - t0)) "$answered")
	printf '  %-9s %8d answered, %6d lost, %7.0f qps, %6.3f us CPU/query, latency avg %.3f ms\n' \
	    "$label" "$answered" "$lost" "$qps" "$cpu" "$avg" |
	    tee -a "$W/figures"
}

echo "== $ROUNDS rounds of $SECS s at $QPS qps, $N entries"
for ((r = 1; r <= ROUNDS; r++)); do
	run off "rate-limit = 0"
	run exempt "rate-limit = 20"
	run counted "rate-limit = 1000000" "rate-limit-exempt ="
done
echo "== means"
awk '{ n[$1]++; q[$1] += $6; c[$1] += $8 }
    END {
	for (k in n) { q[k] /= n[k]; c[k] /= n[k] }
	for (k in n)
		printf "  %-9s %7.0f qps, %6.3f us CPU/query, CPU %+.1f%%, qps x%.3f vs off\n",
		    k, q[k], c[k], (c[k] / c["off"] - 1) * 100, q[k] / q["off"]
    }' "$W/figures" | sort
