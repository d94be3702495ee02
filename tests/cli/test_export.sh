#!/usr/bin/env bash
# `entente export`: the network read back by the tools scholars use.
#  - GraphML read by networkx and by python-igraph: the same nodes, edges and typed attributes as
#    the CSV node and edge lists of the same export, and known facts of the shipped world;
#  - DOT counted by Graphviz (gc) and laid out by dot;
#  - GEXF well-formed, dynamic, and its spells consistent with the data: on an imported store
#    (COW states + ATOP 5.1 + NMC), every pact edge lies within its ATOP alliance's dates, the
#    China-DPRK treaty starts on 1961-07-11, node spells are COW's, CINC by year is NMC's;
#  - provenance sidecars, windows, bad arguments.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
$PY -c 'import networkx, igraph' 2>/dev/null || { echo "SKIP: python3-networkx and python3-igraph are needed (scripts/bootstrap)"; exit 77; }
command -v gc >/dev/null || { echo "SKIP: graphviz is needed (scripts/bootstrap)"; exit 77; }

D=2024-06-30
for f in graphml gexf dot; do
    expect_exit 0 -- "$ENTENTE" export $f --date $D --out "$TMPD/w.$f"
    [ -s "$TMPD/w.$f" ] && [ -s "$TMPD/w.$f.prov.json" ] && ok || bad "export $f: no file or no sidecar"
done
expect_exit 0 -- "$ENTENTE" export csv --date $D --out "$TMPD/w"
nstates=$(($(wc -l <"$ENT_SRC/data/states.csv") - 1))

$PY - "$TMPD" "$nstates" <<'PY' && ok || bad "GraphML read back by networkx and igraph differs from the CSV lists"
import csv, sys, networkx as nx, igraph as ig
d, nstates = sys.argv[1], int(sys.argv[2])
nodes = {r["id"]: r for r in csv.DictReader(open(f"{d}/w.nodes.csv"))}
edges = {r["id"]: r for r in csv.DictReader(open(f"{d}/w.edges.csv"))}
assert len(nodes) == nstates, (len(nodes), nstates)
G = nx.read_graphml(f"{d}/w.graphml")
assert G.is_multigraph() and not G.is_directed()
assert set(G.nodes) == set(nodes), set(G.nodes) ^ set(nodes)
assert G.number_of_edges() == len(edges)
for n, a in G.nodes(data=True):
    r = nodes[n]
    assert isinstance(a["ccode"], int) and a["ccode"] == int(r["ccode"]), (n, a)
    assert a["abbr"] == r["abbr"] and a["name"] == r["name"] and a.get("region", "") == r["region"]
    if r["cinc"]:
        assert isinstance(a["cinc"], float) and abs(a["cinc"] - float(r["cinc"])) < 1e-12
    else:
        assert "cinc" not in a
for u, v, k, a in G.edges(keys=True, data=True):
    r = edges[a["id"]] if "id" in a else edges[k]
    assert {u, v} == {r["source"], r["target"]}, (u, v, r)
    assert a["kind"] == r["kind"] and a.get("obligations", "") == r["obligations"]
    assert a.get("moniker", "") == r["moniker"] and a.get("start", "") == r["start"] and a.get("end", "") == r["end"]
    assert a.get("source", "") == r["source_ref"] and isinstance(a["directed"], bool)
    assert a["directed"] == (r["directed"] == "true")
    if r["tier"]:
        assert isinstance(a["tier"], int) and a["tier"] == int(r["tier"])
g = ig.Graph.Read_GraphML(f"{d}/w.graphml")
assert g.vcount() == len(nodes) and g.ecount() == len(edges) and not g.is_directed()
assert set(g.vs["id"]) == set(nodes)
ids = g.vs["id"]
for e in g.es:
    r = edges[e["id"]]
    assert {ids[e.source], ids[e.target]} == {r["source"], r["target"]}
    assert e["kind"] == r["kind"] and e["start"] == r["start"]
for v in g.vs:
    assert int(v["ccode"]) == int(nodes[v["id"]]["ccode"]) and v["name"] == nodes[v["id"]]["name"]
# facts of the shipped world on 2024-06-30: the US-Japan treaty, China-Russia's top partnership
by = lambda a, b, kind: [r for r in edges.values() if {r["source"], r["target"]} == {a, b} and r["kind"] == kind]
assert any("defense" in r["obligations"] for r in by("2", "740", "pact")), "no US-Japan defence pact"
cr = by("710", "365", "partnership")
assert cr and int(cr[0]["tier"]) == max(int(r["tier"]) for r in edges.values() if r["tier"]), cr
assert not any(r["end"] and r["end"] < "2024-06-30" or r["start"] > "2024-06-30" for r in edges.values())
PY

# DOT: Graphviz counts the same nodes and edges, and lays the graph out
n=$(gc -n "$TMPD/w.dot" | awk '{print $1}')
e=$(gc -e "$TMPD/w.dot" | awk '{print $1}')
ne=$(($(wc -l <"$TMPD/w.edges.csv") - 1))
[ "$n" = "$nstates" ] && [ "$e" = "$ne" ] && ok || bad "gc counts $n nodes, $e edges; wanted $nstates, $ne"
"$ENTENTE" export dot --date $D --kinds rivalry,coercion --out "$TMPD/p.dot" 2>/dev/null
timeout 120 dot -Tsvg "$TMPD/p.dot" -o "$TMPD/p.svg" 2>"$TMPD/dot.err" && grep -q "<svg" "$TMPD/p.svg" && ok ||
    bad "dot could not lay out the rivalry and coercion network: $(head -c 300 "$TMPD/dot.err")"

# GEXF of the shipped world: well-formed, dynamic, the same nodes and edges
$PY - "$TMPD" <<'PY' && ok || bad "GEXF of the shipped world"
import csv, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
ns = {"g": "http://www.gexf.net/1.2draft"}
root = ET.parse(f"{d}/w.gexf").getroot()
graph = root.find("g:graph", ns)
assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
assert graph.get("start") == "2024-06-30" and graph.get("end") == "2024-06-30"
nodes = graph.findall("g:nodes/g:node", ns)
edges = graph.findall("g:edges/g:edge", ns)
assert len(nodes) == sum(1 for _ in csv.DictReader(open(f"{d}/w.nodes.csv")))
assert len(edges) == sum(1 for _ in csv.DictReader(open(f"{d}/w.edges.csv")))
assert all(e.get("start") == "2024-06-30" and e.get("end") == "2024-06-30" for e in edges)  # clipped to the day
PY

# provenance of an export: the caption inside, the record beside, `entente cite --for`
grep -q "<!-- entente " "$TMPD/w.graphml" && ok || bad "GraphML without its provenance comment"
expect_exit 0 -- "$ENTENTE" cite --for "$TMPD/w.graphml"
expect_in "$TMPD/out" "[entente-world]"

# bad arguments
expect_exit 1 -- "$ENTENTE" export pdf
expect_exit 1 -- "$ENTENTE" export csv --date $D
expect_exit 1 -- "$ENTENTE" export graphml --date $D --from 1900 --to 1910
expect_exit 1 -- "$ENTENTE" export graphml --from 1910 --to 1900
expect_exit 1 -- "$ENTENTE" export graphml --kinds alliance
expect_exit 3 -- "$ENTENTE" export graphml --db "$TMPD/nonexistent.db"

# two centuries from an imported store: GEXF spells against ATOP and COW themselves
for f in cow/states2016.csv cow/system2016.csv atop/atop5_1a.csv atop/atop5_1m.csv cow/nmc_v7.0_abridged.csv; do
    [ -f "$DATA/$f" ] || { echo "SKIP (store part): $DATA/$f not found (set ENT_SHARED_DATA)"; finish; }
done
db="$TMPD/h.db"
for spec in "cow-states cow/states2016.csv" "cow-system cow/system2016.csv" "atop atop" "cow-nmc cow/nmc_v7.0_abridged.csv"; do
    set -- $spec
    "$ENTENTE" import "$1" "$DATA/$2" --db "$db" >/dev/null 2>"$TMPD/imp.err" || bad "import $1: $(head -c 300 "$TMPD/imp.err")"
done
expect_exit 0 -- "$ENTENTE" export gexf --db "$db" --kinds pact --out "$TMPD/h.gexf"
expect_exit 0 -- "$ENTENTE" export csv --db "$db" --kinds pact --out "$TMPD/h"
expect_exit 0 -- "$ENTENTE" export gexf --db "$db" --kinds pact --from 1900 --to 1914 --out "$TMPD/h1900.gexf"
$PY - "$TMPD" "$DATA" <<'PY' && ok || bad "GEXF spells of the imported store disagree with ATOP, COW or NMC"
import csv, re, sys, xml.etree.ElementTree as ET
d, data = sys.argv[1:]
ns = {"g": "http://www.gexf.net/1.2draft"}
def load(path):
    g = ET.parse(path).getroot().find("g:graph", ns)
    assert g.get("mode") == "dynamic"
    return g.findall("g:nodes/g:node", ns), g.findall("g:edges/g:edge", ns)
nodes, edges = load(f"{d}/h.gexf")
rows = list(csv.DictReader(open(f"{d}/h.edges.csv")))
assert len(edges) == len(rows) > 10000, (len(edges), len(rows))
att = lambda el, k: next((a.get("value") for a in el.iter("{%s}attvalue" % ns["g"]) if a.get("for") == k), None)
# every pact edge inside its ATOP alliance's dates (ATOP 5.1 alliance level; ongoing ones end open)
alli = {}
for r in csv.DictReader(open(f"{data}/atop/atop5_1a.csv")):
    alli[r["atopid"]] = (int(r["begyr"]), int(r["endyr"]) if r["endyr"] not in ("", "0") else 9999)
checked = 0
for e, r in zip(edges, rows):
    s, t = e.get("start"), e.get("end")
    assert s == r["start"] and (t or "") == r["end"], (e.attrib, r)
    assert t is None or s <= t
    m = re.search(r"atopid (\d+)", att(e, "source") or "")
    assert m, att(e, "source")
    beg, end = alli[m.group(1)]
    assert beg <= int(s[:4]) and (t is None or int(t[:4]) <= end), (m.group(1), s, t, beg, end)
    checked += 1
assert checked == len(edges)
# the China-DPRK treaty of 1961 (ATOP 3445)
cd = [e for e in edges if {e.get("source"), e.get("target")} == {"710", "731"} and "3445" in att(e, "source")]
assert cd and cd[0].get("start") == "1961-07-11", [e.attrib for e in cd]
# node spells are COW's membership spells
cow = {}
for r in csv.DictReader(open(f"{data}/cow/states2016.csv")):
    cow.setdefault(r["ccode"], []).append("%04d-%02d-%02d" % (int(r["styear"]), int(r["stmonth"]), int(r["stday"])))
byid = {n.get("id"): n for n in nodes}
assert set(cow) <= set(byid), set(cow) - set(byid)
for c, starts in cow.items():
    spells = byid[c].findall("g:spells/g:spell", ns)
    assert sorted(sp.get("start") for sp in spells) == sorted(starts), (c, [sp.attrib for sp in spells], starts)
# CINC by year is NMC's (v7.0), e.g. every value of China
nmc = {int(r["year"]): float(r["cinc"]) for r in csv.DictReader(open(f"{data}/cow/nmc_v7.0_abridged.csv"))
       if r["ccode"] == "710" and r["cinc"] not in ("", "NA")}
got = {int(a.get("start")[:4]): float(a.get("value")) for a in byid["710"].iter("{%s}attvalue" % ns["g"])
       if a.get("for") == "cinc"}
assert got and set(got) == set(nmc) and all(abs(got[y] - nmc[y]) <= 1e-6 * max(nmc[y], 1e-3) for y in got)
# a window: every spell inside 1900-1914, and exactly the ties that overlap it
wn, we = load(f"{d}/h1900.gexf")
want = [r for r in rows if r["start"] <= "1914-12-31" and (r["end"] == "" or r["end"] >= "1900-01-01")]
assert len(we) == len(want) > 0
assert all("1900-01-01" <= e.get("start") <= e.get("end") <= "1914-12-31" for e in we)
PY
finish
