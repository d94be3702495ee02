#!/usr/bin/python3
"""similarity_all.py -- the numpy peer of `entente similarity --source atop --from Y1 --to Y2 --csv`.

Computes the same five measures (Signorino-Ritter S unweighted and CINC-weighted,
Cohen's quadratic-weighted kappa, Scott's pi, Kendall's tau-b) for every dyad-year,
vectorised: per year, the one-hot indicator matrices O_a = [X == a] of the n x n
ordinal portfolio matrix X give every dyad's 4 x 4 contingency table at once,
T_ab = O_a O_b' (and the weighted one O_a diag(w) O_b'), and each measure is then an
elementwise expression over the 16 n x n tables -- the textbook numpy way, BLAS
doing the counting.

It reads the same inputs from the same store (Python's sqlite3): the COW system
members of each year (system_years), ATOP dyad-year obligations
(alliance_dyad_years, dataset 'atop'), and CINC of the newest NMC version, with the
same conventions as src/measures/similarity.c (docs/measures.md): ATOP ordinal
coding 3 defence/offence, 2 neutrality/consultation, 1 non-aggression only; each
state 3 towards itself; d_max = 3; weights = CINC shares over the system (a missing
CINC weighs 0); 0/0 is NaN.

usage: similarity_all.py DB FROM TO [--out FILE.csv] [--compare ENTENTE.csv]
  --out      write the CSV entente writes (ccode1,ccode2,year,s,sw,kappa,pi,taub)
  --compare  read entente's CSV and print the max abs difference per measure
Timings of each phase go to stderr as "phase seconds".
"""
import sqlite3
import sys
import time

import numpy as np

MEASURES = ("s", "sw", "kappa", "pi", "taub")


def load(db, y0, y1):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    members = {}
    for year, ccode in con.execute(
        "SELECT year, ccode FROM system_years WHERE year BETWEEN ? AND ? ORDER BY year, ccode", (y0, y1)
    ):
        members.setdefault(year, []).append(ccode)
    # as entente does: a year the COW system file does not cover (2017-2018) takes the states whose
    # membership spells cover some of it
    for year in range(y0, y1 + 1):
        if year not in members:
            rows = con.execute(
                "SELECT DISTINCT ccode FROM state_spells WHERE start_date <= ? * 10000 + 1231 "
                "AND (end_date IS NULL OR end_date >= ? * 10000 + 101) ORDER BY ccode", (year, year)).fetchall()
            if rows:
                members[year] = [r[0] for r in rows]
    version = con.execute(
        "SELECT version FROM capabilities GROUP BY version "
        "ORDER BY CAST(ltrim(version, 'abcdefghijklmnopqrstuvwxyz_') AS INTEGER) DESC, version DESC LIMIT 1"
    ).fetchone()
    cinc = {}
    if version:
        for year, ccode, c in con.execute(
            "SELECT year, ccode, cinc FROM capabilities WHERE version = ? AND cinc IS NOT NULL "
            "AND year BETWEEN ? AND ?",
            (version[0], y0, y1),
        ):
            cinc[(year, ccode)] = c
    rows = np.array(
        con.execute(
            "SELECT year, ccode1, ccode2, defense, offense, neutral, nonagg, consul "
            "FROM alliance_dyad_years WHERE dataset = 'atop' AND year BETWEEN ? AND ?",
            (y0, y1),
        ).fetchall(),
        dtype=np.int64,
    ).reshape(-1, 8)
    con.close()
    return members, cinc, rows


def year_matrices(year, ccodes, cinc, rows):
    """The ordinal portfolio matrix X (n x n) and the weights w of one year."""
    n = len(ccodes)
    cc = np.array(ccodes)
    pos = np.full(1000, -1, dtype=np.int64)
    pos[cc] = np.arange(n)
    r = rows[rows[:, 0] == year]
    i, j = pos[r[:, 1]], pos[r[:, 2]]
    keep = (i >= 0) & (j >= 0) & (i != j)
    r, i, j = r[keep], i[keep], j[keep]
    # the same dyad may not repeat in the store (primary key), so plain assignment is an OR
    code = np.where(
        (r[:, 3] | r[:, 4]) == 1, 3, np.where((r[:, 5] | r[:, 7]) == 1, 2, np.where(r[:, 6] == 1, 1, 0))
    )
    X = np.zeros((n, n), dtype=np.int8)
    X[i, j] = code
    np.fill_diagonal(X, 3)
    c = np.array([cinc.get((year, k), np.nan) for k in ccodes], dtype=float)
    ok = ~np.isnan(c) & (c > 0)
    total = c[ok].sum()
    w = np.where(ok, c / total, 0.0) if total > 0 else np.zeros(n)
    return X, w


def measures(X, w, dmax=3.0, squared=False):
    """All five measures for every pair (i, j) of rows of X, as n x n arrays."""
    L = 4
    n = X.shape[0]
    m = X.shape[1]
    # every dyad's table from one matrix product over the non-zero levels 1..3 (a portfolio is
    # mostly 0s; the 0 row and column of each table follow from the margins):
    # C[a, b, i, j] = #k with x_ik = a+1 and x_jk = b+1
    P = np.stack([(X == a) for a in range(1, L)]).astype(float)  # (L-1, n, m)
    flat = P.reshape((L - 1) * n, m)
    T = np.empty((L, L, n, n))
    TW = np.empty((L, L, n, n))
    for tab, left, tot, marg in ((T, flat, m, P.sum(axis=2)), (TW, flat * w, w.sum(), (P * w).sum(axis=2))):
        C = (left @ flat.T).reshape(L - 1, n, L - 1, n).transpose(0, 2, 1, 3)
        tab[1:, 1:] = C
        # marg[a-1, i]: (weighted) items where i is at level a >= 1
        tab[1:, 0] = marg[:, :, None] - C.sum(axis=1)
        tab[0, 1:] = marg[:, None, :] - C.sum(axis=0)
        tab[0, 0] = tot - tab[1:].sum(axis=(0, 1)) - tab[0, 1:].sum(axis=0)
    lev = np.arange(L, dtype=float)
    d = np.abs(lev[:, None] - lev[None, :])
    dd = d * d if squared else d
    dm = dmax * dmax if squared else dmax
    N = T.sum(axis=(0, 1))
    W = TW.sum(axis=(0, 1))
    r = T.sum(axis=1)  # (L, n, n): row margins
    c = T.sum(axis=0)  # column margins
    with np.errstate(divide="ignore", invalid="ignore"):
        s = 1 - 2 * np.tensordot(dd, T, axes=([0, 1], [0, 1])) / (N * dm)
        sw = np.where(W > 0, 1 - 2 * np.tensordot(dd, TW, axes=([0, 1], [0, 1])) / (W * dm), np.nan)
        dobs2 = np.tensordot(d * d, T, axes=([0, 1], [0, 1]))
        dexp = np.einsum("ab,aij,bij->ij", d * d, r, c, optimize=True) / N
        kappa = np.where(dexp > 0, 1 - dobs2 / dexp, np.nan)
        po = np.einsum("aaij->ij", T) / N
        pe = (((r + c) / (2 * N)) ** 2).sum(axis=0)
        pi = np.where(pe < 1, (po - pe) / (1 - pe), np.nan)
        # tau-b: concordant = each cell times the cells below-right of it, discordant below-left
        below = np.cumsum(T[::-1], axis=0)[::-1]  # rows >= a
        below = np.concatenate([below[1:], np.zeros_like(below[:1])])  # rows > a
        right = np.cumsum(below[:, ::-1], axis=1)[:, ::-1]  # columns >= b
        right = np.concatenate([right[:, 1:], np.zeros_like(right[:, :1])], axis=1)  # columns > b
        left = np.cumsum(below, axis=1) - below  # columns < b
        nc = (T * right).sum(axis=(0, 1))
        nd = (T * left).sum(axis=(0, 1))
        n0 = N * (N - 1) / 2
        tx = (r * (r - 1) / 2).sum(axis=0)
        ty = (c * (c - 1) / 2).sum(axis=0)
        den = (n0 - tx) * (n0 - ty)
        taub = np.where(den > 0, (nc - nd) / np.sqrt(np.where(den > 0, den, 1)), np.nan)
    return s, sw, kappa, pi, taub


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 1
    db, y0, y1 = argv[1], int(argv[2]), int(argv[3])
    out = cmp_path = None
    rest = argv[4:]
    while rest:
        if rest[0] == "--out" and len(rest) > 1:
            out, rest = rest[1], rest[2:]
        elif rest[0] == "--compare" and len(rest) > 1:
            cmp_path, rest = rest[1], rest[2:]
        else:
            sys.stderr.write(__doc__)
            return 1
    t0 = time.perf_counter()
    members, cinc, rows = load(db, y0, y1)
    t1 = time.perf_counter()
    blocks = []
    for year in range(y0, y1 + 1):
        ccodes = members.get(year, [])
        n = len(ccodes)
        if n < 2:
            continue
        X, w = year_matrices(year, ccodes, cinc, rows)
        ms = measures(X, w)
        iu, ju = np.triu_indices(n, 1)
        cc = np.array(ccodes)
        blocks.append(np.column_stack([cc[iu], cc[ju], np.full(iu.size, year)] + [m[iu, ju] for m in ms]))
    res = np.vstack(blocks) if blocks else np.zeros((0, 8))
    t2 = time.perf_counter()
    sys.stderr.write(f"load {t1 - t0:.3f}\ncompute {t2 - t1:.3f}\ndyads {res.shape[0]}\n")
    if out:
        with open(out, "w") as f:
            f.write("ccode1,ccode2,year," + ",".join(MEASURES) + "\n")
            np.savetxt(f, res, fmt=["%d", "%d", "%d"] + ["%.15f"] * 5, delimiter=",")
        sys.stderr.write(f"write {time.perf_counter() - t2:.3f}\n")
    if cmp_path:
        txt = open(cmp_path).read().replace("NA", "nan")
        ent = np.loadtxt(txt.splitlines(), delimiter=",", skiprows=1, ndmin=2)
        if ent.shape != res.shape:
            print(f"compare: entente has {ent.shape[0]} rows, numpy {res.shape[0]}")
            return 2
        if not np.array_equal(ent[:, :3], res[:, :3]):
            print("compare: the dyad-years (ccode1, ccode2, year) differ")
            return 2
        worst = 0.0
        for k, name in enumerate(MEASURES):
            a, b = ent[:, 3 + k], res[:, 3 + k]
            if not np.array_equal(np.isnan(a), np.isnan(b)):
                print(f"compare: {name}: NaN in different rows ({np.isnan(a).sum()} vs {np.isnan(b).sum()})")
                return 2
            ok = ~np.isnan(a)
            diff = float(np.max(np.abs(a[ok] - b[ok]))) if ok.any() else 0.0
            worst = max(worst, diff)
            print(f"compare: {name}: max abs diff {diff:.3g} over {int(ok.sum())} values ({int((~ok).sum())} NaN)")
        print(f"compare: max abs diff {worst:.3g}")
        return 0 if worst < 1e-9 else 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
