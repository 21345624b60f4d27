-- wrk script for bench/api.sh: start/stop pairs.  Each thread keeps the
-- ids of the streams it started; a request stops one when there is one,
-- else starts a new stream.  Counts pairs (stops answered 200) and errors.
local ids = {}
local auth = os.getenv("MB_BENCH_AUTH")
local loc = os.getenv("MB_BENCH_LOC") or "/stream"
pairs_done, errors = 0, 0   -- globals: done() reads them with thread:get
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Authorization"] = "Basic " .. auth
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  local id = table.remove(ids)
  if id then
    return wrk.format("POST", loc .. "/stop", nil, "id=" .. id)
  end
  return wrk.format("POST", loc .. "/start", nil, "type=hls&name=bench")
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    return
  end
  local id = body:match('"stream":{"id":"([0-9a-f-]+)"')
  if body:find('"endpoint"', 1, true) then
    table.insert(ids, id)
  elseif body:find('"stop_date"', 1, true) then
    pairs_done = pairs_done + 1
  end
end

function done(summary, latency, requests)
  local p, e = 0, 0
  for _, t in ipairs(threads) do
    p = p + (t:get("pairs_done") or 0)
    e = e + (t:get("errors") or 0)
  end
  local secs = summary.duration / 1e6
  io.write(string.format("PAIRS %d ERRORS %d SECONDS %.2f PAIRS_PER_S %.1f P50_MS %.2f P99_MS %.2f\n",
    p, e, secs, p / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
