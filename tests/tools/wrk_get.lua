-- wrk script (bench/http.sh, tests/integration/load.sh): GET WRK_PREFIX .. a random line of the
-- file WRK_ITEMS, signed in with the session cookie WRK_COOKIE.
local items = {}
for line in io.lines(os.getenv("WRK_ITEMS")) do items[#items + 1] = line end
local prefix = os.getenv("WRK_PREFIX")
local headers = {["Cookie"] = "pc_session=" .. os.getenv("WRK_COOKIE")}
request = function()
  return wrk.format("GET", prefix .. items[math.random(#items)], headers)
end
