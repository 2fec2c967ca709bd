-- Spec: silly.crypto.pkey. The Go test writes keys (and signatures made by
-- Go's crypto) into $CODEC_KEYS; this script checks them, and writes its
-- own signatures there for the Go test to verify. Run with --fatal-errors;
-- prints "codec_pkey ok".
local pkey = require "silly.crypto.pkey"
local dir = assert(os.getenv("CODEC_KEYS"), "CODEC_KEYS not set")

local function read(name)
	local f = io.open(dir .. "/" .. name, "rb")
	if not f then return nil end
	local s = f:read("a")
	f:close()
	return s
end
local function write(name, data)
	local f = assert(io.open(dir .. "/" .. name, "wb"))
	f:write(data)
	f:close()
end
local function load(name, password)
	local pem = assert(read(name), name)
	-- as in silly, a second argument must be a string: nil is not "none"
	local k, err
	if password then k, err = pkey.new(pem, password) else k, err = pkey.new(pem) end
	assert(k, name .. ": " .. tostring(err))
	assert(err == nil)
	return k
end
local function raises(want, f, ...)
	local ok, err = pcall(f, ...)
	assert(not ok, "expected an error containing " .. want)
	assert(tostring(err):find(want, 1, true), tostring(err) .. " lacks " .. want)
end

local msg = "message to sign"
-- Every form of RSA key signs and verifies; the public key verifies.
local rsa_pub = load("rsa_pub.pem")
local rsa_pub_der = load("rsa_pub.der")
for _, name in ipairs({ "rsa_pkcs1.pem", "rsa_pkcs8.pem", "rsa_pkcs8.der" }) do
	local k = load(name)
	for _, alg in ipairs({ "sha1", "sha256", "SHA384", "sha512", "md5", "sha3-256" }) do
		local sig = k:sign(msg, alg)
		assert(#sig == 256, name .. " " .. alg)
		assert(rsa_pub:verify(msg, sig, alg) == true)
		assert(rsa_pub_der:verify(msg, sig, alg) == true)
		assert(k:verify(msg, sig, alg) == true, "a private key verifies too")
		assert(rsa_pub:verify(msg .. "!", sig, alg) == false)
		assert(rsa_pub:verify(msg, sig, alg == "sha1" and "sha256" or "sha1") == false)
	end
end
-- PKCS#1 v1.5 signatures are deterministic: Go's matches ours.
local rsa = load("rsa_pkcs1.pem")
assert(rsa:sign(msg, "sha256") == read("rsa_go.sig"))
write("rsa_lua.sig", rsa:sign(msg, "sha256"))

-- EC keys: P-256 (SEC 1) and P-384 (PKCS#8); ECDSA signatures are random.
for _, pair in ipairs({ { "p256.pem", "p256_pub.pem" }, { "p384_pkcs8.pem", "p384_pub.pem" } }) do
	local priv, pub = load(pair[1]), load(pair[2])
	for _, alg in ipairs({ "sha256", "sha384", "sha512", "sha1" }) do
		local s1, s2 = priv:sign(msg, alg), priv:sign(msg, alg)
		assert(s1 ~= s2, "ECDSA signatures are randomised")
		assert(pub:verify(msg, s1, alg) and pub:verify(msg, s2, alg))
		assert(pub:verify("other", s1, alg) == false)
		assert(pub:verify(msg, s1:sub(1, -2) .. string.char(s1:byte(-1) ~ 1), alg) == false)
	end
	assert(rsa_pub:verify(msg, priv:sign(msg, "sha256"), "sha256") == false, "a signature of another key type is false")
end
local p256pub = load("p256_pub.pem")
assert(p256pub:verify(msg, read("p256_go.sig"), "sha256") == true, "Go's ECDSA signature verifies")
write("p256_lua.sig", load("p256.pem"):sign(msg, "sha256"))

-- Keys only OpenSSL writes here: secp256k1 and an encrypted PKCS#8 key.
if read("k1.pem") then
	local k1, k1pub = load("k1.pem"), load("k1_pub.pem")
	local sig = k1:sign(msg, "sha256")
	assert(k1pub:verify(msg, sig, "sha256") and not k1pub:verify("x", sig, "sha256"))
	assert(k1pub:verify(msg, k1:sign(msg, "sha512"), "sha512"), "a digest longer than the curve is truncated")
	assert(k1pub:verify(msg, read("k1_openssl.sig"), "sha256"), "OpenSSL's secp256k1 signature verifies")
	write("k1_lua.sig", sig)
	local enc = load("rsa_enc.pem", "secret")
	assert(rsa_pub:verify(msg, enc:sign(msg, "sha256"), "sha256"), "the encrypted key is the same RSA key")
	local none, err = pkey.new(read("rsa_enc.pem"), "wrong")
	assert(none == nil and err == "pkey_load err:DECODER routines", tostring(err))
	assert(pkey.new(read("rsa_enc.pem")) == nil, "no password")
	local legacy = load("rsa_legacy.pem", "secret")
	assert(rsa_pub:verify(msg, legacy:sign(msg, "sha1"), "sha1"), "traditional DES3-encrypted PEM")
	assert(pkey.new(read("rsa_legacy.pem"), "wrong") == nil)
	assert(load("p256_pub.pem"):verify(msg, load("p256_legacy.pem", "secret"):sign(msg, "sha256"), "sha256"),
		"traditional AES-encrypted EC PEM")
	print("openssl keys checked")
end

-- Loading failures return nil, err.
for _, bad in ipairs({ "invalid key", "", "-----BEGIN RSA PRIVATE KEY-----...", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n" }) do
	local k, err = pkey.new(bad)
	assert(k == nil and err == "pkey_load err:DECODER routines", tostring(err))
end
-- Errors that raise: unknown digest, bad self, signing with a public key.
raises("unkonwn digest method: 'data'", rsa.sign, rsa, "invalid_alg", "data")
raises("silly.crypto.pkey expected, got string", pkey.sign, "-----BEGIN RSA PRIVATE KEY-----", "x", "sha256")
raises("sign error", rsa_pub.sign, rsa_pub, msg, "sha256")
raises("string expected, got nil", pkey.new, nil)
raises("bad argument #2 to 'new' (string expected, got nil)", pkey.new, read("rsa_pub.pem"), nil)

-- RSA encryption: PKCS#1 v1.5 (the default), OAEP with SHA-1 (default) or
-- another digest for both OAEP and MGF1, and raw RSA.
assert(pkey.RSA_PKCS1 == 1 and pkey.RSA_NO == 3 and pkey.RSA_PKCS1_OAEP == 4 and pkey.RSA_X931 == 5)
local function roundtrip(...)
	local ct, err = rsa_pub:encrypt("secret text", ...)
	assert(ct and err == nil and #ct == 256, tostring(err))
	local pt, err2 = rsa:decrypt(ct, ...)
	assert(pt == "secret text" and err2 == nil, tostring(err2))
	return ct
end
roundtrip()
roundtrip(pkey.RSA_PKCS1)
local o1 = roundtrip(pkey.RSA_PKCS1_OAEP)
assert(rsa:decrypt(o1, pkey.RSA_PKCS1_OAEP, "sha1") == "secret text", "OAEP defaults to SHA-1")
local o256 = roundtrip(pkey.RSA_PKCS1_OAEP, "sha256")
assert(o256 ~= roundtrip(pkey.RSA_PKCS1_OAEP, "sha256"), "OAEP is randomised")
assert(rsa:decrypt(o256, pkey.RSA_PKCS1_OAEP, "sha1") == nil, "the OAEP digest must match")
roundtrip(pkey.RSA_PKCS1_OAEP, "sha512")
assert(rsa:decrypt(read("rsa_go_oaep.bin"), pkey.RSA_PKCS1_OAEP, "sha256") == "from go", "Go's OAEP ciphertext decrypts")
write("rsa_lua_oaep.bin", (rsa_pub:encrypt("from lua", pkey.RSA_PKCS1_OAEP, "sha256")))
local block = "\0" .. string.rep("r", 255)
local raw = assert(rsa_pub:encrypt(block, pkey.RSA_NO))
assert(rsa:decrypt(raw, pkey.RSA_NO) == block)
-- and their failures: nil, err
local function fails(want, ct, err)
	assert(ct == nil and err and err:find(want, 1, true), tostring(err))
end
fails("EVP_PKEY_encrypt err:", rsa_pub:encrypt(string.rep("A", 246), pkey.RSA_PKCS1))
fails("EVP_PKEY_encrypt err:", rsa_pub:encrypt("short", pkey.RSA_NO))
fails("set_rsa_padding err:", rsa_pub:encrypt("x", 9999))
fails("set_rsa_padding err:", rsa_pub:encrypt("x", pkey.RSA_X931))
fails("EVP_PKEY_decrypt_init err:", rsa_pub:decrypt(o1, pkey.RSA_PKCS1_OAEP))
fails("EVP_PKEY_decrypt failed err:", rsa:decrypt("garbage", pkey.RSA_PKCS1))
fails("EVP_PKEY_decrypt failed err:", rsa:decrypt(o1:sub(1, -2) .. "\0", pkey.RSA_PKCS1_OAEP))
fails("EVP_PKEY_encrypt_init err:", p256pub:encrypt("x"))
raises("unkonwn digest method: 'nope'", rsa_pub.encrypt, rsa_pub, "x", pkey.RSA_PKCS1_OAEP, "nope")
print("codec_pkey ok")
