---@meta silly.signal.c

---Low-level signal watching under silly.signal.
---@class silly.signal.c
local M = {}

---Message type of a signal delivery.
M.FIRE = 0

---Signal names to numbers and numbers to names.
---@return table<string|integer,integer|string>
function M.signalmap() end

---Watch signal `signum`; returns nil, or why it cannot be watched.
---@param signum integer
---@return string? err
function M.signal(signum) end

return M
