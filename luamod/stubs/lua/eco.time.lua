---@meta eco.time
--- Clocks, sleeping and timers.

---@class eco.time.timer
---@field cb fun(tmr: eco.time.timer, ...) the callback given to timer, on or at
local timer = {}

--- Arm (or re-arm) the timer to fire after delay seconds (an absolute time for timers from at).
---@param delay number
---@return boolean|nil ok
---@return string? err
function timer:set(delay) end

--- Disarm the timer.
function timer:cancel() end

--- Disarm and release the timer.
function timer:close() end

local M = {}

---@type integer
M.CLOCK_MONOTONIC = 1
---@type integer
M.CLOCK_REALTIME = 0
---@type integer
M.TFD_TIMER_ABSTIME = 1

--- Seconds since the epoch, with fractions.
---@return number
function M.now() end

--- Pause the running task for delay seconds.
---@param delay number
function M.sleep(delay) end

--- A timer that calls cb(tmr, ...) when it fires; not armed until set.
---@param cb fun(tmr: eco.time.timer, ...)
---@param ... any
---@return eco.time.timer
function M.timer(cb, ...) end

--- Call cb(tmr, ...) once after delay seconds.
---@param delay number
---@param cb fun(tmr: eco.time.timer, ...)
---@param ... any
---@return eco.time.timer|nil tmr
---@return string? err
function M.on(delay, cb, ...) end

--- Call cb(tmr, ...) at the absolute time ts (seconds since the epoch).
---@param ts number
---@param cb fun(tmr: eco.time.timer, ...)
---@param ... any
---@return eco.time.timer|nil tmr
---@return string? err
function M.at(ts, cb, ...) end

--- A timerfd on clock id (read it with eco.reader: 8 bytes, the expiration count).
---@param id integer CLOCK_MONOTONIC or CLOCK_REALTIME
---@return integer|nil fd
---@return string? err
function M.timerfd_create(id) end

--- Arm a timerfd to expire after value seconds (absolute with TFD_TIMER_ABSTIME), then every interval.
---@param fd integer
---@param flags integer
---@param value number
---@param interval? number
---@return boolean|nil ok
---@return string? err
function M.timerfd_settime(fd, flags, value, interval) end

return M
