-- eco.time for golua-ws: timers with lua-eco's fields and behaviour over
-- eco.internal.time's clocks (Go deadlines where lua-eco uses timerfds).
local itime = require 'eco.internal.time'
local eco = require 'eco'

local M = {
    CLOCK_MONOTONIC = itime.CLOCK_MONOTONIC,
    CLOCK_REALTIME = itime.CLOCK_REALTIME,
    TFD_TIMER_ABSTIME = itime.TFD_TIMER_ABSTIME,
    now = itime.now,
    sleep = itime.sleep,
    timerfd_create = itime.timerfd_create,
    timerfd_settime = itime.timerfd_settime,
}

local methods = {}
local mt = { __index = methods }

-- The waiter task of an armed timer: it reads the clock through self.rd
-- until the deadline, then calls the callback. A cancel that a later set
-- overrides sends it back to reading; any other read error ends it.
local function waiter(self)
    while true do
        local _, err = self.rd:read(8)
        if not err then
            self.waiting = nil
            self.canceled = nil
            return self.cb(self, table.unpack(self.args, 1, self.args.n))
        end
        if err ~= 'canceled' or self.canceled then
            self.waiting = nil
            self.canceled = nil
            return
        end
    end
end

-- Disarms the timer: its callback does not run until the next set.
function methods:cancel()
    if not self.clock then
        return
    end
    self.clock:disarm()
    self.canceled = true
    self.rd:cancel()
end

-- (Re)arms the timer delay seconds from now (for time.on timers: at that
-- CLOCK_REALTIME time). Returns true, or nil, 'closed'.
function methods:set(delay)
    assert(type(delay) == 'number', 'delay must be a number')
    assert(delay >= 0, 'delay must be non-negative')

    if delay == 0 then
        delay = 0.001
    end

    if not self.clock then
        return nil, 'closed'
    end

    self.clock:arm(delay, self.absolute)
    self.canceled = nil

    if self.waiting then
        return true
    end

    self.waiting = true
    eco.run(waiter, self)
    return true
end

-- Cancels the timer for good; idempotent.
function methods:close()
    if not self.clock then
        return
    end
    self:cancel()
    self.clock = nil
end

mt.__close = methods.close

local function new_timer(absolute, cb, ...)
    assert(type(cb) == 'function', 'callback must be a function')
    local clk = itime.clock()
    return setmetatable({
        clock = clk,
        rd = clk,
        absolute = absolute,
        cb = cb,
        args = table.pack(...),
    }, mt)
end

-- A disarmed timer that calls cb(tmr, ...) once per set.
function M.timer(cb, ...)
    return new_timer(false, cb, ...)
end

-- A timer armed delay seconds from now.
function M.at(delay, cb, ...)
    assert(type(delay) == 'number', 'delay must be a number')
    local tmr = new_timer(false, cb, ...)
    tmr:set(delay)
    return tmr
end

-- A timer armed for the CLOCK_REALTIME time ts (seconds since the epoch).
function M.on(ts, cb, ...)
    assert(type(ts) == 'number', 'timestamp must be a number')
    local tmr = new_timer(true, cb, ...)
    tmr:set(ts)
    return tmr
end

return M
