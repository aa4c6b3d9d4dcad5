#!/bin/sh
# run.sh -- build each tests/fuzz/fuzz_NAME.c as a libFuzzer target (clang,
# ASan, UBSan) into build-fuzz/ and run it for FUZZ_TIME seconds on its
# seeds in tests/fuzz/corpus/NAME/ and its saved crashes in
# tests/fuzz/regress/NAME/, one target at a time.
#
# Usage: tests/fuzz/run.sh [--replay] [NAME...]
#   NAME...   only these targets (query, formats, ...); FUZZ_TARGETS too
#   --replay  no fuzzing: run every seed and saved crash once through its
#             target (make test does the same with gcc, see
#             tests/unit/test_fuzz_regress.c)
#
# A crash, leak, timeout or out-of-memory input fails the run; it is
# copied to tests/fuzz/regress/NAME/ (keep it: it is a regression test
# from then on) and its stack is in build-fuzz/logs/NAME.log. New corpus
# inputs stay in build-fuzz/corpus/NAME/ for the next run. Ends with one
# line per target: executions, speed, coverage, findings.
set -eu

cd "$(dirname "$0")/../.."
FUZZ_TIME=${FUZZ_TIME:-60}
OUT=${FUZZ_OUT:-build-fuzz}
CC=${FUZZ_CC:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
PKGS="lmdb ldns inih jansson libcurl libuv libmaxminddb"

replay=0
targets=${FUZZ_TARGETS:-}
for arg in "$@"; do
	case $arg in
	--replay) replay=1 ;;
	-*) echo "usage: run.sh [--replay] [NAME...]" >&2; exit 2 ;;
	*) targets="$targets ${arg#fuzz_}" ;;
	esac
done
if [ -z "$targets" ]; then
	for t in tests/fuzz/fuzz_*.c; do
		[ -f "$t" ] || continue
		t=$(basename "$t" .c)
		targets="$targets ${t#fuzz_}"
	done
fi

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: $CC not found (Debian: clang libclang-rt-14-dev)" >&2
	exit 1
fi
# UBSan reports are recoverable at build time, fatal at run time
# (halt_on_error), so that tests/fuzz/ubsan.supp can silence the ones
# already reported while their fix is pending: keep that file short.
SAN="-fsanitize=address,undefined"
supp=
[ -s tests/fuzz/ubsan.supp ] && supp=:suppressions=$(pwd)/tests/fuzz/ubsan.supp
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1$supp}"
WARN="-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wpointer-arith -Wformat=2"
# shellcheck disable=SC2086 # PKGS is a list
CFLAGS="-g -O1 -std=c11 -D_GNU_SOURCE -Ischema -Iserver -Iimporters
    $($PKG_CONFIG --cflags $PKGS)"
# shellcheck disable=SC2086
LIBS="$($PKG_CONFIG --libs $PKGS) -lm"

# The code under test: every module but the programs' mains, in one
# archive, so that a target links only what it uses.
mkdir -p "$OUT/obj" "$OUT/artifacts" "$OUT/logs"
rm -f "$OUT/libfuzz.a"
for src in schema/*.c server/*.c importers/*.c; do
	[ -f "$src" ] || continue
	case "$src" in
	*/main.c) continue ;;
	esac
	obj="$OUT/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
	# shellcheck disable=SC2086
	$CC $CFLAGS $SAN -fsanitize=fuzzer-no-link -c -o "$obj" "$src"
	ar rcs "$OUT/libfuzz.a" "$obj"
done

# stat NAME LOG: one key of libFuzzer's final stats ("" if absent).
stat()
{
	sed -n "s/^stat::$1: *//p" "$2" | tail -n 1
}

# save NAME BEFORE: copy the artifacts NAME made since BEFORE (a file
# listing the older ones) to tests/fuzz/regress/NAME/; print their paths.
save()
{
	dir=tests/fuzz/regress/$1
	for a in "$OUT"/artifacts/"$1"-*; do
		[ -f "$a" ] || continue
		grep -qxF "$a" "$2" && continue
		mkdir -p "$dir"
		base=${a##*/"$1"-}
		cp "$a" "$dir/$base"
		echo "fuzz: $1: saved $dir/$base" >&2
		echo "$dir/$base"
	done
}

status=0
summary=""
for name in $targets; do
	src=tests/fuzz/fuzz_$name.c
	bin=$OUT/fuzz_$name
	log=$OUT/logs/$name.log
	if [ ! -f "$src" ]; then
		echo "fuzz: no target $src" >&2
		status=1
		continue
	fi
	# shellcheck disable=SC2086
	$CC $CFLAGS $WARN $SAN -fsanitize=fuzzer -o "$bin" "$src" \
	    "$OUT/libfuzz.a" $LIBS
	# Targets that need files make them under TMPDIR; a crash leaves
	# them behind, so each target starts with an empty one.
	rm -rf "$OUT/tmp"
	mkdir -p "$OUT/tmp"
	TMPDIR=$(cd "$OUT/tmp" && pwd)
	export TMPDIR
	seeds=tests/fuzz/corpus/$name
	regress=tests/fuzz/regress/$name
	work=$OUT/corpus/$name
	mkdir -p "$work"
	# The code's own warnings (one per bad list line) would drown the
	# output: -close_fd_mask=2 sends them to /dev/null, while libFuzzer
	# and the sanitizers keep a copy of stderr for their reports.
	set -- -close_fd_mask=2 -timeout=25 -rss_limit_mb=2048 \
	    -print_final_stats=1
	[ -f "tests/fuzz/dict/$name.dict" ] &&
	    set -- "$@" "-dict=tests/fuzz/dict/$name.dict"
	if [ "$replay" = 1 ]; then
		files=$(find "$seeds" "$regress" -type f 2>/dev/null | sort)
		n=$(printf '%s\n' "$files" | sed '/^$/d' | wc -l)
		echo "fuzz: $name: replaying $n inputs"
		[ "$n" -gt 0 ] || continue
		# shellcheck disable=SC2086
		if "$bin" "$@" $files >"$log" 2>&1; then
			summary="$summary$name: $n inputs replayed, OK
"
		else
			tail -n 40 "$log" >&2
			summary="$summary$name: FAILED on replay (see $log)
"
			status=1
		fi
		continue
	fi
	echo "fuzz: $name for ${FUZZ_TIME}s"
	before=$OUT/artifacts/.before
	find "$OUT/artifacts" -type f -name "$name-*" >"$before"
	# New inputs go to the first directory: keep the seeds read-only.
	set -- "$@" -max_total_time="$FUZZ_TIME" \
	    -artifact_prefix="$OUT/artifacts/$name-" "$work"
	[ -d "$seeds" ] && set -- "$@" "$seeds"
	[ -d "$regress" ] && set -- "$@" "$regress"
	if "$bin" "$@" </dev/null >"$log" 2>&1; then
		result="no findings"
	else
		tail -n 60 "$log" >&2
		saved=$(save "$name" "$before")
		if [ -n "$saved" ]; then
			result="FAILED (input saved in $regress/, log $log)"
		else
			result="FAILED before any input (log $log)"
		fi
		status=1
	fi
	rm -f "$before"
	runs=$(stat number_of_executed_units "$log")
	speed=$(stat average_exec_per_sec "$log")
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
	summary="$summary$name: ${runs:-?} runs in ${FUZZ_TIME}s \
(${speed:-?}/s), coverage ${cov:-?}, corpus $(find "$work" -type f |
	    wc -l) inputs: $result
"
done
printf '%s' "$summary"
exit $status
