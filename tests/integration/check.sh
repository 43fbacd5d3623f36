#!/usr/bin/env bash
# powercis check (issue 9): on a database with bills, payments, a reversal, an adjustment, legacy
# debt and a locked month every invariant holds; then, on copies, each kind of damage done behind
# the program's back is found by the invariant it breaks and named (customer, invoice, receipt,
# series, lock, audit entry), with exit status 1.
. "$(dirname "$0")/lib.sh"

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; A=PA01020000104; T=PA02010000105
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null   # 217,836 đ
pc read add $A --date 2025-06-03 --total 500 >/dev/null
pc read add $A --date 2025-07-03 --total 1500 >/dev/null   # 2,237,760 đ
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
printf 'customer_code,invoice_no,period,issue_date,due_date,amount\n%s,OLD-1,2023-05,2023-05-05,2023-05-15,300000\n' $T > debts.csv
pc debt import debts.csv >/dev/null
shift=$(pc shift open --cashier "Trần Thị Lan" --unit PA0101 --float 0 --json | jf 'd["shift_id"]')
pc pay post $R --shift $shift --amount 100000 --ref CT-1 --paid-at "2025-07-10 09:00" >/dev/null
pc pay post $A --shift $shift --amount 500000 --ref CT-2 --paid-at "2025-07-11 09:00" >/dev/null
pc pay reverse --counter --ref CT-2 --reason "nhầm khách hàng" --date 2025-07-12 --shift $shift >/dev/null
pc pay post $A --shift $shift --amount 300000 --ref CT-3 --paid-at "2025-07-12 10:00" >/dev/null
INV_T=$(sql "SELECT symbol || '/' || number FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$T'")
pc debt adjust $T --invoice "$INV_T" --kind correction --amount -50000 --reason "sai chỉ số" --date 2025-07-20 >/dev/null
pc lock --scope PA01 --period 2025-07 >/dev/null

out=$(pc check --json); rc=$?
check_eq "a healthy database: every invariant holds, exit 0" "0|True" "$rc|$(echo "$out" | jf 'd["ok"]')"
check_eq "… nine checks" "ledger open_items invoice_allocation payment_allocation einvoice_numbers prepaid_balance prepaid_sums locked_months audit_chain" \
  "$(echo "$out" | jf '" ".join(c["name"] for c in d["checks"])')"
check_eq "… the set-up did happen (a reversal, an adjustment, a lock)" "1|1|1" \
  "$(sql "SELECT count(*) FROM payment WHERE amount < 0")|$(sql "SELECT count(*) FROM debt_adjustment")|$(sql "SELECT count(*) FROM report_lock")"
out=$(pc check); rc=$?
check_contains "the text report" "every invariant holds" "$out"

# broken NAME CHECK NEEDLE SQL...: on a copy, the damage breaks CHECK and names NEEDLE
broken() {
  local name=$1 which=$2 needle=$3; shift 3
  local copy; copy=$(copydb "$POWERCIS_DB" "t$T_N")
  local sql_stmt
  for sql_stmt in "$@"; do
    if [ "$ENGINE" = postgres ]; then psql -X -q -v ON_ERROR_STOP=1 -d "$copy" -c "$sql_stmt" >/dev/null 2>&1 || echo "damage failed: $sql_stmt" >&2
    else sqlite3 "$copy" "$sql_stmt" >/dev/null 2>&1 || echo "damage failed: $sql_stmt" >&2; fi
  done
  local out rc; out=$(pc --db "$copy" check --json); rc=$?
  check_eq "$name: exit 1" "1" "$rc"
  check_eq "$name: $which is broken" "False" "$(echo "$out" | jf "[c['ok'] for c in d['checks'] if c['name'] == '$which'][0]")"
  check_contains "$name: named" "$needle" "$(echo "$out" | jf "[c['examples'] for c in d['checks'] if c['name'] == '$which'][0]")"
  
}
cid() { sql "SELECT id FROM customer WHERE code = '$1'"; }
iid() { sql "SELECT id FROM invoice WHERE customer_id = $(cid $1) ORDER BY id LIMIT 1"; }
drop_guard() { # TABLE: the statements that drop its append-only guard on the copy
  if [ "$ENGINE" = postgres ]; then echo "ALTER TABLE $1 DISABLE TRIGGER USER"; else echo "DROP TRIGGER ${1}_no_update"; fi
}
paid_at_cols="customer_id, channel, method, source, ext_ref, amount, paid_at, paid_date, receipt_no, created_at, created_by"
broken "a payment slipped in without clearing anything" ledger "$R" \
  "INSERT INTO payment ($paid_at_cols) VALUES ($(cid $R), 'counter', 'cash', 'x', 'x1', 5000, '2025-08-02 09:00:00', '2025-08-02', 'X-1', '2025-08-02T02:00:00Z', 'x')"
broken "an open item edited" open_items "$(sql "SELECT symbol || '/' || number FROM invoice WHERE id = $(iid $A)")" \
  "UPDATE open_item SET open = open + 1 WHERE invoice_id = $(iid $A)"
broken "an allocation beyond the invoice" invoice_allocation "$(sql "SELECT symbol || '/' || number FROM invoice WHERE id = $(iid $R)")" \
  "INSERT INTO payment_alloc (payment_id, invoice_id, amount, alloc_date) VALUES ($(sql "SELECT max(id) FROM payment"), $(iid $R), 9999999, '2025-08-02')"
broken "an allocation beyond the payment" payment_allocation "$(sql "SELECT receipt_no FROM payment ORDER BY id LIMIT 1")" \
  "INSERT INTO payment_alloc (payment_id, invoice_id, amount, alloc_date) VALUES ($(sql "SELECT min(id) FROM payment"), $(iid $A), 9999999, '2025-08-02')"
sym=$(sql "SELECT symbol FROM einvoice_series ORDER BY symbol LIMIT 1")
broken "an e-invoice number moved (a gap)" einvoice_numbers "$sym" "$(drop_guard invoice)" \
  "UPDATE invoice SET number = number + 10 WHERE id = (SELECT max(id) FROM invoice WHERE symbol = '$sym')"
# a payment dated in the locked month written after the lock, round the guard
broken "a payment dated in the locked month, written after the lock" locked_months "2025-07 PA01 payment X-9" \
  "INSERT INTO payment ($paid_at_cols) VALUES ($(cid $R), 'counter', 'cash', 'x', 'x9', 1000, '2025-07-25 09:00:00', '2025-07-25', 'X-9', '2030-01-01T00:00:00Z', 'x')"
broken "an adjustment dated in the locked month, written after the lock" locked_months "2025-07 PA01 adjustment" \
  "INSERT INTO debt_adjustment (customer_id, invoice_id, kind, amount, adj_date, reason, created_at, created_by) VALUES ($(cid $A), $(iid $A), 'correction', -1000, '2025-07-30', 'x', '2030-01-01T00:00:00Z', 'x')"
broken "an audit entry edited" audit_chain "first_bad_id" "$(drop_guard audit_log)" \
  "UPDATE audit_log SET detail = '{}' WHERE id = 2"
check_eq "the original was never touched" "0" "$(pc check >/dev/null; echo $?)"
refusedx=$(pc check --examples x 2>&1); rc=$?
check_eq "a bad flag: exit 2" "2" "$rc"
finish
