#!/bin/sh
# run.sh -- run the cmocka unit test programs given as arguments.
# Usage: tests/unit/run.sh build/tests/test_cidr build/tests/test_store ...
# Each program runs from the repository root under a time limit
# (UNIT_TIMEOUT seconds, default 120). A program passes when it exits 0.
# The output of a failed program is shown in full. Ends with the line
# "N passed, N failed" and exits 1 if any program failed.
set -u

limit=${UNIT_TIMEOUT:-120}
root=$(cd "$(dirname "$0")/../.." && pwd)

# Make the arguments absolute before leaving the caller's directory.
progs=""
for p in "$@"; do
	case $p in
	/*) ;;
	*) p=$(pwd)/$p ;;
	esac
	progs="$progs $p"
done
cd "$root" || exit 2

out=$(mktemp "${TMPDIR:-/tmp}/reputed-unit.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
for p in $progs; do
	name=$(basename "$p")
	if [ ! -x "$p" ]; then
		echo "FAIL $name: not built ($p)"
		failed=$((failed + 1))
		continue
	fi
	start=$(date +%s)
	timeout -k 5 "$limit" "$p" >"$out" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	if [ "$rc" -eq 0 ]; then
		# cmocka's own closing line, e.g. "[  PASSED  ] 12 test(s)."
		summary=$(grep -E '^\[  PASSED  \]' "$out" | tail -n 1)
		echo "PASS $name (${secs}s) ${summary}"
		passed=$((passed + 1))
	else
		case $rc in
		124|137) why="timed out after ${limit}s" ;;
		*) why="exit $rc" ;;
		esac
		echo "FAIL $name: $why"
		sed 's/^/    /' "$out"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
