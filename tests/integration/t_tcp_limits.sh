#!/bin/bash
# t_tcp_limits.sh -- the TCP limits: tcp-clients-per-ip (a client's own
# least recently active connection makes room, others are untouched),
# tcp-timeout (a busy connection still ends), tcp-max-queries (that many
# answers, all delivered, then a clean close), and a slow-loris attack
# (80 connections from 20 addresses that send one byte a second, and
# come back a second after they are closed) that must not keep another client from being
# answered promptly over UDP and TCP. Every 127.0.0.x is loopback.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

drop_conf 'tcp-clients = 20' 'tcp-clients-per-ip = 3' \
    'tcp-idle-timeout = 3s' 'tcp-timeout = 4s' 'tcp-max-queries = 5'
import_or_die --force
start_reputed

# tcp.py PORT (dns_tcp.py in PYTHONPATH): prints PASS/FAIL lines.
cat >"$T/tcp.py" <<'EOF'
import socket, sys, time
import dns_tcp
from dns_tcp import answers, check

port = int(sys.argv[1])
LISTED = "1.16.10.1.bl.test"

def query(qid, name=LISTED):
    return dns_tcp.query(qid, name)

def conn(src):
    s = socket.socket()
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    s.settimeout(3)
    return s

def ask(s, qid):
    """The answer's id, or None if the connection is gone."""
    try:
        s.sendall(query(qid))
        got = answers(s, 1)
        return got and got[0][0]
    except OSError:
        return None

def closed(s, secs=1.0):
    s.settimeout(secs)
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False

# Per client: 3 from 127.0.0.2 and one from 127.0.0.3; a 4th from
# 127.0.0.2 closes the one of its three that was least recently active.
a = [conn("127.0.0.2") for _ in range(3)]
other = conn("127.0.0.3")
check(ask(other, 9) == 9, "127.0.0.3 is served")
for i in (1, 2, 0):
    check(ask(a[i], i) == i, "connection %d of 127.0.0.2 is served" % i)
a.append(conn("127.0.0.2"))
check(ask(a[3], 3) == 3, "a 4th connection of 127.0.0.2 is served")
check(closed(a[1]), "tcp-clients-per-ip = 3: its least recently active "
      "connection was closed")
check(ask(a[0], 10) == 10 and ask(a[2], 12) == 12,
      "its other connections stay")
check(ask(other, 19) == 19, "another client's connection stays")
for s in a + [other]:
    s.close()

# tcp-max-queries = 5: 8 queries in one write, 5 answers, then EOF.
s = conn("127.0.0.4")
s.sendall(b"".join(query(i) for i in range(8)))
got = []
while True:
    one = answers(s, 1)
    if one is None:
        break
    got.append(one[0][0])
check(got == [0, 1, 2, 3, 4], "tcp-max-queries = 5: answers %s, then EOF" % got)
s.close()

# tcp-timeout = 4s: a connection asking every second (never idle for
# tcp-idle-timeout = 3s, under tcp-max-queries = 5) still ends.
s = conn("127.0.0.5")
t0 = time.time()
n = 0
while n < 4 and ask(s, n) == n:
    n += 1
    if n < 4:
        time.sleep(1.0)
check(n == 4, "4 queries a second apart answered")
# 4 answers in ~3 s; the connection must go at 4 s after accept.
c = closed(s, 3.0)
t = time.time() - t0
check(c and 3.5 <= t <= 5.5,
      "tcp-timeout = 4s closes a busy connection (%.1f s)" % t)
s.close()
EOF
client_checks "the TCP client" env PYTHONPATH="$ROOT/tests/integration" \
    timeout 60 python3 "$T/tcp.py" "$REPUTED_PORT"

# loris.py PORT SECONDS: 4 connections from each of 127.0.0.10-29 (80,
# over tcp-clients = 20) that write one byte of a query a second; those
# closed on it are opened again at the next second, as slowloris does.
# Prints the connections made and those the server closed.
cat >"$T/loris.py" <<'EOF'
import select, socket, struct, sys, time

port, secs = int(sys.argv[1]), float(sys.argv[2])
msg = struct.pack(">HHHHHHH", 40, 1, 0x0100, 1, 0, 0, 0) + b"\x01x" * 20
conns = {}
made = lost = 0
srcs = ["127.0.0.%d" % i for i in range(10, 30) for _ in range(4)]

def open_one(src):
    global made
    s = socket.socket()
    s.setblocking(False)
    s.bind((src, 0))
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    conns[s] = [src, 0]
    made += 1

end = time.time() + secs
while time.time() < end:
    tick = time.time() + 1.0
    for src in srcs:
        open_one(src)
    srcs = []
    for s, st in list(conns.items()):
        try:
            s.send(msg[st[1]:st[1] + 1])
            st[1] = (st[1] + 1) % len(msg)
        except OSError:
            pass
    while time.time() < tick and conns:
        r, _, _ = select.select(list(conns), [], [],
                                max(0, tick - time.time()))
        for s in r:
            try:
                if s.recv(512) != b"":
                    continue
            except OSError:
                pass
            srcs.append(conns.pop(s)[0])
            s.close()
            lost += 1
print(made, lost)
EOF

# probe.py PORT SECONDS: from 127.0.0.1, a UDP and a TCP query every
# 0.2 s; prints the queries, the unanswered ones, and the slowest (ms).
# dns_tcp.py must be in PYTHONPATH.
cat >"$T/probe.py" <<'EOF'
import socket, struct, sys, time
from dns_tcp import message, query

port, secs = int(sys.argv[1]), float(sys.argv[2])
LISTED = "1.16.10.1.bl.test"

def udp(qid):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1)
    s.sendto(message(qid, LISTED), ("127.0.0.1", port))
    try:
        return struct.unpack(">H", s.recv(512)[:2])[0] == qid
    except OSError:
        return False
    finally:
        s.close()

def tcp(qid):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
        s.sendall(query(qid, LISTED))
        d = b""
        while len(d) < 4:
            c = s.recv(512)
            if not c:
                return False
            d += c
        s.close()
        return struct.unpack(">H", d[2:4])[0] == qid
    except OSError:
        return False

n = bad = 0
worst = 0.0
end = time.time() + secs
while time.time() < end:
    for f in (udp, tcp):
        t0 = time.time()
        ok = f(n & 0xffff)
        worst = max(worst, time.time() - t0)
        n += 1
        bad += not ok
    time.sleep(0.2)
print(n, bad, int(worst * 1000))
EOF

log "slow loris: 80 connections from 20 addresses, 1 byte a second"
python3 "$T/loris.py" "$REPUTED_PORT" 8 >"$T/loris.out" 2>&1 &
LORIS=$!
sleep 1
run env PYTHONPATH="$ROOT/tests/integration" \
    timeout 30 python3 "$T/probe.py" "$REPUTED_PORT" 6
read -r N BAD WORST <<<"$OUT"
wait "$LORIS"
read -r MADE LOST <"$T/loris.out"
log "probe: $N queries, $BAD unanswered, slowest $WORST ms;" \
    "loris: $MADE connections, $LOST closed by the server"
[ "${N:-0}" -ge 20 ] || fail "the probe ran (${N:-0} queries)"
expect_eq "${BAD:-x}" 0 "every UDP and TCP probe answered during the attack"
[ "${WORST:-9999}" -lt 500 ] && pass "the slowest probe took under 0.5 s (${WORST} ms)" ||
    fail "the slowest probe took under 0.5 s (${WORST:-?} ms)"
[ "${LOST:-0}" -ge 60 ] && pass "loris connections were closed ($LOST)" ||
    fail "loris connections were closed (${LOST:-0})"
expect_a "$(revname 1.10.16.1 bl.test)" 127.0.0.2 -- +tcp

stop_reputed
finish
