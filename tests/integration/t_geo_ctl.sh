#!/bin/bash
# t_geo_ctl.sh -- reputectl with [geoip]: explain shows the ASN, the AS
# organisation, the country and the database's network, ASN and country
# listings covering the address, and the neighbourhood (per source, listed
# entries in the same /24 or /48 and in the same ASN); report asn and
# report country count listed addresses, with --top and --source; list
# add takes AS64496 and CC:XX and records them; check opens the
# databases; JSON parses and agrees; without [geoip] the geo parts say
# "not configured".
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_geo.sh
. "$(dirname "$0")/lib_geo.sh"

make_mmdb asn "$T/asn.mmdb" <<'EOF'
192.0.2.0/24		64500	EXAMPLE-NET
198.51.100.0/24		64500	EXAMPLE-NET
2001:db8:1::/48		64500	EXAMPLE-NET
203.0.113.0/24		64501	OTHER-NET
2001:db8:2::/48		64501	OTHER-NET
100.64.0.0/16		64502	BIG-NET
EOF
make_mmdb country "$T/cc.mmdb" <<'EOF'
192.0.2.0/24		US
198.51.100.0/24		US
203.0.113.0/24		DE
100.64.0.0/16		FR
2001:db8::/32		NL
EOF
# feed: 3 in 192.0.2.0/24 and 16 more in AS64500 (US), a /64 of its IPv6
# network (NL), 2 x 256 in AS64502 (FR), 2 in AS64501 (DE, NL), and one
# address no database has.
cat >"$T/feed.txt" <<'EOF'
192.0.2.1
192.0.2.2
192.0.2.3
198.51.100.0/28
2001:db8:1::/64
100.64.1.0/24
100.64.2.0/24
203.0.113.5
2001:db8:2::1
10.0.0.1
EOF

GEO_CONF="[geoip]
asn-db     = $T/asn.mmdb
country-db = $T/cc.mmdb

[zone origin.test]
type = asn
"
SOURCES="[source feed]
url    = file://$T/feed.txt
format = plain
code   = 127.0.0.2

[source local]
code = 127.0.0.3

[zone bl.test]
sources = feed local
"
printf '%s\n%s' "$GEO_CONF" "$SOURCES" | make_conf
run_import --force
[ "$RC" = 0 ] || { show_last; die "import failed"; }

log "list add AS64501 and CC:FR"
expect_exit 0 ctl list add 192.0.2.50 --source local --reason "one host"
expect_exit 0 ctl list add AS64501 --source local --reason "AS64501 abuse"
expect_contains "$OUT" "local: added AS64501 (manual listing" "list add AS64501"
expect_not_contains "$OUT" "note:" "no note when asn-db is configured"
expect_exit 0 ctl --json list add CC:fr --source local --reason "policy"
expect_json "$OUT" "list add --json parses"
expect_eq "$(ctl_json_get 'd["prefix"]')" "CC:FR" "list add --json: the prefix CC:FR"
expect_exit 0 ctl list del CC:FR --source local --reason "changed my mind"
expect_exit 0 ctl list add AS64999 --source local --reason "not mapped"
expect_exit 2 ctl list add AS64501/24 --source local --reason "x"
expect_exit 2 ctl list add '!AS64500' --source local --reason "x"
expect_contains "$ERR" "cannot be excluded" "an ASN exclusion is refused: it would do nothing"
expect_exit 2 ctl list add '!CC:US' --source local --reason "x"

log "explain: geo lines"
expect_exit 0 ctl explain 192.0.2.2
expect_match "$OUT" "^  asn +AS64500 EXAMPLE-NET \(192\.0\.2\.0/24\)$" "explain: ASN, organisation, network"
expect_match "$OUT" "^  country +US \(192\.0\.2\.0/24\)$" "explain: country and network"
expect_contains "$OUT" "neighbourhood" "explain: a neighbourhood table"
# The table: SOURCE, IN 192.0.2.0/24, IN AS64500.
expect_match "$OUT" "SOURCE +IN 192\.0\.2\.0/24 +IN AS64500" "the table's head"
expect_match "$OUT" "^  feed +3 +5$" "feed: 3 in the /24, 5 in AS64500"
expect_match "$OUT" "^  local +1 +1$" "local: 1 in the /24, 1 in AS64500"
expect_contains "$OUT" "source feed: listed by 192.0.2.2/32" "the source verdict is unchanged"

log "explain: an ASN listing covers the address"
expect_exit 0 ctl explain 203.0.113.9
expect_match "$OUT" "^  asn +AS64501 OTHER-NET \(203\.0\.113\.0/24\)$" "AS64501"
expect_match "$OUT" "^  country +DE " "DE"
expect_match "$OUT" "^  local +0 +0 +lists AS64501 itself$" "the source lists the ASN itself"
expect_match "$OUT" "^  feed +1 +2$" "feed: 1 in the /24, 2 in AS64501"
expect_contains "$OUT" "source local: listed by AS64501" "local lists it by its ASN"
expect_contains "$OUT" "manual-add \"AS64501 abuse\"" "the ASN listing's history"
expect_match "$OUT" "is listed by 2 sources: feed local|is listed by 1 source: local" \
    "the summary counts the ASN listing"
expect_exit 0 ctl list add '!203.0.113.9' --source local --reason "not this one"
expect_exit 1 ctl explain 203.0.113.9
expect_contains "$OUT" "source local: not listed (excluded by !203.0.113.9/32)" \
    "an exclusion wins over the ASN listing"

log "explain: IPv6 (/48)"
expect_exit 1 ctl explain 2001:db8:1:1::99
expect_match "$OUT" "^  asn +AS64500 EXAMPLE-NET \(2001:db8:1::/48\)$" "IPv6: ASN and network"
expect_match "$OUT" "^  country +NL \(2001:db8::/32\)$" "IPv6: country and network"
expect_match "$OUT" "SOURCE +IN 2001:db8:1::/48 +IN AS64500" "IPv6: a /48 neighbourhood"
expect_match "$OUT" "^  feed +1 +5$" "IPv6: feed has 1 in the /48, 5 in AS64500"

log "explain: not in the databases"
expect_exit 0 ctl explain 10.0.0.1
expect_match "$OUT" "^  asn +not in the database$" "no ASN"
expect_match "$OUT" "^  country +not in the database$" "no country"
expect_match "$OUT" "SOURCE +IN 10\.0\.0\.0/24$" "no ASN column without an ASN"

log "explain --json"
expect_exit 0 ctl --json explain 192.0.2.2
expect_json "$OUT" "explain --json parses"
expect_eq "$(ctl_json_get 'd["geo"]["asn"]["number"]')" 64500 "json: asn number"
expect_eq "$(ctl_json_get 'd["geo"]["asn"]["organisation"]')" EXAMPLE-NET "json: organisation"
expect_eq "$(ctl_json_get 'd["geo"]["asn"]["network"]')" 192.0.2.0/24 "json: network"
expect_eq "$(ctl_json_get 'd["geo"]["country"]["code"]')" US "json: country"
expect_eq "$(ctl_json_get 'd["neighbourhood"]["prefix"]')" 192.0.2.0/24 "json: the /24"
expect_eq "$(ctl_json_get '[(s["name"], s["in_prefix"], s["in_asn"], s["asn_complete"]) for s in d["neighbourhood"]["sources"]]')" \
    "[('feed', 3, 5, True), ('local', 1, 1, True)]" "json: the neighbourhood"
expect_exit 0 ctl --json explain 203.0.113.10
expect_eq "$(ctl_json_get '[s["lists_asn"] for s in d["neighbourhood"]["sources"]]')" \
    "[False, True]" "json: local lists AS64501"
expect_eq "$(ctl_json_get '[s["winner"] for s in d["sources"]]')" \
    "[None, 'AS64501']" "json: the winners"
expect_exit 0 ctl --json explain 10.0.0.1
expect_eq "$(ctl_json_get 'd["geo"]["asn"], d["neighbourhood"]["asn"]')" "(None, None)" \
    "json: no ASN is null"

log "query: ASN listings and the origin zone"
expect_exit 0 ctl query 203.0.113.7 bl.test
expect_contains "$OUT" "bl.test: 127.0.0.3" "query: listed by local's AS64501"
expect_exit 0 ctl --json query 203.0.113.7 bl.test
expect_eq "$(ctl_json_get '[(s["name"], s["prefix"], s["network"]) for s in d["zones"][0]["sources"]]')" \
    "[('local', 'AS64501', '203.0.113.0/24')]" "query --json: the ASN listing and the database's network"
expect_exit 0 ctl query 192.0.2.2 origin.test
expect_eq "$OUT" 'origin.test: "64500 | 192.0.2.0/24 | US | EXAMPLE-NET"' "query: the origin zone's TXT"
expect_exit 1 ctl query 10.0.0.1 origin.test
expect_contains "$OUT" "not in the ASN database" "query: not in the ASN database"
expect_exit 0 ctl --json query 192.0.2.2
expect_eq "$(ctl_json_get '[(z["zone"], z["type"], z["listed"], z["txt"]) for z in d["zones"]]')" \
    "[('origin.test', 'asn', False, ['64500 | 192.0.2.0/24 | US | EXAMPLE-NET']), ('bl.test', 'dnsbl', True, ['Listed by feed'])]" \
    "query --json: both zones, with their types"

log "report asn"
expect_exit 0 ctl report asn
expect_match "$OUT" "^AS64502 +512 +2 +1  BIG-NET$" "AS64502: 512 addresses, 2 entries"
expect_match "$OUT" "^AS64500 +21 +6 +2  EXAMPLE-NET$" "AS64500: 21 (a /64 counts 1), 6 entries, 2 sources"
expect_match "$OUT" "^AS64501 +2 +2 +1  OTHER-NET  \[listed whole by local\]$" \
    "AS64501: 2, listed whole by local"
expect_match "$OUT" "^not in DB +1 +1 +1$" "one address is in no ASN"
expect_contains "$OUT" "local also lists 2 ASNs whole" "the ASN listings are counted"
expect_eq "$(printf '%s\n' "$OUT" | grep -E '^AS6450' | awk '{ print $1 }' | tr '\n' ' ')" \
    "AS64502 AS64500 AS64501 " "most addresses first"
expect_exit 0 ctl report asn --top 1
expect_eq "$(printf '%s\n' "$OUT" | grep -cE '^AS[0-9]')" 1 "--top 1: one row"
expect_contains "$OUT" "2 more not shown" "--top 1: says how many more"
expect_exit 0 ctl report asn --source local
expect_match "$OUT" "^AS64500 +1 +1 +1  EXAMPLE-NET$" "--source local: its one address"
expect_not_contains "$OUT" "AS64502" "--source local: not the feed's"
expect_exit 0 ctl --json report asn --top 2
expect_json "$OUT" "report asn --json parses"
expect_eq "$(ctl_json_get '[(r["asn"], r["organisation"], r["addresses"], r["entries"]) for r in d["rows"]]')" \
    "[(64502, 'BIG-NET', 512, 2), (64500, 'EXAMPLE-NET', 21, 6)]" "json: the top 2 rows"
expect_eq "$(ctl_json_get 'd["more"], d["unmapped"]["entries"]')" "(1, 1)" "json: more and unmapped"
expect_eq "$(ctl_json_get 'd["rows"][1]["ipv4_addresses"], d["rows"][1]["ipv6_64s"], d["rows"][1]["sources"]')" \
    "(20, 1, ['feed', 'local'])" "json: IPv4 addresses, IPv6 /64s, sources"

log "report country"
expect_exit 0 ctl report country
expect_eq "$(printf '%s\n' "$OUT" | awk '/^[A-Z][A-Z] / { print $1 ":" $2 }' | tr '\n' ' ')" \
    "FR:512 US:20 NL:2 DE:1 " "per country, most first"
expect_exit 0 ctl --json report country --source feed --top 3
expect_json "$OUT" "report country --json parses"
expect_eq "$(ctl_json_get '[(r["country"], r["addresses"]) for r in d["rows"]]')" \
    "[('FR', 512), ('US', 19), ('NL', 2)]" "json: --source feed --top 3"

log "bad report arguments"
expect_exit 2 ctl report
expect_exit 2 ctl report city
expect_exit 2 ctl report asn --top 0
expect_exit 2 ctl report asn --top x
expect_exit 2 ctl report asn --source nosuch
expect_exit 2 ctl explain 192.0.2.2 --top 3

log "check opens the databases"
expect_exit 0 ctl check
expect_match "$OUT" "^geoip OK: asn-db GeoLite2-ASN .*country-db GeoLite2-Country" "check: geoip OK"
expect_exit 0 ctl --json check
expect_eq "$(ctl_json_get 'd["geoip"]["ok"], d["geoip"]["asn_db"]["type"]')" \
    "(True, 'GeoLite2-ASN')" "check --json: geoip"

log "without [geoip]"
printf '%s' "$SOURCES" | make_conf
expect_exit 0 ctl explain 192.0.2.2
expect_contains "$OUT" "geo: not configured" "explain: geo: not configured"
expect_match "$OUT" "^  feed +3$" "the /24 neighbourhood all the same"
expect_exit 0 ctl --json explain 192.0.2.2
expect_eq "$(ctl_json_get 'd["geo"]["configured"]')" False "json: not configured"
expect_exit 2 ctl report asn
expect_contains "$ERR" "not configured" "report asn: geo: not configured"
expect_exit 0 ctl list add AS64510 --source local --reason "later"
expect_contains "$OUT" "note:" "list add AS without asn-db: a note"
expect_exit 0 ctl check
expect_not_contains "$OUT" "geoip" "check: nothing to say about geoip"
finish
