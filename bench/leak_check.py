#!/usr/bin/python3
"""leak_check.py -- the leakage check of docs/validation.md: compares two
`entente backtest --json` runs, REF on a panel and PERTURBED on the same panel
rebuilt with every test-period tie redrawn (bench/panel_peer.py --perturb-from).

Without a leak, nothing the fit and validation periods produce can move: for
every predictor with a fitted model the coefficients, the penalty path and the
fit- and validation-period log scores must be identical, while the test-period
events must change (else the perturbation never reached the test years).

The two panels must come from the same builder, else any difference in the
coefficients says nothing about leakage. That is what happened when
docs/validation.md scored `entente dyads` but rebuilt the perturbed panel with
the peer (same rows and events, other columns and values): the check reported
a leak that was a comparison of two panels. So the check first requires the
same fit and validation splits (at-risk rows and events), the same terms in
every model, and panel files (named in each run's provenance) with the same
builder line and columns; only then does a difference count as a leak.

usage: leak_check.py REF.json PERTURBED.json   (prints a Markdown list and the
result; exit 0 on PASS, 1 on FAIL, 2 on unreadable input)
"""
import json
import os
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"leak_check.py: {path}: {e}", file=sys.stderr)
        sys.exit(2)


def builder(run, json_path):
    """(first comment line but the PERTURBED note, column names) of the run's panel file, None if unreadable.

    A relative path in the provenance is relative to where the backtest ran; try beside the JSON too."""
    paths = [i["path"] for i in run.get("provenance", {}).get("inputs", []) if i.get("role") == "panel"]
    if len(paths) != 1:
        return None
    p = paths[0]
    for cand in (p, os.path.join(os.path.dirname(json_path), p)):
        try:
            with open(cand) as f:
                note = ""
                for line in f:
                    if not line.startswith("#"):
                        return note, line.rstrip("\r\n").split(",")
                    if not note and not line.startswith("# PERTURBED"):
                        note = line.strip()
        except OSError:
            continue
    return None


def main():
    if len(sys.argv) != 3:
        print("usage: leak_check.py REF.json PERTURBED.json", file=sys.stderr)
        sys.exit(2)
    a, b = load(sys.argv[1]), load(sys.argv[2])
    ok = True
    keys = ("n_fit", "events_fit", "n_validation", "events_validation")
    diff = [k for k in keys if a["split"].get(k) != b["split"].get(k)]
    if diff:
        print("- the panels differ before the perturbation year ("
              + ", ".join(f"{k} {a['split'].get(k)} vs {b['split'].get(k)}" for k in diff)
              + "): they do not come from the same builder, so this compares two panels, not a leak")
        ok = False
    heads = [builder(x, path) for x, path in ((a, sys.argv[1]), (b, sys.argv[2]))]
    if None in heads:
        print("- a panel file named in the provenance is not readable: its builder is not checked")
    elif heads[0] != heads[1]:
        print(f"- the panels come from different builders ({heads[0][0] or 'no comment line'}, "
              f"{len(heads[0][1])} columns vs {heads[1][0] or 'no comment line'}, {len(heads[1][1])} columns): "
              "this compares two panels, not a leak")
        ok = False
    pa = {p["predictor"]: p for p in a["predictors"]}
    pb = {p["predictor"]: p for p in b["predictors"]}
    names = [n for n in pa if n in pb and "coefficients" in pa[n]]
    if not names:
        print("- no fitted predictor in both runs: nothing to compare")
        ok = False
    for name in names:
        x, y = pa[name], pb[name]
        ta, tb = [c["term"] for c in x["coefficients"]], [c["term"] for c in y.get("coefficients", [])]
        if ta != tb:
            print(f"- `{name}`: the models have different terms ({len(ta)} vs {len(tb)}): the panels have "
                  "different columns, this compares two panels, not a leak")
            ok = False
            continue
        same_coef = [c["coef"] for c in x["coefficients"]] == [c["coef"] for c in y.get("coefficients", [])]
        same_path = x.get("penalty_path") == y.get("penalty_path")
        same_scores = (x["fit_log_score"] == y["fit_log_score"]
                       and x["validation_log_score"] == y["validation_log_score"])
        changed = x["dyad"]["events"] != y["dyad"]["events"]
        ok &= same_coef and same_path and same_scores and changed
        print(f"- `{name}`: fit-period coefficients identical: {same_coef}; penalty path identical: {same_path}; "
              f"fit- and validation-period log scores identical: {same_scores}; test-period events "
              f"{x['dyad']['events']} -> {y['dyad']['events']} (the perturbation reached the test years: {changed})")
    print(f"\nResult: {'PASS' if ok else 'FAIL'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
