#!/bin/bash
# t_geo_reload.sh -- databases replaced on disk while the daemon runs, by
# an atomic rename as geoipupdate does: the new data is answered without
# a restart (origin TXT and ASN listings alike); a corrupt replacement,
# a broken MaxMind one or a truncated file, is logged naming the file
# while the previous database keeps serving; the next good one is picked
# up again. A replacement is opened and checked on a worker thread: with
# that check held up (a FIFO renamed over the database keeps it in
# open() until this test opens the FIFO for writing), queries are still
# answered, from the previous database, and the check ends in a refusal
# once let go; SIGTERM with a check under way waits for it (or cancels
# it) and the daemon exits 0. The daemon looks every 10 s: this test
# takes one to two minutes.
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

# check_lines WHAT: log lines of checks of replaced databases that began
# (began), or ended in a swap (reloaded).
check_lines()
{
	case $1 in
	began) grep -c 'geo: .*checking it on a worker thread' "$REPUTED_LOG" ;;
	reloaded) grep -c 'geo: reloaded ' "$REPUTED_LOG" ;;
	esac
}

# hold_up: rename a FIFO over the ASN database and wait until the daemon
# has begun checking it. 1 if it did not within RELOAD_WAIT seconds.
hold_up()
{
	local began
	began=$(check_lines began)
	rm -f "$T/held.fifo"
	if ! mkfifo "$T/held.fifo" || ! mv -f "$T/held.fifo" "$ASN"; then
		die "cannot put a FIFO in place of $ASN"
	fi
	wait_for "$RELOAD_WAIT" eval "[ \$(check_lines began) -gt $began ]"
}

# let_go: open the FIFO for writing, which ends the open() that holds
# the check up (at most 10 s, should the daemon not be reading it).
let_go()
{
	# shellcheck disable=SC2016 # $1 is the inner shell's
	timeout 10 sh -c ': >"$1"' sh "$ASN"
}

log "queries while a replaced database is being checked"
if hold_up; then
	pass "a check of the replaced database began"
else
	fail "a check of the replaced database began"
	show_reputed_log
fi
bad=$(bad_lines)
reloaded=$(check_lines reloaded)
# The check cannot end before let_go: every answer here is given while
# it is under way. (Done on the loop thread, it stalled every query.)
dq +short "$ORIGIN" TXT
expect_eq "$OUT" '"64502 | 192.0.2.0/24 | DE | THIRD-NET"' \
    "answered during the check, from the previous database"
expect_rcode "$BL" NXDOMAIN
CLIENT=kdig expect_rcode "$BL" NXDOMAIN A +tcp
expect_eq "$(bad_lines) $(check_lines reloaded)" "$bad $reloaded" \
    "the check is still under way meanwhile"
let_go
if wait_for "$RELOAD_WAIT" eval "[ \$(bad_lines) -gt $bad ]"; then
	pass "once let go, the check ends: refused (not a file), logged"
else
	fail "once let go, the check ends: refused (not a file), logged"
	show_reputed_log
fi
dq +short "$ORIGIN" TXT
expect_eq "$OUT" '"64502 | 192.0.2.0/24 | DE | THIRD-NET"' \
    "the previous database keeps serving after the refusal"

log "SIGTERM while a replaced database is being checked"
if hold_up; then
	pass "another check began"
else
	fail "another check began"
	show_reputed_log
fi
kill -TERM "$REPUTED_PID"
# shellcheck disable=SC2317 # run by wait_for
shutdown_said()
{
	grep -qE 'geo: shutting down: (cancelling|waiting for)' "$REPUTED_LOG"
}
wait_for 10 shutdown_said
if grep -q 'geo: shutting down: waiting for' "$REPUTED_LOG"; then
	# Under way (a worker holds it): the daemon waits for its end.
	reputed_alive
	expect_eq "$?" 0 "SIGTERM: the daemon waits for the check under way"
	let_go
	log_end='ended at shutdown, dropped'
else
	log_end='cancelled'	# not yet picked up by a worker
fi
# It exits by itself: a second SIGTERM (stop_reputed's) would find its
# handlers closed, and kill it.
# shellcheck disable=SC2317 # run by wait_for
reputed_gone() { ! reputed_alive; }
if wait_for 10 reputed_gone; then
	wait "$REPUTED_PID"
	REPUTED_RC=$?
	REPUTED_PID=""
fi
stop_reputed
expect_eq "$REPUTED_RC" 0 "SIGTERM: exit 0"
expect_contains "$(cat "$REPUTED_LOG")" "replaced database check $log_end" \
    "SIGTERM: the check in flight is ended cleanly ($log_end)"
finish
