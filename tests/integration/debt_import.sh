#!/usr/bin/env bash
# Legacy debt import (DOMAIN 9, docs/formats.md): receivables from CMIS extracts and Excel sheets
# become LEGACY invoices with their open items and, where something was paid, a payment dated
# paid_at; all or nothing with a per-line report; idempotent by invoice number; report locks.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; R2=PA01010000102; A=PA01020000104; T=PA02010000105

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
# legacy NO COLUMNS: a column of the invoice created for legacy number NO
legacy() { sql "SELECT $2 FROM invoice i JOIN legacy_invoice l ON l.invoice_id = i.id WHERE l.invoice_no = '$1'"; }
# open_on NO DATE: what was open on a legacy invoice at the end of DATE (DOMAIN 9)
open_on() { sql "SELECT i.total - COALESCE((SELECT sum(a.amount) FROM payment_alloc a WHERE a.invoice_id = i.id AND a.alloc_date <= '$2'), 0) FROM invoice i JOIN legacy_invoice l ON l.invoice_id = i.id WHERE l.invoice_no = '$1'"; }

# ---- a good file: several customers, partly paid, one settled, one with nothing paid ----
cat > cmis.csv <<EOF
customer_code,invoice_no,period,issue_date,due_date,amount,paid,paid_at
$R,CMIS-2023-0001,2023-01,2023-02-05,2023-02-12,1.250.000,,
$R,CMIS-2023-0002,2023-02,2023-03-05,2023-03-12,980000,300000,2023-04-01
$R2,CMIS-2023-0003,2023-02,2023-03-05,2023-03-12,500000,500000,
$A,XL-0004,2024-11,2024-12-05,2024-12-20,2237760,1000000,2025-01-15 10:30
$T,XL-0005,2022-06,2022-07-05,2022-07-12,345678,0,
EOF
out=$(pc debt import cmis.csv --json); rc=$?
check_eq "good file: 5 lines imported, 1 settled" "0|5|5|0|1|0" \
  "$rc|$(echo "$out" | jf '"|".join(str(d[k]) for k in ("lines","imported","already","settled","error_lines"))')"
check_eq "… amount and paid already" "5313438|1800000" "$(echo "$out" | jf 'str(d["amount"])+"|"+str(d["paid"])')"
check_eq "one LEGACY invoice a line, numbered 1 to 5 in file order" "CMIS-2023-0001:1,CMIS-2023-0002:2,CMIS-2023-0003:3,XL-0004:4,XL-0005:5" \
  "$(sql "SELECT l.invoice_no || ':' || i.number FROM invoice i JOIN legacy_invoice l ON l.invoice_id = i.id WHERE i.symbol = 'LEGACY' ORDER BY i.number" | paste -sd,)"
check_eq "the invoice: customer, kind, period and its days, dates, amounts, no VAT, reason" \
  "$R|regular|2023-02|2023-02-01|2023-02-28|2023-03-05|2023-03-12|0|980000|0|0|980000|legacy: CMIS-2023-0002" \
  "$(legacy CMIS-2023-0002 "(SELECT code FROM customer c WHERE c.id = i.customer_id), i.kind, i.period, i.from_date, i.to_date, i.issue_date, i.due_date, i.kwh, i.energy, i.vat_rate, i.vat, i.total, i.reason")"
check_eq "… issued by the customer's unit" "PA0102" "$(legacy XL-0004 "(SELECT code FROM org_node u WHERE u.id = i.unit_id)")"
check_eq "… a residential customer's debt ages as residential" "1" "$(sql "SELECT o.residential FROM open_item o JOIN legacy_invoice l ON l.invoice_id = o.invoice_id WHERE l.invoice_no = 'CMIS-2023-0001'")"
check_eq "… no invoice lines" "0" "$(sql "SELECT count(*) FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id WHERE i.symbol = 'LEGACY'")"
check_eq "open items: amount - paid; the settled one has none" \
  "CMIS-2023-0001:1250000,CMIS-2023-0002:680000,XL-0004:1237760,XL-0005:345678" \
  "$(sql "SELECT l.invoice_no || ':' || o.open FROM open_item o JOIN legacy_invoice l ON l.invoice_id = o.invoice_id ORDER BY l.invoice_no" | paste -sd,)"
check_eq "open items carry unit, issue date, due date and class for aging" "PA0102|2024-12-05|2024-12-20|0" \
  "$(sql "SELECT u.code, o.issue_date, o.due_date, o.residential FROM open_item o JOIN legacy_invoice l ON l.invoice_id = o.invoice_id JOIN org_node u ON u.id = o.unit_id WHERE l.invoice_no = 'XL-0004'")"
check_eq "payments: source legacy, reference = invoice_no, dated paid_at (default the issue date)" \
  "CMIS-2023-0002|file|transfer|300000|2023-04-01 00:00:00|2023-04-01,CMIS-2023-0003|file|transfer|500000|2023-03-05 00:00:00|2023-03-05,XL-0004|file|transfer|1000000|2025-01-15 10:30:00|2025-01-15" \
  "$(sql "SELECT ext_ref || '|' || channel || '|' || method || '|' || amount || '|' || paid_at || '|' || paid_date FROM payment WHERE source = 'legacy' ORDER BY ext_ref" | paste -sd,)"
check_eq "each payment cleared its own invoice only, on its date" "CMIS-2023-0002:300000:2023-04-01,CMIS-2023-0003:500000:2023-03-05,XL-0004:1000000:2025-01-15" \
  "$(sql "SELECT l.invoice_no || ':' || a.amount || ':' || a.alloc_date FROM payment_alloc a JOIN legacy_invoice l ON l.invoice_id = a.invoice_id ORDER BY l.invoice_no" | paste -sd,)"
check_eq "no customer credit from a legacy payment" "0" "$(sql "SELECT count(*) FROM customer_credit")"
check_eq "as of the day before paid_at the whole amount is open; from paid_at, amount - paid" "980000|680000|500000|0" \
  "$(open_on CMIS-2023-0002 2023-03-31)|$(open_on CMIS-2023-0002 2023-04-01)|$(open_on CMIS-2023-0003 2023-03-04)|$(open_on CMIS-2023-0003 2023-03-05)"
check_eq "legacy rows: file and line of each" "CMIS-2023-0001:cmis.csv:2,XL-0005:cmis.csv:6" \
  "$(sql "SELECT l.invoice_no || ':' || f.name || ':' || l.line FROM legacy_invoice l JOIN import_file f ON f.id = l.file_id WHERE l.invoice_no IN ('CMIS-2023-0001', 'XL-0005') ORDER BY 1" | paste -sd,)"
check_eq "the file is recorded once, kind debt, with its lines" "debt|5" "$(sql "SELECT kind || '|' || rows FROM import_file")"
check_eq "payments point at the file" "3" "$(sql "SELECT count(*) FROM payment p JOIN import_file f ON f.id = p.file_id WHERE f.kind = 'debt'")"
check_contains "audited with the file's name, hash and counts" '"already":0,"amount":5313438,"file":"cmis.csv","imported":5,"lines":5,"paid":1800000,"settled":1' \
  "$(sql "SELECT detail FROM audit_log WHERE action = 'debt.import' AND entity_key = '$(sha256sum cmis.csv | cut -d' ' -f1)'")"
check_ledger "after the import"

# ---- idempotency ----
before=$(fingerprint)
out=$(pc debt import cmis.csv --json); rc=$?
check_eq "the same file again: every line already imported" "0|5|0|5" \
  "$rc|$(echo "$out" | jf '"|".join(str(d[k]) for k in ("lines","imported","already"))')"
check_eq "… and the database is unchanged" "$before" "$(fingerprint)"
out=$(pc debt import cmis.csv)
check_contains "… said in words" "all imported before: nothing changed" "$out"
# the same content written otherwise (plain amounts, padded cells, paid_at spelt out) is the same
cat > again.csv <<EOF
invoice_no,customer_code,period,issue_date,due_date,amount,paid_at,paid
 CMIS-2023-0001 ,$R,2023-01,2023-02-05,2023-02-12,1250000,,0
CMIS-2023-0003,$R2,2023-02,2023-03-05,2023-03-12,500.000,2023-03-05 00:00,500000
CMIS-2023-0006,$R2,2023-03,2023-04-05,2023-04-12,432100,2023-04-10,100
EOF
out=$(pc debt import again.csv --json); rc=$?
check_eq "lines imported before (columns reordered, written otherwise) are skipped; the new one is imported" "0|3|1|2" \
  "$rc|$(echo "$out" | jf '"|".join(str(d[k]) for k in ("lines","imported","already"))')"
check_eq "… numbered after the others" "6|432000" "$(legacy CMIS-2023-0006 i.number)|$(sql "SELECT open FROM open_item o JOIN legacy_invoice l ON l.invoice_id = o.invoice_id WHERE l.invoice_no = 'CMIS-2023-0006'")"

# ---- all or nothing ----
before=$(fingerprint)
{ echo "customer_code,invoice_no,period,issue_date,due_date,amount"
  for i in $(seq 1 300); do
    if [ "$i" = 123 ]; then echo "$T,BIG-$i,2024-01,2024-02-05,2024-02-12,12a"; else echo "$T,BIG-$i,2024-01,2024-02-05,2024-02-12,$((i * 1000))"; fi
  done; } > big.csv
out=$(pc debt import big.csv 2>&1); rc=$?
check_eq "one bad line among 300 good ones: the file is refused" "2" "$rc"
check_contains "… naming the line and the column" "line 124: amount '12a' is not a whole number of đồng" "$out"
check_contains "… and the count" "1 of 300 lines have errors; nothing was imported" "$out"
check_eq "… and the database is unchanged" "$before" "$(fingerprint)"

# every kind of bad line, all reported at once
cat > bad.csv <<EOF
customer_code,invoice_no,period,issue_date,due_date,amount,paid,paid_at
$T,OK-1,2024-01,2024-02-05,2024-02-12,100000,,
PA99990000001,E-2,2024-01,2024-02-05,2024-02-12,100000,,
$T,E-3,2024-01,2024-02-05,2024-02-12,-5,,
$T,E-4,2024-01,2024-02-05,2024-02-12,12a,,
$T,E-5,2024-01,2025-02-30,2025-03-12,100000,,
$T,E-6,2024-01,2024-02-05,2024-02-01,100000,,
$T,E-7,2024-1,2024-02-05,2024-02-12,100000,,
$T,E-8,2024-01,2099-02-05,2099-02-12,100000,,
$T,E-9,2024-01,2024-02-05,2024-02-12,100000,-1,
$T,E-10,2024-01,2024-02-05,2024-02-12,100000,100001,
$T,E-11,2024-01,2024-02-05,2024-02-12,100000,5000,2024-02-04
$T,E-12,2024-01,2024-02-05,2024-02-12,100000,5000,2099-01-01
$T,OK-1,2024-01,2024-02-05,2024-02-12,100000,,
$T,E-14,2024-01,2024-02-05,2024-02-12,100000
$T,E-15,2024-01,2024-02-05,2024-02-12,100000,,,extra
$R,CMIS-2023-0001,2023-01,2023-02-05,2023-02-12,1250001,,
$T,E-17,2024-01,2024-02-05,2024-02-12,0,,
$T,E-18,2024-01,2024-02-05,2024-02-12,1500.5,,
$T,E-19,2024-01,2024-02-05,2024-02-12,100000,5000,05/03/2024
EOF
out=$(pc debt import bad.csv 2>&1); rc=$?
check_eq "a file of bad lines: refused" "2" "$rc"
check_contains "unknown customer" "line 3: customer_code: no customer 'PA99990000001'" "$out"
check_contains "negative amount" "line 4: amount: must be more than 0 đồng" "$out"
check_contains "amount not a whole number" "line 5: amount '12a' is not a whole number of đồng" "$out"
check_contains "a day that does not exist" "line 6: issue_date: date '2025-02-30' does not exist" "$out"
check_contains "due date before issue date" "line 7: due_date: 2024-02-01 is before issue_date 2024-02-05" "$out"
check_contains "period not YYYY-MM" "line 8: period: month '2024-1' is not in the form YYYY-MM" "$out"
check_contains "issue date after today" "line 9: issue_date: 2099-02-05 is after today" "$out"
check_contains "paid negative" "line 10: paid: -1 is negative" "$out"
check_contains "paid more than the amount" "line 11: paid: 100.001 đ is more than the amount 100.000 đ" "$out"
check_contains "paid before it was issued" "line 12: paid_at: 2024-02-04 is before issue_date 2024-02-05" "$out"
check_contains "paid after today" "line 13: paid_at: 2099-01-01 is after today" "$out"
check_contains "an invoice number twice in the file" "line 14: invoice_no: 'OK-1' appears already on line 2" "$out"
check_contains "a missing column" "line 15: 6 fields where the header has 8" "$out"
check_contains "an extra column" "line 16: 9 fields where the header has 8" "$out"
check_contains "an invoice number imported before with other content" \
  "line 17: invoice_no: invoice_no CMIS-2023-0001 was imported from cmis.csv line 2 with other content" "$out"
check_contains "zero amount" "line 18: amount: must be more than 0 đồng" "$out"
check_contains "decimal amount" "line 19: amount '1500.5' has a misplaced '.' separator" "$out"
check_contains "paid_at not a date" "line 20: paid_at '05/03/2024'" "$out"
check_contains "every bad line counted" "18 of 19 lines have errors; nothing was imported" "$out"
check_not_contains "the good line is not blamed" "line 2:" "$out"
check_eq "… and the database is unchanged" "$before" "$(fingerprint)"
out=$(pc debt import bad.csv --json); rc=$?
check_eq "JSON: every error listed, nothing imported" "2|18|18|0" \
  "$rc|$(echo "$out" | jf 'str(d["error_lines"])+"|"+str(len(d["errors"]))+"|"+str(d["imported"])')"

# changed content for an imported invoice number, alone in its file
printf 'customer_code,invoice_no,period,issue_date,due_date,amount,paid\n%s,XL-0004,2024-11,2024-12-05,2024-12-20,2237760,1200000\n' $A > changed.csv
out=$(pc debt import changed.csv 2>&1); rc=$?
check_eq "changed content (paid) for an imported invoice_no: refused" "2" "$rc"
check_contains "… naming the first import" "invoice_no XL-0004 was imported from cmis.csv line 5 with other content" "$out"
printf 'customer_code,invoice_no,period,issue_date,due_date,amount\n%s,CMIS-2023-0001,2023-01,2023-02-05,2023-02-12,1250000\n' $R2 > other_customer.csv
out=$(pc debt import other_customer.csv 2>&1)
check_contains "… or for another customer" "invoice_no CMIS-2023-0001 was imported from cmis.csv line 2 with other content" "$out"
check_eq "… and the database is unchanged" "$before" "$(fingerprint)"

# headers
printf 'customer_code,invoice_no,period,issue_date,due_date\n%s,H-1,2024-01,2024-02-05,2024-02-12\n' $T > h1.csv
out=$(pc debt import h1.csv 2>&1); rc=$?
check_eq "a required column missing: refused" "2" "$rc"
check_contains "… named" "required column 'amount' is missing" "$out"
printf 'customer_code,invoice_no,period,issue_date,due_date,amount,note\n%s,H-2,2024-01,2024-02-05,2024-02-12,1000,x\n' $T > h2.csv
out=$(pc debt import h2.csv 2>&1)
check_contains "an unknown column: refused, named" "line 1: unknown column 'note'" "$out"
printf '%s,H-3,2024-01,2024-02-05,2024-02-12,1000\n' $T > h3.csv
out=$(pc debt import h3.csv 2>&1); rc=$?
check_eq "no header row: refused" "2" "$rc"
check_contains "… said so" "a header row is required" "$out"
: > h4.csv
out=$(pc debt import h4.csv 2>&1)
check_contains "an empty file: refused" "expected a header row" "$out"
printf 'customer_code,invoice_no,period,issue_date,due_date,amount,amount\n' > h5.csv
out=$(pc debt import h5.csv 2>&1)
check_contains "a column twice: refused" "column 'amount' appears twice" "$out"
check_eq "… and the database is unchanged" "$before" "$(fingerprint)"

# --dry-run checks a good file and writes nothing
printf 'customer_code,invoice_no,period,issue_date,due_date,amount\n%s,DRY-1,2024-01,2024-02-05,2024-02-12,1000\n' $T > dry.csv
out=$(pc debt import dry.csv --dry-run --json); rc=$?
check_eq "--dry-run: would import 1, writes nothing" "0|1|True" "$rc|$(echo "$out" | jf 'str(d["imported"])+"|"+str(d["dry_run"])')"
check_eq "… the database is unchanged" "$before" "$(fingerprint)"

# ---- report locks ----
pa01=$(sql "SELECT id FROM org_node WHERE code = 'PA01'")
pa=$(sql "SELECT id FROM org_node WHERE code = 'PA'")
check "a lock on 2023-05 for PA01" pc lock --scope PA01 --period 2023-05 --as PA
cat > locked.csv <<EOF
customer_code,invoice_no,period,issue_date,due_date,amount,paid,paid_at
$R,LK-1,2023-04,2023-05-05,2023-05-12,200000,,
$R,LK-2,2023-03,2023-04-05,2023-04-12,200000,1000,2023-05-20
$T,LK-3,2023-04,2023-05-05,2023-05-12,200000,,
$R,LK-4,2023-05,2023-06-05,2023-06-12,200000,,
EOF
before=$(fingerprint)
out=$(pc debt import locked.csv 2>&1); rc=$?
check_eq "a receivable dated in a locked period: the file is refused" "2" "$rc"
check_contains "… the line issued in the locked period names the lock" "line 2: issue_date: period 2023-05 of PA01 is locked" "$out"
check_contains "… so does the line paid in it" "line 3: paid_at: period 2023-05 of PA01 is locked" "$out"
check_not_contains "… another company's line is not locked" "line 4:" "$out"
check_not_contains "… nor the next month" "line 5:" "$out"
check_eq "… and the database is unchanged" "$before" "$(fingerprint)"
grep -v -e LK-1 -e LK-2 locked.csv > unlocked.csv
out=$(pc debt import unlocked.csv --json); rc=$?
check_eq "without those lines the file goes in" "0|2" "$rc|$(echo "$out" | jf 'd["imported"]')"
# an imported line stays importable (skipped) once its period is locked: nothing changes
pc lock --scope PA01 --period 2023-02 --as PA >/dev/null
before=$(fingerprint)
out=$(pc debt import cmis.csv --json); rc=$?
check_eq "the first file again after a lock on its month: still nothing to do" "0|0|5" "$rc|$(echo "$out" | jf 'str(d["imported"])+"|"+str(d["already"])')"
check_eq "… and the database is unchanged" "$before" "$(fingerprint)"

# ---- only the required columns ----
printf 'customer_code,invoice_no,period,issue_date,due_date,amount\n%s,MIN-1,2021-12,2022-01-05,2022-01-12,77000\n' $R2 > min.csv
out=$(pc debt import min.csv); rc=$?
check_eq "the optional columns may be absent" "0" "$rc"
check_contains "… summary in words" "1 imported (77.000 đ, paid already 0 đ; 0 settled)" "$out"
check_eq "… nothing paid: open in full, no payment" "77000|0" \
  "$(sql "SELECT o.open FROM open_item o JOIN legacy_invoice l ON l.invoice_id = o.invoice_id WHERE l.invoice_no = 'MIN-1'")|$(sql "SELECT count(*) FROM payment WHERE ext_ref = 'MIN-1'")"

check_fails "legacy rows are never edited" sql_write "UPDATE legacy_invoice SET line = 1"
check_fails "no file: an error" pc debt import nothing.csv
out=$(pc invoice xml LEGACY/1 2>&1); rc=$?
check_eq "a legacy receivable is no e-invoice: no XML" "2" "$rc"
check_contains "… saying so" "not an e-invoice" "$out"
check_fails "… and no PDF" pc invoice pdf LEGACY/1 --out legacy.pdf
check_ledger "at the end"
finish
