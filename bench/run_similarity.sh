#!/usr/bin/env bash
# bench/run_similarity.sh BUILD_DIR [--results FILE]
#
# All-dyad foreign-policy similarity from ATOP, every dyad-year 1816-2018 (2017-2018 membership
# from the COW state spells, as `entente similarity` does): `entente similarity --source
# atop --from 1816 --to 2018 --csv > /dev/null` against the numpy peer
# bench/similarity_all.py (/usr/bin/python3), which reads the same store and computes the
# same five measures vectorised (one matrix product per year gives every dyad's table).
#
# Both sides run 3 times; the best wall-clock time of the whole process counts (start-up,
# reading the store, computing; entente also formats the CSV, the peer keeps its numbers in
# memory). Then entente's CSV is compared with the peer's numbers, value by value: the run
# fails unless every dyad-year matches and the max abs difference is below 1e-9. Prints the
# times and the ratio; with --results FILE also appends them as Markdown.
# The store is built first (imports not timed). Skips (exit 0) when the data is absent.
set -euo pipefail

usage() { echo "usage: bench/run_similarity.sh BUILD_DIR [--results FILE]" >&2; exit 1; }
[ $# -ge 1 ] || usage
build=$(cd "$1" && pwd) || usage
results=
if [ $# -ge 2 ]; then
    [ "$2" = "--results" ] && [ $# -eq 3 ] || usage
    results=$3
fi
src=$(cd "$(dirname "$0")/.." && pwd)
data=${ENT_SHARED_DATA:-$src/../shared/data}
python=/usr/bin/python3
peer=$src/bench/similarity_all.py
entente=$build/entente
from=${FROM:-1816}
to=${TO:-2018}
runs=3

for f in cow/states2016.csv cow/system2016.csv cow/nmc_v7.0_abridged.csv atop/atop5_1_directed_dyad_year.csv; do
    if [ ! -r "$data/$f" ]; then
        echo "bench: SKIPPED: $data/$f absent; set ENT_SHARED_DATA to the folder of the real datasets"
        exit 0
    fi
done
if ! "$python" -c 'import numpy' 2>/dev/null; then
    echo "bench: SKIPPED: $python has no numpy (the peer needs it)"
    exit 0
fi
[ -x "$entente" ] || { echo "bench: no $entente: build first" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ent-bench-sim.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=$work/sim.db
echo "bench: building the store (not timed)"
"$entente" import cow-states "$data/cow/states2016.csv" --db "$db" >/dev/null
"$entente" import cow-system "$data/cow/system2016.csv" --db "$db" >/dev/null
"$entente" import cow-nmc "$data/cow/nmc_v7.0_abridged.csv" --db "$db" >/dev/null
"$entente" import atop-dyad-year "$data/atop/atop5_1_directed_dyad_year.csv" --db "$db" >/dev/null

# The years ATOP covers (membership past the COW system file's 2016 comes from the state spells,
# in entente and in the peer alike).
last=$("$python" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute("select max(year) from alliance_dyad_years where dataset=\"atop\"").fetchone()[0])' "$db")
note=
if [ "$to" -gt "$last" ]; then
    note="requested $from-$to; the store covers ATOP x COW system years only to $last, so $from-$last"
    echo "bench: $note"
    "$entente" similarity --source atop --from "$from" --to "$to" --csv --db "$db" >/dev/null 2>"$work/err" || true
    echo "bench: entente on $from-$to says: $(cat "$work/err")"
    to=$last
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
best() { printf '%s\n' "$@" | sort -g | head -1; }

ent_times=() ent1_times=() peer_times=()
for r in $(seq $runs); do
    t0=$(now)
    "$entente" similarity --source atop --from "$from" --to "$to" --csv --db "$db" >/dev/null
    t1=$(now)
    ent_times+=("$(elapsed "$t0" "$t1")")
    t0=$(now)
    OMP_NUM_THREADS=1 "$entente" similarity --source atop --from "$from" --to "$to" --csv --db "$db" >/dev/null
    t1=$(now)
    ent1_times+=("$(elapsed "$t0" "$t1")")
    t0=$(now)
    "$python" "$peer" "$db" "$from" "$to" 2>"$work/peer.err" >/dev/null
    t1=$(now)
    peer_times+=("$(elapsed "$t0" "$t1")")
done
ent_best=$(best "${ent_times[@]}")
ent1_best=$(best "${ent1_times[@]}")
peer_best=$(best "${peer_times[@]}")
peer_phases=$(tr '\n' ' ' <"$work/peer.err")

"$entente" similarity --source atop --from "$from" --to "$to" --csv --db "$db" >"$work/entente.csv"
rows=$(($(wc -l <"$work/entente.csv") - 1))
set +e
"$python" "$peer" "$db" "$from" "$to" --compare "$work/entente.csv" >"$work/compare" 2>/dev/null
cmp_rc=$?
set -e
cat "$work/compare"
maxdiff=$(sed -n 's/^compare: max abs diff //p' "$work/compare")
ratio=$(awk -v a="$peer_best" -v b="$ent_best" 'BEGIN { printf "%.1f", a / b }')
threads=$(nproc)

echo "entente similarity (${threads} threads): ${ent_times[*]} s, best $ent_best s"
echo "entente similarity (1 thread):  ${ent1_times[*]} s, best $ent1_best s"
echo "numpy peer:                     ${peer_times[*]} s, best $peer_best s ($peer_phases)"
echo "$rows dyad-years $from-$to; max abs diff $maxdiff; entente is ${ratio}x faster than the numpy peer"
if [ $cmp_rc -ne 0 ]; then
    echo "bench: FAILED: entente and the numpy peer disagree" >&2
    exit 2
fi

if [ -n "$results" ]; then
    {
        echo
        echo "## all-dyad similarity (ATOP, S/Sw/kappa/pi/tau-b): entente vs numpy"
        echo
        echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "- machine: $threads CPUs (nproc), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
        echo "- command: \`bench/run_similarity.sh $(basename "$build")\`; entente side: \`entente similarity --source atop --from $from --to $to --csv > /dev/null\`"
        [ -n "$note" ] && echo "- range: $note"
        echo "- $rows dyad-years; load average when it finished: $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "- numpy $("$python" -c 'import numpy; print(numpy.__version__)'), Python $("$python" -c 'import platform; print(platform.python_version())')"
        echo
        echo "| side | runs (s) | best (s) |"
        echo "|---|---|---|"
        echo "| entente, $threads threads | ${ent_times[*]} | $ent_best |"
        echo "| entente, 1 thread | ${ent1_times[*]} | $ent1_best |"
        echo "| numpy peer | ${peer_times[*]} | $peer_best |"
        echo
        echo "entente is **${ratio}x** faster than the numpy peer (best of $runs each); max abs difference"
        echo "between the two over every value: $maxdiff."
        echo
        echo "Method: wall clock of each whole process, best of $runs. entente reads the store, builds each"
        echo "year's ordinal portfolio matrix once, fills every dyad's 4x4 table from the two rows' non-zero"
        echo "entries and derives the five measures, years spread over OpenMP threads, and formats the CSV"
        echo "(to /dev/null). The peer (\`bench/similarity_all.py\`) reads the same store with sqlite3 and"
        echo "computes every dyad's table of a year at once with one matrix product over the one-hot level"
        echo "indicators (Debian's numpy links the reference BLAS), keeping the numbers in memory (no CSV);"
        echo "its last run's phases: $peer_phases."
    } >>"$results"
fi
