package encoding

import (
	"crypto/rand"
	"encoding/base64"
	mrand "math/rand/v2"
	"testing"

	"github.com/golua-ws/golua-ws/luamod/internal/luatest"
	lua "github.com/yuin/gopher-lua"
)

func newState(t testing.TB) *lua.LState {
	t.Helper()
	return luatest.NewState(t, Modules(), `json = require 'silly.encoding.json'; base64 = require 'silly.encoding.base64'`)
}

func TestJSONEncode(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		local function eq(got, want) assert(got == want, tostring(got) .. ' ~= ' .. want) end
		eq(json.encode({foo = 'hello'}), '{"foo":"hello"}')
		eq(json.encode({foo = 'hello"'}), '{"foo":"hello\\""}')
		eq(json.encode({foo = 123}), '{"foo":123}')
		eq(json.encode({foo = 3.1415}), '{"foo":3.1415}')
		eq(json.encode(1.0), '1')
		eq(json.encode(-0.0), '0')
		eq(json.encode(0.1), '0.1')
		eq(json.encode(1/3), '0.33333333333333')
		eq(json.encode(1e20), '1e+20')
		eq(json.encode(2^53), '9007199254740992')
		eq(json.encode(1e300), '1e+300')
		eq(json.encode(2^63), '9.2233720368548e+18')
		eq(json.encode(-2^63), '-9223372036854775808')
		eq(json.encode(1.5e-7), '1.5e-07')
		eq(json.encode({foo = true}), '{"foo":true}')
		eq(json.encode({foo = false}), '{"foo":false}')
		eq(json.encode({}), '[]')
		eq(json.encode({1, 'a', true, {false}}), '[1,"a",true,[false]]')
		-- a table with holes is encoded up to its first border
		eq(json.encode(setmetatable({1, 2, 3}, {__len = function() return 2 end})), "[1,2]")
		local sparse = {[1] = 1, [3] = 3}
		eq(json.encode(sparse), '[1]')
		eq(json.encode({1, 2, x = 'dropped'}), '[1,2]')
		eq(json.encode({a = 1, b = {c = {d = 'test'}}}), '{"a":1,"b":{"c":{"d":"test"}}}')
		eq(json.encode(nil), 'null')
		eq(json.encode(json.null), 'null')
		eq(json.encode({json.null, 2}), '[null,2]')
		eq(json.encode('\b\f\n\r\t\1\31/\127é'), '"\\b\\f\\n\\r\\t\\u0001\\u001f/\127é"')
		eq(json.encode({['key\\with"escapes'] = 'value'}), '{"key\\\\with\\"escapes":"value"}')
		eq(json.encode(setmetatable({1, 2, 3}, {__len = function() return 2 end})), '[1,2]')
		-- keys come out in insertion order
		local t = {}
		t.z = 1; t.a = 2; t.m = 3
		eq(json.encode(t), '{"z":1,"a":2,"m":3}')
	`)
}

func TestJSONEncodeErrors(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		local function fails(v, want)
			local s, err = json.encode(v)
			assert(s == nil and err == want, tostring(err) .. ' ~= ' .. want)
		end
		fails(0/0, 'NaN or Infinity not allowed')
		fails({x = 1/0}, 'NaN or Infinity not allowed')
		fails({[2] = 'x'}, 'object key must be string')
		fails({a = 1, [true] = 2}, 'object key must be string')
		fails(print, 'unsupported type')
		fails({f = coroutine.create(print)}, 'unsupported type')
		local deep = {}
		local cur = deep
		for i = 1, 128 do cur[1] = {}; cur = cur[1] end
		assert(json.encode(deep))          -- 129 nested tables: allowed
		cur[1] = {}
		fails(deep, 'nesting too deep')    -- 130: too deep
		local ok, err = pcall(json.encode)
		assert(not ok and err:find("bad argument #1 to 'encode' %(value expected%)"), err)
	`)
}

func TestJSONDecode(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		local obj = assert(json.decode('{"foo":"hello\\""}'))
		assert(obj.foo == 'hello"')
		assert(json.decode('[-1.23e5]')[1] == -123000)
		assert(json.decode('{"foo":1.7976931348623157e308}').foo == 1.7976931348623157e308)
		assert(json.decode('[1e400]')[1] == 1/0)
		assert(json.decode('99999999999999999999') == 9223372036854775807)
		local n = assert(json.decode('{"foo":null}'))
		assert(n.foo == json.null and tostring(n.foo) == 'null')
		local a = json.decode(' [1, null, 3] ')
		assert(#a == 3 and a[2] == json.null)
		local long = string.rep('a', 10000)
		assert(json.decode('["' .. long .. '"]')[1] == long)
		local s = json.decode('"\\u00e9\\u4e2d\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\\u0000"')
		assert(s == 'é中😀/\b\f\n\r\t\0', s)
		assert(json.decode('"raw\255bytes"') == 'raw\255bytes')
		-- trailing garbage after the first value is ignored
		assert(json.decode('[1]xyz')[1] == 1)
		assert(json.decode('true false') == true)
		assert(json.decode(123) == 123)
		local t = json.decode('{"a":1,"a":2,"b":{}}')
		assert(t.a == 2 and type(t.b) == 'table')
		local deep = json.decode(string.rep('[', 100) .. string.rep(']', 100))
		assert(type(deep) == 'table')
	`)
}

func TestJSONDecodeErrors(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		for _, bad in ipairs({'{"a":1', '[1,,2]', '{"a":}', '{"a":tru}', "'string'", '[1,]',
				'{"a" 1}', '{a:1}', '01', '-', '1.', '1e', '.5', '"\\x"', '"abc', '"a\nb"',
				'"\\ud800"', '"\\udc00"', '"\\ud800\\u0041"', '"\\u12"', 'nul', '[', '{',
				'{"a":1,}', string.rep('[', 10001)}) do
			local v, err = json.decode(bad)
			assert(v == nil and err == 'invalid json', bad .. ': ' .. tostring(err))
		end
		for _, empty in ipairs({'', '   ', '\n\t\r '}) do
			local v, err = json.decode(empty)
			assert(v == nil and err == 'empty input', tostring(err))
		end
		local ok, err = pcall(json.decode, {})
		assert(not ok and err:find("bad argument #1 to 'decode' %(string expected, got table%)"), err)
	`)
}

func TestJSONNullIsProtected(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		local ok, err = pcall(function() json.null.x = 1 end)
		assert(not ok and err:find('attempt to modify json.null'), err)
		assert(getmetatable(json.null) == false)
		assert(next(json.null) == nil)
	`)
}

func TestJSONRoundTrip(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		local v = {a = {1, 2, {3}}, b = {c = {d = 'test'}}, s = '\n\t"\\', n = -12.5, t = true}
		local d = assert(json.decode(json.encode(v)))
		assert(d.a[3][1] == 3 and d.b.c.d == 'test' and d.s == v.s and d.n == -12.5 and d.t == true)
	`)
}

func TestBase64(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		local function eq(got, want) assert(got == want, tostring(got) .. ' ~= ' .. want) end
		eq(base64.encode('hello world'), 'aGVsbG8gd29ybGQ=')
		eq(base64.encode(''), '')
		eq(base64.encode('f'), 'Zg==')
		eq(base64.encode('fo'), 'Zm8=')
		eq(base64.encode('foo'), 'Zm9v')
		eq(base64.encode('你好'), '5L2g5aW9')
		eq(base64.urlsafe_encode('hello world'), 'aGVsbG8gd29ybGQ')
		eq(base64.urlsafe_encode('\251\255\254'), '-__-')
		eq(base64.decode('aGVsbG8gd29ybGQ='), 'hello world')
		eq(base64.decode('aGVsbG8gd29ybGQ'), 'hello world')
		eq(base64.decode(''), '')
		eq(base64.decode('Zg=='), 'f')
		eq(base64.decode('Zg'), 'f')
		eq(base64.decode('Z'), '')
		eq(base64.decode('-__-'), '\251\255\254')
		eq(base64.decode('+//+'), '\251\255\254')
		eq(base64.urlsafe_decode('+//+'), '\251\255\254')
		assert(base64.decode == base64.urlsafe_decode)
		-- invalid characters count as zero; decode never fails
		eq(base64.decode('!!!!'), '\0\0\0')
		eq(base64.decode('A=AA'), '\0\0\0')
		eq(base64.encode(12), 'MTI=')
		local ok, err = pcall(base64.encode, {})
		assert(not ok and err:find("bad argument #1 to 'encode' %(string expected, got table%)"), err)
	`)
	buf := make([]byte, 600)
	for n := 0; n < len(buf); n += 41 {
		rand.Read(buf[:n])
		L.SetGlobal("raw", lua.LString(buf[:n]))
		L.SetGlobal("std", lua.LString(base64.StdEncoding.EncodeToString(buf[:n])))
		L.SetGlobal("url", lua.LString(base64.RawURLEncoding.EncodeToString(buf[:n])))
		luatest.Run(t, L, `assert(base64.encode(raw) == std); assert(base64.urlsafe_encode(raw) == url)
			assert(base64.decode(std) == raw); assert(base64.decode(url) == raw)`)
	}
}

// TestBase64FastPathMatchesGroups checks that the encoding/base64 fast path
// decodes exactly as silly's group decoder on well-formed and noisy input.
func TestBase64FastPathMatchesGroups(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=\n!"
	rng := mrand.New(mrand.NewPCG(3, 4))
	raw := make([]byte, 64)
	for i := 0; i < 20000; i++ {
		var s string
		if i%2 == 0 {
			n := rng.IntN(len(raw))
			for j := range raw[:n] {
				raw[j] = byte(rng.IntN(256))
			}
			s = []func([]byte) string{base64.StdEncoding.EncodeToString, base64.RawURLEncoding.EncodeToString,
				base64.RawStdEncoding.EncodeToString, base64.URLEncoding.EncodeToString}[rng.IntN(4)](raw[:n])
		} else {
			b := make([]byte, rng.IntN(12))
			for j := range b {
				b[j] = alphabet[rng.IntN(len(alphabet))]
			}
			s = string(b)
		}
		if got, want := decodeLenient(s), decodeGroups(s); got != want {
			t.Fatalf("decode(%q) = %q, want %q", s, got, want)
		}
	}
}
