#!/bin/bash
# t_dns_basic.sh -- the daemon's DNS answers, asked with dig and kdig over
# UDP and TCP, IPv4 and IPv6: listed A/TXT, RFC 5782 test points,
# NXDOMAIN and NODATA with the SOA, the apex, REFUSED, case echo, EDNS
# and truncation.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"
cp "$(fixture spamhaus-dropv6/dropv6.txt)" "$T/dropv6.txt"
# Long TXT templates over the same list: one address, six long records.
PAD="padding to make this record long enough that six of them exceed a
512 byte UDP answer but not 1232"
PAD=${PAD//$'\n'/ }

{
	cat <<EOF
[source drop]
url  = file://$T/drop.txt
code = 127.0.0.2
txt  = Listed by \$source: \$reason

[source drop6]
url  = file://$T/dropv6.txt
code = 127.0.0.4
txt  = Listed by \$source: \$reason

EOF
	for i in 1 2 3 4 5 6; do
		cat <<EOF
[source long$i]
url  = file://$T/drop.txt
code = 127.0.0.$((i % 2 + 2))
txt  = $i \$source \$reason $PAD

EOF
	done
	cat <<EOF
[zone bl.test]
sources = drop drop6
ttl     = 600
soa     = ns1.bl.test hostmaster.bl.test
ns      = ns1.bl.test ns2.bl.test

[zone long.test]
sources = long1 long2 long3 long4 long5 long6
EOF
} >"$T/sections"
make_conf <"$T/sections"
V6=0
if has_ipv6; then
	V6=1
	listen_v6
fi

import_or_die --force
start_reputed

# 1.10.16.0/20 is SBL256894 in drop.txt; 2001:678:6c4::/48 SBL626637.
L4=$(revname 1.10.16.1 bl.test)
L6=$(revname 2001:678:6c4::1 bl.test)
UNL=$(revname 192.0.2.1 bl.test)

log "listed addresses"
expect_a "$L4" 127.0.0.2
expect_txt "$L4" "Listed by drop: SBL256894"
CLIENT=kdig expect_a "$L4" 127.0.0.2
CLIENT=kdig expect_txt "$L4" "Listed by drop: SBL256894"
expect_a "$L6" 127.0.0.4
expect_txt "$L6" "Listed by drop6: SBL626637"
dq "$L4" A
expect_match "$OUT" "flags: qr aa rd;" "AA set, RD echoed, no RA"
expect_match "$(section ANSWER)" "^$L4\.[[:space:]]+600[[:space:]]+IN[[:space:]]+A[[:space:]]+127\.0\.0\.2$" \
    "the A record carries the zone TTL"
dq +norecurse "$L4" A
expect_match "$OUT" "flags: qr aa;" "RD clear is echoed clear"
dq "$L4" ANY
expect_match "$(section ANSWER)" "IN[[:space:]]+A[[:space:]]+127\.0\.0\.2" "ANY has the A"
expect_match "$(section ANSWER)" "IN[[:space:]]+TXT" "ANY has the TXT"

log "RFC 5782 test points"
expect_a 2.0.0.127.bl.test 127.0.0.2
expect_rcode 1.0.0.127.bl.test NXDOMAIN
expect_a "$(revname ::ffff:7f00:2 bl.test)" 127.0.0.2
expect_rcode "$(revname ::ffff:7f00:1 bl.test)" NXDOMAIN
CLIENT=kdig expect_a 2.0.0.127.long.test 127.0.0.2

log "not listed: NXDOMAIN with the SOA"
expect_rcode "$UNL" NXDOMAIN
SOA=$(section AUTHORITY)
expect_match "$SOA" "^bl\.test\.[[:space:]]+[0-9]+[[:space:]]+IN[[:space:]]+SOA[[:space:]]+ns1\.bl\.test\. hostmaster\.bl\.test\. " \
    "NXDOMAIN has the zone SOA in authority"
expect_eq "$(echo "$SOA" | awk '{ print $2 }')" "$(echo "$SOA" | awk '{ print $NF }')" \
    "the SOA's TTL is its MINIMUM (RFC 2308)"
expect_rcode "foo.bl.test" NXDOMAIN
expect_rcode "1.2.3.4.56.bl.test" NXDOMAIN
expect_rcode "256.0.0.127.bl.test" NXDOMAIN

log "NODATA"
expect_rcode "$L4" NOERROR AAAA
expect_match "$OUT" "ANSWER: 0," "AAAA at a listed name: no answer"
expect_match "$(section AUTHORITY)" "IN[[:space:]]+SOA" "AAAA at a listed name: SOA"
expect_rcode "$L4" NOERROR MX
expect_match "$OUT" "ANSWER: 0," "MX at a listed name: no answer"
# Four single digits could also begin 32 nibbles: NODATA too.
for n in 127.bl.test 0.0.127.bl.test 16.10.1.bl.test 1.2.3.4.5.bl.test; do
	expect_rcode "$n" NOERROR A
	expect_match "$OUT" "ANSWER: 0," "$n (above a listing): NODATA"
done

log "zone apex"
dq bl.test SOA
expect_match "$(section ANSWER)" "^bl\.test\..*IN[[:space:]]+SOA[[:space:]]+ns1\.bl\.test\. hostmaster\.bl\.test\. [0-9]+ " \
    "apex SOA"
dq +short bl.test NS
expect_eq "$(short_sorted | tr '\n' ' ')" "ns1.bl.test. ns2.bl.test. " "apex NS"
expect_rcode bl.test NOERROR A
expect_match "$OUT" "ANSWER: 0," "apex A: NODATA"

log "outside the zones"
expect_rcode example.org REFUSED
expect_rcode test REFUSED SOA
expect_rcode 2.0.0.127.notbl.test REFUSED

log "case"
dq 2.0.0.127.BL.Test A
expect_match "$(section QUESTION)" "2\.0\.0\.127\.BL\.Test\." "question case kept"
expect_contains "$(section ANSWER)" "2.0.0.127.BL.Test." "answer name in the query's case"

log "TCP"
expect_a "$L4" 127.0.0.2 -- +tcp
expect_rcode "$UNL" NXDOMAIN A +tcp
CLIENT=kdig expect_a "$L4" 127.0.0.2 -- +tcp
kq +tcp +keepopen "$L4" A "$UNL" A 2.0.0.127.bl.test TXT
expect_eq "$(printf '%s\n' "$OUT" | grep -c 'status: ')" 3 \
    "kdig +keepopen: three answers on one connection"

if [ "$V6" = 1 ]; then
	log "IPv6 listener"
	run dig @::1 -p "$REPUTED_PORT" "${DIG_OPTS[@]}" +short "$L4" A
	expect_eq "$OUT" "127.0.0.2" "UDP over [::1]"
	run dig @::1 -p "$REPUTED_PORT" "${DIG_OPTS[@]}" +tcp +short "$L6" A
	expect_eq "$OUT" "127.0.0.4" "TCP over [::1]"
	run kdig @::1 -p "$REPUTED_PORT" "${KDIG_OPTS[@]}" +short "$L4" TXT
	expect_contains "$OUT" "SBL256894" "kdig over [::1]"
else
	log "no IPv6 on this host: [::1] not tested"
fi

log "EDNS"
dq "$L4" A
expect_match "$OUT" "; EDNS: version: 0, flags:; udp: 1232" "OPT echoed with 1232"
dq +noedns "$L4" A
expect_not_contains "$OUT" "OPT PSEUDOSECTION" "no OPT without EDNS"
dq +edns=1 +noednsnegotiation "$L4" A
expect_eq "$(status_of "$OUT")" BADVERS "EDNS version 1 gets BADVERS"

log "truncation"
LL=$(revname 1.10.16.1 long.test)
expect_a "$LL" 127.0.0.2 127.0.0.3
dq +bufsize=512 +ignore "$LL" TXT
expect_match "$OUT" "flags: qr aa tc" "TXT over 512 bytes: TC over UDP"
dq +tcp "$LL" TXT
expect_eq "$(section ANSWER | grep -c 'IN[[:space:]]*TXT')" 6 "TCP has all six TXT records"
expect_not_contains "$OUT" " tc" "no TC over TCP"
dq "$LL" TXT
expect_eq "$(section ANSWER | grep -c 'IN[[:space:]]*TXT')" 6 "1232 bytes hold the six TXT records"
CLIENT=kdig expect_txt "$LL" "6 long6 SBL256894"

stop_reputed
expect_eq "$REPUTED_RC" 0 "SIGTERM: exit 0"
finish
