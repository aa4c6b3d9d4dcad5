#!/bin/bash
# t_fault_sighup_broken.sh -- what t_dns_reload.sh does not check about a
# SIGHUP with a broken configuration: every error of the file is logged,
# each with its own line number (syntax, an unknown key, a bad value, a
# zone naming an unknown source), not just the first; a configuration
# that cannot be read at all (the file gone, then unreadable) is refused
# the same way; after each refusal the daemon still answers with the old
# configuration; and a good file afterwards is taken.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

drop_conf -s 'code = 127.0.0.2'
import_or_die --force
cp "$CONF" "$T/good.conf"
start_reputed
L=$(revname 1.10.16.1 bl.test)
expect_a "$L" 127.0.0.2

# hup: SIGHUP, then wait until the log has one more outcome line; the
# lines logged meanwhile are left in $NEW.
hup()
{
	local before
	before=$(wc -l <"$REPUTED_LOG")
	kill -HUP "$REPUTED_PID"
	if ! wait_for 10 eval "tail -n +$((before + 1)) \"\$REPUTED_LOG\" |
	    grep -qE 'reloaded|reload failed'"; then
		fail "reputed logs the outcome of SIGHUP"
		show_reputed_log
	fi
	NEW=$(tail -n "+$((before + 1))" "$REPUTED_LOG" | sed "s|$T|\$T|g")
}

# still_old WHAT: the daemon answers as before, with no zone bl2.test.
still_old()
{
	expect_a "$L" 127.0.0.2
	expect_rcode "$(revname 1.10.16.1 bl2.test)" REFUSED
	if reputed_alive; then
		pass "$1: the daemon runs on"
	else
		fail "$1: the daemon runs on"
	fi
}

log "SIGHUP with four errors on four lines"
{
	sed '/^\[zone/,$d' "$T/good.conf"
	echo "[source drop2]"			# line a
	echo "code = 127.0.0.300"		# a+1: bad value
	echo "colour = blue"			# a+2: unknown key
	echo "[zone bl.test"			# a+3: syntax
	echo "[zone bl2.test]"			# a+4
	echo "sources = drop nosuch"		# a+5: unknown source
} >"$CONF"
a=$(grep -n '^\[source drop2\]' "$CONF" | cut -d: -f1)
hup
expect_match "$NEW" "reload failed" "the refusal is logged"
expect_match "$NEW" "reputed.conf:$((a + 1)): .*code" \
    "the bad code is logged with its line"
expect_match "$NEW" "reputed.conf:$((a + 2)): .*colour" \
    "the unknown key is logged with its line"
expect_match "$NEW" "reputed.conf:$((a + 3)): " \
    "the syntax error is logged with its line"
expect_match "$NEW" "reputed.conf:$((a + 4)): .*nosuch" \
    "the unknown source is logged with its zone's line"
expect_not_contains "$NEW" "reloaded" "nothing is reloaded"
still_old "four errors"

log "SIGHUP with the file gone"
mv "$CONF" "$T/away.conf"
hup
expect_match "$NEW" "reload failed.*(No such file|cannot)" \
    "a missing file is refused, saying why"
still_old "file gone"

log "SIGHUP with the file unreadable"
cp "$T/good.conf" "$CONF"
if [ "$(id -u)" = 0 ]; then
	# root reads any file: a directory in its place cannot be read
	rm -f "$CONF"
	mkdir "$CONF"
	hup
	expect_match "$NEW" "reload failed" "a directory for a file is refused"
	still_old "directory"
	rmdir "$CONF"
else
	chmod 000 "$CONF"
	hup
	expect_match "$NEW" "reload failed.*(Permission denied|cannot)" \
	    "an unreadable file is refused, saying why"
	still_old "unreadable"
	chmod 644 "$CONF"
fi

log "SIGHUP with a good file"
{
	cat "$T/good.conf"
	printf '\n[zone bl2.test]\nsources = drop\n'
} >"$CONF"
hup
expect_match "$NEW" "reloaded" "the good file is taken"
expect_a "$(revname 1.10.16.1 bl2.test)" 127.0.0.2
expect_a "$L" 127.0.0.2
stop_reputed
finish
