package lua54

import (
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// The last parameter is shadowed by a local (one MOVE on entry) only in
// functions that assign it a call gopher-lua would compile in place; the
// behaviour is checked against lua5.4 in spec/lua54/lastparam.lua.
func TestLastParamShadowOnlyWhenNeeded(t *testing.T) {
	cases := []struct {
		src    string
		shadow bool
	}{
		{"local function f(p) p = p // 2 return p end", true},
		{"local function f(p) p = (tostring(p)) return p end", true},
		{"local function f(a, p) local b; p, b = tostring(p), 1 return p end", true},
		{"function t:m() self = (self:n()) end", true},
		{"local function f(p) p = p + 1 return p end", false},
		{"local function f(p) p = tostring(p) return p end", false},
		{"local function f(p, q) p = p // 2 return p end", false},
		{"local function f(p) local x = p // 2 return x end", false},
		{"local function f(p) do local p = 1; p = p // 2 end return p end", false},
		{"local function f(p) local function g() p = p // 2 end g() return p end", false},
	}
	for _, c := range cases {
		proto, err := Compile([]byte(c.src), "=test")
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		fn := proto.FunctionPrototypes[0]
		first := int(fn.Code[0] >> 26)
		got := first == lua.OP_MOVE && int(fn.Code[0]>>18)&0xff == int(fn.NumParameters)
		if got != c.shadow {
			t.Errorf("%s: shadowed %v, want %v\n%s", c.src, got, c.shadow, fn.String())
		}
	}
}
