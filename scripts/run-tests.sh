#!/usr/bin/env bash
# Runs every test suite of a build (unit, integration, …) through `meson test` and prints one
# closing line "N passed, N failed", counting every TAP case of every test program.
set -uo pipefail
build=${1:-build-check}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(cd "$(dirname "$0")/.." && pwd)/tests/lsan.supp:print_suppressions=0}

meson test -C "$build" --print-errorlogs --num-processes "$(nproc)" "${@:2}"
status=$?

# meson (itself Python) is installed wherever this runs, so python3 is too.
python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, re, sys
passed = failed = 0
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line)
    out = t.get("stdout") or ""
    oks = len(re.findall(r"^ok\b", out, re.M))
    bad = len(re.findall(r"^not ok\b", out, re.M))
    if t["result"] not in ("OK", "EXPECTEDFAIL", "SKIP") and bad == 0:
        bad = 1  # crashed or timed out before reporting a failing case: count the program once
    passed += oks
    failed += bad
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
py=$?
[ $status -ne 0 ] && exit $status
exit $py
