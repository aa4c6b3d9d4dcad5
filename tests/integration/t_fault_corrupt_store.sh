#!/bin/bash
# t_fault_corrupt_store.sh -- a damaged store: one written by a newer
# schema version (meta "version" = 99, written with mdb_load as a newer
# program would), data.mdb truncated to half its size or to nothing, its
# two meta pages overwritten, and random bytes in every page of its middle
# half. Each program in turn -- reputectl query, sources, explain, check,
# reputed-import and reputed -- runs on a fresh copy of the damaged file:
# none is killed by a signal or reports a sanitizer error; a failure exits
# non-zero with a clear message and leaves data.mdb byte for byte as it was
# (no silent wipe, no repair, no status written into it). The damage that
# LMDB sees on opening (version, truncation, meta pages) must be refused by
# every program, and `reputectl check` must find every kind.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

# The damage is deliberate and the programs' own fault guard (a clear
# message, exit 2) is what is tested: under `make sanitize`, leave SIGSEGV
# and SIGBUS to it instead of AddressSanitizer's report.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0:handle_sigbus=0"
command -v mdb_load >/dev/null || die "mdb_load is not installed (make deps)"

cp "$(fixture spamhaus-drop/drop.txt)" "$T/drop.txt"
cp "$(fixture spamhaus-dropv6/dropv6.txt)" "$T/dropv6.txt"
make_conf <<EOF
[source drop]
url    = file://$T/drop.txt
format = spamhaus-drop

[source dropv6]
url    = file://$T/dropv6.txt
format = spamhaus-drop

[zone bl.test]
sources = drop dropv6
EOF
run_import --force
[ "$RC" = 0 ] || { show_last; die "the import failed"; }
expect_exit 0 ctl check
cp -a "$DB" "$T/good"
BROKEN=$T/broken

# sha FILE: its SHA-256.
sha()
{
	sha256sum <"$1" | cut -d ' ' -f 1
}

# damage KIND: $BROKEN becomes a copy of the good store, damaged.
damage()
{
	rm -rf "$BROKEN"
	cp -a "$T/good" "$BROKEN"
	case $1 in
	version)
		printf 'version\nc\\00\\00\\00\n' |
		    mdb_load -T -s meta "$BROKEN" || die "mdb_load failed"
		;;
	truncated)
		# half of it, in whole pages of 4096 bytes
		pages=$(($(stat -c %s "$BROKEN/data.mdb") / 4096))
		half=$((pages / 2))
		truncate -s $((half * 4096)) "$BROKEN/data.mdb"
		;;
	empty)
		: >"$BROKEN/data.mdb"
		;;
	meta|middle)
		python3 - "$1" "$BROKEN/data.mdb" <<'EOF'
import os, random, sys
kind, path = sys.argv[1], sys.argv[2]
rnd = random.Random(20251122)
ps = 4096
n = os.path.getsize(path) // ps
with open(path, "r+b") as f:
    if kind == "meta":
        # both meta pages, past their page headers
        for pg in (0, 1):
            f.seek(pg * ps + 16)
            f.write(bytes(rnd.randrange(256) for _ in range(256)))
    else:
        # a run of 32 random bytes in each page of the middle half
        for pg in range(max(2, n // 4), 3 * n // 4):
            f.seek(pg * ps + rnd.randrange(16, ps - 64))
            f.write(bytes(rnd.randrange(256) for _ in range(32)))
EOF
		;;
	esac
}

# fresh: $DB is a new copy of $BROKEN (each program sees the same damage).
fresh()
{
	rm -rf "$DB"
	cp -a "$BROKEN" "$DB"
	SHA=$(sha "$DB/data.mdb")
}

# said TEXT: TEXT without the paths of this test, whose directory is
# named after it ("corrupt").
said()
{
	printf '%s\n' "$1" | sed "s|$T|\$T|g"
}

# judge KIND STRICT WHAT: the last command ($RC, $OUT, $ERR):
# not killed by a signal; when it failed, it said why (CLEAR, an ERE)
# and left data.mdb unchanged. STRICT=1: it must fail.
judge()
{
	local kind=$1 strict=$2 what=$3
	if [ "$RC" -ge 124 ]; then
		fail "$kind: $what: exits, not killed (exit $RC)"
		show_last
		return
	fi
	pass "$kind: $what: exits (exit $RC)"
	# reputectl query exits 1 for "not listed": an answer, not an error
	if [ "$RC" = 0 ] ||
	    { [ "$what" = "ctl query" ] && [ "$RC" = 1 ]; }; then
		if [ "$strict" = 1 ]; then
			fail "$kind: $what: refuses the store"
			show_last
		fi
		return
	fi
	expect_match "$(said "$OUT$ERR")" "$CLEAR" "$kind: $what: says why"
	expect_eq "$(sha "$DB/data.mdb")" "$SHA" \
	    "$kind: $what: data.mdb is unchanged"
}

# daemon KIND STRICT: reputed on the damaged store refuses it at start
# (non-zero exit, a clear log line), or (STRICT=0) starts and answers
# queries without dying.
daemon()
{
	local kind=$1 strict=$2 i rc name
	fresh
	: >"$REPUTED_LOG"
	"$REPUTED" -c "$CONF" >>"$REPUTED_LOG" 2>&1 &
	REPUTED_PID=$!
	for ((i = 0; i < 100; i++)); do
		reputed_alive || break
		reputed_ready && break
		sleep 0.1
	done
	if ! reputed_alive; then
		wait "$REPUTED_PID"
		rc=$?
		REPUTED_PID=""
		if [ "$rc" -gt 0 ] && [ "$rc" -lt 124 ]; then
			pass "$kind: reputed refuses the store (exit $rc)"
		else
			fail "$kind: reputed refuses the store (exit $rc)"
			show_reputed_log
		fi
		expect_match "$(said "$(cat "$REPUTED_LOG")")" "$CLEAR" \
		    "$kind: reputed says why"
		expect_eq "$(sha "$DB/data.mdb")" "$SHA" \
		    "$kind: reputed: data.mdb is unchanged"
		return
	fi
	if [ "$strict" = 1 ]; then
		fail "$kind: reputed refuses the store"
		show_reputed_log
	fi
	log "$kind: reputed started; querying it"
	for name in $(revname 1.10.16.1 bl.test) $(revname 192.0.2.1 bl.test) \
	    $(revname 2001:db8::1 bl.test) $(revname 45.8.0.1 bl.test) \
	    $(revname 223.255.255.1 bl.test) bl.test; do
		dq "$name" A
		dq "$name" TXT
	done
	if reputed_alive; then
		pass "$kind: reputed survives queries on the damaged store"
	else
		fail "$kind: reputed survives queries on the damaged store"
		show_reputed_log
	fi
	stop_reputed
}

# attempt KIND STRICT CLEAR: every program on the damaged store.
attempt()
{
	local kind=$1 strict=$2
	CLEAR=$3
	log "---- $kind"
	damage "$kind"
	fresh
	ctl query 1.10.16.1 bl.test
	judge "$kind" "$strict" "ctl query"
	fresh
	ctl sources
	judge "$kind" "$strict" "ctl sources"
	fresh
	ctl explain 1.10.16.1
	judge "$kind" "$strict" "ctl explain"
	fresh
	ctl check
	judge "$kind" 1 "ctl check"
	fresh
	run_import --force drop
	judge "$kind" "$strict" "reputed-import"
	fresh
	run_import --file "$T/dropv6.txt" --source dropv6
	judge "$kind" "$strict" "reputed-import --file"
	daemon "$kind" "$strict"
}

attempt version 1 "schema version"
attempt truncated 1 "truncated|corrupt|not a valid"
attempt empty 1 "truncated|empty|corrupt|not a valid"
attempt meta 1 "corrupt|not a valid"
attempt middle 0 "corrupt|not a valid"

log "the good store still works"
rm -rf "$DB"
cp -a "$T/good" "$DB"
expect_exit 0 ctl check
expect_exit 0 ctl query 1.10.16.1 bl.test
finish
