-- Spec: the watchdog reports a task that holds the VM too long without
-- yielding, and does not stop anything (eco-api.md §1.3, tests/eco-test.lua).
local eco = require 'eco'
local limit = tonumber(arg[1]) or 1
eco.set_watchdog_timeout(limit)
eco.run(function()
    local until_at = os.clock() + 0.03
    while os.clock() < until_at do end
end)
print('still running')
