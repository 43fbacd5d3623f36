#!/usr/bin/env bash
# Tariffs as data: list and show what is in force on a date, load a new table (a five-tier
# structure) without a rebuild, refuse a broken file and keep what was in force.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
out=$(pc tariff list --date 2019-04-01)
check_contains "QĐ 648 in force on 2019-04-01" "* 2019-03-20  QĐ 648/QĐ-BCT" "$out"
check_contains "unverified tables marked" "QĐ 1062/QĐ-BCT      (unverified)" "$out"
check_contains "VAT 8% in 2022" "* 2022-02-01 .. 2022-12-31  8%" "$(pc tariff list --date 2022-06-01)"
json=$(pc tariff show --date 2025-06-01 --json)
check_contains "show --json: QĐ 1279" '"decision": "QĐ 1279/QĐ-BCT"' "$json"
check_contains "show --json: tier 6 price" '"price": 3460' "$json"
check_contains "show --json: VAT" '"vat_rate": 8' "$json"
check_contains "show: business <6kV prices" "business               <6kV        3152 /   5422 /   1918" "$(pc tariff show --date 2025-06-01)"
check_fails "bad date" pc tariff show --date 2025-13-01

mkdir -p "$WORK/bad"
printf '{"schedules": [{"decision": "x", "effective": "2015-01-01", "tiers": [{"upto": 100, "price": 1800}, {"upto": 50, "price": 1900}, {"upto": null, "price": 2000}]}]}' > "$WORK/bad/residential.json"
out=$(pc tariff load "$WORK/bad" 2>&1); rc=$?
check_eq "a table whose bounds fall is refused" "2" "$rc"
check_contains "… naming the tier" "tier 2 bound must rise" "$out"
check_eq "nothing stored" "0" "$(sql 'SELECT count(*) FROM tariff_file')"
printf '{"schedules": [' > "$WORK/bad/residential.json"
check_contains "broken JSON named with its line" "residential.json line" "$(pc tariff load "$WORK/bad" 2>&1)"
check_fails "an empty folder is refused" pc tariff load "$WORK"

check "load the five-tier table" pc tariff load "$CASES/rating/five_tier"
check_contains "in force now" "test five-tier table" "$(pc tariff show)"
check_contains "same file again changes nothing" "0 tariff file(s); 1 unchanged" "$(pc tariff load "$CASES/rating/five_tier")"
check_eq "one version stored" "1" "$(sql 'SELECT count(*) FROM tariff_file')"

# The billing run uses the loaded table: 800 kWh on five tiers = 2,272,000 before VAT.
pc org add PA "Tổng công ty" >/dev/null; pc org add PA01 "Công ty" >/dev/null; pc org add PA0101 "Điện lực" >/dev/null
pc customer add PA01010000001 --name "Lò Văn Bảy" --address "Bản Mòng" --purpose residential --meter M1 --valid-from 2025-01-01 >/dev/null
pc read add PA01010000001 --date 2025-06-01 --total 0 >/dev/null
pc read add PA01010000001 --date 2025-07-01 --total 800 >/dev/null
pc bill run --period 2025-07 --issue-date 2025-07-02 >/dev/null
check_eq "billed on the loaded five tiers" "2272000|5" "$(sql 'SELECT energy, (SELECT count(*) FROM invoice_line) FROM invoice')"
check_eq "load audited" "1" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'tariff.load'")"

# Rooftop solar: its own credit document, priced by the decision in force, numbered per year.
out=$(pc solar credit PA01010000001 --period 2019-06 --kwh 400 --issue-date 2019-07-03); rc=$?
check_eq "solar credit issued" "0" "$rc"
# QĐ 11/2017: 9.35 US cents × 22,316 đ/USD = 2,086.5 → 2,086 đ/kWh as published; 400 kWh
check_contains "price 2,086 and amount" "PV19-1  PA01010000001  2019-06  400 kWh × 2086 = 834.400 đ" "$out"
check_contains "QĐ 13/2020 price from 2020-05-23" "× 1943 =" "$(pc solar credit PA01010000001 --period 2020-06 --kwh 10 --issue-date 2020-07-03)"
check_fails "one credit per customer and month" pc solar credit PA01010000001 --period 2019-06 --kwh 1 --issue-date 2019-07-04
check_fails "no price before 2017-06-01" pc solar credit PA01010000001 --period 2016-06 --kwh 1
check_fails "exported energy must be positive" pc solar credit PA01010000001 --period 2021-06 --kwh 0
check_eq "never netted into invoices" "1" "$(sql 'SELECT count(*) FROM invoice')"
check_fails "credit documents cannot be edited" sql_write "UPDATE solar_credit SET amount = 1"
check_contains "list" "PV20-1" "$(pc solar list --customer PA01010000001)"

# The credit (834,400 + 19,430 = 853,830 đ) is used by the next invoices at issue (DOMAIN 7).
check_eq "credit balance" "853830" "$(sql 'SELECT sum(amount) FROM customer_credit')"
pc read add PA01010000001 --date 2025-08-01 --total 900 >/dev/null    # 100 kWh on the five tiers: 180,000 + 8% = 194,400
pc bill run --period 2025-08 --issue-date 2025-08-02 >/dev/null
check_eq "an invoice smaller than the credit is covered whole" "194400|194400" "$(sql "SELECT total, credit_applied FROM invoice WHERE period = '2025-08'")"
pc read add PA01010000001 --date 2025-09-01 --total 1400 >/dev/null   # 500 kWh: 1,264,000 + 101,120 = 1,365,120
pc bill run --period 2025-09 --issue-date 2025-09-02 >/dev/null
check_eq "the rest of the credit (853,830 - 194,400)" "1365120|659430" "$(sql "SELECT total, credit_applied FROM invoice WHERE period = '2025-09'")"
check_contains "the invoice shows what is still due" "due 705.690 đ" "$(pc invoice show "$(sql "SELECT symbol || '/' || number FROM invoice WHERE period = '2025-09'")")"
check_eq "credit used up" "0" "$(sql 'SELECT sum(amount) FROM customer_credit')"
check_fails "the credit ledger cannot be edited" sql_write "UPDATE customer_credit SET amount = 5"
finish
