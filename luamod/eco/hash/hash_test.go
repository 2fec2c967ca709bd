package hash

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/luamod/internal/luatest"
	lua "github.com/yuin/gopher-lua"
)

func newState(t testing.TB) *lua.LState {
	t.Helper()
	return luatest.NewState(t, Modules(), `md5 = require 'eco.hash.md5'; sha1 = require 'eco.hash.sha1'
		sha256 = require 'eco.hash.sha256'; hmac = require 'eco.hash.hmac'`)
}

// hexOf evaluates a Lua expression returning one string and hex-encodes it.
func hexOf(t *testing.T, L *lua.LState, expr string) string {
	t.Helper()
	if err := L.DoString("return " + expr); err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	defer L.Pop(1)
	s, ok := L.Get(-1).(lua.LString)
	if !ok {
		t.Fatalf("%s returned %s, want a string", expr, L.Get(-1).Type())
	}
	return hex.EncodeToString([]byte(s))
}

func TestMtnames(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `assert(md5.mtname == 'struct md5_ctx *')
		assert(sha1.mtname == 'struct sha1_ctx *')
		assert(sha256.mtname == 'struct sha256_ctx *')
		assert(tostring(sha1.new()):find('^struct sha1_ctx %*: 0x'))`)
}

func TestKnownAnswers(t *testing.T) {
	L := newState(t)
	million := strings.Repeat("a", 1000000)
	L.SetGlobal("million", lua.LString(million))
	cases := []struct{ expr, want string }{
		// RFC 1321 appendix A.5
		{"md5.sum('')", "d41d8cd98f00b204e9800998ecf8427e"},
		{"md5.sum('a')", "0cc175b9c0f1b6a831c399e269772661"},
		{"md5.sum('abc')", "900150983cd24fb0d6963f7d28e17f72"},
		{"md5.sum('message digest')", "f96b697d7cb7938d525a2f31aaf161d0"},
		{"md5.sum('12345678901234567890123456789012345678901234567890123456789012345678901234567890')", "57edf4a22be3c955ac49da2e2107b67a"},
		// FIPS 180-2 appendix A/B
		{"sha1.sum('abc')", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{"sha1.sum('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
		{"sha1.sum(million)", "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
		{"sha256.sum('abc')", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"sha256.sum('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"sha256.sum(million)", "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
		{"sha256.sum('')", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	}
	for _, c := range cases {
		if got := hexOf(t, L, c.expr); got != c.want {
			t.Errorf("%s = %s, want %s", c.expr, got, c.want)
		}
	}
	// Numbers are hashed as their string form, as luaL_checklstring does.
	if hexOf(t, L, "md5.sum(123)") != hexOf(t, L, "md5.sum('123')") {
		t.Error("md5.sum(123) differs from md5.sum('123')")
	}
}

func TestIncrementalEqualsOneShot(t *testing.T) {
	L := newState(t)
	for _, m := range []string{"md5", "sha1", "sha256"} {
		err := L.DoString(`local m = ` + m + `
			local c = m.new()
			assert(c:update('a') == nil)
			c:update('b'); c:update('c')
			assert(c:final() == m.sum('abc'))
			-- After final the context starts over (documented difference).
			c:update('xyz')
			assert(c:final() == m.sum('xyz'))`)
		if err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
}

func TestHMACVectors(t *testing.T) {
	L := newState(t)
	L.SetGlobal("key20", lua.LString(strings.Repeat("\x0b", 20)))
	L.SetGlobal("key131", lua.LString(strings.Repeat("\xaa", 131)))
	L.SetGlobal("data50", lua.LString(strings.Repeat("\xdd", 50)))
	cases := []struct{ expr, want string }{
		// lua-eco tests/hash-test.lua
		{"hmac.sum(md5, 'key', 'The quick brown fox jumps over the lazy dog')", "80070713463e7749b90c2dc24911e275"},
		{"hmac.sum(sha1, 'key', 'The quick brown fox jumps over the lazy dog')", "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9"},
		{"hmac.sum(sha256, 'key', 'The quick brown fox jumps over the lazy dog')", "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"},
		// RFC 4231 test cases 1, 2, 3 and 6 (key longer than the block)
		{"hmac.sum(sha256, key20, 'Hi There')", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
		{"hmac.sum(sha256, 'Jefe', 'what do ya want for nothing?')", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		{"hmac.sum(sha256, string.rep('\\170', 20), data50)", "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
		{"hmac.sum(sha256, key131, 'Test Using Larger Than Block-Size Key - Hash Key First')", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
		// RFC 2202 test case 1 for HMAC-MD5 and HMAC-SHA1
		{"hmac.sum(md5, string.rep('\\11', 16), 'Hi There')", "9294727a3638bb1c13f48ef8158bfc9d"},
		{"hmac.sum(sha1, key20, 'Hi There')", "b617318655057264e28bc0b6fb378c8ef146be00"},
	}
	for _, c := range cases {
		if got := hexOf(t, L, c.expr); got != c.want {
			t.Errorf("%s = %s, want %s", c.expr, got, c.want)
		}
	}
	luatest.Run(t, L, `local long = string.rep('k', 100)
		local ctx = hmac.new(sha256, long)
		ctx:update('abc'); ctx:update('def'); ctx:update('0123'); ctx:update('456789')
		assert(ctx:final() == hmac.sum(sha256, long, 'abcdef0123456789'))
		assert(type(ctx.ctx) == 'userdata' and ctx.hash == sha256 and #ctx.key == 64)`)
}

func TestArgumentErrors(t *testing.T) {
	L := newState(t)
	cases := map[string]string{
		"md5.sum({})":                              "<string>:1: bad argument #1 to 'sum' (string expected, got table)",
		"sha256.sum()":                             "<string>:1: bad argument #1 to 'sum' (string expected, got no value)",
		"sha1.new():update({})":                    "<string>:1: bad argument #1 to 'update' (string expected, got table)",
		"local c = md5.new(); c.update({})":        "<string>:1: calling 'update' on bad self (struct md5_ctx * expected, got table)",
		"local c = md5.new(); c.final(sha1.new())": "<string>:1: calling 'final' on bad self (struct md5_ctx * expected, got struct sha1_ctx *)",
		"hmac.new({}, 'k')":                        "expecting hash to be a hash module",
		"hmac.new(nil, 'k')":                       "expecting hash to be a hash module",
		"hmac.new('md5', 'k')":                     "expecting hash to be a hash module",
		"hmac.new(md5, false)":                     "expecting key to be a string",
		"hmac.new(md5, 12)":                        "expecting key to be a string",
		"hmac.new(md5, 'k'):update(false)":         "expecting data to be a string",
		"hmac.sum(sha1, 'k', 5)":                   "expecting data to be a string",
		"hmac.new(5, 'k')":                         "<string>:1: attempt to index a number value (local 'hash')",
	}
	for code, want := range cases {
		if got := luatest.MustFail(t, L, code); got != want {
			t.Errorf("%s: error %q, want %q", code, got, want)
		}
	}
}
