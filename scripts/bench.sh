#!/usr/bin/env bash
# Runs every benchmark program of a release build and prints one table `metric | value | target`.
# Benchmarks print numbers; they never fail on timing.
# Usage: scripts/bench.sh BUILD [--engine postgres] — with postgres, the billing benchmark
# (BENCH_CUSTOMERS customers, default 100,000) and the scale run (SCALE_CUSTOMERS, default
# 1,000,000: generate, bill a month, report, with time and disk of each step) and the aging
# benchmark (AGING_INVOICES open invoices, default 5,000,000) and the phân kỳ benchmark
# (PHANKY_CUSTOMERS non-residential customers, default 200,000) and the service indicator benchmark
# (SERVICE_REQUESTS requests, default 1,000,000) run on a throwaway PostgreSQL cluster.
set -euo pipefail
build=${1:-build}
engine=sqlite
[ "${2:-}" = "--engine" ] && engine=${3:-sqlite}
echo "metric | value | target"
if [ "$engine" = postgres ]; then
  # Each program gets a fresh database on one throwaway cluster.
  here=$(cd "$(dirname "$0")" && pwd)
  "$here/with-postgres.sh" bash -c '
    set -e
    for prog in bench_billing bench_scale bench_aging bench_phanky bench_service; do
      n=${BENCH_CUSTOMERS:-100000}; [ "$prog" = bench_scale ] && n=${SCALE_CUSTOMERS:-1000000}
      [ "$prog" = bench_aging ] && n=${AGING_INVOICES:-5000000}
      [ "$prog" = bench_phanky ] && n=${PHANKY_CUSTOMERS:-200000}
      [ "$prog" = bench_service ] && n=${SERVICE_REQUESTS:-1000000}
      psql -X -q -d "$POWERCIS_TEST_PG" -c "CREATE DATABASE $prog"
      POWERCIS_BENCH_DB="${POWERCIS_TEST_PG/powercis_test/$prog}" "$0/bench/$prog" "$n"
    done' "$build"
  exit 0
fi
for b in "$build"/bench/bench_*; do
  [ -f "$b" ] && [ -x "$b" ] || continue
  "$b"
done
# the HTTP API under wrk on loopback (HTTP_CUSTOMERS, HTTP_SECONDS)
"$(dirname "$0")/../bench/http.sh" "$build"
