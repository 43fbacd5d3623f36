# Helpers of the scripts that drive `powercis serve` over real HTTP (source after lib.sh): the
# server on a free loopback port with the scheduler off, curl calls with a cookie jar per account,
# the CSRF header on writes, and JSON fields read with python3. The server is killed at exit.
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
# jf EXPR < FILE.json: a Python expression over the JSON document d
jf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

# api_serve: starts the server (clock and configuration in the work folder); sets U, its URL.
api_serve() {
  export POWERCIS_CLOCK_FILE=$PWD/clock
  [ -f clock ] || echo 2026-11-23T09:00:00+07:00 > clock
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf '[server]\nscheduler = off\n' > powercis.ini
  export POWERCIS_CONFIG=$PWD/powercis.ini
  "$POWERCIS" serve --listen 127.0.0.1:$port > server.log 2>&1 & PIDS+=($!)
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.05; done
  U="http://127.0.0.1:$port"
}

# call OUT [curl args…]: the status code; the body into OUT
call() { local out=$1; shift; curl -s -o "$out" -w '%{http_code}' "$@"; }
# login JAR LOGIN PASSWORD: signs in, the session in JAR and the answer in JAR.json
login() { call "$1.json" -c "$1" -b "$1" -X POST -d "{\"login\":\"$2\",\"password\":\"$3\"}" "$U/api/v1/login"; }
csrf() { jf 'd["csrf_token"]' < "$1.json"; }
# post JAR OUT PATH BODY [curl args…]: a signed-in POST with the CSRF token
post() { local jar=$1 out=$2 path=$3 body=$4; shift 4
  call "$out" -b "$jar" -H "X-CSRF-Token: $(csrf "$jar")" -H 'Content-Type: application/json' -X POST -d "$body" "$@" "$U$path"; }
# err FILE: "code|field" of an error answer
err() { jf 'd["error"]["code"]+"|"+str(d["error"]["field"])' < "$1"; }
