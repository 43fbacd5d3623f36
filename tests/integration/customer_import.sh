#!/usr/bin/env bash
# customer import: all or nothing, a per-line report, the database byte-for-byte unchanged
# after a rejected file.
. "$(dirname "$0")/lib.sh"
C="$CASES/customers"

pc init >/dev/null
make_tree

out=$(pc customer import "$C/good.csv" 2>&1); rc=$?
check_eq "good file imported" "0" "$rc"
check_contains "count reported" "imported 6 customers" "$out"
check_eq "rows written" "6" "$(sql 'SELECT count(*) FROM customer')"
check_eq "one contract each" "6" "$(sql 'SELECT count(*) FROM contract')"
check_eq "meters where given" "5" "$(sql 'SELECT count(*) FROM meter')"
check_eq "quoted field with doubled quotes" 'Thôn "Bến Đò", xã Yên Bằng' "$(sql "SELECT address FROM customer WHERE code='PA01020000103'")"
check_eq "renter persons" "1|5" "$(sql "SELECT renter, persons FROM contract k JOIN customer c ON c.id=k.customer_id WHERE c.code='PA01020000103'")"
check_eq "+84 phone normalised" "0987654321" "$(sql "SELECT phone FROM customer WHERE code='PA01010000102'")"
check_eq "tou production" "1|22-110kV" "$(sql "SELECT tou, voltage FROM contract k JOIN customer c ON c.id=k.customer_id WHERE c.code='PA02010000105'")"
check_eq "tou meter registers" "tou" "$(sql "SELECT registers FROM meter WHERE serial='PA0000000105'")"
check_eq "import audited once with the file hash" "$(sha256sum "$C/good.csv" | cut -d' ' -f1)" \
  "$(sql "SELECT entity_key FROM audit_log WHERE action='customer.import'")"

out=$(pc customer import "$C/bom_crlf.csv" 2>&1); rc=$?
check_eq "BOM + CRLF + other column order imported" "0" "$rc"
check_eq "no BOM or CR left in data" "PA01010000201|0901000201" "$(sql "SELECT code, phone FROM customer WHERE name='Hoàng Văn Nam'")"

# From here on the database must not change: compare the file bytes.
sum_before=$(fingerprint)
out=$(pc customer import "$C/bad.csv" 2>&1); rc=$?
check_eq "bad file rejected (exit 2)" "2" "$rc"
check_contains "summary" "9 of 10 rows have errors; nothing was imported" "$out"
check_contains "line 3: voltage on residential" "line 3: voltage" "$out"
check_contains "line 4: business without voltage" "line 4: voltage" "$out"
check_contains "line 5: empty name" "line 5: name" "$out"
check_contains "line 6: households 0" "line 6: households" "$out"
check_contains "line 7: bad phone" "line 7: phone" "$out"
check_contains "line 8: unknown unit" "line 8: unit: 'PA0109' does not exist" "$out"
check_contains "line 9: unknown purpose" "line 9: purpose" "$out"
check_contains "line 10: duplicate code in the file" "line 10: customer_code: 'PA01010000301' already exists" "$out"
check_contains "line 11: missing field" "line 11: 7 fields, the header has 8" "$out"
check_not_contains "line 2 is fine" "line 2:" "$out"
check_eq "database byte-for-byte unchanged" "$sum_before" "$(fingerprint)"

out=$(pc customer import "$C/good.csv" 2>&1); rc=$?
check_eq "same file again refused" "2" "$rc"
check_contains "duplicates named" "already exists" "$out"
check_eq "unchanged after the repeat" "$sum_before" "$(fingerprint)"

bad_header() { printf '%s\n' "$1" "$2" > "$WORK/h.csv"; pc customer import "$WORK/h.csv" 2>&1; }
check_contains "missing required column" "required column 'phone' is missing" \
  "$(bad_header 'customer_code,name,address,unit,purpose,voltage,households' 'PA01010000401,A,B,PA0101,residential,,1')"
check_contains "unknown column" "unknown column 'colour'" \
  "$(bad_header 'customer_code,name,address,unit,purpose,voltage,households,phone,colour' 'PA01010000401,A,B,PA0101,residential,,1,,red')"
check_contains "duplicate column" "column 'name' appears twice" \
  "$(bad_header 'customer_code,name,name,address,unit,purpose,voltage,households,phone' 'x')"
printf 'customer_code,name,address,unit,purpose,voltage,households,phone\nPA01010000402,"unterminated,B,PA0101,residential,,1,\n' > "$WORK/q.csv"
check_contains "unterminated quote" "line 2:" "$(pc customer import "$WORK/q.csv" 2>&1)"
printf 'customer_code,name,address,unit,purpose,voltage,households,phone\nPA01010000403,L\xea V\xe3n,B,PA0101,residential,,1,\n' > "$WORK/latin.csv"
check_contains "not UTF-8 (a Windows code page)" "line 2: text is not valid UTF-8" "$(pc customer import "$WORK/latin.csv" 2>&1)"
: > "$WORK/empty.csv"
check_contains "empty file" "empty" "$(pc customer import "$WORK/empty.csv" 2>&1)"
check_contains "missing file" "cannot open" "$(pc customer import "$WORK/nope.csv" 2>&1)"
check_eq "still unchanged" "$sum_before" "$(fingerprint)"
check "audit chain intact" pc audit verify
finish
