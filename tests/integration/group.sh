#!/usr/bin/env bash
# One database per corporation, one view of the group (issue 4): a group database reads each
# corporation's unit summaries through postgres_fdw, and its totals equal the corporations' own.
. "$(dirname "$0")/lib.sh"

if [ "$ENGINE" != postgres ]; then
  pc init >/dev/null
  out=$(pc group attach PA "postgresql:///pa" 2>&1); rc=$?
  check_eq "a group view needs PostgreSQL: refused on SQLite" "2" "$rc"
  check_contains "… saying so" "PostgreSQL" "$out"
  finish
fi

PA=$(newdb pa); PB=$(newdb pb); G=$(newdb grp)
pc --db "$PA" demo --customers 300 --seed 5 --until 2025-08 --months 2 >/dev/null
export POWERCIS_DB="$PB"
pc org add PB "Tổng công ty Điện lực miền Trung" >/dev/null
pc org add PB01 "Công ty Điện lực Quảng Trị" >/dev/null
pc org add PB0101 "Điện lực Đông Hà" >/dev/null
for i in 1 2 3; do
  pc customer add PB0101000000$i --name "Hồ Văn $i" --address "Phường $i, Đông Hà" --purpose residential --meter PB-M$i --valid-from 2025-01-01 >/dev/null
  pc read add PB0101000000$i --date 2025-07-01 --total 0 >/dev/null
  pc read add PB0101000000$i --date 2025-08-01 --total $((100 * i)) >/dev/null
done
pc bill run --period 2025-08 --issue-date 2025-08-05 >/dev/null
export POWERCIS_DB="$G"

check "group database created" pc init
check "attach PA" pc group attach PA "$PA"
check "attach PB" pc group attach PB "$PB"
out=$(pc group attach PB "$PB" 2>&1); rc=$?
check_eq "attaching twice refused" "2" "$rc"
check_contains "… naming the corporation" "PB is already attached" "$out"
check_fails "a code that is not 2-8 capital letters" pc group attach "pa; DROP TABLE x" "$PA"
check_fails "a URL that is not one" pc group attach PC "not a url ==="

field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
json=$(pc group report --json)
own() { sql_on "$1" "$2"; }
check_eq "PA customers seen through the group" "$(own "$PA" 'SELECT count(*) FROM customer')" \
  "$(printf '%s' "$json" | field "[c['customers'] for c in d['corporations'] if c['corporation']=='PA'][0]")"
check_eq "PB totals seen through the group" "$(own "$PB" 'SELECT count(*), sum(kwh), sum(total) FROM invoice')" \
  "$(printf '%s' "$json" | field "'|'.join(str([c[k] for c in d['corporations'] if c['corporation']=='PB'][0]) for k in ('invoices','kwh','total'))")"
sum_total=$(( $(own "$PA" 'SELECT sum(total) FROM invoice') + $(own "$PB" 'SELECT sum(total) FROM invoice') ))
check_eq "the group's total is the sum of the corporations' own" "$sum_total" "$(printf '%s' "$json" | field "d['total']['total']")"
sum_cust=$(( $(own "$PA" 'SELECT count(*) FROM customer') + 3 ))
check_eq "the group's customers" "$sum_cust" "$(printf '%s' "$json" | field "d['total']['customers']")"
aug=$(( $(own "$PA" "SELECT sum(total) FROM invoice WHERE period = '2025-08'") + $(own "$PB" "SELECT sum(total) FROM invoice WHERE period = '2025-08'") ))
check_eq "one period" "$aug" "$(pc group report --period 2025-08 --json | field "d['total']['total']")"
check_contains "text report" "PB" "$(pc group report)"
# debt (issue 6): the group's open and bad debt are the sum of the corporations' own
debt_pa=$(own "$PA" "SELECT COALESCE(sum(open), 0) FROM open_item")
debt_pb=$(own "$PB" "SELECT COALESCE(sum(open), 0) FROM open_item")
check_eq "debt open now seen through the group" "$debt_pa|$debt_pb|$((debt_pa + debt_pb))" \
  "$(printf '%s' "$json" | field "'|'.join(str(x) for x in [c['debt']['open'] for c in d['corporations']] + [d['total']['debt']['open']])")"
bad_pa=$(own "$PA" "SELECT COALESCE(sum(open), 0) FROM open_item WHERE current_date >= due_date::date + interval '3 months'")
check_eq "PA's bad debt (the demo's legacy receivables) through the group" "$bad_pa" \
  "$(printf '%s' "$json" | field "[c['debt']['bad'] for c in d['corporations'] if c['corporation']=='PA'][0]")"
check_eq "… and there is some" "1" "$(own "$PA" "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM legacy_invoice")"
ge3=$(pc --db "$PA" report aging --as-of $(date +%F) --format json | field "[t for t in d['totals'] if t['class']=='all'][0]['ge_3y']")
check_eq "the group's 3 years and more agrees with PA's own aging report" "$ge3" \
  "$(printf '%s' "$json" | field "[c['debt']['ge_3y'] for c in d['corporations'] if c['corporation']=='PA'][0]")"
# A new invoice in a corporation's database shows in the group at once (views, no copy).
POWERCIS_DB="$PB" pc read add PB01010000001 --date 2025-09-01 --total 200 >/dev/null
POWERCIS_DB="$PB" pc bill run --period 2025-09 --issue-date 2025-09-05 >/dev/null
check_eq "live: a new period appears" "1" "$(pc group report --period 2025-09 --json | field "d['total']['invoices']")"
check_fails "bad period" pc group report --period 2025-13
check "audit chain intact" pc audit verify
finish
