-- wrk script: guests creating shelter requests around Paris.
math.randomseed(os.time())
request = function()
  local lat = 48.80 + math.random() * 0.12
  local lon = 2.25 + math.random() * 0.20
  local body = string.format(
    '{"lat":%.6f,"lon":%.6f,"party_size":%d,"name":"Bench","contact_phone":"+33600000000","needs":{"children":%s}}',
    lat, lon, math.random(1, 4), math.random() < 0.3 and "true" or "false")
  return wrk.format("POST", "/api/v1/requests", { ["Content-Type"] = "application/json" }, body)
end
done = dofile(os.getenv("PO_BENCH_DIR") .. "/report.lua")
