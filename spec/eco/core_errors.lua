-- Spec: an error in one of 100 concurrent tasks prints a traceback naming
-- this file and line; the other 99 finish. Run WITHOUT --fatal-errors.
local eco = require 'eco'

local done = 0
for i = 1, 100 do
    eco.run(function()
        eco.sleep(0.001)
        if i == 42 then
            error('task 42 failed') -- line 10: the Go test looks for it
        end
        eco.sleep(0.001)
        done = done + 1
    end)
end
while done < 99 do eco.sleep(0.002) end
eco.sleep(0.01)
print('done ' .. done)
