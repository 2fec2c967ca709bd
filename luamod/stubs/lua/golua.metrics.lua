---@meta golua.metrics
--- Prometheus metrics defined by a script, exported on --metrics' /metrics endpoint (the same objects as silly.metrics.prometheus).

---@class golua.metrics.metric
---@field name string
---@field help string
---@field kind string "counter", "gauge" or "histogram"
---@field labelnames? string[]
---@field buckets? number[] histograms only
local Metric = {}

--- Add 1 (a gauge may also dec).
function Metric:inc() end
--- Subtract 1 (gauges only).
function Metric:dec() end
--- Add v (never negative on a counter).
---@param v number
function Metric:add(v) end
--- Subtract v (gauges only).
---@param v number
function Metric:sub(v) end
--- Set the value (gauges only).
---@param v number
function Metric:set(v) end
--- Record v in a histogram.
---@param v number
function Metric:observe(v) end
--- The child metric for these label values, in labelnames order.
---@param ... string
---@return golua.metrics.metric
function Metric:labels(...) end
--- Append this metric's samples to buf (registry collection).
---@param buf table
function Metric:collect(buf) end

---@class golua.metrics.registry
local Registry = {}

--- Add a metric (or a collector with a collect method).
---@param m golua.metrics.metric|table
function Registry:register(m) end
--- Remove a metric.
---@param m golua.metrics.metric|table
function Registry:unregister(m) end
--- Every metric's samples.
---@param buf? table
---@return table
function Registry:collect(buf) end

local M = {}

--- A counter (with labels when labelnames is given), registered in the default registry and on /metrics.
---@param name string
---@param help string
---@param labelnames? string[]
---@return golua.metrics.metric
function M.counter(name, help, labelnames) end

--- A gauge.
---@param name string
---@param help string
---@param labelnames? string[]
---@return golua.metrics.metric
function M.gauge(name, help, labelnames) end

--- A histogram with the given upper bounds.
---@param name string
---@param help string
---@param labelnames? string[]
---@param buckets? number[]
---@return golua.metrics.metric
function M.histogram(name, help, labelnames, buckets) end

--- The default registry.
---@return golua.metrics.registry
function M.registry() end

--- The Prometheus text exposition of registry (the default one when nil).
---@param registry? golua.metrics.registry
---@return string
function M.gather(registry) end

return M
