#!/usr/bin/env bash
# Customer service requests over real HTTP (issue 11, docs/api.md "Service requests"): an officer
# creates a request (Idempotency-Key: a repeat answers the first), moves it through its steps and
# attaches a document; the list and the request are scoped (another unit's officer gets 404, a
# cashier may read but not change); the indicator report as JSON and CSV; the self-service page
# submits a new supply with a document and looks it up by code and phone digits, with one answer
# for every failure and a throttle on guessing.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/api_lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; H=PA02010000105
for u in "vb.officer unit_officer PA0101" "hh.officer unit_officer PA0201" "vb.cashier cashier PA0101" "admin administrator PA"; do
  set -- $u
  echo "pw-$1-12345" | pc user add "$1" --name "Người $1" --role "$2" --scope "$3" --password-stdin >/dev/null
done
api_serve
for j in vb.officer hh.officer vb.cashier admin; do login $j $j pw-$j-12345 >/dev/null; done

# ---- create, repeat, move ----
body='{"type": "meter_test", "customer_code": "'$R'", "date": "2026-11-16"}'
s=$(post vb.officer a.json /api/v1/requests "$body" -H 'Idempotency-Key: req-1')
check_eq "an officer creates a meter test request (201)" "201" "$s"
C=$(jf 'd["code"]' < a.json)
check_eq "… received 16/11, due 3 working days later (19/11), first step received" "2026-11-19|received|meter_test" \
  "$(jf '"|".join([d["due_on"], d["step"], d["type"]])' < a.json)"
s=$(post vb.officer b.json /api/v1/requests "$body" -H 'Idempotency-Key: req-1')
check_eq "a repeat with the same key answers the first request" "200|$C" "$s|$(jf 'd["code"]' < b.json)"
check_eq "… and made no second one" "1" "$(sql "SELECT count(*) FROM service_request")"
s=$(post vb.officer b.json /api/v1/requests '{"type": "meter_test", "customer_code": "'$R'", "set": 1}')
check_eq "a create without a key is refused" "400" "$s"
s=$(post vb.officer b.json /api/v1/requests '{"type": "capacity_change", "customer_code": "'$R'"}' -H 'Idempotency-Key: req-2')
check_eq "a capacity change without capacity_kva: 400 naming it" "400|invalid|set" "$s|$(err b.json)"
s=$(post hh.officer b.json /api/v1/requests "$body" -H 'Idempotency-Key: req-3')
check_eq "another unit's officer cannot create for this customer (403)" "403" "$s"
s=$(post vb.officer b.json /api/v1/requests/$C/advance '{"date": "2026-11-17", "owner": "kiem.dinh"}')
check_eq "advance: the test step, owned by kiem.dinh, due 20/11" "200|test|kiem.dinh|2026-11-20" \
  "$s|$(jf '"|".join([d["step"], d["step_owner"], d["step_due_on"]])' < b.json)"
s=$(post vb.officer b.json /api/v1/requests/$C/wait '{"date": "2026-11-18"}')
check_eq "wait without a reason: 400 naming reason" "400|invalid|reason" "$s|$(err b.json)"
s=$(post vb.officer b.json /api/v1/requests/$C/wait '{"date": "2026-11-18", "reason": "Chờ khách hàng có nhà"}')
check_eq "wait with the reason" "200|waiting|Chờ khách hàng có nhà" "$s|$(jf '"|".join([d["status"], d["waiting_reason"]])' < b.json)"
s=$(post hh.officer b.json /api/v1/requests/$C/resume '{}')
check_eq "another unit's officer: 404, nothing said" "404|not_found" "$s|$(jf 'd["error"]["code"]' < b.json)"
s=$(post vb.cashier b.json /api/v1/requests/$C/resume '{}')
check_eq "a cashier cannot move a request (403)" "403" "$s"
s=$(call b.json -b vb.cashier "$U/api/v1/requests/$C")
check_eq "… but reads it, with its history" "200|received advanced waiting" "$s|$(jf '" ".join(e["action"] for e in d["events"])' < b.json)"
python3 -c "open('scan.pdf','wb').write(b'%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')"
s=$(call b.json -b vb.officer -H "X-CSRF-Token: $(csrf vb.officer)" -H 'Idempotency-Key: doc-1' --data-binary @scan.pdf \
    "$U/api/v1/requests/$C/documents?file_name=bien_ban.pdf&kind=record")
check_eq "a PDF attached (201)" "201|application/pdf|record" "$s|$(jf 'd["media_type"]+"|"+d["kind"]' < b.json)"
s=$(post vb.officer b.json /api/v1/requests/$C/resume '{"date": "2026-11-19"}')
s=$(post vb.officer b.json /api/v1/requests/$C/advance '{"date": "2026-11-20"}')
check_eq "finished on 20/11: 4 working days, late against 19/11" "200|finished|4|False" \
  "$s|$(jf '"|".join(str(x) for x in [d["status"], d["working_days"], d["within_deadline"]])' < b.json)"

# ---- lists and the report ----
pc request add --type meter_test --customer $H --date 2026-11-16 >/dev/null
s=$(call b.json -b vb.officer "$U/api/v1/requests")
check_eq "the PA0101 officer lists the unit's request only" "200|$C" "$s|$(jf '",".join(i["code"] for i in d["items"])' < b.json)"
s=$(call b.json -b admin "$U/api/v1/requests?status=active")
check_eq "the administrator sees the PA0201 request active" "200|1" "$s|$(jf 'len(d["items"])' < b.json)"
s=$(call b.json -b vb.officer "$U/api/v1/requests?scope=PA02")
check_eq "a scope outside one's own is refused" "403" "$s"
s=$(call b.json -b admin "$U/api/v1/reports/service?month=2026-11")
check_eq "report: 2 received, 1 finished, 0 within, 1 open" "200|2|1|0|1" \
  "$s|$(jf '"|".join(str(d["total"][k]) for k in ["received", "finished", "within_deadline", "open"])' < b.json)"
s=$(call b.csv -b vb.officer "$U/api/v1/reports/service?month=2026-11&format=csv")
check_contains "report as CSV, the officer's unit" "PA0101,type,meter_test,1,1,0,0.0,4.0,4," "$(cat b.csv)"
check_not_contains "… without the other unit" "PA0201" "$(cat b.csv)"
s=$(call b.json -b admin "$U/api/v1/reports/service")
check_eq "report without a month: 400" "400|invalid|month" "$s|$(err b.json)"

# ---- the self-service page ----
png=$(python3 -c "
import struct, zlib, base64
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(b'\x00\xff\x00\x00')) + chunk(b'IEND', b'')
print(base64.b64encode(png).decode())")
sub='{"type": "new_supply_lv", "unit": "PA0101", "name": "Phạm Thị Lan", "phone": "0903 123 456", "address": "Xóm 2, xã Kim Thái", "documents": [{"file_name": "cccd.png", "kind": "id", "content_base64": "'$png'"}]}'
s=$(call s.json -H 'Content-Type: application/json' -X POST -d "$sub" "$U/api/v1/self/requests")
check_eq "a new supply submitted from the page, with its ID scan (201)" "201|1" "$s|$(jf 'd["documents"]' < s.json)"
S=$(jf 'd["code"]' < s.json)
check_eq "… stored as a self-service request with the document" "self|1" \
  "$(sql "SELECT r.source || '|' || count(d.id) FROM service_request r JOIN service_document d ON d.request_id = r.id WHERE r.code = '$S' GROUP BY r.source")"
s=$(call s.json -H 'Content-Type: application/json' -X POST -d '{"type": "termination", "unit": "PA0101"}' "$U/api/v1/self/requests")
check_eq "the page submits new supplies only" "400" "$s"
bad='{"type": "new_supply_lv", "unit": "PA0101", "name": "X", "phone": "0903123456", "address": "Y", "documents": [{"file_name": "a.pdf", "content_base64": "bm90IGEgcGRm"}]}'
before=$(sql "SELECT count(*) FROM service_request")
s=$(call s.json -H 'Content-Type: application/json' -X POST -d "$bad" "$U/api/v1/self/requests")
check_eq "a text file as a document refuses the whole submission" "400|$before" "$s|$(sql "SELECT count(*) FROM service_request")"
s=$(call l.json "$U/api/v1/self/requests/$S?phone4=3456")
check_eq "look-up by code and the phone's last 4 digits" "200|open|received|Phạm T. L.|Cấp điện mới hạ áp" \
  "$s|$(jf '"|".join([d["status"], d["step"], d["applicant"], d["type_name"]])' < l.json)"
check_not_contains "… no staff names, no phone" "0903123456" "$(cat l.json)"
s=$(call l.json "$U/api/v1/self/requests/$S?phone4=0000")
check_eq "wrong digits: 404 with the one message" "404|no request matches this code and these phone digits" \
  "$s|$(jf 'd["error"]["message"]' < l.json)"
s=$(call l.json "$U/api/v1/self/requests/PA0101-2611-999999?phone4=3456")
check_eq "an unknown code: the same answer" "404|no request matches this code and these phone digits" \
  "$s|$(jf 'd["error"]["message"]' < l.json)"
for i in $(seq 9); do call l.json "$U/api/v1/self/requests/$S?phone4=1111" >/dev/null; done
s=$(call l.json "$U/api/v1/self/requests/$S?phone4=3456")
check_eq "after 10 failed tries the code is throttled, even with the right digits (429)" "429" "$s"
finish
