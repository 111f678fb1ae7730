-- wrk script: candidate searches, cycling over the requests listed in the
-- file named by PO_REQUESTS (one "id token" per line).
local list = {}
for line in io.lines(os.getenv("PO_REQUESTS")) do
  local id, tok = line:match("(%S+) (%S+)")
  if id then table.insert(list, { id, tok }) end
end
local i = math.random(#list)
request = function()
  i = i % #list + 1
  local p = list[i]
  return wrk.format("GET", "/api/v1/requests/" .. p[1] .. "/candidates?limit=10&radius_km=5",
    { ["Authorization"] = "Bearer " .. p[2] })
end
done = dofile(os.getenv("PO_BENCH_DIR") .. "/report.lua")
