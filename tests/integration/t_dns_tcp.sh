#!/bin/bash
# t_dns_tcp.sh -- DNS over TCP: pipelined queries answered in order, a
# half-closed client still answered, a client that does not read its
# answers (flow control), split messages, the idle timeout and the cap
# on concurrent connections (tcp-clients, tcp-idle-timeout: a new client
# over the cap closes the least recently active one). tcp-max-queries
# is off here (t_tcp_limits.sh tests it and the other limits).
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

# shellcheck disable=SC2016 # $source, $reason: reputed's, in txt
drop_conf -s 'txt  = Listed by $source: $reason' \
    'tcp-clients = 4' 'tcp-idle-timeout = 2s' 'tcp-max-queries = 0'
import_or_die --force
start_reputed

# tcp.py PORT (dns_tcp.py in PYTHONPATH): prints PASS/FAIL lines.
cat >"$T/tcp.py" <<'EOF'
import socket, sys, time
from dns_tcp import query, answers, check

addr = ("127.0.0.1", int(sys.argv[1]))
LISTED = "1.16.10.1.bl.test"

def closed_within(s, secs):
    """Seconds until the server closed s, or None if it did not."""
    s.settimeout(secs)
    t0 = time.time()
    try:
        if s.recv(1) == b"":
            return time.time() - t0
    except (socket.timeout, ConnectionResetError):
        pass
    return None

# Pipelining: 300 queries in one write, 300 answers in the same order.
s = socket.create_connection(addr)
s.settimeout(5)
names = [LISTED, "1.0.0.127.bl.test", "example.org"]
s.sendall(b"".join(query(i, names[i % 3]) for i in range(300)))
got = answers(s, 300)
check(got is not None and [a[0] for a in got] == list(range(300)),
      "300 pipelined queries answered in order")
check(got is not None and [a[1] for a in got[:3]] == [0, 3, 5],
      "pipelined rcodes NOERROR, NXDOMAIN, REFUSED")

# A message split into single bytes.
msg = query(4242, LISTED)
for b in msg:
    s.sendall(bytes([b]))
    time.sleep(0.002)
got = answers(s, 1)
check(got == [(4242, 0)], "a message sent byte by byte")
s.close()

# Half-close: queries, then shutdown(SHUT_WR); the answers still come.
s = socket.create_connection(addr)
s.settimeout(5)
s.sendall(b"".join(query(i, LISTED) for i in range(3)))
s.shutdown(socket.SHUT_WR)
got = answers(s, 3)
check(got is not None and len(got) == 3, "answers after the client's EOF")
check(closed_within(s, 3) is not None, "closed after answering a half-close")
s.close()

# A client that writes 20000 queries before reading any answer: the
# server must stop reading rather than buffer, and lose nothing.
s = socket.create_connection(addr)
s.settimeout(10)
s.setblocking(True)
blob = b"".join(query(i % 65536, LISTED, 16) for i in range(20000))
import threading
w = threading.Thread(target=s.sendall, args=(blob,))
w.start()
time.sleep(0.5)
got = answers(s, 20000)
w.join()
check(got is not None and len(got) == 20000 and
      all(a[0] == i % 65536 for i, a in enumerate(got)),
      "20000 queries written before reading: all answered, in order")
s.close()

# The cap: 4 clients connected; a 5th takes the place of the least
# recently active (the first, which never asked anything), and is served.
conns = [socket.create_connection(addr) for _ in range(4)]
time.sleep(0.2)
for i in (1, 2, 3):
    conns[i].sendall(query(100 + i, LISTED))
    check(answers(conns[i], 1) == [(100 + i, 0)],
          "client %d of tcp-clients = 4 is served" % (i + 1))
extra = socket.create_connection(addr)
t = closed_within(conns[0], 1.0)
check(t is not None, "a 5th client beyond tcp-clients = 4 closes the "
      "least recently active one")
extra.settimeout(5)
extra.sendall(query(5, LISTED))
check(answers(extra, 1) == [(5, 0)], "the 5th client is served")
extra.close()
# The idle timeout (2 s) closes the others.
t = closed_within(conns[1], 5)
check(t is not None and 1.0 <= t <= 4.0,
      "an idle client is closed after tcp-idle-timeout (%s s)" %
      (None if t is None else round(t, 1)))
for c in conns:
    c.close()
time.sleep(0.2)
# Room again for a new client.
s = socket.create_connection(addr)
s.settimeout(5)
s.sendall(query(7, LISTED))
check(answers(s, 1) == [(7, 0)], "a new client is served once others left")
s.close()
EOF
client_checks "the TCP client" env PYTHONPATH="$ROOT/tests/integration" \
    timeout 60 python3 "$T/tcp.py" "$REPUTED_PORT"

# The daemon still answers over both transports.
L=$(revname 1.10.16.1 bl.test)
expect_a "$L" 127.0.0.2 -- +tcp
expect_a "$L" 127.0.0.2

stop_reputed
expect_eq "$REPUTED_RC" 0 "SIGTERM: exit 0"
finish
