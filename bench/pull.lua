-- bench:pull's load for wrk (bench/load-generator.ts runs it):
--   wrk -t<threads> ... -s bench/pull.lua <url> -- <devices file> <path> <fresh|held> <threads>
-- The devices file holds one "token etag" line a device. wrk's Lua has no
-- per-connection hook, so each wrk thread takes its own share of the devices
-- (line i goes to thread i mod threads) and sends them in turn over its
-- connections, each request built once in init. "held" adds If-None-Match
-- with the version the device was sent (the 304 path). Statuses are counted
-- per thread and summed in done(), printed as one JSON line after wrk's report.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, path, mode, count = args[1], args[2], args[3], tonumber(args[4])
  requests = {}
  local line_number = 0
  for line in io.lines(file) do
    if line_number % count == id then
      local token, etag = line:match("^(%S+) (%S+)$")
      local headers = { ["Authorization"] = "Bearer " .. token }
      if mode == "held" then headers["If-None-Match"] = etag end
      table.insert(requests, wrk.format("GET", path, headers))
    end
    line_number = line_number + 1
  end
  share, sent, status2xx, status3xx, other = #requests, 0, 0, 0, 0
end

function request()
  sent = sent + 1
  return requests[(sent - 1) % #requests + 1]
end

function response(status)
  if status >= 200 and status < 300 then
    status2xx = status2xx + 1
  elseif status >= 300 and status < 400 then
    status3xx = status3xx + 1
  else
    other = other + 1
  end
end

function done(summary)
  local totals = { status2xx = 0, status3xx = 0, other = 0, devices = 0 }
  for _, thread in ipairs(threads) do
    totals.status2xx = totals.status2xx + thread:get("status2xx")
    totals.status3xx = totals.status3xx + thread:get("status3xx")
    totals.other = totals.other + thread:get("other")
    -- A thread goes through its devices in order: it has reached min(sent, its share) of them.
    totals.devices = totals.devices + math.min(thread:get("sent"), thread:get("share"))
  end
  local errors = summary.errors
  -- Connection errors and timeouts are not statuses; they count as other too.
  totals.other = totals.other + errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format(
    'pull.lua {"status2xx":%d,"status3xx":%d,"other":%d,"devices":%d}\n',
    totals.status2xx, totals.status3xx, totals.other, totals.devices
  ))
end
