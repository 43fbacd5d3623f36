#!/usr/bin/env bash
# Hostile input (issue 9, docs/testing.md): a table of bad files, flags and requests. Each must be
# refused with a clear error naming where and why, and the database must be left exactly as it
# was (its fingerprint: the file's bytes on SQLite, the data dump on PostgreSQL). A few inputs
# that only look odd (a BOM, CRLF, quotes and SQL inside text fields) must be accepted as data.
. "$(dirname "$0")/lib.sh"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; [ -n "${PC_KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; A=PA01020000104
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null
pc read add $A --date 2025-06-03 --total 500 >/dev/null
pc read add $A --date 2025-07-03 --total 1500 >/dev/null
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
pc partner add ECPAY --name "Ví ECPAY" --kind wallet >/dev/null
tried=0

# refused NAME NEEDLE CMD...: CMD fails, its error contains NEEDLE, the database is unchanged
refused() {
  local name=$1 needle=$2; shift 2
  local before after out rc
  before=$(fingerprint)
  out=$("$@" 2>&1); rc=$?
  after=$(fingerprint)
  tried=$((tried + 1))
  if [ $rc -ne 0 ] && [[ "$out" == *"$needle"* ]] && [ "$before" = "$after" ]; then ok "$name: refused, saying \"$needle\", nothing changed"
  else not_ok "$name" "exit $rc, database $([ "$before" = "$after" ] && echo unchanged || echo CHANGED)" "expected the error to say: $needle" "$(echo "$out" | head -5)"; fi
}
H='partner,txn_ref,customer_code,amount,paid_at'
C='unit,customer_code,name,address,purpose,voltage,households,phone,renter,persons,tou,route,meter'
row() { echo "PA0101,PA0101000020$1,$2,Số 1 Lê Lợi,residential,,1,091234567$1,0,,0,PA0101-001,PX00000000$1"; }

# ---- files ----
{ echo "$C"; row 1 "Nguyễn Văn An" | iconv -f utf-8 -t latin1//TRANSLIT; printf 'PA0101,PA01010000202,Tr\xe0n V\xe3n B,x,residential,,1,0912345672,0,,0,PA0101-001,PX0000000002\n'; } > latin1.csv
refused "a customer file in Latin-1 (not UTF-8)" "not valid UTF-8" pc customer import latin1.csv
{ echo "$C"; row 1 "An"; printf 'PA0101,PA01010000202,"Trần ""Bé,x,residential,,1,0912345672,0,,0,PA0101-001,PX0000000002\n'; } > badquote.csv
refused "an unclosed quote" "line 3" pc customer import badquote.csv
python3 -c "print('$C'); print('PA0101,PA01010000203,' + 'A' * (10 * 1024 * 1024) + ',x,residential,,1,0912345673,0,,0,PA0101-001,PX0000000003')" > longline.csv
refused "a 10-MB line" "line 2" pc customer import longline.csv
{ echo "$C"; row 4 "Lê Bốn" | sed 's/,1,0912/,-3,0912/'; } > neg_households.csv
refused "negative households" "households" pc customer import neg_households.csv
{ echo "$H"; echo "ECPAY,EC-1,$R,-217836,2025-09-12 08:00:00"; } > neg.csv
refused "a negative amount in a collection file" "amount" pc pay import neg.csv
{ echo "$H"; echo "ECPAY,EC-2,$R,99999999999999999999999,2025-09-12 08:00:00"; } > overflow.csv
refused "an amount that overflows 64 bits" "amount" pc pay import overflow.csv
{ echo "$H"; echo "ECPAY,EC-3,$R,1.2.3,2025-09-12 08:00:00"; } > badmoney.csv
refused "an amount with misplaced separators" "amount" pc pay import badmoney.csv
{ echo "$H"; echo "ECPAY,EC-4,$R,100000,2025-02-30 08:00:00"; } > feb30.csv
refused "a paid_at of 2025-02-30" "paid_at" pc pay import feb30.csv
{ echo "$H"; echo "ECPAY,EC-5,PA01019999999,100000,2025-09-12 08:00:00"; } > unknown.csv
refused "an unknown customer" "PA01019999999" pc pay import unknown.csv
{ echo "$H"; echo "ECPAY,EC-6,$R,100000,2025-09-12 08:00:00"; echo "ECPAY,EC-6,$R,200000,2025-09-12 09:00:00"; } > dupref.csv
refused "the same reference twice in one file with other content" "EC-6" pc pay import dupref.csv
{ echo "$H"; echo "NOPARTNER,EC-7,$R,100000,2025-09-12 08:00:00"; } > nopartner.csv
refused "an unknown partner" "NOPARTNER" pc pay import nopartner.csv
{ echo "partner,customer_code,amount,paid_at"; echo "ECPAY,$R,100000,2025-09-12"; } > nocol.csv
refused "a missing column" "txn_ref" pc pay import nocol.csv
printf 'route,customer_code,meter,reading_date,total,normal,peak,offpeak\nPA0101-001,%s,PA0000000101,2025-08-01,abc,,,\n' $R > badread.csv
refused "a read index that is not a number" "line 2" pc read import badread.csv
printf 'route,customer_code,meter,reading_date,total,normal,peak,offpeak\nPA0101-001,%s,PA0000000101,2025-13-01,1200,,,\n' $R > badmonth.csv
refused "a read dated in month 13" "line 2" pc read import badmonth.csv
printf 'customer_code,invoice_no,period,issue_date,due_date,amount,paid,paid_at\n%s,X-1,2023-01,2023-02-05,2023-02-01,100000,,\n' $R > due_before.csv
refused "legacy debt due before it was issued" "due_date" pc debt import due_before.csv
printf 'customer_code,invoice_no,period,issue_date,due_date,amount,paid,paid_at\n%s,X-2,2023-01,2023-02-05,2023-02-12,100000,200000,2023-03-01\n' $R > overpaid.csv
refused "legacy debt paid more than its amount" "paid" pc debt import overpaid.csv
: > empty.csv
refused "an empty file" "empty" pc pay import empty.csv
refused "a file that does not exist" "nope.csv" pc pay import nope.csv
mkdir -p adir
refused "a folder instead of a file" "adir" pc pay import adir

# ---- flags ----
refused "an amount flag with letters" "amount" pc pay post $R --partner ECPAY --ref F-1 --amount 12abc
refused "an amount flag of zero" "amount" pc pay post $R --partner ECPAY --ref F-2 --amount 0
refused "an amount flag past 64 bits" "amount" pc pay post $R --partner ECPAY --ref F-3 --amount 99999999999999999999
refused "a date flag of 2025-02-30" "2025-02-30" pc read add $R --date 2025-02-30 --total 1200
refused "a period flag of 2025-13" "2025-13" pc bill run --period 2025-13
refused "an unknown flag" "--frobnicate" pc bill run --period 2025-08 --frobnicate
refused "a flag without its value" "--period" pc bill run --period

# ---- odd but valid: accepted as data ----
{ printf '\xef\xbb\xbf'; echo "$C"; row 5 "Phạm Năm" | sed 's/$/\r/'; } > bom_crlf.csv
check_eq "a BOM and CRLF line ends: accepted, the name stored without a stray CR" "Phạm Năm" \
  "$(pc customer import bom_crlf.csv >/dev/null && sql "SELECT name FROM customer WHERE code = 'PA01010000205'")"
{ echo "$C"; echo "PA0101,PA01010000206,\"Công ty \"\"Ánh Dương\"\", chi nhánh 2\",\"Số 6, ngõ 7\",residential,,1,0912345676,0,,0,PA0101-001,PX0000000006"; } > quotes.csv
check_eq "quotes and commas inside quoted fields: taken as text" 'Công ty "Ánh Dương", chi nhánh 2|Số 6, ngõ 7' \
  "$(pc customer import quotes.csv >/dev/null && sql "SELECT name || '|' || address FROM customer WHERE code = 'PA01010000206'")"
evil="Robert'); DROP TABLE customer; --"
{ echo "$C"; echo "PA0101,PA01010000207,\"$evil\",\"' OR '1'='1\",residential,,1,0912345677,0,,0,PA0101-001,PX0000000007"; } > sql.csv
pc customer import sql.csv >/dev/null
check_eq "SQL in text fields is stored as text, the tables intact" "$evil|' OR '1'='1|9" \
  "$(sql "SELECT name || '|' || address FROM customer WHERE code = 'PA01010000207'")|$(sql "SELECT count(*) FROM customer")"
check_contains "… and found by search as text" "PA01010000207" "$(pc customer search "robert drop table")"

# ---- HTTP ----
printf '[server]\nscheduler = off\nmax_body_bytes = 1048576\n' > server.ini
export POWERCIS_CONFIG=$WORK/server.ini
echo "hostile-admin-pw" | pc user add h.admin --name "Hostile" --role administrator --scope PA --password-stdin >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$POWERCIS" serve --listen 127.0.0.1:$port > server.log 2>&1 & SRV=$!; PIDS+=($SRV)
for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
U="http://127.0.0.1:$port"
curl -s -c jar -o login.json -X POST -d '{"login":"h.admin","password":"hostile-admin-pw"}' "$U/api/v1/login"
TOKEN=$(jf 'd["csrf_token"]' < login.json)
SHIFT=$(curl -s -b jar -H "X-CSRF-Token: $TOKEN" -X POST -d '{"opening_float":0,"unit":"PA0101"}' "$U/api/v1/shifts" | jf 'd["shift_id"]')
# http_refused NAME STATUS NEEDLE CURL-ARGS...: a POST to /api/v1/payments (unless the args say
# otherwise) answered STATUS with a JSON error containing NEEDLE; the database unchanged
http_refused() {
  local name=$1 status=$2 needle=$3; shift 3
  local before after got
  before=$(fingerprint)
  local key=(-H "Idempotency-Key: h-$T_N-$RANDOM")
  [[ "$*" == *"Idempotency-Key:"* ]] && key=()
  got=$(curl -s -o resp.json -w '%{http_code}' -b jar -H "X-CSRF-Token: $TOKEN" "${key[@]}" "$@")
  after=$(fingerprint)
  tried=$((tried + 1))
  local body; body=$(head -c 400 resp.json)
  if [ "$got" = "$status" ] && [[ "$body" == *'"error"'* ]] && [[ "$body" == *"$needle"* ]] && [ "$before" = "$after" ]; then
    ok "HTTP $name: $status, saying \"$needle\", nothing changed"
  else not_ok "HTTP $name" "status $got (expected $status), database $([ "$before" = "$after" ] && echo unchanged || echo CHANGED)" "$body"; fi
}
P="$U/api/v1/payments"
http_refused "a body that is not JSON" 400 "JSON" -X POST -d 'amount=5' "$P"
http_refused "a JSON array instead of an object" 400 "object" -X POST -d '[1,2]' "$P"
http_refused "a negative amount" 400 '"field":"amount"' -X POST -d "{\"customer_code\":\"$R\",\"amount\":-5,\"shift_id\":$SHIFT}" "$P"
http_refused "an amount past 64 bits" 400 'too big' -X POST -d "{\"customer_code\":\"$R\",\"amount\":99999999999999999999999,\"shift_id\":$SHIFT}" "$P"
http_refused "a fractional amount" 400 '"field":"amount"' -X POST -d "{\"customer_code\":\"$R\",\"amount\":1000.5,\"shift_id\":$SHIFT}" "$P"
http_refused "a paid_at of 2025-02-30" 400 '"field":"paid_at"' -X POST -d "{\"customer_code\":\"$R\",\"amount\":1000,\"shift_id\":$SHIFT,\"paid_at\":\"2025-02-30 09:00\"}" "$P"
http_refused "an unknown customer" 404 "not_found" -X POST -d "{\"customer_code\":\"PA01019999999\",\"amount\":1000,\"shift_id\":$SHIFT}" "$P"
http_refused "SQL as the customer code" 400 '"field":"customer_code"'  -X POST -d "{\"customer_code\":\"' OR 1=1 --\",\"amount\":1000,\"shift_id\":$SHIFT}" "$P"
http_refused "a NUL inside a string" 400 "" -X POST -d "{\"customer_code\":\"PA0101\\u00000000101\",\"amount\":1000,\"shift_id\":$SHIFT}" "$P"
http_refused "a duplicate key in the object" 400 "duplicate" -X POST -d "{\"customer_code\":\"$R\",\"amount\":1000,\"amount\":2000,\"shift_id\":$SHIFT}" "$P"
python3 -c "print('[' * 100000 + ']' * 100000)" > deep.json
http_refused "JSON nested 100,000 deep" 400 "JSON" -X POST --data-binary @deep.json "$P"
head -c $((2 * 1024 * 1024)) /dev/zero | tr '\0' ' ' > big.json
http_refused "a 2-MB body over max_body_bytes (1 MiB here)" 413 "too_large" -X POST --data-binary @big.json "$P"
head -c $((50 * 1024 * 1024)) /dev/urandom > upload.bin
http_refused "a 50-MB upload" 413 "too_large" -X POST -H 'Content-Type: application/octet-stream' --data-binary @upload.bin "$P"
http_refused "invalid UTF-8 in a string" 400 "" -X POST --data-binary $'{"customer_code":"PA0101\xff\xfe","amount":1000}' "$P"
http_refused "a path with a traversal" 404 "not_found" -X GET "$U/api/v1/payments/..%2F..%2Fetc%2Fpasswd/receipt.pdf"
http_refused "an Idempotency-Key of 300 characters" 400 "Idempotency-Key" -X POST -H "Idempotency-Key: $(printf 'k%.0s' $(seq 300))" -d "{\"customer_code\":\"$R\",\"amount\":1000,\"shift_id\":$SHIFT}" "$P"
D="$U/api/v1/customers/$R/documents?kind=minutes&file_name="
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' > ok.pdf
http_refused "a 50-MB document upload" 413 "too_large" -X POST -H 'Content-Type: application/pdf' --data-binary @upload.bin "${D}big.pdf"
printf 'just text, named .pdf\n' > fake.pdf
http_refused "a text file named .pdf as a document" 415 "unsupported_media_type" -X POST -H 'Content-Type: application/pdf' --data-binary @fake.pdf "${D}fake.pdf"
got=$(curl -s -o resp.json -w '%{http_code}' -b jar -H "X-CSRF-Token: $TOKEN" -H "Idempotency-Key: trav-1" -H 'Content-Type: application/pdf' \
  --data-binary @ok.pdf "${D}..%2F..%2F..%2Fetc%2Fpasswd")
tried=$((tried + 1))
check_eq "a document named ../../../etc/passwd: stored under its last part as a label, no file outside the store" "201|passwd|no" \
  "$got|$(sql "SELECT file_name FROM document ORDER BY id DESC LIMIT 1")|$([ -e "$WORK/etc/passwd" ] || [ -e "$(dirname "$POWERCIS_DB")/etc/passwd" ] && echo yes || echo no)"
printf 'unit,customer_code\r\nPA0101,PA0101\xe30000209\r\n' > latin.csv
http_refused "an uploaded customer file that is not UTF-8" 422 "UTF-8" -X POST -H 'Content-Type: text/csv' --data-binary @latin.csv "$U/api/v1/files/customers"
check_eq "the server is still up after all that" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$U/healthz")"
kill -TERM $SRV; wait $SRV 2>/dev/null
echo "# hostile inputs tried: $tried"
finish
