---@meta silly.compress.lz4

---LZ4 block-format compression of strings.
---@class silly.compress.lz4
local M = {}

---Compress `data`.
---@param data string
---@return string? compressed, string? err
function M.compress(data) end

---Decompress `data`; nil and a message when it is not valid lz4 data.
---@param data string
---@return string? decompressed, string? err
function M.decompress(data) end

return M
