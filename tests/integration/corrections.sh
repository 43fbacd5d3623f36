#!/usr/bin/env bash
# What corrections do to what is owed (docs/cli.md, invoice adjust/replace): a downward adjusting
# invoice becomes customer credit applied to the original, a replacing invoice cancels the
# original (its total becomes credit, closing it, what was paid on it going to the replacement),
# an upward adjusting invoice is owed on its own; exact đồng, `powercis check` after each case.
. "$(dirname "$0")/lib.sh"

jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
pc partner add VCB --name "Vietcombank" --kind bank >/dev/null
R=PA01010000101
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
# 100 kWh: 217,836 đ (billing.sh); 90 kWh: 50×1984 + 40×2050 = 181,200 + VAT 14,496 = 195,696 đ
check_eq "the original: 217,836 đ open" "1K25TAA/1|217836" "$(sql "SELECT i.symbol || '/' || i.number || '|' || o.open FROM open_item o JOIN invoice i ON i.id = o.invoice_id")"
BASE=$POWERCIS_DB
n=0
# fresh: a copy of the database as billed, for one case
fresh() { n=$((n + 1)); POWERCIS_DB=$(copydb "$BASE" "case$n"); export POWERCIS_DB; }
# open items as SYMBOL/NUMBER:open, in number order
opens() { sql "SELECT $(agg)(r, ' ') FROM (SELECT i.symbol || '/' || i.number || ':' || o.open AS r FROM open_item o JOIN invoice i ON i.id = o.invoice_id ORDER BY i.id) x"; }
credit() { sql "SELECT COALESCE(sum(amount), 0) FROM customer_credit WHERE customer_id = (SELECT id FROM customer WHERE code = '$R')"; }
owed() { pc pay open $R --json | jf 'str(d["total"])+"|"+str(d["credit"])'; }
holds() { local out; if out=$(pc check 2>&1); then ok "$1: powercis check holds"; else not_ok "$1: powercis check holds" "$out"; fi; }
pay() { pc pay post $R --amount "$1" --partner VCB --ref "$2" --paid-at "2025-07-10 09:00" >/dev/null; }

# ---- adjust down, nothing paid: -22,140 đ of credit closes as much of the original ----
fresh
out=$(pc invoice adjust 1K25TAA/1 --kwh 90 --reason "chỉ số đọc sai" --issue-date 2025-07-20); rc=$?
check_eq "adjust down: issued, total -22,140 đ" "0|-22140" "$rc|$(sql "SELECT total FROM invoice WHERE kind = 'adjusting'")"
check_eq "… the original's open item is 195,696 đ, the adjusting invoice has none" "1K25TAA/1:195696" "$(opens)"
check_eq "… no credit left" "0" "$(credit)"
check_eq "… pay open: 195,696 đ owed, no credit" "195696|0" "$(owed)"
check_eq "… applied as a credit payment referring to the adjusting invoice" "credit|credit:1K25TAA/2>1K25TAA/1|22140|2025-07-20" \
  "$(sql "SELECT channel || '|' || ext_ref || '|' || amount || '|' || paid_date FROM payment")"
check_eq "… credit arose from the adjusting invoice and was used on the original" "invoice:1K25TAA/2:22140 payment:1K25TAA/1:-22140" \
  "$(sql "SELECT $(agg)(r, ' ') FROM (SELECT k.source || ':' || i.symbol || '/' || i.number || ':' || k.amount AS r FROM customer_credit k JOIN invoice i ON i.id = k.invoice_id ORDER BY k.id) x")"
check_ledger "adjust down"
holds "adjust down"

# ---- adjust up: the difference is owed on its own ----
fresh
pc invoice adjust 1K25TAA/1 --kwh 110 --reason x --issue-date 2025-07-20 >/dev/null
# 110 kWh: + 10×2380 (tier 3) = 23,800 + VAT 1,904 = 25,704 đ
check_eq "adjust up: the original and the 25,704 đ difference are both open" "1K25TAA/1:217836 1K25TAA/2:25704" "$(opens)"
check_eq "… no credit, no credit payment" "0|0" "$(credit)|$(sql "SELECT count(*) FROM payment")"
holds "adjust up"

# ---- replace, nothing paid: the original closed, the replacement owed ----
fresh
out=$(pc invoice replace 1K25TAA/1 --kwh 90 --reason "chỉ số đọc sai" --issue-date 2025-07-20); rc=$?
check_eq "replace unpaid: issued, 195,696 đ" "0|195696" "$rc|$(sql "SELECT total FROM invoice WHERE kind = 'replacing'")"
check_eq "… only the replacement is open" "1K25TAA/2:195696" "$(opens)"
check_eq "… no credit left" "0" "$(credit)"
check_eq "… pay open: 195,696 đ owed" "195696|0" "$(owed)"
check_eq "… one credit payment closed the original" "credit:1K25TAA/2>1K25TAA/1:217836" \
  "$(sql "SELECT $(agg)(ext_ref || ':' || amount, ' ') FROM (SELECT * FROM payment ORDER BY id) x")"
out=$(pc pay reverse --partner credit --ref "credit:1K25TAA/2>1K25TAA/1" --reason x 2>&1)
check_contains "… the credit payment is not reversed as a payment" "not a payment" "$out"
check_ledger "replace unpaid"
holds "replace unpaid"
out=$(pc invoice replace 1K25TAA/1 --kwh 80 --reason x --issue-date 2025-07-21 2>&1); rc=$?
check_eq "… a replaced invoice is not replaced again" "1" "$([ $rc -ne 0 ] && echo 1)"
check_contains "… it says by which" "replaced by 1K25TAA/2" "$out"
check_fails "… nor adjusted" pc invoice adjust 1K25TAA/1 --kwh 80 --reason x --issue-date 2025-07-21
check_eq "… nothing written by the refusals" "2" "$(sql "SELECT count(*) FROM invoice")"

# ---- replace, partly paid: what was paid goes to the replacement ----
fresh
pay 100000 P-1
pc invoice replace 1K25TAA/1 --kwh 90 --reason x --issue-date 2025-07-20 >/dev/null
check_eq "replace partly paid: the replacement owes 195,696 - 100,000 = 95,696 đ" "1K25TAA/2:95696" "$(opens)"
check_eq "… no credit left" "0" "$(credit)"
check_eq "… pay open: 95,696 đ owed" "95696|0" "$(owed)"
check_eq "… credit payments: 117,836 đ to the original, 100,000 đ to the replacement" \
  "credit:1K25TAA/2>1K25TAA/1:117836 credit:1K25TAA/2>1K25TAA/2:100000" \
  "$(sql "SELECT $(agg)(ext_ref || ':' || amount, ' ') FROM (SELECT * FROM payment WHERE channel = 'credit' ORDER BY id) x")"
check_ledger "replace partly paid"
holds "replace partly paid"

# ---- replace, fully paid: the replacement is paid, the rest is credit ----
fresh
pay 217836 P-1
pc invoice replace 1K25TAA/1 --kwh 90 --reason x --issue-date 2025-07-20 >/dev/null
check_eq "replace fully paid: nothing open" "" "$(opens)"
check_eq "… 217,836 - 195,696 = 22,140 đ of credit" "22140" "$(credit)"
check_eq "… pay open: nothing owed, 22,140 đ credit" "0|22140" "$(owed)"
check_ledger "replace fully paid"
holds "replace fully paid"

# ---- adjust down below what is open: the rest waits for the next bill ----
fresh
pay 200000 P-1
pc invoice adjust 1K25TAA/1 --kwh 90 --reason x --issue-date 2025-07-20 >/dev/null
check_eq "adjust down below the open 17,836 đ: the original closed" "" "$(opens)"
check_eq "… 22,140 - 17,836 = 4,304 đ of credit" "4304" "$(credit)"
check_eq "… pay open: nothing owed, 4,304 đ credit" "0|4304" "$(owed)"
check_ledger "adjust down below open"
holds "adjust down below open"
pc read add $R --date 2025-08-01 --total 1200 >/dev/null
pc bill run --period 2025-08 --issue-date 2025-08-05 >/dev/null
check_eq "… the next bill uses it: 217,836 - 4,304 = 213,532 đ open" "1K25TAA/3:213532|4304|0" \
  "$(opens)|$(sql "SELECT credit_applied FROM invoice WHERE period = '2025-08'")|$(credit)"
holds "the next bill after the credit"
out=$(pc invoice replace 1K25TAA/1 --kwh 95 --reason x --issue-date 2025-08-20 2>&1); rc=$?
check_contains "… an adjusted invoice is adjusted again, not replaced" "adjust it again" "$out"

# ---- the credit of an adjustment is not money collected ----
fresh
pay 217836 P-1
pc invoice adjust 1K25TAA/1 --kwh 90 --reason x --issue-date 2025-07-20 >/dev/null
check_eq "adjust down on a paid invoice: all 22,140 đ stays credit, no credit payment" "22140|0" \
  "$(credit)|$(sql "SELECT count(*) FROM payment WHERE channel = 'credit'")"
holds "adjust down on a paid invoice"

finish
