---@meta eco.time
--- Clocks, sleeping and timers.

---@class eco.time.timer
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

return M
