#!/bin/bash
# t_dns_reload.sh -- SIGHUP re-reads the configuration (codes, TXT
# templates, zones) while queries keep being answered; a broken
# configuration on SIGHUP keeps the old one; SIGTERM exits 0 promptly.
# shellcheck source-path=SCRIPTDIR
# shellcheck disable=SC2016 # '$reason' in TXT templates is reputed's
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"

# sections CODE TXT [MORE]: the configuration after [server].
sections()
{
	cat <<EOF
[source drop]
url  = file://$T/drop.txt
code = $1
txt  = $2

[zone bl.test]
sources = drop
${3:-}
EOF
}

# rewrite CODE TXT [MORE]: replace what follows [server] in $CONF.
rewrite()
{
	{
		sed '/^\[source/,$d' "$CONF"
		sections "$@"
	} >"$CONF.new" && mv "$CONF.new" "$CONF"
}

# hup: SIGHUP to our daemon, then wait until its log has one more line
# starting with "reloaded" or "reload failed".
hup()
{
	local before
	before=$(grep -cE 'reloaded|reload failed' "$REPUTED_LOG")
	kill -HUP "$REPUTED_PID"
	if ! wait_for 10 eval "[ \$(grep -cE 'reloaded|reload failed' \
	    \"\$REPUTED_LOG\") -gt $before ]"; then
		fail "reputed logs the outcome of SIGHUP"
		show_reputed_log
	fi
}

make_conf < <(sections 127.0.0.2 'old $source $reason')
import_or_die --force
start_reputed

L=$(revname 1.10.16.1 bl.test)
expect_a "$L" 127.0.0.2
expect_txt "$L" "old drop SBL256894"
expect_rcode "$(revname 1.10.16.1 bl2.test)" REFUSED

# A client querying across the reloads must get every answer.
cat >"$T/client.py" <<'EOF'
import os, socket, struct, sys, time
port, stop, name = int(sys.argv[1]), sys.argv[2], sys.argv[3]
q = struct.pack(">HHHHHH", 7, 0, 1, 0, 0, 0)
for label in name.split("."):
    q += bytes([len(label)]) + label.encode()
q += b"\0" + struct.pack(">HH", 1, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
sent = lost = 0
end = time.time() + 60
while not os.path.exists(stop) and time.time() < end:
    s.sendto(q, ("127.0.0.1", port))
    sent += 1
    try:
        s.recv(4096)
    except socket.timeout:
        lost += 1
print("sent %d lost %d" % (sent, lost))
EOF
python3 "$T/client.py" "$REPUTED_PORT" "$T/stop" "$L" >"$T/client.out" 2>&1 &
CLIENT_PID=$!

log "SIGHUP with new code, template and zone"
rewrite 127.0.0.9 'new $reason for $ip' '
[zone bl2.test]
sources = drop
ttl = 60'
hup
expect_contains "$(tail -n 1 "$REPUTED_LOG")" "reloaded" "the reload is logged"
expect_a "$L" 127.0.0.9
expect_txt "$L" "new SBL256894 for 1.10.16.1"
expect_a "$(revname 1.10.16.1 bl2.test)" 127.0.0.9
CLIENT=kdig expect_a "$(revname 1.10.16.1 bl2.test)" 127.0.0.9 -- +tcp

log "SIGHUP with a broken configuration keeps the old one"
cp "$CONF" "$T/good.conf"
{
	cat "$T/good.conf"
	echo "bogus = 1"
	echo "[zone broken"
} >"$CONF"
hup
expect_match "$(cat "$REPUTED_LOG")" "reload failed" "the failure is logged"
expect_match "$(cat "$REPUTED_LOG")" "reputed.conf:[0-9]+: " \
    "the problems are logged with file and line"
expect_a "$L" 127.0.0.9
expect_txt "$L" "new SBL256894"
expect_a "$(revname 1.10.16.1 bl2.test)" 127.0.0.9

log "SIGHUP after the fix"
rewrite 127.0.0.3 'third $reason'
hup
expect_a "$L" 127.0.0.3
expect_rcode "$(revname 1.10.16.1 bl2.test)" REFUSED

touch "$T/stop"
wait "$CLIENT_PID"
RESULT=$(cat "$T/client.out")
log "client: $RESULT"
expect_match "$RESULT" "^sent [1-9][0-9]* lost 0$" "no query lost across reloads"

log "SIGTERM"
start=$(date +%s%N)
stop_reputed
ms=$((($(date +%s%N) - start) / 1000000))
expect_eq "$REPUTED_RC" 0 "SIGTERM: exit 0"
if [ "$ms" -lt 2000 ]; then
	pass "SIGTERM: stopped in $ms ms"
else
	fail "SIGTERM: stopped in $ms ms (over 2 s)"
fi
expect_contains "$(cat "$REPUTED_LOG")" "stopped" "the stop is logged"
finish
