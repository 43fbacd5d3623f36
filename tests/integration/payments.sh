#!/usr/bin/env bash
# Collecting money (DOMAIN 7): allocation oldest due date first or to named invoices, excess as
# credit used by the next invoice, idempotent postings, reversals that reopen exactly what they
# cleared, cashier shifts, partners and collection files (all or nothing, same file twice),
# receipts and cards read back with zbarimg, and the ledger invariant after everything.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; T=PA02010000105; A=PA01020000104
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null   # 100 kWh: 217,836 đ
pc read add $R --date 2025-08-01 --total 1250 >/dev/null   # 150 kWh: 346,356 đ
pc read add $A --date 2025-06-03 --total 500 >/dev/null
pc read add $A --date 2025-07-03 --total 1500 >/dev/null
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
pc bill run --period 2025-08 --issue-date 2025-08-05 >/dev/null

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
# the ledger invariant (DOMAIN 7/9): per customer, invoices - payments = open amounts - credit
invariant() {
  sql "SELECT count(*) FROM customer c WHERE
     COALESCE((SELECT sum(total) FROM invoice i WHERE i.customer_id = c.id), 0)
   - COALESCE((SELECT sum(amount) FROM payment p WHERE p.customer_id = c.id), 0)
  <> COALESCE((SELECT sum(i.total - i.credit_applied - COALESCE((SELECT sum(a.amount) FROM payment_alloc a WHERE a.invoice_id = i.id), 0)) FROM invoice i WHERE i.customer_id = c.id), 0)
   - COALESCE((SELECT sum(amount) FROM customer_credit k WHERE k.customer_id = c.id), 0)"
}

out=$(pc pay open $R --json)
check_eq "open invoices and total" "2|564192" "$(echo "$out" | jf 'str(len(d["invoices"]))+"|"+str(d["total"])')"

out=$(pc pay open nguyen van duc --json)
check_eq "found by name: two customers of the same name, told apart by address" "2|PA01010000101 PA01010000102" \
  "$(echo "$out" | jf 'str(len(d["matches"]))+"|"+" ".join(m["customer_code"] for m in d["matches"])')"
check_eq "found by phone: the account" "$R|564192" "$(pc pay open 0912345678 --json | jf 'd["customer_code"]+"|"+str(d["total"])')"
check_eq "found by name and address words: the account" "$R" "$(pc pay open duc quang trung --json | jf 'd["customer_code"]')"
check_fails "nobody found" pc pay open khongcoai

# ---- the counter ----
check_fails "a counter posting needs a shift or a partner" pc pay post $R --amount 1000
shift=$(pc shift open --cashier "Trần Thị Lan" --unit PA0101 --float 500000 --json | jf 'd["shift_id"]')
check_eq "shift opened" "1" "$shift"
out=$(pc pay post $R --shift $shift --amount 300000 --ref Q1 --paid-at "2025-08-20 09:15" --json)
check_eq "partial payment clears the oldest invoice first, then part of the next" "217836,82164|0|264192" \
  "$(echo "$out" | jf '",".join(str(a["amount"]) for a in d["allocations"])+"|"+str(d["excess"])+"|"+str(d["open_total"])')"
receipt=$(echo "$out" | jf 'd["receipt_no"]')
again=$(pc pay post $R --shift $shift --amount 300000 --ref Q1 --paid-at "2025-08-20 09:15" --json)
check_eq "same key, same content: the first posting, nothing changed" "True|$receipt" "$(echo "$again" | jf 'str(d["repeated"])+"|"+d["receipt_no"]')"
check_eq "… one payment stored" "1" "$(sql 'SELECT count(*) FROM payment')"
out=$(pc pay post $R --shift $shift --amount 300001 --ref Q1 --paid-at "2025-08-20 09:15" 2>&1); rc=$?
check_eq "same key, other amount: refused" "2" "$rc"
check_contains "… with a clear error" "already posted with other content" "$out"
check_eq "… still one payment" "1" "$(sql 'SELECT count(*) FROM payment')"

# named invoice: pays that one, not the oldest
inv2=$(sql "SELECT symbol || '/' || number FROM invoice WHERE period = '2025-08'")
out=$(pc pay post $A --shift $shift --amount 100000 --ref Q2 --method card --json)
check_eq "a customer with one open invoice: partial" "100000" "$(echo "$out" | jf 'd["allocations"][0]["amount"]')"
out=$(pc pay post $R --shift $shift --amount 500000 --ref Q3 --invoice "$inv2" --json)
check_eq "named invoice: only it is cleared, the rest becomes credit" "264192|235808|235808|0" \
  "$(echo "$out" | jf 'str(d["allocations"][0]["amount"])+"|"+str(d["excess"])+"|"+str(d["credit_balance"])+"|"+str(d["open_total"])')"
out=$(pc pay post $R --shift $shift --amount 1000 --ref Q4 --invoice "$inv2" 2>&1); rc=$?
check_contains "a paid invoice cannot be named" "paid already" "$out"
out=$(pc pay post $R --shift $shift --amount 1000 --ref Q5 --invoice "1K25TAA/999" 2>&1)
check_contains "an unknown invoice is named in the error" "1K25TAA/999" "$out"
check_eq "invariant after counter postings" "0" "$(invariant)"

# the credit is used by the next invoice at issue
pc read add $R --date 2025-09-01 --total 1350 >/dev/null   # 100 kWh: 217,836 đ
pc bill run --period 2025-09 --issue-date 2025-09-05 >/dev/null
check_eq "next invoice uses the payment's credit" "217836" "$(sql "SELECT credit_applied FROM invoice WHERE period = '2025-09'")"
check_eq "credit left" "17972" "$(pc pay open $R --json | jf 'd["credit"]')"

# reversal reopens exactly what the payment cleared
out=$(pc pay reverse --counter --ref Q2 --reason "khách trả nhầm thẻ" --shift $shift --json)
check_eq "reversal: negative posting" "-100000|-100000" "$(echo "$out" | jf 'str(d["amount"])+"|"+str(d["allocations"][0]["amount"])')"
check_eq "… the invoice is open again in full (2,072,000 + VAT 8%)" "2237760" "$(sql "SELECT i.total - COALESCE((SELECT sum(amount) FROM payment_alloc a WHERE a.invoice_id = i.id), 0) FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$A'")"
check_fails "a payment is reversed once" pc pay reverse --counter --ref Q2 --reason again --reversal-ref Q2-R2
again=$(pc pay reverse --counter --ref Q2 --reason "khách trả nhầm thẻ" --shift $shift --json | jf 'd["repeated"]')
check_eq "the same reversal again is a repeat" "True" "$again"
out=$(pc pay reverse --counter --ref Q3 --reason x 2>&1)
check_contains "a reversal whose credit was used is refused" "unused" "$out"
check_eq "audit holds the reversal" "1" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'reverse'")"

# shift close: totals by method, cash expected = float + cash, difference recorded
out=$(pc shift close $shift --counted 1290000 --note "thiếu 10.000" --json)
check_eq "close: cash expected 500,000 + 300,000 + 500,000" "1300000|1290000|-10000" \
  "$(echo "$out" | jf 'str(d["expected_cash"])+"|"+str(d["counted_cash"])+"|"+str(d["difference"])')"
check_eq "close: card total nets the reversal" "2|0" "$(echo "$out" | jf 'str(d["methods"]["card"]["count"])+"|"+str(d["methods"]["card"]["amount"])')"
check_fails "a closed shift takes no posting" pc pay post $R --shift $shift --amount 1000 --ref Q9
check_fails "a closed shift closes once" pc shift close $shift --counted 0

# receipt and cards read back
pc receipt pdf "$receipt" --out receipt.pdf --tendered 500000 >/dev/null 2>&1
pdftoppm -r 300 -png receipt.pdf receipt >/dev/null 2>&1
check_eq "receipt barcode decodes to its number" "$receipt" "$(zbarimg --raw -q receipt*.png 2>/dev/null | head -1)"
text=$(pdftotext receipt.pdf - 2>/dev/null | tr -s ' \n' ' ')
check_contains "receipt: customer name" "Nguyễn Văn Đức" "$text"
check_contains "receipt: amount in words" "Ba trăm nghìn đồng" "$text"
pc card pdf $R $T $A --out cards.pdf >/dev/null 2>&1
pdftoppm -r 300 -png cards.pdf cards >/dev/null 2>&1
check_eq "cards decode to the customer codes" "$R $A $T" "$(zbarimg --raw -q cards*.png 2>/dev/null | LC_ALL=C sort | xargs)"

# ---- partners ----
check "partner added" pc partner add ECPAY --name "Công ty CP Thanh toán điện tử ECPay" --kind collector
check_fails "bad partner kind refused" pc partner add XX --name X --kind shop
out=$(pc pay post $A --partner ECPAY --ref EC-0001 --amount 2237760 --paid-at "2025-09-10 10:00" --json)
check_eq "partner pays the open invoice in full" "0" "$(echo "$out" | jf 'd["open_total"]')"
out=$(pc pay reverse --partner ECPAY --ref EC-0001 --reason "giao dịch lỗi" --date 2025-09-11 2>&1)
check_contains "a partner reverses on the payment's day only" "on its day only" "$out"
check "same-day partner reversal" pc pay reverse --partner ECPAY --ref EC-0001 --reason "giao dịch lỗi" --date 2025-09-10
check_fails "unknown partner refused" pc pay post $A --partner NOPE --ref X1 --amount 1000

pc partner export --partner ECPAY --scope PA01 --out open.csv >/dev/null
check_eq "export: header and open invoices of the scope" "partner,customer_code,name,address,invoice_no,period,due_date,amount|1" \
  "$(head -1 open.csv | tr -d '"')|$(grep -c "$A" open.csv)"

# ---- collection files ----
cat > col.csv <<EOF
partner,txn_ref,customer_code,amount,paid_at,invoice_no
ECPAY,F-1,$A,2000000,2025-09-12 08:00:00,
ECPAY,F-2,$A,237760,2025-09-12T08:05:00,
ECPAY,F-3,$T,5000000,2025-09-12,
EOF
out=$(pc pay import col.csv --json); rc=$?
check_eq "collection file posted" "0|3|3|0" "$rc|$(echo "$out" | jf 'str(d["rows"])+"|"+str(d["posted"])+"|"+str(d["repeated"])')"
check_eq "… the invoice it paid is closed" "0" "$(pc pay open $A --json | jf 'd["total"]')"
out=$(pc pay import col.csv --json)
check_eq "the same file twice changes nothing" "True" "$(echo "$out" | jf 'd["already"]')"
# a new file repeating two posted lines: those are repeats, the new line is posted
{ head -3 col.csv; echo "ECPAY,F-4,$T,1000,2025-09-12 09:00,"; } > col2.csv
out=$(pc pay import col2.csv --json)
check_eq "lines posted before are repeats" "1|2" "$(echo "$out" | jf 'str(d["posted"])+"|"+str(d["repeated"])')"
# 10,000 lines, one bad: nothing changes
before=$(fingerprint)
{ echo "partner,txn_ref,customer_code,amount,paid_at"
  for i in $(seq 1 10000); do
    if [ "$i" = 7777 ]; then echo "ECPAY,B-$i,PA99990000001,1000,2025-09-13 10:00"; else echo "ECPAY,B-$i,$T,1000,2025-09-13 10:00"; fi
  done; } > big.csv
out=$(pc pay import big.csv 2>&1); rc=$?
check_eq "one bad line in 10,000 rejects the file" "2" "$rc"
check_contains "… naming the line" "line 7778: no customer 'PA99990000001'" "$out"
check_eq "… and the database is unchanged" "$before" "$(fingerprint)"
printf 'partner,txn_ref,customer_code,amount,paid_at\nECPAY,C-1,%s,-5,2025-09-13\nECPAY,C-2,%s,12x,2025-09-13\nECPAY,C-3,%s,10,2025-02-30\nECPAY,F-1,%s,999,2025-09-12\n' $T $T $T $A > bad.csv
out=$(pc pay import bad.csv 2>&1)
check_contains "negative amount" "line 2:" "$out"
check_contains "bad amount" "line 3:" "$out"
check_contains "impossible date" "line 4:" "$out"
check_contains "a known key with other content" "line 5: ECPAY/F-1 was already posted with other content" "$out"
check_eq "invariant at the end" "0" "$(invariant)"
check_eq "open items agree with the allocation history" "0" "$(sql "SELECT count(*) FROM (SELECT i.id, i.total - i.credit_applied - COALESCE((SELECT sum(a.amount) FROM payment_alloc a WHERE a.invoice_id = i.id), 0) AS o FROM invoice i) x LEFT JOIN open_item oi ON oi.invoice_id = x.id WHERE COALESCE(oi.open, 0) <> x.o")"
check_fails "payments are append-only" sql_write "UPDATE payment SET amount = 1"
check_ledger "at the end"
finish
