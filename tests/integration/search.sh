#!/usr/bin/env bash
# Search as a cashier needs it: a scanned code, a phone, folded words in any order; hits show
# code, name, address and unit so that customers with the same name are told apart.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null

out=$(pc customer search nguyen van duc ha dong)
check_contains "folded words find the customer" "PA01010000101" "$out"
check_not_contains "address words narrow it" "PA01010000102" "$out"
check_contains "hit shows the address" "phường Hà Đông" "$out"
check_contains "hit shows the unit" "PA0101 Điện lực Vụ Bản" "$out"
out=$(pc customer search "Đức Nguyễn")
check_contains "words in any order, diacritics as typed: first" "PA01010000101" "$out"
check_contains "same name, second customer" "PA01010000102" "$out"
check_contains "the two are told apart by address" "Xóm 3, xã Hồng Phong" "$out"
check_contains "ĐẶNG folded" "PA01020000103" "$(pc customer search DANG THI NGOC ANH)"
check_contains "prefix of the last word while typing" "PA01020000103" "$(pc customer search dang thi ngoc an)"
check_contains "quoted address text" "PA01020000103" "$(pc customer search ben do)"
json=$(pc customer search PA02010000105 --json)
check_contains "exact code (barcode)" '"matched_by": "code"' "$json"
check_contains "exact code hit" '"customer_code": "PA02010000105"' "$json"
check_contains "lowercase code still a code" '"matched_by": "code"' "$(pc customer search pa02010000105 --json)"
json=$(pc customer search "098 765 4321" --json)
check_contains "phone with spaces" '"matched_by": "phone"' "$json"
check_contains "phone hit" '"customer_code": "PA01010000102"' "$json"
check_contains "phone in +84 form" "PA01010000102" "$(pc customer search +84987654321)"
out=$(pc customer search nguyen van duc --scope PA0102)
check_contains "scope excludes other units" "no customer found" "$out"
check_contains "scope includes its own" "PA01010000102" "$(pc customer search nguyen van duc --scope PA01)"
check_contains "company scope with the same word elsewhere" "PA02010000106" "$(pc customer search xa --scope PA02)"
check_not_contains "company scope excludes the other company" "PA0101" "$(pc customer search xa --scope PA02)"
check_contains "nothing found" "no customer found" "$(pc customer search khong co ai)"
check_contains "operators are plain words" "no customer found" "$(pc customer search 'NOT OR AND' '"*')"
check_fails "empty query refused" pc customer search "  ,  "
check_fails "bad scope refused" pc customer search nguyen --scope XX99
check_fails "bad limit refused" pc customer search nguyen --limit 0
check_eq "limit respected" "1" "$(pc customer search nguyen --limit 1 | wc -l)"
# The last word as a prefix at every length: SQLite has FTS5 prefix indexes for 2 to 6 letters
# (migration 025), a longer prefix is merged from the words it matches; both must find the same.
check_contains "prefix of 2 letters" "PA01010000101" "$(pc customer search nguyen van du)"
check_contains "prefix of 5 letters" "PA01010000101" "$(pc customer search van duc nguye)"
check_contains "whole word of 6 letters as a prefix" "PA01010000101" "$(pc customer search van duc nguyen)"
check_contains "one letter is a word, not a prefix" "no customer found" "$(pc customer search nguyen van d)"
check "customer added after the index was built" pc customer add PA01010000107 --name "Trần Christopher" \
  --address "Xóm 4, xã Hồng Phong" --purpose residential
check_contains "new customer found by a prefix of 7 letters (no index of its own)" "PA01010000107" \
  "$(pc customer search tran christo)"
check_contains "and of 9 letters" "PA01010000107" "$(pc customer search christoph)"
check_contains "and of 3 letters" "PA01010000107" "$(pc customer search tran chr)"
check_not_contains "a longer word is not found by a prefix of its own" "PA01010000107" \
  "$(pc customer search christopherson)"
check_contains "address word as a prefix, new customer ranked by name+address pass" "PA01010000107" \
  "$(pc customer search tran hong pho)"
if [ "$ENGINE" = sqlite ]; then
  check_contains "customer_fts has its prefix indexes" "prefix = '2 3 4 5 6'" \
    "$(sql "SELECT sql FROM sqlite_master WHERE name = 'customer_fts'")"
  check_eq "and the ranking of name words over address words" "bm25(3.0, 1.0, 0.0)" \
    "$(sql "SELECT v FROM customer_fts_config WHERE k = 'rank'")"
fi
finish
