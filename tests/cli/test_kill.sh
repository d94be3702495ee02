#!/usr/bin/env bash
# test_kill.sh -- a killed import leaves the store exactly as it was.
#
# Into a store that already holds the COW state list, starts the largest import we
# have (UNGA roll-call votes, 870,109 votes + 6,203 roll calls; ATOP directed
# dyad-years, 273,296 rows, when the CLI cannot import un-votes), SIGKILLs it while
# it is still running (no handler, no rollback code runs: only SQLite's WAL
# protects the file), then checks that
#   - `PRAGMA integrity_check` says ok,
#   - the dump equals the dump taken before the import,
#   - the same import then succeeds and stores the documented row count.
# Exit 77 (skipped) when the datasets or the sqlite3 shell are absent.
#
# Environment (set by CTest): ENTENTE, ENT_SHARED_DATA, ENT_TMP, ENT_SRC.
set -u

src=${ENT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
entente=${ENTENTE:-$src/build/entente}
data=${ENT_SHARED_DATA:-$src/../shared/data}
tmproot=${ENT_TMP:-${TMPDIR:-/tmp}}

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
command -v sqlite3 >/dev/null || skip "the sqlite3 shell is not installed"
[ -x "$entente" ] || skip "no entente binary at $entente"
"$entente" import --help >/dev/null 2>&1 || skip "$entente has no import command yet"
states=$data/cow/states2016.csv
[ -r "$states" ] || skip "dataset $states absent (set ENT_SHARED_DATA)"

mkdir -p "$tmproot"
work=$(mktemp -d "$tmproot/kill.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"' EXIT
db=$work/store.db

"$entente" import cow-states "$states" --db "$db" >/dev/null || fail "importing cow-states"

# The import to kill, and the documented count it must store when it runs to the end.
votes=$data/unga/un_votes.csv.gz
dyads=$data/atop/atop5_1_directed_dyad_year.csv
probe=$work/probe.db
cp "$db" "$probe"
if [ -r "$votes" ] && [ -r "$data/unga/un_roll_calls.csv.gz" ] &&
    ! "$entente" import un-votes "$work/absent.csv" --db "$probe" 2>&1 | grep -q 'not implemented'; then
    format=un-votes file=$votes count_sql='SELECT count(*) FROM un_votes' want=870109
elif [ -r "$dyads" ]; then
    format=atop-dyad-year file=$dyads count_sql="SELECT count(*) FROM alliance_dyad_years WHERE dataset='atop'"
    want=273296
else
    skip "neither $votes nor $dyads is present"
fi
rm -f "$probe"*

sqlite3 "$db" .dump >"$work/before.dump"

# Kill it midway. The first delay is 0.3 s; if the import had already finished
# (a fast machine), that attempt proves nothing, so retry with a shorter delay.
killed=no
for delay in 0.3 0.15 0.05 0.02; do
    "$entente" import "$format" "$file" --db "$db" >"$work/out" 2>&1 &
    pid=$!
    sleep "$delay"
    if kill -0 "$pid" 2>/dev/null && [ ! -s "$work/out" ]; then
        kill -KILL "$pid"
        wait "$pid" 2>/dev/null
        status=$?
        pid=
        [ "$status" -eq 137 ] || fail "the import exited $status, not by SIGKILL (137)"
        killed=yes
        echo "killed 'entente import $format' after ${delay}s"
        break
    fi
    wait "$pid"
    pid=
    echo "the import finished within ${delay}s: starting over with a shorter delay"
    # It committed: go back to the pre-import store.
    rm -f "$db" "$db-wal" "$db-shm"
    "$entente" import cow-states "$states" --db "$db" >/dev/null || fail "re-importing cow-states"
    sqlite3 "$db" .dump >"$work/before.dump"
done
[ "$killed" = yes ] || skip "the import always finished before it could be killed"

# A WAL may hold the killed transaction's pages: the next open must ignore them.
ls "$db-wal" >/dev/null 2>&1 && echo "a WAL of $(stat -c %s "$db-wal") bytes was left behind"
check=$(sqlite3 "$db" 'PRAGMA integrity_check') || fail "sqlite3 could not open the store after the kill"
[ "$check" = ok ] || fail "integrity_check after the kill: $check"
sqlite3 "$db" .dump >"$work/after.dump"
if ! cmp -s "$work/before.dump" "$work/after.dump"; then
    diff "$work/before.dump" "$work/after.dump" | head -10
    fail "the killed import changed the store"
fi

"$entente" import "$format" "$file" --db "$db" >"$work/out" 2>&1 || fail "the import after the kill failed: $(cat "$work/out")"
got=$(sqlite3 "$db" "$count_sql")
[ "$got" = "$want" ] || fail "after the kill, a new import stored $got rows, expected $want"
check=$(sqlite3 "$db" 'PRAGMA integrity_check')
[ "$check" = ok ] || fail "integrity_check after the re-import: $check"
echo "ok: killed import left the store intact; the re-import stored $got rows"
