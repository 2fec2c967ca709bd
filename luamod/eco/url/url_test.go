package url

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/luamod/internal/luatest"
	lua "github.com/yuin/gopher-lua"
)

func newState(t testing.TB) *lua.LState {
	t.Helper()
	return luatest.NewState(t, Modules(), `url = require 'eco.http.url'`)
}

func TestEscapeUnescape(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		local s, n = url.escape('a b/c_D9~é')
		assert(s == 'a%20b%2fc_D9%7e%c3%a9', s)
		assert(n == 5, n)
		s, n = url.escape('')
		assert(s == '' and n == 0)
		s, n = url.escape(12.5)
		assert(s == '12%2e5' and n == 1, s)
		s, n = url.unescape('a%20b+c%2F%2f%zz%4')
		assert(s == 'a b+c//%zz%4', s)
		assert(n == 3, n)
		assert(url.unescape(url.escape('\0\1\255 x')) == '\0\1\255 x')
		local ok, err = pcall(url.escape, {})
		assert(not ok and err:find("bad argument #1 to 'gsub' %(string expected, got table%)"), err)
	`)
}

func TestParseVectors(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, `
		-- lua-eco tests/http-test.lua
		local p = assert(url.parse('http://[::1]:8080/v6?q=1'))
		assert(p.host == '::1' and p.port == 8080 and p.path == '/v6' and p.raw_path == '/v6?q=1')
		assert(p.scheme == 'http' and p.query == 'q=1' and p.frag == nil and p.user == nil)

		p = assert(url.parse('https://user:pass@example.com:443/a/b;x=1?k=v&z#top'))
		assert(p.scheme == 'https' and p.user == 'user' and p.password == 'pass')
		assert(p.host == 'example.com' and p.port == 443)
		assert(p.raw_path == '/a/b;x=1?k=v&z#top' and p.path == '/a/b')
		assert(p.params == 'x=1' and p.query == 'k=v&z' and p.frag == 'top')

		p = assert(url.parse('ws://host'))
		assert(p.host == 'host' and p.port == nil and p.raw_path == '/' and p.path == '/')
		assert(p.query == nil and p.params == nil)

		p = assert(url.parse('ws://host?x'))
		assert(p.raw_path == '/?x' and p.path == '/' and p.query == 'x')

		p = assert(url.parse('http://bob@h:abc/p'))
		assert(p.user == 'bob' and p.password == nil and p.host == 'h' and p.port == nil)
		assert(p.raw_path == '/:abc/p' and p.path == '/:abc/p')

		p = assert(url.parse('http://h/p?a?b;c#f'))
		assert(p.query == 'b' and p.params == 'c' and p.frag == 'f')

		local none, err = url.parse('127.0.0.1/x')
		assert(none == nil and err == 'invalid url')
		none, err = url.parse('http://')
		assert(none == nil and err == 'invalid url')
		none, err = url.parse('http://[::1/x')
		assert(none == nil and err == 'invalid url')
		none, err = url.parse(nil)
		assert(none == nil and err == 'invalid url')
		none, err = url.parse(false)
		assert(none == nil and err == 'invalid url')
		assert(select('#', url.parse('http://h/')) == 1)
	`)
}

// patternParse is url.parse written with Lua patterns, run by gopher-lua's
// own pattern engine; TestParseMatchesLuaPatterns checks the Go port
// against it on generated inputs.
const patternParse = `
local function pparse(u)
    local r = {}
    u = u:gsub('^%a%w*://', function(s) r.scheme = s:match('%a%w*'); return '' end)
    if not r.scheme then return nil end
    u = u:gsub('^[^:@]+:[^:@]+@', function(s) r.user, r.password = s:match('([^:]+):([^@]+)'); return '' end)
    u = u:gsub('^([^@]+)@', function(s) r.user = s; return '' end)
    if u:sub(1, 1) == '[' then
        u = u:gsub('^%[([^%]]+)%]', function(s) r.host = s; return '' end)
    else
        u = u:gsub('^[^:/?#]+', function(s) r.host = s; return '' end)
    end
    if not r.host then return nil end
    u = u:gsub('^:(%d+)', function(s) r.port = tonumber(s); return '' end)
    if u:sub(1, 1) ~= '/' then u = '/' .. u end
    r.raw_path = u
    u = u:gsub('^/[^;?#]*', function(s) r.path = s; return '' end)
    u = u:gsub(';([^;?#]*)', function(s) r.params = s; return '' end)
    u = u:gsub('?([^;?#]*)', function(s) r.query = s; return '' end)
    u = u:gsub('#([^;?#]*)$', function(s) r.frag = s; return '' end)
    return r
end
local fields = {'scheme', 'user', 'password', 'host', 'port', 'raw_path', 'path', 'params', 'query', 'frag'}
function compare(u)
    local want, got = pparse(u), url.parse(u)
    if want == nil then
        assert(got == nil, 'expected invalid url: ' .. u)
        return
    end
    assert(got, 'unexpected invalid url: ' .. u)
    for _, f in ipairs(fields) do
        assert(want[f] == got[f], string.format('%q: field %s = %s, want %s', u, f, tostring(got[f]), tostring(want[f])))
    end
end
`

func TestParseMatchesLuaPatterns(t *testing.T) {
	L := newState(t)
	luatest.Run(t, L, patternParse)
	fixed := []string{
		"http://a:b@c@d/x", "http://host/path@x", "h1://u:p@[fe80::1]:99", "a://:@", "a://u:@h",
		"a://h:/p", "a://h:12x", "a://h;;p", "a://h/#a#b", "a://h/p#x?y", "a9+b://h", "1a://h",
		"a://[]", "a://[x]y/z", "a://@h", "a://h/p;a?b;c?d#e", "A://H/%20",
	}
	alphabet := []string{"a", "b", "1", ":", "/", "@", "?", "#", ";", "[", "]", "%", "=", "&", "::", "//"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		if rng.IntN(10) > 0 {
			b.WriteString([]string{"http://", "ws://", "x1://", "h://"}[rng.IntN(4)])
		}
		for n := rng.IntN(14); n > 0; n-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		fixed = append(fixed, b.String())
	}
	for _, u := range fixed {
		if err := L.CallByParam(lua.P{Fn: L.GetGlobal("compare"), Protect: true}, lua.LString(u)); err != nil {
			t.Fatal(err)
		}
	}
}
