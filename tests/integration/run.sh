#!/bin/bash
# run.sh -- run the integration tests (tests/integration/t_*.sh).
# Usage: BUILD=/abs/build tests/integration/run.sh [NAME...]
# With names (e.g. t_manual), runs only those. Each test runs under a
# time limit (INTEGRATION_TIMEOUT seconds, default 300); its output is
# shown when it fails. Ends with "N passed, N failed"; exit 1 on failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export BUILD=${BUILD:-$root/build}
limit=${INTEGRATION_TIMEOUT:-300}
cd "$root" || exit 2

tests=()
if [ $# -gt 0 ]; then
	for n in "$@"; do
		n=$(basename "$n" .sh)
		tests+=("$here/$n.sh")
	done
else
	tests=("$here"/t_*.sh)
fi

out=$(mktemp "${TMPDIR:-/tmp}/reputed-integration.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
for t in "${tests[@]}"; do
	name=$(basename "$t" .sh)
	if [ ! -f "$t" ]; then
		echo "FAIL $name: no such test"
		failed=$((failed + 1))
		continue
	fi
	start=$SECONDS
	timeout -k 10 "$limit" bash "$t" >"$out" 2>&1
	rc=$?
	secs=$((SECONDS - start))
	if [ "$rc" -eq 0 ]; then
		echo "PASS $name (${secs}s) $(tail -n 1 "$out")"
		passed=$((passed + 1))
	else
		case $rc in
		124|137) why="timed out after ${limit}s" ;;
		*) why="exit $rc" ;;
		esac
		echo "FAIL $name (${secs}s): $why"
		sed 's/^/    /' "$out"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
