---@meta eco.internal.time
--- Clocks and timer descriptors under eco.time.

local M = {}

---@type integer
M.CLOCK_MONOTONIC = 1
---@type integer
M.CLOCK_REALTIME = 0
---@type integer
M.TFD_TIMER_ABSTIME = 1

--- Seconds since the epoch.
---@return number
function M.now() end
--- Seconds on clock id (CLOCK_MONOTONIC or CLOCK_REALTIME).
---@param id integer
---@return number
function M.clock(id) end
--- Pause the running task for delay seconds.
---@param delay number
function M.sleep(delay) end
--- A timerfd on clock id.
---@param id integer
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
