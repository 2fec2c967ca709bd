-- Spec: eco.set_panic_hook receives the failed task's message and
-- traceback, then the resumer's traceback (eco-api.md §1.5).
local eco = require 'eco'
local calls, first, second = 0, nil, nil
eco.set_panic_hook(function(a, b)
    calls = calls + 1
    if calls > 1 then io.stderr:write(a, '\n') end -- a failed assertion below
    first, second = a, b
end)
eco.run(function()
    eco.sleep(0.001)
    error('hooked failure') -- line 12
end)
eco.sleep(0.02)
assert(calls == 1, 'hook calls ' .. calls)
assert(type(first) == 'string' and first:find('core_panic_hook.lua:12: hooked failure', 1, true), first)
assert(first:find('stack traceback:', 1, true))
assert(type(second) == 'string' and second:find('stack traceback:', 1, true))
print('core_panic_hook ok')
