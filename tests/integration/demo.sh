#!/usr/bin/env bash
# The demo company: deterministic from its seed, with the mix of customers DOMAIN 3 describes.
. "$(dirname "$0")/lib.sh"

# PostgreSQL pays a round trip per statement: a smaller demo there checks the same things.
if [ "$ENGINE" = postgres ]; then N=800 M=4 FIRST=2026-03; else N=3000 M=24 FIRST=2024-07; fi
A=$(newdb a); B=$(newdb b); C=$(newdb c)
out=$(pc --db "$A" demo --customers $N --seed 7 --until 2026-06 --months $M); rc=$?
check_eq "demo runs" "0" "$rc"
check_contains "summary per unit" "PA0101" "$out"
check_contains "summary has the corporation" "Tổng công ty Điện lực miền Bắc" "$out"
pc --db "$B" demo --customers $N --seed 7 --until 2026-06 --months $M >/dev/null
dump() {
  { sql_on "$1" "SELECT code, name, address, phone, route FROM customer ORDER BY code"
    sql_on "$1" "SELECT customer_id, valid_from, purpose, voltage, households, renter, persons, tou, est_kwh_month FROM contract ORDER BY id"
    sql_on "$1" "SELECT serial, multiplier, digits FROM meter ORDER BY id"
    sql_on "$1" "SELECT customer_id, meter_id, read_date, kind, idx_total, idx_normal, idx_peak, idx_offpeak, kwh_total, status, flags FROM meter_read ORDER BY id"
    sql_on "$1" "SELECT symbol, number, kwh, total FROM invoice ORDER BY id"
    sql_on "$1" "SELECT customer_id, channel, method, source, ext_ref, amount, paid_at FROM payment ORDER BY id"
    sql_on "$1" "SELECT id, status FROM customer ORDER BY id"; } | sha256sum
}
check_eq "same seed, same data" "$(dump "$A")" "$(dump "$B")"
pc --db "$C" demo --customers $N --seed 8 --until 2026-06 --months $M >/dev/null
if [ "$(dump "$A")" != "$(dump "$C")" ]; then ok "another seed, other data"; else not_ok "another seed, other data"; fi

export POWERCIS_DB="$A"
check_eq "companies" "5" "$(sql "SELECT count(*) FROM org_node WHERE level='company'")"
check_eq "every company has 4-8 units" "0" "$(sql "SELECT count(*) FROM (SELECT parent_id, count(*) n FROM org_node WHERE level='unit' GROUP BY parent_id HAVING count(*) < 4 OR count(*) > 8) x")"
# the generated customers' first contracts (later versions and new supplies come from the demo's service requests)
res=$(sql "SELECT 1000 * sum(CASE WHEN purpose = 'residential' THEN 1 ELSE 0 END) / count(*) FROM contract k WHERE k.valid_from = (SELECT min(valid_from) FROM contract f WHERE f.customer_id = k.customer_id) AND k.customer_id NOT IN (SELECT customer_id FROM service_request WHERE customer_id IS NOT NULL AND type LIKE 'new_supply%')")
if [ "$res" -ge 890 ] && [ "$res" -le 950 ]; then ok "about 92% residential ($res‰)"; else not_ok "about 92% residential" "$res‰"; fi
for p in production business administrative_public administrative_other; do
  n=$(sql "SELECT count(*) FROM contract WHERE purpose='$p'")
  if [ "$n" -gt 0 ]; then ok "has $p customers ($n)"; else not_ok "has $p customers"; fi
done
for v in '<6kV' '6-22kV' '22-110kV' '>=110kV'; do
  n=$(sql "SELECT count(*) FROM contract WHERE voltage='$v'")
  if [ "$n" -gt 0 ]; then ok "voltage band $v present ($n)"; else not_ok "voltage band $v present"; fi
done
check_eq "large customers are time-of-use" "0" "$(sql "SELECT count(*) FROM contract WHERE est_kwh_month >= 50000 AND tou = 0")"
n=$(sql "SELECT count(*) FROM contract WHERE est_kwh_month >= 100000"); [ "$n" -gt 0 ] && ok "customers above 100,000 kWh/month ($n)" || not_ok "customers above 100,000 kWh/month"
n=$(sql "SELECT count(*) FROM contract WHERE est_kwh_month >= 50000 AND est_kwh_month < 100000"); [ "$n" -gt 0 ] && ok "customers 50,000-100,000 kWh/month ($n)" || not_ok "customers 50,000-100,000 kWh/month"
n=$(sql "SELECT count(*) FROM contract WHERE renter = 1 AND persons IS NOT NULL"); [ "$n" -gt 0 ] && ok "declared renters ($n)" || not_ok "declared renters"
n=$(sql "SELECT count(*) FROM contract WHERE renter = 1 AND persons IS NULL"); [ "$n" -gt 0 ] && ok "undeclared renters ($n)" || not_ok "undeclared renters"
n=$(sql "SELECT count(*) FROM contract WHERE households > 1"); [ "$n" -gt 0 ] && ok "shared meters ($n)" || not_ok "shared meters"
check_eq "every customer valid by code" "0" "$(sql "SELECT count(*) FROM customer c JOIN org_node n ON n.id=c.unit_id WHERE substr(c.code,1,6) <> n.code")"
check_eq "reads span the $M months" "$FIRST|2026-06" "$(sql "SELECT substr(min(read_date),1,7) || '|' || substr(max(read_date),1,7) FROM meter_read WHERE kind = 'regular'")"
PREPAID=$(sql "SELECT count(*) FROM prepaid_account")  # the demo's prepaid customers come on top of N
check_eq "one initial index per meter" "$((N + PREPAID))" "$(sql "SELECT count(*) FROM meter_read WHERE kind = 'initial'")"
check_eq "every regular read links its predecessor" "0" "$(sql "SELECT count(*) FROM meter_read WHERE kind = 'regular' AND prev_read_id IS NULL")"
check_eq "only the last month waits in the queue" "2026-06" "$(sql "SELECT DISTINCT substr(read_date,1,7) FROM meter_read WHERE status = 'flagged'")"
n=$(sql "SELECT count(*) FROM meter_read WHERE status = 'flagged'"); [ "$n" -gt 0 ] && ok "some reads wait for review ($n)" || not_ok "some reads wait for review"
n=$(sql "SELECT count(*) FROM (SELECT customer_id FROM meter_read r WHERE kind = 'regular' AND substr(read_date,1,7) = '2026-06' GROUP BY customer_id HAVING count(*) = 3) x"); [ "$n" -gt 0 ] && ok "phân kỳ customers read three times a month ($n)" || not_ok "phân kỳ customers read three times a month"
check_eq "stored consumption matches the indexes" "0" "$(sql "SELECT count(*) FROM meter_read r JOIN meter_read p ON p.id = r.prev_read_id JOIN meter m ON m.id = r.meter_id WHERE r.kind = 'regular' AND m.registers = 'total' AND r.idx_total >= p.idx_total AND r.kwh_total <> (r.idx_total - p.idx_total) * m.multiplier")"
check_eq "invoices for each of the $M months" "$M" "$(sql "SELECT count(DISTINCT period) FROM invoice WHERE symbol NOT IN ('LEGACY', 'TRANSFER')")"
check_eq "every billable read billed once" "0" "$(sql "SELECT count(*) FROM meter_read r WHERE r.kind = 'regular' AND r.status IN ('ok','approved') AND COALESCE(r.kwh_total, r.kwh_normal + r.kwh_peak + r.kwh_offpeak) > 0 AND NOT EXISTS (SELECT 1 FROM invoice_read ir WHERE ir.read_id = r.id) AND r.customer_id NOT IN (SELECT customer_id FROM prepaid_account)")"
check_eq "flagged reads not billed" "0" "$(sql "SELECT count(*) FROM invoice_read ir JOIN meter_read r ON r.id = ir.read_id WHERE r.status = 'flagged'")"
check_eq "numbers gapless per series" "0" "$(sql 'SELECT count(*) FROM (SELECT symbol, count(*) n, max(number) m FROM invoice GROUP BY symbol HAVING count(*) <> max(number)) x')"
check_eq "invoice totals = lines + VAT" "0" "$(sql 'SELECT count(*) FROM invoice i WHERE i.energy <> (SELECT sum(amount) FROM invoice_line l WHERE l.invoice_id = i.id) OR i.total <> i.energy + i.vat')"
check_eq "search index complete (the generated customers and the new supplies)" "$(sql "SELECT count(*) FROM customer")" "$(sql "SELECT count(*) FROM customer_fts")"
check_eq "a year of service requests of every type" "10" "$(sql "SELECT count(DISTINCT type) FROM service_request")"
check_eq "… some of them finished late" "1" "$(sql "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM service_request WHERE within_deadline = 0")"
name=$(sql "SELECT name FROM customer ORDER BY id LIMIT 1")
check_contains "demo customers are searchable" "$(sql "SELECT code FROM customer ORDER BY id LIMIT 1")" "$(pc customer search "$name" --limit 100)"
check_fails "demo twice into one database refused" pc demo --customers 10
# payments over the months (DOMAIN 7): every channel, late payers, a tail that never pays
check_eq "payments through the counter (cash, card) and four partners" "counter:card counter:cash file:legacy partner:ECPAY partner:MOMO partner:VCB partner:VNPOST" \
  "$(sql "SELECT $(agg)(x, ' ') FROM (SELECT DISTINCT channel || ':' || CASE WHEN channel = 'counter' THEN method ELSE source END AS x FROM payment ORDER BY 1) y")"
paid=$(sql "SELECT 100 * count(DISTINCT a.invoice_id) / (SELECT count(*) FROM invoice WHERE symbol <> 'LEGACY') FROM payment_alloc a JOIN invoice i ON i.id = a.invoice_id WHERE i.symbol <> 'LEGACY'")
if [ "$paid" -ge 85 ] && [ "$paid" -le 99 ]; then ok "most invoices paid ($paid%)"; else not_ok "most invoices paid" "$paid%"; fi
check_eq "customers who never paid" "1" "$(sql "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM customer c WHERE EXISTS (SELECT 1 FROM invoice i WHERE i.customer_id = c.id) AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.customer_id = c.id)")"
check_eq "late payers: payments after the due date" "1" "$(sql "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM payment_alloc a JOIN invoice i ON i.id = a.invoice_id WHERE a.alloc_date > i.due_date")"
check_eq "some customers disconnected by cut orders" "1" "$(sql "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM customer WHERE status = 'disconnected'")"
check_eq "a risk run for each month of the window (issue 10)" "$M" "$(sql "SELECT count(DISTINCT month) FROM risk_run")"
check_ledger "demo"
# overdue and bad debt shaped like the EVNNPC seed (issue 6)
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
check_contains "the summary tells the debt" "legacy receivables" "$out"
check_eq "legacy receivables from CMIS, some partly paid" "1|1" \
  "$(sql "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM legacy_invoice")|$(sql "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM payment WHERE source = 'legacy'")"
check_eq "debt cases in several states, some with documents and write-offs" "1|1|1" \
  "$(sql "SELECT CASE WHEN count(DISTINCT status) >= 4 THEN 1 ELSE 0 END FROM debt_case")|$(sql "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM document")|$(sql "SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM debt_adjustment WHERE kind = 'write_off'")"
today=2026-07-31  # a month after the window: the last invoices are under 3 months overdue
shape=$(pc --db "$A" report aging --as-of $today --format json | jf '[t for t in d["totals"] if t["class"] == "all"][0]')
share=$(echo "$shape" | python3 -c 'import ast,sys; t=ast.literal_eval(sys.stdin.read()); bad=t["m3_6"]+t["m6_12"]+t["y1_2"]+t["y2_3"]+t["ge_3y"]; print(int(100*t["ge_3y"]/bad) if bad else 0)')
if [ "$share" -gt 60 ]; then ok "debts of 3 years and more are over 60% of bad debt ($share%)"; else not_ok "debts of 3 years and more over 60% of bad debt" "$share%"; fi
recent=$(echo "$shape" | python3 -c 'import ast,sys; t=ast.literal_eval(sys.stdin.read()); c=t["customers_by_bucket"]; print(c["lt_3m"] > c["ge_3y"])')
check_eq "most overdue customers are recent" "True" "$recent"
oldest=$(sql "SELECT min(period) FROM report_lock")
check_eq "the oldest months locked for the corporation" "3|$FIRST" "$(sql "SELECT count(*) FROM report_lock")|$oldest"
last=$(python3 -c "import calendar; y,m=map(int,'$FIRST'.split('-')); print('%s-%02d' % ('$FIRST', calendar.monthrange(y,m)[1]))")
check_eq "… and their reports read the snapshots" "1" "$(pc --db "$A" report aging --as-of $last --format json | jf 'd["lock"]')"
# staff accounts: one per role, the managers with the digest
units=$(sql "SELECT count(*) FROM org_node WHERE level = 'unit'")
check_eq "demo accounts: 13 and 5 account managers per unit, 8 with the digest" "$((13 + 5 * units - 1))|8" \
  "$(pc --db "$A" user list --json | jf 'len(d)')|$(pc --db "$A" user list --digest --json | jf 'len(d)')"
check_eq "… 13 with the demo password (argon2id): one per role and the company directors" "13" "$(sql_on "$A" "SELECT count(*) FROM app_user WHERE password_hash LIKE '\$argon2id\$%'")"
# service grids (docs/grids.md): two per unit, every customer in one, a hand-over in each unit
check_eq "grids: 2 per unit, every customer in one (the generated and the prepaid ones)" "$((2 * units))|$((N + PREPAID))" \
  "$(sql "SELECT count(*) FROM grid")|$(sql "SELECT count(DISTINCT customer_id) FROM grid_customer")"
check_eq "managers: 2 per grid today, and a hand-over per unit" "$((4 * units))|$units" \
  "$(pc --db "$A" grid list --json | jf 'sum(len(g["managers"]) for g in d)')|$(sql "SELECT count(*) FROM grid_manager WHERE active = 0")"
check_eq "the demo account manager's worklist: its grid" "PA0101-L1" \
  "$(pc --db "$A" worklist --manager ql.pa0101 --format json | jf '",".join(g["code"] for g in d["grids"])')"
check_contains "the demo's history is not announced to customers: collection starts after it" \
  "read 0 invoices, 0 payments, 0 dunning steps: 0 enqueued" "$(pc --db "$A" notify collect)"
out=$(pc --db "$A" digest preview --user gd.pa01)
check_contains "a company director's digest" "Bản tin điều hành ngày" "$out"
# outages (issue 10, docs/outages.md): plausible indices for a Vietnamese district each month
rel=$(pc --db "$A" report reliability --month 2026-06 --scope PA | python3 -c 'import json,sys; r=json.load(sys.stdin)["rows"][0]; print(int(0 < r["saifi"] < 1), int(10 <= r["saidi"] <= 100), int(0 < r["maifi"] < 1), int(r["caidi"] > 0))')
check_eq "demo outages: SAIFI under 1, SAIDI tens of minutes, some momentary ones" "1 1 1 1" "$rel"
check_eq "demo outages: planned and unplanned, every unit" "2|$(sql "SELECT count(*) FROM org_node WHERE level = 'unit'")" \
  "$(sql "SELECT count(DISTINCT planned) || '|' || count(DISTINCT org_id) FROM outage")"
check "audit chain intact" pc audit verify
# prepaid customers (docs/prepaid.md): AMR meters charged every day of the last month, top-ups
check_eq "prepaid customers with a charge for every day of June" "$(sql "SELECT count(*) FROM prepaid_account WHERE active = 1")|30" \
  "$(sql "SELECT count(DISTINCT customer_id) FROM prepaid_ledger WHERE kind = 'charge'")|$(sql "SELECT count(DISTINCT charge_day) FROM prepaid_ledger WHERE kind = 'charge'")"
n=$(sql "SELECT count(*) FROM prepaid_ledger WHERE kind = 'topup'"); [ "$n" -gt "$(sql "SELECT count(*) FROM prepaid_account")" ] && ok "several top-ups a month ($n)" || not_ok "several top-ups a month" "$n"
finish
