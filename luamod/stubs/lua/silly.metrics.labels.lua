---@meta silly.metrics.labels

---Label formatting for the Prometheus text format.
---@class silly.metrics.labels
local M = {}

---The label part of a sample, name="value",... ("" without values). `cache`
---is accepted for silly's signature and not needed here.
---@param cache table?
---@param names string[]
---@param values (string|number)[]
---@return string
function M.key(cache, names, values) end

return M
