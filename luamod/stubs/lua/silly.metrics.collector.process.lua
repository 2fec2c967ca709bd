---@meta silly.metrics.collector.process

---A collector of process figures read from silly.metrics.c when collected:
---user and system CPU seconds (counters), resident and heap bytes (gauges).
---@class silly.metrics.collector.process
local M = {}

---@class silly.metrics.collector.process.c
---@field name string "Process"
local collector = {}

---Append the four process metrics to `buf`.
---@param buf table
function collector:collect(buf) end

---A new process collector (register it in a registry).
---@return silly.metrics.collector.process.c
function M.new() end

return M
