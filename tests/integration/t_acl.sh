#!/bin/bash
# t_acl.sh -- access control (allow, deny in [server] and each [zone]):
# a private zone allowed to 127.0.0.2/32 answers it and refuses
# 127.0.0.3 (REFUSED, AA clear, nothing of the zone, over UDP and TCP,
# whatever the type), while the public zone answers both; [server]'s
# deny refuses a client everywhere and wins over an allow; a reload
# changes the lists. Every 127.0.0.x is loopback: dig -b picks the
# client address.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_dns.sh
. "$(dirname "$0")/lib_dns.sh"

# shellcheck disable=SC2016 # $source, $reason: reputed's, in txt
drop_conf -z public.test -s 'txt  = Listed by $source: $reason' \
    'deny = 127.0.0.9'
cat >>"$CONF" <<EOF

[source secret]
code = 127.0.0.5
txt  = private listing

[zone private.test]
sources = secret
allow   = 127.0.0.2/32
EOF
import_or_die --force drop
ctl list add 192.0.2.77 --source secret --reason private
[ "$RC" = 0 ] || { show_last; die "list add failed"; }
start_reputed

PUB=$(revname 1.10.16.1 public.test)
PRIV=$(revname 192.0.2.77 private.test)

# from SRC: dig options for a query from 127.0.0.SRC
from()
{
	echo "-b" "127.0.0.$1"
}

log "the private zone answers 127.0.0.2 only"
# shellcheck disable=SC2046
{
	expect_a "$PRIV" 127.0.0.5 -- $(from 2)
	expect_a "$PRIV" 127.0.0.5 -- $(from 2) +tcp
	expect_txt "$PRIV" "private listing" $(from 2)
	expect_rcode private.test NOERROR SOA $(from 2)
	for t in A TXT ANY SOA NS; do
		expect_rcode "$PRIV" REFUSED "$t" $(from 3)
		expect_rcode "$PRIV" REFUSED "$t" $(from 3) +tcp
	done
	expect_rcode private.test REFUSED SOA $(from 3)
	expect_rcode "$(revname 198.51.100.1 private.test)" REFUSED A $(from 3)
	dq $(from 3) "$PRIV" TXT
	expect_not_contains "$OUT" "private listing" "no private TXT for 127.0.0.3"
	expect_not_contains "$OUT" "127.0.0.5" "no private A for 127.0.0.3"
	expect_eq "$(section ANSWER)$(section AUTHORITY)" "" \
	    "a refused answer has no records"
	expect_not_contains "$(printf '%s\n' "$OUT" | grep flags:)" " aa" \
	    "a refused answer is not authoritative"
	CLIENT=kdig expect_rcode "$PRIV" REFUSED A $(from 3)
}

log "the public zone answers both"
# shellcheck disable=SC2046
{
	expect_a "$PUB" 127.0.0.2 -- $(from 2)
	expect_a "$PUB" 127.0.0.2 -- $(from 3)
	expect_a "$PUB" 127.0.0.2 -- $(from 3) +tcp
	expect_rcode "$(revname 198.51.100.1 public.test)" NXDOMAIN A $(from 3)
}

log "[server] deny = 127.0.0.9: refused everywhere"
# shellcheck disable=SC2046
{
	expect_rcode "$PUB" REFUSED A $(from 9)
	expect_rcode "$PUB" REFUSED A $(from 9) +tcp
	expect_rcode public.test REFUSED SOA $(from 9)
	expect_a "$PUB" 127.0.0.2 -- $(from 8)
}

log "reload: deny wins over allow, in [server] and in a zone"
sed -i 's/^deny = 127.0.0.9/allow = 127.0.0.0\/24\ndeny = 127.0.0.9/' "$CONF"
sed -i 's/^allow   = 127.0.0.2\/32/allow   = 127.0.0.2\/31\ndeny    = 127.0.0.2/' \
    "$CONF"
kill -HUP "$REPUTED_PID"
wait_for 5 grep -q "reloaded" "$REPUTED_LOG" || fail "reloaded"
# shellcheck disable=SC2046
{
	expect_rcode "$PRIV" REFUSED A $(from 2)
	expect_a "$PRIV" 127.0.0.5 -- $(from 3)
	expect_rcode "$PRIV" REFUSED A $(from 4)
	expect_rcode "$PUB" REFUSED A $(from 9)
	expect_a "$PUB" 127.0.0.2 -- $(from 2)
	expect_a "$PUB" 127.0.0.2 -- $(from 4)
}
# Outside [server]'s allow (127.0.0.0/24): 127.0.1.1.
run dig @127.0.0.1 -p "$REPUTED_PORT" -b 127.0.1.1 "${DIG_OPTS[@]}" "$PUB" A
expect_eq "$(status_of "$OUT")" REFUSED "outside [server] allow: REFUSED"

log "a bad list is a configuration error"
sed -i 's/^deny    = 127.0.0.2/deny    = 127.0.0.2\/8/' "$CONF"
expect_exit 2 "$REPUTED" -t -c "$CONF"
expect_contains "$ERR" "deny: 127.0.0.2/8 has bits set past /8 (127.0.0.0/8?)" \
    "the bad prefix is named, with the likely meaning"

stop_reputed
finish
