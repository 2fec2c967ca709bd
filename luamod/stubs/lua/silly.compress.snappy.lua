---@meta silly.compress.snappy

---Snappy block-format compression of strings.
---@class silly.compress.snappy
local M = {}

---Compress `data`.
---@param data string
---@return string? compressed, string? err
function M.compress(data) end

---Decompress `data`; nil and a message when it is not valid snappy data.
---@param data string
---@return string? decompressed, string? err
function M.decompress(data) end

return M
