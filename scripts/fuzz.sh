#!/usr/bin/env bash
# The libFuzzer targets of tests/fuzz (docs/testing.md "Fuzzing"): configures and builds them with
# clang (ASan + UBSan + libFuzzer) in BUILD_DIR, replays every kept regression input, then runs
# each target for SECONDS on its corpus. Prints TAP: one case per target with its executions.
# A finding is saved under BUILD_DIR/findings/<target>/ and fails the case; to keep it as a
# regression input, fix the cause and move the file to tests/fuzz/regressions/<target>/.
#   scripts/fuzz.sh [--seconds N] [--build DIR] [--only REGEX]
# `make check` runs 15 s per target; `make soak` 300 s.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=15
build=$root/build-fuzz
only=
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: scripts/fuzz.sh [--seconds N] [--build DIR] [--only REGEX]" >&2; exit 2 ;;
  esac
done
n=0
bail() { echo "Bail out! $1"; exit 1; }
command -v clang >/dev/null || bail "clang is missing (scripts/deps.sh check installs it)"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$root" --buildtype=debug -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link > "$build.setup.log" 2>&1 ||
    bail "meson setup of the fuzz build failed: $(tail -5 "$build.setup.log")"
fi
ninja -C "$build" > "$build/fuzz-build.log" 2>&1 ||
  bail "the fuzz build failed: $(grep -m3 -E 'error|FAILED' "$build/fuzz-build.log")"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
total_execs=0
for bin in "$build"/tests/fuzz/fuzz_*; do
  [ -x "$bin" ] && [ -f "$bin" ] || continue
  t=$(basename "$bin")
  [ -n "$only" ] && ! [[ $t =~ $only ]] && continue
  corpus=$root/tests/fuzz/corpus/$t
  regressions=$root/tests/fuzz/regressions/$t
  # 1. every kept regression input and corpus file, once each
  inputs=()
  for dir in "$regressions" "$corpus"; do [ -d "$dir" ] && inputs+=("$dir"/*); done
  n=$((n + 1))
  if [ ${#inputs[@]} -gt 0 ] && ! "$bin" -runs=1 "${inputs[@]}" > "$work/$t.replay" 2>&1; then
    echo "not ok $n - $t: a kept input fails again"
    grep -E 'FINDING|ERROR|SUMMARY|Running:' "$work/$t.replay" | tail -6 | sed 's/^/# /'
    continue
  fi
  # 2. fuzzing: new inputs go to a scratch corpus; the kept one is only read
  mkdir -p "$work/$t" "$build/findings/$t"
  args=("$work/$t")
  [ -d "$corpus" ] && args+=("$corpus")
  "$bin" "${args[@]}" -max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048 \
    -artifact_prefix="$build/findings/$t/" > "$work/$t.log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
  execs=${execs:-0}
  total_execs=$((total_execs + execs))
  if [ $rc -eq 0 ]; then
    echo "ok $n - $t: $execs executions in ${seconds} s, no finding"
  else
    echo "not ok $n - $t: a finding after $execs executions (input kept in $build/findings/$t/)"
    grep -E 'FINDING|ERROR|SUMMARY|#[0-9]+ 0x' "$work/$t.log" | head -12 | sed 's/^/# /'
  fi
done
[ $n -gt 0 ] || bail "no fuzz target was built in $build"
echo "# $total_execs executions in all"
echo "1..$n"
