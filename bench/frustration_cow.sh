#!/usr/bin/env bash
# bench/frustration_cow.sh BUILD_DIR [--results FILE] [--quick]
#
# 1. The exact frustration index of all 51 Doreian-Mrvar CoW signed networks
#    (1946-49 ... 1996-99) with `entente balance --exact` (one process, all
#    networks; wall clock of the process) against the textbook ILP (the XOR
#    model) solved by scipy.optimize.milp / HiGHS on the whole graph
#    (bench/frustration_baseline.py, per-network time limit 60 s). Both must
#    prove every value and agree on it; prints per-network value and times,
#    the totals and the ratio.
# 2. Exhaustive enumeration of random complete +-1 graphs, n = 20, 24, 28, 32
#    (`entente balance --exhaustive`: optimum, all local minima, basins up to
#    n = 30) against a straightforward numpy enumeration of the optimum alone
#    (blocks of 65,536 configurations, one matrix product each), n <= 24.
#    --quick stops at n = 28.
# With --results FILE, appends the tables to FILE (Markdown).
# Skips (exit 0, with a message) when the dataset or /usr/bin/python3 is absent.
set -euo pipefail

usage() { echo "usage: bench/frustration_cow.sh BUILD_DIR [--results FILE] [--quick]" >&2; exit 1; }
[ $# -ge 1 ] || usage
build=$(cd "$1" && pwd) || usage
shift
results=
quick=false
while [ $# -gt 0 ]; do
    case $1 in
    --results) [ $# -ge 2 ] || usage; results=$2; shift 2 ;;
    --quick) quick=true; shift ;;
    *) usage ;;
    esac
done
src=$(cd "$(dirname "$0")/.." && pwd)
data=${ENT_SHARED_DATA:-$src/../shared/data}
file=$data/signed/cow_signed_networks_doreian_mrvar_edgelists.csv
python=/usr/bin/python3
peer=$src/bench/frustration_baseline.py
entente=$build/entente
if [ ! -r "$file" ]; then
    echo "bench: SKIPPED: dataset absent ($file); set ENT_SHARED_DATA"
    exit 0
fi
if [ ! -x "$python" ] || ! "$python" -c 'import scipy.optimize, numpy' 2>/dev/null; then
    echo "bench: SKIPPED: $python with numpy and scipy is needed for the peers"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }

# ---------------------------------------------------------------- 1. CoW networks
echo "== exact frustration index, 51 CoW signed networks"
t0=$(now)
"$entente" balance "$file" --exact --json >"$tmp/ours.json"
t1=$(now)
ours_total=$(echo "$t1 - $t0" | bc -l)
t0=$(now)
"$python" "$peer" ilp "$file" --time-limit 60 >"$tmp/peer.txt"
t1=$(now)
peer_total=$(echo "$t1 - $t0" | bc -l)

"$python" - "$tmp/ours.json" "$tmp/peer.txt" "$ours_total" "$peer_total" >"$tmp/table1.md" <<'EOF'
import json, sys
ours = json.load(open(sys.argv[1]))["networks"]
peer = {}
for line in open(sys.argv[2]):
    name, n, m, v, b, ok, t = line.split()
    peer[name] = (float(v), int(ok), float(t))
ours_total, peer_total = float(sys.argv[3]), float(sys.argv[4])
rows, proven, agree, peer_proven = [], 0, 0, 0
sum_ours = sum_peer = 0.0
for o in ours:
    pv, pok, pt = peer.get(o["network"], (float("nan"), 0, float("nan")))
    proven += bool(o["optimal"])
    peer_proven += pok
    agree += (o["frustration"] == pv)
    sum_ours += o["seconds"]
    sum_peer += pt
    rows.append(f"| {o['network']} | {o['n']} | {o['m']} | {o['frustration']} | {'yes' if o['optimal'] else 'NO'} "
                f"| {o['largest_piece']} | {1000*o['seconds']:.1f} | {pv:.0f}{'' if pok else ' (not proven)'} | {1000*pt:.1f} |")
print("| window | n | m | L (entente) | proven | largest block | entente ms | L (HiGHS) | HiGHS ms |")
print("|---|---|---|---|---|---|---|---|---|")
print("\n".join(rows))
print()
print(f"entente: {proven}/51 proven optimal, solver time {sum_ours:.2f} s, whole process {ours_total:.2f} s.  ")
print(f"HiGHS (scipy.optimize.milp, XOR model): {peer_proven}/51 proven, solver time {sum_peer:.2f} s, "
      f"whole process {peer_total:.2f} s.  ")
print(f"values agree on {agree}/51 networks; solver-time ratio HiGHS/entente {sum_peer/max(sum_ours,1e-9):.1f}x, "
      f"process ratio {peer_total/max(ours_total,1e-9):.1f}x.")
EOF
cat "$tmp/table1.md"

# ---------------------------------------------------------------- 2. exhaustive enumeration
echo
echo "== exhaustive enumeration, random complete +-1 graphs"
sizes="20 24 28 32"
$quick && sizes="20 24 28"
{
    echo "| n | configurations | L | local minima | basins | entente s | numpy s | ratio |"
    echo "|---|---|---|---|---|---|---|---|"
} >"$tmp/table2.md"
for n in $sizes; do
    "$python" "$peer" gen "$n" "$n" "$tmp/rand$n.csv"
    t0=$(now)
    "$entente" balance "$tmp/rand$n.csv" --exhaustive --minima 0 --json >"$tmp/ex$n.json"
    t1=$(now)
    ot=$(echo "$t1 - $t0" | bc -l)
    read -r L nmin conf basins < <("$python" -c '
import json,sys
o=json.load(open(sys.argv[1]))["networks"][0]
e=o["exhaustive"]
print(o["frustration"], e["local_minima"], e["configurations"], "yes" if e["basins"] else "no")' "$tmp/ex$n.json")
    pt=-; pl=-; ratio=-
    if [ "$n" -le 24 ]; then
        read -r _ pl pt < <("$python" "$peer" enum "$n" "$n")
        [ "$pl" = "$L" ] || echo "MISMATCH n=$n: entente $L, numpy $pl" >&2
        ratio=$(printf '%.0fx' "$(echo "$pt / $ot" | bc -l)")
        pt=$(printf '%.2f' "$pt")
    fi
    printf '| %s | %s | %s | %s | %s | %.2f | %s | %s |\n' "$n" "$conf" "$L" "$nmin" "$basins" "$ot" "$pt" "$ratio" >>"$tmp/table2.md"
done
cat "$tmp/table2.md"

if [ -n "$results" ]; then
    {
        echo
        echo "## Frustration index: 51 CoW signed networks ($(date -u +%Y-%m-%d), $(nproc) cores, bench/frustration_cow.sh)"
        echo
        echo "\`entente balance --exact\` (decomposition into biconnected blocks, GLPK branch and cut with"
        echo "odd-cycle cuts) against the textbook XOR-model ILP in scipy.optimize.milp (HiGHS) on the whole graph."
        echo
        cat "$tmp/table1.md"
        echo
        echo "## Exhaustive enumeration of random complete signed graphs"
        echo
        echo "\`entente balance --exhaustive\`: Gray code, all local minima (and basins while the 4-byte table fits in"
        echo "2 GiB, n <= 30), OpenMP over Gray-code chunks; numpy peer: optimum only, n <= 24. Wall clock, whole process."
        echo
        cat "$tmp/table2.md"
    } >>"$results"
    echo "appended to $results"
fi
