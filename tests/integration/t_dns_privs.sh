#!/bin/bash
# t_dns_privs.sh -- started as root, reputed binds, then runs as `user =`
# (groups too), still answers and still sees imports; an unknown user is
# fatal; root without user warns. Skipped when not run as root.
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
RUN_UID=$(id -u "$RUN_USER" 2>/dev/null) || {
	pass "skipped: no user $RUN_USER"
	finish
}
RUN_GID=$(id -g "$RUN_USER")
# The configuration must stay readable after the drop, for SIGHUP.
chmod 755 "$T"

cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"
make_conf <<EOF
[source drop]
url  = file://$T/drop.txt
code = 127.0.0.2

[source local]
code = 127.0.0.3

[zone bl.test]
sources = drop local
EOF
import_or_die --force drop

log "root without user: a warning"
start_reputed
expect_match "$(cat "$REPUTED_LOG")" "WARNING: running as root" \
    "running as root is warned about"
stop_reputed

log "user = $RUN_USER"
sed -i "/^database/a user = $RUN_USER" "$CONF"
start_reputed
ids=$(awk '/^(Uid|Gid):/ { print $1, $2, $3, $4, $5 }' \
    "/proc/$REPUTED_PID/status" | tr '\n' ' ')
expect_eq "$ids" "Uid: $RUN_UID $RUN_UID $RUN_UID $RUN_UID Gid: $RUN_GID $RUN_GID $RUN_GID $RUN_GID " \
    "real, effective, saved and fs ids are the user's"
expect_eq "$(awk '/^Groups:/ { $1 = ""; print }' "/proc/$REPUTED_PID/status" | xargs)" \
    "$RUN_GID" "supplementary groups are the user's group only"
expect_contains "$(cat "$REPUTED_LOG")" "running as user $RUN_USER" "the drop is logged"
expect_a "$(revname 1.10.16.1 bl.test)" 127.0.0.2
expect_rcode "$(revname 198.51.100.9 bl.test)" NXDOMAIN
# An import by root after the drop is still seen (the lock file was
# opened before it).
ctl list add 198.51.100.9 --source local --reason because
[ "$RC" = 0 ] || { fail "reputectl list add"; show_last; }
expect_a "$(revname 198.51.100.9 bl.test)" 127.0.0.3
kill -HUP "$REPUTED_PID"
wait_for 5 grep -q "reloaded" "$REPUTED_LOG"
expect_contains "$(cat "$REPUTED_LOG")" "reloaded" "SIGHUP works after the drop"
expect_a "$(revname 1.10.16.1 bl.test)" 127.0.0.2
stop_reputed

log "an unknown user is fatal"
sed -i "s/^user = .*/user = no-such-user-here/" "$CONF"
expect_exit 2 timeout 10 "$REPUTED" -c "$CONF"
expect_contains "$ERR" "no-such-user-here: no such user" "the user is named"
finish
