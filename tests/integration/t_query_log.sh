#!/bin/bash
# t_query_log.sh -- `reputed --rbldnsd -l FILE -s FILE -c 1`: rbldnsd's
# query log (a line per answer: the name as sent, type, class, rcode,
# answer count and size, as dig saw them; over TCP too), reopened on
# SIGHUP after a rename, unbuffered with "+", a warning (not an exit)
# when it cannot be opened; and the statistics file (a bare time line at
# start and stop, a line per -c second in between whose per-zone and
# total counters agree with the log, per interval with "+"). When
# Debian's rbldnsd is installed, both log the same line for the same
# queries.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_rbldnsd.sh
. "$(dirname "$0")/lib_rbldnsd.sh"

LOGS=$T/logs
SRV_LOG=$T/server.log
# As root, both servers run as $RUN_USER (rbldnsd refuses root): what
# they read must be readable, and the log directory writable, by it.
USER_OPT=()
[ "$(id -u)" = 0 ] && USER_OPT=(-u "$RUN_USER")
ZONES=(bl.test:ip4set:bl.zone v6.test:ip6trie:bl6.zone)

data_dir
mkdir -p "$LOGS"
chmod 777 "$LOGS"
cat >"$DATA/bl.zone" <<'EOF'
$SOA 1h ns.bl.test. hm.bl.test. 1 1h 15m 1w 5m
$NS 1h ns.bl.test
:127.0.0.2:Listed: $
192.0.2.1
192.0.2.2 :127.0.0.3:spam source
127.0.0.2
EOF
cat >"$DATA/bl6.zone" <<'EOF'
2001:db8::/32 :4:v6
EOF
chmod 644 "$DATA"/*

# wait_until SECONDS CMD...: run CMD every 0.1 s until it succeeds; 1 if
# it never did.
wait_until()
{
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		"${@:2}" && return 0
		sleep 0.1
	done
	return 1
}

# start_server OPTS...: reputed --rbldnsd in the foreground on a free
# port, -w $DATA, OPTS, the two zones; waits until it answers.
start_server()
{
	PORT=$(free_port)
	rbl_start REP_PID "$PORT" "reputed --rbldnsd" "$SRV_LOG" \
	    "$REPUTED" --rbldnsd -n "${USER_OPT[@]}" -a -w "$DATA" "$@"
}

stop_server()
{
	stop_pid REP_PID
}

# The line rbldnsd would log for dig's last answer, without the time and
# the client: "NAME TYPE CLASS: RCODE/ANCOUNT/SIZE".
EXPECT=()
# q NAME TYPE [dig options...]: ask $PORT with dig; what the log must
# say is appended to EXPECT.
q()
{
	local name=$1 type=$2 st an size
	shift 2
	run dig @127.0.0.1 -p "$PORT" +tries=1 +time=2 "$@" "$name" "$type"
	st=$(printf '%s\n' "$OUT" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p')
	an=$(printf '%s\n' "$OUT" | sed -n 's/.*ANSWER: \([0-9]*\),.*/\1/p')
	size=$(printf '%s\n' "$OUT" | sed -n 's/.*MSG SIZE  rcvd: \([0-9]*\).*/\1/p')
	[ "$st" = NOTIMP ] && st=NOTIMPL
	[ "$type" = CAA ] && type=type257	# rbldnsd's name for it
	[ -n "$st" ] && [ -n "$size" ] || { fail "dig $name $type"; show_last; return; }
	EXPECT+=("$name $type IN: $st/$an/$size")
}

# log_lines FILE...: the lines, without the readiness probes (". SOA",
# from ready() and from the supervisor's own check).
log_lines()
{
	cat "$@" 2>/dev/null | grep -v '^[0-9]* 127\.0\.0\.1 \. SOA IN: '
}

# stats_field LINE ZONE N: field N (1 tot, 2 ok, 3 nxd, 4 in, 5 out) of
# ZONE in a statistics line.
stats_field()
{
	printf '%s\n' "$1" | tr ' ' '\n' | grep "^$2:" | cut -d: -f$(($3 + 1))
}

# sum_log FILE... ZONE_RE: "tot ok nxd out" of the log lines whose name
# matches ZONE_RE (case-insensitive; "" for every line).
sum_log()
{
	local re=$1
	shift
	cat "$@" | awk -v re="$re" '
	    re == "" || tolower($3) ~ re {
		split($6, f, "/"); n++; out += f[3]
		if (f[1] == "NOERROR") ok++
		if (f[1] == "NXDOMAIN") nxd++
	    }
	    END { printf "%d %d %d %d\n", n, ok, nxd, out }'
}

LINE_RE='^[0-9]{10,} 127\.0\.0\.1 [^ ]+ [A-Za-z0-9_]+ [A-Za-z0-9]+: [A-Z0-9]+/[0-9]+/[0-9]+$'

# ---- Buffered log, totals; relative names are taken after -w ----------
log "buffered query log, statistics totals"
start_server -c 1 -l ../logs/q.log -s ../logs/s.log
expect_not_contains "$(cat "$SRV_LOG")" "accepted but ignored: no query" \
    "-l is no longer ignored"
q 1.2.0.192.bl.test A +noedns
q 1.2.0.192.BL.Test TXT
q 2.2.0.192.bl.test A
q 10.2.0.192.bl.test A
q 1.2.0.192.bl.test AAAA
q bl.test SOA
q 1.2.0.192.bl.test CAA
q 1.2.0.192.elsewhere.test A
q "$(python3 -c 'import ipaddress
print(ipaddress.ip_address("2001:db8::1").reverse_pointer[:-9])').v6.test" TXT
q 1.2.0.192.bl.test A +tcp

# Rotation: rename, SIGHUP to the supervisor; the server reopens.
wait_until 5 test -e "$LOGS/q.log" || fail "the query log is created at start"
mv "$LOGS/q.log" "$LOGS/q.log.1"
kill -HUP "$REP_PID"
if wait_until 10 test -e "$LOGS/q.log"; then
	pass "SIGHUP reopens the query log under its name"
else
	fail "SIGHUP reopens the query log under its name"
	cat "$SRV_LOG"
fi
ROTATED=${#EXPECT[@]}
q 2.0.0.127.bl.test A
q 3.2.0.192.Bl.TEST A
sleep 2.2			# two -c intervals: statistics lines
stop_server

# Every line well formed; the lines are dig's answers, in order.
bad=$(log_lines "$LOGS/q.log.1" "$LOGS/q.log" | grep -vE "$LINE_RE")
expect_eq "$bad" "" "every query log line has rbldnsd's form"
got=$(log_lines "$LOGS/q.log.1" "$LOGS/q.log" | cut -d' ' -f3-)
want=$(printf '%s\n' "${EXPECT[@]}")
expect_eq "$got" "$want" "a line per answer: name as sent, type, class, rcode, answers, size"
got=$(log_lines "$LOGS/q.log.1" | cut -d' ' -f3-)
want=$(printf '%s\n' "${EXPECT[@]:0:$ROTATED}")
expect_eq "$got" "$want" "the lines before SIGHUP are in the renamed file"
got=$(log_lines "$LOGS/q.log" | cut -d' ' -f3-)
want=$(printf '%s\n' "${EXPECT[@]:$ROTATED}")
expect_eq "$got" "$want" "the lines after SIGHUP are in the new file"
expect_contains "$(cat "$LOGS/q.log.1")" " 1.2.0.192.bl.test type257 IN: " \
    "an unnamed type is written as rbldnsd does (type257)"
now=$(date +%s)
t0=$(head -n 1 "$LOGS/q.log.1" | cut -d' ' -f1)
if [ -n "$t0" ] && [ $((now - t0)) -ge 0 ] && [ $((now - t0)) -lt 60 ]; then
	pass "lines start with the unix time"
else
	fail "lines start with the unix time (got '$t0', now $now)"
fi

# The statistics file: a bare line, lines every second, the last line of
# counters, a bare line.
S=$(cat "$LOGS/s.log")
first=$(printf '%s\n' "$S" | head -n 1)
last=$(printf '%s\n' "$S" | tail -n 1)
final=$(printf '%s\n' "$S" | tail -n 2 | head -n 1)
expect_match "$first" '^[0-9]{10,}$' "the statistics file starts with a bare time line"
expect_match "$last" '^[0-9]{10,}$' "... and ends with one at stop"
nlines=$(printf '%s\n' "$S" | grep -cE '^[0-9]+ bl\.test:[0-9:]+ v6\.test:[0-9:]+ \*:[0-9:]+$')
if [ "$nlines" -ge 3 ]; then
	pass "a line of counters every -c second ($nlines lines)"
else
	fail "a line of counters every -c second ($nlines lines)"
	printf '%s\n' "$S"
fi
read -r tot ok nxd out <<<"$(sum_log '(^|[.])bl[.]test$' "$LOGS/q.log.1" "$LOGS/q.log")"
expect_eq "$(stats_field "$final" bl.test 1):$(stats_field "$final" bl.test 2):$(stats_field "$final" bl.test 3):$(stats_field "$final" bl.test 5)" \
    "$tot:$ok:$nxd:$out" "bl.test's totals (queries, NOERROR, NXDOMAIN, bytes out) are the log's"
read -r tot ok nxd out <<<"$(sum_log "" "$LOGS/q.log.1" "$LOGS/q.log")"
expect_eq "$(stats_field "$final" '\*' 1):$(stats_field "$final" '\*' 2):$(stats_field "$final" '\*' 3):$(stats_field "$final" '\*' 5)" \
    "$tot:$ok:$nxd:$out" "the * totals are every logged answer's (other zones, no zone)"
in=$(stats_field "$final" bl.test 4)
if [ "${in:-0}" -gt 0 ] && [ "$(stats_field "$final" v6.test 1)" = 1 ]; then
	pass "bytes received and the v6.test zone are counted"
else
	fail "bytes received and the v6.test zone are counted: $final"
fi

# ---- Unbuffered log, per-interval statistics --------------------------
log "unbuffered query log (+), statistics deltas (+)"
rm -f "$LOGS"/*
start_server -c 1 -l "+$LOGS/q.log" -s "+$LOGS/s.log"
EXPECT=()
q 1.2.0.192.bl.test A
if wait_until 5 grep -q ' 1.2.0.192.bl.test A IN: NOERROR/1/' "$LOGS/q.log"; then
	pass "with +, a line is written at once"
else
	fail "with +, a line is written at once"
fi
q 10.2.0.192.bl.test A
sleep 2.2
q 11.2.0.192.bl.test A
sleep 1.2
stop_server
S=$(cat "$LOGS/s.log")
sum=$(printf '%s\n' "$S" | tr ' ' '\n' | grep '^bl\.test:' |
    awk -F: '{ t += $2; o += $3; n += $4 } END { print t ":" o ":" n }')
expect_eq "$sum" "3:1:2" "with +, the lines count per interval: they add up to the queries"
zeros=$(printf '%s\n' "$S" | grep -c ' bl\.test:0:0:0:0:0 ')
if [ "$zeros" -ge 1 ]; then
	pass "an interval without queries says 0"
else
	fail "an interval without queries says 0"
	printf '%s\n' "$S"
fi

# ---- A log that cannot be opened: a warning, the server serves --------
log "an unwritable query log"
start_server -c 0 -l "$T/no/such/dir/q.log"
q 1.2.0.192.bl.test A
expect_eq "$(printf '%s\n' "$OUT" | grep -c 'status: NOERROR')" 1 \
    "the server answers without its query log"
stop_server
expect_contains "$(cat "$SRV_LOG")" "query log $T/no/such/dir/q.log: No such file or directory" \
    "the query log that cannot be opened is a warning"

# ---- The same lines as Debian's rbldnsd ------------------------------
if [ -x "$RBLDNSD" ]; then
	log "the same line as $RBLDNSD"
	rm -f "$LOGS"/*
	RBL_PORT=$(free_port)
	rbl_start RBL_PID "$RBL_PORT" rbldnsd "$T/rbldnsd.out" \
	    "$RBLDNSD" -n "${USER_OPT[@]}" -a -w "$DATA" -c 0 -l "+$LOGS/rbl.log"
	start_server -c 0 -l "+$LOGS/rep.log"
	# UDP, no EDNS (rbldnsd answers without an OPT below 512 bytes,
	# reputed echoes one: docs/rbldnsd.md).
	QS=("1.2.0.192.bl.test A" "1.2.0.192.Bl.Test TXT" "2.2.0.192.bl.test A"
	    "10.2.0.192.bl.test A" "10.2.0.192.bl.test MX" "bl.test SOA"
	    "1.2.0.192.example.org A" "1.2.0.192.bl.test CAA")
	for qq in "${QS[@]}"; do
		# shellcheck disable=SC2086
		dig @127.0.0.1 -p "$RBL_PORT" +tries=1 +time=2 +noedns +notcp $qq >/dev/null 2>&1
		# shellcheck disable=SC2086
		dig @127.0.0.1 -p "$PORT" +tries=1 +time=2 +noedns +notcp $qq >/dev/null 2>&1
	done
	stop_server
	stop_pid RBL_PID
	rbl=$(log_lines "$LOGS/rbl.log" | cut -d' ' -f2-)
	rep=$(log_lines "$LOGS/rep.log" | cut -d' ' -f2-)
	# Each query alone: a difference is named by its query.
	for ((i = 1; i <= ${#QS[@]}; i++)); do
		a=$(printf '%s\n' "$rbl" | sed -n "${i}p")
		b=$(printf '%s\n' "$rep" | sed -n "${i}p")
		case ${QS[$((i - 1))]} in
		*CAA)
			# rbldnsd: NOTIMP, reputed: an ordinary type
			# (docs/rbldnsd.md "qtype-notimp").
			expect_eq "${b%%:*}" "${a%%:*}" "rbldnsd's line for ${QS[$((i - 1))]} (but the answer)"
			;;
		*)
			expect_eq "$b" "$a" "rbldnsd's line for ${QS[$((i - 1))]}"
			;;
		esac
	done
else
	log "$RBLDNSD is not installed: no comparison with rbldnsd"
fi
finish
