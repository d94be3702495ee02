#!/usr/bin/env python3
"""Regenerates the parameter tables in docs/models/alignment.md and docs/scenarios.md from the
single source of truth, the table in src/sim/params.c (between the markers
<!-- params:begin --> and <!-- params:end -->). With --check, changes nothing and exits 1 when a
page is out of date (run by the test suite)."""
import os
import re
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
src = open(os.path.join(root, "src", "sim", "params.c"), encoding="utf-8").read()
# (clang-format writes the rows as {"key", ...}; spaces inside the braces are accepted too)
rows = re.findall(r'\{\s*"(\w+)", F\((\w+)\), (true|false), \'(\w)\', ([-\d.e]+), ([-\d.e]+), ([-\d.e]+),\s*'
                  r'"((?:[^"\\]|\\.)*)"\s*\}', src, re.S)
if not rows:
    sys.exit("no parameter rows found in src/sim/params.c")


def num(x):
    v = float(x)
    return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)


lines = ["| key | type | default | range | why this default |", "|---|---|---|---|---|"]
for key, _field, per_pole, typ, d, lo, hi, why in rows:
    kind = "integer" if typ in "ilu" else "number"
    if per_pole == "true":
        kind += ", per pole"
    default = "USA 0.05, CHN 0.85, other poles 0" if key == "norm0" else num(d)
    lines.append(f"| `{key}` | {kind} | {default} | {num(lo)} .. {num(hi)} | {why} |")
table = "\n".join(lines) + "\n"

# The priors of the unidentified parameters (the `priors` table of params.c): docs/models/alignment.md only.
prows = re.findall(r'\{\s*"(\w+)", \'(\w)\', ([-\d.e]+),\s*"((?:[^"\\]|\\.)*)"\s*\}', src[src.find("priors[]"):], re.S)
if not prows:
    sys.exit("no prior rows found in src/sim/params.c")
plines = ["| parameter | prior around its value | sd | the evidence for the spread |", "|---|---|---|---|"]
for key, form, sd, why in prows:
    shape = "lognormal (median = the value)" if form == "l" else "logit-normal (median = the value)"
    plines.append(f"| `{key}` | {shape} | {num(sd)} | {why} |")
ptable = "\n".join(plines) + "\n"

stale = []
for page, tables in (("docs/models/alignment.md", (("params", table), ("priors", ptable))),
                     ("docs/scenarios.md", (("params", table),))):
    path = os.path.join(root, page)
    text = open(path, encoding="utf-8").read()
    new = text
    for marker, tab in tables:
        m = re.search(r"(<!-- %s:begin -->\n)(.*?)(<!-- %s:end -->)" % (marker, marker), new, re.S)
        if not m:
            sys.exit(f"{page}: no <!-- {marker}:begin --> ... <!-- {marker}:end --> markers")
        new = new[: m.start(2)] + tab + new[m.end(2):]
    if new != text:
        stale.append(page)
        if "--check" not in sys.argv:
            open(path, "w", encoding="utf-8").write(new)
if "--check" in sys.argv and stale:
    print("out of date with src/sim/params.c (run scripts/gen_param_docs.py):", ", ".join(stale))
    sys.exit(1)
print("parameter tables:", "updated " + ", ".join(stale) if stale else "up to date")
