---@meta silly.metrics.histogram

---The module is a function: `histogram(name, help, labelnames, buckets)` defines
---a histogram: observations counted into buckets (observe). With labelnames the result is a family whose values
---are reached with :labels(...). The metric is not registered anywhere:
---add it to a silly.metrics.registry, or use silly.metrics.prometheus.

---Define a histogram.
---@param name string
---@param help string
---@param labelnames string[]?
---@param buckets number[]? upper bounds, ascending
---@return silly.metrics.metric
local function histogram(name, help, labelnames, buckets) end

return histogram
