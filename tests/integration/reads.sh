#!/usr/bin/env bash
# Meter reads and read control (DOMAIN 4): consumption with multiplier and rollover, the three
# anomaly rules, the approval queue, corrections, meter replacement and all-or-nothing files.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101   # residential, meter PA0000000101, 6 digits
kwh() { sql "SELECT COALESCE(kwh_total, kwh_normal + kwh_peak + kwh_offpeak) FROM meter_read WHERE id = $1"; }
status() { sql "SELECT status || '|' || flags FROM meter_read WHERE id = $1"; }
last_id() { sql "SELECT max(id) FROM meter_read"; }

out=$(pc read add $R --date 2025-01-05 --total 1000)
check_contains "first read is the initial index" "initial" "$out"
for m in 02 03 04; do pc read add $R --date 2025-$m-05 --total $((1000 + 10#$m * 200 - 200)) >/dev/null; done
check_eq "consumption = index difference" "200" "$(kwh "$(last_id)")"
check_eq "normal read passes" "ok|" "$(status "$(last_id)")"

pc read add $R --date 2025-05-05 --total 2400 >/dev/null   # 800 kWh against an average of 200
check_eq "deviation flagged" "flagged|deviation" "$(status "$(last_id)")"
check_contains "queue lists it" "2025-05-05" "$(pc read list --flagged)"
check_contains "note gives the average" "800 kWh against an average of 200" "$(pc read list --flagged --customer $R)"
dev=$(last_id)
check_fails "approve needs a reason" pc read approve "$dev"
check "approve with a reason" pc read approve "$dev" --reason "khách hàng lắp điều hòa mới"
check_eq "approved" "approved|deviation" "$(status "$dev")"
check_not_contains "queue empty again" "2025-05-05" "$(pc read list --flagged)"
check_fails "approving twice refused" pc read approve "$dev" --reason again

pc read add $R --date 2025-06-05 --total 2400 >/dev/null
check_eq "zero on an active meter flagged (and far from the average)" "flagged|zero,deviation" "$(status "$(last_id)")"
zero=$(last_id)
check "correct the zero read" pc read correct "$zero" --total 2650 --reason "đọc lại tại chỗ"
check_eq "old row kept, superseded" "superseded" "$(sql "SELECT status FROM meter_read WHERE id = $zero")"
check_eq "correction supersedes it" "$zero" "$(sql "SELECT supersedes_id FROM meter_read WHERE id = $(last_id)")"
check_eq "corrected consumption" "250" "$(kwh "$(last_id)")"
check_eq "corrected read passes" "ok|" "$(status "$(last_id)")"

pc read add $R --date 2025-07-05 --total 1200 >/dev/null
back=$(last_id)
check_eq "backwards index flagged, consumption unknown" "flagged|backwards|" "$(status "$back")|$(kwh "$back")"
out=$(pc read approve "$back" --reason x 2>&1)
check_contains "a backwards read cannot be approved" "correct it" "$out"
check_fails "an older read cannot be corrected" pc read correct "$zero" --total 2600 --reason x
check "correct the backwards read" pc read correct "$back" --total 2900 --reason "ghi nhầm chỉ số"
check_eq "fixed" "250|ok|" "$(kwh "$(last_id)")|$(status "$(last_id)")"

check_fails "a read must go forward" pc read add $R --date 2025-07-01 --total 3000
check_fails "same day twice" pc read add $R --date 2025-07-05 --total 3000
check_fails "future date" pc read add $R --date 2099-01-01 --total 3000
check_fails "impossible date" pc read add $R --date 2025-02-30 --total 3000
check_fails "register missing" pc read add $R --date 2025-08-05
check_fails "time-of-use registers on a single-register meter" pc read add $R --date 2025-08-05 --normal 1 --peak 1 --offpeak 1
check_fails "index wider than the register" pc read add $R --date 2025-08-05 --total 1000000
check_fails "wrong route" pc read add $R --date 2025-08-05 --total 3000 --route PA0101-999
check_fails "unknown customer" pc read add PA01019999999 --date 2025-08-05 --total 3000

# Rollover on a 5-digit meter with a multiplier: 99,950 → 00,030 is 80 units × 40.
pc customer add PA01010000500 --name "Xưởng cơ khí Minh Tân" --address "Xã Minh Tân" --purpose production \
  --voltage "<6kV" --meter PA0000000500 --digits 5 --multiplier 40 --valid-from 2024-01-01 >/dev/null
pc read add PA01010000500 --date 2025-01-10 --total 99950 >/dev/null
pc read add PA01010000500 --date 2025-02-10 --total 30 >/dev/null
check_eq "rollover with multiplier: 80 × 40" "3200" "$(kwh "$(last_id)")"
check_eq "rollover is noted, not held" "ok|rollover" "$(status "$(last_id)")"
pc read add PA01010000500 --date 2025-03-10 --total 20000 >/dev/null
check_eq "big jump is a forward read, not a rollover: (20000 - 30) × 40" "798800" "$(kwh "$(last_id)")"

# Time of use: three registers.
T=PA02010000105
pc read add $T --date 2025-01-31 --normal 1000 --peak 500 --offpeak 800 >/dev/null
pc read add $T --date 2025-02-28 --normal 1600 --peak 800 --offpeak 1300 >/dev/null
check_eq "tou registers" "600|300|500" "$(sql "SELECT kwh_normal || '|' || kwh_peak || '|' || kwh_offpeak FROM meter_read WHERE id = $(last_id)")"
check_fails "total on a tou meter refused" pc read add $T --date 2025-03-31 --total 5000

# Meter replacement inside a period.
check "replace the meter" pc meter replace $R --date 2025-08-01 --final-total 3100 --serial PA0000009101 --reason "công tơ cháy"
check_eq "final read of the old meter" "final|200" "$(sql "SELECT kind || '|' || kwh_total FROM meter_read r JOIN meter m ON m.id = r.meter_id WHERE m.serial = 'PA0000000101' AND kind = 'final'")"
check_eq "old meter removed" "2025-08-01" "$(sql "SELECT removed_on FROM meter WHERE serial = 'PA0000000101'")"
check_eq "new meter starts at 0" "initial|0" "$(sql "SELECT kind || '|' || idx_total FROM meter_read r JOIN meter m ON m.id = r.meter_id WHERE m.serial = 'PA0000009101'")"
pc read add $R --date 2025-08-05 --total 60 >/dev/null
check_eq "new meter's read measures from its initial index" "60" "$(kwh "$(last_id)")"
check_fails "old meter no longer takes reads" pc read add $R --date 2025-09-05 --total 5000 --meter PA0000000101

# Files: all or nothing, and the same file twice changes nothing.
cat > "$WORK/reads.csv" <<CSV
route,customer_code,meter,reading_date,total,normal,peak,offpeak
PA0101-002,PA01010000102,PA0000000102,2025-01-06,500,,,
PA0101-002,PA01010000102,PA0000000102,2025-02-06,700,,,
PA0201-009,PA02010000105,PA0000000105,2025-03-31,,2200,1100,1800
CSV
out=$(pc read import "$WORK/reads.csv"); rc=$?
check_eq "file imported" "0" "$rc"
check_contains "counts" "imported 3 reads" "$out"
check_contains "initial counted" "1 initial" "$out"
sum=$(fingerprint)
out=$(pc read import "$WORK/reads.csv")
check_contains "same file again: nothing changed" "already imported" "$out"
check_eq "database unchanged by the repeat" "$sum" "$(fingerprint)"
cat > "$WORK/bad.csv" <<CSV
route,customer_code,meter,reading_date,total,normal,peak,offpeak
PA0101-002,PA01010000102,PA0000000102,2025-03-06,900,,,
PA0101-002,PA01010000102,PA0000000102,2025-04-06,12x,,,
PA0101-002,PA01010000102,,2025-04-31,950,,,
,PA01019999999,,2025-04-06,1,,,
PA0101-001,PA01010000102,,2025-05-06,1000,,,
CSV
out=$(pc read import "$WORK/bad.csv" 2>&1); rc=$?
check_eq "bad file rejected" "2" "$rc"
check_contains "line 3: index" "line 3: total: '12x'" "$out"
check_contains "line 4: date" "line 4: reading_date" "$out"
check_contains "line 5: customer" "line 5: customer_code" "$out"
check_contains "line 6: route" "line 6: route" "$out"
check_not_contains "line 2 was fine" "line 2:" "$out"
check_eq "database unchanged by the bad file" "$sum" "$(fingerprint)"
json=$(pc read list --customer $R --json)
check_contains "list --json" '"kind": "final"' "$json"
check "audit chain intact" pc audit verify
finish
