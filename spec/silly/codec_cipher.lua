-- Spec: silly.crypto.cipher (AES ECB/CBC/CTR/GCM through crypto/cipher).
-- Run with --fatal-errors; prints "codec_cipher ok".
local cipher = require "silly.crypto.cipher"

local function unhex(s) return (s:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end)) end
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function raises(want, f, ...)
	local ok, err = pcall(f, ...)
	assert(not ok, "expected an error containing " .. want)
	assert(tostring(err):find(want, 1, true), tostring(err) .. " lacks " .. want)
end

-- NIST SP 800-38A F.1.1 (ECB), F.2.1 (CBC), F.5.1 (CTR): AES-128, two blocks.
local key = unhex("2b7e151628aed2a6abf7158809cf4f3c")
local pt = unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
local ecb = cipher.encryptor("aes-128-ecb", key)
ecb:setpadding(0)
assert(hex(ecb:final(pt)) == "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf")
local iv = unhex("000102030405060708090a0b0c0d0e0f")
local cbc = cipher.encryptor("AES-128-CBC", key, iv) -- names are case-insensitive
cbc:setpadding(0)
assert(hex(cbc:update(pt) .. cbc:final()) == "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2")
local ctr = cipher.encryptor("aes-128-ctr", key, unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"))
assert(hex(ctr:update(pt:sub(1, 5)) .. ctr:update(pt:sub(6)) .. ctr:final()) ==
	"874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff")

-- Streaming: CBC holds back partial blocks, and when decrypting with
-- padding, the last whole block; chunked and one-shot agree.
local msg = string.rep("0123456789abcdef", 5) .. "xyz"
local k256, iv16 = string.rep("k", 32), string.rep("i", 16)
local whole = cipher.encryptor("aes-256-cbc", k256, iv16):final(msg)
assert(#whole == 96)
local enc = cipher.encryptor("aes-256-cbc", k256, iv16)
local parts = {}
for i = 1, #msg, 7 do parts[#parts + 1] = enc:update(msg:sub(i, i + 6)) end
parts[#parts + 1] = enc:final()
assert(table.concat(parts) == whole)
local dec = cipher.decryptor("aes-256-cbc", k256, iv16)
assert(dec:update(whole:sub(1, 16)) == "", "the only whole block may be padding: kept back")
assert(dec:update(whole:sub(17)) .. dec:final() == msg)
-- reset keeps the direction and the padding setting
enc:setpadding(0)
enc:reset(k256, iv16)
assert(enc:final(string.rep("a", 32)) ~= nil)
assert(enc:final("short") == nil, "a partial block without padding fails at final")
-- a wrong key gives bad padding: final returns nil (not an error)
assert(cipher.decryptor("aes-256-cbc", string.rep("x", 32), iv16):final(whole) == nil)
-- a ciphertext that is not whole blocks fails at final too
assert(cipher.decryptor("aes-256-cbc", k256, iv16):final(whole:sub(1, 20)) == nil)
-- empty input is one block of padding
assert(#cipher.encryptor("aes-192-cbc", string.rep("k", 24), iv16):final("") == 16)
-- the IV may be omitted (zeros)
assert(cipher.encryptor("aes-128-cbc", key):final("x") == cipher.encryptor("aes-128-cbc", key, string.rep("\0", 16)):final("x"))

-- GCM: NIST GCM test case 4 (AES-128, 60-byte plaintext, AAD).
local gkey = unhex("feffe9928665731c6d6a8f9467308308")
local giv = unhex("cafebabefacedbaddecaf888")
local gpt = unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
local gaad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
local gcm = cipher.encryptor("aes-128-gcm", gkey, giv)
raises("cipher tag error", gcm.tag, gcm) -- no tag before final
gcm:setaad(gaad)
local gct = gcm:update(gpt:sub(1, 17)) .. gcm:update(gpt:sub(18)) -- streamed out as it goes
assert(gcm:final() == "")
assert(hex(gct) == "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091")
local gtag = gcm:tag()
assert(hex(gtag) == "5bc94fbc3221a5db94fae95ae7121a47")
raises("cipher aad error", gcm.setaad, gcm, "late")
local gdec = cipher.decryptor("aes-128-gcm", gkey, giv)
gdec:setaad(gaad)
gdec:settag(gtag)
assert(gdec:update(gct) == gpt)
assert(gdec:final() == "")
-- a tampered tag, ciphertext or AAD fails at final (nil), as does a missing tag
local function gcm_open(aad, ct, tag)
	local d = cipher.decryptor("aes-128-gcm", gkey, giv)
	d:setaad(aad)
	if tag then d:settag(tag) end
	d:update(ct)
	return d:final()
end
assert(gcm_open(gaad, gct, gtag:sub(1, 15) .. "\0") == nil)
assert(gcm_open(gaad, "\0" .. gct:sub(2), gtag) == nil)
assert(gcm_open("other", gct, gtag) == nil)
assert(gcm_open(gaad, gct, nil) == nil)
assert(gcm_open(gaad, gct, gtag:sub(1, 12)) == "", "a truncated tag checks its prefix")
assert(gcm_open(gaad, gct, gtag:sub(1, 11) .. "\0") == nil)
local ok12 = cipher.encryptor("aes-256-gcm", k256, string.rep("n", 12))
ok12:final("x")
assert(#ok12:tag() == 16)

-- Errors: unknown algorithm, key and IV lengths, types, AEAD calls on CBC.
raises("unkonwn algorithm: aes-128-xts", cipher.encryptor, "aes-128-xts", key)
raises("unkonwn algorithm: des-cbc", cipher.decryptor, "des-cbc", key)
raises("key length need:16 got:9", cipher.encryptor, "aes-128-cbc", "short_key", iv)
raises("iv length need:16 got:3", cipher.encryptor, "aes-128-cbc", key, "abc")
raises("iv length need:12 got:16", cipher.encryptor, "aes-128-gcm", key, iv)
raises("key length need:32 got:16", enc.reset, enc, key, iv16)
raises("string expected, got nil", cipher.encryptor, "aes-128-cbc", nil)
raises("silly.crypto.cipher expected, got table", cbc.update, {}, "x")
raises("cipher aad error", cbc.setaad, cbc, "aad")
raises("cipher tag error", cbc.settag, cbc, string.rep("t", 16))
raises("cipher tag error", cbc.tag, cbc)
raises("cipher tag error", gcm.settag, gcm, gtag) -- an encryptor takes no tag
raises("cipher tag error", gdec.settag, gdec, "tiny")
print("codec_cipher ok")
