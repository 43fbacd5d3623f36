#!/usr/bin/env bash
# The billing run (DOMAIN 5–6): exact amounts, one invoice per reading period, flagged reads held
# back, meter replacements billed together, re-runs bill nothing twice, a killed run leaves whole
# invoices and gapless numbers, corrections by adjusting invoices, XML and PDF with barcodes.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; T=PA02010000105; A=PA01020000104
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null
pc read add $T --date 2025-06-01 --normal 0 --peak 0 --offpeak 0 >/dev/null
pc read add $T --date 2025-07-01 --normal 10000 --peak 3000 --offpeak 5000 >/dev/null
pc read add $A --date 2025-06-03 --total 500 >/dev/null
pc read add $A --date 2025-07-03 --total 1500 >/dev/null

out=$(pc bill run --period 2025-07 --issue-date 2025-07-05); rc=$?
check_eq "bill run succeeds" "0" "$rc"
check_contains "three invoices" "billed 2025-07: 3 invoices" "$out"
inv() { sql "SELECT $2 FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$1' AND i.kind = 'regular' ORDER BY i.id LIMIT 1"; }
# 100 kWh over 2025-06-02..07-01 under QĐ 1279, VAT 8% (DOMAIN 5.1): 201,700 + 16,136
check_eq "residential 100 kWh: DOMAIN's 217,836" "201700|16136|217836" "$(inv $R "energy || '|' || vat || '|' || total")"
check_eq "period and due date (issue + 7 days)" "2025-06-02|2025-07-01|2025-07-12" "$(inv $R "from_date || '|' || to_date || '|' || due_date")"
# production 22-110kV (QĐ 1279): 10,000×1833 + 3,000×3398 + 5,000×1190 = 34,474,000; VAT 2,757,920
check_eq "time-of-use production" "34474000|2757920|37231920" "$(inv $T "energy || '|' || vat || '|' || total")"
check_eq "three register lines" "normal:10000:1833 peak:3000:3398 offpeak:5000:1190" \
  "$(sql "SELECT $(agg)(item || ':' || kwh || ':' || price, ' ') FROM (SELECT l.item, l.kwh, l.price FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id JOIN customer c ON c.id = i.customer_id WHERE c.code = '$T' ORDER BY l.line_no) x")"
# school <6kV, one price 2072 (QĐ 1279), 1,000 kWh
check_eq "administrative one price" "2072000" "$(inv $A energy)"
check_eq "numbers per company series" "1K25TAA:1 1K25TAA:2 1K25TAB:1" "$(sql "SELECT $(agg)(symbol || ':' || number, ' ') FROM (SELECT symbol, number FROM invoice ORDER BY symbol, number) x")"

out=$(pc bill run --period 2025-07 --issue-date 2025-07-05)
check_contains "re-run bills nothing" "0 invoices" "$out"
check_eq "still three invoices" "3" "$(sql 'SELECT count(*) FROM invoice')"

# A flagged read waits; approved, it is billed by the next run.
pc read add $R --date 2025-08-01 --total 1100 >/dev/null     # zero consumption: flagged
out=$(pc bill run --period 2025-08 --issue-date 2025-08-05)
check_contains "flagged read not billed" "0 invoices" "$out"
pc read approve "$(sql 'SELECT max(id) FROM meter_read')" --reason "nhà đi vắng cả tháng" >/dev/null
out=$(pc bill run --period 2025-08 --issue-date 2025-08-05)
check_contains "approved zero read: nothing to invoice" "0 invoices" "$out"
check_contains "counted as a period with no consumption" "1 periods with no consumption" "$out"

# Meter replaced inside the period: both meters' kWh on one invoice.
pc meter replace $R --date 2025-08-15 --final-total 1180 --serial PA0000009999 --reason "công tơ hỏng" >/dev/null
pc read add $R --date 2025-09-01 --total 70 >/dev/null
pc bill run --period 2025-09 --issue-date 2025-09-05 >/dev/null
check_eq "old meter 80 + new meter 70 on one invoice" "150|2025-08-02|2025-09-01" "$(sql "SELECT kwh || '|' || from_date || '|' || to_date FROM invoice WHERE period = '2025-09'")"
check_eq "both reads linked" "2" "$(sql "SELECT count(*) FROM invoice_read ir JOIN invoice i ON i.id = ir.invoice_id WHERE i.period = '2025-09'")"
out=$(pc read correct "$(sql "SELECT max(id) FROM meter_read")" --total 75 --reason x 2>&1); rc=$?
check_eq "a billed read cannot be corrected" "2" "$rc"
check_contains "… it needs an adjusting invoice" "adjusting invoice" "$out"

# Corrections never edit: an adjusting invoice with the differences.
orig=$(sql "SELECT symbol || '/' || number FROM invoice WHERE period = '2025-09'")
out=$(pc invoice adjust "$orig" --kwh 160 --reason "đọc sai chỉ số công tơ mới" --issue-date 2025-09-20); rc=$?
check_eq "adjusting invoice issued" "0" "$rc"
# 150 kWh: 50×1984 + 50×2050 + 50×2380 = 320,700 (VAT 25,656); 160 kWh: + 10×2380 = 344,500 (VAT 27,560)
check_eq "differences" "adjusting|10|23800|1904|25704" "$(sql "SELECT kind || '|' || kwh || '|' || energy || '|' || vat || '|' || total FROM invoice WHERE refers_to IS NOT NULL")"
check_eq "refers to the original" "$orig" "$(sql "SELECT o.symbol || '/' || o.number FROM invoice a JOIN invoice o ON o.id = a.refers_to")"
check_eq "original unchanged" "150|346356" "$(sql "SELECT kwh || '|' || total FROM invoice WHERE period = '2025-09' AND kind = 'regular'")"
check_fails "invoices cannot be edited" sql_write "UPDATE invoice SET total = 1 WHERE id = 1"
check_fails "invoice lines cannot be deleted" sql_write "DELETE FROM invoice_line"
check_fails "a correction needs a reason" pc invoice adjust "$orig" --kwh 170
check_contains "show" "adjusting" "$(pc invoice show "$(sql "SELECT symbol || '/' || number FROM invoice WHERE kind = 'adjusting'")")"
check_contains "show --json" '"total": 217836' "$(pc invoice show 1K25TAA/1 --json)"
check_fails "unknown invoice" pc invoice show 1K25TAA/999

# E-invoice XML, well-formed, with the total in words.
cat > "$WORK/pc.ini" <<INI
[company PA01]
tax_code = 0600000001
address = Số 1 Trần Hưng Đạo, thành phố Nam Định
bank_bin = 970436
bank_account = 0011000000001
INI
export POWERCIS_CONFIG="$WORK/pc.ini"
check "xml written" pc invoice xml 1K25TAA/1 --out "$WORK/inv.xml"
check "xml well-formed (libxml2)" xmllint --noout "$WORK/inv.xml"
x() { xmllint --xpath "string($1)" "$WORK/inv.xml"; }
check_eq "TgTTTBSo" "217836" "$(x //TToan/TgTTTBSo)"
check_eq "TgTTTBChu" "Hai trăm mười bảy nghìn tám trăm ba mươi sáu đồng" "$(x //TToan/TgTTTBChu)"
check_eq "symbol split" "1|K25TAA|1" "$(x //TTChung/KHMSHDon)|$(x //TTChung/KHHDon)|$(x //TTChung/SHDon)"
check_eq "seller tax code" "0600000001" "$(x //NBan/MST)"
check_eq "buyer code" "$R" "$(x //NMua/MKHang)"
check_eq "two lines" "2" "$(xmllint --xpath 'count(//DSHHDVu/HHDVu)' "$WORK/inv.xml")"
adj=$(sql "SELECT symbol || '/' || number FROM invoice WHERE kind = 'adjusting'")
pc invoice xml "$adj" --out "$WORK/adj.xml"
check_eq "adjusting XML names the original" "2|$(echo "$orig" | cut -d/ -f2)" "$(xmllint --xpath 'string(//TTHDLQuan/TCHDon)' "$WORK/adj.xml")|$(xmllint --xpath 'string(//TTHDLQuan/SHDCLQuan)' "$WORK/adj.xml")"

# The printed invoice: the customer's barcode and a VietQR code whose payload passes its CRC.
check "pdf written" pc invoice pdf 1K25TAA/1 --out "$WORK/inv.pdf"
pdftoppm -r 200 -png "$WORK/inv.pdf" "$WORK/page" >/dev/null 2>&1
codes=$(zbarimg -q "$WORK"/page*.png 2>/dev/null)
check_contains "Code 128 decodes to the customer code" "CODE-128:$R" "$codes"
qr=$(printf '%s\n' "$codes" | sed -n 's/^QR-Code://p')
check_contains "QR holds the amount" "5406217836" "$qr"
check_contains "QR holds the NAPAS id" "A000000727" "$qr"
crc_ok=$(python3 - "$qr" <<'PY'
import sys
p = sys.argv[1]
crc = 0xFFFF
for ch in p[:-4].encode():
    crc ^= ch << 8
    for _ in range(8):
        crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
        crc &= 0xFFFF
print("yes" if f"{crc:04X}" == p[-4:] else "no")
PY
)
check_eq "QR payload passes its CRC-16/CCITT-FALSE" "yes" "$crc_ok"
unset POWERCIS_CONFIG

# A killed run leaves whole invoices and gapless numbers; the next run finishes the rest.
export POWERCIS_DB=$(newdb big)
pc demo --customers 1500 --seed 3 --until 2025-09 --months 3 --no-invoices >/dev/null
REF=$(copydb "$POWERCIS_DB" ref)
POWERCIS_CRASH_AFTER_INVOICES=700 pc bill run --period 2025-09 --issue-date 2025-10-02 --chunk 500 >/dev/null 2>&1; rc=$?
check_eq "run killed (SIGKILL)" "137" "$rc"
partial=$(sql 'SELECT count(*) FROM invoice')
if [ "$partial" -gt 0 ] && [ "$partial" -lt 700 ]; then ok "only whole chunks committed ($partial)"; else not_ok "only whole chunks committed" "$partial"; fi
check_eq "no orphan lines" "0" "$(sql 'SELECT count(*) FROM invoice_line l LEFT JOIN invoice i ON i.id = l.invoice_id WHERE i.id IS NULL')"
check "next run finishes" pc bill run --period 2025-09 --issue-date 2025-10-02
check_eq "numbers gapless per series" "0" "$(sql 'SELECT count(*) FROM (SELECT symbol, count(*) n, max(number) m, min(number) f FROM invoice GROUP BY symbol HAVING count(*) <> max(number) OR min(number) <> 1) x')"
check_eq "series counter = last number" "0" "$(sql 'SELECT count(*) FROM einvoice_series s WHERE last_number <> (SELECT max(number) FROM invoice i WHERE i.symbol = s.symbol)')"
check_eq "no read billed twice" "0" "$(sql 'SELECT count(*) FROM (SELECT read_id FROM invoice_read GROUP BY read_id HAVING count(*) > 1) x')"
POWERCIS_DB="$REF" pc bill run --period 2025-09 --issue-date 2025-10-02 >/dev/null
totals() { sql_on "$1" "SELECT count(*), sum(kwh), sum(energy), sum(vat), sum(total) FROM invoice"; }
check_eq "same totals as an uninterrupted run" "$(totals "$REF")" "$(totals "$POWERCIS_DB")"
n=$(sql "SELECT count(*) FROM (SELECT customer_id FROM invoice WHERE period = '2025-09' GROUP BY customer_id HAVING count(*) = 3) x")
[ "$n" -gt 0 ] && ok "phân kỳ customers get three invoices a month ($n)" || not_ok "phân kỳ customers get three invoices a month"
check "audit chain intact" pc audit verify
check_ledger "at the end"
finish
