#!/bin/bash
# lib_rbldnsd.sh -- helpers for the tests of `reputed --rbldnsd`, alone or
# beside Debian's rbldnsd on the same data files; sourced after lib.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/lib_rbldnsd.sh"
#	need_rbldnsd
#	data_dir "$ROOT"/tests/data/rbldnsd/acl*.zone
#	ZONES=(acl.test:ip4set:acl-data.zone ...)
#	OPTS=(-n -u "$RUN_USER" -a -w "$DATA" -c 60)
#	start_both		# RBL_PORT, RBL_PID, REP_PORT, REP_PID
#	compare_both rbldnsd_diff.py "the same" "not the same"
#	stop_both
#	finish
#
# rbldnsd refuses to run as root without -u, so the servers run as
# $RUN_USER and what they read ($DATA and its files) is made readable by
# it. Servers are stopped by their PID only, at exit too.

need_prog "$REPUTED"
for _p in dig python3; do
	command -v "$_p" >/dev/null || die "$_p is not installed (make deps)"
done
unset _p

RBLDNSD=${RBLDNSD:-/usr/sbin/rbldnsd}
# shellcheck disable=SC2034 # used by the tests
RUN_USER=nobody
DATA=$T/data
# shellcheck disable=SC2034 # set by rbl_start (printf -v)
RBL_PID=""
RBL_PORT=""
# shellcheck disable=SC2034
REP_PID=""
REP_PORT=""
BIND_V6=0	# 1: the servers listen on ::1 too
OPTS=()		# the options both servers get, before -b
ZONES=()	# the zone specs (ZONE:TYPE:FILE,...), after -b

# need_rbldnsd: die unless Debian's rbldnsd ($RBLDNSD) is installed.
need_rbldnsd()
{
	[ -x "$RBLDNSD" ] ||
	    die "$RBLDNSD is not installed (apt-get install rbldnsd)"
}

# data_dir [FILE...]: make $DATA with copies of the FILEs, all of it
# readable by $RUN_USER.
# shellcheck disable=SC2120 # without arguments: an empty $DATA
data_dir()
{
	mkdir -p "$DATA" || die "mkdir $DATA"
	if [ $# -gt 0 ]; then
		cp "$@" "$DATA"/ || die "copy the data files"
	fi
	chmod 755 "$T" "$DATA"
	if [ $# -gt 0 ]; then
		chmod 644 "$DATA"/*
	fi
}

# stop_pid VAR: stop the server whose PID is in the variable VAR (that
# PID only), wait for it, and empty VAR.
stop_pid()
{
	if [ -n "${!1}" ]; then
		kill "${!1}" 2>/dev/null
		wait "${!1}" 2>/dev/null
	fi
	printf -v "$1" %s ""
}

# stop_both: stop the servers start_both started.
stop_both()
{
	stop_pid RBL_PID
	stop_pid REP_PID
}
trap 'stop_both; cleanup' EXIT

# ready PORT PID [NAME STATUS]: an answer to NAME SOA (default: the root,
# any status) comes back from PORT within ~10 s, while PID lives.
ready()
{
	local i
	for ((i = 0; i < 100; i++)); do
		if dig @127.0.0.1 -p "$1" +tries=1 +time=1 "${3:-.}" SOA \
		    2>/dev/null | grep -q "status: ${4:-}"; then
			return 0
		fi
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# rbl_start PIDVAR PORT NAME LOG CMD...: run CMD, then OPTS, -b on PORT
# of 127.0.0.1 (and of ::1 with BIND_V6=1), then ZONES, in the
# background, its output in LOG and its PID in the variable PIDVAR. Wait
# until it answers; if it does not, show LOG and stop the test.
rbl_start()
{
	local pidvar=$1 port=$2 name=$3 out=$4 pid
	local binds=(-b "127.0.0.1/$port")
	shift 4
	[ "$BIND_V6" = 1 ] && binds+=(-b "::1/$port")
	"$@" "${OPTS[@]}" "${binds[@]}" "${ZONES[@]}" >"$out" 2>&1 &
	pid=$!
	printf -v "$pidvar" %s "$pid"
	ready "$port" "$pid" || { cat "$out"; die "$name did not start"; }
	log "$name pid $pid on port $port"
}

# start_both: rbldnsd (log $T/rbldnsd.log) and reputed --rbldnsd (log
# $T/reputed.log), each with OPTS and ZONES on a free port: RBL_PORT and
# RBL_PID, REP_PORT and REP_PID.
start_both()
{
	RBL_PORT=$(free_port)
	rbl_start RBL_PID "$RBL_PORT" rbldnsd "$T/rbldnsd.log" "$RBLDNSD"
	REP_PORT=$(free_port)
	rbl_start REP_PID "$REP_PORT" "reputed --rbldnsd" "$T/reputed.log" \
	    "$REPUTED" --rbldnsd
}

# compare_both SCRIPT OK BAD: run SCRIPT (rbldnsd_diff.py or one like it,
# in this folder) on RBL_PORT, REP_PORT, $DATA, docs/rbldnsd.md and
# ZONES, and show its report: one check, OK when it exits 0, else BAD
# (with the end of its errors). RUN_TIMEOUT applies.
compare_both()
{
	run python3 "$ROOT/tests/integration/$1" "$RBL_PORT" "$REP_PORT" \
	    "$DATA" "$ROOT/docs/rbldnsd.md" "${ZONES[@]}"
	printf '%s\n' "$OUT"
	if [ "$RC" = 0 ]; then
		pass "$2"
	else
		fail "$3"
		printf '%s\n' "$ERR" | tail -n 20
	fi
}

# records PORT NAME TYPE: the answer's records, one "TTL TYPE DATA" a
# line, sorted (dig over UDP, no recursion asked).
records()
{
	dig @127.0.0.1 -p "$1" +notcp +tries=1 +time=2 +norec +noall \
	    +answer "$2" "$3" 2>/dev/null | awk '{ printf "%s %s", $2, $4
	    for (i = 5; i <= NF; i++) printf " %s", $i; print "" }' | sort
}
