-- silly.crypto.hash, hmac and utils, after silly's test/testhash.lua.
local hash = require 'silly.crypto.hash'
local hmac = require 'silly.crypto.hmac'
local utils = require 'silly.crypto.utils'

local function hex(s)
    return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end))
end

local h = hash.new('sha256')
h:update('hello world')
assert(hex(h:final()) == 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
h = hash.new('sha256')
h:update('hello')
h:reset()
h:update('hello world')
assert(hex(h:final()) == 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
h = hash.new('md5')
h:update('hello world')
assert(hex(h:final()) == '5eb63bbbe01eeed093cb22bb8f5acdc3')
assert(hex(hash.hash('sha1', 'hello world')) == '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed')
assert(not pcall(hash.new, 'invalid_algorithm'))

-- the WebSocket accept key, the way silly.net.websocket computes it
local sha1 = hash.new('sha1')
local accept = sha1:digest('dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
assert(hex(accept) == 'b37a4f2cc0624f1690f64606cf385945b2bec4ea')

assert(hex(hmac.digest('key', 'The quick brown fox jumps over the lazy dog', 'sha256'))
    == 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8')

local masked = utils.xor('abcd', 'hello world')
assert(#masked == 11 and utils.xor('abcd', masked) == 'hello world')
local ok, err = pcall(utils.xor, '', 'x')
assert(not ok and err:find("crypto.xor key can't be empty", 1, true), err)
local k = utils.randomkey(16)
assert(#k == 16 and k:match('^[a-z]+$'))
