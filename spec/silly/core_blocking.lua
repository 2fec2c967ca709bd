-- Spec: blocking silly calls work inside pcall, xpcall, a generic-for
-- iterator, an __index metamethod and Lua's own coroutines. Run with
-- --fatal-errors.
local task = require "silly.task"
local time = require "silly.time"
local channel = require "silly.sync.channel"

local ch = channel.new()
task.fork(function()
    for i = 1, 7 do time.sleep(1); ch:push(i) end
end)

local ok, v = pcall(function() time.sleep(1); return ch:pop() end)
assert(ok and v == 1, 'pcall')

local ok2, v2 = xpcall(function() time.sleep(1); return ch:pop() end, debug.traceback)
assert(ok2 and v2 == 2, 'xpcall')

local seen = {}
local function iter(_, i)
    if i >= 2 then return nil end
    time.sleep(1)
    return i + 1, ch:pop()
end
for i, x in iter, nil, 0 do seen[i] = x end
assert(seen[1] == 3 and seen[2] == 4, 'iterator')

local lazy = setmetatable({}, { __index = function(_, k)
    time.sleep(1)
    return k .. ch:pop()
end })
assert(lazy.key == 'key5', '__index')

local gen = coroutine.wrap(function()
    time.sleep(1)
    coroutine.yield(ch:pop())
    coroutine.yield('second')
end)
assert(gen() == 6 and gen() == 'second', 'coroutine.wrap')
local co = coroutine.create(function(a)
    local b = coroutine.yield(a + ch:pop())
    time.sleep(1)
    return b * 2
end)
local r1, x1 = coroutine.resume(co, 10)
assert(r1 and x1 == 17, 'coroutine.resume')
local r2, x2 = coroutine.resume(co, 21)
assert(r2 and x2 == 42)

-- task.wait inside pcall inside a coroutine.
local waiter
local wres
waiter = task.fork(function()
    local c = coroutine.wrap(function()
        local okw, val = pcall(task.wait)
        wres = okw and val
    end)
    c()
end)
time.sleep(0)
assert(task.status(waiter) == 'WAIT')
task.wakeup(waiter, 'deep')
time.sleep(0)
assert(wres == 'deep')

-- Inside a forked task: a coroutine sleeps inside pcall and yields
-- across it, a generator sleeps for every item, while other tasks run.
local finished = channel.new()
task.fork(function()
    local ticks = 0
    task.fork(function() for _ = 1, 5 do ticks = ticks + 1; time.sleep(1) end end)
    local c = coroutine.create(function()
        local okp, got = pcall(function()
            time.sleep(2)
            local x = coroutine.yield('in pcall')
            time.sleep(1)
            return x
        end)
        return okp, got
    end)
    local a, b = coroutine.resume(c)
    assert(a and b == 'in pcall', 'yield across pcall in a task')
    assert(ticks > 0, 'other tasks ran while the coroutine slept')
    local a2, okp, got = coroutine.resume(c, 'back')
    assert(a2 and okp and got == 'back', 'resume after sleeping in pcall')
    local sum = 0
    for v in coroutine.wrap(function() for i = 1, 4 do time.sleep(2); coroutine.yield(i) end end) do
        sum = sum + v
    end
    assert(sum == 10, 'generator that sleeps')
    local me, ismain = coroutine.running()
    assert(type(me) == 'thread' and not ismain and coroutine.isyieldable(), 'running in a task')
    assert(task.running() == me, 'task.running in a task')
    local inner = coroutine.wrap(function() return task.running() end)
    assert(inner() == me, 'task.running inside a coroutine is the task')
    finished:push(true)
end)
assert(finished:pop() == true)

-- A caught error after blocking leaves the caller's closures attached to
-- their locals, and closures made inside the failed call keep their values
-- while other tasks run (issue #12, bug 1).
do
    local a
    local function use() return a end
    local saved = {}
    pcall(function()
        local v = 'inside pcall'
        saved[1] = function() return v end
        time.sleep(1)
        error('x')
    end)
    xpcall(function(...)
        local v = 'inside xpcall'
        saved[2] = function() return v end
        time.sleep(1)
        string.rep()
    end, function(m) time.sleep(1) return m end, 1, 2)
    a = 5
    assert(use() == 5, 'caller upvalue after a caught error')
    local function clobber(p, q, r, s) local x, y, z = 'junk', 'junk', 'junk' return x end
    clobber(1, 2, 3, 4)
    assert(saved[1]() == 'inside pcall', 'closure made inside a failed pcall')
    assert(saved[2]() == 'inside xpcall', 'closure made inside a failed xpcall')
end

print('core_blocking ok')
