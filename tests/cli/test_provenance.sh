#!/usr/bin/env bash
# Provenance and citations on outputs; poles named by code; the legible forecast.
#  - simulate/forecast/world/blocs/balance JSON carry a "provenance" block whose checksums are
#    the files' own (checked against sha256sum), with seed, runs, threads and the command line;
#  - --out CSV files get a FILE.prov.json sidecar; `entente cite --for` reads either;
#  - a scenario listing its poles as [CHN, USA] gives exactly the results of [USA, CHN];
#  - the forecast's text names states in full with their COW codes and defines its terms.
. "$(dirname "$0")/lib.sh"
scen="$ENT_SRC/scenarios"
PY=/usr/bin/python3

# --- simulate --json: the provenance block
expect_exit 0 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 20 --threads 2 --seed 11 --json
cp "$TMPD/out" "$TMPD/sim.json"
$PY - "$TMPD/sim.json" "$scen/baseline.yaml" "$ENT_SRC/data" <<'PY' && ok || bad "simulate provenance block"
import hashlib, json, os, re, sys
d = json.load(open(sys.argv[1]))
p = d["provenance"]
assert p["engine"]["name"] == "entente" and re.fullmatch(r"[0-9a-f]{40}|unknown", p["engine"]["commit"]), p["engine"]
assert isinstance(p["engine"]["dirty"], bool)
assert p["seed"] == 11 and p["runs"] == 20 and p["threads"] == 2, p
assert p["argv"][:2] == ["entente", "simulate"] and "--seed" in p["argv"], p["argv"]
ins = {(i["role"], os.path.basename(i["path"])): i for i in p["inputs"]}
sc = ins[("scenario", "baseline.yaml")]
assert sc["sha256"] == hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
assert sc["bytes"] == os.path.getsize(sys.argv[2])
world = sorted(f for f in os.listdir(sys.argv[3]) if f.endswith(".csv"))
got = sorted(name for role, name in ins if role == "world")
assert got == world, (got, world)
for f in world:
    assert ins[("world", f)]["sha256"] == hashlib.sha256(open(os.path.join(sys.argv[3], f), "rb").read()).hexdigest(), f
for k in ("entente-alignment", "entente-world", "cow-nmc", "atop"):
    assert k in p["cite"], (k, p["cite"])
# poles and series named by state code, never by position
assert [q["pole"] for q in d["poles"]] == ["USA", "CHN"] and d["poles"][1]["name"] == "China"
assert "pacts_CHN" in d["series"] and not any("pole0" in k or "pole1" in k for k in d["series"])
al = d["states"][0]["alignment_report_year"]
assert set(al) == {"hedge", "aligned_USA", "aligned_CHN", "finlandized_USA", "finlandized_CHN"}, al
PY

# --- poles listed in the other order: identical results (apart from the file name and the provenance)
sed 's/^poles: \[USA, CHN\]$/poles: [CHN, USA]/' "$scen/baseline.yaml" >"$TMPD/swapped.yaml"
grep -q '^poles: \[CHN, USA\]$' "$TMPD/swapped.yaml" && ok || bad "could not swap the poles of baseline.yaml"
cp "$scen/baseline.yaml" "$TMPD/orig.yaml"
for f in orig swapped; do
    "$ENTENTE" simulate "$TMPD/$f.yaml" --runs 40 --json >"$TMPD/$f.json" 2>/dev/null || bad "simulate $f.yaml failed"
done
$PY - "$TMPD/orig.json" "$TMPD/swapped.json" <<'PY' && ok || bad "reordering the poles changed the per-state results"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for d in (a, b):
    d.pop("provenance"); d.pop("file")
assert a["states"] == b["states"] and a == b
PY
# the forecast's headline follows China by its code (issue 10: it took the second pole for China)
mkdir -p "$TMPD/fo" "$TMPD/fs"
cp "$TMPD/orig.yaml" "$TMPD/fo/baseline.yaml"
cp "$TMPD/swapped.yaml" "$TMPD/fs/baseline.yaml"
"$ENTENTE" forecast --scenarios "$TMPD/fo" --runs 40 --json >"$TMPD/fo.json" 2>/dev/null
"$ENTENTE" forecast --scenarios "$TMPD/fs" --runs 40 --json >"$TMPD/fs.json" 2>/dev/null
$PY - "$TMPD/fo.json" "$TMPD/fs.json" <<'PY' && ok || bad "forecast headline depends on the order of the poles"
import json, sys
a, b = (json.load(open(p))["scenarios"] for p in sys.argv[1:])
assert a == b and "p_china_pacts" in a[0]
PY
# a scenario without China is reported as such, not with another state's numbers
mkdir -p "$TMPD/fr"
sed 's/^poles: \[USA, CHN\]$/poles: [USA, RUS]/; /^parameters:/,$d' "$scen/baseline.yaml" >"$TMPD/fr/x.yaml"
expect_exit 0 -- "$ENTENTE" forecast --scenarios "$TMPD/fr" --runs 10
expect_in "$TMPD/out" "China is not one of its poles"

# --- --out: JSON with provenance, CSV sidecars, keys by pole code
expect_exit 0 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 10 --out "$TMPD/res"
for f in baseline_series.csv baseline_states.csv; do
    $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["describes"]==sys.argv[2] and d["provenance"]["runs"]==10' \
        "$TMPD/res/$f.prov.json" "$f" && ok || bad "sidecar $f.prov.json"
done
head -1 "$TMPD/res/baseline_series.csv" | grep -q "^scenario,series,year" && ok || bad "series CSV header moved"
grep -q ",pacts_CHN," "$TMPD/res/baseline_series.csv" && ok || bad "series CSV: no pacts_CHN rows"
grep -q "pole0\|pole1" "$TMPD/res/baseline_series.csv" && bad "series CSV still says pole0/pole1" || ok

# --- other JSON outputs carry the block
expect_exit 0 -- "$ENTENTE" world --json --date 2024-06-30
$PY -c 'import json,sys; p=json.load(open(sys.argv[1]))["provenance"]; assert p["params"]["date"]=="2024-06-30" and any(i["role"]=="world" for i in p["inputs"])' \
    "$TMPD/out" && ok || bad "world --json provenance"
expect_exit 0 -- "$ENTENTE" blocs --json
$PY -c 'import json,sys; p=json.load(open(sys.argv[1]))["provenance"]; assert "traag-bruggeman-2009" in p["cite"] and "seed" in p' \
    "$TMPD/out" && ok || bad "blocs --json provenance"
cp "$TMPD/out" "$TMPD/blocs.json"

# --- entente cite
expect_exit 0 -- "$ENTENTE" cite forecast
expect_in "$TMPD/out" "Leeds, Brett Ashley"
expect_in "$TMPD/out" "[entente-alignment]"
expect_exit 0 -- "$ENTENTE" cite --bibtex --for "$TMPD/sim.json"
$PY - "$TMPD/out" "$TMPD/sim.json" <<'PY' && ok || bad "cite --for: BibTeX keys differ from the provenance's"
import json, re, sys
text = open(sys.argv[1]).read()
keys = re.findall(r"^@\w+\{([^,]+),$", text, re.M)
want = json.load(open(sys.argv[2]))["provenance"]["cite"]
assert sorted(keys) == sorted(want), (keys, want)
assert text.count("{") == text.count("}")
PY
expect_exit 0 -- "$ENTENTE" cite --for "$TMPD/res/baseline_states.csv"
expect_in "$TMPD/out" "[entente-world]"
expect_exit 0 -- "$ENTENTE" cite --for "$TMPD/blocs.json"
expect_in "$TMPD/out" "Traag, Vincent A."
for c in simulate forecast world states ties summary similarity dyads balance balance-dynamics landscape blocs \
         polarization; do
    "$ENTENTE" cite "$c" >/dev/null 2>&1 && ok || bad "cite $c failed"
done
expect_exit 0 -- "$ENTENTE" cite
n=$(grep -c '^  \[' "$TMPD/out")
[ "$n" -ge 25 ] && ok || bad "cite without arguments listed only $n references"
expect_exit 1 -- "$ENTENTE" cite nosuchcommand
echo '{"a": 1}' >"$TMPD/plain.json"
expect_exit 2 -- "$ENTENTE" cite --for "$TMPD/plain.json"
expect_in "$TMPD/err" "no \"provenance\" block"
expect_exit 3 -- "$ENTENTE" cite --for "$TMPD/none.json"

# --- the forecast's text: full names with codes, terms defined, what the numbers rest on
expect_exit 0 -- "$ENTENTE" forecast --runs 30
for s in "China (CHN)" "United States (USA)" "alliance builder  a pole" "Finlandization    " "documented priors" \
         "parameter uncertainty" "Correlates of War (COW)" "Vietnam (DRV)" "defence pacts of China"; do
    expect_in "$TMPD/out" "$s"
done
grep -q "pole0\|pole1\|pacts_pole" "$TMPD/out" && bad "forecast text still says pole0/pole1" || ok
expect_exit 0 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 10
tr '\n' ' ' <"$TMPD/out" | tr -s ' ' >"$TMPD/joined" # the legend is word-wrapped
for s in "China (CHN): 1 defence pact in" "An alliance builder: a pole that has formed" "draws the unidentified parameters" "Finlandization:"; do
    expect_in "$TMPD/joined" "$s"
done
awk 'length > 125 { bad = 1 } END { exit bad }' "$TMPD/out" && ok || bad "forecast has lines over 125 columns"
finish
