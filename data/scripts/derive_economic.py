#!/usr/bin/python3
"""Derive data/economic.csv.

Part 1 (estimate=0): for every state in data/states.csv with COW trade data for 2014, the share of its total
trade (imports + exports) conducted with China (710) and with the United States (2), computed from the COW
Trade v4.0 dyadic and national files (Barbieri, Keshk & Pollins 2009; built from IMF Direction of Trade
Statistics). Reads (never copies) ../shared/data/trade relative to the repository root.

Part 2 (estimate=1): 2023 approximations (they replace the 2014 row of the same state, whose
official values are kept in the note, so that the file has one row per state) for the largest economies and every state named in the essay,
hand-entered below (APPROX_2023) as rounded recollections of IMF DOTS 2023 goods-trade shares, plus cumulative
Chinese official lending commitments where a published database total is known to the compiler. These are
NOT exact extracts: each carries estimate=1 and a note; replace them with extracts from IMF DOTS / UN Comtrade
and the BU databases when those can be downloaded (see docs/data.md, "How to update").

Usage: /usr/bin/python3 data/scripts/derive_economic.py
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
TRADE = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "trade"))
DATA = os.path.join(REPO, "data")

COW_SRC = ("COW Trade v4.0 (Barbieri, Keshk & Pollins 2009; from IMF DOTS), year 2014: "
           "(imports+exports with partner) / (total imports+exports), derived")
DOTS = "approximation of IMF Direction of Trade Statistics 2023 (goods), rounded"
IAD = "Inter-American Dialogue & Boston University GDP Center, China-Latin America Finance Database (2005-2023 commitments)"
CLA = "Boston University GDP Center, Chinese Loans to Africa Database (2000-2022 commitments)"

# ccode: (share with China, share with US, Chinese loans USD bn or None, loan source or None, note)
APPROX_2023 = {
    2: (0.11, None, None, None, ""),
    710: (None, 0.11, None, None, "China's own row: US share of China's trade"),
    20: (0.07, 0.68, None, None, ""),
    70: (0.11, 0.63, None, None, ""),
    140: (0.27, 0.13, 31.0, IAD, ""),
    160: (0.15, 0.08, 17.0, IAD, ""),
    155: (0.33, 0.15, None, None, ""),
    135: (0.30, 0.15, None, None, ""),
    100: (0.15, 0.27, None, None, ""),
    130: (0.18, 0.25, 18.0, IAD, ""),
    101: (0.20, 0.20, 60.0, IAD, "Venezuelan trade statistics are incomplete; shares very uncertain"),
    145: (0.15, 0.05, 3.0, IAD, ""),
    165: (0.20, 0.10, None, None, ""),
    200: (0.08, 0.12, None, None, "goods only"),
    210: (0.08, 0.06, None, None, "Rotterdam transit inflates totals"),
    211: (0.04, 0.06, None, None, ""),
    220: (0.06, 0.07, None, None, ""),
    225: (0.07, 0.11, None, None, "gold flows distort Swiss shares"),
    230: (0.06, 0.05, None, None, ""),
    235: (0.03, 0.04, None, None, ""),
    255: (0.08, 0.08, None, None, ""),
    290: (0.07, 0.03, None, None, ""),
    305: (0.04, 0.05, None, None, ""),
    310: (0.05, 0.03, None, None, ""),
    316: (0.07, 0.02, None, None, ""),
    325: (0.05, 0.07, None, None, ""),
    345: (0.10, 0.02, None, None, ""),
    350: (0.06, 0.03, None, None, ""),
    360: (0.04, 0.02, None, None, ""),
    365: (0.34, 0.01, None, None, "Russian customs stopped publishing partner data in 2022; from partner (mirror) data"),
    368: (0.02, 0.03, None, None, "after the 2021-2022 Chinese customs block"),
    369: (0.12, 0.04, None, None, "wartime data"),
    370: (0.10, 0.00, None, None, "Belarus publishes little partner data since 2022"),
    372: (0.10, 0.03, None, None, ""),
    375: (0.05, 0.06, None, None, ""),
    380: (0.04, 0.06, None, None, ""),
    385: (0.05, 0.05, None, None, ""),
    390: (0.05, 0.07, None, None, ""),
    205: (0.05, 0.20, None, None, "goods only; Irish exports to the US dominated by pharmaceuticals"),
    640: (0.07, 0.05, None, None, ""),
    630: (0.25, 0.00, None, None, "Chinese customs data understate Iranian oil sold via third countries; share very uncertain"),
    645: (0.27, 0.04, None, None, ""),
    651: (0.10, 0.06, 8.0, CLA, "loan total approximate"),
    666: (0.08, 0.14, None, None, ""),
    670: (0.18, 0.06, None, None, ""),
    690: (0.18, 0.04, None, None, ""),
    694: (0.15, 0.04, None, None, ""),
    696: (0.12, 0.04, None, None, "non-oil and re-export data incomplete"),
    698: (0.30, 0.03, None, None, ""),
    615: (0.10, 0.04, None, None, ""),
    600: (0.06, 0.07, None, None, ""),
    475: (0.15, 0.07, 6.0, CLA, "loan total approximate"),
    501: (0.14, 0.05, 9.0, CLA, "loan total approximate"),
    530: (0.20, 0.06, 14.0, CLA, "loan total approximate"),
    540: (0.35, 0.03, 45.0, CLA, "loan total approximate; the largest African borrower"),
    551: (0.20, 0.01, 10.0, CLA, "loan total approximate"),
    560: (0.18, 0.08, None, None, ""),
    713: (0.22, 0.14, None, None, "mainland China only (Hong Kong excluded); Taiwan Ministry of Finance trade statistics"),
    712: (0.65, 0.02, None, None, ""),
    705: (0.22, 0.02, None, None, ""),
    704: (0.20, 0.01, None, None, ""),
    701: (0.60, 0.01, None, None, "gas exports to China dominate"),
    731: (0.95, 0.00, None, None, "official Chinese customs data; DPRK publishes none"),
    732: (0.21, 0.15, None, None, ""),
    740: (0.20, 0.15, None, None, ""),
    750: (0.10, 0.11, None, None, ""),
    770: (0.20, 0.08, None, None, ""),
    771: (0.17, 0.11, None, None, ""),
    780: (0.12, 0.13, None, None, ""),
    775: (0.30, 0.05, None, None, "post-2021 coup data incomplete"),
    800: (0.18, 0.11, None, None, ""),
    811: (0.32, 0.20, None, None, ""),
    812: (0.30, 0.01, None, None, "Laotian trade data incomplete; share uncertain"),
    816: (0.25, 0.16, None, None, ""),
    820: (0.17, 0.10, None, None, ""),
    830: (0.13, 0.10, None, None, "entrepot trade"),
    840: (0.17, 0.11, None, None, ""),
    850: (0.24, 0.09, None, None, ""),
    900: (0.31, 0.07, None, None, "goods only"),
    920: (0.22, 0.10, None, None, ""),
}


def fl(x):
    try:
        return float(x)
    except ValueError:
        return None


def main():
    states = {int(r["ccode"]) for r in csv.DictReader(open(os.path.join(DATA, "states.csv"), encoding="utf-8"))}
    tot = {}
    for r in csv.DictReader(open(os.path.join(TRADE, "cow_trade_sy.csv"), encoding="utf-8")):
        if r["year"] == "2014":
            tot[int(r["ccode"])] = (fl(r["imports"]), fl(r["exports"]))
    dy = {}
    for r in csv.DictReader(open(os.path.join(TRADE, "cow_trade_ndy.csv"), encoding="utf-8")):
        if r["year"] != "2014":
            continue
        a, b = int(r["ccode1"]), int(r["ccode2"])
        f1, f2 = fl(r["flow1"]), fl(r["flow2"])
        dy[(a, b)] = (f1, f2)
        dy[(b, a)] = (f2, f1)
    rows = []
    for c in sorted(states):
        t = tot.get(c)
        if not t or t[0] is None or t[1] is None or t[0] < 0 or t[1] < 0 or t[0] + t[1] <= 0:
            continue
        total = t[0] + t[1]
        shares = []
        for p in (710, 2):
            f = dy.get((c, p))
            if c == p or f is None or f[0] is None or f[1] is None or f[0] < 0 or f[1] < 0:
                shares.append("")
            else:
                shares.append("%.3f" % min(1.0, (f[0] + f[1]) / total))
        note = "share with itself left empty" if c in (2, 710) else ""
        if c == 840:
            note = "COW/IMF mirror data; Philippine national statistics give a lower China share"
        rows.append((c, 2014, shares[0], shares[1], "", 0, COW_SRC, note))
    # One row per state (the C reader keys economic.csv on ccode): the 2023 approximation where entered,
    # with the official 2014 COW-derived values kept in the note; otherwise the 2014 row.
    by = {r[0]: r for r in rows}
    for c, (sc, su, loans, lsrc, note) in sorted(APPROX_2023.items()):
        assert c in states, c
        src = DOTS + ("; loans: " + lsrc if lsrc else "")
        n = "approximate (about +/-0.03), not an exact extract; verify against IMF DOTS 2023"
        if loans is not None:
            n += "; loans = cumulative commitments, rounded (about +/-25%)"
        if note:
            n += "; " + note
        old = by.get(c)
        if old is not None:
            n += "; official 2014 values (COW Trade v4.0 / IMF DOTS, derived): China %s, US %s" % (
                old[2] or "n/a", old[3] or "n/a")
            src += "; 2014 reference: COW Trade v4.0 (Barbieri, Keshk & Pollins 2009)"
        by[c] = (c, 2023, "" if sc is None else "%.2f" % sc, "" if su is None else "%.2f" % su,
                 "" if loans is None else "%.1f" % loans, 1, src, n)
    rows = list(by.values())
    rows.sort(key=lambda r: (r[0], r[1]))
    with open(os.path.join(DATA, "economic.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ccode", "year", "trade_share_chn", "trade_share_usa", "chn_loans_usd_bn", "estimate", "source", "note"])
        w.writerows(rows)
    print("wrote %d rows" % len(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
