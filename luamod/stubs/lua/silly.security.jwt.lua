---@meta silly.security.jwt

---JSON Web Tokens signed with HMAC, RSA or ECDSA.
---@class silly.security.jwt
local M = {}

---Sign `payload` into a compact token.
---@param payload table
---@param key string|silly.crypto.pkey.key HMAC secret or private key
---@param algname string? "HS256" (default), "HS384", "HS512", "RS256".."RS512", "ES256".."ES512"
---@return string? token, string? err
function M.encode(payload, key, algname) end

---Check a token's signature and return its payload.
---@param token string
---@param key string|silly.crypto.pkey.key HMAC secret or public key
---@return table? payload, string? err
function M.decode(token, key) end

return M
