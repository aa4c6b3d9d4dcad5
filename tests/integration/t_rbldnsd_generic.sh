#!/bin/bash
# t_rbldnsd_generic.sh -- rbldnsd's generic dataset: Debian's rbldnsd and
# `reputed --rbldnsd` on the same command line and data (a generic zone,
# a zone of generic records beside an ip4set, combined data with
# $DATASET generic blocks), asked the same questions by
# rbldnsd_generic_diff.py; then a reload of changed records.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_rbldnsd.sh
. "$(dirname "$0")/lib_rbldnsd.sh"
need_rbldnsd

# compare WHEN: rbldnsd_generic_diff.py's comparison, one check.
compare()
{
	compare_both rbldnsd_generic_diff.py \
	    "$1: every answer is rbldnsd's or a documented difference" \
	    "$1: answers differ from rbldnsd's beyond docs/rbldnsd.md"
}

data_dir "$ROOT"/tests/data/rbldnsd/generic*.zone

ZONES=(
	gen.test:generic:generic.zone
	mix.test:generic:generic-mix.zone
	mix.test:ip4set:generic-ip4.zone
	gcomb.test:combined:generic-combined.zone
)
# -a: minimal answers, as reputed's; -t: default and limits of TTLs.
OPTS=(-n -u "$RUN_USER" -a -w "$DATA" -t 25m:1m:1d -c 0)

start_both

LOGTEXT=$(cat "$T/reputed.log")
expect_contains "$LOGTEXT" "generic.zone:33: bad A address" \
    "a bad record is reported with its file and line"
expect_contains "$LOGTEXT" "unknown record type 'aaaa'" \
    "an AAAA line is skipped, as rbldnsd skips it"
expect_contains "$LOGTEXT" "no wildcards" "a wildcard owner is left out"

compare "generic data"

# Records as served, spelled out (the comparison above holds them to
# rbldnsd's): TTLs from the line, the $TTL in force, -t's default and
# limits; the RRset of one name and type at its least TTL.
expect_eq "$(records "$REP_PORT" gen.test A)" "600 A 192.0.2.10
600 A 192.0.2.11" "apex A: the RRset at the least TTL (1500, 600)"
expect_eq "$(records "$REP_PORT" early.gen.test A)" "1500 A 192.0.2.99" \
    "a record before any \$TTL has -t's default TTL"
expect_eq "$(records "$REP_PORT" short.gen.test A)" "60 A 192.0.2.83" \
    "\$TTL 10s is held to -t's minimum"
expect_eq "$(records "$REP_PORT" long.gen.test A)" "86400 A 192.0.2.84" \
    "a record's TTL is held to -t's maximum"
expect_eq "$(records "$REP_PORT" gen.test MX)" "300 MX 10 mx1.gen.test.
300 MX 20 Mx2.Example.ORG." "apex MX, the host's case kept"
expect_eq "$(records "$REP_PORT" www.gen.test TXT)" \
    '60 TXT "www ; text with # and a $ sign"' "TXT as written, quotes off"
expect_eq "$(records "$REP_PORT" 5.2.0.192.mix.test A)" "120 A 127.0.0.2
120 A 127.0.0.9" "records join an ip4set's listing, at the least TTL"
expect_eq "$(records "$REP_PORT" www.gcomb.test A)" "1200 A 192.0.2.80" \
    "a \$DATASET generic block takes the common section's \$TTL"

# A changed file: the records change with it, the old ones go.
sed -i 's/^www A 192.0.2.80$/www A 192.0.2.180/; s/^short A/new A/' \
    "$DATA/generic.zone"
kill -HUP "$RBL_PID" "$REP_PID"
for ((i = 0; i < 50; i++)); do
	[ "$(records "$REP_PORT" www.gen.test A)" = "300 A 192.0.2.180" ] && break
	sleep 0.2
done
expect_eq "$(records "$REP_PORT" www.gen.test A)" "300 A 192.0.2.180" \
    "SIGHUP: a changed record is served"
run dig @127.0.0.1 -p "$REP_PORT" +notcp +tries=1 +time=2 short.gen.test A
expect_contains "$OUT" "status: NXDOMAIN" "SIGHUP: a removed record is gone"
expect_eq "$(records "$REP_PORT" new.gen.test A)" "60 A 192.0.2.83" \
    "SIGHUP: a new record is served"
compare "after a reload"

stop_both
finish
