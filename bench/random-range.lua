-- wrk script: GET with one random single range of CHUNK bytes inside a file
-- of FILE_SIZE bytes (both from the environment). A fixed seed per thread
-- makes the module and the core see the same sequence of ranges.
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
