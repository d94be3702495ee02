#!/usr/bin/env bash
# bench/run_panel.sh BUILD_DIR [--results FILE]
#
# The full dyad-year research panel as CSV: `entente dyads --from 1816 --to 2018 --out FILE.csv`
# (undirected, ~1M rows, and --directed, ~2M rows, 57 columns) against the numpy/pandas peer
# bench/panel_pandas.py (/usr/bin/python3), which builds the same columns from the same store the
# way a researcher writes it in pandas and writes its CSV with DataFrame.to_csv. Wall clock of each
# whole process (start-up, reading the store, building, writing the CSV), best of $RUNS (default 2).
# Then the two CSVs of the last run are compared value by value (every row, every column; in the
# directed panel not the atop_* types, which the peer keeps either-direction): the run fails on any
# difference beyond 1e-9 relative. The store is built first (imports not timed). Skips (exit 0)
# when the data is absent. The machine may be shared: the load average is recorded with the times.
set -euo pipefail

usage() { echo "usage: bench/run_panel.sh BUILD_DIR [--results FILE]" >&2; exit 1; }
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
peer=$src/bench/panel_pandas.py
entente=$build/entente
from=${FROM:-1816}
to=${TO:-2018}
runs=${RUNS:-2}
if ! "$python" -c 'import numpy, pandas' 2>/dev/null; then
    echo "bench: SKIPPED: $python has no numpy/pandas (the peer needs them)"
    exit 0
fi
[ -x "$entente" ] || { echo "bench: no $entente: build first" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ent-bench-panel.XXXXXX")
trap 'rm -rf "$work"' EXIT
db=${PANEL_DB:-$work/panel.db}
if [ ! -e "$db" ]; then
    [ -r "$data/atop/atop5_1_directed_dyad_year.csv" ] || { echo "bench: SKIPPED: $data has no ATOP"; exit 0; }
    echo "bench: building the store with scripts/import-data (not timed)"
    ENTENTE_DATA=$data ENTENTE_DB=$db "$src/scripts/import-data" "$entente" >/dev/null 2>&1
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
best() { printf '%s\n' "$@" | sort -g | head -1; }

declare -A E P L
for mode in undirected directed; do
    flag=; [ $mode = directed ] && flag=--directed
    et=() pt=()
    for r in $(seq "$runs"); do
        t0=$(now)
        "$entente" dyads --from "$from" --to "$to" $flag --out "$work/e.csv" --db "$db" 2>"$work/e.err"
        t1=$(now)
        et+=("$(elapsed "$t0" "$t1")")
        t0=$(now)
        "$python" "$peer" "$db" "$from" "$to" "$work/p.csv" $flag 2>"$work/p.err"
        t1=$(now)
        pt+=("$(elapsed "$t0" "$t1")")
    done
    rows=$(($(wc -l <"$work/e.csv") - 1))
    set +e
    "$python" "$peer" "$db" "$from" "$to" "$work/p.csv" $flag --compare "$work/e.csv" --reuse >"$work/cmp" 2>/dev/null
    rc=$?
    set -e
    E[$mode]="${et[*]}|$(best "${et[@]}")|$rows"
    P[$mode]="${pt[*]}|$(best "${pt[@]}")|$(tr '\n' ' ' <"$work/p.err")"
    L[$mode]="$(cut -d' ' -f1-3 /proc/loadavg)|$(tail -1 "$work/cmp")"
    echo "$mode: $rows rows; entente ${et[*]} s, peer ${pt[*]} s; load $(cut -d' ' -f1-3 /proc/loadavg); $(tail -1 "$work/cmp")"
    if [ $rc -ne 0 ]; then
        cat "$work/cmp" >&2
        echo "bench: FAILED: entente and the pandas peer disagree ($mode)" >&2
        exit 2
    fi
done

if [ -n "$results" ]; then
    {
        echo
        echo "## the dyad-year panel as CSV (entente dyads, $from-$to): entente vs numpy/pandas"
        echo
        echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "- machine: $(nproc) CPUs (nproc), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
        echo "- command: \`bench/run_panel.sh $(basename "$build")\`; entente side: \`entente dyads --from $from --to $to [--directed] --out FILE.csv\`"
        echo "- pandas $("$python" -c 'import pandas; print(pandas.__version__)'), numpy $("$python" -c 'import numpy; print(numpy.__version__)'), Python $("$python" -c 'import platform; print(platform.python_version())')"
        echo
        echo "| panel | rows | entente runs (s) | entente best (s) | peer runs (s) | peer best (s) | ratio | load avg after | agreement |"
        echo "|---|---|---|---|---|---|---|---|---|"
        for mode in undirected directed; do
            IFS='|' read -r er eb rows <<<"${E[$mode]}"
            IFS='|' read -r pr pb pph <<<"${P[$mode]}"
            IFS='|' read -r la cmp <<<"${L[$mode]}"
            ratio=$(awk -v a="$pb" -v b="$eb" 'BEGIN { printf "%.1f", a / b }')
            echo "| $mode | $rows | $er | $eb | $pr | $pb | ${ratio}x | $la | ${cmp#compare: } |"
        done
        echo
        echo "Peer phases (last run, s): undirected: ${P[undirected]##*|}; directed: ${P[directed]##*|}."
    } >>"$results"
fi
