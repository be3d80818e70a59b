-- wrk script: POST /api/incidents/{id}/report (JSON answer), rotating over
-- the shipped demo incidents. Usage (server on the demo incidents):
--   incident-report serve --data www/demo --addr 127.0.0.1:18081 --db /tmp/load.db
--   wrk -t2 -c8 -d30s -s scripts/load-report.lua --latency http://127.0.0.1:18081
-- Every generated report is stored: use a throwaway --db.
local ids = {"3150442", "3150517", "2207"}
local headers = {["Content-Type"] = "application/json", ["Accept"] = "application/json"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "/api/incidents/" .. ids[(i % #ids) + 1] .. "/report", headers, '{"timeZone":"UTC"}')
end
