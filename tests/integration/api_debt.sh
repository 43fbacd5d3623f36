#!/usr/bin/env bash
# The debt module over real HTTP (issue 8, docs/api.md "Debt"): the aging report equals the CLI's
# for the same as-of and scope, as JSON, CSV and XLSX downloads; a unit officer cannot ask for
# another scope (403, no data); adjustments are idempotent by Idempotency-Key, a bad amount is 400
# naming the field with the database unchanged, a posting into a locked month is refused naming
# the lock; locks are listed, and only the level above unlocks.
. "$(dirname "$0")/lib.sh"

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; R2=PA01010000102; T=PA02010000105
cat > debts.csv <<'EOF'
customer_code,invoice_no,period,issue_date,due_date,amount
PA01010000101,OLD-1,2025-05,2025-05-05,2025-05-15,300000
PA01010000101,OLD-2,2025-06,2025-06-05,2025-06-15,250000
PA01010000102,OLD-3,2025-07,2025-07-05,2025-07-15,120000
PA01020000104,OLD-4,2025-07,2025-07-05,2025-07-15,900000
PA02010000105,OLD-5,2025-07,2025-07-05,2025-07-15,450000
EOF
pc debt import debts.csv >/dev/null
INV=$(sql "SELECT i.symbol || '/' || i.number FROM invoice i JOIN legacy_invoice l ON l.invoice_id = i.id WHERE l.invoice_no = 'OLD-1'")
echo "vu-ban-officer-1" | pc user add vb.officer --name "Trần Văn An" --role unit_officer --scope PA0101 --password-stdin >/dev/null
echo "nam-dinh-company" | pc user add nd.company --name "Lê Thị Hoa" --role company --scope PA01 --password-stdin >/dev/null
echo "read-only-pa01-1" | pc user add pa01.ro --name "Lê Xem" --role read_only --scope PA01 --password-stdin >/dev/null
echo "vb-cashier-00001" | pc user add vb.cashier --name "Phạm Thu" --role cashier --scope PA0101 --password-stdin >/dev/null

export POWERCIS_CLOCK=2025-10-05T09:00:00+07:00
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[server]\nscheduler = off\n' > powercis.ini
export POWERCIS_CONFIG=$PWD/powercis.ini
"$POWERCIS" serve --listen 127.0.0.1:$port > server.log 2>&1 & SRV=$!; PIDS+=($SRV)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
U="http://127.0.0.1:$port"

call() { local out=$1; shift; curl -s -o "$out" -w '%{http_code}' "$@"; }
login() { # login JAR LOGIN PASSWORD
  call "$1.json" -c "$1" -b "$1" -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$2\",\"password\":\"$3\"}" "$U/api/v1/login"
}
csrf() { jf 'd["csrf_token"]' < "$1.json"; }
# post JAR OUT PATH BODY [curl args…]: a JSON POST with the session's CSRF token
post() { local jar=$1 out=$2 path=$3 body=$4; shift 4
  call "$out" -b "$jar" -H "X-CSRF-Token: $(csrf "$jar")" -H 'Content-Type: application/json' -X POST -d "$body" "$@" "$U$path"; }
err() { jf '"%s|%s" % (d["error"]["code"], d["error"]["field"])' < "$1"; }

check_eq "the unit officer signs in" "200" "$(login o.jar vb.officer vu-ban-officer-1)"
check_eq "the company signs in" "200" "$(login c.jar nd.company nam-dinh-company)"
check_eq "the read-only account signs in" "200" "$(login ro.jar pa01.ro read-only-pa01-1)"
check_eq "the cashier signs in" "200" "$(login k.jar vb.cashier vb-cashier-00001)"

# ---- the aging report ----
for by in unit customer; do
  pc report aging --as-of 2025-09-30 --scope PA01 --by $by --format json > cli_$by.json
  check_eq "aging by $by: the API's JSON is the CLI's for the same as-of and scope" "200|same" \
    "$(call api_$by.json -b c.jar "$U/api/v1/reports/aging?as_of=2025-09-30&scope=PA01&by=$by")|$(cmp -s cli_$by.json api_$by.json && echo same)"
done
check_eq "… whose totals are the scope's debt" "1570000" \
  "$(jf '[t for t in d["totals"] if t["class"]=="all"][0]["total"]' < api_unit.json)"
check_eq "without scope the principal's own: the unit officer's unit" "200|PA0101|670000" \
  "$(call own.json -b o.jar "$U/api/v1/reports/aging?as_of=2025-09-30")|$(jf 'd["scope"]' < own.json)|$(jf '[t for t in d["totals"] if t["class"]=="all"][0]["total"]' < own.json)"
check_eq "a unit officer asking for the company is 403 with no data" "403|forbidden|scope" \
  "$(call x.json -b o.jar "$U/api/v1/reports/aging?as_of=2025-09-30&scope=PA01")|$(err x.json)"
check_not_contains "… nothing of the report in the refusal" "total" "$(cat x.json)"
check_eq "… and for a sibling unit" "403" "$(call x.json -b o.jar "$U/api/v1/reports/aging?as_of=2025-09-30&scope=PA0102")"
check_eq "… and an unknown code gets the same answer" "403" "$(call x.json -b o.jar "$U/api/v1/reports/aging?as_of=2025-09-30&scope=ZZ99")"
check_eq "a cashier may not read the aging report" "403" "$(call x.json -b k.jar "$U/api/v1/reports/aging?as_of=2025-09-30")"
check_eq "a bad as_of is 400 naming it" "400|invalid|as_of" \
  "$(call x.json -b c.jar "$U/api/v1/reports/aging?as_of=2025-02-30")|$(err x.json)"
check_eq "a bad by is 400 naming it" "400|invalid|by" \
  "$(call x.json -b c.jar "$U/api/v1/reports/aging?as_of=2025-09-30&by=street")|$(err x.json)"
# the drill-down below a unit's customers: one customer's invoices open that day, with buckets
check_eq "by=invoice: a customer's open invoices, their buckets, and totals equal to its report row" \
  "200|300000:m3_6,250000:m3_6|$(jf '[r for r in d["rows"] if r["customer_code"]=="'$R'"][0]["total"]' < cli_customer.json)" \
  "$(call inv.json -b o.jar "$U/api/v1/reports/aging?as_of=2025-09-30&by=invoice&customer=$R")|$(jf '",".join("%d:%s" % (r["open"], r["bucket"]) for r in d["rows"])+"|"+str(d["totals"]["total"])' < inv.json)"
check_eq "… as it stood that day: what was issued by then, in that day's bucket" "200|LEG:300000:lt_3m" \
  "$(call inv.json -b o.jar "$U/api/v1/reports/aging?as_of=2025-05-31&by=invoice&customer=$R")|$(jf '",".join("%s:%d:%s" % (r["invoice"][:3], r["open"], r["bucket"]) for r in d["rows"])' < inv.json)"
check_eq "… without a customer 400 on customer" "400|invalid|customer" \
  "$(call x.json -b o.jar "$U/api/v1/reports/aging?as_of=2025-09-30&by=invoice")|$(err x.json)"
check_eq "… a customer outside the scope 403, no data" "403|forbidden|customer|absent" \
  "$(call x.json -b o.jar "$U/api/v1/reports/aging?as_of=2025-09-30&by=invoice&customer=PA01020000104")|$(err x.json)|$(grep -q 900000 x.json && echo present || echo absent)"
check_eq "… an unknown customer in the scope 404" "404" \
  "$(call x.json -b o.jar "$U/api/v1/reports/aging?as_of=2025-09-30&by=invoice&customer=PA01019999999")"
check_eq "… json only" "400|invalid|format" \
  "$(call x.json -b o.jar "$U/api/v1/reports/aging?as_of=2025-09-30&by=invoice&customer=$R&format=csv")|$(err x.json)"
code=$(curl -s -D x.hdr -o aging.xlsx -w '%{http_code}' -b c.jar "$U/api/v1/reports/aging?as_of=2025-09-30&format=xlsx")
check_eq "the XLSX download is a zip" "200|PK" "$code|$(head -c 2 aging.xlsx)"
check_contains "… of the spreadsheet type" "spreadsheetml.sheet" "$(grep -i '^Content-Type:' x.hdr)"
check_contains "… as an attachment" 'attachment; filename="aging-PA01-2025-09-30.xlsx"' "$(grep -i '^Content-Disposition:' x.hdr)"
check_eq "… and no temporary file is left behind" "" "$(ls /tmp/powercis-aging-* 2>/dev/null)"
code=$(curl -s -D x.hdr -o aging.csv -w '%{http_code}' -b c.jar "$U/api/v1/reports/aging?as_of=2025-09-30&format=csv&by=customer")
check_eq "the CSV download starts with its header" "200|row,scope,scope_name,level,class" "$code|$(head -1 aging.csv | tr -d '"' | cut -d, -f1-5)"
check_contains "… as text/csv" "text/csv" "$(grep -i '^Content-Type:' x.hdr)"
pc report aging --as-of 2025-09-30 --scope PA01 --by customer --format csv > cli.csv
check_eq "… the CLI's CSV byte for byte" "same" "$(cmp -s cli.csv aging.csv && echo same)"
check_eq "the trend: 3 rows a month" "200|9" \
  "$(call t.json -b c.jar "$U/api/v1/reports/aging-trend?from=2025-07&to=2025-09")|$(jf 'len(d["rows"])' < t.json)"
check_eq "… the September total is the report's" "1570000" \
  "$(jf '[x for x in d["rows"] if x["month"]=="2025-09" and x["class"]=="all"][0]["total"]' < t.json)"
check_eq "… outside the scope 403" "403" "$(call x.json -b o.jar "$U/api/v1/reports/aging-trend?from=2025-07&to=2025-09&scope=PA")"

# ---- the read controls ----
pc report phanky --as-of 2025-09-30 --scope PA01 --format json > cli_phanky.json
check_eq "phân kỳ: the API's JSON is the CLI's" "200|same" \
  "$(call phanky.json -b c.jar "$U/api/v1/reports/phanky?as_of=2025-09-30&scope=PA01")|$(cmp -s cli_phanky.json phanky.json && echo same)"
pc report phanky --quarter 2025Q3 --scope PA0101 --exceptions --format json > cli_phq.json
check_eq "… by quarter, exceptions only, in the unit officer's own scope" "200|same" \
  "$(call phq.json -b o.jar "$U/api/v1/reports/phanky?quarter=2025Q3&exceptions=1")|$(cmp -s cli_phq.json phq.json && echo same)"
check_eq "… as a workbook" "200|PK" \
  "$(call phanky.xlsx -b c.jar "$U/api/v1/reports/phanky?quarter=2025Q3&format=xlsx")|$(head -c 2 phanky.xlsx)"
check_eq "… a bad quarter is 400 naming it" "400|invalid|quarter" \
  "$(call x.json -b c.jar "$U/api/v1/reports/phanky?quarter=2025Q5")|$(err x.json)"
check_eq "… another company's scope is 403" "403" "$(call x.json -b c.jar "$U/api/v1/reports/phanky?scope=PA02")"
pc report amr --month 2025-09 --scope PA01 --format csv > cli_amr.csv
check_eq "AMR: the API's CSV is the CLI's" "200|same" \
  "$(call amr.csv -b ro.jar "$U/api/v1/reports/amr?month=2025-09&format=csv")|$(cmp -s cli_amr.csv amr.csv && echo same)"
check_eq "… a unit officer asking for the company is 403" "403" "$(call x.json -b o.jar "$U/api/v1/reports/amr?scope=PA01")"

# ---- adjustments ----
body="{\"customer_code\":\"$R\",\"invoice\":\"$INV\",\"kind\":\"correction\",\"amount\":-20000,\"reason\":\"sai chỉ số\",\"date\":\"2025-09-10\"}"
check_eq "an adjustment without Idempotency-Key is 400 naming the header" "400|invalid|Idempotency-Key" \
  "$(post o.jar x.json /api/v1/adjustments "$body")|$(err x.json)"
check_eq "an adjustment with a key is 201" "201|False" \
  "$(post o.jar a1.json /api/v1/adjustments "$body" -H 'Idempotency-Key: web-1')|$(jf 'd["repeated"]' < a1.json)"
check_eq "… the invoice's open amount is lowered" "280000" "$(jf 'd["rows"][0]["invoice_open"]' < a1.json)"
check_eq "the same key and body again: the first result, repeated" "200|True|$(jf 'd["adjustment_id"]' < a1.json)" \
  "$(post o.jar a2.json /api/v1/adjustments "$body" -H 'Idempotency-Key: web-1')|$(jf 'd["repeated"]' < a2.json)|$(jf 'd["adjustment_id"]' < a2.json)"
check_eq "… nothing doubled" "1" "$(sql "SELECT count(*) FROM debt_adjustment")"
other="${body/-20000/-30000}"
check_eq "the same key with another body is 409" "409|conflict" \
  "$(post o.jar x.json /api/v1/adjustments "$other" -H 'Idempotency-Key: web-1')|$(jf 'd["error"]["code"]' < x.json)"
fp=$(fingerprint)
bad="${body/-20000/\"-20k\"}"
check_eq "an amount that is not a number is 400 naming amount" "400|invalid|amount" \
  "$(post o.jar x.json /api/v1/adjustments "$bad" -H 'Idempotency-Key: web-2')|$(err x.json)"
check_eq "an amount of 0 is 400 naming amount" "400|invalid|amount" \
  "$(post o.jar x.json /api/v1/adjustments "${body/-20000/0}" -H 'Idempotency-Key: web-3')|$(err x.json)"
check_eq "a write-off without approval is 400 naming approval" "400|invalid|approval" \
  "$(post o.jar x.json /api/v1/adjustments "$(echo "$body" | sed 's/correction/write-off/; s/-20000/20000/')" -H 'Idempotency-Key: web-4')|$(err x.json)"
check_eq "a customer of another company is 403" "403|forbidden|customer_code" \
  "$(post o.jar x.json /api/v1/adjustments "${body/$R/$T}" -H 'Idempotency-Key: web-5')|$(err x.json)"
check_eq "a read-only account may not adjust" "403" "$(post ro.jar x.json /api/v1/adjustments "$body" -H 'Idempotency-Key: web-6')"
check_eq "… and no refusal changed the database" "$fp" "$(fingerprint)"
check_eq "a write-off with its approval goes through" "201" \
  "$(post c.jar x.json /api/v1/adjustments "$(echo "$body" | sed 's/correction/write-off/; s/-20000/10000/; s/}$/,"approval":"QĐ 12\/2025, Giám đốc"}/')" -H 'Idempotency-Key: web-7')"
check_eq "adjustments listed in the scope, paged" "200|1|2|1" \
  "$(call l.json -b o.jar "$U/api/v1/adjustments?limit=1")|$(jf 'len(d["items"])' < l.json)|$(jf 'd["count"]' < l.json)|$(jf 'd["next_offset"]' < l.json)"
check_eq "… the last page has no next offset" "1|None" \
  "$(call l.json -b o.jar "$U/api/v1/adjustments?limit=1&offset=1" >/dev/null; jf 'len(d["items"])' < l.json)|$(jf 'd["next_offset"]' < l.json)"
check_eq "… of one customer" "200|2|$R" \
  "$(call l.json -b c.jar "$U/api/v1/adjustments?customer=$R")|$(jf 'd["count"]' < l.json)|$(jf 'd["items"][0]["customer_code"]' < l.json)"
check_eq "… another company's scope is 403" "403" "$(call l.json -b c.jar "$U/api/v1/adjustments?scope=PA02")"
check_eq "… and so is one of its customers" "403" "$(call l.json -b c.jar "$U/api/v1/adjustments?customer=$T")"

# ---- locks ----
check_eq "the unit officer locks its August" "201|1" \
  "$(post o.jar k1.json /api/v1/locks '{"scope":"PA0101","period":"2025-08"}')|$(jf 'd["id"]' < k1.json)"
check_eq "… not the company's" "403|forbidden|scope" \
  "$(post o.jar x.json /api/v1/locks '{"scope":"PA01","period":"2025-08"}')|$(err x.json)"
check_eq "… nor as the company" "403|forbidden|as" \
  "$(post o.jar x.json /api/v1/locks '{"scope":"PA0101","period":"2025-07","as":"PA01"}')|$(err x.json)"
check_eq "a month not yet ended is 400" "400|period" \
  "$(post o.jar x.json /api/v1/locks '{"scope":"PA0101","period":"2025-10"}' | cut -c1-3)|$(jf 'd["error"]["field"]' < x.json)"
check_eq "the same lock again is 409" "409" "$(post o.jar x.json /api/v1/locks '{"scope":"PA0101","period":"2025-08"}')"
check_eq "the locks are listed" "200|PA0101|2025-08|locked" \
  "$(call l.json -b o.jar "$U/api/v1/locks")|$(jf 'd["items"][0]["scope"]+"|"+d["items"][0]["period"]+"|"+d["items"][0]["status"]' < l.json)"
fp=$(fingerprint)
check_eq "an adjustment dated in the locked month is refused" "409|conflict" \
  "$(post o.jar x.json /api/v1/adjustments "${body/2025-09-10/2025-08-20}" -H 'Idempotency-Key: web-8')|$(jf 'd["error"]["code"]' < x.json)"
check_contains "… naming the lock" "locked (lock 1" "$(jf 'd["error"]["message"]' < x.json)"
check_eq "… nothing changed" "$fp" "$(fingerprint)"
check_eq "the unit cannot unlock its own lock" "403|forbidden|as" \
  "$(post o.jar x.json /api/v1/locks/unlock '{"scope":"PA0101","period":"2025-08","reason":"sai sót"}')|$(err x.json)"
check_eq "… nor claim to act as its company" "403|forbidden|as" \
  "$(post o.jar x.json /api/v1/locks/unlock '{"scope":"PA0101","period":"2025-08","as":"PA01","reason":"sai sót"}')|$(err x.json)"
check_eq "an unlock without a reason is 400" "400|invalid|reason" \
  "$(post c.jar x.json /api/v1/locks/unlock '{"scope":"PA0101","period":"2025-08"}')|$(err x.json)"
check_eq "the company above unlocks with a reason" "200|unlocked" \
  "$(post c.jar x.json /api/v1/locks/unlock '{"scope":"PA0101","period":"2025-08","reason":"điều chỉnh sau kiểm toán"}')|$(jf 'd["status"]' < x.json)"
check_eq "… the list shows it unlocked with the reason" "unlocked|điều chỉnh sau kiểm toán|nd.company" \
  "$(call l.json -b c.jar "$U/api/v1/locks?all=1&period=2025-08" >/dev/null; jf 'd["items"][0]["status"]+"|"+d["items"][0]["unlocked"]["reason"]+"|"+d["items"][0]["unlocked"]["by"]' < l.json)"
check_eq "… and the adjustment in August now goes through" "201" \
  "$(post o.jar x.json /api/v1/adjustments "${body/2025-09-10/2025-08-20}" -H 'Idempotency-Key: web-8')"
check_eq "locks of another company are 403" "403" "$(call l.json -b c.jar "$U/api/v1/locks?scope=PA02")"

kill "$SRV" 2>/dev/null; wait "$SRV" 2>/dev/null
check_ledger "after the API's adjustments"
finish
