#!/bin/sh
# run.sh -- build each tests/fuzz/fuzz_NAME.c as a libFuzzer target (clang,
# ASan, UBSan) into build-fuzz/ and run it for FUZZ_TIME seconds on its
# seeds in tests/fuzz/corpus/NAME/. Fails if any target finds a crash;
# the input is left in build-fuzz/artifacts/ (make it a seed once fixed).
set -eu

cd "$(dirname "$0")/../.."
FUZZ_TIME=${FUZZ_TIME:-60}
OUT=${FUZZ_OUT:-build-fuzz}
CC=${FUZZ_CC:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
PKGS="lmdb ldns inih jansson libcurl libuv libmaxminddb"

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: $CC not found (Debian: clang libclang-rt-14-dev)" >&2
	exit 1
fi
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-g -O1 -std=c11 -D_GNU_SOURCE -Ischema -Iserver
    $($PKG_CONFIG --cflags $PKGS)"
LIBS="$($PKG_CONFIG --libs $PKGS) -lm"

# The code under test: every module but the programs' mains, in one
# archive, so that a target links only what it uses.
mkdir -p "$OUT/obj" "$OUT/artifacts"
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

status=0
for target in tests/fuzz/fuzz_*.c; do
	[ -f "$target" ] || continue
	name=$(basename "$target" .c)
	seeds="tests/fuzz/corpus/${name#fuzz_}"
	work="$OUT/corpus/${name#fuzz_}"
	mkdir -p "$work"
	# shellcheck disable=SC2086
	$CC $CFLAGS $SAN -fsanitize=fuzzer -o "$OUT/$name" "$target" \
	    "$OUT/libfuzz.a" $LIBS
	echo "fuzz: $name for ${FUZZ_TIME}s"
	# New inputs go to the first directory: keep the seeds read-only.
	set -- "$work"
	[ -d "$seeds" ] && set -- "$work" "$seeds"
	if ! "$OUT/$name" -max_total_time="$FUZZ_TIME" -print_final_stats=1 \
	    -artifact_prefix="$OUT/artifacts/$name-" "$@"; then
		echo "fuzz: $name FAILED (input in $OUT/artifacts/)" >&2
		status=1
	fi
done
exit $status
