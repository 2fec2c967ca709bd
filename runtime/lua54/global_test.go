package lua54

import (
	"strings"
	"testing"
)

// compileError compiles src as chunk "=t" and returns the error text.
func compileError(t *testing.T, src string) string {
	t.Helper()
	_, err := Compile([]byte(src), "=t")
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestGlobalDeclarationErrors checks the compile-time rules of Lua 5.5's
// global declarations (lparser.c of Lua 5.5.0: searchvar, buildvar,
// getglobalattribute), with 5.5's messages.
func TestGlobalDeclarationErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"global _\nprint(1)", "t:2: variable 'print' not declared"},
		{"global _\nx = 1", "t:2: variable 'x' not declared"},
		{"global _\nfunction f() end", "t:2: variable 'f' not declared"},
		{"global _\nlocal function f() return zz end", "t:2: variable 'zz' not declared"},
		{"local function f()\n global y\n return z\nend", "t:4: variable 'z' not declared"},
		{"do global Y end\nY = 1 X = 1", ""}, // the declaration's scope ended
		{"global Y\ndo global * end X = 1", "t:2: variable 'X' not declared"},
		{"global Y\ndo global * X = 1 end", ""},
		{"global<const> K\nK = 1", "t:2: attempt to assign to const variable 'K'"},
		{"global K <const>, L\nL = 1 K = 2", "t:2: attempt to assign to const variable 'K'"},
		{"global<const> *\nprint(math.pi)\nY = 1", "t:3: attempt to assign to const variable 'Y'"},
		{"global X\nglobal<const> *\nX = 1", ""},
		{"global<const> *\nfunction f() end", "t:2: attempt to assign to const variable 'f'"},
		{"global<const> *\nlocal x = 1\nx = 2", ""}, // locals stay writable
		{"global<const> K\n_ENV.K = 1", ""},         // only the name is read-only
		{"global x <close>", "t:1: global variables cannot be to-be-closed"},
		{"global<close> *", "t:1: global variables cannot be to-be-closed"},
		{"global x <foo>", "t:1: unknown attribute 'foo'"},
		{"global _\nreturn _ENV, _ENV.x", ""},
		{"goto l\nglobal x\n::l:: x = 1", "t:3: <goto l> at line 1 jumps into the scope of global 'x'"},
		// "global" stays a name where 5.5 (LUA_COMPAT_GLOBAL) reads no declaration.
		{"global = 1 global.x = 2 global(1) global 'x' global {} local global = global", ""},
		{"local t = {global = 1} return t.global", ""},
		{"global x, = 1", "t:1: <name> expected near '='"},
	}
	for _, c := range cases {
		if got := compileError(t, c.src); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

func TestGlobalDeclarationsRun(t *testing.T) {
	out, err := runLua(t, `local print, pcall, load = print, pcall, load
global x, print, setmetatable, rawget, rawset, e
x = 10
do
  local x = x
  print(x)
  x = x + 1
  do
    local x = x + 1
    print(x)
  end
  print(x)
end
print(x)
local y = "local"
do
  global y        -- shadows the local y
  y = "global"
  print(y, _ENV.y)
end
print(y, _ENV.y)
global a, b = 1, 2, 3
print(a, b)
global c, d = (function() return "c", "d", "e" end)()
print(c, d)
print(pcall(function() global a = 5 end))
print(pcall(function() global e, b = 1, 2 end))
print(e) -- names are checked and set last to first
global function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(5))
print(pcall(function() global function fact() end end))
local env = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v .. "!") end})
do
  local _ENV = env
  global g = "via _ENV"
end
print(env.g, rawget(_ENV, "g"))
`)
	want := `10
12
11
10
global	global
local	global
1	2
c	d
false	test.lua:26: global 'a' already defined
false	test.lua:27: global 'b' already defined
nil
120
false	test.lua:31: global 'fact' already defined
via _ENV!	nil
`
	if err != nil || out != want {
		t.Fatalf("got %q, %v\nwant %q", out, err, want)
	}
}

// TestSillyGlobalUnderscore compiles the shape of silly's library files:
// "global _" after the locals that capture what the file uses makes every
// other free name an error.
func TestSillyGlobalUnderscore(t *testing.T) {
	src := `local type = type
local setmetatable = setmetatable
global _
local TIMEOUT<const> = {}
local M = {}
function M.new(x) return setmetatable({x = x, t = TIMEOUT}, M) end
function M.kind(x) return type(x) end
`
	if got := compileError(t, src+"return M\n"); got != "" {
		t.Fatal(got)
	}
	if got := compileError(t, src+"print(1)\n"); !strings.Contains(got, "variable 'print' not declared") {
		t.Fatalf("got %q", got)
	}
}

// TestNonASCIIIdentifier: Lua 5.4 accepts only ASCII letters in names and
// shows the offending byte as its code (lua5.4: "unexpected symbol near
// '<\195>'").
func TestNonASCIIIdentifier(t *testing.T) {
	cases := map[string]string{
		"x = é":          `t:1: unexpected symbol near '<\195>'`,
		"local é = 1":    `t:1: <name> expected near '<\195>'`,
		"local aé = 1":   `t:1: unexpected symbol near '<\195>'`,
		"x = 1 \x01":     `t:1: unexpected symbol near '<\1>'`,
		"x = 1 \x7f":     `t:1: unexpected symbol near '<\127>'`,
		"x = {} x.é = 1": `t:1: <name> expected near '<\195>'`,
	}
	for src, want := range cases {
		if got := compileError(t, src); got != want {
			t.Errorf("%q: got %q, want %q", src, got, want)
		}
	}
}

// TestInexactIntegerLiteral: an integer literal float64 cannot hold is a
// load-time error; decimal literals beyond int64 are floats as in 5.4, and
// hexadecimal ones wrap modulo 2^64 first.
func TestInexactIntegerLiteral(t *testing.T) {
	cases := map[string]string{
		"return 9007199254740993":                                      "t:1: integer literal 9007199254740993 cannot be represented exactly (numbers are float64 in golua-ws)",
		"return -9007199254740993":                                     "t:1: integer literal 9007199254740993 cannot be represented exactly (numbers are float64 in golua-ws)",
		"return 0x7fffffffffffffff":                                    "t:1: integer literal 0x7fffffffffffffff cannot be represented exactly (numbers are float64 in golua-ws)",
		"return 0x20000000000001":                                      "t:1: integer literal 0x20000000000001 cannot be represented exactly (numbers are float64 in golua-ws)",
		"return 9223372036854775807":                                   "t:1: integer literal 9223372036854775807 cannot be represented exactly (numbers are float64 in golua-ws)",
		"return 9007199254740992, -9007199254740992, 9007199254740994": "",
		"return 9223372036854775808, 1e300, 9007199254740993.0":        "", // floats
		"return 0xffffffffffffffff, 0x8000000000000000, 0x1p63":        "", // -1, -2^63, a float
		"return 12345678901234567890":                                  "", // a float in 5.4
	}
	for src, want := range cases {
		if got := compileError(t, src); got != want {
			t.Errorf("%q: got %q, want %q", src, got, want)
		}
	}
}
