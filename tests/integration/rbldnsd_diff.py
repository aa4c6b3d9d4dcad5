#!/usr/bin/env python3
"""rbldnsd_diff.py -- ask Debian's rbldnsd and `reputed --rbldnsd` the same
questions about the same data files and compare their answers.

usage: rbldnsd_diff.py RBLDNSD_PORT REPUTED_PORT DATADIR DOCS ZONESPEC...

ZONESPEC is what both servers were given (zone:type:file,file). The
queries are generated from the data: every entry's first and last address,
the addresses just outside, one inside, for A and TXT; then other types,
the apex, names above listings, bad names, case variants and names outside
every zone. Answers are normalised (sections as sets; the SOA serial left
out: see docs/rbldnsd.md) and compared. A difference passes only when a
rule below explains it and its tag is written in DOCS as `tag`; every
other difference fails the test. Exit 0 when all passed.

rbldnsd_generic_diff.py and rbldnsd_acl.py import it (as rd): the DNS
client, the data readers, the rules, arguments(), classify_by() and
compare().
"""
import ipaddress
import os
import random
import re
import socket
import struct
import sys

T_A, T_NS, T_SOA, T_MX, T_TXT, T_AAAA, T_ANY, T_CAA = 1, 2, 6, 15, 16, 28, \
    255, 257
TYPE_NAMES = {T_A: 'A', T_NS: 'NS', T_SOA: 'SOA', T_MX: 'MX', T_TXT: 'TXT',
              T_AAAA: 'AAAA', T_ANY: 'ANY', T_CAA: 'CAA'}
RCODES = {0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN',
          4: 'NOTIMP', 5: 'REFUSED'}

random.seed(5782)

# ---------------------------------------------------------------- DNS

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

# ---------------------------------------------------------------- data

IP4_KEY = re.compile(r'^!?([0-9./-]+)')
IP6_KEY = re.compile(r'^!?([0-9A-Fa-f:./]+)')


def ip4_range(key):
    """(lo, hi) of an rbldnsd IPv4 key as integers, or None."""
    def prefix(s):
        parts = s.split('.')
        if not 1 <= len(parts) <= 4 or not all(p.isdigit() for p in parts):
            return None
        vals = [int(p) for p in parts]
        if any(v > 255 for v in vals):
            return None
        return sum(v << (24 - 8 * i) for i, v in enumerate(vals)), \
            8 * len(parts)
    if '-' in key:
        a, b = key.split('-', 1)
        pa, pb = prefix(a), prefix(b)
        if pa is None or pb is None:
            return None
        lo, bits = pa
        hi, bb = pb
        if bb == 8:     # "1.2.3.4-10": the last octet given
            shift = 32 - bits
            hi = (lo & ~(0xff << shift) & 0xffffffff) | (hi >> 24) << shift
            bb = bits
        return lo, hi | ((1 << (32 - bb)) - 1)
    if '/' in key:
        a, b = key.split('/', 1)
        pa = prefix(a)
        if pa is None or not b.isdigit() or int(b) > 32:
            return None
        lo, bits = pa[0], int(b)
    else:
        pa = prefix(key)
        if pa is None:
            return None
        lo, bits = pa
    size = 1 << (32 - bits)
    lo &= ~(size - 1) & 0xffffffff
    return lo, lo + size - 1


def ip6_range(key):
    addr, _, plen = key.partition('/')
    if '::' not in addr:
        words = addr.split(':')
        if len(words) < 8:
            bits = len(words) * 16
            addr = addr + '::'
        else:
            bits = 128
    else:
        bits = 128
    if plen:
        bits = int(plen)
    try:
        net = ipaddress.IPv6Network('%s/%d' % (addr, bits), strict=False)
    except ValueError:
        return None
    return int(net.network_address), int(net.broadcast_address)


def read_lines(path):
    with open(path, 'rb') as f:
        return [raw.decode('latin-1').strip() for raw in f]


def data_keys(lines, family):
    """Every entry key's (lo, hi) in data lines (exclusions too)."""
    keys = []
    for line in lines:
        if not line or line[0] in '#;:$':
            continue
        m = (IP4_KEY if family == 4 else IP6_KEY).match(line)
        if not m:
            continue
        key = m.group(1).rstrip(':')
        r = ip4_range(key) if family == 4 else ip6_range(key)
        if r is not None:
            keys.append(r)
    return keys


def v4_name(n, zone):
    o = [(n >> s) & 255 for s in (24, 16, 8, 0)]
    return '%d.%d.%d.%d.%s.' % (o[3], o[2], o[1], o[0], zone)


def v6_name(n, zone):
    nib = '%032x' % n
    return '.'.join(reversed(nib)) + '.' + zone + '.'


def addresses(keys, family, limit):
    top = (1 << (32 if family == 4 else 128)) - 1
    out = set()
    for lo, hi in keys:
        for a in (lo, hi, lo - 1, hi + 1, random.randint(lo, hi)):
            if 0 <= a <= top:
                out.add(a)
    out = sorted(out)
    if len(out) > limit:
        out = sorted(random.sample(out, limit))
    return out

# ---------------------------------------------------------------- queries

class Zone:
    def __init__(self, name, base=None):
        self.name = name
        self.base = base        # a subzone of combined data: its zone
        self.datasets = []      # (type, [lines...], [file names])

    def families(self):
        return {4 if t.startswith('ip4') else 6
                for t, _, _ in self.datasets if t.startswith('ip')}


def combined_blocks(lines):
    """(type, subzones, lines) of each $DATASET block."""
    blocks = []
    for line in lines:
        if line.startswith('$DATASET'):
            words = line.split()
            blocks.append((words[1].split(':')[0], words[2:], []))
        elif blocks:
            blocks[-1][2].append(line)
    return blocks


def zones_of(specs, datadir):
    zones = {}
    for spec in specs:
        name, typ, files = spec.split(':', 2)
        name = name.lower()
        z = zones.setdefault(name, Zone(name))
        paths = ['%s/%s' % (datadir, f) for f in files.split(',')]
        lines = [l for p in paths for l in read_lines(p)]
        if typ != 'combined':
            z.datasets.append((typ, lines, paths))
            continue
        for btype, subs, blines in combined_blocks(lines):
            for sub in subs:
                zn = name if sub == '@' else sub.lower() + '.' + name
                bz = zones.setdefault(zn, Zone(zn, name if sub != '@'
                                               else None))
                bz.datasets.append((btype, blines, paths))
    return zones


def keys4(z):
    return [k for typ, lines, _ in z.datasets if typ.startswith('ip4')
            for k in data_keys(lines, 4)]


def name_keys(lines):
    """The names of dnset data lines (forms and exclusions stripped)."""
    out = []
    for line in lines:
        if not line or line[0] in '#;:$':
            continue
        key = re.split(r'[\s:]', line, 1)[0].lstrip('!')
        if key.startswith('*.'):
            key = key[2:]
        key = key.strip('.')
        if key:
            out.append(key)
    return out


def name_queries(z, limit):
    """For dnset data: each name, a child, a grandchild and its parent."""
    names = [n for typ, lines, _ in z.datasets if typ == 'dnset'
             for n in name_keys(lines)]
    if len(names) > limit:
        names = random.sample(names, limit)
    qs = []
    for n in names:
        parent = n.split('.', 1)[1] if '.' in n else None
        for q in (n, 'sub.' + n, 'a.b.' + n, parent):
            if q is not None and len(q) + len(z.name) < 250:
                qs.append((q + '.' + z.name + '.', T_A))
                qs.append((q + '.' + z.name + '.', T_TXT))
        qs.append((n.upper() + '.' + z.name + '.', T_A))
    return qs


def queries_for(z, limit):
    qs = name_queries(z, limit)
    for fam in sorted(z.families()):
        keys = []
        for typ, lines, _ in z.datasets:
            if typ.startswith('ip%d' % fam):
                keys += data_keys(lines, fam)
        name = v4_name if fam == 4 else v6_name
        for a in addresses(keys, fam, limit):
            qs.append((name(a, z.name), T_A))
            qs.append((name(a, z.name), T_TXT))
    if z.families() == {4, 6}:
        # IPv4 addresses asked in IPv6 form: mapped and 6to4.
        v4 = [a for a in addresses(keys4(z), 4, 6)]
        for a in v4:
            qs.append((v6_name((0xffff << 32) | a, z.name), T_A))
            qs.append((v6_name((0x2002 << 112) | (a << 80), z.name), T_A))
    listed = [q for q, t in qs[:40:2]]
    for q in listed[:6]:
        qs.append((q, T_ANY))
        qs.append((q, T_AAAA))
        qs.append((q, T_MX))
        qs.append((q, T_CAA))
        qs.append((q.upper(), T_A))
    apex = z.name + '.'
    for t in (T_SOA, T_NS, T_A, T_TXT, T_MX, T_ANY, T_AAAA):
        qs.append((apex, t))
    qs.append((apex.upper(), T_SOA))
    for extra in ('2', '0.2', '0.0.127', 'x.2.0.0.127', '2.0.0.127.x',
                  '1.2.0.0.127', '02.0.0.127', '2.00.000.127',
                  '256.0.0.127', '0x2.0.0.127', 'www', 'a.b.c.d',
                  '4.3.2.1', '2.0.0.127'):
        qs.append((extra + '.' + apex, T_A))
    if has_dnset(z):
        for extra in ('test', 'invalid', 'TEST'):
            qs.append((extra + '.' + apex, T_A))
            qs.append((extra + '.' + apex, T_TXT))
    if 6 in z.families():
        qs.append(('.'.join('0' * 31) + '.' + apex, T_A))
        qs.append(('.'.join('0' * 33) + '.' + apex, T_A))
        qs.append(('.'.join('g' * 32) + '.' + apex, T_A))
    return qs

# ---------------------------------------------------------------- rules

def below(q, zone):
    """The labels of q below zone (q and zone lower case, q ends in '.')."""
    rest = q[:-len(zone) - 2] if q.endswith('.' + zone + '.') else ''
    return rest.split('.') if rest else []


def is_addr4(labels):
    return len(labels) == 4 and all(l.isdigit() and len(l) <= 3 and
                                    int(l) <= 255 for l in labels)


def addr_of(labels):
    if is_addr4(labels):
        return ipaddress.IPv4Address('.'.join(reversed(labels)))
    if len(labels) == 32 and all(len(l) == 1 and l in '0123456789abcdef'
                                 for l in labels):
        return ipaddress.IPv6Address(int(''.join(reversed(labels)), 16))
    return None


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


def rule_leading_zero(q, qt, z, r, p):
    labels = below(q.lower(), z.name)
    return len(labels) == 4 and any(len(l) > 1 and l[0] == '0' and
                                    l.isdigit() for l in labels) and \
        p['rcode'] == 'NXDOMAIN'


def has_dnset(z):
    return any(t == 'dnset' for t, _, _ in z.datasets)


def rule_test_point(q, qt, z, r, p):
    labels = below(q.lower(), z.name)
    if has_dnset(z) and labels in (['test'], ['invalid']):
        return True
    a = addr_of(labels)
    points = {ipaddress.IPv4Address('127.0.0.1'),
              ipaddress.IPv4Address('127.0.0.2'),
              ipaddress.IPv6Address('::ffff:7f00:1'),
              ipaddress.IPv6Address('::ffff:7f00:2')}
    return a in points


def rule_qtype_notimp(q, qt, z, r, p):
    return 250 <= qt != 255 and r['rcode'] == 'NOTIMP'


def rule_no_soa(q, qt, z, r, p):
    return z.name.startswith('nosoa.')


def rule_multi_value(q, qt, z, r, p):
    """ip4set or dnset: several values for one key; the store keeps one
    A (and every TXT)."""
    return r['rcode'] == p['rcode'] == 'NOERROR' and \
        set(p['an']) < set(r['an']) and \
        any(t in ('ip4set', 'dnset') for t, _, _ in z.datasets)


def rule_ipv4_mapped(q, qt, z, r, p):
    a = addr_of(below(q.lower(), z.name))
    return isinstance(a, ipaddress.IPv6Address) and \
        (a.ipv4_mapped is not None or a.sixtofour is not None) and \
        4 in z.families()


def rule_zone_ttl(q, qt, z, r, p):
    """One TTL per zone (the smallest of its datasets'); rbldnsd takes
    the smallest among the datasets that matched."""
    def strip(a):
        return dict(a, an=tuple(rr[:2] + rr[3:] for rr in a['an']))
    return len(z.datasets) > 1 and strip(r) == strip(p) and \
        all(pr[2] <= rr[2] for pr, rr in zip(p['an'], r['an']))


def rule_no_ns(q, qt, z, r, p):
    """A zone with $SOA but no $NS: reputed names the SOA's server."""
    return q.lower() == z.name + '.' and qt in (T_NS, T_ANY) and \
        r['rcode'] == 'REFUSED' and p['rcode'] == 'NOERROR' and \
        all(rr[1] in ('NS', 'SOA') for rr in p['an'])


def rule_aa_long(q, qt, z, r, p):
    """rbldnsd clears AA on some long answers; reputed keeps it."""
    return r['aa'] == 0 and p['aa'] == 1 and \
        dict(r, aa=1) == p


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


def classify_by(rules, q, qt, z, r, p, apex_types=None):
    """The tags that explain why p differs from r, or None: the first of
    rules (a list of (tag, rule)) that does, after a subzone of combined
    data (z.base set) is taken care of. Its apex (asked for a type of
    apex_types; None: any) differs as a whole."""
    tags = []
    if z.base is not None:
        if q.lower() == z.name + '.' and \
                (apex_types is None or qt in apex_types):
            return ['combined-subzone']     # its apex: SOA, NS
        fixed = subzone_owner(z, p)
        if fixed != p:
            tags.append('combined-subzone')
            p = fixed
        if p == r:
            return tags
    tag = next((t for t, rule in rules if rule(q, qt, z, r, p)), None)
    return tags + [tag] if tag is not None else None


def classify(q, qt, z, r, p):
    """The tags that explain why p differs from r, or None."""
    return classify_by(RULES, q, qt, z, r, p)


RULES = [
    ('above-nodata', rule_above),
    ('leading-zeros', rule_leading_zero),
    ('test-points', rule_test_point),
    ('qtype-notimp', rule_qtype_notimp),
    ('no-soa', rule_no_soa),
    ('multi-value', rule_multi_value),
    ('ipv4-mapped', rule_ipv4_mapped),
    ('no-ns', rule_no_ns),
    ('zone-ttl', rule_zone_ttl),
    ('aa-long-answer', rule_aa_long),
]


def show(a):
    lines = ['%s aa=%d tc=%d' % (a['rcode'], a['aa'], a['tc'])]
    for sec in ('an', 'ns', 'ar'):
        for rr in a[sec]:
            lines.append('  %s %s %s %d %s' % ((sec,) + rr))
    return '\n'.join(lines)


def arguments(usage):
    """The command line RBLDNSD_PORT REPUTED_PORT DATADIR DOCS
    ZONESPEC...: (the two ports, DATADIR, DOCS, [ZONESPEC...]), or None
    when it is too short (usage is printed then)."""
    if len(sys.argv) < 6:
        print(usage, file=sys.stderr)
        return None
    return int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], \
        sys.argv[5:]


def show_diff(head, r, p):
    print(head)
    print(' rbldnsd: ' + show(r).replace('\n', '\n          '))
    print(' reputed: ' + show(p).replace('\n', '\n          '))


def compare(qs, rport, pport, docs, explain, same_timeouts=True):
    """Ask rbldnsd (rport) and reputed (pport) each (name, type, zone) of
    qs and report: a difference passes when explain(q, qt, z, r, p)
    explains it with tags that docs (a file) writes as `tag`. Both
    timing out is the same answer unless same_timeouts is False.
    Returns the counts of the same answers and of the documented
    differences, and the list of the other ones."""
    with open(docs, encoding='utf-8') as f:
        doc = f.read()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2)
    same = explained = 0
    used, bad = {}, []
    for q, qt, z in qs:
        r = ask(sock, rport, q, qt)
        p = ask(sock, pport, q, qt)
        if r == p and (same_timeouts or r['rcode'] != 'TIMEOUT'):
            same += 1
            continue
        if 'TIMEOUT' in (r['rcode'], p['rcode']):
            bad.append((q, qt, r, p, 'timeout'))
            continue
        tags = explain(q, qt, z, r, p)
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
            if os.environ.get('RBLDNSD_DIFF_ALL'):
                show_diff('documented `%s`: %s %s' % (
                    tag, q, TYPE_NAMES.get(qt, qt)), r, p)
    print('%d queries: %d the same, %d documented differences, %d '
          'unexplained' % (len(qs), same, explained, len(bad)))
    for tag in sorted(used):
        print('  documented `%s`: %d' % (tag, used[tag]))
    for q, qt, r, p, why in bad[:40]:
        show_diff('DIFF %s %s: %s' % (q, TYPE_NAMES.get(qt, qt), why), r, p)
    if len(bad) > 40:
        print('... and %d more' % (len(bad) - 40))
    return same, explained, bad


def main():
    args = arguments(__doc__)
    if args is None:
        return 2
    rport, pport, datadir, docs, specs = args
    zones = zones_of(specs, datadir)
    qs = []
    for z in zones.values():
        big = any('uceprotect' in f or 'backscatterer' in f
                  for _, _, fs in z.datasets for f in fs)
        limit = 80 if big else 400
        qs += [(q, t, z) for q, t in queries_for(z, limit)]
    outside = Zone('.')
    for q in ('example.org.', 'test.', 'xset.test.', 'in-addr.arpa.',
              '2.0.0.127.example.org.'):
        qs.append((q, T_A, outside))
    _, _, bad = compare(qs, rport, pport, docs, classify)
    return 1 if bad or len(qs) < 300 else 0


if __name__ == '__main__':
    sys.exit(main())
