---@meta silly.sync.waitgroup

---Wait for a group of tasks to finish.
---@class silly.sync.waitgroup
local M = {}

---A new, empty group.
---@return silly.sync.waitgroup
function M.new() end

---Run `fn` in a new task counted by the group; an error in it is logged and still counts as done.
---@param wg silly.sync.waitgroup
---@param fn fun()
---@return thread
function M.fork(wg, fn) end

---Suspend until every forked task has finished (at once if none runs); one waiter at a time.
---@param wg silly.sync.waitgroup
function M.wait(wg) end

return M
