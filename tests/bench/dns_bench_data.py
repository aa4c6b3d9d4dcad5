#!/usr/bin/env python3
"""dns_bench_data.py -- data, queries and checks for tests/bench/dns_bench.sh.

Usage:
  dns_bench_data.py gen DIR N SEED CHANGED_PCT NQUERIES ZONE
      Writes into DIR:
        list.txt, list-changed.txt   N entries in reputed's plain format; the
                                     second has CHANGED_PCT% of its lines
                                     (evenly spread) drawn anew
        rbl-v4.txt, rbl-v6.txt       the same data as rbldnsd ip4trie and
        rbl-v4-changed.txt, ...      ip6trie files (SOA/NS, default value)
        queries.txt                  NQUERIES dnsperf lines "NAME TYPE": half
                                     listed, half not, A and TXT, shuffled
      Entries (distinct): 96% IPv4 /32, 2% IPv4 /24, /20, /16, 2% IPv6
      /128, /64, /48. 127/8, 0/8 and 224/3 are left out, so no RFC 5782
      test point and no multicast address is in the data.
  dns_bench_data.py compare PORT_A PORT_B QUERYFILE COUNT
      Sends COUNT queries of QUERYFILE (every k-th line) to 127.0.0.1 on
      both ports over UDP and compares rcode and answer records (type and
      rdata, not TTLs). Prints "compare: N compared, M differ"; exit 1 if
      any differ or time out.
  dns_bench_data.py freeport
      Prints a port free for both UDP and TCP on 127.0.0.1.
"""
import ipaddress
import random
import socket
import struct
import sys

TXT = "Listed by bench, see https://bl.bench.test/lookup?ip="


def v4_random(rng):
    """A random unicast IPv4 address outside 0/8, 127/8 and 224/3."""
    while True:
        a = rng.getrandbits(32)
        o1 = a >> 24
        if 1 <= o1 <= 223 and o1 != 127:
            return a


def draw(rng):
    """One entry: (family, int address, prefix length)."""
    k = rng.random()
    if k < 0.96:
        return (4, v4_random(rng), 32)
    if k < 0.98:
        bits = 24 if k < 0.9750 else (20 if k < 0.9795 else 16)
        a = v4_random(rng)
        return (4, a & ((0xffffffff << (32 - bits)) & 0xffffffff), bits)
    bits = 128 if k < 0.99 else (64 if k < 0.997 else 48)
    a = (0x2 << 124) | rng.getrandbits(124)     # 2000::/4, global unicast
    mask = ((1 << 128) - 1) ^ ((1 << (128 - bits)) - 1)
    return (6, a & mask, bits)


def fmt(e):
    fam, a, bits = e
    if fam == 4:
        s = str(ipaddress.IPv4Address(a))
        return s if bits == 32 else "%s/%d" % (s, bits)
    return "%s/%d" % (ipaddress.IPv6Address(a), bits)


def make_lists(n, seed, pct):
    rng = random.Random(seed)
    rng2 = random.Random(seed ^ 0x5EED)
    base, changed, seen = [], [], set()
    for i in range(n):
        e = draw(rng)
        while e in seen:
            e = draw(rng)
        seen.add(e)
        base.append(e)
    seen2 = set(base)
    for i, e in enumerate(base):
        if i % 100 < pct:
            seen2.discard(e)
            e = draw(rng2)
            while e in seen2:
                e = draw(rng2)
            seen2.add(e)
        changed.append(e)
    return base, changed


def write_plain(path, entries, title):
    with open(path, "w") as f:
        f.write("# %s\n" % title)
        for e in entries:
            f.write(fmt(e) + "\n")


def write_rbldnsd(path4, path6, entries, zone):
    with open(path4, "w") as f:
        f.write("$SOA 300 ns.%s hostmaster.%s 0 3600 600 86400 300\n"
                % (zone, zone))
        f.write("$NS 300 ns.%s\n$TTL 300\n" % zone)
        f.write(":127.0.0.2:%s$\n" % TXT)
        for e in entries:
            if e[0] == 4:
                f.write(fmt(e) + "\n")
    with open(path6, "w") as f:
        f.write("$TTL 300\n:127.0.0.2:%s$\n" % TXT)
        for e in entries:
            if e[0] == 6:
                f.write(fmt(e) + "\n")


def qname(fam, a, zone):
    if fam == 4:
        return "%d.%d.%d.%d.%s" % (a & 255, (a >> 8) & 255, (a >> 16) & 255,
                                   a >> 24, zone)
    h = "%032x" % a
    return ".".join(reversed(h)) + "." + zone


def listed(fam, a, sets):
    if fam == 4:
        return any((a >> (32 - b)) in sets[4][b] for b in (32, 24, 20, 16))
    return any((a >> (128 - b)) in sets[6][b] for b in (128, 64, 48))


def make_queries(base, nq, seed, zone):
    rng = random.Random(seed * 7 + 1)
    sets = {4: {b: set() for b in (32, 24, 20, 16)},
            6: {b: set() for b in (128, 64, 48)}}
    for fam, a, bits in base:
        w = 32 if fam == 4 else 128
        sets[fam][bits].add(a >> (w - bits))
    out = []
    for i in range(nq):
        typ = "A" if rng.random() < 0.5 else "TXT"
        if i % 2 == 0:                  # listed: inside a random entry
            fam, a, bits = base[rng.randrange(len(base))]
            w = 32 if fam == 4 else 128
            if bits < w:
                a |= rng.getrandbits(w - bits)
        else:                           # not listed, same family mix
            fam = 4 if rng.random() < 0.98 else 6
            while True:
                if fam == 4:
                    a = v4_random(rng)
                else:
                    a = (0x2 << 124) | rng.getrandbits(124)
                if not listed(fam, a, sets):
                    break
        out.append("%s %s\n" % (qname(fam, a, zone), typ))
    rng.shuffle(out)
    return out


def gen(d, n, seed, pct, nq, zone):
    base, changed = make_lists(n, seed, pct)
    write_plain(d + "/list.txt", base, "dns_bench %d entries, seed %d"
                % (n, seed))
    write_plain(d + "/list-changed.txt", changed,
                "dns_bench %d entries, seed %d, %d%% changed" % (n, seed, pct))
    write_rbldnsd(d + "/rbl-v4.txt", d + "/rbl-v6.txt", base, zone)
    write_rbldnsd(d + "/rbl-v4-changed.txt", d + "/rbl-v6-changed.txt",
                  changed, zone)
    with open(d + "/queries.txt", "w") as f:
        f.writelines(make_queries(base, nq, seed, zone))
    v4 = sum(1 for e in base if e[0] == 4)
    v4c = sum(1 for e in base if e[0] == 4 and e[2] < 32)
    diff = sum(1 for x, y in zip(base, changed) if x != y)
    print("%d entries: %d IPv4 (%d CIDRs), %d IPv6; %d lines changed; "
          "%d queries" % (n, v4, v4c, n - v4, diff, nq))


def build_query(qid, name, qtype):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", {"A": 1, "TXT": 16}[qtype], 1)


def skip_name(p, off):
    while True:
        n = p[off]
        if n == 0:
            return off + 1
        if n >= 0xc0:
            return off + 2
        off += n + 1


def parse_answer(p):
    qid, flags, qd, an = struct.unpack(">HHHH", p[:8])
    off = 12
    for _ in range(qd):
        off = skip_name(p, off) + 4
    rrs = []
    for _ in range(an):
        off = skip_name(p, off)
        typ, _cls, _ttl, rdlen = struct.unpack(">HHIH", p[off:off + 10])
        off += 10
        rrs.append((typ, p[off:off + rdlen]))
        off += rdlen
    return qid, flags & 15, sorted(rrs)


def ask(sock, port, qid, name, qtype):
    sock.sendto(build_query(qid, name, qtype), ("127.0.0.1", port))
    while True:
        p, _ = sock.recvfrom(65535)
        r = parse_answer(p)
        if r[0] == qid:
            return r[1:]


def compare(pa, pb, qfile, count):
    with open(qfile) as f:
        lines = f.read().split("\n")
    lines = [x.split() for x in lines if x]
    step = max(1, len(lines) // count)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2)
    ndiff = nlisted = ntotal = 0
    for i in range(0, len(lines), step)[:count]:
        name, qtype = lines[i]
        try:
            a = ask(sock, pa, i & 0xffff, name, qtype)
            b = ask(sock, pb, i & 0xffff, name, qtype)
        except socket.timeout:
            a, b = "timeout", None
        ntotal += 1
        if a != b:
            ndiff += 1
            if ndiff <= 5:
                print("  differ: %s %s: %r vs %r" % (name, qtype, a, b))
        elif a[0] == 0 and a[1]:
            nlisted += 1
    print("compare: %d compared (%d listed), %d differ" %
          (ntotal, nlisted, ndiff))
    return 1 if ndiff else 0


def freeport():
    for _ in range(50):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        port = u.getsockname()[1]
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            t.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            t.close()
            u.close()
        print(port)
        return 0
    return 1


def main(argv):
    if len(argv) == 8 and argv[1] == "gen":
        gen(argv[2], int(argv[3]), int(argv[4]), int(argv[5]), int(argv[6]),
            argv[7])
        return 0
    if len(argv) == 6 and argv[1] == "compare":
        return compare(int(argv[2]), int(argv[3]), argv[4], int(argv[5]))
    if len(argv) == 2 and argv[1] == "freeport":
        return freeport()
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
