#!/bin/bash
# t_rbldnsd_compat.sh -- Debian's rbldnsd and `reputed --rbldnsd` on the
# same command line and data files (tests/data/rbldnsd/ and the rbldnsd
# fixtures of tests/data/lists/), asked the same generated questions by
# rbldnsd_diff.py: every difference in their answers must be one that
# docs/rbldnsd.md lists, or the test fails.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=lib_rbldnsd.sh
. "$(dirname "$0")/lib_rbldnsd.sh"
need_rbldnsd

data_dir "$ROOT"/tests/data/rbldnsd/*.zone \
    "$(fixture rbldnsd-uceprotect/dnsbl-1.uceprotect.net)" \
    "$(fixture rbldnsd-uceprotect/dnsbl-2.uceprotect.net)" \
    "$(fixture rbldnsd-backscatterer/ips.backscatterer.org)"

ZONES=(
	set.test:ip4set:ip4set-a.zone,ip4set-b.zone
	sub.set.test:ip4trie:sub.zone
	trie.test:ip4trie:ip4trie.zone
	tset.test:ip4tset:ip4tset.zone
	v6.test:ip6trie:ip6trie.zone
	v6t.test:ip6tset:ip6tset.zone
	multi.test:ip4set:multi-a.zone
	multi.test:ip4trie:multi-b.zone
	multi.test:ip6trie:multi6.zone
	base.test:ip4set:base.zone
	nosoa.test:ip4set:nosoa.zone
	combo.test:combined:combined.zone
	dn.test:dnset:dnset-a.zone,dnset-b.zone
	multi.test:dnset:dnset-b.zone
	combo-dn.test:combined:dnset-combined.zone
	uce1.test:ip4set:dnsbl-1.uceprotect.net
	uce2.test:ip4set:dnsbl-2.uceprotect.net
	bsc.test:ip4set:ips.backscatterer.org
)
# -a: rbldnsd's minimal answers, which reputed always gives (see
# docs/rbldnsd.md); -t exercises the TTL limits.
OPTS=(-n -u "$RUN_USER" -a -w "$DATA" -t 25m:1m:1d -c 60)

start_both

expect_contains "$(cat "$T/reputed.log")" "option -a accepted but ignored" \
    "an ignored option is reported"
expect_contains "$(cat "$T/reputed.log")" "ip4set-a.zone:45: host bits set" \
    "a bad line is reported with its file and line"

compare_both rbldnsd_diff.py \
    "every answer is rbldnsd's or a documented difference" \
    "answers differ from rbldnsd's beyond docs/rbldnsd.md"

# The store directory was private: it goes with the server.
STORE=$(sed -n 's/^reputed: store \([^,]*\),.*/\1/p' "$T/reputed.log" | head -n 1)
stop_both
if [ -n "$STORE" ] && [ ! -e "$STORE" ]; then
	pass "the temporary store $STORE is removed at exit"
else
	fail "the temporary store '$STORE' is still there"
fi
finish
