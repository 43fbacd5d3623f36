#!/usr/bin/env bash
# Reads, billing and invoices over real HTTP (issue 8, docs/api.md "Reads and billing",
# "Invoices"): posting a read with an Idempotency-Key (retries change nothing, another body 409),
# bad bodies naming the field with the database unchanged, the read-anomaly queue with its
# reasons, approve and correct, a billing run started and recorded (the amounts billing.sh
# rates), a customer's invoices, payments, reads and kWh per period, paged, the invoice's PDF and
# XML, an adjusting invoice, a meter replacement, and the refusals of every role and scope.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/api_lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; R2=PA01010000102; A=PA01020000104
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R2 --date 2025-06-01 --total 200 >/dev/null
pc read add $A --date 2025-06-03 --total 500 >/dev/null
echo "vu-ban-officer-1" | pc user add vb.officer --name "Trần Minh" --role unit_officer --scope PA0101 --password-stdin >/dev/null
echo "vu-ban-cashier-1" | pc user add vb.cashier --name "Phạm Thu" --role cashier --scope PA0101 --password-stdin >/dev/null
echo "y-yen-officer-1" | pc user add yy.officer --name "Đỗ Hải" --role unit_officer --scope PA0102 --password-stdin >/dev/null
echo "read-only-pa01-1" | pc user add pa01.ro --name "Lê Xem" --role read_only --scope PA01 --password-stdin >/dev/null
echo "company-pa01-1" | pc user add pa01.co --name "Vũ Lan" --role company --scope PA01 --password-stdin >/dev/null

echo 2025-09-20T09:00:00+07:00 > clock
api_serve

check_eq "the unit officer signs in" "200" "$(login o.jar vb.officer vu-ban-officer-1)"
login c.jar vb.cashier vu-ban-cashier-1 >/dev/null
login y.jar yy.officer y-yen-officer-1 >/dev/null
login ro.jar pa01.ro read-only-pa01-1 >/dev/null
login co.jar pa01.co company-pa01-1 >/dev/null
# a session's first use is recorded (last seen): done here, so that the fingerprints below see
# only what the requests under test write
for j in o c y ro co; do call x.json -b $j.jar "$U/api/v1/me" >/dev/null; done

# ---- posting a read ----
BODY="{\"customer_code\":\"$R\",\"reading_date\":\"2025-07-01\",\"total\":1100}"
before=$(fingerprint)
check_eq "without an Idempotency-Key: 400 naming the header" "400|invalid|Idempotency-Key" \
  "$(post o.jar x.json /api/v1/reads "$BODY")|$(err x.json)"
check_eq "without the CSRF token: 403" "403" \
  "$(call x.json -b o.jar -H 'Idempotency-Key: r-0' -X POST -d "$BODY" "$U/api/v1/reads")"
check_eq "a cashier may read but not post a read: 403" "403" "$(post c.jar x.json /api/v1/reads "$BODY" -H 'Idempotency-Key: r-c')"
check_eq "a read-only account may not post: 403" "403" "$(post ro.jar x.json /api/v1/reads "$BODY" -H 'Idempotency-Key: r-ro')"
check_eq "another unit's officer: 403, no data" "403|absent" \
  "$(post y.jar x.json /api/v1/reads "$BODY" -H 'Idempotency-Key: r-y')|$(grep -q 1100 x.json && echo present || echo absent)"
check_eq "no reading_date: 400 naming it" "400|invalid|reading_date" \
  "$(post o.jar x.json /api/v1/reads "{\"customer_code\":\"$R\",\"total\":1100}" -H 'Idempotency-Key: r-b')|$(err x.json)"
check_eq "no customer_code: 400 naming it" "400|invalid|customer_code" \
  "$(post o.jar x.json /api/v1/reads '{"reading_date":"2025-07-01","total":1100}' -H 'Idempotency-Key: r-b')|$(err x.json)"
for total in -5 '"abc"' 1.5; do
  check_eq "total $total: 400 naming total" "400|invalid|total" \
    "$(post o.jar x.json /api/v1/reads "{\"customer_code\":\"$R\",\"reading_date\":\"2025-07-01\",\"total\":$total}" -H 'Idempotency-Key: r-b')|$(err x.json)"
done
check_eq "no index at all: 400 naming total" "400|invalid|total" \
  "$(post o.jar x.json /api/v1/reads "{\"customer_code\":\"$R\",\"reading_date\":\"2025-07-01\"}" -H 'Idempotency-Key: r-b')|$(err x.json)"
check_eq "a date in the future: 400 naming reading_date" "400|invalid|reading_date" \
  "$(post o.jar x.json /api/v1/reads "{\"customer_code\":\"$R\",\"reading_date\":\"2025-12-01\",\"total\":1100}" -H 'Idempotency-Key: r-b')|$(err x.json)"
check_eq "a body that is not JSON: 400" "400|invalid" \
  "$(post o.jar x.json /api/v1/reads 'total=5' -H 'Idempotency-Key: r-b')|$(jf 'd["error"]["code"]' < x.json)"
check_eq "none of the refusals wrote anything" "$before" "$(fingerprint)"
check_eq "a read: 201, 100 kWh, ok" "201|100|ok|$R" \
  "$(post o.jar r1.json /api/v1/reads "$BODY" -H 'Idempotency-Key: r-1')|$(jf 'str(d["kwh"])+"|"+d["status"]+"|"+d["customer_code"]' < r1.json)"
after=$(fingerprint)
same() { python3 -c 'import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:3]); a.pop("repeated"); b.pop("repeated"); print("same" if a == b else "differs")' "$1" "$2"; }
check_eq "the same key and body again: 200, repeated, the first answer" "200|True|same" \
  "$(post o.jar r2.json /api/v1/reads "$BODY" -H 'Idempotency-Key: r-1')|$(jf 'str(d["repeated"])' < r2.json)|$(same r1.json r2.json)"
check_eq "… nothing doubled" "2|$after" \
  "$(sql "SELECT count(*) FROM meter_read WHERE customer_id = (SELECT id FROM customer WHERE code = '$R')")|$(fingerprint)"
check_eq "the same key with another body: 409 naming the key, nothing written" "409|conflict|Idempotency-Key|$after" \
  "$(post o.jar x.json /api/v1/reads "{\"customer_code\":\"$R\",\"reading_date\":\"2025-07-01\",\"total\":1101}" -H 'Idempotency-Key: r-1')|$(err x.json)|$(fingerprint)"
check_eq "a backwards index is held: flagged" "201|flagged|backwards|None" \
  "$(post o.jar r3.json /api/v1/reads "{\"customer_code\":\"$R\",\"reading_date\":\"2025-08-01\",\"total\":900}" -H 'Idempotency-Key: r-3')|$(jf 'd["status"]+"|"+",".join(d["flags"])+"|"+str(d["kwh"])' < r3.json)"
HELD=$(jf 'd["id"]' < r3.json)
check_eq "a zero consumption on the other unit's customer (CLI)" "0" "$(pc read add $A --date 2025-07-03 --total 500 >/dev/null; echo $?)"

# ---- the anomaly queue ----
check_eq "the queue of the officer's scope: the held read with its reason" "200|1|$HELD|backwards|True" \
  "$(call q.json -b o.jar "$U/api/v1/reads?flagged=1")|$(jf 'str(len(d["items"]))+"|"+str(d["items"][0]["id"])+"|"+",".join(d["items"][0]["flags"])+"|"+str("below the previous read" in d["items"][0]["reasons"][0])' < q.json)"
check_eq "the company's read-only account sees both units' held reads" "200|2" \
  "$(call q.json -b ro.jar "$U/api/v1/reads?flagged=1")|$(jf 'str(len(d["items"]))' < q.json)"
check_eq "… paged: limit 1, a next page" "200|1|1" \
  "$(call q.json -b ro.jar "$U/api/v1/reads?flagged=1&limit=1")|$(jf 'str(len(d["items"]))+"|"+str(d["next_offset"])' < q.json)"
check_eq "… a scope and dates narrow it" "200|1|$A" \
  "$(call q.json -b ro.jar "$U/api/v1/reads?flagged=1&scope=PA0102&from=2025-07-01&to=2025-07-31")|$(jf 'str(len(d["items"]))+"|"+d["items"][0]["customer_code"]' < q.json)"
check_eq "a scope outside one's own: 400 naming scope" "400|invalid|scope" \
  "$(call x.json -b o.jar "$U/api/v1/reads?flagged=1&scope=PA0102")|$(err x.json)"
check_eq "a bad date: 400 naming from" "400|invalid|from" "$(call x.json -b o.jar "$U/api/v1/reads?from=2025-13-01")|$(err x.json)"
check_eq "the cashier reads the queue" "200" "$(call x.json -b c.jar "$U/api/v1/reads?flagged=1")"
before=$(fingerprint)
check_eq "approve without a reason: 400 naming reason" "400|invalid|reason" \
  "$(post o.jar x.json /api/v1/reads/$HELD/approve '{}')|$(err x.json)"
check_eq "… another unit's officer: 404, as for a read that does not exist" "404|404" \
  "$(post y.jar x.json /api/v1/reads/$HELD/approve '{"reason":"x"}')|$(post y.jar x.json /api/v1/reads/999999/approve '{"reason":"x"}')"
check_eq "… a backwards read cannot be approved: 400, nothing written" "400|$before" \
  "$(post o.jar x.json /api/v1/reads/$HELD/approve '{"reason":"looks fine"}')|$(fingerprint)"
check_eq "correct without a reason: 400 naming reason" "400|invalid|reason" \
  "$(post o.jar x.json /api/v1/reads/$HELD/correct '{"total":1250}')|$(err x.json)"
check_eq "correct: 201, a new read of 150 kWh superseding the held one" "201|150|ok|$HELD" \
  "$(post o.jar c1.json /api/v1/reads/$HELD/correct '{"total":1250,"reason":"digit misread"}')|$(jf 'str(d["kwh"])+"|"+d["status"]+"|"+str(d["supersedes_id"])' < c1.json)"
check_eq "… the held read is superseded" "superseded" "$(sql "SELECT status FROM meter_read WHERE id = $HELD")"
AHELD=$(sql "SELECT id FROM meter_read WHERE status = 'flagged'")
check_eq "the other unit's officer approves its zero read" "200|approved" \
  "$(post y.jar x.json /api/v1/reads/$AHELD/approve '{"reason":"house empty in July"}' -H 'Idempotency-Key: ap-1')|$(jf 'd["status"]' < x.json)"
check_eq "… again with the same key: the same answer" "200|approved" \
  "$(post y.jar x.json /api/v1/reads/$AHELD/approve '{"reason":"house empty in July"}' -H 'Idempotency-Key: ap-1')|$(jf 'd["status"]' < x.json)"
check_eq "the queue is empty" "200|0" "$(call q.json -b ro.jar "$U/api/v1/reads?flagged=1")|$(jf 'str(len(d["items"]))' < q.json)"
check_eq "a customer's reads, newest first, paged" "200|2|2025-08-01,2025-07-01|2" \
  "$(call x.json -b c.jar "$U/api/v1/customers/$R/reads?limit=2")|$(jf 'str(len(d["items"]))+"|"+",".join(i["reading_date"] for i in d["items"])+"|"+str(d["next_offset"])' < x.json)"
check_eq "… of a customer outside the scope: 403" "403" "$(call x.json -b c.jar "$U/api/v1/customers/$A/reads")"

# ---- billing runs ----
RUN='{"period":"2025-07","issue_date":"2025-07-05"}'
before=$(fingerprint)
check_eq "a cashier may not start a run: 403" "403" "$(post c.jar x.json /api/v1/billing-runs "$RUN" -H 'Idempotency-Key: b-c')"
check_eq "without a key: 400" "400|invalid|Idempotency-Key" "$(post o.jar x.json /api/v1/billing-runs "$RUN")|$(err x.json)"
check_eq "a bad period: 400 naming period" "400|invalid|period" \
  "$(post o.jar x.json /api/v1/billing-runs '{"period":"2025-13"}' -H 'Idempotency-Key: b-x')|$(err x.json)"
check_eq "no period: 400 naming period" "400|invalid|period" \
  "$(post o.jar x.json /api/v1/billing-runs '{}' -H 'Idempotency-Key: b-x')|$(err x.json)"
check_eq "a bad issue date: 400 naming issue_date" "400|invalid|issue_date" \
  "$(post o.jar x.json /api/v1/billing-runs '{"period":"2025-07","issue_date":"5 July"}' -H 'Idempotency-Key: b-x')|$(err x.json)"
check_eq "a scope outside one's own: 400 naming scope" "400|invalid|scope" \
  "$(post o.jar x.json /api/v1/billing-runs '{"period":"2025-07","scope":"PA0102"}' -H 'Idempotency-Key: b-x')|$(err x.json)"
check_eq "none of the refusals wrote anything" "$before" "$(fingerprint)"
check_eq "a run of the officer's unit: 201, done, one invoice of 100 kWh at 217,836 đ" "201|done|PA0101|1|100|217836" \
  "$(post o.jar b1.json /api/v1/billing-runs "$RUN" -H 'Idempotency-Key: b-1')|$(jf 'd["status"]+"|"+d["scope"]+"|"+str(d["invoices"])+"|"+str(d["kwh"])+"|"+str(d["total"])' < b1.json)"
RUNID=$(jf 'd["id"]' < b1.json)
check_eq "… the invoice in the database: the same total" "1|217836" \
  "$(sql "SELECT count(*) || '|' || sum(total) FROM invoice")"
check_eq "the same key and body again: 200, repeated, the same run, nothing billed twice" "200|True|$RUNID|1" \
  "$(post o.jar x.json /api/v1/billing-runs "$RUN" -H 'Idempotency-Key: b-1')|$(jf 'str(d["repeated"])+"|"+str(d["id"])' < x.json)|$(sql "SELECT count(*) FROM invoice")"
check_eq "the same key with another body: 409" "409|conflict|Idempotency-Key" \
  "$(post o.jar x.json /api/v1/billing-runs '{"period":"2025-08"}' -H 'Idempotency-Key: b-1')|$(err x.json)"
pc bill run --period 2025-08 --scope PA01 --issue-date 2025-08-05 >/dev/null
check_eq "runs of the caller's scope, newest first: the company sees the CLI's run too" "200|2|2025-08,2025-07|346356" \
  "$(call l.json -b co.jar "$U/api/v1/billing-runs")|$(jf 'str(d["total"])+"|"+",".join(i["period"] for i in d["items"])+"|"+str(d["items"][0]["total"])' < l.json)"
check_eq "… the unit officer only its unit's run" "200|1" "$(call l.json -b o.jar "$U/api/v1/billing-runs")|$(jf 'str(d["total"])' < l.json)"
check_eq "… the cashier reads it" "200|$RUNID" "$(call x.json -b c.jar "$U/api/v1/billing-runs/$RUNID")|$(jf 'str(d["id"])' < x.json)"
check_eq "… another unit's officer: 404" "404|0" \
  "$(call x.json -b y.jar "$U/api/v1/billing-runs/$RUNID")|$(call l.json -b y.jar "$U/api/v1/billing-runs" >/dev/null; jf 'str(d["total"])' < l.json)"

# ---- invoices ----
INV7=$(sql "SELECT id FROM invoice WHERE period = '2025-07'"); INV8=$(sql "SELECT id FROM invoice WHERE period = '2025-08' AND customer_id = (SELECT id FROM customer WHERE code = '$R')")
check_eq "a customer's invoices, newest first, paged, with what is open" "200|2|1|2025-08|346356|346356|1" \
  "$(call i.json -b c.jar "$U/api/v1/customers/$R/invoices?limit=1")|$(jf 'str(d["total"])+"|"+str(len(d["items"]))+"|"+d["items"][0]["period"]+"|"+str(d["items"][0]["total"])+"|"+str(d["items"][0]["open"])+"|"+str(d["next_offset"])' < i.json)"
check_eq "… outside the scope: 403" "403" "$(call x.json -b y.jar "$U/api/v1/customers/$R/invoices")"
check_eq "an invoice: as invoice show --json, with what is open" "200|$(pc invoice show $INV7 --json | jf 'str(d["total"])+"|"+str(len(d["lines"]))+"|"+d["symbol"]')|217836" \
  "$(call v.json -b ro.jar "$U/api/v1/invoices/$INV7")|$(jf 'str(d["total"])+"|"+str(len(d["lines"]))+"|"+d["symbol"]+"|"+str(d["open"])' < v.json)"
check_eq "… of another unit, or none: 404" "404|404" \
  "$(call x.json -b y.jar "$U/api/v1/invoices/$INV7")|$(call x.json -b o.jar "$U/api/v1/invoices/999999")"
check_eq "the PDF" "200|%PDF" "$(call v.pdf -b c.jar "$U/api/v1/invoices/$INV7/invoice.pdf")|$(head -c 4 v.pdf)"
check_eq "the e-invoice XML parses" "200|HDon" \
  "$(call v.xml -b c.jar "$U/api/v1/invoices/$INV7/invoice.xml")|$(python3 -c 'import sys, xml.etree.ElementTree as T; print(T.parse(sys.argv[1]).getroot().tag.split("}")[-1])' v.xml)"
check_eq "… another unit's officer gets neither" "404|404" \
  "$(call x.pdf -b y.jar "$U/api/v1/invoices/$INV7/invoice.pdf")|$(call x.xml -b y.jar "$U/api/v1/invoices/$INV7/invoice.xml")"

# ---- an adjusting invoice ----
# upwards (downward adjustments and what corrections do to what is owed: corrections.sh)
ADJ='{"kwh":110,"reason":"meter tested slow","issue_date":"2025-09-20"}'
before=$(fingerprint)
check_eq "a cashier may not adjust: 403" "403" "$(post c.jar x.json /api/v1/invoices/$INV7/adjust "$ADJ" -H 'Idempotency-Key: a-c')"
check_eq "without a reason: 400 naming reason" "400|invalid|reason" \
  "$(post o.jar x.json /api/v1/invoices/$INV7/adjust '{"kwh":90}' -H 'Idempotency-Key: a-x')|$(err x.json)"
check_eq "without the consumption: 400 naming kwh" "400|invalid|kwh" \
  "$(post o.jar x.json /api/v1/invoices/$INV7/adjust '{"reason":"x"}' -H 'Idempotency-Key: a-x')|$(err x.json)"
check_eq "kwh -1: 400 naming kwh" "400|invalid|kwh" \
  "$(post o.jar x.json /api/v1/invoices/$INV7/adjust '{"kwh":-1,"reason":"x"}' -H 'Idempotency-Key: a-x')|$(err x.json)"
check_eq "another unit's officer: 404" "404" "$(post y.jar x.json /api/v1/invoices/$INV7/adjust "$ADJ" -H 'Idempotency-Key: a-y')"
check_eq "none of the refusals wrote anything" "$before" "$(fingerprint)"
check_eq "adjust: 201, an adjusting invoice referring to the original" "201|adjusting|$INV7|110" \
  "$(post o.jar a1.json /api/v1/invoices/$INV7/adjust "$ADJ" -H 'Idempotency-Key: a-1')|$(jf 'd["kind"]+"|"+str(d["refers_to"])+"|"+str(d["kwh"]+100)' < a1.json)"
ADJID=$(jf 'd["id"]' < a1.json)
check_eq "… its total is the database's, the difference to pay" "$(sql "SELECT total FROM invoice WHERE id = $ADJID")|True|$(sql "SELECT total FROM invoice WHERE id = $ADJID")" \
  "$(jf 'str(d["total"])+"|"+str(d["total"] > 0)+"|"+str(d["open"])' < a1.json)"
after=$(fingerprint)
check_eq "… the same key again: 200, the first answer, nothing doubled" "200|$ADJID|3|$after" \
  "$(post o.jar x.json /api/v1/invoices/$INV7/adjust "$ADJ" -H 'Idempotency-Key: a-1')|$(jf 'str(d["id"])' < x.json)|$(sql "SELECT count(*) FROM invoice")|$(fingerprint)"
check_eq "… another body with the key: 409" "409|conflict|Idempotency-Key" \
  "$(post o.jar x.json /api/v1/invoices/$INV7/adjust '{"kwh":80,"reason":"x"}' -H 'Idempotency-Key: a-1')|$(err x.json)"

check_eq "replace: 201, a replacing invoice with the corrected amounts whole" "201|replacing|$INV8|160|$(python3 -c 'print(1)')" \
  "$(post o.jar rp.json /api/v1/invoices/$INV8/replace '{"kwh":160,"reason":"wrong index typed","issue_date":"2025-09-20"}' -H 'Idempotency-Key: rp-1')|$(jf 'd["kind"]+"|"+str(d["refers_to"])+"|"+str(d["kwh"])+"|"+str(int(d["total"] == d["due"]))' < rp.json)"
check_eq "… its total is the database's" "$(sql "SELECT total FROM invoice WHERE kind = 'replacing'")" "$(jf 'str(d["total"])' < rp.json)"
check_eq "… the original is closed by the credit of its total; replacing it again: 409" "0|409|conflict" \
  "$(sql "SELECT count(*) FROM open_item WHERE invoice_id = $INV8")|$(post o.jar x.json /api/v1/invoices/$INV8/replace '{"kwh":150,"reason":"x"}' -H 'Idempotency-Key: rp-2')|$(jf 'd["error"]["code"]' < x.json)"

# ---- payments and consumption ----
pc partner add VCB --name "Vietcombank" --kind bank >/dev/null
pc pay post $R --amount 100000 --partner VCB --ref T-1 >/dev/null
pc pay post $R --amount 50000 --partner VCB --ref T-2 >/dev/null
# the third: the credit (channel 'credit') that closed the replaced invoice (corrections.sh)
check_eq "a customer's payments, newest first, paged" "200|3|1|50000|1" \
  "$(call p.json -b c.jar "$U/api/v1/customers/$R/payments?limit=1")|$(jf 'str(d["total"])+"|"+str(len(d["items"]))+"|"+str(d["items"][0]["amount"])+"|"+str(d["next_offset"])' < p.json)"
check_eq "… outside the scope: 403" "403" "$(call x.json -b y.jar "$U/api/v1/customers/$R/payments")"
check_eq "kWh per period, every month of the range" "200|0,100,150,0|250" \
  "$(call k.json -b c.jar "$U/api/v1/customers/$R/consumption?from=2025-06&to=2025-09")|$(jf '",".join(str(m["kwh"]) for m in d["months"])+"|"+str(d["total_kwh"])' < k.json)"
check_eq "… a bad month: 400 naming it" "400|invalid|from" "$(call x.json -b c.jar "$U/api/v1/customers/$R/consumption?from=June")|$(err x.json)"

# ---- a meter replaced ----
MR="{\"customer_code\":\"$R2\",\"date\":\"2025-06-15\",\"final\":{\"total\":260},\"new_serial\":\"PA0000009999\",\"reason\":\"burnt\"}"
check_eq "the wrong serial: 404" "404" "$(post o.jar x.json /api/v1/meters/NOPE/replace "$MR" -H 'Idempotency-Key: m-x')"
check_eq "no final index: 400 naming final" "400|invalid|final" \
  "$(post o.jar x.json /api/v1/meters/PA0000000102/replace "{\"customer_code\":\"$R2\",\"date\":\"2025-06-15\",\"new_serial\":\"N\",\"reason\":\"x\"}" -H 'Idempotency-Key: m-x')|$(err x.json)"
check_eq "replace: 201, the old meter removed, the new one installed" "201|2025-06-15|PA0000009999" \
  "$(post o.jar x.json /api/v1/meters/PA0000000102/replace "$MR" -H 'Idempotency-Key: m-1')|$(sql "SELECT removed_on FROM meter WHERE serial = 'PA0000000102'")|$(sql "SELECT serial FROM meter WHERE removed_on IS NULL AND customer_id = (SELECT id FROM customer WHERE code = '$R2')")"

# ---- who may not ----
check_eq "without signing in: 401" "401|401" "$(call x.json "$U/api/v1/reads?flagged=1")|$(call x.json "$U/api/v1/invoices/$INV7")"
pc partner key VCB > key.txt
KID=$(awk '/^key_id/ {print $2}' key.txt)
check_eq "a partner's key on a staff route: refused" "401" \
  "$(call x.json -H "Authorization: PCS-HMAC-SHA256 KeyId=$KID, Timestamp=1, Signature=00" "$U/api/v1/invoices/$INV7")"
check_ledger "at the end"
finish
