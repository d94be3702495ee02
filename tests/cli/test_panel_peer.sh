#!/usr/bin/env bash
# `entente dyads` against its independent peer bench/panel_peer.py (numpy/pandas straight from the
# raw files in ../shared/data, none of entente's code or store): every column the peer builds, every
# row of a few years, to 1e-9. The peer feeds the leakage check and the logit cross-check of
# docs/validation.md, and it had drifted from the C panel unnoticed (other MID, democracy and
# rivalry files, contiguity type 0 read as sea, MID onsets counted in both orders, partners outside
# the system, Namibia's ISO code "NA" read as missing, identical-vote agreement): this keeps the two
# together. The years are chosen for the cases that drifted: 1914 (no UN, trade from 1870), 1947
# (UK-Ceylon, a defence tie with a state not yet in the system; Czechoslovakia and Yugoslavia
# vote), 1964 (no roll call), 1980 (both Germanys and both Yemens vote), 2000 (Namibia), 2014 (the
# MID data's last year, COW alliances ended), 2017-2018 (contiguity and major powers ended; no
# outcome in 2018). A negative control shows the comparison fails on one changed value.
# Skips (77) without the data or without /usr/bin/python3 with numpy and pandas.
. "$(dirname "$0")/lib.sh"
src=${ENT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
py=/usr/bin/python3
years="1914 1947 1964 1980 2000 2014 2017 2018"
panel_skip_without unga/un_roll_calls.csv.gz codes/cow_ddy.csv.gz codes/countrycode_codelist.csv
if ! "$py" -c "import numpy, pandas" 2>/dev/null; then
    echo "SKIP: $py has no numpy/pandas (apt-get install python3-pandas)"
    exit 77
fi
db="$TMPD/panel.db"
import_panel_store "$db"

# entente's rows of the chosen years, one CSV
: >"$TMPD/entente.csv"
for y in $years; do
    if "$ENTENTE" dyads --year "$y" --out "$TMPD/e$y.csv" --db "$db" 2>"$TMPD/err"; then
        ok
    else
        bad "entente dyads --year $y: $(cat "$TMPD/err")"
    fi
    if [ -s "$TMPD/entente.csv" ]; then tail -n +2 "$TMPD/e$y.csv"; else cat "$TMPD/e$y.csv"; fi >>"$TMPD/entente.csv"
done

# the peer builds the same years from the raw files and compares every value
if "$py" "$src/bench/panel_peer.py" "$TMPD/peer.csv" --years "${years// /,}" --data "$DATA" \
    --compare "$TMPD/entente.csv" >"$TMPD/cmp" 2>"$TMPD/peer.err"; then
    ok
else
    bad "entente dyads and bench/panel_peer.py disagree: $(head -c 3000 "$TMPD/cmp") $(tail -3 "$TMPD/peer.err")"
fi
cat "$TMPD/cmp"
expect_in "$TMPD/cmp" "every value agrees"
# the comparison is over every row of those years (the peer has no column entente lacks)
rows=$(($(grep -vc '^#' "$TMPD/peer.csv") - 1))
erows=$(($(wc -l <"$TMPD/entente.csv") - 1))
[ "$rows" -eq "$erows" ] && [ "$rows" -gt 90000 ] && ok || bad "peer rows $rows, entente rows $erows"

# negative control: one defence degree changed in entente's CSV must be caught
"$py" - "$TMPD/entente.csv" "$TMPD/changed.csv" <<'EOF'
import sys
import pandas as pd
e = pd.read_csv(sys.argv[1])
i = e.index[(e.year == 1947) & (e.ccode1 == 200)][0]
e.loc[i, "defdeg1"] += 1
e.to_csv(sys.argv[2], index=False)
EOF
expect_exit 1 -- "$py" "$src/bench/panel_peer.py" "$TMPD/peer.csv" --compare "$TMPD/changed.csv" --reuse
expect_in "$TMPD/out" "defdeg1: 1 of"
finish
