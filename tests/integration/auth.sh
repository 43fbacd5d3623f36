#!/usr/bin/env bash
# Sign-in and scoped access over real HTTP (issue 8, docs/api.md): passwords, login throttling with
# an injected clock (no sleeps), session cookies and their flags, no session fixation, CSRF,
# logout and expiry, password change, partners' signed requests (accepted, replayed, stale, wrong),
# and scope: a unit officer, a cashier and a read-only account see their subtree only, a refusal
# outside it is a 403 with no data, a partner may not search customers; /healthz stays public.
. "$(dirname "$0")/lib.sh"

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
at() { echo "$1" > clock; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
export POWERCIS_CLOCK_FILE=$PWD/clock
at 2026-11-23T08:00:00+07:00

# ---- accounts and passwords from the CLI ----
check_fails "user passwd: a short password is refused" sh -c "echo short | '$POWERCIS' user passwd nobody"
echo "vu-ban-officer-1" | pc user add vb.officer --name "Trần Văn An" --role unit_officer --scope PA0101 --password-stdin >/dev/null
echo "ha-noi-cashier-1" | pc user add vb.cashier --name "Phạm Thu" --role cashier --scope PA0101 --password-stdin >/dev/null
echo "read-only-pa01-1" | pc user add pa01.ro --name "Lê Xem" --role read_only --scope PA01 --password-stdin >/dev/null
pc user add nopass --name "Không Mật Khẩu" --role auditor --scope PA >/dev/null
echo "disabled-acct-1" | pc user add gone --name "Đã Nghỉ" --role company --scope PA01 --password-stdin >/dev/null
pc user disable gone --reason "left the company" >/dev/null
check_fails "user add --password-stdin: a short password adds no account" \
  sh -c "echo short | '$POWERCIS' user add shorty --name S --role auditor --scope PA --password-stdin"
check_eq "… and the account is not there" "0" "$(sql "SELECT count(*) FROM app_user WHERE login = 'shorty'")"
hash=$(sql "SELECT password_hash FROM app_user WHERE login = 'vb.officer'")
check_contains "the password is stored as an argon2id string" '$argon2id$' "$hash"
check_not_contains "… never as the password" "vu-ban-officer-1" "$(sql "SELECT * FROM app_user")"
pc partner add VCB --name "Vietcombank" --kind bank >/dev/null
# a key made before there is a server key stays as is, and keeps working after
plainout=$(pc partner key VCB)
PLAIN_ID=$(echo "$plainout" | awk '/^key_id/ {print $2}'); PLAIN_SECRET=$(echo "$plainout" | awk '/^secret/ {print $2}')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
head -c 32 /dev/urandom > server.key
cat > powercis.ini <<INI
[server]
scheduler = off
session_idle_seconds = 1800
session_absolute_seconds = 43200
key_file = $PWD/server.key
INI
export POWERCIS_CONFIG=$PWD/powercis.ini
chmod 644 server.key
check_fails "partner key: a server key file others may read is refused" pc partner key VCB
chmod 600 server.key
keyout=$(pc partner key VCB)
KEY_ID=$(echo "$keyout" | awk '/^key_id/ {print $2}')
SECRET=$(echo "$keyout" | awk '/^secret/ {print $2}')
check_eq "partner key prints a key id and a 64-hex secret" "pk_|64" "${KEY_ID:0:3}|${#SECRET}"
stored=$(sql "SELECT secret FROM api_key WHERE id = '$KEY_ID'")
check_eq "with [server] key_file the secret is stored sealed" "enc1:|absent" \
  "${stored:0:5}|$([[ "$stored" != *"$SECRET"* ]] && echo absent)"
"$POWERCIS" serve --listen 127.0.0.1:$port > server.log 2>&1 & SRV=$!; PIDS+=($SRV)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
U="http://127.0.0.1:$port"

# call OUT [curl args…]: prints the status, the body goes to OUT
call() { local out=$1; shift; curl -s -o "$out" -w '%{http_code}' "$@"; }
login() { # login JAR LOGIN PASSWORD: prints the status; the cookie goes to JAR, the body to JAR.json
  call "$1.json" -c "$1" -b "$1" -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$2\",\"password\":\"$3\"}" "$U/api/v1/login"
}
csrf() { jf 'd["csrf_token"]' < "$1.json"; }

check_eq "/healthz stays public" "200" "$(call h.json "$U/healthz")"
check_eq "without credentials /api/v1/me is 401 unauthenticated" "401|unauthenticated" \
  "$(call me.json "$U/api/v1/me")|$(jf 'd["error"]["code"]' < me.json)"
check_eq "… and so is a customer" "401" "$(call c.json "$U/api/v1/customers/PA01010000101")"

# ---- login ----
check_eq "a wrong password is 401 invalid_credentials" "401|invalid_credentials" \
  "$(login w.jar vb.officer wrong-password)|$(jf 'd["error"]["code"]' < w.jar.json)"
check_eq "an unknown login gets the same answer" "401|invalid_credentials" \
  "$(login u.jar nobody wrong-password)|$(jf 'd["error"]["code"]' < u.jar.json)"
check_eq "a disabled account gets the same answer" "401|invalid_credentials" \
  "$(login g.jar gone disabled-acct-1)|$(jf 'd["error"]["code"]' < g.jar.json)"
check_eq "an account without a password too" "401" "$(login n.jar nopass anything-at-all)"
# a session id planted before login (fixation) is not the one after
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tpc_session\t%s\n' "$(printf 'a%.0s' $(seq 64))" > o.jar
planted=$(printf 'a%.0s' $(seq 64))
check_eq "the right password signs in" "200" "$(call o.jar.json -D o.hdr -c o.jar -b o.jar -X POST \
  -d '{"login":"vb.officer","password":"vu-ban-officer-1"}' "$U/api/v1/login")"
cookie=$(grep -i '^Set-Cookie:' o.hdr | tr -d '\r')
check_contains "the cookie is HttpOnly" "HttpOnly" "$cookie"
check_contains "… SameSite=Strict" "SameSite=Strict" "$cookie"
check_contains "… Path=/" "Path=/" "$cookie"
check_not_contains "… and not Secure unless configured" "Secure" "$cookie"
tok=$(awk '$6 == "pc_session" {print $7}' o.jar)
check_eq "a new session id, not the planted one" "64|different" "${#tok}|$([ "$tok" != "$planted" ] && echo different)"
check_eq "the login answers the user and a CSRF token" "vb.officer|unit_officer|PA0101|64" \
  "$(jf '"%s|%s|%s|%d" % (d["user"]["login"], d["user"]["role"], d["user"]["scope"], len(d["csrf_token"]))' < o.jar.json)"
check_eq "the token is stored hashed, never as is" "0|1" \
  "$(sql "SELECT count(*) FROM user_session WHERE id = '$tok'")|$(sql "SELECT count(*) FROM user_session WHERE revoked_at IS NULL")"
check_not_contains "the log holds no password" "vu-ban-officer-1" "$(cat server.log)"
check_not_contains "… and no token" "$tok" "$(cat server.log)"
check_eq "GET /api/v1/me with the cookie" "200|vb.officer|$(csrf o.jar)" \
  "$(call me.json -b o.jar "$U/api/v1/me")|$(jf 'd["user"]["login"]+"|"+d["csrf_token"]' < me.json)"
# signing in again with a live session ends it: a new session each time
old=$tok
login o.jar vb.officer vu-ban-officer-1 >/dev/null
tok=$(awk '$6 == "pc_session" {print $7}' o.jar)
check_eq "signing in again gives a new session and ends the old" "different|401" \
  "$([ "$tok" != "$old" ] && echo different)|$(call x.json -b "pc_session=$old" "$U/api/v1/me")"

# ---- CSRF ----
check_eq "a POST with the cookie and no CSRF token is 403 csrf_failed" "403|csrf_failed" \
  "$(call p.json -b o.jar -X POST -d '{"old":"vu-ban-officer-1","new":"vu-ban-officer-2"}' "$U/api/v1/me/password")|$(jf 'd["error"]["code"]' < p.json)"
check_eq "… and with a wrong one" "403|csrf_failed" \
  "$(call p.json -b o.jar -H "X-CSRF-Token: $(printf 'b%.0s' $(seq 64))" -X POST -d '{"old":"vu-ban-officer-1","new":"vu-ban-officer-2"}' "$U/api/v1/me/password")|$(jf 'd["error"]["code"]' < p.json)"

# ---- password change ----
check_eq "a wrong old password is 400 on field old" "400|old" \
  "$(call p.json -b o.jar -H "X-CSRF-Token: $(csrf o.jar)" -X POST -d '{"old":"not-my-password","new":"vu-ban-officer-2"}' "$U/api/v1/me/password")|$(jf 'd["error"]["field"]' < p.json)"
check_eq "a short new password is 400 on field new" "400|new" \
  "$(call p.json -b o.jar -H "X-CSRF-Token: $(csrf o.jar)" -X POST -d '{"old":"vu-ban-officer-1","new":"short"}' "$U/api/v1/me/password")|$(jf 'd["error"]["field"]' < p.json)"
for i in 2 3 4 5; do
  call p.json -b o.jar -H "X-CSRF-Token: $(csrf o.jar)" -X POST -d '{"old":"not-my-password","new":"vu-ban-officer-2"}' "$U/api/v1/me/password" >/dev/null
done
check_eq "5 wrong old passwords throttle the change as a login: 429, even with the right one" "429" \
  "$(call p.json -b o.jar -H "X-CSRF-Token: $(csrf o.jar)" -X POST -d '{"old":"vu-ban-officer-1","new":"vu-ban-officer-2"}' "$U/api/v1/me/password")"
at 2026-11-23T08:16:00+07:00
call me.json -b o.jar "$U/api/v1/me" >/dev/null
check_eq "the password changes with the CSRF token" "200" \
  "$(call p.json -b o.jar -H "X-CSRF-Token: $(csrf o.jar)" -X POST -d '{"old":"vu-ban-officer-1","new":"vu-ban-officer-2"}' "$U/api/v1/me/password")"
check_eq "… the session stays" "200" "$(call me.json -b o.jar "$U/api/v1/me")"
check_eq "… the old password no longer signs in" "401" "$(login z.jar vb.officer vu-ban-officer-1)"
check_eq "… the new one does" "200" "$(login z.jar vb.officer vu-ban-officer-2)"

# ---- logout and expiry ----
check_eq "logout without the CSRF token is refused" "403" "$(call l.json -b z.jar -X POST "$U/api/v1/logout")"
check_eq "logout" "200" "$(call l.json -D l.hdr -b z.jar -H "X-CSRF-Token: $(csrf z.jar)" -X POST "$U/api/v1/logout")"
check_contains "… clears the cookie" "Max-Age=0" "$(grep -i '^Set-Cookie:' l.hdr)"
check_eq "… and the old cookie is 401 afterwards" "401" "$(call me.json -b z.jar "$U/api/v1/me")"
at 2026-11-23T08:29:00+07:00
check_eq "a session used within 30 minutes lives" "200" "$(call me.json -b o.jar "$U/api/v1/me")"
at 2026-11-23T08:58:00+07:00
check_eq "… and still 29 minutes after its last use" "200" "$(call me.json -b o.jar "$U/api/v1/me")"
at 2026-11-23T09:29:00+07:00
check_eq "31 minutes idle: 401" "401" "$(call me.json -b o.jar "$U/api/v1/me")"
login o.jar vb.officer vu-ban-officer-2 >/dev/null
for t in 10:00 10:25 10:50 11:15 11:40 12:05 12:30 12:55 13:20 13:45 14:10 14:35 15:00 15:25 15:50 16:15 16:40 17:05 17:30 17:55 18:20 18:45 19:10 19:35 20:00 20:25 20:50 21:15; do
  at 2026-11-23T$t:00+07:00; call me.json -b o.jar "$U/api/v1/me" >/dev/null
done
check_eq "used all day, a session still ends 12 hours after sign-in" "401" "$(call me.json -b o.jar "$U/api/v1/me")"

# ---- throttling ----
at 2026-11-24T08:00:00+07:00
for i in 1 2 3 4 5; do login t.jar vb.cashier "wrong-password-$i" >/dev/null; done
check_eq "after 5 failures the right password is refused: 429 throttled" "429|throttled" \
  "$(login t.jar vb.cashier ha-noi-cashier-1)|$(jf 'd["error"]["code"]' < t.jar.json)"
at 2026-11-24T08:14:00+07:00
check_eq "… still 14 minutes later" "429" "$(login t.jar vb.cashier ha-noi-cashier-1)"
at 2026-11-24T08:16:00+07:00
check_eq "… 16 minutes later it signs in" "200" "$(login t.jar vb.cashier ha-noi-cashier-1)"
check_eq "the attempts are audited, without passwords" "5|0" \
  "$(sql "SELECT count(*) FROM audit_log WHERE action = 'auth.login_failed' AND entity_key = 'vb.cashier'")|$(sql "SELECT count(*) FROM audit_log WHERE detail LIKE '%wrong-password%'")"

# ---- scope ----
login s.jar vb.officer vu-ban-officer-2 >/dev/null
check_eq "a unit officer of PA0101 gets its customer" "200|PA01010000101|PA0101" \
  "$(call c.json -b s.jar "$U/api/v1/customers/PA01010000101")|$(jf 'd["customer_code"]+"|"+d["unit"]' < c.json)"
check_contains "… with its contract, meters and open amount" '"open_amount":0' "$(cat c.json)"
check_eq "… 403 for a customer of PA0201" "403|forbidden" \
  "$(call c.json -b s.jar "$U/api/v1/customers/PA02010000105")|$(jf 'd["error"]["code"]' < c.json)"
check_not_contains "… with no data of it in the body" "Dệt" "$(cat c.json)"
check_eq "… the same 403 for a code of PA0201 that does not exist" "403|$(cat c.json)" \
  "$(call c2.json -b s.jar "$U/api/v1/customers/PA02019999999")|$(cat c2.json)"
check_eq "… 404 inside its scope" "404" "$(call c.json -b s.jar "$U/api/v1/customers/PA01019999999")"
check_eq "search returns only its subtree" "200|PA01010000101,PA01010000102" \
  "$(call s.json -b s.jar "$U/api/v1/customers?q=Nguy%E1%BB%85n")|$(jf '",".join(sorted(h["customer_code"] for h in d["items"]))' < s.json)"
check_eq "… a code elsewhere finds nothing" "0" \
  "$(call s.json -b s.jar "$U/api/v1/customers?q=PA02010000105" >/dev/null; jf 'len(d["items"])' < s.json)"
check_eq "paging: limit 1 gives a next offset" "1|1" \
  "$(call s.json -b s.jar "$U/api/v1/customers?q=Nguy%E1%BB%85n&limit=1" >/dev/null; jf '"%d|%s" % (len(d["items"]), d["next_offset"])' < s.json)"
check_eq "… the second page is the last" "1|None" \
  "$(call s.json -b s.jar "$U/api/v1/customers?q=Nguy%E1%BB%85n&limit=1&offset=1" >/dev/null; jf '"%d|%s" % (len(d["items"]), d["next_offset"])' < s.json)"
check_eq "a bad limit is 400 on its field" "400|limit" \
  "$(call s.json -b s.jar "$U/api/v1/customers?q=x&limit=0")|$(jf 'd["error"]["field"]' < s.json)"
login k.jar vb.cashier ha-noi-cashier-1 >/dev/null
check_eq "a cashier of PA0101: its customer 200, PA0201's 403" "200|403" \
  "$(call c.json -b k.jar "$U/api/v1/customers/PA01010000102")|$(call c.json -b k.jar "$U/api/v1/customers/PA02010000106")"
login r.jar pa01.ro read-only-pa01-1 >/dev/null
check_eq "a read-only account of PA01: PA0102's customer 200, PA0201's 403" "200|403" \
  "$(call c.json -b r.jar "$U/api/v1/customers/PA01020000104")|$(call c.json -b r.jar "$U/api/v1/customers/PA02010000105")"
check_eq "… its search covers PA0101 and PA0102, not PA02" "PA0101,PA0102" \
  "$(call s.json -b r.jar "$U/api/v1/customers?q=x%C3%A3" >/dev/null; jf '",".join(sorted(set(h["unit"] for h in d["items"])))' < s.json)"

# ---- partners: signed requests ----
# sign METHOD PATH QUERY BODY [TIMESTAMP] [SECRET]: prints the Authorization header's value
sign() {
  python3 - "$KEY_ID" "${6:-$SECRET}" "$1" "$2" "$3" "$4" "${5:-$(python3 -c 'import sys; sys.stdout.write(open("clock").read().strip())' | python3 -c 'import sys,datetime; print(int(datetime.datetime.fromisoformat(sys.stdin.read().strip()).timestamp()))')}" <<'PY'
import hashlib, hmac, sys, urllib.parse
key_id, secret, method, path, query, body, ts = sys.argv[1:8]
pairs = sorted(urllib.parse.parse_qsl(query, keep_blank_values=True))
q = "&".join(urllib.parse.quote(k, safe="-_.~") + "=" + urllib.parse.quote(v, safe="-_.~") for k, v in pairs)
canonical = "\n".join(["PCS-HMAC-SHA256", method, path, q, ts, hashlib.sha256(body.encode()).hexdigest()])
sig = hmac.new(bytes.fromhex(secret), canonical.encode(), hashlib.sha256).hexdigest()
print(f"PCS-HMAC-SHA256 KeyId={key_id}, Timestamp={ts}, Signature={sig}")
PY
}
a=$(sign GET /api/v1/me "x=1&a=b%20c" "")
check_eq "a partner's signed request is accepted" "200|VCB|signature" \
  "$(call pm.json -H "Authorization: $a" "$U/api/v1/me?x=1&a=b%20c")|$(jf 'd["partner"]["code"]+"|"+d["via"]' < pm.json)"
check_eq "… the same request again is a replay: 401" "401|unauthenticated" \
  "$(call pm.json -H "Authorization: $a" "$U/api/v1/me?x=1&a=b%20c")|$(jf 'd["error"]["code"]' < pm.json)"
check_contains "… saying so" "replay" "$(cat pm.json)"
now=$(python3 -c 'import datetime; print(int(datetime.datetime.fromisoformat(open("clock").read().strip()).timestamp()))')
a=$(sign GET /api/v1/me "" "" $((now - 301)))
check_eq "a timestamp over 5 minutes old is refused" "401" "$(call pm.json -H "Authorization: $a" "$U/api/v1/me")"
check_contains "… saying so" "Timestamp" "$(cat pm.json)"
a=$(sign GET /api/v1/me "" "" "$now" "$(printf '0%.0s' $(seq 64))")
check_eq "a wrong signature is refused" "401" "$(call pm.json -H "Authorization: $a" "$U/api/v1/me")"
a=$(sign GET /api/v1/me "x=1" "")
check_eq "a signature over another query is refused" "401" "$(call pm.json -H "Authorization: $a" "$U/api/v1/me?x=2")"
a=$(sign POST /api/v1/logout "" '{"a":1}')
check_eq "a signed POST with its body is accepted (no CSRF for signatures)" "200" \
  "$(call pm.json -H "Authorization: $a" -X POST -d '{"a":1}' "$U/api/v1/logout")"
a=$(sign POST /api/v1/logout "" '{"a":1}')
check_eq "… a changed body is refused" "401" "$(call pm.json -H "Authorization: $a" -X POST -d '{"a":2}' "$U/api/v1/logout")"
a=$(sign GET /api/v1/customers "q=Nguyen" "")
check_eq "a partner may not search customers: 403" "403|forbidden" \
  "$(call pm.json -H "Authorization: $a" "$U/api/v1/customers?q=Nguyen")|$(jf 'd["error"]["code"]' < pm.json)"
a=$(sign POST /api/v1/me/password "" '{"old":"x","new":"y"}')
check_eq "a partner's key has no password to change: 403" "403" \
  "$(call pm.json -H "Authorization: $a" -X POST -d '{"old":"x","new":"y"}' "$U/api/v1/me/password")"
a=$(KEY_ID=$PLAIN_ID SECRET=$PLAIN_SECRET sign GET /api/v1/me "" "")
check_eq "a key stored before the key file still signs" "200" "$(call pm.json -H "Authorization: $a" "$U/api/v1/me")"
pc partner key VCB --revoke "$KEY_ID" >/dev/null
a=$(sign GET /api/v1/me "" "")
check_eq "a revoked key is refused" "401" "$(call pm.json -H "Authorization: $a" "$U/api/v1/me")"
check_not_contains "the log holds no secret" "$SECRET" "$(cat server.log)"

# ---- throttling by address ----
at 2026-11-25T08:00:00+07:00
for i in $(seq 20); do login a.jar "guess$i" "wrong-password" >/dev/null; done
check_eq "20 failures from one address within 15 minutes: another login is throttled too" "429" \
  "$(login a.jar pa01.ro read-only-pa01-1)"
at 2026-11-25T08:16:00+07:00
check_eq "… until 15 minutes have passed" "200" "$(login a.jar pa01.ro read-only-pa01-1)"

# ---- sessions from the CLI ----
out=$(pc user sessions vb.officer --revoke-all)
check_contains "user sessions --revoke-all ends them" "session(s) of vb.officer ended" "$out"
check_eq "… the browser is signed out" "401" "$(call me.json -b s.jar "$U/api/v1/me")"
check_contains "requests are logged with the user" 'user=vb.officer' "$(cat server.log)"

kill -TERM $SRV; wait $SRV
finish
