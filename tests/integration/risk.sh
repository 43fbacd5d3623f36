#!/usr/bin/env bash
# Risk classification (issue 10, DOMAIN 12, docs/risk.md): hand-made customers with known
# histories give exact scores, classes, reasons and actions; a month run again is a new run the
# report reads; the tracking list shows the trend since the classification; debt growth against
# the run 3 months before; flags; bad input changes nothing; results are append-only.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; B=PA01010000102; A=PA01020000104
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null   # 100 kWh: 217,836 đ
pc read add $R --date 2025-08-01 --total 1250 >/dev/null   # 150 kWh: 346,356 đ
pc read add $B --date 2025-06-01 --total 2000 >/dev/null
pc read add $B --date 2025-07-01 --total 2100 >/dev/null
pc read add $A --date 2025-06-03 --total 500 >/dev/null
pc read add $A --date 2025-07-03 --total 1500 >/dev/null
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
pc bill run --period 2025-08 --issue-date 2025-08-05 >/dev/null
pc partner add ECPAY --name "ECPay" --kind collector >/dev/null
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
total() { sql "SELECT i.total FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$1' AND i.period = '$2'"; }
check_eq "R's invoices: 217,836 and 346,356 đ, due on the 12th" "217836|2025-07-12 346356|2025-08-12" \
  "$(sql "SELECT i.total || '|' || i.due_date FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$R' ORDER BY i.period" | paste -sd' ')"
TB=$(total $B 2025-07); TA=$(total $A 2025-07)

# B pays its July invoice 8 days late; R is cut for debt on 25 July (A's cut order stays open);
# A pays after the end of August.
pc pay post $B --partner ECPAY --ref B-1 --amount "$TB" --paid-at "2025-07-20 09:00" >/dev/null
for day in 2025-07-13 2025-07-17 2025-07-22; do pc dunning run --date $day >/dev/null; done
CUT_R=$(pc orders list --kind cut --json | jf '[o["id"] for o in d if o["customer_code"]=="'$R'"][0]')
pc orders done $CUT_R --date 2025-07-25 >/dev/null
check_eq "open cut orders: A's only" "$A" "$(pc orders list --kind cut --status open --json | jf '"|".join(o["customer_code"] for o in d)')"
pc pay post $A --partner ECPAY --ref A-1 --amount "$TA" --paid-at "2025-09-05 10:00" >/dev/null

# Test parameters: smaller caps and thresholds so that a few invoices reach every class.
cat > risk.ini <<'INI'
[risk]
overdue_age_cap_days = 100
overdue_amount_cap = 500000
disconnections_cap = 1
debt_growth_cap = 200000
medium_threshold = 25
high_threshold = 50
sectors = administrative_public
INI
rk() { pc --config risk.ini "$@"; }

# ---- bad input changes nothing ----
before=$(fingerprint)
out=$(rk risk run 2>&1); rc=$?
check_eq "risk run needs --month (exit 2)" "2" "$rc"
check_contains "… saying so" "risk run: --month YYYY-MM is required" "$out"
out=$(rk risk run --month 2025-13 2>&1); rc=$?
check_eq "a month 13 is refused (exit 2)" "2" "$rc"
check_contains "… naming the flag" "--month" "$out"
out=$(rk risk run --month 2999-01 2>&1); rc=$?
check_eq "a month that has not ended is refused (exit 2)" "2" "$rc"
check_contains "… saying why" "month 2999-01 has not ended" "$out"
printf '[risk]\nweight_overdue_age = 150\n' > bad.ini
out=$(pc --config bad.ini risk run --month 2025-08 2>&1); rc=$?
check_contains "a weight over 100 is refused, naming key and line" "line 2: [risk] weight_overdue_age = '150'" "$out"
printf '[risk]\nmedium_threshold = 70\n' > bad2.ini
out=$(pc --config bad2.ini risk run --month 2025-08 2>&1)
check_contains "medium at or above high is refused" "medium_threshold (70) < high_threshold (60)" "$out"
printf '[risk]\nsectors = mining\n' > bad3.ini
out=$(pc --config bad3.ini risk run --month 2025-08 2>&1)
check_contains "an unknown sector is refused" "'mining' is not a contract purpose" "$out"
out=$(rk risk flag --customer PA99990000001 --reason "nợ kéo dài" 2>&1); rc=$?
check_eq "flagging an unknown customer is refused (exit 2)" "2" "$rc"
check_contains "… naming it" "PA99990000001" "$out"
out=$(rk risk flag --customer $R --reason "   " 2>&1); rc=$?
check_eq "a blank reason is refused (exit 2)" "2" "$rc"
check_contains "… naming the flag" "--reason" "$out"
check_fails "a flag needs --reason" rk risk flag --customer $R
out=$(rk report risk --month 2025-08 2>&1)
check_contains "a month with no run: the report says so" "no risk run for 2025-08" "$out"
check_fails "--class is checked" rk report risk --month 2025-08 --class severe
check_fails "--format is checked" rk report risk --month 2025-08 --format pdf
check_eq "… and nothing changed" "$before" "$(fingerprint)"

# ---- August, as of 2025-08-31 ----
out=$(rk risk run --month 2025-08)
check_contains "the run: 6 customers, high 1, medium 1, low 4" "6 customers, high 1, medium 1, low 4" "$out"
J=$(rk report risk --month 2025-08)
row() { echo "$J" | jf '"|".join(str(x) for c in d["customers"] if c["customer_code"]=="'$1'" for x in (c["score"],c["class"],c["action"],";".join("%s=%d:%d"%(r["code"],r["value"],r["points"]) for r in c["reasons"])))'; }
figs() { echo "$J" | jf '"|".join(str(c[k]) for c in d["customers"] if c["customer_code"]=="'$1'" for k in ("overdue_days","overdue_amount","late_payments","disconnections","debt","debt_before","kwh","payments"))'; }
# R: oldest overdue due 07-12 → 50 days: 30*50/100 = 15; 564,192 đ ≥ cap: 20; one cut: 15
check_eq "R: exactly the high threshold, cut once → prepaid" \
  "50|high|prepaid|overdue_age=50:15;overdue_amount=564192:20;disconnections=1:15" "$(row $R)"
check_eq "R's figures (debt before = debt: no run 3 months before)" "50|564192|0|1|564192|564192|150|0" "$(figs $R)"
# A: paid on 5 September, so overdue at the month's end (50 days, its whole invoice); its cut
# order was never carried out; administrative_public is a flagged sector
check_eq "A: medium, 50 days overdue (< 60) → reminder" \
  "40|medium|reminder|overdue_age=50:15;overdue_amount=$TA:20;flagged_sector=1:5" "$(row $A)"
check_eq "A's figures: a payment after the month's end does not count yet" "50|$TA|0|0|$TA|$TA|0|0" "$(figs $A)"
# B: paid 8 days late in July: 15*1/6 = 2
check_eq "B: one late payment, low, nothing to do" "2|low|none|late_payments=1:2" "$(row $B)"
check_eq "counts in the report" "1|1|4" "$(echo "$J" | jf '"|".join(str(d["counts"][k]) for k in ("high","medium","low"))')"
check_eq "highest score first" "$R|$A|$B" "$(echo "$J" | jf '"|".join(c["customer_code"] for c in d["customers"][:3])')"
check_eq "--class high: R only" "$R" "$(rk report risk --month 2025-08 --class high | jf '"|".join(c["customer_code"] for c in d["customers"])')"
check_eq "--scope PA0102: A and the renter" "$A|PA01020000103" \
  "$(rk report risk --month 2025-08 --scope PA0102 | jf '"|".join(c["customer_code"] for c in d["customers"])')"
unq() { tr -d '"'; }
check_eq "CSV header" "customer_code,name,unit,score,class,action,reasons,overdue_days,overdue_amount,late_payments,disconnections,debt,debt_before,kwh,payments" \
  "$(rk report risk --month 2025-08 --format csv | head -1 | unq)"
check_eq "CSV row of R" "$R,Nguyễn Văn Đức,PA0101,50,high,prepaid,overdue_age=50:15;overdue_amount=564192:20;disconnections=1:15,50,564192,0,1,564192,564192,150,0" \
  "$(rk report risk --month 2025-08 --format csv | sed -n 2p | unq)"
check "xlsx written" rk report risk --month 2025-08 --format xlsx --out risk.xlsx
check_eq "… a workbook (zip)" "PK" "$(head -c 2 risk.xlsx)"
check_fails "xlsx needs --out" rk report risk --month 2025-08 --format xlsx

# ---- a flag, and the month run again ----
check "R flagged" rk risk flag --customer $R --reason "Nợ kéo dài, đã cắt điện"
check_eq "the flag is kept with who and why" "1|tester|Nợ kéo dài, đã cắt điện" \
  "$(sql "SELECT f.flagged || '|' || f.flagged_by || '|' || f.reason FROM risk_flag f JOIN customer c ON c.id = f.customer_id WHERE c.code = '$R'")"
check_eq "… and audited" "1" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'risk.flag'")"
rk risk run --month 2025-08 >/dev/null
check_eq "running a month again adds a run" "2" "$(sql "SELECT count(*) FROM risk_run WHERE month = '2025-08'")"
check_eq "… the first run's results stay" "6 6" \
  "$(sql "SELECT count(*) FROM risk_result WHERE run_id = (SELECT min(id) FROM risk_run)") $(sql "SELECT count(*) FROM risk_result WHERE run_id = (SELECT max(id) FROM risk_run)")"
J=$(rk report risk --month 2025-08)
check_eq "the report reads the latest run: R now flagged" \
  "55|high|prepaid|overdue_age=50:15;overdue_amount=564192:20;disconnections=1:15;flagged_customer=1:5" "$(row $R)"
check_eq "… its run id" "$(sql "SELECT max(id) FROM risk_run")" "$(echo "$J" | jf 'd["run_id"]')"
out=$(sql_write "UPDATE risk_result SET score = 0" && echo edited || echo refused)
check_eq "results are never edited" "refused" "$out"
out=$(sql_write "DELETE FROM risk_flag" && echo deleted || echo refused)
check_eq "flags are never deleted" "refused" "$out"

# ---- the weekly tracking list: R pays 100,000 đ on 10 September ----
pc pay post $R --partner ECPAY --ref R-1 --amount 100000 --paid-at "2025-09-10 08:00" >/dev/null
T=$(rk risk track --as-of 2025-09-15)
check_eq "tracking: month, since, week" "2025-08|2025-08-31|2025-09-15|2025-W38" \
  "$(echo "$T" | jf '"|".join((d["month"],d["since"],d["as_of"],d["week"]))')"
check_eq "tracking: R only, debt 564,192 → 464,192, paid 100,000, improving" "$R|564192|464192|-100000|100000|0|improving" \
  "$(echo "$T" | jf '"|".join(str(x) for c in d["customers"] for x in (c["customer_code"],c["debt"],c["debt_now"],c["debt_change"],c["payments_since"],c["kwh_since"],c["trend"]))')"
check_eq "report risk-tracking is the same list" "$T" "$(rk report risk-tracking --as-of 2025-09-15)"
check_eq "tracking CSV header" "customer_code,name,unit,score,class,action,reasons,overdue_days,overdue_amount,late_payments,disconnections,debt,debt_before,kwh,payments,debt_now,debt_change,payments_since,kwh_since,trend" \
  "$(rk risk track --as-of 2025-09-15 --format csv | head -1 | unq)"
out=$(rk risk track --month 2025-08 --as-of 2025-08-01 2>&1)
check_contains "an as-of date before the classification is refused" "before the classification" "$out"
check_eq "tracking --scope PA0102: nobody" "0" "$(rk risk track --as-of 2025-09-15 --scope PA0102 | jf 'len(d["customers"])')"

# ---- November: growth against August's run ----
pc read add $R --date 2025-10-01 --total 1400 >/dev/null
pc bill run --period 2025-10 --issue-date 2025-10-05 >/dev/null
TR10=$(total $R 2025-10)
rk risk run --month 2025-11 >/dev/null
J=$(rk report risk --month 2025-11)
G=$((464192 + TR10 - 564192))
GP=$(( G >= 200000 ? 10 : (G > 0 ? 10 * G / 200000 : 0) ))
# 07-12 → 11-30: 141 days, capped (30); amount capped (20); paid late once (100,000 on 09-10 for
# the July invoice): 15*1/6 = 2; one cut (15); growth; flagged (5)
check_eq "R in November: every factor, with growth since August" \
  "$((30 + 20 + 2 + 15 + GP + 5))|high|prepaid|overdue_age=141:30;overdue_amount=$((464192 + TR10)):20;late_payments=1:2;disconnections=1:15;debt_growth=$G:$GP;flagged_customer=1:5" "$(row $R)"
check_eq "R's debt then and 3 months before" "$((464192 + TR10))|564192" \
  "$(echo "$J" | jf '"|".join(str(c[k]) for c in d["customers"] if c["customer_code"]=="'$R'" for k in ("debt","debt_before"))')"
check "R cleared" rk risk unflag --customer $R --reason "Đã cam kết trả nợ"
rk risk run --month 2025-11 >/dev/null
check_eq "… the next run drops the flag's points" "$((30 + 20 + 2 + 15 + GP))" \
  "$(rk report risk --month 2025-11 | jf '[c["score"] for c in d["customers"] if c["customer_code"]=="'$R'"][0]')"
check_eq "every run audited" "4" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'risk.run'")"
# ---- the digest: the latest run's high-risk customers against the month before ----
pc user add gd.pa01 --name "Trần Thị Bình" --role company --scope PA01 --email gd.pa01@pc.vn --digest >/dev/null
pc user add tgd --name "Lê Minh" --role corporation --scope PA --lang en --email tgd@evnnpc.vn --digest >/dev/null
out=$(pc digest preview --user gd.pa01 --date 2025-09-02)
check_contains "vi digest: August's run, no run in July" "7. Khách hàng rủi ro cao tháng 2025-08: 1." "$out"
out=$(pc digest preview --user tgd --date 2025-12-02)
check_contains "en digest: November's run (R), none in October" "7. High-risk customers, 2025-11: 1." "$out"
rk risk run --month 2025-10 >/dev/null
out=$(pc digest preview --user tgd --date 2025-12-02)
check_contains "… with October's run: the change" "7. High-risk customers, 2025-11: 1 (±0 against 2025-10)." "$out"
out=$(pc digest preview --user tgd --date 2025-07-02)
check_not_contains "before any run: no risk line" "High-risk" "$out"
# ---- late payments rolled forward from the runs of the month before and 12 months before ----
lates() { sql "SELECT $(agg)(c.code || ':' || r.late_payments || ':' || r.late_month, ' ') FROM risk_result r JOIN customer c ON c.id = r.customer_id WHERE r.run_id = $1 AND r.late_payments > 0"; }
READ=$(lates "(SELECT max(id) FROM risk_run WHERE month = '2025-11')")
check_eq "November read from the allocations: R, B and A (5 September) paid late once each" "$R:1:0 $B:1:0 $A:1:0" "$(echo $READ | tr ' ' '\n' | sort | paste -sd' ')"
rk risk run --month 2024-11 >/dev/null
out=$(POWERCIS_LOG=info rk risk run --month 2025-11 2>&1)
check_contains "with October's and last November's runs, November rolls the count forward" "late=rolled" "$out"
check_eq "… to the same counts" "$(echo $READ | tr ' ' '\n' | sort | paste -sd' ')" \
  "$(lates "(SELECT max(id) FROM risk_run WHERE month = '2025-11')" | tr ' ' '\n' | sort | paste -sd' ')"
check_eq "September's own late payment (R, 10 September) is September's late_month" "$R:1:1" \
  "$(rk risk run --month 2025-09 >/dev/null; lates "(SELECT max(id) FROM risk_run WHERE month = '2025-09')" | tr ' ' '\n' | grep $R)"
# ---- a replaced invoice counts once: the month's kWh is the replacement's ----
K10=$(sql "SELECT i.kwh FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$R' AND i.period = '2025-10'")
I10=$(sql "SELECT i.id FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$R' AND i.period = '2025-10'")
pc invoice replace $I10 --kwh $((K10 - 40)) --reason "Ghi sai chỉ số" --issue-date 2025-10-20 >/dev/null
rk risk run --month 2025-10 >/dev/null
check_eq "R's October kWh: the replacement's $((K10 - 40)), not $((K10 + K10 - 40))" "$((K10 - 40))" \
  "$(rk report risk --month 2025-10 | jf '[c["kwh"] for c in d["customers"] if c["customer_code"]=="'$R'"][0]')"
check_eq "… and in the tracking since September's run" "$((K10 - 40))" \
  "$(rk risk track --month 2025-09 --as-of 2025-11-30 | jf '[c["kwh_since"] for c in d["customers"] if c["customer_code"]=="'$R'"][0]')"
# ---- over HTTP: the same list, the tracking list, flags within the scope ----
. "$(dirname "$0")/api_lib.sh"
echo "nam-dinh-company" | pc user add nd.company --name "Lê Thị Hoa" --role company --scope PA01 --password-stdin >/dev/null
echo "vu-ban-officer-1" | pc user add vb.officer --name "Trần Văn An" --role unit_officer --scope PA0101 --password-stdin >/dev/null
echo "read-only-pa01-1" | pc user add pa01.ro --name "Lê Xem" --role read_only --scope PA01 --password-stdin >/dev/null
api_serve
check_eq "the company and the officer sign in" "200 200 200" \
  "$(login c.jar nd.company nam-dinh-company) $(login o.jar vb.officer vu-ban-officer-1) $(login ro.jar pa01.ro read-only-pa01-1)"
check_eq "GET /api/v1/risk answers the CLI's report byte for byte" "200" "$(call api.json -b c.jar "$U/api/v1/risk?month=2025-08&scope=PA01")"
check_eq "… the same JSON" "$(pc report risk --month 2025-08 --scope PA01)" "$(cat api.json)"
check_eq "the officer's default scope is its unit (PA0101: R high, B low)" "PA0101|$R $B" \
  "$(call o.json -b o.jar "$U/api/v1/risk?month=2025-08" >/dev/null; jf 'd["scope"]+"|"+" ".join(c["customer_code"] for c in d["customers"])' < o.json)"
check_eq "a scope outside the account's: 403 on scope" "403|forbidden|scope" "$(call x.json -b o.jar "$U/api/v1/risk?month=2025-08&scope=PA0102")|$(err x.json)"
check_eq "a bad class: 400 on class" "400|invalid|class" "$(call x.json -b c.jar "$U/api/v1/risk?month=2025-08&class=severe")|$(err x.json)"
check_eq "a month with no run: 404" "404" "$(call x.json -b c.jar "$U/api/v1/risk?month=2024-01")"
check_eq "CSV download" "200|text/csv" "$(curl -s -o x.csv -w '%{http_code}|%{content_type}' -b c.jar "$U/api/v1/risk?month=2025-08&format=csv" | cut -d';' -f1)"
check_eq "GET /api/v1/risk/tracking answers risk track" "$(pc risk track --month 2025-08 --as-of 2025-09-15 --scope PA01)" \
  "$(call x.json -b c.jar "$U/api/v1/risk/tracking?month=2025-08&as_of=2025-09-15&scope=PA01" >/dev/null; cat x.json)"
before=$(fingerprint)
check_eq "a flag without a reason: 400 on reason" "400|invalid|reason" "$(post o.jar x.json /api/v1/risk/flags "{\"customer\":\"$B\",\"reason\":\"  \"}")|$(err x.json)"
check_eq "a flag outside the scope: 403" "403" "$(post o.jar x.json /api/v1/risk/flags "{\"customer\":\"$A\",\"reason\":\"x\"}")"
check_eq "a read-only account may not flag: 403" "403" "$(post ro.jar x.json /api/v1/risk/flags "{\"customer\":\"$B\",\"reason\":\"x\"}")"
check_eq "… and nothing changed" "$before" "$(fingerprint)"
check_eq "the officer flags B: 201" "201|$B|True" "$(post o.jar x.json /api/v1/risk/flags "{\"customer\":\"$B\",\"reason\":\"Nợ kéo dài\"}")|$(jf 'd["customer"]+"|"+str(d["flagged"])' < x.json)"
check_eq "… stored with the officer's name" "1|vb.officer" "$(sql "SELECT f.flagged || '|' || f.flagged_by FROM risk_flag f JOIN customer c ON c.id = f.customer_id WHERE c.code = '$B'")"
finish
