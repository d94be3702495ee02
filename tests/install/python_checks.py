"""Checks of the installed entente Python package against the installed CLI and library.
Run by test_python.sh with the package installed (pip --target) and libentente found through
pkg-config from a moved prefix. argv: PREFIX TMPDIR [SHARED_DATA]. Prints one line per check;
exit 1 on any failure."""
import json
import math
import io
import os
import subprocess
import sys

import networkx as nx
import numpy as np
import pandas as pd

prefix, tmp = sys.argv[1], sys.argv[2]
shared = sys.argv[3] if len(sys.argv) > 3 else ""
exe = os.path.join(prefix, "bin", "entente")
failures = 0


def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures += 1


def cli(*args, json_out=True):
    p = subprocess.run([exe, *args], capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise RuntimeError(f"entente {' '.join(args)}: exit {p.returncode}: {p.stderr}")
    return json.loads(p.stdout) if json_out else p.stdout


def close(a, b, rel=1e-9, abs_=1e-12):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and math.isnan(a):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=abs_)


import entente  # noqa: E402  (after argv handling, so an import failure reads clearly)
from entente import _ffi  # noqa: E402

check(os.path.realpath(entente.lib_path) == os.path.realpath(os.path.join(prefix, "lib", "libentente.so.0")),
      f"the package loaded the moved prefix's library ({entente.lib_path})")
check(entente.version() == "0.1.0", "version 0.1.0")

# ---- struct layouts: cffi's idea of each struct equals the C compiler's, field by field
src = ["#include <entente.h>", "#include <stddef.h>", "#include <stdio.h>", "int main(void) {"]
expect = []
for name in _ffi.STRUCTS:
    t = _ffi.ffi.typeof(name)
    src.append(f'    printf("{name} %zu\\n", sizeof({name}));')
    expect.append(f"{name} {_ffi.ffi.sizeof(t)}")
    for fname, _ in t.fields:
        src.append(f'    printf("{name}.{fname} %zu\\n", offsetof({name}, {fname}));')
        expect.append(f"{name}.{fname} {_ffi.ffi.offsetof(t, fname)}")
src.append("    return 0;\n}")
with open(os.path.join(tmp, "layout.c"), "w") as f:
    f.write("\n".join(src) + "\n")
flags = subprocess.run(["pkg-config", "--cflags", "entente"], capture_output=True, text=True, check=True).stdout.split()
subprocess.run([os.environ.get("CC", "cc"), "-o", os.path.join(tmp, "layout"), os.path.join(tmp, "layout.c"), *flags],
               check=True)
got = subprocess.run([os.path.join(tmp, "layout")], capture_output=True, text=True, check=True).stdout.split("\n")
diff = [f"{e} vs C {g}" for e, g in zip(expect, got) if e != g]
check(not diff and len(expect) == len(got) - 1,
      f"{len(_ffi.STRUCTS)} struct layouts, {len(expect)} sizes and offsets match the C compiler {diff[:3]}")

# ---- the world: equal to the CLI
w = entente.World.load()
check(w.origin == os.path.join(prefix, "share", "entente", "data"), f"shipped world found beside the library: {w.origin}")
chk = cli("world", "--check", json_out=False)
states, ties, orgs, mem = len(w), len(w.ties), len(w.orgs), len(w.memberships)
check(f"ok -- {states} states, {ties} ties" in chk and f"{orgs} organisations, {mem} memberships" in chk,
      f"world tables ({states} states, {ties} ties, {orgs} orgs, {mem} memberships) = world --check")
wj = cli("world", "--json", "--date", "2024-12-31")
blocs = w.pact_blocs("2024-12-31")
cli_blocs = {m: b["bloc"] for b in wj["pact_blocs"] for m in b["members"]}
check(blocs.to_dict() == cli_blocs, f"pact blocs = world --json ({len(cli_blocs)} states in blocs)")
g = w.graph("2024-12-31")
check(g.number_of_nodes() == wj["states"], f"graph at 2024-12-31: {g.number_of_nodes()} states = world --json")
kinds = pd.Series([d["kind"] for _, _, d in g.edges(data=True)]).value_counts().to_dict()
check(all(kinds.get(k, 0) == v for k, v in wj["ties_by_kind"].items()),
      f"graph edges by kind {kinds} = world --json ties_by_kind")

pj = cli("world", "--state", "CHN", "--json", "--date", "2024-12-31")
pyr = w.pyramid("CHN", "2024-12-31")
layers = {"allies": "allies", "other_pacts": "other_pacts", "security": "security", "coercion_sent": "coercion_sent",
          "coercion_received": "coercion_received", "rivalries": "rivalries"}
ok = True
for layer, key in layers.items():
    mine = sorted(pyr[pyr.layer == layer].partner)
    theirs = sorted(x["partner"] for x in pj[key])
    ok &= mine == theirs
parts = sorted(p["partner"] for t in pj["partnership_tiers"] for p in t["partners"])
ok &= sorted(pyr[pyr.layer == "partnerships"].partner) == parts
ok &= sorted(pyr[pyr.layer == "memberships"].partner) == sorted(o["org"] for o in pj["organisations"])
check(ok, f"China's pyramid ({len(pyr)} rows, {pyr.layer.nunique()} layers) = world --state CHN --json")

# ---- the report layer: the same JSON document as the CLI (which prints 10 significant digits)
def same_doc(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same_doc(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same_doc(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def strip(d):
    return {k: v for k, v in d.items() if k != "provenance"}


rep = w.state_report("CHN", "2024-12-31")
check(rep["schema"] == "entente.state/1" and same_doc(rep, strip(pj)),
      "state_report('CHN') = world --state CHN --json, member for member")
wrep = w.report("2024-12-31", origin=wj["origin"])
check(wrep["schema"] == "entente.world/1" and same_doc(wrep, strip(wj)), "report() = world --json, member for member")
try:
    w.state_report("XXX")
    check(False, "state_report of an unknown state raises")
except entente.EntenteError:
    check(True, "state_report of an unknown state raises EntenteError")

# ---- signed network and balance: equal to blocs / balance --world
sg = w.signed_network("2024-12-31")
bj = cli("blocs", "--json", "--time-limit", "1")
neg = sum(1 for _, _, d in sg.edges(data=True) if d["weight"] < 0)
check((sg.number_of_nodes(), sg.number_of_edges(), neg) == (bj["nodes"], bj["edges"], bj["negative"]),
      f"signed network {sg.number_of_nodes()} nodes, {sg.number_of_edges()} edges, {neg} hostile = blocs --json")
balj = cli("balance", "--world", "--heuristic", "--json")  # the report itself (entente.balance/1)
check(sg.graph["balanced_triangles"] == balj["balanced_triangles"],
      f"balanced triangles {sg.graph['balanced_triangles']} = balance --world")

edges = os.path.join(tmp, "signed.csv")
with open(edges, "w") as f:
    f.write("network,from,to,sign\n")
    f.write("a,A,B,1\na,B,C,1\na,A,C,-1\na,C,D,-1\na,B,D,-2\na,A,D,1\nb,X,Y,1\nb,Y,Z,-1\nb,X,Z,-1\n")
df, graphs = entente.signed_balance(edges)
cj = {n["network"]: n for n in cli("balance", edges, "--json")["networks"]}
ok = len(df) == 2
for r in df.itertuples():
    c = cj[r.network]
    ok &= (r.nodes, r.edges, r.negative, r.balanced_triangles) == (c["n"], c["m"], c["negative"], c["balanced_triangles"])
check(ok, "signed_balance on an edge list = balance FILE --json (per network n, m, negative, balanced triangles)")
# triangles by hand: network a has 4 triangles, ABC(+,+,-) unbalanced, ABD(+,-,+) unbalanced,
# ACD(-,-,+) balanced, BCD(+,-,-) balanced
ra = df.set_index("network").loc["a"]
check((ra.triangles, ra.balanced_triangles) == (4, 2), "hand-counted triangles of network a: 4, 2 balanced")
check(isinstance(graphs["b"], nx.Graph) and graphs["b"]["X"]["Z"]["sign"] == -1, "signed graphs as networkx")

# ---- the dyad layer, the weight specs and the partition solver (issue 10, items 3 and 5)
D = "2024-12-31"
dy = w.dyads(D, spec="blocs")
# the dyad table against the world's own tie table, recounted here in pandas: the pairs joined by a
# tie in force, pacts (not dormant) and their obligations, the top partnership tier, rivalry and
# coercion by direction, security ties
t = w.ties.copy()
t = t[(t.start.fillna("0000") <= D) & (t.end.fillna("9999") >= D)]
alive = set(g.nodes)  # the states alive on D (world.graph)
t = t[t.a.isin(alive) & t.b.isin(alive) & (t.a != t.b)]
order = {a: i for i, a in enumerate(w.states.abbr)}
t["s1"] = [a if order[a] < order[b] else b for a, b in zip(t.a, t.b)]
t["s2"] = [b if order[a] < order[b] else a for a, b in zip(t.a, t.b)]
pairs = sorted(set(zip(t.s1, t.s2)), key=lambda p: (order[p[0]], order[p[1]]))
ok = list(zip(dy.state1, dy.state2)) == pairs
bits = {"defense": 1, "offense": 2, "neutral": 4, "nonagg": 8, "consul": 16, "entente": 32}
live = t[(t.kind == "pact") & ~t.dormant]
obl = live.groupby(["s1", "s2"])["obligations"].agg(
    lambda xs: sum(v for v in bits.values() if any(v & sum(bits.get(o, 0) for o in x.split(",")) for x in xs)))
npacts = live.groupby(["s1", "s2"]).size()
part = t[t.kind == "partnership"]
tier = part.groupby(["s1", "s2"])["level"].max()
riv = t[t.kind == "rivalry"]
rivmax = riv.groupby(["s1", "s2"])["level"].max()
coer = t[t.kind == "coercion"]
cab = coer[coer.a == coer.s1].groupby(["s1", "s2"]).size()
cba = coer[coer.a == coer.s2].groupby(["s1", "s2"]).size()
sec = t[t.kind == "security"].groupby(["s1", "s2"]).size()
bad = []
for r in dy.itertuples():
    k = (r.state1, r.state2)
    o = sum(bits[n] for n in ("defense", "offense", "neutral", "nonagg", "consul") if getattr(r, n))
    want = (int(obl.get(k, 0)) & 31, int(npacts.get(k, 0)), float(tier.get(k, 0.0)), float(rivmax.get(k, 0.0)),
            int(cab.get(k, 0)), int(cba.get(k, 0)), int(sec.get(k, 0)))
    got = (o, r.pacts, r.tier, r.rivalry, r.coercion_ab, r.coercion_ba, r.security)
    if want != got:
        bad.append((k, want, got))
ok &= not bad
check(ok, f"dyads on {D}: {len(dy)} pairs, their pacts, obligations, tiers, rivalry, coercion and security ties "
          f"= a recount of World.ties {bad[:2]}")
# the blocs spec's signed graph is the network of `entente blocs` / `balance --world`
sgb = w.signed_graph(D, "blocs")
neg = sum(1 for _, _, d in sgb.edges(data=True) if d["weight"] < 0)
ok = (sgb.number_of_nodes(), sgb.number_of_edges(), neg) == (bj["nodes"], bj["edges"], bj["negative"])
ok &= list(sgb.nodes) == list(sg.nodes) and all(close(sg[a][b]["weight"], d["weight"]) for a, b, d in sgb.edges(data=True))
nz = dy[dy.weight != 0]
ok &= len(nz) == sgb.number_of_edges() and all(close(sgb[r.state1][r.state2]["weight"], r.weight) for r in nz.itertuples())
check(ok, f"signed_graph('blocs'): {sgb.number_of_nodes()} nodes, {sgb.number_of_edges()} edges, {neg} hostile = blocs "
          "--json, = signed_network(), = the dyads' weights")
# the balance spec (partnerships of tier >= 5): the network of `balance-dynamics --world`
bd = cli("balance-dynamics", "--world", "--runs", "1", "--steps", "1", "--json")["networks"][0]
sgd = w.signed_graph(D, entente.signed_spec("balance", min_tier=bd["tier"]))
pos = sum(1 for _, _, d in sgd.edges(data=True) if d["weight"] > 0)
check((sgd.number_of_nodes(), sgd.number_of_edges()) == (bd["n"], bd["links"]) and
      close(pos / sgd.number_of_edges(), bd["initial"]["rho"], rel=1e-9),
      f"signed_graph(balance spec, tier {bd['tier']}): {sgd.number_of_nodes()} nodes, {sgd.number_of_edges()} links, "
      f"{pos} friendly = balance-dynamics --world")

# the solver: the same split and value as `entente balance`, method for method
balx = cli("balance", "--world", "--json", "--time-limit", "30")
for meth, c in (("heuristic", balj), ("auto", balx)):
    p = entente.partition(sgb, method=meth, time_limit=30)
    ok = close(p.frustration, c["frustration"], rel=1e-9) and p.optimal == c["optimal"] and p.method == c["method"]
    ok &= p.membership.to_dict() == c["partition"] and close(p.bound, c["bound"], rel=1e-9)
    check(ok, f"partition(world, {meth!r}) = balance --world{' --heuristic' if meth == 'heuristic' else ''} --json: "
              f"frustration {p.frustration:.6g} ({p.solver}, {p.method}, optimal {p.optimal}), {len(p.membership)} camps")
cfile = {n["network"]: n for n in cli("balance", edges, "--json")["networks"]}
cexh = {n["network"]: n for n in cli("balance", edges, "--exhaustive", "--json")["networks"]}


def brute(gr):
    """The frustration index by enumeration, here in Python: every split with the first node in camp 0."""
    nodes = list(gr.nodes)
    best = math.inf
    for mask in range(1 << (len(nodes) - 1)):
        camp = {v: (mask >> (i - 1)) & 1 if i else 0 for i, v in enumerate(nodes)}
        f = sum(max(0, -d["weight"]) if camp[a] == camp[b] else max(0, d["weight"]) for a, b, d in gr.edges(data=True))
        best = min(best, f)
    return best


ok = True
for name, gr in graphs.items():
    p = entente.partition(gr)
    c = cfile[name]
    ok &= p.frustration == c["frustration"] == brute(gr) and p.optimal and p.membership.to_dict() == c["partition"]
    e = entente.partition(gr, method="exhaustive", minima=True)
    x = cexh[name]["exhaustive"]
    ok &= e.solver == "exhaustive" and (e.configs, e.nminima, e.basins) == (x["configurations"], x["local_minima"], x["basins"])
    ok &= [(r["value"], r["basin"]) for r in e.minima.to_dict("records")] == [(m["value"], m["basin"]) for m in x["minima"]]
    ok &= all(e.minima.iloc[i][list(gr.nodes)].to_dict() == m["partition"] for i, m in enumerate(x["minima"]))
check(ok, "partition() of an edge list = balance FILE --json and --exhaustive --json (minima, basins); "
          "= the frustration index by enumeration in Python (network a: "
          f"{cfile['a']['frustration']}, b: {cfile['b']['frustration']})")
df_edges = pd.DataFrame({"from": ["X", "Y", "X"], "to": ["Y", "Z", "Z"], "sign": [1, -1, -1]})
p = entente.partition(df_edges, weight="sign")
check(p.frustration == 0 and p.optimal and p.camps() == [["X", "Y"], ["Z"]],
      f"partition of an edge DataFrame: {p.camps()} balanced")
gg = os.path.join(shared, "signed", "gahuku_gama_tribes_edgelist.csv") if shared else ""
if gg and os.path.exists(gg):
    _, ggs = entente.signed_balance(gg)
    (ggn, ggg), = ggs.items()
    p = entente.partition(ggg)
    c = cli("balance", gg, "--json")["networks"][0]
    small = sorted(min(p.camps(), key=len))
    # Read (1954), Gahuku-Gama: frustration index 7, the unique optimal split {Gavev, Kotun, Gama,
    # Nagad} against the other twelve tribes (Aref & Wilson, J. Complex Networks 7(2), 2019)
    check(p.frustration == 7 and p.optimal and small == ["Gama", "Gavev", "Kotun", "Nagad"] and
          p.membership.to_dict() == c["partition"] and c["frustration"] == 7,
          f"published: Gahuku-Gama frustration index {p.frustration:g} (optimal {p.optimal}), split {small} = "
          "balance FILE --json")
else:
    print("SKIP the published Gahuku-Gama check: ../shared/data/signed is absent")

for call, name, text in ((lambda: entente.partition(sgb, method="bogus"), "ENT_EINVAL", "unknown solver"),
                         (lambda: entente.partition(sgb, method="exhaustive"), "ENT_ERANGE", ""),
                         (lambda: w.dyads(D, spec=entente.signed_spec("blocs", rivalry=-1.0)), "ENT_EINVAL", "rivalry"),
                         (lambda: entente.partition(pd.DataFrame({"from": ["A"], "to": ["B"], "sign": [0]}),
                                                    weight="sign"), "ENT_EINVAL", "")):
    try:
        call()
        check(False, f"{name} raised")
    except entente.EntenteError as e:
        check(e.name == name and text in e.message, f"raises {name}: {e}")

# ---- simulation and forecast: equal to the CLI on the same seed and runs
scen = os.path.join(prefix, "share", "entente", "scenarios", "baseline.yaml")
sj = cli("simulate", scen, "--runs", "60", "--seed", "5", "--json", "--threads", "2")
sim = entente.simulate(scen, world=w, runs=60, seed=5, threads=1)
ok = sim.runs == sj["runs"] == 60
for r in sim.series.itertuples():
    c = sj["series"][r.series][r.year - sim.start_year]
    ok &= c["year"] == r.year and all(close(getattr(r, k), c[k]) for k in ("mean", "q05", "q50", "q95"))
check(ok, f"simulate series ({len(sim.series)} rows; 1 thread vs the CLI's 2) = simulate --json")
ok = True
for r, c in zip(sim.poles.itertuples(), sj["poles"]):
    ok &= r.pole == c["pole"] and r.pacts_in_base_year == c["pacts_in_base_year"]
    a = c["p_at_least_3_pacts_by_report_year"]
    ok &= close(r.p_at_least_k_pacts, a["p"]) and close(r.p_at_least_k_pacts_lo, a["lo"]) and close(r.p_at_least_k_pacts_hi, a["hi"])
    ok &= close(r.p_alliance_builder, c["p_alliance_builder_by_report_year"]["p"])
    ok &= (r.median_year_alliance_builder if r.median_year_alliance_builder == r.median_year_alliance_builder else None) \
        == c["median_year_alliance_builder"]
check(ok, "simulate poles = simulate --json")
ok = len(sim.states) == len(sj["states"])
for r, c in zip(sim.states.itertuples(), sj["states"]):
    ok &= r.abbr == c["abbr"] and all(close(getattr(r, "p_" + a), v) for a, v in c["alignment_report_year"].items())
    ok &= close(r.p_pact_with_CHN, c["p_pact_with_CHN_by_report_year"])
check(ok, f"simulate states ({len(sim.states)}) = simulate --json")
# three poles (issue 12): the poles by code in the model's order, K alignments and pacts per state
scen3 = os.path.join(prefix, "share", "entente", "scenarios", "russian-pole.yaml")
sj3 = cli("simulate", scen3, "--runs", "20", "--seed", "5", "--json", "--threads", "2")
sim3 = entente.simulate(scen3, world=w, runs=20, seed=5, threads=1)
ok = list(sim3.poles.pole) == [c["pole"] for c in sj3["poles"]] == ["USA", "RUS", "CHN"]
ok &= set(sim3.series.series) == set(sj3["series"]) and "norm_RUS" in sj3["series"]
for r, c in zip(sim3.states.itertuples(), sj3["states"]):
    ok &= r.abbr == c["abbr"] and all(close(getattr(r, "p_" + a), v) for a, v in c["alignment_report_year"].items())
    ok &= all(close(getattr(r, f"p_pact_with_{p}"), c[f"p_pact_with_{p}_by_report_year"]) for p in ("USA", "RUS", "CHN"))
ok &= "p_aligned_RUS" in sim3.states.columns and "p_finlandized_RUS" in sim3.states.columns
check(ok, "simulate with three poles (russian-pole) = simulate --json, poles by code")

scdir = os.path.join(tmp, "scen")
os.makedirs(scdir, exist_ok=True)
for n in ("baseline.yaml", "china-russia-pact.yaml"):
    with open(os.path.join(prefix, "share", "entente", "scenarios", n)) as fi, open(os.path.join(scdir, n), "w") as fo:
        fo.write(fi.read())
fj = cli("forecast", "--scenarios", scdir, "--runs", "40", "--seed", "9", "--json")
sims, head = entente.forecast(scdir, world=w, runs=40, seed=9)
ok = sorted(sims) == sorted(s["scenario"] for s in fj["scenarios"])
for s in fj["scenarios"]:
    h = head[(head.scenario == s["scenario"]) & (head.pole == "CHN")].iloc[0]
    ok &= close(h.p_at_least_k_pacts, s["p_china_pacts"]["p"]) and close(h.p_alliance_builder, s["p_china_alliance_builder"]["p"])
check(ok, f"forecast headline for China ({len(sims)} scenarios) = forecast --json")

# ---- similarity: a hand-checked case, the published value, and the dyad panel vs the CLI
x, y = [3, 3, 0, 0], [3, 3, 2, 0]
wts = np.array([0.2, 0.2, 0.1, 0.1]) / 0.6
m = entente.similarity(x, y, wts)
check(abs(m.s - (1 - 2.0 * 2 / 12)) < 1e-15 and abs(m.sw - (1 - 2.0 * (2 * 0.1 / 0.6) / 3)) < 1e-15,
      f"similarity by hand: S = 2/3, weighted S = {m.sw:.6f}")
tab = os.path.join(shared, "similarity", "gmyrus14_signorino_ritter_1999_table6.csv") if shared else ""
if tab and os.path.exists(tab):
    t = pd.read_csv(tab)
    m = entente.similarity(t.gmy, t.rus, t.syscap)
    # Signorino & Ritter (1999), Table 6: Germany-Russia 1914, S = .40, weighted S = -.46; tau-b
    # .03 (fpsim's 0.03031695)
    check(len(t) == 20 and abs(m.s - 0.40) < 1e-12 and abs(m.sw + 0.46) < 1e-12 and abs(m.taub - 0.03031695) < 5e-9,
          f"published: Signorino & Ritter 1914 GMY-RUS S = {m.s:.12f}, Sw = {m.sw:.12f}, tau-b = {m.taub:.8f}")
else:
    print("SKIP the published Signorino & Ritter check: ../shared/data/similarity is absent")
try:
    entente.similarity([0, 5], [1, 1])
    check(False, "a code outside 0..3 raises")
except entente.EntenteError as e:
    check(e.name == "ENT_EINVAL" and e.code == 2 and e.message, f"a code outside 0..3 raises EntenteError: {e}")

db = os.path.join(tmp, "small.db")
files = {
    "cow-states": ("states.csv", "stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n"
                   "USA,2,United States of America,1816,1,1,2016,12,31,2016\nUKG,200,United Kingdom,1816,1,1,2016,12,31,2016\n"
                   "FRN,220,France,1816,1,1,2016,12,31,2016\nRUS,365,Russia,1901,1,1,2016,12,31,2016\n"),
    "cow-system": ("system.csv", "stateabb,ccode,year,version\nUSA,2,1900,2016\nUKG,200,1900,2016\nFRN,220,1900,2016\n"
                   "USA,2,1901,2016\nUKG,200,1901,2016\nFRN,220,1901,2016\nRUS,365,1901,2016\n"),
    "cow-nmc": ("nmc.csv", "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n2,1900,1,1,1,1,1,1,0.2\n200,1900,1,1,1,1,1,1,0.2\n"
                "220,1900,1,1,1,1,1,1,0.1\n2,1901,1,1,1,1,1,1,0.2\n200,1901,1,1,1,1,1,1,0.2\n220,1901,1,1,1,1,1,1,0.1\n"
                "365,1901,1,1,1,1,1,1,0.1\n"),
    "atop-dyad-year": ("atop.csv", "ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
                       "2,200,1900,1,0,0,0,0\n2,200,1901,1,0,0,0,0\n200,2,1900,1,0,0,0,0\n200,2,1901,1,0,0,0,0\n"
                       "200,220,1901,0,0,1,0,0\n220,365,1901,0,0,0,1,0\n365,220,1901,0,0,0,1,0\n"),
}
for fmt, (name, text) in files.items():
    with open(os.path.join(tmp, name), "w") as f:
        f.write(text)
    cli("import", fmt, os.path.join(tmp, name), "--db", db, json_out=False)
for directed in (False, True):
    out = os.path.join(tmp, f"dyads_{directed}.csv")
    cli("dyads", "--from", "1900", "--to", "1901", "--out", out, "--db", db, *(["--directed"] if directed else []),
        json_out=False)
    c = pd.read_csv(out)
    p = entente.dyads(db, range(1900, 1902), directed=directed)
    ok = len(c) == len(p) and list(c.columns) == list(p.columns)
    ok &= (c[["ccode1", "ccode2", "year"]].values == p[["ccode1", "ccode2", "year"]].values).all()
    for col in c.columns[3:]:
        ok &= np.allclose(c[col].values.astype(float), p[col].values, rtol=1e-9, atol=1e-12, equal_nan=True)
    ok &= p.atop_defense.sum() > 0  # the UKG-USA defence pact of the fixture is there
    check(ok, f"dyads panel ({'directed' if directed else 'undirected'}, {len(p)} rows) = entente dyads CSV")

# ---- a round trip of the world: its tables read back equal the CSV files it was loaded from
raw = pd.read_csv(os.path.join(w.origin, "states.csv"), keep_default_na=False)
st = w.states.set_index("ccode").loc[raw.ccode]
ok = len(raw) == len(w)
ok &= (st.abbr.values == raw.abbr.values).all() and (st.iso3.values == raw.iso3.values).all()
ok &= (st.name.values == raw.name.values).all() and (st.region.values == raw.region.values).all()
ok &= np.allclose(st.lat.values, pd.to_numeric(raw.lat).values) and np.allclose(st.lon.values, pd.to_numeric(raw.lon).values)
ok &= (st.un_member.values == raw.un_member.astype(int).astype(bool).values).all()
rawm = pd.read_csv(os.path.join(w.origin, "org_members.csv"), keep_default_na=False)
ok &= len(rawm) == len(w.memberships)
rawo = pd.read_csv(os.path.join(w.origin, "orgs.csv"), keep_default_na=False)
ok &= sorted(rawo.org_id) == sorted(w.orgs.id)
# write the tables back out, load that directory: the same world
copy = os.path.join(tmp, "world_copy")
os.makedirs(copy, exist_ok=True)
for fn in os.listdir(w.origin):
    if fn.endswith(".csv"):
        with open(os.path.join(w.origin, fn), encoding="utf-8") as fi:
            text = fi.read()
        with open(os.path.join(copy, fn), "w", encoding="utf-8") as fo:
            fo.write(text)
raw.to_csv(os.path.join(copy, "states.csv"), index=False)  # states.csv through pandas
w2 = entente.World.load(copy)
ok &= w2.states.equals(w.states) and w2.ties.equals(w.ties) and w2.memberships.equals(w.memberships)
check(ok, "round trip: states, orgs and memberships equal their CSV files; a copy written back loads to equal tables")

# ---- a world built in memory (World.build) equals the world it was built from
pm = pd.read_csv(os.path.join(w.origin, "pact_members.csv"), keep_default_na=False)
pk = pd.read_csv(os.path.join(w.origin, "pacts.csv"), keep_default_na=False).set_index("pact_id")
pm = pm.rename(columns={"pact_id": "pact"})
# a membership ends with its pact, as the CSV reader has it
pend = pm.pact.map(pk["end"])
pm["exit"] = [min(x for x in (e, pe) if x) if (e or pe) else None for e, pe in zip(pm["exit"], pend)]
pm["moniker"] = pm.pact.map(pk["name"])
pm["source"] = pm.pact.map(pk["source"])
nonpact = w.ties[w.ties.kind != "pact"].copy()
codes = dict(zip(w.states.abbr, w.states.ccode))
nonpact["a"], nonpact["b"] = nonpact.a.map(codes), nonpact.b.map(codes)
caps = pd.read_csv(os.path.join(w.origin, "capabilities.csv"), keep_default_na=False)
caps["cinc"] = pd.to_numeric(caps.cinc, errors="coerce")
caps = caps.dropna(subset=["cinc"])[["ccode", "year", "cinc"]]
built = entente.World.build(w.states, capabilities=caps, pacts=pm, ties=nonpact)
key = ["a", "b", "kind", "start", "end", "moniker", "subtype", "level", "obligations", "directed", "dormant"]
bt = built.ties.sort_values(key).reset_index(drop=True)
wt = w.ties.sort_values(key).reset_index(drop=True)
ok = built.states[["ccode", "abbr", "iso3", "name", "region", "capital"]].equals(
    w.states[["ccode", "abbr", "iso3", "name", "region", "capital"]])
ok &= len(bt) == len(wt) and (bt[key].astype(str).values == wt[key].astype(str).values).all()
cb = [_ffi.lib.ent_world_cinc(built._w, i, y) for i in range(len(w)) for y in (2021, 2022, 2023)]
cw = [_ffi.lib.ent_world_cinc(w._w, i, y) for i in range(len(w)) for y in (2021, 2022, 2023)]
ok &= all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(cb, cw)) and not all(map(math.isnan, cw))
check(ok, f"World.build from the shipped CSV tables: {len(built)} states, {len(bt)} ties (pacts as dyads) = World.load")
try:
    entente.World.build(pd.DataFrame({"ccode": [2], "abbr": ["USA"]}),
                        ties=pd.DataFrame({"a": [2], "b": [999], "kind": ["rivalry"], "start": ["2000"]}))
    check(False, "World.build with an unknown state raises")
except entente.EntenteError as e:
    check(e.name == "ENT_ENOTFOUND" and "999" in e.message, f"World.build with an unknown state: {e}")

# ---- similarity of a world's pacts: the shipped world = `similarity --world`; a store's world = the store
ws = entente.similarity_dyads(w, 2024)
c = pd.read_csv(io.StringIO(cli("similarity", "--world-dir", w.origin, "--year", "2024", "--csv", json_out=False)),
                na_values="NA")
ok = len(c) == len(ws) == len(w) * (len(w) - 1) // 2
ok &= (c[["ccode1", "ccode2", "year"]].values == ws[["ccode1", "ccode2", "year"]].values).all()
for col in ("s", "sw", "kappa", "pi", "taub"):
    ok &= np.allclose(c[col].values, ws[col].values, rtol=0, atol=1e-12, equal_nan=True)
check(ok, f"similarity_dyads(World) = similarity --world --csv ({len(ws)} dyads of the shipped world)")
import sqlite3
con = sqlite3.connect(db)
con.executescript("INSERT INTO pacts(pact_id,dataset,ext_id,name,start_date,end_date,defense,source) VALUES "
                  "(1,'atop','1','USA-UKG',19000101,NULL,1,'fixture');"
                  "INSERT INTO pact_members(pact_id,ccode,entry_date,exit_date,defense,source) VALUES "
                  "(1,2,19000101,NULL,1,'f'),(1,200,19000101,NULL,1,'f');")
con.commit()
con.close()
a = entente.similarity_dyads(db, 1900)
b = entente.similarity_dyads(entente.World.from_store(db), 1900, cinc_back=0)
ok = len(a) == len(b) == 3 and (a[["ccode1", "ccode2", "obligations"]].values == b[["ccode1", "ccode2", "obligations"]].values).all()
for col in ("s", "kappa", "pi", "taub"):
    ok &= np.allclose(a[col].values, b[col].values, rtol=0, atol=0, equal_nan=True)
ok &= np.allclose(a.sw.values, b.sw.values, rtol=0, atol=1e-6, equal_nan=True)  # the world keeps CINC as float
check(ok, "similarity_dyads(World.from_store(db)) = similarity_dyads(db) for the same alliances (1900)")

# ---- errors carry entente's message
try:
    entente.World.load(os.path.join(tmp, "nowhere"))
    check(False, "loading a missing directory raises")
except entente.EntenteError as e:
    check(e.name == "ENT_EIO" and "nowhere" in e.message, f"missing world directory: {e}")
bad = os.path.join(tmp, "bad.yaml")
with open(bad, "w") as f:
    f.write("name: bad\nyears: 3\nparameters:\n  no_such_key: 1\n")
try:
    entente.simulate(bad, world=w, runs=2)
    check(False, "a bad scenario raises")
except entente.EntenteError as e:
    check(e.name == "ENT_EPARSE" and "bad.yaml:4" in e.message and "no_such_key" in e.message, f"bad scenario: {e}")

print(f"{failures} failure(s)")
sys.exit(1 if failures else 0)
