-- wrk script of bench/kiosk.py: heartbeats of many kiosks, each request with the next device's token.
local tokens = {}
local index = 0
init = function(args)
  for line in io.lines(args[1]) do table.insert(tokens, line) end
end
request = function()
  index = index + 1
  local token = tokens[(index % #tokens) + 1]
  return wrk.format("POST", "/api/v1/kiosks/heartbeat",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token },
    '{"version":"bench","uptime_s":60,"content_version":"","free_mb":512,"screen_on":true}')
end
local failed = 0
response = function(status, headers, body)
  if status ~= 200 then failed = failed + 1 end
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    + summary.errors.status
  io.write(string.format('BENCH {"requests": %d, "errors": %d, "rps": %.1f, "p50": %.2f, "p99": %.2f}\n',
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
