#!/usr/bin/env bash
# The shipped world's files as data: the Python self-check (check_data.py), and
# the pact spells (check_pacts.py): internally consistent always; against the
# ATOP 5.1 member file when ../shared/data/atop is present, no obligation may
# precede the ATOP phase that creates it. A copy with the EU's Lisbon defence
# clause back-dated to Maastricht (the error of the v1 derivation) must fail.
. "$(dirname "$0")/lib.sh"
world="$ENT_SRC/data"
py=/usr/bin/python3
[ -x "$py" ] || { echo "skip: $py absent"; exit 77; }

expect_exit 0 -- "$py" "$world/scripts/check_data.py"
expect_in "$TMPD/out" "data check OK"
expect_exit 0 -- "$py" "$world/scripts/check_pacts.py" "$world" "$DATA/atop"
expect_in "$TMPD/out" "pact check OK"

# Internal consistency: a member's two spells in one pact must not overlap.
mkdir -p "$TMPD/w"
cp "$world"/*.csv "$TMPD/w/"
sed -i 's/^eu_teu,220,1992-02-07,2007-11-12,/eu_teu,220,1992-02-07,2007-11-13,/' "$TMPD/w/pact_members.csv"
expect_exit 1 -- "$py" "$world/scripts/check_pacts.py" "$TMPD/w" "$TMPD/no-atop"
expect_in "$TMPD/err" "eu_teu, state 220: spell overlaps the next one"

if [ -f "$DATA/atop/atop5_1m.csv" ]; then
    # Back-date France's defence obligation in the EU treaty to 1992: the v1 error.
    cp "$world/pact_members.csv" "$TMPD/w/"
    sed -i 's/^eu_teu,220,1992-02-07,2007-11-12,0,/eu_teu,220,1992-02-07,2007-11-12,1,/' "$TMPD/w/pact_members.csv"
    expect_exit 1 -- "$py" "$world/scripts/check_pacts.py" "$TMPD/w" "$DATA/atop"
    expect_in "$TMPD/err" "eu_teu, state 220: defense from 1992-02-07 precedes the ATOP phase that creates it"
    # Drop the SCO's consultation obligation (2001 Shanghai Convention) from Russia's second spell.
    cp "$world/pact_members.csv" "$TMPD/w/"
    sed -i 's/^sco,365,2001-06-15,,0,0,0,1,1,/sco,365,2001-06-15,,0,0,0,1,0,/' "$TMPD/w/pact_members.csv"
    expect_exit 1 -- "$py" "$world/scripts/check_pacts.py" "$TMPD/w" "$DATA/atop"
    expect_in "$TMPD/err" "sco, state 365: consul of the ATOP phase running on 2001-06-15 is missing"
else
    echo "skip: ATOP 5.1 absent ($DATA/atop); ATOP comparison not run"
fi

# The derived files are what their scripts write from ../shared/data: re-derive them in a scratch copy of
# the repository (the scripts find ../shared/data relative to it) and compare byte for byte.
if [ -d "$DATA/atop" ] && [ -d "$DATA/trade" ] && [ -d "$DATA/finance" ] && [ -d "$DATA/unga" ] && [ -d "$DATA/regime" ]; then
    rm -rf "$TMPD/re" && mkdir -p "$TMPD/re/repo/data"
    cp -r "$world/scripts" "$TMPD/re/repo/data/"
    cp "$world/states.csv" "$TMPD/re/repo/data/"
    mkdir -p "$TMPD/re/shared" && ln -s "$(cd "$DATA" && pwd)" "$TMPD/re/shared/data"
    for s in derive_pacts derive_economic derive_unga derive_regime; do
        expect_exit 0 -- "$py" "$TMPD/re/repo/data/scripts/$s.py"
    done
    for f in pacts.csv pact_members.csv economic.csv unga.csv regime.csv; do
        if cmp -s "$world/$f" "$TMPD/re/repo/data/$f"; then ok; else bad "$f differs from its script's output"; fi
    done
    # Trade shares that rest on no source are only the audited ones.
    n=$(awk -F, 'NR > 1 && $6 == 1' "$world/economic.csv" | wc -l)
    [ "$n" -le 5 ] && ok || bad "economic.csv: $n estimate rows (at most 5 audited overrides expected)"
else
    echo "skip: ../shared/data (atop, trade, finance, unga) absent; re-derivation not compared"
fi

# Contiguity: COW Direct Contiguity's 2016 types, re-derived byte for byte from ../shared/data.
if [ -f "$DATA/geo/cow_contdir.csv" ] && [ -f "$DATA/cow/states2016.csv" ]; then
    rm -rf "$TMPD/rc" && mkdir -p "$TMPD/rc/repo/data" "$TMPD/rc/shared"
    cp -r "$world/scripts" "$TMPD/rc/repo/data/"
    cp "$world/states.csv" "$TMPD/rc/repo/data/"
    ln -s "$(cd "$DATA" && pwd)" "$TMPD/rc/shared/data"
    expect_exit 0 -- "$py" "$TMPD/rc/repo/data/scripts/derive_contiguity.py"
    expect_in "$TMPD/err" "wrote 552 rows"
    if cmp -s "$world/contiguity.csv" "$TMPD/rc/repo/data/contiguity.csv"; then ok; else bad "contiguity.csv differs from its script's output"; fi
    # A shipped state COW's 2016 system does not know needs hand rows: the script refuses to guess.
    echo '999,XXX,XX,XXX,Newland,Europe,Nowhere,0.0000,0.0000,0,"test"' >>"$TMPD/rc/repo/data/states.csv"
    expect_exit 1 -- "$py" "$TMPD/rc/repo/data/scripts/derive_contiguity.py"
    expect_in "$TMPD/err" "999 Newland"
else
    echo "skip: ../shared/data (geo/cow_contdir.csv, cow/states2016.csv) absent; contiguity not re-derived"
fi

# The reader refuses a bad contiguity row, naming file:line:column and the field (exit 2).
contig_bad() { # sed-expression expected-substring
    rm -rf "$TMPD/cw" && mkdir -p "$TMPD/cw" && cp "$world"/*.csv "$TMPD/cw/"
    sed -i "$1" "$TMPD/cw/contiguity.csv"
    expect_exit 2 -- "$ENTENTE" world --check --world-dir "$TMPD/cw"
    expect_in "$TMPD/err" "$2"
}
contig_bad '2s/^2,20,/2,999,/' "contiguity.csv:2:3: field 'ccode2': state 999 is not in states.csv"
contig_bad '2s/^2,20,/2,2,/' "contiguity.csv:2:3: field 'ccode2': a state is not contiguous to itself"
contig_bad '3s/^2,31,4,/20,2,1,/' "contiguity.csv:3:1: field 'ccode1': duplicate row (2-20), first on line 2"
contig_bad '2s/^2,20,1,/2,20,6,/' "contiguity.csv:2:6: field 'conttype': 6 outside 1..5"
contig_bad '2s/,"COW[^"]*",$/,"",/' "contiguity.csv:2:8: field 'source': every row needs a source"
contig_bad '1s/conttype/type/' "contiguity.csv:1: header: missing column 'conttype'"
finish
