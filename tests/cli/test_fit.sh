#!/usr/bin/env bash
# `entente fit`: usage errors and their exit codes, a missing store, the backtest's model: predictor
# (which needs the store, not a panel file), and on the real store when `make import` has built one
# (ENT_STORE or build/entente.db): the free-running forecast's CSV and JSON contract, deterministic for
# a seed whatever the thread count, and with its base rates recalibrated (--recalibrate); the alignment
# fit on both observables (security, votes).
. "$(dirname "$0")/lib.sh"

expect_exit 0 -- "$ENTENTE" fit --help
expect_in "$TMPD/out" "usage: entente fit"
expect_in "$TMPD/out" "--simulate-from"
expect_exit 1 -- "$ENTENTE" fit --fit 1980-1947
expect_in "$TMPD/err" "year range"
expect_exit 1 -- "$ENTENTE" fit --fit 1947-1985 --valid 1981-1990
expect_in "$TMPD/err" "must follow"
expect_exit 1 -- "$ENTENTE" fit --lambdas 1,-2
expect_exit 1 -- "$ENTENTE" fit --threat-refs 0
expect_exit 1 -- "$ENTENTE" fit --simulate-from 1990 --to 1980
expect_exit 1 -- "$ENTENTE" fit --simulate-from 1990 --runs 0
# recalibration belongs to the free run, over at least one year
expect_exit 1 -- "$ENTENTE" fit --recalibrate 10
expect_in "$TMPD/err" "goes with --simulate-from"
expect_exit 1 -- "$ENTENTE" fit --simulate-from 1990 --recalibrate 0
expect_exit 1 -- "$ENTENTE" fit --bogus
expect_exit 1 -- "$ENTENTE" fit --alignment --margin 1.5
expect_exit 1 -- "$ENTENTE" fit --alignment --lag 0
expect_in "$TMPD/err" "lag"
expect_exit 1 -- "$ENTENTE" fit --margin 0.3
expect_in "$TMPD/err" "go with --alignment"
# the observable: named choices, the margin only with votes, nothing without --alignment
expect_exit 1 -- "$ENTENTE" fit --alignment --observable bogus
expect_in "$TMPD/err" "expected one of security, votes, got 'bogus'"
expect_exit 1 -- "$ENTENTE" fit --alignment --margin 0.3
expect_in "$TMPD/err" "--margin goes with --observable votes"
expect_exit 1 -- "$ENTENTE" fit --observable votes
expect_in "$TMPD/err" "go with --alignment"
expect_exit 1 -- "$ENTENTE" fit --by-year
expect_in "$TMPD/err" "go with --alignment"
# --hold: known terms, numbers, once each
expect_exit 1 -- "$ENTENTE" fit --alignment --hold beta_x=1
expect_in "$TMPD/err" "unknown term 'beta_x'"
expect_exit 1 -- "$ENTENTE" fit --alignment --hold beta_security=abc
expect_in "$TMPD/err" "beta_security: expected a number, got 'abc'"
expect_exit 1 -- "$ENTENTE" fit --alignment --hold beta_security
expect_in "$TMPD/err" "is not name=value"
expect_exit 1 -- "$ENTENTE" fit --alignment --hold beta_security=1,beta_security=2
expect_in "$TMPD/err" "given twice"
expect_exit 1 -- "$ENTENTE" fit --hold beta_security=8
expect_in "$TMPD/err" "go with --alignment"
(cd "$TMPD" && ENTENTE_DB= "$ENTENTE" fit --db "$TMPD/none.db" >out 2>err); [ $? -eq 3 ] && ok || bad "fit without a store: not exit 3"
# a malformed parameter file is bad input (exit 2), named
printf '{"model": "entente-pactmodel", "version": 1}\n' >"$TMPD/bad.json"
(cd "$TMPD" && "$ENTENTE" fit --simulate-from 1990 --params "$TMPD/bad.json" --db "$TMPD/none.db" >out 2>err)
[ $? -eq 2 ] && ok || bad "a malformed parameter file: not exit 2"
expect_in "$TMPD/err" "settings"
# model: needs the store
printf 'ccode1,ccode2,year,new_defence,atop_defense\n2,20,1990,0,0\n' >"$TMPD/p.csv"
expect_exit 1 -- "$ENTENTE" backtest --panel "$TMPD/p.csv" --predictor model:default
expect_in "$TMPD/err" "needs the store"

store=${ENT_STORE:-${ENT_SRC:-.}/build/entente.db}
if [ -f "$store" ]; then
    expect_exit 0 -- "$ENTENTE" fit --simulate-from 2000 --to 2003 --runs 8 --seed 5 --threads 1 --db "$store" \
        --out "$TMPD/free1.csv" --json
    cp "$TMPD/out" "$TMPD/free1.json"
    expect_in "$TMPD/free1.json" '"auc"'
    expect_in "$TMPD/free1.csv" "ccode1,ccode2,p,observed"
    [ -f "$TMPD/free1.csv.prov.json" ] && ok || bad "no provenance sidecar"
    expect_exit 0 -- "$ENTENTE" fit --simulate-from 2000 --to 2003 --runs 8 --seed 5 --threads 2 --db "$store" \
        --out "$TMPD/free2.csv" --json
    cmp -s "$TMPD/free1.csv" "$TMPD/free2.csv" && ok || bad "free run differs between 1 and 2 threads"
    # recalibrated on the five outcome years before the origin (1995-1999, never 2000): stated in JSON and
    # text, and a different forecast from the fit's
    expect_exit 0 -- "$ENTENTE" fit --simulate-from 2000 --to 2003 --runs 8 --seed 5 --threads 1 --db "$store" \
        --out "$TMPD/recal.csv" --json --recalibrate 5
    /usr/bin/python3 - "$TMPD/out" <<'EOF' && ok || bad "recalibration not stated in the free run's JSON"
import json, math, sys
r = json.load(open(sys.argv[1]))["recalibration"]
assert r["window"] == [1995, 1999], r["window"]
for part in ("formation", "termination"):
    p = r[part]
    assert p["delta"] is not None and math.isfinite(p["delta"]) and p["se"] > 0 and p["se_model"] > 0, p
    assert 0 < p["events"] < p["decisions"], p
assert r["loglik"] > r["loglik_fit"], r
EOF
    cmp -s "$TMPD/free1.csv" "$TMPD/recal.csv" && bad "the recalibrated free run equals the fit's" || ok
    grep -q '"recalibration"' "$TMPD/free1.json" && bad "a recalibration stated without --recalibrate" || ok
    expect_exit 0 -- "$ENTENTE" fit --simulate-from 2000 --to 2003 --runs 4 --threads 1 --db "$store" --recalibrate 5
    expect_in "$TMPD/out" "base rates recalibrated on outcome years 1995-1999"
    expect_in "$TMPD/out" "formation   intercept"
    # past the store's end: forecast, unscored
    expect_exit 0 -- "$ENTENTE" fit --simulate-from 2018 --to 2020 --runs 4 --db "$store" --out "$TMPD/f18.csv"
    expect_in "$TMPD/out" "no outcome to score"
    # the alignment choice: its estimates with clustered errors, its scores and its parameter file
    expect_exit 0 -- "$ENTENTE" fit --alignment --db "$store" --json --out "$TMPD/alignment.json"
    expect_in "$TMPD/out" '"se_cluster"'
    expect_in "$TMPD/out" '"valid_persistence"'
    expect_in "$TMPD/alignment.json" '"entente-alignment-choice"'
    expect_in "$TMPD/alignment.json" '"provenance"'
    expect_in "$TMPD/alignment.json" '"switching_cost"'
    # security by default: its treaties in the record, its baselines and its yearly shares
    expect_in "$TMPD/alignment.json" '"kind": "security"'
    expect_in "$TMPD/alignment.json" '"bloc_treaties"'
    expect_in "$TMPD/alignment.json" '"unstructured_mnl_loglik_mean"'
    expect_exit 0 -- "$ENTENTE" fit --alignment --db "$store" --json --by-year
    expect_in "$TMPD/out" '"observable": "security"'
    expect_in "$TMPD/out" '"valid_inertia"'
    expect_in "$TMPD/out" '"switches"'
    expect_exit 0 -- "$ENTENTE" fit --alignment --observable votes --margin 0.5 --db "$store" --out "$TMPD/votes.json"
    expect_in "$TMPD/out" "UN ideal points, margin 0.5"
    expect_in "$TMPD/votes.json" '"kind": "votes"'
    expect_in "$TMPD/votes.json" '"margin"'
    # the security weight held at the simulation's value: held, and a worse fit than the optimum
    expect_exit 0 -- "$ENTENTE" fit --alignment --db "$store" --hold beta_security=8 --json
    expect_in "$TMPD/out" '"held": true'
    held=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fit_loglik"])' "$TMPD/out")
    expect_exit 0 -- "$ENTENTE" fit --alignment --db "$store" --json
    free=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["fit_loglik"])' "$TMPD/out")
    /usr/bin/python3 -c "import sys; sys.exit(0 if $free > $held else 1)" && ok || bad "held fit ($held) not below the free one ($free)"
else
    echo "note: no store at $store (make import): the real-data cases are skipped"
fi
finish
