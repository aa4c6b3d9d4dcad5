#!/bin/bash
# t_dns_live.sh -- live data: a client queries the daemon without pause
# while 200k-entry imports run beside it; no query times out or fails,
# and each import's data is answered as soon as the import returns,
# without a reload.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"
SFS=$(fixture firehol/stopforumspam.ipset)

make_conf <<EOF
[source drop]
url  = file://$T/drop.txt
code = 127.0.0.2

[source sfs]                    ; manual: imported with --file below
code = 127.0.0.5
txt  = stopforumspam \$ip

[zone bl.test]
sources = drop sfs
EOF

# Version A: the whole list. Version B: 5% of it gone, 200 addresses of
# 198.51.100.0/24 added. GONE is in A only, NEW in B only.
grep -E '^[0-9]' "$SFS" >"$T/sfs-a"
awk 'NR % 20 != 0' "$T/sfs-a" >"$T/sfs-b"
for i in $(seq 1 200); do echo "198.51.100.$i"; done >>"$T/sfs-b"
GONE=$(awk 'NR == 20' "$T/sfs-a")
NEW=198.51.100.77
KEPT=$(awk 'NR == 21' "$T/sfs-a")
log "$(wc -l <"$T/sfs-a") entries; gone in B: $GONE, new in B: $NEW"

import_or_die --force drop
start_reputed

# The client: one UDP query at a time, 1 s limit each, no retries, until
# $T/stop appears (or 150 s). Names cycle through GONE, NEW, KEPT and the
# test points. Prints "sent N timeouts N servfail N max_ms N".
cat >"$T/client.py" <<'EOF'
import os, random, socket, struct, sys, time

port, stop, names = int(sys.argv[1]), sys.argv[2], sys.argv[3:]

def query(qid, name):
    q = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", 1, 1)

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
sent = timeouts = servfail = 0
worst = 0.0
end = time.time() + 150
while not os.path.exists(stop) and time.time() < end:
    qid = random.randrange(65536)
    t0 = time.time()
    s.sendto(query(qid, names[sent % len(names)]), ("127.0.0.1", port))
    sent += 1
    try:
        while True:
            r = s.recv(4096)
            if len(r) >= 4 and struct.unpack(">H", r[:2])[0] == qid:
                break
    except socket.timeout:
        timeouts += 1
        continue
    worst = max(worst, time.time() - t0)
    if r[3] & 0xF not in (0, 3):
        servfail += 1
print("sent %d timeouts %d servfail %d max_ms %d"
      % (sent, timeouts, servfail, worst * 1000))
EOF
python3 "$T/client.py" "$REPUTED_PORT" "$T/stop" \
    "$(revname "$GONE" bl.test)" "$(revname "$NEW" bl.test)" \
    "$(revname "$KEPT" bl.test)" 2.0.0.127.bl.test 1.0.0.127.bl.test \
    >"$T/client.out" 2>&1 &
CLIENT_PID=$!
sleep 0.5

# import VERSION: the sfs source from $T/sfs-VERSION, while the client runs.
import_sfs()
{
	run_import --file "$T/sfs-$1" --source sfs --allow-shrink
	if [ "$RC" = 0 ]; then
		pass "import of version $1 while queried: $OUT"
	else
		fail "import of version $1 while queried"
		show_last
	fi
}

log "import A (200k entries) into an empty source"
import_sfs a
expect_a "$(revname "$GONE" bl.test)" 127.0.0.5
expect_rcode "$(revname "$NEW" bl.test)" NXDOMAIN
expect_txt "$(revname "$KEPT" bl.test)" "stopforumspam $KEPT"

log "import B (5% changed)"
import_sfs b
expect_rcode "$(revname "$GONE" bl.test)" NXDOMAIN
expect_a "$(revname "$NEW" bl.test)" 127.0.0.5
expect_a "$(revname "$KEPT" bl.test)" 127.0.0.5

log "import A again"
import_sfs a
expect_a "$(revname "$GONE" bl.test)" 127.0.0.5
expect_rcode "$(revname "$NEW" bl.test)" NXDOMAIN
CLIENT=kdig expect_a "$(revname "$GONE" bl.test)" 127.0.0.5 -- +tcp

touch "$T/stop"
wait "$CLIENT_PID"
RESULT=$(cat "$T/client.out")
log "client: $RESULT"
expect_match "$RESULT" "^sent [0-9]+ timeouts 0 servfail 0 " \
    "no query timed out or failed during the imports"
SENT=$(echo "$RESULT" | awk '{ print $2 }')
if [ "${SENT:-0}" -ge 100 ]; then
	pass "the client kept querying ($SENT queries)"
else
	fail "the client kept querying (only ${SENT:-0} queries)"
fi
expect_not_contains "$(cat "$REPUTED_LOG")" "reload" "no reload was needed"

stop_reputed
expect_eq "$REPUTED_RC" 0 "SIGTERM: exit 0"
finish
