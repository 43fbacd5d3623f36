#!/usr/bin/env bash
# Debt cases and documents (DOMAIN 9 and 10, docs/cases.md): one case per customer with status,
# owner, next action and notes, every change an event; list filters (scope, status, due by,
# owner, paging); documents typed by content (PDF, JPEG, PNG; a text file named .pdf is refused),
# size-limited, stored once per content under the document folder, read back verified against
# their SHA-256, removed with a reason; a lock refuses a document dated in the locked month for a
# customer inside its scope, and a removal while today's month is locked; bad input changes
# nothing; everything audited.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; B=PA01010000102; A=PA01020000104; H=PA02010000105

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
# the document store of this database (docs/cases.md: next to a SQLite file, var/documents else)
if [ "$ENGINE" = postgres ]; then STORE="$WORK/var/documents"; else STORE="$POWERCIS_DB.files"; fi
nfiles() { if [ -d "$STORE" ]; then find "$STORE" -type f | wc -l; else echo 0; fi; }

# ---- bad input changes nothing ----
before=$(fingerprint)
out=$(pc case open PA99990000001 2>&1); rc=$?
check_eq "case open: an unknown customer is refused (exit 2)" "2" "$rc"
check_contains "… naming it" "no customer PA99990000001" "$out"
out=$(pc case open $R --status closed 2>&1); rc=$?
check_eq "case open: an unknown status is refused (exit 2)" "2" "$rc"
check_contains "… naming the flag and the value" "--status 'closed'" "$out"
out=$(pc case open $R --next 2025-02-30 2>&1); rc=$?
check_eq "case open: an impossible next action date is refused (exit 2)" "2" "$rc"
check_contains "… naming the flag" "--next" "$out"
out=$(pc case open $R --next 01/09/2025 2>&1); rc=$?
check_eq "case open: a date in another shape is refused" "2" "$rc"
out=$(pc case open $R --status written-off 2>&1); rc=$?
check_eq "case open: written off without a note (the approval) is refused" "2" "$rc"
check_contains "… asking for the approval" "approval" "$out"
out=$(pc case update $R --status notified 2>&1); rc=$?
check_eq "case update: a customer without a case is refused" "2" "$rc"
check_contains "… telling how to open one" "powercis case open $R" "$out"
out=$(pc case list --status closed 2>&1); rc=$?
check_eq "case list: an unknown status is refused" "2" "$rc"
out=$(pc case list --due-by 2025-13-01 2>&1); rc=$?
check_eq "case list: a bad --due-by is refused" "2" "$rc"
out=$(pc case list --scope NOPE 2>&1); rc=$?
check_contains "case list: an unknown scope is refused" "NOPE" "$out"
check_fails "case show: unknown customer" pc case show PA99990000001
check_fails "case: unknown subcommand" pc case close $R
check_eq "… and nothing changed" "$before" "$(fingerprint)"

# ---- open, update, show, list ----
check "case opened for R with owner, next action and a note" \
  pc case open $R --owner lan.nt --next 2025-09-10 --note "nợ 3 kỳ, đã gọi điện"
out=$(pc case open $R 2>&1); rc=$?
check_eq "a second case for R is refused (exit 2)" "2" "$rc"
check_contains "… saying so" "has a debt case already" "$out"
check "case opened for A as notified" pc case open $A --status notified --next 2025-08-20 --owner hung.pv
check "case opened for H (another company), no owner" pc case open $H --next 2025-10-01
check "case opened for B, no next action" pc case open $B --owner lan.nt
out=$(pc case show $R --json)
check_eq "show R: status, owner, next action, unit" "monitoring|lan.nt|2025-09-10|PA0101" \
  "$(echo "$out" | jf 'd["status"]+"|"+d["owner"]+"|"+d["next_action"]+"|"+d["unit"]')"
check_eq "… one event with the note, by the user" "1|nợ 3 kỳ, đã gọi điện|tester" \
  "$(echo "$out" | jf 'str(len(d["events"]))+"|"+d["events"][0]["note"]+"|"+d["events"][0]["by"]')"

check "R notified" pc case update $R --status notified --note "thông báo lần 2"
check "R in court (in-court spelling), next action moved" pc case update $R --status in-court --next 2025-11-15 --note "khởi kiện tại TAND huyện Vụ Bản"
check "R: owner changed alone" pc case update $R --owner mai.tt
check "R: a note alone" pc case update $R --note "hoà giải không thành"
out=$(pc case update $R --owner mai.tt 2>&1); rc=$?
check_eq "an update that changes nothing is refused" "2" "$rc"
check_contains "… saying so" "nothing to update" "$out"
out=$(pc case update $R 2>&1); rc=$?
check_eq "an update with no flag is refused" "2" "$rc"
out=$(pc case show $R --json)
check_eq "status history kept, oldest first" "monitoring,notified,in_court,in_court,in_court" \
  "$(echo "$out" | jf '",".join(e["status"] for e in d["events"])')"
check_eq "… with the owner and next action of each step" "lan.nt 2025-09-10,lan.nt 2025-09-10,lan.nt 2025-11-15,mai.tt 2025-11-15,mai.tt 2025-11-15" \
  "$(echo "$out" | jf '",".join(e["owner"]+" "+e["next_action"] for e in d["events"])')"
check_eq "current state: in_court, mai.tt, 2025-11-15" "in_court|mai.tt|2025-11-15" \
  "$(echo "$out" | jf 'd["status"]+"|"+d["owner"]+"|"+d["next_action"]')"
check_eq "the database agrees: one case row, five events" "in_court|mai.tt|2025-11-15|5" \
  "$(sql "SELECT k.status || '|' || k.owner || '|' || k.next_action || '|' || (SELECT count(*) FROM debt_case_event v WHERE v.case_id = k.id) FROM debt_case k JOIN customer c ON c.id = k.customer_id WHERE c.code = '$R'")"
check "B: next action set, then cleared with an empty --next" pc case update $B --next 2025-09-01
check "…" pc case update $B --next ""
check_eq "… B has no next action" "None" "$(pc case show $B --json | jf 'd["next_action"]')"
out=$(pc case update $R --status written_off 2>&1); rc=$?
check_eq "writing off without the approval note is refused" "2" "$rc"

codes() { jf '",".join(c["customer_code"] for c in d)'; }
check_eq "list: by next action date, cases without one last" "$A,$H,$R,$B" "$(pc case list --json | codes)"
check_eq "list --scope PA01 (company subtree)" "$A,$R,$B" "$(pc case list --scope PA01 --json | codes)"
check_eq "list --scope PA0101 (unit)" "$R,$B" "$(pc case list --scope PA0101 --json | codes)"
check_eq "list --status in-court" "$R" "$(pc case list --status in-court --json | codes)"
check_eq "list --status monitoring" "$H,$B" "$(pc case list --status monitoring --json | codes)"
check_eq "list --due-by 2025-10-01 (next action on or before)" "$A,$H" "$(pc case list --due-by 2025-10-01 --json | codes)"
check_eq "list --owner lan.nt" "$B" "$(pc case list --owner lan.nt --json | codes)"
check_eq "list --limit 2 --offset 1" "$H,$R" "$(pc case list --limit 2 --offset 1 --json | codes)"
out=$(pc case list --limit 0 2>&1); rc=$?
check_eq "list --limit 0 is refused" "2" "$rc"
out=$(pc case list)
check_contains "list (text) shows the owner and the name" "mai.tt" "$out"

# ---- documents: types by content ----
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' > bien_ban.pdf
python3 - <<'EOF'
import struct, zlib
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) + \
      chunk(b'IDAT', zlib.compress(b'\x00\xff\x00\x00')) + chunk(b'IEND', b'')
open('scan.png', 'wb').write(png)
open('png_named.pdf', 'wb').write(png)
jpg = b'\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00' + b'\x00' * 64 + b'\xff\xd9'
open('photo.jpg', 'wb').write(jpg)
open('big.pdf', 'wb').write(b'%PDF-1.4\n' + b'0' * 300 + b'\n%%EOF\n')
EOF
echo "không phải PDF" > fake.pdf
: > empty.pdf

before=$(fingerprint)
out=$(pc doc add $R fake.pdf --kind minutes 2>&1); rc=$?
check_eq "a text file named .pdf is refused (exit 2)" "2" "$rc"
check_contains "… told by its content" "text/plain by its content" "$out"
out=$(pc doc add $R empty.pdf --kind minutes 2>&1); rc=$?
check_eq "an empty file is refused" "2" "$rc"
out=$(pc doc add $R bien_ban.pdf --kind letter 2>&1); rc=$?
check_eq "an unknown --kind is refused (exit 2)" "2" "$rc"
check_contains "… naming the flag" "--kind 'letter'" "$out"
out=$(pc doc add $R bien_ban.pdf 2>&1); rc=$?
check_eq "--kind is required" "2" "$rc"
cp bien_ban.pdf $'line\nbreak.pdf'
out=$(pc doc add $R $'line\nbreak.pdf' --kind minutes 2>&1); rc=$?
check_eq "a file name with a control character is refused (exit 2)" "2" "$rc"
check_contains "… saying why" "control characters" "$out"
out=$(pc case open $R --note $'\xff\xfe' 2>&1); rc=$?
check_eq "a note that is not UTF-8 is refused (exit 2)" "2" "$rc"
out=$(pc doc add $R missing.pdf --kind minutes 2>&1); rc=$?
check_eq "a missing file is refused" "2" "$rc"
out=$(pc doc add PA99990000001 bien_ban.pdf --kind minutes 2>&1); rc=$?
check_eq "an unknown customer is refused (exit 2)" "2" "$rc"
out=$(pc doc add $R bien_ban.pdf --kind minutes --date 2025-02-30 2>&1); rc=$?
check_eq "an impossible --date is refused" "2" "$rc"
check_contains "… naming the flag" "--date" "$out"
out=$(pc doc add $R bien_ban.pdf --kind minutes --date 2999-01-01 2>&1); rc=$?
check_eq "a --date in the future is refused" "2" "$rc"
printf '[documents]\nmax_bytes = 100\n' > small.ini
out=$(pc --config small.ini doc add $R big.pdf --kind minutes 2>&1); rc=$?
check_eq "a file over [documents] max_bytes is refused (exit 2)" "2" "$rc"
check_contains "… naming the limit" "the limit is 100 bytes" "$out"
printf '[documents]\nmax_bytes = 0\n' > bad.ini
out=$(pc --config bad.ini doc add $R bien_ban.pdf --kind minutes 2>&1); rc=$?
check_contains "max_bytes must be positive" "max_bytes = '0'" "$out"
printf '[debt]\nprovision_scheme = fancy\n' > bad2.ini
out=$(pc --config bad2.ini doc add $R bien_ban.pdf --kind minutes 2>&1); rc=$?
check_contains "[debt] provision_scheme is checked" "general or special" "$out"
check_eq "… nothing changed" "$before" "$(fingerprint)"
check_eq "… and no file stored" "0" "$(nfiles)"

out=$(pc doc add $R bien_ban.pdf --kind minutes --title "Biên bản làm việc 10/8" --date 2025-08-10 --json); rc=$?
check_eq "a PDF is added" "0" "$rc"
D1=$(echo "$out" | jf 'd["id"]')
check_eq "… as application/pdf, with its size and SHA-256" \
  "application/pdf|$(stat -c %s bien_ban.pdf)|$(sha256sum bien_ban.pdf | cut -d' ' -f1)|True" \
  "$(echo "$out" | jf 'd["media_type"]+"|"+str(d["size"])+"|"+d["sha256"]+"|"+str(d["stored_new"])')"
H1=$(sha256sum bien_ban.pdf | cut -d' ' -f1)
check "… stored at DIR/ab/<sha256>" test -f "$STORE/${H1:0:2}/$H1"
check "… with the same bytes" cmp bien_ban.pdf "$STORE/${H1:0:2}/$H1"
out=$(pc doc add $R scan.png --kind invoice --date 2025-08-11 --json)
check_eq "a PNG is added as image/png" "image/png" "$(echo "$out" | jf 'd["media_type"]')"
D2=$(echo "$out" | jf 'd["id"]')
out=$(pc doc add $R photo.jpg --kind record --date 2025-08-12 --json)
check_eq "a JPEG is added as image/jpeg" "image/jpeg" "$(echo "$out" | jf 'd["media_type"]')"
D3=$(echo "$out" | jf 'd["id"]')
out=$(pc doc add $A png_named.pdf --kind court --date 2025-08-12 --json)
check_eq "PNG bytes named .pdf are stored as image/png (the content decides)" "image/png|png_named.pdf|False" \
  "$(echo "$out" | jf 'd["media_type"]+"|"+d["file_name"]+"|"+str(d["stored_new"])')"
D4=$(echo "$out" | jf 'd["id"]')
check_eq "the same content (scan.png = png_named.pdf) is stored once: three files for four documents" "3" "$(nfiles)"
cp bien_ban.pdf "copy of minutes.pdf"
out=$(pc doc add $B "copy of minutes.pdf" --kind minutes --date 2025-08-13 --json)
check_eq "the same PDF again, for another customer: not stored again" "False|$H1" \
  "$(echo "$out" | jf 'str(d["stored_new"])+"|"+d["sha256"]')"
D5=$(echo "$out" | jf 'd["id"]')
check_eq "… still three files" "3" "$(nfiles)"
check_eq "the title defaults to the file name" "copy of minutes.pdf" "$(pc doc list $B --json | jf 'd[0]["title"]')"
check_eq "the database keeps a row per attachment" "5" "$(sql "SELECT count(*) FROM document")"

# ---- list, get ----
check_eq "doc list R: by date" "$D1 minutes application/pdf,$D2 invoice image/png,$D3 record image/jpeg" \
  "$(pc doc list $R --json | jf '",".join(str(x["id"])+" "+x["kind"]+" "+x["media_type"] for x in d)')"
check_contains "doc list (text) shows the title" "Biên bản làm việc 10/8" "$(pc doc list $R)"
check "doc get --out writes the same bytes (PDF)" pc doc get "$D1" --out got.pdf
check "… identical" cmp bien_ban.pdf got.pdf
pc doc get "$D3" > got.jpg
check "doc get to standard output (JPEG): identical" cmp photo.jpg got.jpg
pc doc get "$D4" --out got.png 2>/dev/null
check "doc get of the PNG named .pdf: identical" cmp png_named.pdf got.png
out=$(pc doc get 9999 --out x 2>&1); rc=$?
check_eq "doc get: unknown id (exit 2)" "2" "$rc"
check_eq "case show counts the documents" "3" "$(pc case show $R --json | jf 'len(d["documents"])')"
check_eq "case list counts the documents" "3" "$(pc case list --scope PA0101 --json | jf '[c["documents"] for c in d if c["customer_code"]=="'$R'"][0]')"

# ---- a damaged stored file is noticed ----
H2=$(sha256sum photo.jpg | cut -d' ' -f1)
cp "$STORE/${H2:0:2}/$H2" saved.jpg
printf '\xff\xd8\xff\xe0 altered' > "$STORE/${H2:0:2}/$H2"
out=$(pc doc get "$D3" --out bad.jpg 2>&1); rc=$?
check_eq "doc get of an altered file fails" "1" "$rc"
check_contains "… saying it does not match its SHA-256" "does not match its SHA-256" "$out"
rm "$STORE/${H2:0:2}/$H2"
out=$(pc doc get "$D3" 2>&1 >/dev/null); rc=$?
check_contains "doc get of a missing file fails, saying so" "missing or unreadable" "$out"
cp saved.jpg "$STORE/${H2:0:2}/$H2"
check "… restored, it reads again" pc doc get "$D3" --out again.jpg

# ---- remove ----
out=$(pc doc remove "$D2" 2>&1); rc=$?
check_eq "doc remove needs a reason" "2" "$rc"
check "doc remove with a reason" pc doc remove "$D2" --reason "nhầm khách hàng"
out=$(pc doc remove "$D2" --reason again 2>&1); rc=$?
check_eq "removing it again is refused (exit 2)" "2" "$rc"
check_contains "… saying so" "removed already" "$out"
check_eq "a removed document is hidden from the list" "$D1,$D3" "$(pc doc list $R --json | jf '",".join(str(x["id"]) for x in d)')"
check_eq "… shown with --all, with its reason" "$D1 False,$D2 True nhầm khách hàng,$D3 False" \
  "$(pc doc list $R --all --json | jf '",".join(str(x["id"])+" "+str(x["removed"])+(" "+x["removal_reason"] if x["removed"] else "") for x in d)')"
check "… the bytes stay" test -f "$STORE/$(sha256sum scan.png | cut -c1-2)/$(sha256sum scan.png | cut -d' ' -f1)"
check_eq "the case counts documents not removed" "2" "$(pc case list --scope PA0101 --json | jf '[c["documents"] for c in d if c["customer_code"]=="'$R'"][0]')"

# ---- locks (DOMAIN 10) ----
org_id() { sql "SELECT id FROM org_node WHERE code = '$1'"; }
check "a lock of 2025-08 for PA01" pc lock --scope PA01 --period 2025-08
n_before=$(nfiles)
before=$(fingerprint)
cp photo.jpg photo2.jpg; printf 'x' >> photo2.jpg
out=$(pc doc add $R photo2.jpg --kind record --date 2025-08-20 2>&1); rc=$?
check_eq "a document dated in the locked month, customer inside the scope: refused (exit 2)" "2" "$rc"
check_contains "… with an error naming the lock" "period 2025-08 of PA01 is locked" "$out"
out=$(pc doc add $A photo2.jpg --kind record --date 2025-08-01 2>&1); rc=$?
check_contains "… also for a customer of another unit below PA01" "locked" "$out"
check_eq "… nothing changed" "$before" "$(fingerprint)"
check_eq "… and no file was stored" "$n_before" "$(nfiles)"
check "the same document dated in September is accepted" pc doc add $R photo2.jpg --kind record --date 2025-09-02
check "a customer outside the scope (PA02) in August is accepted" pc doc add $H photo2.jpg --kind record --date 2025-08-20
THIS_MONTH=$(date -u -d '+7 hours' +%Y-%m)
lock_now=$(sql "SELECT count(*) FROM report_lock")
check "a lock of this month for PA0101" \
  sql_write "INSERT INTO report_lock (org_id, period, locked_at, locked_by, locked_as) VALUES ($(org_id PA0101), '$THIS_MONTH', '2025-09-05T02:00:00Z', 'chief', $(org_id PA0101))"
before=$(fingerprint)
out=$(pc doc remove "$D1" --reason "bản trùng" 2>&1); rc=$?
check_eq "a removal (dated today) while this month is locked: refused (exit 2)" "2" "$rc"
check_contains "… naming the lock" "period $THIS_MONTH of PA0101 is locked" "$out"
check_eq "… nothing changed" "$before" "$(fingerprint)"
check "unlocked (written directly)" \
  sql_write "INSERT INTO report_unlock (lock_id, unlocked_at, unlocked_by, unlocked_as, reason) VALUES ((SELECT max(id) FROM report_lock), '2025-09-06T02:00:00Z', 'boss', $(org_id PA01), 'sửa chứng từ')"
check "… then the removal goes through" pc doc remove "$D1" --reason "bản trùng"

# ---- the document folder ----
mkdir -p elsewhere
printf '[documents]\ndir = %s/elsewhere/docs\n' "$WORK" > dir.ini
out=$(pc --config dir.ini doc add $B photo.jpg --kind record --date 2025-09-03 --json)
check_eq "[documents] dir names the folder" "True" "$(echo "$out" | jf 'str(d["stored_new"])')"
check "… the file is there" test -f "$WORK/elsewhere/docs/${H2:0:2}/$H2"
out=$(POWERCIS_DATA_DIR="$WORK/data" pc --config dir.ini doc add $B scan.png --kind record --date 2025-09-03 --json)
H3=$(sha256sum scan.png | cut -d' ' -f1)
check "POWERCIS_DATA_DIR overrides it: DATA_DIR/documents/ab/<sha256>" test -f "$WORK/data/documents/${H3:0:2}/$H3"

# ---- audit ----
check_eq "audit: case opens, updates, document adds and removals" "4|6|9|2" \
  "$(sql "SELECT count(*) FROM audit_log WHERE action = 'case.open'")|$(sql "SELECT count(*) FROM audit_log WHERE action = 'case.update'")|$(sql "SELECT count(*) FROM audit_log WHERE action = 'document.add'")|$(sql "SELECT count(*) FROM audit_log WHERE action = 'document.remove'")"
check "the audit chain verifies" pc audit verify
check_fails "case events are append-only" sql_write "UPDATE debt_case_event SET status = 'collected'"
check_fails "documents are append-only" sql_write "DELETE FROM document"
finish
