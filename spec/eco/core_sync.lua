-- Spec: eco.sync cond, mutex, waitgroup (eco-api.md §2.2). Run with
-- --fatal-errors.
local eco = require 'eco'
local sync = require 'eco.sync'

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

-- cond: signal with data, falsy data arrives as true, timeout.
local c = sync.cond()
assert(c:signal('nobody') == false, 'signal without waiters is false')
local seen = {}
eco.run(function()
    seen[1] = { c:wait(1) }
    seen[2] = { c:wait(1) }
    seen[3] = { c:wait(0.02) }
    seen[4] = { c:wait(0) }   -- 0 expires at once
    seen[5] = { c:wait(-1) }  -- so does a negative timeout
end)
assert(c:signal('payload') == true)
eco.sleep(0)
assert(c:signal(false) == true)
eco.sleep(0.06)
assert(seen[1][1] == 'payload' and seen[1][2] == nil)
assert(seen[2][1] == true)
assert(seen[3][1] == nil and seen[3][2] == 'timeout')
assert(seen[4][1] == nil and seen[4][2] == 'timeout')
assert(seen[5][1] == nil and seen[5][2] == 'timeout')

-- broadcast wakes all and returns the count.
local bc = sync.cond()
local woken = 0
for _ = 1, 24 do
    eco.run(function()
        assert(bc:wait() == true)
        woken = woken + 1
    end)
end
assert(bc:broadcast() == 24)
eco.sleep(0)
assert(woken == 24, 'woken ' .. woken)
assert(bc:broadcast() == 0)

-- close wakes every waiter with nil, 'closed'; idempotent; later calls.
local cc = sync.cond()
local closed = 0
for _ = 1, 12 do
    eco.run(function()
        local v, err = cc:wait(1)
        assert(v == nil and err == 'closed', tostring(err))
        closed = closed + 1
    end)
end
cc:close()
cc:close()
eco.sleep(0)
assert(closed == 12, 'closed ' .. closed)
assert(cc:signal('late') == false and cc:broadcast() == 0)
local v, err = cc:wait(0.01)
assert(v == nil and err == 'closed')

-- mutex: exclusion, timeout, handoff, unlock of unlocked mutex.
local m = sync.mutex()
eco.run(function()
    assert(m:lock() == true)
    eco.sleep(0.05)
    m:unlock()
end)
local ok, lerr = m:lock(0.01)
assert(ok == nil and lerr == 'timeout')
ok, lerr = m:lock(0)
assert(ok == nil and lerr == 'timeout', 'lock(0) on a held mutex expires at once')
assert(m:lock(1) == true)
m:unlock()
assert(errmsg(m.unlock, m):find('unlock of unlocked mutex', 1, true))

-- 16 x 100 contention with a yield inside the critical section.
local total, inside, finished = 0, 0, 0
for _ = 1, 16 do
    eco.run(function()
        for _ = 1, 100 do
            assert(m:lock())
            inside = inside + 1
            assert(inside == 1, 'two tasks inside the mutex')
            total = total + 1
            eco.sleep(0)
            inside = inside - 1
            m:unlock()
        end
        finished = finished + 1
    end)
end
while finished < 16 do eco.sleep(0.005) end
assert(total == 1600)

-- waitgroup.
local wg = sync.waitgroup()
assert(wg:wait(0.01) == true, 'zero counter returns at once')
wg:add(3)
for i = 1, 3 do
    eco.run(function()
        eco.sleep(0.005 * i)
        wg:done()
    end)
end
assert(wg:wait(1) == true)
assert(errmsg(wg.add, wg, -1):find('negative waitgroup counter', 1, true))
assert(errmsg(wg.done, wg):find('negative wait group counter', 1, true))
wg:add(1)
local wok, werr = wg:wait(0.02)
assert(wok == nil and werr == 'timeout')
wok, werr = wg:wait(0)
assert(wok == nil and werr == 'timeout')
wg:done()
assert(wg:wait() == true)

-- A waiter whose timeout expired while the token was busy still gets a
-- signal sent by a task that was queued before the expiry was handled.
do
    local m = sync.mutex()
    assert(m:lock())
    local result
    eco.run(function()
        result = { m:lock(0.001) }
        if result[1] then m:unlock() end
    end)
    local unlocker = eco.run(function()
        coroutine.yield()
        m:unlock()
    end)
    local busy_until = os.clock() + 0.01
    while os.clock() < busy_until do end -- the waiter's timeout passes here
    eco._resume(unlocker)
    eco.sleep(0.02)
    assert(result and result[1] == true, 'the queued unlock did not hand the mutex over')
    assert(m:lock(0) == true, 'the mutex was left with a phantom owner')
    m:unlock()
    -- Without anyone to signal, the timeout still stands.
    local c = sync.cond()
    local r = { c:wait(0.001) }
    assert(r[1] == nil and r[2] == 'timeout')
end

print('core_sync ok')
