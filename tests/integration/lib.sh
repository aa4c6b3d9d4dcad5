#!/bin/bash
# lib.sh -- helpers for the integration tests, sourced by every t_*.sh.
#
# Each test gets its own temporary directory $T (removed on exit), a
# config file $CONF written by make_conf, and an LMDB store in $T/db.
# It runs the real programs from $BUILD (default: build/ of this tree),
# and talks only to 127.0.0.1. Servers it starts are stopped by PID.
#
#	. "$(dirname "$0")/lib.sh"
#	make_conf <<EOF
#	[source drop]
#	url = file://$T/drop.txt
#	EOF
#	run_import --force
#	expect_exit 0 ctl explain 1.10.16.1
#	expect_contains "$OUT" "SBL256894" "explain names the SBL id"
#	finish
#
# Checks do not stop the test: each failed check is reported with the
# command, its exit code and output, and finish exits 1 if any failed.
# die stops the test at once (for setup steps that later checks need).

set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
IMPORT=$BUILD/reputed-import
CTL=$BUILD/reputectl
# shellcheck disable=SC2034 # used by the daemon helpers and the tests
REPUTED=$BUILD/reputed
# Fixture lists (copies of ../shared/fixtures/lists); LISTS overrides.
LISTS=${LISTS:-$ROOT/tests/data/lists}
TEST_NAME=$(basename "$0" .sh)

T=$(mktemp -d "${TMPDIR:-/tmp}/reputed-$TEST_NAME.XXXXXX") || exit 2
CONF=$T/reputed.conf
DB=$T/db
CHECKS=0
FAILS=0
HTTP_PID=""
HTTP_PORT=""
HTTP_URL=""
REPUTED_PORT=""
OUT=""
ERR=""
RC=0

cleanup()
{
	# Either may not be defined yet when a test dies early.
	if type stop_reputed >/dev/null 2>&1; then stop_reputed; fi
	if type stop_http >/dev/null 2>&1; then stop_http; fi
	if [ "${KEEP_TMP:-0}" = 1 ]; then
		echo "kept $T"
	else
		rm -rf "$T"
	fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- basics

# log MSG...: a progress line, so a failure's output shows where it was.
log()
{
	echo "-- $*"
}

# die MSG...: stop the test now.
die()
{
	echo "FATAL: $TEST_NAME: $*" >&2
	exit 1
}

# need_prog PATH...: die unless every program exists.
need_prog()
{
	local p
	for p in "$@"; do
		[ -x "$p" ] || die "$p is not built (run make)"
	done
}
need_prog "$IMPORT" "$CTL"

# fixture PROVIDER/FILE: print the path of a fixture list; die if missing.
fixture()
{
	[ -f "$LISTS/$1" ] || die "fixture $LISTS/$1 is missing"
	echo "$LISTS/$1"
}

# free_port: print a TCP port on 127.0.0.1 that was free a moment ago.
free_port()
{
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# make_conf: write $CONF: a [server] section with the store in $DB and a
# free loopback port, followed by the sections read from standard input.
make_conf()
{
	REPUTED_PORT=$(free_port)
	{
		echo "[server]"
		echo "listen   = 127.0.0.1:$REPUTED_PORT"
		echo "database = $DB"
		echo
		cat
	} >"$CONF"
}

# ---------------------------------------------------------- running things

# run CMD...: run a command, keeping its standard output in $OUT, its
# standard error in $ERR and its exit code in $RC. Never fails itself.
# Each command runs under a time limit (RUN_TIMEOUT, default 120 s).
run()
{
	LAST_CMD="$*"
	timeout -k 5 "${RUN_TIMEOUT:-120}" "$@" >"$T/.out" 2>"$T/.err" </dev/null
	RC=$?
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
	# Under `make sanitize`, a report is a failure whatever the exit.
	case $ERR in
	*"runtime error:"* | *"Sanitizer"*)
		fail "a sanitizer report from: $LAST_CMD"
		printf '%s\n' "$ERR" | head -n 40 | sed 's/^/     | /'
		;;
	esac
	return 0
}

# run_import ARGS...: reputed-import -c $CONF ARGS...
run_import()
{
	run "$IMPORT" -c "$CONF" "$@"
}

# import_or_die ARGS...: run_import ARGS..., and stop the test if it
# fails (for the import the rest of a test needs).
import_or_die()
{
	run_import "$@"
	[ "$RC" = 0 ] || { show_last; die "import failed"; }
}

# ctl ARGS...: reputectl -c $CONF ARGS...
ctl()
{
	run "$CTL" -c "$CONF" "$@"
}

# ------------------------------------------------------------ assertions

# show_last: the last command, its exit code and output (for failures).
show_last()
{
	echo "   command: ${LAST_CMD:-}"
	echo "   exit:    $RC"
	if [ -n "$OUT" ]; then
		echo "   stdout:"
		printf '%s\n' "$OUT" | head -n 40 | sed 's/^/     | /'
	fi
	if [ -n "$ERR" ]; then
		echo "   stderr:"
		printf '%s\n' "$ERR" | head -n 40 | sed 's/^/     | /'
	fi
}

# pass WHAT / fail WHAT: count one check.
pass()
{
	CHECKS=$((CHECKS + 1))
	echo "ok   $*"
}

fail()
{
	local i=1
	CHECKS=$((CHECKS + 1))
	FAILS=$((FAILS + 1))
	# Name the line of the test (the first caller outside lib*.sh).
	while [ "$i" -lt $((${#BASH_SOURCE[@]} - 1)) ]; do
		case ${BASH_SOURCE[$i]##*/} in
		lib*.sh) i=$((i + 1)) ;;
		*) break ;;
		esac
	done
	echo "FAIL $* (${BASH_SOURCE[$i]##*/}:${BASH_LINENO[$((i - 1))]})"
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq()
{
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3"
		echo "   expected: '$2'"
		echo "   actual:   '$1'"
	fi
}

# expect_contains TEXT NEEDLE WHAT (fixed string)
expect_contains()
{
	if printf '%s\n' "$1" | grep -qF -- "$2"; then
		pass "$3"
	else
		fail "$3"
		echo "   missing: '$2'"
		show_last
	fi
}

# expect_not_contains TEXT NEEDLE WHAT (fixed string)
expect_not_contains()
{
	if printf '%s\n' "$1" | grep -qF -- "$2"; then
		fail "$3"
		echo "   unexpected: '$2'"
		show_last
	else
		pass "$3"
	fi
}

# expect_match TEXT ERE WHAT (extended regexp, case-insensitive)
expect_match()
{
	if printf '%s\n' "$1" | grep -qiE -- "$2"; then
		pass "$3"
	else
		fail "$3"
		echo "   no match for: /$2/i"
		show_last
	fi
}

# expect_exit CODE CMD...: run CMD (a shell function such as ctl or
# run_import, or a program) and check its exit code; $OUT, $ERR and $RC
# are left for further checks.
expect_exit()
{
	local want=$1
	shift
	if [ "$(type -t "$1")" = function ]; then
		"$@"
	else
		run "$@"
	fi
	if [ "$RC" = "$want" ]; then
		pass "exit $want: $*"
	else
		fail "exit $want: $*"
		show_last
	fi
}

# expect_fail CMD...: like expect_exit, for any non-zero exit code.
expect_fail()
{
	if [ "$(type -t "$1")" = function ]; then
		"$@"
	else
		run "$@"
	fi
	if [ "$RC" != 0 ]; then
		pass "exit non-zero ($RC): $*"
	else
		fail "exit non-zero: $*"
		show_last
	fi
}

# expect_json TEXT WHAT: TEXT parses as JSON.
expect_json()
{
	if printf '%s' "$1" | python3 -m json.tool >/dev/null 2>&1; then
		pass "$2"
	else
		fail "$2"
		show_last
	fi
}

# finish: report and exit 0 if every check passed.
finish()
{
	if [ "$CHECKS" -eq 0 ]; then
		echo "$TEST_NAME: no checks ran"
		exit 1
	fi
	echo "$TEST_NAME: $((CHECKS - FAILS)) of $CHECKS checks passed"
	[ "$FAILS" -eq 0 ] || exit 1
	exit 0
}

# ----------------------------------------------------------- HTTP server

# start_http DIR: serve DIR with python3 -m http.server on a free port of
# 127.0.0.1; sets HTTP_PID, HTTP_PORT and HTTP_URL. Waits (at most ~10 s)
# until it answers; retries on another port if the first was taken.
start_http()
{
	local dir=$1 try i
	for try in 1 2 3; do
		HTTP_PORT=$(free_port)
		python3 -m http.server --bind 127.0.0.1 --directory "$dir" \
		    "$HTTP_PORT" >>"$T/http.log" 2>&1 &
		HTTP_PID=$!
		HTTP_URL="http://127.0.0.1:$HTTP_PORT"
		for ((i = 0; i < 100; i++)); do
			if curl -s -o /dev/null --max-time 1 "$HTTP_URL/"; then
				log "http server pid $HTTP_PID on $HTTP_URL"
				return 0
			fi
			kill -0 "$HTTP_PID" 2>/dev/null || break
			sleep 0.1
		done
		stop_http
		echo "start_http: try $try failed" >&2
	done
	cat "$T/http.log" >&2
	die "could not start the HTTP server"
}

# start_fixture DIR LOG LIFETIME: http_fixture.py (a server that
# misbehaves on purpose, see there) serving DIR on a free port of
# 127.0.0.1, logging each request to LOG, for at most LIFETIME seconds;
# sets HTTP_PID, HTTP_PORT and HTTP_URL, so stop_http stops it. Waits
# (at most ~10 s) until it listens.
start_fixture()
{
	local i
	rm -f "$T/port"
	python3 "$ROOT/tests/integration/http_fixture.py" --dir "$1" \
	    --log "$2" --port-file "$T/port" --lifetime "$3" \
	    >>"$T/fixture.out" 2>&1 &
	HTTP_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -s "$T/port" ] && break
		kill -0 "$HTTP_PID" 2>/dev/null || break
		sleep 0.1
	done
	[ -s "$T/port" ] || { cat "$T/fixture.out" >&2; die "no fixture"; }
	HTTP_PORT=$(cat "$T/port")
	HTTP_URL="http://127.0.0.1:$HTTP_PORT"
	log "fixture pid $HTTP_PID on $HTTP_URL"
}

# stop_http: stop the server started by start_http or start_fixture (its
# PID only).
stop_http()
{
	if [ -n "$HTTP_PID" ]; then
		kill "$HTTP_PID" 2>/dev/null
		wait "$HTTP_PID" 2>/dev/null
		HTTP_PID=""
	fi
}

# serve SRC DIR/NAME: copy SRC into place for the HTTP server, giving it
# a modification time later than any it had, so a conditional GET
# (If-Modified-Since, second resolution) always sees a new file.
SERVE_MTIME=$(($(date +%s) + 10))
serve()
{
	SERVE_MTIME=$((SERVE_MTIME + 10))
	if ! cp "$1" "$2.tmp" || ! touch -d "@$SERVE_MTIME" "$2.tmp" ||
	    ! mv -f "$2.tmp" "$2"; then
		die "serve $1 $2"
	fi
}

# ------------------------------------------------------------ the daemon
#
# The daemon's helpers (start_reputed, expect_a, expect_rcode, ...) are in
# lib_dns.sh, which DNS tests source after this file. The cleanup above
# calls stop_reputed, so a fallback that does nothing without a daemon is
# defined here.
REPUTED_PID=""

# stop_reputed: stop the daemon started by start_reputed (its PID only).
stop_reputed()
{
	if [ -n "$REPUTED_PID" ]; then
		kill "$REPUTED_PID" 2>/dev/null
		wait "$REPUTED_PID" 2>/dev/null
		REPUTED_PID=""
	fi
}
