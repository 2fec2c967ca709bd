---@meta silly.crypto.hash

---Message digests (md5, sha1, sha2 and sha3 families, by OpenSSL name); an
---unknown algorithm name raises an error.
---@class silly.crypto.hash
local M = {}

---@class silly.crypto.hash.ctx
local ctx = {}

---Start over, discarding what was hashed.
function ctx:reset() end

---Feed `data`.
---@param data string
function ctx:update(data) end

---Finish: the raw (binary) digest. Call reset before feeding the context again.
---@return string
function ctx:final() end

---update(data) then final().
---@param data string
---@return string
function ctx:digest(data) end

---A new incremental hash context.
---@param algorithm string e.g. "sha256", "md5"
---@return silly.crypto.hash.ctx
function M.new(algorithm) end

---One-shot raw digest of `data`.
---@param algorithm string
---@param data string
---@return string
function M.hash(algorithm, data) end

---Function form of ctx:reset.
---@param c silly.crypto.hash.ctx
function M.reset(c) end

---Function form of ctx:update.
---@param c silly.crypto.hash.ctx
---@param data string
function M.update(c, data) end

---Function form of ctx:final.
---@param c silly.crypto.hash.ctx
---@return string
function M.final(c) end

---Function form of ctx:digest.
---@param c silly.crypto.hash.ctx
---@param data string
---@return string
function M.digest(c, data) end

return M
