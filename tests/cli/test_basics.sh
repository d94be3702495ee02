#!/usr/bin/env bash
# The CLI's contract: --help and --version, usage errors exit 1, input errors 2,
# store and I/O errors 3; every command has --help.
. "$(dirname "$0")/lib.sh"
db="$TMPD/b.db"

expect_exit 0 -- "$ENTENTE" --help
expect_in "$TMPD/out" "exit codes"
expect_exit 0 -- "$ENTENTE" --version
expect_in "$TMPD/out" "entente 0."
expect_exit 1 -- "$ENTENTE"
expect_exit 1 -- "$ENTENTE" frobnicate
expect_in "$TMPD/err" "unknown command 'frobnicate'"
for cmd in import states ties summary world simulate forecast similarity dyads balance; do
    expect_exit 0 -- "$ENTENTE" "$cmd" --help
    expect_in "$TMPD/out" "usage: entente $cmd"
    expect_exit 1 -- "$ENTENTE" "$cmd" --no-such-option
done
expect_exit 1 -- "$ENTENTE" import
expect_exit 1 -- "$ENTENTE" import nosuchformat x.csv --db "$db"
expect_in "$TMPD/err" "unknown format 'nosuchformat'"
expect_exit 1 -- "$ENTENTE" ties --db "$db"
expect_in "$TMPD/err" "--state CODE is required"
expect_exit 1 -- "$ENTENTE" states --year 19x4 --db "$db"
expect_exit 1 -- "$ENTENTE" ties --state CHN --kind friendship --db "$db"

# a missing file is an I/O error; nothing else is touched
expect_exit 3 -- "$ENTENTE" import cow-states "$TMPD/none.csv" --db "$db"
expect_in "$TMPD/err" "none.csv: cannot open"
# a store that is not a database
echo "plain text, not a database" >"$TMPD/text.db"
expect_exit 3 -- "$ENTENTE" summary --db "$TMPD/text.db"
# a store with no states: the hint says what to import
expect_exit 2 -- "$ENTENTE" ties --state CHN --db "$db"
expect_in "$TMPD/err" "import cow-states"

# a small state list, then the commands on it
cat >"$TMPD/states.csv" <<'CSV'
stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
USA,2,United States of America,1816,1,1,2016,12,31,2016
CHN,710,China,1860,1,1,2016,12,31,2016
PRK,731,North Korea,1948,9,9,2016,12,31,2016
CSV
expect_exit 0 -- "$ENTENTE" import cow-states "$TMPD/states.csv" --db "$db" --json
[ "$(json_int "$TMPD/out" rows)" = 3 ] && ok || bad "rows != 3"
[ "$(json_int "$TMPD/out" inserted)" = 3 ] && ok || bad "inserted != 3"
[ "$(json_int "$TMPD/out" rejected)" = 0 ] && ok || bad "rejected != 0"
expect_in "$TMPD/out" '"format": "cow-states"'
expect_exit 0 -- "$ENTENTE" states --year 1900 --db "$db"
expect_in "$TMPD/out" "China"
if grep -q "North Korea" "$TMPD/out"; then bad "North Korea listed in 1900"; else ok; fi
expect_exit 2 -- "$ENTENTE" ties --state XYZ --db "$db"
expect_in "$TMPD/err" "unknown state 'XYZ'"
expect_exit 0 -- "$ENTENTE" ties --state 710 --db "$db" --json
expect_in "$TMPD/out" "[]"
# $ENTENTE_DB is honoured
ENTENTE_DB="$db" expect_exit 0 -- "$ENTENTE" summary --json
expect_in "$TMPD/out" '"states": 3'

# --keep-going: bad rows are reported and counted, good rows land
cat >"$TMPD/sys.csv" <<'CSV'
stateabb,ccode,year,version
USA,2,1816,2016
XXX,999,1816,2016
CHN,710,18x0,2016
CHN,710,1860,2016
CSV
expect_exit 2 -- "$ENTENTE" import cow-system "$TMPD/sys.csv" --db "$db"
expect_in "$TMPD/err" "sys.csv:3:5: field 'ccode': unknown COW state code 999"
expect_exit 0 -- "$ENTENTE" import cow-system "$TMPD/sys.csv" --db "$db" --keep-going --json
[ "$(json_int "$TMPD/out" inserted)" = 2 ] && ok || bad "keep-going inserted != 2"
[ "$(json_int "$TMPD/out" rejected)" = 2 ] && ok || bad "keep-going rejected != 2"
expect_in "$TMPD/err" "rejected: sys.csv:4:9: field 'year'"
finish
