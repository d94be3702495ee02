#!/usr/bin/env bash
# `entente plot` and `entente report`: every figure kind in each format
# (PNG signature and size, SVG root and size, PDF header), the report as one
# self-contained HTML file (inline SVG only, unique ids, every internal
# reference resolved, no external resource, the headline and provenance
# present, full names), the same bytes for the same seed, the output written
# through a temporary file, and the usage errors with their exit codes.
. "$(dirname "$0")/lib.sh"
E="$ENTENTE"
export ENTENTE_WORLD="$ENT_SRC/data" ENTENTE_SCENARIOS="$ENT_SRC/scenarios"

png_size() { /usr/bin/python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); assert d[:8]==b"\x89PNG\r\n\x1a\n"; print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1"; }

# 1. Each kind, each format.
expect_exit 0 -- "$E" plot network --out "$TMPD/net.png"
[ "$(png_size "$TMPD/net.png")" = "1100x900" ] && ok || bad "network PNG size $(png_size "$TMPD/net.png")"
expect_exit 0 -- "$E" plot network --state CHN --top 25 --kinds pact,partnership --width 900 --height 800 --out "$TMPD/chn.svg"
expect_in "$TMPD/chn.svg" 'width="900px"'
expect_in "$TMPD/chn.svg" 'height="800px"'
expect_in "$TMPD/chn.svg" '</svg>'
expect_exit 0 -- "$E" plot pyramid --state CHN --date 2024 --out "$TMPD/pyr.pdf"
head -c 5 "$TMPD/pyr.pdf" | grep -q '%PDF-' && ok || bad "pyramid PDF header"
expect_exit 0 -- "$E" plot pyramid --state RUS --out "$TMPD/rus.png"
expect_exit 0 -- "$E" plot fan --series blocs --runs 60 --seed 5 --threads 2 --out "$TMPD/fan.svg"
expect_exit 0 -- "$E" plot fan --series blocs --runs 60 --seed 5 --threads 1 --out "$TMPD/fan1.svg"
cmp -s "$TMPD/fan.svg" "$TMPD/fan1.svg" && ok || bad "fan chart differs between 1 and 2 threads"
for s in pacts pacts-first-pole hedgers finlandized polarization norm frustration; do
    expect_exit 0 -- "$E" plot fan --series "$s" --runs 30 --out "$TMPD/fan_$s.png"
done
expect_exit 0 -- "$E" plot alignment --scenario "$ENT_SRC/scenarios/bid-for-primacy.yaml" --runs 60 --year 2030 --top 20 --out "$TMPD/al.png"
if [ -f "$ENT_SRC/share/npm/node_modules/world-atlas/countries-110m.json" ]; then
    atlas=1
    expect_exit 0 -- "$E" plot map --runs 40 --year 2030 --out "$TMPD/map.svg"
    expect_in "$TMPD/map.svg" '</svg>'
    ENTENTE_ATLAS="$TMPD/none" expect_exit 2 -- "$E" plot map --runs 10 --out "$TMPD/nomap.png"
    expect_in "$TMPD/err" "scripts/bootstrap"
else
    atlas=0
    echo "skip: map shapes not installed (scripts/bootstrap installs share/npm)"
fi
# History from an imported store (the real datasets; skipped without them).
if [ -f "$DATA/cow/states2016.csv" ] && [ -d "$DATA/atop" ]; then
    db="$TMPD/hist.db"
    for spec in "cow-states $DATA/cow/states2016.csv" "cow-system $DATA/cow/system2016.csv" \
        "cow-nmc $DATA/cow/nmc_v7.0_abridged.csv" "atop $DATA/atop" \
        "atop-dyad-year $DATA/atop/atop5_1_directed_dyad_year.csv"; do
        set -- $spec
        "$E" import "$1" "$2" --db "$db" >/dev/null 2>&1 || bad "import $1"
    done
    expect_exit 0 -- "$E" plot history --db "$db" --from 1900 --to 1950 --out "$TMPD/hist.svg"
    expect_in "$TMPD/hist.svg" '</svg>'
    expect_exit 2 -- "$E" plot history --db "$db" --from 1700 --to 1750 --out "$TMPD/h.png"
    expect_exit 1 -- "$E" plot history --db "$db" --from 1950 --to 1900 --out "$TMPD/h.png"
    expect_exit 3 -- "$E" plot history --db "$TMPD/no-such.db" --out "$TMPD/h.png"
else
    echo "skip: history (the COW and ATOP files are not in $DATA)"
fi
ls "$TMPD"/*.tmp.* >/dev/null 2>&1 && bad "temporary files left behind" || ok

# 2. Usage and input errors.
expect_exit 1 -- "$E" plot
expect_exit 1 -- "$E" plot map3d --out "$TMPD/x.png"
expect_exit 1 -- "$E" plot network
expect_in "$TMPD/err" "--out FILE"
expect_exit 1 -- "$E" plot network --out "$TMPD/x.jpg"
expect_in "$TMPD/err" ".png, .svg or .pdf"
expect_exit 1 -- "$E" plot network --kinds pact,trade --out "$TMPD/x.png"
expect_exit 1 -- "$E" plot fan --series weather --out "$TMPD/x.png"
expect_exit 1 -- "$E" plot network --date 2024-13-40 --out "$TMPD/x.png"
expect_exit 1 -- "$E" plot network --width 50 --out "$TMPD/x.png"
expect_exit 1 -- "$E" plot network extra --out "$TMPD/x.png"
expect_exit 2 -- "$E" plot pyramid --state ATLANTIS --out "$TMPD/x.png"
expect_in "$TMPD/err" "ATLANTIS"
expect_exit 2 -- "$E" plot fan --scenario no-such-scenario --out "$TMPD/x.png"
expect_exit 2 -- "$E" plot network --date 1700 --out "$TMPD/x.png"
expect_exit 2 -- "$E" plot alignment --runs 10 --year 1990 --out "$TMPD/x.png"
expect_exit 3 -- "$E" plot pyramid --out "$TMPD/no/such/dir/x.png"
[ ! -e "$TMPD/x.png" ] && ok || bad "a failed plot left a file"

# 3. The report: one self-contained HTML file.
expect_exit 0 -- "$E" report baseline bid-for-primacy --runs 60 --seed 7 --out "$TMPD/rep"
R="$TMPD/rep/report.html"
expect_in "$R" '<!DOCTYPE html>'
expect_in "$R" 'Headline: China'
expect_in "$R" 'Scenario: bid-for-primacy'
expect_in "$R" 'Parameters that differ from the baseline scenario'
expect_in "$R" 'alliance builder'
expect_in "$R" '<em>Finlandized</em> toward a pole'
expect_in "$R" 'United States'
expect_in "$R" 'Provenance'
expect_in "$R" 'sha256'
expect_in "$R" 'bid-for-primacy.yaml'
/usr/bin/python3 - "$R" "$atlas" >"$TMPD/check" 2>&1 <<'PY'
import re, sys, xml.dom.minidom
s = open(sys.argv[1], encoding="utf-8").read()
svgs = re.findall(r"<svg.*?</svg>", s, flags=re.S)
want = 14 if sys.argv[2] == "1" else 12   # 6 per scenario (5 without the map's shapes), the network, the pyramid
assert len(svgs) == want, "figures: %d, wanted %d" % (len(svgs), want)
for v in svgs:
    xml.dom.minidom.parseString(v)          # each inline figure is well-formed XML
ids = re.findall(r'\bid="([^"]+)"', s)
assert len(ids) == len(set(ids)), "duplicate ids"
refs = set(re.findall(r'href="#([^"]+)"', s)) | set(re.findall(r"url\(#([^)]+)\)", s))
assert not refs - set(ids), "unresolved: %s" % list(refs - set(ids))[:3]
# nothing is fetched at view time: no src=, no link, no external href or url()
assert not re.search(r"<(script|link|img|iframe)\b", s), "external element"
assert not re.search(r'(href|src)="(https?:)?//', s), "external reference"
assert not re.search(r"url\((https?:)?//", s), "external url()"
assert ("Figure not drawn" in s) == (sys.argv[2] != "1")
print("ok")
PY
[ $? -eq 0 ] && ok || bad "report structure: $(cat "$TMPD/check")"
# the pacts between the poles: a row per pair, the numbers of `entente simulate --json` for the
# same scenario and seed, and a paired effect against the baseline inside its interval
"$E" simulate "$ENT_SRC/scenarios/bid-for-primacy.yaml" --runs 60 --seed 7 --json >"$TMPD/bfp.json" 2>/dev/null
/usr/bin/python3 - "$R" "$TMPD/bfp.json" >"$TMPD/pp" 2>&1 <<'PY'
import json, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
sim = json.load(open(sys.argv[2]))
sec = s.split('id="s-bid-for-primacy"', 1)[1]
tab = re.search(r'<table class="pole-pacts">(.*?)</table>', sec, flags=re.S).group(1)
rows = re.findall(r"<tr><td>[^<]*<span class=\"ci\">\((\w+)&ndash;(\w+)\)</span></td>(.*?)</tr>", tab)
assert [r[:2] for r in rows] == [tuple(x["poles"]) for x in sim["pole_pacts"]] == [("USA", "CHN")], rows
nums = [float(x) for x in re.findall(r"[-+]?\d+\.\d+", rows[0][2])]
pp = sim["pole_pacts"][0]
want = [pp[k][f] for k in ("p_pact_by_report_year", "p_pact_by_later_year") for f in ("p", "lo", "hi")]
assert all(abs(a - b) < 6e-4 for a, b in zip(nums, want)), (nums, want)
d, lo, hi = nums[6:9]
assert lo <= d <= hi, nums
print("ok")
PY
[ $? -eq 0 ] && ok || bad "report's pole-pact table: $(cat "$TMPD/pp")"
# the same seed, the same report (the provenance has no time of day)
expect_exit 0 -- "$E" report baseline bid-for-primacy --runs 60 --seed 7 --threads 1 --out "$TMPD/rep2"
/usr/bin/python3 - "$R" "$TMPD/rep2/report.html" >"$TMPD/cmp" 2>&1 <<'PY'
import re, sys
a, b = (re.sub(r"<pre>.*?</pre>", "", open(p, encoding="utf-8").read(), flags=re.S) for p in sys.argv[1:])
a, b = (re.sub(r"<p>entente [^<]*</p>", "", x) for x in (a, b))
sys.exit(0 if a == b else 1)
PY
[ $? -eq 0 ] && ok || bad "report differs between runs with the same seed"

expect_exit 1 -- "$E" report
expect_exit 1 -- "$E" report --forecast baseline
expect_exit 1 -- "$E" report baseline --runs 0
expect_exit 1 -- "$E" report baseline --seed -4
expect_exit 2 -- "$E" report no-such-scenario --out "$TMPD/rep3"
[ ! -e "$TMPD/rep3/report.html" ] && ok || bad "a failed report left a file"
printf 'name: broken\nparameters:\n  temperature: -3\n' >"$TMPD/broken.yaml"
expect_exit 2 -- "$E" report "$TMPD/broken.yaml" --out "$TMPD/rep4"
expect_in "$TMPD/err" "broken.yaml"

finish
