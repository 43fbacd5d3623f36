#!/usr/bin/env bash
# The transformer station of a customer in `customer import` (an optional column), `customer
# show`, `customer update` and GET /api/v1/customers/{code} (docs/outages.md, docs/formats.md).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"

pc init >/dev/null
make_tree

# ---- a file without the column imports as before: no transformer ----
check "a file without the transformer column" pc customer import "$CASES/customers/good.csv"
check_eq "every customer without a transformer" "0" "$(sql "SELECT count(*) FROM customer WHERE transformer IS NOT NULL")"
check_contains "show --json: transformer null" '"transformer": null' "$(pc customer show PA01010000101 --json)"
check_contains "show: transformer -" "  transformer: -" "$(pc customer show PA01010000101)"

# ---- with the column: set, trimmed, or left NULL when empty ----
H=unit,customer_code,name,address,purpose,voltage,households,phone,transformer
printf '%s\n' "$H" \
  'PA0101,PA01010000501,Trần Văn An,Xóm 1,residential,,1,,TBA-VB-07' \
  'PA0101,PA01010000502,Trần Văn Bình,Xóm 2,residential,,1,,' \
  'PA0101,PA01010000503,Trần Văn Cường,Xóm 3,residential,,1,," TBA Hồng Phong 2 "' > "$WORK/t.csv"
check "a file with the transformer column" pc customer import "$WORK/t.csv"
check_eq "stored values: set, NULL when empty, trimmed" "PA01010000501|TBA-VB-07
PA01010000502|NULL
PA01010000503|TBA Hồng Phong 2" \
  "$(sql "SELECT code, COALESCE(transformer, 'NULL') FROM customer WHERE code LIKE 'PA010100005%' ORDER BY code")"
check_contains "show --json: the transformer" '"transformer": "TBA-VB-07"' "$(pc customer show PA01010000501 --json)"
check_contains "show --json: null when empty" '"transformer": null' "$(pc customer show PA01010000502 --json)"
check_contains "show: the transformer" "  transformer: TBA Hồng Phong 2" "$(pc customer show PA01010000503)"

# ---- bad values: the line and the column named, nothing imported ----
before=$(fingerprint)
long=$(printf 'T%.0s' $(seq 1 64))
printf '%s\n' "$H" \
  'PA0101,PA01010000601,Lê Văn An,Xóm 1,residential,,1,,TBA-1' \
  "PA0101,PA01010000602,Lê Văn Bình,Xóm 2,residential,,1,,$long" \
  "PA0101,PA01010000603,Lê Văn Cường,Xóm 3,residential,,1,,\"TBA$(printf '\001')X\"" > "$WORK/bad.csv"
out=$(pc customer import "$WORK/bad.csv" 2>&1); rc=$?
check_eq "a file with bad transformers is refused (exit 2)" "2" "$rc"
check_contains "2 of 3 rows" "2 of 3 rows have errors; nothing was imported" "$out"
check_contains "too long: line 3, column transformer" "line 3: transformer: longer than 63 bytes" "$out"
check_contains "a control character: line 4, column transformer" "line 4: transformer: contains a control character" "$out"
check_not_contains "line 2 is fine" "line 2:" "$out"
check_eq "nothing changed" "$before" "$(fingerprint)"

# ---- customer update sets and clears it, audited with before and after ----
check "update --transformer" pc customer update PA01010000101 --transformer TBA-VB-09 --reason "khảo sát lưới"
check_eq "stored" "TBA-VB-09" "$(sql "SELECT transformer FROM customer WHERE code = 'PA01010000101'")"
check_eq "audited: before none, after TBA-VB-09" "None|TBA-VB-09" \
  "$(sql "SELECT detail FROM audit_log WHERE action = 'customer.update' AND entity_key = 'PA01010000101' ORDER BY id DESC LIMIT 1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["before"].get("transformer"), d["after"].get("transformer"), sep="|")')"
check "update of another field keeps it" pc customer update PA01010000101 --route PA0101-009 --reason "đổi sổ"
check_eq "still TBA-VB-09" "TBA-VB-09|PA0101-009" "$(sql "SELECT transformer, route FROM customer WHERE code = 'PA01010000101'")"
check "update --transformer '' clears it" pc customer update PA01010000501 --transformer "" --reason "nhập sai trạm"
check_eq "cleared to NULL" "NULL" "$(sql "SELECT COALESCE(transformer, 'NULL') FROM customer WHERE code = 'PA01010000501'")"
before=$(fingerprint)
out=$(pc customer update PA01010000101 --transformer "$long" --reason x 2>&1); rc=$?
check_eq "a too long transformer is refused" "2|1" "$rc|$(echo "$out" | grep -c "transformer: longer than 63 bytes")"
check_eq "nothing changed" "$before" "$(fingerprint)"

# ---- over HTTP ----
echo "pw-admin-12345" | pc user add admin --name "Quản trị" --role administrator --scope PA --password-stdin >/dev/null
api_serve
login admin admin "pw-admin-12345" >/dev/null
st=$(call c1.json -b admin "$U/api/v1/customers/PA01010000101")
check_eq "GET customer: the transformer" "200|TBA-VB-09" "$st|$(jf 'd["transformer"]' < c1.json)"
st=$(call c2.json -b admin "$U/api/v1/customers/PA01010000102")
check_eq "GET customer: null when none" "200|None" "$st|$(jf 'd["transformer"]' < c2.json)"
finish
