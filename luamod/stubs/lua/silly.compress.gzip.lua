---@meta silly.compress.gzip

---gzip (RFC 1952) compression of strings, at the default level.
---@class silly.compress.gzip
local M = {}

---Compress `data`.
---@param data string
---@return string? compressed, string? err
function M.compress(data) end

---Decompress `data`; nil and a message when it is not valid gzip data.
---@param data string
---@return string? decompressed, string? err
function M.decompress(data) end

return M
