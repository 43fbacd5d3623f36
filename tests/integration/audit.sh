#!/usr/bin/env bash
# The hash-chained audit log: verify passes on honest history and names the first tampered entry.
. "$(dirname "$0")/lib.sh"

pc init >/dev/null
make_tree
check "customer added" pc customer add PA01010000001 --name "Lê Văn Tám" --address "Xóm 2, xã Minh Tân" --purpose residential
check "customer updated" pc customer update PA01010000001 --phone 0912000111 --reason "khách hàng báo số mới"
out=$(pc audit verify); rc=$?
check_eq "verify exit 0" "0" "$rc"
check_contains "verify counts entries" "intact: 8 entries" "$out"
check_fails "UPDATE on the audit log is refused by the database" sql_write "UPDATE audit_log SET actor='x' WHERE id=1"
check_fails "DELETE on the audit log is refused by the database" sql_write "DELETE FROM audit_log WHERE id=8"

# Someone with file access drops the guard and edits entry 3 (so the closing `powercis check` would
# rightly fail: it is checked here instead).
allow_edits audit_log
PC_CHECK_AT_END=0
sql_write "UPDATE audit_log SET detail='{\"code\":\"PA99\"}' WHERE id=3"
out=$(pc audit verify); rc=$?
check_eq "tampered chain: exit 1" "1" "$rc"
check_contains "names the first bad entry" "BROKEN at entry 3" "$out"
out=$(pc check --json); rc=$?
check_eq "powercis check finds it too: exit 1, only the audit chain broken" "1|audit_chain" \
  "$rc|$(echo "$out" | python3 -c 'import json,sys; print(" ".join(c["name"] for c in json.load(sys.stdin)["checks"] if not c["ok"]))')"

# Rewriting the hash too is caught by the next entry's link.
sql_write "UPDATE audit_log SET hash='$(printf '%064d' 7)' WHERE id=3"
out=$(pc audit verify)
check_contains "forged hash caught" "BROKEN at entry 3" "$out"
finish
