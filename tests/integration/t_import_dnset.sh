#!/bin/bash
# t_import_dnset.sh -- reputed-import --file of rbldnsd dnset data (two
# files, one dataset) into a store, then again with changes: counts,
# warnings, the metadata, sources and check.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

DATA=$ROOT/tests/data/rbldnsd
cp "$DATA/dnset-a.zone" "$T/a.zone"
cp "$DATA/dnset-b.zone" "$T/b.zone"

make_conf <<EOF
[source dn]
format       = rbldnsd-dnset
code         = 127.0.0.2
txt          = \$rbldnsd_txt
strict-cidr  = yes
max-rejected = 100%
max-shrink   = 100%

[zone dn.test]
sources = dn
soa     = ns.dn.test hostmaster.dn.test
ns      = ns.dn.test
EOF

log "first import: both files as one dataset"
expect_exit 0 run_import --print-meta --source dn --file "$T/a.zone" \
    --file "$T/b.zone"
expect_match "$OUT" '^dn: 39 entries, \+39 -0 =0, 0 rejected' \
    "the sample dnset data gives 39 name entries"
expect_contains "$OUT" "$(printf 'meta\tdn\tttl\t1200')" \
    "the last \$TTL is the dataset's"
expect_contains "$OUT" "$(printf 'meta\tdn\texclusions\t7')" \
    "the exclusions are counted"
expect_eq "$ERR" "" "no warnings for the sample data"

expect_exit 0 ctl sources
expect_match "$OUT" 'dn +39 ' "sources counts the name entries"
expect_exit 0 ctl check
expect_contains "$OUT" "store OK (39 entries)" "check accepts name entries"

log "reputectl query and explain of names"
expect_exit 0 ctl query a.below.example.org
expect_contains "$OUT" "127.0.0.5" "query of a name below *.x shows its A"
expect_contains "$OUT" "second file, same name" \
    "query shows the TXT of both files' values"
expect_exit 1 ctl query ok.tree.example.org dn.test
expect_contains "$OUT" "not listed" "an excluded name is not listed"
expect_exit 0 ctl explain a.below.example.org
expect_contains "$OUT" "listed by *.below.example.org" \
    "explain names the entry that decides by its name"
expect_exit 1 ctl explain treex.example
expect_contains "$OUT" "excluded by !treex.example" \
    "explain shows the exclusion that wins"
expect_contains "$OUT" ".treex.example" "and the other entry of the name"
expect_exit 0 ctl --json explain multi.example
expect_json "$OUT" "explain --json of a name is JSON"
expect_contains "$OUT" '"prefix": "multi.example"' \
    "explain --json shows the entry by its name"
expect_exit 2 ctl explain 'not a name'

log "second import: a name gone, one added, one changed, a bad line"
sed -i -e '/^multi.example :12:second$/d' -e 's/^second.example$/third.example/' \
    -e 's/^\.tree2.example :25$/.tree2.example :25:now with a TXT/' \
    "$T/b.zone"
sed -i 's/^exact.example.com$/exact.example.com\n*./' "$T/a.zone"
expect_exit 0 run_import --source dn --file "$T/a.zone" --file "$T/b.zone"
# multi.example keeps its other values (changed), second.example goes,
# third.example comes, .tree2.example changes.
expect_match "$OUT" '^dn: 39 entries, \+1 -1 =38, 1 rejected' \
    "the second import counts what changed"
expect_match "$ERR" 'a.zone:[0-9]+: invalid domain name' \
    "a bad name is reported as file:line"
expect_exit 0 ctl check
expect_contains "$OUT" "store OK (39 entries)" "the store is consistent"

log "an unknown dataset type of combined data still fails the import"
printf '$DATASET nosuchtype @\nx.example\n' >"$T/c.zone"
cat >>"$CONF" <<EOF

[source c]
format = rbldnsd-combined
EOF
expect_fail run_import --source c --file "$T/c.zone" --part 1

finish
