#!/usr/bin/env bash
# `entente simulate` and `entente forecast`: same seed => byte-identical output on
# 1 or 2 threads; scenario-file errors named by file:line; Ctrl-C stops cleanly and
# reports what completed; the forecast covers every shipped scenario.
. "$(dirname "$0")/lib.sh"
scen="$ENT_SRC/scenarios"

# determinism across thread counts, and seeds that matter
expect_exit 0 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 60 --threads 1 --json
cp "$TMPD/out" "$TMPD/t1.json"
expect_exit 0 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 60 --threads 2 --json
if same_results "$TMPD/out" "$TMPD/t1.json"; then ok; else bad "1 and 2 threads differ"; fi
expect_exit 0 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 60 --threads 2 --seed 7 --json
if same_results "$TMPD/out" "$TMPD/t1.json"; then bad "a different seed gave the same output"; else ok; fi
for key in '"poles"' '"series"' '"states"' '"p_at_least_3_pacts_by_report_year"' '"p_alliance_builder_by_report_year"' \
           '"alignment_report_year"' '"runs": 60'; do
    expect_in "$TMPD/t1.json" "$key"
done

# the norm draws conditioned on the poles' record (the default), and not: --no-record is the scenario's
# `record: false`, and moves the results
/usr/bin/python3 - "$TMPD/t1.json" <<'PY' && ok || bad "the record's acceptance is not reported"
import json, sys
r = json.load(open(sys.argv[1]))["record"]
poles = {p["pole"]: p for p in r["poles"]}
assert 0 < r["acceptance"] <= 1 and r["proposals"] >= 60, r
assert poles["CHN"]["conditioned"] and 0 < poles["CHN"]["acceptance"] <= 1, r
PY
expect_exit 0 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 60 --threads 2 --no-record --json
cp "$TMPD/out" "$TMPD/nr.json"
expect_in "$TMPD/nr.json" '"record": null'
if same_results "$TMPD/nr.json" "$TMPD/t1.json"; then bad "--no-record changed nothing"; else ok; fi
sed 's/^parameters:$/parameters:\n  record: false/' "$scen/baseline.yaml" >"$TMPD/norec.yaml"
grep -q "^  record: false$" "$TMPD/norec.yaml" && ok || bad "could not set record: false"
expect_exit 0 -- "$ENTENTE" simulate "$TMPD/norec.yaml" --runs 60 --threads 2 --json
same_results "$TMPD/out" "$TMPD/nr.json" && ok || bad "record: false differs from --no-record"

# text report and --out files
expect_exit 0 -- "$ENTENTE" simulate "$scen/deteriorating-security.yaml" --runs 40 --out "$TMPD/res"
expect_in "$TMPD/out" "scenario deteriorating-security -- 40 runs"
expect_in "$TMPD/out" "most likely new defence pacts of China"
for f in deteriorating-security.json deteriorating-security_series.csv deteriorating-security_states.csv; do
    [ -s "$TMPD/res/$f" ] && ok || bad "--out did not write $f"
done
head -1 "$TMPD/res/deteriorating-security_series.csv" | grep -q "^scenario,series,year,mean,q05,q50,q95$" && ok || bad "series.csv header"

# three poles (issue 12): every pole by code in the text, the JSON and the CSVs; reordering the
# list changes nothing
expect_exit 0 -- "$ENTENTE" simulate "$scen/russian-pole.yaml" --runs 20 --threads 2 --out "$TMPD/r3"
expect_in "$TMPD/out" "most likely new defence pacts of Russia"
expect_in "$TMPD/out" "aversion norm, Russia"
head -1 "$TMPD/r3/russian-pole_states.csv" | grep -q "^scenario,year,ccode,abbr,p_hedge,p_align_USA,p_align_RUS,p_align_CHN,p_finland_USA,p_finland_RUS,p_finland_CHN,p_pact_USA_by,p_pact_RUS_by,p_pact_CHN_by$" \
    && ok || bad "three-pole states.csv header"
grep -q ",pacts_RUS,2030," "$TMPD/r3/russian-pole_series.csv" && ok || bad "three-pole series.csv lacks pacts_RUS"
expect_exit 0 -- "$ENTENTE" simulate "$scen/russian-pole.yaml" --runs 20 --threads 1 --json
cp "$TMPD/out" "$TMPD/r3a.json"
sed 's/^poles: \[USA, CHN, RUS\]$/poles: [RUS, CHN, USA]/' "$scen/russian-pole.yaml" >"$TMPD/russian-pole.yaml"
grep -q "^poles: \[RUS, CHN, USA\]$" "$TMPD/russian-pole.yaml" && ok || bad "could not reorder the poles"
expect_exit 0 -- "$ENTENTE" simulate "$TMPD/russian-pole.yaml" --runs 20 --threads 2 --json
same_results "$TMPD/out" "$TMPD/r3a.json" && ok || bad "three poles listed in another order give other results"
for key in '"pole": "RUS"' '"aligned_RUS"' '"finlandized_RUS"' '"p_pact_with_RUS_by_report_year"' '"norm_RUS"'; do
    expect_in "$TMPD/r3a.json" "$key"
done

# scenario errors: exit 2 with file:line and the key; usage errors exit 1
printf 'name: x\nparameters:\n  kapa_threat: 0.2\n' >"$TMPD/unknown.yaml"
expect_exit 2 -- "$ENTENTE" simulate "$TMPD/unknown.yaml" --runs 5
expect_in "$TMPD/err" "unknown.yaml:3"
expect_in "$TMPD/err" "kapa_threat"
printf 'name: x\nparameters:\n  kappa_threat: 7\n' >"$TMPD/range.yaml"
expect_exit 2 -- "$ENTENTE" simulate "$TMPD/range.yaml" --runs 5
expect_in "$TMPD/err" "range.yaml:3"
printf 'name: x\nshocks:\n  - {year: 2027, kind: crisis, a: CHN, b: XYZ, magnitude: 0.5}\n' >"$TMPD/state.yaml"
expect_exit 2 -- "$ENTENTE" simulate "$TMPD/state.yaml" --runs 5
expect_in "$TMPD/err" "state.yaml:3"
expect_exit 3 -- "$ENTENTE" simulate "$TMPD/missing.yaml"
expect_exit 1 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 0
expect_exit 1 -- "$ENTENTE" simulate
expect_exit 1 -- "$ENTENTE" forecast --threads zero

# Ctrl-C: stops, reports the runs completed, exits 130. The signal comes after 3 s of CPU (two
# threads for 1.5 s), not of wall clock: on a loaded machine 1.5 s could end before the runs
# begin. interrupt.py also fails a process that goes on working after it (tests/cli/interrupt.py).
if ldd "$ENTENTE" 2>/dev/null | grep -q libasan; then export ENT_INTERRUPT_CPU=10; fi
res=$(/usr/bin/python3 "$ENT_SRC/tests/cli/interrupt.py" INT cpu:3 130 "$TMPD/int.out" "$TMPD/int.err" -- \
    "$ENTENTE" simulate "$scen/baseline.yaml" --runs 1000000 --threads 2)
[ $? -eq 0 ] && ok || bad "interrupted simulate: $res"
expect_in "$TMPD/int.err" "interrupted;"
expect_in "$TMPD/int.err" "of 1000000 runs completed"
expect_in "$TMPD/int.out" "scenario baseline"

# the forecast: every shipped scenario, the headline table, the paired effects
expect_exit 0 -- "$ENTENTE" forecast --runs 30
for s in baseline bid-for-primacy china-russia-pact deteriorating-security russian-pole taiwan-strait-crisis \
         us-engages-broadly us-tightens-alliances; do
    expect_in "$TMPD/out" "$s"
done
expect_in "$TMPD/out" "Effect of each scenario against the baseline"
expect_in "$TMPD/out" "P[a RUS-CHN defence pact by 2035]"
expect_in "$TMPD/out" "Pacts between poles"
expect_exit 0 -- "$ENTENTE" forecast --runs 30 --json
for key in '"p_china_pacts"' '"p_china_new_pact"' '"p_china_russia_pact_later"' '"effect_vs_baseline_later"' \
           '"pole_pacts"' '"p_pact_by_later_year"'; do
    expect_in "$TMPD/out" "$key"
done
# a pact between two poles is reported (issue 12): with Russia a pole, the China-Russia column is the
# pole-pair record, and every scenario lists its pairs by code
/usr/bin/python3 - "$TMPD/out" <<'PY' && ok || bad "the forecast's pole-pair records are wrong"
import json, sys
f = json.load(open(sys.argv[1]))
sc = {s["scenario"]: s for s in f["scenarios"]}
rp = sc["russian-pole"]
pairs = {tuple(x["poles"]): x for x in rp["pole_pacts"]}
assert set(pairs) == {("USA", "RUS"), ("USA", "CHN"), ("RUS", "CHN")}, pairs
assert rp["p_china_russia_pact_later"] is not None
assert rp["p_china_russia_pact_later"]["p"] == pairs[("RUS", "CHN")]["p_pact_by_later_year"]["p"]
assert [tuple(x["poles"]) for x in sc["baseline"]["pole_pacts"]] == [("USA", "CHN")]
PY
mkdir -p "$TMPD/empty"
expect_exit 2 -- "$ENTENTE" forecast --scenarios "$TMPD/empty"
finish
