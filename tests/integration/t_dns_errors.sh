#!/bin/bash
# t_dns_errors.sh -- start-up errors (no store, a damaged store, bad
# configurations, reputed -t) and hostile input: garbage UDP datagrams
# and TCP streams neither crash the daemon nor stop it answering.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

drop_conf

log "command line"
expect_exit 0 "$REPUTED" --help
expect_contains "$OUT" "usage: reputed" "--help prints the usage"
expect_exit 2 "$REPUTED" --no-such-option
expect_exit 2 "$REPUTED" -c "$CONF" extra-argument

log "no store yet"
expect_exit 2 "$REPUTED" -c "$CONF"
expect_contains "$ERR" "no store at $DB: run reputed-import first" \
    "a missing store is named, with what to do"
expect_exit 2 "$REPUTED" -t -c "$CONF"
expect_contains "$ERR" "no store at $DB" "-t checks the store too"
expect_not_contains "$OUT" "configuration OK" "-t does not say OK"

log "a damaged store"
mkdir -p "$T/bad"
head -c 65536 /dev/urandom >"$T/bad/data.mdb"
sed "s|^database .*|database = $T/bad|" "$CONF" >"$T/bad.conf"
expect_exit 2 "$REPUTED" -c "$T/bad.conf"
expect_contains "$ERR" "$T/bad" "the damaged store's path is named"
expect_exit 2 "$REPUTED" -t -c "$T/bad.conf"

log "reputed -t"
import_or_die --force
expect_exit 0 "$REPUTED" -t -c "$CONF"
expect_eq "$OUT" "configuration OK" "-t on a good configuration"
{
	cat "$CONF"
	echo "ttl = forever"
	echo "[zone other.test]"
	echo "sources = nosuch"
	echo "tcp-clients = 5"
} >"$T/broken.conf"
N=$(wc -l <"$CONF")
expect_exit 2 "$REPUTED" -t -c "$T/broken.conf"
expect_contains "$ERR" "broken.conf:$((N + 1)): ttl: expected a number" \
    "-t reports a bad value with file and line"
expect_contains "$ERR" "unknown source 'nosuch'" "-t reports an unknown source"
expect_contains "$ERR" "broken.conf:$((N + 4)): unknown key 'tcp-clients' in [zone]" \
    "-t reports a key in the wrong section"
expect_not_contains "$OUT" "configuration OK" "-t on a bad configuration"
expect_exit 2 "$REPUTED" -c "$T/broken.conf"
expect_contains "$ERR" "unknown source 'nosuch'" \
    "starting with a bad configuration reports every problem"
expect_exit 2 "$REPUTED" -t -c "$T/no-such.conf"
expect_contains "$ERR" "no-such.conf" "a missing configuration is named"
printf '[server]\ntcp-clients = 0\ntcp-idle-timeout = 2h\n' >"$T/limits.conf"
expect_exit 2 "$REPUTED" -t -c "$T/limits.conf"
expect_contains "$ERR" "tcp-clients: expected a number from 1 to 65536" \
    "tcp-clients is bounded"
expect_contains "$ERR" "tcp-idle-timeout: 2h is above the maximum 1h" \
    "tcp-idle-timeout is bounded"

log "garbage over UDP and TCP"
start_reputed
L=$(revname 1.10.16.1 bl.test)
expect_a "$L" 127.0.0.2

cat >"$T/garbage.py" <<'EOF'
import os, random, socket, struct, sys

port = int(sys.argv[1])
addr = ("127.0.0.1", port)
random.seed(5782)

def question(name, qtype=1):
    q = b""
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", qtype, 1)

def header(qid, flags, qd=1, an=0, ns=0, ar=0):
    return struct.pack(">HHHHHH", qid, flags, qd, an, ns, ar)

def silent(s, pkt, what):
    """pkt must get no answer at all."""
    s.sendto(pkt, addr)
    s.settimeout(0.3)
    try:
        s.recv(4096)
        print("FAIL %s: answered" % what)
    except socket.timeout:
        print("PASS %s: not answered" % what)

u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
q = question("2.0.0.127.bl.test")
silent(u, header(1, 0x8000) + q, "a response (QR=1)")
silent(u, header(2, 0x0100)[:5], "a truncated header")
silent(u, b"", "an empty datagram")
# Random bytes, and valid queries with random bytes changed.
for i in range(3000):
    if i % 2:
        pkt = os.urandom(random.randrange(0, 700))
    else:
        pkt = bytearray(header(i, 0x0100) + q + b"\0\0\x29\x04\xd0\0\0\0\0\0\0")
        for _ in range(random.randrange(1, 6)):
            pkt[random.randrange(len(pkt))] = random.randrange(256)
        pkt = bytes(pkt)
    u.sendto(pkt, addr)
# Some classics: a compression loop, a label past the end, two questions,
# a 4000-byte datagram.
u.sendto(header(3, 0x0100) + b"\xc0\x0c\0\x01\0\x01", addr)
u.sendto(header(4, 0x0100) + b"\x3fabc", addr)
u.sendto(header(5, 0x0100, qd=2) + q + q, addr)
u.sendto(header(6, 0x0100) + q + os.urandom(4000), addr)

# TCP: random frames, an empty frame, a frame cut by the close.
for i in range(20):
    t = socket.create_connection(addr)
    if i % 3 == 0:
        t.sendall(os.urandom(random.randrange(1, 3000)))
    elif i % 3 == 1:
        t.sendall(b"\0\0" + struct.pack(">H", 65535) + os.urandom(100))
    else:
        body = os.urandom(random.randrange(0, 512))
        t.sendall(struct.pack(">H", len(body)) + body)
    t.close()
print("PASS garbage sent")
EOF
client_checks "the garbage client" python3 "$T/garbage.py" "$REPUTED_PORT"
if reputed_alive; then
	pass "reputed is still running"
else
	fail "reputed is still running"
	show_reputed_log
fi
expect_a "$L" 127.0.0.2
expect_a "$L" 127.0.0.2 -- +tcp
CLIENT=kdig expect_txt "$L" "Listed by drop"

STOP_SIGNAL=INT stop_reputed
expect_eq "$REPUTED_RC" 0 "SIGINT: exit 0"
expect_contains "$(cat "$REPUTED_LOG")" "SIGINT: shutting down" \
    "SIGINT is logged"
finish
