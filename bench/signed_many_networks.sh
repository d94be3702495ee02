#!/usr/bin/env bash
# signed_many_networks.sh -- issue 9, class 9: reading a signed edge list of very many small
# networks is linear. Writes files of N = 10,000 .. 80,000 three-edge networks (3N rows) and times
# `entente balance FILE --network <last>` (the whole file is read, one network measured), best of 3.
# Usage: bench/signed_many_networks.sh [path/to/entente]   (default build/entente)
set -eu
entente=${1:-build/entente}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| networks | rows | best of 3 (s) | s per 10,000 networks |"
echo "|---|---|---|---|"
for n in 10000 20000 40000 80000; do
    /usr/bin/python3 - "$tmp/n.csv" "$n" <<'PY'
import sys
n = int(sys.argv[2])
with open(sys.argv[1], "w") as f:
    f.write("network,from,to,sign\n")
    for i in range(n):
        f.write(f"n{i},a,b,1\nn{i},b,c,-1\nn{i},a,c,-1\n")
PY
    best=
    for _ in 1 2 3; do
        t0=$(date +%s.%N)
        "$entente" balance "$tmp/n.csv" --network "n$((n - 1))" --json >/dev/null
        t=$(awk "BEGIN { printf \"%.3f\", $(date +%s.%N) - $t0 }")
        best=$(awk "BEGIN { b = \"$best\"; print (b == \"\" || $t < b) ? $t : b }")
    done
    echo "| $n | $((3 * n)) | $best | $(awk "BEGIN { printf \"%.3f\", $best * 10000 / $n }") |"
done
