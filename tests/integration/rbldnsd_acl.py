#!/usr/bin/env python3
"""rbldnsd_acl.py -- ask Debian's rbldnsd and `reputed --rbldnsd` the same
questions from many client addresses, to compare what their acl datasets
(zone:acl:file, :acl:file) do with each client.

usage: rbldnsd_acl.py RBLDNSD_PORT REPUTED_PORT DATADIR DOCS ZONESPEC...

Each client is a loopback address (127.0.0.N, and ::1 when both servers
listen there) bound explicitly, so that each meets its own acl entries.
The questions are generated from the zones' data (rbldnsd_diff.py): an
address or two of each entry, A, TXT, ANY and AAAA, the apex, names that
are not addresses. A client that gets no answer from rbldnsd (ignored) is
asked less. A difference passes only when a rule below explains it and its
tag is written in DOCS as `tag`. Then a few answers are checked against
what the acl data says, so that agreeing on nothing cannot pass. Prints
"N passed, N failed"; exit 0 when nothing failed.
"""
import ipaddress
import os
import random
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rbldnsd_diff as rd  # noqa: E402

T_A, T_SOA, T_NS, T_TXT, T_AAAA, T_ANY = 1, 6, 2, 16, 28, 255

CLIENTS4 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
            19, 24, 27, 28, 33, 40, 41, 50, 51, 52, 99]


def ask(src, port, name, qtype, tries=2, wait=0.3):
    """The parsed answer from port to a query sent from address src."""
    fam = socket.AF_INET6 if ':' in src else socket.AF_INET
    dst = '::1' if fam == socket.AF_INET6 else '127.0.0.1'
    qid = random.randrange(65536)
    query = struct.pack('!HHHHHH', qid, 0, 1, 0, 0, 0) + \
        rd.encode_name(name) + struct.pack('!HH', qtype, 1)
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.bind((src, 0))
        s.settimeout(wait)
        for _ in range(tries):
            s.sendto(query, (dst, port))
            try:
                while True:
                    data = s.recv(4096)
                    if len(data) >= 12 and \
                            struct.unpack('!H', data[:2])[0] == qid:
                        return rd.parse_reply(data)
            except socket.timeout:
                continue
    return {'rcode': 'TIMEOUT', 'aa': 0, 'tc': 0, 'an': (), 'ns': (),
            'ar': ()}


def questions(z):
    """What every client asks about zone z."""
    qs = []
    for fam in sorted(z.families()):
        keys = []
        for typ, lines, _ in z.datasets:
            if typ.startswith('ip%d' % fam):
                keys += rd.data_keys(lines, fam)
        name = rd.v4_name if fam == 4 else rd.v6_name
        for a in rd.addresses(keys, fam, 4):
            qs += [(name(a, z.name), T_A), (name(a, z.name), T_TXT)]
    if qs:
        qs += [(qs[0][0], T_ANY), (qs[0][0], T_AAAA)]
    apex = z.name + '.'
    qs += [(apex, T_SOA), (apex, T_NS), (apex, T_A)]
    for extra in ('1.0.0.11', '2.0.0.127', '1.0.0.127', '0.0.127', 'www',
                  '02.0.0.127'):
        qs.append((extra + '.' + apex, T_A))
    # An address of each family, whatever the zone holds.
    qs.append((rd.v6_name(0x20010db8000000000000000000000099, z.name),
               T_A))
    qs.append((rd.v6_name((0xffff << 32) | 0x0a000001, z.name), T_A))
    return qs

# ---------------------------------------------------------------- rules


def only_ttl(r, p):
    def strip(a):
        return dict(a, an=tuple(rr[:2] + rr[3:] for rr in a['an']))
    return r != p and strip(r) == strip(p)


def rule_acl_ttl(q, qt, z, r, p):
    """An acl's "always listed" answer: rbldnsd gives the acl's TTL,
    reputed the zone's."""
    return only_ttl(r, p) and r['rcode'] == 'NOERROR' and len(r['an']) > 0


def rule_any_address(q, qt, z, r, p):
    """"Always listed": rbldnsd lists only the names a dataset of the
    zone looks up; reputed every address name."""
    a = rd.addr_of(rd.below(q.lower(), z.name))
    if a is None or r['rcode'] != 'NXDOMAIN' or p['rcode'] != 'NOERROR' \
            or not p['an']:
        return False
    fams = z.families()
    if isinstance(a, ipaddress.IPv6Address):
        mapped = a.ipv4_mapped is not None or a.sixtofour is not None
        return 6 not in fams and not (mapped and 4 in fams)
    return 4 not in fams


def rule_test_point(q, qt, z, r, p):
    """RFC 5782 test points, but only where reputed gives the test
    point's own answer (an acl's "always" or "empty" must not differ)."""
    a = rd.addr_of(rd.below(q.lower(), z.name))
    if a is None or int(a) & 0xff not in (1, 2) or \
            int(a) >> 8 not in (0x7f0000, 0xffff7f0000):
        return False
    if int(a) & 0xff == 1:
        return rd.negative(p)
    return all(rr[3] in ('127.0.0.2', "'RFC 5782 test point'")
               for rr in p['an']) and len(p['an']) > 0


RULES = [
    ('above-nodata', rd.rule_above),
    ('leading-zeros', rd.rule_leading_zero),
    ('test-points', rule_test_point),
    ('ipv4-mapped', rd.rule_ipv4_mapped),
    ('acl-always-any-address', rule_any_address),
    ('acl-ttl', rule_acl_ttl),
]


def classify(q, qt, z, r, p):
    """The tags that explain why p differs from r, or None (as
    rbldnsd_diff.classify(), with this test's rules)."""
    return rd.classify_by(RULES, q, qt, z, r, p)

# ---------------------------------------------------------------- checks


def expectations(port, v6):
    """What reputed must answer, from the acl files: (client, name, type,
    check(answer), what)."""
    def rcode(c):
        return lambda a: a['rcode'] == c

    def a_value(v):
        return lambda a: a['rcode'] == 'NOERROR' and \
            any(rr[1] == 'A' and rr[3] == v for rr in a['an'])

    def txt(t):
        return lambda a: any(rr[1] == 'TXT' and rr[3] == repr(t.encode())[1:]
                             for rr in a['an'])
    listed = '1.0.0.10.acl.test.'
    out = [
        ('127.0.0.1', listed, T_A, a_value('127.0.0.3'), 'no entry: data'),
        ('127.0.0.2', 'acl.test.', T_SOA, rcode('REFUSED'), 'refuse'),
        ('127.0.0.3', listed, T_A, rcode('NXDOMAIN'), 'empty'),
        ('127.0.0.3', 'acl.test.', T_SOA, rcode('NOERROR'), 'empty apex'),
        ('127.0.0.4', '9.9.9.9.acl.test.', T_A, a_value('127.0.0.9'),
         'always'),
        ('127.0.0.4', '9.9.9.9.acl.test.', T_TXT,
         txt('always 127.0.0.4 from zone-acl'), 'always TXT'),
        ('127.0.0.5', listed, T_A, rcode('TIMEOUT'), 'ignore'),
        ('127.0.0.6', listed, T_A, a_value('127.0.0.3'), 'pass'),
        ('127.0.0.7', listed, T_A, rcode('REFUSED'), '=REFUSE'),
        ('127.0.0.9', '9.9.9.9.acl.test.', T_TXT, rcode('NOERROR'),
         'always without TXT'),
        ('127.0.0.10', '1.0.0.10.aclb.test.', T_A, rcode('REFUSED'),
         'global refuse'),
        ('127.0.0.12', listed, T_A, a_value('127.0.0.20'),
         'two always: the global one'),
        ('127.0.0.14', 'aclb.test.', T_SOA, rcode('TIMEOUT'),
         'global ignore'),
        ('127.0.0.17', '1.0.0.10.aclb.test.', T_A, rcode('REFUSED'),
         'global refuse elsewhere'),
        ('127.0.0.17', listed, T_A, rcode('TIMEOUT'),
         'zone ignore > global refuse'),
        ('127.0.0.19', '1.2.0.192.sub.aclc.test.', T_A,
         a_value('127.0.0.22'), 'global always in a subzone'),
        ('127.0.0.33', '1.2.0.192.sub.aclc.test.', T_A, rcode('NXDOMAIN'),
         'zone acl in a subzone'),
        ('127.0.0.40', listed, T_A, a_value('127.0.0.3'), 'a pass hole'),
        ('127.0.0.41', listed, T_A, rcode('TIMEOUT'), 'blackhole'),
        ('127.0.0.50', listed, T_TXT, txt('default for 127.0.0.50'),
         'default value'),
        ('127.0.0.52', listed, T_A, rcode('REFUSED'), 'default refuse'),
    ]
    if v6:
        out.append(('::1', listed, T_A, a_value('127.0.0.8'),
                    'an IPv6 client'))
    return out


def can_bind_v6():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
            s.bind(('::1', 0))
        return True
    except OSError:
        return False


def main():
    args = rd.arguments(__doc__)
    if args is None:
        return 2
    rport, pport, datadir, docs, specs = args
    specs = [s for s in specs if s.split(':')[1] != 'acl']
    zones = rd.zones_of(specs, datadir)
    with open(docs, encoding='utf-8') as f:
        doc = f.read()
    v6 = can_bind_v6() and os.environ.get('ACL_NO_V6') is None
    clients = ['127.0.0.%d' % n for n in CLIENTS4] + (['::1'] if v6 else [])
    passed = failed = 0
    used = {}
    for c in clients:
        for z in zones.values():
            qs, tries = questions(z), 2
            # A zone that ignores the client: one question, which both
            # must leave unanswered (the rest would only time out).
            if ask(c, rport, z.name + '.', T_SOA, 1)['rcode'] == 'TIMEOUT':
                qs, tries = [(z.name + '.', T_SOA)], 1
            for q, qt in qs:
                r = ask(c, rport, q, qt, tries)
                p = ask(c, pport, q, qt, tries)
                if r == p:
                    passed += 1
                    continue
                tags = classify(q, qt, z, r, p)
                missing = [t for t in tags or [] if '`%s`' % t not in doc]
                if tags and not missing and 'TIMEOUT' not in \
                        (r['rcode'], p['rcode']):
                    passed += 1
                    tag = '+'.join(tags)
                    used[tag] = used.get(tag, 0) + 1
                    continue
                failed += 1
                why = 'rule %s is not in %s' % (' '.join(missing), docs) \
                    if tags and missing else 'not explained by any rule'
                print('DIFF from %s: %s %s: %s' % (
                    c, q, rd.TYPE_NAMES.get(qt, qt), why))
                print(' rbldnsd: ' + rd.show(r).replace('\n', '\n  '))
                print(' reputed: ' + rd.show(p).replace('\n', '\n  '))
    for c, q, qt, check, what in expectations(pport, v6):
        a = ask(c, pport, q, qt)
        if check(a):
            passed += 1
        else:
            failed += 1
            print('WRONG from %s: %s %s (%s):' % (
                c, q, rd.TYPE_NAMES.get(qt, qt), what))
            print(' reputed: ' + rd.show(a).replace('\n', '\n  '))
    for tag in sorted(used):
        print('documented `%s`: %d' % (tag, used[tag]))
    print('%d clients%s' % (len(clients), '' if v6 else ' (no ::1)'))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed or passed < 500 else 0


if __name__ == '__main__':
    sys.exit(main())
