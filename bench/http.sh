#!/usr/bin/env bash
# HTTP benchmark (issue 8) with wrk on loopback: a customer by code and the name search of the
# signed-in API, and the counter's payment POST, over HTTP_CUSTOMERS demo customers (default
# 1,000,000, one billed month), HTTP_SECONDS each (default 10). HTTP_DB=FILE uses (and writes
# payments into) a demo database made before instead of making one. Prints `metric | value |
# target`; never fails on timing; ends with `powercis check` on the database the postings went into.
# Usage: bench/http.sh BUILD
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
n=${HTTP_CUSTOMERS:-1000000}
secs=${HTTP_SECONDS:-10}
for tool in wrk curl sqlite3 python3; do
  command -v $tool >/dev/null || { echo "http bench | skipped: $tool is missing | -"; exit 0; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/powercis-http-XXXXXX")
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
if [ -n "${HTTP_DB:-}" ]; then
  db=$HTTP_DB
  n=$(sqlite3 "$db" "SELECT count(*) FROM customer")
  echo "http bench data: $n demo customers from $db | - | -"
else
  db=$tmp/http.db
  t0=$(date +%s.%N)
  # one billed month: the counter's postings clear open invoices
  "$build/powercis" --db "$db" demo --customers "$n" --months 1 >/dev/null
  t1=$(date +%s.%N)
  echo "http bench data: $n demo customers (1 month of reads, billed) | $(python3 -c "print('%.1f s' % ($t1 - $t0))") | -"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
POWERCIS_LOG=error "$build/powercis" --db "$db" serve --listen "127.0.0.1:$port" --no-scheduler >/dev/null 2>&1 &
srv=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# the demo's administrator (password of the demo): a session cookie for wrk
cookie=$(curl -s -c - -H 'Content-Type: application/json' -d '{"login":"admin","password":"powercis-demo"}' \
  "http://127.0.0.1:$port/api/v1/login" | awk '$6 == "pc_session" {print $7}')
[ -n "$cookie" ] || { echo "http bench | could not sign in | -"; exit 0; }
# 10,000 random codes and 2,000 random names (two words of them, as a clerk types) for the requests
sqlite3 "$db" "SELECT code FROM customer ORDER BY random() LIMIT 10000" > "$tmp/codes"
sqlite3 "$db" "SELECT name FROM customer ORDER BY random() LIMIT 2000" |
  python3 -c 'import sys, urllib.parse
for line in sys.stdin:
    w = line.split()
    print(urllib.parse.quote(" ".join(w[-2:])))' > "$tmp/names"
tools=$(cd "$(dirname "$0")/../tests/tools" && pwd)
export WRK_COOKIE=$cookie
get_lua() { # FILE PREFIX: the environment of tests/tools/wrk_get.lua for wrk's next run
  export WRK_ITEMS=$1 WRK_PREFIX=$2
}
run() { # NAME LUA TARGET-RPS TARGET-P99 CONNECTIONS
  local out rps p99 # errors and requests are kept for the caller
  out=$(wrk -t2 -c"$5" -d"${secs}s" --latency -s "$tools/$2" "http://127.0.0.1:$port" 2>&1)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$1, requests/s | ${rps:-?} | $3"
  echo "$1, p99 latency | ${p99:-?} | $4"
  echo "$1, non-2xx answers | ${errors:-0} | 0"
}
get_lua "$tmp/codes" "/api/v1/customers/"
run "GET /api/v1/customers/{code} over $n customers, 32 connections" wrk_get.lua ">= 5,000" "<= 10 ms" 32
# the search saturates the cores long before 32 clients; its latency is measured at 4 (a
# counter's few clerks typing) and its throughput at 32
get_lua "$tmp/names" "/api/v1/customers?limit=20&q="
run "GET /api/v1/customers?q=<two name words> over $n customers, 4 connections" wrk_get.lua "-" "<= 30 ms" 4
run "GET /api/v1/customers?q=<two name words> over $n customers, 32 connections" wrk_get.lua "-" "-" 32

# ---- the counter's payment POST ----
# The demo's cashier of PA0101 opens a shift and posts 10,000 đ cash payments for customers of its
# unit that owe something, each request with its own Idempotency-Key (so every one is a new
# payment) and the session's CSRF token, as the counter screen sends them.
login=$(curl -s -c "$tmp/cashier.jar" -H 'Content-Type: application/json' \
  -d '{"login":"thungan.pa0101","password":"powercis-demo"}' "http://127.0.0.1:$port/api/v1/login")
ccookie=$(awk '$6 == "pc_session" {print $7}' "$tmp/cashier.jar")
csrf=$(echo "$login" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("csrf_token", ""))' 2>/dev/null || true)
shift_id=$(curl -s -b "$tmp/cashier.jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"opening_float":0}' "http://127.0.0.1:$port/api/v1/shifts" |
  python3 -c 'import json, sys; print(json.load(sys.stdin).get("shift_id", ""))' 2>/dev/null || true)
[ -n "$ccookie" ] && [ -n "$csrf" ] && [ -n "$shift_id" ] || { echo "counter POST bench | could not sign in or open a shift | -"; exit 0; }
sqlite3 "$db" "SELECT c.code FROM customer c JOIN org_node u ON u.id = c.unit_id WHERE u.code = 'PA0101'
  AND EXISTS (SELECT 1 FROM open_item o WHERE o.customer_id = c.id AND o.open > 0) ORDER BY random() LIMIT 10000" > "$tmp/owing"
owing=$(wc -l < "$tmp/owing")
[ "$owing" -gt 0 ] || { echo "counter POST bench | no customer of PA0101 owes anything | -"; exit 0; }
runid=$(date +%s)
export WRK_ITEMS=$tmp/owing WRK_COOKIE=$ccookie WRK_CSRF=$csrf WRK_SHIFT=$shift_id WRK_AMOUNT=10000
payments() { sqlite3 "$db" "SELECT count(*) FROM payment WHERE shift_id = $shift_id"; }
posted=0
# 8 connections for the target (wrk sends as fast as answers come, so the latency of many more
# connections is their queue: 32 / 1,700 per s ≈ 19 ms on average); 32 for the throughput
for c in 8 32; do
  export WRK_RUN=bench-$runid-c$c
  run "POST /api/v1/payments (counter, cash, a new Idempotency-Key each) over $n customers, $c connections" \
    wrk_pay.lua ">= 1,000" "$([ $c = 8 ] && echo '<= 20 ms' || echo -)" "$c"
  posted=$((posted + ${requests:-0} - ${errors:-0}))
done
# the server's memory after all of it: its peak resident set (VmHWM) and what it holds now
hwm=$(awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' /proc/$srv/status 2>/dev/null)
rss=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' /proc/$srv/status 2>/dev/null)
echo "server resident memory over $n customers: peak / now (MB) | ${hwm:-?} / ${rss:-?} | <= 150"
# wrk stops with requests in flight: they are posted but not counted, at most one per connection
stored=$(payments)
verdict=$([ "$stored" -ge "$posted" ] && [ "$stored" -le $((posted + 40)) ] && echo ok || echo WRONG)
echo "counter POST: payments stored in the shift vs 2xx answers | $stored vs $posted: $verdict | stored = answered + at most 40 in flight"
t0=$(date +%s.%N)
if check=$("$build/powercis" --db "$db" check 2>&1); then verdict=ok; else verdict="FAILED: $(echo "$check" | tail -3 | tr '\n' ' ')"; fi
t1=$(date +%s.%N)
echo "powercis check after the postings ($(python3 -c "print('%.1f s' % ($t1 - $t0))")) | $verdict | ok"
