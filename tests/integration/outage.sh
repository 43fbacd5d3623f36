#!/usr/bin/env bash
# Outages and reliability indices (DOMAIN 12, docs/outages.md): add / list / close through the
# CLI, bad flags leave the database unchanged, the DOMAIN 12 check reproduced end to end (by count
# and by route), the 5-minute line, ongoing outages, planned outages notified once through the
# outbox, cancelling an outage recorded by mistake, and the append-only guards.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree

# 1,000 customers under PA01: PA0101 routes A (200, every other one with a phone), B (300),
# C (50), D (50); PA0102 routes E (100) and F (300); and 5 in PA0201 on route A (another company).
python3 - "$WORK/cust.csv" <<'PY'
import sys
rows = ["unit,customer_code,name,address,purpose,voltage,households,phone,renter,persons,tou,route,meter,valid_from"]
n = 1
def add(unit, route, phone):
    global n
    rows.append(f"{unit},{unit}{n:07d},Khách hàng {n},Xóm {n},residential,,1,{phone},0,,0,{route},,2024-01-01")
    n += 1
for route, count in (("A", 200), ("B", 300), ("C", 50), ("D", 50)):
    for k in range(count):
        add("PA0101", route, f"09{n:08d}" if route == "A" and k % 2 == 0 else "")
for route, count in (("E", 100), ("F", 300)):
    for k in range(count):
        add("PA0102", route, "")
for k in range(5):
    add("PA0201", "A", "")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
check "1,005 customers imported" pc customer import "$WORK/cust.csv"
check_eq "1,000 active customers under PA01" "1000" "$(sql "SELECT count(*) FROM customer c JOIN org_node u ON u.id = c.unit_id WHERE u.path LIKE '/PA/PA01/%'")"

# field NAME JSON: a field of a JSON object on stdin (first row matching scope when given)
row() { python3 -c "
import json, sys
d = json.load(sys.stdin)
r = [x for x in d['rows'] if x['scope'] == sys.argv[1]][0]
print('|'.join(str(r[k]) if not isinstance(r[k], float) else format(r[k], '.3f') for k in sys.argv[2:]))" "$@"; }
raw_row() { grep -o "{\"scope\":\"$1\"[^}]*}"; }

# ---- the DOMAIN 12 check, by count: served 1,000; 200 × 90 min, 50 × 5, 300 × 30, 100 × 2 ----
check "200 customers × 90 min" pc outage add --scope PA01 --start "2026-10-05 08:00" --end "2026-10-05 09:30" --customers 200
check "50 customers × 5 min" pc outage add --scope PA01 --start "2026-10-06 08:00" --end "2026-10-06 08:05" --customers 50
check "300 customers × 30 min" pc outage add --scope PA01 --start "2026-10-07 23:50" --end "2026-10-08 00:20" --customers 300
check "100 customers × 2 min" pc outage add --scope PA01 --start "2026-10-08 08:00" --end "2026-10-08 08:02" --customers 100
out=$(pc report reliability --month 2026-10 --scope PA01 --format json); rc=$?
check_eq "report reliability runs" "0" "$rc"
check_eq "DOMAIN 12 check: served 1000, SAIFI 0.50, SAIDI 27.0, CAIDI 54.0, MAIFI 0.15" "1000|0.500|27.000|54.000|0.150" \
  "$(echo "$out" | row PA01 customers_served saifi saidi caidi maifi)"
check_contains "indices printed with 3 decimals" '"customers_served":1000,"saifi":0.500,"saidi":27.000,"caidi":54.000,"maifi":0.150' "$(echo "$out" | raw_row PA01)"
check_eq "the sums behind them" "2|2|500|27000|150" \
  "$(echo "$out" | row PA01 sustained_outages momentary_outages customers_interrupted customer_minutes momentary_customers)"
check_eq "one row for the scope and one per unit, in code order" "PA01 PA0101 PA0102" \
  "$(echo "$out" | python3 -c 'import json,sys; print(" ".join(r["scope"] for r in json.load(sys.stdin)["rows"]))')"
check_eq "a count given at a company is not spread over its units" "600|0.000|0.000" "$(echo "$out" | row PA0101 customers_served saifi maifi)"
check_eq "a unit's customers served" "400" "$(echo "$out" | row PA0102 customers_served)"
out=$(pc report reliability --month 2026-10 --format json)
check_eq "no --scope: the root and every unit" "PA PA0101 PA0102 PA0201" \
  "$(echo "$out" | python3 -c 'import json,sys; print(" ".join(r["scope"] for r in json.load(sys.stdin)["rows"]))')"
check_eq "the root serves all 1,005 (SAIFI 500/1005)" "1005|0.498" "$(echo "$out" | row PA customers_served saifi)"
out=$(pc report reliability --month 2026-09 --scope PA01)
check_eq "a month without outages: zeros" "0.000|0.000|0.000|0.000" "$(echo "$out" | row PA01 saifi saidi caidi maifi)"

# ---- the same check by route, attributed to the customers' units ----
check "route A (200) × 90 min" pc outage add --scope PA01 --start "2026-11-05 08:00" --end "2026-11-05 09:30" --route A
check "route C (50) × exactly 5 min" pc outage add --scope PA0101 --start "2026-11-06 08:00" --end "2026-11-06 08:05" --route C
check "route B (300) × 30 min" pc outage add --scope PA01 --start "2026-11-07 08:00" --end "2026-11-07 08:30" --route B
check "route E (100) × 2 min" pc outage add --scope PA0102 --start "2026-11-08 08:00" --end "2026-11-08 08:02" --route E
check_eq "route A under PA01 is 200 customers (not PA0201's 5)" "200|route|A" \
  "$(sql "SELECT customers, affected_by, selector FROM outage WHERE start_at = '2026-11-05 08:00'")"
check_eq "route outages record their customers" "650" "$(sql "SELECT count(*) FROM outage_customer oc JOIN outage o ON o.id = oc.outage_id WHERE o.month = 202611")"
out=$(pc report reliability --month 2026-11 --scope PA01)
check_eq "by route: PA01 SAIFI 0.50, SAIDI 27.0, CAIDI 54.0, MAIFI 0.15" "1000|0.500|27.000|54.000|0.150" \
  "$(echo "$out" | row PA01 customers_served saifi saidi caidi maifi)"
check_eq "PA0101 (600): SAIFI 500/600, SAIDI 27000/600, MAIFI 50/600" "600|0.833|45.000|54.000|0.083" \
  "$(echo "$out" | row PA0101 customers_served saifi saidi caidi maifi)"
check_eq "PA0102 (400): only momentary, CAIDI 0 without sustained" "0.000|0.000|0.000|0.250" \
  "$(echo "$out" | row PA0102 saifi saidi caidi maifi)"
csv=$(pc report reliability --month 2026-11 --scope PA0101 --format csv)
check_eq "csv: header and the unit scope alone" '"scope","name","level","customers_served","saifi","saidi","caidi","maifi","sustained_outages","momentary_outages","customers_interrupted","customer_minutes","momentary_customers"
"PA0101","Điện lực Vụ Bản","unit","600","0.833","45.000","54.000","0.083","2","1","500","27000","50"' "$csv"

# ---- the 5-minute line: 08:00-08:05 momentary, 08:00-08:06 sustained ----
check "exactly 5 minutes" pc outage add --scope PA0102 --start "2026-12-01 08:00" --end "2026-12-01 08:05" --customers 40
check "5 minutes and 1" pc outage add --scope PA0102 --start "2026-12-02 08:00" --end "2026-12-02 08:06" --customers 10
out=$(pc report reliability --month 2026-12 --scope PA0102)
check_eq "5 min counts in MAIFI only, 6 min in SAIFI/SAIDI/CAIDI" "1|1|0.025|0.150|6.000|0.100" \
  "$(echo "$out" | row PA0102 sustained_outages momentary_outages saifi saidi caidi maifi)"
check_eq "list shows the kind" "momentary sustained" \
  "$(pc outage list --scope PA0102 --month 2026-12 --json | python3 -c 'import json,sys; print(" ".join(o["kind"] for o in reversed(json.load(sys.stdin))))')"

# ---- an outage crossing months counts in the month it started, whole ----
check "an outage from 31 Dec to 1 Jan" pc outage add --scope PA0201 --start "2026-12-31 23:00" --end "2027-01-01 01:00" --customers 5
check_eq "December: 120 minutes × 5 customers / 5 served" "1.000|120.000" "$(pc report reliability --month 2026-12 --scope PA0201 | row PA0201 saifi saidi)"
check_eq "January: nothing" "0.000|0.000" "$(pc report reliability --month 2027-01 --scope PA0201 | row PA0201 saifi saidi)"

bad() { # bad NAME EXPECTED-TEXT ARGS…
  local name=$1 want=$2; shift 2
  local out rc
  out=$(pc "$@" 2>&1); rc=$?
  if [ "$rc" -ne 0 ] && [[ "$out" == *"$want"* ]]; then ok "$name"; else not_ok "$name" "rc=$rc" "$out"; fi
}
# ---- transformers: loaded from a file, all or nothing; an outage by transformer ----
{ echo "customer_code,transformer"; for i in $(seq 1 10); do printf 'PA0101%07d,TBA-VB-07\n' "$i"; done; echo "PA01020000701,TBA-VB-07"; } > "$WORK/tba.csv"
check_contains "transformers loaded" "transformers set for 11 customers" "$(pc outage transformers "$WORK/tba.csv" 2>&1)"
check_eq "11 customers on TBA-VB-07" "11" "$(sql "SELECT count(*) FROM customer WHERE transformer = 'TBA-VB-07'")"
fp=$(fingerprint)
printf 'customer_code,transformer\nPA01010000011,TBA-X\nPA01019999999,TBA-X\n' > "$WORK/tba_bad.csv"
out=$(pc outage transformers "$WORK/tba_bad.csv" 2>&1); rc=$?
check_eq "a file with an unknown customer is refused, naming the line" "2|1" "$rc|$(echo "$out" | grep -c "tba_bad.csv line 3: no customer 'PA01019999999'")"
printf 'customer,transformer\nPA01010000011,TBA-X\n' > "$WORK/tba_head.csv"
check_contains "a file without the customer_code column is refused" "the header needs customer_code and transformer" "$(pc outage transformers "$WORK/tba_head.csv" 2>&1)"
check_eq "refused files changed nothing" "$fp" "$(fingerprint)"
check "outage on transformer TBA-VB-07" pc outage add --scope PA01 --start "2027-04-02 10:00" --end "2027-04-02 11:00" --transformer TBA-VB-07
out=$(pc report reliability --month 2027-04 --scope PA01)
check_eq "by transformer: 11/1000, 10/600 and 1/400 (half a thousandth up)" "0.011|0.017|0.003" \
  "$(echo "$(echo "$out" | row PA01 saifi)|$(echo "$out" | row PA0101 saifi)|$(echo "$out" | row PA0102 saifi)")"
bad "a transformer nobody is on" "no active customer on transformer TBA-NONE under PA01" outage add --scope PA01 --start "2027-04-03 10:00" --end "2027-04-03 11:00" --transformer TBA-NONE

# ---- bad input: clear errors, nothing changes ----
before=$(fingerprint)
printf 'customer_code\nPA01010000001\nPA01010009999\n' > "$WORK/unknown.txt"
printf 'PA01010000001\n\n# a comment\nPA01010000001\n' > "$WORK/twice.txt"
printf 'PA01010000001\nPA02010001001\n' > "$WORK/outside.txt"
printf '# nobody\n\n' > "$WORK/empty.txt"
bad "no --scope" "--scope CODE is required" outage add --start "2026-12-05 08:00" --end "2026-12-05 09:00" --customers 1
bad "no --start" "--start" outage add --scope PA01 --end "2026-12-05 09:00" --customers 1
bad "a start that is not a time" "start: '2026-12-05 8:00' is not a time" outage add --scope PA01 --start "2026-12-05 8:00" --end "2026-12-05 09:00" --customers 1
bad "a day that does not exist" "not a real day" outage add --scope PA01 --start "2026-02-30 08:00" --end "2026-03-01 09:00" --customers 1
bad "25 o'clock" "not a time of day" outage add --scope PA01 --start "2026-12-05 25:00" --end "2026-12-05 26:00" --customers 1
bad "end before start" "is not after start" outage add --scope PA01 --start "2026-12-05 09:00" --end "2026-12-05 08:00" --customers 1
bad "end equal to start" "is not after start" outage add --scope PA01 --start "2026-12-05 09:00" --end "2026-12-05 09:00" --customers 1
bad "no affected set" "exactly one of --customers" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00"
bad "two affected sets" "exactly one of --customers" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --customers 3 --route A
bad "--customers 0" "--customers" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --customers 0
bad "--customers not a number" "--customers" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --customers 12x
bad "more customers than served" "1001 is more than the 1000 active customers under PA01" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --customers 1001
bad "unknown scope" "no org node PX99" outage add --scope PX99 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --customers 1
bad "a route with nobody under the scope" "no active customer on route F under PA0101" outage add --scope PA0101 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --route F
bad "a list with an unknown customer names its line" "unknown.txt line 3: no customer 'PA01010009999'" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --list "$WORK/unknown.txt"
bad "a customer listed twice" "twice.txt line 4: customer PA01010000001 is listed twice" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --list "$WORK/twice.txt"
bad "a customer outside the scope" "outside.txt line 2: customer PA02010001001 is not under scope PA01" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --list "$WORK/outside.txt"
bad "an empty list" "names no customer" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --list "$WORK/empty.txt"
bad "a missing list file" "cannot read" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --list "$WORK/nope.txt"
bad "a planned outage without its end" "planned outage needs its planned end" outage add --scope PA01 --start "2026-12-05 08:00" --customers 1 --planned
bad "an unknown flag" "--bogus" outage add --scope PA01 --start "2026-12-05 08:00" --end "2026-12-05 09:00" --customers 1 --bogus
bad "close: not an id" "is not an outage id" outage close x1 --end "2026-12-05 09:00"
bad "close: no such outage" "no outage 999" outage close 999 --end "2026-12-05 09:00"
bad "close: no --end" "--end" outage close 1
bad "close: a closed outage" "outage 1 is closed already" outage close 1 --end "2026-10-05 10:00"
bad "report: no --month" "--month YYYY-MM is required" report reliability
bad "report: a bad month" "--month" report reliability --month 2026-13
bad "report: a bad format" "--format 'xml'" report reliability --month 2026-10 --format xml
bad "report: unknown scope" "PX99" report reliability --month 2026-10 --scope PX99
bad "list: a bad month" "--month" outage list --month 202610
check_eq "bad input changed nothing" "$before" "$(fingerprint)"

# ---- a list file, an ongoing outage, closing it once ----
printf 'customer_code\n# the feeder of hamlet 3\nPA01010000201\r\n\nPA01010000202\nPA01020000701,ignored column\n' > "$WORK/list.txt"
out=$(pc outage add --scope PA01 --start "2027-02-03 14:00" --list "$WORK/list.txt" --cause "cây đổ" --json); rc=$?
check_eq "ongoing outage with a list added" "0" "$rc"
id=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check_eq "3 listed customers recorded" "3|list|3" "$(sql "SELECT customers, affected_by, (SELECT count(*) FROM outage_customer WHERE outage_id = $id) FROM outage WHERE id = $id")"
check_eq "ongoing: no end, no minutes" "ongoing|None" "$(echo "$out" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["kind"] + "|" + str(o["end"]))')"
check_eq "outage list --open shows it" "$id" "$(pc outage list --open --json | python3 -c 'import json,sys; print(" ".join(str(o["id"]) for o in json.load(sys.stdin)))')"
check_eq "an ongoing outage is not in the report yet" "0|0" "$(pc report reliability --month 2027-02 --scope PA01 | row PA01 sustained_outages momentary_outages)"
bad "close: end before start" "is not after the outage's start" outage close "$id" --end "2027-02-03 13:00"
out=$(pc outage close "$id" --end "2027-02-03 16:30")
check_contains "closed: 150 minutes, sustained" "150 minutes (sustained)" "$out"
check_eq "report after closing: 3 × 150 min / 1000" "0.003|0.450|150.000" "$(pc report reliability --month 2027-02 --scope PA01 | row PA01 saifi saidi caidi)"
check_eq "PA0101: 2 × 150 / 600; PA0102: 1 × 150 / 400" "0.500|0.375" \
  "$(o=$(pc report reliability --month 2027-02 --scope PA01); echo "$(echo "$o" | row PA0101 saidi)|$(echo "$o" | row PA0102 saidi)")"
bad "closing twice is refused" "closed already" outage close "$id" --end "2027-02-03 17:00"
check_eq "the end was set once" "2027-02-03 16:30|150" "$(sql "SELECT end_at, minutes FROM outage WHERE id = $id")"
check_eq "add and close audited" "1|1" "$(sql "SELECT (SELECT count(*) FROM audit_log WHERE action = 'outage.add' AND entity_key = '$id'), (SELECT count(*) FROM audit_log WHERE action = 'outage.close' AND entity_key = '$id')")"

# ---- planned outages: notices through the outbox, once ----
export POWERCIS_CLOCK="2027-03-01T09:00:00+07:00"
out=$(pc outage add --scope PA0101 --start "2027-03-10 07:00" --end "2027-03-10 11:00" --route A --planned --json 2>"$WORK/err"); rc=$?
check_eq "planned outage on route A added" "0" "$rc"
pid=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check_eq "100 notices (the customers with a phone), 100 without" "100|0|100|false" \
  "$(echo "$out" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["notices"], o["notices_before"], o["no_phone"], str(o["notice_late"]).lower(), sep="|")')"
check_eq "no warning 9 days ahead" "" "$(cat "$WORK/err")"
check_eq "100 planned_outage SMS queued, one per customer" "100|100|sms|queued" \
  "$(sql "SELECT count(*), count(DISTINCT customer_id), min(channel), min(status) FROM notify_outbox WHERE event = 'planned_outage'")"
check_contains "the SMS names the area and the times" "Thông báo ngừng cấp điện khu vực Điện lực Vụ Bản (A) từ 2027-03-10 07:00 đến 2027-03-10 11:00" \
  "$(sql "SELECT body FROM notify_outbox WHERE event = 'planned_outage' ORDER BY id LIMIT 1")"
out=$(pc outage add --scope PA0101 --start "2027-03-10 07:00" --end "2027-03-10 11:00" --route A --planned --json)
check_eq "adding it again returns the first, sends nothing" "$pid|true|0|100" \
  "$(echo "$out" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["id"], str(o["duplicate"]).lower(), o["notices"], o["notices_before"], sep="|")')"
out=$(pc outage notify "$pid")
check_contains "outage notify again: nothing new" "0 notices enqueued, 100 already in the outbox" "$out"
check_eq "still 100 messages, one outage" "100|1" "$(sql "SELECT (SELECT count(*) FROM notify_outbox WHERE event = 'planned_outage'), (SELECT count(*) FROM outage WHERE start_at = '2027-03-10 07:00')")"
out=$(pc outage add --scope PA0102 --start "2027-03-03 08:00" --end "2027-03-03 10:00" --route E --planned 2>&1); rc=$?
check_eq "a planned outage 2 days ahead is recorded" "0" "$rc"
check_contains "with a warning about the notice period" "starts less than 5 days ahead" "$out"
check_eq "marked notice_late" "1" "$(sql "SELECT notice_late FROM outage WHERE start_at = '2027-03-03 08:00'")"
check "a planned outage in the past (recorded afterwards)" pc outage add --scope PA0101 --start "2027-02-20 08:00" --end "2027-02-20 09:00" --route A --planned
check_eq "announces nothing" "100" "$(sql "SELECT count(*) FROM notify_outbox WHERE event = 'planned_outage'")"
check_eq "and is not judged late (recorded afterwards)" "0" "$(sql "SELECT notice_late FROM outage WHERE start_at = '2027-02-20 08:00' AND planned = 1")"
bad "notify an unplanned outage" "is not planned" outage notify 1
check_eq "outage list --planned" "3" "$(pc outage list --planned --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
unset POWERCIS_CLOCK

# ---- the 07:00 digest: yesterday's outages and tomorrow's planned ones, within the scope ----
check "a company manager with the digest" pc user add gd.pa01 --name "Trần Thị Bình" --role company --scope PA01 --email gd.pa01@pc.vn --digest
check "a unit manager, in English" pc user add gd.hh --name "Lê Minh" --role unit_officer --scope PA0201 --lang en --email gd.hh@pc.vn --digest
out=$(pc digest preview --user gd.pa01 --date 2026-11-08)
check_contains "digest: 7 Nov, route B's outage under PA01 (300 customers)" "5. Mất điện ngày 07/11/2026: 1 sự cố, 300 khách hàng bị ảnh hưởng; ngày mai 09/11 có 0 lịch ngừng cấp điện theo kế hoạch." "$out"
out=$(pc digest preview --user gd.pa01 --date 2027-03-09)
check_contains "digest: the planned outage of 10 March announced the day before" "5. Mất điện ngày 08/03/2027: 0 sự cố, 0 khách hàng bị ảnh hưởng; ngày mai 10/03 có 1 lịch ngừng cấp điện theo kế hoạch." "$out"
out=$(pc digest preview --user gd.hh --date 2026-11-08)
check_contains "digest (en): nothing of PA01 in PA0201" "5. Outages on 2026-11-07: 0, 0 customers affected; planned outages tomorrow (2026-11-09): 0." "$out"
out=$(pc digest preview --user gd.hh --date 2027-01-01)
check_contains "digest (en): the outage that started on 31 Dec" "5. Outages on 2026-12-31: 1, 5 customers affected" "$out"

# ---- cancelling an outage recorded by mistake ----
row_of() { pc report reliability --month "$1" --scope PA01 | row "$2" customers_served saifi saidi caidi maifi; }
aid=$(sql "SELECT id FROM outage WHERE start_at = '2026-11-05 08:00'")
check_eq "November before: PA01 with route A's 200 × 90 min" "1000|0.500|27.000|54.000|0.150" "$(row_of 2026-11 PA01)"
check_eq "November before: PA0101" "600|0.833|45.000|54.000|0.083" "$(row_of 2026-11 PA0101)"
check_contains "digest before: 5 Nov's outage" "5. Mất điện ngày 05/11/2026: 1 sự cố, 200 khách hàng bị ảnh hưởng" "$(pc digest preview --user gd.pa01 --date 2026-11-06)"
before=$(fingerprint)
bad "cancel: no --reason" "--reason TEXT is required" outage cancel "$aid"
bad "cancel: a blank reason" "reason: required (why the outage is cancelled), not blank" outage cancel "$aid" --reason "   "
bad "cancel: a reason with a control character" "reason: contains a control character" outage cancel "$aid" --reason $'a\tb\x01'
bad "cancel: not an id" "is not an outage id" outage cancel 0 --reason "x"
bad "cancel: an unknown outage" "no outage 999" outage cancel 999 --reason "nhập nhầm"
pc outage cancel 999 --reason "nhập nhầm" >/dev/null 2>&1; rc=$?
check_eq "cancel: an unknown outage exits 2" "2" "$rc"
check_eq "refused cancellations changed nothing" "$before" "$(fingerprint)"
out=$(pc outage cancel "$aid" --reason "nhập nhầm tuyến"); rc=$?
check_eq "a closed outage is cancelled" "0" "$rc"
check_contains "the CLI says what it did" "outage $aid cancelled (unplanned 2026-11-05 08:00, PA01, 200 customers; it was closed): nhập nhầm tuyến" "$out"
check_eq "one outage_cancel row, the outage itself unchanged" "1|nhập nhầm tuyến|2026-11-05 09:30|90" \
  "$(sql "SELECT count(*), min(x.reason), min(o.end_at), min(o.minutes) FROM outage_cancel x JOIN outage o ON o.id = x.outage_id WHERE x.outage_id = $aid")"
check_eq "November after: PA01 without route A (300 × 30 min sustained, 150 momentary)" "1000|0.300|9.000|30.000|0.150" "$(row_of 2026-11 PA01)"
check_eq "November after: PA0101" "600|0.500|15.000|30.000|0.083" "$(row_of 2026-11 PA0101)"
check_eq "November after: PA0102 untouched" "400|0.000|0.000|0.000|0.250" "$(row_of 2026-11 PA0102)"
check_contains "digest after: the cancelled outage is gone" "5. Mất điện ngày 05/11/2026: 0 sự cố, 0 khách hàng bị ảnh hưởng" "$(pc digest preview --user gd.pa01 --date 2026-11-06)"
check_eq "list: status and reason (JSON)" "cancelled|nhập nhầm tuyến|closed|None" \
  "$(pc outage list --scope PA01 --month 2026-11 --json | python3 -c '
import json,sys; L={o["start"]: o for o in json.load(sys.stdin)}; a=L["2026-11-05 08:00"]; b=L["2026-11-07 08:00"]
print(a["status"], a["cancel_reason"], b["status"], b["cancel_reason"], sep="|")')"
check_contains "list: status and reason (text)" "sust.  cancelled route           200  A (cancelled: nhập nhầm tuyến)" "$(pc outage list --scope PA01 --month 2026-11)"
before=$(fingerprint)
out=$(pc outage cancel "$aid" --reason "lần nữa" 2>&1); rc=$?
check_eq "cancelling twice is refused (exit 2)" "2|1" "$rc|$(echo "$out" | grep -c "outage $aid is cancelled already")"
bad "adding the cancelled outage again is refused" "the same outage was recorded as $aid and cancelled" outage add --scope PA01 --start "2026-11-05 08:00" --end "2026-11-05 09:30" --route A
check_eq "the refusals changed nothing" "$before" "$(fingerprint)"
check_eq "audited once" "1" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'outage.cancel' AND entity_key = '$aid'")"

# an ongoing outage recorded by mistake: cancelled while open, then it cannot be closed
oid=$(pc outage add --scope PA0102 --start "2027-05-04 10:00" --customers 7 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
out=$(pc outage cancel "$oid" --reason "trùng sự cố" --json)
check_eq "an open outage is cancelled" "cancelled|true|trùng sự cố|None" \
  "$(echo "$out" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["status"], str(o["was_open"]).lower(), o["cancel_reason"], o["end"], sep="|")')"
bad "closing a cancelled outage is refused" "outage $oid is cancelled (trùng sự cố): it cannot be closed" outage close "$oid" --end "2027-05-04 11:00"
check_eq "outage list --open leaves it out" "" "$(pc outage list --open --json | python3 -c 'import json,sys; print(" ".join(str(o["id"]) for o in json.load(sys.stdin) if o["id"] == '"$oid"'))')"

# a planned outage announced to 100 customers: cancelled, the same 100 are told, nothing else goes
export POWERCIS_CLOCK="2027-03-01T09:00:00+07:00"
eid=$(sql "SELECT id FROM outage WHERE start_at = '2027-03-03 08:00'")
out=$(pc outage cancel "$eid" --reason "hoãn bảo dưỡng" --json)
check_eq "a planned outage nobody was told of: no cancellation notice" "0|0" \
  "$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cancel_notices"])')|$(sql "SELECT count(*) FROM notify_outbox WHERE event = 'planned_outage_cancelled'")"
check_contains "digest before: the planned outage of 10 March" "ngày mai 10/03 có 1 lịch ngừng cấp điện theo kế hoạch" "$(pc digest preview --user gd.pa01 --date 2027-03-09)"
out=$(pc outage cancel "$pid" --reason "hoãn bảo dưỡng")
check_contains "cancelling the announced one" "100 cancellation notices enqueued" "$out"
check_eq "100 cancellations, to the same phones as the notices" "100|100|100" \
  "$(sql "SELECT count(*), count(DISTINCT n.customer_id), sum(CASE WHEN n.recipient = p.recipient THEN 1 ELSE 0 END) FROM notify_outbox n JOIN notify_outbox p ON p.customer_id = n.customer_id AND p.event = 'planned_outage' WHERE n.event = 'planned_outage_cancelled'")"
check_contains "the SMS says it is cancelled" "Hủy lịch ngừng cấp điện khu vực Điện lực Vụ Bản (A) từ 2027-03-10 07:00 đến 2027-03-10 11:00" \
  "$(sql "SELECT body FROM notify_outbox WHERE event = 'planned_outage_cancelled' ORDER BY id LIMIT 1")"
bad "a cancelled planned outage sends no notice" "is cancelled (hoãn bảo dưỡng): there is nothing to announce" outage notify "$pid"
check_eq "still 100 planned_outage messages" "100" "$(sql "SELECT count(*) FROM notify_outbox WHERE event = 'planned_outage'")"
check_contains "digest after: no planned outage tomorrow" "ngày mai 10/03 có 0 lịch ngừng cấp điện theo kế hoạch" "$(pc digest preview --user gd.pa01 --date 2027-03-09)"
unset POWERCIS_CLOCK

# ---- append-only ----
if sql_write "UPDATE outage SET start_at = '2026-10-05 07:00' WHERE id = 1"; then not_ok "an outage's start cannot be edited"; else ok "an outage's start cannot be edited"; fi
if sql_write "UPDATE outage SET end_at = '2026-10-05 11:00', minutes = 180 WHERE id = 1"; then not_ok "a closed outage cannot be reopened or moved"; else ok "a closed outage cannot be reopened or moved"; fi
if sql_write "DELETE FROM outage WHERE id = 2"; then not_ok "an outage cannot be deleted"; else ok "an outage cannot be deleted"; fi
if sql_write "DELETE FROM outage_customer"; then not_ok "outage customers cannot be deleted"; else ok "outage customers cannot be deleted"; fi
if sql_write "UPDATE outage_cancel SET reason = 'khác' WHERE outage_id = $aid"; then not_ok "a cancellation cannot be edited"; else ok "a cancellation cannot be edited"; fi
if sql_write "DELETE FROM outage_cancel WHERE outage_id = $aid"; then not_ok "a cancellation cannot be undone"; else ok "a cancellation cannot be undone"; fi
if sql_write "INSERT INTO outage_cancel (outage_id, reason, cancelled_at, cancelled_by) VALUES (2, ' ', 'x', 'y')"; then not_ok "a blank reason is refused by the table"; else ok "a blank reason is refused by the table"; fi
check_eq "the cancellation is still there" "nhập nhầm tuyến" "$(sql "SELECT reason FROM outage_cancel WHERE outage_id = $aid")"

finish
