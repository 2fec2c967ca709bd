---@meta silly.metrics.gauge

---The module is a function: `gauge(name, help, labelnames)` defines
---a gauge: a value that goes up and down (inc, dec, add, sub, set). With labelnames the result is a family whose values
---are reached with :labels(...). The metric is not registered anywhere:
---add it to a silly.metrics.registry, or use silly.metrics.prometheus.

---Define a gauge.
---@param name string
---@param help string
---@param labelnames string[]?
---@return silly.metrics.metric
local function gauge(name, help, labelnames) end

return gauge
