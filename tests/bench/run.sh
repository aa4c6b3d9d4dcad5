#!/bin/bash
# run.sh -- `make bench`: import speed, store size and lookup speed.
# A benchmark, not a test: it prints figures and whether the bars of the
# store's design are met, and fails only when a step does not work.
#
# Imports, each into a fresh store: the stopforumspam.ipset fixture
# (203,676 addresses), generated lists of 1M and 10M IPv4 entries (98%
# /32, the rest /24-/16), and then a re-import of the 1M list with 1% of
# its lines changed. For each store, build/bench_store times
# store_lookup() on random addresses, half of them known hits.
#
# Then tests/bench/dns_bench.sh measures the DNS daemon, and
# tests/bench/rbldnsd_bench.sh `reputed --rbldnsd` against rbldnsd on an
# ip4set file (see there).
#
# Environment: BUILD (default build/), BENCH_DIR (where the temporary
# folder goes, default /tmp), BENCH_SMALL and BENCH_LARGE (list sizes,
# default 1000000 and 10000000), BENCH_SECONDS (per lookup run, default 3),
# BENCH_DNS=0 (skip the DNS parts), BENCH_RBL=0 (skip the rbldnsd-format
# part), BENCH_GEO=0 (skip tests/bench/geo_bench.sh:
# ASN and country listings at query time, the databases' memory).
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
IMPORT=$BUILD/reputed-import
BENCH=$BUILD/bench_store
SMALL=${BENCH_SMALL:-1000000}
LARGE=${BENCH_LARGE:-10000000}
SECS=${BENCH_SECONDS:-3}
SFS=$ROOT/tests/data/lists/firehol/stopforumspam.ipset

for p in "$IMPORT" "$BENCH"; do
	[ -x "$p" ] || { echo "bench: $p is not built" >&2; exit 2; }
done
[ -f "$SFS" ] || { echo "bench: $SFS is missing" >&2; exit 2; }

W=$(mktemp -d "${BENCH_DIR:-/tmp}/reputed-bench.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
echo "bench: working in $W"

# Figures, printed as a table at the end.
declare -A FIG

die()
{
	echo "bench: $*" >&2
	exit 1
}

# conf NAME LIST: a config for store $W/NAME.db with one source "bench".
conf()
{
	cat >"$W/$1.conf" <<EOF
[server]
database = $W/$1.db

[source bench]
url     = file://$2
format  = plain
code    = 127.0.0.2
txt     = Listed by \$source: \$reason

[zone bench.test]
sources = bench
EOF
}

# elapsed T0: seconds since EPOCHREALTIME T0, to 0.01 s.
elapsed()
{
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

# import KEY NAME LIST: time reputed-import of LIST into store NAME.
import()
{
	local key=$1 name=$2 list=$3 t0 out
	t0=$EPOCHREALTIME
	out=$(timeout 900 "$IMPORT" -c "$W/$name.conf" --force \
	    --file "$list" --source bench 2>"$W/import.err") ||
	    { cat "$W/import.err" >&2; die "import of $list failed"; }
	FIG[$key.import]=$(elapsed "$t0")
	echo "  $out"
	echo "  wall: ${FIG[$key.import]} s"
	if [ -s "$W/import.err" ]; then
		echo "  stderr ($(wc -l <"$W/import.err") lines):"
		head -n 5 "$W/import.err" | sed 's/^/    /'
	fi
}

# size KEY NAME: apparent and allocated size of the store's data.mdb.
size()
{
	local f=$W/$2.db/data.mdb
	[ -f "$f" ] || die "$f is missing"
	FIG[$1.apparent]=$(du -m --apparent-size "$f" | cut -f1)
	FIG[$1.real]=$(du -m "$f" | cut -f1)
	echo "  data.mdb: ${FIG[$1.apparent]} MB apparent," \
	    "${FIG[$1.real]} MB allocated"
}

# lookups KEY NAME LIST: lookups per second on store NAME.
lookups()
{
	local out
	out=$(timeout 300 "$BENCH" lookup "$W/$2.db" "$3" "$SECS") ||
	    { echo "$out"; die "lookups on $2 failed"; }
	printf '%s\n' "$out" | sed 's/^/  /'
	FIG[$1.lps]=$(printf '%s\n' "$out" | awk '/^lookups\/s:/ { print $2 }')
}

# bar WHAT VALUE OP LIMIT UNIT: one line of the bars table.
bar()
{
	local ok
	if [ -z "$2" ]; then
		ok="no figure"
	elif awk -v v="$2" -v l="$4" -v op="$3" \
	    'BEGIN { exit !((op == "<") ? v < l : v >= l) }'; then
		ok="met"
	else
		ok="NOT MET"
	fi
	printf '  %-36s %14s %2s %-10s %s\n' "$1" "$2" "$3" "$4 $5" "$ok"
}

echo "== generating lists ($SMALL, $SMALL with 1% changed, $LARGE)"
t0=$EPOCHREALTIME
"$BENCH" gen "$SMALL" 1 >"$W/small.txt" || die "gen failed"
"$BENCH" gen "$SMALL" 1 1 >"$W/small-changed.txt" || die "gen failed"
"$BENCH" gen "$LARGE" 2 >"$W/large.txt" || die "gen failed"
echo "  $(elapsed "$t0") s; lines that differ in the changed list:" \
    "$(diff "$W/small.txt" "$W/small-changed.txt" | grep -c '^>')"

echo "== stopforumspam.ipset (fixture)"
conf sfs "$SFS"
import sfs sfs "$SFS"
size sfs sfs
lookups sfs sfs "$SFS"

echo "== $SMALL entries, cold import"
conf small "$W/small.txt"
import small small "$W/small.txt"
size small small
lookups small small "$W/small.txt"

echo "== $SMALL entries, re-import with 1% of the lines changed"
import change small "$W/small-changed.txt"
size change small
lookups change small "$W/small-changed.txt"

rm -rf "$W/sfs.db" "$W/small.db"
echo "== $LARGE entries, cold import"
conf large "$W/large.txt"
import large large "$W/large.txt"
size large large
lookups large large "$W/large.txt"

echo
echo "== summary"
printf '  %-28s %10s %12s %12s %12s\n' list "import s" "data MB" "alloc MB" lookups/s
for k in sfs small change large; do
	case $k in
	sfs) what="stopforumspam (203k)" ;;
	small) what="$SMALL cold" ;;
	change) what="$SMALL 1% changed" ;;
	large) what="$LARGE cold" ;;
	esac
	printf '  %-28s %10s %12s %12s %12s\n' "$what" "${FIG[$k.import]:-}" \
	    "${FIG[$k.apparent]:-}" "${FIG[$k.real]:-}" "${FIG[$k.lps]:-}"
done
echo
echo "== bars"
bar "lookups/s at $SMALL" "${FIG[small.lps]:-}" ">=" 4000000 ""
bar "lookups/s at $LARGE" "${FIG[large.lps]:-}" ">=" 2500000 ""
bar "cold import of $SMALL" "${FIG[small.import]:-}" "<" 10 s
bar "cold import of $LARGE" "${FIG[large.import]:-}" "<" 90 s
bar "re-import of $SMALL, 1% changed" "${FIG[change.import]:-}" "<" 5 s
echo; BUILD=$BUILD "$ROOT/tests/bench/import_bench.sh" || die "import_bench.sh failed"
[ "${BENCH_GEO:-1}" = 0 ] || { echo; BUILD=$BUILD \
    "$ROOT/tests/bench/geo_bench.sh"; } || die "geo_bench.sh failed"

# The DNS daemon against rbldnsd: dns_bench.sh (BENCH_DNS=0 skips it).
[ "${BENCH_DNS:-1}" = 0 ] && exit 0
rm -rf "$W/large.db" "$W/large.txt"
echo
echo "== DNS: reputed against rbldnsd (tests/bench/dns_bench.sh)"
BUILD=$BUILD "$ROOT/tests/bench/dns_bench.sh"

# The rbldnsd format: reputed --rbldnsd against rbldnsd on one ip4set file
# (BENCH_RBL=0 skips it).
if [ "${BENCH_RBL:-1}" != 0 ]; then
	echo
	echo "== rbldnsd format: reputed --rbldnsd against rbldnsd (tests/bench/rbldnsd_bench.sh)"
	BUILD=$BUILD "$ROOT/tests/bench/rbldnsd_bench.sh" ||
	    die "rbldnsd_bench.sh failed"
fi

# Response rate limiting on against off (BENCH_RRL=0 skips it).
[ "${BENCH_RRL:-1}" = 0 ] && exit 0
echo
echo "== RRL: rate limiting on against off (tests/bench/rrl_bench.sh)"
BUILD=$BUILD "$ROOT/tests/bench/rrl_bench.sh"
