---@meta silly.metrics.counter

---The module is a function: `counter(name, help, labelnames)` defines
---a counter: a value that only grows (inc, add). With labelnames the result is a family whose values
---are reached with :labels(...). The metric is not registered anywhere:
---add it to a silly.metrics.registry, or use silly.metrics.prometheus.

---@class silly.metrics.metric
---@field name string
---@field help string
---@field kind "counter"|"gauge"|"histogram"
---@field labelnames string[]?
---@field buckets number[]? histograms only
local metric = {}

---Add 1 (counters and gauges).
function metric:inc() end

---Subtract 1 (gauges only).
function metric:dec() end

---Add `v` (a counter only takes v >= 0).
---@param v number
function metric:add(v) end

---Subtract `v` (gauges only).
---@param v number
function metric:sub(v) end

---Set the value (gauges only).
---@param v number
function metric:set(v) end

---Record one observation (histograms only).
---@param v number
function metric:observe(v) end

---The value of a family for these label values (strings or numbers, one per label name).
---@param ... string|number
---@return silly.metrics.metric
function metric:labels(...) end

---Append this metric to `buf` (the collector interface registries call).
---@param buf table
function metric:collect(buf) end

---Define a counter.
---@param name string
---@param help string
---@param labelnames string[]?
---@return silly.metrics.metric
local function counter(name, help, labelnames) end

return counter
