#!/bin/bash
# t_geo_check.sh -- `reputed -t`, start-up and `reputectl check` refuse a
# [geoip] database that is missing, unreadable, not a database, corrupt
# (MaxMind's bad-data files, a truncated file) or of the wrong type told by
# its metadata (a Country database given as asn-db and the other way
# round), each with a message naming the file and never a crash; good
# databases pass; a zone of type asn needs asn-db.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"
# shellcheck source=lib_geo.sh
. "$(dirname "$0")/lib_geo.sh"

make_mmdb asn "$T/asn.mmdb" <<<"192.0.2.0/24 64500 EXAMPLE-NET"
make_mmdb country "$T/cc.mmdb" <<<"192.0.2.0/24 US"
make_mmdb --type GeoLite2-City country "$T/city.mmdb" <<<"192.0.2.0/24 US"
make_mmdb --type My-Own-Data asn "$T/other.mmdb" <<<"192.0.2.0/24 64500 X"
damage_mmdb "$T/asn.mmdb" "$T/asn-tree.mmdb" tree
damage_mmdb "$T/asn.mmdb" "$T/asn-data.mmdb" data
damage_mmdb "$T/cc.mmdb" "$T/cc-tree.mmdb" tree
damage_mmdb "$T/cc.mmdb" "$T/cc-data.mmdb" data

# geo_conf ASN_DB [COUNTRY_DB]: $CONF with these databases ("" leaves a
# key out) and an origin zone when there is an ASN database.
geo_conf()
{
	{
		echo "[geoip]"
		[ -n "$1" ] && echo "asn-db = $1"
		[ -n "${2:-}" ] && echo "country-db = $2"
		echo
		echo "[source local]"
		echo "code = 127.0.0.2"
		echo
		echo "[zone bl.test]"
		echo "sources = local"
		if [ -n "$1" ]; then
			echo
			echo "[zone origin.test]"
			echo "type = asn"
		fi
	} | make_conf
}

# refused WHAT FILE: reputed -t and reputectl check fail cleanly (an exit
# code, not a signal) and name FILE; so does starting the daemon.
refused()
{
	local what=$1 file=$2
	expect_fail "$REPUTED" -t -c "$CONF"
	if [ "$RC" -ge 124 ]; then
		fail "$what: reputed -t exits cleanly (not $RC)"
	fi
	expect_contains "$OUT$ERR" "$file" "$what: reputed -t names $file"
	expect_not_contains "$OUT$ERR" "configuration OK" "$what: reputed -t does not say OK"
	expect_exit 2 ctl check
	expect_contains "$OUT$ERR" "$file" "$what: reputectl check names $file"
	RUN_TIMEOUT=15 run "$REPUTED" -c "$CONF"
	if [ "$RC" != 0 ] && [ "$RC" -lt 124 ]; then
		pass "$what: reputed refuses to start (exit $RC)"
	else
		fail "$what: reputed refuses to start (exit $RC)"
		show_last
	fi
	expect_contains "$OUT$ERR" "$file" "$what: start-up names $file"
}

log "good databases"
geo_conf "$T/asn.mmdb" "$T/cc.mmdb"
# -t and start-up check the store too: make one.
expect_exit 0 ctl list add 192.0.2.1 --source local --reason "a store"
expect_exit 0 "$REPUTED" -t -c "$CONF"
expect_contains "$OUT$ERR" "configuration OK" "reputed -t: configuration OK"
expect_exit 0 ctl check
expect_contains "$OUT" "configuration OK" "reputectl check: configuration OK"
geo_conf "$T/asn.mmdb"
expect_exit 0 "$REPUTED" -t -c "$CONF"
geo_conf "" "$T/cc.mmdb"
expect_exit 0 "$REPUTED" -t -c "$CONF"
geo_conf "$MMDB_DATA/GeoLite2-ASN-Test.mmdb" "$MMDB_DATA/GeoLite2-Country-Test.mmdb"
expect_exit 0 "$REPUTED" -t -c "$CONF"
geo_conf "$T/asn.mmdb" "$T/city.mmdb"
expect_exit 0 "$REPUTED" -t -c "$CONF"
expect_contains "$OUT$ERR" "configuration OK" "a City database serves as country-db"

log "missing"
geo_conf "$T/nope.mmdb" "$T/cc.mmdb"
refused "missing asn-db" "$T/nope.mmdb"
geo_conf "$T/asn.mmdb" "$T/nope-cc.mmdb"
refused "missing country-db" "$T/nope-cc.mmdb"

log "not a file, empty, not a database"
mkdir "$T/dir.mmdb"
geo_conf "$T/dir.mmdb"
refused "a directory" "$T/dir.mmdb"
: >"$T/empty.mmdb"
geo_conf "$T/empty.mmdb"
refused "an empty file" "$T/empty.mmdb"
printf 'hello\n' >"$T/text.mmdb"
geo_conf "$T/asn.mmdb" "$T/text.mmdb"
refused "a text file" "$T/text.mmdb"
head -c 200 "$T/asn.mmdb" >"$T/truncated.mmdb"
geo_conf "$T/truncated.mmdb"
refused "a truncated database" "$T/truncated.mmdb"

if [ "$(id -u)" != 0 ]; then
	cp "$T/asn.mmdb" "$T/unreadable.mmdb"
	chmod 000 "$T/unreadable.mmdb"
	geo_conf "$T/unreadable.mmdb"
	refused "an unreadable file" "$T/unreadable.mmdb"
else
	log "root reads any file: unreadable not tested"
fi

log "corrupt, of the right type"
for f in asn-tree asn-data; do
	geo_conf "$T/$f.mmdb" "$T/cc.mmdb"
	refused "$f as asn-db" "$T/$f.mmdb"
	expect_match "$OUT$ERR" "corrupt" "$f: the message says corrupt"
done
for f in cc-tree cc-data; do
	geo_conf "$T/asn.mmdb" "$T/$f.mmdb"
	refused "$f as country-db" "$T/$f.mmdb"
done

log "the wrong type, told by the metadata"
geo_conf "$MMDB_DATA/GeoLite2-Country-Test.mmdb"
refused "a Country database as asn-db" "$MMDB_DATA/GeoLite2-Country-Test.mmdb"
expect_match "$OUT$ERR" "Country" "the message says what the database is"
geo_conf "$T/asn.mmdb" "$MMDB_DATA/GeoLite2-ASN-Test.mmdb"
refused "an ASN database as country-db" "$MMDB_DATA/GeoLite2-ASN-Test.mmdb"
geo_conf "$T/cc.mmdb"
refused "a generated Country database as asn-db" "$T/cc.mmdb"
geo_conf "$T/other.mmdb"
refused "a database of another kind" "$T/other.mmdb"

log "MaxMind's deliberately broken databases"
for f in "$MMDB_DATA"/bad-data/*.mmdb; do
	geo_conf "$f"
	refused "bad-data/${f##*/} as asn-db" "$f"
	geo_conf "" "$f"
	refused "bad-data/${f##*/} as country-db" "$f"
done

log "a zone of type asn needs asn-db"
make_conf <<EOF
[geoip]
country-db = $T/cc.mmdb

[zone origin.test]
type = asn
EOF
expect_fail "$REPUTED" -t -c "$CONF"
expect_match "$OUT$ERR" "origin\.test.*asn-db|asn-db.*origin\.test" \
    "the error names the zone and asn-db"
make_conf <<EOF
[zone origin.test]
type = asn
EOF
expect_fail "$REPUTED" -t -c "$CONF"
expect_contains "$OUT$ERR" "asn-db" "no [geoip] at all: the error says asn-db"
finish
