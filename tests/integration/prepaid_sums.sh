#!/usr/bin/env bash
# The prepaid daily charge from cached month-to-date read sums (migration 031, docs/prepaid.md):
# a read dated on or before the last charge day that is corrected, approved or arrives late marks
# the account for a fresh sum (the triggers on meter_read), so the next day's charge equals the
# one a from-scratch sum gives (the same database with every cache dropped), to the đồng; a new
# month sums from its first day; a new prepaid spell in the same month from its first day, the
# reads before it left out. `powercis check` compares every valid cache with the reads
# (prepaid_sums).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
pc partner add ECPAY --name "ECPay" --kind collector >/dev/null
C1=PA01010000101; C2=PA01010000102; C3=PA01020000103; C4=PA01020000104
cid() { sql "SELECT id FROM customer WHERE code = '$1'"; }
ID1=$(cid $C1); ID2=$(cid $C2); ID3=$(cid $C3); ID4=$(cid $C4)
rid() { sql "SELECT id FROM meter_read WHERE customer_id = $1 AND read_date = '$2' AND status <> 'superseded'"; }
ledger() { sql "SELECT amount || '|' || kwh_mtd || '|' || total_mtd || '|' || reads || '|' || COALESCE(read_from, '') || '|' || COALESCE(read_to, '') FROM prepaid_ledger WHERE customer_id = $1 AND charge_day = '$2'"; }
resum() { sql "SELECT $(agg)(CAST(resum AS TEXT), '') FROM (SELECT resum FROM prepaid_account ORDER BY customer_id) x"; }
charge() { pc prepaid charge --date "$1" --json; }
sums_ok() { pc check --json | jf '[c for c in d["checks"] if c["name"] == "prepaid_sums"][0]["broken"]'; }

# the meters' initial indexes in April, every customer prepaid from 2026-05-01
for c in $C1 $C2 $C3 $C4; do pc read add $c --date 2026-04-30 --total 1000 >/dev/null; done
for c in $C1 $C2 $C3 $C4; do pc prepaid enable --customer $c --date 2026-05-01 >/dev/null; done
check_eq "new accounts: sums to be made (resum 1)" "1111" "$(resum)"

# C1: 10, 15, 15 kWh; C2: 10, 0 (flagged: zero consumption), 20; C3: 5, 7, no read on the 3rd;
# C4: no read
pc read add $C1 --date 2026-05-01 --total 1010 >/dev/null
pc read add $C1 --date 2026-05-02 --total 1025 >/dev/null
pc read add $C1 --date 2026-05-03 --total 1040 >/dev/null
pc read add $C2 --date 2026-05-01 --total 1010 >/dev/null
pc read add $C2 --date 2026-05-02 --total 1010 >/dev/null
pc read add $C2 --date 2026-05-03 --total 1030 >/dev/null
pc read add $C3 --date 2026-05-01 --total 1005 >/dev/null
pc read add $C3 --date 2026-05-02 --total 1012 >/dev/null
check_eq "C2's read of the 2nd is flagged (zero)" "flagged" "$(sql "SELECT status FROM meter_read WHERE id = $(rid $ID2 2026-05-02)")"
charge 2026-05-01 >/dev/null
charge 2026-05-02 >/dev/null
out=$(charge 2026-05-03)
check_eq "days 1-3 charged: 4 accounts on the 3rd" "4" "$(echo "$out" | jf 'd["accounts"]')"
check_eq "… the sums cached (resum 0)" "0000" "$(resum)"
check_eq "… C1's cache: 40 kWh, 3 reads, 1st to 3rd" "40|3|0|2026-05-01|2026-05-03" \
  "$(sql "SELECT sum_kwh || '|' || sum_reads || '|' || sum_reg_reads || '|' || sum_first || '|' || sum_last FROM prepaid_account WHERE customer_id = $ID1")"
check_eq "… C2's counts 2 reads (the flagged one waits)" "30|2" "$(sql "SELECT sum_kwh || '|' || sum_reads FROM prepaid_account WHERE customer_id = $ID2")"
check_eq "… powercis check: the caches hold" "0" "$(sums_ok)"

# ---- reads dated on or before the 3rd change after its charge ----
check "C1's read of the 3rd corrected to 1070 (45 kWh)" pc read correct "$(rid $ID1 2026-05-03)" --total 1070 --reason "đọc nhầm"
check "C2's zero read of the 2nd approved" pc read approve "$(rid $ID2 2026-05-02)" --reason "nhà vắng chủ"
check "C3's read of the 3rd comes late (8 kWh)" pc read add $C3 --date 2026-05-03 --total 1020
check_eq "the three accounts marked for a fresh sum, C4 not" "1110" "$(resum)"
check_eq "… powercis check skips the marked ones" "0" "$(sums_ok)"
# the 4th: 10 kWh each (C4 still none)
pc read add $C1 --date 2026-05-04 --total 1080 >/dev/null
pc read add $C2 --date 2026-05-04 --total 1040 >/dev/null
pc read add $C3 --date 2026-05-04 --total 1030 >/dev/null
check_eq "a read dated after the last charge day marks nothing" "1110" "$(resum)"

# the same database with every cache dropped: what a from-scratch sum charges
FRESH=$(copydb "$POWERCIS_DB" fresh)
POWERCIS_DB=$FRESH sql_write "UPDATE prepaid_account SET resum = 1, sum_kwh = 0, sum_reads = 0"
POWERCIS_DB=$FRESH pc prepaid charge --date 2026-05-04 >/dev/null
charge 2026-05-04 >/dev/null
for c in 1 2 3 4; do
  id=ID$c
  check_eq "day 4, C$c: the charge of a from-scratch sum, to the đồng" \
    "$(POWERCIS_DB=$FRESH ledger ${!id} 2026-05-04)" "$(ledger ${!id} 2026-05-04)"
done
check_eq "C1: 10 + 15 + 45 + 10 = 80 kWh to date, 4 reads" "80|4" \
  "$(sql "SELECT kwh_mtd || '|' || reads FROM prepaid_ledger WHERE customer_id = $ID1 AND charge_day = '2026-05-04'")"
check_eq "C2: the approved read counts (4 reads, 40 kWh)" "40|4|2026-05-01|2026-05-04" \
  "$(sql "SELECT kwh_mtd || '|' || reads || '|' || read_from || '|' || read_to FROM prepaid_ledger WHERE customer_id = $ID2 AND charge_day = '2026-05-04'")"
check_eq "C3: the late read counts (5 + 7 + 8 + 10 = 30 kWh)" "30|4" \
  "$(sql "SELECT kwh_mtd || '|' || reads FROM prepaid_ledger WHERE customer_id = $ID3 AND charge_day = '2026-05-04'")"
check_eq "C4: no read, 0 kWh" "0|0" "$(sql "SELECT kwh_mtd || '|' || reads FROM prepaid_ledger WHERE customer_id = $ID4 AND charge_day = '2026-05-04'")"
check_eq "the caches made afresh (resum 0), and they hold" "0000|0" "$(resum)|$(sums_ok)"
check_eq "… C1's: 80 kWh, last read id the 4th's" "80|4|$(rid $ID1 2026-05-04)" \
  "$(sql "SELECT sum_kwh || '|' || sum_reads || '|' || sum_last_id FROM prepaid_account WHERE customer_id = $ID1")"

# the 5th by adding to the caches: 5 kWh more for C1
pc read add $C1 --date 2026-05-05 --total 1085 >/dev/null
charge 2026-05-05 >/dev/null
check_eq "day 5 from the cache: C1 85 kWh, 5 reads" "85|5|2026-05-05" \
  "$(sql "SELECT kwh_mtd || '|' || reads || '|' || read_to FROM prepaid_ledger WHERE customer_id = $ID1 AND charge_day = '2026-05-05'")"

# a tampered cache is what powercis check is for
copy=$(copydb "$POWERCIS_DB" tamper)
POWERCIS_DB=$copy sql_write "UPDATE prepaid_account SET sum_kwh = sum_kwh + 1 WHERE customer_id = $ID1"
out=$(POWERCIS_DB=$copy pc check --json)
check_eq "check: a cache 1 kWh off is named (C1, 86 against 85)" "1|$C1|86|85" \
  "$(echo "$out" | jf '"|".join(str(x) for x in [[c for c in d["checks"] if c["name"] == "prepaid_sums"][0][k] for k in ("broken",)] + [[c for c in d["checks"] if c["name"] == "prepaid_sums"][0]["examples"][0][k] for k in ("what", "cached_kwh", "kwh")])')"

# ---- May to June: June sums from its first day ----
for i in $(seq 6 31); do charge "$(printf '2026-05-%02d' $i)" >/dev/null; done
bill() { echo "{\"purpose\":\"residential\",\"previous_reading\":\"2026-04-30\",\"reading\":\"2026-05-31\",\"kwh\":$1,\"households\":$2}" | pc rate | jf 'd["total"]'; }
charged() { sql "SELECT -sum(amount) FROM prepaid_ledger WHERE customer_id = $1 AND kind = 'charge' AND charge_day LIKE '2026-05%'"; }
check_eq "C1: May's charges = the bill of 85 kWh (the corrected read in), to the đồng" "$(bill 85 1)" "$(charged $ID1)"
check_eq "C2 (2 households): = the bill of 40 kWh" "$(bill 40 2)" "$(charged $ID2)"
check_eq "C3: = the bill of 30 kWh (the late read in)" "$(bill 30 1)" "$(charged $ID3)"
pc read add $C1 --date 2026-06-01 --total 1100 >/dev/null
charge 2026-06-01 >/dev/null
check_eq "June 1st: only June's read (15 kWh, 1 read from the 1st)" "15|1|2026-06-01" \
  "$(sql "SELECT kwh_mtd || '|' || reads || '|' || read_from FROM prepaid_ledger WHERE customer_id = $ID1 AND charge_day = '2026-06-01'")"
check_eq "… C1's cache holds June (15 kWh, 1 read)" "2026-06|15|1|0" \
  "$(sql "SELECT charge_month || '|' || sum_kwh || '|' || sum_reads || '|' || resum FROM prepaid_account WHERE customer_id = $ID1")"
check_eq "… C3 (no June read) charged for the 1st too" "2026-06|2026-06-01|0" \
  "$(sql "SELECT charge_month || '|' || last_charge_day || '|' || resum FROM prepaid_account WHERE customer_id = $ID3")"
check "C3's read of May 31st comes late (10 kWh)" pc read add $C3 --date 2026-05-31 --total 1040
check_eq "… a read of May leaves June's cache valid" "0" "$(sql "SELECT resum FROM prepaid_account WHERE customer_id = $ID3")"
pc read add $C1 --date 2026-06-02 --total 1110 >/dev/null
pc read add $C3 --date 2026-06-02 --total 1045 >/dev/null
charge 2026-06-02 >/dev/null
check_eq "June 2nd: C1 15 + 10 kWh, C3 5 kWh (not May's 10)" "25|2 5|1" \
  "$(sql "SELECT kwh_mtd || '|' || reads FROM prepaid_ledger WHERE customer_id = $ID1 AND charge_day = '2026-06-02'") $(sql "SELECT kwh_mtd || '|' || reads FROM prepaid_ledger WHERE customer_id = $ID3 AND charge_day = '2026-06-02'")"

# ---- a new prepaid spell in the same month: from its first day, the reads before it left out ----
pc prepaid disable --customer $C4 --date 2026-06-03 >/dev/null
check "C4 postpaid: a read on the 4th (50 kWh)" pc read add $C4 --date 2026-06-04 --total 1050
pc bill run --period 2026-06 --issue-date 2026-06-04 >/dev/null
TOT=$(sql "SELECT total FROM invoice WHERE customer_id = $ID4")
check "… billed and paid" pc pay post $C4 --partner ECPAY --ref EC-4 --amount "$TOT" --paid-at "2026-06-04 12:00"
check "C4 prepaid again from the 5th" pc prepaid enable --customer $C4 --date 2026-06-05
check_eq "… the account starts the month afresh" "1||" "$(sql "SELECT resum || '|' || charge_month || '|' || last_charge_day FROM prepaid_account WHERE customer_id = $ID4")"
pc read add $C4 --date 2026-06-05 --total 1060 >/dev/null
pc read add $C4 --date 2026-06-06 --total 1075 >/dev/null
out=$(pc prepaid charge --date 2026-06-06 --customer $C4 --json)
check_eq "the 6th: 10 + 15 kWh of the spell, not the 50 before it" "25|2|2026-06-05" \
  "$(sql "SELECT kwh_mtd || '|' || reads || '|' || read_from FROM prepaid_ledger WHERE customer_id = $ID4 AND charge_day = '2026-06-06'")"
pc read add $C4 --date 2026-06-07 --total 1080 >/dev/null
pc prepaid charge --date 2026-06-07 --customer $C4 >/dev/null
check_eq "the 7th from the cache: 30 kWh, 3 reads" "30|3|0" \
  "$(sql "SELECT l.kwh_mtd || '|' || l.reads || '|' || a.resum FROM prepaid_ledger l JOIN prepaid_account a ON a.customer_id = l.customer_id WHERE l.customer_id = $ID4 AND l.charge_day = '2026-06-07'")"
# ---- a run over more accounts than one batch of saves (64 to a statement) ----
{ echo "unit,customer_code,name,address,purpose,voltage,households,phone,renter,persons,tou,route,meter,valid_from,payment_mode"
  for i in $(seq 1 70); do
    printf 'PA0102,PA0102%07d,Khách hàng %d,"Thôn %d, xã Yên Phong",residential,,1,,0,,0,PA0102-009,PA09%08d,2026-04-01,prepaid\n' $((500 + i)) $i $i $i
  done; } > many.csv
check "70 prepaid customers imported" pc customer import many.csv
for i in $(seq 1 70); do pc prepaid enable --customer "PA0102$(printf %07d $((500 + i)))" --date 2026-06-01 >/dev/null || echo "enable $i failed"; done
out=$(pc prepaid charge --date 2026-06-08 --json)
check_eq "the 8th charges the 70 and the 4 still prepaid (saves: a batch of 64, then one by one)" "74|0" \
  "$(echo "$out" | jf 'str(d["accounts"])+"|"+str(d["errors"])')"
check_eq "… each of the 70 charged for the 8th, sums cached" "70|70" \
  "$(sql "SELECT count(*) FROM prepaid_account WHERE customer_id IN (SELECT id FROM customer WHERE code > 'PA01020000500' AND code LIKE 'PA0102%') AND last_charge_day = '2026-06-08'")|$(sql "SELECT count(*) FROM prepaid_account WHERE customer_id IN (SELECT id FROM customer WHERE code > 'PA01020000500' AND code LIKE 'PA0102%') AND resum = 0")"
out=$(pc check --json)
check_eq "powercis check: every invariant holds" "True|0" "$(echo "$out" | jf 'd["ok"]')|$(sums_ok)"
finish
