#!/bin/bash
# t_rbldnsd_reload.sh -- `reputed --rbldnsd` reloads its data files while
# a client queries it without a pause: no query times out, a change is
# served within one -c interval (a same-size edit in the same second
# too), a new $SOA reaches the zone, and a file that fails to load keeps
# the previous data served (and says so in the log). SIGHUP reloads at
# once when -c 0 turns the periodic checks off.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_rbldnsd.sh
. "$(dirname "$0")/lib_rbldnsd.sh"

CLIENT_PID=""
LOGF=$T/server.log
CHECK=1		# -c, seconds

# stop_all: the client, then the server.
stop_all()
{
	stop_pid CLIENT_PID
	stop_pid REP_PID
}
trap 'stop_all; cleanup' EXIT

data_dir

# write FILE: standard input into FILE, through a rename (the way the
# rbldnsd manual asks data files to be replaced).
write()
{
	cat >"$1.tmp" && chmod 644 "$1.tmp" && mv -f "$1.tmp" "$1" ||
	    die "write $1"
}

# big_zone FILE SERIAL [LINE...]: a large dataset (100000 addresses from
# 10.0.0.0, $SOA serial SERIAL, then the LINEs), so a reload takes a
# while under the client's queries.
big_zone()
{
	python3 - "$@" <<'EOF'
import sys
with open(sys.argv[1], 'w') as f:
    f.write('$SOA 1h ns.big.test. hm.big.test. %s 1h 15m 1w 5m\n' %
            sys.argv[2])
    f.write(':127.0.0.2:big $\n')
    for i in range(100000):
        f.write('10.%d.%d.%d\n' % (i >> 16, (i >> 8) & 255, i & 255))
    for line in sys.argv[3:]:
        f.write(line + '\n')
EOF
	chmod 644 "$1"
}

big_zone "$DATA/big.zone" 1
write "$DATA/bl.zone" <<'EOF'
$SOA 1h ns.bl.test. hm.bl.test. 1 1h 15m 1w 5m
$NS 1h ns.bl.test
:127.0.0.2:first version $
192.0.2.1
192.0.2.2 :3:
EOF
write "$DATA/bl6.zone" <<'EOF'
2001:db8::/32 :4:v6
EOF
write "$DATA/combo.zone" <<'EOF'
$SOA 1h ns.combo.test. hm.combo.test. 1 1h 15m 1w 5m
$DATASET ip4set @
192.0.2.1 :2:base
EOF

# start_server -c SECS: reputed --rbldnsd in the foreground; waits until
# it answers (at most ~10 s).
start_server()
{
	PORT=$(free_port)
	: >"$LOGF"
	"$REPUTED" --rbldnsd -n -u "$RUN_USER" -w "$DATA" -b "127.0.0.1/$PORT" \
	    "$@" bl.test:ip4set:bl.zone bl.test:ip6trie:bl6.zone \
	    big.test:ip4set:big.zone combo.test:combined:combo.zone \
	    >>"$LOGF" 2>&1 &
	REP_PID=$!
	if ready "$PORT" "$REP_PID" bl.test NOERROR; then
		log "reputed --rbldnsd pid $REP_PID on port $PORT"
		return 0
	fi
	cat "$LOGF" >&2
	die "reputed --rbldnsd did not start"
}

# q NAME [TYPE]: the short answer.
q()
{
	dig @127.0.0.1 -p "$PORT" +tries=1 +time=2 +short "$1" "${2:-A}" \
	    2>/dev/null
}

# wait_for NAME TYPE WANT SECS: until the answer contains WANT; prints
# the seconds it took, or fails after SECS.
wait_for()
{
	local start=$SECONDS i
	for ((i = 0; i < $4 * 10; i++)); do
		if q "$1" "$2" | grep -qF -- "$3"; then
			echo $((SECONDS - start))
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# The client: one query after another, each waiting at most 1 s, until
# killed; it prints its counts at the end.
start_client()
{
	python3 - "$PORT" "$T/client.out" <<'EOF' &
import socket, struct, sys, time, signal
port, out = int(sys.argv[1]), sys.argv[2]
names = ['1.0.0.10.big.test', '1.2.0.192.bl.test']
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
sent = answered = timeouts = wrong = 0
worst = 0.0
def query(qid, name):
    q = struct.pack('!HHHHHH', qid, 0, 1, 0, 0, 0)
    for l in name.split('.'):
        q += bytes([len(l)]) + l.encode()
    return q + b'\0' + struct.pack('!HH', 1, 1)
def done(*_):
    with open(out, 'w') as f:
        f.write('sent %d answered %d timeouts %d wrong %d worst_ms %d\n' %
                (sent, answered, timeouts, wrong, worst * 1000))
    sys.exit(0)
signal.signal(signal.SIGTERM, done)
qid = 0
while True:
    qid = (qid + 1) & 0xffff
    name = names[qid & 1]
    t0 = time.monotonic()
    s.sendto(query(qid, name), ('127.0.0.1', port))
    sent += 1
    try:
        while True:
            d = s.recv(512)
            if struct.unpack('!H', d[:2])[0] == qid:
                break
        worst = max(worst, time.monotonic() - t0)
        answered += 1
        # Both names stay listed in every version of the data.
        if d[3] & 0xf != 0 or struct.unpack('!H', d[6:8])[0] == 0:
            wrong += 1
    except socket.timeout:
        timeouts += 1
    time.sleep(0.002)
EOF
	CLIENT_PID=$!
}

stop_client()
{
	kill "$CLIENT_PID" 2>/dev/null
	wait "$CLIENT_PID" 2>/dev/null
	CLIENT_PID=""
	cat "$T/client.out" 2>/dev/null
}

# ---------------------------------------------------------------- -c 1
start_server -c "$CHECK"
start_client
expect_eq "$(q 1.2.0.192.bl.test TXT)" '"first version 192.0.2.1"' \
    "the first version is served"

# A new entry, through a rename: served within one check interval (plus
# the import's own time).
write "$DATA/bl.zone" <<'EOF'
$SOA 1h ns.bl.test. hm.bl.test. 2 1h 15m 1w 5m
$NS 1h ns.bl.test
:127.0.0.2:second version $
192.0.2.1
192.0.2.2 :3:
192.0.2.99 :5:new
EOF
if secs=$(wait_for 99.2.0.192.bl.test A 127.0.0.5 $((CHECK + 3))); then
	pass "a new entry is served ${secs}s after the edit (-c $CHECK)"
else
	fail "a new entry is not served within $((CHECK + 3))s"
fi
expect_eq "$(q 1.2.0.192.bl.test TXT)" '"second version 192.0.2.1"' \
    "the default TXT changed with the file"

# The same size, rewritten in place within the same second: rbldnsd
# would miss it (1 s mtime); the nanosecond mtime does not.
sed -i 's/second version/second VERSION/' "$DATA/bl.zone"
if wait_for 1.2.0.192.bl.test TXT "second VERSION" $((CHECK + 3)) >/dev/null; then
	pass "a same-size edit in place is noticed"
else
	fail "a same-size edit in place is not noticed"
fi

# A new $SOA: the zone's SOA follows (configuration rewritten, SIGHUP).
sed -i 's/^\$SOA 1h ns.bl.test. hm.bl.test. 2 1h 15m 1w 5m/$SOA 2h ns2.bl.test. hm.bl.test. 3 1h 15m 1w 7m/' \
    "$DATA/bl.zone"
if wait_for bl.test SOA "ns2.bl.test." $((CHECK + 4)) >/dev/null; then
	pass "a new \$SOA is served"
else
	fail "the new \$SOA is not served"
	tail -n 20 "$LOGF"
fi
expect_contains "$(dig @127.0.0.1 -p "$PORT" +tries=1 +time=2 \
    9.9.9.9.bl.test)" "420	IN	SOA" "the negative TTL is the new SOA minimum"

# Combined data gains a $DATASET block: its subzone is served (new
# sources and zones: the configuration is rewritten, the server reloads).
expect_eq "$(q 1.2.0.192.combo.test A)" "127.0.0.2" "combined data is served"
cat >>"$DATA/combo.zone" <<'EOF'
$DATASET ip4trie fresh
10.0.0.0/8 :7:fresh subzone
EOF
if wait_for 1.0.0.10.fresh.combo.test A 127.0.0.7 $((CHECK + 4)) >/dev/null; then
	pass "a new \$DATASET block's subzone is served"
else
	fail "a new \$DATASET block's subzone is not served"
	tail -n 20 "$LOGF"
fi

# A file that cannot be read: the previous data stays, the log says why.
chmod 000 "$DATA/bl.zone"
touch "$DATA/bl.zone"
sleep $((CHECK + 2))
expect_eq "$(q 99.2.0.192.bl.test A)" "127.0.0.5" \
    "an unreadable file keeps the previous data served"
expect_contains "$(cat "$LOGF")" "still serving the previous data" \
    "the failed load is logged"
# A missing file too.
mv "$DATA/bl.zone" "$DATA/bl.zone.away"
sleep $((CHECK + 2))
expect_eq "$(q 99.2.0.192.bl.test A)" "127.0.0.5" \
    "a missing file keeps the previous data served"
chmod 644 "$DATA/bl.zone.away"
mv "$DATA/bl.zone.away" "$DATA/bl.zone"
sed -i 's/192.0.2.99 :5:new/192.0.2.98 :6:back/' "$DATA/bl.zone"
if wait_for 98.2.0.192.bl.test A 127.0.0.6 $((CHECK + 4)) >/dev/null; then
	pass "the restored file is loaded"
else
	fail "the restored file is not loaded"
fi

# Reload the large dataset under the client's queries.
big_zone "$DATA/big.zone.new" 2 "10.200.0.1 :9:"
mv -f "$DATA/big.zone.new" "$DATA/big.zone"
if secs=$(wait_for 1.0.200.10.big.test A 127.0.0.9 30); then
	pass "the 100k-entry file is reloaded in ${secs}s"
else
	fail "the 100k-entry file is not reloaded"
fi
# The same bytes again (a touch, a copy over it, as rsync may do): its
# digest is unchanged, so the 100k entries are not imported again.
sleep $((CHECK + 1))
before=$(grep -c "d3-ip4set: " "$LOGF")
cp "$DATA/big.zone" "$DATA/big.zone.same"
mv -f "$DATA/big.zone.same" "$DATA/big.zone"
touch "$DATA/big.zone"
sleep $((CHECK + 2))
expect_eq "$(grep -c "d3-ip4set: " "$LOGF")" "$before" \
    "a file rewritten with the same bytes is not imported again"
sleep 1
stats=$(stop_client)
log "client: $stats"
read -r _ sent _ answered _ timeouts _ wrong _ worst <<<"$stats"
expect_eq "${timeouts:-x}" 0 "no query timed out during the reloads"
expect_eq "${wrong:-x}" 0 "every answer during the reloads was listed"
if [ "${answered:-0}" -gt 500 ]; then
	pass "the client got $answered answers (worst ${worst} ms)"
else
	fail "the client got only ${answered:-0} answers"
fi
kill "$REP_PID"
wait "$REP_PID"
expect_eq "$?" 0 "SIGTERM stops it with status 0"
REP_PID=""

# ---------------------------------------------------------------- -c 0
start_server -c 0
write "$DATA/bl6.zone" <<'EOF'
2001:db8::/32 :4:v6
2001:db8:1::1 :7:hup
EOF
sleep 2
N=1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.test
expect_eq "$(q $N A)" "127.0.0.4" "-c 0: no reload without a signal"
kill -HUP "$REP_PID"
if wait_for "$N" A 127.0.0.7 5 >/dev/null; then
	pass "-c 0: SIGHUP reloads"
else
	fail "-c 0: SIGHUP does not reload"
fi
stop_all
finish
