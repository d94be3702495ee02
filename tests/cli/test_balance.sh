#!/usr/bin/env bash
# `entente balance`: the published frustration values and splits through the
# CLI (Gahuku-Gama L = 7, Aref & Wilson 2019; the WWI 1907 network balanced,
# Antal, Krapivsky & Redner 2006), JSON keys, modes, and clear errors with the
# documented exit codes on bad input.
. "$(dirname "$0")/lib.sh"
SIG=$DATA/signed
# jv FILE FILTER: a jq filter when jq exists, else a value grepped by key
have_jq=false
command -v jq >/dev/null 2>&1 && have_jq=true

# --help and usage errors
expect_exit 0 -- "$ENTENTE" balance --help
expect_in "$TMPD/out" "usage: entente balance FILE"
expect_exit 1 -- "$ENTENTE" balance
expect_in "$TMPD/err" "missing FILE"
expect_exit 1 -- "$ENTENTE" balance "$SIG/gahuku_gama_tribes_edgelist.csv" --exact --heuristic
expect_exit 1 -- "$ENTENTE" balance "$SIG/gahuku_gama_tribes_edgelist.csv" --time-limit -3
expect_exit 1 -- "$ENTENTE" balance "$SIG/gahuku_gama_tribes_edgelist.csv" --alpha 2
expect_exit 1 -- "$ENTENTE" balance "$SIG/gahuku_gama_tribes_edgelist.csv" --bogus
expect_in "$TMPD/err" "--help"

# the rest needs the datasets: without them, the usage checks above still ran (skip only when they passed)
if [ ! -f "$SIG/gahuku_gama_tribes_edgelist.csv" ] || [ ! -f "$SIG/wwi_signed_ties.csv" ]; then
    echo "SKIP: signed datasets not found under $DATA (set ENT_SHARED_DATA); $passed usage checks passed, $failed failed"
    [ "$failed" -eq 0 ] || exit 1
    exit 77
fi

# Gahuku-Gama: L = 7, proven, split {Gavev, Kotun, Gama, Nagad} | the other twelve
expect_exit 0 -- "$ENTENTE" balance "$SIG/gahuku_gama_tribes_edgelist.csv" --json
[ "$(json_int "$TMPD/out" frustration)" = 7 ] && ok || bad "Gahuku-Gama frustration $(json_int "$TMPD/out" frustration), published 7"
[ "$(json_int "$TMPD/out" bound)" = 7 ] && ok || bad "Gahuku-Gama bound != 7"
expect_in "$TMPD/out" '"optimal": true'
expect_in "$TMPD/out" '"triangle_balance": 0.867647'
if $have_jq; then
    small=$(jq -r '.networks[0].partition as $p | [$p | to_entries[] | select(.value == $p.Gavev) | .key] | sort | join(",")' "$TMPD/out")
    [ "$small" = "Gama,Gavev,Kotun,Nagad" ] && ok || bad "Gahuku-Gama small camp '$small'"
    [ "$(jq '.networks[0].partition | length' "$TMPD/out")" = 16 ] && ok || bad "partition size"
fi
# text output, the exhaustive mode (one minimum at 7) and the heuristic agree
expect_exit 0 -- "$ENTENTE" balance "$SIG/gahuku_gama_tribes_edgelist.csv"
expect_in "$TMPD/out" "frustration 7 (optimal)"
expect_exit 0 -- "$ENTENTE" balance "$SIG/gahuku_gama_tribes_edgelist.csv" --exhaustive --json
if $have_jq; then
    [ "$(jq '[.networks[0].exhaustive.minima[] | select(.value == 7)] | length' "$TMPD/out")" = 1 ] && ok || bad "not one minimum at 7"
    [ "$(jq '[.networks[0].exhaustive.minima[].basin] | add' "$TMPD/out")" = 32768 ] && ok || bad "basins do not sum to 2^15"
fi
expect_exit 0 -- "$ENTENTE" balance "$SIG/gahuku_gama_tribes_edgelist.csv" --heuristic --seed 3 --json
[ "$(json_int "$TMPD/out" frustration)" = 7 ] && ok || bad "heuristic frustration != 7"
expect_exit 0 -- "$ENTENTE" balance "$SIG/gahuku_gama_tribes_edgelist.csv" --k 3 --json
expect_in "$TMPD/out" '"blockmodel"'
expect_in "$TMPD/out" '"criterion"'

# WWI 1907: balanced, {GBR, FRA, RUS} vs {AUH, DEU, ITA}
expect_exit 0 -- "$ENTENTE" balance "$SIG/wwi_signed_ties.csv" --year 1907 --json
[ "$(json_int "$TMPD/out" frustration)" = 0 ] && ok || bad "WWI 1907 not balanced"
expect_in "$TMPD/out" '"triangle_balance": 1'
if $have_jq; then
    camps=$(jq -r '.networks[0].partition as $p | [$p | to_entries[] | select(.value == $p.GBR) | .key] | sort | join(",")' "$TMPD/out")
    [ "$camps" = "FRA,GBR,RUS" ] && ok || bad "WWI 1907 Entente camp '$camps'"
fi
expect_exit 2 -- "$ENTENTE" balance "$SIG/wwi_signed_ties.csv"
expect_in "$TMPD/err" "give a year"

# the Doreian-Mrvar file: one window by name, an unknown one
if [ -f "$SIG/cow_signed_networks_doreian_mrvar_edgelists.csv" ]; then
    expect_exit 0 -- "$ENTENTE" balance "$SIG/cow_signed_networks_doreian_mrvar_edgelists.csv" --network 46-49 --json
    [ "$(json_int "$TMPD/out" n)" = 64 ] && ok || bad "46-49 n != 64"
    expect_in "$TMPD/out" '"optimal": true'
    expect_exit 2 -- "$ENTENTE" balance "$SIG/cow_signed_networks_doreian_mrvar_edgelists.csv" --network 1914
    expect_in "$TMPD/err" "no network '1914'"
fi

# bad input: sign 0, self-loop, duplicate edge, malformed sign, missing file
printf 'from,to,sign\nA,B,1\nB,C,0\n' >"$TMPD/zero.csv"
expect_exit 2 -- "$ENTENTE" balance "$TMPD/zero.csv"
expect_in "$TMPD/err" "zero.csv:3:"
printf 'from,to,sign\nA,A,1\n' >"$TMPD/loop.csv"
expect_exit 2 -- "$ENTENTE" balance "$TMPD/loop.csv"
expect_in "$TMPD/err" "self-loop"
printf 'from,to,sign\nA,B,1\nB,A,-1\n' >"$TMPD/dup.csv"
expect_exit 2 -- "$ENTENTE" balance "$TMPD/dup.csv"
expect_in "$TMPD/err" "duplicate edge B-A (first on line 2)"
printf 'from,to,sign\nA,B,x\n' >"$TMPD/text.csv"
expect_exit 2 -- "$ENTENTE" balance "$TMPD/text.csv"
expect_in "$TMPD/err" "text.csv:2:"
expect_exit 3 -- "$ENTENTE" balance "$TMPD/absent.csv"
finish
