#!/usr/bin/python3
"""Quick self-check of the shipped world in data/*.csv (the official check will be written in C).

Checks: exact headers; UTF-8, LF line endings, no blank lines, RFC-4180 parse with a constant column count;
every row has a source; every COW code is in states.csv; dates parse (YYYY, YYYY-MM or YYYY-MM-DD) and
start <= end; no duplicate rows or keys (contiguity: one row per unordered pair, type 1..5, no self-pair); obligations and flags are 0/1; shares within 0..1; intensities in
range; kinds, roles and regions from the documented sets; foreign keys (pact_id, org_id, tier); partnership
spells of a partner do not overlap.
Usage: /usr/bin/python3 data/scripts/check_data.py     exit status 0 = clean, 1 = problems listed on stderr
"""
import csv
import datetime
import io
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, ".."))

HEADERS = {
    "states.csv": "ccode,abbr,iso2,iso3,name,region,capital,lat,lon,un_member,source",
    "capabilities.csv": "ccode,year,cinc,milex_usd_m,gdp_usd_bn,source,note",
    "tiers.csv": "tier,label,example_moniker,description,source",
    "partnerships.csv": "partner,pole,tier,moniker,start,end,source,note",
    "pacts.csv": "pact_id,name,atopid,start,end,defense,offense,neutral,nonagg,consul,dormant,source,note",
    "pact_members.csv": "pact_id,ccode,entry,exit,defense,offense,neutral,nonagg,consul,dormant,source",
    "orgs.csv": "org_id,name,kind,founded,source",
    "org_members.csv": "org_id,ccode,role,joined,left,source",
    "security.csv": "a,b,kind,name,start,end,intensity,source,note",
    "economic.csv": "ccode,year,trade_share_chn,trade_share_usa,chn_finance_usd_bn,estimate,source,note",
    "coercion.csv": "sender,target,start,end,kind,description,source",
    "rivalries.csv": "a,b,kind,intensity,start,end,source,note",
    "events.csv": "date,kind,actors,description,source",
    "unga.csv": "ccode,year,ideal_point,agree_usa,agree_chn,votes,source,note",
    "contiguity.csv": "ccode1,ccode2,conttype,source,note",
}
KEYS = {
    "states.csv": ("ccode",), "capabilities.csv": ("ccode",), "tiers.csv": ("tier",),
    "partnerships.csv": ("partner", "pole", "start"), "pacts.csv": ("pact_id",),
    "pact_members.csv": ("pact_id", "ccode", "entry"), "orgs.csv": ("org_id",),
    "org_members.csv": ("org_id", "ccode", "role", "joined"), "economic.csv": ("ccode",),
    "security.csv": ("a", "b", "kind", "name", "start"), "coercion.csv": ("sender", "target", "kind", "start"),
    "rivalries.csv": ("a", "b", "kind"), "events.csv": ("date", "kind", "description"),
    "unga.csv": ("ccode",), "contiguity.csv": ("ccode1", "ccode2"),
}
CCODE_COLS = {
    "capabilities.csv": ("ccode",), "partnerships.csv": ("partner", "pole"), "pact_members.csv": ("ccode",),
    "org_members.csv": ("ccode",), "security.csv": ("a", "b"), "economic.csv": ("ccode",),
    "coercion.csv": ("sender", "target"), "rivalries.csv": ("a", "b"), "unga.csv": ("ccode",),
    "contiguity.csv": ("ccode1", "ccode2"),
}
DATES = {
    "partnerships.csv": ("start", "end"), "pacts.csv": ("start", "end"), "pact_members.csv": ("entry", "exit"),
    "orgs.csv": ("founded", None), "org_members.csv": ("joined", "left"), "security.csv": ("start", "end"),
    "coercion.csv": ("start", "end"), "rivalries.csv": ("start", "end"), "events.csv": ("date", None),
}
REQUIRED_DATES = {"partnerships.csv": "start", "pacts.csv": "start", "pact_members.csv": "entry",
                  "orgs.csv": "founded", "org_members.csv": "joined", "security.csv": "start",
                  "coercion.csv": "start", "rivalries.csv": "start", "events.csv": "date"}
OBL = ("defense", "offense", "neutral", "nonagg", "consul")
REGIONS = {"Americas", "Europe", "Africa", "Middle East", "Asia", "Oceania"}
ORG_KINDS = {"collective_defense", "security_grouping", "cooperation_forum", "economic"}
ROLES = {"member", "observer", "dialogue_partner", "partner"}
SEC_KINDS = {"exercise", "patrol", "arms", "basing", "intelligence"}
RIV_KINDS = {"territorial", "positional", "ideological", "interventionary", "maritime"}
COERCION_KINDS = {"tariff", "import_ban", "export_ban", "export_controls", "sanctions", "tourism_restriction",
                  "diplomatic_downgrade", "customs_block"}

problems = []


def bad(f, line, msg):
    problems.append("%s:%s: %s" % (f, line, msg))


def parse_date(s):
    """Return (lo, hi) ISO bounds of a YYYY / YYYY-MM / YYYY-MM-DD string, or None if invalid."""
    if re.fullmatch(r"\d{4}", s):
        return s + "-01-01", s + "-12-31"
    if re.fullmatch(r"\d{4}-\d{2}", s):
        y, m = int(s[:4]), int(s[5:])
        if not 1 <= m <= 12:
            return None
        nxt = datetime.date(y + (m == 12), m % 12 + 1, 1) - datetime.timedelta(days=1)
        return s + "-01", nxt.isoformat()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            datetime.date.fromisoformat(s)
        except ValueError:
            return None
        return s, s
    return None


def load(name):
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        bad(name, 0, "missing file")
        return []
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        bad(name, 0, "not UTF-8: %s" % e)
        return []
    if "\r" in text:
        bad(name, 0, "CR characters (line endings must be LF)")
    if not text.endswith("\n"):
        bad(name, 0, "no final newline")
    for i, line in enumerate(text.split("\n")[:-1], 1):
        if line.strip() == "":
            bad(name, i, "blank line")
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        bad(name, 0, "empty file")
        return []
    if ",".join(rows[0]) != HEADERS[name]:
        bad(name, 1, "header %r != %r" % (",".join(rows[0]), HEADERS[name]))
    cols = rows[0]
    out = []
    for i, r in enumerate(rows[1:], 2):
        if len(r) != len(cols):
            bad(name, i, "%d fields, expected %d" % (len(r), len(cols)))
            continue
        d = dict(zip(cols, r))
        d["_line"] = i
        out.append(d)
    seen = set()
    for d in out:
        t = tuple(d[c] for c in cols)
        if t in seen:
            bad(name, d["_line"], "duplicate row")
        seen.add(t)
        if "source" in d and not d["source"].strip():
            bad(name, d["_line"], "empty source")
    return out


def check_01(f, d, col):
    if d[col] not in ("0", "1"):
        bad(f, d["_line"], "%s must be 0/1, got %r" % (col, d[col]))


def check_num(f, d, col, lo=None, hi=None, required=False, integer=False):
    v = d[col]
    if v == "":
        if required:
            bad(f, d["_line"], "%s empty" % col)
        return None
    try:
        x = int(v) if integer else float(v)
    except ValueError:
        bad(f, d["_line"], "%s not a number: %r" % (col, v))
        return None
    if (lo is not None and x < lo) or (hi is not None and x > hi):
        bad(f, d["_line"], "%s=%s outside [%s, %s]" % (col, v, lo, hi))
    return x


def main():
    T = {name: load(name) for name in HEADERS}
    ccodes = {d["ccode"] for d in T["states.csv"]}
    # keys
    for name, key in KEYS.items():
        seen = {}
        for d in T[name]:
            k = tuple(d[c] for c in key)
            if name in ("rivalries.csv", "contiguity.csv"):  # undirected: one row per dyad (as the C reader keys it)
                k = tuple(sorted(k[:2], key=int)) + k[2:]
            if k in seen:
                bad(name, d["_line"], "duplicate key %s (first at line %d)" % (k, seen[k]))
            else:
                seen[k] = d["_line"]
    # ccodes
    for name, cols in CCODE_COLS.items():
        for d in T[name]:
            for c in cols:
                if d[c] not in ccodes:
                    bad(name, d["_line"], "%s=%r not in states.csv" % (c, d[c]))
    for d in T["events.csv"]:
        if not d["actors"]:
            bad("events.csv", d["_line"], "no actors")
        for a in d["actors"].split(";"):
            if a not in ccodes:
                bad("events.csv", d["_line"], "actor %r not in states.csv" % a)
    # dates
    for name, (s, e) in DATES.items():
        for d in T[name]:
            ps = parse_date(d[s]) if d[s] else None
            if d[s] and ps is None:
                bad(name, d["_line"], "bad date %s=%r" % (s, d[s]))
            if not d[s] and REQUIRED_DATES.get(name) == s:
                bad(name, d["_line"], "%s empty" % s)
            if e:
                pe = parse_date(d[e]) if d[e] else None
                if d[e] and pe is None:
                    bad(name, d["_line"], "bad date %s=%r" % (e, d[e]))
                if ps and pe and pe[1] < ps[0]:
                    bad(name, d["_line"], "%s %s before %s %s" % (e, d[e], s, d[s]))
    # states
    for d in T["states.csv"]:
        f = "states.csv"
        if d["region"] not in REGIONS:
            bad(f, d["_line"], "region %r" % d["region"])
        check_01(f, d, "un_member")
        check_num(f, d, "lat", -90, 90, True)
        check_num(f, d, "lon", -180, 180, True)
        if not re.fullmatch(r"[A-Z]{2}", d["iso2"]) or not re.fullmatch(r"[A-Z]{3}", d["iso3"]):
            bad(f, d["_line"], "bad ISO codes")
    if sum(d["un_member"] == "1" for d in T["states.csv"]) != 193:
        bad("states.csv", 0, "expected 193 UN members")
    # capabilities
    for d in T["capabilities.csv"]:
        f = "capabilities.csv"
        check_num(f, d, "year", 1816, 2024, True, True)
        check_num(f, d, "cinc", 0, 1, True)
        check_num(f, d, "milex_usd_m", 0)
        check_num(f, d, "gdp_usd_bn", 0)
    # tiers and partnerships
    tiers = {d["tier"] for d in T["tiers.csv"]}
    spells = {}
    for d in T["partnerships.csv"]:
        f = "partnerships.csv"
        if d["tier"] not in tiers:
            bad(f, d["_line"], "tier %r not in tiers.csv" % d["tier"])
        if not d["moniker"]:
            bad(f, d["_line"], "empty moniker")
        spells.setdefault((d["partner"], d["pole"]), []).append(d)
    for k, lst in spells.items():
        lst.sort(key=lambda d: parse_date(d["start"])[0] if parse_date(d["start"]) else "")
        for a, b in zip(lst, lst[1:]):
            if not a["end"]:
                bad("partnerships.csv", a["_line"], "open spell followed by another spell for %s" % (k,))
            elif parse_date(a["end"]) and parse_date(b["start"]) and parse_date(a["end"])[0] > parse_date(b["start"])[1]:
                bad("partnerships.csv", b["_line"], "overlaps previous spell for %s" % (k,))
    # pacts
    pact_ids = {d["pact_id"] for d in T["pacts.csv"]}
    pact_start = {d["pact_id"]: d["start"] for d in T["pacts.csv"]}
    for name in ("pacts.csv", "pact_members.csv"):
        for d in T[name]:
            for c in OBL:
                check_01(name, d, c)
            if not any(d[c] == "1" for c in OBL):
                bad(name, d["_line"], "no obligation set")
            check_01(name, d, "dormant")
    for d in T["pacts.csv"]:
        if d["atopid"] and not d["atopid"].isdigit():
            bad("pacts.csv", d["_line"], "atopid %r" % d["atopid"])
        if not re.fullmatch(r"[a-z0-9_]+", d["pact_id"]):
            bad("pacts.csv", d["_line"], "pact_id %r not a slug" % d["pact_id"])
    members = {}
    for d in T["pact_members.csv"]:
        if d["pact_id"] not in pact_ids:
            bad("pact_members.csv", d["_line"], "pact_id %r not in pacts.csv" % d["pact_id"])
        members.setdefault(d["pact_id"], set()).add(d["ccode"])
    for p in pact_ids:
        if len(members.get(p, ())) < 2:
            bad("pacts.csv", 0, "pact %s has fewer than 2 members" % p)
    # orgs
    org_ids = {d["org_id"] for d in T["orgs.csv"]}
    for d in T["orgs.csv"]:
        if d["kind"] not in ORG_KINDS:
            bad("orgs.csv", d["_line"], "kind %r" % d["kind"])
    for d in T["org_members.csv"]:
        if d["org_id"] not in org_ids:
            bad("org_members.csv", d["_line"], "org_id %r not in orgs.csv" % d["org_id"])
        if d["role"] not in ROLES:
            bad("org_members.csv", d["_line"], "role %r" % d["role"])
    # security, rivalries, coercion
    for d in T["security.csv"]:
        if d["kind"] not in SEC_KINDS:
            bad("security.csv", d["_line"], "kind %r" % d["kind"])
        check_num("security.csv", d, "intensity", 1, 3, True, True)
        if d["a"] == d["b"]:
            bad("security.csv", d["_line"], "a == b")
    for d in T["rivalries.csv"]:
        if d["kind"] not in RIV_KINDS:
            bad("rivalries.csv", d["_line"], "kind %r" % d["kind"])
        check_num("rivalries.csv", d, "intensity", 0, 1, True)
        if d["a"] == d["b"]:
            bad("rivalries.csv", d["_line"], "a == b")
    for d in T["coercion.csv"]:
        if d["kind"] not in COERCION_KINDS:
            bad("coercion.csv", d["_line"], "kind %r" % d["kind"])
        if d["sender"] == d["target"]:
            bad("coercion.csv", d["_line"], "sender == target")
    # economic
    for d in T["economic.csv"]:
        f = "economic.csv"
        check_num(f, d, "year", 1900, 2024, True, True)
        check_num(f, d, "trade_share_chn", 0, 1)
        check_num(f, d, "trade_share_usa", 0, 1)
        check_num(f, d, "chn_finance_usd_bn", 0)
        check_01(f, d, "estimate")
        if d["ccode"] == "710" and d["trade_share_chn"]:
            bad(f, d["_line"], "China's share with itself should be empty")
        if d["ccode"] == "2" and d["trade_share_usa"]:
            bad(f, d["_line"], "US share with itself should be empty")
    for d in T["unga.csv"]:
        f = "unga.csv"
        check_num(f, d, "ideal_point", -10, 10)
        check_num(f, d, "agree_usa", 0, 1)
        check_num(f, d, "agree_chn", 0, 1)
        check_num(f, d, "votes", 0)
        if (d["agree_usa"] or d["agree_chn"]) and not d["votes"]:
            bad(f, d["_line"], "an agreement share without its vote count")
    for d in T["contiguity.csv"]:
        f = "contiguity.csv"
        check_num(f, d, "conttype", 1, 5, True, True)
        if d["ccode1"] == d["ccode2"]:
            bad(f, d["_line"], "ccode1 == ccode2")
    counts = ", ".join("%s %d" % (n, len(T[n])) for n in HEADERS)
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        print("%d problems (%s)" % (len(problems), counts), file=sys.stderr)
        return 1
    print("data check OK: " + counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
