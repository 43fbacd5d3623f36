#!/usr/bin/env bash
# Customer service requests (issue 11, docs/service.md): bad input refused with nothing changed;
# every type's steps in order with working-day deadlines over weekends and Tết; waits with their
# reason; the registry change of each finished type (a new supply creates customer, meter and
# contract; a change of purpose from its effective date after 15 days' notice; holder, persons,
# suspension, termination, relocation, capacity; a meter test changes nothing); documents; the
# indicator report on a hand-made set of requests with exact figures (JSON, CSV, scope); deadline
# alerts through the outbox, once each; history append-only; everything audited.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; B=PA01010000102; N=PA01020000103; A=PA01020000104; H=PA02010000105; L=PA02010000106

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
code_of() { jf 'd["code"]'; }
# add ARGS…: adds a request and prints its code
add() { pc request add "$@" --json | code_of; }
# run CODE DATE…: advances the request once per date given
run() { local c=$1; shift; for day in "$@"; do pc request advance "$c" --date "$day" >/dev/null || return 1; done; }

# ---- bad input changes nothing ----
before=$(fingerprint)
out=$(pc request add --type new_supply_xx --unit PA0101 --name X --phone 0912000111 --address Y 2>&1); rc=$?
check_eq "an unknown type is refused (exit 2)" "2" "$rc"
check_contains "… listing the types" "new_supply_lv, new_supply_mv, capacity_change" "$out"
out=$(pc request add --type new_supply_lv --unit PA0101 --name "Trần An" --address "Xóm 1" 2>&1); rc=$?
check_eq "a new supply without the applicant's phone is refused" "2" "$rc"
check_contains "… naming what is needed" "--unit, --name, --phone and --address" "$out"
out=$(pc request add --type new_supply_lv --unit PA0101 --name "Trần An" --phone 12ab --address "Xóm 1" 2>&1); rc=$?
check_eq "a bad phone is refused" "2" "$rc"
out=$(pc request add --type new_supply_lv --unit PA01 --name "Trần An" --phone 0912000111 --address "Xóm 1" 2>&1); rc=$?
check_contains "a company is not a unit" "is a company" "$out"
out=$(pc request add --type new_supply_lv --customer $R 2>&1); rc=$?
check_contains "a new supply is not for an existing customer" "not a customer yet" "$out"
out=$(pc request add --type capacity_change --customer $R 2>&1); rc=$?
check_contains "a capacity change needs capacity_kva" "capacity_kva" "$out"
out=$(pc request add --type capacity_change --customer $R --set capacity_kva=0 2>&1); rc=$?
check_contains "… a positive one" "capacity_kva '0'" "$out"
out=$(pc request add --type meter_test --customer $R --set purpose=business 2>&1); rc=$?
check_contains "a detail the type does not take is refused" "takes no purpose" "$out"
out=$(pc request add --type change_of_purpose --customer $R --set purpose=business --set effective=2026-04-10 --date 2026-04-01 2>&1); rc=$?
check_eq "a change of purpose with less than 15 days' notice is refused" "2" "$rc"
check_contains "… naming the earliest date" "the earliest is 2026-04-16" "$out"
out=$(pc request add --type change_of_purpose --customer $R --set purpose=shop 2>&1); rc=$?
check_contains "a bad purpose is refused" "shop" "$out"
out=$(pc request add --type meter_test --customer $R --date 2023-12-29 2>&1); rc=$?
check_contains "a date outside the holiday calendar is refused" "the holiday calendar covers 2024-01-01 to 2027-12-31" "$out"
out=$(pc request add --type meter_test --customer $R --date 2099-01-01 2>&1); rc=$?
check_contains "a date in the future is refused" "in the future" "$out"
out=$(pc request add --type meter_test --customer PA01010009999 2>&1); rc=$?
check_contains "an unknown customer is refused" "PA01010009999" "$out"
check_fails "an unknown request cannot advance" pc request advance PA0101-2601-999999
check_fails "request: unknown subcommand" pc request close X
check_eq "… and nothing changed" "$before" "$(fingerprint)"

# ---- a new supply over Tết: steps, deadlines, a wait, the registry ----
S=$(add --type new_supply_lv --unit PA0101 --name "Trần Văn An" --phone "0912 000 111" --address "Xóm 1, xã Kim Thái" --date 2026-02-12 --owner lan.nt)
check_eq "code: unit, year and month received, key" "PA0101-2602-" "${S:0:12}"
out=$(pc request show $S --json)
check_eq "received on Thursday 12/2 before Tết: the request is due 3 working days later, after Tết (24/2)" \
  "received|2026-02-12|2026-02-24|lan.nt|0912000111" \
  "$(echo "$out" | jf '"|".join([d["step"], d["step_due_on"], d["due_on"], d["step_owner"], d["applicant_phone"]])')"
check "received step done on Friday 13/2, survey to hung.pv" pc request advance $S --date 2026-02-13 --owner hung.pv
out=$(pc request show $S --json)
check_eq "the survey (1 working day) started 13/2 is due Monday 23/2 after the Tết week" "survey|2026-02-23|hung.pv" \
  "$(echo "$out" | jf '"|".join([d["step"], d["step_due_on"], d["step_owner"]])')"
out=$(pc request wait $S --date 2026-02-12 --reason "x" 2>&1); rc=$?
check_contains "a move dated before the step started is refused" "before the request's last change" "$out"
out=$(pc request wait $S --date 2026-02-23 2>&1); rc=$?
check_contains "a wait needs its reason" "nguyên nhân vướng mắc" "$out"
check "waits for the applicant's land papers" pc request wait $S --date 2026-02-23 --reason "Chờ khách hàng bổ sung giấy tờ đất"
check_eq "waiting, with the reason" "waiting|Chờ khách hàng bổ sung giấy tờ đất" \
  "$(pc request show $S --json | jf '"|".join([d["status"], d["waiting_reason"]])')"
check "resumes" pc request resume $S --date 2026-02-24 --note "đã nhận giấy tờ"
out=$(pc request resume $S 2>&1); rc=$?
check_contains "a request not waiting cannot resume" "is not waiting" "$out"
run $S 2026-02-24 2026-02-25
check "the meter serial is set on the way" pc request advance $S --date 2026-02-26 --set meter=SN-2026-0001
out=$(pc request advance $S --date 2026-02-26 --json)
check_eq "finished on 26/2: 5 working days after 12/2 (13/2, then 23-26/2: Tết skipped), late against 24/2" "finished|2026-02-26|5|False|PA01010000103" \
  "$(echo "$out" | jf '"|".join(str(x) for x in [d["status"], d["finished_on"], d["working_days"], d["within_deadline"], d["customer"]])')"
check_eq "the customer exists with the applicant's name, phone, address and unit" \
  "Trần Văn An|0912000111|Xóm 1, xã Kim Thái|PA0101|active" \
  "$(sql "SELECT c.name || '|' || c.phone || '|' || c.address || '|' || u.code || '|' || c.status FROM customer c JOIN org_node u ON u.id = c.unit_id WHERE c.code = 'PA01010000103'")"
check_eq "… its meter installed on the finish date" "SN-2026-0001|2026-02-26" \
  "$(sql "SELECT m.serial || '|' || m.installed_on FROM meter m JOIN customer c ON c.id = m.customer_id WHERE c.code = 'PA01010000103'")"
check_eq "… and its residential contract from that date" "2026-02-26|residential|1" \
  "$(sql "SELECT k.valid_from || '|' || k.purpose || '|' || k.households FROM contract k JOIN customer c ON c.id = k.customer_id WHERE c.code = 'PA01010000103'")"
out=$(pc request show $S --json)
check_eq "the timeline: five steps with their start, finish and deadline" \
  "received:2026-02-12>2026-02-13/2026-02-12 survey:2026-02-13>2026-02-24/2026-02-23 agreement:2026-02-24>2026-02-25/2026-02-25 installation:2026-02-25>2026-02-26/2026-02-26 energised:2026-02-26>2026-02-26/2026-02-26" \
  "$(echo "$out" | jf '" ".join("%s:%s>%s/%s" % (s["step"], s["started_on"], s["finished_on"], s["due_on"]) for s in d["steps"])')"
check_eq "the history: every event in order" "received advanced waiting resumed advanced advanced advanced advanced finished" \
  "$(echo "$out" | jf '" ".join(e["action"] for e in d["events"])')"
out=$(pc request advance $S 2>&1); rc=$?
check_contains "a finished request does not move" "is finished" "$out"

# ---- every type's steps and registry change (unit PA0201, April 2026) ----
steps_of() { pc request show "$1" --json | jf '" ".join(s["step"] for s in d["steps"])'; }
M=$(add --type new_supply_mv --unit PA0201 --name "Công ty TNHH Cơ khí Hưng Hà" --phone 02273111222 --address "Cụm công nghiệp Hưng Hà" --date 2026-04-01 --set capacity_kva=560)
check_eq "new supply MV: received, survey, agreement, installation, energised" "received survey agreement installation energised" "$(steps_of $M)"
check_eq "… due 8 working days after 1/4, Hùng Kings' Monday 27/4 not in the way (13/4)" "2026-04-13" "$(pc request show $M --json | jf 'd["due_on"]')"
run $M 2026-04-01 2026-04-03 2026-04-07 2026-04-09 2026-04-10
check_eq "… creates a production customer on 6-22kV with TOU metering" "PA02010000107|production|6-22kV|1|2026-04-10" \
  "$(sql "SELECT c.code || '|' || k.purpose || '|' || k.voltage || '|' || k.tou || '|' || k.valid_from FROM customer c JOIN contract k ON k.customer_id = c.id WHERE c.name = 'Công ty TNHH Cơ khí Hưng Hà'")"
check_eq "… whose meter serial is the request's code (none given)" "$M" \
  "$(sql "SELECT m.serial FROM meter m JOIN customer c ON c.id = m.customer_id WHERE c.code = 'PA02010000107'")"

C=$(add --type capacity_change --customer $H --set capacity_kva=1000 --set tou=1 --set voltage=6-22kV --date 2026-04-01)
check_eq "capacity change: received, survey, agreement, installation" "received survey agreement installation" "$(steps_of $C)"
run $C 2026-04-01 2026-04-02 2026-04-03 2026-04-06
check_eq "… a contract version from the finish date with the new voltage" "2026-04-06|6-22kV|1" \
  "$(sql "SELECT k.valid_from || '|' || k.voltage || '|' || k.tou FROM contract k JOIN customer c ON c.id = k.customer_id WHERE c.code = '$H' ORDER BY k.valid_from DESC LIMIT 1")"
check_eq "… the first contract kept" "2" "$(sql "SELECT count(*) FROM contract k JOIN customer c ON c.id = k.customer_id WHERE c.code = '$H'")"

Rl=$(add --type meter_relocation --customer $L --set "address=Thôn Đông, xã Tân Lễ" --date 2026-04-01)
check_eq "meter relocation: received, survey, installation" "received survey installation" "$(steps_of $Rl)"
run $Rl 2026-04-01 2026-04-02 2026-04-03
check_eq "… the customer's address changed" "Thôn Đông, xã Tân Lễ" "$(sql "SELECT address FROM customer WHERE code = '$L'")"

T=$(add --type meter_test --customer $L --date 2026-04-01)
check_eq "meter test: received, test" "received test" "$(steps_of $T)"
before=$(sql "SELECT count(*) FROM contract")
run $T 2026-04-01 2026-04-03
check_eq "… finished, nothing in the registry changed" "finished|$before" "$(pc request show $T --json | jf 'd["status"]')|$(sql "SELECT count(*) FROM contract")"

P=$(add --type change_of_purpose --customer $R --set purpose=business --set "voltage=<6kV" --date 2026-04-01)
check_eq "change of purpose: received, survey, agreement; effective after 15 days' notice" "received survey agreement|2026-04-16" \
  "$(steps_of $P)|$(pc request show $P --json | jf 'd["details"]["effective"]')"
run $P 2026-04-01 2026-04-02 2026-04-03
check_eq "… a business contract valid from the effective date (16/4), not the finish date" "2026-04-16|business" \
  "$(sql "SELECT k.valid_from || '|' || k.purpose FROM contract k JOIN customer c ON c.id = k.customer_id WHERE c.code = '$R' ORDER BY k.valid_from DESC LIMIT 1")"

O=$(add --type change_of_holder --customer $B --set "name=Nguyễn Thị Hoa" --set phone=0987000222 --date 2026-04-01)
check_eq "change of holder: received, agreement" "received agreement" "$(steps_of $O)"
run $O 2026-04-01 2026-04-02
check_eq "… the customer's name and phone changed" "Nguyễn Thị Hoa|0987000222" "$(sql "SELECT name || '|' || phone FROM customer WHERE code = '$B'")"

Q=$(add --type renters_persons --customer $B --set persons=9 --date 2026-04-02)
check_eq "renters' persons: received, agreement" "received agreement" "$(steps_of $Q)"
run $Q 2026-04-02 2026-04-03
check_eq "… a renter's contract with 9 persons and 1 household from 3/4" "2026-04-03|1|9|1" \
  "$(sql "SELECT k.valid_from || '|' || k.renter || '|' || k.persons || '|' || k.households FROM contract k JOIN customer c ON c.id = k.customer_id WHERE c.code = '$B' ORDER BY k.valid_from DESC LIMIT 1")"

U=$(add --type temporary_suspension --customer $N --date 2026-04-01)
check_eq "temporary suspension: received, installation" "received installation" "$(steps_of $U)"
run $U 2026-04-01 2026-04-02
check_eq "… the customer is disconnected" "disconnected" "$(sql "SELECT status FROM customer WHERE code = '$N'")"

X=$(add --type termination --customer $N --date 2026-04-03)
check_eq "termination: received, agreement, installation" "received agreement installation" "$(steps_of $X)"
run $X 2026-04-03 2026-04-06 2026-04-07
check_eq "… the customer is terminated" "terminated" "$(sql "SELECT status FROM customer WHERE code = '$N'")"
out=$(pc request add --type meter_test --customer $N 2>&1); rc=$?
check_contains "a terminated customer makes no more change requests" "is terminated" "$out"
check_eq "every finish and registry change audited" "10|9" \
  "$(sql "SELECT count(*) FROM audit_log WHERE action = 'service.finish'")|$(sql "SELECT count(*) FROM audit_log WHERE action IN ('customer.add', 'customer.update') AND at >= (SELECT min(created_at) FROM service_request)")"

# ---- documents ----
python3 - <<'PY'
import struct, zlib
def chunk(t, b): return struct.pack('>I', len(b)) + t + b + struct.pack('>I', zlib.crc32(t + b) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) + \
      chunk(b'IDAT', zlib.compress(b'\x00\xff\x00\x00')) + chunk(b'IEND', b'')
open('cmnd.png', 'wb').write(png)
PY
echo "not a pdf" > fake.pdf
check "an ID scan attached to the new supply" pc request attach $S cmnd.png --kind id --title "CCCD mặt trước"
out=$(pc request attach $S fake.pdf 2>&1); rc=$?
check_eq "a text file named .pdf is refused" "2" "$rc"
out=$(pc request attach $S cmnd.png --kind passport 2>&1); rc=$?
check_contains "an unknown kind is refused" "--kind 'passport'" "$out"
check_eq "the document listed with its type and size" "id|image/png|$(stat -c %s cmnd.png)|CCCD mặt trước" \
  "$(pc request show $S --json | jf '"|".join(str(x) for x in [d["documents"][0]["kind"], d["documents"][0]["media_type"], d["documents"][0]["size"], d["documents"][0]["title"]])')"

# ---- the indicator report on a hand-made month (March 2026) ----
mt() { add --type meter_test --customer "$1" --date "$2"; }
a=$(mt $R 2026-03-02); run $a 2026-03-02 2026-03-03   # 1 working day, within (due 5/3)
b=$(mt $R 2026-03-02); run $b 2026-03-02 2026-03-05   # 3, within
c=$(mt $R 2026-03-02); run $c 2026-03-02 2026-03-09   # 5, late
d=$(mt $R 2026-03-04); run $d 2026-03-04 2026-03-06   # 2, within
e=$(mt $R 2026-03-10); run $e 2026-03-10 2026-03-20   # 8, late
l=$(mt $R 2026-02-27); run $l 2026-02-27 2026-03-02   # received in February, 1 working day, within
f=$(add --type temporary_suspension --customer $R --date 2026-03-11); run $f 2026-03-11 2026-03-12  # 1, within
g=$(mt $R 2026-03-20); run $g 2026-03-20; pc request wait $g --date 2026-03-23 --reason "Chờ khách hàng hẹn lịch" >/dev/null
h=$(mt $R 2026-03-25)
i=$(mt $R 2026-03-26); pc request wait $i --date 2026-03-26 --reason "Chờ khách hàng hẹn lịch" >/dev/null
j=$(mt $R 2026-03-27); pc request cancel $j --date 2026-03-27 --reason "Khách hàng rút yêu cầu" >/dev/null
k=$(mt $R 2026-04-01)
y=$(mt $A 2026-03-02); run $y 2026-03-02 2026-03-04   # unit PA0102: 2, within
out=$(pc report service --month 2026-03)
check_eq "totals: 11 received, 8 finished, 6 within the deadline (75.0%), 3 open at the month's end" "11|8|6|75.0|3" \
  "$(echo "$out" | jf '"|".join(str(d["total"][k]) for k in ["received", "finished", "within_deadline", "within_deadline_pct", "open"])')"
check_eq "PA0101: 10 received, 7 finished, 5 within (71.4%), 3 open" "PA0101|10|7|5|71.4|3" \
  "$(echo "$out" | jf '"|".join(str(d["units"][0][k]) for k in ["unit", "received", "finished", "within_deadline", "within_deadline_pct", "open"])')"
check_eq "PA0101 meter tests: 9 received, 6 finished, 4 within (66.7%), average 3.3 working days, 90th percentile 8" \
  "meter_test|9|6|4|66.7|3.3|8" \
  "$(echo "$out" | jf '"|".join(str(t[k]) for t in d["units"][0]["by_type"] if t["type"] == "meter_test" for k in ["type", "received", "finished", "within_deadline", "within_deadline_pct", "avg_working_days", "p90_working_days"])')"
check_eq "PA0101 suspensions: 1 received, 1 finished within, 1.0 and 1" "temporary_suspension|1|1|1|100.0|1.0|1" \
  "$(echo "$out" | jf '"|".join(str(t[k]) for t in d["units"][0]["by_type"] if t["type"] == "temporary_suspension" for k in ["type", "received", "finished", "within_deadline", "within_deadline_pct", "avg_working_days", "p90_working_days"])')"
check_eq "PA0101 open at the month's end by waiting reason: 2 waiting for an appointment, 1 not waiting" \
  "Chờ khách hàng hẹn lịch:2 None:1" \
  "$(echo "$out" | jf '" ".join("%s:%d" % (r["reason"], r["count"]) for r in sorted(d["units"][0]["open_by_reason"], key=lambda r: -r["count"]))')"
check_eq "PA0102: 1 received, 1 finished in 2 working days" "PA0102|1|1|1|100.0|2.0|2" \
  "$(echo "$out" | jf '"|".join(str(x) for x in [d["units"][1]["unit"], d["units"][1]["received"], d["units"][1]["finished"], d["units"][1]["within_deadline"], d["units"][1]["within_deadline_pct"], d["units"][1]["by_type"][0]["avg_working_days"], d["units"][1]["by_type"][0]["p90_working_days"]])')"
out=$(pc report service --month 2026-03 --scope PA0102)
check_eq "--scope PA0102: that unit only" "PA0102|1|1" "$(echo "$out" | jf '"|".join(str(x) for x in [",".join(u["unit"] for u in d["units"]), d["total"]["received"], d["total"]["finished"]])')"
out=$(pc report service --month 2026-03 --format csv)
check_eq "CSV: the header" "unit,group,key,received,finished,within_deadline,within_deadline_pct,avg_working_days,p90_working_days,open" "$(echo "$out" | head -1)"
check_contains "CSV: the meter tests' line" "PA0101,type,meter_test,9,6,4,66.7,3.3,8," "$out"
check_contains "CSV: a waiting reason's line" "PA0101,waiting_reason,Chờ khách hàng hẹn lịch,,,,,,,2" "$out"
check "XLSX written" pc report service --month 2026-03 --format xlsx --out service.xlsx
check_eq "… a zip container" "PK" "$(head -c 2 service.xlsx)"
out=$(pc report service --month 2026-13 2>&1); rc=$?
check_eq "a bad month is refused" "2" "$rc"
out=$(pc report service 2>&1); rc=$?
check_contains "--month is required" "--month" "$out"
out=$(pc report service --month 2026-03 --format pdf 2>&1); rc=$?
check_contains "an unknown format is refused" "--format 'pdf'" "$out"

# ---- list and scope ----
check_eq "active requests, oldest step deadline first" "$g $h $i $k" \
  "$(pc request list --status active --json | jf '" ".join(r["code"] for r in d)')"
check_eq "list --scope PA02: the four PA0201 requests" "4" "$(pc request list --scope PA02 --json | jf 'len(d)')"
check_eq "list --status waiting" "$g $i" "$(pc request list --status waiting --json | jf '" ".join(r["code"] for r in d)')"
check_fails "list: an unknown status" pc request list --status closed

# ---- alerts: before and at a breach, once each ----
out=$(pc request alerts --date 2026-03-26 --days 1 --json)
check_eq "26/3: g and h past their step's deadline, i due today" "3|1|2|0" \
  "$(echo "$out" | jf '"|".join(str(d[k]) for k in ["checked", "warnings", "breaches", "duplicates"])')"
out=$(pc request alerts --date 2026-03-26 --days 1 --json)
check_eq "a second run sends nothing new" "0|0|3" "$(echo "$out" | jf '"|".join(str(d[k]) for k in ["warnings", "breaches", "duplicates"])')"
check_eq "the outbox holds one message per step and kind" "service_deadline_breach:2 service_deadline_warning:1" \
  "$(sql "SELECT event || ':' || count(*) FROM notify_outbox WHERE event LIKE 'service_%' GROUP BY event ORDER BY event" | tr '\n' ' ' | sed 's/ $//')"

# ---- the 07:00 digest: deadlines at risk ----
echo "pw-gd-12345" | pc user add gd.pa01 --name "Giám đốc PA01" --role company --scope PA01 --password-stdin >/dev/null
out=$(pc digest preview --user gd.pa01 --date 2026-03-26)
check_contains "the digest of 26/3 counts 2 requests past their step's deadline and 1 due by the next working day" \
  "8. Yêu cầu dịch vụ khách hàng: 2 quá hạn bước xử lý, 1 đến hạn đến hết ngày làm việc tiếp theo." "$out"
echo "pw-gd2-12345" | pc user add gd.pa02 --name "Giám đốc PA02" --role company --scope PA02 --password-stdin >/dev/null
out=$(pc digest preview --user gd.pa02 --date 2026-03-26)
check_not_contains "… a scope without any leaves the line out" "Yêu cầu dịch vụ" "$out"

# ---- history is append-only ----
check_fails "an event cannot be edited" sql_write "UPDATE service_request_event SET note = 'x'"
check_fails "… nor deleted" sql_write "DELETE FROM service_request_event"
check_fails "a request cannot be deleted" sql_write "DELETE FROM service_request"
check "the audit chain verifies" pc audit verify

finish
