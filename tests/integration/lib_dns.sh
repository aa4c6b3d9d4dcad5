#!/bin/bash
# lib_dns.sh -- helpers for the DNS daemon tests, sourced after lib.sh:
#
#	. "$(dirname "$0")/lib.sh"
#	. "$(dirname "$0")/lib_dns.sh"
#	make_conf <<EOF ... EOF
#	run_import --force
#	start_reputed
#	expect_a     1.16.10.1.bl.test 127.0.0.2
#	expect_rcode 1.0.0.127.bl.test NXDOMAIN
#	stop_reputed
#	finish
#
# The daemon runs in the foreground with -v, its log in $T/reputed.log,
# on $REPUTED_PORT (from make_conf) of 127.0.0.1 (and ::1 after
# listen_v6). Queries use dig or kdig with one try and a 2 s limit.

need_prog "$REPUTED"
for _p in dig kdig python3; do
	command -v "$_p" >/dev/null || die "$_p is not installed (make deps)"
done
unset _p

REPUTED_LOG=$T/reputed.log
REPUTED_RC=""
DIG_OPTS=(+tries=1 +time=2)
KDIG_OPTS=(+retry=0 +timeout=2)

# drop_conf [-z ZONE] [-s LINE]... [LINE...]: the configuration most DNS
# tests start from: the Spamhaus DROP fixture copied to $T/drop.txt,
# and $CONF (make_conf) with each LINE added to [server], a [source
# drop] reading the copy (with each -s LINE added: txt = ..., code =
# ...), and [zone ZONE] (default bl.test) serving it.
# shellcheck disable=SC2120 # without arguments: the defaults
drop_conf()
{
	local zone=bl.test opt OPTIND=1 src=()
	while getopts s:z: opt; do
		case $opt in
		s) src+=("$OPTARG") ;;
		z) zone=$OPTARG ;;
		*) die "drop_conf: bad option" ;;
		esac
	done
	shift $((OPTIND - 1))
	cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt" ||
	    die "copy drop.txt"
	# Not a pipe: make_conf sets REPUTED_PORT in this shell.
	make_conf < <(
		[ $# -gt 0 ] && printf '%s\n' "$@" ""
		echo "[source drop]"
		echo "url  = file://$T/drop.txt"
		[ ${#src[@]} -gt 0 ] && printf '%s\n' "${src[@]}"
		echo
		echo "[zone $zone]"
		echo "sources = drop"
	)
}

# reputed_alive: the daemon we started is running (a zombie is not).
reputed_alive()
{
	local st
	[ -n "$REPUTED_PID" ] || return 1
	st=$(ps -o stat= -p "$REPUTED_PID" 2>/dev/null) || return 1
	case $st in
	Z*) return 1 ;;
	esac
	return 0
}

# show_reputed_log: the daemon's log, indented (for failures).
show_reputed_log()
{
	echo "   reputed log ($REPUTED_LOG):"
	tail -n 40 "$REPUTED_LOG" 2>/dev/null | sed 's/^/     | /'
}

# has_ipv6: ::1 can be bound here.
has_ipv6()
{
	python3 -c 'import socket
s = socket.socket(socket.AF_INET6)
s.bind(("::1", 0))' 2>/dev/null
}

# listen_v6: also listen on [::1] with the same port.
listen_v6()
{
	sed -i "s/^listen .*/& [::1]:$REPUTED_PORT/" "$CONF"
}

# set_port PORT: move every listen address of $CONF to PORT.
set_port()
{
	sed -i "/^listen/s/:$REPUTED_PORT\b/:$1/g" "$CONF"
	REPUTED_PORT=$1
}

# reputed_ready: one query, of any answer, comes back.
reputed_ready()
{
	dig @127.0.0.1 -p "$REPUTED_PORT" +tries=1 +time=1 . SOA 2>/dev/null |
	    grep -q 'status:'
}

# start_reputed: run $REPUTED -v -c $CONF in the background and wait
# (at most ~10 s) until it answers. If the port was taken meanwhile,
# retry on another one; any other failure stops the test with the
# daemon's log.
start_reputed()
{
	local i
	for _ in 1 2 3; do
		: >"$REPUTED_LOG"
		"$REPUTED" -v -c "$CONF" >>"$REPUTED_LOG" 2>&1 &
		REPUTED_PID=$!
		for ((i = 0; i < 100; i++)); do
			if reputed_ready; then
				log "reputed pid $REPUTED_PID on port $REPUTED_PORT"
				return 0
			fi
			reputed_alive || break
			sleep 0.1
		done
		if reputed_alive; then
			kill -KILL "$REPUTED_PID" 2>/dev/null
		fi
		wait "$REPUTED_PID" 2>/dev/null
		REPUTED_PID=""
		grep -qi 'address already in use' "$REPUTED_LOG" || break
		set_port "$(free_port)"
	done
	show_reputed_log >&2
	die "reputed did not start"
}

# stop_reputed: stop the daemon we started (its PID only) with SIGTERM
# (or $STOP_SIGNAL: INT...), wait at most 10 s, and keep its exit code in
# REPUTED_RC. A daemon that does not stop, or exits non-zero, is a
# failed check, shown with its log.
stop_reputed()
{
	local sig=${STOP_SIGNAL:-TERM} i
	[ -n "$REPUTED_PID" ] || return 0
	kill "-$sig" "$REPUTED_PID" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		reputed_alive || break
		sleep 0.1
	done
	if reputed_alive; then
		kill -KILL "$REPUTED_PID" 2>/dev/null
		wait "$REPUTED_PID" 2>/dev/null
		REPUTED_PID=""
		REPUTED_RC=killed
		fail "reputed stops within 10 s of SIG$sig"
		show_reputed_log
		return 0
	fi
	wait "$REPUTED_PID" 2>/dev/null
	REPUTED_RC=$?
	REPUTED_PID=""
	if [ "$REPUTED_RC" != 0 ]; then
		fail "reputed exits 0 after SIG$sig (exit $REPUTED_RC)"
		show_reputed_log
	fi
	case $(cat "$REPUTED_LOG" 2>/dev/null) in
	*"runtime error:"* | *"Sanitizer"*)
		fail "a sanitizer report from reputed"
		show_reputed_log
		;;
	esac
	return 0
}

# client_checks WHAT CMD...: run CMD, a client that prints a line "PASS
# what" or "FAIL what" for each check it makes: each is a check here.
# CMD failing is one more (WHAT ran), shown with its output.
client_checks()
{
	local what=$1 verdict line
	shift
	run "$@"
	while read -r verdict line; do
		case $verdict in
		PASS) pass "$line" ;;
		FAIL) fail "$line" ;;
		esac
	done <<<"$OUT"
	[ "$RC" = 0 ] || { fail "$what ran"; show_last; }
}

# revname ADDR ZONE: the DNSBL query name of ADDR in ZONE (RFC 5782).
revname()
{
	python3 -c 'import ipaddress, sys
p = ipaddress.ip_address(sys.argv[1]).reverse_pointer
print(p.rsplit(".", 2)[0] + "." + sys.argv[2])' "$1" "$2"
}

# dq [dig options...] NAME [TYPE]: query with dig; output in $OUT.
dq()
{
	run dig @127.0.0.1 -p "$REPUTED_PORT" "${DIG_OPTS[@]}" "$@"
}

# kq [kdig options...] NAME [TYPE]: the same with kdig.
kq()
{
	run kdig @127.0.0.1 -p "$REPUTED_PORT" "${KDIG_OPTS[@]}" "$@"
}

# status_of TEXT: the rcode in dig's or kdig's header line.
status_of()
{
	printf '%s\n' "$1" | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -n 1
}

# short_sorted: dig/kdig +short output, unquoted and sorted.
short_sorted()
{
	printf '%s\n' "$OUT" | tr -d '"' | sed '/^$/d' | sort
}

# expect_a NAME CODE... [-- dig options]: the A answer is exactly the
# CODEs (any order). No CODE: no A record at all. CLIENT=kdig for kdig.
expect_a()
{
	local name=$1 want got
	shift
	local codes=() opts=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do codes+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	opts=("$@")
	if [ "${CLIENT:-dig}" = kdig ]; then
		kq +short "${opts[@]}" "$name" A
	else
		dq +short "${opts[@]}" "$name" A
	fi
	got=$(short_sorted)
	want=$(printf '%s\n' "${codes[@]}" | sed '/^$/d' | sort)
	if [ "$RC" = 0 ] && [ "$got" = "$want" ]; then
		pass "${CLIENT:-dig} $name A -> ${codes[*]:-nothing}"
	else
		fail "${CLIENT:-dig} $name A -> ${codes[*]:-nothing}"
		echo "   got: $(echo "$got" | tr '\n' ' ')"
		show_last
	fi
}

# expect_txt NAME TEXT [dig options]: a TXT record of NAME contains TEXT.
expect_txt()
{
	local name=$1 text=$2
	shift 2
	if [ "${CLIENT:-dig}" = kdig ]; then
		kq +short "$@" "$name" TXT
	else
		dq +short "$@" "$name" TXT
	fi
	if [ "$RC" = 0 ] && short_sorted | grep -qF -- "$text"; then
		pass "${CLIENT:-dig} $name TXT has '$text'"
	else
		fail "${CLIENT:-dig} $name TXT has '$text'"
		show_last
	fi
}

# expect_rcode NAME RCODE [TYPE [dig options]]: the answer's rcode.
expect_rcode()
{
	local name=$1 want=$2 type=${3:-A}
	shift 2
	[ $# -gt 0 ] && shift
	if [ "${CLIENT:-dig}" = kdig ]; then
		kq "$@" "$name" "$type"
	else
		dq "$@" "$name" "$type"
	fi
	if [ "$(status_of "$OUT")" = "$want" ]; then
		pass "${CLIENT:-dig} $name $type -> $want"
	else
		fail "${CLIENT:-dig} $name $type -> $want"
		show_last
	fi
}

# section NAME: the records of one section of the last dig output
# ("ANSWER", "AUTHORITY", "ADDITIONAL"), one per line, no comments.
section()
{
	printf '%s\n' "$OUT" | awk -v s=";; $1 SECTION:" '
	    $0 == s { on = 1; next }
	    on && (/^$/ || /^;;/) { exit }
	    on { print }'
}

# wait_for SECONDS CMD...: run CMD every 0.1 s until it succeeds; 1 if
# it never did.
wait_for()
{
	local limit=$(($1 * 10)) i
	shift
	for ((i = 0; i < limit; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
