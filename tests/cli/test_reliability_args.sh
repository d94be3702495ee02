#!/usr/bin/env bash
# test_reliability_args.sh -- issue 9, class 7: arguments and parameters are checked before work.
#
# A report year outside the simulated years, a seed that does not fit (or is not a plain
# number), weights whose sum overflows: a usage or input error, never a number printed for a
# year that was never simulated, a silently wrapped seed, or null with optimal: true. More
# threads than runs are capped (memory with them). --time-limit is honoured within 10% (in CPU
# time past the deadline, which load does not stretch; the process gets 2 s more for start-up and
# reading) and the result then says it is not proven optimal, with its gap.
. "$(dirname "$0")/lib.sh"
python=/usr/bin/python3
[ -x $python ] || { echo "SKIP: $python not found"; exit 77; }
src=$(cd "$(dirname "$0")/../.." && pwd)
scen=$src/scenarios

# report year outside start_year..start_year + years (the baseline runs 2024..2054)
sed 's/^report_year:.*/report_year: 2090/' "$scen/baseline.yaml" >"$TMPD/late.yaml"
expect_exit 2 -- "$ENTENTE" simulate "$TMPD/late.yaml" --runs 2 --threads 1
expect_in "$TMPD/err" "late.yaml:14:1: report_year: 2090 is outside the simulated years 2024..2054"
[ ! -s "$TMPD/out" ] && ok || bad "simulate printed results for a year it never simulated"
sed 's/^report_year:.*/report_year: 2020/' "$scen/baseline.yaml" >"$TMPD/early.yaml"
expect_exit 2 -- "$ENTENTE" simulate "$TMPD/early.yaml" --runs 2 --threads 1

# seeds: digits only, no wrap-around; the scenario's range for simulate
printf 'from,to,sign\na,b,1\nb,c,-1\na,c,1\n' >"$TMPD/t.csv"
printf 'actor,size\nA,1\nB,1\nC,1\n' >"$TMPD/act.csv"
printf 'a,b,p\nA,B,1\nA,C,-1\nB,C,-1\n' >"$TMPD/prop.csv"
for bad_seed in 18446744073709551616 99999999999999999999999 -1 1e3 " 5" 0x10 ""; do
    for cmd in "balance $TMPD/t.csv" "blocs" "landscape --actors $TMPD/act.csv --propensities $TMPD/prop.csv" \
        "balance-dynamics --complete 5 --runs 1" "simulate $scen/baseline.yaml --runs 2"; do
        read -r -a a <<<"$cmd"
        expect_exit 1 -- "$ENTENTE" "${a[@]}" --seed "$bad_seed"
        expect_in "$TMPD/err" "--seed"
    done
done
expect_exit 1 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 2 --seed 4294967296
expect_in "$TMPD/err" "0..4294967295"
expect_exit 0 -- "$ENTENTE" simulate "$scen/baseline.yaml" --runs 2 --threads 1 --seed 4294967295
expect_exit 0 -- "$ENTENTE" balance "$TMPD/t.csv" --seed 18446744073709551615

# more threads than runs: capped, so memory does not grow with --threads
rss() { /usr/bin/time -f %M "$ENTENTE" simulate "$scen/baseline.yaml" --runs 2 --threads "$1" 2>&1 >/dev/null | tail -1; }
r1=$(rss 1)
r64=$(rss 64)
[ "$r64" -lt $((r1 * 3 / 2)) ] && ok || bad "--threads 64 with 2 runs: $r64 KiB against $r1 KiB on one thread"

# weights whose sum overflows: refused at the edge, never null with optimal: true
printf 'from,to,sign\na,b,6e299\nb,c,-6e299\na,c,6e299\n' >"$TMPD/huge.csv"
expect_exit 2 -- "$ENTENTE" balance "$TMPD/huge.csv" --json
expect_in "$TMPD/err" "huge.csv:3:5: field 'sign': -6e+299 makes the total |sign| of the network exceed 1e300"

# --time-limit: within 10%, not optimal, a gap
$python - "$TMPD/dense.csv" <<'PY'
import random, sys
rng = random.Random(7)
with open(sys.argv[1], "w") as f:
    f.write("from,to,sign\n")
    for i in range(160):
        for j in range(i + 1, 160):
            if rng.random() < 0.5:
                f.write(f"v{i},v{j},{rng.choice([-1, 1])}\n")
PY
# Judged by CPU time (cputime.py), which machine load does not stretch as it does the wall clock:
# past its deadline (8 s from the launch) the process may finish the step it is in and print, at
# most 10% of the limit of work; in all it does at most the limit, 10% and 2 s more (start-up,
# reading, sanitizers); one that ignores the limit is killed at 20 s of CPU. Its own clock says
# it ran until the limit.
r=$($python "$src/tests/cli/cputime.py" 8 20 "$TMPD/out" "$TMPD/err" -- \
    "$ENTENTE" balance "$TMPD/dense.csv" --time-limit 8 --json)
read -r _ code _ cpu _ after <<<"$r"
case $r in exit*) ;; *) code=killed cpu=99 after=99 ;; esac
[ "$code" = 0 ] && ok || bad "--time-limit 8: $r -- $(head -c 300 "$TMPD/err")"
secs=$(grep -o '"seconds": *[0-9.e-]*' "$TMPD/out" | head -1 | sed 's/.*: *//')
awk "BEGIN { exit !(${after:-99} <= 0.8) }" && ok || bad "--time-limit 8: ${after}s of CPU past the deadline ($r)"
awk "BEGIN { exit !(${cpu:-99} <= 8.8 + 2.0) }" && ok || bad "--time-limit 8: the process used ${cpu}s of CPU ($r)"
awk "BEGIN { exit !(${secs:-0} >= 7.9) }" && ok || bad "--time-limit 8: the solver stopped at ${secs}s, before its limit"
expect_in "$TMPD/out" '"optimal": false'
grep -q '"gap": 0\.[0-9]' "$TMPD/out" && ok || bad "no gap reported: $(grep gap "$TMPD/out")"

# The option tables (tools/entente/cli_opts.c): every option a command's --help lists is one its
# parser knows -- a flag is accepted (before --help, which then prints and exits 0), an option
# with an argument refuses to go without it, naming it -- and each malformed argument is a usage
# error naming the option, what it expected and what it got.
cmds=$("$ENTENTE" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ "$(echo "$cmds" | wc -w)" -ge 20 ] && ok || bad "the command list of 'entente --help': $cmds"
for cmd in $cmds; do
    "$ENTENTE" "$cmd" --help >"$TMPD/help" 2>&1 || bad "$cmd --help failed"
    # option lines: "  --name ARG   help" or "  -h, --help   help"
    sed -n '/^options:/,/^$/p' "$TMPD/help" | grep -oE '^  (-[a-z], )?--[a-z0-9-]+( [^ ]+)?' |
        sed 's/^  \(-[a-z], \)\?//' >"$TMPD/opts"
    [ -s "$TMPD/opts" ] && ok || bad "$cmd --help lists no options"
    while read -r opt arg; do
        [ "$opt" = --help ] && continue
        if [ -z "$arg" ]; then
            expect_exit 0 -- "$ENTENTE" "$cmd" "$opt" --help
        else
            expect_exit 1 -- "$ENTENTE" "$cmd" "$opt"
            expect_in "$TMPD/err" "option '$opt' needs an argument"
        fi
    done <"$TMPD/opts"
    expect_exit 1 -- "$ENTENTE" "$cmd" --no-such-option
    expect_in "$TMPD/err" "entente $cmd: unknown or incomplete option '--no-such-option'"
    # entente help CMD prints the same text as entente CMD --help
    "$ENTENTE" help "$cmd" | cmp -s - "$TMPD/help" && ok || bad "'entente help $cmd' differs from '$cmd --help'"
done
expect_exit 1 -- "$ENTENTE" states --year 10000
expect_in "$TMPD/err" "entente states: --year: expected a year, got '10000'"
expect_exit 1 -- "$ENTENTE" dyads --from 2000 --to 2001 --out - --format xls
expect_in "$TMPD/err" "--format: expected one of csv, dta, got 'xls'"
expect_exit 1 -- "$ENTENTE" backtest --bins 0
expect_in "$TMPD/err" "--bins: expected an integer in 1..1000, got '0'"
expect_exit 1 -- "$ENTENTE" backtest --fit 1990-1980
expect_in "$TMPD/err" "--fit: expected a year range Y1-Y2 within 1-9999, got '1990-1980'"
expect_exit 1 -- "$ENTENTE" fit --lambdas 1,-2
expect_in "$TMPD/err" "--lambdas: expected up to 16 numbers >= 0, got '1,-2'"
expect_exit 1 -- "$ENTENTE" blocs --date 2024-13-01
expect_in "$TMPD/err" "--date: expected a date"
expect_exit 1 -- "$ENTENTE" serve --port 70000
expect_in "$TMPD/err" "--port: expected an integer in 0..65535, got '70000'"
expect_exit 1 -- "$ENTENTE" balance-dynamics --complete 5 --threads 0
expect_in "$TMPD/err" "--threads: expected a count >= 1, got '0'"
# --opt=value and unambiguous abbreviations, as in every GNU tool; positional arguments checked
expect_exit 1 -- "$ENTENTE" balance-dynamics --complete=2
expect_in "$TMPD/err" "--complete: expected a number of nodes in [3, 4096], got '2'"
expect_exit 0 -- "$ENTENTE" balance-dynamics --compl=4 --runs=1 --steps 1 --json
expect_in "$TMPD/out" '"n": 4'
expect_exit 1 -- "$ENTENTE" import cow-states
expect_in "$TMPD/err" "entente import: missing FORMAT PATH"
expect_exit 1 -- "$ENTENTE" states extra
expect_in "$TMPD/err" "entente states: unexpected argument 'extra'"
# entente help: the list, one command, every command as Markdown (docs/cli.md's reference)
expect_exit 0 -- "$ENTENTE" help
expect_in "$TMPD/out" "commands:"
expect_exit 0 -- "$ENTENTE" help --markdown
[ "$(grep -c '^### `entente ' "$TMPD/out")" -eq "$(echo "$cmds" | wc -w)" ] && ok ||
    bad "help --markdown: $(grep -c '^### `entente ' "$TMPD/out") sections for $(echo "$cmds" | wc -w) commands"
expect_exit 1 -- "$ENTENTE" help frobnicate
expect_in "$TMPD/err" "expected a command or --markdown, got 'frobnicate'"
finish
