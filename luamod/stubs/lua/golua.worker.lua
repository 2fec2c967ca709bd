---@meta golua.worker
--- Which worker process this is, when golua-ws runs with --workers N.

local M = {}

--- This worker's number, 1 to count.
---@type integer
M.id = 1

--- How many workers run the script.
---@type integer
M.count = 1

return M
