# lib.sh -- shared by the CLI tests: temp dir, expectations, the pass/fail tally.
set -u
: "${ENTENTE:?ENTENTE must point at the built binary}"
TMPD=${ENT_TMP:-$(mktemp -d)}
rm -rf "$TMPD" && mkdir -p "$TMPD"
DATA=${ENT_SHARED_DATA:-../shared/data}
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# expect_exit CODE -- CMD...: runs CMD, stdout to $TMPD/out, stderr to $TMPD/err
expect_exit() {
    local want=$1; shift; shift
    "$@" >"$TMPD/out" 2>"$TMPD/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "exit $got (wanted $want): $* -- $(head -c 300 "$TMPD/err")"; fi
}
# expect_in FILE TEXT
expect_in() {
    if grep -qF -- "$2" "$1"; then ok; else bad "'$2' not in $(basename "$1"): $(head -c 300 "$1")"; fi
}
# json_int FILE KEY -> the integer value of "KEY": N
json_int() { grep -o "\"$2\": *[0-9-]*" "$1" | head -1 | sed 's/.*: *//'; }

# same_results A B: true when two JSON outputs are equal but for their "provenance" blocks,
# which record the command line, the thread count and MPI ranks and so legitimately differ.
same_results() {
    /usr/bin/python3 -c '
import json, sys
def strip(path):
    with open(path) as f:
        v = json.load(f)
    if isinstance(v, dict):
        v.pop("provenance", None)
    return v
sys.exit(0 if strip(sys.argv[1]) == strip(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}
