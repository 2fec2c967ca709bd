---@meta silly.time

---Clocks, sleep and timers.
---@class silly.time
local M = {}

---Wall-clock time in milliseconds since the epoch.
---@return integer
function M.now() end

---Monotonic milliseconds since the runtime started.
---@return integer
function M.monotonic() end

---Suspend the running task for `ms` milliseconds (task.wakeup cannot end it; 0 lets ready tasks run).
---@param ms integer
function M.sleep(ms) end

---Run `fn(ud)` (or `fn(session)` when ud is nil/false) in a new task after `ms` milliseconds.
---@param ms integer
---@param fn fun(ud:any)
---@param ud any
---@return integer session for cancel
function M.after(ms, fn, ud) end

---Cancel a timer from after so its callback never runs; unknown or fired sessions are ignored.
---@param session integer
function M.cancel(session) end

return M
