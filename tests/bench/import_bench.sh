#!/bin/bash
# import_bench.sh -- importer figures for `make bench` (run by run.sh).
# A benchmark, not a test: it prints tables, and fails only when a step
# does not work.
#
# 1. Every catalog list that has a fixture in tests/data/lists, imported
#    with its catalog format (reputed-import --file, one fresh store):
#    entries, rejected lines, seconds.
# 2. The 200k set (firehol/stopforumspam.ipset) and a generated 1M set
#    (bench_store gen): a cold import, then 10 re-imports, each with 1% of
#    the lines changed anew (1% removed, 1% added), timed, with the size
#    of the store after each: data.mdb on disk, the pages in use (LMDB
#    reuses freed pages: the file need not grow), and the history events.
#
# Environment: BUILD (default build/), BENCH_DIR (where the temporary
# folder goes, default /tmp), BENCH_IMPORT_LARGE (size of the generated
# set, default 1000000), BENCH_REIMPORTS (default 10).
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
IMPORT=$BUILD/reputed-import
BENCH=$BUILD/bench_store
LISTS=$ROOT/tests/data/lists
CATALOG=$ROOT/catalog/catalog.ini
LARGE=${BENCH_IMPORT_LARGE:-1000000}
ROUNDS=${BENCH_REIMPORTS:-10}

for p in "$IMPORT" "$BENCH"; do
	[ -x "$p" ] || { echo "import_bench: $p is not built" >&2; exit 2; }
done
[ -f "$CATALOG" ] || { echo "import_bench: $CATALOG is missing" >&2; exit 2; }

W=$(mktemp -d "${BENCH_DIR:-/tmp}/reputed-import-bench.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
echo "import_bench: working in $W"

die()
{
	echo "import_bench: $*" >&2
	exit 1
}

# elapsed T0: seconds since EPOCHREALTIME T0, to 0.01 s.
elapsed()
{
	awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'
}

# The catalog lists and their fixtures (catalog name, path under LISTS).
FIXTURES=(
	spamhaus-drop:spamhaus-drop/drop.txt
	spamhaus-drop-json:spamhaus-drop/drop_v4.json
	spamhaus-dropv6:spamhaus-dropv6/dropv6.txt
	spamhaus-asndrop:spamhaus-asndrop/asndrop.json
	dshield:dshield/block.txt
	firehol-level1:firehol/firehol_level1.netset
	feodo:feodo/ipblocklist_recommended.txt
	feodo-csv:feodo/ipblocklist.csv
	blocklist-de:blocklist-de/all.txt
	tor-exits:tor/exit-addresses
	tor-bulk-exits:tor/torbulkexitlist
	cins-army:cins-army/ci-badguys.txt
	et-compromised:et-compromised/compromised-ips.txt
	ipsum:ipsum/ipsum.txt
	stopforumspam-toxic:firehol/stopforumspam_toxic.netset
)

# ------------------------------------------------- 1. catalog fixtures

{
	echo "[server]"
	echo "database     = $W/catalog.db"
	echo "catalog-file = $CATALOG"
	for f in "${FIXTURES[@]}"; do
		printf '[source %s]\ncatalog = %s\n' "${f%%:*}" "${f%%:*}"
	done
} >"$W/catalog.conf"

echo "== catalog fixtures, each with its catalog format (--file)"
printf '  %-20s %-16s %-36s %8s %8s %7s\n' list format fixture entries \
    rejected seconds
"$IMPORT" --catalog -c "$W/catalog.conf" --json >"$W/catalog.json" ||
    die "reputed-import --catalog failed"
total=0
for f in "${FIXTURES[@]}"; do
	name=${f%%:*}
	file=${f#*:}
	fmt=$(python3 -c 'import json, sys
for l in json.load(open(sys.argv[1])):
    if l["name"] == sys.argv[2]:
        print(l["format"])' "$W/catalog.json" "$name")
	if [ ! -f "$LISTS/$file" ]; then
		printf '  %-20s %-16s %-36s %s\n' "$name" "$fmt" "$file" \
		    "fixture missing"
		continue
	fi
	t0=$EPOCHREALTIME
	out=$("$IMPORT" -c "$W/catalog.conf" --file "$LISTS/$file" \
	    --source "$name" 2>"$W/err")
	rc=$?
	secs=$(elapsed "$t0")
	if [ "$rc" -ne 0 ]; then
		printf '  %-20s %-16s %-36s %s\n' "$name" "$fmt" "$file" \
		    "FAILED: $(grep 'import failed' "$W/err" | head -n 1)"
		continue
	fi
	entries=$(printf '%s\n' "$out" | sed -n 's/^[^:]*: \([0-9]*\) entries.*/\1/p')
	rejected=$(printf '%s\n' "$out" | sed -n 's/.*, \([0-9]*\) rejected.*/\1/p')
	printf '  %-20s %-16s %-36s %8s %8s %7s\n' "$name" "$fmt" "$file" \
	    "$entries" "$rejected" "$secs"
	total=$((total + ${entries:-0}))
done
echo "  total: $total entries"

# ------------------------------------- 2. large sets, cold and re-imports

# variant BASE K: BASE with the same 1% of its lines (every 100th entry)
# replaced by addresses of 100.64.0.0/10 that depend on K, so each variant
# differs from the one before in 1% of the entries.
variant()
{
	awk -v k="$2" '
	/^#/ || NF == 0 { print; next }
	{
		n++
		if (n % 100 != 0) { print; next }
		j = n / 100
		printf "100.%d.%d.%d\n", 64 + k % 64, int(j / 256) % 256, j % 256
	}' "$1"
}

# store_use DB: "FILE_MB USED_MB EVENTS" of the store in directory DB.
store_use()
{
	local db=$1 file used events
	file=$(du -k --apparent-size "$db/data.mdb" | cut -f1)
	if command -v mdb_stat >/dev/null 2>&1; then
		used=$(mdb_stat -ef "$db" 2>/dev/null | awk '
			/Page size:/ { ps = $3 }
			/Number of pages used:/ { used = $5 }
			/Free pages:/ { free = $3 }
			END { if (ps) printf "%.1f", (used - free) * ps / 1048576 }')
		events=$(mdb_stat -s history "$db" 2>/dev/null |
		    awk '/Entries:/ { print $2 }')
	fi
	printf '%.1f %s %s\n' "$(awk -v k="$file" 'BEGIN { print k / 1024 }')" \
	    "${used:--}" "${events:--}"
}

# series KEY LABEL LIST: a cold import of LIST into a fresh store, then
# ROUNDS re-imports of its variants; one table row per import.
series()
{
	local key=$1 label=$2 list=$3 k t0 secs out what
	cat >"$W/$key.conf" <<EOF
[server]
database = $W/$key.db

[source bench]
url     = file://$list
format  = plain
max-shrink = 100%
EOF
	echo
	echo "== $label: cold import, then $ROUNDS re-imports with 1% changed"
	printf '  %-14s %10s %8s %8s %8s %10s %10s\n' import entries added \
	    removed seconds "file MB" "used MB"
	for ((k = 0; k <= ROUNDS; k++)); do
		if [ "$k" -eq 0 ]; then
			cp "$list" "$W/$key.list"
			what=cold
		else
			variant "$list" "$k" >"$W/$key.list"
			what="re-import $k"
		fi
		t0=$EPOCHREALTIME
		out=$(timeout 900 "$IMPORT" -c "$W/$key.conf" --force \
		    --file "$W/$key.list" --source bench 2>"$W/err") ||
		    { cat "$W/err" >&2; die "import of $label ($what) failed"; }
		secs=$(elapsed "$t0")
		read -r mb used events < <(store_use "$W/$key.db")
		printf '  %-14s %10s %8s %8s %8s %10s %10s  %s events\n' \
		    "$what" \
		    "$(printf '%s' "$out" | sed -n 's/^[^:]*: \([0-9]*\) entries.*/\1/p')" \
		    "$(printf '%s' "$out" | sed -n 's/.* +\([0-9]*\) .*/\1/p')" \
		    "$(printf '%s' "$out" | sed -n 's/.* -\([0-9]*\) .*/\1/p')" \
		    "$secs" "$mb" "$used" "$events"
		FIG["$key.$k.secs"]=$secs
		FIG["$key.$k.mb"]=$mb
	done
	rm -rf "$W/$key.db" "$W/$key.list"
}

declare -A FIG
SFS=$LISTS/firehol/stopforumspam.ipset
[ -f "$SFS" ] || die "$SFS is missing"
series sfs "stopforumspam.ipset (203,676)" "$SFS"

"$BENCH" gen "$LARGE" 7 >"$W/large.txt" || die "bench_store gen failed"
series large "generated $LARGE" "$W/large.txt"
rm -f "$W/large.txt"

echo
echo "== summary"
printf '  %-30s %8s %12s %12s %14s %14s\n' set "cold s" "re-import s" \
    "cold MB" "after 1 MB" "after $ROUNDS MB"
for key in sfs large; do
	case $key in
	sfs) what="stopforumspam (203k)" ;;
	large) what="generated $LARGE" ;;
	esac
	printf '  %-30s %8s %12s %12s %14s %14s\n' "$what" \
	    "${FIG[$key.0.secs]:-}" "${FIG[$key.1.secs]:-}" \
	    "${FIG[$key.0.mb]:-}" "${FIG[$key.1.mb]:-}" \
	    "${FIG[$key.$ROUNDS.mb]:-}"
done
