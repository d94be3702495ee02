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
                 third states of the COW system in t both have a defence tie with in t;
                 defdeg1/2 = system members of t each has a defence tie with (ATOP also
                 codes ties with states outside the system: UK-Ceylon 1947)
  ldist          log(1 + km between capitals as of 1 January of t)
  contig_*       the closest COW direct-contiguity type of the spells active in t (type 0
                 rows of the file mean "not contiguous" and are skipped): 1 land, 2-5 sea,
                 so the two are exclusive; empty after the file's last year (2016)
  cinc, majors   NMC v7 in t; COW major-power spells, empty after the list's last year (2016)
  regime         polity2 and V-Dem polyarchy in t (regime/ccode_democracy.csv, peacesciencer's
                 add_democracy() table, the one docs/measures.md names)
  conflict       COW MID 5 one-dispute-per-dyad-year file (to 2014; it lists every dyad-year in
                 both orders): onset, ongoing in t; mids_10y = years in t-9..t with an onset,
                 each unordered dyad-year once; third states of the system both had an ongoing
                 MID with in t; Thompson, Sakuwa & Suhas strategic rivalries active in t and
                 shared rivals (third states of the system)
  trade          COW trade 4.0 (1870-2014): flow1 + flow2 (-9 = missing), shares of each
                 side's imports + exports
  joint_igo      COW IGO dyadic (to 2014)
  unga           Bailey-Strezhnev-Voeten ideal points (session s = year s + 1945);
                 vote agreement over roll calls of calendar year t both voted yes, no or
                 abstain on: 1 the same vote, 1/2 when one abstains, 0 yes against no
                 (Voeten's three-category agreement); vote_n, vote_few = vote_n < 10.
                 ISO2 codes to COW through the countrycode crosswalk, read with NA kept
                 as Namibia's code, plus the codes the crosswalk lacks (CS, DD, YD, YU)
                 and the three states the file leaves uncoded (by name)

Every definition is docs/measures.md's ("The dyad-year panel"); tests/cli/test_panel_peer.sh
compares this file with `entente dyads` on a few years, every shared column.

usage: panel_peer.py OUT.csv [--from 1946] [--to 2018 | --years Y,Y,...] [--data ../shared/data]
       [--compare ENTENTE.csv [--reuse]]
                                 (then every value of every shared column is compared with
                                  entente's CSV of the same rows; exit 1 on any difference
                                  beyond 1e-9, relative above 1, with examples; --reuse
                                  compares OUT.csv of an earlier run instead of building it)
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
    ap.add_argument("--years", help="a comma-separated list of years instead of --from/--to")
    ap.add_argument("--compare", metavar="ENTENTE.csv")
    ap.add_argument("--reuse", action="store_true")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("--perturb-from", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.reuse:
        if not a.compare:
            ap.error("--reuse goes with --compare")
        return compare(pd.read_csv(a.out, comment="#"), a.compare)
    if a.years:
        try:
            years = sorted({int(y) for y in a.years.split(",")})
        except ValueError:
            ap.error(f"--years: expected comma-separated years, got '{a.years}'")
    else:
        years = list(range(a.yfrom, a.yto + 1))
    if not years or years[0] < Y0 or years[-1] > Y1:
        ap.error(f"years must lie in {Y0}-{Y1}")
    # the years whose rows are written: the per-year work (matrix products) is done for them only
    wanted = set(years)
    D = a.data
    t0 = time.time()
    NY = Y1 - Y0 + 1

    # ---------------------------------------------------------------- dyad set
    ddy = pd.read_csv(f"{D}/codes/cow_ddy.csv.gz")
    ddy = ddy[(ddy.ccode1 < ddy.ccode2) & (ddy.year <= Y1) & (ddy.year >= Y0)]
    # the system's members each year (both ends of its dyads, false dyads included: a false
    # dyad removes a row, not a state)
    members = {int(y): np.unique(np.concatenate([g.ccode1.values, g.ccode2.values])) for y, g in ddy.groupby("year")}
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
        """common[d, y]: third states of the system linked to both ends of dyad d in year y;
        deg[c][y]: the system members state c is linked to in y. Edges to states outside the
        system in y (ATOP and the rivalry list code some) are dropped first."""
        common = np.zeros((ND, NY))
        deg = {}
        for y, e in edges.groupby(ycol):
            if y not in wanted:
                continue
            mem = members.get(int(y), np.array([], dtype=int))
            e = e[np.isin(e.a.values, mem) & np.isin(e.b.values, mem)]
            if e.empty:
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
    last_ct = int(ct.ey.max())
    # the closest type of the year (peacesciencer's conttype): the minimum over active spells;
    # type 0 spells say "not contiguous" and count as none
    ctype = np.full((ND, NY), 99)
    d = dyad_index(ct.ccode1.values, ct.ccode2.values)
    for di, t, sy, ey in zip(d, ct.conttype.values, ct.sy.values, ct.ey.values):
        if di < 0 or t <= 0:
            continue
        s_ = slice(max(sy, Y0) - Y0, min(ey, Y1) - Y0 + 1)
        ctype[di, s_] = np.minimum(ctype[di, s_], t)
    land = (ctype == 1).astype(float)
    sea = ((ctype >= 2) & (ctype <= 5)).astype(float)
    land[:, last_ct - Y0 + 1:] = np.nan
    sea[:, last_ct - Y0 + 1:] = np.nan
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
        major.setdefault(c, np.zeros(NY))[max(sy, Y0) - Y0:min(ey, Y1) - Y0 + 1] = 1
    last_mj = int(mj.endyear.max())
    for name, codes in (("major1", dy.ccode1.values), ("major2", dy.ccode2.values)):
        g = np.array([major.get(c, z) for c in codes])
        g[:, last_mj - Y0 + 1:] = np.nan
        cols[name] = g

    dem = pd.read_csv(f"{D}/regime/ccode_democracy.csv")
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
    mid = pd.read_csv(f"{D}/conflict/cow_mid_ddydisps.csv")
    last_mid = int(mid.year.max())
    on = grid(mid.ccode1.values, mid.ccode2.values, mid.year.values, mid.cowmidonset.values)
    og = grid(mid.ccode1.values, mid.ccode2.values, mid.year.values, mid.cowmidongoing.values)
    # years with an onset in the 10-year window: the file lists each dyad-year in both orders,
    # so each unordered dyad-year counts once
    cnt = np.zeros((ND, NY))
    mo = mid[mid.cowmidonset == 1]
    mo = pd.DataFrame({"ccode1": np.minimum(mo.ccode1, mo.ccode2), "ccode2": np.maximum(mo.ccode1, mo.ccode2),
                       "year": mo.year}).drop_duplicates()
    dd = dyad_index(mo.ccode1.values, mo.ccode2.values)
    ok = (dd >= 0) & (mo.year.values >= Y0)
    np.add.at(cnt, (dd[ok], mo.year.values[ok] - Y0), 1)
    cs = np.cumsum(cnt, axis=1)
    m10 = cs.copy()
    m10[:, 10:] = cs[:, 10:] - cs[:, :-10]
    me = mid[mid.cowmidongoing == 1]
    me = pd.DataFrame({"a": np.minimum(me.ccode1, me.ccode2), "b": np.maximum(me.ccode1, me.ccode2),
                       "year": me.year}).drop_duplicates()
    smo, _ = shared_third(me)
    for name, g in [("mid_onset", on), ("mid_ongoing", og), ("mids_10y", m10), ("shared_mid_opponents", smo)]:
        g = g.copy()
        g[:, last_mid - Y0 + 1:] = np.nan
        cols[name] = g
    rv = pd.read_csv(f"{D}/conflict/tss_rivalries.csv")
    last_rv = int(rv.end.max())
    rows = []
    for c1_, c2_, sy, ey in zip(rv.ccode1, rv.ccode2, rv.start, rv.end):
        for y in range(max(sy, Y0), min(ey, Y1) + 1):
            rows.append((min(c1_, c2_), max(c1_, c2_), y))
    re = pd.DataFrame(rows, columns=["a", "b", "year"]).drop_duplicates()
    cols["rivalry"] = grid(re.a.values, re.b.values, re.year.values, np.ones(len(re)))
    cols["shared_rivals"], _ = shared_third(re)
    for name in ("rivalry", "shared_rivals"):
        cols[name][:, last_rv - Y0 + 1:] = np.nan
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
    # keep_default_na=False: "NA" is Namibia's code, not a missing value
    votes = pd.read_csv(f"{D}/unga/un_votes.csv.gz", keep_default_na=False)
    rc = pd.read_csv(f"{D}/unga/un_roll_calls.csv.gz", usecols=["rcid", "session", "date"])
    # the calendar year of the roll call; one without a date counts in its session's opening year
    rc["year"] = pd.to_numeric(rc.date.str[:4], errors="coerce").fillna(rc.session + 1945).astype(int)
    cl = pd.read_csv(f"{D}/codes/countrycode_codelist.csv", usecols=["cown", "iso2c"], keep_default_na=False)
    iso2 = {i: int(c) for i, c in zip(cl.iso2c, cl.cown) if i and c not in ("", "NA")}
    # codes withdrawn from ISO 3166-1, which the crosswalk lacks (the file uses each only while the
    # state existed: CS to 1992, DD to 1989, YD to 1989; YU throughout, for Serbia after 1992)
    iso2.update({"CS": 315, "DD": 265, "YD": 680, "YU": 345})
    votes["cown"] = votes.country_code.map(iso2)
    # three states the file leaves without a code: the German Federal Republic and the Yemen Arab
    # Republic (DE and YE passed to the unified states, 255 and 679) and Zanzibar
    for name, code in (("Federal Republic of Germany", 260), ("Yemen Arab Republic", 678), ("Zanzibar", 511)):
        votes.loc[(votes.country_code == "") & (votes.country == name), "cown"] = code
    votes = votes[votes.vote.isin(["yes", "no", "abstain"])]
    unmapped = sorted(set(votes.country_code[votes.cown.isna()]))
    if unmapped:
        sys.exit(f"panel_peer: un_votes.csv.gz: country codes with no COW code: {unmapped}")
    votes["cown"] = votes.cown.astype(int)
    votes = votes.merge(rc[["rcid", "year"]], on="rcid")
    agree = np.full((ND, NY), np.nan)
    vn = np.full((ND, NY), np.nan)
    for y, v in votes.groupby("year"):
        if y not in wanted:
            continue
        states = np.unique(v.cown.values)
        rcs = np.unique(v.rcid.values)
        si = np.searchsorted(states, v.cown.values)
        ri = np.searchsorted(rcs, v.rcid.values)
        P = np.zeros((len(states), len(rcs)))
        P[si, ri] = 1
        # agreement: 1 the same vote, 1/2 when one abstains and the other votes yes or no, 0 yes
        # against no (Voeten's three-category agreement; docs/measures.md)
        M = {}
        for val in ("yes", "no", "abstain"):
            M[val] = np.zeros_like(P)
            mm = v.vote.values == val
            M[val][si[mm], ri[mm]] = 1
        same = sum(M[val] @ M[val].T for val in M)
        yn = M["yes"] + M["no"]
        same = same + 0.5 * (M["abstain"] @ yn.T + yn @ M["abstain"].T)
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
    sel = np.zeros_like(alive)
    ix = np.array(years) - Y0
    sel[:, ix] = alive[:, ix]
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
        span = a.years if a.years else f"{years[0]}-{years[-1]}"
        f.write(f"# panel_peer.py (bench/): undirected dyad-years {span} from ../shared/data\n")
        if a.perturb_from:
            f.write(f"# PERTURBED: ATOP defence ties from {a.perturb_from} on redrawn (seed {a.seed})\n")
        out.to_csv(f, index=False, float_format="%.10g")
    log(f"{len(out)} rows -> {a.out} ({time.time() - t0:.1f} s)")
    if a.compare:
        return compare(out, a.compare)
    return 0


def compare(peer, path):
    """Every value of every column the peer builds against entente's CSV; 1 on any difference."""
    ent = pd.read_csv(path, comment="#")
    key = ["ccode1", "ccode2", "year"]
    cols = [c for c in peer.columns if c not in key]
    absent = [c for c in cols if c not in ent.columns]
    if absent:
        print(f"compare: {path} lacks the columns {absent}")
        return 1
    m = peer.merge(ent[key + cols], on=key, how="outer", suffixes=("_p", "_e"), indicator=True)
    bad = 0
    only = m[m._merge != "both"]
    if len(only):
        print(f"compare: {len(only)} rows in one panel only, e.g.\n{only[key + ['_merge']].head(5).to_string()}")
        bad += 1
    m = m[m._merge == "both"]
    worst = 0.0
    for c in cols:
        p = m[c + "_p"].astype(float).values
        e = m[c + "_e"].astype(float).values
        pn, en = np.isnan(p), np.isnan(e)
        both = ~pn & ~en
        diff = np.zeros(len(m))
        diff[both] = np.abs(p[both] - e[both]) / np.maximum(1.0, np.abs(e[both]))
        worst = max(worst, diff.max(initial=0.0))
        wrong = (pn != en) | (diff > 1e-9)
        if wrong.any():
            bad += 1
            ex = m.loc[wrong, key + [c + "_p", c + "_e"]].head(3).to_string(index=False)
            print(f"compare: {c}: {wrong.sum()} of {len(m)} rows differ (peer _p, entente _e), e.g.\n{ex}")
    print(f"compare: {len(m)} rows, {len(cols)} columns; largest difference {worst:.3g}; "
          f"{'every value agrees' if not bad else f'{bad} columns or row sets differ'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
