-- Spec: an error in one of 100 concurrent silly tasks is logged with a
-- traceback naming this file and line; the task's status is cleared and
-- the other 99 finish. Run WITHOUT --fatal-errors.
local task = require "silly.task"
local time = require "silly.time"

local done = 0
local threads = {}
for i = 1, 100 do
    threads[i] = task.fork(function()
        time.sleep(1)
        if i == 42 then
            error('task 42 failed') -- line 13: the Go test looks for it
        end
        time.sleep(1)
        done = done + 1
    end)
end
while done < 99 do time.sleep(2) end
assert(task.status(threads[42]) == nil, 'errored task status cleared')
time.sleep(10)
print('done ' .. done)
