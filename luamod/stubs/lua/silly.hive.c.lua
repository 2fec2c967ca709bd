---@meta silly.hive.c

---The primitives under silly.hive (the same functions): bees are separate Lua VMs whose function runs
---on a goroutine pool while the calling task waits. Values cross by copy.
---@class silly.hive.c
local M = {}

---@class silly.hive.worker

---Set the pool's minimum and maximum thread counts.
---@param min integer
---@param max integer
function M.limit(min, max) end

---Number of pool threads.
---@return integer
function M.threads() end

---Create a bee: run Lua source `code` with the arguments in a new VM; the function it returns is the bee's work.
---@param code string
---@param ... any
---@return silly.hive.worker
function M.spawn(code, ...) end

---Stop idle pool threads above the minimum.
function M.prune() end

---Run the bee's function with the arguments on the pool, suspending the task; an error in the bee is raised here.
---@param worker silly.hive.worker
---@param ... any
---@return any ...
function M.invoke(worker, ...) end

return M
