-- Spec: eco.time (eco-api.md §2.1). Run with --fatal-errors.
local eco = require 'eco'
local time = require 'eco.time'

local function errmsg(f, ...)
    local ok, err = pcall(f, ...)
    assert(not ok, 'expected an error')
    return tostring(err)
end

assert(time.CLOCK_REALTIME == 0 and time.CLOCK_MONOTONIC == 1 and time.TFD_TIMER_ABSTIME == 1)

-- now(): epoch seconds with sub-second precision; the monotonic clock
-- advances during a sleep; an unknown clock gives nil, err.
local t0 = time.now()
assert(math.abs(t0 - os.time()) <= 1, 'now() close to os.time()')
local m0 = time.now(time.CLOCK_MONOTONIC)
time.sleep(0.02) -- the sleep alias
local dm = time.now(time.CLOCK_MONOTONIC) - m0
assert(dm >= 0.015 and dm < 1, 'monotonic elapsed ' .. dm)
local v, err = time.now(-1)
assert(v == nil and type(err) == 'string')

-- Argument checks.
assert(errmsg(time.timer, 1):find('function', 1, true))
assert(errmsg(time.at, '0.01', function() end):find('number', 1, true))
assert(errmsg(time.at, 0.01, 1):find('function', 1, true))
assert(errmsg(time.on, '0', function() end):find('number', 1, true))
assert(errmsg(time.on, time.now(), 1):find('function', 1, true))
assert(errmsg(time.at, -1, function() end):find('delay must be non-negative', 1, true))

-- Callback arguments: (tmr, ...); a timer fires once per set.
local calls = 0
local tmr
tmr = time.timer(function(self, a, b)
    assert(self == tmr and a == 'hello' and b == 7)
    calls = calls + 1
end, 'hello', 7)
eco.sleep(0.02)
assert(calls == 0, 'a new timer is disarmed')
assert(tmr:set(0.01) == true)
eco.sleep(0.05)
assert(calls == 1, 'calls ' .. calls)

-- Re-arm from inside the callback.
local rearm = 0
time.at(0.005, function(self)
    rearm = rearm + 1
    if rearm < 3 then assert(self:set(0.005)) end
end)
eco.sleep(0.1)
assert(rearm == 3, 'rearm ' .. rearm)

-- Absolute time.
local on_fired = false
assert(time.on(time.now() + 0.02, function() on_fired = true end))
eco.sleep(0.06)
assert(on_fired, 'time.on fired')

-- cancel suppresses the callback; set after cancel fires again.
local cancelled = false
local ct = time.at(0.03, function() cancelled = true end)
ct:cancel()
eco.sleep(0.05)
assert(not cancelled, 'cancelled timer did not fire')
ct:set(0.01)
eco.sleep(0.04)
assert(cancelled, 'set after cancel fires')

-- Reset while pending: the new delay wins, one callback.
local resets = 0
local rt = time.at(0.5, function() resets = resets + 1 end)
eco.sleep(0.01)
rt:set(0.01)
for _ = 1, 100 do -- bounded: a loaded machine can be slow to run it
    if resets > 0 then break end
    eco.sleep(0.01)
end
assert(resets == 1, 'reset fired once ' .. resets)

-- set while the callback is still running (blocked) fires again.
local entered = 0
local yt
yt = time.timer(function()
    entered = entered + 1
    if entered == 1 then eco.sleep(0.2) end
end)
yt:set(0.005)
eco.sleep(0.02)
assert(entered == 1)
yt:set(0.005)
eco.sleep(0.05)
assert(entered == 2, 'fired again while the first callback sleeps: ' .. entered)
yt:close()

-- close is idempotent, cancels, and set afterwards returns nil, 'closed'.
local closed_fired = false
local cl = time.at(0.02, function() closed_fired = true end)
cl:close()
cl:close()
eco.sleep(0.04)
assert(not closed_fired)
local ok, cerr = cl:set(0.01)
assert(ok == nil and cerr == 'closed')
assert(errmsg(cl.set, cl, -1):find('delay must be non-negative', 1, true))
assert(errmsg(cl.set, cl, 'x'):find('delay must be a number', 1, true))

-- A set(0) timer fires after the caller yields, not inside set.
local zero = false
time.at(0, function() zero = true end)
assert(not zero)
eco.sleep(0.02)
assert(zero)

-- timerfd_create/timerfd_settime: raw timerfds, errors as nil, strerror.
do
    local fd, err = time.timerfd_create(-1)
    assert(fd == nil and err == 'Invalid argument', err)
    fd = assert(time.timerfd_create(time.CLOCK_MONOTONIC))
    assert(math.type(fd) == 'integer' and fd > 2)
    assert(time.timerfd_settime(fd, 0, 0.01) == true)
    assert(time.timerfd_settime(fd, 0, 0.5, 0.25) == true)
    assert(time.timerfd_settime(fd, 0, 0) == true) -- disarm
    local ok
    ok, err = time.timerfd_settime(fd, 0xff, 1)
    assert(ok == nil and err == 'Invalid argument', err)
    ok, err = time.timerfd_settime(0x7ffffff, 0, 1)
    assert(ok == nil and err == 'Bad file descriptor', err)
    -- An absolute CLOCK_REALTIME deadline is accepted too.
    local rfd = assert(time.timerfd_create(time.CLOCK_REALTIME))
    assert(time.timerfd_settime(rfd, time.TFD_TIMER_ABSTIME, time.now() + 0.01) == true)
    -- It is a real timerfd: eco.reader reads its 8-byte expiration count.
    local rd = eco.reader(rfd)
    local count = assert(rd:read(8, 1))
    assert(string.unpack('<I8', count) == 1)
    local file = require 'eco.internal.file'
    assert(file.close(fd) == true and file.close(rfd) == true)
    ok, err = file.close(fd)
    assert(ok == nil and err == 'Bad file descriptor', err)
end

print('core_time ok')
