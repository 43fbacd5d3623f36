#!/usr/bin/env bash
# Backup and restore on both engines: the restored database gives the same report totals, its
# audit chain is intact, and a restore never overwrites a database.
. "$(dirname "$0")/lib.sh"

pc demo --customers 300 --seed 9 --until 2025-08 --months 3 >/dev/null
totals() { sql_on "$1" "SELECT (SELECT count(*) FROM customer), (SELECT count(*) FROM meter_read), count(*), sum(kwh), sum(total) FROM invoice"; }
check "backup while the database is in use" pc backup --out "$WORK/backup.bin"
check_fails "backup never overwrites a file" pc backup --out "$WORK/backup.bin"
TARGET=$(if [ "$ENGINE" = postgres ]; then newdb restored; else echo "$WORK/restored.db"; fi)
out=$(pc restore "$WORK/backup.bin" --into "$TARGET"); rc=$?
check_eq "restore succeeds" "0" "$rc"
check_contains "audit chain verified after restore" "audit chain intact" "$out"
check_eq "same report totals after restore" "$(totals "$POWERCIS_DB")" "$(totals "$TARGET")"
check_contains "the restored database works" "$(sql "SELECT code FROM customer ORDER BY id LIMIT 1")" \
  "$(POWERCIS_DB="$TARGET" pc customer search "$(sql "SELECT code FROM customer ORDER BY id LIMIT 1")")"
check_fails "restore never overwrites a database" pc restore "$WORK/backup.bin" --into "$TARGET"
check_fails "restore of a missing file" pc restore "$WORK/none.bin" --into "$WORK/x.db"
check_fails "usage" pc backup
finish
