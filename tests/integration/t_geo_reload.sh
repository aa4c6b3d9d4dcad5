#!/bin/bash
# t_geo_reload.sh -- databases replaced on disk while the daemon runs, by
# an atomic rename as geoipupdate does: the new data is answered without
# a restart (origin TXT and ASN listings alike); a corrupt replacement,
# a broken MaxMind one or a truncated file, is logged naming the file
# while the previous database keeps serving; the next good one is picked
# up again; the daemon exits 0 at the end. The daemon looks every 10 s:
# this test takes about a minute.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"
# shellcheck source=lib_geo.sh
. "$(dirname "$0")/lib_geo.sh"

# How long a replaced database may take to be served (seconds): the
# daemon looks at the files' status now and then, not on every query.
RELOAD_WAIT=${GEO_RELOAD_WAIT:-30}

ASN=$T/asn.mmdb
CC=$T/cc.mmdb
make_mmdb asn "$ASN" <<<"192.0.2.0/24 64500 OLD-NET"
make_mmdb country "$CC" <<<"192.0.2.0/24 US"

make_conf <<EOF
[geoip]
asn-db     = $ASN
country-db = $CC

[source local]
code = 127.0.0.2
txt  = \$reason

[zone bl.test]
sources = local

[zone origin.test]
type = asn
EOF
expect_exit 0 ctl list add AS64501 --source local --reason "AS64501"
start_reputed

ORIGIN=$(revname 192.0.2.7 origin.test)
BL=$(revname 192.0.2.7 bl.test)

# origin_is TEXT: the origin TXT of 192.0.2.7 is TEXT now.
# shellcheck disable=SC2317 # run by wait_for
origin_is()
{
	[ "$(dig @127.0.0.1 -p "$REPUTED_PORT" +tries=1 +time=1 +short \
	    "$ORIGIN" TXT 2>/dev/null)" = "\"$1\"" ]
}

# replace SRC DST: put SRC in place of DST by rename (a new inode), with
# a later modification time than any before (serve in lib.sh).
replace()
{
	serve "$1" "$2"
}

# bad_lines: log lines that name the ASN database with a problem.
bad_lines()
{
	grep -F "$ASN" "$REPUTED_LOG" | grep -ciE \
	    'still serving|previous|corrupt|invalid|error|fail|cannot|not an? '
}

log "the first databases"
dq +short "$ORIGIN" TXT
expect_eq "$OUT" '"64500 | 192.0.2.0/24 | US | OLD-NET"' "origin from the first databases"
expect_rcode "$BL" NXDOMAIN

log "new databases renamed into place"
make_mmdb asn "$T/asn2.mmdb" <<<"192.0.2.0/24 64501 NEW-NET"
make_mmdb country "$T/cc2.mmdb" <<<"192.0.2.0/24 DE"
replace "$T/asn2.mmdb" "$ASN"
replace "$T/cc2.mmdb" "$CC"
if wait_for "$RELOAD_WAIT" origin_is "64501 | 192.0.2.0/24 | DE | NEW-NET"; then
	pass "the replaced databases answer within ${RELOAD_WAIT}s"
else
	fail "the replaced databases answer within ${RELOAD_WAIT}s"
	dq +short "$ORIGIN" TXT
	show_last
	show_reputed_log
fi
expect_a "$BL" 127.0.0.2
expect_txt "$BL" "AS64501"
reputed_alive
expect_eq "$?" 0 "reputed runs on"

# corrupt SRC WHAT: replace the ASN database by SRC; the daemon logs it
# naming the file, and the database before keeps serving.
corrupt()
{
	local before
	before=$(bad_lines)
	replace "$1" "$ASN"
	if wait_for "$RELOAD_WAIT" eval "[ \$(bad_lines) -gt $before ]"; then
		pass "$2: logged, naming $ASN"
	else
		fail "$2: logged, naming $ASN"
		show_reputed_log
	fi
	reputed_alive
	expect_eq "$?" 0 "$2: reputed runs on"
	dq +short "$ORIGIN" TXT
	expect_eq "$OUT" '"64501 | 192.0.2.0/24 | DE | NEW-NET"' \
	    "$2: the previous database keeps serving"
	expect_a "$BL" 127.0.0.2
}

log "a corrupt database appears"
damage_mmdb "$T/asn2.mmdb" "$T/tree.mmdb" tree
corrupt "$T/tree.mmdb" "an ASN database with a damaged search tree"
damage_mmdb "$T/asn2.mmdb" "$T/data.mmdb" data
corrupt "$T/data.mmdb" "an ASN database with a damaged data section"
corrupt "$MMDB_DATA/bad-data/libmaxminddb-corrupt-search-tree.mmdb" \
    "a MaxMind bad-data database"
head -c 300 "$T/asn2.mmdb" >"$T/truncated.mmdb"
corrupt "$T/truncated.mmdb" "a truncated database"

log "a good database again"
make_mmdb asn "$T/asn3.mmdb" <<<"192.0.2.0/24 64502 THIRD-NET"
replace "$T/asn3.mmdb" "$ASN"
if wait_for "$RELOAD_WAIT" origin_is "64502 | 192.0.2.0/24 | DE | THIRD-NET"; then
	pass "a good database after bad ones is picked up"
else
	fail "a good database after bad ones is picked up"
	show_reputed_log
fi
expect_rcode "$BL" NXDOMAIN
stop_reputed
expect_eq "$REPUTED_RC" 0 "SIGTERM: exit 0"
finish
