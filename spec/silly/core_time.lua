-- Spec: silly.time (silly-api.md §1.7, test/testtimer.lua). Run with
-- --fatal-errors.
local time = require "silly.time"
local task = require "silly.task"

-- waitfor sleeps in 10 ms steps until pred() holds, for at most 2 s: a
-- timer that should have fired gets that long on a loaded machine.
local function waitfor(pred)
    for _ = 1, 200 do
        if pred() then return true end
        time.sleep(10)
    end
    return pred()
end

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

-- now: wall-clock ms; monotonic: ms since start.
local now = time.now()
assert(math.abs(now / 1000 - os.time()) <= 2, 'now is wall-clock ms')
local m0 = time.monotonic()
assert(m0 >= 0 and m0 < 60000)
time.sleep(20)
local dm = time.monotonic() - m0
assert(dm >= 15 and dm < 2000, 'monotonic advanced ' .. dm)

-- sleep argument rules.
assert(errmsg(time.sleep, 1.5):find('number has no integer representation', 1, true))
assert(errmsg(time.sleep, 'x'):find('number expected', 1, true))
assert(errmsg(time.sleep, 2 ^ 32):find('expire too large', 1, true))
local t0 = time.monotonic()
time.sleep(-5) -- counts as 0
assert(time.monotonic() - t0 < 1000)

-- sleep(0) lets the ready tasks run first.
local order = {}
task.fork(function() order[#order + 1] = 'forked' end)
time.sleep(0)
order[#order + 1] = 'main'
assert(table.concat(order, ' ') == 'forked main')

-- after: fn(ud), or fn(session) when ud is nil or false.
local got = {}
local s1 = time.after(5, function(v) got.ud = v end, 'userdata')
local s2 = time.after(5, function(v) got.session = v end)
local s3 = time.after(5, function(v) got.falseud = v end, false)
assert(type(s1) == 'number' and s1 ~= s2 and s2 ~= s3)
waitfor(function() return got.ud and got.session and got.falseud end)
assert(got.ud == 'userdata')
assert(got.session == s2, 'callback gets the session')
assert(got.falseud == s3, 'false ud counts as absent')

-- The callback runs in a new task, which may block.
local cb_done = false
time.after(1, function() time.sleep(5); cb_done = true end)
assert(waitfor(function() return cb_done end))

-- cancel before firing; cancel twice; cancel of an unknown or fired session.
local fired = false
local s = time.after(10, function() fired = true end)
time.cancel(s)
time.cancel(s)
time.cancel(123456789)
time.cancel(s1)
time.sleep(30)
assert(not fired, 'cancelled timer did not fire')
-- Cancel of a 0 ms timer before it fires.
local zero = false
time.cancel(time.after(0, function() zero = true end))
time.sleep(20)
assert(not zero)

-- Negative and zero delays fire.
local neg, z = false, false
time.after(-10, function() neg = true end)
time.after(0, function() z = true end)
assert(waitfor(function() return neg and z end))

-- Sessions: a cancelled session's slot is reused with a new version, so
-- the old session never matches.
local old = time.after(1000, function() end)
time.cancel(old)
local fresh_fired = false
local fresh
for _ = 1, 200 do
    fresh = time.after(5, function() fresh_fired = true end)
    if fresh % 4294967296 == old % 4294967296 then break end
    time.cancel(fresh)
end
assert(fresh % 4294967296 == old % 4294967296, 'cookie reused')
assert(fresh ~= old, 'version bumped on reuse')
time.cancel(old) -- stale: must not cancel the new timer
assert(waitfor(function() return fresh_fired end), 'stale session did not cancel the reused slot')

-- 1000 timers allocated and cancelled.
for _ = 1, 1000 do time.cancel(time.after(100, function() error('cancelled') end)) end
time.sleep(0)

print('core_time ok')
