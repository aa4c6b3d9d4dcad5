"""dns_tcp.py -- the DNS-over-TCP client pieces shared by the inline
clients of t_dns_tcp.sh and t_tcp_limits.sh (which run them with this
folder in PYTHONPATH): queries, framed answers read whole, and the
"PASS what" / "FAIL what" lines that lib_dns.sh's client_checks counts.
"""
import struct


def message(qid, name, qtype=1):
    """A query for name, type qtype, class IN, with RD set."""
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", qtype, 1)


def query(qid, name, qtype=1):
    """message() with its two-byte length in front, for TCP."""
    q = message(qid, name, qtype)
    return struct.pack(">H", len(q)) + q


def read_exact(s, n):
    """n bytes from socket s, or None if it reached EOF first."""
    d = b""
    while len(d) < n:
        c = s.recv(n - len(d))
        if not c:
            return None
        d += c
    return d


def answers(s, n):
    """The ids and rcodes of the next n answers on s; None at EOF."""
    out = []
    for _ in range(n):
        h = read_exact(s, 2)
        if h is None:
            return None
        m = read_exact(s, struct.unpack(">H", h)[0])
        if m is None:
            return None
        out.append((struct.unpack(">H", m[:2])[0], m[3] & 0xF))
    return out


def check(ok, what):
    print("%s %s" % ("PASS" if ok else "FAIL", what))
