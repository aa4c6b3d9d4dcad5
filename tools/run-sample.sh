#!/bin/sh
# run-sample.sh BUILD -- what `make run` does: import the sample lists of
# examples/reputed.conf (examples/data/) into its store, print the dig
# commands to try, then run the DNS daemon in the foreground (Ctrl-C stops
# it). Without a built daemon it shows the store with reputectl instead.
set -u

cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
CONF=examples/reputed.conf

[ -f "$CONF" ] || { echo "run-sample: $CONF is missing" >&2; exit 2; }
echo "== $BUILD/reputed-import -c $CONF --force"
if ! "$BUILD/reputed-import" -c "$CONF" --force 2>"$BUILD/run-sample.err"
then
	cat "$BUILD/run-sample.err" >&2
	# The sample store is only these lists: one of an older schema
	# version (from an earlier build) is set aside and made anew.
	db=var/reputed.db
	if grep -q "has schema version" "$BUILD/run-sample.err" &&
	    [ -d "$db" ]; then
		old=$db.old-$(date +%Y%m%d%H%M%S)
		echo "run-sample: moving the sample store $db to $old" >&2
		mv "$db" "$old" &&
		    "$BUILD/reputed-import" -c "$CONF" --force
	fi ||
	    echo "run-sample: some sources failed to import (see above)" >&2
else
	cat "$BUILD/run-sample.err" >&2
fi

# conf_value SECTION KEY: the first value of KEY in the first [SECTION...]
# of the configuration, without a trailing " ; comment".
conf_value()
{
	awk -v sec="$1" -v key="$2" '
	/^[ \t]*\[/ { insec = (tolower($0) ~ "^[ \t]*\\[" sec) ; next }
	insec && tolower($0) ~ "^[ \t]*" key "[ \t]*=" {
		sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t]+;.*$/, "")
		sub(/[ \t]+$/, ""); print; exit }' "$CONF"
}

# An address to try: the first entry of the first file: list of the
# configuration (a network's first address reads oddly: take the next one),
# else a documentation address.
addr=""
url=$(conf_value source url | head -n 1)
case $url in
file://*) file=${url#file://} ;;
file:/*) file=${url#file:} ;;
file:?*) file=$(dirname "$CONF")/${url#file:} ;;
*) file="" ;;
esac
if [ -n "$file" ] && [ -f "$file" ]; then
	first=$(grep -v '^[[:space:]]*[#;]' "$file" |
	    grep -m 1 -oE '^[[:space:]]*[0-9A-Fa-f.:]+(/[0-9]+)?' |
	    tr -d '[:space:]')
	addr=${first%%/*}
	case $first in
	*.0/*) addr=${addr%.0}.1 ;;
	esac
fi
case $addr in
*.*.*.*) ;;
*) addr=192.0.2.77 ;;
esac

if [ -x "$BUILD/reputed" ]; then
	listen=$(conf_value server listen)
	listen=${listen%%[ 	]*}
	[ -n "$listen" ] || listen=127.0.0.1:5353
	host=${listen%:*}
	port=${listen##*:}
	host=${host#\[}
	host=${host%\]}
	zone=$(awk '/^[ \t]*\[zone[ \t]/ {
		sub(/^[ \t]*\[zone[ \t]+/, ""); sub(/\].*$/, ""); print; exit }' \
	    "$CONF")
	[ -n "$zone" ] || zone=bl.reputed.test
	rev=$(echo "$addr" | awk -F. '{ print $4 "." $3 "." $2 "." $1 }')
	d="dig @$host -p $port"
	echo
	echo "== $BUILD/reputed -c $CONF (Ctrl-C stops it)"
	echo "Try, from another terminal:"
	echo
	printf '  %-56s # %s\n' \
	    "$d 2.0.0.127.$zone A" "127.0.0.2, the RFC 5782 test point" \
	    "$d 2.0.0.127.$zone TXT" "its TXT record" \
	    "$d +tcp 1.0.0.127.$zone A" "NXDOMAIN with the zone's SOA" \
	    "$d $rev.$zone A" "$addr, listed in $(basename "$file")" \
	    "$d $rev.$zone TXT" "why: the source's txt template" \
	    "$BUILD/reputectl -c $CONF explain $addr" "the whole story"
	echo
	exec "$BUILD/reputed" -c "$CONF"
fi

echo
echo "The DNS daemon ($BUILD/reputed) is not built. Meanwhile the store"
echo "can be read with reputectl:"
echo
echo "== $BUILD/reputectl -c $CONF sources"
"$BUILD/reputectl" -c "$CONF" sources
echo
echo "== $BUILD/reputectl -c $CONF explain $addr"
"$BUILD/reputectl" -c "$CONF" explain "$addr"
echo
echo "Try also: $BUILD/reputectl -c $CONF query $addr"
exit 0
