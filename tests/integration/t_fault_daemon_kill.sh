#!/bin/bash
# t_fault_daemon_kill.sh -- kill -9 of the daemon under query load, several
# times: each time the daemon restarted on the same store answers at once
# (within FAULT_RESTART_MS, default 3000 ms, of its start), with the same
# data; the store passes `reputectl check`, and an import after the kills
# (the killed daemons left stale reader slots in the lock file) succeeds
# and is served. FAULT_ROUNDS (default 5) sets the number of kills.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

ROUNDS=${FAULT_ROUNDS:-5}
LIMIT_MS=${FAULT_RESTART_MS:-3000}

cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"
make_conf <<EOF
[source drop]
url  = file://$T/drop.txt
code = 127.0.0.2
txt  = drop \$reason

[zone bl.test]
sources = drop
EOF
import_or_die --force

LISTED=$(revname 1.10.16.1 bl.test)
UNLISTED=$(revname 192.0.2.1 bl.test)

# Load: two clients sending queries without pause (each waits for its
# answer at most 0.2 s); they count answers, until $T/stop exists.
cat >"$T/load.py" <<'EOF'
import os, socket, struct, sys
port, stop, names = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
qs = []
for i, name in enumerate(names):
    q = struct.pack(">HHHHHH", i + 1, 0, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    qs.append(q + b"\0" + struct.pack(">HH", 1, 1))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.2)
sent = answered = 0
while not os.path.exists(stop):
    s.sendto(qs[sent % len(qs)], ("127.0.0.1", port))
    sent += 1
    try:
        s.recv(4096)
        answered += 1
    except OSError:
        pass
print("sent %d answered %d" % (sent, answered))
EOF

# now_ms: wall clock in milliseconds.
now_ms()
{
	echo $(($(date +%s%N) / 1000000))
}

# answers_ok ROUND: the data is the imported data.
answers_ok()
{
	expect_a "$LISTED" 127.0.0.2
	expect_txt "$LISTED" "drop SBL256894"
	expect_rcode "$UNLISTED" NXDOMAIN
}

start_reputed
answers_ok
LOADS=()
for c in 1 2; do
	python3 "$T/load.py" "$REPUTED_PORT" "$T/stop" "$LISTED" \
	    "$UNLISTED" >"$T/load$c.out" 2>&1 &
	LOADS+=($!)
done

for ((r = 1; r <= ROUNDS; r++)); do
	sleep 0.$((RANDOM % 9 + 1))
	log "round $r: kill -9 of reputed $REPUTED_PID under load"
	kill -KILL "$REPUTED_PID"
	wait "$REPUTED_PID" 2>/dev/null
	rc=$?
	REPUTED_PID=""
	expect_eq "$rc" 137 "round $r: the daemon died of SIGKILL"
	t0=$(now_ms)
	start_reputed
	ms=$(($(now_ms) - t0))
	if [ "$ms" -le "$LIMIT_MS" ]; then
		pass "round $r: restarted and answering in $ms ms"
	else
		fail "round $r: restarted and answering in $ms ms" \
		    "(over $LIMIT_MS)"
	fi
	answers_ok
	if grep -qiE 'error|corrupt|panic' "$REPUTED_LOG"; then
		fail "round $r: the restarted daemon logs no error"
		show_reputed_log
	else
		pass "round $r: the restarted daemon logs no error"
	fi
done

touch "$T/stop"
for p in "${LOADS[@]}"; do
	wait "$p"
done
for c in 1 2; do
	RESULT=$(cat "$T/load$c.out")
	log "load client $c: $RESULT"
	expect_match "$RESULT" "^sent [0-9]+ answered [1-9][0-9]*$" \
	    "load client $c was answered"
done

log "the store after $ROUNDS kills"
expect_exit 0 ctl check
expect_contains "$OUT" "store OK" "reputectl check: store OK"

log "an import after the kills is served"
sed -i '/^1\.10\.16\.0\/20/d' "$T/drop.txt"
run_import --force
expect_eq "$RC" 0 "the import after the kills succeeds"
if wait_for 5 eval "[ \"\$(dig @127.0.0.1 -p $REPUTED_PORT +tries=1 \
    +time=1 +short $LISTED A)\" = '' ]"; then
	pass "the removed entry is no longer answered"
else
	fail "the removed entry is no longer answered"
fi
expect_rcode "$LISTED" NXDOMAIN
stop_reputed
expect_eq "$REPUTED_RC" 0 "the last daemon exits 0 on SIGTERM"
finish
