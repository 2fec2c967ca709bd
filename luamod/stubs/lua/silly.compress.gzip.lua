---@meta silly.compress.gzip

---gzip (RFC 1952) compression of strings, at the default level.
---@class silly.compress.gzip
local M = {}

---Compress `data`.
---@param data string
---@return string? compressed, string? err
function M.compress(data) end

---Decompress the first gzip member; input that ends early yields what was decoded so far, input that is not gzip gives nil and a message.
---@param data string
---@return string? decompressed, string? err
function M.decompress(data) end

return M
