#!/bin/bash
# rbldnsd_bench.sh -- `make bench`, rbldnsd part: Debian's rbldnsd against
# `reputed --rbldnsd` on the same command line and the same ip4set file.
# A benchmark, not a test: it prints the figures side by side, and fails
# only when a step does not work (never on a timing).
#
# Data: a generated ip4set file of BENCH_RBL_ENTRIES lines (default 1M;
# 97% single addresses, 1.5% CIDRs /24, /20 and /16, 1% ranges, 0.2%
# exclusions inside listed /24s, 0.3% with their own A and TXT), with
# $SOA, $NS and a `:127.0.0.2:Listed ... $` default line; a copy with 1%
# of its lines changed (every 100th line a new address); 200,000 queries
# (half listed, half not, A and TXT). Each server gets its own copy of
# the file in its own -w directory and runs as
#
#   SERVER -n [-u nobody] -a -c 1s -b 127.0.0.1/PORT -w DIR \
#       rbl.bench.test:ip4set:bl.zone
#
# (`-u nobody` when run as root; BENCH_RBL_OPTS adds options to both),
# pinned to CPU 1 with everything it starts (reputed: its supervisor,
# importer and server: the same CPU budget as rbldnsd, which reloads in
# its own process), dnsperf on CPU 0 (taskset). BENCH_IMPORT_CPU=0 moves
# reputed's supervisor, and so its reloads, to dnsperf's CPU once it
# answers, as another core of a server would run them. Measured, one
# server after the other (the other one idle):
#   load      from the start until a listed name answers; the peak RSS
#             while loading (sampled every ~50 ms; rbldnsd: its VmHWM)
#             and the RSS once answering: rbldnsd's process, reputed's
#             supervisor and server summed (the file-backed part is the
#             store's map); the size of reputed's store on disk
#   max qps   dnsperf unthrottled for BENCH_RBL_MAX_SECONDS (default 5)
#             with BENCH_RBL_MAX_INFLIGHT (default 100: more overflows
#             rbldnsd's socket at once, and each query lost shrinks
#             dnsperf's window until it times out) queries in flight,
#             BENCH_RBL_ROUNDS (2) rounds taking turns, the best round
#             of each; the server's CPU time per answer
#   steady    BENCH_RBL_QPS (default 20,000 qps) with BENCH_RBL_INFLIGHT
#             (default 1,000) queries in flight at most, for at least
#             BENCH_RBL_SECONDS (10; longer if a load took over 2.5 s):
#             lost queries (and how many of them the server's socket
#             dropped, from /proc/net/udp: the rest were dropped on
#             dnsperf's side), latency (average, 99.9th percentile,
#             maximum, answers over 10 ms), the CPU time of the server's
#             processes
#   reload    the same, with the other version of the file (1% of the
#             lines differ) touched and renamed over bl.zone 2 s in: the
#             same figures, and how long until a name only that version
#             lists is answered (-c 1s: up to a second of that is the
#             check interval), and the peak memory until then: PSS
#             summed over reputed's processes (its server and importer
#             share the store's map), sampled; rbldnsd's VmHWM
# Steady and reload runs take turns for BENCH_RBL_ROUNDS rounds, and the
# round with the fewest lost queries, then the lowest maximum latency,
# counts for each (other load on the machine only makes them worse).
# Both servers must give the same answers to 2,000 of the queries before
# and after the reload (dns_bench_data.py compare). With 1,000 queries in
# flight, a server that stops reading its socket for more than 10-15 ms
# (a few hundred queries fill the default socket buffer) loses queries.
#
# Environment: BUILD (default build/), BENCH_DIR (the temporary folder's
# parent, default /tmp; about 300 MB), the BENCH_RBL_* above,
# BENCH_SERVER_CPU (1), BENCH_CLIENT_CPU (0), BENCH_IMPORT_CPU (the
# server's), BENCH_KEEP=1 (keep the temporary folder: logs, dnsperf
# outputs).
set -u
umask 022

BENCH_NAME=rbldnsd_bench
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
ROOT=$BENCH_ROOT
BUILD=${BUILD:-$ROOT/build}
REPUTED=$BUILD/reputed
N=${BENCH_RBL_ENTRIES:-1000000}
QPS=${BENCH_RBL_QPS:-20000}
INFLIGHT=${BENCH_RBL_INFLIGHT:-1000}
MINSECS=${BENCH_RBL_SECONDS:-10}
MAXSECS=${BENCH_RBL_MAX_SECONDS:-5}
MAXINFLIGHT=${BENCH_RBL_MAX_INFLIGHT:-100}
ROUNDS=${BENCH_RBL_ROUNDS:-2}
NQ=200000
SCPU=${BENCH_SERVER_CPU:-1}
CCPU=${BENCH_CLIENT_CPU:-0}
ICPU=${BENCH_IMPORT_CPU:-$SCPU}
ZONE=rbl.bench.test
SERVERS="rbldnsd reputed"

need_built "$REPUTED" "$BUILD/reputed-import"
need_tools rbldnsd dnsperf taskset dig python3 ps
for v in "$N" "$QPS" "$INFLIGHT" "$MINSECS" "$MAXSECS" "$MAXINFLIGHT" \
    "$ROUNDS"; do
	case $v in
	'' | *[!0-9]* | 0) die "BENCH_RBL_*: positive integers" ;;
	esac
done
share_cpus "servers and dnsperf"

workdir rbldnsdbench
chmod 755 "$W"		# the servers read their files as user nobody
echo "$BENCH_NAME: working in $W"
echo "$BENCH_NAME: load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
# Lost queries depend on how many a server's socket holds: rbldnsd keeps
# the default buffer, reputed asks for 4 MB (granted up to rmem_max).
echo "$BENCH_NAME: net.core.rmem_default $(cat /proc/sys/net/core/rmem_default)," \
    "rmem_max $(cat /proc/sys/net/core/rmem_max)"

# Figures: FIG[server.what], printed as a table at the end.
declare -A FIG PID PORT

echo "== generating $N ip4set lines, a copy with 1% changed, $NQ queries"
t0=$EPOCHREALTIME
python3 - "$W" "$N" 1 "$NQ" "$ZONE" <<'PY' | sed 's/^/  /'
import random
import sys

d, n, seed, nq, zone = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
    int(sys.argv[4]), sys.argv[5]
rng = random.Random(seed)


def v4():
    """A random unicast IPv4 address outside 0/8, 127/8 and 224/3."""
    while True:
        a = rng.getrandbits(32)
        if 1 <= a >> 24 <= 223 and a >> 24 != 127:
            return a


def s(a):
    return "%d.%d.%d.%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255,
                            a & 255)


def rev(a):
    return "%d.%d.%d.%d.%s" % (a & 255, (a >> 8) & 255, (a >> 16) & 255,
                               a >> 24, zone)


# The cells of rbldnsd's ip4set levels (/32, /24, /16) already taken: no
# cell gets two entries, where reputed answers one A and rbldnsd each
# (docs/rbldnsd.md, multi-value).
c32, c24, c16 = set(), set(), set()
lines, listed, excluded, blocks24 = [], [], [], []


def single():
    while True:
        a = v4()
        if a not in c32:
            c32.add(a)
            return a


nb, nr, nx, nv = n * 15 // 1000, n // 100, n * 2 // 1000, n * 3 // 1000
for i in range(nb):
    k = rng.random()
    bits = 24 if k < 0.8 else (20 if k < 0.95 else 16)
    while True:
        a = v4() & (0xffffffff << (32 - bits)) & 0xffffffff
        if bits == 16:
            if a >> 16 not in c16:
                c16.add(a >> 16)
                break
            continue
        cells = range(a >> 8, (a >> 8) + (1 << (24 - bits)))
        if not any(c in c24 for c in cells):
            c24.update(cells)
            break
    if bits == 24:
        blocks24.append(a)
    lines.append("%s/%d" % (s(a), bits))
    listed.append(a | rng.getrandbits(32 - bits))
for i in range(nr):
    if i % 2:
        # a.b.c.d-e: up to 32 addresses, /32 cells
        while True:
            a = v4()
            lo = a & 255
            hi = min(255, lo + 1 + rng.randrange(31))
            cells = range(a, a - lo + hi + 1)
            if not any(c in c32 for c in cells):
                c32.update(cells)
                break
        lines.append("%s-%d" % (s(a), hi))
        listed.append(a + rng.randrange(hi - lo + 1))
    else:
        # a.b.c.0-a.b.d.255: 2 to 8 /24 cells
        while True:
            a = v4() & 0xffffff00
            cells = range(a >> 8, (a >> 8) + 2 + rng.randrange(7))
            if cells[-1] >> 8 == a >> 16 and \
                    not any(c in c24 for c in cells):
                c24.update(cells)
                break
        lines.append("%s-%s" % (s(a), s((cells[-1] << 8) | 255)))
        listed.append(a + rng.getrandbits(8))
for i in range(nx):
    while True:
        a = rng.choice(blocks24) | rng.getrandbits(8)
        if a not in c32:
            c32.add(a)
            break
    lines.append("!" + s(a))
    excluded.append(a)
for i in range(nv):
    a = single()
    lines.append("%s :127.0.0.3:Listed by hand, see https://%s/$"
                 % (s(a), zone))
    listed.append(a)
ns = n - len(lines)
for i in range(ns):
    a = single()
    lines.append(s(a))
    if i % 16 == 0:
        listed.append(a)
rng.shuffle(lines)
# A single address the changed copy keeps (it changes every 100th line).
kept = next(int.from_bytes(bytes(map(int, lines[i].split("."))), "big")
            for i in range(1, n) if i % 100 and lines[i][0].isdigit() and
            not any(c in lines[i] for c in "-/ "))

head = ("$SOA 1h ns.%s. hostmaster.%s. 1 1h 15m 1w 5m\n$NS 1h ns.%s.\n"
        ":127.0.0.2:Listed, see https://%s/lookup?ip=$\n") % ((zone,) * 4)
with open(d + "/a.zone", "w") as f:
    f.write("# rbldnsd_bench: %d lines, seed %d\n%s" % (n, seed, head))
    f.write("\n".join(lines) + "\n")


def covered(a):
    return a >> 8 in c24 or a >> 16 in c16


new, gone = [], []
for i in range(0, n, 100):
    a = single()
    if lines[i][0].isdigit() and not any(c in lines[i] for c in "-/ "):
        g = int.from_bytes(bytes(map(int, lines[i].split("."))), "big")
        if not covered(g):
            gone.append(g)
    lines[i] = s(a)
    if not covered(a):
        new.append(a)
with open(d + "/b.zone", "w") as f:
    f.write("# rbldnsd_bench: %d lines, seed %d, 1%% changed\n%s"
            % (n, seed, head))
    f.write("\n".join(lines) + "\n")

q = []
for i in range(nq):
    t = "A" if rng.random() < 0.5 else "TXT"
    k = rng.random()
    if k < 0.5:
        a = rng.choice(listed)
    elif k < 0.525:
        a = rng.choice(excluded)
    else:
        a = v4()
    q.append("%s %s\n" % (rev(a), t))
with open(d + "/queries.txt", "w") as f:
    f.writelines(q)
with open(d + "/probes", "w") as f:
    # Listed in both files; in the changed one only; in the first only.
    f.write("%s %s %s\n" % (rev(kept), rev(new[0]), rev(gone[0])))
print("%d lines: %d CIDRs, %d ranges, %d exclusions, %d with their own "
      "value, %d single addresses; %d lines changed in the copy; "
      "%d queries" % (n, nb, nr, nx, nv, ns, (n + 99) // 100, nq))
PY
[ "${PIPESTATUS[0]}" -eq 0 ] || die "data generation failed"
read -r LISTED NEW_B NEW_A <"$W/probes" || die "no probe names"
FIG[file.mb]=$(du -m --apparent-size "$W/a.zone" | cut -f1)
echo "  $(elapsed "$t0") s; the file: ${FIG[file.mb]} MB"

mkdir -m 1777 "$W/tmp"	# TMPDIR: reputed's store, made as user nobody
USEROPT=""
[ "$(id -u)" -eq 0 ] && USEROPT="-u nobody"
for s in $SERVERS; do
	mkdir -m 755 "$W/$s"
	cp "$W/a.zone" "$W/$s/bl.zone" || die "cannot copy the data"
	PORT[$s]=$(freeport) || die "no free port"
done
[ "${PORT[rbldnsd]}" != "${PORT[reputed]}" ] || PORT[reputed]=$(freeport)

# listed PORT NAME: NAME answers an A record in 127/8.
listed()
{
	taskset -c "$CCPU" dig @127.0.0.1 -p "$1" +tries=1 +time=1 +short \
	    "$2" A 2>/dev/null | grep -qx '127\.[0-9.]*'
}

# mem_fig KEY PID: RSS, anonymous and file-backed MB of PID's tree.
mem_fig()
{
	read -r "FIG[$1.rss]" "FIG[$1.anon]" "FIG[$1.file]" _ < <(tree_mem "$2")
}

# start NAME: the server NAME on the server CPU; waits until a listed
# name answers (5 minutes at most), sampling its memory meanwhile.
start()
{
	local s=$1 t0 pid peak=0 anon=0 m cmd end=$((SECONDS + 300))
	case $s in
	rbldnsd) cmd=(rbldnsd) ;;
	reputed) cmd=("$REPUTED" --rbldnsd) ;;
	esac
	t0=$EPOCHREALTIME
	# shellcheck disable=SC2086	# USEROPT and BENCH_RBL_OPTS: words
	TMPDIR=$W/tmp taskset -c "$SCPU" "${cmd[@]}" -n $USEROPT -a -c 1s \
	    -b "127.0.0.1/${PORT[$s]}" -w "$W/$s" ${BENCH_RBL_OPTS:-} \
	    "$ZONE:ip4set:bl.zone" >"$W/$s.log" 2>&1 &
	pid=$!
	track "$pid"
	PID[$s]=$pid
	while [ "$SECONDS" -lt "$end" ]; do
		kill -0 "$pid" 2>/dev/null ||
		    { cat "$W/$s.log" >&2; die "$s exited"; }
		listed "${PORT[$s]}" "$LISTED" && break
		m=$(tree_mem "$pid")
		read -r peak anon < <(awk -v p="$peak" -v a="$anon" -v m="$m" \
		    'BEGIN { split(m, x, " ")
			print (x[1] > p) ? x[1] : p, (x[2] > a) ? x[2] : a }')
		sleep 0.05
	done
	FIG[$s.load]=$(elapsed "$t0")
	[ "$SECONDS" -lt "$end" ] ||
	    { cat "$W/$s.log" >&2; die "$s does not answer"; }
	# The server stays where it is; the importers the supervisor starts
	# from now on run where it does.
	if [ "$s" = reputed ] && [ "$ICPU" != "$SCPU" ]; then
		taskset -p -c "$ICPU" "$pid" >/dev/null ||
		    die "taskset -p -c $ICPU $pid failed"
	fi
	mem_fig "$s.loaded" "$pid"
	# rbldnsd is one process: its high-water mark is exact.
	m=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
	[ "$s" = rbldnsd ] && peak=$m
	FIG[$s.peak]=$(awk -v a="$peak" -v b="${FIG[$s.loaded.rss]}" \
	    'BEGIN { printf "%.1f", (b > a) ? b : a }')
	FIG[$s.peakanon]=$(awk -v a="$anon" -v b="${FIG[$s.loaded.anon]}" \
	    'BEGIN { printf "%.1f", (b > a) ? b : a }')
	echo "  $s (pid $pid, port ${PORT[$s]}): a listed name answers after" \
	    "${FIG[$s.load]} s; RSS ${FIG[$s.loaded.rss]} MB" \
	    "(file-backed ${FIG[$s.loaded.file]}), peak ${FIG[$s.peak]} MB" \
	    "(anonymous ${FIG[$s.peakanon]})"
}

# compare WHEN: both servers give the same answers to 2000 queries.
compare()
{
	python3 "$ROOT/tests/bench/dns_bench_data.py" compare \
	    "${PORT[rbldnsd]}" "${PORT[reputed]}" "$W/queries.txt" 2000 |
	    sed 's/^/  /'
	[ "${PIPESTATUS[0]}" -eq 0 ] ||
	    die "rbldnsd and reputed --rbldnsd answer differently $1"
}

# perf KEY SECONDS DNSPERF-OPTIONS...: dnsperf on the client CPU against
# server ${KEY%%.*}, in the background (its PID in DP, output $W/KEY.out).
# Its socket buffers are 2 MB (at most net.core.rmem_max), not the
# system's default: a burst of answers after a stall is then lost, if at
# all, by the server rather than by dnsperf.
perf()
{
	dnsperf_start "$1" "${PORT[${1%%.*}]}" "$W/queries.txt" "$2" -b 2048 \
	    "${@:3}"
}

# perf_wait KEY: wait for dnsperf; "SENT DONE LOST QPS AVG MAX" in OUT.
perf_wait()
{
	dnsperf_wait "$1"
	OUT=$(dnsperf_figures "$W/$1.out") ||
	    { cat "$W/$1.out" >&2; die "no dnsperf figures in $1"; }
}

# most NAME ROUND: unthrottled; the best round's answers/s and CPU kept.
most()
{
	local s=$1 key=$1.max$2 t0 t1 sent answered lost qps cpu d0 drops
	t0=$(tree_ticks "${PID[$s]}")
	d0=$(udp_drops "${PORT[$s]}")
	perf "$key" "$MAXSECS" -q "$MAXINFLIGHT"
	perf_wait "$key"
	t1=$(tree_ticks "${PID[$s]}")
	drops=$(($(udp_drops "${PORT[$s]}") - d0))
	read -r sent answered lost qps _ _ <<<"$OUT"
	cpu=$(cpu_us $((t1 - t0)) "$answered" 2)
	printf '  %-8s round %d: %8s answers/s, %s lost of %s (%s dropped by the server socket), CPU %s us/answer\n' \
	    "$s" "$2" "$qps" "$lost" "$sent" "$drops" "$cpu"
	if [ "${FIG[$s.qps]:-0}" -lt "$qps" ]; then
		FIG[$s.qps]=$qps FIG[$s.cpuq]=$cpu
	fi
}

# rate NAME PHASE ROUND: QPS for RSECS. PHASE reload renames the other
# version of the file over bl.zone 2 s in (round 1 the changed one, round
# 2 the first one again...) and times how long until a name only that
# version lists is answered. Of the rounds, the one with the fewest lost
# queries, then the lowest maximum latency, is kept: anything else running
# on the machine only ever makes them worse.
rate()
{
	local s=$1 ph=$2 r=$3 key=$1.$2$3 t0 t1 tc i f=b probe=$NEW_B d0
	local -A R
	[ $((r % 2)) -eq 0 ] && f=a probe=$NEW_A
	[ "$ph" = reload ] && { cp "$W/$f.zone" "$W/$s/bl.zone.new" ||
	    die "cannot copy $f.zone"; }
	t0=$(tree_ticks "${PID[$s]}")
	d0=$(udp_drops "${PORT[$s]}")
	perf "$key" "$RSECS" -Q "$QPS" -q "$INFLIGHT" -v
	if [ "$ph" = reload ]; then
		sleep 2
		# Touched first, then renamed: one change, and a new mtime
		# whatever the copy took (a touch after the rename could be
		# seen as a second change).
		{ touch "$W/$s/bl.zone.new" &&
		    mv -f "$W/$s/bl.zone.new" "$W/$s/bl.zone"; } ||
		    die "cannot replace $s's file"
		tc=$EPOCHREALTIME
		R[peak]=0
		for ((i = 0; i < 1200; i++)); do
			listed "${PORT[$s]}" "$probe" && break
			R[peak]=$(tree_mem "${PID[$s]}" | awk -v p="${R[peak]}" \
			    '{ print ($4 > p) ? $4 : p }')
			sleep 0.05
		done
		[ "$i" -lt 1200 ] || die "$s does not serve $f.zone"
		# rbldnsd, one process, stalls the probe while it reloads:
		# its high-water mark (RSS, since it started) covers it.
		[ "$s" = rbldnsd ] && R[peak]=$(awk -v p="${R[peak]}" \
		    '/^VmHWM:/ { m = $2 / 1024; printf "%.1f", (m > p) ? m : p }' \
		    "/proc/${PID[$s]}/status")
		R[served]=$(elapsed "$tc")
		kill -0 "$DP" 2>/dev/null ||
		    echo "  note: $s served the change after dnsperf's $RSECS s"
	fi
	perf_wait "$key"
	t1=$(tree_ticks "${PID[$s]}")
	R[drops]=$(($(udp_drops "${PORT[$s]}") - d0))
	read -r "R[sent]" "R[done]" "R[lost]" _ "R[avg]" "R[max]" <<<"$OUT"
	read -r "R[p999]" "R[slow]" < <(dnsperf_slow "$W/$key.out")
	R[cpu]=$(cpu_s $((t1 - t0)))
	printf '  %-8s %-6s %d: %6s sent, %4s lost (%s dropped by the server socket), latency avg %s ms, 99.9%% %s ms, max %s ms, %s over 10 ms, CPU %s s%s\n' \
	    "$s" "$ph" "$r" "${R[sent]}" "${R[lost]}" "${R[drops]}" "${R[avg]}" \
	    "${R[p999]}" "${R[max]}" "${R[slow]}" "${R[cpu]}" \
	    "${R[served]:+; $f.zone answered after ${R[served]} s, peak ${R[peak]} MB}"
	if [ -z "${FIG[$s.$ph.lost]:-}" ] || awk -v l="${R[lost]}" \
	    -v m="${R[max]}" -v bl="${FIG[$s.$ph.lost]}" \
	    -v bm="${FIG[$s.$ph.max]}" \
	    'BEGIN { exit !(l < bl || (l == bl && m < bm)) }'; then
		for i in "${!R[@]}"; do
			FIG[$s.$ph.$i]=${R[$i]}
		done
	fi
}

echo "== load: each server alone, on CPU $SCPU"
for s in $SERVERS; do
	start "$s"
done
FIG[rbldnsd.cells]=$(sed -n 's/.*e32\/24\/16\/8=\([0-9/]*\).*/\1/p' \
    "$W/rbldnsd.log" | head -n 1 | awk -F/ '{ print $1 + $2 + $3 + $4 }')
FIG[reputed.cells]=$(sed -n 's/.*: \([0-9]*\) entries, .*/\1/p' \
    "$W/reputed.log" | head -n 1)
STORE=$(sed -n 's/^reputed: store \([^,]*\), .*/\1/p' "$W/reputed.log" |
    head -n 1)
[ -f "$STORE/db/data.mdb" ] || die "reputed's store is not at '$STORE'"
FIG[reputed.disk]=$(du -m --apparent-size "$STORE/db/data.mdb" | cut -f1)
FIG[reputed.alloc]=$(du -m "$STORE/db/data.mdb" | cut -f1)
echo "  cells: rbldnsd ${FIG[rbldnsd.cells]}, reputed ${FIG[reputed.cells]}" \
    "entries; reputed's data.mdb ${FIG[reputed.disk]} MB" \
    "(${FIG[reputed.alloc]} MB allocated)"
echo "== the same answers from both (2000 queries, rcode and records)"
compare "before the reload"

# The fixed-rate runs last long enough to hold the slower reload.
RSECS=$(awk -v m="$MINSECS" -v a="${FIG[rbldnsd.load]}" \
    -v b="${FIG[reputed.load]}" 'BEGIN {
	l = (a > b) ? a : b; r = int(2 + 2 * l + 3 + 0.999)
	print (r > m) ? r : m }')

echo "== most answers per second: dnsperf unthrottled (-q $MAXINFLIGHT), $MAXSECS s, $ROUNDS rounds"
for ((r = 1; r <= ROUNDS; r++)); do
	for s in $SERVERS; do
		perf "$s.warmup" 1 -q 100
		perf_wait "$s.warmup"
		most "$s" "$r"
	done
done
for s in $SERVERS; do
	mem_fig "$s.queried" "${PID[$s]}"
done

echo "== $QPS qps for $RSECS s, at most $INFLIGHT in flight, $ROUNDS rounds: steady, then a reload 2 s in"
for ((r = 1; r <= ROUNDS; r++)); do
	for s in $SERVERS; do
		rate "$s" steady "$r"
	done
	for s in $SERVERS; do
		rate "$s" reload "$r"
	done
done
echo "== the same answers from both after the reload"
listed "${PORT[reputed]}" "$LISTED" || die "reputed lost $LISTED"
compare "after the reload"
echo "  $(grep -c 'zones reloaded' "$W/rbldnsd.log") rbldnsd loads;" \
    "reputed: $(grep -c ' entries, ' "$W/reputed.log") imports"
grep 'zones reloaded' "$W/rbldnsd.log" | tail -n 1 | sed 's/^/  /'
grep ' entries, ' "$W/reputed.log" | tail -n 1 | sed 's/^/  /'

# Stop both, reputed first, each within seconds.
for s in reputed rbldnsd; do
	stop_tree "${PID[$s]}"
done
[ -d "$STORE" ] && echo "  note: reputed left its temporary store $STORE"

# row LABEL KEY: rbldnsd, reputed and their ratio.
row()
{
	local a=${FIG[rbldnsd.$2]:-} b=${FIG[reputed.$2]:-} r
	r=$(awk -v a="$a" -v b="$b" \
	    'BEGIN { if (b != "" && a + 0 > 0) printf "%.2f", b / a; else print "-" }')
	printf '  %-42s %10s %10s %8s\n' "$1" "$a" "$b" "$r"
}

echo
echo "$BENCH_NAME: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "== summary: ip4set file of $N lines (${FIG[file.mb]} MB), servers on CPU $SCPU (reputed's reloads on CPU $ICPU), dnsperf on CPU $CCPU"
printf '  %-42s %10s %10s %8s\n' "" rbldnsd reputed ratio
echo "  load"
row "    cells / store entries" cells
row "    start to first listed answer (s)" load
row "    peak RSS while loading (MB)" peak
row "      anonymous (MB)" peakanon
row "    RSS once answering (MB)" loaded.rss
row "      of which file-backed (MB)" loaded.file
row "    RSS after the max-qps runs (MB)" queried.rss
printf '  %-42s %10s %10s\n' "    store on disk, data.mdb (MB)" - \
    "${FIG[reputed.disk]}"
echo "  unthrottled, best of $ROUNDS x $MAXSECS s"
row "    answers per second" qps
row "    CPU per answer (us)" cpuq
for ph in steady reload; do
	[ $ph = steady ] &&
	    echo "  steady, $QPS qps for $RSECS s, best of $ROUNDS rounds" ||
	    echo "  reload of a 1%-changed file 2 s in, same rate, best of $ROUNDS"
	[ $ph = reload ] && row "    change answered after (s)" $ph.served &&
	    row "    peak memory until then (MB)" $ph.peak
	row "    queries sent" $ph.sent
	row "    lost queries" $ph.lost
	row "      dropped by the server's socket" $ph.drops
	row "    latency, average (ms)" $ph.avg
	row "    latency, 99.9th percentile (ms)" $ph.p999
	row "    latency, maximum (ms)" $ph.max
	row "    answers slower than 10 ms" $ph.slow
	row "    server CPU (s)" $ph.cpu
done
echo "  (reputed: supervisor, server and importer; ratio: reputed / rbldnsd)"
exit 0
