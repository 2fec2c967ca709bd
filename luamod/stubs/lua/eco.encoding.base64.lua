---@meta eco.encoding.base64
--- Standard base64 (RFC 4648, padded).

local M = {}

--- Encode data.
---@param data string
---@return string
function M.encode(data) end

--- Decode s; nil, err when it is not valid base64.
---@param s string
---@return string|nil data
---@return string? err
function M.decode(s) end

return M
