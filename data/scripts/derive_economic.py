#!/usr/bin/python3
"""Derive data/economic.csv: each state's goods-trade shares with China and the US, and Chinese official finance.

Trade (columns trade_share_chn, trade_share_usa; `year` = the trade year):
  1. IMF Direction of Trade Statistics (DOTS), reporter-side, for every state that reports: the share of its
     goods trade (imports c.i.f. + exports f.o.b., current USD) conducted with China (counterpart CN, mainland
     China: Hong Kong and Macao are separate DOTS partners) and with the US, over its trade with the world
     (W00), in the latest year 2015-2024 with the reporter's world totals and China flows. A single missing
     flow to a partner (the other present) is read as "none recorded" (0). estimate=0.
  2. Audited overrides (OVERRIDES below) for reporters whose DOTS partner data are broken (Kuwait, Oman, Iran,
     North Korea, Mauritius, Suriname; and, found by the audit, Kazakhstan and Nigeria 2024): an earlier complete DOTS year where one exists (estimate=0), otherwise
     figures from the partner's customs (estimate=1), each with a note saying what is broken.
  3. States that do not report to DOTS: COW Trade v4.0 2014 (Barbieri, Keshk & Pollins 2009; estimate=0) where
     available, else a hand-entered estimate (Taiwan, from its Ministry of Finance; estimate=1).
Chinese official finance (column chn_finance_usd_bn): AidData's Global Chinese Development Finance 3.0 (Custer et
  al. 2023), aggregated by COW code and year (odadata): the sum over 2000-2021 of committed ODA-like, OOF-like
  and vague official finance, current (nominal) USD billions. This is official finance, not only loans: it
  includes grants and, in OOF, export credits and commercial-rate loans by state banks. Empty = no recorded
  commitment in the dataset (the dataset covers low- and middle-income recipients).
Breaks (a world total that moves by more than 1.5x from the previous year, for reporters trading over USD 1 bn)
are printed for audit; each was read: the ones not overridden are real (Guyana's oil, Panama's mine closure,
Armenia's gold re-exports, Sudan's war, Botswana's diamonds ...).

Reads (never copies) ../shared/data/{trade,finance} relative to the repository root.
Usage: /usr/bin/python3 data/scripts/derive_economic.py
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
TRADE = os.path.join(SHARED, "trade")
FINANCE = os.path.join(SHARED, "finance")
DATA = os.path.join(REPO, "data")

COW_SRC = ("COW Trade v4.0 (Barbieri, Keshk & Pollins 2009; from IMF DOTS), year 2014: "
           "(imports+exports with partner) / (total imports+exports), derived")
DOTS_SRC = ("IMF Direction of Trade Statistics, %d, reporter %s: (imports cif + exports fob with partner) / "
            "(with world), goods, derived")
AID_SRC = ("AidData Global Chinese Development Finance 3.0 (Custer et al. 2023), COW-coded country-year "
           "aggregation (odadata): ODA + OOF + vague official flows committed 2000-2021, nominal USD, derived")
LATEST = 2024

# Reporters whose DOTS partner data are broken. ccode -> (year or None, share CN, share US, source, note).
# year given: use that (complete) DOTS year instead of the latest; shares None = computed from DOTS.
# year None: the shares are entered here from the cited partner statistics (estimate=1).
OVERRIDES = {
    690: (None, 0.18, 0.04,
          "China General Administration of Customs (GACC): China-Kuwait trade 2023 about USD 22 bn; US Census "
          "Bureau: US-Kuwait goods trade 2023 about USD 4.5 bn; over Kuwait's DOTS 2023 world total (USD 121 bn)",
          "DOTS broken for Kuwait: crude exports are not allocated by partner (exports to China USD 0.6 bn a year "
          "against 15-20 bn of Chinese imports from Kuwait) and the 2024 export total collapses to USD 7 bn; "
          "override from partner statistics, confidence moderate"),
    698: (None, 0.38, 0.03,
          "GACC: China-Oman trade 2023 about USD 36 bn (2022: 40 bn); US Census Bureau: US-Oman goods trade 2023 "
          "about USD 3 bn; over Oman's merchandise trade 2023 per its National Centre for Statistics and "
          "Information (about USD 95 bn)",
          "DOTS broken for Oman: oil exports to China swing between USD 14 bn (2015, 2017) and under 1 bn (2016, "
          "2019-2024), i.e. crude exports are mostly unallocated; override from partner statistics, confidence "
          "moderate"),
    630: (LATEST, None, None, None,
          "DOTS for Iran are incomplete: recorded exports (USD 14 bn in 2024) omit most oil, and Chinese purchases "
          "of Iranian oil relabelled as Malaysian origin are missing, so the China share is a lower bound; "
          "kept from DOTS but flagged estimate=1"),
    731: (None, 0.98, 0.0,
          "KOTRA (Korea Trade-Investment Promotion Agency), North Korea's foreign trade trends 2023 (July 2024): "
          "trade with China 98% of the DPRK's recorded trade",
          "the DPRK publishes no trade statistics; DOTS figures are IMF estimates whose world totals do not "
          "match the partners' reports (China share 0.52-0.80 in 2022-2024); override from KOTRA, confidence "
          "moderate"),
    590: (2021, None, None, None,
          "DOTS broken for Mauritius: no China flows recorded 2022-2024 although China is its largest import "
          "source; the latest complete year (2021) is used"),
    115: (2022, None, None, None,
          "DOTS broken for Suriname: recorded exports fall from USD 2.9 bn (2022) to 0.24 bn (2023) and 0.17 bn "
          "(2024), i.e. gold exports are missing; the latest complete year (2022) is used"),
    # Found by the audit below (world totals against the previous year), not in the list:
    705: (2023, None, None, None,
          "DOTS 2024 for Kazakhstan: exports to the world USD 139 bn against 79 bn in 2023 and about 80 bn in "
          "Kazakhstan's own statistics (the 2024 row repeats 2023's exports as imports); 2023 is used"),
    475: (2023, None, None, None,
          "DOTS 2024 for Nigeria: imports USD 99 bn and exports 108 bn against 64 and 63 bn in 2023 (a naira "
          "conversion error after the 2023-2024 devaluation; imports from China more than double); 2023 is used"),
}

# Hand-entered estimates for states that do not report to DOTS and have no COW 2014 figure, or whose COW
# figure would be a decade old while an official national figure is known:
# ccode: (share with China, share with US, source, note)
APPROX = {
    713: (0.22, 0.14, "Taiwan Ministry of Finance trade statistics 2023 (approximation, rounded)",
          "Taiwan is not a DOTS reporter; mainland China only (Hong Kong excluded); approximate (about +/-0.03)"),
}


def fl(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def cow_2014(states):
    """COW Trade v4.0 shares for 2014: ccode -> (share CN or None, share US or None)."""
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
    out = {}
    for c in states:
        t = tot.get(c)
        if not t or t[0] is None or t[1] is None or t[0] < 0 or t[1] < 0 or t[0] + t[1] <= 0:
            continue
        sh = []
        for p in (710, 2):
            f = dy.get((c, p))
            if c == p or f is None or f[0] is None or f[1] is None or f[0] < 0 or f[1] < 0:
                sh.append(None)
            else:
                sh.append(min(1.0, (f[0] + f[1]) / (t[0] + t[1])))
        out[c] = tuple(sh)
    return out


def dots_shares(v, year, c):
    """(share CN, share US) of reporter data v in year, or None when the year is incomplete."""
    mw, xw = v.get(("TMG", "W00", year)), v.get(("TXG", "W00", year))
    if not mw or not xw:
        return None
    sh = []
    for p, pc in (("CN", 710), ("US", 2)):
        m, x = v.get(("TMG", p, year)), v.get(("TXG", p, year))
        if c == pc:
            sh.append(None)  # a state's share with itself
        elif m is None and x is None:
            return None  # no flow at all with a pole: a hole, not a fact
        else:
            sh.append(min(1.0, ((m or 0.0) + (x or 0.0)) / (mw + xw)))
    return tuple(sh)


def fmt(x):
    return "" if x is None else "%.3f" % x


def main():
    st = list(csv.DictReader(open(os.path.join(DATA, "states.csv"), encoding="utf-8")))
    states = {int(r["ccode"]): r for r in st}
    dots = {}
    for r in csv.DictReader(open(os.path.join(TRADE, "imf_dots_trade_2015_2024.csv"), encoding="utf-8")):
        dots.setdefault(r["ref_area"], {})[(r["indicator"][:3], r["counterpart"], int(r["year"]))] = fl(r["value"])
    fin = {}
    for r in csv.DictReader(open(os.path.join(FINANCE, "aiddata_gcdf3_cow_country_year.csv"), encoding="utf-8")):
        f = fin.setdefault(int(r["ccode"]), [0.0, 0.0, 0.0])
        for k, col in enumerate(("oda_amt", "oof_amt", "vof_amt")):
            f[k] += fl(r[col]) or 0.0
    cow = cow_2014(states)
    rows = []
    for c in sorted(states):
        iso2 = states[c]["iso2"]
        v = dots.get(iso2)
        year, sh, est, src, note = None, None, 0, "", ""
        if c in OVERRIDES:
            oy, ocn, ous, osrc, onote = OVERRIDES[c]
            note = onote
            if oy is None:
                year, sh, est, src = LATEST - 1, (ocn, ous), 1, osrc
            else:
                year, sh, src = oy, dots_shares(v, oy, c), DOTS_SRC % (oy, iso2)
                est = 1 if c == 630 else 0
                assert sh is not None, (c, oy)
        elif v:
            for y in range(LATEST, 2014, -1):
                sh = dots_shares(v, y, c)
                if sh is not None:
                    year, src = y, DOTS_SRC % (y, iso2)
                    break
            if year is not None and year < LATEST:
                note = "latest complete DOTS year"
            for f in ("TMG", "TXG"):
                a, b = v.get((f, "W00", LATEST - 1)), v.get((f, "W00", LATEST))
                if a and b and a > 1000 and (b / a > 1.5 or b / a < 1 / 1.5):
                    print("audit: %s %s world total %d -> %d: %.0f -> %.0f" % (states[c]["abbr"], f, LATEST - 1,
                                                                               LATEST, a, b), file=sys.stderr)
        if year is None and c in APPROX:
            acn, aus, asrc, anote = APPROX[c]
            year, sh, est, src, note = LATEST - 1, (acn, aus), 1, asrc, anote
        if year is None and c in cow:
            year, sh, src, note = 2014, cow[c], COW_SRC, "not a DOTS reporter; COW 2014"
        f = fin.get(c)
        total = sum(f) / 1e9 if f else None
        if year is None and total is None:
            continue
        if f:
            src = (src + "; " if src else "") + "finance: " + AID_SRC
            note = (note + "; " if note else "") + "Chinese official finance 2000-2021: ODA %.2f, OOF %.2f, vague %.2f (USD bn)" % (
                f[0] / 1e9, f[1] / 1e9, f[2] / 1e9)
        if year is None:
            year = 2021  # a finance-only row describes the finance period's last year
        rows.append((c, year, fmt(sh[0]) if sh else "", fmt(sh[1]) if sh else "",
                     "" if total is None else "%.3f" % total, est, src, note))
    with open(os.path.join(DATA, "economic.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ccode", "year", "trade_share_chn", "trade_share_usa", "chn_finance_usd_bn", "estimate", "source",
                    "note"])
        w.writerows(rows)
    print("wrote %d rows (%d estimates)" % (len(rows), sum(r[5] for r in rows)), file=sys.stderr)


if __name__ == "__main__":
    main()
