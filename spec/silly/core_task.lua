-- Spec: silly.task (silly-api.md §1.5, test/testtask.lua). Run with
-- --fatal-errors.
local task = require "silly.task"
local time = require "silly.time"

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

-- fork queues: the task has not run when fork returns; ud is the only arg.
local ran, args = false, nil
local co = task.fork(function(...) ran = true; args = { n = select('#', ...), ... } end, 'ud')
assert(type(co) == 'thread')
assert(not ran, 'fork does not run the task at once')
assert(task.status(co) == 'READY')
assert(task.readycount() == 1, 'readycount ' .. task.readycount())
time.sleep(0)
assert(ran and args.n == 1 and args[1] == 'ud')
assert(task.status(co) == nil, 'status cleared after completion')
assert(task.readycount() == 0)
local nilud
task.fork(function(...) nilud = { n = select('#', ...), ... } end)
time.sleep(0)
assert(nilud.n == 1 and nilud[1] == nil, 'fork without ud passes nil')

-- Pool reuse: a finished task's thread serves the next fork.
local co2 = task.fork(function() end)
assert(co2 == co, 'coroutine pool reuse')
time.sleep(0)

-- Fork order is FIFO, and after the forker yields.
local order = {}
for i = 1, 5 do task.fork(function() order[#order + 1] = i end) end
assert(task.readycount() == 5)
order[#order + 1] = 'main'
time.sleep(0)
assert(table.concat(order, ' ') == 'main 1 2 3 4 5', table.concat(order, ' '))
assert(task.readycount() == 0)

-- Statuses: READY, RUN inside, WAIT in wait, READY after wakeup, RUN
-- again, nil when finished; running() is the task's thread.
local w
local inside = {}
w = task.fork(function()
    inside[#inside + 1] = task.status(w)
    assert(task.running() == w)
    local v = task.wait()
    inside[#inside + 1] = task.status(w)
    inside[#inside + 1] = v
end)
assert(task.status(w) == 'READY')
time.sleep(0)
assert(task.status(w) == 'WAIT')
task.wakeup(w, 'test_value')
assert(task.status(w) == 'READY')
time.sleep(0)
assert(inside[1] == 'RUN' and inside[2] == 'RUN' and inside[3] == 'test_value')
assert(task.status(w) == nil)

-- The main chunk is a RUN task too.
assert(task.status(task.running()) == 'RUN')

-- Multiple wait/wakeup rounds, and any value type passes through.
local results = {}
local m = task.fork(function()
    for i = 1, 4 do results[i] = task.wait() end
end)
time.sleep(0)
local tbl = { a = 1 }
for i, v in ipairs({ 'a', 42, true, tbl }) do
    assert(task.status(m) == 'WAIT')
    task.wakeup(m, v)
    time.sleep(0)
    assert(results[i] == v, 'value ' .. i)
end
local nilv = 'unset'
local nv = task.fork(function() nilv = task.wait() end)
time.sleep(0)
task.wakeup(nv)
time.sleep(0)
assert(nilv == nil, 'wakeup without a value gives nil')

-- wakeup on a finished, READY, RUN or sleeping task raises "BUG".
local done = task.fork(function() end)
time.sleep(0)
assert(errmsg(task.wakeup, done):find('BUG: wakeup on task stat:nil', 1, true))
local ready = task.fork(function() task.wait() end)
assert(errmsg(task.wakeup, ready, 1):find('BUG: wakeup on task stat:READY', 1, true))
time.sleep(0)
task.wakeup(ready)
local runerr
local runner
runner = task.fork(function() runerr = errmsg(task.wakeup, runner) end)
time.sleep(0)
assert(runerr:find('BUG: wakeup on task stat:RUN', 1, true))
local sleeper = task.fork(function() time.sleep(20) end)
time.sleep(0)
assert(task.status(sleeper) == 'RUN', 'time.sleep keeps RUN')
assert(errmsg(task.wakeup, sleeper):find('BUG: wakeup on task stat:RUN', 1, true))
assert(errmsg(task.wakeup, 'not a thread'):find('BUG: wakeup on task stat:nil', 1, true))
time.sleep(30)

-- Ten waiting tasks all woken.
local count = 0
local ws = {}
for i = 1, 10 do ws[i] = task.fork(function() local v = task.wait(); count = count + v end) end
time.sleep(0)
for i = 1, 10 do assert(task.status(ws[i]) == 'WAIT') end
for i = 1, 10 do task.wakeup(ws[i], 1) end
time.sleep(0)
assert(count == 10)

-- inspect lists live tasks with status and traceback.
local iw = task.fork(function() task.wait() end)
time.sleep(0)
local info = task.inspect()
assert(info[iw] and info[iw].status == 'WAIT', 'inspect status')
assert(type(info[iw].traceback) == 'string' and info[iw].traceback:find('stack traceback', 1, true))
assert(info[task.running()].status == 'RUN')
task.wakeup(iw)
time.sleep(0)
assert(task.inspect()[iw] == nil)

print('core_task ok')
