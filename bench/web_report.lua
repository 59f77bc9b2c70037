-- wrk script for bench/web.py. With a file of paths as its argument (`wrk ... -s web_report.lua -- FILE`),
-- each request takes the next path of the file in turn (a crowd asking for many pages, not one page again);
-- without, wrk's own URL. After the run, one line "BENCH {json}" with the counts and the latency
-- percentiles in microseconds (wrk's own histogram, so coordinated with its request timing).
local paths, position = nil, 0

init = function(args)
  if args[1] then
    paths = {}
    for line in io.lines(args[1]) do
      if line ~= "" then paths[#paths + 1] = line end
    end
  end
end

request = function()
  if paths then
    position = position % #paths + 1
    return wrk.format("GET", paths[position])
  end
  return wrk.request()
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d, "http_errors": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean
  ))
end
