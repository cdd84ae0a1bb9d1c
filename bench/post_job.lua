-- wrk script: POST /api/jobs with a realistic guideline text.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- `make bench` also runs it signed in: BENCH_TOKEN holds an access token.
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
wrk.body = '{"text": "All visitors must sign in at the front desk and wear a visible badge at all times. Employees should escort guests in restricted areas. Never prop open fire doors. Report any security incident to the duty officer within one hour. Laptops must be locked when unattended. Visitors may not photograph the laboratory. Shred printed customer data at the end of each day."}'
