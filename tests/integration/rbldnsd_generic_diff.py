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
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rbldnsd_diff as rd  # noqa: E402

TYPES = (rd.T_A, rd.T_TXT, rd.T_MX, rd.T_ANY, rd.T_AAAA, rd.T_NS, rd.T_SOA)

# After rbldnsd_diff's own seed: the query ids rd.ask() draws.
random.seed(7505)

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
                 for l in rd.read_lines('%s/%s' % (datadir, f))]
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
        qs.append(((n + '.' if n else '') + z.name.upper() + '.', rd.T_A))
    return qs

# ---------------------------------------------------------------- rules


def rule_ent(q, qt, z, r, p):
    """A name above a record name: NODATA (RFC 8020), rbldnsd NXDOMAIN."""
    name = '.'.join(rd.below(q.lower(), z.name))
    return name in ancestors(z.owners) and r['rcode'] == 'NXDOMAIN' and \
        p['rcode'] == 'NOERROR' and not p['an'] and p['ns'] == r['ns']


def rule_names(q, qt, z, r, p):
    """An owner reputed cannot serve (a '*' label): left out."""
    return any('*' in l for l in rd.below(q.lower(), z.name)) and \
        not p['an']


def rule_test_point(q, qt, z, r, p):
    """RFC 5782 test points: reputed answers them the same everywhere."""
    return rd.below(q.lower(), z.name) in (['2', '0', '0', '127'],
                                         ['1', '0', '0', '127'])


RULES = [
    ('generic-ent', rule_ent),
    ('generic-names', rule_names),
    ('test-points', rule_test_point),
    ('above-nodata', rd.rule_above),
]


def classify(q, qt, z, r, p):
    return rd.classify_by(RULES, q, qt, z, r, p,
                          apex_types=(rd.T_SOA, rd.T_NS, rd.T_ANY))


def main():
    args = rd.arguments(__doc__)
    if args is None:
        return 2
    rport, pport, datadir, docs, specs = args
    zones = read_specs(specs, datadir)
    qs = [(q, t, z) for z in zones.values() for q, t in questions(z)]
    same, explained, bad = rd.compare(qs, rport, pport, docs, classify,
                                      same_timeouts=False)
    print('%d passed, %d failed' % (same + explained, len(bad)))
    return 1 if bad or same < len(qs) // 2 else 0


if __name__ == '__main__':
    sys.exit(main())
