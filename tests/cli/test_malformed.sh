#!/usr/bin/env bash
# test_malformed.sh -- the malformed-input catalogue (tests/fixtures/bad/MANIFEST.tsv).
#
# Builds a store holding a baseline (the real COW state list when ENT_SHARED_DATA has
# it, else tests/fixtures/bad/baseline/states.csv; then a small valid file of every
# other format, so a failed re-import that deleted before failing would show), dumps
# it with `sqlite3 .dump`, then runs `entente import` on every case of the manifest:
# the exit code must match, the expected text must appear in stderr, an error must
# read "entente: ...", and a failed import must leave the dump byte-identical.
# Cases expected to succeed run on a copy of the store. Prints each failure and
# "N passed, M failed"; exits 1 on any failure, 77 when it cannot run.
#
# Environment (set by CTest): ENTENTE, ENT_SHARED_DATA, ENT_FIXTURES, ENT_TMP, ENT_SRC.
set -u

src=${ENT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
entente=${ENTENTE:-$src/build/entente}
fixtures=${ENT_FIXTURES:-$src/tests/fixtures}/bad
data=${ENT_SHARED_DATA:-$src/../shared/data}
tmproot=${ENT_TMP:-${TMPDIR:-/tmp}}

skip() { echo "SKIP: $*"; exit 77; }
command -v sqlite3 >/dev/null || skip "the sqlite3 shell is not installed"
[ -x "$entente" ] || skip "no entente binary at $entente"
"$entente" import --help >/dev/null 2>&1 || skip "$entente has no import command yet"

mkdir -p "$tmproot"
work=$(mktemp -d "$tmproot/malformed.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=$work/store.db

# ---------------------------------------------------------------- the baseline
states=$data/cow/states2016.csv
[ -r "$states" ] || states=$fixtures/baseline/states.csv
base() {
    if ! "$entente" import "$1" "$2" --db "$db" >"$work/out" 2>&1; then
        echo "FAIL: cannot build the baseline: entente import $1 $2:"
        cat "$work/out"
        exit 1
    fi
}
base cow-states "$states"
base cow-system "$fixtures/baseline/system.csv"
base cow-nmc "$fixtures/baseline/nmc.csv"
base cow-alliance "$fixtures/baseline/cow_alliance.csv"
base atop-dyad-year "$fixtures/baseline/atop_dyad_year.csv"
base atop "$fixtures/atop_valid"
base unga-ideal "$fixtures/baseline/unga_ideal.csv"
base unga-idealfp "$fixtures/baseline/unga_idealfp.csv"
base unga-agreement "$fixtures/baseline/unga_agreement.csv"
base un-votes "$fixtures/baseline/un_votes/un_votes.csv"
base mme "$fixtures/baseline/mme.csv"
base cow-contdir "$fixtures/baseline/contdir.csv"
base capital-distance "$fixtures/baseline/capdist.csv"
base cow-majors "$fixtures/baseline/majors.csv"
base democracy "$fixtures/baseline/democracy.csv"
base cow-mid-dyad "$fixtures/baseline/mid_ddy.csv"
base cow-igo-dyad "$fixtures/baseline/igo_ndy.csv"
base cow-trade-dyad "$fixtures/baseline/trade_ndy.csv"
base cow-trade-state "$fixtures/baseline/trade_sy.csv"
base false-dyads "$fixtures/baseline/false_dyads.csv"
sqlite3 "$db" .dump >"$work/baseline.dump"
cp "$db" "$work/baseline.db" # the CLI closed the store: its WAL is checkpointed, the file is whole

# ---------------------------------------------------------------- generated fixtures
gen=$work/gen
mkdir -p "$gen/a_directory.csv"
{
    echo '"stateabb","ccode","statenme","styear","stmonth","stday","endyear","endmonth","endday","version"'
    printf '"CAN",20,"'
    head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' x
    echo '",1920,1,10,2016,12,31,2016'
} >"$gen/huge_field.csv"

fixture_path() {
    case $1 in
    @huge) echo "$gen/huge_field.csv" ;;
    @dir) echo "$gen/a_directory.csv" ;;
    @missing) echo "$gen/does_not_exist.csv" ;;
    *) echo "$fixtures/$1" ;;
    esac
}

# ---------------------------------------------------------------- the cases
pass=0 fail=0 xfail=0 n=0
tab=$'\t'
while IFS="$tab" read -r format fixture want expect note; do
    case $format in '' | '#'*) continue ;; esac
    n=$((n + 1))
    path=$(fixture_path "$fixture")
    read -r -a fmt_args <<<"$format" # "cow-system --keep-going" -> format plus options
    target=$db
    if [ "$want" = 0 ]; then
        target=$work/copy.db
        rm -f "$target" "$target-wal" "$target-shm"
        cp "$work/baseline.db" "$target"
    fi
    "$entente" import "${fmt_args[@]}" "$path" --db "$target" >"$work/stdout" 2>"$work/stderr"
    got=$?
    problems=()
    [ "$got" = "$want" ] || problems+=("exit $got, expected $want")
    if [ "$want" = 0 ]; then
        cat "$work/stdout" "$work/stderr" >"$work/both"
        grep -qF -- "$expect" "$work/both" || problems+=("output lacks '$expect'")
    else
        grep -qF -- "$expect" "$work/stderr" || problems+=("stderr lacks '$expect'")
        if [ "$want" != 1 ] && ! head -1 "$work/stderr" | grep -q '^entente: '; then
            problems+=("stderr does not start with 'entente: '")
        fi
        sqlite3 "$db" .dump >"$work/after.dump"
        if ! cmp -s "$work/baseline.dump" "$work/after.dump"; then
            problems+=("the store changed: $(diff "$work/baseline.dump" "$work/after.dump" | head -3 | tr '\n' ' ')")
            # go on from the baseline so one failure does not cascade
            rm -f "$db" "$db-wal" "$db-shm"
            cp "$work/baseline.db" "$db"
        fi
    fi
    label="$format $fixture"
    if [ ${#problems[@]} -eq 0 ]; then
        pass=$((pass + 1))
        case $note in xfail:*) echo "XPASS: $label (marked '$note': update the manifest)" ;; esac
    elif [[ $note == xfail:* ]]; then
        xfail=$((xfail + 1))
        echo "XFAIL: $label: ${problems[*]} (${note#xfail: })"
    else
        fail=$((fail + 1))
        echo "FAIL: $label: ${problems[*]}"
        sed 's/^/    stderr: /' "$work/stderr" | cut -c1-300 | head -3
    fi
done <"$fixtures/MANIFEST.tsv"

summary="$pass passed, $fail failed"
[ $xfail -gt 0 ] && summary="$summary ($xfail known failures marked xfail)"
echo "$summary (of $n cases)"
[ $fail -eq 0 ]
