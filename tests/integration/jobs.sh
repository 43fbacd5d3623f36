#!/usr/bin/env bash
# The scheduler and the 07:00 digest (issue 7, DOMAIN 13) with an injected clock: nothing before
# 07:00; at 07:00 each manager gets one e-mail (with the chart) and, when the account has one, one
# chat message; a restart at 07:01, a second run and even a forced run send nothing more; a
# process that was down at 07:00 catches the day up once, and a day that passed entirely is not
# sent the next morning; `jobs serve` killed with SIGKILL after sending and restarted sends
# nothing twice; `powercis serve` runs the scheduler inside and stops cleanly on SIGTERM; bad
# jobs and schedules are refused.
. "$(dirname "$0")/lib.sh"
: "${HTTP_SINK:?HTTP_SINK must name tests/tools/http_sink}" "${SMTP_SINK:?SMTP_SINK must name tests/tools/smtp_sink}"

PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
wait_port() {
  for _ in $(seq 100); do [ -s "$1" ] && { cat "$1"; return 0; }; sleep 0.05; done
  echo "no port in $1" >&2; return 1
}
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }
mails() { ls mail/*.eml 2>/dev/null | wc -l | tr -d ' '; }
chats() { [ -f chat.jsonl ] && wc -l < chat.jsonl | tr -d ' ' || echo 0; }
# wait_for N CMD: until CMD prints N (at most 10 s)
wait_for() { local n=$1; shift; for _ in $(seq 200); do [ "$("$@")" = "$n" ] && return 0; sleep 0.05; done; return 1; }
at() { echo "$1" > clock; }

pc init >/dev/null
make_tree
pc customer import "$CASES/customers/good.csv" >/dev/null
R=PA01010000101; A=PA01020000104
pc read add $R --date 2025-06-01 --total 1000 >/dev/null
pc read add $R --date 2025-07-01 --total 1100 >/dev/null   # 217,836 đ
pc read add $A --date 2025-06-03 --total 500 >/dev/null
pc read add $A --date 2025-07-03 --total 1500 >/dev/null   # 2,237,760 đ
pc bill run --period 2025-07 --issue-date 2025-07-05 >/dev/null
shift=$(pc shift open --cashier "Trần Thị Lan" --unit PA0101 --float 0 --json | jf 'd["shift_id"]')
pc pay post $R --shift $shift --amount 217836 --ref CT-R1 --paid-at "2025-07-20 09:00" >/dev/null

mkdir -p mail
rm -f smtp.port chat.port
"$SMTP_SINK" --port-file smtp.port --dir mail 2>/dev/null & PIDS+=($!)
SP=$(wait_port smtp.port) || exit 1
"$HTTP_SINK" --port-file chat.port --log chat.jsonl 2>/dev/null & PIDS+=($!)
CP=$(wait_port chat.port) || exit 1
cat > powercis.ini <<INI
[smtp]
url = smtp://127.0.0.1:$SP
from = bantin@pcnamdinh.vn
[chat]
url = http://127.0.0.1:$CP/hook
[jobs]
notify_collect = off
reports_dir = $PWD/reports
INI
export POWERCIS_CONFIG=$PWD/powercis.ini
export POWERCIS_CLOCK_FILE=$PWD/clock
pc user add gd.pa01 --name "Trần Thị Bình" --role company --scope PA01 --email gd.pa01@pcnamdinh.vn --digest >/dev/null
pc user add tgd --name "Lê Minh" --role corporation --scope PA --lang en --email tgd@evnnpc.vn \
  --chat-url "http://127.0.0.1:$CP/hook/tgd" --digest >/dev/null
pc user add thungan --name "Phạm Thu" --role cashier --scope PA0101 --email thu@pcnamdinh.vn >/dev/null

# ---- day 1: 06:59, 07:00, a restart at 07:01 ----
at 2025-07-21T06:59:00+07:00
pc jobs run >/dev/null
check_eq "06:59: no digest yet" "0|0" "$(mails)|$(chats)"
at 2025-07-21T07:00:00+07:00
check "07:00: the scheduler runs" pc jobs run
check_eq "07:00: one e-mail per manager, one chat message for the account that has a chat" "2|1" "$(mails)|$(chats)"
check_eq "… the cashier without the digest gets nothing" "" "$(grep -l "thu@pcnamdinh.vn" mail/*.eml 2>/dev/null)"
python3 - > mail.txt <<'PY'
import email, email.policy, glob
for path in sorted(glob.glob("mail/*.eml")):
    m = email.message_from_bytes(open(path, "rb").read(), policy=email.policy.default)
    body = m.get_body(("plain",)).get_content()
    pngs = [p for p in m.iter_attachments() if p.get_content_type() == "image/png"]
    png = pngs[0].get_content() if pngs else b""
    print("TO", m["To"], "|SUBJECT", m["Subject"], "|PNG", png[:8] == b"\x89PNG\r\n\x1a\n", len(png) > 1000)
    print(body)
PY
txt=$(cat mail.txt)
check_contains "the company manager's e-mail: Vietnamese subject decoded" \
  "TO gd.pa01@pcnamdinh.vn |SUBJECT Bản tin điều hành 21/07/2025 - Công ty Điện lực Nam Định |PNG True True" "$txt"
check_contains "… its figures: yesterday's collection in the scope" "2. Thu tiền ngày 20/07/2025: 217.836 đ (1 giao dịch)." "$txt"
check_contains "… the debt movement" "Tổng dư nợ: 2.237.760 đ (−217.836 đ)" "$txt"
check_contains "the corporation manager's e-mail in English with the chart" "TO tgd@evnnpc.vn |SUBJECT Daily digest 2025-07-21 - Tổng công ty Điện lực miền Bắc |PNG True True" "$txt"
chat=$(python3 -c 'import json; r=[json.loads(l) for l in open("chat.jsonl", encoding="utf-8")]; print(r[0]["path"], json.loads(r[0]["body"])["text"])')
check_contains "the chat message went to the account's webhook, in English" "/hook/tgd" "$chat"
check_contains "… with the figures" "Collected on 2025-07-20: 217.836 đ (1 payments)." "$chat"
at 2025-07-21T07:01:00+07:00
pc jobs run >/dev/null
pc jobs run >/dev/null
check_eq "07:01, a restart and another run: nothing more" "2|1" "$(mails)|$(chats)"
check "a forced run of the digest …" pc jobs run digest --force
check_eq "… still sends nothing twice (one digest per account and day)" "2|1" "$(mails)|$(chats)"
check_eq "the day's slot ran once, the forced run on its own" "2025-07-21|done
manual 2025-07-21T00:01:00Z|done" "$(sql "SELECT slot || '|' || status FROM job_run WHERE job = 'digest' ORDER BY id")"

# ---- day 2: down at 07:00, back at 09:30 ----
at 2025-07-22T09:30:00+07:00
pc jobs run >/dev/null
check_eq "down at 07:00, up at 09:30: the day's digest is caught up" "4|2" "$(mails)|$(chats)"
at 2025-07-22T18:00:00+07:00
pc jobs run >/dev/null
check_eq "… once" "4|2" "$(mails)|$(chats)"
# ---- day 3 passes with the process down; day 4 at 06:00: day 3 is not sent late ----
at 2025-07-24T06:00:00+07:00
pc jobs run >/dev/null
check_eq "a day that passed entirely is not sent the next morning" "4|2|0" \
  "$(mails)|$(chats)|$(sql "SELECT count(*) FROM job_run WHERE job = 'digest' AND slot = '2025-07-23'")"

# ---- jobs serve killed after sending, restarted ----
at 2025-07-24T06:59:59+07:00
"$POWERCIS" jobs serve --interval 0.05 > serve1.log 2>&1 & SERVE=$!; PIDS+=($SERVE)
sleep 0.3
at 2025-07-24T07:00:00+07:00
if wait_for 6 mails; then ok "jobs serve: the digest at 07:00"; else not_ok "jobs serve: the digest at 07:00" "$(mails) mails" "$(cat serve1.log)"; fi
wait_for 3 chats
kill -9 $SERVE; wait $SERVE 2>/dev/null
at 2025-07-24T07:02:00+07:00
check "jobs serve restarted for 20 ticks" pc jobs serve --interval 0.02 --ticks 20
check_eq "… sends nothing twice" "6|3" "$(mails)|$(chats)"

# ---- the scheduler inside the server ----
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
at 2025-07-25T07:00:05+07:00
"$POWERCIS" serve --listen 127.0.0.1:$port --tick 0.05 > server.log 2>&1 & SRV=$!; PIDS+=($SRV)
if wait_for 8 mails; then ok "serve: the scheduler inside sends the digest"; else not_ok "serve: the scheduler inside sends the digest" "$(mails)" "$(cat server.log)"; fi
health=$(curl -s "http://127.0.0.1:$port/healthz")
check_eq "serve: /healthz" "ok" "$(echo "$health" | jf 'd["status"]')"
# the jobs list is for staff: a manager signs in first
echo "mật-khẩu-gd-2025" | pc user passwd gd.pa01 >/dev/null
curl -s -c jar.txt -o /dev/null -X POST -d '{"login":"gd.pa01","password":"mật-khẩu-gd-2025"}' "http://127.0.0.1:$port/api/v1/login"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/jobs")
check_eq "serve: /api/v1/jobs without signing in is 401" "401" "$code"
jobs=$(curl -s -b jar.txt "http://127.0.0.1:$port/api/v1/jobs")
check_eq "serve: /api/v1/jobs shows the digest's last slot" "2025-07-25|done" \
  "$(echo "$jobs" | jf '[ "%s|%s" % (j["last"]["slot"], j["last"]["status"]) for j in d["jobs"] if j["name"] == "digest"][0]')"
metrics=$(curl -s "http://127.0.0.1:$port/metrics")
check_contains "serve: /metrics counts requests" 'powercis_http_requests_total{route="/healthz",code="200"} 1' "$metrics"
check_contains "serve: /metrics counts job runs" 'powercis_jobs_runs_total{status="done"}' "$metrics"
code=$(curl -s -o nf.json -w '%{http_code}' "http://127.0.0.1:$port/nothing")
check_eq "serve: an unknown path is a JSON 404" "404|not_found" "$code|$(jf 'd["error"]["code"]' < nf.json)"
code=$(curl -s -o na.json -w '%{http_code}' -X POST "http://127.0.0.1:$port/healthz")
check_eq "serve: a wrong method is a JSON 405" "405|method_not_allowed" "$code|$(jf 'd["error"]["code"]' < na.json)"
kill -TERM $SRV; wait $SRV; rc=$?
check_eq "serve: SIGTERM stops it cleanly" "0" "$rc"
check_contains "serve: one log line per request" 'method=GET path="/healthz" status=200' "$(cat server.log)"
check_eq "8 digests over 5 days for 2 managers with one day missed: 2 × 4" "8|4" "$(mails)|$(chats)"

# ---- dunning and report exports on the same scheduler ----
check "the aging export, forced" pc jobs run aging_export --force
check_eq "… writes the XLSX of yesterday" "PK" "$(head -c 2 reports/aging-2025-07-24.xlsx)"
check "dunning, forced" pc jobs run dunning --force
check_eq "… took A's first notice" "1" "$(sql "SELECT count(*) FROM dunning_step s JOIN customer c ON c.id = s.customer_id WHERE c.code = '$A' AND s.step = 'notice_1'")"
out=$(pc jobs history dunning --json)
check_contains "jobs history: what the run did" "2025-07-25: 1 notices 1" "$out"

# ---- refusals ----
out=$(pc jobs run nosuch 2>&1); rc=$?
check_eq "an unknown job: exit 2" "2" "$rc"
check_contains "… named" "no job 'nosuch'" "$out"
check_fails "--force needs a job" pc jobs run --force
printf '[jobs]\ndigest = 7:00\n' > bad.ini
out=$(POWERCIS_CONFIG=$PWD/bad.ini pc jobs list 2>&1); rc=$?
check_eq "a bad schedule in the configuration: exit 2" "2" "$rc"
check_contains "… names the key and the value" "[jobs] digest" "$out"
out=$(pc jobs list --json)
check_eq "jobs list: every job with its schedule" "digest=07:00 notify_deliver=every 1m notify_collect=off dunning=off aging_export=off partitions=monthly 1 01:00 prepaid_charge=off" \
  "$(echo "$out" | jf '" ".join("%s=%s" % (j["name"], j["schedule"]) for j in d)')"
check "audit chain intact" pc audit verify
finish
