---@meta eco.hash.hmac
--- HMAC over any eco.hash module.

---@class eco.hash.hmac.ctx
local ctx = {}

--- Add data to the MAC.
---@param data string
function ctx:update(data) end

--- The binary MAC.
---@return string
function ctx:final() end

local M = {}

--- An incremental HMAC with hash (e.g. require "eco.hash.sha256") and key.
---@param hash table an eco.hash module
---@param key string
---@return eco.hash.hmac.ctx
function M.new(hash, key) end

--- The binary HMAC of data.
---@param hash table an eco.hash module
---@param key string
---@param data string
---@return string
function M.sum(hash, key, data) end

return M
