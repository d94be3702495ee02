#!/usr/bin/env bash
# Importing each real dataset gives its documented counts, and the world built
# from them shows what the historians record: the 1961 China-North Korea
# defence pact in force in 2018 (ATOP 5.1).
. "$(dirname "$0")/lib.sh"
if [ ! -f "$DATA/cow/states2016.csv" ]; then
    echo "SKIP: datasets not found under $DATA (set ENT_SHARED_DATA)"
    exit 77
fi
db="$TMPD/real.db"
# import FORMAT PATH ROWS: the JSON summary's row count must be ROWS
import() {
    if [ ! -e "$2" ]; then echo "skip $1: $2 absent"; return; fi
    expect_exit 0 -- "$ENTENTE" import "$1" "$2" --db "$db" --json
    local rows; rows=$(json_int "$TMPD/out" rows)
    [ "$rows" = "$3" ] && ok || bad "$1: rows $rows, documented $3"
    [ "$(json_int "$TMPD/out" rejected)" = 0 ] && ok || bad "$1: rejected rows"
}
import cow-states "$DATA/cow/states2016.csv" 243
import cow-system "$DATA/cow/system2016.csv" 15951
import cow-nmc "$DATA/cow/nmc_v6.0_abridged.csv" 15951
import cow-nmc "$DATA/cow/nmc_v7.0_abridged.csv" 17121
import cow-alliance "$DATA/cow/cow_alliance_v4.1_directed_dyad_year.csv" 120784
import atop-dyad-year "$DATA/atop/atop5_1_directed_dyad_year.csv" 273296
# ATOP: 789 alliances + 2,510 member rows
import atop "$DATA/atop" 3299
import unga-ideal "$DATA/unga/IdealpointestimatesAll_Jun2024.csv" 11238
# TSS rivalries: 264 rows; two (Venice's, before 1816) are outside the COW system, reported and counted
if [ -e "$DATA/conflict/tss_rivalries.csv" ]; then
    expect_exit 0 -- "$ENTENTE" import tss-rivalries "$DATA/conflict/tss_rivalries.csv" --db "$db" --json
    [ "$(json_int "$TMPD/out" rows)" = 264 ] && ok || bad "tss rows"
    [ "$(json_int "$TMPD/out" inserted)" = 262 ] && ok || bad "tss inserted"
    [ "$(json_int "$TMPD/out" rejected)" = 2 ] && ok || bad "tss rejected"
    expect_in "$TMPD/err" "before the COW state system"
    # with enemies as well as allies, 1914 splits the Entente from the Central Powers
    expect_exit 0 -- "$ENTENTE" balance --world --db "$db" --year 1914 --json
    expect_in "$TMPD/out" '"frustration"'
    expect_exit 0 -- "$ENTENTE" balance-dynamics --world --db "$db" --date 1914 --rule ctd --runs 4
    expect_in "$TMPD/out" "the imported world on 1914-12-31"
    expect_exit 0 -- "$ENTENTE" ties --state CHN --year 2018 --kind rivalry --db "$db"
    for r in IND TAW USA JPN; do grep -q "^$r " "$TMPD/out" && ok || bad "CHN-$r rivalry missing in 2018"; done
fi
# un-votes: 870,109 votes + 6,203 roll calls (both files are read)
if [ -e "$DATA/unga/un_votes.csv.gz" ]; then
    expect_exit 0 -- "$ENTENTE" import un-votes "$DATA/unga/un_votes.csv.gz" --db "$db" --json
    expect_in "$TMPD/out" '"rejected": 0'
fi
# MME v7 (long form) holds 56 rows that contradict the rest of the file: strictly, the import
# fails and writes nothing; with --keep-going those rows are reported and the rest imported.
if [ -e "$DATA/exercises/mme-v7-long.csv" ]; then
    expect_exit 2 -- "$ENTENTE" import mme "$DATA/exercises/mme-v7-long.csv" --db "$db"
    expect_in "$TMPD/err" "mme-v7-long.csv:2519"
    expect_exit 0 -- "$ENTENTE" import mme "$DATA/exercises/mme-v7-long.csv" --db "$db" --keep-going --json
    [ "$(json_int "$TMPD/out" rows)" = 13818 ] && ok || bad "mme rows"
    [ "$(json_int "$TMPD/out" rejected)" = 56 ] && ok || bad "mme rejected $(json_int "$TMPD/out" rejected), expected 56"
    [ "$(grep -c 'rejected:' "$TMPD/err")" = 56 ] && ok || bad "each rejected MME row reported"
fi

expect_exit 0 -- "$ENTENTE" summary --db "$db" --json
[ "$(json_int "$TMPD/out" pacts)" = 789 ] && ok || bad "pacts != 789"
[ "$(json_int "$TMPD/out" pact_members)" = 2510 ] && ok || bad "pact members != 2510"
[ "$(json_int "$TMPD/out" capabilities)" = $((15951 + 17121)) ] && ok || bad "capabilities"
[ "$(json_int "$TMPD/out" alliance_dyad_years_atop)" = 273296 ] && ok || bad "atop dyad-years"
[ "$(json_int "$TMPD/out" alliance_dyad_years_cow)" = 120784 ] && ok || bad "cow dyad-years"
if [ -e "$DATA/unga/un_votes.csv.gz" ]; then
    [ "$(json_int "$TMPD/out" un_votes)" = 870109 ] && ok || bad "un votes != 870109"
    [ "$(json_int "$TMPD/out" un_roll_calls)" = 6203 ] && ok || bad "roll calls != 6203"
fi
[ "$(json_int "$TMPD/out" unga_ideal)" = 11238 ] && ok || bad "ideal points != 11238"

# The 1961 Treaty of Friendship, Cooperation and Mutual Assistance: in force in 2018.
expect_exit 0 -- "$ENTENTE" ties --state CHN --year 2018 --kind pact --db "$db"
expect_in "$TMPD/out" "PRK"
grep "^PRK" "$TMPD/out" | grep -q "defense" && ok || bad "CHN-PRK 2018 without a defence obligation"
grep "^PRK" "$TMPD/out" | grep -q "1961-07-11" && ok || bad "CHN-PRK pact not dated 1961-07-11: $(grep ^PRK "$TMPD/out")"
expect_exit 0 -- "$ENTENTE" ties --state 710 --year 2018 --kind pact --db "$db" --json
expect_in "$TMPD/out" '"partner": "PRK"'
# ... and not before it existed
expect_exit 0 -- "$ENTENTE" ties --state CHN --year 1955 --kind pact --db "$db"
if grep -q "^PRK" "$TMPD/out"; then bad "CHN-PRK pact shown in 1955"; else ok; fi
# The US network in 2018 includes Japan, South Korea and the Philippines with defence obligations.
expect_exit 0 -- "$ENTENTE" ties --state USA --year 2018 --kind pact --db "$db"
for p in JPN ROK PHI AUL UKG; do
    grep "^$p " "$TMPD/out" | grep -q defense && ok || bad "USA-$p defence pact missing in 2018"
done
# Re-importing replaces: the counts stay the same.
import atop "$DATA/atop" 3299
expect_exit 0 -- "$ENTENTE" summary --db "$db" --json
[ "$(json_int "$TMPD/out" pacts)" = 789 ] && ok || bad "pacts after re-import != 789"
# ISO3 codes resolve on an imported world too (the COW list has none; the crosswalk fills them).
expect_exit 0 -- "$ENTENTE" ties --state VNM --year 2018 --kind pact --db "$db"
expect_in "$TMPD/err" "of DRV (Vietnam)"
# World in 1914: the system has its members and capabilities.
expect_exit 0 -- "$ENTENTE" states --year 1914 --db "$db" --json
n=$(grep -c '"ccode"' "$TMPD/out")
[ "$n" -ge 40 ] && [ "$n" -le 50 ] && ok || bad "$n states in 1914"
finish
