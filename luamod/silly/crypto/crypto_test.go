package crypto

import (
	"testing"

	"github.com/golua-ws/golua-ws/luamod/internal/luatest"
	lua "github.com/yuin/gopher-lua"
)

func newState(t testing.TB) *lua.LState {
	t.Helper()
	return luatest.NewState(t, Modules(), `hash = require 'silly.crypto.hash'; hmac = require 'silly.crypto.hmac'
		utils = require 'silly.crypto.utils'
		function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end`)
}

func TestHashKnownAnswers(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		local function eq(got, want) assert(got == want, got .. ' ~= ' .. want) end
		-- silly test/testhash.lua vectors
		local h = hash.new('sha256')
		h:update('hello world')
		eq(hex(h:final()), 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
		h = hash.new('sha256')
		h:update('hello'); h:reset(); h:update('hello world')
		eq(hex(h:final()), 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
		h = hash.new('md5'); h:update('hello world')
		eq(hex(h:final()), '5eb63bbbe01eeed093cb22bb8f5acdc3')
		h = hash.new('sha1'); h:update('hello world')
		eq(hex(h:final()), '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed')
		eq(hex(hash.new('sha256'):final()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
		h = hash.new('sha256'); h:update(string.rep('a', 1000000))
		eq(hex(h:final()), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0')
		h = hash.new('sha256'); h:update('hello'); h:update(' '); h:update('world')
		eq(hex(h:final()), 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
		eq(hex(hash.hash('sha256', 'hello world')), 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
		eq(hex(hash.hash('SHA256', '')), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
		-- FIPS 180-4 / 202 "abc" vectors for the other digests
		eq(hex(hash.hash('sha224', 'abc')), '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7')
		eq(hex(hash.hash('sha384', 'abc')), 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7')
		eq(hex(hash.hash('sha512', 'abc')), 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f')
		eq(hex(hash.hash('sha3-256', 'abc')), '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532')
		eq(hex(hash.hash('sha-1', 'abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d')
		-- ctx:digest resets, hashes and finishes in one call, reusable
		local ws = hash.new('sha1')
		local key = 'dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
		eq(hex(ws:digest(key)), 'b37a4f2cc0624f1690f64606cf385945b2bec4ea')
		eq(hex(ws:digest(key)), 'b37a4f2cc0624f1690f64606cf385945b2bec4ea')
		-- the module table is the method table
		assert(getmetatable(ws).__index == hash)
		assert(tostring(ws):find('^silly.crypto.digest: 0x'))
	`)
}

func TestHashErrors(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		local function fails(f, want, ...)
			local ok, err = pcall(f, ...)
			assert(not ok, 'expected an error: ' .. want)
			assert(err:find(want, 1, true), err .. ' does not contain ' .. want)
		end
		fails(hash.new, "unkonwn digest method: 'invalid_algorithm'", 'invalid_algorithm')
		fails(hash.hash, "unkonwn digest method: 'md4'", 'md4', 'x')
		fails(hash.new, "bad argument #1 to 'new' (string expected, got nil)", nil)
		fails(hash.hash, "bad argument #2 to 'hash' (string expected, got no value)", 'md5')
		local h = hash.new('md5')
		fails(function() h:update({}) end, "bad argument #1 to 'update' (string expected, got table)")
		fails(function() hash.update('sha256', 'x') end, "calling 'update' on bad self (silly.crypto.digest expected, got string)")
		fails(hash.digest, "calling 'digest' on bad self (silly.crypto.digest expected, got string)", 'sha256', 'x')
		h:final()
		fails(function() h:update('x') end, 'hash update error: digital envelope routines')
		fails(function() h:final() end, 'hash final error: digital envelope routines')
		h:reset(); h:update('abc')
		assert(hex(h:final()) == '900150983cd24fb0d6963f7d28e17f72')
	`)
}

func TestHMAC(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		local function eq(got, want) assert(got == want, got .. ' ~= ' .. want) end
		-- RFC 4231 test case 2 and RFC 2202 test case 2
		eq(hex(hmac.digest('Jefe', 'what do ya want for nothing?', 'sha256')), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
		eq(hex(hmac.digest('Jefe', 'what do ya want for nothing?', 'md5')), '750c783e6ab0b503eaa86e310a5db738')
		eq(hex(hmac.digest('Jefe', 'what do ya want for nothing?', 'sha1')), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79')
		local ok, err = pcall(hmac.digest, 'k', 'm', 'nope')
		assert(not ok and err:find("unkonwn digest method: 'nope'", 1, true), err)
	`)
}

func TestUtils(t *testing.T) {
	L := newState(t)
	key, data := "k3y", "hello, world\x00\xff"
	want := make([]byte, len(data))
	for i := range want {
		want[i] = data[i] ^ key[i%len(key)]
	}
	L.SetGlobal("key", lua.LString(key))
	L.SetGlobal("data", lua.LString(data))
	L.SetGlobal("want", lua.LString(want))
	luatest.Run(t, L, `
		assert(utils.xor(key, data) == want)
		assert(utils.xor(key, want) == data)
		assert(utils.xor('x', '') == '')
		assert(utils.xor(1, 23) == utils.xor('1', '23'))
		local ok, err = pcall(utils.xor, '', 'data')
		assert(not ok and err:find("bad argument #1 to 'xor' (crypto.xor key can't be empty)", 1, true), err)
		ok, err = pcall(utils.xor, 'k')
		assert(not ok and err:find("bad argument #2 to 'xor' (string expected, got no value)", 1, true), err)

		local k = utils.randomkey(64)
		assert(#k == 64 and k:match('^[a-z]+$'), k)
		assert(utils.randomkey(64) ~= k)
		assert(utils.randomkey(0) == '')
		ok, err = pcall(utils.randomkey, 1.5)
		assert(not ok and err:find("bad argument #1 to 'randomkey' (number has no integer representation)", 1, true), err)
		ok, err = pcall(utils.randomkey, -1)
		assert(not ok and err == 'not enough memory', err)
	`)
}
