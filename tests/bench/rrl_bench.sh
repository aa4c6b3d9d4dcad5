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

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
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
TCK=$(getconf CLK_TCK)

die()
{
	echo "rrl_bench: $*" >&2
	exit 1
}

for p in "$IMPORT" "$REPUTED"; do
	[ -x "$p" ] || { echo "rrl_bench: $p is not built" >&2; exit 2; }
done
for t in dnsperf taskset dig python3; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "rrl_bench: $t is missing (tools/install-deps.sh --bench)" >&2
		exit 2
	}
done
[ "$(nproc)" -ge 2 ] || SCPU=0

W=$(mktemp -d "${BENCH_DIR:-/tmp}/reputed-rrlbench.XXXXXX") || exit 2
RP=""
DP=""
cleanup()
{
	[ -n "$DP" ] && kill "$DP" 2>/dev/null
	[ -n "$RP" ] && kill "$RP" 2>/dev/null && wait "$RP" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
echo "rrl_bench: load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"

python3 "$DATA" gen "$W" "$N" 1 5 200000 "$ZONE" >/dev/null ||
    die "data generation failed"
PORT=$(python3 "$DATA" freeport) || die "no free port"

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

ticks()
{
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# run LABEL SETTINGS...: reputed with SETTINGS, a 2 s warm-up, then SECS
# of dnsperf; prints and records qps and CPU per query.
run()
{
	local label=$1 t0 t1 out=$W/$1.out
	shift
	conf "$@"
	taskset -c "$SCPU" "$REPUTED" -c "$W/reputed.conf" >"$W/reputed.log" 2>&1 &
	RP=$!
	for _ in $(seq 1 50); do
		dig @127.0.0.1 -p "$PORT" +tries=1 +time=1 +short "$ZONE" SOA \
		    >/dev/null 2>&1 && break
		sleep 0.2
	done
	taskset -c "$CCPU" dnsperf -s 127.0.0.1 -p "$PORT" -d "$W/queries.txt" \
	    -Q "$QPS" -l 2 >/dev/null 2>&1
	t0=$(ticks "$RP")
	taskset -c "$CCPU" dnsperf -s 127.0.0.1 -p "$PORT" -d "$W/queries.txt" \
	    -Q "$QPS" -l "$SECS" -S 1 >"$out" 2>&1
	t1=$(ticks "$RP")
	kill "$RP"
	wait "$RP"
	RP=""
	awk -v t=$((t1 - t0)) -v hz="$TCK" -v label="$label" '
	    /Queries completed:/ { done = $3 }
	    /Queries lost:/ { lost = $3 }
	    /Queries per second:/ { qps = $4 }
	    /Average Latency/ { lat = $4 * 1000 }
	    END { printf "  %-9s %8d answered, %6d lost, %7.0f qps, %6.3f us CPU/query, latency avg %.3f ms\n",
		label, done, lost, qps, t / hz / done * 1e6, lat }' "$out" |
	    tee -a "$W/figures"
	grep -q 'NOERROR' "$out" || { cat "$out" >&2; die "dnsperf got no answers"; }
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
