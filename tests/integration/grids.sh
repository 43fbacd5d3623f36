#!/usr/bin/env bash
# Service grids and account managers (issue 11 item 4, docs/grids.md): the import with good and
# bad lines (every bad line named, nothing written), the dated history of managers and customers,
# a manager's worklist with exact figures on hand-made debt, and who may see which worklist over
# HTTP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"

pc init >/dev/null
make_tree
cat > customers.csv <<'CSV'
unit,customer_code,name,address,purpose,voltage,households,phone,renter,persons,tou,route,meter,valid_from
PA0101,PA01010000201,Nguyễn Văn An,Xóm 1 xã Hiển Khánh,residential,,1,0912000201,0,,0,R1,MT0201,2024-01-01
PA0101,PA01010000202,Trần Thị Bình,Xóm 2 xã Hiển Khánh,residential,,1,0912000202,0,,0,R1,MT0202,2024-01-01
PA0101,PA01010000203,Lê Văn Cường,Xóm 3 xã Hợp Hưng,residential,,1,,0,,0,R2,MT0203,2024-01-01
PA0102,PA01020000204,Phạm Thị Dung,Thôn 4 xã Yên Bằng,residential,,1,,0,,0,R1,MT0204,2024-01-01
PA0201,PA02010000205,Hoàng Văn Em,Thôn 5 xã Tân Lễ,residential,,1,,0,,0,R1,MT0205,2024-01-01
CSV
pc customer import customers.csv >/dev/null
for u in account_manager:am.a:PA0101 account_manager:am.b:PA0101 account_manager:am.c:PA0102 \
         unit_officer:off.vb:PA0101 company:gd.pa01:PA01 company:gd.pa02:PA02 cashier:tn.vb:PA0101 read_only:xem.pa02:PA02; do
  IFS=: read -r role login scope <<<"$u"
  echo "pw-$login-grids" | pc user add "$login" --name "Grid $role" --role "$role" --scope "$scope" --password-stdin >/dev/null
done
check_eq "the role account_manager is stored" "account_manager" "$(sql "SELECT role FROM app_user WHERE login = 'am.a'")"

# ---- import: a good file, then the same file again ----
cat > grids.csv <<'CSV'
grid,name,unit,valid_from,managers,routes,customers
VB-01,Lưới Vụ Bản 1,PA0101,2026-01-01,am.a,R1,
VB-02,Lưới Vụ Bản 2,PA0101,2026-01-01,am.b; off.vb,R2,
YY-01,Lưới Ý Yên 1,PA0102,2026-01-01,am.c,,PA01020000204
CSV
out=$(pc grid import grids.csv 2>&1)
check_eq "import: 3 grids, 4 managers, 4 customers" \
  "3 lines: 3 grids created, 4 manager assignments, 4 customers assigned, 0 already so" "$out"
check_eq "route R1 of PA0101 only (not R1 of PA0102 or PA0201)" "PA01010000201,PA01010000202" \
  "$(sql "SELECT $(agg)(c.code, ',') FROM (SELECT c.code FROM grid_customer gc JOIN grid g ON g.id = gc.grid_id JOIN customer c ON c.id = gc.customer_id WHERE g.code = 'VB-01' ORDER BY c.code) c")"
audits=$(sql "SELECT count(*) FROM audit_log WHERE action LIKE 'grid%'")
check_eq "import audited: 3 grids, 4 managers, the file" "8" "$audits"
fp=$(fingerprint)
out=$(pc grid import grids.csv 2>&1)
check_eq "the same file again: nothing new" \
  "3 lines: 0 grids created, 0 manager assignments, 0 customers assigned, 4 already so" "$out"
check_eq "the same file again: the database unchanged" "$fp" "$(fingerprint)"

# ---- import: bad lines, each named, nothing written ----
cat > bad.csv <<'CSV'
grid,name,unit,valid_from,managers,routes,customers
VB-03,Lưới 3,PA0101,2026-01-01,am.a,,
VB-04,Lưới 4,PA0199,2026-01-01,,,
VB-05,Lưới 5,PA0101,2026-02-30,,,
VB-06,Lưới 6,PA0101,2026-01-01,am.c,,
VB-07,Lưới 7,PA0101,2026-01-01,tn.vb,,
VB-08,Lưới 8,PA0101,2026-01-01,,R9,
VB-09,Lưới 9,PA0101,2026-01-01,,,PA02010000205
VB-01,Lưới khác,PA0101,2026-01-01,,,
,Lưới,PA0101,2026-01-01,,,
VB-01,Lưới Vụ Bản 1,PA0101,2026-02-01,,,PA01010000203
VB-02,Lưới Vụ Bản 2,PA0101,2026-02-01,,,PA01010000203
CSV
out=$(pc grid import bad.csv 2>&1); rc=$?
check_eq "bad file: exit 2" "2" "$rc"
check_eq "bad file: every bad line named with its column" \
"line 3: unit: org node 'PA0199' does not exist
line 4: valid_from: date '2026-02-30' does not exist
line 5: managers: manager 'am.c' (scope PA0102) cannot see unit PA0101 of grid VB-06
line 6: managers: manager 'tn.vb' is a cashier: an account_manager or unit_officer is expected
line 7: routes: route 'R9': no customer of unit PA0101 is on it
line 8: customers: customer PA02010000205 is not a customer of unit PA0101 (grid VB-09)
line 9: grid: grid 'VB-01' exists named 'Lưới Vụ Bản 1', not 'Lưới khác'
line 10: grid: grid: a code is required
powercis: 8 of 11 lines have errors; nothing was imported" "$out"
check_eq "bad file: the database unchanged" "$fp" "$(fingerprint)"
cat > clash.csv <<'CSV'
grid,name,unit,valid_from,customers
VB-01,Lưới Vụ Bản 1,PA0101,2026-02-01,PA01010000203
VB-02,Lưới Vụ Bản 2,PA0101,2026-02-01,PA01010000203
CSV
out=$(pc grid import clash.csv 2>&1)
check_contains "a customer put in two grids on one date by one file" \
  "line 3: customers: customer PA01010000203 is put in grid VB-01 from 2026-02-01 by another line of the file" "$out"
check_eq "clash: the database unchanged" "$fp" "$(fingerprint)"
cat > header.csv <<'CSV'
grid,name,unit,from
CSV
out=$(pc grid import header.csv 2>&1)
check_contains "unknown column named" "line 1: unknown column 'from'" "$out"
check_contains "missing column named" "line 1: required column 'valid_from' is missing" "$out"
python3 -c 'print("grid,name,unit,valid_from,customers"); print("VB-01,Lưới Vụ Bản 1,PA0101,2026-01-01," + ";".join(["PA01010000201"] * 3000))' > long.csv
out=$(pc grid import long.csv 2>&1)
check_contains "a list too long for a line is named, not cut" "line 2: customers: longer than 32767 characters" "$out"
check_eq "long list: the database unchanged" "$fp" "$(fingerprint)"

# ---- assignment history by date ----
check "customer 201 moves to VB-02 from March" pc grid assign VB-02 --customers PA01010000201 --from 2026-03-01
check "am.a leaves VB-01 from April" pc grid unassign VB-01 --manager am.a --from 2026-04-01
check "am.b takes VB-01 from April" pc grid assign VB-01 --manager am.b --from 2026-04-01
check "customer 202 out of every grid from May" pc grid release --customers PA01010000202 --from 2026-05-01
check_fails "a customer of another unit refused" pc grid assign VB-01 --customers PA02010000205 --from 2026-03-01
check_fails "a cashier cannot manage a grid" pc grid assign VB-01 --manager tn.vb --from 2026-03-01
check_fails "a bad date refused" pc grid assign VB-01 --manager am.b --from 2026-04-31
out=$(pc grid assign VB-01 --manager am.b --from 2026-04-01)
check_contains "assigning again writes nothing" "already so: nothing written" "$out"
lst() { pc grid list --scope PA0101 --date "$1" --json | jf '"; ".join(g["code"]+" "+str(g["customers"])+" "+",".join(g["managers"]) for g in d)'; }
check_eq "grids on 2026-02-15" "VB-01 2 am.a; VB-02 1 am.b,off.vb" "$(lst 2026-02-15)"
check_eq "grids on 2026-03-15" "VB-01 1 am.a; VB-02 2 am.b,off.vb" "$(lst 2026-03-15)"
check_eq "grids on 2026-04-15" "VB-01 1 am.b; VB-02 2 am.b,off.vb" "$(lst 2026-04-15)"
check_eq "grids on 2026-05-15" "VB-01 0 am.b; VB-02 2 am.b,off.vb" "$(lst 2026-05-15)"
check_eq "grids on 2025-12-31: none in force yet" "VB-01 0 ; VB-02 0 " "$(lst 2025-12-31)"
check_eq "a customer's grid history" "2026-01-01 VB-01 import; 2026-03-01 VB-02 list" \
  "$(pc grid customer PA01010000201 --json | jf '"; ".join(h["from"]+" "+str(h["grid"])+" "+h["source"] for h in d["history"])')"
check_eq "a grid's manager history" "2026-01-01 manager am.a; 2026-04-01 manager_end am.a; 2026-04-01 manager am.b" \
  "$(pc grid show VB-01 --json | jf '"; ".join(h["from"]+" "+h["change"]+" "+h["manager"] for h in d["managers"])')"

# ---- the worklist on hand-made debt ----
cat > debt.csv <<'CSV'
customer_code,invoice_no,period,issue_date,due_date,amount,paid,paid_at
PA01010000201,L-1,2025-12,2026-01-02,2026-01-10,1500000,500000,2026-01-05
PA01010000201,L-2,2026-01,2026-02-02,2026-02-10,800000,,
PA01010000202,L-3,2026-01,2026-02-01,2026-02-20,300000,,
PA01010000203,L-4,2025-12,2026-01-02,2026-01-12,2000000,,
PA01020000204,L-5,2025-12,2026-01-02,2026-01-12,999000,,
CSV
pc debt import debt.csv >/dev/null
for d in 2026-01-11 2026-01-16 2026-01-21; do pc dunning run --date $d >/dev/null; done
pc case open PA01010000201 --status negotiating --next 2026-02-20 >/dev/null
pc case open PA01010000203 --status notified --next 2026-02-01 >/dev/null
REQ=$(pc request add --type meter_test --customer PA01010000202 --date 2026-02-10 --json | jf 'd["code"]')
REQ_DUE=$(pc request show "$REQ" --json | jf 'd["step_due_on"]')
# a risk run for January with thresholds 1/2, so that any point is high (docs/risk.md)
printf '[risk]\nmedium_threshold = 1\nhigh_threshold = 2\n' > risk.ini
pc --config risk.ini risk run --month 2026-01 >/dev/null
RISK_ACTION=$(pc report risk --month 2026-01 | jf '[c["action"] for c in d["customers"] if c["customer_code"] == "PA01010000201"][0]')
pc worklist --manager am.a --date 2026-02-15 --format json > wl.json
sec() { jf "[ (s['count'], s['amount'], [ (i['customer'], i['grid'], i['amount'], i['count'], i['date'], i['days'], i['detail']) for i in s['items']]) for s in d['sections'] if s['section'] == '$1'][0]" < wl.json; }
check_eq "am.a on 2026-02-15: its grid, 2 customers" "VB-01 2" "$(jf '" ".join(g["code"]+" "+str(g["customers"]) for g in d["grids"])' < wl.json)"
check_eq "overdue debt: 201 owes 1,000,000 + 800,000 past due, oldest 2026-01-10, 36 days" \
  "(1, 1800000, [('PA01010000201', 'VB-01', 1800000, 2, '2026-01-10', 36, None)])" "$(sec overdue_debt)"
check_eq "due soon: 202's 300,000 due 2026-02-20, 5 days left" \
  "(1, 300000, [('PA01010000202', 'VB-01', 300000, 1, '2026-02-20', -5, None)])" "$(sec due_soon)"
check_eq "work orders: 201's cut order of 2026-01-21 (204's and 203's invoices not yet at the cut)" \
  "(1, 0, [('PA01010000201', 'VB-01', 0, 1, '2026-01-21', 25, 'cut')])" "$(sec work_orders)"
check_eq "debt cases: 201 negotiating, next action 2026-02-20, owes 1,800,000 in all (300,000 of 202 is its own)" \
  "(1, 1800000, [('PA01010000201', 'VB-01', 1800000, 0, '2026-02-20', -5, 'negotiating')])" "$(sec debt_cases)"
check_eq "service requests: 202's meter test of 2026-02-10, open at its first step" \
  "(1, 0, [('PA01010000202', 'VB-01', 0, 1, '$REQ_DUE', $(( ($(date -d 2026-02-15 +%s) - $(date -d "$REQ_DUE" +%s)) / 86400 )), '$REQ meter_test: received')])" \
  "$(sec service_requests)"
# 201 on 31 January: 1,000,000 open 21 days (30*21/180 = 3), 1,000,000 overdue (20*1/5 = 4): 7
# points (no run 3 months before: no debt growth); 202 owed nothing then
check_eq "high risk: 201 classed high in January (score 7), debt 1,000,000 at the month's end" \
  "(1, 1000000, [('PA01010000201', 'VB-01', 1000000, 7, '2026-01-31', 15, '$RISK_ACTION: overdue_age=21:3;overdue_amount=1000000:4')])" \
  "$(sec high_risk)"
check_eq "prepaid low balances: none of am.a's customers is prepaid (prepaid.sh has the balances)" "prepaid_low True 0" \
  "$(jf '"|".join(s["section"]+" "+str(s["available"])+" "+str(s["count"]) for s in d["sections"] if s["section"] == "prepaid_low")' < wl.json)"
check_eq "am.b on 2026-02-15 (VB-02): 203's 2,000,000 overdue" "1 2000000" \
  "$(pc worklist --manager am.b --date 2026-02-15 --format json | jf '" ".join(str(s[k]) for s in d["sections"] if s["section"] == "overdue_debt" for k in ("count", "amount"))')"
check_eq "am.b on 2026-04-15 (VB-01 and VB-02): 203, 201 and 202 overdue" "PA01010000203 2000000|PA01010000201 1800000|PA01010000202 300000" \
  "$(pc worklist --manager am.b --date 2026-04-15 --format json | jf '"|".join(i["customer"]+" "+str(i["amount"]) for s in d["sections"] if s["section"] == "overdue_debt" for i in s["items"])')"
check_eq "am.a on 2026-04-15: no grid, nothing to work" "0 0" \
  "$(pc worklist --manager am.a --date 2026-04-15 --format json | jf 'str(len(d["grids"]))+" "+str(sum(s["count"] for s in d["sections"]))')"
check_eq "the CSV: header and one line per item" \
  'section,grid,customer,name,address,phone,route,amount,count,date,days,detail,ref
overdue_debt,VB-01,PA01010000201,Nguyễn Văn An,Xóm 1 xã Hiển Khánh,0912000201,R1,1800000,2,2026-01-10,36,,
due_soon,VB-01,PA01010000202,Trần Thị Bình,Xóm 2 xã Hiển Khánh,0912000202,R1,300000,1,2026-02-20,-5,,
high_risk,VB-01,PA01010000201,Nguyễn Văn An,Xóm 1 xã Hiển Khánh,0912000201,R1,1000000,7,2026-01-31,15,'"$RISK_ACTION"': overdue_age=21:3;overdue_amount=1000000:4,1
service_requests,VB-01,PA01010000202,Trần Thị Bình,Xóm 2 xã Hiển Khánh,0912000202,R1,0,1,'"$REQ_DUE"',5,'"$REQ"' meter_test: received,1' \
  "$(pc worklist --manager am.a --date 2026-02-15 --format csv | grep -v -e '^"work_orders"' -e '^"debt_cases"' | tr -d '"')"
check_fails "worklist of an unknown manager" pc worklist --manager nobody
check_fails "worklist: a bad format" pc worklist --manager am.a --format xml

# ---- over HTTP: a manager sees its own, supervisors those of their scope ----
api_serve
for l in am.a am.c off.vb gd.pa01 gd.pa02 tn.vb xem.pa02; do login "$l" "$l" "pw-$l-grids" >/dev/null; done
get() { call "$3" -b "$1" "$U$2"; }
st=$(get am.a "/api/v1/worklist?date=2026-02-15" a.json)
check_eq "am.a: its own worklist, 200" "200|am.a|1800000" \
  "$st|$(jf 'd["manager"]+"|"+str([s["amount"] for s in d["sections"] if s["section"] == "overdue_debt"][0])' < a.json)"
st=$(get am.a "/api/v1/worklist?manager=am.b&date=2026-02-15" b.json)
check_eq "am.a may not see am.b's worklist: 403" "403|forbidden|manager" "$st|$(err b.json)"
st=$(get off.vb "/api/v1/worklist?manager=am.a&date=2026-02-15" c.json)
check_eq "the unit officer sees am.a's" "200|PA01010000201" "$st|$(jf '[s for s in d["sections"] if s["section"] == "overdue_debt"][0]["items"][0]["customer"]' < c.json)"
st=$(get gd.pa01 "/api/v1/worklist?manager=am.c&date=2026-02-15" d.json)
check_eq "the company manager sees am.c's (PA0102): 204's 999,000" "200|999000" \
  "$st|$(jf '[s for s in d["sections"] if s["section"] == "overdue_debt"][0]["amount"]' < d.json)"
st=$(get gd.pa02 "/api/v1/worklist?manager=am.a" e.json)
check_eq "another company's manager: 404, nothing leaks" "404|['error']" "$st|$(jf 'sorted(d.keys())' < e.json)"
st=$(get off.vb "/api/v1/worklist?manager=am.c" f.json)
check_eq "a unit officer, a manager of the next unit: 404" "404" "$st"
st=$(get tn.vb "/api/v1/worklist" g.json)
check_eq "a cashier: 403" "403|forbidden|None" "$st|$(err g.json)"
st=$(call h.json "$U/api/v1/worklist")
check_eq "nobody signed in: 401" "401" "$st"
st=$(get am.a "/api/v1/worklist?date=2026-02-15&format=csv" a.csv)
check_eq "CSV download" "200|section,grid,customer" "$st|$(head -1 a.csv | tr -d '"' | cut -d, -f1-3)"
st=$(get am.a "/api/v1/worklist?format=xlsx" x.json)
check_eq "a bad format: 400" "400|invalid|format" "$st|$(err x.json)"
st=$(get gd.pa01 "/api/v1/grids?date=2026-02-15" gl.json)
check_eq "grids of PA01 with managers and customers" "200|VB-01 2 am.a;VB-02 1 am.b,off.vb;YY-01 1 am.c" \
  "$st|$(jf '";".join(g["code"]+" "+str(g["customers"])+" "+",".join(g["managers"]) for g in d["items"])' < gl.json)"
st=$(get am.c "/api/v1/grids?date=2026-02-15" gc.json)
check_eq "an account manager of PA0102 sees its unit's grids" "200|YY-01" "$st|$(jf '";".join(g["code"] for g in d["items"])' < gc.json)"
st=$(get xem.pa02 "/api/v1/grids?scope=PA01" gx.json)
check_eq "grids of a scope outside one's own: 403" "403" "$st"
st=$(get am.a "/api/v1/customers/PA01010000201" cu.json)
check_eq "an account manager reads its customers' profiles" "200" "$st"
finish
