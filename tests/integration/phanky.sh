#!/usr/bin/env bash
# Phân kỳ control and AMR figures (DOMAIN 4, issue 7) through the real billing path: customers
# whose last 3 billed months average exactly 49,999 / 50,000 / 99,999 / 100,000 kWh, ones with 1
# or 2 billed months or none, a residential one and one outside the scope; adjusting and
# replacing invoices and a legacy receivable; JSON, CSV and XLSX agree; [phanky] thresholds; the
# change of a customer's periods (from next month, audited); AMR coverage and success exactly.
. "$(dirname "$0")/lib.sh"

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
# The clock the commands read "today" from: 15 October 2026 in Hà Nội.
export POWERCIS_CLOCK=2026-10-15T09:00:00+07:00

pc init >/dev/null
make_tree
# configured periods a month in the contract; meters of 7 digits (indexes past 999,999)
cat > customers.csv <<'CSV'
unit,customer_code,name,address,purpose,voltage,households,phone,meter,multiplier,digits,amr,periods_per_month,valid_from
PA0101,PA01010000001,Trường THCS Kim Thái,Xã Kim Thái,administrative_public,<6kV,1,,PM0000000001,1,7,1,1,2026-01-01
PA0101,PA01010000002,"Bệnh viện ""Vụ Bản""",Thị trấn Gôi,administrative_public,<6kV,1,,PM0000000002,1,7,1,1,2026-01-01
PA0101,PA01010000003,UBND huyện Vụ Bản,Thị trấn Gôi,administrative_other,<6kV,1,,PM0000000003,1,7,1,2,2026-01-01
PA0101,PA01010000004,Chiếu sáng công cộng Gôi,Thị trấn Gôi,administrative_other,<6kV,1,,PM0000000004,1,7,0,2,2026-01-01
PA0101,PA01010000005,Trường mầm non Hiển Khánh,Xã Hiển Khánh,administrative_public,<6kV,1,,PM0000000005,1,7,0,3,2026-01-01
PA0102,PA01020000006,Trạm y tế Yên Bằng,Xã Yên Bằng,administrative_public,6-22kV,1,,PM0000000006,1,7,0,2,2026-01-01
PA0102,PA01020000007,Nguyễn Văn An,Xã Yên Bằng,residential,,1,,PM0000000007,1,7,1,1,2026-01-01
PA0102,PA01020000008,Trường tiểu học Yên Tiến,Xã Yên Tiến,administrative_public,<6kV,1,,PM0000000008,1,7,0,1,2026-01-01
PA0201,PA02010000009,Bệnh viện Hưng Hà,Thị trấn Hưng Hà,administrative_public,<6kV,1,,PM0000000009,1,7,0,1,2026-01-01
CSV
check "customers" pc customer import customers.csv
# Reads: kWh per reading date (the first date is the meter's initial index). Billed months:
#  …01: 49,999 ×3 → avg 49,999: 1 period, has 1 → ok
#  …02: 50,000 ×3 → avg 50,000: 2 periods, has 1 → needs_more
#  …03: read twice a month, 50,000 + 49,998 | 50,000 + 50,000 | 49,999 + 50,000 → months 99,998,
#       100,000, 99,999 → avg 99,999: 2, has 2 → ok (two invoices a month summed)
#  …04: 100,001 | 99,999 | 100,000 → avg 100,000: 3, has 2 → needs_more
#  …05: one billed month, 60,000 → 2, has 3 → needs_fewer
#  …06: two billed months, 30,000 + 30,001 → 30,000.5 rounds half up to 30,001: 1, has 2 → needs_fewer
#  …07: residential (never listed); …08: initial index only (not billed: counted, not checked)
#  …09: unit PA0201, outside PA01: 120,000 ×3 → 3, has 1 → needs_more
# August's reads of the AMR meters (…01, …02, …07 and …03's second read) come from the AMR
# head-end; …03's first August read (08-10) was taken by hand.
python3 - <<'PY'
plan = {
 "PA01010000001": [("2026-05-25", 0), ("2026-06-25", 49999), ("2026-07-25", 49999), ("2026-08-25", 49999)],
 "PA01010000002": [("2026-05-25", 0), ("2026-06-25", 50000), ("2026-07-25", 50000), ("2026-08-25", 50000)],
 "PA01010000003": [("2026-05-25", 0), ("2026-06-10", 50000), ("2026-06-25", 49998), ("2026-07-10", 50000),
                   ("2026-07-25", 50000), ("2026-08-10", 49999), ("2026-08-25", 50000)],
 "PA01010000004": [("2026-05-25", 0), ("2026-06-25", 100001), ("2026-07-25", 99999), ("2026-08-25", 100000)],
 "PA01010000005": [("2026-07-25", 0), ("2026-08-25", 60000)],
 "PA01020000006": [("2026-06-25", 0), ("2026-07-25", 30000), ("2026-08-25", 30001)],
 "PA01020000007": [("2026-05-25", 0), ("2026-06-25", 500), ("2026-07-25", 480), ("2026-08-25", 510)],
 "PA01020000008": [("2026-08-25", 0)],
 "PA02010000009": [("2026-05-25", 0), ("2026-06-25", 120000), ("2026-07-25", 120000), ("2026-08-25", 120000)],
}
amr_aug = {"PA01010000001", "PA01010000002", "PA01020000007"}
files = {}
for code, reads in plan.items():
    idx = 1000
    for date, kwh in reads:
        idx += kwh
        m = date[:7]
        auto = m == "2026-08" and (code in amr_aug or (code == "PA01010000003" and date == "2026-08-25"))
        files.setdefault((m, auto), []).append((code, "PM00000000" + code[-2:], date, idx))
for (m, auto), rows in files.items():
    with open("reads-%s%s.csv" % (m, "-amr" if auto else ""), "w") as f:
        f.write("route,customer_code,meter,reading_date,total\n")
        for r in sorted(rows, key=lambda r: r[2]):
            f.write(",%s,%s,%s,%d\n" % r)
PY
for m in 05 06 07 08; do pc read import reads-2026-$m.csv >/dev/null || not_ok "reads of 2026-$m"; done
check "August's automatic reads imported with --source amr" pc read import reads-2026-08-amr.csv --source amr
check_eq "no read held for review" "0" "$(sql "SELECT count(*) FROM meter_read WHERE status = 'flagged'")"
for m in 06 07 08; do pc bill run --period 2026-$m --issue-date 2026-$m-28 >/dev/null || not_ok "bill run 2026-$m"; done
check_eq "invoices: two a month for the customer read twice" "24|6" \
  "$(sql "SELECT count(*) || '|' || sum(CASE WHEN c.code = 'PA01010000003' THEN 1 ELSE 0 END) FROM invoice i JOIN customer c ON c.id = i.customer_id")"
# A receivable brought from the old system in September bills no energy: it is no billed month
# (counted, …01 would average (0 + 49,999 + 49,999) / 3 = 33,333).
printf 'customer_code,invoice_no,period,issue_date,due_date,amount\nPA01010000001,LG0001,2026-09,2026-09-05,2026-09-15,1000000\n' > debt.csv
check "a legacy receivable of September for …01" pc debt import debt.csv
# …09's June replaced (119,997 kWh) and August adjusted (+3 kWh): 119,997 + 120,000 + 120,003 =
# 360,000 → avg 120,000 (counting the replaced June too would give 200,000; missing the
# adjustment 119,999).
ref() { sql "SELECT i.symbol || '/' || i.number FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = 'PA02010000009' AND i.period = '$1' AND i.kind = 'regular'"; }
check "…09's June replaced" pc invoice replace "$(ref 2026-06)" --kwh 119997 --reason "chỉ số ghi nhầm" --issue-date 2026-09-01
check "…09's August adjusted" pc invoice adjust "$(ref 2026-08)" --kwh 120003 --reason "bổ sung sản lượng" --issue-date 2026-09-01

# ---- the report, as of the quarter's last day, scope PA01 ----
pc report phanky --quarter 2026Q3 --scope PA01 > q3.json; rc=$?
check_eq "report phanky --quarter 2026Q3 --scope PA01" "0" "$rc"
check_eq "as of the quarter's last day, scope, thresholds" "2026-09-30 PA01 50000 100000" \
  "$(jf 'd["as_of"], d["scope"], d["rules"]["two_periods_kwh"], d["rules"]["three_periods_kwh"]' < q3.json | tr -d "(),'")"
rows=$(python3 -c '
import json
for r in json.load(open("q3.json"))["rows"]:
    print(r["customer_code"], r["unit"], r["avg_kwh"], r["months"], r["required"], r["configured"], r["status"])')
check_eq "every row exactly (no residential, no customer of another unit, none unbilled)" \
"PA01010000001 PA0101 49999 3 1 1 ok
PA01010000002 PA0101 50000 3 2 1 needs_more
PA01010000003 PA0101 99999 3 2 2 ok
PA01010000004 PA0101 100000 3 3 2 needs_more
PA01010000005 PA0101 60000 1 2 3 needs_fewer
PA01020000006 PA0102 30001 2 1 2 needs_fewer" "$rows"
check_eq "names quoted and intact" 'Bệnh viện "Vụ Bản"' "$(jf '[r["customer_name"] for r in d["rows"] if r["customer_code"] == "PA01010000002"][0]' < q3.json)"
units=$(python3 -c '
import json
d = json.load(open("q3.json"))
for u in d["units"] + [dict(d["totals"], unit="total", name="")]:
    print(u["unit"], u["checked"], u["ok"], u["needs_more"], u["needs_fewer"], u["not_billed"])')
check_eq "counts per unit and totals" \
"PA0101 5 2 2 1 0
PA0102 1 0 0 1 1
total 6 2 2 2 1" "$units"
pc report phanky --as-of 2026-09-30 > all.json
check_eq "the whole tree: …09 (replaced and adjusted invoices: avg 120,000) and its unit" \
  "PA02010000009 120000 3 1 needs_more | PA0201 1 0 1 0 | 7 3" "$(python3 -c '
import json
d = json.load(open("all.json"))
r = [r for r in d["rows"] if r["unit"] == "PA0201"][0]
u = [u for u in d["units"] if u["unit"] == "PA0201"][0]
print(r["customer_code"], r["avg_kwh"], r["required"], r["configured"], r["status"], "|", u["unit"], u["checked"], u["ok"], u["needs_more"], u["needs_fewer"], "|", d["totals"]["checked"], d["totals"]["needs_more"])')"
check_eq "default as of today (the clock)" "2026-10-15" "$(pc report phanky --scope PA0102 | jf 'd["as_of"]')"
# As of 2026-07-31 the billed months are June and July only.
check_eq "an earlier as-of date sees the months billed up to then" "PA01010000001 49999 2 | PA01010000005 0" \
  "$(pc report phanky --as-of 2026-07-31 --scope PA0101 | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = [r for r in d["rows"] if r["customer_code"] == "PA01010000001"][0]
print(r["customer_code"], r["avg_kwh"], r["months"], "|", "PA01010000005", sum(1 for r in d["rows"] if r["customer_code"] == "PA01010000005"))')"

# The window is the 6 months up to the as-of month: as of 2027-01-31 only August is left, as of
# 2027-03-31 nothing, and every non-residential customer counts as not billed.
check_eq "as of 2027-01-31 only August is in the window" "49999 1" \
  "$(pc report phanky --as-of 2027-01-31 --scope PA0101 | jf '[(r["avg_kwh"], r["months"]) for r in d["rows"] if r["customer_code"] == "PA01010000001"][0]' | tr -d "(),")"
check_eq "as of 2027-03-31 nothing is billed in the window" "0 | PA0101 0 5 | PA0102 0 2" \
  "$(pc report phanky --as-of 2027-03-31 --scope PA01 | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d["rows"]), "|", " | ".join("%s %d %d" % (u["unit"], u["checked"], u["not_billed"]) for u in d["units"]))')"

# ---- --exceptions, CSV and XLSX ----
pc report phanky --quarter 2026Q3 --scope PA01 --exceptions > ex.json
check_eq "--exceptions: only the mismatches" "PA01010000002 PA01010000004 PA01010000005 PA01020000006" \
  "$(jf '" ".join(r["customer_code"] for r in d["rows"])' < ex.json)"
check_eq "--exceptions: the counts still count everyone" "True" \
  "$(python3 -c 'import json; a = json.load(open("q3.json")); b = json.load(open("ex.json")); print(a["units"] == b["units"] and a["totals"] == b["totals"])')"
pc report phanky --quarter 2026Q3 --scope PA01 --format csv > q3.csv
same=$(python3 -c '
import csv, json
j = json.load(open("q3.json"))["rows"]
c = list(csv.DictReader(open("q3.csv", encoding="utf-8")))
F = ["avg_kwh", "months", "required", "configured"]
print(len(c) == len(j) and all(x["customer_code"] == y["customer_code"] and x["unit"] == y["unit"] and x["status"] == y["status"]
      and x["customer_name"] == y["customer_name"] and all(int(x[f]) == y[f] for f in F) for x, y in zip(c, j)))')
check_eq "CSV: the JSON's rows and numbers" "True" "$same"
check "XLSX written" pc report phanky --quarter 2026Q3 --scope PA01 --format xlsx --out phanky.xlsx
mkdir -p lo
if command -v libreoffice >/dev/null; then
  # every sheet to its own CSV (phanky-<sheet name>.csv)
  libreoffice -env:UserInstallation=file://$WORK/lo-profile --headless \
    --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' --outdir lo phanky.xlsx >/dev/null 2>&1
fi
xl=$(python3 - <<'PY' 2>&1
import csv, glob, json, re
ex = json.load(open("ex.json"))
sheets = {f.split("phanky-")[1][:-4]: list(csv.reader(open(f, encoding="utf-8"))) for f in glob.glob("lo/phanky-*.csv")}
num = lambda s: int(re.sub(r"[.,\s]", "", s))
rows = sheets["Lệch phân kỳ"]
head = rows.index([r for r in rows if r and r[0] == "STT"][0])
data = [r for r in rows[head + 1:] if r and r[0]]
ok_rows = len(data) == len(ex["rows"]) and all(
    r[1] == j["customer_code"] and r[3] == j["unit"] and num(r[5]) == j["avg_kwh"] and num(r[6]) == j["months"]
    and num(r[7]) == j["required"] and num(r[8]) == j["configured"] for r, j in zip(data, ex["rows"]))
units = sheets["Tổng hợp đơn vị"]
head = units.index([r for r in units if r and r[0] == "Mã đơn vị"][0])
want = [[u["unit"], u["name"], u["checked"], u["ok"], u["needs_more"], u["needs_fewer"], u["not_billed"]] for u in ex["units"]]
t = ex["totals"]
want.append(["", "Cộng", t["checked"], t["ok"], t["needs_more"], t["needs_fewer"], t["not_billed"]])
got = [r[:2] + [num(x) for x in r[2:7]] for r in units[head + 1:] if r and r[1]]
print(ok_rows, got == want, "Cần tăng số kỳ" in data[0])
PY
)
check_eq "XLSX opened by LibreOffice: the exception rows and the unit counts of the JSON, Vietnamese headings" "True True True" "$xl"

# ---- thresholds from the configuration ----
printf '[phanky]\ntwo_periods_kwh = 40000\nthree_periods_kwh = 99999\n' > low.ini
check_eq "[phanky] thresholds apply" "40000 99999 | 2 needs_more | 3 needs_more" "$(pc --config low.ini report phanky --quarter 2026Q3 --scope PA0101 | python3 -c '
import json, sys
d = json.load(sys.stdin)
r = {r["customer_code"]: r for r in d["rows"]}
print(d["rules"]["two_periods_kwh"], d["rules"]["three_periods_kwh"], "|", r["PA01010000001"]["required"], r["PA01010000001"]["status"], "|", r["PA01010000003"]["required"], r["PA01010000003"]["status"])')"
printf '[phanky]\ntwo_periods_kwh = 100000\nthree_periods_kwh = 100000\n' > bad.ini
out=$(pc --config bad.ini report phanky --quarter 2026Q3 2>&1); rc=$?
check_eq "thresholds that do not increase are refused" "1" "$rc"
check_contains "… naming the section" "[phanky]" "$out"

# ---- changing a customer's periods ----
fp=$(fingerprint)
out=$(pc customer periods PA01010000002 --periods 2 --reason "x" --from 2026-10 2>&1); rc=$?
check_eq "the current month is refused" "2" "$rc"
check_contains "… saying from when it can" "the earliest is 2026-11" "$out"
check_fails "a past month is refused" pc customer periods PA01010000002 --periods 2 --reason x --from 2026-08
out=$(pc customer periods PA01020000007 --periods 2 --reason x 2>&1)
check_contains "a residential customer is refused" "residential" "$out"
check_fails "4 periods a month is refused" pc customer periods PA01010000002 --periods 4 --reason x
check_fails "a change without a reason is refused" pc customer periods PA01010000002 --periods 2
check_fails "no change is refused" pc customer periods PA01010000003 --periods 2 --reason x
check_fails "an unknown customer is refused" pc customer periods PA01019999999 --periods 2 --reason x
check_eq "the refusals changed nothing" "$fp" "$(fingerprint)"
out=$(pc customer periods PA01010000002 --periods 2 --reason "bình quân 50.000 kWh/tháng"); rc=$?
check_eq "…02 to 2 periods a month" "0" "$rc"
check_contains "… from the first day of next month" "2 periods a month from 2026-11-01 (was 1)" "$out"
check_eq "a new contract version, the old one kept" "2026-01-01:1 2026-11-01:2" \
  "$(sql "SELECT $(agg)(valid_from || ':' || periods_per_month, ' ') FROM (SELECT k.valid_from, k.periods_per_month FROM contract k JOIN customer c ON c.id = k.customer_id WHERE c.code = 'PA01010000002' ORDER BY k.valid_from) x")"
check_contains "audit chain intact" "intact" "$(pc audit verify)"
audit=$(sql "SELECT action || '|' || entity_key || '|' || actor FROM audit_log ORDER BY id DESC LIMIT 1")
check_eq "audited as customer.periods" "customer.periods|PA01010000002|tester" "$audit"
check_eq "… with the periods before and after and the reason" "1 2 2026-11-01 bình quân 50.000 kWh/tháng" \
  "$(sql "SELECT detail FROM audit_log ORDER BY id DESC LIMIT 1" | jf 'd["before"]["periods_per_month"], d["after"]["periods_per_month"], d["after"]["valid_from"], d["reason"]' | python3 -c 'import ast,sys; print(" ".join(str(x) for x in ast.literal_eval(sys.stdin.read())))')"
st() { pc report phanky --as-of "$1" --scope PA0101 | jf '[(r["configured"], r["status"]) for r in d["rows"] if r["customer_code"] == "PA01010000002"][0]' | tr -d "(),'"; }
check_eq "the report as of 2026-10-31 still sees 1 period" "1 needs_more" "$(st 2026-10-31)"
check_eq "… and from 2026-11-01 the new 2 periods" "2 ok" "$(st 2026-11-01)"
check "a later month may be named" pc customer periods PA01010000005 --periods 2 --reason "giảm kỳ" --from 2027-01
check_eq "… and takes effect then" "3 2" "$(for d in 2026-12-31 2027-01-01; do pc report phanky --as-of $d --scope PA0101 | jf '[r["configured"] for r in d["rows"] if r["customer_code"] == "PA01010000005"][0]'; done | tr '\n' ' ' | sed 's/ $//')"

# ---- AMR figures, August 2026 ----
# Meters at the month's end of active customers: PA0101 has …01-…05 (5), AMR …01 …02 …03 (3):
# coverage 3/5 = 60.00; scheduled: …01 1 + …02 1 + …03 2 = 4; received: …01, …02 and …03's
# 08-25 (its 08-10 was read by hand) = 3 → 75.00. PA0102: …06 …07 …08 (3), AMR …07 (1): 33.33;
# scheduled 1, received 1: 100.00. PA01: 8 meters, 4 AMR: 50.00; 5 scheduled, 4 received: 80.00.
# PA0201: 1 meter, none automatic: 0.00 and no success rate (nothing scheduled).
pc report amr --month 2026-08 --scope PA01 > amr.json; rc=$?
check_eq "report amr --month 2026-08 --scope PA01" "0" "$rc"
got=$(python3 -c '
import json
d = json.load(open("amr.json"))
print(d["month"], d["targets"]["coverage_pct"], d["targets"]["success_pct"])
for u in d["units"] + [dict(d["totals"], unit="total")]:
    print(u["unit"], u["meters"], u["amr_meters"], "%.2f" % u["coverage_pct"], u["scheduled"], u["received"], "%.2f" % u["success_pct"])')
check_eq "AMR figures per unit and totals, with the targets" \
"2026-08 99.0 98.0
PA0101 5 3 60.00 4 3 75.00
PA0102 3 1 33.33 1 1 100.00
total 8 4 50.00 5 4 80.00" "$got"
check_contains "percentages printed with two decimals" '"coverage_pct":33.33' "$(cat amr.json)"
pc report amr --month 2026-08 --format csv > amr.csv
check_eq "CSV: every unit of the tree and the total" \
"unit,PA0101,5,3,60.00,4,3,75.00
unit,PA0102,3,1,33.33,1,1,100.00
unit,PA0201,1,0,0.00,0,0,
total,,9,4,44.44,5,4,80.00" "$(python3 -c '
import csv
for r in list(csv.DictReader(open("amr.csv", encoding="utf-8"))):
    print(",".join([r["row"], r["unit"], r["meters"], r["amr_meters"], r["coverage_pct"], r["scheduled"], r["received"], r["success_pct"]]))')"
check_eq "automatic reads stored as amr:<file hash>" "4 4" \
  "$(sql "SELECT count(*) || ' ' || sum(CASE WHEN length(source) = 20 THEN 1 ELSE 0 END) FROM meter_read WHERE source LIKE 'amr:%'")"
check "read add --source amr" pc read add PA01010000001 --date 2026-09-25 --total 160000 --source amr
check_eq "… stored as amr" "amr" "$(sql "SELECT source FROM meter_read WHERE read_date = '2026-09-25'")"
check_eq "September: one automatic read of four scheduled" "4 1" "$(pc report amr --month 2026-09 --scope PA0101 | jf 'd["totals"]["scheduled"], d["totals"]["received"]' | tr -d '(),')"
check_eq "a month before any meter: no meters, no rates" "0 None None" "$(pc report amr --month 2025-01 | jf 'd["totals"]["meters"], d["totals"]["coverage_pct"], d["totals"]["success_pct"]' | tr -d '(),')"
check_fails "read add --source bogus" pc read add PA01010000001 --date 2026-09-26 --total 1 --source bogus

# ---- bad requests ----
fp=$(fingerprint)
bad() { local name=$1; shift; local out; out=$(pc "$@" 2>&1); local rc=$?; if [ $rc -ne 0 ] && [[ "$out" == *"$BAD_NEEDLE"* ]]; then ok "$name"; else not_ok "$name" "rc=$rc" "$out"; fi; }
BAD_NEEDLE="PA09"; bad "unknown scope" report phanky --scope PA09
BAD_NEEDLE="2026Q5"; bad "quarter 2026Q5" report phanky --quarter 2026Q5
BAD_NEEDLE="2026Q"; bad "quarter 2026Q" report phanky --quarter 2026Q
BAD_NEEDLE="not both"; bad "--quarter and --as-of together" report phanky --quarter 2026Q3 --as-of 2026-09-30
BAD_NEEDLE="2026-02-30"; bad "a day that does not exist" report phanky --as-of 2026-02-30
BAD_NEEDLE="pdf"; bad "format pdf" report phanky --format pdf
BAD_NEEDLE="--out"; bad "xlsx without --out" report phanky --format xlsx
BAD_NEEDLE="--bogus"; bad "an unknown flag" report phanky --bogus
BAD_NEEDLE="2026-13"; bad "amr: month 2026-13" report amr --month 2026-13
BAD_NEEDLE="PA09"; bad "amr: unknown scope" report amr --scope PA09
BAD_NEEDLE="xlsx"; bad "amr: xlsx is not offered" report amr --format xlsx
check_eq "bad requests changed nothing" "$fp" "$(fingerprint)"
check_eq "no report left behind by a failed run" "no" "$(pc report phanky --scope PA09 --format csv --out bad.csv >/dev/null 2>&1; [ -e bad.csv ] && echo yes || echo no)"

finish
