package lua54

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	lua "github.com/yuin/gopher-lua"
	glparse "github.com/yuin/gopher-lua/parse"
)

// BenchmarkCompile51 parses and compiles gopher-lua's Lua 5.1 test programs
// (about 190 KB of 5.1 code) with this front-end and, as the baseline in
// the same run, with gopher-lua's parse.Parse + lua.Compile.
func BenchmarkCompile51(b *testing.B) {
	base := gopherLuaDir(b)
	files, _ := filepath.Glob(filepath.Join(base, "_lua5.1-tests", "*.lua"))
	var srcs [][]byte
	size := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := glparse.Parse(bytes.NewReader(src), f); err != nil {
			continue
		}
		srcs = append(srcs, src)
		size += len(src)
	}
	b.Run("gopher-lua", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, src := range srcs {
				chunk, err := glparse.Parse(bytes.NewReader(src), "bench")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := lua.Compile(chunk, "bench"); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("lua54", func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, src := range srcs {
				if _, err := Compile(src, "=bench"); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// benchLoop runs a compiled chunk once per iteration; each chunk loops
// 1000 times, so ns/op divided by 1000 is the cost of one loop step.
func benchLoop(b *testing.B, src string) {
	benchLoopMode(b, src, parseMode{markGotos: true})
}

// benchLoopMode is benchLoop with a choice of lowerings.
func benchLoopMode(b *testing.B, src string, mode parseMode) {
	L := lua.NewState()
	defer L.Close()
	OpenRuntime(L)
	proto, err := compile([]byte(src), "=bench", mode)
	if err != nil {
		b.Fatal(err)
	}
	fn := L.NewFunctionFromProto(proto)
	for b.Loop() {
		L.Push(fn)
		if err := L.PCall(0, 0, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOperators compares lowered 5.4 operators with the 5.1
// arithmetic a script would otherwise write, in the same run.
func BenchmarkOperators(b *testing.B) {
	b.Run("band-5.4", func(b *testing.B) {
		benchLoop(b, "local s = 0 for i = 1, 1000 do s = s + (i & 255) end")
	})
	b.Run("mod-5.1", func(b *testing.B) {
		benchLoop(b, "local s = 0 for i = 1, 1000 do s = s + (i % 256) end")
	})
	b.Run("shl-bor-5.4", func(b *testing.B) {
		benchLoop(b, "local s = 0 for i = 1, 1000 do s = (i << 8) | (i & 255) end")
	})
	b.Run("mul-add-5.1", func(b *testing.B) {
		benchLoop(b, "local s = 0 for i = 1, 1000 do s = (i * 256) + (i % 256) end")
	})
	b.Run("idiv-5.4", func(b *testing.B) {
		benchLoop(b, "local s = 0 for i = 1, 1000 do s = s + i // 7 end")
	})
	b.Run("floor-div-5.1", func(b *testing.B) {
		benchLoop(b, "local floor = math.floor local s = 0 for i = 1, 1000 do s = s + floor(i / 7) end")
	})
	b.Run("empty-loop", func(b *testing.B) {
		benchLoop(b, "local s = 0 for i = 1, 1000 do s = s + i end")
	})
}

// BenchmarkOperatorCalls measures lowered operators inside small functions,
// the shape of lua-eco's MQTT length encoding: a local updated with //, &,
// >> in a loop, and a function returning p // 128 of its parameter.
func BenchmarkOperatorCalls(b *testing.B) {
	b.Run("local-idiv-band", func(b *testing.B) {
		benchLoop(b, `local function enc(v) local n, s = v, 0 while n > 0 do s = s + (n & 127); n = n // 128 end return s end
for i = 1, 1000 do enc(i * 4099) end`)
	})
	b.Run("local-shr", func(b *testing.B) {
		benchLoop(b, `local function enc(v) local n, s = v, 0 while n > 0 do s = s + (n & 127); n = n >> 7 end return s end
for i = 1, 1000 do enc(i * 4099) end`)
	})
	b.Run("param-idiv", func(b *testing.B) {
		benchLoop(b, `local function half(a, p) local q = p // 2 return q end
local s = 0 for i = 1, 1000 do s = s + half(0, i) end`)
	})
	// The shape of issue #12's bug 2 (the last parameter assigned from a
	// lowered operator): compiled with a shadowing local since the fix, so
	// it has no "before" figure; compare it with param-idiv.
	b.Run("param-assign-idiv", func(b *testing.B) {
		benchLoop(b, `local function half(a, p) p = p // 2 return p end
local s = 0 for i = 1, 1000 do s = s + half(0, i) end`)
	})
}

// BenchmarkForEntry measures entering a numeric for loop 1000 times (a
// 3-step inner loop): "literal-start" needs no checks at entry,
// "variable-start" goes through the forprep helper (see parser.forstat).
func BenchmarkForEntry(b *testing.B) {
	b.Run("literal-start", func(b *testing.B) {
		benchLoop(b, "local n, s = 3, 0 for k = 1, 1000 do for i = 1, n do s = s + i end end")
	})
	b.Run("variable-start", func(b *testing.B) {
		benchLoop(b, "local a, n, s = 1, 3, 0 for k = 1, 1000 do for i = a, n do s = s + i end end")
	})
	b.Run("variable-step", func(b *testing.B) {
		benchLoop(b, "local d, s = -1, 0 for k = 1, 1000 do for i = 3, 1, d do s = s + i end end")
	})
}

// BenchmarkConcat measures "..": two local strings, a string and an
// integer, a string and a float, and a chain of five operands.
func BenchmarkConcat(b *testing.B) {
	b.Run("str-str", func(b *testing.B) {
		benchLoop(b, `local a, b, s = "abc", "defgh" for i = 1, 1000 do s = a .. b end`)
	})
	b.Run("str-int", func(b *testing.B) {
		benchLoop(b, `local a, s = "n=" for i = 1, 1000 do s = a .. i end`)
	})
	b.Run("str-float", func(b *testing.B) {
		benchLoop(b, `local a, s = "x=" for i = 1, 1000 do s = a .. (i + 0.5) end`)
	})
	b.Run("chain5", func(b *testing.B) {
		benchLoop(b, `local a, b, s = "abc", "defgh" for i = 1, 1000 do s = a .. ":" .. b .. ":" .. a end`)
	})
	b.Run("empty-loop", func(b *testing.B) {
		benchLoop(b, "local s = 0 for i = 1, 1000 do s = s + i end")
	})
}

// BenchmarkMod measures "%": a literal divisor (kept as OP_MOD) and a
// variable one (the mod helper, which checks for a zero divisor).
func BenchmarkMod(b *testing.B) {
	b.Run("const-divisor", func(b *testing.B) {
		benchLoop(b, "local s = 0 for i = 1, 1000 do s = s + i % 7 end")
	})
	b.Run("var-divisor", func(b *testing.B) {
		benchLoop(b, "local s, d = 0, 7 for i = 1, 1000 do s = s + i % d end")
	})
}

// BenchmarkAssign measures multiple assignments lowerAssign rewrites, in
// the same run: compiled as gopher-lua compiles them ("native", wrong
// results: its gcd loop stops after one step), lowered ("lowered"), and
// written with a temporary as a 5.1 script avoiding the bug would
// ("manual"): a swap, a gcd, a Fibonacci step, and a swap in a function
// with over 100 locals (through a table).
func BenchmarkAssign(b *testing.B) {
	manyLocals := "local " + names("v", 1, 100) + "\n"
	progs := []struct{ name, src, manual string }{
		{"swap", "local a, b = 1, 2 for i = 1, 1000 do a, b = b, a end",
			"local a, b = 1, 2 for i = 1, 1000 do local t = a a = b b = t end"},
		{"gcd", "for i = 1, 1000 do local a, b = i * 7, 1001 while b ~= 0 do a, b = b, a % b end end",
			"for i = 1, 1000 do local a, b = i * 7, 1001 while b ~= 0 do local t = a % b a = b b = t end end"},
		{"fib", "for i = 1, 1000 do local a, b = 0, 1 for k = 1, 10 do a, b = b, a + b end end",
			"for i = 1, 1000 do local a, b = 0, 1 for k = 1, 10 do local t = a + b a = b b = t end end"},
		{"swap-table", manyLocals + "local a, b = 1, 2 for i = 1, 1000 do a, b = b, a end",
			manyLocals + "local a, b = 1, 2 for i = 1, 1000 do local t = a a = b b = t end"},
	}
	for _, p := range progs {
		b.Run(p.name+"/native", func(b *testing.B) {
			benchLoopMode(b, p.src, parseMode{markGotos: true, nativeAssign: true})
		})
		b.Run(p.name+"/lowered", func(b *testing.B) {
			benchLoop(b, p.src)
		})
		b.Run(p.name+"/manual", func(b *testing.B) {
			benchLoop(b, p.manual)
		})
	}
}

// BenchmarkIntExpr measures integer expressions: FNV-1a and djb2 steps
// over a string (one fused helper call each), a product reduced by % (a
// fused call instead of OP_MUL and OP_MOD), and single operators, which
// keep their one-operator helper.
func BenchmarkIntExpr(b *testing.B) {
	const str = `local s = string.rep("golua-ws", 125) `
	b.Run("fnv1a", func(b *testing.B) {
		benchLoop(b, str+"local h = 0x811c9dc5 for i = 1, 1000 do h = ((h ~ s:byte(i)) * 0x01000193) & 0xffffffff end")
	})
	b.Run("djb2", func(b *testing.B) {
		benchLoop(b, str+"local h = 5381 for i = 1, 1000 do h = ((h << 5) + h + s:byte(i)) & 0xffffffff end")
	})
	b.Run("mulmod", func(b *testing.B) {
		benchLoop(b, "local m, a, s = 1000000007, 123456789, 0 for i = 1, 1000 do s = (a * i) % m end")
	})
	b.Run("mulmod-const", func(b *testing.B) {
		benchLoop(b, "local a, s = 123456789, 0 for i = 1, 1000 do s = (a * i) % 1000000007 end")
	})
	b.Run("float-leaf", func(b *testing.B) {
		benchLoop(b, "local s = 0 for i = 1, 1000 do s = (i * 0.5) // 1 end")
	})
	b.Run("band", func(b *testing.B) {
		benchLoop(b, "local a, s = 255, 0 for i = 1, 1000 do s = i & a end")
	})
	b.Run("shl", func(b *testing.B) {
		benchLoop(b, "local s = 0 for i = 1, 1000 do s = i << 3 end")
	})
}
