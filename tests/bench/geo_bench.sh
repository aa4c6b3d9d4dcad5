#!/bin/bash
# geo_bench.sh -- `make bench`, geo part: what listings by ASN and by
# country cost at query time, and what the open databases cost in memory.
# A benchmark, not a test: it prints figures, and fails only when a step
# does not work.
#
# Data: BENCH_GEO_ENTRIES (default 1M) generated entries (as dns_bench.sh:
# dns_bench_data.py, same mix) in source "bench"; a generated ASN database
# of GeoLite2-ASN's size (every IPv4 /19 of 1.0.0.0-223.255.255.255 and
# every IPv6 /20 of 2000::/4, each with one of BENCH_GEO_ASNS ASNs, 60,000
# by default, and an organisation) and a Country one (IPv4 /18s, IPv6
# /16s, 250 codes), written with tests/integration/geo_mmdb.pl; source
# "asns" lists 1% of the ASNs (an ASN-DROP style file, imported with
# format spamhaus-asndrop), source "countries" three countries (list add
# CC:..). Three zones answer the same queries (half listed, half not, A
# and TXT; every address is in both databases):
#   plain.bench.test   sources = bench
#   asn.bench.test     sources = bench asns
#   cc.bench.test      sources = bench countries
# For each zone, with the server pinned to one CPU and dnsperf to another
# (taskset): BENCH_GEO_SECONDS (default 10) at a fixed BENCH_GEO_QPS
# (default 50,000): the server's CPU time per answered query and the
# latency; then BENCH_GEO_MAX_SECONDS (default 5) unthrottled (dnsperf -q
# 500): the most queries per second it answers. The zones take turns for
# BENCH_GEO_ROUNDS (default 3) rounds and the best round of each counts
# (least CPU, most answers), since other load only ever makes it worse.
# The ratios to the plain zone are the per-query cost of resolving
# listings at query time.
# Memory: the daemon's RSS (anonymous and file-backed) after the runs,
# against a daemon without [geoip] that answered the plain zone's queries,
# and the bytes the databases map.
#
# Environment: BUILD, BENCH_DIR, BENCH_GEO_ENTRIES, BENCH_GEO_SECONDS,
# BENCH_GEO_QPS, BENCH_GEO_MAX_SECONDS, BENCH_GEO_ROUNDS,
# BENCH_GEO_QUERIES (default 200000), BENCH_GEO_ASNS, BENCH_SERVER_CPU (1),
# BENCH_CLIENT_CPU (0), BENCH_KEEP=1 (keep the temporary folder).
set -u
umask 022

BENCH_NAME=geo_bench
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
ROOT=$BENCH_ROOT
BUILD=${BUILD:-$ROOT/build}
IMPORT=$BUILD/reputed-import
REPUTED=$BUILD/reputed
CTL=$BUILD/reputectl
DATA=$ROOT/tests/bench/dns_bench_data.py
GEO_MMDB=$ROOT/tests/integration/geo_mmdb.pl
N=${BENCH_GEO_ENTRIES:-1000000}
SECS=${BENCH_GEO_SECONDS:-10}
ROUNDS=${BENCH_GEO_ROUNDS:-3}
QPS=${BENCH_GEO_QPS:-50000}
MAXSECS=${BENCH_GEO_MAX_SECONDS:-5}
NQ=${BENCH_GEO_QUERIES:-200000}
NASN=${BENCH_GEO_ASNS:-60000}
SCPU=${BENCH_SERVER_CPU:-1}
CCPU=${BENCH_CLIENT_CPU:-0}
ZONES="plain asn cc"

need_built "$IMPORT" "$REPUTED" "$CTL"
need_tools dnsperf taskset dig python3 perl
perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
    { echo "geo_bench: libmaxmind-db-writer-perl is missing" >&2; exit 2; }
for v in "$SECS" "$MAXSECS" "$ROUNDS"; do
	case $v in
	'' | *[!0-9]* | 0) die "BENCH_GEO_SECONDS, _MAX_SECONDS, _ROUNDS: positive integers" ;;
	esac
done
share_cpus "server and dnsperf"

workdir geobench
echo "geo_bench: working in $W"
echo "geo_bench: load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"

declare -A FIG

# mem KEY PID: VmRSS, RssAnon and RssFile of PID in MB.
mem()
{
	local f=/proc/$2/status
	FIG[$1.rss]=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "$f")
	FIG[$1.anon]=$(awk '/^RssAnon:/ { printf "%.1f", $2 / 1024 }' "$f")
	FIG[$1.file]=$(awk '/^RssFile:/ { printf "%.1f", $2 / 1024 }' "$f")
	echo "  $1: RSS ${FIG[$1.rss]} MB (anonymous ${FIG[$1.anon]}," \
	    "file-backed ${FIG[$1.file]})"
}

# start CONF: reputed on the server CPU, its PID in RP (60 s at most).
start()
{
	: >"$W/reputed.log"
	start_reputed "$1" "$PORT" plain.bench.test "$W/reputed.log"
}

# perf KEY QUERIES SECONDS [dnsperf options]: dnsperf on the client CPU,
# waited for; its output in $W/KEY.out.
perf()
{
	local key=$1
	dnsperf_start "$key" "$PORT" "$2" "$3" -S 1 "${@:4}"
	dnsperf_wait "$key"
}

# steady ZONE ROUND: warm-up, then SECS at QPS: CPU per query and
# latency. Of the rounds, the one with the least CPU per query is kept:
# anything else running on the machine only ever adds to it.
steady()
{
	local z=$1 r=$2 q=$W/q-$1.txt t0 t1 out=$W/$1.steady$2.out
	local answered lost avg cpu
	perf "$z.warmup$r" "$q" 2 -Q "$QPS"
	t0=$(ticks "$RP")
	perf "$z.steady$r" "$q" "$SECS" -Q "$QPS" -q 100
	t1=$(ticks "$RP")
	read -r _ answered lost _ avg _ < <(dnsperf_figures "$out")
	cpu=$(cpu_us $((t1 - t0)) "$answered")
	printf '  %-6s %8s answered, %s lost, CPU %s us/query, latency avg %s ms\n' \
	    "$z" "$answered" "$lost" "$cpu" "$avg"
	grep 'Response codes:' "$out" | sed 's/^ */         /'
	if [ -z "${FIG[$z.cpu]:-}" ] || awk -v a="$cpu" -v b="${FIG[$z.cpu]}" \
	    'BEGIN { exit !(a < b) }'; then
		FIG[$z.cpu]=$cpu FIG[$z.done]=$answered FIG[$z.lost]=$lost
		FIG[$z.avg]=$avg
	fi
}

# most ZONE ROUND: MAXSECS unthrottled, 500 queries in flight: answers/s,
# the best round's kept.
most()
{
	local z=$1 v
	perf "$z.max$2" "$W/q-$z.txt" "$MAXSECS" -q 500
	read -r _ _ _ v _ < <(dnsperf_figures "$W/$z.max$2.out")
	printf '  %-6s %8s answers/s\n' "$z" "$v"
	if [ "${FIG[$z.max]:-0}" -lt "$v" ]; then
		FIG[$z.max]=$v
	fi
}

echo "== generating $N entries, $NQ queries, the databases ($NASN ASNs)"
t0=$EPOCHREALTIME
python3 "$DATA" gen "$W" "$N" 1 0 "$NQ" plain.bench.test | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] || die "data generation failed"
rm -f "$W"/rbl-*.txt "$W/list-changed.txt"
for z in $ZONES; do
	sed "s/\.plain\.bench\.test /.$z.bench.test /" "$W/queries.txt" \
	    >"$W/q-$z.txt"
done
# The spec of both databases, the ASN-DROP style list of 1% of the ASNs,
# and one address (and its ASN) for the sanity check.
python3 - "$W" "$NASN" <<'PY' || die "database spec generation failed"
import json, random, sys
w, nasn = sys.argv[1], int(sys.argv[2])
rng = random.Random(42)
ccs = ["%c%c" % (65 + i // 26, 65 + i % 26) for i in range(0, 676, 2)][:250]
with open(w + "/asn.spec", "w") as a, open(w + "/cc.spec", "w") as c:
    for o1 in range(1, 224):
        if o1 == 127:
            continue
        for s in range(2048):
            n = 1000 + rng.randrange(nasn)
            a.write("%d.%d.%d.0/19 %d BENCH-AS%d Networks Ltd\n"
                    % (o1, s >> 3, (s & 7) << 5, n, n))
        for s in range(1024):
            c.write("%d.%d.%d.0/18 %s\n" % (o1, s >> 2, (s & 3) << 6,
                                            rng.choice(ccs)))
    # 2002::/16 (6to4) is an alias of the IPv4 networks.
    for s in range(65536):
        if s >> 4 == 2:
            continue
        n = 1000 + rng.randrange(nasn)
        a.write("%x:%x::/20 %d BENCH-AS%d Networks Ltd\n"
                % (0x2000 | (s >> 4), (s & 15) << 12, n, n))
    for s in range(4096):
        if s == 2:
            continue
        c.write("%x::/16 %s\n" % (0x2000 | s, rng.choice(ccs)))
rows = ['{"asn":%d,"rir":"ripencc","domain":"bench.test","cc":"ZZ",'
        '"asname":"BENCH-AS%d"}\n' % (n, n)
        for n in range(1000, 1000 + nasn) if n % 100 == 0]
body = "".join(rows)
meta = {"type": "metadata", "timestamp": 1700000000, "size": len(body),
        "records": len(rows)}
with open(w + "/asns.json", "w") as f:
    f.write(body + json.dumps(meta) + "\n")
print("  %d ASN listings, countries listed: %s" % (len(rows),
      " ".join(ccs[:3])))
with open(w + "/cc.list", "w") as f:
    f.write(" ".join(ccs[:3]) + "\n")
PY
perl "$GEO_MMDB" asn "$W/asn.mmdb" "$W/asn.spec" || die "writing asn.mmdb failed"
perl "$GEO_MMDB" country "$W/cc.mmdb" "$W/cc.spec" || die "writing cc.mmdb failed"
FIG[db.asn]=$(du -k --apparent-size "$W/asn.mmdb" | awk '{ printf "%.1f", $1 / 1024 }')
FIG[db.cc]=$(du -k --apparent-size "$W/cc.mmdb" | awk '{ printf "%.1f", $1 / 1024 }')
echo "  asn.mmdb $(wc -l <"$W/asn.spec") networks, ${FIG[db.asn]} MB;" \
    "cc.mmdb $(wc -l <"$W/cc.spec") networks, ${FIG[db.cc]} MB"
echo "  $(elapsed "$t0") s"

PORT=$(freeport) || die "no free port"
# conf FILE GEO: the configuration, with [geoip] and the geo zones or not.
conf()
{
	{
		echo "[server]"
		echo "listen   = 127.0.0.1:$PORT"
		echo "database = $W/reputed.db"
		echo
		if [ "$2" = 1 ]; then
			echo "[geoip]"
			echo "asn-db     = $W/asn.mmdb"
			echo "country-db = $W/cc.mmdb"
			echo
		fi
		cat <<EOF
[source bench]
url  = file://$W/list.txt
code = 127.0.0.2
txt  = Listed by \$source, see https://bl.bench.test/lookup?ip=\$ip

[source asns]
url    = file://$W/asns.json
format = spamhaus-asndrop
code   = 127.0.0.6
txt    = \$reason listed by \$source

[source countries]
code = 127.0.0.7
txt  = \$reason listed by \$source

[zone plain.bench.test]
sources = bench
EOF
		if [ "$2" = 1 ]; then
			printf '\n[zone asn.bench.test]\nsources = bench asns\n'
			printf '\n[zone cc.bench.test]\nsources = bench countries\n'
		fi
	} >"$1"
}
conf "$W/geo.conf" 1
conf "$W/nogeo.conf" 0

echo "== reputed-import of $N entries and the ASN listings"
t0=$EPOCHREALTIME
"$IMPORT" -c "$W/geo.conf" --force 2>"$W/import.err" | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] || { cat "$W/import.err" >&2; die "import failed"; }
read -r -a ccs <"$W/cc.list"
for cc in "${ccs[@]}"; do
	"$CTL" -c "$W/geo.conf" list add "CC:$cc" --source countries \
	    --reason "CC:$cc" >/dev/null || die "list add CC:$cc failed"
done
echo "  $(elapsed "$t0") s"

echo "== reputed with [geoip] (port $PORT), server on CPU $SCPU, dnsperf on CPU $CCPU"
start "$W/geo.conf"
grep 'geo:' "$W/reputed.log" | sed 's/^/  /'
FIG[mapped]=$(awk '/geo: .*bytes mapped/ {
	for (i = 1; i < NF; i++) if ($(i + 1) == "bytes") s += $i }
    END { printf "%.1f", s / 1048576 }' "$W/reputed.log")
# Sanity: an address of a listed ASN answers from the ASN source.
sample=$(awk '$2 % 100 == 0 { split($1, p, "/"); print p[1]; exit }' "$W/asn.spec")
got=$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=2 +short \
    "$(echo "$sample" | awk -F. '{ print $4 + 1 "." $3 "." $2 "." $1 }').asn.bench.test" A)
case $got in
*127.0.0.6*) echo "  sanity: ${sample%.*}.$((${sample##*.} + 1)) (a listed ASN) answers $got" ;;
*) die "an address of a listed ASN answers '$got', not 127.0.0.6" ;;
esac

for round in $(seq 1 "$ROUNDS"); do
	echo "== $QPS qps for ${SECS} s per zone, round $round of $ROUNDS"
	for z in $ZONES; do
		steady "$z" "$round"
	done
done
# Unthrottled figures swing with whatever else runs: rounds in turn,
# the best of each zone.
for round in $(seq 1 "$ROUNDS"); do
	echo "== unthrottled, ${MAXSECS} s per zone, round $round of $ROUNDS"
	for z in $ZONES; do
		most "$z" "$round"
	done
done
mem geo "$RP"
stop "$RP"

echo "== reputed without [geoip], the plain zone's queries"
start "$W/nogeo.conf"
perf nogeo.warmup "$W/q-plain.txt" "$SECS" -Q "$QPS"
mem nogeo "$RP"
stop "$RP"

# ratio A B: A / B to 2 decimals, or "-".
ratio()
{
	awk -v a="$1" -v b="$2" \
	    'BEGIN { if (a != "" && b + 0 > 0) printf "%.2f", a / b; else print "-" }'
}

echo
echo "geo_bench: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "== summary: $N entries, $NASN ASNs (1% listed), 3 countries listed"
printf '  %-34s %10s %12s %6s %12s %6s\n' "" plain "+ASN source" ratio \
    "+CC source" ratio
printf '  %-34s %10s %12s %6s %12s %6s\n' "CPU per query at $QPS qps (us)" \
    "${FIG[plain.cpu]}" "${FIG[asn.cpu]}" \
    "$(ratio "${FIG[asn.cpu]}" "${FIG[plain.cpu]}")" "${FIG[cc.cpu]}" \
    "$(ratio "${FIG[cc.cpu]}" "${FIG[plain.cpu]}")"
printf '  %-34s %10s %12s %6s %12s %6s\n' "  added per query (us)" "" \
    "$(awk -v a="${FIG[asn.cpu]}" -v b="${FIG[plain.cpu]}" \
    'BEGIN { printf "%+.3f", a - b }')" "" \
    "$(awk -v a="${FIG[cc.cpu]}" -v b="${FIG[plain.cpu]}" \
    'BEGIN { printf "%+.3f", a - b }')" ""
printf '  %-34s %10s %12s %6s %12s %6s\n' "latency, average (ms)" \
    "${FIG[plain.avg]}" "${FIG[asn.avg]}" \
    "$(ratio "${FIG[asn.avg]}" "${FIG[plain.avg]}")" "${FIG[cc.avg]}" \
    "$(ratio "${FIG[cc.avg]}" "${FIG[plain.avg]}")"
printf '  %-34s %10s %12s %6s %12s %6s\n' "answers/s, unthrottled (best)" \
    "${FIG[plain.max]}" "${FIG[asn.max]}" \
    "$(ratio "${FIG[asn.max]}" "${FIG[plain.max]}")" "${FIG[cc.max]}" \
    "$(ratio "${FIG[cc.max]}" "${FIG[plain.max]}")"
printf '  %-34s %10s %12s %6s %12s\n' "lost queries at $QPS qps" \
    "${FIG[plain.lost]}" "${FIG[asn.lost]}" "" "${FIG[cc.lost]}"
echo "  memory (MB)                          with [geoip]   without   difference"
for k in rss anon file; do
	case $k in
	rss) what="RSS" ;;
	anon) what="  anonymous" ;;
	file) what="  file-backed" ;;
	esac
	printf '  %-34s %12s %9s %12s\n' "$what" "${FIG[geo.$k]}" \
	    "${FIG[nogeo.$k]}" "$(awk -v a="${FIG[geo.$k]}" \
	    -v b="${FIG[nogeo.$k]}" 'BEGIN { printf "%+.1f", a - b }')"
done
printf '  %-34s %12s\n' "databases mapped" "${FIG[mapped]}"
echo "  (the files: asn.mmdb ${FIG[db.asn]} MB, cc.mmdb ${FIG[db.cc]} MB;" \
    "mapped pages are shared and dropped under memory pressure)"
exit 0
