---@meta silly.metrics.registry

---Registries: lists of collectors (metrics, or tables with a collect(buf)
---method) that are gathered together.
---@class silly.metrics.registry
local M = {}

---@class silly.metrics.registry.r
local registry = {}

---Add a collector (once; registering it again does nothing).
---@param collector silly.metrics.metric|{collect:fun(self:any,buf:table)}
function registry:register(collector) end

---Remove a collector.
---@param collector any
function registry:unregister(collector) end

---Call every collector's collect(buf) and return buf.
---@return table buf
function registry:collect() end

---A new, empty registry.
---@return silly.metrics.registry.r
function M.new() end

return M
