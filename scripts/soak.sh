#!/usr/bin/env bash
# make soak (issue 9, docs/testing.md): the long runs that do not fit in make check. Not part of CI.
#   1. every fuzz target for SOAK_FUZZ_SECONDS (default 300) each;
#   2. a mixed load of lookups, searches and counter postings for SOAK_LOAD_SECONDS (default 600)
#      on the release build, with the invariants after;
#   3. kill/restart cycles: tests/integration/crash.sh with 2,000 customers, a 1,000,000-line
#      import and SOAK_KILLS (default 10) kills per job, on the sanitizer build.
# Prints each part's TAP as it goes and a summary table at the end; exit 1 when a part failed.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
release=$(cd "${1:-$root/build}" && pwd)
checkb=$(cd "${2:-$root/build-check}" && pwd)
export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0
log=$(mktemp -d "${TMPDIR:-/tmp}/powercis-soak-XXXXXX")
rows=()
part() { # NAME LOGFILE SECONDS RC: a summary row from a TAP log
  local pass fail; pass=$(grep -c '^ok' "$2"); fail=$(grep -c '^not ok' "$2")
  rows+=("$(printf '%-34s | %6s | %6s | %7s s | %s' "$1" "$pass" "$fail" "$3" "$([ "$4" -eq 0 ] && [ "$fail" -eq 0 ] && echo ok || echo FAILED)")")
}
run() { # NAME LOGFILE CMD...
  local name=$1 out=$2 t0 rc; shift 2
  echo "== $name"
  t0=$(date +%s)
  "$@" 2>&1 | tee "$out" | grep -E '^(ok|not ok|#)'
  rc=${PIPESTATUS[0]}
  part "$name" "$out" $(( $(date +%s) - t0 )) "$rc"
}
run "fuzzing (${SOAK_FUZZ_SECONDS:-300} s a target)" "$log/fuzz.tap" \
  "$root/scripts/fuzz.sh" --seconds "${SOAK_FUZZ_SECONDS:-300}" --build "$root/build-fuzz"
run "mixed load (${SOAK_LOAD_SECONDS:-600} s)" "$log/load.tap" \
  env POWERCIS="$release/powercis" CASES="$root/tests/cases" LOAD_SECONDS="${SOAK_LOAD_SECONDS:-600}" \
  LOAD_CUSTOMERS="${SOAK_LOAD_CUSTOMERS:-50000}" bash "$root/tests/integration/load.sh"
run "kill/restart cycles" "$log/crash.tap" \
  env POWERCIS="$checkb/powercis" CASES="$root/tests/cases" CRASH_CUSTOMERS="${SOAK_CRASH_CUSTOMERS:-2000}" CRASH_IMPORT_LINES="${SOAK_IMPORT_LINES:-1000000}" \
  CRASH_KILLS="${SOAK_KILLS:-10}" bash "$root/tests/integration/crash.sh"
echo
printf '%-34s | %6s | %6s | %9s | %s\n' "part" "ok" "not ok" "time" "result"
printf '%s\n' "${rows[@]}"
grep -h '^# .*executions in all\|^# .*requests in\|^# crash points' "$log"/*.tap
echo "logs: $log"
! printf '%s\n' "${rows[@]}" | grep -q FAILED
