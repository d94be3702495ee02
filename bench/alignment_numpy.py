#!/usr/bin/python3
"""alignment_numpy.py -- a numpy peer of the simulation's pact step (bench/run_alignment.sh, issue 12).

  alignment_numpy.py DIR [--reps R] [--tol TOL] [--json FILE]

DIR is what bench/alignment_pm writes: the pact model's base-year system as the simulation builds
it from the shipped world (ent_model_pact_system), the fitted estimates as theta, per-state
offsets, as raw little-endian arrays (NAME.f64 / .i32 / .u8; an empty file is an array the system
leaves NULL), meta.json, and what C computed from them: the simulation's sparse copy
(u_sparse, pend_sparse, pjoin_sparse: ent_model_pact_probs) and the library
(u_lib, pform_lib, pend_lib, pjoin_lib: ent_pactmodel_utility / ent_pactmodel_probs).

The script recomputes one year's probabilities with numpy, dense and vectorised, from the model's
equations (include/entente/pactmodel.h, docs/models/pactmodel.md) rather than from the C code's
loops:
  prox(a -> b)   max(exp(-d_ab / (scale x reach_a)), 1 on land contiguity, sea_prox on sea), 1 on
                 the diagonal; prox*(a -> b) = max(prox(a -> b), max_m presence_am prox(m -> b));
  x_ij           the 19 formation terms: hostility, common enemy 10 sum_k min(h_ik, h_jk) c_k,
                 threat log1p(sum_k h_ik c_k prox*(k -> i) / threat_ref), deterrence
                 10 c_j prox*(j -> i), their product, entanglement 10 sum_k h_jk (1 - h_ik) c_k
                 (k != i, j), log distance, land / sea contiguity, UN ideal-point and regime distance
                 (or their missing flags), log1p(common allies), log1p(partner's degree), major power,
                 a lapsed tie's revival exp(-(year - last) / 10), a lesser obligation of a pact of
                 fewer than K members, one only through region-wide declarations (K or more);
  u_ij           theta_form . x_ij + offset_i (0 on the diagonal);
  consent        P(bilateral pact i-j) = sigma(u_ij) sigma(u_ji) for an untied pair;
  joins          P(k joins treaty T) = sigma(mean_m u_km) mean_m sigma(u_mk) over T's members, 0 for a
                 member, a treaty under three members or a k tied to every member; p_form combines the
                 routes: 1 - (1 - bilateral) prod (1 - P(join)) over the joins that would make i and j
                 partners;
  termination    P(tie i-j ends) = sigma(gamma . z_ij), z: constant, change in relative power since
                 the tie began, regime change since, log1p(outside ties gained since), hostility,
                 log1p(age), ideal-point distance, co-membership of a multilateral treaty.
It checks the C results against its own (maximum absolute difference of utilities and of every
probability; the run fails above TOL, default 1e-12), times its computation (best of R), and
prints the speed of each side (CPU time, best of R, as the C side measures it).
"""
import argparse
import json
import os
import sys
import time

import numpy as np


def load(d, name, dtype, shape):
    a = np.fromfile(os.path.join(d, name), dtype=np.dtype(dtype).newbyteorder("<"))
    if a.size == 0:
        return None
    return a.reshape(shape)


def sigmoid(x):
    # the C function's two branches, so large |x| round the same way
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def clean_share(c):
    return np.where(np.isfinite(c) & (c > 0), c, 0.0)


def probabilities(S, meta, form=True):
    n, year = meta["n"], meta["year"]
    st = meta["settings"]
    nf = meta["nform"]
    theta = np.asarray(meta["theta"])
    tf, gamma = theta[:nf], theta[nf:]
    eye = np.eye(n, dtype=bool)
    c = clean_share(S["cinc"])
    h = S["hostility"]
    h = np.where(np.isfinite(h), np.clip(h, 0.0, 1.0), 0.0)
    hz = np.where(eye, 0.0, h)
    D = (S["defence"] != 0) & ~eye
    Df = D.astype(np.float64)
    major = S["major"] != 0
    dist = S["dist"]
    contig = S["contig"] if S["contig"] is not None else np.zeros((n, n), np.uint8)

    # proximity, then presence (a's forces in m bring a as close to b as m is)
    reach = np.where(major, st["reach_major"], 1.0)[:, None]
    direct = np.where(np.isfinite(dist) & (dist >= 0), np.exp(-dist / (st["dist_scale_km"] * reach)), 0.0)
    direct = np.where(contig == 1, np.maximum(direct, 1.0), direct)
    direct = np.where(contig == 2, np.maximum(direct, st["sea_prox"]), direct)
    direct[eye] = 1.0
    if S["presence"] is not None:
        pres = S["presence"]
        pres = np.where(np.isfinite(pres) & (pres > 0), np.minimum(pres, 1.0), 0.0)
    else:
        pres = np.where(major[:, None] & D, 1.0, 0.0)
    pres[eye] = 0.0
    prox = direct.copy()
    for a in np.nonzero(pres.any(axis=1))[0]:
        row = pres[a]
        ms = np.nonzero(row)[0]
        prox[a] = np.maximum(prox[a], (row[ms, None] * direct[ms]).max(axis=0))

    threat = np.log1p((hz * c[None, :] * prox.T).sum(axis=1) / st["threat_ref"])
    deg = D.sum(axis=1)
    # common enemies: sum_k min(h_ik, h_jk) c_k (the zero diagonal drops k = i and k = j)
    common = np.empty((n, n))
    for i in range(n):
        common[i] = np.minimum(hz[i][None, :], hz) @ c
    hc = hz * c[None, :]
    entangle = hc.sum(axis=1)[None, :] - hz @ hc.T - hz.T * c[:, None]
    allies = Df @ Df.T
    deter = 10.0 * c[None, :] * prox.T

    X = np.zeros((nf, n, n))
    X[0] = 1.0
    X[1] = h
    X[2] = 10.0 * common
    X[3] = threat[:, None]
    X[4] = deter
    X[5] = threat[:, None] * deter
    X[6] = 10.0 * entangle
    X[7] = np.where(np.isfinite(dist) & (dist > 0), np.log1p(dist / 1000.0), 0.0)
    X[8] = contig == 1
    X[9] = contig == 2
    idist = np.abs(S["ideal"][:, None] - S["ideal"][None, :]) if S["ideal"] is not None else np.full((n, n), np.nan)
    X[10] = np.where(np.isfinite(idist), idist, 0.0)
    X[11] = ~np.isfinite(idist)
    pol = S["polyarchy"]
    rdist = np.abs(pol[:, None] - pol[None, :]) if pol is not None else np.full((n, n), np.nan)
    X[12] = np.where(np.isfinite(rdist), rdist, 0.0)
    X[13] = ~np.isfinite(rdist)
    X[14] = np.log1p(allies)
    X[15] = np.log1p(deg)[None, :]
    X[16] = major[None, :]
    if S["last_tie"] is not None:
        lt = S["last_tie"]
        ok = ~D & (lt > 0) & (lt <= year)
        X[17] = np.where(ok, np.exp(-(year - lt) / 10.0), 0.0)
    if S["lesser"] is not None:
        # the members of the narrowest treaty binding the pair: a pact of fewer than K, or only
        # region-wide declarations
        les = S["lesser"].astype(np.int64)
        X[18] = (les > 0) & (les < st["lesser_broad"])
        X[19] = les >= st["lesser_broad"]
    off = S["offset"]
    off = np.where(np.isfinite(off), off, 0.0)
    u = np.tensordot(tf, X, axes=1) + off[:, None]
    u[eye] = 0.0

    # consent and joins
    sg = sigmoid(u)
    p_bil = np.where(D | eye, 0.0, sg * sg.T)
    M = S["member"].astype(np.float64)
    T = M.shape[0]
    cnt = M.sum(axis=1)
    su = M @ u.T  # [t, k] = sum over members m of u_km
    sc = M @ sg  # [t, k] = sum over members m of sigma(u_mk)
    tied = M @ Df.T  # [t, k] = members k is tied to
    with np.errstate(invalid="ignore", divide="ignore"):
        p_join = sigmoid(su / cnt[:, None]) * (sc / cnt[:, None])
    p_join = np.where((M == 0) & (cnt[:, None] >= 3) & (tied < cnt[:, None]), p_join, 0.0)
    p_form = p_bil
    if form:
        stay = np.ones((n, n))
        for t in range(T):
            # k joining t makes k a partner of every member m it is not tied to
            stay *= 1.0 - p_join[t][:, None] * M[t][None, :]
            stay *= 1.0 - M[t][:, None] * p_join[t][None, :]
        p_form = np.where(D | eye, 0.0, 1.0 - (1.0 - p_bil) * stay)

    # termination
    Z = np.zeros((len(gamma), n, n))
    Z[0] = 1.0
    if S["cinc0"] is not None:
        c0 = S["cinc0"]
        r_now = c[:, None] / (c[:, None] + c[None, :])
        with np.errstate(invalid="ignore", divide="ignore"):
            r_then = c0 / (c0 + c0.T)
        ok = (c[:, None] + c[None, :] > 0) & np.isfinite(c0) & np.isfinite(c0.T) & (c0 + c0.T > 0)
        Z[1] = np.where(ok, np.abs(r_now - r_then), 0.0)
    if S["poly0"] is not None and pol is not None:
        a = np.abs(pol[:, None] - S["poly0"])
        a = np.where(np.isfinite(a), a, 0.0)
        Z[2] = a + a.T
    if S["deg0"] is not None:
        gi = np.maximum(deg[:, None] - 1 - S["deg0"], 0)
        Z[3] = np.log1p(gi + gi.T)
    Z[4] = h
    if S["since"] is not None:
        s0 = S["since"]
        Z[5] = np.where((s0 > 0) & (s0 <= year), np.log1p(np.maximum(year - s0, 0)), 0.0)
    Z[6] = np.where(np.isfinite(idist), idist, 0.0)
    Z[7] = (M.T @ M) > 0
    eta = np.tensordot(gamma, Z, axes=1)
    iu = np.triu(np.ones((n, n), dtype=bool), 1)
    eta = np.where(iu, eta, eta.T)  # the tie's terms as C takes them, from the pair's lower index
    p_end = np.where(D, sigmoid(eta), 0.0)
    return u, p_form, p_end, p_join, p_bil


def step(S, meta, rng):
    """One simulated year as ent_pactmodel_step takes it: terminations, joins (a state joins at most one
    treaty a year, the first it draws), bilateral pacts with both sides' consent among pairs a join did
    not already tie, then applied (tie records of new ties with the degrees before the year's changes;
    a member left with no tie to its treaty's other members leaves it). numpy's generator, so the draws
    are not entente's: only the probabilities are compared. Returns the new defence and member arrays."""
    n, year = meta["n"], meta["year"]
    u, _, p_end, p_join, p_bil = probabilities(S, meta, form=False)
    eye = np.eye(n, dtype=bool)
    iu = np.triu(np.ones((n, n), dtype=bool), 1)
    D = (S["defence"] != 0) & ~eye
    M = S["member"] != 0
    ends = D & iu & (rng.random((n, n)) < p_end)
    ends |= ends.T
    succ = (rng.random(p_join.shape) < p_join) & (p_join > 0)
    has = succ.any(axis=0)
    first = succ.argmax(axis=0)
    J = np.zeros((n, M.shape[0]))
    J[np.nonzero(has)[0], first[has]] = 1.0
    newtie = ((J @ M) > 0) & ~D & ~eye
    newtie |= newtie.T
    form = iu & ~D & ~newtie & (rng.random((n, n)) < p_bil)
    newtie |= form | form.T
    deg = D.sum(axis=1)
    D2 = (D & ~ends) | newtie
    out = {"defence": D2.astype(np.uint8)}
    if S["last_tie"] is not None:
        out["last_tie"] = np.where(ends, year, S["last_tie"])
    if S["since"] is not None:
        out["since"] = np.where(newtie, year + 1, S["since"])
    if S["cinc0"] is not None:
        out["cinc0"] = np.where(newtie, S["cinc"][:, None], S["cinc0"])
    if S["poly0"] is not None:
        pol = S["polyarchy"] if S["polyarchy"] is not None else np.full(n, np.nan)
        out["poly0"] = np.where(newtie, pol[:, None], S["poly0"])
    if S["deg0"] is not None:
        out["deg0"] = np.where(newtie, deg[:, None], S["deg0"])
    M2 = M.copy()
    M2[first[has], np.nonzero(has)[0]] = True
    M2 &= (M2.astype(np.float64) @ D2.T.astype(np.float64)) > 0
    out["member"] = M2.astype(np.uint8)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--reps", type=int, default=20)
    ap.add_argument("--tol", type=float, default=1e-12)
    ap.add_argument("--json")
    a = ap.parse_args()
    meta = json.load(open(os.path.join(a.dir, "meta.json")))
    n, T = meta["n"], meta["ntreaties"]
    nn = (n, n)
    spec = {"cinc": ("f8", n), "ideal": ("f8", n), "polyarchy": ("f8", n), "major": ("u1", n),
            "dist": ("f8", nn), "contig": ("u1", nn), "hostility": ("f8", nn), "defence": ("u1", nn),
            "presence": ("f8", nn), "since": ("i4", nn), "cinc0": ("f8", nn), "poly0": ("f8", nn),
            "deg0": ("i4", nn), "member": ("u1", (T, n)), "last_tie": ("i4", nn), "lesser": ("u1", nn),
            "offset": ("f8", n)}
    ext = {"f8": "f64", "u1": "u8", "i4": "i32"}
    S = {k: load(a.dir, "%s.%s" % (k, ext[t]), t, shape) for k, (t, shape) in spec.items()}
    if S["member"] is None:
        S["member"] = np.zeros((0, n), np.uint8)
    best = best_step = float("inf")
    rng = np.random.default_rng(20211115)
    for _ in range(max(1, a.reps)):
        # CPU time, as the C side measures it: a shared machine's queue for the cores is not work
        t0 = time.process_time()
        u, p_form, p_end, p_join, _ = probabilities(S, meta)
        t1 = time.process_time()
        nxt = step(S, meta, rng)
        t2 = time.process_time()
        best = min(best, t1 - t0)
        best_step = min(best_step, t2 - t1)
    changed = int((nxt["defence"] != S["defence"]).sum() // 2)
    C = {k: load(a.dir, k + ".f64", "f8", shape) for k, shape in
         [("u_sparse", nn), ("pend_sparse", nn), ("pjoin_sparse", (T, n)), ("u_lib", nn), ("pform_lib", nn),
          ("pend_lib", nn), ("pjoin_lib", (T, n))]}
    mine = {"u": u, "pform": p_form, "pend": p_end, "pjoin": p_join}
    rows, worst = [], 0.0
    for key, arr in C.items():
        if arr is None:
            arr = np.zeros((0, n))
        name = key.split("_")[0]
        d = float(np.max(np.abs(arr - mine[name]))) if arr.size else 0.0
        worst = max(worst, d)
        rows.append((key, d))
    sec = meta["seconds"]
    out = {"n": n, "ntreaties": T, "defence_ties": meta["defence_ties"], "numpy_seconds": best,
           "numpy_step_seconds": best_step, "step_dyads_changed": changed,
           "c_seconds": sec, "max_abs_diff": dict(rows), "worst": worst, "tol": a.tol,
           "numpy": np.__version__, "python": sys.version.split()[0],
           "pairs_untied": int(((S["defence"] == 0) & ~np.eye(n, dtype=bool)).sum() // 2),
           "mean_p_form": float(p_form[np.triu_indices(n, 1)].mean()),
           "mean_p_end": float(p_end[S["defence"] != 0].mean()) if meta["defence_ties"] else 0.0}
    print("n = %d states, %d multilateral treaties, %d defence ties; C best of %d, numpy best of %d"
          % (n, T, meta["defence_ties"], meta["reps"], a.reps))
    print("| array (C) | max abs difference from numpy |")
    print("|---|---|")
    for key, d in rows:
        print("| %s | %.3g |" % (key, d))
    print()
    print("| side | CPU ms per simulated year | vs numpy |")
    print("|---|---|---|")
    for label, t in [("C, the simulation's sparse copy (ent_model_pact_probs)", sec["sparse_probs"]),
                     ("C, the library (ent_pactmodel_probs)", sec["library_probs"]),
                     ("C, the library's whole step with draws (ent_pactmodel_step)", sec["library_step"]),
                     ("numpy, dense probabilities (this script)", best),
                     ("numpy, whole step with draws (this script)", best_step)]:
        print("| %s | %.3f | %.1fx |" % (label, 1e3 * t, best / t))
    print()
    print("numpy step: %d dyads changed in the last simulated year (its own draws)" % changed)
    print()
    print("agreement: worst %.3g (tolerance %g): %s" % (worst, a.tol, "OK" if worst <= a.tol else "FAILED"))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)
    return 0 if worst <= a.tol else 1


if __name__ == "__main__":
    sys.exit(main())
