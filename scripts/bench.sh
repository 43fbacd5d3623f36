#!/usr/bin/env bash
# Runs every benchmark program of a release build and prints one table `metric | value | target`.
# Benchmarks print numbers; they never fail on timing.
# Usage: scripts/bench.sh BUILD [--engine postgres] — with postgres, the billing benchmark runs on a
# throwaway PostgreSQL cluster (BENCH_CUSTOMERS customers, default 100,000).
set -euo pipefail
build=${1:-build}
engine=sqlite
[ "${2:-}" = "--engine" ] && engine=${3:-sqlite}
echo "metric | value | target"
if [ "$engine" = postgres ]; then
  here=$(cd "$(dirname "$0")" && pwd)
  "$here/with-postgres.sh" env POWERCIS_BENCH_DB= bash -c \
    'POWERCIS_BENCH_DB="$POWERCIS_TEST_PG" "$0" "$1"' "$build/bench/bench_billing" "${BENCH_CUSTOMERS:-100000}"
  exit 0
fi
for b in "$build"/bench/bench_*; do
  [ -f "$b" ] && [ -x "$b" ] || continue
  "$b"
done
