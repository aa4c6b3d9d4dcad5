#!/usr/bin/env python3
"""rbldnsd_generic_diff.py -- ask Debian's rbldnsd and `reputed --rbldnsd`
the same questions about zones with rbldnsd `generic` data, and compare.

usage: rbldnsd_generic_diff.py RBLDNSD_PORT REPUTED_PORT DATADIR DOCS
       ZONESPEC...

The questions are generated from the data: the apex and every record name
of the generic datasets (and of $DATASET generic blocks of combined data),
the names between them and their zone, names that are not there, and the
addresses of a zone that also has an ip4set, each asked for A, TXT, MX,
ANY, AAAA, NS and SOA. Answers are compared as sets (the SOA serial left
out, see rbldnsd_diff.py). A difference passes only when a rule below
explains it and its tag is written in DOCS as `tag`. Prints each
unexplained difference, then "N passed, N failed"; exit 0 when none
failed.
"""
import ipaddress
import random
import socket
import struct
import sys

T_A, T_NS, T_SOA, T_MX, T_TXT, T_AAAA, T_ANY = 1, 2, 6, 15, 16, 28, 255
TYPE_NAMES = {T_A: 'A', T_NS: 'NS', T_SOA: 'SOA', T_MX: 'MX', T_TXT: 'TXT',
              T_AAAA: 'AAAA', T_ANY: 'ANY'}
RCODES = {0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN',
          4: 'NOTIMP', 5: 'REFUSED'}
TYPES = (T_A, T_TXT, T_MX, T_ANY, T_AAAA, T_NS, T_SOA)

random.seed(7505)

# ------------------------------------------- DNS (from rbldnsd_diff.py)

def encode_name(name):
    out = b''
    for label in name.rstrip('.').split('.'):
        if label:
            raw = label.encode('latin-1')
            out += bytes([len(raw)]) + raw
    return out + b'\0'


def read_name(msg, pos):
    labels, jumped, end, hops = [], False, pos, 0
    while True:
        n = msg[pos]
        if n >= 0xc0:
            if not jumped:
                end = pos + 2
            pos = ((n & 0x3f) << 8) | msg[pos + 1]
            jumped = True
            hops += 1
            if hops > 64:
                raise ValueError('pointer loop')
            continue
        if n == 0:
            if not jumped:
                end = pos + 1
            break
        labels.append(msg[pos + 1:pos + 1 + n].decode('latin-1'))
        pos += 1 + n
    return '.'.join(labels) + '.', end


def rdata_text(msg, rtype, pos, rdlen):
    rd = msg[pos:pos + rdlen]
    if rtype == T_A and rdlen == 4:
        return socket.inet_ntoa(rd)
    if rtype == T_NS:
        return read_name(msg, pos)[0]
    if rtype == T_SOA:
        mname, p = read_name(msg, pos)
        rname, p = read_name(msg, p)
        serial, refresh, retry, expire, minimum = struct.unpack(
            '!IIIII', msg[p:p + 20])
        # The serial is left out: docs/rbldnsd.md `serial`.
        return '%s %s SERIAL %d %d %d %d' % (mname, rname, refresh, retry,
                                             expire, minimum)
    if rtype == T_TXT:
        strings, i = [], 0
        while i < len(rd):
            n = rd[i]
            strings.append(rd[i + 1:i + 1 + n])
            i += 1 + n
        return ' '.join(repr(s)[1:] for s in strings)
    return rd.hex()


def parse_reply(msg):
    qid, flags, qd, an, ns, ar = struct.unpack('!HHHHHH', msg[:12])
    pos = 12
    for _ in range(qd):
        pos = read_name(msg, pos)[1] + 4
    sections = []
    for count in (an, ns, ar):
        rrs = []
        for _ in range(count):
            owner, pos = read_name(msg, pos)
            rtype, rclass, ttl, rdlen = struct.unpack('!HHIH',
                                                      msg[pos:pos + 10])
            pos += 10
            if rtype != 41:
                rrs.append((owner, TYPE_NAMES.get(rtype, str(rtype)), ttl,
                            rdata_text(msg, rtype, pos, rdlen)))
            pos += rdlen
        sections.append(tuple(sorted(rrs)))
    return {'rcode': RCODES.get(flags & 0xf, str(flags & 0xf)),
            'aa': (flags >> 10) & 1, 'tc': (flags >> 9) & 1,
            'an': sections[0], 'ns': sections[1], 'ar': sections[2]}


def ask(sock, port, name, qtype):
    qid = random.randrange(65536)
    query = struct.pack('!HHHHHH', qid, 0, 1, 0, 0, 0) + \
        encode_name(name) + struct.pack('!HH', qtype, 1)
    for _ in range(3):
        sock.sendto(query, ('127.0.0.1', port))
        try:
            while True:
                data = sock.recv(4096)
                if len(data) >= 12 and struct.unpack('!H', data[:2])[0] == qid:
                    return parse_reply(data)
        except socket.timeout:
            continue
    return {'rcode': 'TIMEOUT', 'aa': 0, 'tc': 0, 'an': (), 'ns': (),
            'ar': ()}


def read_lines(path):
    with open(path, 'rb') as f:
        return [raw.decode('latin-1').strip() for raw in f]


def below(q, zone):
    """The labels of q below zone (q and zone lower case, q ends in '.')."""
    rest = q[:-len(zone) - 2] if q.endswith('.' + zone + '.') else ''
    return rest.split('.') if rest else []


def negative(a):
    return a['rcode'] in ('NXDOMAIN', 'NOERROR') and not a['an']


def rule_above(q, qt, z, r, p):
    """Names above a listing: NODATA from reputed, NXDOMAIN from rbldnsd."""
    labels = below(q.lower(), z.name)
    if not labels or not all(l.isdigit() or (len(l) == 1 and
                                             l in '0123456789abcdef')
                             for l in labels):
        return False
    n = len(labels)
    decimal = all(l.isdigit() and len(l) <= 3 for l in labels)
    nibble = all(len(l) == 1 for l in labels)
    above = (decimal and n <= 3) or (nibble and n <= 31) or \
        (n == 4 and nibble and negative(r))
    return above and r['rcode'] == 'NXDOMAIN' and \
        p['rcode'] == 'NOERROR' and not p['an'] and p['ns'] == r['ns']


def subzone_owner(z, p):
    """A subzone of combined data is a zone of its own in reputed: its
    negative answers name it as the SOA owner, not the base zone. The
    answer p with the base zone as that owner again."""
    sub = z.name + '.'
    keep = len(z.base.split('.')) + 1       # the base's labels, the root

    def owner(o):
        return '.'.join(o.split('.')[-keep:]) if o.lower() == sub else o
    return dict(p, ns=tuple(sorted((owner(rr[0]),) + rr[1:]
                                   for rr in p['ns'])))


def show(a):
    lines = ['%s aa=%d tc=%d' % (a['rcode'], a['aa'], a['tc'])]
    for sec in ('an', 'ns', 'ar'):
        for rr in a[sec]:
            lines.append('  %s %s %s %d %s' % ((sec,) + rr))
    return '\n'.join(lines)

# ---------------------------------------------------------------- data


class Zone:
    def __init__(self, name, base=None):
        self.name = name
        self.base = base        # combined data: the zone of a subzone
        self.owners = set()     # record names, '' for the apex
        self.ip4 = []           # ip4set lines (for addresses to ask)


def generic_owner(line):
    """The owner of a generic data line, lower case, '' for the apex."""
    if line.startswith('@') and line[1:2] in (' ', '\t'):
        return ''
    return line.split()[0].rstrip('.').lower() if line.split() else None


def data_line(line):
    return line and line[0] not in '#;$'


def read_specs(specs, datadir):
    zones = {}
    for spec in specs:
        name, typ, files = spec.split(':', 2)
        name = name.lower()
        z = zones.setdefault(name, Zone(name))
        lines = [l for f in files.split(',')
                 for l in read_lines('%s/%s' % (datadir, f))]
        if typ == 'generic':
            z.owners |= {generic_owner(l) for l in lines if data_line(l)}
        elif typ == 'ip4set':
            z.ip4 += [l for l in lines if data_line(l)]
        elif typ == 'combined':
            block = None
            for l in lines:
                if l.startswith('$DATASET'):
                    w = l.split()
                    block = (w[1].split(':')[0], w[2:])
                    for sub in block[1]:
                        zn = name if sub == '@' else sub.lower() + '.' + name
                        zones.setdefault(zn, Zone(zn, name if sub != '@'
                                                  else None))
                elif block and data_line(l):
                    for sub in block[1]:
                        zn = name if sub == '@' else sub.lower() + '.' + name
                        if block[0] == 'generic':
                            zones[zn].owners.add(generic_owner(l))
                        elif block[0] == 'ip4set':
                            zones[zn].ip4.append(l)
    for z in zones.values():
        z.owners.discard(None)
    return zones


def ancestors(owners):
    """Names between each owner and its zone's apex that own nothing."""
    out = set()
    for o in owners:
        labels = o.split('.') if o else []
        for k in range(1, len(labels)):
            out.add('.'.join(labels[k:]))
    return out - set(owners)


def questions(z):
    names = set(z.owners) | ancestors(z.owners) | {'nothere', 'x.www'}
    for line in z.ip4:
        key = line.split()[0].lstrip('!')
        try:
            net = ipaddress.IPv4Network(key, strict=False)
        except ValueError:
            continue
        for k in (0, 6, 7, 8, net.num_addresses - 1):
            if k < net.num_addresses:
                a = net.network_address + k
                names.add('.'.join(reversed(str(a).split('.'))))
    qs = []
    for n in sorted(names):
        fq = (n + '.' if n else '') + z.name + '.'
        for t in TYPES:
            qs.append((fq, t))
    for n in sorted(z.owners)[:3]:
        qs.append(((n + '.' if n else '') + z.name.upper() + '.', T_A))
    return qs

# ---------------------------------------------------------------- rules


def rule_ent(q, qt, z, r, p):
    """A name above a record name: NODATA (RFC 8020), rbldnsd NXDOMAIN."""
    name = '.'.join(below(q.lower(), z.name))
    return name in ancestors(z.owners) and r['rcode'] == 'NXDOMAIN' and \
        p['rcode'] == 'NOERROR' and not p['an'] and p['ns'] == r['ns']


def rule_names(q, qt, z, r, p):
    """An owner reputed cannot serve (a '*' label): left out."""
    return any('*' in l for l in below(q.lower(), z.name)) and \
        not p['an']


def rule_test_point(q, qt, z, r, p):
    """RFC 5782 test points: reputed answers them the same everywhere."""
    return below(q.lower(), z.name) in (['2', '0', '0', '127'],
                                         ['1', '0', '0', '127'])


RULES = [
    ('generic-ent', rule_ent),
    ('generic-names', rule_names),
    ('test-points', rule_test_point),
    ('above-nodata', rule_above),
]


def classify(q, qt, z, r, p):
    tags = []
    if z.base is not None:
        if q.lower() == z.name + '.' and qt in (T_SOA, T_NS, T_ANY):
            return ['combined-subzone']     # its apex: SOA, NS
        fixed = subzone_owner(z, p)
        if fixed != p:
            tags.append('combined-subzone')
            p = fixed
        if p == r:
            return tags
    tag = next((t for t, rule in RULES if rule(q, qt, z, r, p)), None)
    return tags + [tag] if tag is not None else None


def main():
    if len(sys.argv) < 6:
        print(__doc__, file=sys.stderr)
        return 2
    rport, pport, datadir, docs = int(sys.argv[1]), int(sys.argv[2]), \
        sys.argv[3], sys.argv[4]
    zones = read_specs(sys.argv[5:], datadir)
    with open(docs, encoding='utf-8') as f:
        doc = f.read()
    qs = [(q, t, z) for z in zones.values() for q, t in questions(z)]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2)
    same = explained = 0
    used, bad = {}, []
    for q, qt, z in qs:
        r = ask(sock, rport, q, qt)
        p = ask(sock, pport, q, qt)
        if r == p and r['rcode'] != 'TIMEOUT':
            same += 1
            continue
        if 'TIMEOUT' in (r['rcode'], p['rcode']):
            bad.append((q, qt, r, p, 'timeout'))
            continue
        tags = classify(q, qt, z, r, p)
        missing = [t for t in tags or [] if '`%s`' % t not in doc]
        if tags is None:
            bad.append((q, qt, r, p, 'not explained by any rule'))
        elif missing:
            bad.append((q, qt, r, p, 'rule %s is not in %s' %
                        (' '.join(missing), docs)))
        else:
            explained += 1
            tag = '+'.join(tags)
            used[tag] = used.get(tag, 0) + 1
    print('%d queries: %d the same, %d documented differences' %
          (len(qs), same, explained))
    for tag in sorted(used):
        print('  documented `%s`: %d' % (tag, used[tag]))
    for q, qt, r, p, why in bad[:40]:
        print('DIFF %s %s: %s' % (q, TYPE_NAMES.get(qt, qt), why))
        print(' rbldnsd: ' + show(r).replace('\n', '\n          '))
        print(' reputed: ' + show(p).replace('\n', '\n          '))
    print('%d passed, %d failed' % (same + explained, len(bad)))
    return 1 if bad or same < len(qs) // 2 else 0


if __name__ == '__main__':
    sys.exit(main())
