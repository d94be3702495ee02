#!/usr/bin/python3
"""Derive data/capabilities.csv.

cinc: COW National Material Capabilities v7.0, the state's value for 2022 (its latest year; every shipped state
has 2022). Reads (never copies) ../shared/data/cow/nmc_v7.0_abridged.csv relative to the repository root.

milex_usd_m and gdp_usd_bn: hand-entered below (HAND) for the largest economies and spenders and every state
named in the essay. milex = SIPRI Military Expenditure Database (April 2024 release), 2023, current USD millions;
gdp = World Bank WDI / IMF WEO (April 2024), 2023, current USD billions. Values are rounded; those marked '~'
in HAND are the compiler's approximations of the published figure and are flagged in the note column. Empty =
not entered (unknown to the compiler or not published, e.g. SIPRI gives no 2023 estimate for the UAE, Qatar or
North Korea).

Usage: /usr/bin/python3 data/scripts/derive_capabilities.py
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
COW = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "cow"))
DATA = os.path.join(REPO, "data")

# ccode: (milex USD m, gdp USD bn); a string starting with '~' marks an approximation.
# SIPRI's 15 largest spenders in 2023 (SIPRI Fact Sheet, April 2024) are entered exactly as published (rounded
# to USD 0.1 bn); the rest are approximate.
HAND = {
    2: (916000, 27361), 710: ("~296000", 17795), 365: ("~109000", 2021), 750: (83600, 3550),
    670: ("~75800", 1068), 200: (74900, 3340), 255: (66800, 4456), 369: (64800, "~179"),
    220: (61300, 3031), 740: (50200, 4213), 732: (47900, 1713), 325: (35500, 2255),
    900: (32300, 1724), 290: (31600, 811), 666: (27500, 513),
    20: ("~27200", 2140), 230: ("~23700", 1581), 140: ("~22900", 2174), 210: ("~16600", 1118),
    713: ("~16600", "~756"), 640: ("~15800", 1108), 615: ("~18300", "~240"), 830: ("~13200", 501),
    70: ("~11800", 1789), 100: ("~10700", 364), 630: ("~10300", "~401"), 850: ("~8800", 1371),
    770: ("~8500", 338), 385: ("~8700", 486), 380: ("~8700", 593), 350: ("~8100", 243),
    390: ("~8100", 404), 211: ("~7700", 632), 360: ("~8500", "~351"), 225: ("~6300", 885),
    698: ("~6500", "~108"), 690: ("~7800", "~162"), 375: ("~7300", 300), 305: ("~4400", 516),
    316: ("~5300", 343), 310: ("~4500", 213), 235: ("~4100", 287), 155: ("~5300", 336),
    800: ("~5800", 515), 840: ("~4100", 437), 820: ("~4100", 400), 816: ("~7000", 430),
    651: ("~4600", 396), 560: ("~2800", 381), 475: ("~3200", "~363"), 160: ("~2600", 641),
    135: ("~2700", 268), 205: ("~1300", 545), 920: ("~2800", 253), 705: ("~2400", 262),
    645: ("~7500", "~251"), 600: ("~5200", "~141"), 771: ("~4000", "~437"), 780: ("~1300", "~84"),
    775: ("~2700", "~65"), 811: ("~1000", "~32"), 812: (None, "~15"), 712: ("~150", "~20"),
    731: (None, None), 370: ("~1200", "~72"), 704: (None, "~90"), 530: ("~1000", "~163"),
    501: ("~1200", "~108"), 540: ("~1300", "~85"), 551: (None, "~28"), 101: (None, "~97"),
    130: ("~2500", "~119"), 165: ("~1300", "~77"), 696: (None, 504), 694: (None, "~213"),
    368: ("~2100", "~79"), 345: ("~1500", "~75"), 372: ("~400", "~30"), 522: (None, "~4"),
    940: (None, "~1.6"), 317: ("~2700", "~133"), 355: ("~1300", "~102"),
    42: (None, "~121"), 90: (None, "~104"), 94: (None, "~86"), 95: (None, "~83"), 212: (None, "~86"),
    344: (None, "~82"), 437: (None, "~79"), 510: (None, "~79"), 452: (None, "~76"), 373: ("~3100", "~72"),
    349: (None, "~69"), 490: (None, "~67"),
}


def val(x):
    if x is None:
        return "", False
    if isinstance(x, str) and x.startswith("~"):
        return x[1:], True
    return str(x), False


def main():
    states = {int(r["ccode"]): r["name"] for r in csv.DictReader(open(os.path.join(DATA, "states.csv"), encoding="utf-8"))}
    last = {}
    for r in csv.DictReader(open(os.path.join(COW, "nmc_v7.0_abridged.csv"), encoding="utf-8")):
        c = int(r["ccode"])
        if c in states and r["cinc"] not in ("NA", "", "-9"):
            y = int(r["year"])
            if c not in last or y > last[c][0]:
                last[c] = (y, r["cinc"])
    rows = []
    for c in sorted(states):
        y, cinc = last[c]
        m, g = HAND.get(c, (None, None))
        ms, ma = val(m)
        gs, ga = val(g)
        src = "COW NMC v7.0 (Singer, Bremer & Stuckey 1972; v7 2024), year %d" % y
        notes = []
        if ms:
            src += "; milex: SIPRI Military Expenditure Database 2024, year 2023 (current USD m)"
            if ma:
                notes.append("milex approximate (compiler's rounding of the SIPRI figure; SIPRI itself estimates China, Russia and Saudi Arabia)")
        if gs:
            src += "; GDP: World Bank WDI / IMF WEO April 2024, year 2023 (current USD bn)"
            if ga:
                notes.append("GDP approximate")
        if not ms and not gs:
            notes.append("milex and GDP not entered")
        elif not ms:
            notes.append("milex not entered (no SIPRI 2023 figure known to the compiler)")
        elif not gs:
            notes.append("GDP not entered")
        cinc = format(float(cinc), ".12f").rstrip("0")  # fixed notation, full precision of the source
        rows.append((c, y, cinc, ms, gs, src, "; ".join(notes)))
    with open(os.path.join(DATA, "capabilities.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ccode", "year", "cinc", "milex_usd_m", "gdp_usd_bn", "source", "note"])
        w.writerows(rows)
    print("wrote %d rows" % len(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
