#!/usr/bin/env bash
# bench/landscape_exhaustive.sh BUILD_DIR [--results FILE] [--quick] [--no-32]
#
# Landscape theory (Axelrod & Bennett 1993) on random landscapes: sizes uniform
# on [0.1, 1.1), propensities uniform on [-1, 1) for every pair (dense, real).
#
# 1. Exhaustive landscape, n = 20, 24, 28, 32: `entente landscape` (Gray-code
#    enumeration of the signed-partition kernel, every local minimum, exact
#    basins while the 4-byte table fits in 2 GiB, i.e. n <= 30; OpenMP over
#    Gray-code chunks) against a straightforward numpy enumeration
#    (bench/landscape_numpy.py: energies in blocks by matrix products, minima
#    by table look-ups, basins by pointer doubling) at n = 20 and 24. Wall
#    clock of each whole process; both must agree on the global minimum and
#    the number of minima.
# 2. Quality of the sampled path (`--heuristic`: local search + annealing with
#    a cycle-packing bound, minima from 2000 random descents) against the
#    enumeration on the same instances: the global minimum's relative error,
#    whether the bound proved it, how many of the minima the descents found
#    and what share of all configurations drains into those minima; and, at
#    n = 40 and 60, `--heuristic` against `--exact` (branch and cut, 120 s).
# --quick: n <= 28 and no n = 40/60; --no-32: skip n = 32 (~2 min on 2 cores).
# With --results FILE, appends the tables to FILE (Markdown).
set -euo pipefail

usage() { echo "usage: bench/landscape_exhaustive.sh BUILD_DIR [--results FILE] [--quick] [--no-32]" >&2; exit 1; }
[ $# -ge 1 ] || usage
build=$(cd "$1" && pwd) || usage
shift
results=
quick=false
no32=false
while [ $# -gt 0 ]; do
    case $1 in
    --results) [ $# -ge 2 ] || usage; results=$2; shift 2 ;;
    --quick) quick=true; shift ;;
    --no-32) no32=true; shift ;;
    *) usage ;;
    esac
done
src=$(cd "$(dirname "$0")/.." && pwd)
python=/usr/bin/python3
peer=$src/bench/landscape_numpy.py
entente=$build/entente
if [ ! -x "$python" ] || ! "$python" -c 'import numpy' 2>/dev/null; then
    echo "bench: SKIPPED: $python with numpy is needed for the peer"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
# jget FILE EXPR: a value of entente's JSON output (EXPR in Python over `o`)
jget() { "$python" -c 'import json,sys; o=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

sizes="20 24 28 32"
$quick && sizes="20 24 28"
$no32 && sizes="20 24 28"

# ---------------------------------------------------------------- 1. exhaustive
echo "== exhaustive landscape, random dense landscapes"
{
    echo "| n | configurations | E min | local minima | basins | entente s | numpy s | ratio |"
    echo "|---|---|---|---|---|---|---|---|"
} >"$tmp/table1.md"
for n in $sizes; do
    "$python" "$peer" gen "$n" "$n" "$tmp"
    t0=$(now)
    "$entente" landscape --actors "$tmp/actors$n.csv" --propensities "$tmp/props$n.csv" --exhaustive --minima 100000 \
        --json >"$tmp/ex$n.json"
    t1=$(now)
    ot=$(echo "$t1 - $t0" | bc -l)
    E=$(jget "$tmp/ex$n.json" 'o["global_minimum"]["energy"]')
    nmin=$(jget "$tmp/ex$n.json" 'o["local_minima"]')
    conf=$(jget "$tmp/ex$n.json" 'o["configurations"]')
    basins=$(jget "$tmp/ex$n.json" 'o["basins"]')
    pt=-; ratio=-
    if [ "$n" -le 24 ]; then
        read -r _ _ pE pmin _ pt < <("$python" "$peer" enum "$tmp/actors$n.csv" "$tmp/props$n.csv")
        "$python" -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); sys.exit(abs(a-b) > 1e-9*(1+abs(a)))' "$E" "$pE" \
            || echo "MISMATCH n=$n: E entente $E, numpy $pE" >&2
        [ "$pmin" = "$nmin" ] || echo "MISMATCH n=$n: minima entente $nmin, numpy $pmin" >&2
        ratio=$(printf '%.0fx' "$(echo "$pt / $ot" | bc -l)")
        pt=$(printf '%.2f' "$pt")
    fi
    printf '| %s | %s | %.6g | %s | %s | %.2f | %s | %s |\n' "$n" "$conf" "$E" "$nmin" "$basins" "$ot" "$pt" "$ratio" \
        | tee -a "$tmp/table1.md"
done

# ---------------------------------------------------------------- 2. heuristic quality
echo
echo "== sampled path (--heuristic, 2000 descents) vs the enumeration"
{
    echo "| n | E (enumeration) | E (heuristic) | rel. error | proven by the bound | minima found / all | configurations draining into them | heuristic s |"
    echo "|---|---|---|---|---|---|---|---|"
} >"$tmp/table2.md"
for n in $sizes; do
    t0=$(now)
    "$entente" landscape --actors "$tmp/actors$n.csv" --propensities "$tmp/props$n.csv" --heuristic --minima 100000 \
        --json >"$tmp/h$n.json"
    t1=$(now)
    ht=$(echo "$t1 - $t0" | bc -l)
    "$python" - "$tmp/ex$n.json" "$tmp/h$n.json" "$n" "$ht" >>"$tmp/table2.md" <<'EOF'
import json, sys
ex, h = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
n, ht = sys.argv[3], float(sys.argv[4])
key = lambda m: tuple(sorted(m["partition"].items()))
exact = {key(m): m for m in ex["minima"]}
found = [key(m) for m in h["minima"] if key(m) in exact]
alien = [m for m in h["minima"] if key(m) not in exact]
assert not alien, f"n={n}: {len(alien)} sampled minima are not minima of the enumeration"
E, He = ex["global_minimum"]["energy"], h["global_minimum"]["energy"]
share = sum(exact[k]["basin_share"] for k in found) if ex["basins"] == "exact" else None
print(f"| {n} | {E:.6g} | {He:.6g} | {(He - E) / abs(E):.1e} | {'yes' if h['optimal'] else 'no'} "
      f"| {len(found)} / {ex['local_minima']} | {'-' if share is None else f'{100 * share:.1f}%'} | {ht:.2f} |")
EOF
    tail -1 "$tmp/table2.md"
done

if ! $quick; then
    echo
    echo "== --heuristic vs --exact (branch and cut, 120 s) beyond enumeration"
    {
        echo "| n | E heuristic | proven | heuristic s | E exact | proven | gap | exact s |"
        echo "|---|---|---|---|---|---|---|---|"
    } >"$tmp/table3.md"
    for n in 40 60; do
        "$python" "$peer" gen "$n" "$n" "$tmp"
        t0=$(now)
        "$entente" landscape --actors "$tmp/actors$n.csv" --propensities "$tmp/props$n.csv" --heuristic --minima 0 \
            --json >"$tmp/h$n.json"
        t1=$(now)
        ht=$(echo "$t1 - $t0" | bc -l)
        t0=$(now)
        "$entente" landscape --actors "$tmp/actors$n.csv" --propensities "$tmp/props$n.csv" --exact --time-limit 120 \
            --minima 0 --json >"$tmp/x$n.json"
        t1=$(now)
        xt=$(echo "$t1 - $t0" | bc -l)
        printf '| %s | %.6g | %s | %.2f | %.6g | %s | %s | %.2f |\n' "$n" \
            "$(jget "$tmp/h$n.json" 'o["global_minimum"]["energy"]')" "$(jget "$tmp/h$n.json" '"yes" if o["optimal"] else "no"')" "$ht" \
            "$(jget "$tmp/x$n.json" 'o["global_minimum"]["energy"]')" "$(jget "$tmp/x$n.json" '"yes" if o["optimal"] else "no"')" \
            "$(jget "$tmp/x$n.json" '"-" if o["gap"] is None else "%.2g%%" % (100 * o["gap"])')" "$xt" | tee -a "$tmp/table3.md"
    done
fi

load=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "$results" ]; then
    {
        echo
        echo "## Landscape theory: exhaustive landscapes and the sampled path ($(date -u +%Y-%m-%d), $(nproc) cores, bench/landscape_exhaustive.sh)"
        echo
        echo "Random dense landscapes (sizes U[0.1, 1.1), propensities U[-1, 1) for every pair; instance n seeded with n)."
        echo "\`entente landscape\`: the kernel's Gray-code enumeration, every local minimum, exact basins while the"
        echo "4-byte table fits in 2 GiB (n <= 30); numpy peer (bench/landscape_numpy.py): energies by block matrix"
        echo "products, minima by table look-ups, basins by pointer doubling, n <= 24. Wall clock, whole process;"
        echo "both agree on the global minimum and the number of minima."
        echo
        cat "$tmp/table1.md"
        echo
        echo "The sampled path (\`--heuristic\`: local search and annealing with a cycle-packing bound, minima from"
        echo "2000 random steepest descents) on the same instances: every minimum it reports is a true minimum."
        echo
        cat "$tmp/table2.md"
        if [ -f "$tmp/table3.md" ]; then
            echo
            echo "Beyond enumeration: \`--heuristic\` against \`--exact\` (heuristic, then GLPK branch and cut, 120 s limit)."
            echo
            cat "$tmp/table3.md"
        fi
        echo
        echo "Load average when it finished: $load (other work on the machine makes runs vary)."
    } >>"$results"
    echo "appended to $results"
fi
