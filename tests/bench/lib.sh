# lib.sh -- helpers for the bench scripts, sourced (not run).
#
# The sourcing script sets BENCH_NAME (its name in messages) first.
# Processes it starts in the background go in PIDS (track) and are
# stopped by PID only, each within a few seconds (stop, stop_all).
#
#	BENCH_NAME=my_bench
#	. "$(dirname "$0")/lib.sh"
#	need_built "$BUILD/reputed"
#	need_tools dnsperf taskset dig python3
#	workdir my-bench		# W, removed at exit
#	start_reputed "$W/reputed.conf" "$PORT" "$ZONE" "$W/reputed.log"
#	dnsperf_start steady "$PORT" "$W/queries.txt" 10 -Q 50000
#	dnsperf_wait steady		# figures: dnsperf_figures $W/steady.out
#	server ... & track $!
#	stop_all			# also run by the EXIT trap
# shellcheck shell=bash

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck disable=SC2034	# for the scripts: ticks to seconds
BENCH_TCK=$(getconf CLK_TCK)
PIDS=""

die()
{
	echo "$BENCH_NAME: $*" >&2
	exit 1
}

# need_tools TOOL...: exit 2 naming the first one missing (/usr/sbin is
# searched too: rbldnsd lives there).
need_tools()
{
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
		command -v "$t" >/dev/null 2>&1 || {
			echo "$BENCH_NAME: $t is missing" \
			    "(tools/install-deps.sh --bench)" >&2
			exit 2
		}
	done
}

# need_built FILE...: exit 2 naming the first FILE that is not an
# executable (a program of BUILD).
need_built()
{
	local p
	for p in "$@"; do
		[ -x "$p" ] || { echo "$BENCH_NAME: $p is not built" >&2; exit 2; }
	done
}

# share_cpus WHAT: on a machine of fewer than 2 CPUs, say so and put the
# server, the client (dnsperf) and the importer on CPU 0 (SCPU, CCPU,
# ICPU: the CPUs the scripts pin them to with taskset).
share_cpus()
{
	[ "$(nproc)" -lt 2 ] || return 0
	echo "$BENCH_NAME: fewer than 2 CPUs: $1 share CPU 0"
	# shellcheck disable=SC2034	# for the scripts
	SCPU=0 CCPU=0 ICPU=0
}

# workdir KIND: a new temporary folder W, reputed-KIND.XXXXXX under
# BENCH_DIR (default /tmp); exit 2 if it cannot be made. At exit the
# tracked processes are stopped and W removed, or kept with BENCH_KEEP=1.
workdir()
{
	W=$(mktemp -d "${BENCH_DIR:-/tmp}/reputed-$1.XXXXXX") || exit 2
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
}

# shellcheck disable=SC2317	# run by the EXIT trap
bench_cleanup()
{
	stop_all
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "$BENCH_NAME: kept $W"
	else
		rm -rf "$W"
	fi
}

# elapsed T0: seconds since EPOCHREALTIME T0, to 0.01 s.
elapsed()
{
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

# ticks PID: utime + stime of PID so far, in clock ticks.
ticks()
{
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# cpu_s TICKS: TICKS of CPU time in seconds, to 0.01 s.
cpu_s()
{
	awk -v t="$1" -v hz="$BENCH_TCK" 'BEGIN { printf "%.2f", t / hz }'
}

# cpu_us TICKS ANSWERS [DECIMALS]: CPU microseconds per answer, to
# DECIMALS places (default 3); nothing when ANSWERS is 0 or empty.
cpu_us()
{
	awk -v t="$1" -v hz="$BENCH_TCK" -v n="${2:-0}" -v d="${3:-3}" \
	    'BEGIN { if (n > 0) printf "%." d "f", t / hz / n * 1e6 }'
}

# tree_ticks PID: CPU time of PID and its descendants in clock ticks:
# utime + stime of each, plus cutime + cstime (children they reaped, such
# as a finished importer).
tree_ticks()
{
	local p
	for p in $(tree_pids "$1"); do
		cat "/proc/$p/stat" 2>/dev/null
	done | awk '{ sub(/^.*\) /, ""); t += $12 + $13 + $14 + $15 }
	    END { print t + 0 }'
}

# freeport: a port free for both UDP and TCP on 127.0.0.1.
freeport()
{
	python3 "$BENCH_ROOT/tests/bench/dns_bench_data.py" freeport
}

# wait_answers PID PORT ZONE LOG: until 127.0.0.1#PORT answers ZONE's
# SOA (60 s at most); dies showing LOG if server PID exits or never does.
wait_answers()
{
	local _
	for _ in $(seq 1 120); do
		kill -0 "$1" 2>/dev/null ||
		    { cat "$4" >&2; die "server $1 exited"; }
		dig @127.0.0.1 -p "$2" +tries=1 +time=1 +short "$3" SOA \
		    >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	cat "$4" >&2
	die "server $1 does not answer on port $2"
}

# start_reputed CONF PORT ZONE LOG: the script's REPUTED -c CONF on the
# server CPU (SCPU), its output appended to LOG, its PID in RP (tracked); returns
# once it answers ZONE on PORT (wait_answers).
start_reputed()
{
	taskset -c "$SCPU" "$REPUTED" -c "$1" >>"$4" 2>&1 &
	RP=$!
	track "$RP"
	wait_answers "$RP" "$2" "$3" "$4"
}

# tree_pids PID: PID and its descendants, one a line.
tree_pids()
{
	ps -e -o pid=,ppid= | awk -v r="$1" '
	    { up[$1] = $2 }
	    END {
		for (p in up) {
			for (q = p; q in up && q != r && q > 1; q = up[q])
				;
			if (q == r)
				print p
		}
	    }'
}

# tree_mem PID: "RSS ANON FILE PSS" of PID and its descendants, summed,
# in MB. RSS counts a page shared between them (a store's map) in each;
# PSS (proportional set size) splits it between the processes mapping it.
tree_mem()
{
	local p
	for p in $(tree_pids "$1"); do
		cat "/proc/$p/status" "/proc/$p/smaps_rollup" 2>/dev/null
	done | awk '/^VmRSS:/ { r += $2 } /^RssAnon:/ { a += $2 }
	    /^RssFile:/ { f += $2 } /^Pss:/ { s += $2 }
	    END { printf "%.1f %.1f %.1f %.1f\n", r / 1024, a / 1024,
		f / 1024, s / 1024 }'
}

# udp_drops PORT: datagrams the kernel dropped so far on the UDP sockets
# bound to local PORT (their receive buffer was full), from /proc/net/udp.
udp_drops()
{
	awk -v p="$(printf ':%04X' "$1")" \
	    'substr($2, length($2) - 4) == p { d += $NF } END { print d + 0 }' \
	    /proc/net/udp
}

# track PID: stop PID at the end (stop_all).
track()
{
	PIDS="$PIDS $1"
}

# forget PID: drop PID from the list stop_all stops.
forget()
{
	local p keep=""
	for p in $PIDS; do
		[ "$p" = "$1" ] || keep="$keep $p"
	done
	PIDS=$keep
}

# stop PID: SIGTERM, up to 10 s to exit, then SIGKILL; reaped, forgotten.
stop()
{
	local i
	if kill "$1" 2>/dev/null; then
		for ((i = 0; i < 100; i++)); do
			kill -0 "$1" 2>/dev/null || break
			# A reaped child is gone; a zombie still answers
			# kill -0 until wait below.
			[ "$(awk '{ sub(/^.*\) /, ""); print $1 }' \
			    "/proc/$1/stat" 2>/dev/null)" = Z ] && break
			sleep 0.1
		done
		kill -0 "$1" 2>/dev/null && kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
	forget "$1"
}

# stop_tree PID: stop PID, then SIGKILL whatever of its descendants (as
# they were just before) outlived it.
stop_tree()
{
	local p kids
	kids=$(tree_pids "$1" | grep -vx "$1")
	stop "$1"
	for p in $kids; do
		kill -KILL "$p" 2>/dev/null
	done
}

# stop_all: stop every tracked PID and its descendants, last started first.
stop_all()
{
	local p rev=""
	for p in $PIDS; do
		rev="$p $rev"
	done
	for p in $rev; do
		stop_tree "$p"
	done
}

# dnsperf_start KEY PORT QUERIES SECONDS [OPTION...]: dnsperf on the
# client CPU (CCPU) against 127.0.0.1#PORT with the query file QUERIES,
# in the background: its PID in DP (tracked), its output in $W/KEY.out.
dnsperf_start()
{
	local key=$1 port=$2 q=$3 secs=$4
	shift 4
	taskset -c "$CCPU" dnsperf -s 127.0.0.1 -p "$port" -d "$q" \
	    -l "$secs" "$@" >"$W/$key.out" 2>&1 &
	DP=$!
	track "$DP"
}

# dnsperf_wait KEY: wait for dnsperf DP (dnsperf_start KEY ...); dies
# showing $W/KEY.out if it failed.
dnsperf_wait()
{
	wait "$DP" || { cat "$W/$1.out" >&2; die "dnsperf $1 failed"; }
	forget "$DP"
}

# dnsperf_slow OUT: "P999_MS SLOW" from dnsperf -v's "> RCODE NAME TYPE
# SECONDS" lines: the 99.9th percentile of the latency (10 us buckets)
# and how many answers took over 10 ms.
dnsperf_slow()
{
	awk '/^> [A-Z]+ / && NF == 5 {
		b = int($5 * 1e5); if (b > 1e6) b = 1e6
		h[b]++; n++; if ($5 > 0.010) slow++; if (b > top) top = b }
	    END {
		for (b = 0; b <= top; b++) {
			c += h[b]; if (c >= n * 0.999) break
		}
		printf "%.2f %d\n", b / 100, slow }' "$1"
}

# dnsperf_figures OUT: "SENT DONE LOST QPS AVG_MS MAX_MS" from a dnsperf
# output file (dnsperf 2.x "Statistics:" block).
dnsperf_figures()
{
	awk '/Queries sent:/ { s = $3 } /Queries completed:/ { d = $3 }
	    /Queries lost:/ { l = $3 } /Queries per second:/ { q = $4 }
	    /Average Latency/ { a = $4 * 1000; m = $8; sub(/\).*/, "", m)
		m *= 1000 }
	    END { if (s == "") exit 1
		printf "%s %s %s %.0f %.3f %.3f\n", s, d, l, q, a, m }' "$1"
}
