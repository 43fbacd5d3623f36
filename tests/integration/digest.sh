#!/usr/bin/env bash
# The managers' daily digest (issue 7, DOMAIN 13): staff accounts with a scope; the digest of an
# account sums only its subtree — money collected the day before and in the month against the
# amount falling due, the debt by bucket and its movement during the day, read anomalies
# waiting, phân kỳ exceptions — in Vietnamese or English, with a chart; bad requests refused.
. "$(dirname "$0")/lib.sh"

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; A=PA01020000104; T=PA02010000105
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null   # 100 kWh: 217,836 đ
pc read add $A --date 2025-06-03 --total 500 >/dev/null
pc read add $A --date 2025-07-03 --total 1500 >/dev/null   # 2,237,760 đ
pc read add $T --date 2025-06-01 --normal 0 --peak 0 --offpeak 0 >/dev/null
pc read add $T --date 2025-07-01 --normal 10000 --peak 3000 --offpeak 5000 >/dev/null
# a factory in PA0201 using 60,000 kWh a month on one reading period: phân kỳ wants 2
F=PA02010000901
pc customer add $F --name "Nhà máy Gạch Hưng Hà" --address "Xã Tân Lễ, huyện Hưng Hà" --purpose production \
  --voltage "6-22kV" --meter PA0000000901 --valid-from 2024-01-01 >/dev/null
pc read add $F --date 2025-06-02 --total 100000 >/dev/null
pc read add $F --date 2025-07-02 --total 160000 >/dev/null
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
# T's meter stands still: zero consumption on an active meter waits in the anomaly queue
pc read add $T --date 2025-07-18 --normal 10000 --peak 3000 --offpeak 5000 >/dev/null 2>&1
check_eq "set-up: the invoices fall due in July" "4" "$(sql "SELECT count(*) FROM invoice WHERE due_date BETWEEN '2025-07-01' AND '2025-07-31'")"
check_eq "set-up: one read waits in the queue" "1" "$(sql "SELECT count(*) FROM meter_read WHERE status = 'flagged'")"

shift=$(pc shift open --cashier "Trần Thị Lan" --unit PA0101 --float 0 --json | jf 'd["shift_id"]')
pc partner add ECPAY --name ECPay --kind collector >/dev/null
pc pay post $A --partner ECPAY --ref EC-A1 --amount 1000000 --paid-at "2025-07-15 10:00" >/dev/null
pc pay post $R --shift $shift --amount 217836 --ref CT-R1 --paid-at "2025-07-20 09:00" >/dev/null
pc pay post $T --partner ECPAY --ref EC-T1 --amount 500000 --paid-at "2025-07-20 16:00" >/dev/null
pc pay post $T --partner ECPAY --ref EC-T2 --amount 1000 --paid-at "2025-07-21 08:00" >/dev/null   # after the day

# ---- accounts ----
check "a company manager with the digest" pc user add gd.pa01 --name "Trần Thị Bình" --role company --scope PA01 \
  --email gd.pa01@pc.vn --digest
check "a corporation manager, in English" pc user add tgd --name "Lê Minh" --role corporation --scope PA --lang en \
  --email tgd@evnnpc.vn --chat-url http://127.0.0.1:9/hook --digest
check "a cashier without the digest" pc user add thungan --name "Phạm Thu" --role cashier --scope PA0101
out=$(pc user list --digest --json)
check_eq "user list --digest: the two managers" "gd.pa01 tgd" "$(echo "$out" | jf '" ".join(u["login"] for u in d)')"
out=$(pc user list --scope PA02 --json)
check_eq "user list --scope PA02: nobody works there" "0" "$(echo "$out" | jf 'len(d)')"
refused() {
  local name=$1 needle=$2; shift 2
  local before out rc; before=$(fingerprint)
  out=$("$@" 2>&1); rc=$?
  check_eq "$name: exit 2" "2" "$rc"
  check_contains "$name: message" "$needle" "$out"
  check_eq "$name: nothing changed" "$before" "$(fingerprint)"
}
refused "an unknown role" "role 'boss'" pc user add x --name X --role boss --scope PA01
refused "an unknown scope" "PA09" pc user add x --name X --role company --scope PA09
refused "a login taken" "already exists" pc user add tgd --name X --role company --scope PA01
refused "a bad e-mail" "email 'tgd@'" pc user update tgd --email "tgd@"
refused "a bad chat address" "chat-url" pc user update tgd --chat-url "ftp://x"
refused "a bad login" "login 'a b'" pc user add "a b" --name X --role company --scope PA01
refused "disable without a reason" "--reason" pc user disable thungan
check "disable with a reason" pc user disable thungan --reason "nghỉ việc"
check_eq "the account changes are audited" "user.add user.add user.add user.disable" \
  "$(sql "SELECT $(agg)(action, ' ') FROM (SELECT action FROM audit_log WHERE entity = 'app_user' ORDER BY id) x")"

# ---- the digest of 2025-07-21: figures to the end of 2025-07-20 ----
out=$(pc digest preview --user gd.pa01 --date 2025-07-21 --chart chart.png)
check_contains "vi: title with the scope" "Bản tin điều hành ngày 21/07/2025 — Công ty Điện lực Nam Định (PA01)" "$out"
check_contains "vi: closing day" "Số liệu đến hết ngày 20/07/2025." "$out"
check_contains "vi: yesterday's collection in PA01 only (R's 217,836; not T's 500,000)" \
  "2. Thu tiền ngày 20/07/2025: 217.836 đ (1 giao dịch)." "$out"
# month to date 1,000,000 + 217,836 against R's 217,836 + A's 2,237,760 falling due: 49.59…%
check_contains "vi: month to date against the amount falling due" \
  "Lũy kế tháng 07/2025: 1.217.836 đ / kế hoạch 2.455.596 đ (49,6%)." "$out"
check_contains "vi: debt under 3 months and its movement (R paid)" "Quá hạn dưới 3 tháng: 1.237.760 đ (−217.836 đ)" "$out"
check_contains "vi: total debt" "Tổng dư nợ: 1.237.760 đ (−217.836 đ)" "$out"
check_contains "vi: no phân kỳ exception inside PA01" "1. Phân kỳ ghi chỉ số: không có khách hàng lệch" "$out"
check_contains "vi: no anomaly inside PA01" "4. Chỉ số bất thường chờ xử lý: không có." "$out"
out=$(pc digest preview --user tgd --date 2025-07-21)
check_contains "en: title" "Daily digest of 2025-07-21 — Tổng công ty Điện lực miền Bắc (PA)" "$out"
check_contains "en: the corporation's collection includes T" "2. Collected on 2025-07-20: 717.836 đ (2 payments)." "$out"
plan=$(sql "SELECT sum(total) FROM invoice WHERE due_date BETWEEN '2025-07-01' AND '2025-07-31'")
planf=$(python3 -c "print(format($plan, ',').replace(',', '.'))")
pct=$(python3 -c "print('%.1f' % round(1717836 * 100 / $plan, 1))")
check_contains "en: month to date against the corporation's plan" \
  "Month to date 2025-07: 1.717.836 đ / plan $planf đ ($pct%)." "$out"
check_contains "en: the phân kỳ exception in PA02" \
  "1. Reading periods (phân kỳ): 1 customers mismatched (1 need more periods, 0 have more than needed)" "$out"
check_contains "en: … by unit" "   - PA0201 Điện lực Hưng Hà: 1 mismatched (1 more, 0 fewer)" "$out"
check_contains "en: … and by name" "PA02010000901 Nhà máy Gạch Hưng Hà, 60.000 kWh/month: needs 2 periods, has 1" "$out"
check_contains "en: the anomaly in PA02, with its day" "4. Read anomalies waiting: 1 (oldest read on 2025-07-18)." "$out"
# the day before: nothing paid on the 19th, so no movement
out=$(pc digest preview --user gd.pa01 --date 2025-07-20)
check_contains "the 19th: nothing collected" "2. Thu tiền ngày 19/07/2025: 0 đ (0 giao dịch)." "$out"
check_contains "the 19th: debt unchanged" "Tổng dư nợ: 1.455.596 đ (±0 đ)" "$out"
# the chart: a PNG of 720 × 380
dims=$(python3 -c 'import struct,sys; b=open("chart.png","rb").read(); print(b[:8]==b"\x89PNG\r\n\x1a\n", *struct.unpack(">II", b[16:24]))')
check_eq "the chart is a 720 × 380 PNG" "True 720 380" "$dims"
refused "preview of an unknown user" "user 'nobody'" pc digest preview --user nobody
refused "preview of a bad date" "2025-02-30" pc digest preview --user tgd --date 2025-02-30
refused "preview without a user" "--user" pc digest preview

finish
