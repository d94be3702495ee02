#!/usr/bin/env bash
# `entente landscape`: landscape theory (Axelrod & Bennett 1993) through the
# CLI -- a four-actor landscape whose two minima and basins are worked out by
# hand (tests/unit/models_landscape.c), both propensity formats, the three
# methods, JSON keys, clear errors with file:line:column and the field on bad
# input (exit 2), Europe 1938 from the public reimplementation's inputs when
# ../shared/data is there, and the shipped world's landscape.
. "$(dirname "$0")/lib.sh"
have_jq=false
command -v jq >/dev/null 2>&1 && have_jq=true

# --help and usage errors (exit 1)
expect_exit 0 -- "$ENTENTE" landscape --help
expect_in "$TMPD/out" "usage: entente landscape --actors FILE --propensities FILE"
expect_exit 1 -- "$ENTENTE" landscape
expect_in "$TMPD/err" "give --actors FILE and --propensities FILE, or --world"
expect_exit 1 -- "$ENTENTE" landscape --world --actors x.csv
expect_exit 1 -- "$ENTENTE" landscape --world --exact --heuristic
expect_exit 1 -- "$ENTENTE" landscape --world --seed -1
expect_exit 1 -- "$ENTENTE" landscape --world --bogus
expect_in "$TMPD/err" "--help"

# four actors: a_AB = 3, a_CD = 3, a_AC = a_AD = a_BC = -1, a_BD = 2 (unit sizes):
# minima {A,B}|{C,D} at E = -2 (basin 7 of 8) and the grand coalition at E = 0 (basin 1)
printf 'actor,size\nA,1\nB,1\nC,1\nD,1\n' >"$TMPD/act.csv"
printf 'a,b,p\nA,B,3\nC,D,3\nA,C,-1\nA,D,-1\nB,C,-1\nB,D,2\n' >"$TMPD/pairs.csv"
printf ',A,B,C,D\nA,0,3,-1,-1\nB,,0,-1,2\nC,,,0,3\nD,,,,0\n' >"$TMPD/upper.csv"
expect_exit 0 -- "$ENTENTE" landscape --actors "$TMPD/act.csv" --propensities "$TMPD/pairs.csv"
expect_in "$TMPD/out" "global minimum: energy -2 (optimal)"
expect_in "$TMPD/out" "2 local minima (every one)"
expect_in "$TMPD/out" "1. energy -2, basin 7 (87.5%), the global minimum"
expect_in "$TMPD/out" "2. energy 0, basin 1 (12.5%)"
for props in pairs upper; do
    expect_exit 0 -- "$ENTENTE" landscape --actors "$TMPD/act.csv" --propensities "$TMPD/$props.csv" --json
    for key in '"minima"' '"global_minimum"' '"energy"' '"partition"' '"basin"' '"basin_share"' '"local_minima"' \
        '"configurations": 8' '"method": "exhaustive"' '"optimal": true'; do
        expect_in "$TMPD/out" "$key"
    done
    if $have_jq; then
        [ "$(jq '.minima | length' "$TMPD/out")" = 2 ] && ok || bad "$props: not 2 minima"
        [ "$(jq '[.minima[].basin] | add' "$TMPD/out")" = 8 ] && ok || bad "$props: basins do not sum to 8"
        [ "$(jq '.global_minimum.energy' "$TMPD/out")" = -2 ] && ok || bad "$props: global energy"
        [ "$(jq -c '.global_minimum.partition' "$TMPD/out")" = '{"A":0,"B":0,"C":1,"D":1}' ] && ok \
            || bad "$props: global partition $(jq -c '.global_minimum.partition' "$TMPD/out")"
    fi
done
expect_exit 0 -- "$ENTENTE" landscape --actors "$TMPD/act.csv" --propensities "$TMPD/pairs.csv" --exhaustive --json
expect_in "$TMPD/out" '"basins": "exact"'
expect_exit 1 -- "$ENTENTE" landscape --actors "$TMPD/act.csv" --propensities "$TMPD/pairs.csv" --exhaustive --exact
for m in --exact --heuristic; do
    expect_exit 0 -- "$ENTENTE" landscape --actors "$TMPD/act.csv" --propensities "$TMPD/pairs.csv" $m --seed 5 --json
    expect_in "$TMPD/out" '"basins": "sampled"'
    [ "$(json_int "$TMPD/out" local_minima)" = 2 ] && ok || bad "$m: sampled minima != 2"
    if $have_jq; then
        [ "$(jq '.global_minimum.energy' "$TMPD/out")" = -2 ] && ok || bad "$m: global energy"
        [ "$(jq '[.minima[].basin] | add' "$TMPD/out")" = 2000 ] && ok || bad "$m: descents do not sum to 2000"
    fi
done

# bad input: exit 2 naming file:line:column and the field
printf 'a,b,p\nA,B,1\nB,A,2\n' >"$TMPD/asym.csv"
expect_exit 2 -- "$ENTENTE" landscape --actors "$TMPD/act.csv" --propensities "$TMPD/asym.csv"
expect_in "$TMPD/err" "asym.csv:3:5: field 'p': asymmetric propensities"
printf ',A,B\nA,0,1\nB,2,0\n' >"$TMPD/asym_m.csv"
expect_exit 2 -- "$ENTENTE" landscape --actors "$TMPD/act.csv" --propensities "$TMPD/asym_m.csv"
expect_in "$TMPD/err" "asym_m.csv:3:3: field 'A': asymmetric propensities"
printf 'a,b,p\nA,B,1\nA,Zed,1\n' >"$TMPD/unknown.csv"
expect_exit 2 -- "$ENTENTE" landscape --actors "$TMPD/act.csv" --propensities "$TMPD/unknown.csv"
expect_in "$TMPD/err" "unknown.csv:3:3: field 'b': unknown actor 'Zed'"
printf 'actor,size\nA,1\nB,heavy\n' >"$TMPD/size.csv"
expect_exit 2 -- "$ENTENTE" landscape --actors "$TMPD/size.csv" --propensities "$TMPD/pairs.csv"
expect_in "$TMPD/err" "size.csv:3:3: field 'size'"
printf 'actor,size\nA,1\nB,-2\n' >"$TMPD/neg.csv"
expect_exit 2 -- "$ENTENTE" landscape --actors "$TMPD/neg.csv" --propensities "$TMPD/pairs.csv"
expect_in "$TMPD/err" "neg.csv:3:3: field 'size'"
printf 'a,b,p\nA,B,1\nC,D,1\nA,B,1\n' >"$TMPD/dup.csv"
expect_exit 2 -- "$ENTENTE" landscape --actors "$TMPD/act.csv" --propensities "$TMPD/dup.csv"
expect_in "$TMPD/err" "dup.csv:4:3: field 'b': duplicate pair A,B (first on line 2)"
printf 'actor,size\nA,1\nA,2\n' >"$TMPD/dupact.csv"
expect_exit 2 -- "$ENTENTE" landscape --actors "$TMPD/dupact.csv" --propensities "$TMPD/pairs.csv"
expect_in "$TMPD/err" "dupact.csv:3:1: field 'actor'"
expect_exit 3 -- "$ENTENTE" landscape --actors "$TMPD/act.csv" --propensities "$TMPD/missing.csv"

# Europe 1938 from the public reimplementation's inputs (the unit test derives the same):
# p = 1 - 2 conflict + (same religion ? 1 : -1) + (same government ? 1 : -1), sizes CINC 1938;
# one minimum, 12 of 17 placed as they fought (Estonia, Greece, Poland, Portugal, Romania wrong)
LS=$DATA/landscape
if [ -f "$LS/glynnejones_1938_inputs_countries.csv" ] && [ -f "$LS/glynnejones_history_of_conflict_upper.csv" ]; then
    awk -F, 'NR == 1 { print "actor,size"; next } { print $2 "," $6 }' "$LS/glynnejones_1938_inputs_countries.csv" \
        | tr -d '\r' >"$TMPD/eu_actors.csv"
    awk -F, '
        FNR == 1 { file++ }
        file == 1 && FNR > 1 { n++; ab[n] = $2; rel[n] = $4; gov[n] = $5 }
        file == 2 && FNR > 1 { r++; for (c = 2; c <= NF; c++) hoc[r, c - 1] = $c + 0 }
        END {
            print "a,b,p"
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
                p = 1 - 2 * (hoc[i, j] + hoc[j, i] > 0) + (rel[i] == rel[j] ? 1 : -1) + (gov[i] == gov[j] ? 1 : -1)
                if (p != 0) print ab[i] "," ab[j] "," p
            }
        }' "$LS/glynnejones_1938_inputs_countries.csv" <(tr -d '\r' <"$LS/glynnejones_history_of_conflict_upper.csv") \
        >"$TMPD/eu_props.csv"
    expect_exit 0 -- "$ENTENTE" landscape --actors "$TMPD/eu_actors.csv" --propensities "$TMPD/eu_props.csv" --json
    [ "$(json_int "$TMPD/out" configurations)" = 65536 ] && ok || bad "1938: configurations"
    [ "$(json_int "$TMPD/out" local_minima)" = 1 ] && ok || bad "1938: not one minimum"
    if $have_jq; then
        side=$(jq -r '.global_minimum.partition as $p | [$p | to_entries[] | select(.value == $p.Br) | .key] | sort | join(",")' "$TMPD/out")
        [ "$side" = "Br,Cz,De,Es,Fr,Ro,SU,Yu" ] && ok || bad "1938: Britain's side '$side'"
    fi
    expect_exit 0 -- "$ENTENTE" landscape --actors "$TMPD/eu_actors.csv" --propensities "$TMPD/eu_props.csv"
    expect_in "$TMPD/out" "side 0: Br Cz De Es Fr Ro SU Yu"
else
    echo "note: $LS absent, Europe 1938 not checked"
fi

# the shipped world: at least one stable split, JSON with the propensities' terms
expect_exit 0 -- "$ENTENTE" landscape --world
expect_in "$TMPD/out" "Which two-bloc splits are stable on 2024-12-31?"
expect_in "$TMPD/out" "1. energy"
expect_in "$TMPD/out" "524288 configurations"
expect_exit 0 -- "$ENTENTE" landscape --world --json
for key in '"minima"' '"global_minimum"' '"propensities"' '"regime"' '"date": "2024-12-31"'; do
    expect_in "$TMPD/out" "$key"
done
if $have_jq; then
    [ "$(jq '.minima | length' "$TMPD/out")" -ge 1 ] && ok || bad "world: no minimum"
    [ "$(jq '.n' "$TMPD/out")" = 20 ] && ok || bad "world: not 20 states"
    [ "$(jq '.global_minimum.partition.USA != .global_minimum.partition.CHN' "$TMPD/out")" = true ] && ok \
        || bad "world: USA and CHN on one side"
fi
expect_exit 0 -- "$ENTENTE" landscape --world --states USA,CHN,RUS,IND,JPN --date 2023-06-30
expect_in "$TMPD/out" "landscape of 5 states"
expect_exit 0 -- "$ENTENTE" landscape --world --states all --heuristic --minima 1
expect_in "$TMPD/out" "found by sampling"
expect_exit 2 -- "$ENTENTE" landscape --world --states USA,XYZ
expect_in "$TMPD/err" "XYZ"
expect_exit 2 -- "$ENTENTE" landscape --world --date 1990
expect_in "$TMPD/err" "no CINC"
expect_exit 0 -- "$ENTENTE" landscape --world --date 2015 --states USA,CHN,RUS,UKR
expect_in "$TMPD/out" "on 2015-12-31"
finish
