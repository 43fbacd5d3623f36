#!/usr/bin/env bash
# Report locks (DOMAIN 10): a locked month's report is byte for byte the snapshot taken at lock
# time, even after changes in open months; every kind of change dated in the locked month for a
# customer inside the scope is refused naming the lock, and the database is unchanged; outside
# the scope or the month it goes through; only the level above unlocks, with a reason; audited.
. "$(dirname "$0")/lib.sh"

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; R2=PA01010000102; A=PA01020000104; T=PA02010000105
cat > debts.csv <<'EOF'
customer_code,invoice_no,period,issue_date,due_date,amount
PA01010000101,OLD-1,2025-05,2025-05-05,2025-05-15,300000
PA01010000101,OLD-2,2025-06,2025-06-05,2025-06-15,250000
PA01010000102,OLD-3,2025-07,2025-07-05,2025-07-15,120000
PA01020000104,OLD-4,2025-07,2025-07-05,2025-07-15,900000
PA02010000105,OLD-5,2025-07,2025-07-05,2025-07-15,450000
EOF
check "receivables" pc debt import debts.csv
shift=$(pc shift open --cashier "Trần Thị Lan" --unit PA0101 --json | jf 'd["shift_id"]')
check "a payment in August, before the lock" pc pay post $R2 --shift $shift --amount 20000 --ref AUG1 --paid-at "2025-08-15 10:00"

# ---- lock a unit's August ----
out=$(pc lock --scope PA0101 --period 2025-08 2>&1); rc=$?
check_eq "the unit locks its August" "0" "$rc"
check_contains "… and is told the lock's number" "lock 1" "$out"
snapshot=$(sql "SELECT body FROM report_snapshot WHERE lock_id = 1 AND view = 'report'")
report=$(pc report aging --as-of 2025-08-31 --scope PA0101 --by unit --format json)
check_eq "the month's report is the snapshot, byte for byte" "$snapshot" "$report"
check_eq "… and says it comes from the lock" "1" "$(echo "$report" | jf 'd["lock"]')"
check_eq "… with the unit's debt at the month's end" "650000" \
  "$(echo "$report" | jf '[t for t in d["totals"] if t["class"]=="all"][0]["total"]')"

# ---- every kind of change dated in August for a customer of PA0101 is refused ----
fp=$(fingerprint)
refused() { # NAME COMMAND...: exit 2 or 1, an error naming the lock, nothing changed
  local name=$1; shift; local out rc
  out=$("$@" 2>&1); rc=$?
  if [ $rc -ne 0 ] && [[ "$out" == *"locked (lock "* ]] && [ "$(fingerprint)" = "$fp" ]; then ok "$name"
  else not_ok "$name" "exit $rc" "$out"; fi
}
refused "a payment dated in the locked month" pc pay post $R --shift $shift --amount 10000 --ref AUG2 --paid-at "2025-08-20 09:00"
refused "a reversal dated in the locked month" pc pay reverse --counter --ref AUG1 --reason "nhầm" --date 2025-08-25 --shift $shift
printf 'customer_code,invoice_no,period,issue_date,due_date,amount\nPA01010000101,OLD-9,2025-08,2025-08-05,2025-08-15,50000\n' > aug.csv
refused "a legacy receivable issued in the locked month" pc debt import aug.csv
inv=$(sql "SELECT i.symbol || '/' || i.number FROM invoice i JOIN legacy_invoice l ON l.invoice_id = i.id WHERE l.invoice_no = 'OLD-1'")
refused "an adjustment dated in the locked month" pc debt adjust $R --invoice "$inv" --kind correction --amount -1000 \
  --reason "sai chỉ số" --date 2025-08-20
printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' > minutes.pdf
refused "a document dated in the locked month" pc doc add $R minutes.pdf --kind minutes --date 2025-08-20
pc read add $R --date 2025-07-01 --total 1000 >/dev/null
pc read add $R --date 2025-08-01 --total 1100 >/dev/null
fp=$(fingerprint)
refused "a billing run issuing in the locked month" pc bill run --period 2025-08 --issue-date 2025-08-28 --scope PA0101

# ---- outside the unit or the month: allowed ----
check "a payment in August in another unit" pc pay post $A --shift $shift --amount 100000 --ref AUG3 --paid-at "2025-08-20 09:00"
check "a payment of the locked unit in July (not locked)" pc pay post $R --shift $shift --amount 50000 --ref JUL1 --paid-at "2025-07-20 09:00"
check_eq "the live figures moved, the locked month's report did not" "$snapshot" \
  "$(pc report aging --as-of 2025-08-31 --scope PA0101 --by unit --format json)"
live=$(pc report aging --as-of 2025-08-30 --scope PA0101 --by unit --format json | jf '[t for t in d["totals"] if t["class"]=="all"][0]["total"]')
check_eq "a day that is not the month's end is computed live" "600000" "$live"
co=$(pc report aging --as-of 2025-08-31 --scope PA01 --by unit --format json)
check_eq "the company's report: partly from the snapshot" "partial|650000" \
  "$(echo "$co" | jf 'd["lock"] + "|" + str([r for r in d["rows"] if r["scope"]=="PA0101" and r["class"]=="all"][0]["total"])')"
det=$(pc report aging --as-of 2025-08-31 --scope PA0101 --by customer --format json | jf 'sum(r["total"] for r in d["rows"])')
check_eq "the detail of the locked month also reads the snapshot" "650000" "$det"

# ---- who may lock and unlock ----
out=$(pc lock --scope PA01 --period 2025-08 --as PA0101 2>&1); rc=$?
check_eq "a unit cannot lock its company" "2" "$rc"
out=$(pc lock --scope PA0101 --period 2025-08 2>&1); rc=$?
check_eq "locking twice is refused" "2|1" "$rc|$(echo "$out" | grep -c 'already locked')"
out=$(pc lock --scope PA0101 --period $(date +%Y-%m) 2>&1); rc=$?
check_eq "the current month cannot be locked" "2" "$rc"
out=$(pc lock --scope NOPE --period 2025-08 2>&1); rc=$?
check_eq "an unknown scope" "2" "$rc"
out=$(pc unlock --scope PA0101 --period 2025-08 --as PA0101 --reason "sửa số liệu" 2>&1); rc=$?
check_eq "the unit cannot unlock itself" "2" "$rc"
out=$(pc unlock --scope PA0101 --period 2025-08 --as PA02 --reason "sửa số liệu" 2>&1); rc=$?
check_eq "another company cannot unlock it" "2" "$rc"
out=$(pc unlock --scope PA0101 --period 2025-08 --as PA01 2>&1); rc=$?
check_eq "an unlock needs a reason" "2" "$rc"
check "the company above unlocks it with a reason" pc unlock --scope PA0101 --period 2025-08 --as PA01 --reason "Điều chỉnh theo biên bản đối chiếu"
check "after the unlock the August payment goes through" pc pay post $R --shift $shift --amount 10000 --ref AUG2 --paid-at "2025-08-20 09:00"
check_eq "the report of August is live again" "None" "$(pc report aging --as-of 2025-08-31 --scope PA0101 --by unit --format json | jf 'd["lock"]')"
check "the company locks August for all its units" pc lock --scope PA01 --period 2025-08
fp=$(fingerprint)
refused "then a unit below it refuses August changes too" pc pay post $A --shift $shift --amount 1000 --ref AUG4 --paid-at "2025-08-21 09:00"
check "the corporation locks July for everything" pc lock --scope PA --period 2025-07
fp=$(fingerprint)
refused "… another company's July is closed" pc pay post $T --shift $shift --amount 1000 --ref JUL9 --paid-at "2025-07-21 09:00"
check "the corporation, with nobody above it, unlocks its own lock" pc unlock --scope PA --period 2025-07 --as PA --reason "Mở lại để nhập bổ sung"
check_eq "locks and unlocks are audited" "3|2" \
  "$(sql "SELECT count(*) FROM audit_log WHERE action = 'lock'")|$(sql "SELECT count(*) FROM audit_log WHERE action = 'unlock'")"
statuses() { python3 -c 'import json,sys; print(" ".join(sorted(json.loads(l)["status"] for l in sys.stdin)))'; }
check_eq "lock list: the active ones" "locked" "$(pc lock list --json | statuses)"
check_eq "lock list --all: every lock with its state" "locked unlocked unlocked" "$(pc lock list --all --json | statuses)"
check "audit chain intact" pc audit verify

check_ledger "after the lock checks"
finish
