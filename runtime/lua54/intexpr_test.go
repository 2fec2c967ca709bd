package lua54

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// intexprNames returns the integer expression programs a chunk's main
// function calls (the helper names stay among its constants).
func intexprNames(t *testing.T, src string) []string {
	t.Helper()
	proto, err := Compile([]byte(src), "=t")
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	var names []string
	for _, k := range proto.Constants {
		if s, ok := k.(lua.LString); ok && strings.HasPrefix(string(s), intexprPrefix) {
			names = append(names, strings.TrimPrefix(string(s), intexprPrefix))
		}
	}
	return names
}

// TestIntexprFusion: which expressions become one integer expression
// call, and the program each spells.
func TestIntexprFusion(t *testing.T) {
	for src, want := range map[string]string{
		// One operator with plain operands keeps its helper.
		"local a, b = ... return a & b":        "",
		"local a = ... return a << 3":          "",
		"local a, b = ... return a // b":       "",
		"local a, b = ... return (a + b) % 7":  "", // no product: OP_MOD
		"local a, b = ... return (a + b) // 2": "", // idiv helper
		"local a = ... return 2^a & 1":         "", // ^ is a leaf
		// Trees.
		"local h, c = ... return ((h ~ c) * 16777619) & 0xffffffff": "aa^#16777619;*#4294967295;&",
		"local h, c = ... return ((h << 5) + h + c) & 0xffffffff":   "a#5;<a+a+#4294967295;&",
		"local a, b, m = ... return (a * b) % m":                    "aa*a%",
		"local a, b = ... return (a * b) // 1000000007":             "aa*#1000000007;/",
		"local x = ... return (x * 0x9E3779B97F4A7C15) >> 11":       "a#-7046029254386353131;*#11;>",
		"local x = ... return ~(x * 3)":                             "a#3;*!",
		"local x = ... return -(x & 1) & 5":                         "a#1;&n#5;&",
		"local a, b, c = ... return (a / b * c) & 1":                "aa*#1;&", // a / b is one leaf
		"local a, b = ... return (a & b) | (a // b)":                "aa&aa/|",
	} {
		got := strings.Join(intexprNames(t, src), " ")
		if got != want {
			t.Errorf("%s: program %q, want %q", src, got, want)
		}
	}
}

// TestIntexprManyLeaves: a tree with more leaves than one call can take
// in registers is computed as before (in float64), not refused.
func TestIntexprManyLeaves(t *testing.T) {
	src := "local x = 1 return (x" + strings.Repeat(" + x", 299) + ") & 0xffff"
	if names := intexprNames(t, src); len(names) != 0 {
		t.Errorf("fused %d leaves: %q", 300, names)
	}
	out, err := runLua(t, "print((function() "+src+" end)())")
	if err != nil || out != "300\n" {
		t.Errorf("got %q, %v", out, err)
	}
}

// TestExactLiterals: an integer literal beyond 2^53 is accepted only
// inside an integer expression, which holds it exactly; a folded constant
// rounds like the run time unless an enclosing expression takes it.
func TestExactLiterals(t *testing.T) {
	refused := map[string]string{
		"local K = 0x9E3779B97F4A7C15":                                "t:1: integer literal 0x9E3779B97F4A7C15 cannot be represented exactly (numbers are float64 in golua-ws)",
		"local x = ... return x * 0x9E3779B97F4A7C15":                 "t:1: integer literal 0x9E3779B97F4A7C15 cannot be represented exactly (numbers are float64 in golua-ws)",
		"print(0x9E3779B97F4A7C15 >> 11, 0x20000000000001)":           "t:1: integer literal 0x20000000000001 cannot be represented exactly (numbers are float64 in golua-ws)",
		"return {\n[1] = 9007199254740993}":                           "t:2: integer literal 9007199254740993 cannot be represented exactly (numbers are float64 in golua-ws)",
		"(0x9E3779B97F4A7C15)()":                                      "t:1: integer literal 0x9E3779B97F4A7C15 cannot be represented exactly (numbers are float64 in golua-ws)",
		"return f(function() return 1 end, 9007199254740993 + 1) & 1": "t:1: integer literal 9007199254740993 cannot be represented exactly (numbers are float64 in golua-ws)",
	}
	for src, want := range refused {
		_, err := Compile([]byte(src), "=t")
		if err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %q", src, err, want)
		}
	}
	for src, want := range map[string]string{
		"return (0x9E3779B97F4A7C15) >> 40":                   "10368889",
		"local x = 3 return ((0x9E3779B97F4A7C15)) * x >> 40": "14329453",
		"return (0x7fffffff << 32 | 0xffffffff) >> 20":        "8796093022207",
		// A folded constant float64 cannot hold rounds, as the same
		// operation on variables does at run time.
		"return (0x7fffffff << 32 | 0xffffffff) == 2^63":                                 "true",
		"return -(0x7fffffff << 32 | 0xffffffff) == -2^63":                               "true",
		"return (function() return 9007199254740993 >> 1 end)()":                         "4503599627370496",
		"local x = 2 return (x * 9007199254740993 + (function() return 1 end)()) & 0xff": "3",
	} {
		out, err := runLua(t, "print(("+strings.TrimPrefix(src, "return ")+"))")
		if strings.HasPrefix(src, "local") {
			out, err = runLua(t, "print((function() "+src+" end)())")
		}
		if err != nil || out != want+"\n" {
			t.Errorf("%s: %q, %v; want %s", src, out, err, want)
		}
	}
}

// TestIntOp covers the integer operators' edge cases (5.4's results).
func TestIntOp(t *testing.T) {
	const minInt = -1 << 63
	for _, c := range []struct {
		op   byte
		x, y int64
		want int64
		err  string
	}{
		{iopIDiv, minInt, -1, minInt, ""},
		{iopMod, minInt, -1, 0, ""},
		{iopIDiv, -7, 2, -4, ""},
		{iopMod, -7, 2, 1, ""},
		{iopMod, 7, -2, -1, ""},
		{iopIDiv, 1, 0, 0, "attempt to divide by zero"},
		{iopMod, 1, 0, 0, "attempt to perform 'n%0'"},
		{iopMul, 1 << 62, 4, 0, ""},
		{iopAdd, 1<<63 - 1, 1, minInt, ""},
		{iopNeg, minInt, 0, minInt, ""},
		{iopShl, 1, 64, 0, ""},
		{iopShl, 1, -1, 0, ""},
		{iopShr, -1, 60, 15, ""},
		{iopShr, 1, -63, minInt, ""},
	} {
		got, err := intOp(c.op, c.x, c.y)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if got != c.want || msg != c.err {
			t.Errorf("%d %c %d = %d, %q; want %d, %q", c.x, c.op, c.y, got, msg, c.want, c.err)
		}
	}
	for _, bad := range []string{"", "a+", "#x;", "aa", "a?", "a#1"} {
		if _, err := parseIntProgram(bad); err == nil {
			t.Errorf("parseIntProgram(%q) accepted", bad)
		}
	}
}
