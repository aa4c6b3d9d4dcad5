#!/bin/bash
# t_rbldnsd_acl.sh -- rbldnsd's acl datasets: Debian's rbldnsd and
# `reputed --rbldnsd` on the same zones, zone acls (zone:acl:file) and
# global acl (:acl:file), asked the same questions from clients
# 127.0.0.N and ::1 by rbldnsd_acl.py: every action (ignore, refuse,
# empty, pass, always listed), their precedence, defaults, combined
# subzones. Then the acl command lines both refuse at startup.
. "$(dirname "$0")/lib.sh"

RBLDNSD=${RBLDNSD:-/usr/sbin/rbldnsd}
[ -x "$RBLDNSD" ] || die "$RBLDNSD is not installed (apt-get install rbldnsd)"
need_prog "$REPUTED"
command -v python3 >/dev/null || die "python3 is not installed"

RBL_PID=""
REP_PID=""
# rbldnsd refuses to run as root without -u: both run as nobody.
RUN_USER=nobody
DATA=$T/data

stop_both()
{
	local p
	for p in $RBL_PID $REP_PID; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	RBL_PID=""
	REP_PID=""
}
trap 'stop_both; cleanup' EXIT

# ready PORT PID: one answer comes back within ~10 s, while PID lives.
ready()
{
	local i
	for ((i = 0; i < 100; i++)); do
		if dig @127.0.0.1 -p "$1" +tries=1 +time=1 . SOA 2>/dev/null |
		    grep -q 'status:'; then
			return 0
		fi
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

mkdir -p "$DATA"
cp "$ROOT"/tests/data/rbldnsd/acl*.zone "$DATA"/
chmod 755 "$T" "$DATA"
chmod 644 "$DATA"/*

ZONES=(
	acl.test:ip4set:acl-data.zone
	acl.test:acl:acl-zone.zone
	aclb.test:ip4set:acl-data-b.zone
	aclb.test:ip6trie:acl-data6.zone
	aclc.test:combined:acl-combined.zone
	aclc.test:acl:acl-zone.zone
	:acl:acl-global.zone
)
OPTS=(-n -u "$RUN_USER" -a -w "$DATA" -t 25m:1m:1d -c 60)

# Both listen on ::1 too when it can be bound (the IPv6 client).
V6=1
python3 -c 'import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' \
    2>/dev/null || V6=0
binds()
{
	printf '%s\n' -b "127.0.0.1/$1"
	[ "$V6" = 1 ] && printf '%s\n' -b "::1/$1"
}

RBL_PORT=$(free_port)
mapfile -t B < <(binds "$RBL_PORT")
"$RBLDNSD" "${OPTS[@]}" "${B[@]}" "${ZONES[@]}" >"$T/rbldnsd.log" 2>&1 &
RBL_PID=$!
ready "$RBL_PORT" "$RBL_PID" || { cat "$T/rbldnsd.log"; die "rbldnsd did not start"; }
log "rbldnsd pid $RBL_PID on port $RBL_PORT"

REP_PORT=$(free_port)
mapfile -t B < <(binds "$REP_PORT")
"$REPUTED" --rbldnsd "${OPTS[@]}" "${B[@]}" "${ZONES[@]}" \
    >"$T/reputed.log" 2>&1 &
REP_PID=$!
ready "$REP_PORT" "$REP_PID" || { cat "$T/reputed.log"; die "reputed --rbldnsd did not start"; }
log "reputed --rbldnsd pid $REP_PID on port $REP_PORT"

LOG=$(cat "$T/reputed.log")
expect_contains "$LOG" "acl-zone.zone:28: invalid address '!127.0.0.42'" \
    "an acl's bad line is reported with its file and line"
expect_contains "$LOG" "acl-zone.zone:3: invalid or unrecognized special entry '\$SOA'" \
    "an acl's \$SOA is ignored with a warning, as in rbldnsd"

ENV=()
[ "$V6" = 1 ] || ENV=(ACL_NO_V6=1)
RUN_TIMEOUT=280 run env "${ENV[@]}" python3 \
    "$ROOT/tests/integration/rbldnsd_acl.py" "$RBL_PORT" "$REP_PORT" \
    "$DATA" "$ROOT/docs/rbldnsd.md" "${ZONES[@]}"
printf '%s\n' "$OUT"
if [ "$RC" = 0 ]; then
	pass "every client gets rbldnsd's answers or a documented difference"
else
	fail "acl answers differ from rbldnsd's beyond docs/rbldnsd.md"
	printf '%s\n' "$ERR" | tail -n 20
fi
stop_both

# Command lines both refuse, with rbldnsd's words.
refused()
{
	local what=$1 words=$2 port rrc prc
	shift 2
	port=$(free_port)
	timeout -k 5 30 "$RBLDNSD" "${OPTS[@]}" -b "127.0.0.1/$port" "$@" \
	    >"$T/r.out" 2>&1 </dev/null
	rrc=$?
	timeout -k 5 60 "$REPUTED" --rbldnsd "${OPTS[@]}" \
	    -b "127.0.0.1/$port" "$@" >"$T/p.out" 2>&1 </dev/null
	prc=$?
	if [ "$rrc" = 1 ] && [ "$prc" = 1 ] &&
	    grep -q -- "$words" "$T/p.out"; then
		pass "$what: both refuse to start"
	else
		fail "$what: rbldnsd exit $rrc, reputed exit $prc (wanted 1 and '$words')"
		sed 's/^/     | /' "$T/r.out" "$T/p.out" | tail -n 20
	fi
}
refused "a zone with only an acl" "missing data for zone x.test" \
    x.test:acl:acl-zone.zone
refused "two global acls" "global acl specified more than once" \
    :acl:acl-zone.zone :acl:acl-global.zone acl.test:ip4set:acl-data.zone
refused "two acls of one zone" "repeated ACL definition for zone acl.test" \
    acl.test:ip4set:acl-data.zone acl.test:acl:acl-zone.zone \
    acl.test:acl:acl-global.zone
refused "an acl block in combined data" "cannot be used inside combined" \
    aclc.test:combined:acl-combined-bad.zone
refused "a data set with no zone name" "missing domain name" \
    :ip4set:acl-data.zone
finish
