#!/bin/bash
# valgrind.sh -- memcheck of the three programs: builds them into
# build-vg/ (-O1 -g, a 1 GiB LMDB map: valgrind cannot reserve the
# default 64 GiB of address space) and runs, each under
#   valgrind --leak-check=full --error-exitcode=99
# reputed-import (files, HTTP, a refused body, a manual --file import),
# every reputectl command on a small store, and the daemon: queried with
# dig and kdig over UDP and TCP (listed, not listed, IPv6, apex, junk),
# reloaded with SIGHUP (a good then a broken configuration), fed a live
# import, then stopped with SIGTERM. Any memcheck error or definite,
# indirect or possible leak fails the run; each run's valgrind log is
# shown when it fails.
#
# Usage: tests/valgrind.sh [--suite [t_NAME...]]
#   --suite  then also run integration tests (all, or the ones named)
#            with every program under valgrind (slow: timing checks of
#            some tests may fail under valgrind for that reason alone)
# VG_BUILD (default build-vg) is the build directory; VG_MAP_SIZE the map
# size built in (bytes, default 1 GiB); VALGRIND extra valgrind options.
set -u

cd "$(dirname "$0")/.." || exit 2
ROOT=$(pwd)
VG_BUILD=${VG_BUILD:-build-vg}
MAP=${VG_MAP_SIZE:-1073741824}
suite=0
names=()
for arg in "$@"; do
	case $arg in
	--suite) suite=1 ;;
	t_*) names+=("$arg") ;;
	*) echo "usage: tests/valgrind.sh [--suite [t_NAME...]]" >&2; exit 2 ;;
	esac
done

command -v valgrind >/dev/null || {
	echo "valgrind.sh: valgrind is not installed (apt-get install" \
	    "valgrind)" >&2
	exit 2
}
for p in dig kdig python3 curl; do
	if ! command -v "$p" >/dev/null; then
		echo "valgrind.sh: $p is missing" >&2
		exit 2
	fi
done

# CFLAGS from the environment, so that the Makefile's own flags
# (warnings, -std=c11) are still added to them.
echo "== building $VG_BUILD (STORE_MAP_SIZE=$MAP)"
if ! CFLAGS="-O1 -g -fno-omit-frame-pointer -DSTORE_MAP_SIZE=$MAP" \
    make -s BUILD="$VG_BUILD" all; then
	echo "valgrind.sh: build failed" >&2
	exit 2
fi
B=$ROOT/$VG_BUILD
T=$(mktemp -d "${TMPDIR:-/tmp}/reputed-valgrind.XXXXXX") || exit 2
WRAP=$T/bin
mkdir -p "$WRAP"
DAEMON_PID=""
HTTP_PID=""
cleanup()
{
	[ -n "$DAEMON_PID" ] && kill -KILL "$DAEMON_PID" 2>/dev/null
	[ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2054 # commas inside valgrind options
VG_OPTS=(--leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes
    --error-exitcode=99 --num-callers=30)
# shellcheck disable=SC2206 # options split on purpose
[ -n "${VALGRIND:-}" ] && VG_OPTS+=($VALGRIND)

# Wrappers with the programs' names: the integration helpers run them
# as $BUILD/reputed-import etc. Each run logs to $T/vg/NAME.PID.log.
mkdir -p "$T/vg"
for prog in reputed reputed-import reputectl; do
	cat >"$WRAP/$prog" <<EOF
#!/bin/sh
exec valgrind ${VG_OPTS[*]} --log-file=$T/vg/$prog.%p.log $B/$prog "\$@"
EOF
	chmod +x "$WRAP/$prog"
done

checks=0
fails=0
ok()
{
	checks=$((checks + 1))
	echo "ok   $*"
}
bad()
{
	checks=$((checks + 1))
	fails=$((fails + 1))
	echo "FAIL $*"
}

# vg_verdict WHAT LOG: the valgrind log says no error and no leak.
vg_verdict()
{
	local what=$1 log=$2 errs
	errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" |
	    tail -n 1)
	if [ "${errs:-x}" = 0 ]; then
		ok "$what: 0 memcheck errors, no leaks"
	else
		bad "$what: ${errs:-no} errors (valgrind log below)"
		sed 's/^/     | /' "$log" | tail -n 80
	fi
}

# vg WANT_RC WHAT CMD...: run a wrapped program; check its exit code
# and its valgrind log.
vg()
{
	local want=$1 what=$2 rc log
	shift 2
	rm -f "$T"/vg/*.log
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	log=$(find "$T/vg" -name '*.log' | head -n 1)
	if [ "$rc" = "$want" ]; then
		ok "$what: exit $rc"
	else
		bad "$what: exit $rc, not $want"
		sed 's/^/     | /' "$T/out" "$T/err" | tail -n 20
	fi
	[ -n "$log" ] && vg_verdict "$what" "$log"
	[ -n "$log" ] || bad "$what: no valgrind log"
}

free_port()
{
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

LISTS=$ROOT/tests/data/lists
mkdir -p "$T/www"
cp "$LISTS/spamhaus-drop/drop.txt" "$LISTS/spamhaus-dropv6/dropv6.txt" \
    "$T/www/"
echo '<html><body>Service unavailable</body></html>' >"$T/www/error.html"
HTTP_PORT=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$HTTP_PORT" \
    >"$T/http.log" 2>&1 &
HTTP_PID=$!
for _ in $(seq 50); do
	curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/" && break
	sleep 0.1
done

PORT=$(free_port)
CONF=$T/reputed.conf
write_conf()
{
	cat >"$CONF" <<EOF
[server]
listen   = 127.0.0.1:$PORT
database = $T/db

[source drop]
url    = http://127.0.0.1:$HTTP_PORT/drop.txt
format = spamhaus-drop
code   = $1
txt    = Listed by \$source: \$reason (\$ip)

[source dropv6]
url    = file://$T/www/dropv6.txt
format = spamhaus-drop

[source broken]
url    = http://127.0.0.1:$HTTP_PORT/error.html

[source local]
code   = 127.0.0.3

[zone bl.test]
sources = drop dropv6 local
EOF
}
write_conf 127.0.0.2
I=$WRAP/reputed-import
C=$WRAP/reputectl

echo "== reputed-import"
vg 1 "import of all (one source refused: HTML)" "$I" -c "$CONF" --force
vg 0 "import, conditional GET (not modified)" "$I" -c "$CONF" --force drop
grep -v '^1\.10\.' "$LISTS/spamhaus-drop/drop.txt" >"$T/drop-less.txt"
vg 0 "import --file" "$I" -c "$CONF" --file "$T/drop-less.txt" --source drop
vg 0 "import --catalog --json" "$I" --catalog --json
vg 2 "import with a bad option" "$I" --bogus

echo "== reputectl"
vg 0 "ctl list add" "$C" -c "$CONF" list add 192.0.2.0/24 --source local \
    --reason "test net" --expires 1d
vg 0 "ctl list add exclusion" "$C" -c "$CONF" list add '!192.0.2.128/25' \
    --source local --reason hole
vg 0 "ctl query" "$C" -c "$CONF" query 192.0.2.1 bl.test
vg 1 "ctl query, not listed" "$C" -c "$CONF" query 192.0.2.200 bl.test
vg 0 "ctl --json query" "$C" -c "$CONF" --json query 2001:678:6c4::1
vg 0 "ctl explain" "$C" -c "$CONF" explain 192.0.2.1
vg 0 "ctl --json explain" "$C" -c "$CONF" --json explain 192.0.2.1
vg 0 "ctl sources" "$C" -c "$CONF" sources
vg 0 "ctl --json sources" "$C" -c "$CONF" --json sources
vg 0 "ctl check" "$C" -c "$CONF" check
vg 0 "ctl --json check" "$C" -c "$CONF" --json check
vg 0 "ctl list del" "$C" -c "$CONF" list del '!192.0.2.128/25' \
    --source local --reason finished
vg 2 "ctl query, bad address" "$C" -c "$CONF" query 300.1.1.1

echo "== reputed"
rm -f "$T"/vg/*.log
"$WRAP/reputed" -v -c "$CONF" >"$T/reputed.log" 2>&1 &
DAEMON_PID=$!
up=0
for _ in $(seq 300); do
	if dig @127.0.0.1 -p "$PORT" +tries=1 +time=1 bl.test SOA 2>/dev/null |
	    grep -q 'status:'; then
		up=1
		break
	fi
	kill -0 "$DAEMON_PID" 2>/dev/null || break
	sleep 0.1
done
if [ "$up" = 1 ]; then
	ok "reputed under valgrind answers"
else
	bad "reputed under valgrind answers"
	tail -n 20 "$T/reputed.log"
fi

# q NAME TYPE [OPTIONS]: one query; its status line in $T/q.
q()
{
	dig @127.0.0.1 -p "$PORT" +tries=1 +time=5 "$@" >"$T/q" 2>&1
}
V6=$(python3 -c 'import ipaddress
print(ipaddress.ip_address("2001:678:6c4::1").reverse_pointer[:-9])')
queries()
{
	local n
	for n in 1.16.10.1.bl.test 1.0.19.1.bl.test 1.2.0.192.bl.test \
	    200.2.0.192.bl.test 2.0.0.127.bl.test 1.0.0.127.bl.test \
	    9.9.9.9.bl.test "$V6.bl.test" bl.test other.example; do
		q "$n" A
		q "$n" TXT
		q "$n" ANY
		q "$n" A +tcp
		q "$n" TXT +bufsize=512 +dnssec
	done
	q bl.test SOA
	q bl.test NS +tcp
	q bl.test AXFR
	kdig @127.0.0.1 -p "$PORT" +retry=0 +timeout=5 +tcp +keepopen \
	    1.16.10.1.bl.test A 1.16.10.1.bl.test TXT >/dev/null 2>&1
	# junk and truncated packets, over UDP and TCP
	python3 - "$PORT" <<'EOF'
import socket, sys
port = int(sys.argv[1])
junk = [b"", b"\x00", b"\x12\x34\x01\x00\x00\x01", b"\xff" * 600,
        b"\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01"]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(0.5)
for j in junk:
    u.sendto(j, ("127.0.0.1", port))
    try:
        u.recv(4096)
    except OSError:
        pass
for j in junk:
    t = socket.create_connection(("127.0.0.1", port), timeout=2)
    t.sendall(len(j).to_bytes(2, "big") + j[:3])
    t.close()
EOF
}
queries
ok "queries answered (UDP, TCP, junk)"

echo "-- SIGHUP with a new code, then with a broken file"
write_conf 127.0.0.9
kill -HUP "$DAEMON_PID"
for _ in $(seq 100); do
	grep -q 'reloaded' "$T/reputed.log" && break
	sleep 0.1
done
q +short 1.0.19.1.bl.test A
if grep -q 127.0.0.9 "$T/q"; then
	ok "reload applied"
else
	bad "reload applied"
fi
cp "$CONF" "$T/good.conf"
printf 'bogus = 1\n[zone broken\n' >>"$CONF"
kill -HUP "$DAEMON_PID"
for _ in $(seq 100); do
	grep -q 'reload failed' "$T/reputed.log" && break
	sleep 0.1
done
cp "$T/good.conf" "$CONF"
echo "-- a live import while it runs"
"$B/reputed-import" -c "$CONF" --file "$LISTS/spamhaus-drop/drop.txt" \
    --source drop >/dev/null 2>&1
sleep 2
queries

kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"
rc=$?
DAEMON_PID=""
if [ "$rc" = 0 ]; then
	ok "reputed exits 0 after SIGTERM"
else
	bad "reputed exits 0 after SIGTERM (exit $rc)"
	tail -n 20 "$T/reputed.log" | sed 's/^/     | /'
fi
log=$(find "$T/vg" -name 'reputed.*.log' | head -n 1)
if [ -n "$log" ]; then
	vg_verdict "reputed, after SIGTERM" "$log"
else
	bad "reputed: no valgrind log"
fi
kill "$HTTP_PID" 2>/dev/null
wait "$HTTP_PID" 2>/dev/null
HTTP_PID=""

if [ "$suite" = 1 ]; then
	echo "== integration tests under valgrind"
	if BUILD=$WRAP INTEGRATION_TIMEOUT=${INTEGRATION_TIMEOUT:-1200} \
	    RUN_TIMEOUT=${RUN_TIMEOUT:-600} tests/integration/run.sh \
	    "${names[@]}"; then
		ok "integration tests under valgrind"
	else
		bad "integration tests under valgrind"
	fi
	# Every program run by the suite left a log; none may have errors.
	n=0
	for log in "$T"/vg/*.log; do
		[ -f "$log" ] || continue
		n=$((n + 1))
		grep -q 'ERROR SUMMARY: 0 errors' "$log" ||
		    vg_verdict "suite: $(basename "$log" .log)" "$log"
	done
	ok "suite: $n valgrind logs read"
fi

echo "valgrind: $((checks - fails)) of $checks checks passed"
[ "$fails" -eq 0 ]
