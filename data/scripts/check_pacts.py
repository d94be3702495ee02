#!/usr/bin/python3
"""Check the pact member spells of the shipped world: internally, and against ATOP when it is present.

Always (the shipped files alone):
  - a member's spells in one pact do not overlap (a phase change ends one spell the day before the next);
  - every spell starts on or after its pact's start;
  - a member's obligations are among its pact's ATOP pact-level obligations (pacts.csv), unless the pact is
    coded by entente (no atopid) or its row note says why (none does today);
  - dormant is 0/1; a dormant pact, or a pact with a dormant member spell, gives the evidence in its `note`;
    every current spell of a dormant pact is dormant.
With ../shared/data/atop present (ATOP 5.1 member file):
  - no obligation precedes the phase that creates it: for every spell derived from the ATOP member file and
    every obligation it carries, ATOP has a row for that member whose phase begins on or before the spell's
    entry, is still running on that day, and carries the obligation;
  - no obligation is dropped: the spell carries every obligation of the ATOP phase it starts in.
Usage: /usr/bin/python3 data/scripts/check_pacts.py [data-dir] [atop-dir]
Exit 0 clean, 1 problems (listed on stderr).
"""
import csv
import datetime
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
OBL = ("defense", "offense", "neutral", "nonagg", "consul")


def day(s, end=False):
    """A partial ISO date as the first (or, for an end, the last) day it covers; None when empty."""
    if not s:
        return None
    p = [int(x) for x in s.split("-")]
    if len(p) == 3:
        return datetime.date(*p)
    if len(p) == 2:
        if not end:
            return datetime.date(p[0], p[1], 1)
        nxt = datetime.date(p[0] + (p[1] == 12), p[1] % 12 + 1, 1)
        return nxt - datetime.timedelta(days=1)
    return datetime.date(p[0], 12, 31) if end else datetime.date(p[0], 1, 1)


def adate(y, m, d):
    """An ATOP year/month/day triple as a date (missing month or day: the first), None for year 0."""
    y, m, d = int(y or 0), int(m or 0), int(d or 0)
    return datetime.date(y, max(1, m), max(1, d)) if y else None


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "data")
    atop = sys.argv[2] if len(sys.argv) > 2 else os.path.join(REPO, "..", "shared", "data", "atop")
    problems = []
    pacts = {r["pact_id"]: r for r in csv.DictReader(open(os.path.join(data, "pacts.csv"), encoding="utf-8"))}
    spells = {}
    for line, r in enumerate(csv.DictReader(open(os.path.join(data, "pact_members.csv"), encoding="utf-8")), 2):
        r["_line"] = line
        spells.setdefault((r["pact_id"], int(r["ccode"])), []).append(r)
    for pid, p in pacts.items():
        if p["dormant"] not in ("0", "1"):
            problems.append("pacts.csv: %s: dormant must be 0 or 1" % pid)
        elif p["dormant"] == "1" and "dormant" not in p["note"].lower():
            problems.append("pacts.csv: %s: dormant=1 without the evidence in note" % pid)
    for (pid, c), rows in spells.items():
        p = pacts[pid]
        for r in rows:
            if r["dormant"] == "1" and "dormant" not in p["note"].lower():
                problems.append("pact_members.csv:%d: %s, state %d: dormant spell without the evidence in the "
                                "pact's note" % (r["_line"], pid, c))
        rows.sort(key=lambda r: day(r["entry"]))
        if p["dormant"] == "1" and not rows[-1]["exit"] and rows[-1]["dormant"] != "1":
            problems.append("pact_members.csv:%d: %s is dormant but state %d's current spell is not"
                            % (rows[-1]["_line"], pid, c))
        for a, b in zip(rows, rows[1:]):
            ea = day(a["exit"], True)
            if ea is None or ea >= day(b["entry"]):
                problems.append("pact_members.csv:%d: %s, state %d: spell overlaps the next one (line %d)"
                                % (a["_line"], pid, c, b["_line"]))
        for r in rows:
            if day(r["entry"]) < day(p["start"]):
                problems.append("pact_members.csv:%d: %s, state %d enters before the pact starts" % (r["_line"], pid, c))
            if p["atopid"]:
                for o in OBL:
                    if r[o] == "1" and p[o] != "1":
                        problems.append("pact_members.csv:%d: %s, state %d: %s not among the pact's obligations"
                                        % (r["_line"], pid, c, o))
    checked = 0
    mfile = os.path.join(atop, "atop5_1m.csv")
    if os.path.exists(mfile):
        amem = {}
        for r in csv.DictReader(open(mfile, encoding="utf-8")):
            ent = adate(r["yrent"], r["moent"], r["dayent"])
            ex = adate(r["yrexit"], r["moexit"], r["dayexit"])
            if ent is None:
                continue
            amem.setdefault((r["atopid"], int(r["member"])), []).append((ent, ex, {o: r[o] == "1" for o in OBL}))
        for (pid, c), rows in spells.items():
            aid = pacts[pid]["atopid"]
            for r in rows:
                if not aid or "(member file)" not in r["source"]:
                    continue  # NATO's rewritten list and the post-2018 additions are not ATOP member rows
                e = day(r["entry"])
                # the ATOP phases running on the spell's first day (a phase's exit day is the next one's entry)
                running = [x for x in amem.get((aid, c), []) if x[0] <= e and (x[1] is None or e < x[1])]
                if not running:
                    problems.append("pact_members.csv:%d: %s, state %d: no ATOP %s phase runs on %s"
                                    % (r["_line"], pid, c, aid, r["entry"]))
                    continue
                checked += 1
                for o in OBL:
                    has = any(x[2][o] for x in running)
                    if r[o] == "1" and not has:
                        problems.append("pact_members.csv:%d: %s, state %d: %s from %s precedes the ATOP phase that "
                                        "creates it" % (r["_line"], pid, c, o, r["entry"]))
                    if r[o] == "0" and has:
                        problems.append("pact_members.csv:%d: %s, state %d: %s of the ATOP phase running on %s is "
                                        "missing" % (r["_line"], pid, c, o, r["entry"]))
    else:
        print("skip: ATOP member file absent (%s); internal checks only" % mfile)
    for p in problems:
        print(p, file=sys.stderr)
    print("pact check %s: %d spells, %d checked against ATOP, %d problems"
          % ("OK" if not problems else "FAILED", sum(len(v) for v in spells.values()), checked, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
