---@meta eco.hash.sha256
--- SHA256 digests, whole or incremental.

---@class eco.hash.sha256.ctx
local ctx = {}

--- Add data to the digest.
---@param data string
function ctx:update(data) end

--- The binary digest of everything added.
---@return string
function ctx:final() end

local M = {}

--- Name of the context's metatable, for hmac.new.
---@type string
M.mtname = ""

--- A context for an incremental digest.
---@return eco.hash.sha256.ctx
function M.new() end

--- The binary digest of the arguments, concatenated.
---@param ... string
---@return string
function M.sum(...) end

return M
