#!/usr/bin/env bash
# Scale features of the store: monthly partitions (PostgreSQL) and the monthly job that creates
# them; concurrent billing runs on one database bill every read once, with gapless e-invoice
# numbers and the same totals as one run alone.
. "$(dirname "$0")/lib.sh"

N=600
[ "$ENGINE" = postgres ] && N=300
pc demo --customers $N --seed 11 --until 2025-09 --months 3 --no-invoices >/dev/null

# ---- the monthly job ----
out=$(pc db partitions --from 2025-07 --ahead 2 2>&1); rc=$?
check_eq "db partitions runs" "0" "$rc"
if [ "$ENGINE" = postgres ]; then
  check_contains "reports each table" "invoice_line" "$out"
  # the demo's reads of July–September 2025 arrived before any partition of theirs: they wait in the
  # default partition, and those months are left there (reported, not moved)
  json=$(pc db partitions --from 2025-07 --ahead 2 --json)
  check_contains "reads of months without a partition wait in the default one" '"table":"meter_read","created":0' "$json"
  reads_default=$(sql "SELECT count(*) FROM meter_read_default")
  check_eq "all demo reads in the default partition" "$(sql 'SELECT count(*) FROM meter_read')" "$reads_default"
  # invoices of 2025-08 get their own partition (no invoice was there yet)
  check_eq "invoice partition for 2025-08 created" "1" "$(sql "SELECT count(*) FROM pg_class WHERE relname = 'invoice_202508'")"
  check_eq "invoice line partition for 2025-08 created" "1" "$(sql "SELECT count(*) FROM pg_class WHERE relname = 'invoice_line_202508'")"
  check_eq "a second run creates nothing" "0" "$(pc db partitions --from 2025-07 --ahead 2 --json | python3 -c 'import json,sys; print(sum(t["created"] for t in json.load(sys.stdin)))')"
  check_fails "bad --from refused" pc db partitions --from 2025-13
  check_fails "--ahead out of range refused" pc db partitions --ahead 500
else
  check_contains "SQLite: nothing to do" "nothing to do" "$out"
fi

# ---- concurrent billing runs ----
SERIAL=$(copydb "$POWERCIS_DB" serial)
pc --db "$SERIAL" bill run --period 2025-08 --issue-date 2025-09-05 >/dev/null
pids=()
for i in 1 2 3 4; do
  pc bill run --period 2025-08 --issue-date 2025-09-05 --chunk 37 >"$WORK/run$i.out" 2>"$WORK/run$i.err" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
check_eq "four concurrent runs all succeed" "0" "$failed"; [ "$failed" = 0 ] || cat "$WORK"/run*.err | sed "s/^/# /"
billed=$(cat "$WORK"/run*.out | sed -n 's/.*billed 2025-08: \([0-9]*\) invoices.*/\1/p' | awk "{s+=\$1} END {print s+0}")
check_eq "together they billed each period once" "$(sql_on "$SERIAL" "SELECT count(*) FROM invoice")" "$billed"
totals="SELECT count(*) || '|' || sum(kwh) || '|' || sum(total) FROM invoice"
check_eq "same totals as one run alone" "$(sql_on "$SERIAL" "$totals")" "$(sql "$totals")"
check_eq "no read billed twice" "0" "$(sql "SELECT count(*) FROM (SELECT read_id FROM invoice_read GROUP BY read_id HAVING count(*) > 1) x")"
check_eq "same invoice for each customer as one run alone" \
  "$(sql_on "$SERIAL" "SELECT $(agg)(x, ',') FROM (SELECT c.code || ':' || i.total AS x FROM invoice i JOIN customer c ON c.id = i.customer_id ORDER BY c.code) y")" \
  "$(sql "SELECT $(agg)(x, ',') FROM (SELECT c.code || ':' || i.total AS x FROM invoice i JOIN customer c ON c.id = i.customer_id ORDER BY c.code) y")"
check_eq "numbers gapless per series" "0" \
  "$(sql "SELECT count(*) FROM (SELECT symbol FROM invoice GROUP BY symbol HAVING max(number) <> count(*) OR count(DISTINCT number) <> count(*)) x")"
check_eq "series counters match the invoices" "0" \
  "$(sql "SELECT count(*) FROM einvoice_series s WHERE s.last_number <> (SELECT count(*) FROM invoice i WHERE i.symbol = s.symbol)")"
if [ "$ENGINE" = postgres ]; then
  check_eq "invoices stored in their period's partition" "$billed" "$(sql "SELECT count(*) FROM invoice_202508")"
  check_eq "invoice lines too" "$(sql "SELECT count(*) FROM invoice_line")" "$(sql "SELECT count(*) FROM invoice_line_202508")"
  check_eq "a query for the period reads one partition" "1" \
    "$(psql -X -A -t -q -d "$POWERCIS_DB" -c "EXPLAIN SELECT sum(total) FROM invoice WHERE period = '2025-08'" | grep -c 'on invoice_2025')"
  check_fails "partitioned invoices stay append-only" sql_write "UPDATE invoice SET total = 0 WHERE period = '2025-08'"
fi
finish
