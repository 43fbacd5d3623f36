#!/usr/bin/env bash
# init and the organisation tree: EVN-style codes, parents, errors that name the problem.
. "$(dirname "$0")/lib.sh"

check "init creates the database" pc init
check_eq "migrations recorded" "$(ls "$(dirname "$0")"/../../src/store/schema/*.sql | wc -l | tr -d " ")" "$(sql 'SELECT count(*) FROM schema_migrations')"
before=$(fingerprint)
check "init again is harmless" pc init
check_eq "second init changes nothing" "$before" "$(fingerprint)"

check "add corporation" pc org add PA "Tổng công ty Điện lực miền Bắc"
check "add company (parent from code)" pc org add PA01 "Công ty Điện lực Nam Định"
check "add unit with explicit parent" pc org add PA0101 "Điện lực Vụ Bản" --parent PA01
check_eq "unit path" "/PA/PA01/PA0101/" "$(sql "SELECT path FROM org_node WHERE code='PA0101'")"
check_eq "levels" "corporation company unit" "$(sql "SELECT $(agg)(level, ' ') FROM (SELECT level FROM org_node ORDER BY path) x")"

out=$(pc org add PA0201 "Điện lực Hưng Hà" 2>&1); rc=$?
check_eq "unit without its company is refused (exit 2)" "2" "$rc"
check_contains "message names the missing parent" "PA02" "$out"
out=$(pc org add PA0102 "X" --parent PA 2>&1); rc=$?
check_eq "wrong --parent refused" "2" "$rc"
check_contains "message says where it belongs" "belongs under PA01" "$out"
out=$(pc org add pa01 "x" 2>&1)
check_contains "lowercase code refused with the EVN rule" "EVN-style" "$out"
out=$(pc org add PA01 "again" 2>&1); rc=$?
check_eq "duplicate code refused" "2" "$rc"
check_contains "duplicate message" "already exists" "$out"
check_fails "empty name refused" pc org add PA02 ""
check_eq "nothing added by the refused calls" "3" "$(sql 'SELECT count(*) FROM org_node')"

json=$(pc org list --json)
check_contains "org list --json has the unit" '"code": "PA0101"' "$json"
check_contains "org list --json has the parent" '"parent": "PA01"' "$json"
check_contains "org list text" "Điện lực Vụ Bản" "$(pc org list)"
check_not_contains "scope limits the list" "PA0101" "$(pc org add PA02 'Công ty Điện lực Thái Bình' >/dev/null; pc org list --scope PA02)"
check_fails "unknown scope refused" pc org list --scope PA09
check_eq "each org add audited" "4" "$(sql "SELECT count(*) FROM audit_log WHERE action='org.add'")"
check "help" pc org --help
check_fails "unknown subcommand" pc org frobnicate
# a migration numbered below the highest applied one (branches merged in another order) is
# applied at the next open all the same
sql_write "DROP TABLE billing_run" && sql_write "DELETE FROM schema_migrations WHERE version = 23"
pc org list >/dev/null
check_eq "a missing lower-numbered migration is applied on open" "1|0" \
  "$(sql "SELECT count(*) FROM schema_migrations WHERE version = 23")|$(sql "SELECT count(*) FROM billing_run")"
finish
