-- Spec: silly.security.jwt. Uses the keys the Go test wrote into
-- $CODEC_KEYS (see codec_pkey.lua) and its HS256 token go.jwt (secret
-- "go-secret"); writes lua_hs.jwt and lua_rs.jwt for the Go test to check.
-- Run with --fatal-errors; prints "codec_jwt ok".
local jwt = require "silly.security.jwt"
local pkey = require "silly.crypto.pkey"
local json = require "silly.encoding.json"
local base64 = require "silly.encoding.base64"
local dir = assert(os.getenv("CODEC_KEYS"), "CODEC_KEYS not set")

local function read(name)
	local f = assert(io.open(dir .. "/" .. name, "rb"))
	local s = f:read("a")
	f:close()
	return s
end
local function write(name, data)
	local f = assert(io.open(dir .. "/" .. name, "wb"))
	f:write(data)
	f:close()
end
local function key(name) return assert(pkey.new(read(name))) end

local payload = { sub = "42", name = "Ada", admin = true, n = 7 }
local function same(p)
	return p.sub == "42" and p.name == "Ada" and p.admin == true and p.n == 7
end
local function header(token)
	return json.decode(base64.urlsafe_decode(token:match("^[^.]+")))
end

-- HMAC: the default algorithm is HS256; the header names alg and typ.
local t = assert(jwt.encode(payload, "k"))
assert(select(2, t:gsub("%.", "")) == 2 and not t:find("[=+/]"), "three base64url parts, no padding")
local h = header(t)
assert(h.alg == "HS256" and h.typ == "JWT")
assert(same(assert(jwt.decode(t, "k"))))
for _, alg in ipairs({ "HS384", "HS512" }) do
	local tok = assert(jwt.encode(payload, "k", alg))
	assert(header(tok).alg == alg and same(assert(jwt.decode(tok, "k"))))
end
local p, err = jwt.decode(t, "wrong key")
assert(p == nil and err == "Signature verification failed")
write("lua_hs.jwt", jwt.encode(payload, "lua-secret", "HS256"))
assert(jwt.decode(read("go.jwt"), "go-secret").user == "gopher", "a token Go signed decodes")

-- RSA and ECDSA: private keys sign, public keys verify.
local rsa, rsa_pub = key("rsa_pkcs8.pem"), key("rsa_pub.pem")
local ec, ec_pub = key("p256.pem"), key("p256_pub.pem")
for _, c in ipairs({ { "RS256", rsa, rsa_pub }, { "RS384", rsa, rsa_pub }, { "RS512", rsa, rsa_pub },
	{ "ES256", ec, ec_pub }, { "ES384", ec, ec_pub }, { "ES512", ec, ec_pub } }) do
	local tok = assert(jwt.encode(payload, c[2], c[1]))
	assert(header(tok).alg == c[1])
	assert(same(assert(jwt.decode(tok, c[3]))), c[1])
	local other = c[3] == rsa_pub and ec_pub or rsa_pub
	p, err = jwt.decode(tok, other)
	assert(p == nil and err == "Signature verification failed", c[1] .. " with the other key")
end
write("lua_rs.jwt", jwt.encode(payload, rsa, "RS256"))

-- Malformed tokens: nil and a reason.
local function rejects(tok, want)
	local r, e = jwt.decode(tok, "k")
	assert(r == nil and e == want, tok .. ": " .. tostring(e))
end
rejects("", "Invalid token format")
rejects("abcd", "Invalid token format") -- fewer than five bytes cannot be three parts
rejects("a.b", "Invalid token format")
rejects("!!!!.b.c", "Invalid header")
rejects(base64.urlsafe_encode("not json") .. ".b.c", "Invalid header")
rejects(base64.urlsafe_encode('{"alg":"none"}') .. ".b.c", "Unsupported algorithm: none")
rejects(base64.urlsafe_encode('{"typ":"JWT"}') .. ".b.c", "Unsupported algorithm: nil")
local hs = t:match("^[^.]+")
rejects(hs .. "." .. base64.urlsafe_encode("[") .. ".c", "Invalid payload")
rejects(hs .. ".!!!!.c", "Invalid payload")
local hp = t:match("^[^.]+%.[^.]+")
-- silly's base64 decoder skips bytes outside the alphabet, so a signature
-- part never fails to decode: it just does not verify
rejects(hp .. ".!!!!", "Signature verification failed")
rejects(hp .. "." .. base64.urlsafe_encode("forged"), "Signature verification failed")
-- the payload is part of what is signed
local forged = hs .. "." .. base64.urlsafe_encode(json.encode({ sub = "root" })) .. t:match("%.[^.]+$")
rejects(forged, "Signature verification failed")

-- Encoding errors: unknown algorithm is nil, err; a bad key raises.
local none, e2 = jwt.encode(payload, "k", "XX999")
assert(none == nil and e2 == "Unsupported algorithm: XX999")
assert(not pcall(jwt.encode, payload, {}, "HS256"))
assert(not pcall(jwt.encode, payload, "-----BEGIN EC PRIVATE KEY-----", "ES256"))
assert(not pcall(jwt.encode, payload, rsa_pub, "RS256"), "a public key cannot sign")
assert(jwt.encode(payload, "", "HS256"), "an empty HMAC key is allowed")
print("codec_jwt ok")
