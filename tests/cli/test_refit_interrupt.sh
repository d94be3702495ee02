#!/usr/bin/env bash
# test_refit_interrupt.sh -- Ctrl-C inside the pact model's yearly refit.
#
# `entente backtest --model-refit yearly` refits the model before each test year; one year's fit
# is tens of seconds of CPU, so the interruption flag is checked inside the fit (every BFGS
# iteration), not only between years. On a store of the five sources the pact model needs (COW
# states, system and capabilities, ATOP's members and dyad-years: about a second to import), the
# backtest is signalled one CPU second into the refit (its stderr says when the refit begins) and
# must stop within the CPU limit of interrupt.py (2 s; the year's fit alone is far longer), with
# 130 or 143, the fit's own "interrupted" message, and no partial output: nothing on stdout and no
# --json-out file. Skips (77) without ../shared/data.
. "$(dirname "$0")/lib.sh"
python=/usr/bin/python3
[ -x $python ] || { echo "SKIP: $python not found"; exit 77; }
src=$(cd "$(dirname "$0")/../.." && pwd)
sources="cow-states:cow/states2016.csv cow-system:cow/system2016.csv cow-nmc:cow/nmc_v7.0_abridged.csv atop:atop
atop-dyad-year:atop/atop5_1_directed_dyad_year.csv"
for s in $sources; do
    [ -r "$DATA/${s#*:}" ] || { echo "SKIP: $DATA/${s#*:} not found (set ENT_SHARED_DATA)"; exit 77; }
done
if ldd "$ENTENTE" 2>/dev/null | grep -q libasan; then export ENT_INTERRUPT_CPU=10; fi
db=$TMPD/pm.db
rm -f "$db"*
for s in $sources; do
    "$ENTENTE" import "${s%%:*}" "$DATA/${s#*:}" --db "$db" >"$TMPD/imp" 2>&1 || bad "import ${s%%:*}: $(cat "$TMPD/imp")"
done

# refit SIG WANT: the backtest signalled one CPU second into the refit of test year 1991
refit() {
    local sig=$1 want=$2 res
    rm -f "$TMPD/bt.json"
    res=$($python "$src/tests/cli/interrupt.py" "$sig" "after=refitting the pact model;cpu:1" "$want" \
        "$TMPD/out" "$TMPD/err" -- "$ENTENTE" backtest --db "$db" --predictor model:default --model-refit yearly \
        --test 1991-1991 --boot 0 --threads 1 --json-out "$TMPD/bt.json")
    [ $? -eq 0 ] && ok || bad "refit, SIG$sig: $res ($(grep -v 'note:' "$TMPD/err" | head -c 300))"
    echo "SIG$sig: $res"
    expect_in "$TMPD/err" "pact-model fit: interrupted"
    [ ! -s "$TMPD/out" ] && ok || bad "SIG$sig: partial output on stdout: $(head -c 200 "$TMPD/out")"
    [ -z "$(ls "$TMPD" | grep "^bt\.json")" ] && ok || bad "SIG$sig: --json-out written: $(ls "$TMPD" | grep "^bt")"
}
refit INT 130
refit TERM 143
finish
