#!/usr/bin/env bash
# Runs every benchmark program of a release build and prints one table `metric | value | target`.
# Benchmarks print numbers; they never fail on timing.
set -euo pipefail
build=${1:-build}
echo "metric | value | target"
for b in "$build"/bench/bench_*; do
  [ -f "$b" ] && [ -x "$b" ] || continue
  "$b"
done
