#!/bin/sh
# run-sample.sh BUILD -- what `make run` does: import the sample lists of
# examples/reputed.conf into its store, then run the DNS daemon in the
# foreground if it is built; until then, show the store with reputectl.
set -u

cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build}
CONF=examples/reputed.conf

[ -f "$CONF" ] || { echo "run-sample: $CONF is missing" >&2; exit 2; }
echo "== $BUILD/reputed-import -c $CONF --force"
"$BUILD/reputed-import" -c "$CONF" --force ||
    echo "run-sample: some sources failed to import (see above)" >&2

if [ -x "$BUILD/reputed" ]; then
	echo "== $BUILD/reputed -c $CONF (Ctrl-C stops it)"
	exec "$BUILD/reputed" -c "$CONF"
fi

# An address to explain: the first entry of the first file: list of the
# configuration, else a documentation address.
addr=""
url=$(sed -n 's/^[[:space:]]*url[[:space:]]*=[[:space:]]*file:\(.*\)$/\1/p' \
    "$CONF" | head -n 1 | sed 's/[[:space:]]*$//')
case $url in
//*) file=${url#//} ;;
/*) file=$url ;;
?*) file=$(dirname "$CONF")/$url ;;
*) file="" ;;
esac
if [ -n "$file" ] && [ -f "$file" ]; then
	first=$(grep -v '^[[:space:]]*[#;]' "$file" |
	    grep -m 1 -oE '^[[:space:]]*[0-9A-Fa-f.:]+(/[0-9]+)?' |
	    tr -d '[:space:]')
	addr=${first%%/*}
	# A network's first address reads oddly: take the next one.
	case $first in
	*.0/*) addr=${addr%.0}.1 ;;
	esac
fi
[ -n "$addr" ] || addr=192.0.2.77

echo
echo "The DNS daemon (reputed) comes with the next issue. Meanwhile the"
echo "store can be read with reputectl:"
echo
echo "== $BUILD/reputectl -c $CONF sources"
"$BUILD/reputectl" -c "$CONF" sources
echo
echo "== $BUILD/reputectl -c $CONF explain $addr"
"$BUILD/reputectl" -c "$CONF" explain "$addr"
echo
echo "Try also: $BUILD/reputectl -c $CONF query $addr"
exit 0
