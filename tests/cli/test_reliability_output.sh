#!/usr/bin/env bash
# test_reliability_output.sh -- issue 9, classes 1 and 2: output is never silently lost.
#
# Fault injection: every command, run with stdout on /dev/full, with stdout closed and into a
# closed pipe, must exit 3 with "entente: writing standard output: <reason>"; a file written by
# --out under `ulimit -f` must not appear (no half file, no temporary left behind) and the run
# exits 3 naming the file; an --out that is a file or an unwritable directory is refused before
# any work. Scenario names become file names only when safe, and two scenarios that would write
# the same files are refused.
. "$(dirname "$0")/lib.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)
fx=$src/tests/fixtures/bad
scen=$src/scenarios
db=$TMPD/o.db
for f in states.csv system.csv nmc.csv atop_dyad_year.csv; do
    [ -r "$fx/baseline/$f" ] || { echo "SKIP: $fx/baseline/$f missing"; exit 77; }
done
"$ENTENTE" import cow-states "$fx/baseline/states.csv" --db "$db" >/dev/null &&
    "$ENTENTE" import cow-system "$fx/baseline/system.csv" --db "$db" >/dev/null &&
    "$ENTENTE" import cow-nmc "$fx/baseline/nmc.csv" --db "$db" >/dev/null &&
    "$ENTENTE" import atop-dyad-year "$fx/baseline/atop_dyad_year.csv" --db "$db" >/dev/null ||
    { echo "FAIL: cannot build the store"; exit 1; }

printf 'from,to,sign\nA,B,1\nB,C,-1\nA,C,-1\nC,D,1\nA,D,-1\n' >"$TMPD/net.csv"
printf 'actor,size\nA,1\nB,1\nC,1\nD,1\n' >"$TMPD/act.csv"
printf 'a,b,p\nA,B,3\nC,D,3\nA,C,-1\nA,D,-1\nB,C,-1\nB,D,2\n' >"$TMPD/pairs.csv"

# One invocation per command that succeeds and prints something (checked first on a real stdout).
cases=(
    "--help"
    "--version"
    "states --db $db"
    "ties --state USA --json --db $db"
    "summary --db $db"
    "world --json"
    "simulate $scen/baseline.yaml --runs 4 --threads 1"
    "forecast --runs 2 --threads 1"
    "similarity --source atop --year 1950 --db $db"
    "dyads --year 1950 --out - --db $db"
    "balance $TMPD/net.csv"
    "balance-dynamics --complete 8 --p 0.5 --steps 10 --runs 2 --seed 1"
    "landscape --actors $TMPD/act.csv --propensities $TMPD/pairs.csv"
    "blocs --seed 3 --restarts 1 --time-limit 5"
    "polarization --world --json"
    "import cow-states $fx/baseline/states.csv --db $TMPD/imp.db"
)
for c in "${cases[@]}"; do
    read -r -a args <<<"$c"
    rm -f "$TMPD/imp.db"*
    "$ENTENTE" "${args[@]}" >"$TMPD/out" 2>"$TMPD/err"
    got=$?
    if [ $got -ne 0 ] || [ ! -s "$TMPD/out" ]; then
        bad "precondition: '$c' exit $got, $(wc -c <"$TMPD/out") bytes: $(head -c 200 "$TMPD/err")"
        continue
    fi
    ok
    # a full disk
    rm -f "$TMPD/imp.db"*
    "$ENTENTE" "${args[@]}" >/dev/full 2>"$TMPD/err"
    got=$?
    [ $got -eq 3 ] && ok || bad "'$c' >/dev/full: exit $got, wanted 3"
    expect_in "$TMPD/err" "entente: writing standard output: No space left on device"
    # a closed stdout
    rm -f "$TMPD/imp.db"*
    "$ENTENTE" "${args[@]}" >&- 2>"$TMPD/err"
    got=$?
    [ $got -eq 3 ] && ok || bad "'$c' >&-: exit $got, wanted 3"
    expect_in "$TMPD/err" "entente: writing standard output: Bad file descriptor"
    # a pipe whose reader has gone: EPIPE, not a silent death by SIGPIPE
    rm -f "$TMPD/imp.db"*
    mkfifo "$TMPD/fifo"
    (exec 0<"$TMPD/fifo"; exit 0) &
    reader=$!
    "$ENTENTE" "${args[@]}" >"$TMPD/fifo" 2>"$TMPD/err"
    got=$?
    wait $reader
    rm -f "$TMPD/fifo"
    [ $got -eq 3 ] && ok || bad "'$c' into a closed pipe: exit $got, wanted 3"
    expect_in "$TMPD/err" "entente: writing standard output: Broken pipe"
done

# --out files: complete or absent. A store of 60 states over 50 years makes a dyads table of
# ~5 MB; `ulimit -f 64` (KiB) leaves room for the store's shared-memory file, not for the table.
big=$TMPD/big.db
{
    echo 'stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version'
    for i in $(seq 1 60); do echo "S$i,$((i + 100)),State $i,1900,1,1,2016,12,31,2016"; done
} >"$TMPD/bigstates.csv"
{
    echo 'stateabb,ccode,year,version'
    for i in $(seq 1 60); do for y in $(seq 1900 1949); do echo "S$i,$((i + 100)),$y,2016"; done; done
} >"$TMPD/bigsystem.csv"
printf 'ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n101,102,1900,1,0,0,0,1\n102,101,1900,1,0,0,0,1\n101,102,1949,1,0,0,0,1\n102,101,1949,1,0,0,0,1\n' \
    >"$TMPD/bigatop.csv"
"$ENTENTE" import cow-states "$TMPD/bigstates.csv" --db "$big" >/dev/null &&
    "$ENTENTE" import cow-system "$TMPD/bigsystem.csv" --db "$big" >/dev/null &&
    "$ENTENTE" import atop-dyad-year "$TMPD/bigatop.csv" --db "$big" >/dev/null || bad "cannot build the big store"
out=$TMPD/outdir
mkdir -p "$out"
(ulimit -f 64; exec "$ENTENTE" dyads --from 1900 --to 1949 --out "$out/d0.csv" --db "$big") 2>"$TMPD/err" >/dev/null
got=$?
[ $got -eq 3 ] && ok || bad "dyads under ulimit -f 64: exit $got, wanted 3"
expect_in "$TMPD/err" "entente: writing $out/d0.csv: File too large"
[ ! -e "$out/d0.csv" ] && ok || bad "a partial d0.csv was left behind"
[ -z "$(ls -A "$out")" ] && ok || bad "temporaries left in $out: $(ls -A "$out")"
expect_exit 0 -- "$ENTENTE" dyads --from 1900 --to 1949 --out "$out/d1.csv" --db "$big"
[ "$(wc -l <"$out/d1.csv")" = $((1 + 1770 * 50)) ] && ok || bad "d1.csv: $(wc -l <"$out/d1.csv") lines"
(ulimit -f 64; exec "$ENTENTE" simulate "$scen/baseline.yaml" --runs 4 --threads 1 --out "$out/sim") \
    2>"$TMPD/err" >/dev/null
got=$?
[ $got -eq 3 ] && ok || bad "simulate --out under ulimit -f 64: exit $got, wanted 3"
expect_in "$TMPD/err" "File too large"
leftover=$(find "$out/sim" -name '.*' -type f 2>/dev/null | wc -l)
[ "$leftover" -eq 0 ] && ok || bad "simulate left $leftover temporaries in $out/sim"
# --export-inputs: a failed write is an error naming the file, not a silent short file
(ulimit -f 64; exec "$ENTENTE" simulate "$scen/baseline.yaml" --export-inputs "$out/inputs") 2>"$TMPD/err" >/dev/null
got=$?
[ $got -eq 3 ] && ok || bad "simulate --export-inputs under ulimit -f 64: exit $got, wanted 3"
expect_in "$TMPD/err" "write failed: File too large"
# an existing file is replaced only when the new one is whole
echo "previous" >"$out/keep.csv"
(ulimit -f 64; exec "$ENTENTE" dyads --from 1900 --to 1949 --out "$out/keep.csv" --db "$big") 2>/dev/null >/dev/null
[ "$(cat "$out/keep.csv")" = previous ] && ok || bad "a failed dyads --out damaged the previous file"
expect_exit 0 -- "$ENTENTE" dyads --year 1950 --out "$out/keep.csv" --db "$db"
head -1 "$out/keep.csv" | grep -q '^ccode1,ccode2,year' && ok || bad "dyads --out did not replace the file"

# refused before any work: a directory that is a file, one that is not writable
echo x >"$TMPD/afile"
start=$(date +%s)
expect_exit 3 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 4 --threads 1 --out "$TMPD/afile"
expect_in "$TMPD/err" "not a directory"
[ ! -s "$TMPD/out" ] && ok || bad "simulate printed results before refusing --out"
expect_exit 3 -- "$ENTENTE" dyads --year 1950 --out "$TMPD/afile/x.csv" --db "$db"
expect_in "$TMPD/err" "not a directory"
expect_exit 3 -- "$ENTENTE" dyads --year 1950 --out "$TMPD/outdir" --db "$db"
expect_in "$TMPD/err" "is a directory"
expect_exit 1 -- "$ENTENTE" dyads --year 1950 --out "" --db "$db"
if [ "$(id -u)" != 0 ]; then
    mkdir -p "$TMPD/ro" && chmod 555 "$TMPD/ro"
    expect_exit 3 -- "$ENTENTE" dyads --year 1950 --out "$TMPD/ro/x.csv" --db "$db"
    expect_in "$TMPD/err" "not writable"
    chmod 755 "$TMPD/ro"
fi

# class 2: scenario names are safe file names, and unique
mkdir -p "$TMPD/sc"
sed 's/^name:.*/name: "..\/..\/escaped"/' "$scen/baseline.yaml" >"$TMPD/sc/evil.yaml"
expect_exit 2 -- "$ENTENTE" simulate "$TMPD/sc/evil.yaml" --runs 2 --threads 1 --out "$TMPD/so"
expect_in "$TMPD/err" "cannot name an output file"
[ ! -e "$TMPD/escaped.json" ] && [ ! -e "$TMPD/../escaped.json" ] && ok || bad "a scenario name escaped --out"
[ ! -s "$TMPD/out" ] && ok || bad "simulate ran before refusing the name"
rm -f "$TMPD/sc/evil.yaml"
cp "$scen/baseline.yaml" "$TMPD/sc/a.yaml"
cp "$scen/baseline.yaml" "$TMPD/sc/b.yaml"
expect_exit 2 -- "$ENTENTE" forecast --scenarios "$TMPD/sc" --runs 2 --threads 1 --out "$TMPD/fo"
expect_in "$TMPD/err" "would overwrite each other"
[ ! -e "$TMPD/fo" ] && ok || bad "forecast wrote before refusing duplicate names"
# without --out the names do not matter
expect_exit 0 -- "$ENTENTE" forecast --scenarios "$TMPD/sc" --runs 2 --threads 1
finish
