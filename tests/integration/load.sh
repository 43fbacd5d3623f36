#!/usr/bin/env bash
# Load (issue 9, docs/testing.md): wrk on loopback against a demo company for LOAD_SECONDS
# (default 8; make soak: 600), three clients at once: customers by code (16 connections), name
# searches (4) and counter payments with a new Idempotency-Key each (8). No answer may be an error,
# every answered posting must be stored once (plus at most one in flight per connection when wrk
# stops), and every invariant must hold after. The p99 of each is printed (sanitizer build here:
# the speed figures are bench/http.sh's). wrk waits 10 s for an answer (its default, 2 s, counted
# one slow search as a socket error on a loaded machine running the whole suite on PostgreSQL).
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
. "$(dirname "$0")/lib.sh"
SECS=${LOAD_SECONDS:-8}
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; [ -n "${PC_KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { not_ok "wrk is installed (scripts/deps.sh check)"; finish; }
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc demo --customers "${LOAD_CUSTOMERS:-2000}" --months 1 --seed 5 >/dev/null || { not_ok "the demo database"; finish; }
printf '[server]\nscheduler = off\n' > server.ini
export POWERCIS_CONFIG=$WORK/server.ini
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
POWERCIS_LOG=error "$POWERCIS" serve --listen 127.0.0.1:$port > server.log 2>&1 & SRV=$!; PIDS+=($SRV)
U=http://127.0.0.1:$port
for _ in $(seq 200); do curl -s -o /dev/null "$U/healthz" && break; sleep 0.05; done
signin() { curl -s -c "$1.jar" -o "$1.json" -H 'Content-Type: application/json' -d "{\"login\":\"$1\",\"password\":\"powercis-demo\"}" "$U/api/v1/login"; awk '$6 == "pc_session" {print $7}' "$1.jar"; }
ADMIN=$(signin admin); CASHIER=$(signin thungan.pa0101)
CSRF=$(jf 'd["csrf_token"]' < thungan.pa0101.json)
SHIFT=$(curl -s -b thungan.pa0101.jar -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' -d '{"opening_float":0}' "$U/api/v1/shifts" | jf 'd["shift_id"]')
check_eq "signed in and a shift open" "yes" "$([ -n "$ADMIN" ] && [ -n "$CASHIER" ] && [ -n "$SHIFT" ] && echo yes)"
sql "SELECT code FROM customer ORDER BY code" > codes
sql "SELECT name FROM customer ORDER BY code LIMIT 500" | python3 -c 'import sys, urllib.parse
for line in sys.stdin:
    print(urllib.parse.quote(" ".join(line.split()[-2:])))' > names
sql "SELECT c.code FROM customer c JOIN org_node u ON u.id = c.unit_id WHERE u.code = 'PA0101' AND EXISTS (SELECT 1 FROM open_item o WHERE o.customer_id = c.id) ORDER BY c.code" > owing
check_eq "customers of PA0101 owe something" "yes" "$([ "$(wc -l < owing)" -gt 0 ] && echo yes)"

# the three clients at once
WRK_ITEMS=$PWD/codes WRK_PREFIX=/api/v1/customers/ WRK_COOKIE=$ADMIN \
  wrk -t1 -c16 -d"${SECS}s" --timeout 10s --latency -s "$TOOLS/wrk_get.lua" "$U" > get.out 2>&1 & W1=$!
WRK_ITEMS=$PWD/names WRK_PREFIX="/api/v1/customers?limit=20&q=" WRK_COOKIE=$ADMIN \
  wrk -t1 -c4 -d"${SECS}s" --timeout 10s --latency -s "$TOOLS/wrk_get.lua" "$U" > search.out 2>&1 & W2=$!
WRK_ITEMS=$PWD/owing WRK_COOKIE=$CASHIER WRK_CSRF=$CSRF WRK_SHIFT=$SHIFT WRK_AMOUNT=1000 WRK_RUN=load-$$ \
  wrk -t1 -c8 -d"${SECS}s" --timeout 10s --latency -s "$TOOLS/wrk_pay.lua" "$U" > pay.out 2>&1 & W3=$!
wait $W1 $W2 $W3
for f in get search pay; do
  req=$(awk '/requests in/ {print $1}' $f.out); p99=$(awk '$1 == "99%" {print $2}' $f.out)
  non2xx=$(awk '/Non-2xx/ {print $4}' $f.out); sockerr=$(grep -c 'Socket errors' $f.out)
  echo "# $f: ${req:-?} requests in ${SECS} s, p99 ${p99:-?}"
  check_eq "$f: requests answered, none an error (non-2xx, socket errors)" "yes|0|0" \
    "$([ "${req:-0}" -gt 0 ] && echo yes)|${non2xx:-0}|$sockerr"
done
answered=$(awk '/requests in/ {print $1}' pay.out)
kill -TERM $SRV; wait $SRV 2>/dev/null
stored=$(sql "SELECT count(*) FROM payment WHERE shift_id = $SHIFT")
check_eq "every answered posting stored once ($stored stored, $answered answered, ≤ 8 in flight)" "yes" \
  "$([ "$stored" -ge "$answered" ] && [ "$stored" -le $((answered + 8)) ] && echo yes)"
check_eq "… each under its own key" "$stored" "$(sql "SELECT count(DISTINCT ext_ref) FROM payment WHERE shift_id = $SHIFT")"
check_eq "the server logged no error" "0" "$(grep -c 'level=error' server.log)"
grep 'level=error' server.log | head -5 | sed 's/^/# /'

finish
