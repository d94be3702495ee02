#!/usr/bin/python3
"""panel_pandas.py -- the numpy/pandas peer of `entente dyads --from Y1 --to Y2 [--directed] --out FILE.csv`.

Builds the same dyad-year panel, every column, from the same store (Python's sqlite3), the way a
researcher writes it with pandas: the dyad set from the system members (the same 2017-2018 spell
rule, via bench/similarity_all.py's loader) less the false dyads; merges for every dyadic and
state-year source; merge_asof for the years since the last defence tie; spells expanded to years;
per-year dense matrix products for the shared partners/opponents/rivals and for UN vote
agreement; the five similarity scores from bench/similarity_all.py's vectorised measures; then
DataFrame.to_csv. Definitions: docs/measures.md, "The dyad-year panel".

usage: panel_pandas.py DB FROM TO OUT.csv [--directed] [--compare ENTENTE.csv [--reuse]]
  --compare  read entente's CSV and print the largest difference per column (every value)
  --reuse    with --compare: read OUT.csv written by an earlier run instead of building it again
Phase timings go to stderr as "phase seconds".
"""
import os
import sqlite3
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from similarity_all import load, measures, year_matrices  # noqa: E402

COLS = ["new_defence", "atop_defense", "atop_offense", "atop_neutrality", "atop_nonagg", "atop_consul",
        "cow_defense", "cow_neutrality", "cow_entente", "years_since_defence", "ever_defence",
        "common_defence_partners", "defdeg1", "defdeg2", "ldist", "contig_land", "contig_sea", "cinc1", "cinc2",
        "cinc_ratio", "major1", "major2", "polyarchy1", "polyarchy2", "polity2_1", "polity2_2", "joint_democracy",
        "democ_missing", "mid_onset", "mid_ongoing", "mids_10y", "shared_mid_opponents", "rivalry", "shared_rivals",
        "trade_flow", "trade_share1", "trade_share2", "joint_igo", "idealpoint_dist", "vote_agree", "vote_n",
        "vote_few", "s_unweighted", "s_weighted", "kappa", "pi", "taub", "cow_nonagg", "conttype", "capdist",
        "uds1", "uds2", "trade_imports1", "trade_imports2"]


def main(argv):
    db, y0, y1, out = argv[1], int(argv[2]), int(argv[3]), argv[4]
    directed = "--directed" in argv
    compare = argv[argv.index("--compare") + 1] if "--compare" in argv else None
    if compare and "--reuse" in argv:  # compare the CSV a previous run wrote, without rebuilding it
        return compare_csv(pd.read_csv(out), compare, directed)
    t = time.perf_counter()
    phases = []

    def phase(name):
        nonlocal t
        now = time.perf_counter()
        phases.append(f"{name} {now - t:.2f}")
        t = now

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    q = lambda sql: pd.read_sql_query(sql, con)  # noqa: E731
    atop = q("SELECT ccode1 a, ccode2 b, year, defense, offense, neutral, nonagg, consul FROM alliance_dyad_years "
             "WHERE dataset = 'atop'")
    cow = q("SELECT ccode1 a, ccode2 b, year, defense, neutral, nonagg, entente FROM alliance_dyad_years "
            "WHERE dataset = 'cow'")
    mid = q("SELECT ccode1 a, ccode2 b, year, onset, ongoing FROM mid_dyad_years WHERE dataset = 'cow'")
    igo = q("SELECT ccode1 lo, ccode2 hi, year, igos FROM igo_dyad_years")
    trade = q("SELECT ccode1 lo, ccode2 hi, year, flow1, flow2 FROM trade_dyad_years")
    cap = q("SELECT ccode1 lo, ccode2 hi, year, km FROM capital_distance")
    false = q("SELECT ccode1 lo, ccode2 hi, year FROM false_dyads WHERE ccode1 < ccode2")
    cont = q("SELECT ccode1 a, ccode2 b, conttype, start_date / 10000 s, end_date / 10000 e FROM contiguity "
             "WHERE conttype > 0")
    riv = q("SELECT ccode1 a, ccode2 b, start_year s, coalesce(end_year, 9999) e FROM rivalries WHERE dataset='tss'")
    riv_last = con.execute("SELECT max(last_year) FROM imports WHERE format = 'tss-rivalries'").fetchone()[0] or 9999
    maj = q("SELECT ccode, start_date / 10000 s, end_date / 10000 e FROM major_powers")
    reg = q("SELECT ccode, year, polyarchy, polity2, uds FROM regime")
    tsy = q("SELECT ccode, year, imports + exports tot FROM trade_state_years")
    ide = q("SELECT ccode, year, ideal FROM unga_ideal")
    votes = q("SELECT v.ccode, v.rcid, v.vote, coalesce(r.date / 10000, 1945 + r.session) year "
              "FROM un_votes v JOIN un_roll_calls r ON r.rcid = v.rcid")
    members, cinc, rows = load(db, y0, y1)
    phase("read")

    # ---- the dyad set (undirected, ccode1 < ccode2), similarity, CINC, per-year matrix terms
    atop["lo"], atop["hi"] = np.minimum(atop.a, atop.b), np.maximum(atop.a, atop.b)
    adef = atop[atop.defense == 1]
    mid["lo"], mid["hi"] = np.minimum(mid.a, mid.b), np.maximum(mid.a, mid.b)
    vyears = set(votes.year.unique())
    parts = []
    for y in range(y0, y1 + 1):
        cc = np.array(members[y])
        n = len(cc)
        pos = np.full(1000, -1)
        pos[cc] = np.arange(n)
        i, j = np.triu_indices(n, 1)
        X, w = year_matrices(y, list(cc), cinc, rows)
        s, sw, kappa, pi, taub = measures(X, w)
        D = np.zeros((n, n))
        e = adef[adef.year == y]
        ok = (pos[e.a] >= 0) & (pos[e.b] >= 0)
        D[pos[e.a[ok]], pos[e.b[ok]]] = 1
        D = np.maximum(D, D.T)
        M = np.zeros((n, n))
        e = mid[(mid.year == y) & (mid.ongoing == 1)]
        ok = (pos[e.a] >= 0) & (pos[e.b] >= 0)
        M[pos[e.a[ok]], pos[e.b[ok]]] = 1
        M = np.maximum(M, M.T)
        R = np.zeros((n, n))
        e = riv[(riv.s <= y) & (riv.e >= y)]
        ok = (pos[e.a] >= 0) & (pos[e.b] >= 0)
        R[pos[e.a[ok]], pos[e.b[ok]]] = 1
        R = np.maximum(R, R.T)
        deg = D.sum(axis=1)
        cinc_y = np.array([cinc.get((y, k), np.nan) for k in cc])
        part = {"ccode1": cc[i], "ccode2": cc[j], "year": y, "s_unweighted": s[i, j], "s_weighted": sw[i, j],
                "kappa": kappa[i, j], "pi": pi[i, j], "taub": taub[i, j], "common_defence_partners": (D @ D)[i, j],
                "defdeg1": deg[i], "defdeg2": deg[j], "shared_mid_opponents": (M @ M)[i, j],
                "shared_rivals": (R @ R)[i, j], "cinc1": cinc_y[i], "cinc2": cinc_y[j]}
        if y in vyears:
            v = votes[votes.year == y]
            rc = {r: k for k, r in enumerate(sorted(v.rcid.unique()))}
            V = np.zeros((n, len(rc)), dtype=np.int8)
            ok = pos[v.ccode] >= 0
            V[pos[v.ccode[ok]], v.rcid[ok].map(rc)] = v.vote[ok]
            Y, A, N_ = [(V == k).astype(float) for k in (1, 2, 3)]
            any_ = Y + A + N_
            nvote = any_ @ any_.T
            same = Y @ Y.T + A @ A.T + N_ @ N_.T
            half = A @ (Y + N_).T
            half = half + half.T
            with np.errstate(divide="ignore", invalid="ignore"):
                agree = np.where(nvote > 0, (same + 0.5 * half) / nvote, np.nan)
            part.update(vote_n=nvote[i, j], vote_agree=agree[i, j], vote_few=(nvote[i, j] < 10).astype(float))
        parts.append(pd.DataFrame(part))
    P = pd.concat(parts, ignore_index=True)
    P = P.merge(false.rename(columns={"lo": "ccode1", "hi": "ccode2"}), how="left", indicator=True)
    P = P[P._merge == "left_only"].drop(columns="_merge").reset_index(drop=True)
    phase("dyads+similarity+matrices")

    key = ["ccode1", "ccode2", "year"]
    # ---- alliances
    ob = atop.groupby(["lo", "hi", "year"])[["defense", "offense", "neutral", "nonagg", "consul"]].max()
    ob.columns = ["atop_defense", "atop_offense", "atop_neutrality", "atop_nonagg", "atop_consul"]
    ob.index.names = key
    P = P.join(ob, on=key)
    P[ob.columns] = P[ob.columns].fillna(0)
    dd = adef[["lo", "hi", "year"]].drop_duplicates()
    nxt = dd.assign(year=dd.year - 1, dnext=1.0).set_index(["lo", "hi", "year"])["dnext"]
    nxt.index.names = key
    P = P.join(nxt, on=key)
    last_atop = atop.year.max()
    P["new_defence"] = np.where(P.year + 1 > last_atop, np.nan,
                                ((P.dnext.fillna(0) == 1) & (P.atop_defense == 0)).astype(float))
    hist = dd.rename(columns={"lo": "ccode1", "hi": "ccode2"}).assign(lastdef=lambda d: d.year).sort_values("year")
    P = pd.merge_asof(P.sort_values("year"), hist, on="year", by=["ccode1", "ccode2"], direction="backward")
    P = P.sort_values(key).reset_index(drop=True)
    P["years_since_defence"] = P.year - P.lastdef
    P["ever_defence"] = P.lastdef.notna().astype(float)
    cow["lo"], cow["hi"] = np.minimum(cow.a, cow.b), np.maximum(cow.a, cow.b)
    cb = cow.groupby(["lo", "hi", "year"])[["defense", "neutral", "nonagg", "entente"]].max()
    cb.columns = ["cow_defense", "cow_neutrality", "cow_nonagg", "cow_entente"]
    cb.index.names = key
    P = P.join(cb, on=key)
    incow = (P.year >= cow.year.min()) & (P.year <= cow.year.max())
    for c in cb.columns:
        P[c] = np.where(incow, P[c].fillna(0), np.nan)
    # ---- geography
    P = P.join(cap.rename(columns={"lo": "ccode1", "hi": "ccode2"}).set_index(key)["km"], on=key)
    P["capdist"] = P.km
    P["ldist"] = np.log1p(P.km)
    yrs = [(r.a, r.b, y, r.conttype) for r in cont.itertuples(index=False) for y in range(r.s, r.e + 1)]
    ct = pd.DataFrame(yrs, columns=key + ["conttype"]).groupby(key)["conttype"].min()
    P = P.join(ct, on=key)
    incont = P.year <= cont.e.max()
    P["conttype"] = np.where(incont, P.conttype.fillna(0), np.nan)
    P["contig_land"] = np.where(incont, (P.conttype == 1).astype(float), np.nan)
    P["contig_sea"] = np.where(incont, ((P.conttype >= 2) & (P.conttype <= 5)).astype(float), np.nan)
    # ---- power, regime, state-year sources
    with np.errstate(divide="ignore", invalid="ignore"):
        hi_, lo_ = np.maximum(P.cinc1, P.cinc2), np.minimum(P.cinc1, P.cinc2)
        P["cinc_ratio"] = np.where((P.cinc1 > 0) & (P.cinc2 > 0), hi_ / lo_, np.nan)
    mj = set((r.ccode, y) for r in maj.itertuples(index=False) for y in range(r.s, r.e + 1))
    inmaj = P.year <= maj.e.max()
    for k, c in (("1", "ccode1"), ("2", "ccode2")):
        P["major" + k] = np.where(inmaj, [float((a, y) in mj) for a, y in zip(P[c], P.year)], np.nan)
        r_ = reg.rename(columns={"ccode": c, "polyarchy": "polyarchy" + k, "polity2": "polity2_" + k,
                                 "uds": "uds" + k}).set_index([c, "year"])
        P = P.join(r_, on=[c, "year"])
        P = P.join(tsy.rename(columns={"ccode": c, "tot": "tot" + k}).set_index([c, "year"]), on=[c, "year"])
        P = P.join(ide.rename(columns={"ccode": c, "ideal": "ideal" + k}).set_index([c, "year"]), on=[c, "year"])
    miss = P.polity2_1.isna() | P.polity2_2.isna()
    P["joint_democracy"] = np.where(miss, np.nan, ((P.polity2_1 >= 6) & (P.polity2_2 >= 6)).astype(float))
    P["democ_missing"] = miss.astype(float)
    P["idealpoint_dist"] = (P.ideal1 - P.ideal2).abs()
    # ---- conflict
    mf = mid.groupby(["lo", "hi", "year"])[["onset", "ongoing"]].max()
    mf.index.names = key
    P = P.join(mf, on=key)
    inmid = (P.year >= mid.year.min()) & (P.year <= mid.year.max())
    P["mid_onset"] = np.where(inmid, P.onset.fillna(0), np.nan)
    P["mid_ongoing"] = np.where(inmid, P.ongoing.fillna(0), np.nan)
    on = mid[mid.onset == 1][["lo", "hi", "year"]].drop_duplicates()
    win = pd.concat([on.assign(year=on.year + k) for k in range(10)]).groupby(["lo", "hi", "year"]).size()
    win.index.names = key
    P = P.join(win.rename("m10"), on=key)
    P["mids_10y"] = np.where(inmid, P.m10.fillna(0), np.nan)
    P["shared_mid_opponents"] = np.where(inmid, P.shared_mid_opponents, np.nan)
    rv = set((min(r.a, r.b), max(r.a, r.b), y) for r in riv.itertuples(index=False)
             for y in range(max(r.s, y0), min(r.e, y1) + 1))
    inriv = P.year <= riv_last
    P["rivalry"] = np.where(inriv, [float(k in rv) for k in zip(P.ccode1, P.ccode2, P.year)], np.nan)
    P["shared_rivals"] = np.where(inriv, P.shared_rivals, np.nan)
    # ---- economy, institutions, votes
    P = P.join(trade.rename(columns={"lo": "ccode1", "hi": "ccode2"}).set_index(key), on=key)
    P["trade_imports1"], P["trade_imports2"] = P.flow1, P.flow2
    P["trade_flow"] = P.flow1 + P.flow2
    with np.errstate(divide="ignore", invalid="ignore"):
        P["trade_share1"] = np.where(P.tot1 > 0, P.trade_flow / P.tot1, np.nan)
        P["trade_share2"] = np.where(P.tot2 > 0, P.trade_flow / P.tot2, np.nan)
    P = P.join(igo.rename(columns={"lo": "ccode1", "hi": "ccode2", "igos": "joint_igo"}).set_index(key), on=key)
    for c in ("vote_n", "vote_agree", "vote_few"):
        if c not in P:
            P[c] = np.nan
    phase("merges")

    if directed:  # both orders: swap the "1" and "2" columns; ATOP types stay either-direction here
        Q = P.copy()
        for a, b in (("ccode1", "ccode2"), ("defdeg1", "defdeg2"), ("cinc1", "cinc2"), ("major1", "major2"),
                     ("polyarchy1", "polyarchy2"), ("polity2_1", "polity2_2"), ("trade_share1", "trade_share2"),
                     ("uds1", "uds2"), ("trade_imports1", "trade_imports2")):
            Q[a], Q[b] = P[b], P[a]
        P = pd.concat([P, Q])
    P = P.sort_values(["year", "ccode1", "ccode2"]).reset_index(drop=True)[key + COLS]
    P.to_csv(out, index=False, float_format="%.15g", na_rep="")
    phase("to_csv")
    print(" ".join(phases), file=sys.stderr)

    return compare_csv(P, compare, directed) if compare else 0


def compare_csv(P, compare, directed):
    E = pd.read_csv(compare)
    worst, differ = 0.0, False
    assert list(E.columns) == list(P.columns), "columns differ"
    assert len(E) == len(P), f"rows differ: {len(E)} vs {len(P)}"
    for c in P.columns:
        if directed and c.startswith("atop_"):
            continue  # the peer keeps either-direction types; entente writes ccode1's
        x, y = E[c].to_numpy(float), P[c].to_numpy(float)
        bad = ~((np.isnan(x) & np.isnan(y)) | (np.abs(x - y) <= 1e-9 * np.maximum(1, np.abs(y))))
        if bad.any():
            k = np.argmax(bad)
            print(f"compare: {c}: {bad.sum()} values differ, e.g. row {k}: entente {x[k]} peer {y[k]}")
            differ = True
        else:
            d = np.nanmax(np.abs(x - y)) if len(x) else 0.0
            worst = max(worst, 0.0 if np.isnan(d) else d)
    print(f"compare: max abs diff {worst:.3g}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
