#!/usr/bin/python3
"""Derive data/unga.csv: each state's UN General Assembly position in 2024 (session 79).

From ../shared/data/unga (read, never copied):
  idealpoints_fp_1946_2024.csv   Bailey, Strezhnev & Voeten ideal points (July 2025 release, through session
                                 79): the state's ideal point for the year (column idealpointfp);
  agreement_usa_chn_2015_2024.csv the share of votes on which the state agreed with the US (ccode 2) and with
                                 China (710) in the session (column agree), and the number of votes the state's
                                 ideal point for the session was estimated from (NVotesFP): the vote count.
One row per shipped state with any of these figures for YEAR. `votes` is the state's own vote count in the
session (NVotesFP of the state as ccode2 of the US row, else of the China row): the agreement shares are
computed over the roll calls both states voted on, so a state with few votes has uncertain shares; rows with
fewer than MIN_VOTES votes say so in `note`, and the C reader flags them.
Usage: /usr/bin/python3 data/scripts/derive_unga.py
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
UNGA = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "unga"))
DATA = os.path.join(REPO, "data")
YEAR = 2024
MIN_VOTES = 20  # the same floor as the C reader's flag (world_csv.c, UNGA_MIN_VOTES)
SRC = ("Bailey, Strezhnev & Voeten 2017, UNGA ideal points (July 2025 release, session 79 = %d), "
       "idealpoints_fp_1946_2024.csv and agreement_usa_chn_2015_2024.csv (Voeten, Harvard Dataverse "
       "doi:10.7910/DVN/LEJUQZ), derived" % YEAR)


def main():
    states = [int(r["ccode"]) for r in csv.DictReader(open(os.path.join(DATA, "states.csv"), encoding="utf-8"))]
    ideal = {}
    # The file has two mis-encoded names; only the numeric columns are read.
    for r in csv.DictReader(open(os.path.join(UNGA, "idealpoints_fp_1946_2024.csv"), encoding="utf-8",
                                 errors="replace")):
        if r["year"] and float(r["year"]) == YEAR and r["idealpointfp"]:
            ideal[int(r["ccode"])] = float(r["idealpointfp"])
    agree, votes = {}, {}
    for r in csv.DictReader(open(os.path.join(UNGA, "agreement_usa_chn_2015_2024.csv"), encoding="utf-8")):
        if int(r["year"]) != YEAR:
            continue
        pole, other = int(r["ccode1"]), int(r["ccode2"])
        if pole not in (2, 710):
            continue  # the file holds both directions; the poles' rows suffice
        agree[(other, pole)] = float(r["agree"])
        if r["NVotesFP.y"]:
            votes.setdefault(other, int(float(r["NVotesFP.y"])))
        if r["NVotesFP.x"]:
            votes.setdefault(pole, int(float(r["NVotesFP.x"])))
    rows = []
    for c in states:
        if c not in ideal and (c, 2) not in agree and (c, 710) not in agree:
            continue
        v = votes.get(c)
        note = ""
        if v is not None and v < MIN_VOTES:
            note = "few votes (%d < %d): agreement shares uncertain" % (v, MIN_VOTES)
        if c in (2, 710):
            note = (note + "; " if note else "") + "agreement with itself left empty"
        rows.append((c, YEAR, "%.4f" % ideal[c] if c in ideal else "",
                     "%.4f" % agree[(c, 2)] if (c, 2) in agree else "",
                     "%.4f" % agree[(c, 710)] if (c, 710) in agree else "",
                     "" if v is None else v, SRC, note))
    with open(os.path.join(DATA, "unga.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["ccode", "year", "ideal_point", "agree_usa", "agree_chn", "votes", "source", "note"])
        w.writerows(rows)
    missing = [c for c in states if c not in {r[0] for r in rows}]
    print("wrote %d rows; no figures for %s" % (len(rows), missing), file=sys.stderr)


if __name__ == "__main__":
    main()
