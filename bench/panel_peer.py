#!/usr/bin/python3
"""panel_peer.py -- an independent numpy/pandas build of the undirected dyad-year
research panel of issue 11 (the contract in the `entente dyads` panel), read
straight from ../shared/data.

It exists for two reasons: `entente backtest` needs a panel to be developed and
validated against before `entente dyads` grows its research columns, and it is
the peer the C panel is later compared with. Column names follow the contract;
the similarity columns (s_unweighted ... taub) are not built here (`entente
similarity` computes them) and are simply absent.

Every feature is measured in year t or earlier; the outcome new_defence is
"an ATOP defence obligation (either direction) in t+1 and none in t", empty in
the last year of the panel. Dating rules:
  dyad set       codes/cow_ddy.csv.gz (COW members, extended to 2024), ccode1 < ccode2,
                 minus codes/false_cow_dyads.csv
  atop_*         ATOP 5.1 directed dyad-year, either direction (max of the two)
  cow_*          COW alliances v4.1 (to 2012; empty afterwards)
  history        years_since_defence = t - last year <= t with an ATOP defence tie
                 (empty if none since 1815); ever_defence; common_defence_partners =
                 third states both have a defence tie with in t; defdeg1/2 = partners in t
  ldist          log(1 + km between capitals as of 1 January of t)
  contig_*       COW direct contiguity spells active in t (type 1 land; 2-5 sea); spells
                 ending in 2016 (the data's end) are carried to 2018
  cinc, majors   NMC v7 in t; COW major-power spells (2016 ends carried forward)
  regime         polity2 and V-Dem polyarchy in t (isard_cw_democracy.csv)
  conflict       GML MID 2.x dyad-years (to 2014): onset, ongoing in t; onsets in t-9..t;
                 third states both had an ongoing MID with in t; Thompson-Dreyer strategic
                 rivalries active in t (empty end = ongoing) and shared rivals
  trade          COW trade 4.0 (1870-2014): flow1 + flow2 (-9 = missing), shares of each
                 side's imports + exports
  joint_igo      COW IGO dyadic (to 2014)
  unga           Bailey-Strezhnev-Voeten ideal points (session s = year s + 1945);
                 vote agreement over roll calls of year t both voted on (yes/no/abstain
                 identical), vote_n, vote_few = vote_n < 10

usage: panel_peer.py OUT.csv [--from 1946] [--to 2018] [--data ../shared/data]
       [--perturb-from Y --seed S]   (the leakage check: every ATOP defence tie of the
                                      dyads in years >= Y is redrawn at random before
                                      anything is computed)
"""
import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

Y0, Y1 = 1816, 2018


def log(msg):
    print(f"panel_peer: {msg}", file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--from", dest="yfrom", type=int, default=1946)
    ap.add_argument("--to", dest="yto", type=int, default=2018)
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("--perturb-from", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    D = a.data
    t0 = time.time()
    NY = Y1 - Y0 + 1

    # ---------------------------------------------------------------- dyad set
    ddy = pd.read_csv(f"{D}/codes/cow_ddy.csv.gz")
    ddy = ddy[(ddy.ccode1 < ddy.ccode2) & (ddy.year <= Y1) & (ddy.year >= Y0)]
    false = pd.read_csv(f"{D}/codes/false_cow_dyads.csv")
    f2 = pd.DataFrame({"ccode1": np.minimum(false.ccode1, false.ccode2),
                       "ccode2": np.maximum(false.ccode1, false.ccode2), "year": false.year, "false": 1})
    ddy = ddy.merge(f2.drop_duplicates(["ccode1", "ccode2", "year"]), how="left", on=["ccode1", "ccode2", "year"])
    ddy = ddy[ddy["false"].isna()][["ccode1", "ccode2", "year"]]
    dy = ddy[["ccode1", "ccode2"]].drop_duplicates().sort_values(["ccode1", "ccode2"]).reset_index(drop=True)
    dy["d"] = np.arange(len(dy))
    ND = len(dy)
    key = dy.ccode1.values * 1000 + dy.ccode2.values
    alive = np.zeros((ND, NY), bool)
    r = ddy.merge(dy, on=["ccode1", "ccode2"])
    alive[r.d.values, r.year.values - Y0] = True
    log(f"{ND} dyads, {alive.sum()} dyad-years ({time.time() - t0:.1f} s)")

    def dyad_index(c1, c2):
        """Row of each (c1, c2) pair in dy (unordered), -1 when not a system dyad."""
        lo = np.minimum(c1, c2).astype(np.int64)
        hi = np.maximum(c1, c2).astype(np.int64)
        k = lo * 1000 + hi
        pos = np.searchsorted(key, k)
        pos[pos >= ND] = 0
        ok = key[pos] == k
        return np.where(ok, pos, -1)

    def grid(c1, c2, year, val, fill=0.0, agg="max"):
        """A dense (dyad x year) array from a long table; cells never mentioned hold `fill`."""
        g = np.full((ND, NY), fill)
        d = dyad_index(np.asarray(c1), np.asarray(c2))
        y = np.asarray(year) - Y0
        ok = (d >= 0) & (y >= 0) & (y < NY)
        d, y, v = d[ok], y[ok], np.asarray(val, float)[ok]
        if agg == "max":
            g2 = np.full((ND, NY), -np.inf)
            np.maximum.at(g2, (d, y), v)
            m = np.isfinite(g2)
            g[m] = g2[m]
        else:
            g[d, y] = v
        return g

    cols = {}
    # ---------------------------------------------------------------- ATOP
    at = pd.read_csv(f"{D}/atop/atop5_1_directed_dyad_year.csv")
    at = at[(at.year >= 1815) & (at.year <= Y1)]
    if a.perturb_from:
        # The leakage check: redraw every defence tie from perturb_from on.
        rng = np.random.default_rng(a.seed)
        m = at.year >= a.perturb_from
        at.loc[m, "atop_defense"] = rng.integers(0, 2, m.sum())
        extra = ddy[ddy.year >= a.perturb_from].sample(frac=0.02, random_state=a.seed)
        extra = extra.assign(atop_defense=1, atop_offense=0, atop_neutral=0, atop_nonagg=0, atop_consul=0)
        at = pd.concat([at, extra], ignore_index=True)
    obl = {}
    for src, name in [("atop_defense", "atop_defense"), ("atop_offense", "atop_offense"),
                      ("atop_neutral", "atop_neutrality"), ("atop_nonagg", "atop_nonagg"),
                      ("atop_consul", "atop_consul")]:
        obl[name] = grid(at.ccode1.values, at.ccode2.values, at.year.values, at[src].values)
        cols[name] = obl[name]
    defn = obl["atop_defense"] > 0
    # 1815 ties count as history only: keep an extra column for them
    d1815 = at[(at.year == 1815) & (at.atop_defense == 1)]
    pre = np.zeros(ND, bool)
    idx = dyad_index(d1815.ccode1.values, d1815.ccode2.values)
    pre[idx[idx >= 0]] = True

    nd = np.full((ND, NY), np.nan)
    nd[:, :-1] = ((defn[:, 1:]) & (~defn[:, :-1])).astype(float)
    cols["new_defence"] = nd

    # history: last year <= t with a tie
    yrs = np.arange(Y0, Y1 + 1, dtype=float)
    last = np.where(defn, yrs[None, :], -np.inf)
    last = np.maximum.accumulate(last, axis=1)
    last = np.where(np.isfinite(last), last, np.where(pre[:, None], 1815.0, -np.inf))
    cols["years_since_defence"] = np.where(np.isfinite(last), yrs[None, :] - last, np.nan)
    cols["ever_defence"] = np.isfinite(last).astype(float)

    # per-year defence graphs among all states (not only system dyads)
    atd = at[at.atop_defense == 1]
    atd = pd.DataFrame({"a": np.minimum(atd.ccode1, atd.ccode2), "b": np.maximum(atd.ccode1, atd.ccode2),
                        "year": atd.year}).drop_duplicates()

    def shared_third(edges, ycol="year"):
        """common[d, y]: third states linked to both ends of dyad d in year y; deg[c][y] per state."""
        common = np.zeros((ND, NY))
        deg = {}
        for y, e in edges.groupby(ycol):
            if y < Y0 or y > Y1:
                continue
            states = np.unique(np.concatenate([e.a.values, e.b.values]))
            ix = {c: i for i, c in enumerate(states)}
            A = np.zeros((len(states), len(states)))
            ia = np.array([ix[c] for c in e.a.values])
            ib = np.array([ix[c] for c in e.b.values])
            A[ia, ib] = 1
            A[ib, ia] = 1
            C = A @ A
            for c, i in ix.items():
                deg.setdefault(c, np.zeros(NY))[y - Y0] = A[i].sum()
            # dyads of the system whose both ends are in this year's graph
            sel = np.isin(dy.ccode1.values, states) & np.isin(dy.ccode2.values, states)
            ds = np.nonzero(sel)[0]
            i1 = np.array([ix[c] for c in dy.ccode1.values[ds]], dtype=int)
            i2 = np.array([ix[c] for c in dy.ccode2.values[ds]], dtype=int)
            common[ds, y - Y0] = C[i1, i2]
        return common, deg

    common, deg = shared_third(atd)
    cols["common_defence_partners"] = common
    z = np.zeros(NY)
    cols["defdeg1"] = np.array([deg.get(c, z) for c in dy.ccode1.values])
    cols["defdeg2"] = np.array([deg.get(c, z) for c in dy.ccode2.values])
    log(f"ATOP done ({time.time() - t0:.1f} s)")

    # ---------------------------------------------------------------- COW alliances (to 2012)
    cw = pd.read_csv(f"{D}/cow/cow_alliance_v4.1_directed_dyad_year.csv")
    last_cow = int(cw.year.max())
    for src, name in [("cow_defense", "cow_defense"), ("cow_neutral", "cow_neutrality"), ("cow_entente", "cow_entente")]:
        g = grid(cw.ccode1.values, cw.ccode2.values, cw.year.values, cw[src].values)
        g[:, last_cow - Y0 + 1:] = np.nan
        cols[name] = g

    # ---------------------------------------------------------------- geography
    cd = pd.read_csv(f"{D}/geo/cow_capdist_ndy_derived.csv.gz")
    cols["ldist"] = grid(cd.ccode1.values, cd.ccode2.values, cd.year.values, np.log1p(cd.capdist.values),
                         fill=np.nan, agg="set")
    ct = pd.read_csv(f"{D}/geo/cow_contdir.csv")
    ct["sy"] = ct.stdate.str[:4].astype(int)
    ct["ey"] = ct.enddate.str[:4].astype(int)
    ct.loc[ct.ey >= 2016, "ey"] = Y1
    land = np.zeros((ND, NY))
    sea = np.zeros((ND, NY))
    d = dyad_index(ct.ccode1.values, ct.ccode2.values)
    for di, t, sy, ey in zip(d, ct.conttype.values, ct.sy.values, ct.ey.values):
        if di < 0:
            continue
        g = land if t == 1 else sea
        g[di, max(sy, Y0) - Y0:min(ey, Y1) - Y0 + 1] = 1
    cols["contig_land"] = land
    cols["contig_sea"] = sea

    # ---------------------------------------------------------------- state-year attributes
    def state_grid(df, col):
        """(ccode -> yearly array) for one state-year column, NaN where absent."""
        out = {}
        df = df[(df.year >= Y0) & (df.year <= Y1)]
        for c, g in df.groupby("ccode"):
            arr = np.full(NY, np.nan)
            arr[g.year.values - Y0] = g[col].values
            out[c] = arr
        return out

    nanrow = np.full(NY, np.nan)

    def pair(sg):
        return (np.array([sg.get(c, nanrow) for c in dy.ccode1.values]),
                np.array([sg.get(c, nanrow) for c in dy.ccode2.values]))

    nmc = pd.read_csv(f"{D}/cow/nmc_v7.0_abridged.csv")
    c1, c2 = pair(state_grid(nmc, "cinc"))
    cols["cinc1"], cols["cinc2"] = c1, c2
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.maximum(c1, c2) / np.minimum(c1, c2)
    ratio[~((c1 > 0) & (c2 > 0))] = np.nan
    cols["cinc_ratio"] = ratio
    mj = pd.read_csv(f"{D}/cow/majors2016.csv")
    major = {}
    for c, sy, ey in zip(mj.ccode, mj.styear, mj.endyear):
        ey = Y1 if ey >= 2016 else ey
        major.setdefault(c, np.zeros(NY))[max(sy, Y0) - Y0:ey - Y0 + 1] = 1
    cols["major1"] = np.array([major.get(c, z) for c in dy.ccode1.values])
    cols["major2"] = np.array([major.get(c, z) for c in dy.ccode2.values])

    dem = pd.read_csv(f"{D}/regime/isard_cw_democracy.csv")
    p1, p2 = pair(state_grid(dem, "v2x_polyarchy"))
    cols["polyarchy1"], cols["polyarchy2"] = p1, p2
    q1, q2 = pair(state_grid(dem, "polity2"))
    cols["polity2_1"], cols["polity2_2"] = q1, q2
    jd = ((q1 >= 6) & (q2 >= 6)).astype(float)
    jd[np.isnan(q1) | np.isnan(q2)] = np.nan
    cols["joint_democracy"] = jd
    cols["democ_missing"] = (np.isnan(q1) | np.isnan(q2)).astype(float)
    log(f"geography, power, regime done ({time.time() - t0:.1f} s)")

    # ---------------------------------------------------------------- conflict
    mid = pd.read_csv(f"{D}/conflict/gml_mid_ddydisps.csv")
    last_mid = int(mid.year.max())
    on = grid(mid.ccode1.values, mid.ccode2.values, mid.year.values, mid.gmlmidonset.values)
    og = grid(mid.ccode1.values, mid.ccode2.values, mid.year.values, mid.gmlmidongoing.values)
    # onsets per dyad-year can exceed one: count them for the 10-year window
    cnt = np.zeros((ND, NY))
    mo = mid[mid.gmlmidonset == 1]
    dd = dyad_index(mo.ccode1.values, mo.ccode2.values)
    ok = (dd >= 0) & (mo.year.values >= Y0)
    np.add.at(cnt, (dd[ok], mo.year.values[ok] - Y0), 1)
    cs = np.cumsum(cnt, axis=1)
    m10 = cs.copy()
    m10[:, 10:] = cs[:, 10:] - cs[:, :-10]
    me = mid[mid.gmlmidongoing == 1]
    me = pd.DataFrame({"a": np.minimum(me.ccode1, me.ccode2), "b": np.maximum(me.ccode1, me.ccode2),
                       "year": me.year}).drop_duplicates()
    smo, _ = shared_third(me)
    for name, g in [("mid_onset", on), ("mid_ongoing", og), ("mids_10y", m10), ("shared_mid_opponents", smo)]:
        g = g.copy()
        g[:, last_mid - Y0 + 1:] = np.nan
        cols[name] = g
    rv = pd.read_csv(f"{D}/conflict/td_rivalries.csv")
    rv["endyear"] = rv.endyear.fillna(Y1).astype(int)
    rows = []
    for c1_, c2_, sy, ey in zip(rv.ccode1, rv.ccode2, rv.styear, rv.endyear):
        for y in range(max(sy, Y0), min(ey, Y1) + 1):
            rows.append((min(c1_, c2_), max(c1_, c2_), y))
    re = pd.DataFrame(rows, columns=["a", "b", "year"]).drop_duplicates()
    cols["rivalry"] = grid(re.a.values, re.b.values, re.year.values, np.ones(len(re)))
    cols["shared_rivals"], _ = shared_third(re)
    log(f"conflict done ({time.time() - t0:.1f} s)")

    # ---------------------------------------------------------------- trade, IGOs
    tr = pd.read_csv(f"{D}/trade/cow_trade_ndy.csv")
    f1 = tr.flow1.where(tr.flow1 >= 0)
    f2_ = tr.flow2.where(tr.flow2 >= 0)
    flow = f1 + f2_
    cols["trade_flow"] = grid(tr.ccode1.values, tr.ccode2.values, tr.year.values, flow.values, fill=np.nan, agg="set")
    sy_ = pd.read_csv(f"{D}/trade/cow_trade_sy.csv")
    sy_["tot"] = sy_.imports.where(sy_.imports >= 0) + sy_.exports.where(sy_.exports >= 0)
    t1, t2 = pair(state_grid(sy_, "tot"))
    with np.errstate(divide="ignore", invalid="ignore"):
        cols["trade_share1"] = np.where(t1 > 0, cols["trade_flow"] / t1, np.nan)
        cols["trade_share2"] = np.where(t2 > 0, cols["trade_flow"] / t2, np.nan)
    igo = pd.read_csv(f"{D}/igo/cow_igo_ndy.csv")
    g = grid(igo.ccode1.values, igo.ccode2.values, igo.year.values, igo.dyadigos.where(igo.dyadigos >= 0).values,
             fill=np.nan, agg="set")
    cols["joint_igo"] = g
    log(f"trade, IGOs done ({time.time() - t0:.1f} s)")

    # ---------------------------------------------------------------- UNGA
    ip = pd.read_csv(f"{D}/unga/IdealpointestimatesAll_Jun2024.csv")
    ip["year"] = ip.session + 1945
    i1, i2 = pair(state_grid(ip, "IdealPointAll"))
    cols["idealpoint_dist"] = np.abs(i1 - i2)
    votes = pd.read_csv(f"{D}/unga/un_votes.csv.gz")
    rc = pd.read_csv(f"{D}/unga/un_roll_calls.csv.gz", usecols=["rcid", "date"])
    rc["year"] = rc.date.str[:4].astype(int)
    cl = pd.read_csv(f"{D}/codes/countrycode_codelist.csv", usecols=["cown", "iso2c"]).dropna()
    votes = votes.merge(cl, left_on="country_code", right_on="iso2c").merge(rc[["rcid", "year"]], on="rcid")
    votes["cown"] = votes.cown.astype(int)
    votes = votes[votes.vote.isin(["yes", "no", "abstain"])]
    agree = np.full((ND, NY), np.nan)
    vn = np.full((ND, NY), np.nan)
    for y, v in votes.groupby("year"):
        if y < Y0 or y > Y1:
            continue
        states = np.unique(v.cown.values)
        rcs = np.unique(v.rcid.values)
        si = np.searchsorted(states, v.cown.values)
        ri = np.searchsorted(rcs, v.rcid.values)
        P = np.zeros((len(states), len(rcs)))
        P[si, ri] = 1
        same = np.zeros((len(states), len(states)))
        for val in ("yes", "no", "abstain"):
            M = np.zeros_like(P)
            mm = v.vote.values == val
            M[si[mm], ri[mm]] = 1
            same += M @ M.T
        both = P @ P.T
        sel = np.isin(dy.ccode1.values, states) & np.isin(dy.ccode2.values, states)
        ds = np.nonzero(sel)[0]
        a_ = np.searchsorted(states, dy.ccode1.values[ds])
        b_ = np.searchsorted(states, dy.ccode2.values[ds])
        n = both[a_, b_]
        vn[ds, y - Y0] = n
        with np.errstate(divide="ignore", invalid="ignore"):
            agree[ds, y - Y0] = np.where(n > 0, same[a_, b_] / n, np.nan)
    cols["vote_agree"] = agree
    cols["vote_n"] = np.where(np.isnan(vn), 0, vn)
    # years without any roll call data (e.g. 1964, or past the data's end) stay empty
    yrs_with = np.zeros(NY, bool)
    yrs_with[np.unique(votes.year.values[(votes.year.values >= Y0) & (votes.year.values <= Y1)]) - Y0] = True
    cols["vote_n"][:, ~yrs_with] = np.nan
    cols["vote_few"] = np.where(np.isnan(cols["vote_n"]), np.nan, (cols["vote_n"] < 10).astype(float))
    log(f"UNGA done ({time.time() - t0:.1f} s)")

    # ---------------------------------------------------------------- write
    order = ["new_defence", "atop_defense", "atop_offense", "atop_neutrality", "atop_nonagg", "atop_consul",
             "cow_defense", "cow_neutrality", "cow_entente", "years_since_defence", "ever_defence",
             "common_defence_partners", "defdeg1", "defdeg2", "ldist", "contig_land", "contig_sea",
             "cinc1", "cinc2", "cinc_ratio", "major1", "major2", "polyarchy1", "polyarchy2", "polity2_1",
             "polity2_2", "joint_democracy", "democ_missing", "mid_onset", "mid_ongoing", "mids_10y",
             "shared_mid_opponents", "rivalry", "shared_rivals", "trade_flow", "trade_share1", "trade_share2",
             "joint_igo", "idealpoint_dist", "vote_agree", "vote_n", "vote_few"]
    sel = alive.copy()
    sel[:, :a.yfrom - Y0] = False
    sel[:, a.yto - Y0 + 1:] = False
    dd, yy = np.nonzero(sel)
    out = pd.DataFrame({"ccode1": dy.ccode1.values[dd], "ccode2": dy.ccode2.values[dd], "year": yy + Y0})
    for c in order:
        out[c] = cols[c][dd, yy]
    # the outcome is empty in the panel's last year whatever --to says
    out.loc[out.year == Y1, "new_defence"] = np.nan
    out = out.sort_values(["year", "ccode1", "ccode2"])
    ints = [c for c in order if c not in ("ldist", "cinc1", "cinc2", "cinc_ratio", "polyarchy1", "polyarchy2",
                                          "trade_flow", "trade_share1", "trade_share2", "idealpoint_dist",
                                          "vote_agree")]
    for c in ints:
        out[c] = out[c].astype("Int64")
    with open(a.out, "w") as f:
        f.write(f"# panel_peer.py (bench/): undirected dyad-years {a.yfrom}-{a.yto} from ../shared/data\n")
        if a.perturb_from:
            f.write(f"# PERTURBED: ATOP defence ties from {a.perturb_from} on redrawn (seed {a.seed})\n")
        out.to_csv(f, index=False, float_format="%.10g")
    log(f"{len(out)} rows -> {a.out} ({time.time() - t0:.1f} s)")


if __name__ == "__main__":
    main()
