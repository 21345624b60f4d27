-- wrk script for bench/watchlog.sh: GET with one random single range of
-- CHUNK bytes inside a file of FILE_SIZE bytes (from the environment); the
-- same seed for every run, so that log on and log off see the same ranges.
local size = tonumber(os.getenv("FILE_SIZE"))
local chunk = tonumber(os.getenv("CHUNK"))
local seeded = false

request = function()
  if not seeded then
    math.randomseed(42)
    seeded = true
  end
  local first = math.random(0, size - chunk)
  return wrk.format("GET", nil, { ["Range"] = "bytes=" .. first .. "-" .. (first + chunk - 1) })
end

response = function(status, headers, body)
  if status ~= 206 then
    error("unexpected status " .. status)
  end
end
