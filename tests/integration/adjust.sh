#!/usr/bin/env bash
# Debt adjustments (DOMAIN 9, docs/adjustments.md): corrections, write-offs after approval,
# transfers between customers and reclassifications between invoices, each an audited posting
# that moves the open items and never edits an invoice; decreases never beyond what is open;
# idempotent references; documents of the customer's debt; report locks (DOMAIN 10); bad input
# refused with nothing changed; the ledger invariant after everything.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; T=PA02010000105; A=PA01020000104
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null   # 100 kWh: 217,836 đ
pc read add $R --date 2025-08-01 --total 1250 >/dev/null   # 150 kWh: 346,356 đ
pc read add $A --date 2025-06-03 --total 500 >/dev/null
pc read add $A --date 2025-07-03 --total 1500 >/dev/null   # 2,237,760 đ
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
pc bill run --period 2025-08 --issue-date 2025-08-05 >/dev/null

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
inv_of() { sql "SELECT i.symbol || '/' || i.number FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$1' AND i.period = '$2'"; }
open_of() { sql "SELECT COALESCE((SELECT o.open FROM open_item o JOIN invoice i ON i.id = o.invoice_id WHERE i.symbol || '/' || i.number = '$1'), 0)"; }
owed() { sql "SELECT COALESCE(sum(o.open), 0) FROM open_item o JOIN customer c ON c.id = o.customer_id WHERE c.code = '$1'"; }
# refused NAME NEEDLE CMD...: exit status 2, the message holds NEEDLE, and nothing changed
refused() {
  local name=$1 needle=$2; shift 2
  local before out rc; before=$(fingerprint)
  out=$("$@" 2>&1); rc=$?
  check_eq "$name: exit 2" "2" "$rc"
  check_contains "$name: message" "$needle" "$out"
  check_eq "$name: nothing changed" "$before" "$(fingerprint)"
}

I1=$(inv_of $R 2025-07); I3=$(inv_of $R 2025-08); I2=$(inv_of $A 2025-07)
check_eq "set-up: the invoices and what is open" "217836|346356|2237760" "$(open_of $I1)|$(open_of $I3)|$(open_of $I2)"

# ---- correction ----
out=$(pc debt adjust $R --invoice $I1 --kind correction --amount -17836 --reason "ghi sai chỉ số tháng 6" --date 2025-08-10 --json)
check_eq "correction -17,836: the invoice's and the customer's open amounts" "correction|-17836|200000|546356" \
  "$(echo "$out" | jf 'd["kind"]+"|"+str(d["rows"][0]["amount"])+"|"+str(d["rows"][0]["invoice_open"])+"|"+str(d["rows"][0]["customer_open"])')"
check_eq "… the open item follows" "200000" "$(open_of $I1)"
check_eq "… the invoice itself is never edited" "217836" "$(sql "SELECT total FROM invoice WHERE symbol || '/' || number = '$I1'")"
check_eq "… one row, dated, no pair" "correction|-17836|2025-08-10||ghi sai chỉ số tháng 6" \
  "$(sql "SELECT kind || '|' || amount || '|' || adj_date || '|' || COALESCE(CAST(pair_id AS TEXT), '') || '|' || reason FROM debt_adjustment")"
out=$(pc debt adjust $R --invoice $I3 --kind correction --amount 5000 --reason "thiếu phí" --date 2025-08-15 --json)
check_eq "correction +5,000 raises what is owed" "351356" "$(echo "$out" | jf 'd["rows"][0]["invoice_open"]')"
check_eq "… the open item follows" "351356" "$(open_of $I3)"
refused "a decrease beyond what was open at its date (346,356 on 2025-08-10, 351,356 now)" "exceeds what is open" \
  pc debt adjust $R --invoice $I3 --kind correction --amount -350000 --reason x --date 2025-08-10
check_ledger "after corrections"

# ---- write-off ----
refused "a write-off without approval" "approval" pc debt adjust $R --invoice $I1 --kind write-off --amount 50000 --reason "khó đòi"
refused "a write-off beyond what is open (200,000)" "exceeds what is open" \
  pc debt adjust $R --invoice $I1 --kind write-off --amount 200001 --reason "khó đòi" --approval "QĐ 1"
out=$(pc debt adjust $R --invoice $I1 --kind write_off --amount 50000 --reason "khách mất tích" \
  --approval "QĐ 123/QĐ-PCND, Giám đốc" --date 2025-09-01 --json)
check_eq "write-off 50,000 (DB spelling write_off): stored negative, with its approval" "write_off|-50000|QĐ 123/QĐ-PCND, Giám đốc|150000" \
  "$(echo "$out" | jf 'd["kind"]+"|"+str(d["rows"][0]["amount"])+"|"+d["approval"]+"|"+str(d["rows"][0]["invoice_open"])')"
check_eq "… the open item follows" "150000" "$(open_of $I1)"

# a payment after the write-off clears what is left, oldest first
shift=$(pc shift open --cashier "Trần Thị Lan" --unit PA0101 --float 0 --json | jf 'd["shift_id"]')
out=$(pc pay post $R --shift $shift --amount 150000 --ref ADJ-P1 --paid-at "2025-09-05 09:00" --json)
check_eq "a payment after the write-off: 150,000 settles the invoice, 351,356 left" "$I1:150000|351356" \
  "$(echo "$out" | jf '",".join(a["invoice_symbol"]+"/"+str(a["invoice_number"])+":"+str(a["amount"]) for a in d["allocations"])+"|"+str(d["open_total"])')"
check_eq "… the settled invoice leaves the open items" "0|0" "$(open_of $I1)|$(sql "SELECT count(*) FROM open_item o JOIN invoice i ON i.id = o.invoice_id WHERE i.symbol || '/' || i.number = '$I1'")"
refused "a write-off on a settled invoice" "exceeds what is open" \
  pc debt adjust $R --invoice $I1 --kind write-off --amount 1 --reason x --approval "QĐ 2"
out=$(pc debt adjust $R --invoice $I1 --kind correction --amount 1000 --reason "phí đóng cắt" --date 2025-09-06 --json)
check_eq "a + correction reopens a settled invoice" "1000|1000" "$(echo "$out" | jf 'str(d["rows"][0]["invoice_open"])')|$(open_of $I1)"
check_ledger "after the write-off and the payment"

# ---- reclassification ----
before=$(owed $R)
check_eq "before the reclassification the customer owes 1,000 + 351,356" "352356" "$before"
out=$(pc debt adjust $R --invoice $I3 --kind reclassification --amount 100000 --to-invoice $I1 --reason "trả nhầm kỳ" --date 2025-09-10 --json)
check_eq "reclassification: -100,000 on the source, +100,000 on the target" "-100000,100000|251356,101000" \
  "$(echo "$out" | jf '",".join(str(r["amount"]) for r in d["rows"])+"|"+",".join(str(r["invoice_open"]) for r in d["rows"])')"
check_eq "… the open items follow" "251356|101000" "$(open_of $I3)|$(open_of $I1)"
check_eq "… net zero for the customer" "$before" "$(owed $R)"
first=$(echo "$out" | jf 'd["adjustment_id"]')
check_eq "… two rows sharing pair_id = the first row's id, summing to 0" "2|$first|0" \
  "$(sql "SELECT count(*) || '|' || min(pair_id) || '|' || sum(amount) FROM debt_adjustment WHERE pair_id = $first")"
refused "a reclassification onto the same invoice" "two different invoices" \
  pc debt adjust $R --invoice $I3 --kind reclassification --amount 1 --to-invoice $I3 --reason x
refused "a reclassification onto another customer's invoice" "not $R's" \
  pc debt adjust $R --invoice $I3 --kind reclassification --amount 1 --to-invoice $I2 --reason x
refused "a reclassification beyond what is open" "exceeds what is open" \
  pc debt adjust $R --invoice $I3 --kind reclassification --amount 251357 --to-invoice $I1 --reason x

# ---- transfer ----
out=$(pc debt adjust $A --invoice $I2 --kind transfer --amount 237760 --to $T --reason "nợ ghi nhầm khách hàng" --date 2025-09-15 --ref TR-0001 --json)
check_eq "transfer: -237,760 on A's invoice, +237,760 on T's new receivable" "$A:-237760:2000000,$T:237760:237760" \
  "$(echo "$out" | jf '",".join(r["customer_code"]+":"+str(r["amount"])+":"+str(r["invoice_open"]) for r in d["rows"])')"
tid=$(echo "$out" | jf 'd["rows"][1]["invoice_id"]')
check_eq "… T's receivable is an invoice TRANSFER/1 with A's period and dates, billing nothing" \
  "TRANSFER|1|2025-07|2025-07-05|2025-07-12|0|0|transfer from $A $I2" \
  "$(sql "SELECT symbol || '|' || number || '|' || period || '|' || issue_date || '|' || due_date || '|' || total || '|' || kwh || '|' || reason FROM invoice WHERE id = $tid")"
check_eq "… its open item keeps A's due date (its age), in T's unit" "2025-07-12|237760|PA0201" \
  "$(sql "SELECT o.due_date || '|' || o.open || '|' || u.code FROM open_item o JOIN org_node u ON u.id = o.unit_id WHERE o.invoice_id = $tid")"
check_eq "… A's open item follows" "2000000" "$(open_of $I2)"
check_eq "… the debt moved, the total did not" "2237760" "$(( $(owed $A) + $(owed $T) ))"
# DOMAIN 9: as of a day, invoices issued by then less allocations plus adjustments dated by then
asof() { sql "SELECT COALESCE(sum(i.total - i.credit_applied
  - COALESCE((SELECT sum(a.amount) FROM payment_alloc a WHERE a.invoice_id = i.id AND a.alloc_date <= '$2'), 0)
  + COALESCE((SELECT sum(j.amount) FROM debt_adjustment j WHERE j.invoice_id = i.id AND j.adj_date <= '$2'), 0)), 0)
  FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$1' AND i.issue_date <= '$2'"; }
check_eq "… as of the day before, the debt is where it was; as of the day, where it is" "2237760|0|2000000|237760" \
  "$(asof $A 2025-09-14)|$(asof $T 2025-09-14)|$(asof $A 2025-09-15)|$(asof $T 2025-09-15)"
check_eq "… and R's write-off counts from its date (I3 stays 351,356 through both days)" "551356|501356" "$(asof $R 2025-08-31)|$(asof $R 2025-09-01)"
tfirst=$(echo "$out" | jf 'd["adjustment_id"]')
check_eq "… audited with the new invoice's id" "$tid|$T" \
  "$(sql "SELECT detail FROM audit_log WHERE action = 'adjust' AND entity_key = '$tfirst'" | jf 'str(d["new_invoice_id"])+"|"+d["to_customer"]')"
before=$(fingerprint)
again=$(pc debt adjust $A --invoice $I2 --kind transfer --amount 237760 --to $T --reason "nợ ghi nhầm khách hàng" --date 2025-09-15 --ref TR-0001 --json)
check_eq "same --ref, same content: the first adjustment, nothing changed" "True|$tfirst" "$(echo "$again" | jf 'str(d["repeated"])+"|"+str(d["adjustment_id"])')"
check_eq "… fingerprint unchanged" "$before" "$(fingerprint)"
refused "same --ref, other content" "already posted with other content" \
  pc debt adjust $A --invoice $I2 --kind transfer --amount 237761 --to $T --reason "nợ ghi nhầm khách hàng" --date 2025-09-15 --ref TR-0001
refused "a transfer to the same customer" "another customer" \
  pc debt adjust $A --invoice $I2 --kind transfer --amount 1 --to $A --reason x
refused "a transfer to an unknown customer" "PA99990000009" \
  pc debt adjust $A --invoice $I2 --kind transfer --amount 1 --to PA99990000009 --reason x
check "a partner to take T's payment" pc partner add ECPAY --name ECPay --kind collector
out=$(pc pay post $T --partner ECPAY --ref EC-T1 --amount 37760 --paid-at "2025-09-20 10:00" --json)
check_eq "T pays part of the transferred debt: allocated to TRANSFER/1" "TRANSFER/1:37760|200000" \
  "$(echo "$out" | jf '",".join(a["invoice_symbol"]+"/"+str(a["invoice_number"])+":"+str(a["amount"]) for a in d["allocations"])+"|"+str(d["open_total"])')"
check_ledger "after the transfer"

# ---- documents ----
sha=$(printf 'a%.0s' $(seq 64))
doc() { sql_write "INSERT INTO document (customer_id, kind, title, file_name, media_type, size, sha256, doc_date, added_at, added_by)
  SELECT id, 'minutes', '$2', 'bb.pdf', 'application/pdf', 1000, '$sha', '2025-09-01', '2025-09-01T00:00:00Z', 'tester' FROM customer WHERE code = '$1'"
  sql "SELECT max(id) FROM document"; }
D1=$(doc $R "Biên bản đối chiếu"); D2=$(doc $A "Biên bản khác"); D3=$(doc $R "Biên bản đã gỡ")
sql_write "INSERT INTO document_removal (document_id, removed_at, removed_by, reason) VALUES ($D3, '2025-09-02T00:00:00Z', 'tester', 'nhầm')"
out=$(pc debt adjust $R --invoice $I3 --kind correction --amount -1356 --reason "theo biên bản" --doc $D1 --date 2025-09-20 --json)
check_eq "an adjustment citing the customer's document" "$D1|250000" "$(echo "$out" | jf 'str(d["document_id"])+"|"+str(d["rows"][0]["invoice_open"])')"
refused "--doc of another customer" "another customer" pc debt adjust $R --invoice $I3 --kind correction --amount -1 --reason x --doc $D2
refused "--doc removed" "removed" pc debt adjust $R --invoice $I3 --kind correction --amount -1 --reason x --doc $D3
refused "--doc unknown" "no document" pc debt adjust $R --invoice $I3 --kind correction --amount -1 --reason x --doc 9999

# ---- bad input ----
future=$(date -d '+3 days' +%F)
refused "unknown customer" "no customer 'PA99990000001'" pc debt adjust PA99990000001 --invoice $I3 --kind correction --amount -1 --reason x
refused "unknown invoice" "1K25TAA/999" pc debt adjust $R --invoice 1K25TAA/999 --kind correction --amount -1 --reason x
refused "a malformed invoice name" "SYMBOL/NUMBER" pc debt adjust $R --invoice 12345 --kind correction --amount -1 --reason x
refused "another customer's invoice" "not $R's" pc debt adjust $R --invoice $I2 --kind correction --amount -1 --reason x
refused "zero amount" "0 đồng" pc debt adjust $R --invoice $I3 --kind correction --amount 0 --reason x
refused "an amount that is not a number" "--amount" pc debt adjust $R --invoice $I3 --kind correction --amount 12a --reason x
refused "a negative write-off" "positive" pc debt adjust $R --invoice $I3 --kind write-off --amount -5 --reason x --approval y
refused "future date" "in the future" pc debt adjust $R --invoice $I3 --kind correction --amount -1 --reason x --date $future
refused "a date before the invoice's issue" "before invoice" pc debt adjust $R --invoice $I3 --kind correction --amount -1 --reason x --date 2025-08-01
refused "missing reason" "--reason" pc debt adjust $R --invoice $I3 --kind correction --amount -1
refused "empty reason" "--reason" pc debt adjust $R --invoice $I3 --kind correction --amount -1 --reason ""
refused "unknown kind" "--kind" pc debt adjust $R --invoice $I3 --kind gift --amount -1 --reason x
refused "a transfer without --to" "--to" pc debt adjust $R --invoice $I3 --kind transfer --amount 1 --reason x
refused "a reclassification without --to-invoice" "--to-invoice" pc debt adjust $R --invoice $I3 --kind reclassification --amount 1 --reason x
out=$(pc debt adjust $R --invoice-id "$(sql "SELECT id FROM invoice WHERE symbol || '/' || number = '$I3'")" --kind correction --amount 1000 --reason "theo id" --date 2025-09-21 --json)
check_eq "the invoice named by --invoice-id" "$I3|251000" "$(echo "$out" | jf 'd["rows"][0]["invoice"]+"|"+str(d["rows"][0]["invoice_open"])')"

# ---- the record ----
check_eq "the customer's adjustments, by date" "8|2025-08-10,2025-08-15,2025-09-01,2025-09-06,2025-09-10,2025-09-10,2025-09-20,2025-09-21" \
  "$(pc debt adjustments $R --json | jf 'str(d["count"])+"|"+",".join(r["date"] for r in d["adjustments"])')"
check_eq "… of a scope" "1|$T|TRANSFER/1" "$(pc debt adjustments --scope PA02 --json | jf 'str(d["count"])+"|"+d["adjustments"][0]["customer_code"]+"|"+d["adjustments"][0]["invoice"]')"
check_eq "… between dates" "4|-49000" "$(pc debt adjustments $R --from 2025-09-01 --to-date 2025-09-10 --json | jf 'str(d["count"])+"|"+str(d["total"])')"
check_contains "… as text" "write_off" "$(pc debt adjustments $R)"
check_fails "… of an unknown customer" pc debt adjustments PA99990000001
check_eq "every adjustment audited, the chain intact" "8|0" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'adjust'")|$(pc audit verify >/dev/null 2>&1; echo $?)"
check_fails "adjustments are never edited" sql_write "UPDATE debt_adjustment SET amount = 1"
check_fails "… nor deleted" sql_write "DELETE FROM debt_adjustment"
check_fails "adjustment keys are never edited" sql_write "UPDATE adjustment_key SET content_hash = 'x'"
check_ledger "after all adjustments"

# ---- report locks ----
pc lock --scope PA01 --period 2025-10 >/dev/null
refused "an adjustment dated in a locked period" "locked" pc debt adjust $R --invoice $I3 --kind correction --amount -1000 --reason x --date 2025-10-05
refused "a transfer out of a locked unit" "locked" pc debt adjust $A --invoice $I2 --kind transfer --amount 1000 --to $T --reason x --date 2025-10-05
refused "a transfer into a locked unit" "locked" pc debt adjust $T --invoice TRANSFER/1 --kind transfer --amount 1000 --to $R --reason x --date 2025-10-05
out=$(pc debt adjust $T --invoice TRANSFER/1 --kind correction --amount -10000 --reason "ngoài phạm vi khoá" --date 2025-10-05 --json)
check_eq "the lock covers its own scope only" "190000" "$(echo "$out" | jf 'd["rows"][0]["invoice_open"]')"
out=$(pc debt adjust $R --invoice $I3 --kind correction --amount -1000 --reason "kỳ sau" --date 2025-11-03 --json)
check_eq "the next open period takes the correction" "250000" "$(echo "$out" | jf 'd["rows"][0]["invoice_open"]')"
check_ledger "at the end"

finish
