#!/bin/sh
# install-deps.sh [--bench] [--fuzz] -- install the Debian packages reputed
# needs, if missing. Run by `make test`, `make run`, `make bench` and
# `make fuzz`; a no-op once installed. --bench adds what the DNS benchmark
# compares against: the load generator dnsperf and the reference DNSBL
# server rbldnsd. --fuzz adds clang and its libFuzzer runtime.
set -eu
PKGS="build-essential pkg-config libuv1-dev liblmdb-dev libldns-dev
libmaxminddb-dev libcurl4-openssl-dev libjansson-dev libinih-dev
libcmocka-dev lmdb-utils dnsutils knot-dnsutils ldnsutils python3 curl
libmaxmind-db-writer-perl rbldnsd"
for arg in "$@"; do
	case $arg in
	--bench) PKGS="$PKGS dnsperf rbldnsd" ;;
	--fuzz) PKGS="$PKGS clang libclang-rt-14-dev" ;;
	--valgrind) PKGS="$PKGS valgrind" ;;
	*) echo "usage: install-deps.sh [--bench] [--fuzz] [--valgrind]" >&2
	   exit 2 ;;
	esac
done
missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || echo "install-deps: apt-get update failed, trying anyway" >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
