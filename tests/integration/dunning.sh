#!/usr/bin/env bash
# Dunning and disconnection (DOMAIN 8, docs/dunning.md): notices at due date + 1 and + 5, a cut
# order at + 10, each a dated step; a disputed invoice takes none; runs are idempotent and a late
# run catches up without back-dating; a cut order carried out disconnects the customer; paying
# every overdue invoice creates the reconnection order at once with the configured fee, a partial
# payment does not; an open cut order is cancelled when the debt is paid; all of it audited; bad
# input changes nothing.
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
inv() { sql "SELECT i.symbol || '/' || i.number FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$1' AND i.period = '$2'"; }
R1=$(inv $R 2025-07); R2=$(inv $R 2025-08); B1=$(inv $B 2025-07); A1=$(inv $A 2025-07)
check_eq "invoices billed, due 7 days after issue" "2025-07-12|2025-08-12|2025-07-12|2025-07-12" \
  "$(for x in "$R 2025-07" "$R 2025-08" "$B 2025-07" "$A 2025-07"; do set -- $x
       sql "SELECT i.due_date FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$1' AND i.period = '$2'"
     done | paste -sd'|')"
# steps of a customer as "date step invoice" joined by ", "
steps() { pc dunning show "$1" --json | jf '", ".join(s["date"]+" "+s["step"]+(" "+s["invoice"] if s["invoice"] else "") for s in d["steps"])'; }
run() { pc dunning run --date "$@" --json; }
counts() { jf '"|".join(str(d[k]) for k in ("notices_1", "notices_2", "cut_orders", "reconnection_orders", "disputed"))'; }

# ---- bad input changes nothing ----
before=$(fingerprint)
out=$(pc dunning run --date 2025-02-30 2>&1); rc=$?
check_eq "an impossible date is refused" "2" "$rc"
check_contains "… naming the date" "2025-02-30" "$out"
out=$(pc dunning run --date 13/07/2025 2>&1); rc=$?
check_eq "a date in another shape is refused" "2" "$rc"
out=$(pc dunning run --date 2025-07-13 --scope NOPE 2>&1); rc=$?
check_contains "an unknown scope is refused" "NOPE" "$out"
out=$(pc dunning dispute open 1K25TAA/999 --reason "khiếu nại" 2>&1); rc=$?
check_eq "a dispute on an unknown invoice is refused" "2" "$rc"
check_contains "… naming the invoice" "no invoice 1K25TAA/999" "$out"
out=$(pc dunning dispute open garbage --reason x 2>&1)
check_contains "a dispute needs SYMBOL/NUMBER" "expected SYMBOL/NUMBER" "$out"
check_fails "a dispute needs a reason" pc dunning dispute open "$A1"
out=$(pc dunning dispute close "$A1" --reason x 2>&1)
check_contains "closing a dispute that is not open is refused" "no dispute is open" "$out"
check_fails "no work order 999" pc orders done 999
check_fails "--kind is checked" pc orders list --kind meter
check_fails "--status is checked" pc orders list --status closed
check_fails "dunning show: unknown customer" pc dunning show PA99990000001
check_eq "… and nothing changed" "$before" "$(fingerprint)"
printf '[dunning]\nnotice_2_days = 1\n' > bad.ini
out=$(pc --config bad.ini dunning run --date 2025-07-13 2>&1)
check_contains "configured steps must come in order" "notice_1_days (1) < notice_2_days (1)" "$out"
check_eq "… nothing changed" "$before" "$(fingerprint)"

# ---- a disputed invoice takes no step ----
check "dispute opened on A's invoice" pc dunning dispute open "$A1" --reason "khách khiếu nại chỉ số công tơ" --date 2025-07-10
check_fails "a second dispute on the same invoice is refused" pc dunning dispute open "$A1" --reason again

# ---- the schedule: due + 1, + 5, + 10 ----
check_eq "on the due date: nothing (not overdue yet)" "0|0|0|0|0" "$(run 2025-07-12 | counts)"
check_eq "due + 1 in scope PA0101: notice 1 for R and B only" "2|0|0|0|0" "$(run 2025-07-13 --scope PA0101 | counts)"
out=$(run 2025-07-13)
check_eq "due + 1 everywhere: nothing new, A held by its dispute" "0|0|0|0|1" "$(echo "$out" | counts)"
before=$(fingerprint)
check_eq "the same run again creates nothing" "0|0|0|0|1" "$(run 2025-07-13 | counts)"
check_eq "… and changes nothing" "$before" "$(fingerprint)"
check_eq "due + 4: nothing" "0|0|0|0|1" "$(run 2025-07-16 | counts)"
out=$(run 2025-07-17)
check_eq "due + 5: notice 2 for R and B" "0|2|0|0|1" "$(echo "$out" | counts)"
check_eq "due + 9: nothing" "0|0|0|0|1" "$(run 2025-07-21 | counts)"
out=$(run 2025-07-22)
check_eq "due + 10: one cut order per customer" "0|0|2|0|1" "$(echo "$out" | counts)"
check_eq "… each step names its order" "$R $R1 True|$B $B1 True" \
  "$(echo "$out" | jf '"|".join(s["customer_code"]+" "+s["invoice"]+" "+str(s["order_created"]) for s in d["steps"])')"
check_eq "R's steps, each with its date" "2025-07-13 notice_1 $R1, 2025-07-17 notice_2 $R1, 2025-07-22 cut_order $R1" "$(steps $R)"
check_eq "the disputed invoice has no step" "" "$(steps $A)"
check_eq "the same date again: nothing" "0|0|0|0|1" "$(run 2025-07-22 | counts)"
out=$(pc orders list --kind cut --status open --json)
check_eq "orders list: two open cut orders" "$R|$B" "$(echo "$out" | jf '"|".join(o["customer_code"] for o in d)')"
CUT_R=$(echo "$out" | jf '[o["id"] for o in d if o["customer_code"]=="'$R'"][0]')
CUT_B=$(echo "$out" | jf '[o["id"] for o in d if o["customer_code"]=="'$B'"][0]')
check_eq "orders list --scope PA0102: none" "0" "$(pc orders list --scope PA0102 --json | jf 'len(d)')"

# ---- paying before the crew goes out cancels the cut order ----
B_OPEN=$(pc pay open $B --json | jf 'd["total"]')
pc pay post $B --partner ECPAY --ref B-1 --amount "$B_OPEN" --paid-at "2025-07-23 09:00" >/dev/null
check_eq "B paid: its cut order is cancelled" "cancelled|2025-07-23" \
  "$(pc orders list --json | jf '[o["status"]+"|"+o["status_date"] for o in d if o["id"]=='$CUT_B'][0]')"
check_eq "… and no reconnection order (B was never cut)" "0" "$(pc orders list --kind reconnection --json | jf 'len(d)')"
out=$(pc orders done $CUT_B 2>&1)
check_contains "a cancelled order cannot be carried out" "cancelled already" "$out"

# ---- carrying out the cut order disconnects ----
out=$(pc orders done $CUT_R --date 2025-07-20 2>&1)
check_contains "an order is not done before it was created" "before work order" "$out"
check "cut order done" pc orders done $CUT_R --date 2025-07-25 --note "cắt tại công tơ"
check_eq "R is disconnected" "disconnected" "$(sql "SELECT status FROM customer WHERE code = '$R'")"
check_eq "… the step is dated" "2025-07-25 disconnected" "$(steps $R | awk -F', ' '{print $4}')"
check_fails "an order is done once" pc orders done $CUT_R --date 2025-07-26
check_eq "the status change is audited" "1|1" \
  "$(sql "SELECT count(*) FROM audit_log WHERE action = 'customer.update' AND entity_key = '$R' AND detail LIKE '%disconnected%'")|$(sql "SELECT count(*) FROM audit_log WHERE action = 'order.done'")"

# ---- a late run catches up, dated the day it runs ----
out=$(run 2025-08-20)
check_eq "R's August invoice (due 2025-08-12): notice 1 dated the run's day" "1|0|0|0|1" "$(echo "$out" | counts)"
check_eq "… not back-dated" "2025-08-20 notice_1 $R2" "$(steps $R | awk -F', ' '{print $5}')"

# ---- a partial payment leaving an overdue invoice: no reconnection ----
pc pay post $R --partner ECPAY --ref R-1 --amount 217836 --paid-at "2025-08-21 10:00" >/dev/null
check_eq "July paid, August still overdue: no reconnection order" "0" "$(pc orders list --kind reconnection --json | jf 'len(d)')"
check_eq "notice 2 waits 3 days after notice 1" "0|0|0|0|1" "$(run 2025-08-22 | counts)"
check_eq "notice 2 on 2025-08-23" "0|1|0|0|1" "$(run 2025-08-23 | counts)"
check_eq "a disconnected customer gets no second cut order" "0|0|0|0|1" "$(run 2025-08-28 | counts)"

# ---- paying everything overdue: the reconnection order at once, with the configured fee ----
printf '[dunning]\nreconnection_fee = 150000\n' > fee.ini
pc --config fee.ini pay post $R --partner ECPAY --ref R-2 --amount 346356 --paid-at "2025-08-29 08:30" >/dev/null
out=$(pc orders list --kind reconnection --json)
check_eq "reconnection order created on the payment's day, with the fee" "1|$R|2025-08-29|150000|open" \
  "$(echo "$out" | jf 'str(len(d))+"|"+d[0]["customer_code"]+"|"+d[0]["created_date"]+"|"+str(d[0]["fee"])+"|"+d[0]["status"]')"
RECON=$(echo "$out" | jf 'd[0]["id"]')
pc --config fee.ini pay post $R --partner ECPAY --ref R-3 --amount 50000 --paid-at "2025-08-29 09:00" >/dev/null
check_eq "another payment: no second reconnection order while one is open" "1" "$(pc orders list --kind reconnection --json | jf 'len(d)')"
check_eq "a run adds no reconnection order either" "0" "$(run 2025-08-30 | jf 'd["reconnection_orders"]')"
check "reconnection order done" pc orders done $RECON --date 2025-08-30
check_eq "R is active again" "active" "$(sql "SELECT status FROM customer WHERE code = '$R'")"
check_eq "R's whole history, each step with its date" \
  "2025-07-13 notice_1 $R1, 2025-07-17 notice_2 $R1, 2025-07-22 cut_order $R1, 2025-07-25 disconnected, 2025-08-20 notice_1 $R2, 2025-08-23 notice_2 $R2, 2025-08-29 reconnection_order, 2025-08-30 reconnected" \
  "$(steps $R)"
check_eq "dunning show: orders and status" "active|2|done,done" \
  "$(pc dunning show $R --json | jf 'd["status"]+"|"+str(len(d["orders"]))+"|"+",".join(o["status"] for o in d["orders"])')"
check_contains "dunning show (text)" "reconnection_order" "$(pc dunning show $R)"

# ---- default fee when no configuration names one ----
# B: cut, disconnected, pays: the default fee (101,000 đ, to verify) applies.
pc read add $B --date 2025-08-01 --total 2200 >/dev/null
pc bill run --period 2025-08 --issue-date 2025-08-05 >/dev/null
B2=$(inv $B 2025-08)
run 2025-08-13 >/dev/null; run 2025-08-17 >/dev/null
out=$(run 2025-08-22)
check_eq "B's August invoice: a new cut order (the cancelled one does not count)" "1" "$(echo "$out" | jf 'd["cut_orders"]')"
CUT_B2=$(pc orders list --kind cut --status open --json | jf 'd[0]["id"]')
pc orders done $CUT_B2 --date 2025-08-24 >/dev/null
pc pay post $B --partner ECPAY --ref B-2 --amount "$(pc pay open $B --json | jf 'd["total"]')" --paid-at "2025-08-25 10:00" >/dev/null
check_eq "B's reconnection order carries the default fee" "101000" \
  "$(pc orders list --kind reconnection --status open --json | jf 'd[0]["fee"]')"
check "a reconnection order can be cancelled with a reason" pc orders cancel \
  "$(pc orders list --kind reconnection --status open --json | jf 'd[0]["id"]')" --reason "khách xin thanh lý hợp đồng" --date 2025-08-26
check_eq "orders list --status cancelled" "2" "$(pc orders list --status cancelled --json | jf 'len(d)')"

# ---- the dispute closes: the invoice's steps start from then ----
check "dispute closed" pc dunning dispute close "$A1" --reason "đã kiểm tra công tơ: đúng" --date 2025-08-31
check_eq "first run after the dispute: notice 1" "1|0|0|0|0" "$(run 2025-09-01 | counts)"
check_eq "three days later: notice 2 (due + 5 has long passed)" "0|1|0|0|0" "$(run 2025-09-04 | counts)"
check_eq "then the cut order waits its 5 days after notice 2" "0|0|0|0|0" "$(run 2025-09-08 | counts)"
check_eq "… on 2025-09-09" "0|0|1|0|0" "$(run 2025-09-09 | counts)"
check_eq "A's steps" "2025-09-01 notice_1 $A1, 2025-09-04 notice_2 $A1, 2025-09-09 cut_order $A1" "$(steps $A)"
check_eq "A's disputes in its case" "open|close" "$(pc dunning show $A --json | jf '"|".join(x["event"] for x in d["disputes"])')"

# ---- debt cleared by a collection file: at once, as at the counter ----
pc read add $R --date 2025-09-01 --total 1350 >/dev/null
pc bill run --period 2025-09 --issue-date 2025-09-05 >/dev/null   # due 2025-09-12, less R's credit
R3=$(inv $R 2025-09)
run 2025-09-13 >/dev/null; run 2025-09-17 >/dev/null
check_eq "R's September invoice: a cut order on due + 10" "1" "$(run 2025-09-22 | jf 'd["cut_orders"]')"
CUT_R3=$(pc orders list --kind cut --status open --json | jf '[o["id"] for o in d if o["customer_code"]=="'$R'"][0]')
printf 'partner,txn_ref,customer_code,amount,paid_at\nECPAY,F-R3,%s,%s,2025-09-23 08:00\n' $R "$(pc pay open $R --json | jf 'd["total"]')" > r3.csv
pc pay import r3.csv >/dev/null
check_eq "paid by a collection file: the open cut order is cancelled at once, dated the payment's day" "cancelled|2025-09-23" \
  "$(pc orders list --json | jf '[o["status"]+"|"+o["status_date"] for o in d if o["id"]=='$CUT_R3'][0]')"
CUT_A=$(pc orders list --kind cut --status open --json | jf '[o["id"] for o in d if o["customer_code"]=="'$A'"][0]')
pc orders done $CUT_A --date 2025-09-24 >/dev/null
printf 'partner,txn_ref,customer_code,amount,paid_at\nECPAY,F-A1,%s,%s,2025-09-25 08:00\n' $A "$(pc pay open $A --json | jf 'd["total"]')" > a1.csv
pc pay import a1.csv >/dev/null
check_eq "a later run has nothing to catch up" "0" "$(run 2025-09-26 | jf 'd["reconnection_orders"]+d["cut_orders_cancelled"]')"
check_eq "A disconnected, paid by a file: reconnection order at once, with the fee, dated the payment's day" "101000|2025-09-25" \
  "$(pc orders list --kind reconnection --status open --json | jf '[str(o["fee"])+"|"+o["created_date"] for o in d if o["customer_code"]=="'$A'"][0]')"
check_eq "B's cancelled reconnection order is not made again by a run" "0" \
  "$(pc orders list --kind reconnection --status open --json | jf 'len([o for o in d if o["customer_code"]=="'$B'"])')"
check_eq "the same run again: nothing" "0|0|0|0|0" "$(run 2025-09-26 | counts)"

# ---- audit and append-only ----
check_eq "audit: runs that took a step, orders created, dispute events" "14|8|2" \
  "$(sql "SELECT count(*) FROM audit_log WHERE action = 'dunning.run'")|$(sql "SELECT count(*) FROM audit_log WHERE action = 'order.create'")|$(sql "SELECT count(*) FROM audit_log WHERE action IN ('dispute.open', 'dispute.close')")"
check_eq "audit: cancellations (B's paid cut order, the reconnection, R's cut order by a run)" "3" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'order.cancel'")"
check "the audit chain verifies" pc audit verify
check_fails "dunning steps are append-only" sql_write "UPDATE dunning_step SET step_date = '2025-01-01'"
check_fails "work order states are append-only" sql_write "DELETE FROM work_order_state"
check_fails "disputes are append-only" sql_write "DELETE FROM billing_dispute"
check_ledger "at the end"
finish
