-- serve_load.lua -- wrk script for bench/serve_load.sh: a mix of valid queries and malformed
-- requests. Each request knows the status class it must get (2 = 200, 4 = a 4xx); a response of
-- another class is a failure. done() prints the counts (per thread tables, summed).
local reqs = {
  {"GET", "/api/world?date=2024", nil, 2},
  {"GET", "/api/world?date=2000-06-30", nil, 2},
  {"GET", "/api/map?date=2020", nil, 2},
  {"GET", "/api/states/CHN?date=2024", nil, 2},
  {"GET", "/api/polarization", nil, 2},
  {"GET", "/api/world?date=20x4", nil, 4},
  {"GET", "/api/world?date=1200", nil, 4},
  {"GET", "/api/states/NOPE", nil, 4},
  {"GET", "/../../etc/passwd", nil, 4},
  {"GET", "/api/runs/../../etc", nil, 4},
  {"POST", "/api/runs", "{\"scenario\": ", 4},
  {"POST", "/api/runs", "{\"scenario\": \"baseline\", \"runs\": 1e9}", 4},
  {"PUT", "/api/world", "x", 4},
}
-- wrk does not say which request a response answers (connections interleave), so the check is
-- by counts: 5 of the 13 requests are valid (200), 8 malformed (4xx); any 5xx or other status is a
-- failure, and the 2xx : 4xx ratio must stay 5 : 8 up to the requests in flight.
local threads = {}
local i = 0
c2, c4, c5, other = 0, 0, 0, 0

function setup(thread)
  table.insert(threads, thread)
end

function request()
  i = i % #reqs + 1
  local r = reqs[i]
  local headers = {}
  if r[3] then headers["Content-Type"] = "application/json" end
  return wrk.format(r[1], r[2], headers, r[3])
end

function response(status, headers, body)
  local k = math.floor(status / 100)
  if k == 2 then c2 = c2 + 1 elseif k == 4 then c4 = c4 + 1 elseif k == 5 then c5 = c5 + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local a, b, c, d = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("c2"); b = b + t:get("c4"); c = c + t:get("c5"); d = d + t:get("other")
  end
  io.write(string.format("statuses: 2xx %d, 4xx %d (expected ratio 5:8 = %.3f, got %.3f), 5xx %d, other %d\n",
    a, b, 5 / 8, b > 0 and a / b or 0, c, d))
end
