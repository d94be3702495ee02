#!/usr/bin/env bash
# test_reliability_store.sh -- issue 9, class 5: the store refuses what is not its own.
#
# A text file, another program's SQLite database (even with user_version 1), a database with a
# foreign application_id, an entente store with a negative or newer schema version: each is an
# error (exit 3) and the file is left byte-identical, with no -wal/-shm beside it. Read-only
# commands never create a store; --db '' is a usage error; eight imports creating one new store
# at once all succeed; an error on a long legal path keeps SQLite's reason.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "SKIP: the sqlite3 shell is not installed"; exit 77; }
src=$(cd "$(dirname "$0")/../.." && pwd)
states=$src/tests/fixtures/bad/baseline/states.csv

# refused and untouched: exit 3, the message, the same bytes, no journal files
refused() {
    local db=$1 msg=$2 before
    before=$(md5sum <"$db")
    for cmd in "import cow-states $states" "summary" "states"; do
        read -r -a a <<<"$cmd"
        expect_exit 3 -- "$ENTENTE" "${a[@]}" --db "$db"
        expect_in "$TMPD/err" "$msg"
    done
    [ "$(md5sum <"$db")" = "$before" ] && ok || bad "$db was modified"
    [ ! -e "$db-wal" ] && [ ! -e "$db-shm" ] && ok || bad "journal files created beside $db"
}

echo "plain text, not a database" >"$TMPD/text.db"
refused "$TMPD/text.db" "not an entente store: cannot read it as an SQLite database (file is not a database)"

sqlite3 "$TMPD/other.db" "CREATE TABLE notes(x); INSERT INTO notes VALUES (1); PRAGMA user_version = 1;"
refused "$TMPD/other.db" "an SQLite database of another program"
[ "$(sqlite3 "$TMPD/other.db" "SELECT count(*) FROM sqlite_schema")" = 1 ] && ok || bad "tables added to other.db"

sqlite3 "$TMPD/appid.db" "PRAGMA application_id = 1234; PRAGMA user_version = 2;"
refused "$TMPD/appid.db" "another program (application_id 1234)"

# an entente store damaged or from the future
expect_exit 0 -- "$ENTENTE" import cow-states "$states" --db "$TMPD/good.db"
expect_exit 0 -- "$ENTENTE" summary --db "$TMPD/good.db"
[ "$(sqlite3 "$TMPD/good.db" "PRAGMA application_id")" = 1162761285 ] && ok || bad "application_id not stamped"
cp "$TMPD/good.db" "$TMPD/neg.db"
sqlite3 "$TMPD/neg.db" "PRAGMA journal_mode=DELETE; PRAGMA user_version = -1;" >/dev/null
refused "$TMPD/neg.db" "schema version -1: damaged"
cp "$TMPD/good.db" "$TMPD/new.db"
sqlite3 "$TMPD/new.db" "PRAGMA journal_mode=DELETE; PRAGMA user_version = 99;" >/dev/null
refused "$TMPD/new.db" "newer than this entente"

# a store written before the application_id: still ours (its tables say so), stamped on write
cp "$TMPD/good.db" "$TMPD/legacy.db"
sqlite3 "$TMPD/legacy.db" "PRAGMA journal_mode=DELETE; PRAGMA application_id = 0;" >/dev/null
expect_exit 0 -- "$ENTENTE" summary --db "$TMPD/legacy.db"
expect_exit 0 -- "$ENTENTE" import cow-states "$states" --db "$TMPD/legacy.db"
[ "$(sqlite3 "$TMPD/legacy.db" "PRAGMA application_id")" = 1162761285 ] && ok || bad "legacy store not stamped"

# read-only commands never create a store
for cmd in summary states "ties --state USA" "similarity --year 1950" "dyads --year 1950 --out -"; do
    read -r -a a <<<"$cmd"
    expect_exit 3 -- "$ENTENTE" "${a[@]}" --db "$TMPD/typo.db"
    expect_in "$TMPD/err" "no such store"
    [ ! -e "$TMPD/typo.db" ] && ok || bad "'$cmd' created $TMPD/typo.db"
    rm -f "$TMPD/typo.db"*
done
# --db '' (and ENTENTE_DB='' with no --db falls back to ./entente.db, as documented)
expect_exit 1 -- "$ENTENTE" import cow-states "$states" --db ""
expect_in "$TMPD/err" "the store path is empty"
expect_exit 1 -- "$ENTENTE" summary --db ""

# eight processes creating the same new store at once: all succeed, one schema. (Two rare
# interleavings once failed here: tests/unit/store_open_race.c forces each of them.)
for i in 1 2 3 4 5 6 7 8; do
    "$ENTENTE" import cow-states "$states" --db "$TMPD/race.db" >"$TMPD/race$i.out" 2>&1 &
done
fails=0
for i in 1 2 3 4 5 6 7 8; do wait %$i || fails=$((fails + 1)); done
[ $fails -eq 0 ] && ok || bad "$fails of 8 concurrent creations failed: $(cat "$TMPD"/race*.out | grep entente: | head -2)"
schema_version=$(sed -n 's/^#define ENT_STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' "$ENT_SRC/include/entente/store.h")
[ "$(sqlite3 "$TMPD/race.db" "PRAGMA user_version")" = "$schema_version" ] && ok || bad "race.db schema version"
[ "$(sqlite3 "$TMPD/race.db" "SELECT count(*) FROM imports")" = 8 ] && ok || bad "race.db: not 8 imports recorded"

# a long legal path: the reason is not cut off (SQLite's own path limit is named)
long=$TMPD
while [ ${#long} -lt 3600 ]; do long=$long/dddddddddddddddddddddddddddddddddddddddddddddddddd; done
mkdir -p "$long"
echo "text" >"$long/x.db"
expect_exit 3 -- "$ENTENTE" summary --db "$long/x.db"
expect_in "$TMPD/err" "$long/x.db: cannot open the store: unable to open database file (the path is"
expect_exit 3 -- "$ENTENTE" import cow-states "$long/missing.csv" --db "$TMPD/good.db"
expect_in "$TMPD/err" "$long/missing.csv: cannot open: No such file or directory"
finish
