#!/usr/bin/env python3
"""Derive data/regime.csv: one democracy score per shipped state for the base year.

Reads ../shared/data/regime/isard_cw_democracy.csv (V-Dem electoral democracy index
v2x_polyarchy and extended UDS by COW state-year; Marquez 2016 extension. Its V-Dem values run
through 2025, which only V-Dem v16 (March 2026) has: v1 labelled them v14, which ends in 2023)
and keeps, for each state in data/states.csv, the 2024 value (or the latest year
before it). Nothing else of the dataset is copied.
"""
import csv
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
src = os.path.join(root, "..", "shared", "data", "regime", "isard_cw_democracy.csv")
states = [r["ccode"] for r in csv.DictReader(open(os.path.join(root, "data", "states.csv"), encoding="utf-8"))]
best = {}
for r in csv.DictReader(open(src, encoding="utf-8")):
    y = int(r["year"])
    if y > 2024 or r["v2x_polyarchy"] in ("", "NA"):
        continue
    c = r["ccode"]
    if c not in best or y > best[c][0]:
        best[c] = (y, float(r["v2x_polyarchy"]), r["euds"])
out = csv.writer(open(os.path.join(root, "data", "regime.csv"), "w", encoding="utf-8", newline=""), lineterminator="\n")
out.writerow(["ccode", "year", "polyarchy", "source"])
missing = []
for c in states:
    if c not in best:
        missing.append(c)
        continue
    y, p, _ = best[c]
    out.writerow([c, y, f"{p:.3f}", f"V-Dem v2x_polyarchy (Coppedge et al., V-Dem v16, the release with values through 2025) via the Marquez 2016 COW-coded panel, year {y}"])
print("states without a score:", missing, file=sys.stderr)
