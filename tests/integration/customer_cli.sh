#!/usr/bin/env bash
# customer add / show / update from the command line: validation, contract versions, audit.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree

check "add residential" pc customer add PA01010000001 --name "Nguyễn Văn Đức" --address "Số 5, thôn Đông, xã Hồng Phong" \
  --purpose residential --households 2 --phone "091 234 5678" --meter PA0000000001 --route PA0101-001
check "add business with voltage and tou" pc customer add PA01010000002 --name "Công ty TNHH Thép Tân Thành" \
  --address "KCN Bảo Minh" --purpose business --voltage "6-22kV" --tou --meter PA0000000002 --multiplier 40 --est-kwh 120000 --periods-per-month 3
check "add renter with declared persons" pc customer add PA01010000003 --name "Trần Thị Mai" --address "Phòng 3, nhà trọ Hoa Sữa" \
  --purpose residential --renter --persons 6

json=$(pc customer show PA01010000001 --json)
check_contains "show: phone normalised" '"phone": "0912345678"' "$json"
check_contains "show: households" '"households": 2' "$json"
check_contains "show: meter" '"serial": "PA0000000001"' "$json"
check_contains "show: class" '"class": "residential"' "$json"
json=$(pc customer show PA01010000002 --json)
check_contains "business: voltage" '"voltage": "6-22kV"' "$json"
check_contains "business: tou register" '"registers": "tou"' "$json"
check_contains "business: multiplier" '"multiplier": 40' "$json"
check_contains "renter: persons" '"persons": 6' "$(pc customer show PA01010000003 --json)"
check_contains "text show" "Nguyễn Văn Đức" "$(pc customer show PA01010000001)"

expect_refused() { # name needle args...
  local name=$1 needle=$2; shift 2
  local out rc
  out=$(pc customer add "$@" 2>&1); rc=$?
  if [ $rc -ne 0 ] && [[ "$out" == *"$needle"* ]]; then ok "$name"; else not_ok "$name" "rc=$rc" "$out"; fi
}
expect_refused "residential with voltage" "voltage" PA01010000010 --name A --address B --purpose residential --voltage "<6kV"
expect_refused "business without voltage" "voltage" PA01010000011 --name A --address B --purpose business
expect_refused "unknown purpose" "purpose" PA01010000012 --name A --address B --purpose farming
expect_refused "bad phone" "phone" PA01010000013 --name A --address B --purpose residential --phone 12345
expect_refused "code not of its unit" "customer_code" PA01010000014 --name A --address B --purpose residential --unit PA0102
expect_refused "unit does not exist" "PA0103" PA01030000001 --name A --address B --purpose residential
expect_refused "code too short" "customer_code" PA010100001 --name A --address B --purpose residential
expect_refused "duplicate code" "already exists" PA01010000001 --name A --address B --purpose residential
expect_refused "administrative on tou" "tou" PA01010000015 --name A --address B --purpose administrative_public --voltage "<6kV" --tou
expect_refused "class contradicts purpose" "class" PA01010000016 --name A --address B --purpose business --voltage "<6kV" --class residential
expect_refused "households not a number" "households" PA01010000017 --name A --address B --purpose residential --households two
expect_refused "empty name" "name" PA01010000018 --name "" --address B --purpose residential
check_eq "refused adds wrote nothing" "3" "$(sql 'SELECT count(*) FROM customer')"

out=$(pc customer update PA01010000001 --phone 0987654321 2>&1); rc=$?
check_eq "update without reason refused" "2" "$rc"
check_contains "reason named" "reason" "$out"
check "identity update" pc customer update PA01010000001 --phone 0987654321 --address "Số 7, thôn Đông" --reason "khách hàng đổi số"
check_eq "identity changed in place" "0987654321|1" "$(sql "SELECT phone, (SELECT count(*) FROM contract k WHERE k.customer_id=c.id) FROM customer c WHERE code='PA01010000001'")"
check "contract change from a date" pc customer update PA01010000001 --households 3 --from 2099-01-01 --reason "tách hộ"
check_eq "contract version appended" "2" "$(sql "SELECT count(*) FROM contract k JOIN customer c ON c.id=k.customer_id WHERE c.code='PA01010000001'")"
check_contains "as of today still 2 households" '"households": 2' "$(pc customer show PA01010000001 --json --as-of 2030-01-01)"
check_contains "as of 2099 three households" '"households": 3' "$(pc customer show PA01010000001 --json --as-of 2099-06-01)"
check_fails "contract rows cannot be edited" sql_write "UPDATE contract SET households=9"
check_fails "update that breaks a rule refused" pc customer update PA01010000001 --voltage "<6kV" --reason x
check_fails "code cannot be changed" pc customer update PA01010000001 --customer-code PA01010000099 --reason x
check_fails "unknown customer" pc customer update PA01019999999 --phone 0912345678 --reason x
check_fails "date in the past of the contract refused" pc customer update PA01010000001 --households 1 --from 1999-01-01 --reason x
detail=$(sql "SELECT detail FROM audit_log WHERE action='customer.update' ORDER BY id LIMIT 1")
check_contains "audit keeps before" '"phone":"0912345678"' "$detail"
check_contains "audit keeps after" '"phone":"0987654321"' "$detail"
check_contains "audit keeps reason" 'khách hàng đổi số' "$detail"
check_contains "search index follows the update" "PA01010000001" "$(pc customer search so 7 thon dong)"
check "audit chain intact" pc audit verify
finish
