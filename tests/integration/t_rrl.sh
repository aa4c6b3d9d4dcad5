#!/bin/bash
# t_rrl.sh -- response rate limiting (rate-limit, rate-limit-slip,
# rate-limit-exempt): a flood of one query from a loopback alias gets
# about rate-limit answers a second, about one in rate-limit-slip of the
# rest come back truncated (TC=1, no answer), the same /24 shares the
# limit, another /24 and another name do not, TCP is never limited, and
# a reload can turn it off or exempt the client. Every 127.0.0.x is
# loopback; the default exemption of 127.0.0.0/8 is set to ::1 only.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

RATE=20
drop_conf "rate-limit = $RATE" 'rate-limit-slip = 2' \
    'rate-limit-exempt = ::1'
import_or_die --force
start_reputed
LISTED=$(revname 1.10.16.1 bl.test)

# flood.py PORT SRC NAME QPS SECONDS: send NAME A from SRC at QPS for
# SECONDS; print "sent full truncated" (answers with TC=0 and TC=1).
cat >"$T/flood.py" <<'EOF'
import select, socket, struct, sys, time

port, src, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
qps, secs = float(sys.argv[4]), float(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((src, 0))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)

def query(qid):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)

sent = full = tc = 0
t0 = time.time()
end = t0 + secs
while True:
    now = time.time()
    if now >= end + 0.5:
        break
    if now < end:
        while sent < (now - t0) * qps:
            s.sendto(query(sent & 0xffff), ("127.0.0.1", port))
            sent += 1
    r, _, _ = select.select([s], [], [], 0.002)
    while r:
        m = s.recv(4096)
        if m[2] & 0x02:
            tc += 1
            # A slipped answer: no records, the question kept.
            assert struct.unpack(">HHH", m[6:12]) == (0, 0, 0)
        else:
            full += 1
        r, _, _ = select.select([s], [], [], 0)
print(sent, full, tc)
EOF

# flood SRC NAME QPS SECONDS: run flood.py; sets SENT FULL TRUNC.
flood()
{
	run timeout 30 python3 "$T/flood.py" "$REPUTED_PORT" "$@"
	read -r SENT FULL TRUNC <<<"$OUT"
	[ "$RC" = 0 ] || { fail "flood.py $*"; show_last; SENT=0 FULL=0 TRUNC=0; }
	log "flood from $1 of $2 at $3 qps for $4 s: sent $SENT, answered" \
	    "$FULL, truncated $TRUNC"
}

# within VALUE LOW HIGH WHAT
within()
{
	if [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; then
		pass "$4 ($1, expected $2..$3)"
	else
		fail "$4 ($1, expected $2..$3)"
	fi
}

log "a flood from 127.0.0.2, and a quiet client in 127.0.1.0/24"
SECS=4
python3 "$T/flood.py" "$REPUTED_PORT" 127.0.1.2 "$LISTED" 10 "$SECS" \
    >"$T/quiet.out" 2>&1 &
QUIET=$!
flood 127.0.0.2 "$LISTED" 500 "$SECS"
wait "$QUIET"
read -r QSENT QFULL QTRUNC <"$T/quiet.out"
# A full bucket (RATE) and then RATE a second.
within "$FULL" $((RATE * SECS * 8 / 10)) $((RATE * SECS + RATE + 5)) \
    "answers a second stay near rate-limit = $RATE"
DROPPED=$((SENT - FULL))
within "$TRUNC" $((DROPPED * 4 / 10)) $((DROPPED * 6 / 10)) \
    "about one in rate-limit-slip = 2 limited answers is slipped"
expect_eq "$QFULL/$QTRUNC" "$QSENT/0" \
    "another /24 under the limit is answered in full during the flood"
[ "$QSENT" -ge $((10 * SECS - 2)) ] || fail "the quiet client sent (${QSENT:-0})"

log "the same /24 shares a limit; another name does not"
# Three floods at once for 2 s: 127.0.0.2 and 127.0.0.3 ask the same
# name (one /24: one limit between them), 127.0.0.2 another name (its
# own limit). Each limit allows a bucket (RATE) and RATE a second.
sleep 1.1	# every bucket full again
python3 "$T/flood.py" "$REPUTED_PORT" 127.0.0.3 "$LISTED" 300 2 \
    >"$T/b.out" 2>&1 &
B=$!
python3 "$T/flood.py" "$REPUTED_PORT" 127.0.0.2 \
    "$(revname 1.0.0.127 bl.test)" 300 2 >"$T/c.out" 2>&1 &
C=$!
flood 127.0.0.2 "$LISTED" 300 2
wait "$B" "$C"
read -r _ BFULL _ <"$T/b.out"
read -r _ CFULL _ <"$T/c.out"
within $((FULL + BFULL)) $((RATE * 2)) $((RATE * 3 + 10)) \
    "127.0.0.2 and 127.0.0.3 (one /24) share one limit for a name"
[ "$BFULL" -gt 0 ] || fail "127.0.0.3 got answers too"
within "$CFULL" $((RATE * 2)) $((RATE * 3 + 10)) \
    "another name from 127.0.0.2 has its own limit"

log "TCP is never limited"
python3 "$T/flood.py" "$REPUTED_PORT" 127.0.0.2 "$LISTED" 500 2 >/dev/null 2>&1 &
BG=$!
ok=0
for _ in $(seq 1 30); do
	run dig @127.0.0.1 -p "$REPUTED_PORT" -b 127.0.0.2 +tcp +tries=1 \
	    +time=2 +short "$LISTED" A
	[ "$OUT" = 127.0.0.2 ] && ok=$((ok + 1))
done
wait "$BG"
expect_eq "$ok" 30 "30 TCP queries from the flooding client all answered"

log "reload: rate-limit = 0 turns it off"
sed -i "s/^rate-limit = .*/rate-limit = 0/" "$CONF"
kill -HUP "$REPUTED_PID"
# reloaded_at_least N: the log says "reloaded" N times (read anew each try).
reloaded_at_least()
{
	[ "$(grep -c reloaded "$REPUTED_LOG")" -ge "$1" ]
}

wait_for 5 grep -q "reloaded" "$REPUTED_LOG" || fail "reloaded"
flood 127.0.0.2 "$LISTED" 300 1
expect_eq "$FULL/$TRUNC" "$SENT/0" "rate-limit = 0: every answer sent"

log "reload: the default exemption (127.0.0.0/8) spares loopback"
sed -i "s/^rate-limit = .*/rate-limit = $RATE/; /^rate-limit-exempt/d" "$CONF"
kill -HUP "$REPUTED_PID"
wait_for 5 reloaded_at_least 2 || fail "reloaded twice"
flood 127.0.0.2 "$LISTED" 300 1
expect_eq "$FULL/$TRUNC" "$SENT/0" "rate-limit-exempt default: 127.0.0.2 not limited"

log "rate-limit-slip = 0: nothing slipped"
sed -i "s/^rate-limit-slip = .*/rate-limit-slip = 0\\nrate-limit-exempt =/" "$CONF"
kill -HUP "$REPUTED_PID"
wait_for 5 reloaded_at_least 3 || fail "reloaded 3 times"
flood 127.0.0.4 "$LISTED" 300 1
within "$FULL" 10 $((RATE * 2 + 5)) "empty rate-limit-exempt: 127.0.0.4 limited"
expect_eq "$TRUNC" 0 "rate-limit-slip = 0: no truncated answers"

stop_reputed
finish
