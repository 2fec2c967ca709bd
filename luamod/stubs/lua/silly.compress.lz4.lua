---@meta silly.compress.lz4

---LZ4 block-format compression of strings.
---@class silly.compress.lz4
local M = {}

---Compress `data`.
---@param data string
---@return string? compressed, string? err
function M.compress(data) end

---Decompress a block of at most `original_size` bytes (the block format does not
---record it); nil and a message when `data` is not a valid block.
---@param data string
---@param original_size integer
---@return string? decompressed, string? err
function M.decompress(data, original_size) end

return M
