#!/bin/bash
# t_geo_origin.sh -- a zone of type asn answers Team Cymru style origin
# lookups from the [geoip] databases: "ASN | network | CC | organisation"
# TXT for IPv4 and IPv6 (nibble) names, over UDP and TCP; NXDOMAIN with
# the SOA for an address the ASN database does not have; the apex. Once
# with databases written for the test, once with MaxMind's test databases
# (expected answers from their source JSON).
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"
# shellcheck source=lib_geo.sh
. "$(dirname "$0")/lib_geo.sh"

make_mmdb asn "$T/asn.mmdb" <<'EOF'
192.0.2.0/24		64500	EXAMPLE-NET
198.51.100.0/25		64501	Org with spaces, Inc.
2001:db8:1::/48		64500	EXAMPLE-NET
2001:db8:2::/48		64502
EOF
make_mmdb country "$T/cc.mmdb" <<'EOF'
192.0.2.0/23		US
2001:db8::/32		NL
EOF

make_conf <<EOF
[geoip]
asn-db     = $T/asn.mmdb
country-db = $T/cc.mmdb

[source local]
code = 127.0.0.2

[zone bl.test]
sources = local

[zone origin.test]
type = asn
ttl  = 300
soa  = ns1.origin.test hostmaster.origin.test
ns   = ns1.origin.test
EOF
V6=0
if has_ipv6; then
	V6=1
	listen_v6
fi
expect_exit 0 ctl list add 198.51.100.99 --source local --reason "a store"
expect_exit 0 "$REPUTED" -t -c "$CONF"
expect_contains "$OUT$ERR" "configuration OK" "reputed -t accepts [geoip] and type = asn"
start_reputed

# origin ADDR: the origin zone's name of ADDR.
origin()
{
	revname "$1" origin.test
}

# expect_origin ADDR TEXT [dig options]: the one TXT of ADDR is TEXT.
expect_origin()
{
	local name
	name=$(origin "$1")
	shift
	local want=$1
	shift
	dq +short "$@" "$name" TXT
	if [ "$RC" = 0 ] && [ "$OUT" = "\"$want\"" ]; then
		pass "$name TXT \"$want\""
	else
		fail "$name TXT \"$want\""
		show_last
	fi
}

log "IPv4"
expect_origin 192.0.2.7 "64500 | 192.0.2.0/24 | US | EXAMPLE-NET"
expect_origin 192.0.2.255 "64500 | 192.0.2.0/24 | US | EXAMPLE-NET"
expect_origin 198.51.100.1 "64501 | 198.51.100.0/25 |  | Org with spaces, Inc."
expect_origin 192.0.2.7 "64500 | 192.0.2.0/24 | US | EXAMPLE-NET" +tcp
dq "$(origin 192.0.2.7)" TXT
expect_match "$(section ANSWER)" "^$(origin 192.0.2.7 | sed 's/\./\\./g')\.[[:space:]]+300[[:space:]]+IN[[:space:]]+TXT" \
    "the TXT record carries the zone TTL"
expect_match "$OUT" "flags: qr aa" "authoritative answer"
CLIENT=kdig expect_txt "$(origin 192.0.2.7)" "64500 | 192.0.2.0/24 | US | EXAMPLE-NET"

log "IPv6 nibble names"
expect_origin 2001:db8:1::5 "64500 | 2001:db8:1::/48 | NL | EXAMPLE-NET"
expect_origin 2001:db8:1:ffff:ffff:ffff:ffff:ffff \
    "64500 | 2001:db8:1::/48 | NL | EXAMPLE-NET"
dq +short "$(origin 2001:db8:2::1)" TXT
expect_match "$OUT" '^"64502 \| 2001:db8:2::/48 \| NL \| ?"$' \
    "an ASN without an organisation: the field is empty"
CLIENT=kdig expect_txt "$(origin 2001:db8:1::5)" "64500 | 2001:db8:1::/48 | NL"

log "not in the database: NXDOMAIN with the SOA"
for a in 10.1.2.3 198.51.100.200 203.0.113.1 2001:db8:3::1 2001:db9::1; do
	expect_rcode "$(origin $a)" NXDOMAIN TXT
done
expect_match "$(section AUTHORITY)" "^origin\.test\..*IN[[:space:]]+SOA[[:space:]]+ns1\.origin\.test\. " \
    "NXDOMAIN has the zone's SOA"
expect_rcode 1.2.3.4.56.origin.test NXDOMAIN TXT
expect_rcode foo.origin.test NXDOMAIN TXT

log "the apex and other types"
dq origin.test SOA
expect_match "$(section ANSWER)" "^origin\.test\..*IN[[:space:]]+SOA[[:space:]]+ns1\.origin\.test\. hostmaster\.origin\.test\. " \
    "apex SOA"
dq +short origin.test NS
expect_eq "$OUT" "ns1.origin.test." "apex NS"
expect_rcode origin.test NOERROR TXT
expect_match "$OUT" "ANSWER: 0," "apex TXT: NODATA"
expect_rcode "$(origin 192.0.2.7)" NOERROR AAAA
expect_match "$OUT" "ANSWER: 0," "AAAA of a known address: NODATA"
dq 7.2.0.192.ORIGIN.Test TXT
expect_contains "$(section ANSWER)" "7.2.0.192.ORIGIN.Test." "the query's case is kept"

log "the DNSBL zone next to it is unchanged"
expect_rcode "$(revname 192.0.2.7 bl.test)" NXDOMAIN
expect_a 2.0.0.127.bl.test 127.0.0.2

if [ "$V6" = 1 ]; then
	run dig @::1 -p "$REPUTED_PORT" "${DIG_OPTS[@]}" +short \
	    "$(origin 2001:db8:1::5)" TXT
	expect_eq "$OUT" '"64500 | 2001:db8:1::/48 | NL | EXAMPLE-NET"' \
	    "over [::1]"
fi
stop_reputed

# The network is the search tree's: MaxMind's writer merged neighbouring
# networks of the same record, so it may be wider than the JSON's (read
# with MaxMind::DB::Reader's iterate_search_tree to be sure).
log "MaxMind's test databases (oracle: their source-data JSON)"
sed -i -e "s|^asn-db .*|asn-db     = $MMDB_DATA/GeoLite2-ASN-Test.mmdb|" \
    -e "s|^country-db .*|country-db = $MMDB_DATA/GeoLite2-Country-Test.mmdb|" \
    "$CONF"
start_reputed
# 89.160.20.128/25: AS29518 "Bredband2 AB", in the tree 89.160.0.0/17;
# Country-Test: SE.
expect_origin 89.160.20.130 "29518 | 89.160.0.0/17 | SE | Bredband2 AB"
# 1.0.0.0/24: AS15169 "Google Inc."; not in Country-Test.
expect_origin 1.0.0.1 "15169 | 1.0.0.0/24 |  | Google Inc."
# 67.43.156.0/26: AS35908, no organisation, in the tree 67.43.152.0/21;
# Country-Test: BT.
dq +short "$(origin 67.43.156.1)" TXT
expect_match "$OUT" '^"35908 \| 67\.43\.152\.0/21 \| BT \| ?"$' "AS35908 in BT"
# 2001:1700::/27: AS6730 "Sunrise Communications AG".
expect_origin 2001:1700::1 "6730 | 2001:1700::/27 |  | Sunrise Communications AG"
expect_rcode "$(origin 192.0.2.1)" NXDOMAIN TXT
stop_reputed
finish
