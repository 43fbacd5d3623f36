# Shared helpers for the integration scripts: a temporary folder, the real binary, and TAP
# output ("ok N - name" / "not ok N - name", plan at the end). The same scripts run on both
# engines: PC_ENGINE=postgres (with POWERCIS_TEST_PG from scripts/with-postgres.sh) gives each
# script fresh PostgreSQL databases instead of SQLite files.
set -u
: "${POWERCIS:?POWERCIS must name the powercis binary}"
ENGINE=${PC_ENGINE:-sqlite}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/powercis-it-XXXXXX")
trap '[ -n "${PC_KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT  # PC_KEEP_WORK=1 keeps the folder for a look
cd "$WORK" || exit 1

# newdb NAME: a new empty database; prints the --db target.
newdb() {
  if [ "$ENGINE" = postgres ]; then
    local name="pc_${1}_$$"
    psql -X -q -d "$POWERCIS_TEST_PG" -c "CREATE DATABASE $name" >/dev/null || return 1
    echo "${POWERCIS_TEST_PG/powercis_test/$name}"
  else
    echo "$WORK/$1.db"
  fi
}
# copydb TARGET NAME: a copy of a database (no one connected to it); prints the new target.
copydb() {
  if [ "$ENGINE" = postgres ]; then
    local src=${1#*:///}; src=${src%%\?*}
    local name="pc_${2}_$$"
    psql -X -q -d "$POWERCIS_TEST_PG" -c "CREATE DATABASE $name TEMPLATE $src" >/dev/null || return 1
    echo "${POWERCIS_TEST_PG/powercis_test/$name}"
  else
    cp "$1" "$WORK/$2.db" && echo "$WORK/$2.db"
  fi
}
# sql_on TARGET QUERY: rows as a|b|c lines; sql QUERY: on the test database.
sql_on() {
  if [ "$ENGINE" = postgres ]; then psql -X -A -t -q -d "$1" -c "$2"; else sqlite3 -readonly -batch -noheader "$1" "$2"; fi
}
# sql_write QUERY: a change behind the program's back (tamper tests); fails when refused.
sql_write() {
  if [ "$ENGINE" = postgres ]; then psql -X -q -v ON_ERROR_STOP=1 -d "$POWERCIS_DB" -c "$1" >/dev/null 2>&1
  else sqlite3 "$POWERCIS_DB" "$1" >/dev/null 2>&1; fi
}
# allow_edits TABLE: drops the append-only guard of a table (to simulate tampering).
allow_edits() {
  if [ "$ENGINE" = postgres ]; then sql_write "ALTER TABLE $1 DISABLE TRIGGER USER"
  else sql_write "DROP TRIGGER ${1}_no_update"; fi
}
# fingerprint: the database's content; equal fingerprints = nothing changed. SQLite: its dump (not
# the file's bytes: a running server checkpoints the WAL into the file at any moment);
# PostgreSQL: the data dump, less sequence positions (a rolled-back insert still uses one).
fingerprint() {
  if [ "$ENGINE" = postgres ]; then
    # less sequence positions and pg_dump's per-run \restrict keys
    pg_dump -a -d "$POWERCIS_DB" | grep -v -e '^SELECT pg_catalog.setval' -e '^\\restrict' -e '^\\unrestrict' | sha256sum | cut -d' ' -f1
  else sqlite3 -readonly "$POWERCIS_DB" .dump | sha256sum | cut -d' ' -f1; fi
}
# agg: the string-aggregate function (group_concat / string_agg), both called as agg(x, sep).
agg() { if [ "$ENGINE" = postgres ]; then echo string_agg; else echo group_concat; fi; }

export POWERCIS_DB=$(newdb test)
export POWERCIS_USER=tester
T_N=0
T_FAILED=0

pc() { "$POWERCIS" "$@"; }

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $1"; }
not_ok() {
  T_N=$((T_N + 1)); T_FAILED=$((T_FAILED + 1)); echo "not ok $T_N - $1"
  shift
  for line in "$@"; do printf '%s\n' "$line" | sed 's/^/# /'; done
}

# check NAME CMD...: the command must succeed
check() { local name=$1; shift; local out; if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "command failed: $*" "$out"; fi; }
# check_fails NAME CMD...: the command must fail (non-zero exit)
check_fails() { local name=$1; shift; local out; if out=$("$@" 2>&1); then not_ok "$name" "command succeeded: $*" "$out"; else ok "$name"; fi; }
# check_eq NAME EXPECTED ACTUAL
check_eq() { if [ "$2" == "$3" ]; then ok "$1"; else not_ok "$1" "expected: $2" "actual:   $3"; fi; }
# check_contains NAME NEEDLE HAYSTACK
check_contains() { if [[ "$3" == *"$2"* ]]; then ok "$1"; else not_ok "$1" "expected to find: $2" "in: $3"; fi; }
check_not_contains() { if [[ "$3" != *"$2"* ]]; then ok "$1"; else not_ok "$1" "did not expect: $2" "in: $3"; fi; }

sql() { sql_on "$POWERCIS_DB" "$1"; }

# finish: the invariants of the test's database (powercis check, issue 9) hold at the end of every
# script, unless it damaged the database on purpose (PC_CHECK_AT_END=0, with the reason beside).
finish() {
  if [ "${PC_CHECK_AT_END:-1}" = 1 ]; then
    local out
    if out=$("$POWERCIS" check 2>&1); then ok "powercis check: every invariant holds at the end"
    else not_ok "powercis check: every invariant holds at the end" "$out"; fi
  fi
  echo "1..$T_N"; [ "$T_FAILED" -eq 0 ]; exit $?
}

# The ledger invariant (DOMAIN 7, 9): per customer, invoices - payments + adjustments = open items
# - credit, and every open item equals its invoice's total - credit used - allocations +
# adjustments (debt_adjustment: + raises what is owed on the invoice, - lowers it). A replaced
# invoice is billed no more (the credit of its total stands for it) and a payment of channel
# 'credit' is credit applied, not money received; a prepaid top-up goes to the prepaid balance, and
# credit moved into or out of it still counts as credit (src/store/invariant_repo.c). The replaced
# invoices are one uncorrelated NOT IN set: a NOT EXISTS per invoice scanned the whole invoice
# table for each (refers_to has no index), minutes on the demo.
# check_ledger NAME.
check_ledger() {
  check_eq "$1: invoices - payments + adjustments = open items - credit, per customer" "0" "$(sql "SELECT count(*) FROM customer c WHERE
     COALESCE((SELECT sum(total) FROM invoice i WHERE i.customer_id = c.id AND i.id NOT IN (SELECT n.refers_to FROM invoice n WHERE n.kind = 'replacing' AND n.refers_to IS NOT NULL)), 0) - COALESCE((SELECT sum(amount) FROM payment p WHERE p.customer_id = c.id AND p.channel <> 'credit' AND NOT EXISTS (SELECT 1 FROM prepaid_ledger l WHERE l.payment_id = p.id)), 0)
   + COALESCE((SELECT sum(amount) FROM debt_adjustment j WHERE j.customer_id = c.id), 0)
  <> COALESCE((SELECT sum(open) FROM open_item o WHERE o.customer_id = c.id), 0) - COALESCE((SELECT sum(amount) FROM customer_credit k WHERE k.customer_id = c.id AND k.source <> 'solar'), 0) - COALESCE((SELECT sum(amount) FROM prepaid_ledger v WHERE v.customer_id = c.id AND v.kind IN ('opening', 'settlement')), 0)")"
  check_eq "$1: open items agree with the allocation and adjustment history" "0" "$(sql "SELECT count(*) FROM (SELECT i.id, i.total - i.credit_applied - COALESCE((SELECT sum(a.amount) FROM payment_alloc a WHERE a.invoice_id = i.id), 0) + COALESCE((SELECT sum(j.amount) FROM debt_adjustment j WHERE j.invoice_id = i.id), 0) AS o FROM invoice i) x LEFT JOIN open_item oi ON oi.invoice_id = x.id WHERE COALESCE(oi.open, 0) <> CASE WHEN x.o > 0 THEN x.o ELSE 0 END")"
}

# A small org tree used by most scripts.
make_tree() {
  pc org add PA "Tổng công ty Điện lực miền Bắc" >/dev/null &&
  pc org add PA01 "Công ty Điện lực Nam Định" >/dev/null &&
  pc org add PA0101 "Điện lực Vụ Bản" >/dev/null &&
  pc org add PA0102 "Điện lực Ý Yên" >/dev/null &&
  pc org add PA02 "Công ty Điện lực Thái Bình" >/dev/null &&
  pc org add PA0201 "Điện lực Hưng Hà" >/dev/null
}
