#!/usr/bin/env bash
# `entente simulate --db STORE --start-year YEAR [--to T]`: the alignment model from a store's historical
# world. The options' usage errors; with the public datasets (imported into a store of the test's own):
# a year outside the store and a pole not in the system that year refused with clear messages; a run
# from 1990 scored against ATOP, its per-pair CSV written, the same on 1 and 2 threads.
. "$(dirname "$0")/lib.sh"
scen="$ENT_SRC/scenarios/history/history.yaml"

# usage errors, before any store is read
expect_exit 1 -- "$ENTENTE" simulate "$scen" --start-year 1990
expect_in "$TMPD/err" "--start-year needs --db"
expect_exit 1 -- "$ENTENTE" simulate "$scen" --db "$TMPD/none.db"
expect_in "$TMPD/err" "--db goes with --start-year"
expect_exit 1 -- "$ENTENTE" simulate "$scen" --to 2018
expect_in "$TMPD/err" "--to goes with --start-year"
expect_exit 1 -- "$ENTENTE" simulate "$scen" --db "$TMPD/none.db" --start-year 1990 --to 1990
expect_in "$TMPD/err" "--to 1990 must come after --start-year 1990"
expect_exit 1 -- "$ENTENTE" simulate "$scen" --db "$TMPD/none.db" --start-year 1990 --world-dir "$ENT_SRC/data"
expect_in "$TMPD/err" "two worlds"

# the sources the historical world reads (a subset of the research panel's)
SOURCES="cow-states:cow/states2016.csv cow-system:cow/system2016.csv cow-nmc:cow/nmc_v7.0_abridged.csv
atop:atop atop-dyad-year:atop/atop5_1_directed_dyad_year.csv unga-ideal:unga/IdealpointestimatesAll_Jun2024.csv
tss-rivalries:conflict/tss_rivalries.csv cow-majors:cow/majors2016.csv cow-contdir:geo/cow_contdir.csv
capital-distance:geo/cow_capdist_ndy_derived.csv.gz democracy:regime/ccode_democracy.csv
cow-mid-dyad:conflict/cow_mid_ddydisps.csv cow-trade-dyad:trade/cow_trade_ndy.csv cow-trade-state:trade/cow_trade_sy.csv"
for s in $SOURCES; do
    if [ ! -r "$DATA/${s#*:}" ]; then
        echo "SKIP (after $passed checks): $DATA/${s#*:} not found (set ENT_SHARED_DATA)"
        [ "$failed" -eq 0 ] || exit 1
        exit 77
    fi
done
db="$TMPD/history.db"
for s in $SOURCES; do
    if "$ENTENTE" import "${s%%:*}" "$DATA/${s#*:}" --db "$db" >"$TMPD/imp" 2>&1; then ok; else
        bad "import ${s%%:*}: $(cat "$TMPD/imp")"
    fi
done

# a year outside the store's ATOP years
expect_exit 2 -- "$ENTENTE" simulate "$scen" --db "$db" --start-year 2030
expect_in "$TMPD/err" "2030 is outside the store's coverage: a historical world can start in 1817-2018"
# a pole not in the state system that year: East Germany after unification
sed 's/poles: \[USA, RUS, CHN\]/poles: [USA, GDR, CHN]/; s/RUS:/GDR:/' "$scen" >"$TMPD/gdr.yaml"
expect_exit 1 -- "$ENTENTE" simulate "$TMPD/gdr.yaml" --db "$db" --start-year 1995 --to 1996 --runs 2
expect_in "$TMPD/err" "pole GDR (COW 265) is not a state of the world on 31 December 1995"

# from 1990: the report, the scores against ATOP, the per-pair CSV; identical on 1 and 2 threads
expect_exit 0 -- "$ENTENTE" simulate "$scen" --db "$db" --start-year 1990 --to 1994 --runs 6 --threads 1 \
    --out "$TMPD/h1"
expect_in "$TMPD/out" "free-running alignment model (history) from 1990 to 1994: 6 runs"
expect_in "$TMPD/out" "pairs not tied in 1990 and still in the system in 1994"
expect_in "$TMPD/out" "AUC"
expect_in "$TMPD/h1/history_dyads.csv" "ccode1,ccode2,p,observed"
[ -f "$TMPD/h1/history_dyads.csv.prov.json" ] && ok || bad "no provenance sidecar for the per-pair CSV"
expect_in "$TMPD/h1/history_dyads.csv.prov.json" '"start_year"'
# Poland joined NATO in 1999, not by 1994: observed 0 on the US-Poland pair
grep -q '^2,290,[0-9.e-]*,0$' "$TMPD/h1/history_dyads.csv" && ok || bad "US-Poland not scored as no pact by 1994"
expect_exit 0 -- "$ENTENTE" simulate "$scen" --db "$db" --start-year 1990 --to 1994 --runs 6 --threads 2 \
    --out "$TMPD/h2" --json
expect_in "$TMPD/out" '"freerun"'
cmp -s "$TMPD/h1/history_dyads.csv" "$TMPD/h2/history_dyads.csv" && ok || bad "per-pair forecast differs on 1 and 2 threads"
cmp -s "$TMPD/h1/history_states.csv" "$TMPD/h2/history_states.csv" && ok || bad "states differ on 1 and 2 threads"
finish
