#!/bin/bash
# t_dns_chroot.sh -- `chroot =` and the store's permissions: started as
# root with chroot and user, reputed answers from inside the chroot,
# sees imports made outside, and reloads on SIGHUP from the file inside;
# a configuration file or store outside the chroot, or a chroot without
# root, is refused at start-up with the reason; a store the run user
# cannot use is named with its owner, mode and the fix (fatal when the
# daemon itself cannot open it, a warning when it opens it as root
# before the drop). Skipped when not run as root.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

if [ "$(id -u)" != 0 ]; then
	pass "skipped: not running as root"
	finish
fi
RUN_USER=nobody
id -u "$RUN_USER" >/dev/null 2>&1 || {
	pass "skipped: no user $RUN_USER"
	finish
}
command -v setpriv >/dev/null || die "setpriv is not installed (util-linux)"
# The chroot is $T itself: the configuration and the store are inside.
chmod 755 "$T"
# Under `make sanitize`: LeakSanitizer needs /proc, which a chroot hides.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"
make_conf <<EOF
[source drop]
url  = file://$T/drop.txt

[source local]
code = 127.0.0.3

[zone bl.test]
sources = drop local
EOF
sed -i "/^database/a chroot = $T\\nuser = $RUN_USER" "$CONF"
import_or_die --force drop

log "chroot = \$T, user = $RUN_USER"
start_reputed
expect_eq "$(readlink "/proc/$REPUTED_PID/root")" "$T" "the daemon's root is the chroot"
expect_contains "$(cat "$REPUTED_LOG")" "chroot $T" "the chroot is logged"
expect_contains "$(cat "$REPUTED_LOG")" "running as user $RUN_USER" "then the drop"
expect_a "$(revname 1.10.16.1 bl.test)" 127.0.0.2
expect_a "$(revname 1.10.16.1 bl.test)" 127.0.0.2 -- +tcp
ctl list add 198.51.100.9 --source local --reason because
[ "$RC" = 0 ] || { fail "reputectl list add"; show_last; }
expect_a "$(revname 198.51.100.9 bl.test)" 127.0.0.3
# The store was made by root: readable, but its lock file is not
# writable by the run user. reputed runs (it opened it as root) but says.
expect_match "$(cat "$REPUTED_LOG")" \
    "store $DB: user $RUN_USER \\(uid [0-9]+\\) cannot write lock.mdb \\(owner root:root, mode 0644\\)" \
    "a lock file the run user cannot write is warned about"
kill -HUP "$REPUTED_PID"
wait_for 5 grep -q "reloaded" "$REPUTED_LOG" || fail "reloaded"
expect_contains "$(cat "$REPUTED_LOG")" "reloaded /reputed.conf" \
    "SIGHUP re-reads the file inside the chroot"
expect_not_contains "$(cat "$REPUTED_LOG")" "database changed" \
    "the reloaded paths are the same store"
expect_a "$(revname 198.51.100.9 bl.test)" 127.0.0.3
stop_reputed

log "a configuration file outside the chroot"
mkdir -p "$T/jail"
cp "$CONF" "$T/outside.conf"
sed -i "s|^chroot = .*|chroot = $T/jail|" "$T/outside.conf"
expect_exit 2 timeout 10 "$REPUTED" -c "$T/outside.conf"
expect_contains "$ERR" "chroot $T/jail: the configuration file $T/outside.conf is outside it" \
    "a configuration file outside the chroot is refused"
cp "$T/outside.conf" "$T/jail/reputed.conf"
expect_exit 2 timeout 10 "$REPUTED" -c "$T/jail/reputed.conf"
expect_contains "$ERR" "chroot $T/jail: the database $DB is outside it" \
    "a store outside the chroot is refused"

log "chroot needs root"
chmod 644 "$CONF"
chmod 666 "$DB/lock.mdb"	# the store is usable: the chroot is not
expect_exit 2 timeout 10 setpriv --reuid="$RUN_USER" --regid="$(id -g "$RUN_USER")" \
    --clear-groups "$REPUTED" -c "$CONF"
expect_contains "$ERR" "must be started as root to chroot" "chroot without root is refused"

log "a store the daemon cannot open: fatal, with the fix"
sed -i '/^chroot/d; /^user/d' "$CONF"
chmod 644 "$DB/lock.mdb"
chmod 700 "$DB"
expect_exit 2 timeout 10 setpriv --reuid="$RUN_USER" --regid="$(id -g "$RUN_USER")" \
    --clear-groups "$REPUTED" -c "$CONF"
expect_match "$ERR" "store $DB: uid [0-9]+ cannot enter the directory \\(owner root:root, mode 0700\\).*chown -R USER $DB" \
    "an unreadable store names the directory, owner, mode and fix"
chmod 755 "$DB"
expect_exit 2 timeout 10 setpriv --reuid="$RUN_USER" --regid="$(id -g "$RUN_USER")" \
    --clear-groups "$REPUTED" -c "$CONF"
expect_contains "$ERR" "cannot write lock.mdb (owner root:root, mode 0644), which every reader of the store must" \
    "a lock file it cannot write is fatal for a daemon not started as root"
finish
