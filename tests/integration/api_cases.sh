#!/usr/bin/env bash
# Debt cases, documents, notifications and jobs over real HTTP (issue 8, docs/api.md "Cases and
# documents", "Notifications", "Jobs"): a case opened with an Idempotency-Key (a repeat answers the
# first, another body 409), updated with exact history, listed by next action with filters and
# pages; a PDF and a PNG uploaded and read back byte for byte, a text file refused (415), a file
# name that is a path kept as a label only, a too-big upload 413 with nothing stored, a locked
# month refused; messages sent, listed within the scope, retried, opt-out and opt-in; a job run by
# the administrator and its history; refusals of each role, outside the scope, with no data.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/web_fixture.sh" # free_port, start_server

SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill -9 $SERVER_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; B=PA01010000102; A=PA01020000104; H=PA02010000105
for u in "admin administrator PA" "pa01.boss company PA01" "vb.officer unit_officer PA0101" \
         "yy.officer unit_officer PA0102" "vb.audit auditor PA0101" "pa01.ro read_only PA01" "vb.cashier cashier PA0101"; do
  set -- $u
  echo "pw-$1-12345" | pc user add "$1" --name "Người $1" --role "$2" --scope "$3" --password-stdin >/dev/null
done
# the document store of this database (docs/cases.md)
if [ "$ENGINE" = postgres ]; then STORE="$WORK/var/documents"; else STORE="$POWERCIS_DB.files"; fi
nfiles() { if [ -d "$STORE" ]; then find "$STORE" -type f | wc -l; else echo 0; fi; }

export POWERCIS_CLOCK_FILE=$PWD/clock
echo 2026-11-23T09:00:00+07:00 > clock
# no SMS gateway: a delivery fails, and with one attempt the message is dead at once
printf '[documents]\nmax_bytes = 4096\n[notify]\nmax_attempts = 1\n' > powercis.ini
export POWERCIS_CONFIG=$PWD/powercis.ini
port=$(free_port)
start_server "$port" server.log || { echo "Bail out! powercis serve did not start: $(cat server.log)"; exit 1; }
U="http://127.0.0.1:$port"

call() { local out=$1; shift; curl -s -o "$out" -w '%{http_code}' "$@"; }
login() { call "$1.json" -c "$1" -b "$1" -X POST -d "{\"login\":\"$2\",\"password\":\"pw-$2-12345\"}" "$U/api/v1/login"; }
csrf() { jf 'd["csrf_token"]' < "$1.json"; }
# send METHOD JAR OUT PATH BODY [curl args…]: a signed-in change with the CSRF token
send() { local method=$1 jar=$2 out=$3 path=$4 body=$5; shift 5
  call "$out" -b "$jar" -H "X-CSRF-Token: $(csrf "$jar")" -H 'Content-Type: application/json' -X "$method" -d "$body" "$@" "$U$path"; }
post() { send POST "$@"; }
patch() { send PATCH "$@"; }
# upload JAR OUT CUSTOMER FILE QUERY KEY: a file's bytes as the body
upload() { call "$2" -b "$1" -H "X-CSRF-Token: $(csrf "$1")" -H "Idempotency-Key: $6" -H 'Content-Type: application/octet-stream' \
  --data-binary "@$4" "$U/api/v1/customers/$3/documents?$5"; }
err() { jf 'd["error"]["code"]+"|"+str(d["error"]["field"])' < "$1"; }
codes() { jf '",".join(c["customer_code"] for c in d["items"])+"|"+str(d["next_offset"])'; }

for j in admin pa01.boss vb.officer yy.officer vb.audit pa01.ro vb.cashier; do
  check_eq "$j signs in" "200" "$(login $j.jar $j)"
done

# ---- cases: open ----
check_eq "no case yet: an empty list" "200||None" "$(call l.json -b vb.officer.jar "$U/api/v1/cases")|$(codes < l.json)"
OPEN="{\"customer_code\":\"$R\",\"owner\":\"lan.nt\",\"next_action\":\"2025-09-10\",\"note\":\"nợ 3 kỳ, đã gọi điện\"}"
before=$(fingerprint)
check_eq "open without the CSRF token: 403 csrf_failed" "403|csrf_failed|X-CSRF-Token" \
  "$(call x.json -b vb.officer.jar -H 'Idempotency-Key: c-1' -X POST -d "$OPEN" "$U/api/v1/cases")|$(err x.json)"
check_eq "open without an Idempotency-Key: 400 naming it" "400|invalid|Idempotency-Key" \
  "$(post vb.officer.jar x.json /api/v1/cases "$OPEN")|$(err x.json)"
check_eq "… a key with a space: 400" "400|invalid|Idempotency-Key" \
  "$(post vb.officer.jar x.json /api/v1/cases "$OPEN" -H 'Idempotency-Key: c 1')|$(err x.json)"
check_eq "a customer of another unit: 403, no data" "403|forbidden|customer_code|absent" \
  "$(post vb.officer.jar x.json /api/v1/cases "{\"customer_code\":\"$A\"}" -H 'Idempotency-Key: c-x')|$(err x.json)|$(grep -q 'Yên' x.json && echo present || echo absent)"
check_eq "… an unknown code there: the same 403" "403" \
  "$(post vb.officer.jar x.json /api/v1/cases '{"customer_code":"PA01029999999"}' -H 'Idempotency-Key: c-x')"
check_eq "an unknown code in the scope: 404" "404|not_found" \
  "$(post vb.officer.jar x.json /api/v1/cases '{"customer_code":"PA01019999999"}' -H 'Idempotency-Key: c-x')|$(jf 'd["error"]["code"]' < x.json)"
check_eq "an unknown status: 400 naming status" "400|invalid|status" \
  "$(post vb.officer.jar x.json /api/v1/cases "{\"customer_code\":\"$R\",\"status\":\"closed\"}" -H 'Idempotency-Key: c-x')|$(err x.json)"
check_eq "an impossible next action date: 400 naming next_action" "400|invalid|next_action" \
  "$(post vb.officer.jar x.json /api/v1/cases "{\"customer_code\":\"$R\",\"next_action\":\"2025-02-30\"}" -H 'Idempotency-Key: c-x')|$(err x.json)"
check_eq "written off without a note: 400 naming note" "400|invalid|note" \
  "$(post vb.officer.jar x.json /api/v1/cases "{\"customer_code\":\"$R\",\"status\":\"written-off\"}" -H 'Idempotency-Key: c-x')|$(err x.json)"
check_eq "a number as owner: 400 naming owner" "400|invalid|owner" \
  "$(post vb.officer.jar x.json /api/v1/cases "{\"customer_code\":\"$R\",\"owner\":5}" -H 'Idempotency-Key: c-x')|$(err x.json)"
check_eq "an auditor may not open: 403" "403" "$(post vb.audit.jar x.json /api/v1/cases "$OPEN" -H 'Idempotency-Key: c-a')"
check_eq "a read-only account may not open: 403" "403" "$(post pa01.ro.jar x.json /api/v1/cases "$OPEN" -H 'Idempotency-Key: c-r')"
check_eq "a cashier may not open: 403" "403" "$(post vb.cashier.jar x.json /api/v1/cases "$OPEN" -H 'Idempotency-Key: c-c')"
check_eq "none of the refusals wrote anything" "$before" "$(fingerprint)"

check_eq "open: 201, the case with its first event" "201|monitoring|lan.nt|2025-09-10|PA0101|1|nợ 3 kỳ, đã gọi điện|vb.officer|0|False" \
  "$(post vb.officer.jar o1.json /api/v1/cases "$OPEN" -H 'Idempotency-Key: c-1')|$(jf 'd["status"]+"|"+d["owner"]+"|"+d["next_action"]+"|"+d["unit"]+"|"+str(len(d["events"]))+"|"+d["events"][0]["note"]+"|"+d["events"][0]["by"]+"|"+str(len(d["documents"]))+"|"+str(d["repeated"])' < o1.json)"
after=$(fingerprint)
check_eq "the same key and body again: 200, the first answer, repeated" "200|True|$(jf 'd["opened_at"]' < o1.json)" \
  "$(post vb.officer.jar o2.json /api/v1/cases "$OPEN" -H 'Idempotency-Key: c-1')|$(jf 'str(d["repeated"])+"|"+d["opened_at"]' < o2.json)"
check_eq "… nothing written" "$after" "$(fingerprint)"
check_eq "the same key with another body: 409 naming the key" "409|conflict|Idempotency-Key" \
  "$(post vb.officer.jar x.json /api/v1/cases "{\"customer_code\":\"$B\"}" -H 'Idempotency-Key: c-1')|$(err x.json)"
check_eq "… another account's same key is its own: a second case for R is a 409 of the case" "409|conflict|None|has a debt case already" \
  "$(post pa01.boss.jar x.json /api/v1/cases "$OPEN" -H 'Idempotency-Key: c-1')|$(err x.json)|$(jf '"has a debt case already" if "has a debt case already" in d["error"]["message"] else d["error"]["message"]' < x.json)"
check_eq "… nothing written: one case, one event, one audit entry" "$after|1|1|1" \
  "$(fingerprint)|$(sql "SELECT count(*) FROM debt_case")|$(sql "SELECT count(*) FROM debt_case_event")|$(sql "SELECT count(*) FROM audit_log WHERE action = 'case.open'")"
check_eq "the case open is audited under the account" "vb.officer" "$(sql "SELECT actor FROM audit_log WHERE action = 'case.open'")"

# ---- cases: update ----
check_eq "PATCH: in court (the in-court spelling), next action moved, a note" "200|in_court|lan.nt|2025-11-15|2|monitoring,in_court" \
  "$(patch vb.officer.jar u.json /api/v1/customers/$R/case '{"status":"in-court","next_action":"2025-11-15","note":"khởi kiện tại TAND huyện Vụ Bản"}')|$(jf 'd["status"]+"|"+d["owner"]+"|"+d["next_action"]+"|"+str(len(d["events"]))+"|"+",".join(e["status"] for e in d["events"])' < u.json)"
check_eq "PATCH with a key: an owner change" "200|mai.tt|3|False" \
  "$(patch vb.officer.jar u.json /api/v1/customers/$R/case '{"owner":"mai.tt"}' -H 'Idempotency-Key: u-1')|$(jf 'd["owner"]+"|"+str(len(d["events"]))+"|"+str(d["repeated"])' < u.json)"
check_eq "… sent again with the key: the first answer, no second event" "200|True|3|3" \
  "$(patch vb.officer.jar u.json /api/v1/customers/$R/case '{"owner":"mai.tt"}' -H 'Idempotency-Key: u-1')|$(jf 'str(d["repeated"])+"|"+str(len(d["events"]))' < u.json)|$(sql "SELECT count(*) FROM debt_case_event")"
check_eq "PATCH owner null clears it" "200|None|4" \
  "$(patch vb.officer.jar u.json /api/v1/customers/$R/case '{"owner":null,"note":"chuyển tổ thu"}')|$(jf 'str(d["owner"])+"|"+str(len(d["events"]))' < u.json)"
check_eq "PATCH that changes nothing: 400" "400|invalid" \
  "$(patch vb.officer.jar x.json /api/v1/customers/$R/case '{"status":"in_court"}')|$(jf 'd["error"]["code"]' < x.json)"
check_eq "PATCH with nothing: 400" "400" "$(patch vb.officer.jar x.json /api/v1/customers/$R/case '{}')"
check_eq "PATCH status null: 400 naming status" "400|invalid|status" "$(patch vb.officer.jar x.json /api/v1/customers/$R/case '{"status":null}')|$(err x.json)"
check_eq "PATCH written off without the approval: 400 naming note" "400|invalid|note" \
  "$(patch vb.officer.jar x.json /api/v1/customers/$R/case '{"status":"written_off"}')|$(err x.json)"
check_eq "PATCH of a customer without a case: 404" "404" "$(patch vb.officer.jar x.json /api/v1/customers/$B/case '{"status":"notified"}')"
check_eq "PATCH by another unit's officer: 403" "403" "$(patch yy.officer.jar x.json /api/v1/customers/$R/case '{"status":"notified"}')"
check_eq "PATCH by a read-only account: 403" "403" "$(patch pa01.ro.jar x.json /api/v1/customers/$R/case '{"status":"notified"}')"
check_eq "the history, oldest first, as the CLI shows it" "monitoring lan.nt 2025-09-10,in_court lan.nt 2025-11-15,in_court mai.tt 2025-11-15,in_court None 2025-11-15" \
  "$(pc case show $R --json | jf '",".join(e["status"]+" "+str(e["owner"])+" "+e["next_action"] for e in d["events"])')"

# ---- cases: read and list ----
pc case open $B --owner lan.nt >/dev/null
pc case open $A --status notified --next 2025-08-20 --owner hung.pv >/dev/null
pc case open $H --next 2025-10-01 >/dev/null
check_eq "GET a customer's case with its history" "200|in_court|4|khởi kiện tại TAND huyện Vụ Bản" \
  "$(call g.json -b pa01.ro.jar "$U/api/v1/customers/$R/case")|$(jf 'd["status"]+"|"+str(len(d["events"]))+"|"+d["events"][1]["note"]' < g.json)"
check_eq "… the same as case show --json" "$(pc case show $R --json | jf 'json.dumps(d["events"], sort_keys=True)')" "$(jf 'json.dumps(d["events"], sort_keys=True)' < g.json)"
check_eq "… an auditor of the unit reads it" "200" "$(call x.json -b vb.audit.jar "$U/api/v1/customers/$R/case")"
check_eq "… another unit's officer: 403" "403" "$(call x.json -b yy.officer.jar "$U/api/v1/customers/$R/case")"
check_eq "… a cashier (not the debt module's): 403" "403" "$(call x.json -b vb.cashier.jar "$U/api/v1/customers/$R/case")"
check_eq "… without signing in: 401" "401" "$(call x.json "$U/api/v1/customers/$R/case")"
check_eq "the unit's list: its cases by next action, none without one last" "200|$R,$B|None" \
  "$(call l.json -b vb.officer.jar "$U/api/v1/cases")|$(codes < l.json)"
check_eq "the company's list" "$A,$R,$B|None" "$(call l.json -b pa01.boss.jar "$U/api/v1/cases" >/dev/null; codes < l.json)"
check_eq "the administrator's list: every case" "$A,$H,$R,$B|None" "$(call l.json -b admin.jar "$U/api/v1/cases" >/dev/null; codes < l.json)"
check_eq "… scope=PA0101" "$R,$B|None" "$(call l.json -b admin.jar "$U/api/v1/cases?scope=PA0101" >/dev/null; codes < l.json)"
check_eq "… status=in-court" "$R|None" "$(call l.json -b admin.jar "$U/api/v1/cases?status=in-court" >/dev/null; codes < l.json)"
check_eq "… due_by=2025-10-01" "$A,$H|None" "$(call l.json -b admin.jar "$U/api/v1/cases?due_by=2025-10-01" >/dev/null; codes < l.json)"
check_eq "… owner=lan.nt" "$B|None" "$(call l.json -b admin.jar "$U/api/v1/cases?owner=lan.nt" >/dev/null; codes < l.json)"
check_eq "… a page: limit=2&offset=1" "$H,$R|3" "$(call l.json -b admin.jar "$U/api/v1/cases?limit=2&offset=1" >/dev/null; codes < l.json)"
check_eq "… the last page" "$B|None" "$(call l.json -b admin.jar "$U/api/v1/cases?limit=2&offset=3" >/dev/null; codes < l.json)"
check_eq "… exact values of a row" "notified|hung.pv|2025-08-20|PA0102|Trường THCS Yên Bằng|0" \
  "$(call l.json -b admin.jar "$U/api/v1/cases?limit=1" >/dev/null; jf 'd["items"][0]["status"]+"|"+d["items"][0]["owner"]+"|"+d["items"][0]["next_action"]+"|"+d["items"][0]["unit"]+"|"+d["items"][0]["customer_name"]+"|"+str(d["items"][0]["documents"])' < l.json)"
check_eq "a status that does not exist: 400 naming status" "400|invalid|status" "$(call x.json -b admin.jar "$U/api/v1/cases?status=closed")|$(err x.json)"
check_eq "a bad due_by: 400 naming due_by" "400|invalid|due_by" "$(call x.json -b admin.jar "$U/api/v1/cases?due_by=2025-13-01")|$(err x.json)"
check_eq "limit=0: 400 naming limit" "400|invalid|limit" "$(call x.json -b admin.jar "$U/api/v1/cases?limit=0")|$(err x.json)"
check_eq "the unit's officer asks for the company: 403 naming scope, no data" "403|forbidden|scope|absent" \
  "$(call x.json -b vb.officer.jar "$U/api/v1/cases?scope=PA01")|$(err x.json)|$(grep -q "$A" x.json && echo present || echo absent)"
check_eq "the company asks for another company: 403" "403" "$(call x.json -b pa01.boss.jar "$U/api/v1/cases?scope=PA02")"
check_eq "… or a scope that does not exist: the same 403" "403" "$(call x.json -b pa01.boss.jar "$U/api/v1/cases?scope=NOPE")"
check_eq "a cashier may not list cases: 403" "403" "$(call x.json -b vb.cashier.jar "$U/api/v1/cases")"
check_eq "an auditor and a read-only account may" "200|200" \
  "$(call x.json -b vb.audit.jar "$U/api/v1/cases")|$(call x.json -b pa01.ro.jar "$U/api/v1/cases")"

# ---- documents ----
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' > bien_ban.pdf
python3 - <<'EOF'
import struct, zlib
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 2, 2, 8, 2, 0, 0, 0)) + \
      chunk(b'IDAT', zlib.compress(b'\x00\xff\x00\x00\x00\x00\xff\x00\x00\xff\x00\x00\x00\x00\xff')) + chunk(b'IEND', b'')
open('scan.png', 'wb').write(png)
open('big.pdf', 'wb').write(b'%PDF-1.4\n' + b'0' * 5000 + b'\n%%EOF\n')
open('traversal.pdf', 'wb').write(b'%PDF-1.4\n% traversal\n%%EOF\n')
open('quoted.pdf', 'wb').write(b'%PDF-1.4\n% quoted\n%%EOF\n')
EOF
echo "không phải PDF" > fake.pdf
: > empty.pdf
sha() { sha256sum "$1" | cut -d' ' -f1; }

before=$(fingerprint); n0=$(nfiles)
check_eq "a text file named .pdf: 415, the type found named" "415|unsupported_media_type|body|text" \
  "$(upload vb.officer.jar x.json $R fake.pdf 'kind=minutes&file_name=fake.pdf' d-x)|$(err x.json)|$(jf '"text" if "text" in d["error"]["message"] else d["error"]["message"]' < x.json)"
check_eq "a file over [documents] max_bytes: 413 too_large" "413|too_large|body" \
  "$(upload vb.officer.jar x.json $R big.pdf 'kind=minutes&file_name=big.pdf' d-x)|$(err x.json)"
check_eq "an empty body: 400" "400|invalid|body" "$(upload vb.officer.jar x.json $R empty.pdf 'kind=minutes' d-x)|$(err x.json)"
check_eq "no kind: 400 naming kind" "400|invalid|kind" "$(upload vb.officer.jar x.json $R bien_ban.pdf 'file_name=a.pdf' d-x)|$(err x.json)"
check_eq "an unknown kind: 400 naming kind" "400|invalid|kind" "$(upload vb.officer.jar x.json $R bien_ban.pdf 'kind=letter' d-x)|$(err x.json)"
check_eq "a date after today: 400 naming date" "400|invalid|date" "$(upload vb.officer.jar x.json $R bien_ban.pdf 'kind=minutes&date=2026-12-01' d-x)|$(err x.json)"
check_eq "a file name with a control character: 400 naming file_name" "400|invalid|file_name" \
  "$(upload vb.officer.jar x.json $R bien_ban.pdf 'kind=minutes&file_name=a%0Db.pdf' d-x)|$(err x.json)"
check_eq "without a key: 400" "400|invalid|Idempotency-Key" \
  "$(call x.json -b vb.officer.jar -H "X-CSRF-Token: $(csrf vb.officer.jar)" --data-binary @bien_ban.pdf "$U/api/v1/customers/$R/documents?kind=minutes")|$(err x.json)"
check_eq "another unit's officer: 403" "403" "$(upload yy.officer.jar x.json $R bien_ban.pdf 'kind=minutes' d-y)"
check_eq "a read-only account: 403" "403" "$(upload pa01.ro.jar x.json $R bien_ban.pdf 'kind=minutes' d-r)"
check_eq "none of the refusals stored a row or a file" "$before|$n0" "$(fingerprint)|$(nfiles)"

Q='kind=minutes&title=Bi%C3%AAn%20b%E1%BA%A3n%20l%C3%A0m%20vi%E1%BB%87c&date=2026-11-20&file_name=bi%C3%AAn%20b%E1%BA%A3n.pdf'
check_eq "a PDF uploaded: 201, typed by content, its hash and size" "201|application/pdf|$(sha bien_ban.pdf)|$(stat -c %s bien_ban.pdf)|biên bản.pdf|Biên bản làm việc|2026-11-20|vb.officer|False" \
  "$(upload vb.officer.jar p.json $R bien_ban.pdf "$Q" d-1)|$(jf 'd["media_type"]+"|"+d["sha256"]+"|"+str(d["size"])+"|"+d["file_name"]+"|"+d["title"]+"|"+d["date"]+"|"+d["added_by"]+"|"+str(d["repeated"])' < p.json)"
PDF=$(jf 'd["id"]' < p.json)
check_eq "… with a link to its bytes" "/api/v1/documents/$PDF" "$(jf 'd["href"]' < p.json)"
check "… stored at DIR/ab/<sha256> with the same bytes" cmp bien_ban.pdf "$STORE/$(sha bien_ban.pdf | cut -c1-2)/$(sha bien_ban.pdf)"
after=$(fingerprint)
check_eq "the same upload with the same key: 200, repeated, one row" "200|True|$PDF|1" \
  "$(upload vb.officer.jar x.json $R bien_ban.pdf "$Q" d-1)|$(jf 'str(d["repeated"])+"|"+str(d["id"])' < x.json)|$(sql "SELECT count(*) FROM document")"
Q2="file_name=bi%C3%AAn%20b%E1%BA%A3n.pdf&date=2026-11-20&title=Bi%C3%AAn%20b%E1%BA%A3n%20l%C3%A0m%20vi%E1%BB%87c&kind=minutes"
check_eq "… its arguments in another order are the same request" "200|True|1" \
  "$(upload vb.officer.jar x.json $R bien_ban.pdf "$Q2" d-1)|$(jf 'str(d["repeated"])' < x.json)|$(sql "SELECT count(*) FROM document")"
check_eq "… another title with the key: 409" "409" "$(upload vb.officer.jar x.json $R bien_ban.pdf "${Q/title=Bi/title=Xi}" d-1)"
check_eq "… nothing written" "$after" "$(fingerprint)"
check_eq "the same key with another file: 409" "409|conflict|Idempotency-Key" "$(upload vb.officer.jar x.json $R scan.png "$Q" d-1)|$(err x.json)"
check_eq "a PNG named .pdf: 201, stored as image/png" "201|image/png|scan.pdf" \
  "$(upload vb.officer.jar n.json $R scan.png 'kind=record&file_name=scan.pdf' d-2)|$(jf 'd["media_type"]+"|"+d["file_name"]' < n.json)"
PNG=$(jf 'd["id"]' < n.json)

check_eq "the PDF read back: the same bytes, its type, an attachment" "200|application/pdf|$(sha bien_ban.pdf)" \
  "$(curl -s -D h.txt -o got.pdf -w '%{http_code}|%{content_type}' -b pa01.ro.jar "$U/api/v1/documents/$PDF")|$(sha got.pdf)"
check_contains "… Content-Disposition: an attachment, a plain name and the UTF-8 one" \
  "attachment; filename=\"bi_n_b_n.pdf\"; filename*=UTF-8''bi%C3%AAn%20b%E1%BA%A3n.pdf" "$(tr -d '\r' < h.txt)"
check_contains "… never sniffed as another type" "nosniff" "$(cat h.txt)"
check_eq "the PNG read back: the same bytes" "200|image/png|$(sha scan.png)" \
  "$(curl -s -o got.png -w '%{http_code}|%{content_type}' -b vb.officer.jar "$U/api/v1/documents/$PNG")|$(sha got.png)"

# A name that is a path is a label: its last part is kept, nothing is read or written by it.
for name in '../../etc/passwd' '..%2F..%2F..%2Fetc%2Fpasswd' '..%5C..%5Cwindows%5Cwin.ini' '%2Fetc%2Fshadow'; do
  check_eq "file_name=$name: stored under its hash, the last part kept as a label" "201|$(sha traversal.pdf)" \
    "$(upload vb.officer.jar t.json $R traversal.pdf "kind=other&file_name=$name" "t-$name")|$(jf 'd["sha256"]' < t.json)"
  label=$(jf 'd["file_name"]' < t.json)
  check_not_contains "… the label has no folder in it ($label)" "/" "$label"
  check_eq "… the download is the upload, not a file of the server" "$(sha traversal.pdf)" \
    "$(curl -s -b vb.officer.jar "$U/api/v1/documents/$(jf 'd["id"]' < t.json)" | sha256sum | cut -d' ' -f1)"
done
check_eq "… the labels" "passwd,passwd,win.ini,shadow" \
  "$(sql "SELECT $(agg)(file_name, ',') FROM (SELECT file_name FROM document WHERE sha256 = '$(sha traversal.pdf)' ORDER BY id) x")"
check_eq "… the store holds only files named by their hash" "" \
  "$(find "$STORE" -type f | grep -Ev '/[0-9a-f]{2}/[0-9a-f]{64}$' || true)"
check_eq "… and no file of that name was made anywhere near" "" "$(find "$WORK" -name passwd -o -name shadow -o -name win.ini)"
check_eq "a quote in the name: the download's header stays one quoted value" "201|200" \
  "$(upload vb.officer.jar q.json $R quoted.pdf 'kind=other&file_name=bi%22en%3B%20x%3D1.pdf' q-1)|$(curl -s -D hq.txt -o /dev/null -w '%{http_code}' -b vb.officer.jar "$U/api/v1/documents/$(jf 'd["id"]' < q.json)")"
check_contains "… the plain name without the quote, the exact one encoded" \
  "attachment; filename=\"bi_en__x_1.pdf\"; filename*=UTF-8''bi%22en%3B%20x%3D1.pdf" "$(tr -d '\r' < hq.txt)"

check_eq "the customer's documents by date, paged" "200|$PDF,$PNG|2" \
  "$(call dl.json -b pa01.ro.jar "$U/api/v1/customers/$R/documents?limit=2")|$(jf '",".join(str(x["id"]) for x in d["items"])+"|"+str(d["next_offset"])' < dl.json)"
check_eq "… the case counts them" "7" "$(call g.json -b vb.officer.jar "$U/api/v1/customers/$R/case" >/dev/null; jf 'str(len(d["documents"]))' < g.json)"
check_eq "a document of a customer outside the scope: 404, as one that does not exist" "404|404|404" \
  "$(call x.json -b yy.officer.jar "$U/api/v1/documents/$PDF")|$(call x.json -b vb.officer.jar "$U/api/v1/documents/999999")|$(call x.json -b vb.officer.jar "$U/api/v1/documents/abc")"
check_eq "… its list: 403" "403" "$(call x.json -b yy.officer.jar "$U/api/v1/customers/$R/documents")"
check_eq "a cashier may not read documents: 403" "403" "$(call x.json -b vb.cashier.jar "$U/api/v1/documents/$PDF")"

# ---- locks: a document dated in a locked month, a removal while today's month is locked ----
org_id() { sql "SELECT id FROM org_node WHERE code = '$1'"; }
check "a lock of 2026-10 for PA01" pc lock --scope PA01 --period 2026-10
cp scan.png lock.png; printf 'x' >> lock.png
before=$(fingerprint); n0=$(nfiles)
check_eq "a document dated in the locked month: 409 naming the lock" "409|conflict|period 2026-10 of PA01 is locked" \
  "$(upload vb.officer.jar x.json $R lock.png 'kind=record&date=2026-10-15' l-1)|$(jf 'd["error"]["code"]+"|"+("period 2026-10 of PA01 is locked" if "period 2026-10 of PA01 is locked" in d["error"]["message"] else d["error"]["message"])' < x.json)"
check_eq "… nothing stored: no row, no file" "$before|$n0" "$(fingerprint)|$(nfiles)"
check_eq "… dated in November it is accepted, with the same key (the refusal used nothing)" "201" \
  "$(upload vb.officer.jar x.json $R lock.png 'kind=record&date=2026-11-02' l-1)"

check_eq "remove without a reason: 400 naming reason" "400|invalid|reason" "$(post vb.officer.jar x.json /api/v1/documents/$PNG/remove '{}')|$(err x.json)"
check_eq "remove by another unit's officer: 404" "404" "$(post yy.officer.jar x.json /api/v1/documents/$PNG/remove '{"reason":"x"}')"
check_eq "remove by an auditor: 403" "403" "$(post vb.audit.jar x.json /api/v1/documents/$PNG/remove '{"reason":"x"}')"
check_eq "remove: 200, marked with the reason" "200|True|bản trùng|vb.officer" \
  "$(post vb.officer.jar x.json /api/v1/documents/$PNG/remove '{"reason":"bản trùng"}')|$(jf 'str(d["removed"])+"|"+d["removal_reason"]+"|"+d["removed_by"]' < x.json)"
check_eq "… a second removal: 409" "409" "$(post vb.officer.jar x.json /api/v1/documents/$PNG/remove '{"reason":"again"}')"
check_eq "… the list hides it, all=1 shows it" "False|True" \
  "$(call x.json -b vb.officer.jar "$U/api/v1/customers/$R/documents?limit=100" >/dev/null; jf 'str('$PNG' in [x["id"] for x in d["items"]])' < x.json)|$(call x.json -b vb.officer.jar "$U/api/v1/customers/$R/documents?all=1&limit=100" >/dev/null; jf 'str('$PNG' in [x["id"] for x in d["items"]])' < x.json)"
check_eq "… its bytes are still read" "$(sha scan.png)" "$(curl -s -b vb.officer.jar "$U/api/v1/documents/$PNG" | sha256sum | cut -d' ' -f1)"
check "a lock of this month for PA0101 (behind the program: a month is locked after it ends)" \
  sql_write "INSERT INTO report_lock (org_id, period, locked_at, locked_by, locked_as) VALUES ($(org_id PA0101), '2026-11', '2026-11-23T02:00:00Z', 'chief', $(org_id PA0101))"
before=$(fingerprint)
check_eq "a removal (dated today) while this month is locked: 409 naming the lock" "409|period 2026-11 of PA0101 is locked" \
  "$(post vb.officer.jar x.json /api/v1/documents/$PDF/remove '{"reason":"nhầm khách hàng"}')|$(jf '"period 2026-11 of PA0101 is locked" if "period 2026-11 of PA0101 is locked" in d["error"]["message"] else d["error"]["message"]' < x.json)"
check_eq "… nothing changed" "$before" "$(fingerprint)"

# ---- notifications ----
REM="{\"event\":\"reminder\",\"customer_code\":\"$R\",\"fields\":{\"amount\":564192,\"due_date\":\"12/08/2025\"}}"
check_eq "send without a key: 400" "400|invalid|Idempotency-Key" "$(post vb.officer.jar x.json /api/v1/notifications "$REM")|$(err x.json)"
check_eq "send to a customer of another unit: 403" "403" \
  "$(post vb.officer.jar x.json /api/v1/notifications "{\"event\":\"reminder\",\"customer_code\":\"$A\",\"fields\":{\"amount\":1,\"due_date\":\"x\"}}" -H 'Idempotency-Key: n-x')"
check_eq "a staff message by a unit officer: 403 naming to" "403|forbidden|to" \
  "$(post vb.officer.jar x.json /api/v1/notifications '{"event":"planned_outage","to":"ops@example.vn","fields":{"customer_name":"x","area":"y","start":"1","end":"2"}}' -H 'Idempotency-Key: n-x')|$(err x.json)"
check_eq "an event that does not exist: 400" "400|invalid" \
  "$(post vb.officer.jar x.json /api/v1/notifications "{\"event\":\"hello\",\"customer_code\":\"$R\"}" -H 'Idempotency-Key: n-x')|$(jf 'd["error"]["code"]' < x.json)"
check_eq "a field of the wrong type: 400 naming fields" "400|invalid|fields" \
  "$(post vb.officer.jar x.json /api/v1/notifications "{\"event\":\"reminder\",\"customer_code\":\"$R\",\"fields\":{\"amount\":[1]}}" -H 'Idempotency-Key: n-x')|$(err x.json)"
check_eq "nothing was queued" "0" "$(sql "SELECT count(*) FROM notify_outbox")"
check_eq "a reminder to R: 201 queued by SMS to the phone on file" "201|queued|sms|False|0912345678|564.192 đ" \
  "$(post vb.officer.jar m1.json /api/v1/notifications "$REM" -H 'Idempotency-Key: n-1')|$(jf 'd["status"]+"|"+d["channel"]+"|"+str(d["duplicate"])' < m1.json)|$(sql "SELECT recipient FROM notify_outbox")|$(sql "SELECT body FROM notify_outbox" | grep -o '564.192 đ')"
M1=$(jf 'd["id"]' < m1.json)
check_eq "… again with the key: 200, repeated, one message" "200|True|$M1|1" \
  "$(post vb.officer.jar x.json /api/v1/notifications "$REM" -H 'Idempotency-Key: n-1')|$(jf 'str(d["repeated"])+"|"+str(d["id"])' < x.json)|$(sql "SELECT count(*) FROM notify_outbox")"
check_eq "… the key with another body: 409" "409" \
  "$(post vb.officer.jar x.json /api/v1/notifications "{\"event\":\"reminder\",\"customer_code\":\"$B\",\"fields\":{\"amount\":1,\"due_date\":\"x\"}}" -H 'Idempotency-Key: n-1')"
check_eq "… the same message under another key: 200, a duplicate of the first (the outbox's own key)" "200|True|$M1" \
  "$(post vb.officer.jar x.json /api/v1/notifications "$REM" -H 'Idempotency-Key: n-2')|$(jf 'str(d["duplicate"])+"|"+str(d["id"])' < x.json)"
pc notify send --event reminder --customer $A --field amount=1000 --field due_date=12/08/2025 >/dev/null
MA=$(sql "SELECT o.id FROM notify_outbox o JOIN customer c ON c.id = o.customer_id WHERE c.code = '$A'")
check_eq "a staff message by the administrator: 201" "201|email" \
  "$(post admin.jar x.json /api/v1/notifications '{"event":"planned_outage","to":"ops@example.vn","fields":{"customer_name":"Tổ vận hành","area":"Vụ Bản","start":"08:00","end":"11:00"}}' -H 'Idempotency-Key: n-s')|$(jf 'd["channel"]' < x.json)"
STAFF=$(jf 'd["id"]' < x.json)
ids() { jf '",".join(str(x["id"]) for x in d["items"])+"|"+str(d["next_offset"])'; }
check_eq "the unit's officer sees its customers' messages only" "200|$M1|None" "$(call l.json -b vb.officer.jar "$U/api/v1/notifications")|$(ids < l.json)"
check_eq "… with the message's content" "reminder|$R|queued|0" \
  "$(jf 'd["items"][0]["event"]+"|"+d["items"][0]["customer_code"]+"|"+d["items"][0]["status"]+"|"+str(d["items"][0]["attempts"])' < l.json)"
check_eq "the company sees both units' customers, not the staff message" "$MA,$M1|None" \
  "$(call l.json -b pa01.boss.jar "$U/api/v1/notifications" >/dev/null; ids < l.json)"
check_eq "the administrator sees the staff message too, newest first" "$STAFF,$MA,$M1|None" \
  "$(call l.json -b admin.jar "$U/api/v1/notifications" >/dev/null; ids < l.json)"
check_eq "… channel=email" "$STAFF|None" "$(call l.json -b admin.jar "$U/api/v1/notifications?channel=email" >/dev/null; ids < l.json)"
check_eq "… event=reminder&limit=1: a page" "$MA|1" "$(call l.json -b admin.jar "$U/api/v1/notifications?event=reminder&limit=1" >/dev/null; ids < l.json)"
check_eq "… customer=R" "$M1|None" "$(call l.json -b admin.jar "$U/api/v1/notifications?customer=$R" >/dev/null; ids < l.json)"
check_eq "… a status that does not exist: 400 naming status" "400|invalid|status" "$(call x.json -b admin.jar "$U/api/v1/notifications?status=lost")|$(err x.json)"
check_eq "the unit's officer asks for another customer: 403" "403" "$(call x.json -b vb.officer.jar "$U/api/v1/notifications?customer=$A")"
check_eq "… or the company's scope: 403" "403" "$(call x.json -b vb.officer.jar "$U/api/v1/notifications?scope=PA01")"
check_eq "a cashier: 403" "403" "$(call x.json -b vb.cashier.jar "$U/api/v1/notifications")"

pc notify deliver >/dev/null 2>&1
check_eq "a delivery with no SMS gateway: R's message is dead after its one attempt" "dead|1" \
  "$(call l.json -b vb.officer.jar "$U/api/v1/notifications?status=dead" >/dev/null; jf 'd["items"][0]["status"]+"|"+str(d["items"][0]["attempts"])' < l.json)"
check_eq "retry by another unit's officer: 404" "404" "$(post yy.officer.jar x.json /api/v1/notifications/$M1/retry '{}')"
check_eq "retry of the staff message by a company: 404" "404" "$(post pa01.boss.jar x.json /api/v1/notifications/$STAFF/retry '{}')"
check_eq "retry of a message that does not exist: 404" "404" "$(post vb.officer.jar x.json /api/v1/notifications/99999/retry '{}')"
check_eq "retry: 200, queued again with its attempts counted afresh" "200|queued|0|$M1" \
  "$(post vb.officer.jar x.json /api/v1/notifications/$M1/retry '{}')|$(jf 'd["status"]+"|"+str(d["attempts"])+"|"+str(d["id"])' < x.json)"
check_eq "… retry of a queued message: 409" "409" "$(post vb.officer.jar x.json /api/v1/notifications/$M1/retry '{}')"
check_eq "… audited" "vb.officer" "$(sql "SELECT actor FROM audit_log WHERE action = 'notify_retry'")"

check_eq "opt-out without a reason: 400 naming reason" "400|invalid|reason" "$(post vb.officer.jar x.json /api/v1/customers/$R/optout '{"channel":"sms"}')|$(err x.json)"
check_eq "opt-out of a channel that does not exist: 400 naming channel" "400|invalid|channel" \
  "$(post vb.officer.jar x.json /api/v1/customers/$R/optout '{"channel":"fax","reason":"x"}')|$(err x.json)"
check_eq "opt-out of another unit's customer: 403" "403" "$(post vb.officer.jar x.json /api/v1/customers/$A/optout '{"channel":"sms","reason":"x"}')"
check_eq "opt-out: 200" "200|True" "$(post vb.officer.jar x.json /api/v1/customers/$R/optout '{"channel":"sms","reason":"khách hàng yêu cầu"}')|$(jf 'str(d["opted_out"])' < x.json)"
check_eq "… a new message to R is recorded as skipped" "201|skipped|True" \
  "$(post vb.officer.jar x.json /api/v1/notifications "{\"event\":\"reminder\",\"customer_code\":\"$R\",\"fields\":{\"amount\":1000,\"due_date\":\"12/09/2025\"}}" -H 'Idempotency-Key: n-3')|$(jf 'd["status"]+"|"+str(d["skipped"])' < x.json)"
check_eq "opt-in: 200, the next message is queued" "200|False|201|queued" \
  "$(post vb.officer.jar x.json /api/v1/customers/$R/optin '{"channel":"sms"}')|$(jf 'str(d["opted_out"])' < x.json)|$(post vb.officer.jar y.json /api/v1/notifications "{\"event\":\"reminder\",\"customer_code\":\"$R\",\"fields\":{\"amount\":2000,\"due_date\":\"12/10/2025\"}}" -H 'Idempotency-Key: n-4')|$(jf 'd["status"]' < y.json)"

# ---- jobs ----
check_eq "a job run by a unit officer: 403" "403" "$(post vb.officer.jar x.json /api/v1/jobs/notify_collect/run '{}')"
check_eq "a job that does not exist: 404" "404" "$(post admin.jar x.json /api/v1/jobs/nope/run '{}')"
check_eq "the administrator runs notify_collect now: 200, its run done" "200|notify_collect|1|done|http:admin" \
  "$(post admin.jar j.json /api/v1/jobs/notify_collect/run '{}')|$(jf 'd["job"]+"|"+str(d["ran"])+"|"+d["run"]["status"]+"|"+d["run"]["runner"]' < j.json)"
check_eq "the history: the run, newest first, for the staff" "200|notify_collect|done|None" \
  "$(call h.json -b vb.cashier.jar "$U/api/v1/jobs/history?job=notify_collect")|$(jf 'd["items"][0]["job"]+"|"+d["items"][0]["status"]+"|"+str(d["next_offset"])' < h.json)"
check_eq "… a job that does not exist: 400 naming job" "400|invalid|job" "$(call x.json -b admin.jar "$U/api/v1/jobs/history?job=nope")|$(err x.json)"
check_eq "… the same as jobs history --json" "$(pc jobs history --json | jf 'd[0]["slot"]')" "$(jf 'd["items"][0]["slot"]' < h.json)"

# ---- partners never ----
pc partner add VCB --name "Vietcombank" --kind bank >/dev/null
k=$(pc partner key VCB); KID=$(echo "$k" | awk '/^key_id/ {print $2}'); KSEC=$(echo "$k" | awk '/^secret/ {print $2}')
psign() {
  python3 - "$@" "$(python3 -c 'import datetime; print(int(datetime.datetime.fromisoformat(open("clock").read().strip()).timestamp()))')" <<'PY'
import hashlib, hmac, sys
key_id, secret, method, path, ts = sys.argv[1:6]
canonical = "\n".join(["PCS-HMAC-SHA256", method, path, "", ts, hashlib.sha256(b"").hexdigest()])
print(f"PCS-HMAC-SHA256 KeyId={key_id}, Timestamp={ts}, Signature={hmac.new(bytes.fromhex(secret), canonical.encode(), hashlib.sha256).hexdigest()}")
PY
}
n=0
for path in /api/v1/cases /api/v1/customers/$R/case /api/v1/customers/$R/documents /api/v1/documents/$PDF /api/v1/notifications; do
  n=$((n + 1)); printf '2026-11-23T09:10:%02d+07:00\n' $n > clock
  check_eq "a partner's signed GET $path: 403, no data" "403|forbidden|absent" \
    "$(call x.json -H "Authorization: $(psign "$KID" "$KSEC" GET "$path")" "$U$path")|$(jf 'd["error"]["code"]' < x.json)|$(grep -q "$R" x.json && echo present || echo absent)"
done
echo 2026-11-23T09:20:00+07:00 > clock

check_contains "the request log names the routes and the users" "path=\"/api/v1/documents/$PDF\" status=200" "$(cat server.log)"
finish
