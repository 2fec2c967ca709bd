---@meta silly.crypto.utils

---Small helpers for crypto code.
---@class silly.crypto.utils
local M = {}

---`data` XORed with `key` repeated; as long as data. The key must not be empty.
---@param key string
---@param data string
---@return string
function M.xor(key, data) end

---`n` random lowercase letters (not for secrets).
---@param n integer
---@return string
function M.randomkey(n) end

return M
