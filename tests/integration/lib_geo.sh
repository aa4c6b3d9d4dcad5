#!/bin/bash
# lib_geo.sh -- helpers for the geo tests (t_geo_*.sh), sourced after
# lib.sh: databases of the test's choosing, written with geo_mmdb.pl
# (Debian's libmaxmind-db-writer-perl), and the MaxMind test databases.
#
#	make_mmdb asn "$T/asn.mmdb" <<EOF
#	192.0.2.0/24     64500 EXAMPLE-NET
#	2001:db8:1::/48  64500 EXAMPLE-NET
#	EOF
#	make_mmdb country "$T/cc.mmdb" <<<"192.0.2.0/24 US"
#
# The records carry the GeoLite2-ASN and GeoLite2-Country fields.

# Copies of ../shared/fixtures/mmdb: MaxMind's test databases, whose
# source JSON (source-data/) gave the expected answers, and some of the
# deliberately broken ones of bad-data/.
# shellcheck disable=SC2034 # used by the tests
MMDB_DATA=$ROOT/tests/data/mmdb
GEO_MMDB=$ROOT/tests/integration/geo_mmdb.pl

perl -MMaxMind::DB::Writer::Tree -e 1 2>/dev/null ||
    die "libmaxmind-db-writer-perl is not installed (make deps)"

# make_mmdb [--type NAME] asn|country OUT: write OUT from the networks on
# standard input ("CIDR ASN [ORGANISATION]" or "CIDR CC" lines), under a
# temporary name renamed into place; --type sets the metadata's
# database_type. Dies when the writer fails.
make_mmdb()
{
	perl "$GEO_MMDB" "$@" - || die "geo_mmdb.pl $* failed"
}

# ctl_json_get EXPR: evaluate the Python expression EXPR on the JSON in
# $OUT (as d) and print the result; prints ERROR when it does not parse.
ctl_json_get()
{
	printf '%s' "$OUT" | python3 -c 'import json, sys
try:
	d = json.load(sys.stdin)
	print(eval(sys.argv[1]))
except Exception as e:
	print("ERROR", e)' "$1"
}

# damage_mmdb IN OUT tree|data: OUT is IN with its search tree (the first
# 24 bytes: records that point nowhere) or the end of its data section
# (the 24 bytes before the metadata: records that do not decode)
# overwritten with 0xff. Its type is still the one IN had: only a check
# of the whole database tells it is corrupt.
damage_mmdb()
{
	python3 - "$@" <<'PY' || die "damage_mmdb $* failed"
import sys
src, dst, where = sys.argv[1:4]
b = bytearray(open(src, 'rb').read())
m = b.rfind(b'\xab\xcd\xefMaxMind.com')
if m < 48:
    sys.exit('no metadata marker in ' + src)
start = 0 if where == 'tree' else m - 24
b[start:start + 24] = b'\xff' * 24
open(dst, 'wb').write(bytes(b))
PY
}
