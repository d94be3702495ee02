#!/usr/bin/python3
"""panel_check.py -- an independent computation of `entente dyads` rows from the raw files.

    panel_check.py DATA_DIR PANEL.csv[:ROWS[:directed]] ... [--seed S]

(the raw files are read once for every panel given; ROWS defaults to 2000)

Reads the panel written by `entente dyads`, checks its dyad set against codes/cow_ddy.csv.gz
(every dyad-year of the years it covers, nothing else), then draws N rows at random (fixed seed)
and recomputes each of their columns from the public files in DATA_DIR with pandas -- not from
the store, and with none of entente's code -- and compares. Prints the mismatches and a summary
line; exits 1 on any mismatch, 0 otherwise.

Definitions are the ones docs/measures.md gives ("The dyad-year panel"); each is written here
again from the raw files, as a referee would.
"""
import math
import sys

import numpy as np
import pandas as pd

args = sys.argv[1:]
if len(args) < 2:
    sys.exit(__doc__)
data = args[0]
seed = 11
panels = []
i = 1
while i < len(args):
    if args[i] == "--seed":
        seed = int(args[i + 1]); i += 2
    else:
        parts = args[i].split(":")
        panels.append((parts[0], int(parts[1]) if len(parts) > 1 else 2000, len(parts) > 2 and parts[2] == "directed"))
        i += 1
fails = []


def fail(msg):
    fails.append(msg)
    if len(fails) <= 40:
        print("MISMATCH:", msg)


ddy_all = pd.read_csv(f"{data}/codes/cow_ddy.csv.gz")

# ---------------------------------------------------------------- the sources
atop = pd.read_csv(f"{data}/atop/atop5_1_directed_dyad_year.csv")
atop_last = int(atop.year.max())
A = {}  # (a, b, year) -> directed obligations
for r in atop.itertuples(index=False):
    A[(r.ccode1, r.ccode2, r.year)] = (r.atop_defense, r.atop_offense, r.atop_neutral, r.atop_nonagg, r.atop_consul)
defyears = {}  # undirected dyad -> sorted years with a defence tie either way
defpart = {}  # (state, year) -> defence partners
for (a, b, y), o in A.items():
    if o[0]:
        defyears.setdefault((min(a, b), max(a, b)), set()).add(y)
        defpart.setdefault((a, y), set()).add(b)
        defpart.setdefault((b, y), set()).add(a)
cow = pd.read_csv(f"{data}/cow/cow_alliance_v4.1_directed_dyad_year.csv")
cow_first, cow_last = int(cow.year.min()), int(cow.year.max())
C = {(r.ccode1, r.ccode2, r.year): (r.cow_defense, r.cow_neutral, r.cow_nonagg, r.cow_entente)
     for r in cow.itertuples(index=False)}
cap = pd.read_csv(f"{data}/geo/cow_capdist_ndy_derived.csv.gz")
CAP = dict(zip(zip(cap.ccode1, cap.ccode2, cap.year), cap.capdist))
cont = pd.read_csv(f"{data}/geo/cow_contdir.csv")
cont["y0"] = cont.stdate.str[:4].astype(int)
cont["y1"] = cont.enddate.str[:4].astype(int)
cont_last = int(cont.y1.max())
nmc = pd.read_csv(f"{data}/cow/nmc_v7.0_abridged.csv")
CINC = dict(zip(zip(nmc.ccode, nmc.year), nmc.cinc))
maj = pd.read_csv(f"{data}/cow/majors2016.csv")
maj_last = int(maj.endyear.max())
dem = pd.read_csv(f"{data}/regime/ccode_democracy.csv")
POLY = dict(zip(zip(dem.ccode, dem.year), dem.v2x_polyarchy))
POL = dict(zip(zip(dem.ccode, dem.year), dem.polity2))
mid = pd.read_csv(f"{data}/conflict/cow_mid_ddydisps.csv")
mid_first, mid_last = int(mid.year.min()), int(mid.year.max())
MIDON = set()
MIDGO = set()
OPP = {}
for r in mid.itertuples(index=False):
    k = (min(r.ccode1, r.ccode2), max(r.ccode1, r.ccode2), r.year)
    if r.cowmidonset == 1:
        MIDON.add(k)
    if r.cowmidongoing == 1:
        MIDGO.add(k)
        OPP.setdefault((r.ccode1, r.year), set()).add(r.ccode2)
        OPP.setdefault((r.ccode2, r.year), set()).add(r.ccode1)
riv = pd.read_csv(f"{data}/conflict/tss_rivalries.csv")
RIV = []
for r in riv.itertuples(index=False):
    RIV.append((r.ccode1, r.ccode2, r.start, 9999 if r.end >= 2020 else r.end))
riv_last = int(riv.end.max())
trade = pd.read_csv(f"{data}/trade/cow_trade_ndy.csv")
TR = {(r.ccode1, r.ccode2, r.year): (r.flow1, r.flow2) for r in trade.itertuples(index=False)}
tsy = pd.read_csv(f"{data}/trade/cow_trade_sy.csv")
TOT = dict(zip(zip(tsy.ccode, tsy.year), tsy.imports + tsy.exports))
igo = pd.read_csv(f"{data}/igo/cow_igo_ndy.csv")
IGO = dict(zip(zip(igo.ccode1, igo.ccode2, igo.year), igo.dyadigos))
ide = pd.read_csv(f"{data}/unga/IdealpointestimatesAll_Jun2024.csv")
IDEAL = dict(zip(zip(ide.ccode, ide.session + 1945), ide.IdealPointAll))
# UN votes by calendar year of the roll call; ISO2 -> COW through the countrycode crosswalk
cc = pd.read_csv(f"{data}/codes/countrycode_codelist.csv", usecols=["iso2c", "cown"], keep_default_na=False)
ISO2 = {r.iso2c: int(r.cown) for r in cc.itertuples(index=False) if r.iso2c and r.cown not in ("", "NA")}
rcs = pd.read_csv(f"{data}/unga/un_roll_calls.csv.gz", usecols=["rcid", "session", "date"])
rcs["d"] = pd.to_datetime(rcs.date, errors="coerce")
rcs["y"] = rcs.d.dt.year
rcs.loc[rcs.y.isna(), "y"] = rcs.session + 1945
RCY = dict(zip(rcs.rcid, rcs.y.astype(int)))
RCD = dict(zip(rcs.rcid, rcs.d.dt.strftime("%Y-%m-%d").fillna("")))
vyears = set(RCY.values())
votes = pd.read_csv(f"{data}/unga/un_votes.csv.gz", keep_default_na=False)
votes = votes[votes.vote.isin(["yes", "no", "abstain"])]
votes["ccode"] = votes.country_code.map(ISO2)
# codes withdrawn from ISO 3166-1 and the two states whose COW code changed with unification
# (COW: GFR 260 to 1990-10-02, GMY 255 after; YAR 678 to 1990-05-21, YEM 679 after)
votes["d"] = votes.rcid.map(RCD)
# three states have no ISO2 code in the file: they are named
for name, code in [("Federal Republic of Germany", 260), ("Yemen Arab Republic", 678), ("Zanzibar", 511)]:
    votes.loc[votes.country == name, "ccode"] = code
votes.loc[votes.country_code == "DD", "ccode"] = 265
votes.loc[votes.country_code == "YD", "ccode"] = 680
votes.loc[votes.country_code == "YU", "ccode"] = 345
votes.loc[votes.country_code == "CS", "ccode"] = np.where(votes.loc[votes.country_code == "CS", "d"] < "1993", 315, 345)
votes.loc[(votes.country_code == "DE") & (votes.d < "1990-10-03"), "ccode"] = 260
votes.loc[(votes.country_code == "YE") & (votes.d < "1990-05-22"), "ccode"] = 678
unmapped = set(votes[votes.ccode.isna()].country_code)
votes = votes.dropna(subset=["ccode"])
votes["code"] = votes.vote.map({"yes": 1, "abstain": 2, "no": 3})
votes["y"] = votes.rcid.map(RCY)
V = {}  # (ccode, year) -> {rcid: vote}
for (c, y), g in votes.groupby(["ccode", "y"]):
    V[(int(c), int(y))] = dict(zip(g.rcid, g.code))


def same(a, b, what, key):
    """a: the panel's value (NaN for empty), b: the expected (None/NaN for missing)."""
    bm = b is None or (isinstance(b, float) and math.isnan(b))
    am = isinstance(a, float) and math.isnan(a)
    if am and bm:
        return
    if am != bm or abs(float(a) - float(b)) > 1e-9 * max(1.0, abs(float(b))):
        fail(f"{key} {what}: panel {a!r}, expected {b!r}")


def either(d, a, b, y, k):
    oa, ob = d.get((a, b, y)), d.get((b, a, y))
    return int(bool((oa and oa[k]) or (ob and ob[k])))


def check_panel(panel_path, nrows, directed):
    nfail0 = len(fails)
    P = pd.read_csv(panel_path)
    years = sorted(P.year.unique())
    y0, y1 = int(years[0]), int(years[-1])
    # the dyad set: exactly cow_ddy's dyad-years of these years (undirected: ccode1 < ccode2)
    ddy = ddy_all[(ddy_all.year >= y0) & (ddy_all.year <= y1)]
    if not directed:
        ddy = ddy[ddy.ccode1 < ddy.ccode2]
    want = set(zip(ddy.ccode1, ddy.ccode2, ddy.year))
    got = set(zip(P.ccode1, P.ccode2, P.year))
    if len(got) != len(P):
        fail(f"duplicate rows in the panel: {len(P) - len(got)}")
    for k in list(want - got)[:5]:
        fail(f"dyad-year {k} of cow_ddy missing from the panel ({len(want - got)} in all)")
    for k in list(got - want)[:5]:
        fail(f"dyad-year {k} in the panel, not in cow_ddy ({len(got - want)} in all)")
    members = {y: set(g.ccode1) | set(g.ccode2) for y, g in ddy.groupby("year")}

    def obl(d, a, b, y, k):
        if directed:
            o = d.get((a, b, y))
            return int(bool(o and o[k]))
        return either(d, a, b, y, k)

    rng = np.random.default_rng(seed)
    idx = rng.choice(len(P), size=min(nrows, len(P)), replace=False)
    for r in P.iloc[np.sort(idx)].itertuples(index=False):
        a, b, y = int(r.ccode1), int(r.ccode2), int(r.year)
        key = f"{a}-{b} {y}"
        lo, hi = min(a, b), max(a, b)
        mem = members[y] - {a, b}
        # alliances
        dnow = lo_hi_def = (lo, hi) in defyears and y in defyears[(lo, hi)]
        if y + 1 > atop_last:
            same(r.new_defence, None, "new_defence", key)
        else:
            dnext = (lo, hi) in defyears and (y + 1) in defyears[(lo, hi)]
            same(r.new_defence, int(dnext and not dnow), "new_defence", key)
        for k, name in enumerate(["atop_defense", "atop_offense", "atop_neutrality", "atop_nonagg", "atop_consul"]):
            same(getattr(r, name), obl(A, a, b, y, k), name, key)
        for k, name in [(0, "cow_defense"), (1, "cow_neutrality"), (3, "cow_entente"), (2, "cow_nonagg")]:
            same(getattr(r, name), obl(C, a, b, y, k) if cow_first <= y <= cow_last else None, name, key)
        past = [t for t in defyears.get((lo, hi), ()) if t <= y]
        same(r.years_since_defence, (y - max(past)) if past else None, "years_since_defence", key)
        same(r.ever_defence, int(bool(past)), "ever_defence", key)
        pa, pb = defpart.get((a, y), set()), defpart.get((b, y), set())
        same(r.common_defence_partners, len(pa & pb & mem), "common_defence_partners", key)
        same(r.defdeg1, len(pa & (members[y] - {a})), "defdeg1", key)
        same(r.defdeg2, len(pb & (members[y] - {b})), "defdeg2", key)
        # geography
        d = CAP.get((lo, hi, y))
        same(r.ldist, math.log1p(d) if d is not None else None, "ldist", key)
        if y > cont_last:
            same(r.contig_land, None, "contig_land", key)
            same(r.contig_sea, None, "contig_sea", key)
        else:
            ts = cont[(cont.ccode1 == a) & (cont.ccode2 == b) & (cont.y0 <= y) & (cont.y1 >= y) & (cont.conttype > 0)]
            t = int(ts.conttype.min()) if len(ts) else 0
            same(r.contig_land, int(t == 1), "contig_land", key)
            same(r.contig_sea, int(2 <= t <= 5), "contig_sea", key)
        # power
        c1, c2 = CINC.get((a, y), float("nan")), CINC.get((b, y), float("nan"))
        same(r.cinc1, c1, "cinc1", key)
        same(r.cinc2, c2, "cinc2", key)
        same(r.cinc_ratio, max(c1, c2) / min(c1, c2) if c1 > 0 and c2 > 0 else None, "cinc_ratio", key)
        for s, name in [(a, "major1"), (b, "major2")]:
            if y > maj_last:
                same(getattr(r, name), None, name, key)
            else:
                same(getattr(r, name), int(((maj.ccode == s) & (maj.styear <= y) & (maj.endyear >= y)).any()), name, key)
        # regime
        p1, p2 = POL.get((a, y), float("nan")), POL.get((b, y), float("nan"))
        same(r.polyarchy1, POLY.get((a, y)), "polyarchy1", key)
        same(r.polyarchy2, POLY.get((b, y)), "polyarchy2", key)
        same(r.polity2_1, p1, "polity2_1", key)
        same(r.polity2_2, p2, "polity2_2", key)
        miss = math.isnan(p1) or math.isnan(p2)
        same(r.joint_democracy, None if miss else int(p1 >= 6 and p2 >= 6), "joint_democracy", key)
        same(r.democ_missing, int(miss), "democ_missing", key)
        # conflict
        if mid_first <= y <= mid_last:
            same(r.mid_onset, int((lo, hi, y) in MIDON), "mid_onset", key)
            same(r.mid_ongoing, int((lo, hi, y) in MIDGO), "mid_ongoing", key)
            same(r.mids_10y, sum((lo, hi, t) in MIDON for t in range(y - 9, y + 1)), "mids_10y", key)
            oa, ob = OPP.get((a, y), set()), OPP.get((b, y), set())
            same(r.shared_mid_opponents, len(oa & ob & mem), "shared_mid_opponents", key)
        else:
            for name in ["mid_onset", "mid_ongoing", "mids_10y", "shared_mid_opponents"]:
                same(getattr(r, name), None, name, key)
        act = [(p, q) for p, q, s0, s1 in RIV if s0 <= y <= s1]
        rv = {}
        for p, q in act:
            rv.setdefault(p, set()).add(q)
            rv.setdefault(q, set()).add(p)
        same(r.rivalry, int(b in rv.get(a, ())), "rivalry", key)
        same(r.shared_rivals, len(rv.get(a, set()) & rv.get(b, set()) & mem), "shared_rivals", key)
        # economy, institutions
        f = TR.get((lo, hi, y))
        flow = (f[0] + f[1]) if f is not None else None
        same(r.trade_flow, flow, "trade_flow", key)
        t1, t2 = TOT.get((a, y)), TOT.get((b, y))
        ok = flow is not None and not math.isnan(flow)
        same(r.trade_share1, flow / t1 if ok and t1 and t1 > 0 else None, "trade_share1", key)
        same(r.trade_share2, flow / t2 if ok and t2 and t2 > 0 else None, "trade_share2", key)
        same(r.joint_igo, IGO.get((lo, hi, y)), "joint_igo", key)
        # preferences
        i1, i2 = IDEAL.get((a, y)), IDEAL.get((b, y))
        same(r.idealpoint_dist, abs(i1 - i2) if i1 is not None and i2 is not None else None, "idealpoint_dist", key)
        if y in vyears:
            va, vb = V.get((a, y), {}), V.get((b, y), {})
            common = set(va) & set(vb)
            n = len(common)
            ag = sum(1.0 if va[k] == vb[k] else 0.5 if 2 in (va[k], vb[k]) else 0.0 for k in common)
            same(r.vote_n, n, "vote_n", key)
            same(r.vote_few, int(n < 10), "vote_few", key)
            same(r.vote_agree, ag / n if n else None, "vote_agree", key)
        else:
            for name in ["vote_n", "vote_few", "vote_agree"]:
                same(getattr(r, name), None, name, key)

    bad = len(set(f.split(" ")[0] + f.split(" ")[1] for f in fails[nfail0:]))
    print(f"panel {panel_path}: {len(P)} rows {y0}-{y1}{' directed' if directed else ''}; dyad set checked against "
        f"cow_ddy; {len(idx)} rows sampled (seed {seed}), {len(fails) - nfail0} mismatches")
    return len(idx) - bad, bad


npass = nbad = 0
for path, n, d in panels:
    a, b = check_panel(path, n, d)
    npass += a
    nbad += b
print(f"{npass} passed, {nbad} failed")
sys.exit(1 if fails else 0)

