#!/usr/bin/env bash
# The aging report (DOMAIN 9) against the database: every boundary case of
# tests/cases/aging/boundaries.csv lands in its bucket through the real SQL, totals equal the sum
# of the detail at every level, residential + non-residential = all, the provision follows the
# scheme, CSV and XLSX carry the JSON's numbers, a report as of an earlier date shows the debt as
# it stood then, the trend, and bad requests change nothing.
. "$(dirname "$0")/lib.sh"

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
# One customer per boundary case of two as-of dates (units and classes alternate) and one legacy
# receivable each, issued before both the due date and the as-of date, with its own amount.
python3 - "$CASES/aging/boundaries.csv" <<'PY'
import csv, datetime, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["as_of"] in ("2025-02-28", "2024-02-29")]
units = ["PA0101", "PA0102", "PA0201"]
with open("customers.csv", "w", encoding="utf-8") as c, open("debts.csv", "w", encoding="utf-8") as d, \
     open("expect.csv", "w", encoding="utf-8") as x:
    c.write("unit,customer_code,name,address,purpose,voltage,households,phone,renter,persons,tou,route,meter,valid_from\n")
    d.write("customer_code,invoice_no,period,issue_date,due_date,amount\n")
    for i, r in enumerate(rows, 1):
        unit = units[i % 3]
        code = "%s%07d" % (unit, i)
        res = i % 2 == 0
        c.write('%s,%s,Khách hàng %d,"Số %d, xã Yên Bằng",%s,%s,1,,0,,0,,PM%010d,2020-01-01\n'
                % (unit, code, i, i, "residential" if res else "business", "" if res else "<6kV", i))
        due = datetime.date.fromisoformat(r["due_date"])
        issue = min(due, datetime.date.fromisoformat(r["as_of"])) - datetime.timedelta(days=5)
        d.write("%s,LG%05d,%s,%s,%s,%d\n" % (code, i, issue.strftime("%Y-%m"), issue, due, 100000 + i * 1000))
        x.write("%s,%s,%s,%d\n" % (r["as_of"], code, r["bucket"], 100000 + i * 1000))
PY
check "customers of the boundary cases" pc customer import customers.csv
check "their receivables" pc debt import debts.csv

# Each case: its customer's amount is in the expected bucket and nowhere else.
for asof in 2025-02-28 2024-02-29; do
  pc report aging --as-of $asof --by customer --format json > detail.json
  got=$(python3 - $asof <<'PY'
import csv, json, sys
asof = sys.argv[1]
rows = {r["customer_code"]: r for r in json.load(open("detail.json"))["rows"]}
buckets = ["not_due", "lt_3m", "m3_6", "m6_12", "y1_2", "y2_3", "ge_3y"]
good = bad = 0
for e_asof, code, bucket, amount in csv.reader(open("expect.csv")):
    if e_asof != asof:
        continue
    r = rows.get(code)
    if r and r[bucket] == int(amount) and r["total"] == int(amount) and all(r[b] == 0 for b in buckets if b != bucket):
        good += 1
    else:
        bad += 1
        print("wrong:", code, bucket, amount, r, file=sys.stderr)
print(good, bad)
PY
)
  n=$(grep -c "^$asof," expect.csv)
  check_eq "as of $asof: every boundary case in its bucket through the database" "$n 0" "$got"
done

# ---- totals equal the sum of the detail, at every level ----
asof=2025-02-28
for by in customer unit company corporation; do pc report aging --as-of $asof --by $by --format json > by_$by.json; done
sums=$(python3 - <<'PY'
import json
F = ["customers", "not_due", "lt_3m", "m3_6", "m6_12", "y1_2", "y2_3", "ge_3y", "total"]
out = []
for by in ["customer", "unit", "company", "corporation"]:
    d = json.load(open("by_%s.json" % by))
    items = [r for r in d["rows"] if r["class"] in ("residential", "nonresidential")] if by == "customer" \
        else [r for r in d["rows"] if r["class"] == "all"]
    tot = [t for t in d["totals"] if t["class"] == "all"][0]
    out.append(all(sum(r[f] for r in items) == tot[f] for f in F))
    # residential + non-residential = all, on every summary row and the totals
    rows = d["rows"] + d["subtotals"] + d["totals"] if by != "customer" else d["totals"]
    keyed = {}
    for r in rows:
        keyed.setdefault((r["scope"], r["level"], r.get("kind", "")), {})[r["class"]] = r
    out.append(all(g["residential"][f] + g["nonresidential"][f] == g["all"][f] for g in keyed.values() for f in F))
print(" ".join(str(x) for x in out))
PY
)
check_eq "totals = sum of the rows, and residential + non-residential = all (customer, unit, company, corporation)" \
  "True True True True True True True True" "$sums"
same=$(python3 -c '
import json
t = [json.load(open("by_%s.json" % b))["totals"] for b in ["customer", "unit", "company", "corporation"]]
print(all(x == t[0] for x in t))')
check_eq "the same totals whatever the level" "True" "$same"
sub=$(python3 -c '
import json
d = json.load(open("by_unit.json"))
pa01 = [s for s in d["subtotals"] if s["scope"] == "PA01" and s["class"] == "all"][0]
units = [r for r in d["rows"] if r["scope"] in ("PA0101", "PA0102") and r["class"] == "all"]
print(pa01["total"] == sum(r["total"] for r in units), pa01["level"])')
check_eq "a company subtotal sums its units" "True company" "$sub"
# every receivable of both groups was issued by 2025-02-28
expected_total=$(awk -F, '{s+=$4} END {print s}' expect.csv)
check_eq "the grand total is every receivable issued by then" "$expected_total" "$(jf '[t for t in d["totals"] if t["class"]=="all"][0]["total"]' < by_unit.json)"

# ---- provision ----
prov=$(python3 -c '
import json
t = [t for t in json.load(open("by_unit.json"))["totals"] if t["class"] == "all"][0]
want = (30 * t["m6_12"] + 50 * t["y1_2"] + 70 * t["y2_3"] + 100 * t["ge_3y"] + 50) // 100
print(t["provision"] == want, t["provision"] > 0)')
check_eq "general provision: 30% / 50% / 70% / 100% of 6-12 m, 1-2 y, 2-3 y, 3+ y" "True True" "$prov"
pc report aging --as-of $asof --by unit --provision special --format json > special.json
prov=$(python3 -c '
import json
t = [t for t in json.load(open("special.json"))["totals"] if t["class"] == "all"][0]
# the special scheme: 3-6 m 30%, 6-9 m 50%, 9-12 m 70%, 12 m+ 100% (6-12 m lies between 50% and 70%)
lo = (30 * t["m3_6"] + 50 * t["m6_12"] + 100 * (t["y1_2"] + t["y2_3"] + t["ge_3y"])) // 100
hi = (30 * t["m3_6"] + 70 * t["m6_12"] + 100 * (t["y1_2"] + t["y2_3"] + t["ge_3y"]) + 99) // 100
print(lo <= t["provision"] <= hi, t["provision"] > 0)' 2>&1)
check_eq "special provision within its rates" "True True" "$prov"
check_eq "special scheme named in the report" "special" "$(jf 'd["provision_scheme"]' < special.json)"

# ---- CSV and XLSX carry the same numbers ----
pc report aging --as-of $asof --by unit --format csv > by_unit.csv
same=$(python3 -c '
import csv, json
d = json.load(open("by_unit.json"))
rows = list(csv.DictReader(open("by_unit.csv", encoding="utf-8")))
j = [("item", r) for r in d["rows"]] + [("subtotal", r) for r in d["subtotals"]] + [("total", r) for r in d["totals"]]
key = lambda kind, r: (kind, r["scope"], r["class"])
cj = {key(k, r): r for k, r in j}
F = ["customers", "not_due", "lt_3m", "m3_6", "m6_12", "y1_2", "y2_3", "ge_3y", "total", "provision"]
print(len(rows) == len(j) and all(int(c[f]) == cj[key(c["row"], c)][f] for c in rows for f in F))')
check_eq "CSV: the JSON's rows and numbers" "True" "$same"
check "XLSX written" pc report aging --as-of $asof --by unit --format xlsx --out aging.xlsx
mkdir -p lo
if command -v libreoffice >/dev/null; then
  libreoffice -env:UserInstallation=file://$WORK/lo-profile --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' --outdir lo aging.xlsx >/dev/null 2>&1
fi
found=$(python3 -c '
import csv, json, re
t = [t for t in json.load(open("by_unit.json"))["totals"] if t["class"] == "all"][0]
cells = set()
for row in csv.reader(open("lo/aging.csv", encoding="utf-8")):
    for c in row:
        c = re.sub(r"[.,\s]", "", c)
        if c.isdigit():
            cells.add(int(c))
need = [t[f] for f in ["not_due", "lt_3m", "m3_6", "m6_12", "y1_2", "y2_3", "ge_3y", "total", "provision"] if t[f] > 0]
print(all(n in cells for n in need), len(need))' 2>&1)
check_eq "XLSX opened by LibreOffice shows the totals of the JSON" "True 9" "$found"

# ---- as of an earlier date: the debt as it stood ----
code=$(awk -F, '$1=="2025-02-28" && $3=="lt_3m" {print $2; exit}' expect.csv)
amount=$(awk -F, -v c=$code '$2==c {print $4}' expect.csv)
shift=$(pc shift open --cashier "Trần Thị Lan" --unit PA0101 --json | jf 'd["shift_id"]')
check "pay one receivable in full on 2025-03-10" pc pay post $code --shift $shift --amount $amount --paid-at "2025-03-10 09:00"
before=$(pc report aging --as-of 2025-03-09 --by customer --format json | jf "[r['total'] for r in d['rows'] if r['customer_code']=='$code']")
after=$(pc report aging --as-of 2025-03-10 --by customer --format json | jf "[r['total'] for r in d['rows'] if r['customer_code']=='$code']")
check_eq "as of the day before the payment it is still owed, as of its day it is gone" "[$amount] []" "$before $after"
t1=$(pc report aging --as-of 2025-02-28 --by unit --format json | jf '[t for t in d["totals"] if t["class"]=="all"][0]["total"]')
check_eq "a later payment does not change an earlier report" "$expected_total" "$t1"

# ---- the trend ----
pc report aging-trend --from 2024-11 --to 2025-03 --format json > trend.json
tr=$(python3 -c '
import json
d = json.load(open("trend.json"))
feb = [r for r in d["rows"] if r["month"] == "2025-02" and r["class"] == "all"][0]
print(len(d["rows"]), feb["as_of"], feb["total"])')
check_eq "trend: three rows a month, February as of its last day with the report's total" "15 2025-02-28 $expected_total" "$tr"
check "trend as XLSX" pc report aging-trend --from 2024-11 --to 2025-03 --format xlsx --out trend.xlsx

# ---- bad requests ----
fp=$(fingerprint)
out=$(pc report aging --as-of 2025-02-30 2>&1); rc=$?
check_eq "an impossible date: exit 2" "2" "$rc"
check_contains "… naming the flag" "--as-of" "$out"
out=$(pc report aging --as-of $asof --by region 2>&1); rc=$?
check_eq "an unknown level: exit 2" "2" "$rc"
out=$(pc report aging --as-of $asof --scope NOPE 2>&1); rc=$?
check_eq "an unknown scope: exit 2" "2|1" "$rc|$(echo "$out" | grep -c NOPE)"
out=$(pc report aging --as-of $asof --scope PA0101 --by company 2>&1); rc=$?
check_eq "a level above the scope: exit 2" "2" "$rc"
out=$(pc report aging --as-of $asof --format xlsx 2>&1); rc=$?
check_eq "xlsx without --out: exit 2" "2" "$rc"
out=$(pc report aging-trend --from 2025-03 --to 2024-11 2>&1); rc=$?
check_eq "a trend backwards: exit 2" "2" "$rc"
check_eq "reports change nothing" "$fp" "$(fingerprint)"

check_ledger "after the aging checks"
finish
