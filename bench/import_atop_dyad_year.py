#!/usr/bin/python3
"""The Python peer of `entente import atop-dyad-year`, for bench/run.

Only the standard library (csv + sqlite3) of Debian's /usr/bin/python3, doing
the same work as the C importer:
  - the same table as src/store/schema.sql.h (alliance_dyad_years, WITHOUT ROWID,
    primary key (dataset, ccode1, ccode2, year)) and a states table to check
    codes against;
  - the same validation: the header names its columns, every row has exactly
    the header's field count, every field is an integer, codes are known states,
    years in 1815..2100, the five obligation flags 0 or 1, a duplicate row is
    rejected by the primary key; the first bad row fails the whole import;
  - one transaction, journal_mode=WAL, synchronous=NORMAL.

    import_atop_dyad_year.py prepare DB STATES_CSV   # schema + state list (not timed)
    import_atop_dyad_year.py import DB DYAD_YEAR_CSV # the timed part

`import` prints "rows=<n> inserted=<n> seconds=<s>" (seconds: the import alone,
after the interpreter started) and exits 2 on bad input.
"""
import csv
import sqlite3
import sys
import time

SCHEMA = """
CREATE TABLE IF NOT EXISTS states(
  ccode INTEGER PRIMARY KEY, abbr TEXT NOT NULL, name TEXT NOT NULL,
  iso2 TEXT, iso3 TEXT, region TEXT, capital TEXT, cap_lat REAL, cap_lon REAL,
  source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alliance_dyad_years(
  dataset TEXT NOT NULL, ccode1 INTEGER NOT NULL, ccode2 INTEGER NOT NULL, year INTEGER NOT NULL,
  defense INTEGER NOT NULL, offense INTEGER NOT NULL, neutral INTEGER NOT NULL,
  nonagg INTEGER NOT NULL, consul INTEGER NOT NULL, entente INTEGER NOT NULL,
  PRIMARY KEY(dataset, ccode1, ccode2, year)) WITHOUT ROWID;
"""

COLS = ["ccode1", "ccode2", "year", "atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
YEAR_LO, YEAR_HI = 1815, 2100


class BadInput(Exception):
    pass


def connect(db):
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    return con


def prepare(db, states_csv):
    con = connect(db)
    con.executescript(SCHEMA)
    with open(states_csv, newline="", encoding="utf-8-sig") as f:
        rows = {(int(r["ccode"]), r["stateabb"], r["statenme"]) for r in csv.DictReader(f)}
    con.execute("BEGIN")
    con.executemany("INSERT OR REPLACE INTO states(ccode, abbr, name, source) VALUES (?,?,?,'COW')", rows)
    con.execute("COMMIT")
    con.close()


def integer(s, name, line, lo, hi):
    # str.isdigit alone would accept non-ASCII digits; int() alone would accept " 5" and "1_000".
    if not (s.isascii() and s.isdigit()):
        raise BadInput(f"line {line}: field '{name}': expected an integer, got '{s[:40]}'")
    v = int(s)
    if v < lo or v > hi:
        raise BadInput(f"line {line}: field '{name}': {v} outside {lo}..{hi}")
    return v


def import_file(db, path):
    con = connect(db)
    known = {c for (c,) in con.execute("SELECT ccode FROM states")}
    if not known:
        raise BadInput("the store has no state list")
    rows = 0

    def records(reader, ix, nhdr):
        nonlocal rows
        c1, c2, yr = ix[0], ix[1], ix[2]
        flags = ix[3:]
        for rec in reader:
            if not rec:
                continue  # the C reader skips completely empty lines too
            rows += 1
            line = reader.line_num
            if len(rec) != nhdr:
                raise BadInput(f"line {line}: expected {nhdr} fields, got {len(rec)}")
            a = integer(rec[c1], "ccode1", line, 1, 999)
            b = integer(rec[c2], "ccode2", line, 1, 999)
            if a not in known:
                raise BadInput(f"line {line}: field 'ccode1': unknown COW state code {a}")
            if b not in known:
                raise BadInput(f"line {line}: field 'ccode2': unknown COW state code {b}")
            y = integer(rec[yr], "year", line, YEAR_LO, YEAR_HI)
            f = [integer(rec[k], COLS[3 + j], line, 0, 1) for j, k in enumerate(flags)]
            yield ("atop", a, b, y, f[0], f[1], f[2], f[3], f[4], 0)

    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, strict=True)
        header = next(reader, None)
        if header is None:
            raise BadInput("empty file: expected a header row")
        missing = [c for c in COLS if c not in header]
        if missing:
            raise BadInput(f"header: missing column '{missing[0]}'")
        ix = [header.index(c) for c in COLS]
        con.execute("BEGIN IMMEDIATE")
        try:
            con.execute("DELETE FROM alliance_dyad_years WHERE dataset = 'atop'")
            cur = con.executemany(
                "INSERT INTO alliance_dyad_years(dataset, ccode1, ccode2, year, defense, offense, neutral, "
                "nonagg, consul, entente) VALUES (?,?,?,?,?,?,?,?,?,?)",
                records(reader, ix, len(header)),
            )
            inserted = cur.rowcount
            con.execute("COMMIT")
        except sqlite3.IntegrityError as e:
            con.execute("ROLLBACK")
            raise BadInput(f"line {reader.line_num}: duplicate row ({e})")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    con.close()
    return rows, inserted


def main(argv):
    if len(argv) != 4 or argv[1] not in ("prepare", "import"):
        print(__doc__, file=sys.stderr)
        return 1
    if argv[1] == "prepare":
        prepare(argv[2], argv[3])
        return 0
    t0 = time.perf_counter()
    try:
        rows, inserted = import_file(argv[2], argv[3])
    except (BadInput, csv.Error, UnicodeDecodeError) as e:
        print(f"import_atop_dyad_year.py: {argv[3]}: {e}", file=sys.stderr)
        return 2
    t1 = time.perf_counter()
    print(f"rows={rows} inserted={inserted} seconds={t1 - t0:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
