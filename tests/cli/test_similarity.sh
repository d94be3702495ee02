#!/usr/bin/env bash
# `entente similarity` and `entente dyads` on the real data: ATOP, COW and UN
# similarity of a pair and of all dyads, the JSON/CSV contract, bad input with
# its exit codes, dyad counts against the COW system file, and the same output
# on 1 and 2 threads. Without ../shared/data only the usage checks run (then 77).
. "$(dirname "$0")/lib.sh"
db="$TMPD/sim.db"

# --help and usage errors need no store
for cmd in similarity dyads; do
    expect_exit 0 -- "$ENTENTE" "$cmd" --help
    expect_in "$TMPD/out" "usage: entente $cmd"
    expect_exit 1 -- "$ENTENTE" "$cmd" --no-such-option
done
expect_exit 1 -- "$ENTENTE" similarity --db "$db"
expect_in "$TMPD/err" "--year Y or --from Y1 --to Y2 is required"
expect_exit 1 -- "$ENTENTE" similarity --year 1914 --from 1900 --to 1910 --db "$db"
expect_exit 1 -- "$ENTENTE" similarity --from 1920 --to 1910 --db "$db"
expect_exit 1 -- "$ENTENTE" similarity --source igo --year 1914 --db "$db"
expect_in "$TMPD/err" "unknown source 'igo'"
expect_exit 1 -- "$ENTENTE" similarity --year 1914 --measure s,tau --db "$db"
expect_in "$TMPD/err" "unknown measure 'tau'"
expect_exit 1 -- "$ENTENTE" similarity --year 1914 --json --csv --db "$db"
expect_exit 1 -- "$ENTENTE" similarity --year 1914 --pair GMY --db "$db"
expect_in "$TMPD/err" "--pair wants two states"
expect_exit 1 -- "$ENTENTE" dyads --from 1914 --to 1914 --db "$db"
expect_in "$TMPD/err" "--out FILE is required"
expect_exit 1 -- "$ENTENTE" dyads --from 1914 --to 1914 --format xlsx --out "$TMPD/x.csv" --db "$db"
# a store that does not exist is not created
expect_exit 3 -- "$ENTENTE" similarity --year 1914 --db "$TMPD/none.db"
[ ! -e "$TMPD/none.db" ] && ok || bad "similarity created a store"

# the shipped world's pacts, no store: every dyad of its states, ATOP-coded
expect_exit 0 -- "$ENTENTE" similarity --world --year 2024 --pair USA,UKG --json
# the report (entente.similarity/1, docs/report.md): one row, the pair in the order asked
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["dyads"]; sys.exit(not (d["schema"] == "entente.similarity/1" and len(r) == 1 and (r[0]["ccode1"], r[0]["abbr1"], r[0]["ccode2"], r[0]["abbr2"], r[0]["year"]) == (2, "USA", 200, "UKG", 2024)))' "$TMPD/out" &&
    ok || bad "similarity --world --json: not the report: $(head -c 300 "$TMPD/out")"
uk_s=$(grep -o '"s": *[-0-9.]*' "$TMPD/out" | head -1 | sed 's/.*: *//')
expect_exit 0 -- "$ENTENTE" similarity --world --year 2024 --pair USA,CHN --json
cn_s=$(grep -o '"s": *[-0-9.]*' "$TMPD/out" | head -1 | sed 's/.*: *//')
# NATO allies' portfolios are closer than the US's and China's
awk -v a="$uk_s" -v b="$cn_s" 'BEGIN { exit !(a != "" && b != "" && a + 0 > b + 0) }' && ok ||
    bad "shipped world: S(USA,UKG)=$uk_s is not above S(USA,CHN)=$cn_s"
expect_exit 0 -- "$ENTENTE" similarity --world-dir "$ENT_SRC/data" --year 2024 --csv
nstates=$(($(grep -c . "$ENT_SRC/data/states.csv") - 1))
rows=$(($(grep -c . "$TMPD/out") - 1))
[ "$rows" -eq $((nstates * (nstates - 1) / 2)) ] && ok || bad "shipped world: $rows dyads for $nstates states"
[ ! -e "$TMPD/none.db" ] && ok || bad "similarity --world touched a store"
expect_exit 1 -- "$ENTENTE" similarity --world --source un --year 2024
expect_in "$TMPD/err" "needs a store"
expect_exit 1 -- "$ENTENTE" similarity --world --db "$db" --year 2024
expect_exit 3 -- "$ENTENTE" similarity --world-dir "$TMPD/no-such-dir" --year 2024

# the rest needs the datasets: without them, the checks above still ran (skip only when they passed)
for f in cow/states2016.csv cow/system2016.csv cow/nmc_v7.0_abridged.csv atop/atop5_1_directed_dyad_year.csv \
    cow/cow_alliance_v4.1_directed_dyad_year.csv unga/un_votes.csv.gz; do
    if [ ! -r "$DATA/$f" ]; then
        echo "SKIP: $DATA/$f not found (set ENT_SHARED_DATA); $passed usage checks passed, $failed failed"
        [ "$failed" -eq 0 ] || exit 1
        exit 77
    fi
done

# an empty store says what to import
expect_exit 0 -- "$ENTENTE" import cow-states "$DATA/cow/states2016.csv" --db "$db"
expect_exit 2 -- "$ENTENTE" similarity --year 1914 --db "$db"
expect_in "$TMPD/err" "import atop-dyad-year"

for spec in "cow-system cow/system2016.csv" "cow-nmc cow/nmc_v7.0_abridged.csv" \
    "atop-dyad-year atop/atop5_1_directed_dyad_year.csv" "cow-alliance cow/cow_alliance_v4.1_directed_dyad_year.csv" \
    "un-votes unga/un_votes.csv.gz"; do
    set -- $spec
    expect_exit 0 -- "$ENTENTE" import "$1" "$DATA/$2" --db "$db"
done

# json_num FILE KEY -> the number (or null) after "KEY":
json_num() { grep -o "\"$2\": *[-0-9.eE+null]*" "$1" | head -1 | sed 's/.*: *//'; }
# in_range V LO HI -> true when LO <= V <= HI
in_range() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v != "null" && v + 0 >= lo && v + 0 <= hi) }'; }

# Germany and Russia in 1914 (ATOP): every key, every value a score in [-1, 1]
expect_exit 0 -- "$ENTENTE" similarity --source atop --year 1914 --pair GMY,RUS --json --db "$db"
for k in ccode1 ccode2 year s sw kappa pi taub; do expect_in "$TMPD/out" "\"$k\":"; done
[ "$(json_num "$TMPD/out" ccode1)" = 255 ] && [ "$(json_num "$TMPD/out" ccode2)" = 365 ] &&
    [ "$(json_num "$TMPD/out" year)" = 1914 ] && ok || bad "GMY,RUS 1914: wrong keys: $(cat "$TMPD/out")"
for k in s sw kappa pi taub; do
    in_range "$(json_num "$TMPD/out" "$k")" -1 1 && ok || bad "GMY,RUS 1914 $k not in [-1,1]: $(cat "$TMPD/out")"
done
# the same by COW numbers and ISO3 codes; COW coding too
expect_exit 0 -- "$ENTENTE" similarity --source atop --year 1914 --pair 255,365 --json --db "$db"
cp "$TMPD/out" "$TMPD/gmyrus_num.json"
expect_exit 0 -- "$ENTENTE" similarity --source atop --year 1914 --pair GMY,RUS --json --db "$db"
# the same document but for the provenance (its argv)
same_report() { /usr/bin/python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); [d.pop("provenance",None) for d in (a,b)]; sys.exit(a!=b)' "$1" "$2"; }
same_report "$TMPD/out" "$TMPD/gmyrus_num.json" && ok || bad "GMY,RUS and 255,365 differ"
expect_exit 0 -- "$ENTENTE" similarity --source cow --year 1914 --pair GMY,RUS --csv --db "$db"
expect_in "$TMPD/out" "ccode1,ccode2,year,s,sw,kappa,pi,taub"
expect_in "$TMPD/out" "255,365,1914,"

# a state is perfectly similar to itself
expect_exit 0 -- "$ENTENTE" similarity --source atop --year 1950 --pair USA,USA --csv --db "$db"
expect_in "$TMPD/out" "2,2,1950,1,1,1,1,1"
expect_exit 0 -- "$ENTENTE" similarity --source un --year 1985 --pair USA,USA --json --measure s --db "$db"
[ "$(json_num "$TMPD/out" s)" = 1 ] && ok || bad "S(USA,USA) != 1 in UN 1985"
# allies are more alike than rivals: USA-UKG (NATO) vs USA-RUS in 1985
expect_exit 0 -- "$ENTENTE" similarity --source atop --year 1985 --pair USA,UKG --json --measure s --db "$db"
s_ally=$(json_num "$TMPD/out" s)
expect_exit 0 -- "$ENTENTE" similarity --source atop --year 1985 --pair USA,RUS --json --measure s --db "$db"
s_rival=$(json_num "$TMPD/out" s)
awk -v a="$s_ally" -v b="$s_rival" 'BEGIN { exit !(a > b) }' && ok || bad "S(USA,UKG)=$s_ally <= S(USA,RUS)=$s_rival"
# UN votes: the Cold War superpowers disagree; no capability weights (sw null); only --measure keys
expect_exit 0 -- "$ENTENTE" similarity --source un --year 1985 --pair USA,RUS --json --db "$db"
in_range "$(json_num "$TMPD/out" s)" -1 0 && ok || bad "UN 1985 S(USA,RUS) not negative: $(cat "$TMPD/out")"
[ "$(json_num "$TMPD/out" sw)" = null ] && ok || bad "UN sw is not null"
# every UN row says how many roll calls it compared and flags too few (the single 2020 roll call)
votes=$(json_num "$TMPD/out" votes)
awk -v v="$votes" 'BEGIN { exit !(v >= 10) }' && ok || bad "UN 1985 USA,RUS: votes '$votes'"
expect_in "$TMPD/out" '"few": false'
expect_exit 0 -- "$ENTENTE" similarity --source un --year 2020 --pair USA,RUS --json --db "$db"
expect_in "$TMPD/out" '"few": true'
expect_exit 0 -- "$ENTENTE" similarity --source un --year 2020 --pair USA,RUS --db "$db"
expect_in "$TMPD/out" "(too few votes)"
expect_exit 0 -- "$ENTENTE" similarity --source atop --year 1985 --pair USA,RUS --json --db "$db"
if grep -q '"votes"' "$TMPD/out"; then bad "an alliance row reports votes"; else ok; fi
expect_exit 0 -- "$ENTENTE" similarity --source un --year 1985 --pair USA,RUS --json --measure kappa,taub --db "$db"
if grep -q '"s":' "$TMPD/out"; then bad "--measure kappa,taub printed s"; else ok; fi
expect_in "$TMPD/out" '"taub":'
# a pair over a range skips the years without data (no UN roll call in 1964)
expect_exit 0 -- "$ENTENTE" similarity --source un --from 1962 --to 1966 --pair USA,RUS --csv --db "$db"
[ "$(($(wc -l <"$TMPD/out") - 1))" = 4 ] && ok || bad "UN 1962-1966 USA,RUS: not 4 years"
if grep -q ",1964," "$TMPD/out"; then bad "a row for 1964"; else ok; fi

# bad input: exit 2 and a message that says what is wrong; nothing on stdout
expect_exit 2 -- "$ENTENTE" similarity --source atop --year 1914 --pair GMY,XYZ --db "$db"
expect_in "$TMPD/err" "unknown state 'XYZ'"
[ ! -s "$TMPD/out" ] && ok || bad "output despite an error"
expect_exit 2 -- "$ENTENTE" similarity --source atop --year 1700 --pair GMY,RUS --db "$db"
expect_in "$TMPD/err" "year 1700 is outside the data"
expect_in "$TMPD/err" "1816-2016"
expect_exit 2 -- "$ENTENTE" similarity --source cow --from 2000 --to 2014 --db "$db"
expect_in "$TMPD/err" "COW alliance dyad-years in the store cover 1816-2012"
expect_exit 2 -- "$ENTENTE" similarity --source atop --year 1950 --pair GMY,RUS --db "$db"
expect_in "$TMPD/err" "GMY (255) is not a member of the COW state system in 1950"
[ ! -s "$TMPD/out" ] && ok || bad "output despite an error"
expect_exit 2 -- "$ENTENTE" similarity --source un --year 1964 --pair USA,RUS --db "$db"
expect_in "$TMPD/err" "no UN roll call"

# all dyads of a year: n(n-1)/2 rows, n from the COW system file itself
n1914=$(awk -F, '$3 == 1914' "$DATA/cow/system2016.csv" | wc -l)
undirected=$((n1914 * (n1914 - 1) / 2))
expect_exit 0 -- "$ENTENTE" similarity --source atop --year 1914 --csv --db "$db"
[ "$(($(wc -l <"$TMPD/out") - 1))" = "$undirected" ] && ok || bad "similarity 1914: not $undirected rows"
awk -F, 'NR > 1 && !($1 < $2) { exit 1 }' "$TMPD/out" && ok || bad "similarity 1914: a row with ccode1 >= ccode2"
expect_exit 0 -- "$ENTENTE" dyads --from 1914 --to 1914 --out "$TMPD/d1914.csv" --db "$db"
[ "$(($(wc -l <"$TMPD/d1914.csv") - 1))" = "$undirected" ] && ok || bad "dyads 1914: not $undirected rows"
head -1 "$TMPD/d1914.csv" >"$TMPD/hdr"
expect_in "$TMPD/hdr" "ccode1,ccode2,year,new_defence,atop_defense,atop_offense,atop_neutrality,atop_nonagg,atop_consul"
# Germany-Austria-Hungary 1914 (the Dual Alliance): a defence pact, not new
grep -q "^255,300,1914,0,1," "$TMPD/d1914.csv" && ok || bad "dyads 1914: GMY-AUH without defense"
expect_exit 0 -- "$ENTENTE" dyads --year 1914 --directed --columns cow_defense,cow_neutrality,cow_nonagg,cow_entente,cinc1 --out "$TMPD/d1914d.csv" --db "$db"
[ "$(($(wc -l <"$TMPD/d1914d.csv") - 1))" = "$((2 * undirected))" ] && ok || bad "directed dyads 1914: not $((2 * undirected)) rows"
head -1 "$TMPD/d1914d.csv" >"$TMPD/hdr"
expect_in "$TMPD/hdr" "ccode1,ccode2,year,cow_defense,cow_neutrality,cow_nonagg,cow_entente,cinc1"
# a range: the sum over its years
want=$(awk -F, '$3 >= 1816 && $3 <= 1830 { n[$3]++ } END { for (y in n) s += n[y] * (n[y] - 1) / 2; print s }' "$DATA/cow/system2016.csv")
expect_exit 0 -- "$ENTENTE" dyads --from 1816 --to 1830 --out "$TMPD/d.csv" --db "$db"
[ "$(($(wc -l <"$TMPD/d.csv") - 1))" = "$want" ] && ok || bad "dyads 1816-1830: not $want rows"
# a failed run leaves no file
expect_exit 2 -- "$ENTENTE" dyads --from 2010 --to 2020 --out "$TMPD/none.csv" --db "$db"
[ ! -e "$TMPD/none.csv" ] && [ ! -e "$TMPD/none.csv.tmp" ] && ok || bad "dyads left a file after an error"

# 2017-2018: the COW system file ends in 2016; membership then comes from the state spells
# (kept open by the cow-states importer), so ATOP's last years are measured too
n2016=$(awk -F, '$3 == 2016' "$DATA/cow/system2016.csv" | wc -l)
expect_exit 0 -- "$ENTENTE" similarity --source atop --year 2018 --csv --db "$db"
[ "$(($(wc -l <"$TMPD/out") - 1))" = "$((n2016 * (n2016 - 1) / 2))" ] && ok || bad "similarity 2018: not $((n2016 * (n2016 - 1) / 2)) rows"
expect_exit 0 -- "$ENTENTE" similarity --source atop --from 1816 --to 2018 --pair USA,UKG --csv --db "$db"
grep -q "^2,200,2018," "$TMPD/out" && ok || bad "USA,UKG 1816-2018: no 2018 row"
expect_exit 2 -- "$ENTENTE" similarity --source atop --year 2019 --pair USA,UKG --db "$db"
expect_in "$TMPD/err" "state spells after 2016"

# the same bytes on 1 and 2 threads
OMP_NUM_THREADS=1 "$ENTENTE" similarity --source atop --from 1900 --to 1960 --csv --db "$db" >"$TMPD/t1.csv" 2>/dev/null
OMP_NUM_THREADS=2 "$ENTENTE" similarity --source atop --from 1900 --to 1960 --csv --db "$db" >"$TMPD/t2.csv" 2>/dev/null
cmp -s "$TMPD/t1.csv" "$TMPD/t2.csv" && ok || bad "1 and 2 threads differ"
OMP_NUM_THREADS=1 "$ENTENTE" similarity --source un --year 1990 --json --db "$db" >"$TMPD/u1.json" 2>/dev/null
OMP_NUM_THREADS=2 "$ENTENTE" similarity --source un --year 1990 --json --db "$db" >"$TMPD/u2.json" 2>/dev/null
same_report "$TMPD/u1.json" "$TMPD/u2.json" && ok || bad "UN 1990 on 1 and 2 threads differs"
# from a store --json prints the report entente.similarity/1, as from a world: the rows under
# "dyads" with both abbreviations, the same numbers as the streamed CSV
OMP_NUM_THREADS=2 "$ENTENTE" similarity --source un --year 1990 --csv --db "$db" >"$TMPD/u1.csv" 2>/dev/null
if [ -x /usr/bin/python3 ]; then
    /usr/bin/python3 -c '
import csv, json, math, sys
d = json.load(open(sys.argv[1]))
a = d["dyads"]
keys = {"year", "ccode1", "abbr1", "ccode2", "abbr2", "s", "sw", "kappa", "pi", "taub", "votes", "few"}
assert d["schema"] == "entente.similarity/1" and d["source"] == "un" and d["from"] == d["to"] == 1990, d
assert d["state"] is None and d["partner"] is None and d["measures"] == ["s", "sw", "kappa", "pi", "taub"]
assert a and all(set(o) == keys for o in a)
c = list(csv.DictReader(open(sys.argv[2])))
assert len(c) == len(a), (len(c), len(a))
for o, r in zip(a, c):
    assert (o["ccode1"], o["ccode2"], o["year"], o["votes"]) == (int(r["ccode1"]), int(r["ccode2"]), int(r["year"]), int(r["votes"]))
    for k in ("s", "sw", "kappa", "pi", "taub"):
        assert (o[k] is None) == (r[k] == "NA") and (o[k] is None or math.isclose(o[k], float(r[k]), rel_tol=1e-9, abs_tol=1e-12)), (o, r)
' "$TMPD/u1.json" "$TMPD/u1.csv" &&
        ok || bad "UN 1990 --json is not the report entente.similarity/1 with the CSV's rows"
fi
expect_exit 0 -- "$ENTENTE" similarity --source atop --year 1914 --pair GMY,RUS --json --db "$db"
expect_in "$TMPD/out" '"schema": "entente.similarity/1"'
expect_in "$TMPD/out" '"abbr1": "GMY"'
# a pair not both in the system in a single year: the same error as the text output, nothing on stdout
expect_exit 2 -- "$ENTENTE" similarity --source atop --year 1850 --pair USA,CHN --json --db "$db"
expect_in "$TMPD/err" "CHN (710) is not a member of the COW state system in 1850"
[ -s "$TMPD/out" ] && bad "an error printed JSON: $(head -c 200 "$TMPD/out")" || ok
finish
