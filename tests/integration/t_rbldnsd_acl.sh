#!/bin/bash
# t_rbldnsd_acl.sh -- rbldnsd's acl datasets: Debian's rbldnsd and
# `reputed --rbldnsd` on the same zones, zone acls (zone:acl:file) and
# global acl (:acl:file), asked the same questions from clients
# 127.0.0.N and ::1 by rbldnsd_acl.py: every action (ignore, refuse,
# empty, pass, always listed), their precedence, defaults, combined
# subzones. Then the acl command lines both refuse at startup.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_rbldnsd.sh
. "$(dirname "$0")/lib_rbldnsd.sh"
need_rbldnsd

data_dir "$ROOT"/tests/data/rbldnsd/acl*.zone

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
BIND_V6=1
python3 -c 'import socket; s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' \
    2>/dev/null || BIND_V6=0
start_both

LOG=$(cat "$T/reputed.log")
expect_contains "$LOG" "acl-zone.zone:28: invalid address '!127.0.0.42'" \
    "an acl's bad line is reported with its file and line"
expect_contains "$LOG" "acl-zone.zone:3: invalid or unrecognized special entry '\$SOA'" \
    "an acl's \$SOA is ignored with a warning, as in rbldnsd"

[ "$BIND_V6" = 1 ] || export ACL_NO_V6=1
RUN_TIMEOUT=280 compare_both rbldnsd_acl.py \
    "every client gets rbldnsd's answers or a documented difference" \
    "acl answers differ from rbldnsd's beyond docs/rbldnsd.md"
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
