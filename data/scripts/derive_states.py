#!/usr/bin/python3
"""Derive data/states.csv from public reference files kept outside the repo.

Reads (never copies) ../shared/data relative to the repository root:
  cow/states2016.csv              COW State System Membership v2016 (codes, abbreviations)
  codes/countrycode_codelist.csv  countrycode crosswalk (Arel-Bundock et al. 2018): ISO2/ISO3
  geo/cow_capitals.csv            Miller (2022) capitals dataset: capital and coordinates by spell

Keeps one row per state in the COW system at the end of 2016 except Kosovo (347, not a UN
member and not needed by any tie in the shipped world): 193 UN members + Taiwan (713).
Usage: /usr/bin/python3 data/scripts/derive_states.py   (from the repo root or anywhere)
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
OUT = os.path.join(REPO, "data", "states.csv")

# Modern short English names where COW's 2016 name is dated or unusual.
NAME = {
    2: "United States", 58: "Antigua and Barbuda", 60: "Saint Kitts and Nevis",
    56: "Saint Lucia", 57: "Saint Vincent and the Grenadines",
    316: "Czechia", 343: "North Macedonia", 345: "Serbia", 437: "Cote d'Ivoire",
    490: "Democratic Republic of the Congo", 484: "Republic of the Congo",
    572: "Eswatini", 402: "Cabo Verde", 860: "Timor-Leste", 987: "Micronesia",
    640: "Turkiye", 420: "The Gambia", 403: "Sao Tome and Principe",
}
EXCLUDE = {347}  # Kosovo: not a UN member; no tie in the shipped world needs it


def region(c):
    """Region from the COW code block, with the Maghreb and the Sudans moved to Africa."""
    if c < 200:
        return "Americas"
    if c < 400:
        return "Europe"
    if c <= 626:
        return "Africa"          # 400-599 sub-Saharan; 600-626 Morocco..South Sudan
    if c < 700:
        return "Middle East"     # 630 Iran .. 698 Oman (incl. Egypt 651, Turkey 640)
    if c < 900:
        return "Asia"            # incl. Central Asia 701-705 and Afghanistan 700
    return "Oceania"


def main():
    states = [r for r in csv.DictReader(open(os.path.join(SHARED, "cow", "states2016.csv"), encoding="utf-8"))
              if r["endyear"] == "2016"]
    iso = {}
    for r in csv.DictReader(open(os.path.join(SHARED, "codes", "countrycode_codelist.csv"), encoding="utf-8")):
        if r["cown"]:
            iso[int(r["cown"])] = (r["iso2c"], r["iso3c"])
    iso[713] = ("TW", "TWN")
    iso[345] = ("RS", "SRB")  # the codelist maps COW 345 to Yugoslavia without ISO codes
    caps = {}
    for r in csv.DictReader(open(os.path.join(SHARED, "geo", "cow_capitals.csv"), encoding="utf-8")):
        c = int(r["ccode"])
        if c not in caps or r["stdate"] > caps[c]["stdate"]:
            caps[c] = r
    rows = []
    for s in states:
        c = int(s["ccode"])
        if c in EXCLUDE:
            continue
        i2, i3 = iso[c]
        cap = caps[c]
        rows.append({
            "ccode": c, "abbr": s["stateabb"], "iso2": i2, "iso3": i3,
            "name": NAME.get(c, s["statenme"]), "region": region(c),
            "capital": cap["capital"], "lat": "%.4f" % float(cap["lat"]), "lon": "%.4f" % float(cap["lng"]),
            "un_member": 0 if c == 713 else 1,
            "source": "COW State System Membership v2016 (codes, abbr); countrycode codelist "
                      "(Arel-Bundock et al. 2018) for ISO codes; Miller 2022 capitals dataset "
                      "(capital as of %s spell)" % cap["stdate"][:4],
        })
    rows.sort(key=lambda r: r["ccode"])
    cols = ["ccode", "abbr", "iso2", "iso3", "name", "region", "capital", "lat", "lon", "un_member", "source"]
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print("wrote %d states to %s" % (len(rows), OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
