-- eco.hash.*, after lua-eco tests/hash-test.lua.
local md5 = require 'eco.hash.md5'
local sha1 = require 'eco.hash.sha1'
local sha256 = require 'eco.hash.sha256'
local hmac = require 'eco.hash.hmac'
local hex = require 'eco.encoding.hex'

assert(md5.mtname == 'struct md5_ctx *')
assert(sha1.mtname == 'struct sha1_ctx *')
assert(sha256.mtname == 'struct sha256_ctx *')

assert(hex.encode(md5.sum('abc')) == '900150983cd24fb0d6963f7d28e17f72')
assert(hex.encode(sha1.sum('abc')) == 'a9993e364706816aba3e25717850c26c9cd0d89d')
assert(hex.encode(sha256.sum('abc')) == 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
assert(#md5.sum('') == 16 and #sha1.sum('') == 20 and #sha256.sum('') == 32)

for _, m in ipairs({ md5, sha1, sha256 }) do
    local c = m.new()
    assert(c:update('a') == nil)
    c:update('b')
    c:update('c')
    assert(c:final() == m.sum('abc'))
end

local key, data = 'key', 'The quick brown fox jumps over the lazy dog'
assert(hex.encode(hmac.sum(md5, key, data)) == '80070713463e7749b90c2dc24911e275')
assert(hex.encode(hmac.sum(sha1, key, data)) == 'de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9')
assert(hex.encode(hmac.sum(sha256, key, data)) == 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8')

local long_key = string.rep('k', 100)
local ctx = hmac.new(sha256, long_key)
ctx:update('abc')
ctx:update('def')
ctx:update('0123')
ctx:update('456789')
assert(ctx:final() == hmac.sum(sha256, long_key, 'abcdef0123456789'))

local function fails(f, want)
    local ok, err = pcall(f)
    assert(not ok, 'expected an error')
    assert(err:find(want, 1, true), err)
end
fails(function() md5.sum({}) end, "bad argument #1 to 'sum' (string expected, got table)")
fails(function() sha1.new():update({}) end, "bad argument #1 to 'update' (string expected, got table)")
fails(function() hmac.new({}, 'k') end, 'expecting hash to be a hash module')
fails(function() hmac.new(md5, false) end, 'expecting key to be a string')
fails(function() hmac.new(md5, 'k'):update(false) end, 'expecting data to be a string')
