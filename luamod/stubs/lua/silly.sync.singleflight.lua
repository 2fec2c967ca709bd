---@meta silly.sync.singleflight

---Collapse concurrent calls for the same key into one call of a function.
---@class silly.sync.singleflight
local M = {}

---A group that calls `fn(key)` at most once at a time per key.
---@param fn fun(key:any):...
---@return silly.sync.singleflight
function M.new(fn) end

---Call `fn(key)`, or wait for the call already in flight for `key`; every caller gets its
---results, and an error in `fn` is raised in every caller. Nothing is cached afterwards.
---@param sf silly.sync.singleflight
---@param key any
---@return any ...
function M.call(sf, key) end

return M
