# Shared helpers for the integration scripts: a temporary folder, the real binary, and TAP
# output ("ok N - name" / "not ok N - name", plan at the end).
set -u
: "${POWERCIS:?POWERCIS must name the powercis binary}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/powercis-it-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
export POWERCIS_DB="$WORK/test.db"
export POWERCIS_USER=tester
T_N=0
T_FAILED=0

pc() { "$POWERCIS" "$@"; }

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $1"; }
not_ok() {
  T_N=$((T_N + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_N - $1"
  shift
  for line in "$@"; do printf '%s\n' "$line" | sed 's/^/# /'; done
}

# check NAME CMD...: the command must succeed
check() { local name=$1; shift; local out; if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "command failed: $*" "$out"; fi; }
# check_fails NAME CMD...: the command must fail (non-zero exit)
check_fails() { local name=$1; shift; local out; if out=$("$@" 2>&1); then not_ok "$name" "command succeeded: $*" "$out"; else ok "$name"; fi; }
# check_eq NAME EXPECTED ACTUAL
check_eq() { if [ "$2" == "$3" ]; then ok "$1"; else not_ok "$1" "expected: $2" "actual:   $3"; fi; }
# check_contains NAME NEEDLE HAYSTACK
check_contains() { if [[ "$3" == *"$2"* ]]; then ok "$1"; else not_ok "$1" "expected to find: $2" "in: $3"; fi; }
check_not_contains() { if [[ "$3" != *"$2"* ]]; then ok "$1"; else not_ok "$1" "did not expect: $2" "in: $3"; fi; }

# sql QUERY: one value from the test database (sqlite3 CLI, read-only)
sql() { sqlite3 -readonly -batch -noheader "$POWERCIS_DB" "$1"; }

finish() { echo "1..$T_N"; [ "$T_FAILED" -eq 0 ]; exit $?; }

# A small org tree used by most scripts.
make_tree() {
  pc org add PA "Tổng công ty Điện lực miền Bắc" >/dev/null &&
  pc org add PA01 "Công ty Điện lực Nam Định" >/dev/null &&
  pc org add PA0101 "Điện lực Vụ Bản" >/dev/null &&
  pc org add PA0102 "Điện lực Ý Yên" >/dev/null &&
  pc org add PA02 "Công ty Điện lực Thái Bình" >/dev/null &&
  pc org add PA0201 "Điện lực Hưng Hà" >/dev/null
}
