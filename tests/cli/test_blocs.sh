#!/usr/bin/env bash
# `entente blocs`, `entente polarization` and `entente balance --world`: on the
# shipped world (always) and on imported COW/ATOP data (skipped without it):
# the JSON keys, the same communities for the same seed, the 1914 and 1962 blocs,
# the yearly series, and bad input with its exit codes.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=""
# pyj FILE EXPR: evaluates a Python expression over the JSON in FILE (as d); true when truthy
pyj() {
    [ -z "$PY" ] && return 0
    "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}

# --help and usage errors
for cmd in blocs polarization; do
    expect_exit 0 -- "$ENTENTE" "$cmd" --help
    expect_in "$TMPD/out" "usage: entente $cmd"
    expect_exit 1 -- "$ENTENTE" "$cmd" --no-such-option
done
expect_exit 1 -- "$ENTENTE" blocs --date 1914-13-45
expect_exit 1 -- "$ENTENTE" blocs --date yesterday
expect_in "$TMPD/err" "--date"
expect_exit 1 -- "$ENTENTE" blocs --date 1914 --year 1914
expect_exit 1 -- "$ENTENTE" blocs --year 19x4
expect_exit 1 -- "$ENTENTE" blocs --seed -1
expect_exit 1 -- "$ENTENTE" blocs --db "$TMPD/none.db"
expect_in "$TMPD/err" "--db needs --date D or --year Y"
expect_exit 1 -- "$ENTENTE" polarization --db "$TMPD/none.db"
expect_in "$TMPD/err" "--year Y or --from Y1 --to Y2 is required"
expect_exit 1 -- "$ENTENTE" polarization --from 1920 --to 1910 --db "$TMPD/none.db"
expect_exit 1 -- "$ENTENTE" polarization --world --from 1910 --to 1920
expect_exit 1 -- "$ENTENTE" polarization --year 1914 --json --csv
expect_exit 1 -- "$ENTENTE" balance --world "$TMPD/some.csv"
expect_exit 1 -- "$ENTENTE" balance --world --db "$TMPD/none.db"
# a store that does not exist is not created
expect_exit 3 -- "$ENTENTE" polarization --year 1914 --db "$TMPD/none.db"
[ ! -e "$TMPD/none.db" ] && ok || bad "polarization created a store"

# the shipped world on 2024-12-31: JSON keys, the same communities for the same seed
expect_exit 0 -- "$ENTENTE" blocs --json --seed 3 --restarts 1 --time-limit 5
cp "$TMPD/out" "$TMPD/w1.json"
for k in date origin seed nodes edges positive negative weights communities community_count modularity \
    positive_inside negative_between community_frustration frustration centrality clustering states; do
    expect_in "$TMPD/w1.json" "\"$k\":"
done
for k in camps optimal bound betweenness eigenvector transitivity mean_local members share; do
    expect_in "$TMPD/w1.json" "\"$k\":"
done
expect_in "$TMPD/w1.json" '"date": "2024-12-31"'
pyj "$TMPD/w1.json" 'd["nodes"] > 150 and d["negative"] > 0 and len(d["states"]) == d["nodes"] and sum(c["size"] for c in d["communities"]) == d["nodes"]' &&
    ok || bad "2024: node counts do not add up"
pyj "$TMPD/w1.json" '0 < d["modularity"] < 1 and d["community_count"] >= 2' && ok || bad "2024: modularity or count"
# treaty allies share a community: the United States and Mexico (Rio pact), Russia and Belarus
# (CSTO, Union State), China and North Korea (the 1961 treaty)
pyj "$TMPD/w1.json" '(lambda c: c["USA"] == c["MEX"] and c["RUS"] == c["BLR"] and c["CHN"] == c["PRK"])({s["state"]: s["community"] for s in d["states"]})' &&
    ok || bad "2024: USA/MEX, RUS/BLR or CHN/PRK split"
expect_exit 0 -- "$ENTENTE" blocs --json --seed 3 --restarts 1 --time-limit 5
if [ -n "$PY" ]; then
    "$PY" -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); [x["frustration"].pop("seconds") for x in (a,b)]; sys.exit(a != b)' \
        "$TMPD/w1.json" "$TMPD/out" && ok || bad "the same seed gave different output"
fi
# text
expect_exit 0 -- "$ENTENTE" blocs --restarts 1 --time-limit 5 --top 5
expect_in "$TMPD/out" "Signed communities (spinglass, seed 1)"
expect_in "$TMPD/out" "Frustration index (two camps)"
expect_in "$TMPD/out" "betweenness: USA"
# bad input: a date before the world's ties, a world directory that does not exist
expect_exit 2 -- "$ENTENTE" blocs --date 1700-01-01
expect_in "$TMPD/err" "no tie of the world is in force"
expect_exit 3 -- "$ENTENTE" blocs --world-dir "$TMPD/no-such-dir"
# polarization and balance of the shipped world
expect_exit 0 -- "$ENTENTE" polarization --world --json
for k in year date states blocs aligned bloc1 bloc2 bipolarity hhi poles er er_ideal ideal_states; do
    expect_in "$TMPD/out" "\"$k\":"
done
expect_in "$TMPD/out" '"er_ideal": null'
expect_exit 0 -- "$ENTENTE" polarization --world --csv
expect_in "$TMPD/out" "year,date,states,blocs,aligned,bloc1,bloc2,bipolarity,hhi,poles,er,er_ideal,ideal_states"
expect_exit 0 -- "$ENTENTE" balance --world --json --time-limit 5
expect_in "$TMPD/out" '"network": "world 2024-12-31"'
pyj "$TMPD/out" 'd["schema"] == "entente.balance/1" and d["n"] > 150 and d["frustration"] is not None and d["date"] == "2024-12-31"' && ok || bad "balance --world: not the report"
expect_exit 2 -- "$ENTENTE" balance --world --date 1700

# imported data: COW states, NMC, ATOP 5.1, UNGA ideal points
for f in cow/states2016.csv cow/nmc_v7.0_abridged.csv atop/atop5_1m.csv atop/atop5_1a.csv unga/IdealpointestimatesAll_Jun2024.csv; do
    if [ ! -r "$DATA/$f" ]; then
        echo "SKIP (the rest): $DATA/$f not found (set ENT_SHARED_DATA)"
        finish
    fi
done
db="$TMPD/blocs.db"
expect_exit 0 -- "$ENTENTE" import cow-states "$DATA/cow/states2016.csv" --db "$db"
# without pacts: what to import
expect_exit 2 -- "$ENTENTE" polarization --year 1914 --db "$db"
expect_in "$TMPD/err" "import atop"
for spec in "cow-nmc cow/nmc_v7.0_abridged.csv" "atop atop" "unga-ideal unga/IdealpointestimatesAll_Jun2024.csv"; do
    set -- $spec
    expect_exit 0 -- "$ENTENTE" import "$1" "$DATA/$2" --db "$db"
done

# 1914 (1 July): the Triple Entente and the Triple Alliance are different communities
expect_exit 0 -- "$ENTENTE" blocs --db "$db" --year 1914 --json --seed 5
cp "$TMPD/out" "$TMPD/h1.json"
expect_in "$TMPD/h1.json" '"date": "1914-07-01"'
pyj "$TMPD/h1.json" '(lambda c: c["UKG"] == c["FRN"] == c["RUS"] and c["GMY"] == c["AUH"] == c["ITA"] and c["UKG"] != c["GMY"])({s["state"]: s["community"] for s in d["states"]})' &&
    ok || bad "1914: not Entente vs Alliance: $(head -c 400 "$TMPD/h1.json")"
pyj "$TMPD/h1.json" 'd["negative"] == 0 and d["frustration"]["value"] == 0 and d["frustration"]["optimal"]' &&
    ok || bad "1914: a store's world has no hostile ties: frustration 0"
expect_exit 0 -- "$ENTENTE" blocs --db "$db" --year 1914 --json --seed 5
if [ -n "$PY" ]; then
    "$PY" -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); [x["frustration"].pop("seconds") for x in (a,b)]; sys.exit(a != b)' \
        "$TMPD/h1.json" "$TMPD/out" && ok || bad "1914: the same seed gave different output"
fi
# 1962: NATO and the Warsaw Pact
expect_exit 0 -- "$ENTENTE" blocs --db "$db" --date 1962-07-01 --json
pyj "$TMPD/out" '(lambda c: c["USA"] == c["UKG"] == c["GFR"] and c["RUS"] == c["POL"] == c["GDR"] and c["USA"] != c["RUS"])({s["state"]: s["community"] for s in d["states"]})' &&
    ok || bad "1962: not NATO vs Warsaw Pact"
# outside the data (pacts and capabilities: 1816-2018)
expect_exit 2 -- "$ENTENTE" blocs --db "$db" --year 1700
expect_in "$TMPD/err" "1816-2018"
expect_exit 2 -- "$ENTENTE" blocs --db "$db" --date 2020-01-01
expect_exit 2 -- "$ENTENTE" polarization --db "$db" --from 1700 --to 1710
expect_in "$TMPD/err" "1816-2018"
expect_exit 2 -- "$ENTENTE" polarization --db "$db" --year 2019

# the yearly series
expect_exit 0 -- "$ENTENTE" polarization --db "$db" --from 1910 --to 1914 --csv
[ "$(wc -l <"$TMPD/out")" = 6 ] && ok || bad "1910-1914: not 5 rows and a header"
expect_in "$TMPD/out" "1914,1914-07-01,"
expect_exit 0 -- "$ENTENTE" polarization --db "$db" --year 1914 --json
pyj "$TMPD/out" 'abs(d[0]["bipolarity"] - 0.4343) < 5e-4 and d[0]["er_ideal"] is None and d[0]["blocs"] == 4' &&
    ok || bad "1914 bipolarity: $(cat "$TMPD/out")"
expect_exit 0 -- "$ENTENTE" polarization --db "$db" --from 1960 --to 1962 --json
pyj "$TMPD/out" 'len(d) == 3 and all(r["er_ideal"] is not None and r["ideal_states"] > 80 for r in d)' &&
    ok || bad "1960-1962: no ideal-point polarization"
expect_exit 0 -- "$ENTENTE" polarization --db "$db" --from 1816 --to 2018
[ "$(grep -c '^[0-9][0-9][0-9][0-9]-07-01 ' "$TMPD/out")" = 203 ] && ok || bad "1816-2018: not 203 rows"

# balance of the world at a year from the store: no hostile ties, balanced
expect_exit 0 -- "$ENTENTE" balance --world --db "$db" --year 1914 --json
expect_in "$TMPD/out" '"network": "world 1914-07-01"'
[ "$(json_int "$TMPD/out" frustration)" = 0 ] && ok || bad "balance --world 1914: frustration != 0"
finish
