-- Run with --max-tasks 3: the main task plus two sleepers fill the limit,
-- and every way of starting a task must then raise "too many tasks".
local task = require "silly.task"
local time = require "silly.time"

task.fork(function() time.sleep(200) end)
task.fork(function() time.sleep(200) end)
time.sleep(0) -- let both start

local ok, err = pcall(task.fork, function() end)
assert(not ok and err:find("too many tasks", 1, true), "silly task.fork: " .. tostring(err))

ok, err = pcall(eco.run, function() end)
assert(not ok and err:find("too many tasks", 1, true), "eco.run: " .. tostring(err))

local etime = require "eco.time"
ok, err = pcall(etime.timer, function() end)
if ok then
	local tmr = err
	ok, err = pcall(tmr.set, tmr, 0.01)
end
assert(not ok and err:find("too many tasks", 1, true), "eco.time timer: " .. tostring(err))

-- Once the sleepers are gone, tasks start again.
time.sleep(300)
local ran = false
task.fork(function() ran = true end)
time.sleep(0)
assert(ran, "no task started after the others finished")
print("limits ok")
