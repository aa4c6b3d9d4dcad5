#!/bin/bash
# t_geo_asn_listing.sh -- sources that list by ASN or by country: a DNSBL
# zone answers listed for every address the [geoip] databases map to a
# listed ASN (manual `list add AS64500`, and the real ASN-DROP fixture
# imported with format spamhaus-asndrop) or country (`list add CC:KP`),
# IPv4 and IPv6, with the source's code and a TXT that says so; other
# addresses are not listed; an exclusion still wins, an address entry is
# more specific; a zone without the source does not answer for it; and
# changes to the listings are served live.
# shellcheck source-path=SCRIPTDIR
# shellcheck disable=SC2016 # '$reason' in TXT templates is reputed's
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"
# shellcheck source=lib_geo.sh
. "$(dirname "$0")/lib_geo.sh"

cp "$(fixture spamhaus-asndrop/asndrop.json)" "$T/asndrop.json"
# 932 (XNNET) and 6060 (MAGI-NET-GW) are in asndrop.json; 15169,
# 64500-64502 are not.
make_mmdb asn "$T/asn.mmdb" <<'EOF'
192.0.2.0/24		64500	EXAMPLE-NET
198.51.100.0/25		64500	EXAMPLE-NET
2001:db8:1::/48		64500	EXAMPLE-NET
198.51.100.128/25	64501	OTHER-NET
2001:db8:2::/48		64501	OTHER-NET
203.0.113.0/24		932	XNNET
2001:db8:932::/48	932	XNNET
100.64.60.0/24		6060	MAGI-NET-GW
100.64.1.0/24		15169	GOOGLE
EOF
make_mmdb country "$T/cc.mmdb" <<'EOF'
10.0.0.0/8		KP
2001:db8:ee::/48	KP
203.0.113.0/24		US
100.64.0.0/16		US
EOF

make_conf <<EOF
[geoip]
asn-db     = $T/asn.mmdb
country-db = $T/cc.mmdb

[source local]
code = 127.0.0.2
txt  = \$reason listed by \$source

[source asndrop]
url    = file://$T/asndrop.json
format = spamhaus-asndrop
code   = 127.0.0.6
txt    = \$reason listed by \$source

[source policy]
code = 127.0.0.5
txt  = \$reason listed by \$source

[zone bl.test]
sources = local asndrop policy

[zone plain.test]
sources = local
EOF

log "listings by ASN and by country"
expect_exit 0 ctl list add AS64500 --source local --reason "AS64500 EXAMPLE-NET abuse"
expect_contains "$OUT" "AS64500" "list add AS64500 says what it added"
expect_exit 0 ctl list add '!192.0.2.128/25' --source local --reason "a good customer"
expect_exit 0 ctl list add 192.0.2.5 --source local --reason "one host"
expect_exit 0 ctl list add cc:kp --source policy --reason "country policy"
expect_contains "$OUT" "CC:KP" "list add cc:kp is stored as CC:KP"
expect_exit 2 ctl list add AS --source local --reason x
expect_exit 2 ctl list add AS4294967296 --source local --reason x
expect_exit 2 ctl list add CC:K --source local --reason x
expect_exit 2 ctl list add CC:K1 --source local --reason x
run_import --force
[ "$RC" = 0 ] || { show_last; die "import of asndrop.json failed"; }
ctl sources
expect_match "$OUT" "^asndrop +201 " "201 ASNs imported from the fixture"
expect_exit 0 ctl list add '!203.0.113.99' --source asndrop --reason "not this one"
start_reputed

# listed ADDR CODE TEXT: A and TXT of ADDR in bl.test.
listed()
{
	local name
	name=$(revname "$1" bl.test)
	expect_a "$name" "$2"
	expect_txt "$name" "$3"
}

# unlisted ADDR [ZONE]
unlisted()
{
	expect_rcode "$(revname "$1" "${2:-bl.test}")" NXDOMAIN
}

log "a manual ASN listing: every address of AS64500's networks"
for a in 192.0.2.0 192.0.2.1 192.0.2.127 198.51.100.0 198.51.100.127 \
    2001:db8:1:: 2001:db8:1::1 2001:db8:1:ffff:ffff:ffff:ffff:ffff; do
	listed "$a" 127.0.0.2 "AS64500 EXAMPLE-NET abuse listed by local"
done
log "not AS64500: other ASNs, addresses outside the database"
for a in 198.51.100.128 198.51.100.255 2001:db8:2::1 100.64.1.1 \
    192.0.3.1 2001:db8:3::1; do
	unlisted "$a"
done
log "an exclusion inside the ASN wins; an address entry is more specific"
for a in 192.0.2.128 192.0.2.200 192.0.2.255; do
	unlisted "$a"
done
listed 192.0.2.5 127.0.0.2 "one host listed by local"
dq +short "$(revname 192.0.2.5 bl.test)" TXT
expect_not_contains "$OUT" "EXAMPLE-NET abuse" "the address entry's TXT, not the ASN's"

log "ASN-DROP imported: AS932 and AS6060"
listed 203.0.113.10 127.0.0.6 "AS932 XNNET"
expect_txt "$(revname 203.0.113.10 bl.test)" "listed by asndrop"
listed 2001:db8:932::1 127.0.0.6 "AS932 XNNET"
listed 100.64.60.1 127.0.0.6 "AS6060 MAGI-NET-GW"
unlisted 203.0.113.99
listed 203.0.113.98 127.0.0.6 "AS932 XNNET"

log "a country listing"
listed 10.1.2.3 127.0.0.5 "country policy listed by policy"
listed 2001:db8:ee::1 127.0.0.5 "country policy listed by policy"
unlisted 2001:db8:ef::1

log "a zone without those sources"
unlisted 203.0.113.10 plain.test
unlisted 10.1.2.3 plain.test
expect_a "$(revname 192.0.2.1 plain.test)" 127.0.0.2

log "reputectl query agrees"
expect_exit 0 ctl query 203.0.113.10 bl.test
expect_contains "$OUT" "127.0.0.6" "query 203.0.113.10: 127.0.0.6"
expect_exit 1 ctl query 192.0.2.200 bl.test

log "changes are served live"
expect_exit 0 ctl list del AS64500 --source local --reason "cleaned up"
expect_exit 0 ctl list add AS64501 --source local --reason "AS64501 now"
# new_answer NAME CODE: NAME answers CODE (an empty CODE: nothing).
# shellcheck disable=SC2317 # run by wait_for
new_answer()
{
	[ "$(dig @127.0.0.1 -p "$REPUTED_PORT" +tries=1 +time=1 +short \
	    "$1" A 2>/dev/null)" = "$2" ]
}
if wait_for 10 new_answer "$(revname 192.0.2.1 bl.test)" ""; then
	pass "AS64500 delisted: 192.0.2.1 no longer listed"
else
	fail "AS64500 delisted: 192.0.2.1 no longer listed"
fi
if wait_for 10 new_answer "$(revname 198.51.100.200 bl.test)" 127.0.0.2; then
	pass "AS64501 listed: 198.51.100.200 listed"
else
	fail "AS64501 listed: 198.51.100.200 listed"
fi
listed 2001:db8:2::1 127.0.0.2 "AS64501 now listed by local"
listed 192.0.2.5 127.0.0.2 "one host listed by local"
stop_reputed
finish
