#!/usr/bin/env bash
# Collection over real HTTP (issue 8, docs/api.md "Collection"): a cashier's open invoices, shift,
# counter postings keyed by Idempotency-Key (first 201, same key and body 200 repeated with nothing
# doubled, other body 409), refusals that write nothing (no CSRF, no key, outside the scope, a
# read-only role, bad amounts naming the field), the receipt PDF, a reversal and the shift's close.
. "$(dirname "$0")/lib.sh"

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; A=PA01020000104
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null   # 100 kWh: 217,836 đ
pc read add $R --date 2025-08-01 --total 1250 >/dev/null   # 150 kWh: 346,356 đ
pc read add $A --date 2025-06-03 --total 500 >/dev/null
pc read add $A --date 2025-07-03 --total 1500 >/dev/null
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
pc bill run --period 2025-08 --issue-date 2025-08-05 >/dev/null
echo "vu-ban-cashier-1" | pc user add vb.cashier --name "Phạm Thu" --role cashier --scope PA0101 --password-stdin >/dev/null
echo "y-yen-officer-1" | pc user add yy.officer --name "Đỗ Hải" --role unit_officer --scope PA0102 --password-stdin >/dev/null
echo "read-only-pa01-1" | pc user add pa01.ro --name "Lê Xem" --role read_only --scope PA01 --password-stdin >/dev/null

export POWERCIS_CLOCK_FILE=$PWD/clock
echo 2026-11-23T09:00:00+07:00 > clock
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[server]\nscheduler = off\n' > powercis.ini
export POWERCIS_CONFIG=$PWD/powercis.ini
"$POWERCIS" serve --listen 127.0.0.1:$port > server.log 2>&1 & SRV=$!; PIDS+=($SRV)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
U="http://127.0.0.1:$port"

call() { local out=$1; shift; curl -s -o "$out" -w '%{http_code}' "$@"; }
login() { call "$1.json" -c "$1" -b "$1" -X POST -d "{\"login\":\"$2\",\"password\":\"$3\"}" "$U/api/v1/login"; }
csrf() { jf 'd["csrf_token"]' < "$1.json"; }
# post JAR OUT PATH BODY [curl args…]: a signed-in POST with the CSRF token
post() { local jar=$1 out=$2 path=$3 body=$4; shift 4
  call "$out" -b "$jar" -H "X-CSRF-Token: $(csrf "$jar")" -H 'Content-Type: application/json' -X POST -d "$body" "$@" "$U$path"; }
err() { jf 'd["error"]["code"]+"|"+str(d["error"]["field"])' < "$1"; }

check_eq "the cashier signs in" "200" "$(login c.jar vb.cashier vu-ban-cashier-1)"
login o.jar yy.officer y-yen-officer-1 >/dev/null
login ro.jar pa01.ro read-only-pa01-1 >/dev/null

# ---- open invoices ----
check_eq "GET …/open: the open invoices, oldest due date first, and the total" "200|2|217836,346356|564192" \
  "$(call open.json -b c.jar "$U/api/v1/customers/$R/open")|$(jf 'str(len(d["invoices"]))+"|"+",".join(str(i["open"]) for i in d["invoices"])+"|"+str(d["total"])' < open.json)"
check_eq "… the same as pay open --json" "$(pc pay open $R --json | jf 'd["total"]')" "$(jf 'd["total"]' < open.json)"
check_eq "a customer of another unit: 403, no data" "403|forbidden|absent" \
  "$(call x.json -b c.jar "$U/api/v1/customers/$A/open")|$(jf 'd["error"]["code"]' < x.json)|$(grep -q "$A" x.json && echo present || echo absent)"
check_eq "… and an unknown code there is the same 403" "403" "$(call x.json -b c.jar "$U/api/v1/customers/PA01029999999/open")"
check_eq "an unknown code in the scope: 404" "404" "$(call x.json -b c.jar "$U/api/v1/customers/PA01019999999/open")"
check_eq "a read-only account reads it" "200" "$(call x.json -b ro.jar "$U/api/v1/customers/$R/open")"
check_eq "without signing in: 401" "401" "$(call x.json "$U/api/v1/customers/$R/open")"

# ---- the shift ----
check_eq "POST /shifts opens the cashier's shift in its unit" "201|vb.cashier|PA0101|500000" \
  "$(post c.jar s.json /api/v1/shifts '{"opening_float":500000}')|$(jf 'd["cashier"]+"|"+d["unit"]+"|"+str(d["opening_float"])' < s.json)"
SHIFT=$(jf 'd["shift_id"]' < s.json)
check_eq "a unit outside the scope: 400 on unit" "400|invalid|unit" \
  "$(post c.jar x.json /api/v1/shifts '{"unit":"PA0102"}')|$(err x.json)"
check_eq "another unit's officer does not see the cashier's shift: 404" "404" "$(call x.json -b o.jar "$U/api/v1/shifts/$SHIFT")"

# ---- posting: refusals write nothing ----
BODY="{\"customer_code\":\"$R\",\"amount\":300000,\"shift_id\":$SHIFT,\"method\":\"cash\"}"
before=$(fingerprint)
check_eq "without the CSRF token: 403 csrf_failed" "403|csrf_failed" \
  "$(call x.json -b c.jar -H 'Idempotency-Key: k-1' -X POST -d "$BODY" "$U/api/v1/payments")|$(jf 'd["error"]["code"]' < x.json)"
check_eq "without an Idempotency-Key: 400 naming the header" "400|invalid|Idempotency-Key" \
  "$(post c.jar x.json /api/v1/payments "$BODY")|$(err x.json)"
check_eq "a customer outside the scope: 403" "403|forbidden" \
  "$(post c.jar x.json /api/v1/payments "{\"customer_code\":\"$A\",\"amount\":1000,\"shift_id\":$SHIFT}" -H 'Idempotency-Key: k-out')|$(jf 'd["error"]["code"]' < x.json)"
check_eq "a read-only account may not post: 403" "403" \
  "$(post ro.jar x.json /api/v1/payments "$BODY" -H 'Idempotency-Key: k-ro')"
check_eq "another unit's officer may not post to the cashier's shift: 403 (the customer is not in its scope)" "403" \
  "$(post o.jar x.json /api/v1/payments "$BODY" -H 'Idempotency-Key: k-o')"
for amount in 0 -5 '"12a"' 9223372036854775807 '"99999999999999999999"' '1.5' null; do
  check_eq "amount $amount: 400 naming amount" "400|invalid|amount" \
    "$(post c.jar x.json /api/v1/payments "{\"customer_code\":\"$R\",\"amount\":$amount,\"shift_id\":$SHIFT}" -H "Idempotency-Key: k-bad")|$(err x.json)"
done
check_eq "method wire: 400 naming method" "400|invalid|method" \
  "$(post c.jar x.json /api/v1/payments "{\"customer_code\":\"$R\",\"amount\":1000,\"shift_id\":$SHIFT,\"method\":\"wire\"}" -H 'Idempotency-Key: k-bad')|$(err x.json)"
check_eq "no shift: 400 naming shift_id" "400|invalid|shift_id" \
  "$(post c.jar x.json /api/v1/payments "{\"customer_code\":\"$R\",\"amount\":1000}" -H 'Idempotency-Key: k-bad')|$(err x.json)"
check_eq "a body that is not JSON: 400" "400|invalid" \
  "$(post c.jar x.json /api/v1/payments "amount=5" -H 'Idempotency-Key: k-bad')|$(jf 'd["error"]["code"]' < x.json)"
check_eq "none of the refusals wrote anything" "$before" "$(fingerprint)"

# ---- posting ----
check_eq "a posting with a key: 201, the oldest invoice cleared, part of the next" "201|217836,82164|0|264192|False" \
  "$(post c.jar p1.json /api/v1/payments "$BODY" -H 'Idempotency-Key: k-1')|$(jf '",".join(str(a["amount"]) for a in d["allocations"])+"|"+str(d["excess"])+"|"+str(d["open_total"])+"|"+str(d["repeated"])' < p1.json)"
RECEIPT=$(jf 'd["receipt_no"]' < p1.json)
check_eq "… with its receipt and a link to the PDF" "k-1|/api/v1/payments/$RECEIPT/receipt.pdf" \
  "$(jf 'd["reference"]+"|"+d["receipt_pdf"]' < p1.json)"
check_eq "… stored once, allocated against the invoices' amounts" "1|300000|217836" \
  "$(sql "SELECT count(*) FROM payment")|$(sql "SELECT sum(amount) FROM payment_alloc")|$(sql "SELECT total FROM invoice WHERE customer_id = (SELECT id FROM customer WHERE code = '$R') AND period = '2025-07'")"
after=$(fingerprint)
check_eq "the same key and body again: 200, repeated, the first result" "200|True|$RECEIPT" \
  "$(post c.jar p2.json /api/v1/payments "$BODY" -H 'Idempotency-Key: k-1')|$(jf 'str(d["repeated"])+"|"+d["receipt_no"]' < p2.json)"
check_eq "… nothing doubled" "1|300000" "$(sql "SELECT count(*) FROM payment")|$(sql "SELECT sum(amount) FROM payment_alloc")"
check_eq "the same key with another body: 409 conflict" "409|conflict|Idempotency-Key" \
  "$(post c.jar x.json /api/v1/payments "{\"customer_code\":\"$R\",\"amount\":300001,\"shift_id\":$SHIFT}" -H 'Idempotency-Key: k-1')|$(err x.json)"
check_eq "… nothing written" "$after" "$(fingerprint)"
inv2=$(sql "SELECT symbol || '/' || number FROM invoice WHERE customer_id = (SELECT id FROM customer WHERE code = '$R') AND period = '2025-08'")
check_eq "a named invoice, by card: it is the one paid" "201|$inv2:50000" \
  "$(post c.jar p3.json /api/v1/payments "{\"customer_code\":\"$R\",\"amount\":\"50000\",\"shift_id\":$SHIFT,\"method\":\"card\",\"invoices\":[\"$inv2\"]}" -H 'Idempotency-Key: k-3')|$(jf '",".join(a["invoice_symbol"]+"/"+str(a["invoice_number"])+":"+str(a["amount"]) for a in d["allocations"])' < p3.json)"

# ---- the receipt ----
check_eq "the receipt PDF" "200|%PDF" "$(call r.pdf -b c.jar "$U/api/v1/payments/$RECEIPT/receipt.pdf")|$(head -c 4 r.pdf)"
check_eq "… a read-only account of the company reads it too" "200" "$(call r2.pdf -b ro.jar "$U/api/v1/payments/$RECEIPT/receipt.pdf")"
check_eq "… another unit's officer gets 404, as for a receipt that does not exist" "404|404" \
  "$(call x.json -b o.jar "$U/api/v1/payments/$RECEIPT/receipt.pdf")|$(call x.json -b c.jar "$U/api/v1/payments/BN999999/receipt.pdf")"

# ---- reversal ----
check_eq "a reversal without a reason: 400 naming reason" "400|invalid|reason" \
  "$(post c.jar x.json /api/v1/payments/$RECEIPT/reverse '{}' -H 'Idempotency-Key: rv-1')|$(err x.json)"
check_eq "… without a key: 400" "400|invalid|Idempotency-Key" \
  "$(post c.jar x.json /api/v1/payments/$RECEIPT/reverse '{"reason":"wrong customer"}')|$(err x.json)"
check_eq "… by another unit's officer: 404" "404" \
  "$(post o.jar x.json /api/v1/payments/$RECEIPT/reverse '{"reason":"x"}' -H 'Idempotency-Key: rv-o')"
check_eq "a reversal: 201, what the payment cleared reopened" "201|-300000|-217836,-82164|None|514192" \
  "$(post c.jar v1.json /api/v1/payments/$RECEIPT/reverse "{\"reason\":\"wrong customer\",\"shift_id\":$SHIFT}" -H 'Idempotency-Key: rv-1')|$(jf 'str(d["amount"])+"|"+",".join(str(a["amount"]) for a in d["allocations"])+"|"+str(d["receipt_pdf"])+"|"+str(d["open_total"])' < v1.json)"
check_eq "… the same key again: 200, repeated" "200|True" \
  "$(post c.jar x.json /api/v1/payments/$RECEIPT/reverse "{\"reason\":\"wrong customer\",\"shift_id\":$SHIFT}" -H 'Idempotency-Key: rv-1')|$(jf 'str(d["repeated"])' < x.json)"
check_eq "… another key: 409, reversed already" "409|conflict" \
  "$(post c.jar x.json /api/v1/payments/$RECEIPT/reverse '{"reason":"again"}' -H 'Idempotency-Key: rv-2')|$(jf 'd["error"]["code"]' < x.json)"
check_eq "… two payments and one reversal stored" "3|50000" "$(sql "SELECT count(*) FROM payment")|$(sql "SELECT sum(amount) FROM payment")"

# ---- closing the shift ----
check_eq "the shift's report: cash 0 after the reversal, the card payment" "200|3|0|50000" \
  "$(call sh.json -b c.jar "$U/api/v1/shifts/$SHIFT")|$(jf 'str(d["postings"])+"|"+str(d["cash_total"])+"|"+str(d["methods"]["card"]["amount"])' < sh.json)"
check_eq "close without counted_cash: 400 naming it" "400|invalid|counted_cash" \
  "$(post c.jar x.json /api/v1/shifts/$SHIFT/close '{}')|$(err x.json)"
check_eq "close with the cash counted: the difference recorded" "200|True|500000|-1000" \
  "$(post c.jar cl.json /api/v1/shifts/$SHIFT/close '{"counted_cash":499000,"note":"one note short"}')|$(jf 'str(d["closed"])+"|"+str(d["expected_cash"])+"|"+str(d["difference"])' < cl.json)"
check_eq "… closing again: 409" "409" "$(post c.jar x.json /api/v1/shifts/$SHIFT/close '{"counted_cash":499000}')"
check_eq "… a posting to the closed shift is refused" "409" \
  "$(post c.jar x.json /api/v1/payments "{\"customer_code\":\"$R\",\"amount\":1000,\"shift_id\":$SHIFT}" -H 'Idempotency-Key: k-late')"
check_eq "… and wrote nothing" "3" "$(sql "SELECT count(*) FROM payment")"

# ---- partners: signed requests, each its own transactions only ----
pc partner add VCB --name "Vietcombank" --kind bank >/dev/null
pc partner add MOMO --name "MoMo" --kind wallet >/dev/null
k=$(pc partner key VCB); VCB_ID=$(echo "$k" | awk '/^key_id/ {print $2}'); VCB_SECRET=$(echo "$k" | awk '/^secret/ {print $2}')
k=$(pc partner key MOMO); MOMO_ID=$(echo "$k" | awk '/^key_id/ {print $2}'); MOMO_SECRET=$(echo "$k" | awk '/^secret/ {print $2}')
echo 0 > sec
# tick: the clock one second on, so that a request sent again is signed anew (signatures are never
# replayed); the count is kept in a file since the calls run in $(…) subshells
tick() { local s=$(($(cat sec) + 1)); echo $s > sec
  printf '%sT09:%02d:%02d+07:00\n' "${DAY:-2026-11-23}" $((s / 60)) $((s % 60)) > clock; }
# psign KEY_ID SECRET METHOD PATH QUERY BODY: the Authorization header's value, at the clock's time
psign() {
  python3 - "$@" "$(python3 -c 'import datetime; print(int(datetime.datetime.fromisoformat(open("clock").read().strip()).timestamp()))')" <<'PY'
import hashlib, hmac, sys, urllib.parse
key_id, secret, method, path, query, body, ts = sys.argv[1:8]
pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
q = "&".join(urllib.parse.quote(k, safe="-_.~") + "=" + urllib.parse.quote(v, safe="-_.~") for k, v in pairs)
canonical = "\n".join(["PCS-HMAC-SHA256", method, path, q, ts, hashlib.sha256(body.encode()).hexdigest()])
print(f"PCS-HMAC-SHA256 KeyId={key_id}, Timestamp={ts}, Signature={hmac.new(bytes.fromhex(secret), canonical.encode(), hashlib.sha256).hexdigest()}")
PY
}
# pget WHO OUT PATH [QUERY] / ppost WHO OUT PATH BODY KEY: signed as VCB or MOMO
pget() { local id=${1}_ID sec=${1}_SECRET; tick
  call "$2" -H "Authorization: $(psign "${!id}" "${!sec}" GET "$3" "${4:-}" "")" "$U$3${4:+?$4}"; }
ppost() { local id=${1}_ID sec=${1}_SECRET; tick
  call "$2" -H "Authorization: $(psign "${!id}" "${!sec}" POST "$3" "" "$4")" -H "Idempotency-Key: $5" -X POST -d "$4" "$U$3"; }

check_eq "a staff account may not use the partner routes: 403" "403" "$(call x.json -b c.jar "$U/api/v1/partner/bills/$R")"
check_eq "without a signature: 401" "401" "$(call x.json "$U/api/v1/partner/bills/$R")"
check_eq "a partner may not use the counter's routes: 403" "403" \
  "$(ppost VCB x.json /api/v1/payments "{\"customer_code\":\"$R\",\"amount\":1000,\"shift_id\":$SHIFT}" p-counter)"
check_eq "a partner reads a customer's open bills" "200|514192|2" \
  "$(pget VCB b.json /api/v1/partner/bills/$R)|$(jf 'str(d["total"])+"|"+str(len(d["invoices"]))' < b.json)"
check_not_contains "… with no phone or address" "phone" "$(cat b.json)"
check_eq "… an unknown code: 404" "404" "$(pget VCB x.json /api/v1/partner/bills/PA01019999999)"
PBODY="{\"customer_code\":\"$R\",\"amount\":100000}"
check_eq "a partner's signed posting: 201, its transaction reference the key" "201|partner|VCB-0001|100000" \
  "$(ppost VCB pp.json /api/v1/partner/payments "$PBODY" VCB-0001)|$(jf 'd["channel"]+"|"+d["reference"]+"|"+str(d["allocations"][0]["amount"])' < pp.json)"
check_eq "… the same key and body again: 200, repeated, nothing doubled" "200|True|1" \
  "$(ppost VCB x.json /api/v1/partner/payments "$PBODY" VCB-0001)|$(jf 'str(d["repeated"])' < x.json)|$(sql "SELECT count(*) FROM payment WHERE source = 'VCB'")"
check_eq "… another body: 409" "409|conflict" \
  "$(ppost VCB x.json /api/v1/partner/payments "{\"customer_code\":\"$R\",\"amount\":100001}" VCB-0001)|$(jf 'd["error"]["code"]' < x.json)"
check_eq "… a bad amount: 400 naming it" "400|invalid|amount" \
  "$(ppost VCB x.json /api/v1/partner/payments "{\"customer_code\":\"$R\",\"amount\":\"12a\"}" VCB-0009)|$(err x.json)"
check_eq "the partner's list of the day, paged" "200|1|VCB-0001|None" \
  "$(pget VCB l.json /api/v1/partner/payments "date=2026-11-23&limit=5")|$(jf 'str(len(d["items"]))+"|"+d["items"][0]["reference"]+"|"+str(d["next_offset"])' < l.json)"
check_eq "another partner's list does not show it" "200|0" \
  "$(pget MOMO l2.json /api/v1/partner/payments "date=2026-11-23")|$(jf 'str(len(d["items"]))' < l2.json)"
# a signed request records its signature (replays are refused): compare the ledger, not the file
ledger() { sql "SELECT (SELECT count(*) FROM payment) || '|' || (SELECT count(*) FROM posting_key) || '|' || (SELECT COALESCE(sum(open), 0) FROM open_item) || '|' || (SELECT COALESCE(sum(amount), 0) FROM customer_credit)"; }
before=$(ledger)
check_eq "another partner cannot reverse it: 404, as for a reference that does not exist" "404|404" \
  "$(ppost MOMO x.json /api/v1/partner/payments/VCB-0001/reverse '{"reason":"not ours"}' MOMO-R1)|$(ppost VCB x.json /api/v1/partner/payments/NOPE/reverse '{"reason":"x"}' VCB-R0)"
check_eq "… nor read its receipt (a staff route): 403" "403" "$(pget MOMO x.json /api/v1/payments/$(jf 'd["receipt_no"]' < pp.json)/receipt.pdf)"
check_eq "… nothing written" "$before" "$(ledger)"
check_eq "the partner reverses its own payment on the day" "201|-100000" \
  "$(ppost VCB x.json /api/v1/partner/payments/VCB-0001/reverse '{"reason":"customer cancelled"}' VCB-R1)|$(jf 'str(d["amount"])' < x.json)"
ppost VCB x.json /api/v1/partner/payments "{\"customer_code\":\"$R\",\"amount\":20000}" VCB-0002 >/dev/null
DAY=2026-11-24
check_eq "… but not the next day: 400" "400|invalid|on its day only" \
  "$(ppost VCB x.json /api/v1/partner/payments/VCB-0002/reverse '{"reason":"late"}' VCB-R2)|$(jf 'd["error"]["code"]+"|"+("on its day only" if "on its day only" in d["error"]["message"] else d["error"]["message"])' < x.json)"
check_ledger "after the HTTP postings"
finish
