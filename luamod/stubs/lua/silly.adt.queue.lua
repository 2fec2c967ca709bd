---@meta silly.adt.queue

---A FIFO queue of Lua values.
---@class silly.adt.queue
local M = {}

---@class silly.adt.queue.q

---A new, empty queue.
---@return silly.adt.queue.q
function M.new() end

---Append the values at the back; returns the new length.
---@param q silly.adt.queue.q
---@param ... any
---@return integer size
function M.push(q, ...) end

---Remove and return the front value (nil when empty).
---@param q silly.adt.queue.q
---@return any
function M.pop(q) end

---Number of queued values.
---@param q silly.adt.queue.q
---@return integer
function M.size(q) end

---Drop every value.
---@param q silly.adt.queue.q
function M.clear(q) end

return M
