-- silly.security.jwt for golua-ws: JSON Web Tokens (RFC 7519) signed with
-- HMAC (HS*), RSA PKCS#1 v1.5 (RS*) or ECDSA (ES*, DER signatures as
-- silly.crypto.pkey makes them), over silly's own codec and crypto modules.
local base64 = require "silly.encoding.base64"
local json = require "silly.encoding.json"
local hmac = require "silly.crypto.hmac"
local pkey = require "silly.crypto.pkey"

local b64enc, b64dec = base64.urlsafe_encode, base64.urlsafe_decode
local encode_json, decode_json = json.encode, json.decode
local hmac_digest = hmac.digest
local tostring = tostring

local function hmac_check(key, input, sig, digest)
	return hmac_digest(key, input, digest) == sig
end

-- algorithms[name] = {sign(key, input, digest), check(key, input, sig, digest), digest}
local algorithms = {}
for _, bits in ipairs({ "256", "384", "512" }) do
	local digest = "sha" .. bits
	algorithms["HS" .. bits] = { hmac_digest, hmac_check, digest }
	algorithms["RS" .. bits] = { pkey.sign, pkey.verify, digest }
	algorithms["ES" .. bits] = { pkey.sign, pkey.verify, digest }
end

-- The encoded header depends on the algorithm only; build each once.
local headers = {}
local function header_of(name)
	local h = headers[name]
	if not h then
		h = b64enc(encode_json({ alg = name, typ = "JWT" }))
		headers[name] = h
	end
	return h
end

local M = {}

---Sign payload into a compact JWT.
---@param payload table
---@param key string|userdata HMAC secret, or a silly.crypto.pkey private key
---@param algname string? "HS256" (default), "HS384", "HS512", "RS256", ... "ES512"
---@return string|nil token, string|nil err
function M.encode(payload, key, algname)
	algname = algname or "HS256"
	local alg = algorithms[algname]
	if not alg then
		return nil, "Unsupported algorithm: " .. tostring(algname)
	end
	local input = header_of(algname) .. "." .. b64enc(encode_json(payload))
	local sig = alg[1](key, input, alg[3])
	return input .. "." .. b64enc(sig), nil
end

---Check a token's signature with key and return its payload.
---@param token string
---@param key string|userdata HMAC secret, or a silly.crypto.pkey public key
---@return table|nil payload, string|nil err
function M.decode(token, key)
	-- silly splits with this unanchored pattern (its separators match any
	-- byte); tokens it accepts must be accepted here too.
	local h64, p64, s64 = token:match("([^.]+).([^.]+).([^.]+)")
	if not h64 then
		return nil, "Invalid token format"
	end
	local hjson = b64dec(h64)
	local header = hjson and decode_json(hjson)
	if type(header) ~= "table" then
		return nil, "Invalid header"
	end
	local alg = algorithms[header.alg]
	if not alg then
		return nil, "Unsupported algorithm: " .. tostring(header.alg)
	end
	local pjson = b64dec(p64)
	local payload = pjson and decode_json(pjson)
	if not payload then
		return nil, "Invalid payload"
	end
	local sig = b64dec(s64)
	if not sig then
		return nil, "Invalid signature"
	end
	if not alg[2](key, h64 .. "." .. p64, sig, alg[3]) then
		return nil, "Signature verification failed"
	end
	return payload, nil
end

return M
