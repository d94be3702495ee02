# lib.sh -- shared by the CLI tests: temp dir, expectations, the pass/fail tally.
set -u
: "${ENTENTE:?ENTENTE must point at the built binary}"
TMPD=${ENT_TMP:-$(mktemp -d)}
rm -rf "$TMPD" && mkdir -p "$TMPD"
DATA=${ENT_SHARED_DATA:-../shared/data}
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# expect_exit CODE -- CMD...: runs CMD, stdout to $TMPD/out, stderr to $TMPD/err
expect_exit() {
    local want=$1; shift; shift
    "$@" >"$TMPD/out" 2>"$TMPD/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "exit $got (wanted $want): $* -- $(head -c 300 "$TMPD/err")"; fi
}
# expect_in FILE TEXT
expect_in() {
    if grep -qF -- "$2" "$1"; then ok; else bad "'$2' not in $(basename "$1"): $(head -c 300 "$1")"; fi
}
# json_int FILE KEY -> the integer value of "KEY": N
json_int() { grep -o "\"$2\": *[0-9-]*" "$1" | head -1 | sed 's/.*: *//'; }

# same_results A B: true when two JSON outputs are equal but for their "provenance" blocks,
# which record the command line, the thread count and MPI ranks and so legitimately differ.
same_results() {
    /usr/bin/python3 -c '
import json, sys
def strip(path):
    with open(path) as f:
        v = json.load(f)
    if isinstance(v, dict):
        v.pop("provenance", None)
        v.pop("file", None)  # the scenario file'"'"'s path, not a result
    return v
sys.exit(0 if strip(sys.argv[1]) == strip(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null
}

# The research panel's store: every source `entente dyads` reads, imported into $1 (each import a
# check). panel_skip_without EXTRA... exits 77 first when a source (or an extra file) is missing.
PANEL_SOURCES="cow-states:cow/states2016.csv cow-system:cow/system2016.csv cow-nmc:cow/nmc_v7.0_abridged.csv
atop:atop atop-dyad-year:atop/atop5_1_directed_dyad_year.csv
cow-alliance:cow/cow_alliance_v4.1_directed_dyad_year.csv unga-ideal:unga/IdealpointestimatesAll_Jun2024.csv
un-votes:unga/un_votes.csv.gz tss-rivalries:conflict/tss_rivalries.csv false-dyads:codes/false_cow_dyads.csv
cow-majors:cow/majors2016.csv cow-contdir:geo/cow_contdir.csv capital-distance:geo/cow_capdist_ndy_derived.csv.gz
democracy:regime/ccode_democracy.csv cow-mid-dyad:conflict/cow_mid_ddydisps.csv cow-igo-dyad:igo/cow_igo_ndy.csv
cow-trade-dyad:trade/cow_trade_ndy.csv cow-trade-state:trade/cow_trade_sy.csv"
panel_skip_without() {
    local f
    for f in $(for s in $PANEL_SOURCES; do echo "${s#*:}"; done) "$@"; do
        if [ ! -r "$DATA/$f" ]; then
            echo "SKIP: $DATA/$f not found (set ENT_SHARED_DATA)"
            exit 77
        fi
    done
}
import_panel_store() {
    local s
    for s in $PANEL_SOURCES; do
        if "$ENTENTE" import "${s%%:*}" "$DATA/${s#*:}" --db "$1" >"$TMPD/imp" 2>&1; then
            ok
        else
            bad "import ${s%%:*} ${s#*:}: $(cat "$TMPD/imp")"
        fi
    done
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}
