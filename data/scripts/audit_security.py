#!/usr/bin/python3
"""Audit the arms and basing rows of data/security.csv against ../shared/data/security (read, never copied).

Arms: for every open `arms` row whose supplier is China, Russia or the US, the SIPRI TIV of major-arms deliveries
2020-2025 to the recipient and the supplier's share of the recipient's imports; rows with no delivery in
2020-2025 are flagged, and recipients with deliveries of 100 TIV or more but no row are listed.
Basing: for every open US `basing` row, the US troops in the host in 2024 (troopdata, DMDC); hosts with 1,000 or
more US troops and no row are listed.
Prints a report; exit 0. Usage: /usr/bin/python3 data/scripts/audit_security.py
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
SEC = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "security"))
DATA = os.path.join(REPO, "data")
SUPPLIERS = {710: "CHI", 365: "RUS", 2: "USA"}


def sipri(path):
    """Recipient name -> total TIV 2020-2025 from a SIPRI extract (header lines before the table)."""
    out, table = {}, False
    for row in csv.reader(open(path, encoding="utf-8-sig")):
        if row and row[0] == "Recipient":
            table = True
            continue
        if table and len(row) > 7 and row[0]:
            try:
                out[row[0]] = float(row[7] or 0)
            except ValueError:
                pass
    return out


def main():
    states = list(csv.DictReader(open(os.path.join(DATA, "states.csv"), encoding="utf-8")))
    by_name = {}
    for s in states:
        by_name[s["name"].lower()] = int(s["ccode"])
    alias = {"turkiye": "turkey", "cote d'ivoire": "cote d'ivoire", "czechia": "czech republic",
             "north macedonia": "north macedonia", "dr congo": "democratic republic of the congo"}
    def code(name):
        n = name.lower()
        for k, v in by_name.items():
            if n == k or alias.get(k) == n:
                return v
        return None
    total = {code(k): v for k, v in sipri(os.path.join(SEC, "sipri_importexport_2020_2025.csv")).items()}
    sec = list(csv.DictReader(open(os.path.join(DATA, "security.csv"), encoding="utf-8")))
    abbr = {int(s["ccode"]): s["abbr"] for s in states}
    for sup, tag in SUPPLIERS.items():
        deliv = {code(k): v for k, v in sipri(os.path.join(SEC, "sipri_from_%s_2020_2025.csv" % tag)).items()}
        rows = {int(r["b"]) for r in sec if r["kind"] == "arms" and int(r["a"]) == sup and not r["end"]}
        print("== arms from %s: %d open rows" % (abbr[sup], len(rows)))
        for b in sorted(rows):
            v = deliv.get(b, 0.0)
            t = total.get(b)
            share = " (%.0f%% of its imports)" % (100 * v / t) if t else ""
            flag = "  <- no SIPRI delivery 2020-2025" if v == 0 else ""
            print("  %-4s %7.0f TIV%s%s" % (abbr[b], v, share, flag))
        missing = sorted((v, b) for b, v in deliv.items() if b is not None and b not in rows and v >= 100)
        for v, b in reversed(missing):
            print("  no row: %-4s %7.0f TIV" % (abbr.get(b, b), v))
    troops = {}
    for r in csv.DictReader(open(os.path.join(SEC, "us_troops_2022_2024.csv"), encoding="utf-8")):
        if r["year"] == "2024":
            troops[r["iso3c"]] = int(float(r["troops_ad"] or 0))
    iso = {int(s["ccode"]): s["iso3"] for s in states}
    hosts = {int(r["b"]) for r in sec if r["kind"] == "basing" and int(r["a"]) == 2 and not r["end"]}
    print("== US basing: %d open rows" % len(hosts))
    for b in sorted(hosts):
        print("  %-4s %7d troops in 2024" % (abbr[b], troops.get(iso[b], 0)))
    for i3, n in sorted(troops.items(), key=lambda x: -x[1]):
        c = next((c for c, v in iso.items() if v == i3), None)
        if n >= 1000 and c not in hosts and c != 2:
            print("  no row: %-4s %7d troops in 2024" % (abbr.get(c, i3), n))


if __name__ == "__main__":
    main()
