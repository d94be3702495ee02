#!/usr/bin/env bash
# The shipped world: the data check (every file valid, sourced, consistent),
# `entente world` for the system and for a state's pyramid, and the reader's
# refusal of corrupted copies, each named by file, line and field.
. "$(dirname "$0")/lib.sh"
world="$ENT_SRC/data"

# 1. The data check on what ships.
expect_exit 0 -- "$ENTENTE" world --check --world-dir "$world"
expect_in "$TMPD/out" ": ok --"

# 2. COW codes and abbreviations agree with the COW state list, where the state is in it.
if [ -f "$DATA/cow/states2016.csv" ]; then
    /usr/bin/python3 - "$world/states.csv" "$DATA/cow/states2016.csv" >"$TMPD/codes" 2>&1 <<'PY'
import csv, sys
ours = {r["ccode"]: r["abbr"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
cow = {r["ccode"]: r["stateabb"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))}
bad = [(c, a, cow[c]) for c, a in ours.items() if c in cow and cow[c] != a]
missing = [c for c in ours if c not in cow]
print("mismatch", bad)
print("not in COW", missing)
sys.exit(1 if bad else 0)
PY
    [ $? -eq 0 ] && ok || bad "codes differ from COW: $(cat "$TMPD/codes")"
else
    echo "skip: COW state list absent"
fi

# 3. The world at the default date, text and JSON.
expect_exit 0 -- "$ENTENTE" world
expect_in "$TMPD/out" "Defence-pact components"
expect_in "$TMPD/out" "CHN's partnership ladder"
expect_exit 0 -- "$ENTENTE" world --json
for key in '"pact_blocs"' '"ties_by_kind"' '"organisations"' '"partnership_ladders"'; do expect_in "$TMPD/out" "$key"; done

# 4. China's pyramid, as the essay describes it.
expect_exit 0 -- "$ENTENTE" world --state CHN
expect_in "$TMPD/out" "Formal allies (defence pacts): 1"
expect_in "$TMPD/out" "PRK  North Korea"
expect_in "$TMPD/out" "Comprehensive Strategic Partnership of Coordination for a New Era"
expect_in "$TMPD/out" "All-Weather Strategic Cooperative Partnership"
expect_in "$TMPD/out" "tier 8"
expect_exit 0 -- "$ENTENTE" world --state 710 --json
for key in '"allies"' '"partnership_tiers"' '"organisations"' '"security"' '"coercion_sent"' '"rivalries"' '"economy"'; do
    expect_in "$TMPD/out" "$key"
done
# Economic figures: derived DOTS shares with their year; AidData official finance, named as such.
expect_exit 0 -- "$ENTENTE" world --state KEN
expect_in "$TMPD/out" "goods trade, 2024:"
expect_in "$TMPD/out" "Chinese official finance committed 2000-2021: \$"
expect_exit 0 -- "$ENTENTE" world --state KEN --json
expect_in "$TMPD/out" '"chn_official_finance_usd_bn"'
[ "$(json_int "$TMPD/out" year)" = 2024 ] && ok || bad "KEN economy year is not 2024"
# Dormant treaties: the 1959 US-Pakistan agreement is listed, marked, and makes no ally; it was live in 1980.
expect_exit 0 -- "$ENTENTE" world --state PAK --date 2024-12-31
expect_in "$TMPD/out" "Formal allies (defence pacts): 0"
expect_in "$TMPD/out" "ATOP 3355: USA-PAK (1959)"
expect_in "$TMPD/out" "DORMANT (in force on paper only)"
expect_exit 0 -- "$ENTENTE" world --state PAK --date 1980-06-30
expect_in "$TMPD/out" "USA  United States              ATOP 3355: USA-PAK (1959)"
expect_exit 0 -- "$ENTENTE" world --state PAK --json --date 2024-12-31
expect_in "$TMPD/out" '"dormant": true'
expect_exit 0 -- "$ENTENTE" world --check
expect_in "$TMPD/out" "dormant pact dyads, 5 estimated economic rows, 191 states with UN votes (1 with fewer than 20)"
# UN votes: the 2024 session with its vote count; a share without its count is refused.
expect_exit 0 -- "$ENTENTE" world --state PAK --date 2024-12-31
expect_in "$TMPD/out" "UN General Assembly, 2024 (100 votes)"
expect_in "$TMPD/out" "agreement with China: 87.5% of votes"
# A partner's view: Pakistan sees its place on China's ladder.
expect_exit 0 -- "$ENTENTE" world --state PAK
expect_in "$TMPD/out" "with CHN  tier 8"
# Time slicing: before 2019 Russia's label was the earlier one, before 2023 Iran was not in the SCO.
expect_exit 0 -- "$ENTENTE" world --state RUS --date 2015
if grep -q "for a New Era" "$TMPD/out"; then bad "New Era moniker shown in 2015"; else ok; fi
expect_exit 0 -- "$ENTENTE" world --state IRN --date 2022-12-31
if grep -q "^  sco      member" "$TMPD/out"; then bad "Iran a member of the SCO in 2022"; else ok; fi
expect_in "$TMPD/out" "sco      observer"
expect_exit 0 -- "$ENTENTE" world --state IRN --date 2024
expect_in "$TMPD/out" "sco      member"
expect_exit 2 -- "$ENTENTE" world --state XYZ
expect_exit 1 -- "$ENTENTE" world --date 2024-13-01
expect_exit 3 -- "$ENTENTE" world --world-dir "$TMPD/no-such-dir"

# 5. Corrupted copies: each is refused with exit 2 and a message naming file:line and field.
corrupt() { # name file sed-expression expected-substring
    rm -rf "$TMPD/w" && cp -r "$world" "$TMPD/w"
    sed -i "$3" "$TMPD/w/$2"
    expect_exit 2 -- "$ENTENTE" world --check --world-dir "$TMPD/w"
    expect_in "$TMPD/err" "$4"
}
corrupt unsourced partnerships.csv '2s/,"[^"]*",\([^,]*\)$/,"",\1/; 2s/,[^,]*,\([^,]*\)$/,,\1/' "partnerships.csv:2:"
corrupt unknown_state partnerships.csv '2s/^[0-9]*,/999,/' "partnerships.csv:2:1: field 'partner': state 999 is not in states.csv"
corrupt dup_state states.csv '3s/^[0-9]*,/2,/' "states.csv:3:1: field 'ccode': duplicate row"
corrupt bad_tier partnerships.csv '2s/^\([0-9]*\),710,[0-9]*,/\1,710,12,/' "field 'tier': tier 12 is not on the scale"
corrupt bad_date pacts.csv '2s/,1911-04-17,/,1911-13-17,/' "pacts.csv:2:"
corrupt end_before_start coercion.csv '2s/^\([0-9]*\),\([0-9]*\),[^,]*,[^,]*,/\1,\2,2020-05-01,2019-01-01,/' "coercion.csv:2:"
corrupt bad_kind orgs.csv '2s/,collective_defense,/,alliance,/' "field 'kind': 'alliance' is not one of"
corrupt unknown_org org_members.csv '2s/^nato,/natoo,/' "org_members.csv:2:1: field 'org_id': organisation 'natoo' is not in orgs.csv"
corrupt unknown_pact pact_members.csv '2s/^[^,]*,/no_such_pact,/' "pact_members.csv:2:1: field 'pact_id': pact 'no_such_pact' is not in pacts.csv"
corrupt bad_flag pact_members.csv '2s/,\([0-9]\),\([0-9]\),\([0-9]\),\([0-9]\),\([0-9]\),"/,2,\2,\3,\4,\5,"/' "pact_members.csv:2:"
# A dormant flag needs its evidence; the flag is 0/1.
corrupt dormant_unsourced pacts.csv '/^atop_3355,/s/,"dormant: [^"]*"$/,"no reason given"/' "field 'note': a dormant pact needs its evidence in note"
corrupt dormant_open pact_members.csv '/^atop_3355,2,1990-10-01,/s/,1,0,0,0,1,1,"/,1,0,0,0,1,0,"/' "field 'dormant': pact 'atop_3355' is dormant, but this open spell is not"
corrupt dormant_flag pact_members.csv '2s/,\([01]\),"ATOP/,7,"ATOP/' "field 'dormant'"
corrupt unga_nocount unga.csv '/^770,/s/,100,"/,,"/' "field 'votes': an agreement share needs the number of votes"
corrupt unga_range unga.csv '/^770,/s/,0.8750,/,1.8750,/' "field 'agree_chn': 1.875 outside 0..1"
corrupt share_range economic.csv '2s/^\([0-9]*\),\([0-9]*\),[^,]*,/\1,\2,1.7,/' "field 'trade_share_chn': 1.7 outside 0..1"
corrupt bad_actor events.csv '2s/^\([^,]*\),\([^,]*\),[^,]*,/\1,\2,2;9x,/' "events.csv:2:"
corrupt missing_col tiers.csv '1s/^tier,/rank,/' "tiers.csv:1: header: missing column 'tier'"
corrupt region states.csv '2s/,Americas,/,Atlantis,/' "field 'region': 'Atlantis' is not one of"
corrupt latitude states.csv '2s/,38\.[0-9]*,/,138.0,/' "field 'lat': 138 outside -90..90"
corrupt rivalry_self rivalries.csv '2s/^\([0-9]*\),[0-9]*,/\1,\1,/' "rivalries.csv:2:"
corrupt truncated security.csv '$s/,[^,]*$//' "security.csv:"
finish
