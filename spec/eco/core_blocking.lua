-- Spec: blocking eco calls work inside pcall, xpcall, a generic-for
-- iterator, an __index metamethod and Lua's own coroutines (DESIGN.md,
-- "The scheduler"). Run with --fatal-errors.
local eco = require 'eco'
local channel = require 'eco.channel'

local ch = channel.new(1)
eco.run(function()
    for i = 1, 7 do ch:send(i) end
end)

-- pcall
local ok, v = pcall(function()
    eco.sleep(0.001)
    return ch:recv()
end)
assert(ok and v == 1, 'pcall')

-- pcall that fails after blocking still reports the error
local ok2, err2 = pcall(function()
    eco.sleep(0.001)
    error('after sleep')
end)
assert(not ok2 and tostring(err2):find('after sleep', 1, true))

-- xpcall
local ok3, v3 = xpcall(function()
    eco.sleep(0.001)
    return ch:recv()
end, debug.traceback)
assert(ok3 and v3 == 2, 'xpcall')

-- generic-for iterator that blocks
local seen = {}
local function iter(_, i)
    if i >= 2 then return nil end
    eco.sleep(0.001)
    return i + 1, ch:recv()
end
for i, x in iter, nil, 0 do seen[i] = x end
assert(seen[1] == 3 and seen[2] == 4, 'iterator')

-- __index metamethod that blocks
local lazy = setmetatable({}, { __index = function(_, k)
    eco.sleep(0.001)
    return k .. ch:recv()
end })
assert(lazy.key == 'key5', '__index')

-- coroutine.wrap and coroutine.resume
local gen = coroutine.wrap(function()
    eco.sleep(0.001)
    coroutine.yield(ch:recv())
    eco.sleep(0.001)
    coroutine.yield('second')
end)
assert(gen() == 6, 'coroutine.wrap')
assert(gen() == 'second')
local co = coroutine.create(function(a)
    eco.sleep(0.001)
    local b = coroutine.yield(a + ch:recv())
    eco.sleep(0.001)
    return b * 2
end)
local r1, x1 = coroutine.resume(co, 10)
assert(r1 and x1 == 17, 'coroutine.resume ' .. tostring(x1))
local r2, x2 = coroutine.resume(co, 21)
assert(r2 and x2 == 42)
assert(coroutine.status(co) == 'dead')

-- Other tasks keep running while one blocks inside pcall.
local ticks = 0
eco.run(function() for _ = 1, 3 do ticks = ticks + 1; eco.sleep(0) end end)
pcall(eco.sleep, 0.01)
assert(ticks == 3, 'other tasks ran while main blocked inside pcall')

-- Inside an eco.run task: a coroutine sleeps inside pcall and yields
-- across it, a generator sleeps for every item, while other tasks run.
local done = channel.new(1)
eco.run(function()
    local ticks2 = 0
    eco.run(function() for _ = 1, 5 do eco.sleep(0.001); ticks2 = ticks2 + 1 end end)
    local c = coroutine.create(function()
        local okp, got = pcall(function()
            -- Sleep until the other task has ticked (bounded): how soon it
            -- gets the VM after its timer fires is up to a loaded machine.
            for _ = 1, 2000 do
                eco.sleep(0.001)
                if ticks2 > 0 then break end
            end
            local x = coroutine.yield('in pcall')
            eco.sleep(0.001)
            return x
        end)
        return okp, got
    end)
    local a, b = coroutine.resume(c)
    assert(a and b == 'in pcall', 'yield across pcall in a task')
    assert(ticks2 > 0, 'other tasks ran while the coroutine slept')
    local a2, okp, got = coroutine.resume(c, 'back')
    assert(a2 and okp and got == 'back', 'resume after sleeping in pcall')
    local sum = 0
    for v in coroutine.wrap(function() for i = 1, 4 do eco.sleep(0.001); coroutine.yield(i) end end) do
        sum = sum + v
    end
    assert(sum == 10, 'generator that sleeps')
    local me, ismain = coroutine.running()
    assert(type(me) == 'thread' and not ismain and coroutine.isyieldable(), 'running in eco.run')
    done:send(true)
end)
assert(done:recv() == true)
assert(select(2, coroutine.running()) == true, 'the main chunk runs on the main thread')

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
        eco.sleep(0.001)
        error('x')
    end)
    xpcall(function(...)
        local v = 'inside xpcall'
        saved[2] = function() return v end
        eco.sleep(0.001)
        string.rep()
    end, function(m) eco.sleep(0.001) return m end, 1, 2)
    a = 5
    assert(use() == 5, 'caller upvalue after a caught error')
    local function clobber(p, q, r, s) local x, y, z = 'junk', 'junk', 'junk' return x end
    clobber(1, 2, 3, 4)
    assert(saved[1]() == 'inside pcall', 'closure made inside a failed pcall')
    assert(saved[2]() == 'inside xpcall', 'closure made inside a failed xpcall')
end

print('core_blocking ok')
