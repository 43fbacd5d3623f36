-- wrk script (bench/http.sh, tests/integration/load.sh): counter payments as the counter screen
-- sends them: POST /api/v1/payments of WRK_AMOUNT đ cash in shift WRK_SHIFT for a customer of
-- the file WRK_ITEMS, with the session cookie WRK_COOKIE, its CSRF token WRK_CSRF and a new
-- Idempotency-Key per request ("WRK_RUN-thread-count": no two requests of a run share one).
local codes = {}
for line in io.lines(os.getenv("WRK_ITEMS")) do codes[#codes + 1] = line end
local run = os.getenv("WRK_RUN")
local shift = os.getenv("WRK_SHIFT")
local amount = os.getenv("WRK_AMOUNT") or "10000"
threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
count = 0
local headers = {["Cookie"] = "pc_session=" .. os.getenv("WRK_COOKIE"), ["X-CSRF-Token"] = os.getenv("WRK_CSRF"),
                 ["Content-Type"] = "application/json"}
request = function()
  count = count + 1
  headers["Idempotency-Key"] = run .. "-" .. tid .. "-" .. count
  local body = '{"customer_code":"' .. codes[(count * 7919 + tid * 104729) % #codes + 1] ..
    '","amount":' .. amount .. ',"shift_id":' .. shift .. ',"method":"cash"}'
  return wrk.format("POST", "/api/v1/payments", headers, body)
end
