#!/usr/bin/env bash
# The public self-service look-up over real HTTP (issue 8, docs/api.md "Self-service"): the
# account with its exact amounts as the database has them, one identical answer for an unknown
# code and for wrong phone digits, failed tries throttled to 429 per client address and per code
# and allowed again once the window has passed (the server's clock moved through a file), and
# the VietQR SVG decoding to the payload of the open amount. Also the web app's static files:
# types, caching, the CSP, and no way out of the embedded folder.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/web_fixture.sh"

SERVER_PID=
trap '[ -n "$SERVER_PID" ] && kill -9 $SERVER_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

web_fixture || { echo "Bail out! the fixture database could not be built"; exit 1; }
port=$(free_port)
start_server "$port" server.log || { echo "Bail out! powercis serve did not start: $(cat server.log)"; exit 1; }
U="http://127.0.0.1:$port"
# get URL [curl options…]: the body into body.out, prints the status
get() { local u=$1; shift; curl -s -o body.out -w '%{http_code}' "$@" "$U$u"; }

# ---- the account ----
st=$(get "/api/v1/self/$R?phone4=5678")
check_eq "the right code and digits: 200" "200" "$st"
body=$(cat body.out)
check_eq "the customer, name partly masked" "PA01010000101|Nguyễn V. Đ.|Điện lực Vụ Bản" \
  "$(echo "$body" | jf '"|".join([d["customer"]["code"], d["customer"]["name"], d["customer"]["unit"]["name"]])')"
check_eq "the address" "Số 12, phố Quang Trung, phường Hà Đông" "$(echo "$body" | jf 'd["customer"]["address"]')"
check_eq "the bills, newest first: period kWh amount due date open status" \
  "2025-07 120 269244 2025-07-12 269244 open|2025-06 130 291409 2025-06-12 191409 partly|2025-05 150 330480 2025-05-12 0 paid" \
  "$(echo "$body" | jf '"|".join("%s %d %d %s %d %s" % (b["period"], b["kwh"], b["amount"], b["due_date"], b["open"], b["status"]) for b in d["bills"])')"
db_bills=$(sql "SELECT i.period || ' ' || i.kwh || ' ' || i.total || ' ' || COALESCE(o.open, 0) FROM invoice i LEFT JOIN open_item o ON o.invoice_id = i.id ORDER BY i.period DESC" | paste -sd'|')
check_eq "… the amounts are the database's" "$db_bills" \
  "$(echo "$body" | jf '"|".join("%s %d %d %d" % (b["period"], b["kwh"], b["amount"], b["open"]) for b in d["bills"])')"
check_eq "the consumption per month, oldest first (the initial read measures nothing)" "2025-05:150 2025-06:130 2025-07:120" \
  "$(echo "$body" | jf '" ".join("%s:%d" % (m["month"], m["kwh"]) for m in d["consumption"])')"
check_eq "the payment status: open, overdue on 2025-07-25, the latest payment" "overdue 460653 460653 2 2025-07-20 09:00:00 430480" \
  "$(echo "$body" | jf '(lambda p: "%s %d %d %d %s %d" % (p["status"], p["open_total"], p["overdue_total"], p["open_bills"], p["last_payment"]["paid_at"], p["last_payment"]["amount"]))(d["payment"])')"
check_eq "… the open total is the open items'" "$(sql "SELECT sum(open) FROM open_item")" "$(echo "$body" | jf 'd["payment"]["open_total"]')"
payload=$(echo "$body" | jf 'd["payment"]["vietqr"]["payload"]')
check_contains "the VietQR payload carries the open amount (tag 54)" "5406460653" "$payload"
check_contains "… the company's account" "0011000000001" "$payload"
check_contains "… and the customer code as the purpose" "PA01010000101 TIEN DIEN" "$payload"
check_eq "a lower-case code is the same customer" "200" "$(get "/api/v1/self/pa01010000101?phone4=5678")"
check_not_contains "the phone number itself is not in the answer" "0912345678" "$body"

# ---- the QR ----
st=$(curl -s -o qr.svg -w '%{http_code} %{content_type}' "$U/api/v1/self/$R/qr.svg?phone4=5678")
check_eq "the QR as SVG" "200 image/svg+xml" "$st"
svg_to_pgm qr.svg qr.pgm
check_eq "the QR decodes to the VietQR payload of the open amount" "$payload" "$(zbarimg -q --raw qr.pgm 2>/dev/null)"

# ---- failures look alike ----
st1=$(get "/api/v1/self/$R?phone4=1234"); b1=$(cat body.out)
st2=$(get "/api/v1/self/PA01019999999?phone4=5678"); b2=$(cat body.out)
st3=$(get "/api/v1/self/PA01020000103?phone4=0000"); b3=$(cat body.out)   # a customer with no phone
check_eq "wrong digits: 404" "404" "$st1"
check_eq "an unknown code: the same status" "$st1" "$st2"
check_eq "… and the same body" "$b1" "$b2"
check_eq "a customer without a phone: the same answer" "$st1|$b1" "$st3|$b3"
check_eq "the QR of wrong digits: the same answer" "$st1|$b1" "$(get "/api/v1/self/$R/qr.svg?phone4=1234")|$(cat body.out)"
check_eq "digits that are not 4 digits: 400" "400|invalid" "$(get "/api/v1/self/$R?phone4=12a4")|$(jf 'd["error"]["code"]' < body.out)"
check_eq "no digits at all: 400" "400" "$(get "/api/v1/self/$R")"
check_not_contains "the log has no phone digits (the query is not logged)" "phone4" "$(cat server.log)"

# ---- throttling: 10 failed tries per client address, then 429 until the window has passed ----
# (4 failures so far from 127.0.0.1: the three look-alikes above and the QR one; a 400 is no try)
for i in 1 2 3 4 5 6; do get "/api/v1/self/$R?phone4=000$i" >/dev/null; done
st=$(get "/api/v1/self/$R?phone4=5678" -D headers.out)
check_eq "the 11th try from the same address: 429, even with the right digits" "429|too_many_requests" "$st|$(jf 'd["error"]["code"]' < body.out)"
check_contains "… with Retry-After" "Retry-After: " "$(cat headers.out)"
check_eq "… for any code from that address" "429" "$(get "/api/v1/self/PA01010000102?phone4=4321")"
check_eq "another address is not throttled" "200" "$(get "/api/v1/self/$R?phone4=5678" --interface 127.0.0.2)"
echo 2025-07-25T10:14:00+07:00 > "$WORK/clock"
check_eq "14 minutes later: still 429" "429" "$(get "/api/v1/self/$R?phone4=5678")"
echo 2025-07-25T10:15:30+07:00 > "$WORK/clock"
check_eq "after the 15-minute window: allowed again" "200" "$(get "/api/v1/self/$R?phone4=5678")"

# per code: 10 failures on one code from several addresses block that code everywhere
C=PA01010000102
for i in 1 2 3 4 5; do get "/api/v1/self/$C?phone4=000$i" --interface 127.0.0.3 >/dev/null; done
for i in 1 2 3 4 5; do get "/api/v1/self/$C?phone4=000$i" --interface 127.0.0.4 >/dev/null; done
check_eq "a code with 10 failed tries from other addresses: 429 from a fresh address" "429" \
  "$(get "/api/v1/self/$C?phone4=4321" --interface 127.0.0.5)"
check_eq "… other codes from that address still answer" "200" "$(get "/api/v1/self/$R?phone4=5678" --interface 127.0.0.5)"
echo 2025-07-25T10:31:00+07:00 > "$WORK/clock"
check_eq "… and the code answers again after the window" "200" "$(get "/api/v1/self/$C?phone4=4321" --interface 127.0.0.5)"
check_eq "a customer with nothing open: paid, no VietQR" "paid|None|0" \
  "$(jf '"%s|%s|%d" % (d["payment"]["status"], d["payment"]["vietqr"], len(d["bills"]))' < body.out)"
check_eq "… and no QR to show" "404" "$(get "/api/v1/self/$C/qr.svg?phone4=4321" --interface 127.0.0.5)"

# ---- the web app's files ----
st=$(curl -s -D h.out -o index.out -w '%{http_code} %{content_type}' "$U/")
check_eq "/ is the app's index page" "200 text/html; charset=utf-8" "$st"
check_contains "… with a strict Content-Security-Policy" "Content-Security-Policy: default-src 'self'; script-src 'self';" "$(cat h.out)"
check_contains "… revalidated by its ETag" "Cache-Control: no-cache" "$(cat h.out)"
check_contains "… in Vietnamese" '<html lang="vi">' "$(cat index.out)"
etag=$(grep -i '^ETag:' h.out | cut -d' ' -f2 | tr -d '\r')
check_eq "an unchanged file: 304" "304" "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$U/")"
check_eq "/self is the self-service page" "200" "$(get /self)"
check_contains "… which loads its module, no inline script" '<script type="module" src="/js/self.js"></script>' "$(cat body.out)"
check_eq "a JavaScript module" "200 text/javascript; charset=utf-8" "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$U/js/self.js")"
check_eq "the style sheet" "200 text/css; charset=utf-8" "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$U/css/app.css")"
check_eq "the catalogues" "200 application/json; charset=utf-8|200" \
  "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$U/i18n/vi.json")|$(get /i18n/en.json)"
check_eq "… with the same keys" "same" "$(curl -s "$U/i18n/vi.json" > vi.json; python3 -c 'import json,sys; print("same" if set(json.load(open("vi.json"))) == set(json.load(open("body.out"))) else "differ")')"
# every screen's own catalogue is served in both languages with the same keys, each prefixed with
# the screen's name (so two screens never define one key)
src=$(cd "$(dirname "$0")/../.." && pwd)/web
for f in "$src"/i18n/vi/*.json; do
  s=$(basename "$f" .json)
  curl -s -o vi.json "$U/i18n/vi/$s.json"; curl -s -o en.json "$U/i18n/en/$s.json"
  check_eq "the $s screen's catalogues: served, same keys, prefixed" "same" "$(python3 -c '
import json, sys
vi, en = json.load(open("vi.json")), json.load(open("en.json"))
bad = [k for k in vi if not k.startswith(sys.argv[1] + ".")]
print("same" if set(vi) == set(en) and not bad else "differ: %s %s" % (sorted(set(vi) ^ set(en)), bad))' "$s")"
done
check_eq "a screen of the app is its shell" "200" "$(get /customers/PA01010000101)"
check_eq "a missing file: JSON 404" "404|not_found" "$(get /js/nope.js)|$(jf 'd["error"]["code"]' < body.out)"
check_eq "a missing API path: JSON 404" "404|not_found" "$(get /api/v1/nope)|$(jf 'd["error"]["code"]' < body.out)"
for p in '/../etc/passwd' '/js/../../etc/passwd' '/%2e%2e/%2e%2e/etc/passwd' '/js/%2e%2e/%2e%2e/etc/passwd' \
         '/js/..%2f..%2fetc/passwd' '//etc/passwd' '/%2fetc/passwd' '/js/./self.js' '/js//self.js' '/js\self.js'; do
  st=$(get "$p" --path-as-is)
  check_eq "no way out of the web folder: $p" "404|not_found" "$st|$(jf 'd["error"]["code"]' < body.out 2>/dev/null)"
done
check_eq "HEAD of a file: 200" "200" "$(curl -s -I -o /dev/null -w '%{http_code}' "$U/css/app.css")"
check_eq "POST to a file: not the app's" "404" "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$U/css/app.css")"

kill -TERM $SERVER_PID; wait $SERVER_PID 2>/dev/null; SERVER_PID=
finish
