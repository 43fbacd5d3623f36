#!/usr/bin/env bash
# Prepaid customers (issue 10 item 2, DOMAIN 12, docs/prepaid.md): the switch to prepaid settles
# open invoices first and brings credit in; top-ups through the counter, a partner's API call and
# a partner's collection file go to the balance; a reversal takes one back; the daily charges of a
# month add up to the monthly bill of the same consumption to the đồng; a day charged twice
# changes nothing; the low-balance SMS goes once per crossing; the cut order comes only once the
# grace period has passed, the reconnection order on the top-up that brings the balance back to 0
# or more; monthly statements; prepaid reads are never invoiced; leaving prepaid turns the balance
# into customer credit, and is refused below zero. Bad input changes nothing.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/api_lib.sh"

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
printf '[prepaid]\nlow_balance = 100000\ngrace_days = 2\n' > prepaid.ini
export POWERCIS_CONFIG=$WORK/prepaid.ini

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
P=PA01010000101; B=PA01010000102
cid() { sql "SELECT id FROM customer WHERE code = '$1'"; }
PID=$(cid $P); BID=$(cid $B)
pc partner add ECPAY --name "ECPay" --kind collector >/dev/null

# April: P is postpaid and billed 100 kWh (217,836 đ)
pc read add $P --date 2026-04-01 --total 1000 >/dev/null
pc read add $P --date 2026-04-30 --total 1100 >/dev/null
pc read add $B --date 2026-04-30 --total 2000 >/dev/null

# ---- bad input changes nothing ----
before=$(fingerprint)
out=$(pc prepaid charge --date 2026-02-30 2>&1); rc=$?
check_eq "an impossible date is refused (exit 2)" "2" "$rc"
check_contains "… naming it" "2026-02-30" "$out"
out=$(pc prepaid enable --customer PA99990000001 --date 2026-05-01 2>&1)
check_contains "an unknown customer is refused" "PA99990000001" "$out"
out=$(pc prepaid enable --customer $P 2>&1); rc=$?
check_eq "enable needs --date" "2" "$rc"
out=$(pc prepaid enable --customer $P --date 2026-05-01 2>&1)
check_contains "enable refused while an April read is not billed" "not billed yet" "$out"
out=$(pc prepaid statement --customer $P --month 2026-13 2>&1); rc=$?
check_eq "a statement month that does not exist is refused" "2" "$rc"
check_fails "a customer never prepaid has no statement" pc prepaid statement --customer $P --month 2026-05
check_fails "disable a customer who is not prepaid" pc prepaid disable --customer $P --date 2026-05-01
check_eq "… and nothing changed" "$before" "$(fingerprint)"

# ---- the switch settles the open invoices first ----
pc bill run --period 2026-04 --issue-date 2026-04-30 >/dev/null
check_eq "April billed: 217,836 đ" "217836" "$(sql "SELECT total FROM invoice WHERE customer_id = $PID")"
before=$(fingerprint)
out=$(pc prepaid enable --customer $P --date 2026-05-01 2>&1); rc=$?
check_eq "enable refused while an invoice is open" "2" "$rc"
check_contains "… naming the open amount" "217.836" "$out"
check_eq "… and nothing changed" "$before" "$(fingerprint)"
shift=$(pc shift open --cashier "Trần Thị Lan" --unit PA0101 --float 0 --json | jf 'd["shift_id"]')
pc pay post $P --shift $shift --amount 300000 --ref S1 --paid-at "2026-04-30 16:00" >/dev/null
check_eq "the invoice is paid, 82,164 đ of credit left" "0|82164" \
  "$(sql "SELECT count(*) FROM open_item WHERE customer_id = $PID")|$(sql "SELECT sum(amount) FROM customer_credit WHERE customer_id = $PID")"
out=$(pc prepaid enable --customer $P --date 2026-05-01 --json)
check_eq "enabled: the credit is the opening balance" "82164|82164" "$(echo "$out" | jf '"|".join(str(d[k]) for k in ("balance", "credit_moved"))')"
check_eq "… the credit is used up" "0" "$(sql "SELECT sum(amount) FROM customer_credit WHERE customer_id = $PID")"
check_eq "… a contract version, prepaid from 2026-05-01" "2026-05-01|prepaid" \
  "$(sql "SELECT valid_from || '|' || payment_mode FROM contract WHERE customer_id = $PID ORDER BY valid_from DESC LIMIT 1")"
check_fails "enabling twice is refused" pc prepaid enable --customer $P --date 2026-05-02
check "B (2 households, no money) enabled" pc prepaid enable --customer $B --date 2026-05-01
pc customer add PA01010000777 --name "Hoàng Văn Mới" --address "Thôn 1, xã Hồng Phong" --purpose residential \
  --meter PA0000000777 --payment-mode prepaid --valid-from 2026-04-01 >/dev/null
check "a customer added prepaid: enable opens the account" pc prepaid enable --customer PA01010000777 --date 2026-05-01
check_eq "… with no second contract version" "1" "$(sql "SELECT count(*) FROM contract k JOIN customer c ON c.id = k.customer_id WHERE c.code = 'PA01010000777'")"

# ---- top-ups through every channel ----
out=$(pc pay post $P --shift $shift --amount 500000 --ref T1 --paid-at "2026-05-01 08:00" --json)
check_eq "counter top-up: no invoice cleared, no credit" "0|0|0" "$(echo "$out" | jf 'str(len(d["allocations"]))+"|"+str(d["excess"])+"|"+str(d["credit_balance"])')"
check_eq "… the balance is 582,164 đ" "582164" "$(sql "SELECT balance FROM prepaid_account WHERE customer_id = $PID")"
check_fails "a top-up names no invoice" pc pay post $P --shift $shift --amount 1000 --ref T9 --invoice 1K26TAA/1
RT1=$(echo "$out" | jf 'd["receipt_no"]')
pc receipt pdf $RT1 --out t1.pdf >/dev/null
check_contains "the top-up's receipt: to the prepaid balance, 582,164 đ after it" \
  "Nạp tiền vào tài khoản trả trước Số dư trả trước: 582.164 đ" "$(pdftotext -enc UTF-8 t1.pdf - | tr -s ' \n' '  ')"
cat > col.csv <<CSV
partner,txn_ref,customer_code,amount,paid_at,invoice_no
ECPAY,EC-P-1,$P,300000,2026-05-10 09:00:00,
ECPAY,EC-P-2,$P,150000,2026-05-20 09:00:00,
CSV
check "collection file with two top-ups imported" pc pay import col.csv
check_eq "… two top-up rows in the ledger" "2|450000" "$(sql "SELECT count(*) || '|' || sum(l.amount) FROM prepaid_ledger l JOIN payment p ON p.id = l.payment_id WHERE l.kind = 'topup' AND p.source = 'ECPAY'")"
before=$(fingerprint)
check "the same file again …" pc pay import col.csv
check_eq "… changes nothing" "$before" "$(fingerprint)"

# ---- May's automatic reads: P 10 kWh on the 1st, then 5..15; B 12..18 ----
{
  echo "route,customer_code,meter,reading_date,total"
  p=1100; b=2000
  for i in $(seq 1 31); do
    day=$(printf '2026-05-%02d' $i)
    if [ $i = 1 ]; then kp=10; else kp=$((5 + (i * 7) % 11)); fi
    kb=$((12 + (i * 3) % 7))
    p=$((p + kp)); b=$((b + kb))
    echo ",$P,,$day,$p"
    echo ",$B,,$day,$b"
  done
} > may.csv
check "May's reads imported" pc read import may.csv --source amr
PKWH=$(sql "SELECT sum(kwh_total) FROM meter_read WHERE customer_id = $PID AND read_date >= '2026-05-01'")
BKWH=$(sql "SELECT sum(kwh_total) FROM meter_read WHERE customer_id = $BID AND read_date >= '2026-05-01'")
check_eq "no read flagged" "0" "$(sql "SELECT count(*) FROM meter_read WHERE status = 'flagged'")"

charge() { pc prepaid charge --date "$1" --json; }
cuts_of() { sql "SELECT count(*) FROM work_order WHERE customer_id = $1 AND kind = '$2'"; }

# day 1: P's 10 kWh on quotas prorated to 1 day of 31 (2/2/3/3/3 kWh): 24,202 + 1,936 VAT
out=$(charge 2026-05-01)
check_eq "day 1: the three accounts charged" "3" "$(echo "$out" | jf 'd["accounts"]')"
check_eq "day 1: P's charge is 26,138 đ" "-26138|10|10" \
  "$(sql "SELECT amount || '|' || kwh_day || '|' || kwh_mtd FROM prepaid_ledger WHERE customer_id = $PID AND charge_day = '2026-05-01'")"
check_eq "day 1: B below zero" "2026-05-01" "$(sql "SELECT below_zero_since FROM prepaid_account WHERE customer_id = $BID")"
check_eq "day 1: B's low-balance SMS" "1" "$(sql "SELECT count(*) FROM notify_outbox WHERE event = 'prepaid_low_balance' AND customer_id = $BID")"
charge 2026-05-02 >/dev/null
check_eq "day 2 (1 day into grace 2): no cut order yet" "0" "$(cuts_of $BID cut)"
out=$(charge 2026-05-03)
check_eq "day 3 (grace passed): a cut order for B" "1|1" "$(echo "$out" | jf 'd["cut_orders"]')|$(cuts_of $BID cut)"
ORDER=$(sql "SELECT id FROM work_order WHERE customer_id = $BID AND kind = 'cut'")
check_contains "… its reason says prepaid" "prepaid balance" "$(sql "SELECT reason FROM work_order WHERE id = $ORDER")"
pc dunning run --date 2026-05-03 >/dev/null
check_eq "a dunning run leaves the prepaid cut order open" "0" "$(sql "SELECT count(*) FROM work_order_state WHERE order_id = $ORDER AND state <> 'open'")"
check "the crew cuts B on day 4" pc orders done $ORDER --date 2026-05-04
check_eq "… B is disconnected" "disconnected" "$(sql "SELECT status FROM customer WHERE id = $BID")"
charge 2026-05-04 >/dev/null
check_eq "no second cut order while cut" "1" "$(cuts_of $BID cut)"
BBAL=$(sql "SELECT balance FROM prepaid_account WHERE customer_id = $BID")
pc pay post $B --partner ECPAY --ref EC-B-1 --amount 10000 --paid-at "2026-05-05 07:00" >/dev/null
check_eq "a top-up that leaves B below zero: no reconnection order" "0" "$(cuts_of $BID reconnection)"
NEED=$(( -BBAL - 10000 ))
pc pay post $B --partner ECPAY --ref EC-B-2 --amount $NEED --paid-at "2026-05-05 07:30" >/dev/null
check_eq "the top-up that brings B to 0: a reconnection order" "1|0" \
  "$(cuts_of $BID reconnection)|$(sql "SELECT balance FROM prepaid_account WHERE customer_id = $BID")"
for i in $(seq 5 15); do charge "$(printf '2026-05-%02d' $i)" >/dev/null; done
before=$(fingerprint)
out=$(charge 2026-05-15)
check_eq "day 15 charged again: nothing charged" "0" "$(echo "$out" | jf 'd["accounts"]')"
charge 2026-05-12 >/dev/null
check_eq "… nor an earlier day; nothing changed" "$before" "$(fingerprint)"
check_eq "B's low-balance SMS went once for the crossing" "1" "$(sql "SELECT count(*) FROM notify_outbox WHERE event = 'prepaid_low_balance' AND customer_id = $BID")"

# a counter top-up reversed on its day
pc pay post $P --shift $shift --amount 10000 --ref T2 --paid-at "2026-05-15 10:00" >/dev/null
PBAL=$(sql "SELECT balance FROM prepaid_account WHERE customer_id = $PID")
out=$(pc pay reverse --counter --ref T2 --reason "nhầm khách hàng" --date 2026-05-15 --shift $shift --json)
check_eq "the reversal takes the top-up back" "$((PBAL - 10000))|-10000" \
  "$(sql "SELECT balance FROM prepaid_account WHERE customer_id = $PID")|$(sql "SELECT amount FROM prepaid_ledger WHERE customer_id = $PID AND kind = 'reversal'")"

for i in $(seq 16 31); do charge "$(printf '2026-05-%02d' $i)" >/dev/null; done
bill() { echo "{\"purpose\":\"residential\",\"previous_reading\":\"2026-04-30\",\"reading\":\"2026-05-31\",\"kwh\":$1,\"households\":$2}" | pc rate | jf 'd["total"]'; }
charged() { sql "SELECT -sum(amount) FROM prepaid_ledger WHERE customer_id = $1 AND kind = 'charge' AND charge_day LIKE '2026-05%'"; }
PBILL=$(bill $PKWH 1); BBILL=$(bill $BKWH 2)
check_eq "P: May's 31 daily charges = the monthly bill of $PKWH kWh, to the đồng" "$PBILL" "$(charged $PID)"
check_eq "B (2 households): the same for $BKWH kWh" "$BBILL" "$(charged $BID)"
check_eq "31 charge rows each" "31|31" "$(sql "SELECT count(*) FROM prepaid_ledger WHERE customer_id = $PID AND kind = 'charge'")|$(sql "SELECT count(*) FROM prepaid_ledger WHERE customer_id = $BID AND kind = 'charge'")"
check_eq "the last charge used all 31 reads of May" "31|2026-05-01|2026-05-31|$PKWH" \
  "$(sql "SELECT reads || '|' || read_from || '|' || read_to || '|' || kwh_mtd FROM prepaid_ledger WHERE customer_id = $PID AND charge_day = '2026-05-31'")"

# ---- statements ----
st=$(pc prepaid statement --customer $P --month 2026-05 --format json)
CL=$(sql "SELECT balance FROM prepaid_account WHERE customer_id = $PID")
check_eq "statement: opening, top-ups, reversals, charges, opening credit, closing" \
  "0|960000|-10000|-$PBILL|82164|$CL" \
  "$(echo "$st" | jf '"|".join(str(d[k]) for k in ("opening", "topups", "reversals", "charges", "other", "closing"))')"
check_eq "… closing = opening + movements" "$CL" "$((82164 + 960000 - 10000 - PBILL))"
csv=$(pc prepaid statement --customer $P --month 2026-05 --format csv)
check_eq "CSV statement: header" "date,kind,amount,balance,kwh_day,kwh_mtd,receipt_no,note" "$(echo "$csv" | head -1)"
check_eq "CSV statement: closing line" "2026-05-31,closing_balance,,$CL,,,," "$(echo "$csv" | tail -1)"
check_eq "June opens with May's closing" "$CL" "$(pc prepaid statement --customer $P --month 2026-06 --format json | jf 'd["opening"]')"
out=$(pc prepaid list --json)
check_eq "list: lowest balance first" "$B PA01010000777 $P" "$(echo "$out" | jf '" ".join(r["customer_code"] for r in d)')"

# ---- prepaid reads are not invoiced ----
pc bill run --period 2026-05 --issue-date 2026-06-02 >/dev/null
check_eq "the May billing run invoices no prepaid customer" "0" "$(sql "SELECT count(*) FROM invoice WHERE period = '2026-05'")"

# ---- leaving prepaid ----
before=$(fingerprint)
BB=$(sql "SELECT balance FROM prepaid_account WHERE customer_id = $BID")
if [ "$BB" -lt 0 ]; then
  out=$(pc prepaid disable --customer $B --date 2026-06-01 2>&1)
  check_contains "leaving prepaid below zero is refused" "top up" "$out"
  check_eq "… nothing changed" "$before" "$(fingerprint)"
else
  not_ok "B should be below zero at the end of May" "balance $BB"
fi
out=$(pc prepaid disable --customer $P --date 2026-06-01 --json)
check_eq "P leaves prepaid: the balance becomes customer credit" "$CL|0" "$(echo "$out" | jf '"|".join(str(d[k]) for k in ("credit", "balance"))')"
check_eq "… credit $CL đ" "$CL" "$(sql "SELECT sum(amount) FROM customer_credit WHERE customer_id = $PID")"
check_eq "… postpaid from 2026-06-01" "postpaid" "$(sql "SELECT payment_mode FROM contract WHERE customer_id = $PID ORDER BY valid_from DESC LIMIT 1")"
out=$(pc prepaid charge --date 2026-06-01 --json)
check_eq "June 1st charges B and the new customer, not P" "2" "$(echo "$out" | jf 'd["accounts"]')"
check_ledger "with top-ups, a reversal, credit brought in and handed back"

# ---- the scheduler's job charges yesterday ----
check "jobs run prepaid_charge" env POWERCIS_CLOCK=2026-06-03T03:00:00+07:00 "$POWERCIS" jobs run prepaid_charge --force
check_eq "… B charged for 2026-06-02" "2026-06-02" "$(sql "SELECT last_charge_day FROM prepaid_account WHERE customer_id = $BID")"

# ---- the managers' digest ----
pc user add gd.pa01 --name "Trần Thị Bình" --role company --scope PA01 --digest >/dev/null
out=$(pc digest preview --user gd.pa01 --date 2026-06-02)
check_contains "digest: prepaid customers below zero and low" "6. Khách hàng trả trước: 1 số dư âm, 2 số dư dưới 100.000 đ (trên 2 khách hàng)." "$out"

# ---- over HTTP (a Vụ Bản officer; Ý Yên's sees none of it) ----
echo "vu-ban-officer-1" | pc user add vb.officer --name "Trần Minh" --role unit_officer --scope PA0101 --password-stdin >/dev/null
echo "y-yen-officer-1" | pc user add yy.officer --name "Đỗ Hải" --role unit_officer --scope PA0102 --password-stdin >/dev/null
api_serve
login vb >/dev/null vb.officer vu-ban-officer-1
login yy >/dev/null yy.officer y-yen-officer-1
check_eq "GET /api/v1/prepaid: B and the new customer, still prepaid" "200|$B PA01010000777" \
  "$(call l.json -b vb "$U/api/v1/prepaid")|$(jf '" ".join(r["customer_code"] for r in d["items"])' < l.json)"
check_eq "… low=1: B (below zero) and the new customer (0 đ)" "$B PA01010000777" "$(call l.json -b vb "$U/api/v1/prepaid?low=1" >/dev/null; jf '" ".join(r["customer_code"] for r in d["items"])' < l.json)"
check_eq "… Ý Yên's officer sees no account" "200|0" "$(call l.json -b yy "$U/api/v1/prepaid")|$(jf 'len(d["items"])' < l.json)"
check_eq "GET …/customers/{code}/prepaid: the ledger, newest first" "200|$BB|charge" \
  "$(call b.json -b vb "$U/api/v1/customers/$B/prepaid?limit=3")|$(jf 'str(d["balance"])+"|"+d["ledger"][0]["kind"]' < b.json)"
check_eq "… outside the scope: 403" "403" "$(call x.json -b yy "$U/api/v1/customers/$B/prepaid")"
check_eq "GET …/prepaid/statement?month=2026-05 as the CLI's" "200|$(pc prepaid statement --customer $P --month 2026-05 --format json | jf 'd["closing"]')" \
  "$(call s.json -b vb "$U/api/v1/customers/$P/prepaid/statement?month=2026-05")|$(jf 'd["closing"]' < s.json)"
check_eq "… a bad month: 400 naming it" "400|invalid|month" "$(call s.json -b vb "$U/api/v1/customers/$P/prepaid/statement?month=2026-13")|$(err s.json)"
check_eq "… a customer never prepaid: 404" "404" "$(call s.json -b yy "$U/api/v1/customers/PA01020000103/prepaid")"

# ---- prepaid again: the reads of the first spell were charged, not left unbilled ----
check_eq "P's May reads: none invoiced (charged day by day)" "0" \
  "$(sql "SELECT count(*) FROM meter_read r JOIN invoice_read ir ON ir.read_id = r.id WHERE r.customer_id = $PID AND r.read_date >= '2026-05-01'")"
out=$(pc prepaid enable --customer $P --date 2026-06-10 --json 2>&1)
check_eq "P prepaid again from 2026-06-10, its credit the opening balance" "$CL" "$(echo "$out" | jf 'd["balance"]' 2>&1)"
finish
