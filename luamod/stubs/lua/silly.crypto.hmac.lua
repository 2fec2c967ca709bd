---@meta silly.crypto.hmac

---Keyed-hash message authentication codes.
---@class silly.crypto.hmac
local M = {}

---The raw HMAC of `data` under `key` with the digest `algorithm` (as in silly.crypto.hash).
---@param key string
---@param data string
---@param algorithm string e.g. "sha256"
---@return string
function M.digest(key, data, algorithm) end

return M
