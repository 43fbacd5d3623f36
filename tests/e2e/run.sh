#!/usr/bin/env bash
# The web app's browser tests (suite e2e, docs/web.md): builds a small database with the CLI,
# starts `powercis serve` on a free loopback port and runs web.test.mjs, which drives Debian's
# Chromium headless through playwright-core (installed by `npm ci` from package-lock.json in
# scripts/deps.sh check; nothing is fetched here). Prints TAP. Skips, with the reason, only when
# Chromium cannot start.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../integration/lib.sh"
. "$here/../integration/web_fixture.sh"

SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill -9 $SERVER_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
skip() { echo "ok 1 - browser tests # SKIP $1"; echo "1..1"; exit 0; }
bail() { echo "Bail out! $1"; exit 1; }

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip "no Chromium at $CHROMIUM (scripts/deps.sh check installs Debian's chromium)"
command -v node >/dev/null || bail "node is missing: scripts/deps.sh check installs it"
[ -f "$here/node_modules/playwright-core/package.json" ] ||
  bail "playwright-core is not installed: run scripts/deps.sh check (npm ci in tests/e2e)"

web_fixture || bail "the fixture database could not be built"
# staff accounts of each role the specs sign in with (role → login, password, scope)
E2E_USERS='{'
for u in administrator:e2e.admin:PA company:e2e.company:PA01 unit_officer:e2e.officer:PA0101 \
         cashier:e2e.cashier:PA0101 auditor:e2e.auditor:PA01 read_only:e2e.readonly:PA0102 \
         account_manager:e2e.manager:PA0101; do
  IFS=: read -r role login scope <<<"$u"
  echo "pw-$login-2026" | pc user add "$login" --name "E2E $role" --role "$role" --scope "$scope" --password-stdin >/dev/null ||
    bail "user $login could not be added"
  E2E_USERS+="\"$role\":{\"login\":\"$login\",\"password\":\"pw-$login-2026\",\"scope\":\"$scope\"},"
done
export E2E_USERS="${E2E_USERS%,}}"
port=$(free_port)
start_server "$port" "$WORK/server.log" || bail "powercis serve did not start: $(cat "$WORK/server.log")"

# What the page must show, from the database and the API (the page is checked against them).
export E2E_URL="http://127.0.0.1:$port"
export E2E_CODE=$R E2E_PHONE4=5678
export E2E_BILLS=$(sql "SELECT i.period || ':' || i.kwh || ':' || i.total || ':' || COALESCE(o.open, 0) FROM invoice i LEFT JOIN open_item o ON o.invoice_id = i.id WHERE i.customer_id = (SELECT id FROM customer WHERE code = '$R') ORDER BY i.period DESC" | paste -sd' ')
export E2E_OPEN_TOTAL=$(sql "SELECT sum(open) FROM open_item o JOIN customer c ON c.id = o.customer_id WHERE c.code = '$R'")
export E2E_PAYLOAD=$(curl -s "$E2E_URL/api/v1/self/$R?phone4=5678" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["payment"]["vietqr"]["payload"])') || bail "no VietQR payload from the API"
export E2E_SCREENSHOTS=${E2E_SCREENSHOTS:-$here/../../build/screenshots}
export E2E_WORK=$WORK CHROMIUM
mkdir -p "$E2E_SCREENSHOTS" || bail "cannot create $E2E_SCREENSHOTS"

node "$here/web.test.mjs"
rc=$?
kill -TERM $SERVER_PID; wait $SERVER_PID 2>/dev/null; SERVER_PID=
exit $rc
