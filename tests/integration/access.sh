#!/usr/bin/env bash
# The access matrix (issue 9, docs/testing.md): every route of the router × nobody, each staff
# role with its scope node and a partner × a path inside and outside the scope, over real HTTP
# (tests/tools/access_matrix.py reads the route table and the role bits from src/http/router.[ch]).
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
SRC=$(cd "$(dirname "$0")/../../src/http" && pwd)
. "$(dirname "$0")/lib.sh"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; [ -n "${PC_KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; A=PA01020000104; T=PA02010000105
for c in "$R 2025-06-01 1000 2025-07-01 1100" "$A 2025-06-03 500 2025-07-03 1500"; do
  set -- $c
  pc read add $1 --date $2 --total $3 >/dev/null; pc read add $1 --date $4 --total $5 >/dev/null
done
pc read add $T --date 2025-06-02 --normal 100 --peak 50 --offpeak 80 >/dev/null
pc read add $T --date 2025-07-02 --normal 300 --peak 150 --offpeak 200 >/dev/null
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
S1=$(pc shift open --cashier "Thu ngân Vụ Bản" --unit PA0101 --float 0 --json | jf 'd["shift_id"]')
S2=$(pc shift open --cashier "Thu ngân Hưng Hà" --unit PA0201 --float 0 --json | jf 'd["shift_id"]')
pc pay post $R --shift $S1 --amount 10000 --ref CT-R --paid-at "2025-07-10 09:00" >/dev/null
pc pay post $T --shift $S2 --amount 10000 --ref CT-T --paid-at "2025-07-10 09:00" >/dev/null
RCPT_R=$(sql "SELECT receipt_no FROM payment WHERE ext_ref = 'CT-R'"); RCPT_T=$(sql "SELECT receipt_no FROM payment WHERE ext_ref = 'CT-T'")
pc partner add ECPAY --name "Ví ECPAY" --kind wallet >/dev/null
pc partner add VNPOST --name "Bưu điện" --kind post >/dev/null
pc pay post $R --partner ECPAY --ref EC-1 --amount 5000 --paid-at "2025-07-11 09:00" >/dev/null
pc pay post $T --partner VNPOST --ref VN-1 --amount 5000 --paid-at "2025-07-11 09:00" >/dev/null
REQ_R=$(pc request add --type meter_test --customer $R --date 2026-11-16 --json | jf 'd["code"]')
REQ_T=$(pc request add --type meter_test --customer $T --date 2026-11-16 --json | jf 'd["code"]')
O1=$(pc outage add --scope PA0101 --start "2025-07-12 08:00" --customers 1 --json | jf 'd["id"]')
O2=$(pc outage add --scope PA0201 --start "2025-07-12 08:00" --customers 1 --json | jf 'd["id"]')
head -c 32 /dev/urandom > server.key; chmod 600 server.key
printf '[server]\nscheduler = off\nkey_file = %s\n' "$WORK/server.key" > server.ini
export POWERCIS_CONFIG=$WORK/server.ini
keyout=$(pc partner key ECPAY)
KEY_ID=$(echo "$keyout" | awk '/^key_id/ {print $2}'); SECRET=$(echo "$keyout" | awk '/^secret/ {print $2}')
users=()
for u in administrator:x.admin:PA corporation:x.corp:PA company:x.company:PA01 unit_officer:x.officer:PA0101 \
         cashier:x.cashier:PA0101 auditor:x.auditor:PA01 read_only:x.readonly:PA0102 \
         account_manager:x.manager:PA0101; do
  IFS=: read -r role login scope <<<"$u"
  echo "pw-$login-access" | pc user add "$login" --name "Access $role" --role "$role" --scope "$scope" --password-stdin >/dev/null
  users+=("\"$login\": {\"role\": \"$role\", \"scope\": \"$scope\", \"login\": \"$login\", \"password\": \"pw-$login-access\"}")
done
# the cashier's own shift is the one in its unit
cat > fixture.json <<JSON
{"principals": {$(IFS=,; echo "${users[*]}"),
  "partner.ecpay": {"role": "partner", "scope": "ECPAY", "key_id": "$KEY_ID", "secret": "$SECRET", "sees_all": ["customer"]}},
 "values": {
  "customer": {"PA0101": "$R", "PA0102": "$A", "PA0201": "$T"},
  "receipt": {"PA0101": "$RCPT_R", "PA0201": "$RCPT_T"},
  "shifts:id": {"PA0101": "$S1", "PA0201": "$S2"},
  "outages:id": {"PA0101": "$O1", "PA0201": "$O2"},
  "partner_ref": {"ECPAY": "EC-1", "VNPOST": "VN-1"},
  "requests:request": {"PA0101": "$REQ_R", "PA0201": "$REQ_T"}
 },
 "bodies": {
  "POST /api/v1/payments/{receipt}/reverse": {"reason": "access matrix"},
  "POST /api/v1/outages/{id}/close": {"end": "2025-07-12 09:00"},
  "POST /api/v1/outages/{id}/cancel": {"reason": "recorded by mistake"},
  "POST /api/v1/partner/payments/{ref}/reverse": {"reason": "access matrix"}
 }}
JSON
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$POWERCIS" serve --listen 127.0.0.1:$port > server.log 2>&1 & SRV=$!; PIDS+=($SRV)
for _ in $(seq 200); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
python3 "$TOOLS/access_matrix.py" "http://127.0.0.1:$port" "$SRC/router.c" "$SRC/router.h" fixture.json > matrix.tap
rc=$?
# the matrix's own cases, renumbered into this script's
while IFS= read -r line; do
  case $line in
    "ok "*) ok "${line#ok * - }" ;;
    "not ok "*) not_ok "${line#not ok * - }" ;;
    "#"*) echo "$line" ;;
  esac
done < matrix.tap
check_eq "the matrix ran to its end" "0|yes" "$rc|$(grep -q '^1\.\.' matrix.tap && echo yes)"
kill -TERM $SRV; wait $SRV 2>/dev/null
finish
