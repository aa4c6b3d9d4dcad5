#!/bin/bash
# t_fault_disk_full.sh -- the disk fills up during an import: the store
# lives on a small tmpfs mounted by the test (8 MiB); a list is imported,
# the file system is filled up to ~1 MiB, and an import that needs ~27 MiB
# (200k entries) fails with a clear message ("no space left") and a
# non-zero exit. The old data is still answered by reputectl query, by
# the daemon that ran through it and by one started on the full disk;
# the store passes `reputectl check`; once space is freed, imports work
# again. Needs root for mount(8): without it the test is skipped (exit 0,
# saying why).
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

MNT=$T/small
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=8m,mode=0755 tmpfs "$MNT" 2>"$T/mount.err"; then
	echo "SKIP: cannot mount a tmpfs here: $(cat "$T/mount.err")"
	exit 0
fi
# The daemon must be gone before the file system can be unmounted;
# the unmount is bounded, and lazy if something still holds it.
# shellcheck disable=SC2317 # called by the trap
unmount_small()
{
	stop_reputed
	timeout -k 2 10 umount "$MNT" 2>/dev/null || umount -l "$MNT"
}
trap 'unmount_small; cleanup' EXIT

DB=$MNT/db
cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"
BIG=$(fixture firehol/stopforumspam.ipset)
make_conf <<EOF
[source drop]
url  = file://$T/drop.txt
code = 127.0.0.2
txt  = drop \$reason

[source sfs]                    ; manual: imported with --file below
code = 127.0.0.5
format = firehol

[zone bl.test]
sources = drop sfs
EOF

LISTED=$(revname 1.10.16.1 bl.test)
# An address of the big list, that the failed import must not list.
SFS_IP=$(grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' "$BIG" | sed -n 1000p)

# free_kb: free space on the small file system, in KiB.
free_kb()
{
	df -Pk "$MNT" | awk 'NR == 2 { print $4 }'
}

# old_data_served WHEN: the first import's data, and nothing of sfs.
old_data_served()
{
	expect_exit 0 ctl query 1.10.16.1 bl.test
	expect_contains "$OUT" "127.0.0.2" \
	    "$1: reputectl query still lists 1.10.16.1"
	expect_exit 1 ctl query "$SFS_IP" bl.test
	expect_a "$LISTED" 127.0.0.2
	expect_txt "$LISTED" "drop SBL256894"
	expect_rcode "$(revname "$SFS_IP" bl.test)" NXDOMAIN
}

log "first import into a store on an 8 MiB tmpfs"
run_import --force drop
[ "$RC" = 0 ] || { show_last; die "the first import failed"; }
start_reputed
expect_a "$LISTED" 127.0.0.2

log "filling the file system ($(free_kb) KiB free)"
dd if=/dev/zero of="$MNT/filler" bs=64k >/dev/null 2>&1
truncate -s "-1M" "$MNT/filler" || die "cannot shrink the filler"
log "$(free_kb) KiB free"

log "an import that needs ~27 MiB"
expect_fail run_import --file "$BIG" --source sfs
expect_match "$OUT$ERR" "no space left" "the failure says: no space left"
expect_match "$OUT$ERR" "sfs" "the failure names the source"
if printf '%s\n' "$ERR" | grep -qE 'Sanitizer|runtime error|Segmentation'; then
	fail "the import fails cleanly"
	show_last
else
	pass "the import fails cleanly (exit $RC)"
fi
case $RC in
1|2|3) pass "exit code $RC, not a signal" ;;
*) fail "exit code $RC, not a signal"; show_last ;;
esac

old_data_served "after the failed import"
expect_exit 0 ctl check
expect_contains "$OUT" "store OK" "reputectl check: store OK on a full disk"
expect_exit 0 ctl sources
expect_match "$OUT" "drop[[:space:]]+1385" "drop still holds its 1385 entries"

log "a daemon started on the full disk"
stop_reputed
expect_eq "$REPUTED_RC" 0 "the daemon that ran through it exits 0"
start_reputed
old_data_served "after a restart"

log "space freed: imports work again"
rm -f "$MNT/filler"
sed -i '/^1\.10\.16\.0\/20/d' "$T/drop.txt"
run_import --force drop
expect_eq "$RC" 0 "an import succeeds once there is space"
wait_for 5 eval "[ -z \"\$(dig @127.0.0.1 -p $REPUTED_PORT +tries=1 \
    +time=1 +short $LISTED A)\" ]"
expect_rcode "$LISTED" NXDOMAIN
expect_exit 0 ctl check
stop_reputed
finish
