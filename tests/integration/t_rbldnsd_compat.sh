#!/bin/bash
# t_rbldnsd_compat.sh -- Debian's rbldnsd and `reputed --rbldnsd` on the
# same command line and data files (tests/data/rbldnsd/ and the rbldnsd
# fixtures of tests/data/lists/), asked the same generated questions by
# rbldnsd_diff.py: every difference in their answers must be one that
# docs/rbldnsd.md lists, or the test fails.
. "$(dirname "$0")/lib.sh"

RBLDNSD=${RBLDNSD:-/usr/sbin/rbldnsd}
[ -x "$RBLDNSD" ] || die "$RBLDNSD is not installed (apt-get install rbldnsd)"
need_prog "$REPUTED"
command -v python3 >/dev/null || die "python3 is not installed"

RBL_PID=""
REP_PID=""
# rbldnsd refuses to run as root without -u: both run as nobody, so the
# data must be readable by it.
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
cp "$ROOT"/tests/data/rbldnsd/*.zone "$DATA"/
cp "$(fixture rbldnsd-uceprotect/dnsbl-1.uceprotect.net)" \
    "$(fixture rbldnsd-uceprotect/dnsbl-2.uceprotect.net)" \
    "$(fixture rbldnsd-backscatterer/ips.backscatterer.org)" "$DATA"/
chmod 755 "$T" "$DATA"
chmod 644 "$DATA"/*

ZONES=(
	set.test:ip4set:ip4set-a.zone,ip4set-b.zone
	sub.set.test:ip4trie:sub.zone
	trie.test:ip4trie:ip4trie.zone
	tset.test:ip4tset:ip4tset.zone
	v6.test:ip6trie:ip6trie.zone
	v6t.test:ip6tset:ip6tset.zone
	multi.test:ip4set:multi-a.zone
	multi.test:ip4trie:multi-b.zone
	multi.test:ip6trie:multi6.zone
	base.test:ip4set:base.zone
	nosoa.test:ip4set:nosoa.zone
	combo.test:combined:combined.zone
	dn.test:dnset:dnset-a.zone,dnset-b.zone
	multi.test:dnset:dnset-b.zone
	combo-dn.test:combined:dnset-combined.zone
	uce1.test:ip4set:dnsbl-1.uceprotect.net
	uce2.test:ip4set:dnsbl-2.uceprotect.net
	bsc.test:ip4set:ips.backscatterer.org
)
# -a: rbldnsd's minimal answers, which reputed always gives (see
# docs/rbldnsd.md); -t exercises the TTL limits.
OPTS=(-n -u "$RUN_USER" -a -w "$DATA" -t 25m:1m:1d -c 60)

RBL_PORT=$(free_port)
"$RBLDNSD" "${OPTS[@]}" -b "127.0.0.1/$RBL_PORT" "${ZONES[@]}" \
    >"$T/rbldnsd.log" 2>&1 &
RBL_PID=$!
ready "$RBL_PORT" "$RBL_PID" || { cat "$T/rbldnsd.log"; die "rbldnsd did not start"; }
log "rbldnsd pid $RBL_PID on port $RBL_PORT"

REP_PORT=$(free_port)
"$REPUTED" --rbldnsd "${OPTS[@]}" -b "127.0.0.1/$REP_PORT" "${ZONES[@]}" \
    >"$T/reputed.log" 2>&1 &
REP_PID=$!
ready "$REP_PORT" "$REP_PID" || { cat "$T/reputed.log"; die "reputed --rbldnsd did not start"; }
log "reputed --rbldnsd pid $REP_PID on port $REP_PORT"

expect_contains "$(cat "$T/reputed.log")" "option -a accepted but ignored" \
    "an ignored option is reported"
expect_contains "$(cat "$T/reputed.log")" "ip4set-a.zone:45: host bits set" \
    "a bad line is reported with its file and line"

run python3 "$ROOT/tests/integration/rbldnsd_diff.py" "$RBL_PORT" \
    "$REP_PORT" "$DATA" "$ROOT/docs/rbldnsd.md" "${ZONES[@]}"
printf '%s\n' "$OUT"
if [ "$RC" = 0 ]; then
	pass "every answer is rbldnsd's or a documented difference"
else
	fail "answers differ from rbldnsd's beyond docs/rbldnsd.md"
	printf '%s\n' "$ERR" | tail -n 20
fi

# The store directory was private: it goes with the server.
STORE=$(sed -n 's/^reputed: store \([^,]*\),.*/\1/p' "$T/reputed.log" | head -n 1)
stop_both
if [ -n "$STORE" ] && [ ! -e "$STORE" ]; then
	pass "the temporary store $STORE is removed at exit"
else
	fail "the temporary store '$STORE' is still there"
fi
finish
