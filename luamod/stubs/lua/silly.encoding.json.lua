---@meta silly.encoding.json

---JSON encoding and decoding.
---@class silly.encoding.json
local M = {}

---Sentinel for JSON null (in arrays and objects).
---@type table
M.null = {}

---Encode a Lua value (tables with 1..n keys become arrays, others objects).
---@param value table|string|number|boolean
---@return string? json, string? err
function M.encode(value) end

---Decode a JSON text.
---@param str string
---@return any value, string? err
function M.decode(str) end

return M
