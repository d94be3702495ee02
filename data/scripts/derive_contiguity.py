#!/usr/bin/python3
"""Derive data/contiguity.csv: today's direct contiguity between the shipped states.

From ../shared/data/geo/cow_contdir.csv (read, never copied): COW Direct Contiguity v3.2 (Stinnett et al.
2002), spells of ccode1, ccode2, conttype (1 land or river border; 2, 3, 4, 5 separated by at most 12, 24,
150, 400 miles of water), stdate, enddate, 1816-2016.

The definition is the one the fitted pact model saw (src/measures/panel.c builds `conttype`,
src/models/pactmodel_history.c reads it): the spells in force at any time in a year, compared by year
(stdate's year <= y <= enddate's year), type 0 ignored, the closest (minimum) type of the pair; after the
data's last year the last known value is carried forward. Today's value is therefore the pair's type in
2016. The pact model distinguishes land (type 1) from sea (types 2-5); the file keeps COW's type so the
finer classes stay available.

Every state of data/states.csv must be a member of COW's state system at the end of 2016
(states2016.csv): a state that entered the system later has no COW spells, and its borders must be added
by hand to HAND below, each with a source. Today none is needed (South Sudan, the last new UN member, entered
in 2011 and is in the data). No land border between shipped states has changed since 2016.
Usage: /usr/bin/python3 data/scripts/derive_contiguity.py
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
DATA = os.path.join(REPO, "data")
YEAR = 2016  # the last year of COW Direct Contiguity v3.2
SRC = ("COW Direct Contiguity v3.2 (Stinnett et al. 2002), cow_contdir.csv: the closest type of the pair's "
       "spells in force in %d, derived" % YEAR)
# Borders of states that entered the state system after YEAR (ccode1, ccode2, conttype, source, note).
HAND = []


def main():
    states = {int(r["ccode"]): r["name"]
              for r in csv.DictReader(open(os.path.join(DATA, "states.csv"), encoding="utf-8"))}
    in_system = set()
    for r in csv.DictReader(open(os.path.join(SHARED, "cow", "states2016.csv"), encoding="utf-8")):
        if int(r["endyear"]) >= YEAR:
            in_system.add(int(r["ccode"]))
    hand_states = {c for row in HAND for c in row[:2]}
    late = sorted(c for c in states if c not in in_system and c not in hand_states)
    if late:
        print("states not in COW's %d system and without hand rows: %s" % (
            YEAR, ", ".join("%d %s" % (c, states[c]) for c in late)), file=sys.stderr)
        return 1
    best = {}
    for r in csv.DictReader(open(os.path.join(SHARED, "geo", "cow_contdir.csv"), encoding="utf-8")):
        a, b, t = int(r["ccode1"]), int(r["ccode2"]), int(r["conttype"])
        if t <= 0 or not int(r["stdate"][:4]) <= YEAR <= int(r["enddate"][:4]):
            continue
        if a not in states or b not in states:
            continue  # Kosovo (347) is not shipped
        k = (min(a, b), max(a, b))
        best[k] = min(best.get(k, 9), t)
    rows = [(a, b, t, SRC, "") for (a, b), t in sorted(best.items())]
    for h in HAND:
        k = (min(h[0], h[1]), max(h[0], h[1]))
        if k in best:
            print("hand row %s duplicates a COW pair" % (k,), file=sys.stderr)
            return 1
        rows.append((k[0], k[1]) + tuple(h[2:]))
    rows.sort()
    with open(os.path.join(DATA, "contiguity.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ccode1", "ccode2", "conttype", "source", "note"])
        w.writerows(rows)
    touched = {c for r in rows for c in r[:2]}
    counts = {t: sum(1 for r in rows if r[2] == t) for t in range(1, 6)}
    print("wrote %d rows (by type %s); states without any contiguity: %s" % (
        len(rows), counts, ", ".join(states[c] for c in sorted(states) if c not in touched)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
