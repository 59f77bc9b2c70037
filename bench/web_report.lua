-- wrk script for bench/web.py. With a file of paths as its argument (`wrk ... -s web_report.lua -- FILE`),
-- each request takes the next path of the file in turn (a crowd asking for many pages, not one page again);
-- without, wrk's own URL. After the run, one line "BENCH {json}" with the counts and the latency
-- percentiles in microseconds (wrk's own histogram, so coordinated with its request timing). "sent" is the
-- number of requests written, answered or not: those still in flight when wrk stops are in it, not in
-- "requests" (the answers read).
local paths, position = nil, 0
local threads = {}
sent = 0 -- global: done() reads it from each thread's own Lua state

setup = function(thread)
  threads[#threads + 1] = thread
  -- wrk 4.1 calls the first thread's request() once before the run, to check what it returns, and sends
  -- nothing then: that call is not a request sent
  if #threads == 1 then thread:set("sent", -1) end
end

init = function(args)
  if args[1] then
    paths = {}
    for line in io.lines(args[1]) do
      if line ~= "" then paths[#paths + 1] = line end
    end
  end
end

request = function()
  sent = sent + 1
  if paths then
    position = position % #paths + 1
    return wrk.format("GET", paths[position])
  end
  return wrk.request()
end

done = function(summary, latency, requests)
  local e = summary.errors
  local written = 0
  for _, thread in ipairs(threads) do written = written + thread:get("sent") end
  io.write(string.format(
    'BENCH {"requests": %d, "sent": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "http_errors": %d, "p50_us": %d, '
      .. '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, written, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean
  ))
end
