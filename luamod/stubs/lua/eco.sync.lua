---@meta eco.sync
--- Synchronisation between tasks: mutex, condition variable, wait group.

---@class eco.sync.mutex
local mutex = {}

--- Lock, waiting at most timeout seconds.
---@param timeout? number seconds
---@return boolean|nil ok
---@return string? err "timeout"
function mutex:lock(timeout) end

--- Unlock, waking the next waiter.
function mutex:unlock() end

---@class eco.sync.cond
local cond = {}

--- Wait for a signal; returns the signal's data (or true).
---@param timeout? number seconds
---@return any|nil data
---@return string? err "timeout" or "closed"
function cond:wait(timeout) end

--- Wake one waiter, passing data.
---@param data? any
---@return boolean woken
function cond:signal(data) end

--- Wake every waiter.
---@return integer n
function cond:broadcast() end

--- Close: every waiter gets nil, "closed".
function cond:close() end

---@class eco.sync.waitgroup
local waitgroup = {}

--- Add delta to the counter.
---@param delta integer
function waitgroup:add(delta) end

--- Decrement the counter by one.
function waitgroup:done() end

--- Wait until the counter is zero.
---@param timeout? number seconds
---@return boolean|nil ok
---@return string? err "timeout"
function waitgroup:wait(timeout) end

local M = {}

--- A new mutex.
---@return eco.sync.mutex
function M.mutex() end

--- A new condition variable.
---@return eco.sync.cond
function M.cond() end

--- A new wait group.
---@return eco.sync.waitgroup
function M.waitgroup() end

return M
