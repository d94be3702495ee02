#!/usr/bin/env bash
# MPI: `mpirun -np N entente simulate ... --mpi` splits the runs over the ranks and must print
# exactly what one process running every run prints (integer aggregates merged in rank order).
. "$(dirname "$0")/lib.sh"
if ! command -v mpirun >/dev/null 2>&1; then
    echo "SKIP: mpirun not installed (scripts/bootstrap installs openmpi-bin)"
    exit 77
fi
if ! "$ENTENTE" simulate --help | grep -q -- "--mpi"; then
    echo "SKIP: this entente was built without MPI"
    exit 77
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0   # Open MPI's own allocations
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)
scen="$ENT_SRC/scenarios/baseline.yaml"
for np in 2 3; do
    "${MPIRUN[@]}" -np $np "$ENTENTE" simulate "$scen" --runs 61 --threads 1 --json --mpi >"$TMPD/mpi$np.json" 2>"$TMPD/mpi$np.err"
    rc=$?
    [ $rc -eq 0 ] && ok || bad "mpirun -np $np exited $rc: $(head -c 300 "$TMPD/mpi$np.err")"
    "$ENTENTE" simulate "$scen" --runs 61 --threads 2 --json >"$TMPD/single.json"
    if same_results "$TMPD/mpi$np.json" "$TMPD/single.json"; then ok; else bad "-np $np output differs from one process"; fi
done
"${MPIRUN[@]}" -np 2 "$ENTENTE" forecast --runs 20 --json --mpi >"$TMPD/fm.json" 2>/dev/null
"$ENTENTE" forecast --runs 20 --json >"$TMPD/fs.json"
if same_results "$TMPD/fm.json" "$TMPD/fs.json"; then ok; else bad "forecast over 2 ranks differs from one process"; fi
# fewer runs than ranks is a usage error, reported once
"${MPIRUN[@]}" -np 3 "$ENTENTE" simulate "$scen" --runs 2 --mpi >"$TMPD/few.out" 2>"$TMPD/few.err"
[ $? -ne 0 ] && ok || bad "--runs 2 over 3 ranks was accepted"
expect_in "$TMPD/few.err" "fewer than the 3 MPI ranks"
finish
