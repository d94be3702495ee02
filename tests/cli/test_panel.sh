#!/usr/bin/env bash
# `entente dyads` as the research panel, on the real data: every source imported,
# then random rows (fixed seed) of an early year, of 2000-2018 and of a directed
# year checked against an independent pandas computation from the raw files
# (tests/panel_check.py), the dyad set against codes/cow_ddy.csv.gz, the Stata
# file read back by pandas.read_stata, column selection, and bad arguments.
# Skips (77) without ../shared/data or without /usr/bin/python3 and pandas.
. "$(dirname "$0")/lib.sh"
src=${ENT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
py=/usr/bin/python3
panel_skip_without codes/cow_ddy.csv.gz codes/countrycode_codelist.csv
if ! "$py" -c "import pandas" 2>/dev/null; then
    echo "SKIP: $py has no pandas (apt-get install python3-pandas)"
    exit 77
fi
db="$TMPD/panel.db"
import_panel_store "$db"

# usage errors
expect_exit 1 -- "$ENTENTE" dyads --from 1990 --to 1991 --columns ldist,nonsense --out "$TMPD/x.csv" --db "$db"
expect_in "$TMPD/err" "unknown panel column 'nonsense'"
expect_exit 1 -- "$ENTENTE" dyads --from 1990 --to 1991 --format dta --out - --db "$db"
expect_exit 1 -- "$ENTENTE" dyads --from 1990 --to 1991 --mids xyz --out "$TMPD/x.csv" --db "$db"
expect_exit 1 -- "$ENTENTE" dyads --from 1700 --to 1991 --out "$TMPD/x.csv" --db "$db"
expect_exit 2 -- "$ENTENTE" dyads --from 2015 --to 2020 --out "$TMPD/x.csv" --db "$db"
[ ! -e "$TMPD/x.csv" ] && [ ! -e "$TMPD/x.csv.tmp" ] && ok || bad "dyads left a file after an error"

# an early year (the July crisis), 2000-2018 with every source, a directed year; then random
# rows of each against the raw files (read once)
expect_exit 0 -- "$ENTENTE" dyads --year 1914 --out "$TMPD/p1914.csv" --db "$db"
expect_exit 0 -- "$ENTENTE" dyads --from 2000 --to 2018 --out "$TMPD/p2000.csv" --db "$db"
expect_in "$TMPD/err" "undirected dyad-years, 2000-2018"
expect_exit 0 -- "$ENTENTE" dyads --year 2000 --directed --out "$TMPD/p2000d.csv" --db "$db"
if "$py" "$src/tests/panel_check.py" "$DATA" "$TMPD/p1914.csv:400" "$TMPD/p2000.csv:1500" \
    "$TMPD/p2000d.csv:400:directed" --seed 11 >"$TMPD/check" 2>&1; then
    ok
else
    bad "panel_check.py: $(tail -8 "$TMPD/check")"
fi
grep '^panel \|passed' "$TMPD/check"

# the contract's header, in order, before any extra column
head -1 "$TMPD/p2000.csv" | cut -d, -f1-50 >"$TMPD/hdr"
expect_in "$TMPD/hdr" "ccode1,ccode2,year,new_defence,atop_defense,atop_offense,atop_neutrality,atop_nonagg,atop_consul,cow_defense,cow_neutrality,cow_entente,years_since_defence,ever_defence,common_defence_partners,defdeg1,defdeg2,ldist,contig_land,contig_sea,cinc1,cinc2,cinc_ratio,major1,major2,polyarchy1,polyarchy2,polity2_1,polity2_2,joint_democracy,democ_missing,mid_onset,mid_ongoing,mids_10y,shared_mid_opponents,rivalry,shared_rivals,trade_flow,trade_share1,trade_share2,joint_igo,idealpoint_dist,vote_agree,vote_n,vote_few,s_unweighted,s_weighted,kappa,pi,taub"

# a selection is the same values as the full table
expect_exit 0 -- "$ENTENTE" dyads --from 2010 --to 2012 --columns vote_n,ldist --out "$TMPD/sel.csv" --db "$db"
head -1 "$TMPD/sel.csv" >"$TMPD/hdr"
expect_in "$TMPD/hdr" "ccode1,ccode2,year,vote_n,ldist"
"$py" - "$TMPD/sel.csv" "$TMPD/p2000.csv" <<'EOF' && ok || bad "--columns differs from the full table"
import sys, numpy as np, pandas as pd
a = pd.read_csv(sys.argv[1]).astype(float)
b = pd.read_csv(sys.argv[2], usecols=["ccode1", "ccode2", "year", "vote_n", "ldist"]).astype(float)
b = b[(b.year >= 2010) & (b.year <= 2012)].reset_index(drop=True)[list(a.columns)]
sys.exit(0 if list(a.columns) == list(b.columns) and a.shape == b.shape and np.array_equal(a.to_numpy(), b.to_numpy(), equal_nan=True) else 1)
EOF

# Stata: the same table through ReadStat, read back by pandas
expect_exit 0 -- "$ENTENTE" dyads --from 2008 --to 2018 --format dta --out "$TMPD/p2008.dta" --db "$db"
[ ! -e "$TMPD/p2008.dta.tmp" ] && ok || bad "dta: temporary file left behind"
"$py" - "$TMPD/p2008.dta" "$TMPD/p2000.csv" <<'EOF' && ok || bad "the .dta differs from the CSV"
import sys, numpy as np, pandas as pd
d = pd.read_stata(sys.argv[1])
c = pd.read_csv(sys.argv[2])
c = c[c.year >= 2008].reset_index(drop=True)
assert list(d.columns) == list(c.columns), "columns"
assert len(d) == len(c), "rows"
for col in c.columns:
    x, y = d[col].to_numpy(dtype=float), c[col].to_numpy(dtype=float)
    same = (np.isnan(x) & np.isnan(y)) | (np.abs(x - y) <= 1e-12 * np.maximum(1, np.abs(y)))
    assert same.all(), col
EOF
finish
