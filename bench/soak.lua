-- Mixed reader load for `make soak`: each request picks a path from the list given after `--`,
-- and every thread counts the 5xx answers it saw.
local paths = {}
local counts = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = args
  server_errors = 0
  statuses = {}
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 500 then
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local total_5xx = 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    total_5xx = total_5xx + thread:get("server_errors")
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  io.write(string.format("SOAK 5xx=%d\n", total_5xx))
  for status, count in pairs(by_status) do
    io.write(string.format("SOAK status %d=%d\n", status, count))
  end
  io.write(string.format("SOAK p50_ms=%.2f p99_ms=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
