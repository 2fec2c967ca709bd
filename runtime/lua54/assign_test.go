package lua54

import (
	"fmt"
	"strings"
	"testing"
)

// TestMultipleAssignment runs the shapes of multiple assignment that
// gopher-lua v1.1.2 miscompiles (issue #440) and those it gets right, with
// the output lua5.4 prints for each.
func TestMultipleAssignment(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"swap locals", "local i, j = 1, 2; i, j = j, i; print(i, j)", "2\t1\n"},
		{"swap parameters", "local function f(a, b) a, b = b, a return a, b end print(f(1, 2))", "2\t1\n"},
		{"gcd loop", "local function gcd(a, b) while b ~= 0 do a, b = b, a % b end return a end print(gcd(48, 18), gcd(17, 5), gcd(0, 7))", "6\t1\t7\n"},
		{"rotate three", "local a, b, c = 1, 2, 3; a, b, c = b, c, a; print(a, b, c)", "2\t3\t1\n"},
		{"read inside expression", "local a, b = 1, 2; a, b = b, a + 1; print(a, b)", "2\t2\n"},
		{"read in call argument", "local a, b = 1, 2; a, b = b, tostring(a); print(a, b)", "2\t1\n"},
		{"read by vararg function", "local function f(...) local a, b = 1, 2; a, b = ..., a; return a, b end print(f(9))", "9\t1\n"},
		{"read in table constructor", "local a, b = 1, 2; a, b = b, {a}; print(a, b[1])", "2\t1\n"},
		{"read by closure called later", "local a, b = 1, 2; a, b = 5, (function() return a end)(); print(a, b)", "5\t1\n"},
		{"written by closure called later", "local a, b = 1, 2; a, b = 3, (function() a = 7 return 0 end)(); print(a, b)", "3\t0\n"},
		{"captured local read by a call", "local a, b = 1, 2; local function g() return a end; a, b = 5, g(); print(a, b)", "5\t1\n"},
		{"captured local read by a metamethod", "local a, b = 1, 2; local t = setmetatable({}, {__index = function() return a end}); a, b = 5, t.x; print(a, b)", "5\t1\n"},
		{"captured later in a loop", "local a, b = 1, 2; local f; for i = 1, 2 do a, b = i * 10, f and f() or 0; f = function() return a end end; print(a, b)", "20\t10\n"},
		{"captured later before a goto", "local a, b, n = 1, 2, 0; local f; ::top:: a, b = n, f and f() or -1; f = function() return a end; n = n + 1; if n < 3 then goto top end; print(a, b)", "2\t1\n"},
		{"captured local read by a global's __index", "local a, b = 1, 2; local f = function() return a end; setmetatable(_G, {__index = function() return f() end}); a, b = 5, undefinedglobal; print(a, b)", "5\t1\n"},
		{"more values than targets", "local a, b = 1, 2; a, b = 3, 4, print(a, b); print(a, b)", "1\t2\n3\t4\n"},
		{"fewer values than targets", "local a, b, c = 1, 2, 3; a, b, c = c; print(a, b, c)", "3\tnil\tnil\n"},
		{"fewer values read later", "local a, b, c = 1, 2, 3; a, b, c = c, a; print(a, b, c)", "3\t1\tnil\n"},
		{"repeated local target", "local a = 0; a, a = 1, 2; print(a)", "1\n"},
		{"repeated local among others", "local a, b = 0, 0; a, b, a = 1, 2, 3; print(a, b)", "1\t2\n"},
		{"repeated local from a vararg", "local function f(...) local a; a, a = ...; return a end print(f(1, 2))", "1\n"},
		{"repeated global target", "x, x = 1, 2; print(x)", "1\n"},
		{"repeated field target", "local t = {}; t.x, t.x = 1, 2; print(t.x)", "1\n"},
		{"multi-value call last", "local a, b, c = 1, 2, 3; local function f(x) return x, x * 10 end; a, b, c = 7, f(a); print(a, b, c)", "7\t1\t10\n"},
		{"multi-value call only", "local a, b = 1, 2; local function f() return b, a end; a, b = f(); print(a, b)", "2\t1\n"},
		{"multi-value vararg last", "local function f(...) local a, b, c = 1, 2, 3; a, b, c = c, ...; return a, b, c end print(f(a, 8))", "3\tnil\t8\n"},
		{"upvalue targets", "local a, b = 1, 2; local function f() a, b = b, a end; f(); print(a, b)", "2\t1\n"},
		{"global targets", "ga, gb = 1, 2; ga, gb = gb, ga; print(ga, gb)", "2\t1\n"},
		{"local and global targets", "local a = 1; g = 2; a, g = g, a; print(a, g)", "2\t1\n"},
		{"local and upvalue targets", "local u = 1; local function f() local a = 2; a, u = u, a; return a end print(f(), u)", "1\t2\n"},
		{"table targets", "local t = {1, 2}; t[1], t[2] = t[2], t[1]; print(t[1], t[2])", "2\t1\n"},
		{"key is a target local", "local i = 3; local t = {}; i, t[i] = i + 1, 20; print(i, t[3], t[4])", "4\t20\tnil\n"},
		{"key is a later target local", "local i = 3; local t = {}; t[i], i = 20, i + 1; print(i, t[3], t[4])", "4\t20\tnil\n"},
		{"key is a target local from a vararg", "local function f(...) local i = 3; local t = {}; t[i], i = ...; return i, t[3], t[4] end print(f(20, 4))", "4\t20\tnil\n"},
		{"table is a target local", "local a = {}; local old = a; a, a.x = {}, 1; print(old.x, a.x)", "1\tnil\n"},
		{"table is a later target local", "local function f(...) local a = {}; local old = a; a.x, a = ...; return old.x, a.x end print(f(1, {}))", "1\tnil\n"},
		{"manual example", "local a, i, j, b = nil, 1, 2, nil; a = {'a', 'b'}; b = a; i, a[i], a, j, a[j], a[i+j] = j, i, i, b, j, i; print(i, b[1], a, j == b, b[2], b[3])", "2\t1\t1\ttrue\t2\t1\n"},
		{"logical value", "local a, b = nil, 2; a, b = b, a or 7; print(a, b)", "2\t7\n"},
		{"concat value", "local a, b = \"x\", \"y\"; a, b = b, a .. \"!\"; print(a, b)", "y\tx!\n"},
		{"floor division value", "local a, b = 7, 2; a, b = b, a // b; print(a, b)", "2\t3\n"},
		{"modulo value", "local a, b = 7, 2; a, b = b, a % b; print(a, b)", "2\t1\n"},
		{"bitwise value", "local a, b = 7, 2; a, b = b, a & 3; print(a, b)", "2\t3\n"},
		{"call into the last parameter", "local function g(x) return x + 1 end local function f(a, b) b, a = g(a), b return a, b end print(f(1, 2))", "2\t2\n"},
		{"nested function swaps its own locals", "local function outer() local x, y = 1, 2; local function inner() x, y = y, x end; inner(); return x, y end print(outer())", "2\t1\n"},
		{"swap in a nested function", "local function outer() local x, y = 1, 2; local function inner() local p, q = x, y; p, q = q, p; return p, q end return inner() end print(outer())", "2\t1\n"},
		{"fibonacci", "local a, b = 0, 1; for i = 1, 10 do a, b = b, a + b end; print(a, b)", "55\t89\n"},
		{"repeated target past the values", "local a, b = 0, 0; a, a, b = 1; print(a, b)", "1\tnil\n"},
		{"read by a multi-value call after a constant", "local function f() return 4, 5, 6 end local a, b, c = 1, 2, 3; a, b, c = 9, f(a); print(a, b, c)", "9\t4\t5\n"},
		{"captured local read by two calls", "local a, b, c = 1, 2, 3; local function f() return a end; a, b, c = 7, f(), f(); print(a, b, c)", "7\t1\t1\n"},
		{"swap with a nil filled in", "local a, b, c = 1, 2, 3; a, b, c = b, a; print(a, b, c)", "2\t1\tnil\n"},
		{"field between local targets", "local t, a, b = {}, 1, 2; a, t.x, b = b, a, a; print(a, t.x, b)", "2\t1\t1\n"},
		{"safe distinct values", "local a, b = 1, 2; a, b = 3, 4; print(a, b)", "3\t4\n"},
	}
	for _, c := range cases {
		out, err := runLua(t, c.src)
		if err != nil || out != c.want {
			t.Errorf("%s: %s\ngot %q, %v\nwant %q", c.name, c.src, out, err, c.want)
		}
	}
}

// names lists prefix..from, ..., prefix..to.
func names(prefix string, from, to int) string {
	var parts []string
	for i := from; i <= to; i++ {
		parts = append(parts, fmt.Sprintf("%s%d", prefix, i))
	}
	return strings.Join(parts, ", ")
}

func reversed(prefix string, n int) string {
	var parts []string
	for i := n; i >= 1; i-- {
		parts = append(parts, fmt.Sprintf("%s%d", prefix, i))
	}
	return strings.Join(parts, ", ")
}

func numbers(n int) string {
	var parts []string
	for i := 1; i <= n; i++ {
		parts = append(parts, fmt.Sprint(i))
	}
	return strings.Join(parts, ", ")
}

// TestLargeMultipleAssignment checks that the lowering fits gopher-lua's
// 200 registers: hidden locals for a moderate statement, a table when the
// function already has many locals.
func TestLargeMultipleAssignment(t *testing.T) {
	var rot []string
	for i := 2; i <= 100; i++ {
		rot = append(rot, fmt.Sprintf("id(a%d)", i))
	}
	rot = append(rot, "id(a1)")
	cases := []struct{ name, src, want string }{
		{"reverse 100 locals",
			"local " + names("a", 1, 100) + " = " + numbers(100) + "\n" + names("a", 1, 100) + " = " + reversed("a", 100) + "\nprint(a1, a2, a50, a100)",
			"100\t99\t51\t1\n"},
		{"reverse 40 locals",
			"local function f() local " + names("a", 1, 40) + " = " + numbers(40) + "\n" + names("a", 1, 40) + " = " + reversed("a", 40) + "\nreturn a1, a2, a40 end print(f())",
			"40\t39\t1\n"},
		{"rotate 100 locals through calls",
			"local function id(x) return x end local " + names("a", 1, 100) + " = " + numbers(100) + "\nlocal f = function() return a1 end\n" + names("a", 1, 100) + " = " + strings.Join(rot, ", ") + "\nprint(a1, a2, a100, f())",
			"2\t3\t1\t2\n"},
		{"fields and repeated targets after 120 locals",
			"local " + names("v", 1, 120) + "\nlocal t, k, x = {}, 'k', 1\nx, t[k], x, t.y, k = k, x, 3, x\nprint(x, t.k, t.y, k)",
			"k\t1\t1\tnil\n"},
	}
	for _, c := range cases {
		out, err := runLua(t, c.src)
		if err != nil || out != c.want {
			t.Errorf("%s: got %q, %v; want %q", c.name, out, err, c.want)
		}
	}
}

// TestAssignLoweredOnlyWhenUnsafe checks that multiple assignments
// gopher-lua compiles correctly keep its bytecode, and that the others are
// rewritten.
func TestAssignLoweredOnlyWhenUnsafe(t *testing.T) {
	safe := []string{
		"local a, b; a, b = 1, 2",
		"local a, b; a, b = b, 2",
		"local a, b, c; a, b, c = c",
		"local a, b; local function f() return 1 end; a, b = f(), f()",
		"local a, b; a, b = ...",
		"local a, b; local f = function() return a end; local c; a, b = 1, c",
		"local t, a, b = {}, 1, 2; t[a], t[b] = t[b], t[a]",
		"x, y = y, x",
		"local a, b; local function f() a, b = b, a end",
		"local a, b; local i = 1; local t = {}; i, t[i] = i + 1, 20",
	}
	unsafe := []string{
		"local a, b; a, b = b, a",
		"local a, b; a, b = 1, a",
		"local a, b; local f = function() return a end; a, b = 1, f()",
		"local a, b; while true do a, b = 1, b() end",
		"local a, b; local f = function() return a end; a, b = 1, c",
		"local a; a, a = 1, 2",
		"local a = {}; a, a.x = {}, 1",
		"local a, b; a, b = 1, 2, a",
		"local a, b, c; a, b, c = c, a",
	}
	for _, list := range []struct {
		srcs    []string
		lowered bool
	}{{safe, false}, {unsafe, true}} {
		for _, src := range list.srcs {
			mode := parseMode{}
			got, err := compile([]byte(src), "=t", mode)
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			mode.nativeAssign = true
			want, err := compile([]byte(src), "=t", mode)
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			if diff := compareProto(want, got, "main"); (diff != "") != list.lowered {
				t.Errorf("%s: lowered %v, want %v (%s)", src, diff != "", list.lowered, diff)
			}
		}
	}
}
