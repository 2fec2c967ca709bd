package lua54

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCompile checks that the front-end never panics or hangs: any input
// either compiles or yields a *SyntaxError. The seed corpus (run by plain
// go test) holds the spec programs and fragments of every construct.
func FuzzCompile(f *testing.F) {
	seeds := []string{
		"", "x = 1", "local a <const>, b <close> = 1, nil",
		"return 1 & 2 | 3 ~ 4 << 5 >> 6 // 7", "x = ~y", "goto a; ::a::",
		"do local x <close> = f(); for i = 1, 2 do goto c end ::c:: end",
		"repeat local x <close> = f() until x", "local _ENV = {}; y = 1", "x = _ENV",
		"s = '\\x41\\u{7FFFFFFF}\\z  \\065'", "n = 0x1p4 + 0xA.8P-1 + 1e10 + .5",
		"--[==[ c ]==] x = [[\nlong]]", "#!/bin/sh\nx = 1", "f\n(1)", "a.b:c'x'{y}",
		"x = (((((1)))))", "return ...", "function a.b.c:d(...) return self end",
		"if a then elseif b then else end", "while x do break end",
		"x = 'unfinished", "x = [[", "x = 3x", "::a:: ::a::", "local x <foo>",
		"global _ x = 1", "global<const> * local x = 1 x = 2", "global function f() return f end",
		"local x global x, y <const> = 1, 2 do global * z = x end", "_ENV = {} function g() _ENV = nil end",
		"for i = a, b, c do if i then break end end", "local function f(...) return arg end",
		"h = ((h ~ c) * 16777619) & 0xffffffff", "x = (a * 0x9E3779B97F4A7C15 + -b // 3 % m) >> 11",
		"x = (0x9E3779B97F4A7C15)", "f(0x9E3779B97F4A7C15) (0x9E3779B97F4A7C15)()", "x = ~-(a * f(0x9E3779B97F4A7C15 << 1))",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if specs, _ := filepath.Glob("../../spec/lua54/*.lua"); len(specs) > 0 {
		for _, p := range specs {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			t.Skip("input larger than the fuzz bound")
		}
		_, err := Compile(src, "=fuzz")
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("non-syntax error %T: %v", err, err)
			}
		}
	})
}
