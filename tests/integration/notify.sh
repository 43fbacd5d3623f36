#!/usr/bin/env bash
# Notifications (DOMAIN 13, docs/notifications.md) against real receivers on loopback: SMS through
# an HTTP gateway and chat webhooks (tests/tools/http_sink), e-mail through SMTP
# (tests/tools/smtp_sink). Checks exactly what arrived (Vietnamese intact in UTF-8, the e-mail
# subject decoding back, a PNG attachment byte for byte), retries with backoff to dead and back,
# de-duplication (the same event twice, collection twice), opt-out and opt-in, quiet hours for
# customer messages only, and that bad input writes nothing. The clock is injected: no sleeps
# beyond waiting for a receiver's port.
. "$(dirname "$0")/lib.sh"
: "${HTTP_SINK:?HTTP_SINK must name tests/tools/http_sink}" "${SMTP_SINK:?SMTP_SINK must name tests/tools/smtp_sink}"

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
# wait_port FILE: the port a receiver wrote (at most 5 s).
wait_port() {
  for _ in $(seq 100); do [ -s "$1" ] && { cat "$1"; return 0; }; sleep 0.05; done
  echo "no port in $1" >&2; return 1
}
# start_http NAME [ARGS]: an http_sink logging to NAME.jsonl, its port in NAME.port (not in a
# command substitution: that would wait for the sink's output to end).
start_http() {
  local n=$1; shift; rm -f "$n.port"
  "$HTTP_SINK" --port-file "$n.port" --log "$n.jsonl" "$@" >/dev/null 2>&1 & PIDS+=($!)
}
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
# arrivals FILE PY: evaluates PY over r, the list of requests a sink logged.
arrivals() {
  python3 -c 'import json, os, sys
r = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")] if os.path.exists(sys.argv[1]) else []
print(eval(sys.argv[2]))' "$1" "$2"
}
clock() { export POWERCIS_CLOCK="$1"; }
# deliver: one sender pass as "claimed|sent|failed|dead|held".
deliver() { pc notify deliver --json | jf '"%d|%d|%d|%d|%d" % (d["claimed"], d["sent"], d["failed"], d["dead"], d["held"])'; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; B=PA01010000102; A=PA01020000104

start_http http
mkdir -p mail
rm -f smtp.port
"$SMTP_SINK" --port-file smtp.port --dir mail >/dev/null 2>&1 & PIDS+=($!)
HP=$(wait_port http.port) || exit 1
SP=$(wait_port smtp.port) || exit 1
{
  echo "[sms]"
  echo "url = http://127.0.0.1:$HP/sms"
  echo "header = Content-Type: application/json"
  echo "header = X-Api-Key: test-key"
  echo 'body = {"to": "{to}", "text": "{text}", "ref": "{id}"}'
  echo "[smtp]"
  echo "url = smtp://127.0.0.1:$SP"
  echo "from = noreply@pcnamdinh.vn"
  echo "[chat]"
  echo "url = http://127.0.0.1:$HP/chat"
  echo "[notify]"
  echo "max_attempts = 3"
  echo "backoff_seconds = 60"
  echo "backoff_max_seconds = 600"
} > notify.ini
export POWERCIS_CONFIG=$WORK/notify.ini
clock 2026-11-24T10:00:00+07:00

# ---- bad input writes nothing ----
before=$(fingerprint)
out=$(pc notify send --customer $R 2>&1); rc=$?
check_eq "send needs --event" "2" "$rc"
out=$(pc notify send --event invoice_issued 2>&1)
check_contains "send needs a customer or an address" "--customer CODE or --to ADDRESS" "$out"
out=$(pc notify send --event birthday --customer $R 2>&1); rc=$?
check_contains "an unknown event is refused, naming the known ones" "unknown notification event 'birthday' (known: invoice_issued" "$out"
check_eq "… as bad input" "2" "$rc"
out=$(pc notify send --event invoice_issued --customer $R --field period=10/2026 --field amount=1 --field invoice_no=X 2>&1)
check_contains "a missing field is named" "field due_date is needed" "$out"
out=$(pc notify send --event reminder --customer $R --field amount=1 --field due_date=x --field colour=red 2>&1)
check_contains "a field the event does not take is refused" "event reminder has no field 'colour'" "$out"
out=$(pc notify send --event reminder --customer $R --field amount 2>&1)
check_contains "--field needs NAME=VALUE" "NAME=VALUE" "$out"
out=$(pc notify send --event reminder --customer $R --field amount=12a --field due_date=x 2>&1)
check_contains "money must be whole đồng" "amount = '12a': a whole number of đồng" "$out"
out=$(pc notify send --event reminder --to 0912 --field customer_name=x --field customer_code=y --field amount=1 --field due_date=x 2>&1)
check_contains "a short phone is refused" "'0912' is not a phone number" "$out"
out=$(pc notify send --event reminder --to "a b@c.vn" --field customer_name=x --field customer_code=y --field amount=1 --field due_date=x 2>&1)
check_contains "a bad e-mail address is refused" "is not an e-mail address" "$out"
out=$(pc notify send --event reminder --customer $R --channel fax --field amount=1 --field due_date=x 2>&1)
check_contains "an unknown channel is refused" "channel 'fax'" "$out"
out=$(pc notify send --event reminder --customer $R --lang fr --field amount=1 --field due_date=x 2>&1)
check_contains "an unknown language is refused" "language 'fr'" "$out"
printf 'x' > one.bin
out=$(pc notify send --event reminder --customer $R --field amount=1 --field due_date=x --attach one.bin --attach-type text/plain 2>&1)
check_contains "attachments go by e-mail only" "attachments go by e-mail only" "$out"
out=$(pc notify send --event digest --to a@b.vn --field scope_name=x --field date=x --field summary=x --attach one.bin 2>&1)
check_contains "an attachment's type is found from its content" "only PDF, JPEG and PNG" "$out"
out=$(pc notify send --event reminder --customer $R --channel email --field amount=1 --field due_date=x 2>&1)
check_contains "a customer has no e-mail on file" "give --to for email" "$out"
check_fails "an unknown customer is refused" pc notify send --event reminder --customer PA99990000001 --field amount=1 --field due_date=x
check_fails "list: an unknown status is refused" pc notify list --status lost
check_fails "retry needs ids, --failed or --dead" pc notify retry
check_fails "retry: one of ids, --failed, --dead" pc notify retry 1 --dead
check_fails "retry: an unknown message" pc notify retry 999
check_fails "optout needs a reason" pc notify optout $R --channel sms
check_fails "optout: an unknown channel" pc notify optout $R --channel fax --reason x
printf '[notify]\nquiet_start = 25:00\n' > bad.ini
out=$(pc --config bad.ini notify deliver 2>&1)
check_contains "a bad quiet-hours time is refused" "a local time HH:MM is expected" "$out"
printf '[smtp]\ntls = maybe\n' > bad.ini
out=$(pc --config bad.ini notify deliver 2>&1)
check_contains "a bad tls setting is refused" "none, starttls or ssl" "$out"
check_eq "… and nothing was written" "$before" "$(fingerprint)"

# ---- SMS: Vietnamese intact, once per event ----
out=$(pc notify send --event invoice_issued --customer $R --field period=10/2026 --field amount=1234567 \
      --field due_date=05/11/2026 --field invoice_no=1K26TAA/12 --key invoice:demo-12 --json)
ID1=$(echo "$out" | jf 'd["id"]')
check_eq "enqueued as queued" "queued|False" "$(echo "$out" | jf 'd["status"]+"|"+str(d["duplicate"])')"
out=$(pc notify send --event invoice_issued --customer $R --field period=10/2026 --field amount=1234567 \
      --field due_date=05/11/2026 --field invoice_no=1K26TAA/12 --key invoice:demo-12 --json)
check_eq "the same event again is the same message" "$ID1|True" "$(echo "$out" | jf 'str(d["id"])+"|"+str(d["duplicate"])')"
check_eq "deliver: claimed 1, sent 1" "1|1|0|0|0" "$(deliver)"
check_eq "one SMS arrived" "1" "$(arrivals http.jsonl 'len([x for x in r if x["path"] == "/sms"])')"
want="Tiền điện tháng 10/2026 của Nguyễn Văn Đức (mã KH $R): 1.234.567 đ, hóa đơn 1K26TAA/12, hạn thanh toán 05/11/2026."
check_eq "… with the Vietnamese text byte for byte" "$want" "$(arrivals http.jsonl 'json.loads(r[0]["body"])["text"]')"
check_eq "… to the customer's phone, with the configured field names" "0912345678|powercis-$ID1" \
  "$(arrivals http.jsonl 'json.loads(r[0]["body"])["to"] + "|" + json.loads(r[0]["body"])["ref"]')"
check_eq "… carrying the message id and the configured headers" "powercis-$ID1|powercis-$ID1|test-key" \
  "$(arrivals http.jsonl 'r[0]["headers"]["Idempotency-Key"] + "|" + r[0]["headers"]["X-Message-Id"] + "|" + r[0]["headers"]["X-Api-Key"]')"
check_eq "… as UTF-8 bytes, not escapes" "True" "$(arrivals http.jsonl '"Nguyễn Văn Đức".encode() in r[0]["body"].encode()')"
check_eq "the outbox says sent, with the gateway's id" "sent|gw-1|1" \
  "$(sql "SELECT status || '|' || provider_ref || '|' || attempts FROM notify_outbox WHERE id = $ID1")"
check_eq "a second pass sends nothing" "0|0|0|0|0" "$(deliver)"
check_eq "… and nothing more arrived" "1" "$(arrivals http.jsonl 'len(r)')"

# ---- e-mail with a PNG chart ----
python3 -c '
import struct, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
raw = b"".join(b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(48)) for y in range(32))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 32, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open("chart.png", "wb").write(png)'
out=$(pc notify send --event digest --to giamdoc@pcnamdinh.vn --field "scope_name=Công ty Điện lực Nam Định" \
      --field date=24/11/2026 --field "summary=Tiền điện tháng 10/2026: thu 1.234.567 đ" --attach chart.png \
      --key digest:PA01:2026-11-24 --json)
IDM=$(echo "$out" | jf 'd["id"]')
check_eq "an address means e-mail" "email" "$(echo "$out" | jf 'd["channel"]')"
check_eq "deliver: the e-mail is sent" "1|1|0|0|0" "$(deliver)"
check_eq "one e-mail arrived" "1" "$(ls mail/*.eml 2>/dev/null | wc -l)"
out=$(python3 -c '
import email, email.policy, hashlib, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
lines = m.get_body(("plain",)).get_content().splitlines()
att = list(m.iter_attachments())
print(m["Subject"]); print(m["To"].addresses[0].addr_spec); print(m["Message-ID"]); print(lines[0]); print(lines[2])
print(len(att), att[0].get_filename(), att[0].get_content_type(), hashlib.sha256(att[0].get_content()).hexdigest())' mail/000001.eml)
check_eq "the subject decodes back to the Vietnamese text" "Bản tin điều hành 24/11/2026 - Công ty Điện lực Nam Định" "$(echo "$out" | sed -n 1p)"
check_eq "… addressed to the manager" "giamdoc@pcnamdinh.vn" "$(echo "$out" | sed -n 2p)"
check_eq "… with the stable Message-ID" "<powercis-$IDM@pcnamdinh.vn>" "$(echo "$out" | sed -n 3p)"
check_eq "the body is the UTF-8 text" "Bản tin điều hành ngày 24/11/2026 - Công ty Điện lực Nam Định|Tiền điện tháng 10/2026: thu 1.234.567 đ" \
  "$(echo "$out" | sed -n 4,5p | paste -sd'|')"
check_eq "the PNG arrives and decodes to the same bytes" "1 chart.png image/png $(sha256sum chart.png | cut -d' ' -f1)" "$(echo "$out" | sed -n 6p)"
check_eq "the envelope names sender, recipient and message id" "<noreply@pcnamdinh.vn>|<giamdoc@pcnamdinh.vn>|powercis-$IDM" \
  "$(python3 -c 'import json; d=json.loads(open("mail/index.jsonl").readline()); print(d["from"]+"|"+d["to"][0]+"|"+d["message_id"])')"

# ---- chat webhook ----
IDC=$(pc notify send --event digest --channel chat --to "" --field "scope_name=Điện lực Vụ Bản" --field date=24/11/2026 \
      --field "summary=Nguyễn Văn Đức: 3 khách hàng chưa thanh toán" --json | jf 'd["id"]')
check_eq "deliver: the chat message is sent" "1|1|0|0|0" "$(deliver)"
check_eq "it arrived at the configured webhook as JSON {text}" "/chat|*Bản tin điều hành 24/11/2026 - Điện lực Vụ Bản*
Nguyễn Văn Đức: 3 khách hàng chưa thanh toán|powercis-$IDC" \
  "$(arrivals http.jsonl '[x["path"] + "|" + json.loads(x["body"])["text"] + "|" + x["headers"]["Idempotency-Key"] for x in r if x["path"] == "/chat"][0]')"
pc notify send --event digest --to "http://127.0.0.1:$HP/hook/ops" --field scope_name=PA --field date=1 --field summary=x >/dev/null
deliver >/dev/null
check_eq "a webhook named by the message is used" "/hook/ops" "$(arrivals http.jsonl 'r[-1]["path"]')"

# ---- retries with backoff, dead, retry ----
start_http retry --fail-first 2 --fail-marker DEADLETTER
RP=$(wait_port retry.port) || exit 1
sed "s#127.0.0.1:$HP/sms#127.0.0.1:$RP/sms#" notify.ini > retry.ini
export POWERCIS_CONFIG=$WORK/retry.ini
IDR=$(pc notify send --event reminder --customer $B --field amount=250000 --field due_date=30/11/2026 --json | jf 'd["id"]')
check_eq "first attempt fails (the gateway answers 500)" "1|0|1|0|0" "$(deliver)"
check_eq "… failed, next attempt after backoff_seconds" "failed|1|2026-11-24T03:01:00Z" \
  "$(pc notify list --customer $B --json | jf 'd[0]["status"]+"|"+str(d[0]["attempts"])+"|"+d[0]["next_attempt_at"]')"
check_contains "… with the error kept" "answered HTTP 500" "$(pc notify list --status failed)"
check_eq "not due yet: nothing claimed" "0|0|0|0|0" "$(deliver)"
clock 2026-11-24T10:01:00+07:00
check_eq "second attempt at +60 s fails too" "1|0|1|0|0" "$(deliver)"
check_eq "… the next delay doubles (+120 s)" "2026-11-24T03:03:00Z" "$(pc notify list --customer $B --json | jf 'd[0]["next_attempt_at"]')"
clock 2026-11-24T10:02:59+07:00
check_eq "still waiting at +119 s" "0|0|0|0|0" "$(deliver)"
clock 2026-11-24T10:03:00+07:00
check_eq "third attempt succeeds" "1|1|0|0|0" "$(deliver)"
check_eq "three arrivals of one message id, the last accepted" "3|1|500,500,200" \
  "$(arrivals retry.jsonl 'str(len(r)) + "|" + str(len(set(x["headers"]["Idempotency-Key"] for x in r))) + "|" + ",".join(str(x["status"]) for x in r)')"
check_eq "the outbox says sent after 3 attempts" "sent|3" "$(sql "SELECT status || '|' || attempts FROM notify_outbox WHERE id = $IDR")"
IDD=$(pc notify send --event planned_outage --to 0900000001 --field customer_name=x --field area=DEADLETTER \
      --field start=08:00 --field end=10:00 --json | jf 'd["id"]')
check_eq "a message the gateway always refuses: attempt 1" "1|0|1|0|0" "$(deliver)"
clock 2026-11-24T10:04:00+07:00
check_eq "… attempt 2" "1|0|1|0|0" "$(deliver)"
clock 2026-11-24T10:06:00+07:00
check_eq "… attempt 3 of max_attempts 3: dead" "1|0|0|1|0" "$(deliver)"
check_eq "dead is listed" "$IDD" "$(pc notify list --status dead --json | jf 'd[0]["id"]')"
clock 2026-11-25T10:00:00+07:00
check_eq "a dead message is never claimed again" "0|0|0|0|0" "$(deliver)"
check_eq "retry --failed finds none" "0 messages queued again" "$(pc notify retry --failed)"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null
rm -f retry.port
"$HTTP_SINK" --port "$RP" --port-file retry.port --log retry.jsonl >/dev/null 2>&1 & PIDS+=($!)
wait_port retry.port >/dev/null
check_eq "notify retry brings it back" "1 message queued again" "$(pc notify retry $IDD)"
check_eq "… queued with its attempts counted afresh" "queued|0" "$(sql "SELECT status || '|' || attempts FROM notify_outbox WHERE id = $IDD")"
check_eq "… and it is sent" "1|1|0|0|0" "$(deliver)"
check_eq "retrying a sent message is refused" "2" "$(pc notify retry "$IDD" >/dev/null 2>&1; echo $?)"
check_eq "the retry is audited" "1" "$(sql "SELECT count(*) FROM audit_log WHERE action = 'notify_retry'")"

# ---- an SMTP server saying "try again later" (451) ----
mkdir -p mail2
rm -f smtp2.port
"$SMTP_SINK" --port-file smtp2.port --dir mail2 --reject-first 1 >/dev/null 2>&1 & PIDS+=($!)
SP2=$(wait_port smtp2.port) || exit 1
sed "s#smtp://127.0.0.1:$SP\$#smtp://127.0.0.1:$SP2#" notify.ini > smtp2.ini
export POWERCIS_CONFIG=$WORK/smtp2.ini
IDS=$(pc notify send --event digest --to ketoan@pcnamdinh.vn --field "scope_name=Điện lực Ý Yên" --field date=25/11/2026 \
      --field summary=ok --json | jf 'd["id"]')
check_eq "a 451 at the end of DATA is a failed attempt" "1|0|1|0|0" "$(deliver)"
check_eq "… nothing stored by the server" "0" "$(ls mail2/*.eml 2>/dev/null | wc -l)"
check_contains "… the reason is kept" "451" "$(sql "SELECT last_error FROM notify_outbox WHERE id = $IDS")"
clock 2026-11-25T10:01:00+07:00
check_eq "the retry after backoff is accepted" "1|1|0|0|0" "$(deliver)"
check_eq "… one message stored, with its id" "powercis-$IDS" "$(python3 -c 'import json; print(json.loads(open("mail2/index.jsonl").readline())["message_id"])')"
export POWERCIS_CONFIG=$WORK/notify.ini

# ---- opt-out and opt-in ----
n0=$(arrivals http.jsonl 'len(r)')
check "B opts out of SMS" pc notify optout $B --channel sms --reason "khách hàng yêu cầu"
out=$(pc notify send --event reminder --customer $B --field amount=100000 --field due_date=01/12/2026 --json)
check_eq "a message to an opted-out customer is recorded as skipped" "skipped|True" "$(echo "$out" | jf 'd["status"]+"|"+str(d["skipped"])')"
check_eq "… and nothing is sent" "0|0|0|0|0" "$(deliver)"
check_eq "… nothing arrived" "$n0" "$(arrivals http.jsonl 'len(r)')"
check "B opts in again" pc notify optin $B --channel sms
pc notify send --event reminder --customer $B --field amount=100000 --field due_date=02/12/2026 >/dev/null
check_eq "after opting in, the next message is sent" "1|1|0|0|0" "$(deliver)"
check_eq "… to B's phone" "0987654321" "$(arrivals http.jsonl 'json.loads(r[-1]["body"])["to"]')"
check_eq "the choices are kept as history" "out|in" "$(sql "SELECT $(agg)(action, '|') FROM (SELECT action FROM notify_optout ORDER BY id) x")"
check_eq "… and audited" "2" "$(sql "SELECT count(*) FROM audit_log WHERE action IN ('notify_optout', 'notify_optin')")"
check_fails "opt-outs are append-only" sql_write "UPDATE notify_optout SET action = 'in'"

# ---- quiet hours: customer messages wait, staff messages do not ----
clock 2026-11-24T22:00:00+07:00
IDQ=$(pc notify send --event reminder --customer $R --field amount=1 --field due_date=03/12/2026 --key quiet:1 --json | jf 'd["id"]')
check_eq "a customer message at 22:00 is due at 07:00" "2026-11-25T00:00:00Z" "$(pc notify list --customer $R --json | jf 'd[0]["next_attempt_at"]')"
pc notify send --event planned_outage --to 0900000002 --field customer_name=x --field "area=Xã Hồng Phong" --field start=08:00 --field end=10:00 >/dev/null
check_eq "at 22:00 only the staff message goes; the customer's is held" "1|1|0|0|1" "$(deliver)"
check_eq "… the staff message arrived" "0900000002" "$(arrivals http.jsonl 'json.loads(r[-1]["body"])["to"]')"
clock 2026-11-25T06:59:59+07:00
check_eq "06:59:59: still held" "0|0|0|0|1" "$(deliver)"
clock 2026-11-25T07:00:00+07:00
check_eq "07:00: the customer's message goes" "1|1|0|0|0" "$(deliver)"
check_eq "… sent" "sent" "$(sql "SELECT status FROM notify_outbox WHERE id = $IDQ")"

# ---- event collection: invoices, payments, notices, once each ----
clock 2026-11-24T10:00:00+07:00
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null
pc read add $B --date 2025-06-01 --total 2000 >/dev/null
pc read add $B --date 2025-07-01 --total 2100 >/dev/null
pc read add $A --date 2025-06-03 --total 500 >/dev/null
pc read add $A --date 2025-07-03 --total 1500 >/dev/null
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
pc partner add ECPAY --name "ECPay" --kind collector >/dev/null
pc dunning run --date 2025-07-13 >/dev/null
RTOTAL=$(sql "SELECT i.total FROM invoice i JOIN customer c ON c.id = i.customer_id WHERE c.code = '$R'")
pc pay post $R --partner ECPAY --ref EC-N1 --amount "$RTOTAL" --paid-at "2025-07-14 09:00" >/dev/null
rows0=$(sql "SELECT count(*) FROM notify_outbox")
out=$(pc notify collect --json)
check_eq "collect: 3 invoices, 1 payment, 3 notices read" "3|1|3" "$(echo "$out" | jf '"%d|%d|%d" % (d["invoices"], d["payments"], d["dunning_steps"])')"
check_eq "… 7 SMS enqueued, none skipped, every customer with a phone" "7|0|0" "$(echo "$out" | jf '"%d|%d|%d" % (d["enqueued"], d["skipped"], d["no_phone"])')"
check_eq "… as outbox rows" "$((rows0 + 7))" "$(sql "SELECT count(*) FROM notify_outbox")"
check_eq "… one per source row" "invoice_issued:3|notice_1:3|payment_received:1" \
  "$(sql "SELECT $(agg)(k, '|') FROM (SELECT event || ':' || count(*) AS k FROM notify_outbox WHERE event_key LIKE 'invoice_issued:%' OR event_key LIKE 'payment_received:%' OR event_key LIKE 'dunning_step:%' GROUP BY event ORDER BY event) x")"
out=$(pc notify collect --json)
check_eq "collect again: nothing new" "0" "$(echo "$out" | jf 'd["enqueued"]')"
check_eq "… no new rows" "$((rows0 + 7))" "$(sql "SELECT count(*) FROM notify_outbox")"
body=$(sql "SELECT o.body FROM notify_outbox o JOIN customer c ON c.id = o.customer_id WHERE c.code = '$R' AND o.event_key LIKE 'invoice_issued:%'")
check_contains "the invoice SMS names the period and the customer" "Tiền điện tháng 07/2025 của Nguyễn Văn Đức" "$body"
check_contains "… the amount Vietnamese style and the due date" "$(python3 -c 'import sys; print(f"{int(sys.argv[1]):,}".replace(",", "."))' "$RTOTAL") đ, hóa đơn" "$body"
check_contains "… and the due date" "hạn thanh toán 12/07/2025" "$body"
n0=$(arrivals http.jsonl 'len(r)')
check_eq "deliver the collected messages" "7|7|0|0|0" "$(deliver)"
check_eq "… 7 arrivals" "$((n0 + 7))" "$(arrivals http.jsonl 'len(r)')"
pc notify collect >/dev/null
check_eq "collect and deliver once more: nothing" "0|0|0|0|0" "$(deliver)"
check_eq "no accepted arrival repeats a message id" "0" "$(arrivals http.jsonl 'len([x for x in r if x["status"] == 200 and x["repeat"]])')"

# ---- list ----
check_contains "list shows the newest first" "sent" "$(pc notify list --limit 1)"
check_eq "list filters by event" "1" "$(pc notify list --event payment_received --json | jf 'len(d)')"
check_fails "outbox rows are never deleted" sql_write "DELETE FROM notify_outbox"

finish
