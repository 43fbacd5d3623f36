#!/usr/bin/env bash
# Crash recovery (issue 9, docs/testing.md): the same work done twice on copies of one database,
# once straight through (A) and once killed with SIGKILL at random moments and restarted until
# it finishes (B): three billing runs, a batch import of customers, a collection file, a
# reconciliation's clear-missing posting and a burst of counter postings over HTTP (the server
# killed in the middle, the client retrying with the same Idempotency-Keys). Then the states are
# compared (invoices, customers, payments and their allocations, the aging totals) and every
# invariant checked on both. CRASH_CUSTOMERS, CRASH_IMPORT_LINES and CRASH_KILLS scale it (make soak).
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
. "$(dirname "$0")/lib.sh"

N_CUST=${CRASH_CUSTOMERS:-400}
N_IMPORT=${CRASH_IMPORT_LINES:-20000}
KILLS=${CRASH_KILLS:-3}
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; [ -n "${PC_KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
RANDOM=${CRASH_SEED:-$$}
echo "# seed $RANDOM customers $N_CUST import lines $N_IMPORT kills per job $KILLS"

pc demo --customers "$N_CUST" --months 3 --until 2025-06 --no-invoices --seed 3 >/dev/null ||
  { not_ok "the demo database"; finish; }
A=$(copydb "$POWERCIS_DB" crash_a); B=$(copydb "$POWERCIS_DB" crash_b)
export POWERCIS_USER=crash
tried=0; landed=0

# rand_ms LO HI: a random whole number of milliseconds
rand_ms() { echo $(( $1 + RANDOM % ($2 - $1 + 1) )); }
# crash_job CAP_MS COUNT_SQL CMD...: runs CMD on B KILLS times, each killed by SIGKILL after a
# random moment within the duration measured on A (CAP_MS), counting the kills that found it
# still running (tried) and those after which COUNT_SQL had moved although the command had not
# finished (landed: a partial state on disk); then runs CMD on B to the end.
crash_job() {
  local cap=$1 count_sql=$2; shift 2
  local what="$1 $2"
  local k before after pid
  for k in $(seq "$KILLS"); do
    before=$(sql_on "$B" "$count_sql")
    "$POWERCIS" --db "$B" "$@" >/dev/null 2>&1 & pid=$!
    local at; at=$(rand_ms 1 "$cap")
    sleep "$(printf '%d.%03d' $((at / 1000)) $((at % 1000)))"
    if kill -0 $pid 2>/dev/null; then
      kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
      tried=$((tried + 1))
      after=$(sql_on "$B" "$count_sql")
      [ "$after" != "$before" ] && landed=$((landed + 1))
      echo "# $what: killed at $at ms, rows $before -> $after"
    else
      wait $pid 2>/dev/null
      echo "# $what: finished before $at ms"
    fi
  done
  "$POWERCIS" --db "$B" "$@" >/dev/null 2>&1
}
# timed_ms CMD...: runs CMD on A; prints its duration in ms
timed_ms() {
  local t0 t1; t0=$(date +%s%N)
  "$POWERCIS" --db "$A" "$@" >/dev/null 2>&1 || echo "# on A: $* failed" >&2
  t1=$(date +%s%N)
  local ms=$(( (t1 - t0) / 1000000 )); [ $ms -lt 2 ] && ms=2
  echo $ms
}
# same NAME SQL: the query's rows are the same on A and B (and not empty)
same() {
  local a b; a=$(sql_on "$A" "$2" | sha256sum | cut -c1-16); b=$(sql_on "$B" "$2" | sha256sum | cut -c1-16)
  local rows; rows=$(sql_on "$A" "$2" | wc -l)
  check_eq "$1 ($rows rows)" "$a" "$b"
}

# ---- 1. billing runs, in chunks of 10 customers so a kill lands between commits ----
for p in 2025-04 2025-05 2025-06; do
  ms=$(timed_ms bill run --period $p --issue-date $p-05 --chunk 10)
  crash_job "$ms" "SELECT count(*) FROM invoice" bill run --period $p --issue-date $p-05 --chunk 10
done
same "billing: the same invoices (customer, period, kWh, total, symbol)" \
  "SELECT c.code, i.period, i.kwh, i.total, i.symbol FROM invoice i JOIN customer c ON c.id = i.customer_id ORDER BY 1, 2, 3, 4"
same "billing: the same e-invoice numbers per series (gapless on both)" \
  "SELECT symbol, count(*), min(number), max(number) FROM invoice GROUP BY symbol ORDER BY 1"

# ---- 2. a batch import of new customers (all lines or none) ----
python3 - "$N_IMPORT" > import.csv <<'PY'
import sys
n = int(sys.argv[1])
print("unit,customer_code,name,address,purpose,voltage,households,phone,renter,persons,tou,route,meter,valid_from")
for i in range(n):
    unit = "PA0101"
    print(f"{unit},{unit}9{i:06d},Khách hàng nhập {i},Số {i} đường Lê Lợi,residential,,1,09{i:08d},0,,0,{unit}-900,PX{i:010d},2025-01-01")
PY
ms=$(timed_ms customer import import.csv)
crash_job "$ms" "SELECT count(*) FROM customer" customer import import.csv
same "import of $N_IMPORT customers: the same customers and meters" \
  "SELECT c.code, c.name, m.serial FROM customer c JOIN meter m ON m.customer_id = c.id WHERE c.code LIKE 'PA01019%' ORDER BY 1"

# ---- 3. a collection file paying every open invoice of one company ----
sql_on "$A" "SELECT 'ECPAY', 'EC-' || i.id, c.code, o.open, '2025-07-01 08:00:00' FROM open_item o JOIN invoice i ON i.id = o.invoice_id JOIN customer c ON c.id = o.customer_id WHERE c.code LIKE 'PA02%' AND o.open > 0 ORDER BY i.id" |
  { echo "partner,txn_ref,customer_code,amount,paid_at"; tr '|' ','; } > collect.csv
pc --db "$A" partner add ECPAY --name "Ví ECPAY" --kind wallet >/dev/null && pc --db "$B" partner add ECPAY --name "Ví ECPAY" --kind wallet >/dev/null
ms=$(timed_ms pay import collect.csv)
crash_job "$ms" "SELECT count(*) FROM payment" pay import collect.csv
check_eq "the collection file had lines" "yes" "$([ "$(wc -l < collect.csv)" -gt 10 ] && echo yes)"

# ---- 4. reconciliation: the partner's statement lists payments we never received ----
sql_on "$A" "SELECT 'VNPOST', 'VNP-' || i.id, c.code, o.open, '2025-07-02 09:00:00' FROM open_item o JOIN invoice i ON i.id = o.invoice_id JOIN customer c ON c.id = o.customer_id WHERE c.code LIKE 'PA03%' AND o.open > 0 ORDER BY i.id" |
  { echo "partner,txn_ref,customer_code,amount,paid_at"; tr '|' ','; } > statement.csv
for db in "$A" "$B"; do
  pc --db "$db" partner add VNPOST --name "Bưu điện" --kind post >/dev/null
  pc --db "$db" statement import statement.csv >/dev/null
done
ms=$(timed_ms reconcile --partner VNPOST --date 2025-07-02 --clear-missing --format json)
crash_job "$ms" "SELECT count(*) FROM payment" reconcile --partner VNPOST --date 2025-07-02 --clear-missing --format json
check_eq "reconciliation: every statement line is now ours" "$(($(wc -l < statement.csv) - 1))" \
  "$(sql_on "$B" "SELECT count(*) FROM payment WHERE ext_ref LIKE 'VNP-%'")"

# ---- 5. a burst of counter postings over HTTP; the server killed in the middle ----
sql_on "$A" "SELECT 'burst-' || c.code, c.code, sum(o.open) FROM open_item o JOIN customer c ON c.id = o.customer_id WHERE c.code LIKE 'PA04%' GROUP BY c.code ORDER BY c.code" |
  tr '|' '\t' > jobs.tsv
printf '[server]\nscheduler = off\n' > server.ini
for db in "$A" "$B"; do
  echo "crash-admin-pw-1" | pc --db "$db" user add crash.admin --name "Crash" --role administrator --scope PA --password-stdin >/dev/null
done
shift_of() { pc --db "$1" shift open --cashier crash.admin --unit PA0401 --float 0 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["shift_id"])'; }
SA=$(shift_of "$A"); SB=$(shift_of "$B")
serve() { # DB: starts the server on a free port; sets SRV and URL
  local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  POWERCIS_CONFIG=$WORK/server.ini "$POWERCIS" --db "$1" serve --listen 127.0.0.1:$port >> server.log 2>&1 & SRV=$!; PIDS+=($SRV)
  URL=http://127.0.0.1:$port
  for _ in $(seq 200); do curl -s -o /dev/null "$URL/healthz" && return 0; sleep 0.05; done
  return 1
}
serve "$A" && python3 "$TOOLS/burst.py" "$URL" crash.admin crash-admin-pw-1 "$SA" jobs.tsv --out burst_a.txt > burst_a.log
check_eq "burst on A: every posting answered 201" "$(wc -l < jobs.tsv)" "$(grep -c $'\t201$' burst_a.txt)"
kill -TERM $SRV; wait $SRV 2>/dev/null
rounds=0
for k in $(seq "$KILLS"); do
  serve "$B" || break
  before=$(sql_on "$B" "SELECT count(*) FROM payment WHERE shift_id = $SB")
  python3 "$TOOLS/burst.py" "$URL" crash.admin crash-admin-pw-1 "$SB" jobs.tsv --threads 8 > /dev/null & CL=$!
  at=$(rand_ms 50 600)
  sleep "$(printf '0.%03d' "$at")"
  kill -9 $SRV; wait $SRV 2>/dev/null; wait $CL 2>/dev/null
  after=$(sql_on "$B" "SELECT count(*) FROM payment WHERE shift_id = $SB")
  echo "# server killed at $at ms into the burst: counter payments $before -> $after"
  tried=$((tried + 1)); rounds=$((rounds + 1))
  [ "$after" != "$before" ] && [ "$after" -lt "$(wc -l < jobs.tsv)" ] && landed=$((landed + 1))
done
serve "$B"
python3 "$TOOLS/burst.py" "$URL" crash.admin crash-admin-pw-1 "$SB" jobs.tsv --out burst_b.txt > burst_b.log; rc=$?
check_eq "burst on B after $rounds server kills: every key answered 200 or 201 on the retry" "0" "$rc"
kill -TERM $SRV; wait $SRV 2>/dev/null

# ---- the two states ----
same "payments: the same (channel, reference or key, customer, amount, paid at)" \
  "SELECT p.channel, p.source, p.ext_ref, c.code, p.amount, p.paid_at FROM payment p JOIN customer c ON c.id = p.customer_id ORDER BY 1, 2, 3, 4, 5, 6"
same "allocations: the same amounts on the same invoices" \
  "SELECT c.code, i.period, i.total, sum(a.amount) FROM payment_alloc a JOIN invoice i ON i.id = a.invoice_id JOIN customer c ON c.id = i.customer_id GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
same "open items: the same" \
  "SELECT c.code, o.period, o.number, o.open FROM open_item o JOIN customer c ON c.id = o.customer_id ORDER BY 1, 2, 3"
aging() { POWERCIS_CLOCK=2026-11-23T09:00:00+07:00 "$POWERCIS" --db "$1" report aging --as-of 2026-11-23 --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d.get("totals", d.get("rows")), sort_keys=True))'; }
check_eq "the aging report's totals: the same" "$(aging "$A")" "$(aging "$B")"
for db in "$A" "$B"; do
  out=$(pc --db "$db" check); rc=$?
  check_eq "every invariant holds on $([ "$db" = "$A" ] && echo A || echo B)" "0" "$rc"
  [ $rc -eq 0 ] || echo "$out" | sed 's/^/# /'
done
check_eq "kills that found the work running: $tried of $((KILLS * 8)) (at least $((KILLS * 3)))" "yes" "$([ $tried -ge $((KILLS * 3)) ] && echo yes)"
echo "# crash points tried: $tried while the work ran; $landed left a partial state on disk (committed chunks or postings) that the restart finished"
finish
