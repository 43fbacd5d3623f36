#!/usr/bin/env bash
# Reconciliation of third-party collections (DOMAIN 11, docs/reconciliation.md): our postings
# through a partner, the partner's daily statement and the bank statement of the collection
# account, over three business days that between them hold every kind of difference; the match
# rate; JSON, CSV and XLSX reports; statement and bank imports all-or-nothing and idempotent;
# a corrected statement replacing the first; clearing "missing in ours" once, audited.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; T=PA02010000105; A=PA01020000104
pc partner add ECPAY --name "Công ty CP Thanh toán điện tử ECPay" --kind collector >/dev/null
pc partner add VNPOST --name "Tổng công ty Bưu điện Việt Nam" --kind post --settlement-days 2 >/dev/null

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
post() { pc pay post "$2" --partner ECPAY --ref "$1" --amount "$3" --paid-at "$4" >/dev/null || echo "post $1 failed" >&2; }
rec() { pc reconcile --partner ECPAY --format json "$@"; }
# counts: the non-zero kinds as kind=n, in the domain's order
counts='",".join(k+"="+str(v) for k,v in d["counts"].items() if v)'

# ---- our postings ----
# 12/09: E1, E2 match; E3 amount differs; E4 went to another customer; E5 the partner does not
# have; E6 was reversed the same day (the partner cancelled it: neither side counts it).
post E1 $R 100000 "2025-09-12 08:00"
post E2 $T 200000 "2025-09-12 09:00"
post E3 $A 300000 "2025-09-12 10:00"
post E4 $R 50000 "2025-09-12 11:00"
post E5 $T 70000 "2025-09-12 12:00"
post E6 $A 80000 "2025-09-12 13:00"
pc pay reverse --partner ECPAY --ref E6 --reason "khách hủy giao dịch" --date 2025-09-12 >/dev/null
# E9 was paid at the partner at 23:50 on the 12th; we dated it the next morning.
post E9 $R 90000 "2025-09-13 07:30"
post E10 $T 25000 "2025-09-13 10:00"
post E11 $A 15000 "2025-09-14 10:00"

# ---- the partner's statement: three days in one file ----
cat > stmt.csv <<EOF
partner,txn_ref,customer_code,amount,paid_at
ECPAY,E1,$R,100000,2025-09-12 08:00:01
ECPAY,E2,$T,200000,2025-09-12T09:00
ECPAY,E3,$A,350000,2025-09-12 10:00
ECPAY,E4,$T,50000,2025-09-12 11:00
ECPAY,E7,$R,40000,2025-09-12 14:00
ECPAY,E7,$R,40000,2025-09-12 14:00
ECPAY,E8,$A,60000,2025-09-12 15:00
ECPAY,E9,$R,90000,2025-09-12 23:50
ECPAY,E10,$T,25000,2025-09-13 10:00
ECPAY,E11,$A,15000,2025-09-14 10:00
ECPAY,E12,$A,5000,2025-09-14 11:00
EOF
# ---- the bank statement of the collection account ----
# 12/09 owes 930,000: 900,000 on time (T+1) and 10,000 three days after the deadline: short.
# 13/09 owes 25,000 and got 30,000: over. 14/09 got nothing: missing. VNPOST's credit is not ECPAY's.
cat > bank.csv <<EOF
value_date,amount,partner,for_day,reference,narrative
2025-09-13,900000,ECPAY,2025-09-12,FT25256001,"ECPAY THU HO TIEN DIEN NGAY 12/09/2025"
2025-09-16,10000,ECPAY,2025-09-12,FT25259002,ECPAY BO SUNG NGAY 12/09/2025
2025-09-14,30000,ECPAY,2025-09-13,FT25257003,ECPAY THU HO NGAY 13/09/2025
2025-09-14,500000,VNPOST,2025-09-12,FT25257004,VNPOST THU HO NGAY 12/09/2025
EOF

# ---- imports: a bad line rejects the file and changes nothing ----
before=$(fingerprint)
{ head -3 stmt.csv; echo "ECPAY,E3,$A,35O000,2025-09-12 10:00"; echo "NOPE,X1,$A,1000,2025-09-12"; \
  echo "ECPAY,X2,$A,1000,2025-02-30"; echo "ECPAY,X3,$A,0,2025-09-12"; } > bad.csv
out=$(pc statement import --partner ECPAY bad.csv 2>&1); rc=$?
check_eq "a statement with bad lines is rejected" "2" "$rc"
check_contains "… naming the bad amount's line" "line 4: amount" "$out"
check_contains "… the unknown partner's line" "line 5: partner 'NOPE' in a statement imported for ECPAY" "$out"
check_contains "… the impossible date's line" "line 6: paid_at '2025-02-30'" "$out"
check_contains "… the zero amount's line" "line 7: amount 0 must be more than 0" "$out"
check_contains "… and saying nothing was imported" "4 of 6 rows have errors; nothing was imported" "$out"
check_eq "… the database is unchanged" "$before" "$(fingerprint)"
out=$(pc statement import bad.csv --json 2>/dev/null)
check_eq "without --partner: the unknown partner is named" "True" \
  "$(echo "$out" | jf '"line 5: no partner '"'"'NOPE'"'"'" in d["errors"]')"
check_eq "… still unchanged" "$before" "$(fingerprint)"

out=$(pc statement import --partner ECPAY stmt.csv --json); rc=$?
check_eq "statement imported" "0|11|11|975000" "$rc|$(echo "$out" | jf 'str(d["rows"])+"|"+str(d["added"])+"|"+str(d["amount"])')"
after_stmt=$(fingerprint)
out=$(pc statement import --partner ECPAY stmt.csv --json)
check_eq "the same statement twice changes nothing" "True" "$(echo "$out" | jf 'd["already"]')"
check_eq "… the database is unchanged" "$after_stmt" "$(fingerprint)"
check_eq "statement lines stored" "11" "$(sql 'SELECT count(*) FROM statement_line')"

out=$(pc bank import bank.csv --json); rc=$?
check_eq "bank statement imported" "0|4|4|0" "$rc|$(echo "$out" | jf 'str(d["rows"])+"|"+str(d["added"])+"|"+str(d["repeated"])')"
# an overlapping export: one credit known with the same content is skipped, one is new
printf 'value_date,amount,partner,for_day,reference\n2025-09-13,900000,ECPAY,2025-09-12,FT25256001\n2025-09-15,700000,VNPOST,2025-09-13,FT25258005\n' > bank2.csv
out=$(pc bank import bank2.csv --json)
check_eq "overlapping bank statement: known credit skipped, new one added" "1|1" "$(echo "$out" | jf 'str(d["added"])+"|"+str(d["repeated"])')"
before=$(fingerprint)
printf 'value_date,amount,partner,for_day,reference\n2025-09-17,1000,VNPOST,2025-09-16,FT25260006\n2025-09-13,900001,ECPAY,2025-09-12,FT25256001\n2025-09-13,5,ECPAY,12/09/2025,FT25256009\n' > bank3.csv
out=$(pc bank import bank3.csv 2>&1); rc=$?
check_eq "a known bank reference with other content rejects the file" "2" "$rc"
check_contains "… naming the line" "line 3: bank reference FT25256001 was imported before with other content" "$out"
check_contains "… and the bad for_day" "line 4: for_day" "$out"
check_eq "… the database is unchanged" "$before" "$(fingerprint)"
check_eq "bank lines stored" "5" "$(sql 'SELECT count(*) FROM bank_line')"

# ---- 12/09: transaction-level kinds, remittance short and late ----
out=$(rec --date 2025-09-12); rc=$?
check_eq "12/09 reconciled" "0" "$rc"
check_eq "12/09: 8 references, 2 matched, match rate 0.25" "8|2|0.25" \
  "$(echo "$out" | jf 'str(d["transactions"])+"|"+str(d["matched"])+"|"+str(d["match_rate"])')"
check_eq "12/09: counts per kind" \
  "missing_in_ours=3,missing_at_partner=1,amount_differs=1,customer_differs=1,duplicate=1,remittance_short=1,remittance_late=1" \
  "$(echo "$out" | jf "$counts")"
check_eq "12/09: totals (the same-day reversal is left out of ours)" "720000|930000|910000|5|8|2|1" \
  "$(echo "$out" | jf '"|".join(str(d[k]) for k in ["ours_total","partner_total","remitted_total","ours_lines","partner_lines","remittances","reversed_same_day"])')"
diff_of() { echo "$out" | jf "[x for x in d['differences'] if x['kind']=='$1']"; }
check_eq "remittance late: FT25259002, 3 days after T+1" \
  "[{'kind': 'remittance_late', 'day': '2025-09-12', 'expected': 10000, 'actual': 10000, 'days_late': 3, 'reference': 'FT25259002', 'value_date': '2025-09-16', 'amount': 10000}]" \
  "$(diff_of remittance_late)"
check_eq "remittance short: 930,000 owed, 910,000 remitted (the late one counts)" \
  "[{'kind': 'remittance_short', 'day': '2025-09-12', 'expected': 930000, 'actual': 910000}]" "$(diff_of remittance_short)"
check_eq "amount differs: E3" \
  "[{'kind': 'amount_differs', 'txn_ref': 'E3', 'customer_code': '$A', 'ours': 300000, 'partner': 350000, 'expected': 350000, 'actual': 300000}]" \
  "$(diff_of amount_differs)"
check_eq "customer differs: E4" \
  "[{'kind': 'customer_differs', 'txn_ref': 'E4', 'customer_code': '$T', 'ours': 50000, 'partner': 50000, 'ours_customer': '$R', 'partner_customer': '$T', 'expected': 50000, 'actual': 50000}]" \
  "$(diff_of customer_differs)"
check_eq "missing at partner: E5" \
  "[{'kind': 'missing_at_partner', 'txn_ref': 'E5', 'customer_code': '$T', 'ours': 70000, 'partner': None, 'expected': 0, 'actual': 70000}]" \
  "$(diff_of missing_at_partner)"
check_eq "duplicate at the partner: E7" \
  "[{'kind': 'duplicate', 'txn_ref': 'E7', 'customer_code': '$R', 'ours': None, 'partner': 40000, 'side': 'partner', 'expected': 0, 'actual': 40000}]" \
  "$(diff_of duplicate)"
check_eq "missing in ours: E7, E8, E9" "E7:40000:$R,E8:60000:$A,E9:90000:$R" \
  "$(echo "$out" | jf '",".join(x["txn_ref"]+":"+str(x["partner"])+":"+x["customer_code"] for x in d["differences"] if x["kind"]=="missing_in_ours")')"
check_not_contains "the reversed payment E6 is no difference" '"E6' "$out"

# ---- 13/09: remittance over; E9 is ours that day, not the partner's ----
out=$(rec --date 2025-09-13)
check_eq "13/09: counts, match rate 0.5" "missing_at_partner=1,remittance_over=1|0.5" "$(echo "$out" | jf "$counts"'+"|"+str(d["match_rate"])')"
check_eq "13/09: remittance over 25,000 → 30,000" "[{'kind': 'remittance_over', 'day': '2025-09-13', 'expected': 25000, 'actual': 30000}]" \
  "$(diff_of remittance_over)"

# ---- 14/09: remittance missing; then a corrected statement replaces the first ----
out=$(rec --date 2025-09-14)
check_eq "14/09: counts" "missing_in_ours=1,remittance_missing=1" "$(echo "$out" | jf "$counts")"
check_eq "14/09: remittance missing for the whole day" "[{'kind': 'remittance_missing', 'day': '2025-09-14', 'expected': 20000, 'actual': 0}]" \
  "$(diff_of remittance_missing)"
printf 'partner,txn_ref,customer_code,amount,paid_at\nECPAY,E11,%s,15000,2025-09-14 10:00\n' $A > stmt-14-corrected.csv
pc statement import --partner ECPAY stmt-14-corrected.csv >/dev/null
out=$(rec --date 2025-09-14)
check_eq "corrected 14/09 statement in force: E12 gone, all matched" "remittance_missing=1|1.0|15000" \
  "$(echo "$out" | jf "$counts"'+"|"+str(d["match_rate"])+"|"+str(d["partner_total"])')"
check_eq "… the first statement's lines are kept (2 + 1)" "3" "$(sql "SELECT count(*) FROM statement_line WHERE day = '2025-09-14'")"

# a partner with nothing that day: nothing to reconcile, match rate 1
out=$(pc reconcile --partner VNPOST --date 2025-09-20 --format json)
check_eq "a day with nothing: match rate 1, no differences" "1.0|0" "$(echo "$out" | jf 'str(d["match_rate"])+"|"+str(len(d["differences"]))')"
check_fails "an unknown partner is refused" pc reconcile --partner NOPE --date 2025-09-12
check_fails "a bad date is refused" pc reconcile --partner ECPAY --date 2025-09-31
check_fails "xlsx needs --out" pc reconcile --partner ECPAY --date 2025-09-12 --format xlsx

# ---- CSV and XLSX ----
pc reconcile --partner ECPAY --date 2025-09-12 --format csv > rec.csv
check_eq "CSV: header and one row per difference" "10" "$(wc -l < rec.csv | tr -d ' ')"
check_eq "CSV: the header" "kind,side,txn_ref,customer_code,ours_customer,partner_customer,ours_amount,partner_amount,day,expected,actual,days_late,bank_reference,value_date" \
  "$(head -1 rec.csv | tr -d '"')"
check_contains "CSV: the late remittance row" "remittance_late,,,,,,,,2025-09-12,10000,10000,3,FT25259002,2025-09-16" "$(tr -d '"' < rec.csv)"
pc reconcile --partner ECPAY --date 2025-09-12 --format csv --out rec2.csv
check_eq "CSV --out writes the same" "$(cat rec.csv)" "$(cat rec2.csv)"
check "XLSX written" pc reconcile --partner ECPAY --date 2025-09-12 --format xlsx --out rec.xlsx
check "… a valid zip" python3 -m zipfile -t rec.xlsx
xl=$(python3 - rec.xlsx <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wb = z.read('xl/workbook.xml').decode()
s2 = z.read('xl/worksheets/sheet2.xml').decode()
ss = z.read('xl/sharedStrings.xml').decode()
st = z.read('xl/styles.xml').decode()
print('Tổng hợp' in wb, 'Chênh lệch' in wb, 'state="frozen"' in s2, s2.count('<row ') - 1,
      'Chuyển tiền trễ hạn' in ss, 'Mã giao dịch' in ss, '#,##0' in st)
EOF
)
check_eq "XLSX: two sheets, frozen header, 9 differences, Vietnamese headings, thousands format" \
  "True True True 9 True True True" "$xl"

# ---- clearing what the partner collected and we never posted ----
payments=$(sql 'SELECT count(*) FROM payment')
out=$(rec --date 2025-09-12 --clear-missing 2>clear.err); rc=$?
check_eq "clear-missing: E7 and E8 posted, E9 (posted on the 13th) not again" "0|2|1|100000" \
  "$rc|$(echo "$out" | jf 'str(d["cleared"]["posted"])+"|"+str(d["cleared"]["skipped"])+"|"+str(d["cleared"]["amount"])')"
check_contains "… the skipped one is named" "E9 (posted 2025-09-13)" "$(cat clear.err)"
check_eq "… two payments more" "$((payments + 2))" "$(sql 'SELECT count(*) FROM payment')"
check_eq "… as the partner's payments with the statement's paid_at" "E7|partner|40000|2025-09-12 14:00:00|$R,E8|partner|60000|2025-09-12 15:00:00|$A" \
  "$(sql "SELECT $(agg)(p.ext_ref || '|' || p.channel || '|' || p.amount || '|' || p.paid_at || '|' || c.code, ',') FROM (SELECT * FROM payment ORDER BY ext_ref) p JOIN customer c ON c.id = p.customer_id WHERE p.ext_ref IN ('E7', 'E8')")"
check_eq "… the day now: 3 matched of 8, E9 still missing" "3|0.375|missing_in_ours=1" \
  "$(echo "$out" | jf 'str(d["matched"])+"|"+str(d["match_rate"])+"|"+"".join(k+"="+str(v) for k,v in d["counts"].items() if k=="missing_in_ours")')"
check_eq "… in the audit log" "1|ECPAY/2025-09-12" "$(sql "SELECT count(*) || '|' || max(entity_key) FROM audit_log WHERE action = 'reconcile.clear'")"
check_contains "… with what it posted" '"refs":["E7","E8"]' "$(sql "SELECT detail FROM audit_log WHERE action = 'reconcile.clear'")"
out=$(rec --date 2025-09-12 --clear-missing 2>/dev/null)
check_eq "clear-missing twice posts nothing more" "0|$((payments + 2))|1" \
  "$(echo "$out" | jf 'str(d["cleared"]["posted"])')|$(sql 'SELECT count(*) FROM payment')|$(sql "SELECT count(*) FROM audit_log WHERE action = 'reconcile.clear'")"
# one item that cannot be posted (no such customer) stops the whole clearing
printf 'partner,txn_ref,customer_code,amount,paid_at\nECPAY,F1,%s,1000,2025-09-15 09:00\nECPAY,F2,PA99990000001,2000,2025-09-15 09:05\n' $T > stmt-15.csv
pc statement import stmt-15.csv >/dev/null
before=$(fingerprint)
out=$(pc reconcile --partner ECPAY --date 2025-09-15 --clear-missing 2>&1); rc=$?
check_eq "clear-missing with an unpostable item fails" "2" "$rc"
check_contains "… naming it and its statement line" "ECPAY F2 (statement line 3); nothing was posted" "$out"
check_eq "… and posts nothing" "$before" "$(fingerprint)"

check_eq "audit chain intact" "0" "$(pc audit verify >/dev/null 2>&1; echo $?)"
check_fails "statement lines are append-only" sql_write "UPDATE statement_line SET amount = 1"
check_fails "bank lines are append-only" sql_write "DELETE FROM bank_line"
check_ledger "at the end"
finish
