---@meta silly.sync.mutex

---Keyed mutex for tasks; the same task may re-lock a key it holds.
---@class silly.sync.mutex
local M = {}

---@class silly.sync.mutex.lock
local lock = {}

---Release one level of the lock (a second call does nothing); at zero the next waiter (FIFO) gets it.
---A lock held in a `<close>` variable is released when it goes out of scope.
function lock:unlock() end

---A new mutex.
---@return silly.sync.mutex
function M.new() end

---Lock `key` (not nil), suspending while another task holds it.
---@param m silly.sync.mutex
---@param key any
---@return silly.sync.mutex.lock
function M.lock(m, key) end

return M
