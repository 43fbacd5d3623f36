#!/usr/bin/env bash
# Files for batch import and reconciliation over real HTTP (issue 8, docs/api.md "Files" and
# "Reconciliation"): every kind of file uploaded with the counts checked in the database, a bad
# file refused naming line and column with the database unchanged, retries with the same
# Idempotency-Key, the same file twice, lines outside the uploader's scope, the import's size
# limit, the history of uploads within the scope; one partner's day with a known difference of
# each main kind as JSON, CSV and XLSX, clear-missing posting once on a retry, and refusals by role.
. "$(dirname "$0")/lib.sh"

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc partner add ECPAY --name "Công ty CP Thanh toán điện tử ECPay" --kind collector >/dev/null
pc partner add VNPOST --name "Tổng công ty Bưu điện Việt Nam" --kind post --settlement-days 2 >/dev/null
adduser() { echo "$4-password-1" | pc user add "$1" --name "$1" --role "$2" --scope "$3" --password-stdin >/dev/null; }
adduser admin administrator PA admin
adduser corp corporation PA corp
adduser co company PA01 co
adduser uo unit_officer PA0101 uo
adduser cash cashier PA0101 cash
adduser aud auditor PA aud

export POWERCIS_CLOCK_FILE=$PWD/clock
echo 2026-11-23T09:00:00+07:00 > clock
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[server]\nscheduler = off\nmax_import_bytes = 4096\n' > powercis.ini
export POWERCIS_CONFIG=$PWD/powercis.ini
"$POWERCIS" serve --listen 127.0.0.1:$port > server.log 2>&1 & SRV=$!; PIDS+=($SRV)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
U="http://127.0.0.1:$port"

call() { local out=$1; shift; curl -s -o "$out" -w '%{http_code}' "$@"; }
login() { call "$1.json" -c "$1" -b "$1" -X POST -d "{\"login\":\"$2\",\"password\":\"$2-password-1\"}" "$U/api/v1/login"; }
csrf() { jf 'd["csrf_token"]' < "$1.json"; }
# upload JAR OUT KIND FILE KEY [QUERY]: the file as the body of POST /api/v1/files/KIND
upload() { call "$2" -b "$1" -H "X-CSRF-Token: $(csrf "$1")" -H 'Content-Type: text/csv' -H "Idempotency-Key: $5" \
  --data-binary "@$4" "$U/api/v1/files/$3?name=$(basename "$4")${6:+&$6}"; }
# summary OUT: id|lines|imported|skipped|already|repeated of an upload's answer
summary() { jf '"|".join(str(d[k]) for k in ("id","lines","imported","skipped","already","repeated"))' < "$1"; }
# bad OUT: the refused lines as line:column, comma-separated
bad() { jf '",".join(str(x["line"])+":"+str(x["column"]) for x in d["error"]["errors"])' < "$1"; }

for u in admin corp co uo cash aud; do login $u.jar $u >/dev/null; done

# ---- customers: a unit officer within its unit ----
C="$CASES/customers/good.csv"
{ head -1 "$C"; grep '^PA0101,' "$C"; } > c-vuban.csv
{ head -1 "$C"; grep '^PA0102,' "$C"; } > c-yyen.csv
{ head -1 "$C"; grep '^PA0201,' "$C"; } > c-hungha.csv
check_eq "a unit officer imports its unit's customers: 201, 2 lines, 2 imported" "201|2|2|0" \
  "$(upload uo.jar x.json customers c-vuban.csv k-c1)|$(summary x.json | cut -d'|' -f2-4)"
UP1=$(jf 'd["id"]' < x.json)
check_eq "… written in the database" "2" "$(sql "SELECT count(*) FROM customer WHERE code LIKE 'PA0101%'")"
check_eq "… and kept in the history with the file's SHA-256" "customers|c-vuban.csv|$(sha256sum c-vuban.csv | cut -d' ' -f1)|uo" \
  "$(sql "SELECT kind || '|' || name || '|' || sha256 || '|' || uploaded_by FROM upload WHERE id = $UP1")"
before=$(fingerprint)
check_eq "a retry with the same key: 200, the first answer, repeated" "200|$UP1|2|2|0|False|True" \
  "$(upload uo.jar x.json customers c-vuban.csv k-c1)|$(summary x.json)"
check_eq "… nothing changed" "$before" "$(fingerprint)"
check_eq "the same key for another file: 409 naming the key" "409|Idempotency-Key" \
  "$(upload uo.jar x.json customers c-yyen.csv k-c1)|$(jf 'd["error"]["field"]' < x.json)"
check_eq "the same file under a new key: refused as the CLI does (codes exist), 422" "422|2:customer_code,3:customer_code" \
  "$(upload uo.jar x.json customers c-vuban.csv k-c1b)|$(bad x.json)"
check_eq "customers of another unit: 422 naming the line and the unit column" "422|2:unit,3:unit" \
  "$(upload uo.jar x.json customers c-yyen.csv k-c2)|$(bad x.json)"
check_contains "… saying why" "is not within your scope" "$(cat x.json)"
check_eq "… nothing changed" "$before" "$(fingerprint)"
check_eq "the company imports its other unit: 201" "201|2" "$(upload co.jar x.json customers c-yyen.csv k-c3)|$(jf 'd["imported"]' < x.json)"
check_eq "the company may not import another company's customers: 422" "422" "$(upload co.jar x.json customers c-hungha.csv k-c4)"
check_eq "the administrator imports them: 201" "201" "$(upload admin.jar x.json customers c-hungha.csv k-c5)"
check_eq "six customers in all" "6" "$(sql 'SELECT count(*) FROM customer')"

# ---- a bad file: every bad line with its column, the database unchanged ----
before=$(fingerprint)
check_eq "a bad customer file: 422 invalid_file" "422|invalid_file" \
  "$(upload admin.jar x.json customers "$CASES/customers/bad.csv" k-bad)|$(jf 'd["error"]["code"]' < x.json)"
check_eq "… every bad line with its column" \
  "3:voltage,4:voltage,5:name,6:households,7:phone,8:unit,9:purpose,10:customer_code,11:None" "$(bad x.json)"
check_eq "… the summary: lines and error lines" "10|9|9 of 10 rows have errors; nothing was imported" \
  "$(jf 'str(d["error"]["lines"])+"|"+str(d["error"]["error_lines"])+"|"+d["error"]["message"]' < x.json)"
check_eq "… the database hash unchanged" "$before" "$(fingerprint)"
printf 'customer_code,name,colour\nX,Y,Z\n' > header.csv
check_eq "an unknown column: refused on line 1" "422|1" "$(upload admin.jar x.json customers header.csv k-h)|$(jf 'd["error"]["errors"][0]["line"]' < x.json)"
check_eq "without an Idempotency-Key: 400 naming it" "400|Idempotency-Key" \
  "$(call x.json -b admin.jar -H "X-CSRF-Token: $(csrf admin.jar)" -H 'Content-Type: text/csv' --data-binary @c-vuban.csv "$U/api/v1/files/customers")|$(jf 'd["error"]["field"]' < x.json)"
check_eq "without the CSRF token: 403" "403|csrf_failed" \
  "$(call x.json -b admin.jar -H 'Idempotency-Key: k-x' -H 'Content-Type: text/csv' --data-binary @c-vuban.csv "$U/api/v1/files/customers")|$(jf 'd["error"]["code"]' < x.json)"
check_eq "another content type: 415" "415" \
  "$(call x.json -b admin.jar -H "X-CSRF-Token: $(csrf admin.jar)" -H 'Idempotency-Key: k-x' -H 'Content-Type: application/json' --data-binary @c-vuban.csv "$U/api/v1/files/customers")"
check_eq "an unknown kind: 404" "404" "$(upload admin.jar x.json meters c-vuban.csv k-x)"
python3 -c 'print("customer_code,name\n" + "x"*5000)' > big.csv
check_eq "a file above the import's limit: 413 with a JSON error" "413|too_large" \
  "$(upload admin.jar x.json customers big.csv k-big)|$(jf 'd["error"]["code"]' < x.json)"
check_eq "… nothing changed" "$before" "$(fingerprint)"

# ---- reads ----
cat > reads.csv <<EOF
route,customer_code,meter,reading_date,total,normal,peak,offpeak
PA0101-001,PA01010000101,PA0000000101,2025-06-01,1000,,,
PA0101-002,PA01010000102,PA0000000102,2025-06-01,700,,,
EOF
check_eq "a unit officer imports reads: 201, 2 imported" "201|2|2|0" \
  "$(upload uo.jar x.json reads reads.csv k-r1)|$(summary x.json | cut -d'|' -f2-4)"
check_eq "… stored as from a file" "2" "$(sql "SELECT count(*) FROM meter_read WHERE source LIKE 'file:%'")"
before=$(fingerprint)
check_eq "the same file under a new key: 200, imported before, nothing changed" "200|None|0|2|True" \
  "$(upload uo.jar x.json reads reads.csv k-r2)|$(summary x.json | cut -d'|' -f1,3-5)"
check_eq "… the database unchanged (no history row either)" "$before" "$(fingerprint)"
sed 's/2025-06-01/2025-07-01/; s/,1000,/,1100,/' reads.csv | head -2 > reads-amr.csv
check_eq "source=amr as read import --source amr" "201|amr" \
  "$(upload uo.jar x.json reads reads-amr.csv k-r3 source=amr)|$(jf 'd["detail"]["source"]' < x.json)"
check_eq "… stored as automatic" "1" "$(sql "SELECT count(*) FROM meter_read WHERE source LIKE 'amr:%'")"
check_eq "a bad source: 400 naming it" "400|source" "$(upload uo.jar x.json reads reads.csv k-r4 source=x)|$(jf 'd["error"]["field"]' < x.json)"
printf 'route,customer_code,meter,reading_date,total\n,PA01020000103,,2025-06-01,10\n' > reads-yyen.csv
check_eq "a read of a customer outside the unit: 422 naming line 2, customer_code" "422|2:customer_code" \
  "$(upload uo.jar x.json reads reads-yyen.csv k-r5)|$(bad x.json)"
check_eq "a cashier may not import reads: 403" "403" "$(upload cash.jar x.json reads reads.csv k-r6)"
sed 's/2025-06-01/2025-08-01/; s/,1000,/,1200,/; s/,700,/,800,/' reads.csv > reads-aug.csv
upload uo.jar a1.json reads reads-aug.csv k-r7 > a1.code & A1=$!
upload uo.jar a2.json reads reads-aug.csv k-r7 > a2.code & A2=$!
wait $A1 $A2
check_eq "the same key twice at once: one 201 and one 200, one import, the same upload" "200,201|$(jf 'd["id"]' < a1.json)|1|2" \
  "$(sort a1.code a2.code | paste -sd,)|$(jf 'd["id"]' < a2.json)|$(sql "SELECT count(*) FROM upload WHERE idempotency_key = 'k-r7'")|$(sql "SELECT count(*) FROM meter_read WHERE read_date = '2025-08-01'")"

# ---- collections (ours through ECPAY on 2025-09-12) ----
cat > coll.csv <<EOF
partner,txn_ref,customer_code,amount,paid_at,invoice_no
ECPAY,C1,PA01010000101,100000,2025-09-12 08:00,
ECPAY,C2,PA01010000102,200000,2025-09-12 09:00,
ECPAY,C4,PA01020000103,50000,2025-09-12 10:00,
ECPAY,C5,PA01020000104,70000,2025-09-12 11:00,
EOF
check_eq "a unit officer may not import collections: 403" "403" "$(upload uo.jar x.json collections coll.csv k-p0)"
check_eq "the company imports a collection file: 201, 4 imported, 420,000 đ" "201|4|4|0|420000" \
  "$(upload co.jar x.json collections coll.csv k-p1)|$(summary x.json | cut -d'|' -f2-4)|$(jf 'd["amount"]' < x.json)"
check_eq "… four payments through ECPAY" "4|420000" "$(sql "SELECT count(*) || '|' || sum(amount) FROM payment WHERE source = 'ECPAY'")"
printf 'partner,txn_ref,customer_code,amount,paid_at\nECPAY,C9,PA02010000105,1000,2025-09-12\n' > coll-tb.csv
check_eq "the company may not post for another company's customer: 422" "422|2:customer_code" \
  "$(upload co.jar x.json collections coll-tb.csv k-p2)|$(bad x.json)"

# ---- the partner's statement and the bank's ----
cat > stmt.csv <<EOF
partner,txn_ref,customer_code,amount,paid_at
ECPAY,C1,PA01010000101,100000,2025-09-12 08:00
ECPAY,C2,PA01010000102,250000,2025-09-12 09:00
ECPAY,C3,PA01010000101,40000,2025-09-12 09:30
ECPAY,C4,PA01010000102,50000,2025-09-12 10:00
EOF
{ head -3 stmt.csv; echo "ECPAY,C7,PA01010000101,35O000,2025-09-12"; } > stmt-bad.csv
before=$(fingerprint)
check_eq "a bad statement: 422 naming line 4, column amount" "422|4:amount" \
  "$(upload corp.jar x.json statements stmt-bad.csv k-s0)|$(bad x.json)"
check_eq "… the database unchanged" "$before" "$(fingerprint)"
check_eq "a statement for another partner than partner=: 422 on the partner column" "422|2:partner,3:partner,4:partner,5:partner" \
  "$(upload corp.jar x.json statements stmt.csv k-s1 partner=VNPOST)|$(bad x.json)"
check_eq "partner= naming no partner: 404 naming the argument" "404|partner" \
  "$(upload corp.jar x.json statements stmt.csv k-s1b partner=NOPE)|$(jf 'd["error"]["field"]' < x.json)"
check_eq "the corporation imports the statement: 201, 4 lines" "201|4|4|0" \
  "$(upload corp.jar x.json statements stmt.csv k-s2 partner=ECPAY)|$(summary x.json | cut -d'|' -f2-4)"
check_eq "… stored" "4" "$(sql "SELECT count(*) FROM statement_line")"
printf 'value_date,amount,partner,for_day,reference,narrative\n2025-09-13,400000,ECPAY,2025-09-12,FT1,ECPAY 12/09\n' > bank.csv
check_eq "the bank statement: 201, 1 line" "201|1|1|0" "$(upload co.jar x.json bank-statements bank.csv k-b1)|$(summary x.json | cut -d'|' -f2-4)"
check_eq "… stored" "1" "$(sql "SELECT count(*) FROM bank_line")"

# ---- reconciliation ----
check_eq "GET /reconciliation: 5 transactions, 1 matched, rate 0.2" "200|5|1|0.2" \
  "$(call r.json -b co.jar "$U/api/v1/reconciliation?partner=ECPAY&date=2025-09-12")|$(jf '"|".join(str(d[k]) for k in ("transactions","matched","match_rate"))' < r.json)"
check_eq "… one difference of each main kind" \
  "missing_in_ours=1,missing_at_partner=1,amount_differs=1,customer_differs=1,remittance_short=1" \
  "$(jf '",".join(k+"="+str(v) for k,v in d["counts"].items() if v)' < r.json)"
check_eq "… the same as powercis reconcile --format json" \
  "$(pc reconcile --partner ECPAY --date 2025-09-12 --format json | jf 'sorted((x["kind"],x.get("txn_ref","")) for x in d["differences"])')" \
  "$(jf 'sorted((x["kind"],x.get("txn_ref","")) for x in d["differences"])' < r.json)"
check_eq "format=csv: a download, header and one row per difference" "200|6|\"kind\"" \
  "$(call r.csv -b corp.jar "$U/api/v1/reconciliation?partner=ECPAY&date=2025-09-12&format=csv")|$(wc -l < r.csv)|$(head -1 r.csv | cut -d, -f1)"
code=$(curl -s -D h.txt -o r.xlsx -w '%{http_code}' -b admin.jar "$U/api/v1/reconciliation?partner=ECPAY&date=2025-09-12&format=xlsx")
check_eq "format=xlsx: a workbook download" "200|PK|1" \
  "$code|$(head -c2 r.xlsx)|$(grep -ci 'content-disposition: attachment; filename="doi-soat-ECPAY-2025-09-12.xlsx"' h.txt)"
check_eq "an unknown partner: 404" "404" "$(call x.json -b co.jar "$U/api/v1/reconciliation?partner=NOPE&date=2025-09-12")"
check_eq "a bad date: 400 naming it" "400|date" "$(call x.json -b co.jar "$U/api/v1/reconciliation?partner=ECPAY&date=2025-13-01")|$(jf 'd["error"]["field"]' < x.json)"
check_eq "a unit officer may not read a partner's day: 403" "403" "$(call x.json -b uo.jar "$U/api/v1/reconciliation?partner=ECPAY&date=2025-09-12")"
check_eq "nor a cashier: 403" "403" "$(call x.json -b cash.jar "$U/api/v1/reconciliation?partner=ECPAY&date=2025-09-12")"

CM='{"partner":"ECPAY","date":"2025-09-12"}'
clear_missing() { call "$2" -b "$1" -H "X-CSRF-Token: $(csrf "$1")" -H 'Content-Type: application/json' ${3:+-H "Idempotency-Key: $3"} -X POST -d "$CM" "$U/api/v1/reconciliation/clear-missing"; }
before=$(fingerprint)
check_eq "clear-missing without a key: 400" "400|Idempotency-Key" "$(clear_missing co.jar x.json)|$(jf 'd["error"]["field"]' < x.json)"
check_eq "… by a unit officer: 403" "403" "$(clear_missing uo.jar x.json k-cm)"
check_eq "… nothing changed" "$before" "$(fingerprint)"
check_eq "clear-missing posts the one missing item: 201, 40,000 đ, nothing missing after" "201|1|40000|0" \
  "$(clear_missing co.jar x.json k-cm)|$(jf 'str(d["cleared"]["posted"])+"|"+str(d["cleared"]["amount"])+"|"+str(d["counts"]["missing_in_ours"])' < x.json)"
check_eq "… posted as the partner's payment C3" "1|40000" "$(sql "SELECT count(*) || '|' || sum(amount) FROM payment WHERE source = 'ECPAY' AND ext_ref = 'C3'")"
before=$(fingerprint)
check_eq "a retry with the same key posts nothing: 200, posted 0" "200|0" \
  "$(clear_missing co.jar x.json k-cm)|$(jf 'd["cleared"]["posted"]' < x.json)"
check_eq "… one payment C3 still" "1" "$(sql "SELECT count(*) FROM payment WHERE ext_ref = 'C3'")"

# ---- legacy debt ----
cat > debt.csv <<EOF
customer_code,invoice_no,period,issue_date,due_date,amount,paid,paid_at
PA01010000101,CMIS-1,2024-03,2024-04-05,2024-04-20,500000,100000,2024-05-01
EOF
check_eq "a dry run checks and writes nothing: 200, 1 to import" "200|None|1|True" \
  "$(upload uo.jar x.json legacy-debt debt.csv k-d0 dry_run=1)|$(jf 'str(d["id"])+"|"+str(d["imported"])+"|"+str(d["dry_run"])' < x.json)"
check_eq "… nothing written" "0" "$(sql "SELECT count(*) FROM legacy_invoice")"
check_eq "the unit officer imports its legacy debt: 201, 1 imported" "201|1|1|0" \
  "$(upload uo.jar x.json legacy-debt debt.csv k-d1)|$(summary x.json | cut -d'|' -f2-4)"
check_eq "… one receivable" "1|500000" "$(sql "SELECT count(*) || '|' || sum(i.total) FROM legacy_invoice l JOIN invoice i ON i.id = l.invoice_id")"
before=$(fingerprint)
check_eq "the same file under a new key: 200, 1 skipped, nothing changed" "200|0|1" \
  "$(upload uo.jar x.json legacy-debt debt.csv k-d2)|$(jf 'str(d["imported"])+"|"+str(d["skipped"])' < x.json)"
check_eq "… the database unchanged" "$before" "$(fingerprint)"
printf 'customer_code,invoice_no,period,issue_date,due_date,amount\nPA01020000103,CMIS-2,2024-03,2024-04-05,2024-04-20,1000\n' > debt-yyen.csv
check_eq "a unit officer's legacy debt of another unit: 422" "422|2:customer_code" "$(upload uo.jar x.json legacy-debt debt-yyen.csv k-d3)|$(bad x.json)"

# ---- the history ----
n_all=$(sql "SELECT count(*) FROM upload")
check_eq "the history keeps the imports that changed something: 3 + 3 + 1 + 1 + 1 + 1" "10" "$n_all"
check_eq "GET /files by the administrator: all, newest first" "200|10|legacy-debt" \
  "$(call l.json -b admin.jar "$U/api/v1/files")|$(jf 'str(d["total"])+"|"+d["items"][0]["kind"]' < l.json)"
check_eq "… the unit officer sees its own unit's uploads only" "200|5|uo" \
  "$(call l.json -b uo.jar "$U/api/v1/files")|$(jf 'str(d["total"])+"|"+",".join(sorted(set(i["uploaded_by"] for i in d["items"])))' < l.json)"
check_eq "… the company its subtree's" "200|co,uo" \
  "$(call l.json -b co.jar "$U/api/v1/files?limit=100")|$(jf '",".join(sorted(set(i["uploaded_by"] for i in d["items"])))' < l.json)"
check_eq "paging (an auditor reads the history): limit 2 offset 2 of 10" "200|2|2|2|10" \
  "$(call l.json -b aud.jar "$U/api/v1/files?limit=2&offset=2")|$(jf '"|".join(str(x) for x in (len(d["items"]),d["limit"],d["offset"],d["total"]))' < l.json)"
check_eq "filtered by kind" "3" "$(call l.json -b admin.jar "$U/api/v1/files?kind=reads" >/dev/null; jf 'd["total"]' < l.json)"
check_eq "a bad limit: 400" "400" "$(call l.json -b admin.jar "$U/api/v1/files?limit=0")"
check_eq "GET /files/{id}: one upload" "200|customers|2" "$(call g.json -b co.jar "$U/api/v1/files/$UP1")|$(jf 'd["kind"]+"|"+str(d["imported"])' < g.json)"
ADM=$(sql "SELECT id FROM upload WHERE uploaded_by = 'admin'")
check_eq "… another unit's upload is not found for a unit officer: 404, no data" "404|absent" \
  "$(call g.json -b uo.jar "$U/api/v1/files/$ADM")|$(grep -q hungha g.json && echo present || echo absent)"
check_eq "… nor is a number that is none" "404" "$(call g.json -b admin.jar "$U/api/v1/files/999")"
check_eq "a cashier has no history: 403" "403" "$(call g.json -b cash.jar "$U/api/v1/files")"

# ---- partners ----
check_eq "GET /partners: ECPAY, VNPOST and the legacy debt's partner" "200|3|ECPAY:1,VNPOST:2,legacy:0" \
  "$(call p.json -b co.jar "$U/api/v1/partners")|$(jf 'str(d["total"])+"|"+",".join(sorted(p["code"]+":"+str(p["settlement_days"]) for p in d["items"]))' < p.json)"
check_eq "… paged" "1|VNPOST" "$(call p.json -b co.jar "$U/api/v1/partners?limit=1&offset=1" >/dev/null; jf 'str(len(d["items"]))+"|"+d["items"][0]["code"]' < p.json)"
check_eq "without signing in: 401" "401" "$(call p.json "$U/api/v1/partners")"

check "audit chain intact" pc audit verify
check_ledger "after the uploads"
finish
