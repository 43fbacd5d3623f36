#!/usr/bin/env bash
# What the counter screen needs besides the collection API (docs/api.md "Collection"): the
# account's open shift (GET /api/v1/me/shift, so a reloaded screen finds it) and a shift's
# postings (GET /api/v1/shifts/{id}/payments, paged, newest first, with reversals marked), each
# within who may read the shift.
. "$(dirname "$0")/lib.sh"

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null   # 100 kWh: 217,836 đ
pc read add $R --date 2025-08-01 --total 1250 >/dev/null   # 150 kWh: 346,356 đ
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
pc bill run --period 2025-08 --issue-date 2025-08-05 >/dev/null
echo "vu-ban-cashier-1" | pc user add vb.cashier --name "Phạm Thu" --role cashier --scope PA0101 --password-stdin >/dev/null
echo "vu-ban-cashier-2" | pc user add vb.cashier2 --name "Lý Lan" --role cashier --scope PA0101 --password-stdin >/dev/null
echo "vu-ban-officer-1" | pc user add vb.officer --name "Đỗ Hải" --role unit_officer --scope PA0101 --password-stdin >/dev/null
echo "y-yen-officer-1" | pc user add yy.officer --name "Trần Nam" --role unit_officer --scope PA0102 --password-stdin >/dev/null
echo "read-only-pa01-1" | pc user add pa01.ro --name "Lê Xem" --role read_only --scope PA01 --password-stdin >/dev/null

export POWERCIS_CLOCK_FILE=$PWD/clock
echo 2026-11-23T09:00:00+07:00 > clock
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf '[server]\nscheduler = off\n' > powercis.ini
export POWERCIS_CONFIG=$PWD/powercis.ini
"$POWERCIS" serve --listen 127.0.0.1:$port > server.log 2>&1 & SRV=$!; PIDS+=($SRV)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
U="http://127.0.0.1:$port"

call() { local out=$1; shift; curl -s -o "$out" -w '%{http_code}' "$@"; }
login() { call "$1.json" -c "$1" -b "$1" -X POST -d "{\"login\":\"$2\",\"password\":\"$3\"}" "$U/api/v1/login"; }
csrf() { jf 'd["csrf_token"]' < "$1.json"; }
post() { local jar=$1 out=$2 path=$3 body=$4; shift 4
  call "$out" -b "$jar" -H "X-CSRF-Token: $(csrf "$jar")" -H 'Content-Type: application/json' -X POST -d "$body" "$@" "$U$path"; }
err() { jf 'd["error"]["code"]+"|"+str(d["error"]["field"])' < "$1"; }

check_eq "the accounts sign in" "200|200|200|200|200" \
  "$(login c.jar vb.cashier vu-ban-cashier-1)|$(login c2.jar vb.cashier2 vu-ban-cashier-2)|$(login o.jar vb.officer vu-ban-officer-1)|$(login y.jar yy.officer y-yen-officer-1)|$(login ro.jar pa01.ro read-only-pa01-1)"

# ---- the open shift ----
check_eq "GET /me/shift before any shift: 200, null" "200|None" "$(call m.json -b c.jar "$U/api/v1/me/shift")|$(jf 'd["shift"]' < m.json)"
check_eq "… a read-only account takes no money: 403" "403" "$(call x.json -b ro.jar "$U/api/v1/me/shift")"
check_eq "… without signing in: 401" "401" "$(call x.json "$U/api/v1/me/shift")"
post c.jar s.json /api/v1/shifts '{"opening_float":200000}' >/dev/null
SHIFT=$(jf 'd["shift_id"]' < s.json)
check_eq "after opening one: the shift, its float and no postings" "200|$SHIFT|vb.cashier|200000|0|False" \
  "$(call m.json -b c.jar "$U/api/v1/me/shift")|$(jf '"|".join(str(d["shift"][k]) for k in ("shift_id","cashier","opening_float","postings","closed"))' < m.json)"
check_eq "… another cashier of the unit has none of its own" "200|None" "$(call m.json -b c2.jar "$U/api/v1/me/shift")|$(jf 'd["shift"]' < m.json)"
echo 2026-11-23T09:05:00+07:00 > clock
post c2.jar s2.json /api/v1/shifts '{"opening_float":0}' >/dev/null
SHIFT2=$(jf 'd["shift_id"]' < s2.json)
echo 2026-11-23T09:10:00+07:00 > clock
post c.jar s3.json /api/v1/shifts '{"opening_float":50000}' >/dev/null
SHIFT3=$(jf 'd["shift_id"]' < s3.json)
check_eq "two open shifts: the latest is the one answered" "$SHIFT3|$SHIFT2" \
  "$(call m.json -b c.jar "$U/api/v1/me/shift" >/dev/null; jf 'd["shift"]["shift_id"]' < m.json)|$(call m.json -b c2.jar "$U/api/v1/me/shift" >/dev/null; jf 'd["shift"]["shift_id"]' < m.json)"
post c.jar x.json /api/v1/shifts/$SHIFT3/close '{"counted_cash":50000}' >/dev/null
check_eq "… closed, the earlier open one is answered again" "$SHIFT" \
  "$(call m.json -b c.jar "$U/api/v1/me/shift" >/dev/null; jf 'd["shift"]["shift_id"]' < m.json)"

# ---- the shift's postings ----
for i in 1 2 3; do
  post c.jar p$i.json /api/v1/payments "{\"customer_code\":\"$R\",\"amount\":${i}0000,\"shift_id\":$SHIFT}" -H "Idempotency-Key: ctr-$i" >/dev/null
done
post c.jar p4.json /api/v1/payments "{\"customer_code\":\"$R\",\"amount\":5000,\"shift_id\":$SHIFT,\"method\":\"card\"}" -H "Idempotency-Key: ctr-4" >/dev/null
RC2=$(jf 'd["receipt_no"]' < p2.json)
post c.jar v.json /api/v1/payments/$RC2/reverse "{\"reason\":\"wrong amount\",\"shift_id\":$SHIFT}" -H 'Idempotency-Key: ctr-rv-2' >/dev/null
check_eq "GET /shifts/{id}/payments: newest first, the reversal with its reason, the reversed payment marked" \
  "200|5|-20000:True:False:wrong amount,5000:False:False:,30000:False:False:,20000:False:True:,10000:False:False:" \
  "$(call l.json -b c.jar "$U/api/v1/shifts/$SHIFT/payments")|$(jf 'str(d["total"])+"|"+",".join("%d:%s:%s:%s" % (i["amount"], i["reversal"], i["reversed"], i.get("reason","")) for i in d["items"])' < l.json)"
check_eq "… each with its receipt, customer, method and key" "$RC2|$R|cash|ctr-2|card" \
  "$(jf 'd["items"][3]["receipt_no"]+"|"+d["items"][3]["customer_code"]+"|"+d["items"][3]["method"]+"|"+d["items"][3]["reference"]+"|"+d["items"][1]["method"]' < l.json)"
check_eq "… the same as the database has" "$(sql "SELECT count(*) || '|' || sum(amount) FROM payment WHERE shift_id = $SHIFT")" \
  "$(jf 'str(d["total"])+"|"+str(sum(i["amount"] for i in d["items"]))' < l.json)"
check_eq "… paged: limit 2 from offset 2" "200|2|2|5|30000,20000" \
  "$(call l2.json -b c.jar "$U/api/v1/shifts/$SHIFT/payments?limit=2&offset=2")|$(jf 'str(d["limit"])+"|"+str(d["offset"])+"|"+str(d["total"])+"|"+",".join(str(i["amount"]) for i in d["items"])' < l2.json)"
check_eq "… past the end: no items, the total still" "200|0|5" \
  "$(call l3.json -b c.jar "$U/api/v1/shifts/$SHIFT/payments?offset=50")|$(jf 'str(len(d["items"]))+"|"+str(d["total"])' < l3.json)"
for q in limit=0 limit=101 limit=x offset=-1; do
  check_eq "… $q: 400 naming it" "400|invalid|${q%%=*}" "$(call x.json -b c.jar "$U/api/v1/shifts/$SHIFT/payments?$q")|$(err x.json)"
done
check_eq "… an empty shift: no items" "200|0|0" \
  "$(call x.json -b c2.jar "$U/api/v1/shifts/$SHIFT2/payments")|$(jf 'str(len(d["items"]))+"|"+str(d["total"])' < x.json)"

# ---- who may read it ----
check_eq "another cashier of the unit: 404, as for a shift that does not exist" "404|404" \
  "$(call x.json -b c2.jar "$U/api/v1/shifts/$SHIFT/payments")|$(call x.json -b c.jar "$U/api/v1/shifts/999999/payments")"
check_not_contains "… with nothing of the shift in it" "$R" "$(cat x.json)"
check_eq "a malformed id: 404" "404" "$(call x.json -b c.jar "$U/api/v1/shifts/abc/payments")"
check_eq "the unit's officer reads it" "200|5" "$(call x.json -b o.jar "$U/api/v1/shifts/$SHIFT/payments")|$(jf 'str(d["total"])' < x.json)"
check_eq "… a read-only account of the company too" "200" "$(call x.json -b ro.jar "$U/api/v1/shifts/$SHIFT/payments")"
check_eq "… another unit's officer: 404" "404" "$(call x.json -b y.jar "$U/api/v1/shifts/$SHIFT/payments")"
check_eq "without signing in: 401" "401" "$(call x.json "$U/api/v1/shifts/$SHIFT/payments")"

# ---- the close ----
check_eq "closing the shift: the expected cash is the float and the cash kept" "200|240000|239000|-1000" \
  "$(post c.jar cl.json /api/v1/shifts/$SHIFT/close '{"counted_cash":239000}')|$(jf 'str(d["expected_cash"])+"|"+str(d["counted_cash"])+"|"+str(d["difference"])' < cl.json)"
check_eq "… then no open shift is left" "200|None" "$(call m.json -b c.jar "$U/api/v1/me/shift")|$(jf 'd["shift"]' < m.json)"
check_eq "… its postings are still listed" "200|5" "$(call x.json -b c.jar "$U/api/v1/shifts/$SHIFT/payments")|$(jf 'str(d["total"])' < x.json)"
finish
