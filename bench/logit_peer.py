#!/usr/bin/python3
"""logit_peer.py -- an independent numpy/scipy reimplementation of the
backtest's logistic baseline, checked against the C fit.

It runs `entente backtest --predictor logit --lambdas L --no-refit --boot 0
--json` on a panel, then rebuilds the same model from the panel CSV by
itself: the rows at risk of the fit years (atop_defense == 0 in t, outcome
year t+1 in 1947-1980), each term from its name (log1p:x, logmax:a:b, ...),
the missing-value rule (training mean + an indicator "missing:<term>" when a
term has missing training values), standardisation with the training mean and
population sd, and the penalised objective
    sum_i softplus(eta_i) - y_i eta_i + (lambda / 2) |beta_{1..q}|^2,
minimised with scipy's trust-region Newton (exact gradient and Hessian). It
prints the largest coefficient difference, the validation log score of both,
and the wall time of each (the C time includes reading the CSV and scoring, the
peer's reading the CSV and building the design matrix too).

usage: logit_peer.py PANEL.csv [--entente build/entente] [--lambda 0.1] [--threads 2]
"""
import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit


def term(df, name):
    """The raw values of one term, NaN where missing or where a log is undefined."""
    parts = name.split(":")
    if len(parts) == 1:
        return df[name].to_numpy(float)
    op, cols = parts[0], parts[1:]
    a = df[cols[0]].to_numpy(float)
    if len(cols) == 2:
        b = df[cols[1]].to_numpy(float)
        # np.fmin/fmax would skip a NaN: the C code makes the term missing instead
        both = ~(np.isnan(a) | np.isnan(b))
        v = np.where(both, np.minimum(a, b) if "min" in op else np.maximum(a, b), np.nan)
    else:
        v = a
    with np.errstate(invalid="ignore", divide="ignore"):
        if op.startswith("log1p"):
            return np.where(v > -1, np.log1p(v), np.nan)
        if op.startswith("log"):
            return np.where(v > 0, np.log(v), np.nan)
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("panel")
    ap.add_argument("--entente", default="build/entente")
    ap.add_argument("--lambda", dest="lam", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()

    t0 = time.time()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([a.entente, "backtest", "--panel", a.panel, "--predictor", "logit", "--lambdas", str(a.lam),
                          "--no-refit", "--boot", "0", "--threads", str(a.threads), "--json"],
                         check=True, capture_output=True, text=True).stdout
    t_c = time.time() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_c = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    res = json.loads(out)["predictors"][0]
    coefs = res["coefficients"]

    t0 = time.time()
    cpu0 = time.process_time()
    df = pd.read_csv(a.panel, comment="#")
    risk = df[(df.atop_defense == 0) & df.new_defence.notna()]
    oy = risk.year + 1
    fit = risk[(oy >= 1947) & (oy <= 1980)]
    val = risk[(oy >= 1981) & (oy <= 1990)]
    # the model's raw terms, in the order the C fit reports them
    names = [c["term"] for c in coefs[1:]]
    cols_fit, cols_val = [], []
    for nm in names:
        ind = nm.startswith("missing:")
        base = nm[len("missing:"):] if ind else nm
        f, v = term(fit, base), term(val, base)
        if ind:
            f, v = np.isnan(f).astype(float), np.isnan(v).astype(float)
            mu, sd = f.mean(), f.std()
        else:
            mu, sd = np.nanmean(f), np.nanstd(f)
            f, v = np.where(np.isnan(f), mu, f), np.where(np.isnan(v), mu, v)
        cols_fit.append((f - mu) / sd)
        cols_val.append((v - mu) / sd)
    X = np.column_stack([np.ones(len(fit))] + cols_fit)
    Xv = np.column_stack([np.ones(len(val))] + cols_val)
    y, yv = fit.new_defence.to_numpy(float), val.new_defence.to_numpy(float)
    pen = np.r_[0.0, np.ones(X.shape[1] - 1)]
    lam = a.lam

    def f(b):
        e = X @ b
        return np.sum(np.logaddexp(0, e) - y * e) + 0.5 * lam * np.sum(pen * b * b)

    def g(b):
        return X.T @ (expit(X @ b) - y) + lam * pen * b

    def h(b):
        p = expit(X @ b)
        return (X * (p * (1 - p))[:, None]).T @ X + lam * np.diag(pen)

    b0 = np.zeros(X.shape[1])
    b0[0] = np.log(y.mean() / (1 - y.mean()))
    r = minimize(f, b0, jac=g, hess=h, method="trust-exact", options={"gtol": 1e-10, "maxiter": 500})
    t_py = time.time() - t0
    cpu_py = time.process_time() - cpu0
    cb = np.array([c["coef"] for c in coefs])
    diff = np.abs(r.x - cb)
    pv = expit(Xv @ r.x)
    lv = -np.mean(np.where(yv == 1, np.log(pv), np.log1p(-pv)))
    print(f"rows: fit {len(fit)} ({int(y.sum())} events), validation {len(val)}; {X.shape[1] - 1} terms; lambda {lam}")
    print(f"scipy trust-exact: {r.nit} iterations, |gradient| {np.abs(r.jac).max():.2e}, {r.message}")
    worst = int(np.argmax(diff))
    print(f"max |coef C - coef scipy| = {diff.max():.3e} ({(['(intercept)'] + names)[worst]})")
    print(f"validation log score: C {res['validation_log_score']:.10f}, scipy {lv:.10f}")
    print(f"wall time: entente {t_c:.2f} s, numpy/scipy peer {t_py:.2f} s, ratio {t_py / t_c:.1f}x")
    # CPU time is the fairer number on a shared machine (numpy may use more than one core)
    print(f"CPU time:  entente {cpu_c:.2f} s, numpy/scipy peer {cpu_py:.2f} s, ratio {cpu_py / cpu_c:.1f}x")
    return 0 if diff.max() < 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main())
