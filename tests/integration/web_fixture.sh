# A small database for the web app's tests (sourced by selfservice.sh and tests/e2e/run.sh after
# lib.sh): the org tree and the sample customers, four reads of PA01010000101 (phone …5678)
# billed for 2025-05, -06 and -07, and one payment that settles May and part of June. Writes the
# configuration (the company's VietQR account) and the clock file, and exports them.
R=PA01010000101
web_fixture() {
  pc init >/dev/null || return 1
  make_tree || return 1
  pc customer import "$CASES/customers/good.csv" >/dev/null || return 1
  local d
  for d in 2025-04-01:1000 2025-05-01:1150 2025-06-01:1280 2025-07-01:1400; do
    pc read add $R --date "${d%%:*}" --total "${d##*:}" >/dev/null || return 1
  done
  for d in 2025-05 2025-06 2025-07; do
    pc bill run --period $d --issue-date $d-05 >/dev/null || return 1
  done
  local shift
  shift=$(pc shift open --cashier "Trần Thị Lan" --unit PA0101 --float 0 --json |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["shift_id"])') || return 1
  pc pay post $R --shift "$shift" --amount 430480 --ref CT-1 --paid-at "2025-07-20 09:00" >/dev/null || return 1
  printf '[company PA01]\nbank_bin = 970436\nbank_account = 0011000000001\n' > "$WORK/web.ini"
  export POWERCIS_CONFIG=$WORK/web.ini
  echo 2025-07-25T10:00:00+07:00 > "$WORK/clock"
  export POWERCIS_CLOCK_FILE=$WORK/clock
}

# free_port: a free loopback port.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server PORT LOG: powercis serve in the background (no scheduler); waits for /healthz.
# Sets SERVER_PID.
start_server() {
  "$POWERCIS" serve --listen "127.0.0.1:$1" --no-scheduler > "$2" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 200); do
    curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    kill -0 $SERVER_PID 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# svg_to_pgm SVG PGM: rasterises the QR SVG of /api/v1/self/{code}/qr.svg (rectangles only) into
# a PGM image, for zbarimg, which cannot read SVG.
svg_to_pgm() {
  python3 - "$1" "$2" <<'PY'
import re, sys
svg = open(sys.argv[1]).read()
w, h = [float(x) for x in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()]
d = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
S = 4
W, H = int(w * S), int(h * S)
px = bytearray([255]) * (W * H)
for x, y, rw, rh in re.findall(r'M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-[\d.]+z', d):
    x0, y0 = int(float(x) * S), int(float(y) * S)
    x1, y1 = int((float(x) + float(rw)) * S), int((float(y) + float(rh)) * S)
    for yy in range(y0, y1):
        px[yy * W + x0:yy * W + x1] = bytes(x1 - x0)
open(sys.argv[2], "wb").write(b"P5\n%d %d\n255\n" % (W, H) + bytes(px))
PY
}
