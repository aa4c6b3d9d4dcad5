#!/usr/bin/env python3
"""make_seeds.py -- (re)write the seed corpora of the fuzz targets in
tests/fuzz/corpus/: cut-down list fixtures for formats and rbldnsd, the
example configuration and catalog for config, and records and index
chunks of a real store for records (made with BUILD's reputed-import and
read with mdb_dump). Run from anywhere after `make`:

    tests/fuzz/make_seeds.py [BUILD]        # default: build

Seeds of formats start with the index of their format in imp_formats[]
(importers/formats.c), read from that table, so rerun this after the
table changes. Hand-written seeds (names starting "hand-") are kept.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
LISTS = os.path.join(ROOT, "tests", "data", "lists")

# fixture -> the format that parses it
FIXTURES = {
    "spamhaus-drop/drop.txt": "spamhaus-drop",
    "spamhaus-drop/drop-2026-08-22.txt": "spamhaus-drop",
    "spamhaus-drop/error-body-500-2025-11-18.txt": "spamhaus-drop",
    "spamhaus-dropv6/dropv6.txt": "spamhaus-drop",
    "spamhaus-edrop/edrop.txt": "spamhaus-drop",
    "spamhaus-edrop/edrop-retired-2024-10-18.txt": "spamhaus-drop",
    "spamhaus-drop/drop_v4.json": "spamhaus-json",
    "spamhaus-asndrop/asndrop.json": "spamhaus-asndrop",
    "firehol/firehol_level1.netset": "firehol",
    "firehol/stopforumspam_toxic.netset": "firehol",
    "firehol/blocklist_net_ua.ipset": "firehol",
    "dshield/block.txt": "dshield",
    "dshield/block-2023-01-31-template-bug.txt": "dshield",
    "feodo/ipblocklist.csv": "abuse-ch-csv",
    "feodo/ipblocklist_recommended.txt": "abuse-ch-txt",
    "tor/exit-addresses": "tor-exits",
    "tor/torbulkexitlist": "tor-exits",
    "rbldnsd-backscatterer/ips.backscatterer.org": "rbldnsd",
    "rbldnsd-uceprotect/dnsbl-1.uceprotect.net": "rbldnsd",
    "rbldnsd-uceprotect/dnsbl-2.uceprotect.net": "rbldnsd",
    "blocklist-de/all.txt": "plain",
    "cins-army/ci-badguys.txt": "plain",
    "et-compromised/compromised-ips.txt": "plain",
    "ipsum/ipsum.txt": "plain",
    "psbl/psbl.txt": "plain",
}
# also seeded through format "auto"
AUTO = ["spamhaus-drop/drop.txt", "spamhaus-drop/drop_v4.json",
        "spamhaus-asndrop/asndrop.json", "firehol/firehol_level1.netset",
        "dshield/block.txt", "feodo/ipblocklist.csv",
        "feodo/ipblocklist_recommended.txt", "tor/exit-addresses",
        "rbldnsd-uceprotect/dnsbl-1.uceprotect.net", "ipsum/ipsum.txt"]

# tests/data/rbldnsd files whose name does not start with their dataset
# type: the format that reads them, as the integration tests serve them.
# Any other file is read by the type its name starts with (dnset-a.zone:
# rbldnsd-dnset), or else by the list format "rbldnsd" (base.zone).
ZONE_FORMATS = {
    "acl-combined.zone": "rbldnsd-combined",
    "acl-combined-bad.zone": "rbldnsd-combined",
    "acl-data.zone": "rbldnsd-ip4set",
    "acl-data-b.zone": "rbldnsd-ip4set",
    "acl-data6.zone": "rbldnsd-ip6trie",
    "acl-global.zone": "rbldnsd-acl",
    "acl-zone.zone": "rbldnsd-acl",
    "dnset-combined.zone": "rbldnsd-combined",
    "generic-combined.zone": "rbldnsd-combined",
    "generic-ip4.zone": "rbldnsd-ip4set",
}

HEAD, TAIL, MAXB = 40, 8, 4096


def formats_order():
    """The names of imp_formats[], in order."""
    src = open(os.path.join(ROOT, "importers", "formats.c")).read()
    table = src[src.index("imp_formats[] = {"):]
    table = table[:table.index("NULL")]
    syms = re.findall(r"&(fmt_\w+)", table)
    names = {}
    for f in os.listdir(os.path.join(ROOT, "importers")):
        if not f.endswith(".c"):
            continue
        text = open(os.path.join(ROOT, "importers", f)).read()
        for sym, name in re.findall(
                r"const struct imp_format (fmt_\w+) = \{\s*\.name\s*=\s*"
                r"\"([^\"]+)\"", text):
            names[sym] = name
        # formats made by a macro: NAME(fmt_x, "name", ...)
        for sym, name in re.findall(r"\((fmt_\w+),\s*\"([^\"]+)\"", text):
            names.setdefault(sym, name)
    return [names[s] for s in syms]


def cut(data):
    """The head and tail of a list, at most MAXB bytes."""
    lines = data.split(b"\n")
    if len(lines) > HEAD + TAIL:
        lines = lines[:HEAD] + lines[-TAIL:]
    out = b"\n".join(lines)
    while len(out) > MAXB and len(lines) > TAIL + 2:
        del lines[len(lines) - TAIL - 1]
        out = b"\n".join(lines)
    return out


def clean(target):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if not f.startswith("hand-"):
            os.unlink(os.path.join(d, f))
    return d


def seed_name(rel):
    return rel.replace("/", "_")


def lists():
    order = formats_order()
    fd = clean("formats")
    rd = clean("rbldnsd")
    for rel, fmt in FIXTURES.items():
        body = cut(open(os.path.join(LISTS, rel), "rb").read())
        with open(os.path.join(fd, seed_name(rel)), "wb") as f:
            f.write(bytes([order.index(fmt)]) + body)
        if rel in AUTO:
            with open(os.path.join(fd, "auto_" + seed_name(rel)), "wb") as f:
                f.write(bytes([order.index("auto")]) + body)
        if fmt == "rbldnsd":
            with open(os.path.join(rd, seed_name(rel)), "wb") as f:
                f.write(body)
    # rbldnsd datasets (tests/data/rbldnsd), whole; a NUL joins files
    zones = os.path.join(ROOT, "tests", "data", "rbldnsd")
    for name in sorted(os.listdir(zones)) if os.path.isdir(zones) else []:
        body = open(os.path.join(zones, name), "rb").read()
        with open(os.path.join(rd, "zone_" + name), "wb") as f:
            f.write(body)
        kind = "rbldnsd-" + name.split(".")[0].split("-")[0]
        if name in ZONE_FORMATS:        # must be in the table
            idx = order.index(ZONE_FORMATS[name])
        else:
            idx = order.index(kind if kind in order else "rbldnsd")
        with open(os.path.join(fd, "zone_" + name), "wb") as f:
            f.write(bytes([idx]) + body)
    multi = [os.path.join(zones, n) for n in ("multi-a.zone", "multi-b.zone")]
    if all(os.path.exists(m) for m in multi):
        with open(os.path.join(rd, "zones_multi-a+b"), "wb") as f:
            f.write(b"\0".join(open(m, "rb").read() for m in multi))
    # rbldnsd's hand-written seeds serve formats too
    for name in os.listdir(rd):
        if name.startswith("hand-"):
            body = open(os.path.join(rd, name), "rb").read()
            with open(os.path.join(fd, "rbldnsd_" + name), "wb") as f:
                f.write(bytes([order.index("rbldnsd")]) + body)


def configs():
    d = clean("config")
    shutil.copy(os.path.join(ROOT, "examples", "reputed.conf"),
                os.path.join(d, "example.conf"))
    shutil.copy(os.path.join(ROOT, "catalog", "catalog.ini"),
                os.path.join(d, "catalog.ini"))


def mdb_dump(db, name):
    """(key, value) byte pairs of one named database."""
    out = subprocess.run(["mdb_dump", "-s", name, db], check=True,
                         capture_output=True, text=True).stdout
    body = out.split("HEADER=END\n", 1)[1].split("DATA=END", 1)[0]
    rows = [bytes.fromhex(l.strip()) for l in body.splitlines()]
    return list(zip(rows[0::2], rows[1::2]))


def import_store(imp, t, name, sources):
    """A store in t/name holding sources ({name: (fixture, format)})."""
    conf = os.path.join(t, name + ".conf")
    with open(conf, "w") as f:
        f.write("[server]\ndatabase = %s/%s\n\n" % (t, name))
        for src, (rel, fmt) in sources.items():
            f.write("[source %s]\nurl = file://%s/%s\nformat = %s\n\n"
                    % (src, LISTS, rel, fmt))
        f.write("[zone bl.test]\nsources = %s\n" % " ".join(sources))
    subprocess.run([imp, "-c", conf, "--force"], check=True,
                   capture_output=True)
    return conf, os.path.join(t, name)


def spread(rows, n):
    """n rows spread over rows."""
    return rows[::max(1, len(rows) // n)][:n]


def records(build):
    d = clean("records")
    imp = os.path.join(build, "reputed-import")
    out = []
    with tempfile.TemporaryDirectory() as t:
        conf, db = import_store(imp, t, "big", {
            "drop": ("spamhaus-drop/drop.txt", "spamhaus-drop"),
            "v6": ("spamhaus-dropv6/dropv6.txt", "spamhaus-drop"),
            "tor": ("tor/torbulkexitlist", "tor-exits"),
            "asn": ("spamhaus-asndrop/asndrop.json", "spamhaus-asndrop")})
        # A second version: history gets delisted events too.
        drop2 = os.path.join(t, "drop2.txt")
        src = open(os.path.join(LISTS, "spamhaus-drop/drop.txt")).read()
        keep = [l for i, l in enumerate(src.splitlines())
                if i % 3 or l.startswith(";")]
        open(drop2, "w").write("\n".join(keep) + "\n")
        subprocess.run([imp, "-c", conf, "--force", "--file", drop2,
                        "--source", "drop"], check=True, capture_output=True)
        for i, (k, v) in enumerate(spread(mdb_dump(db, "entries"), 24)):
            out.append(("entry-key-%02d" % i, 0, k))
            out.append(("entry-val-%02d" % i, 1, v))
        for i, (k, v) in enumerate(mdb_dump(db, "sources")):
            out.append(("source-%02d" % i, 2, v))
        for i, (k, v) in enumerate(spread(mdb_dump(db, "history"), 16)):
            out.append(("event-%02d" % i, 3, v))
        # Chunks of a small store: a few hundred intervals each.
        _, db = import_store(imp, t, "small", {
            "dshield": ("dshield/block.txt", "dshield"),
            "v6": ("spamhaus-dropv6/dropv6.txt", "spamhaus-drop")})
        for fam, mode in (("index4", 4), ("index6", 5)):
            for i, (k, v) in enumerate(mdb_dump(db, fam)[:2]):
                out.append(("%s-chunk-%d" % (fam, i), mode, v))
                # the fitted form: n, payload length - 1, padding, body
                n = int.from_bytes(v[0:4], "little")
                pay = int.from_bytes(v[4:8], "little")
                pad = int.from_bytes(v[8:12], "little")
                if pay <= 256 and n < 9000:
                    hdr = bytes([n & 255, n >> 8, pay - 1, pad])
                    out.append(("%s-fitted-%d" % (fam, i), mode + 2,
                                hdr + v[16:]))
    for i, seed in enumerate([b"", b"\x00", b"\x01\x02\x03",
                              bytes(range(64))]):
        out.append(("codec4-%d" % i, 8, seed))
        out.append(("codec6-%d" % i, 9, seed))
    for name, mode, data in out:
        with open(os.path.join(d, name), "wb") as f:
            f.write(bytes([mode]) + data)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    lists()
    configs()
    records(os.path.abspath(build))


if __name__ == "__main__":
    main()
