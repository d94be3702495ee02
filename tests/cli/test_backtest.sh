#!/usr/bin/env bash
# `entente backtest` on a small synthetic panel: the readable scorecard and the
# JSON contract, every predictor, the file: predictor, the split options, and
# bad input named by file:line:column and field with its exit code.
. "$(dirname "$0")/lib.sh"
panel="$TMPD/panel.csv"

# A deterministic panel: 300 dyads a year 1946-2018; outcome from x1 (a linear congruential generator, so
# no awk rand() differences between awks); every tenth dyad allied (not at risk); x2 missing one time in 5.
awk 'BEGIN {
    s = 12345; m = 2147483648
    print "# a synthetic panel for the CLI test"
    print "ccode1,ccode2,year,new_defence,atop_defense,x1,x2"
    for (y = 1946; y <= 2018; y++) for (d = 0; d < 300; d++) {
        s = (1103515245 * s + 12345) % m; u1 = s / m
        s = (1103515245 * s + 12345) % m; u2 = s / m
        s = (1103515245 * s + 12345) % m; u3 = s / m
        x1 = (u1 - 0.5) * 3.4
        x2 = (u2 < 0.2) ? "" : sprintf("%.4f", u2 * 2 - 1)
        p = 1 / (1 + exp(-(-4.5 + 1.5 * x1)))
        nd = (y == 2018) ? "" : (u3 < p ? 1 : 0)
        printf "%d,%d,%d,%s,%d,%.4f,%s\n", 2 + d % 20, 100 + d, y, nd, (d % 10 == 0), x1, x2
    }
}' >"$panel"

expect_exit 0 -- "$ENTENTE" backtest --help
expect_in "$TMPD/out" "usage: entente backtest"
(cd "$TMPD" && ENTENTE_DB= "$ENTENTE" backtest >out 2>err); [ $? -eq 3 ] && ok || bad "backtest with neither --panel nor a store: not exit 3"
expect_in "$TMPD/err" "no such store"
expect_exit 1 -- "$ENTENTE" backtest --panel "$panel" --predictor oracle
expect_in "$TMPD/err" "unknown predictor 'oracle'"
expect_exit 1 -- "$ENTENTE" backtest --panel "$panel" --fit 1980-1970
expect_in "$TMPD/err" "expected a year range"
expect_exit 1 -- "$ENTENTE" backtest --panel "$panel" --fit 1947-1985
expect_in "$TMPD/err" "periods must be ordered and disjoint"
expect_exit 1 -- "$ENTENTE" backtest --panel "$panel" --features x1,nosuch
expect_in "$TMPD/err" "no column 'nosuch'"
expect_exit 1 -- "$ENTENTE" backtest --panel "$panel" --lambdas 1,x
expect_exit 1 -- "$ENTENTE" backtest --panel "$panel" --boot -1
expect_exit 3 -- "$ENTENTE" backtest --panel "$TMPD/none.csv"
# a key that is missing or not an integer: file, line and field (found by fuzz_panel)
printf 'ccode1,ccode2,year,new_defence,atop_defense\n2,20,1950,0,0\n,20,1951,0,0\n' >"$TMPD/nokey.csv"
expect_exit 2 -- "$ENTENTE" backtest --panel "$TMPD/nokey.csv"
expect_in "$TMPD/err" "nokey.csv:3:1: field 'ccode1': expected an integer key, got nothing"
printf 'ccode1,ccode2,year,new_defence,atop_defense\n2,20,1950.5,0,0\n' >"$TMPD/fraction.csv"
expect_exit 2 -- "$ENTENTE" backtest --panel "$TMPD/fraction.csv"
expect_in "$TMPD/err" "fraction.csv:2:6: field 'year': expected an integer key, got '1950.5'"

# the readable scorecard, side by side
expect_exit 0 -- "$ENTENTE" backtest --panel "$panel" --predictor base-rate,none,logit --features x1,x2 --boot 100
for s in "split (outcome years): fit 1947-1980 (9180 at-risk dyad-years" "ROC-AUC" "PR-AUC (avg precision)" \
    "recall top 500" "Brier skill vs base rate" "state-years" "top 1000" "chosen lambda" "missing:x2" \
    "by outcome year" "log score                  "; do
    expect_in "$TMPD/out" "$s"
done
# p = 0 has an infinite log score, said so
grep -E '^log score +[0-9.]+ \[[0-9.]+, [0-9.]+\] +inf ' "$TMPD/out" >/dev/null && ok || bad "none's log score is not inf: $(grep '^log score' "$TMPD/out")"

# JSON: the keys a script reads, and p = 0's infinity as null with a flag
expect_exit 0 -- "$ENTENTE" backtest --panel "$panel" --predictor none,logit --features x1,x2 --boot 50 --json
for k in '"split"' '"n_test": 7560' '"roc_auc"' '"pr_auc"' '"brier_reliability"' '"brier_resolution"' \
    '"brier_uncertainty"' '"ci90"' '"top_k"' '"reliability"' '"years"' '"penalty_path"' '"coefficients"' \
    '"log_score_infinite": true' '"state"'; do
    expect_in "$TMPD/out" "$k"
done
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["predictors"])==2; assert d["predictors"][0]["dyad"]["log_score"] is None; assert len(d["predictors"][1]["years"])==28' "$TMPD/out" 2>"$TMPD/perr" && ok || bad "JSON: $(cat "$TMPD/perr")"

# the same seed gives the same intervals; the output is deterministic
"$ENTENTE" backtest --panel "$panel" --predictor none,logit --features x1,x2 --boot 50 --json >"$TMPD/out2" 2>/dev/null
cmp -s <(grep -v seconds "$TMPD/out") <(grep -v seconds "$TMPD/out2") && ok || bad "two runs differ"

# --json-out: the table on stdout and the same run's JSON in a file
expect_exit 0 -- "$ENTENTE" backtest --panel "$panel" --predictor none,logit --features x1,x2 --boot 50 --json-out "$TMPD/card.json"
expect_in "$TMPD/out" "ROC-AUC"
# equal but for the provenance block, whose command line differs between the two runs
strip_prov() { /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); p=d.pop("provenance"); d.pop("seconds",None); [x.pop("seconds",None) for x in d["predictors"]]; print(json.dumps(d, sort_keys=True)); assert any(i.get("role")=="panel" for i in p["inputs"])' "$1"; }
cmp -s <(strip_prov "$TMPD/card.json") <(strip_prov "$TMPD/out2") && ok || bad "--json-out differs from --json"

# The leakage check of docs/validation.md (bench/leak_check.py): every test-period outcome flipped (rows of
# 1990 on: outcome years 1991-2018) leaves the fit and the choice of the penalty bitwise unchanged; the check
# catches a perturbation that reaches the validation years, one that never reaches the test years, and, as
# scripts/validation once did (the scorecard on `entente dyads`, the perturbed panel from the peer), a
# reference panel that differs from the perturbed one before the perturbation year.
leak() { /usr/bin/python3 "${ENT_SRC:-$(dirname "$0")/../..}/bench/leak_check.py" "$@" >"$TMPD/out" 2>"$TMPD/err"; }
flip() { awk -F, -v from="$1" 'NR > 2 && $3 >= from && $4 != "" { $4 = 1 - $4 } { print }' OFS=, "$panel"; }
bt() { "$ENTENTE" backtest --panel "$1" --predictor logit --features x1,x2 --boot 0 --json >"$2" 2>"$TMPD/err"; }
flip 1990 >"$TMPD/pert.csv"
flip 1989 >"$TMPD/pert89.csv"
awk -F, '!(NR > 2 && $3 == 1950 && $2 == 101)' "$panel" >"$TMPD/other.csv"
awk '{ print $0 (NR == 2 ? ",x3" : NR > 2 ? ",1" : "") }' "$panel" >"$TMPD/wider.csv"
bt "$panel" "$TMPD/ref.json" && bt "$TMPD/pert.csv" "$TMPD/pert.json" && bt "$TMPD/pert89.csv" "$TMPD/pert89.json" &&
    bt "$TMPD/other.csv" "$TMPD/other.json" && bt "$TMPD/wider.csv" "$TMPD/wider.json" && ok ||
    bad "leakage-check backtests: $(cat "$TMPD/err")"
leak "$TMPD/ref.json" "$TMPD/pert.json" && ok || bad "test-period outcomes flipped: not a PASS: $(cat "$TMPD/out")"
expect_in "$TMPD/out" "fit-period coefficients identical: True; penalty path identical: True"
expect_in "$TMPD/out" "Result: PASS"
leak "$TMPD/ref.json" "$TMPD/pert89.json"; [ $? -eq 1 ] && ok || bad "a validation year flipped: not a FAIL"
expect_in "$TMPD/out" "fit- and validation-period log scores identical: False"
leak "$TMPD/ref.json" "$TMPD/ref.json"; [ $? -eq 1 ] && ok || bad "an unperturbed panel: not a FAIL"
expect_in "$TMPD/out" "the perturbation reached the test years: False"
leak "$TMPD/other.json" "$TMPD/pert.json"; [ $? -eq 1 ] && ok || bad "two different panels: not a FAIL"
expect_in "$TMPD/out" "the panels differ before the perturbation year (n_fit 9179 vs 9180"
# same rows, events and model terms but another panel (a column more): refused before comparing
leak "$TMPD/wider.json" "$TMPD/pert.json"; [ $? -eq 1 ] && ok || bad "a panel with other columns: not a FAIL"
expect_in "$TMPD/out" "the panels come from different builders"
leak "$TMPD/ref.json" "$TMPD/none.json"; [ $? -eq 2 ] && ok || bad "a missing file: not exit 2"

# file: forecasts -- p out of range and a missing row are bad input
printf 'ccode1,ccode2,year,p\n2,100,1990,0.5\n3,101,1990,1.5\n' >"$TMPD/fc.csv"
expect_exit 2 -- "$ENTENTE" backtest --panel "$panel" --predictor "file:$TMPD/fc.csv"
expect_in "$TMPD/err" "fc.csv:3:"
expect_in "$TMPD/err" "field 'p'"
printf 'ccode1,ccode2,year,p\n2,100,1990,0.5\n' >"$TMPD/fc.csv"
expect_exit 2 -- "$ENTENTE" backtest --panel "$panel" --predictor "file:$TMPD/fc.csv"
expect_in "$TMPD/err" "gives no p for"
# a constant forecast file scores like... a constant: AUC one half
awk -F, 'NR > 2 { print $1 "," $2 "," $3 ",0.01" }' "$panel" | sed '1i ccode1,ccode2,year,p' >"$TMPD/fc.csv"
expect_exit 0 -- "$ENTENTE" backtest --panel "$panel" --predictor "file:$TMPD/fc.csv" --boot 0 --json
expect_in "$TMPD/out" '"roc_auc": 0.5'

# bad panels: a missing column, a malformed number (file:line:column and field), a duplicate column
sed 's/new_defence/outcome/' "$panel" >"$TMPD/bad.csv"
expect_exit 2 -- "$ENTENTE" backtest --panel "$TMPD/bad.csv"
expect_in "$TMPD/err" "missing column 'new_defence'"
awk -F, 'NR == 5 { $6 = "1.2.3" } { print }' OFS=, "$panel" >"$TMPD/bad.csv"
expect_exit 2 -- "$ENTENTE" backtest --panel "$TMPD/bad.csv"
expect_in "$TMPD/err" "bad.csv:5:"
expect_in "$TMPD/err" "field 'x1'"
sed '2s/x2$/x1/' "$panel" >"$TMPD/bad.csv"
expect_exit 2 -- "$ENTENTE" backtest --panel "$TMPD/bad.csv"
expect_in "$TMPD/err" "appears twice"
awk -F, 'NR == 7 { $4 = 2 } { print }' OFS=, "$panel" >"$TMPD/bad.csv"
expect_exit 2 -- "$ENTENTE" backtest --panel "$TMPD/bad.csv" --predictor none
expect_in "$TMPD/err" "new_defence is 2"
# without --panel the panel is built from a store: --db and --panel together are a usage error, a
# missing store is an I/O error that creates nothing
expect_exit 1 -- "$ENTENTE" backtest --panel "$panel" --db "$TMPD/x.db"
expect_in "$TMPD/err" "not both"
expect_exit 3 -- "$ENTENTE" backtest --db "$TMPD/none.db" --predictor none
[ ! -e "$TMPD/none.db" ] && ok || bad "backtest --db created a store"
# --model-refit: none or yearly only, checked before any panel is read
expect_exit 1 -- "$ENTENTE" backtest --db "$TMPD/none.db" --predictor model:default --model-refit monthly
expect_in "$TMPD/err" "expected none or yearly"
finish
