---@meta silly.metrics.prometheus

---Metrics in the runtime's default registry, and their Prometheus text
---exposition. Defining a name again returns the same metric.
---@class silly.metrics.prometheus
local M = {}

---Define (or get) a counter in the default registry.
---@param name string
---@param help string
---@param labelnames string[]?
---@return silly.metrics.metric
function M.counter(name, help, labelnames) end

---Define (or get) a gauge in the default registry.
---@param name string
---@param help string
---@param labelnames string[]?
---@return silly.metrics.metric
function M.gauge(name, help, labelnames) end

---Define (or get) a histogram in the default registry.
---@param name string
---@param help string
---@param labelnames string[]?
---@param buckets number[]?
---@return silly.metrics.metric
function M.histogram(name, help, labelnames, buckets) end

---The default registry.
---@return silly.metrics.registry.r
function M.registry() end

---The Prometheus text exposition of what `registry` (default: the default registry) collects;
---entries that are not metrics of these modules are skipped.
---@param registry silly.metrics.registry.r?
---@return string
function M.gather(registry) end

return M
