package lua54lib

import (
	"math"
	"math/rand/v2"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

func openMath(L *lua.LState) {
	m := libTable(L, "math")
	register(L, m, map[string]lua.LGFunction{
		"type":      mathType,
		"tointeger": mathToInteger,
		"ult":       mathUlt,
		"abs":       mathAbs,
		"fmod":      mathFmod,
		"floor":     mathFloor,
		"ceil":      mathCeil,
		"log":       mathLog,
		"modf":      mathModf,
		"min":       mathMinMax("math.min", false),
		"max":       mathMinMax("math.max", true),
	})
	openMathUnary(L, m)
	m.RawSetString("maxinteger", lua.LNumber(maxInteger))
	m.RawSetString("mininteger", lua.LNumber(minInteger))
	m.RawSetString("pi", lua.LNumber(math.Pi))
	m.RawSetString("huge", lua.LNumber(math.Inf(1)))
	// The generator lives in the VM (an upvalue-like Go value reachable from
	// the closures), never in package state.
	rng := &rngState{r: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))}
	m.RawSetString("random", L.NewFunction(func(L *lua.LState) int { return mathRandomWith(L, rng) }))
	m.RawSetString("randomseed", L.NewFunction(func(L *lua.LState) int { return mathRandomseedWith(L, rng) }))
}

type rngState struct{ r *rand.Rand }

// mathType: "integer" for integral values in [-2^63, 2^63), "float" for
// every other number, nil (fail) for non-numbers. Strings are not numbers.
func mathType(L *lua.LState) int {
	v := checkAny(L, 1, "math.type")
	n, ok := v.(lua.LNumber)
	switch {
	case !ok:
		L.Push(lua.LNil)
	case isIntegral(float64(n)):
		L.Push(lua.LString("integer"))
	default:
		L.Push(lua.LString("float"))
	}
	return 1
}

func isIntegral(f float64) bool {
	_, ok := lua54.FloatToInt(f)
	return ok
}

// mathToInteger: integral values and numeric strings convert, others fail.
func mathToInteger(L *lua.LState) int {
	var f float64
	switch v := L.Get(1).(type) {
	case lua.LNumber:
		f = float64(v)
	case lua.LString:
		var ok bool
		if f, ok = lua54.StringToNumber(string(v)); !ok {
			L.Push(lua.LNil)
			return 1
		}
	default:
		checkAny(L, 1, "math.tointeger")
		L.Push(lua.LNil)
		return 1
	}
	if i, ok := lua54.FloatToInt(f); ok {
		L.Push(lua.LNumber(float64(i)))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

func mathUlt(L *lua.LState) int {
	a := checkInteger(L, 1, "math.ult")
	b := checkInteger(L, 2, "math.ult")
	L.Push(lua.LBool(uint64(a) < uint64(b)))
	return 1
}

func mathAbs(L *lua.LState) int {
	f := checkNumber(L, 1, "math.abs")
	L.Push(lua.LNumber(math.Abs(f)))
	return 1
}

// mathFmod follows 5.4: integer operands use C's truncated remainder and
// reject a zero divisor; otherwise the float fmod.
func mathFmod(L *lua.LState) int {
	a := checkNumber(L, 1, "math.fmod")
	b := checkNumber(L, 2, "math.fmod")
	ia, aok := lua54.FloatToInt(a)
	ib, bok := lua54.FloatToInt(b)
	if aok && bok {
		switch {
		case ib == 0:
			argError(L, 2, "math.fmod", "zero")
		case ib == -1:
			L.Push(lua.LNumber(0)) // avoids the overflow of minint % -1
		default:
			L.Push(lua.LNumber(float64(ia % ib)))
		}
		return 1
	}
	L.Push(lua.LNumber(math.Mod(a, b)))
	return 1
}

func mathFloor(L *lua.LState) int {
	L.Push(lua.LNumber(math.Floor(checkNumber(L, 1, "math.floor"))))
	return 1
}

func mathCeil(L *lua.LState) int {
	c := math.Ceil(checkNumber(L, 1, "math.ceil"))
	if c == 0 {
		c = 0 // -0.5 rounds to integer 0, not -0
	}
	L.Push(lua.LNumber(c))
	return 1
}

func mathLog(L *lua.LState) int {
	x := checkNumber(L, 1, "math.log")
	if L.Get(2) == lua.LNil {
		L.Push(lua.LNumber(math.Log(x)))
		return 1
	}
	base := checkNumber(L, 2, "math.log")
	var r float64
	switch base {
	case 2:
		r = math.Log2(x)
	case 10:
		r = math.Log10(x)
	default:
		r = math.Log(x) / math.Log(base)
	}
	L.Push(lua.LNumber(r))
	return 1
}

// mathModf returns the integral part as a float and the fraction, with 5.4's
// handling of infinities (fraction 0).
func mathModf(L *lua.LState) int {
	x := checkNumber(L, 1, "math.modf")
	var ip float64
	if x < 0 {
		ip = math.Ceil(x)
	} else {
		ip = math.Floor(x)
	}
	L.Push(lua.LNumber(ip))
	if math.IsInf(x, 0) {
		L.Push(lua.LNumber(0))
	} else {
		L.Push(lua.LNumber(x - ip))
	}
	return 2
}

// mathRandomWith implements 5.4's math.random: no argument gives a float in
// [0,1); random(m) an integer in [1,m]; random(m,n) in [m,n]; random(0) a
// random integer (reduced to the float64-exact range, see doc.go).
func mathRandomWith(L *lua.LState, rng *rngState) int {
	var lo, hi int64
	switch L.GetTop() {
	case 0:
		L.Push(lua.LNumber(rng.r.Float64()))
		return 1
	case 1:
		lo = 1
		hi = checkInteger(L, 1, "math.random")
		if hi == 0 {
			L.Push(lua.LNumber(float64(int64(rng.r.Uint64()) >> 10)))
			return 1
		}
	case 2:
		lo = checkInteger(L, 1, "math.random")
		hi = checkInteger(L, 2, "math.random")
	default:
		raise(L, "wrong number of arguments")
	}
	if lo > hi {
		argError(L, 1, "math.random", "interval is empty")
	}
	span := uint64(hi) - uint64(lo)
	var r uint64
	if span == math.MaxUint64 {
		r = rng.r.Uint64()
	} else {
		r = rng.r.Uint64N(span + 1)
	}
	L.Push(lua.LNumber(float64(int64(uint64(lo) + r))))
	return 1
}

// mathRandomseedWith seeds the VM's generator; with no argument it seeds
// randomly. Returns the two seed components as 5.4 does.
func mathRandomseedWith(L *lua.LState, rng *rngState) int {
	var a, b uint64
	if L.GetTop() == 0 || L.Get(1) == lua.LNil && L.GetTop() == 1 {
		a, b = rand.Uint64(), rand.Uint64()
	} else {
		n := checkNumber(L, 1, "math.randomseed")
		if i, ok := lua54.FloatToInt(n); ok {
			a = uint64(i)
		} else {
			a = math.Float64bits(n)
		}
		b = uint64(optInteger(L, 2, "math.randomseed", 0))
	}
	rng.r = rand.New(rand.NewPCG(a, b))
	L.Push(lua.LNumber(float64(int64(a))))
	L.Push(lua.LNumber(float64(int64(b))))
	return 2
}

// mathMinMax is 5.4's math.min/math.max: at least one value; the others
// are compared with "<" (so metamethods and string comparison apply, and
// mixed types raise the comparison error), the first extreme wins.
func mathMinMax(qualified string, isMax bool) lua.LGFunction {
	return func(L *lua.LState) int {
		n := L.GetTop()
		if n < 1 {
			argError(L, 1, qualified, "value expected")
		}
		best := 1
		for i := 2; i <= n; i++ {
			if isMax && lessThan(L, L.Get(best), L.Get(i)) || !isMax && lessThan(L, L.Get(i), L.Get(best)) {
				best = i
			}
		}
		L.Push(L.Get(best))
		return 1
	}
}

// openMathUnary replaces gopher-lua's one-argument math functions and atan
// for 5.4's argument checks and messages ("bad argument #1 to 'sqrt'
// (number expected, got no value)"); atan takes 5.4's optional x.
func openMathUnary(L *lua.LState, m *lua.LTable) {
	for name, f := range map[string]func(float64) float64{
		"sqrt": math.Sqrt, "sin": math.Sin, "cos": math.Cos, "tan": math.Tan,
		"asin": math.Asin, "acos": math.Acos, "exp": math.Exp,
		"deg": func(x float64) float64 { return x * (180 / math.Pi) },
		"rad": func(x float64) float64 { return x * (math.Pi / 180) },
	} {
		qualified := "math." + name
		m.RawSetString(name, L.NewFunction(func(L *lua.LState) int {
			L.Push(lua.LNumber(f(checkNumber(L, 1, qualified))))
			return 1
		}))
	}
	m.RawSetString("atan", L.NewFunction(func(L *lua.LState) int {
		y := checkNumber(L, 1, "math.atan")
		x := 1.0
		if L.Get(2) != lua.LNil {
			x = checkNumber(L, 2, "math.atan")
		}
		L.Push(lua.LNumber(math.Atan2(y, x)))
		return 1
	}))
}
