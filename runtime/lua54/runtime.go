package lua54

import (
	"errors"
	"fmt"
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// errDivByZero is integer floor division by zero.
var errDivByZero = errors.New("attempt to divide by zero")

// floatToInt converts an integral float64 in int64 range, the rule Lua 5.4
// applies to floats used where an integer is required.
func floatToInt(v float64) (int64, bool) {
	if v >= -9223372036854775808.0 && v < 9223372036854775808.0 && v == math.Trunc(v) {
		return int64(v), true
	}
	return 0, false
}

// IsInteger reports whether a number counts as a Lua 5.4 integer in this
// runtime: an integral float64 within int64 range. Bitwise operators, "//"
// and the lua54lib functions (math.type, string.format "%d", ...) share it.
func IsInteger(n lua.LNumber) bool {
	_, ok := floatToInt(float64(n))
	return ok
}

// ToInteger converts v like Lua 5.4's lua_tointegerx: numbers that are
// integral, and strings that convert to such numbers.
func ToInteger(v lua.LValue) (int64, bool) {
	switch x := v.(type) {
	case lua.LNumber:
		return floatToInt(float64(x))
	case lua.LString:
		if f, ok := StringToNumber(string(x)); ok {
			return floatToInt(f)
		}
	}
	return 0, false
}

// StringToNumber converts a string like lua_stringtonumber: surrounding
// spaces, an optional sign, decimal or hexadecimal integers and floats.
func StringToNumber(s string) (float64, bool) {
	s = strings.Trim(s, " \f\n\r\t\v")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || !(isDigit(int(s[0])) || s[0] == '.') {
		return 0, false
	}
	v, ok := str2number(s)
	if !ok {
		return 0, false
	}
	// Negating math.mininteger (only a hex numeral wraps to it) gives
	// itself, as 5.4's integer negation wraps.
	if neg && v != -9223372036854775808.0 {
		v = -v
	}
	return v, true
}

func shiftLeft(x, y int64) int64 {
	switch {
	case y <= -64 || y >= 64:
		return 0
	case y >= 0:
		return int64(uint64(x) << uint(y))
	default:
		return int64(uint64(x) >> uint(-y))
	}
}

// floorDiv is Lua 5.4's "//" on two numbers: integer floor division when
// both are integers (division by zero is an error), else floor(a/b).
func floorDiv(a, b float64) (float64, error) {
	if x, ok := floatToInt(a); ok {
		if y, ok := floatToInt(b); ok {
			q, err := intFloorDiv(x, y)
			return float64(q), err
		}
	}
	return math.Floor(a / b), nil
}

// arithNumber converts an arithmetic operand: numbers, and strings that
// convert to numbers (Lua's string coercion).
func arithNumber(v lua.LValue) (float64, bool) {
	switch x := v.(type) {
	case lua.LNumber:
		return float64(x), true
	case lua.LString:
		return StringToNumber(string(x))
	}
	return 0, false
}

// tryMetamethod calls the binary metamethod event of a or b, if any.
func tryMetamethod(L *lua.LState, event string, a, b lua.LValue) bool {
	mm := L.GetMetaField(a, event)
	if mm == lua.LNil {
		mm = L.GetMetaField(b, event)
	}
	if mm == lua.LNil {
		return false
	}
	L.Push(mm)
	L.Push(a)
	L.Push(b)
	L.Call(2, 1)
	return true
}

// bitwiseError raises the error Lua 5.4 gives when a bitwise operand has no
// integer value and no metamethod applies.
func bitwiseError(L *lua.LState, a, b lua.LValue) {
	_, an := a.(lua.LNumber)
	_, bn := b.(lua.LNumber)
	if an && bn {
		L.RaiseError("number has no integer representation")
	}
	bad := b
	if !an {
		bad = a
	}
	L.RaiseError("attempt to perform bitwise operation on a %s value", bad.Type().String())
}

// bitwiseOperand converts a bitwise operand: numbers only, as Lua 5.4 does
// not coerce strings here (its string metamethods cover arithmetic only).
func bitwiseOperand(v lua.LValue) (int64, bool) {
	if n, ok := v.(lua.LNumber); ok {
		return floatToInt(float64(n))
	}
	return 0, false
}

func binaryBitwise(event string, op func(x, y int64) int64) lua.LGFunction {
	return func(L *lua.LState) int {
		a, b := L.Get(1), L.Get(2)
		if x, ok := bitwiseOperand(a); ok {
			if y, ok := bitwiseOperand(b); ok {
				L.Push(lua.LNumber(op(x, y)))
				return 1
			}
		}
		if !tryMetamethod(L, event, a, b) {
			bitwiseError(L, a, b)
		}
		return 1
	}
}

func bnot(L *lua.LState) int {
	a := L.Get(1)
	if x, ok := bitwiseOperand(a); ok {
		L.Push(lua.LNumber(^x))
		return 1
	}
	if !tryMetamethod(L, "__bnot", a, a) {
		bitwiseError(L, a, a)
	}
	return 1
}

func idiv(L *lua.LState) int {
	a, b := L.Get(1), L.Get(2)
	if x, ok := arithNumber(a); ok {
		if y, ok := arithNumber(b); ok {
			r, err := floorDiv(x, y)
			if err != nil {
				L.RaiseError("%s", err.Error())
			}
			L.Push(lua.LNumber(r))
			return 1
		}
	}
	if !tryMetamethod(L, "__idiv", a, b) {
		arithError(L, "idiv", a, b)
	}
	return 1
}

// arithError raises Lua 5.4's error for an arithmetic operator (op as in
// its string metamethods: "idiv", "mod") whose operands are not numbers
// and have no metamethod.
func arithError(L *lua.LState, op string, a, b lua.LValue) {
	L.RaiseError("%s", arithMessage(op, operandOf(L, a), operandOf(L, b)))
}

// env returns the environment of the calling Lua function: the value of a
// free "_ENV" on a Lua 5.1 VM.
func env(L *lua.LState) int {
	if dbg, ok := L.GetStack(1); ok {
		if fn, err := L.GetInfo("f", dbg, lua.LNil); err == nil {
			if f, ok := fn.(*lua.LFunction); ok && !f.IsG && f.Env != nil {
				L.Push(f.Env)
				return 1
			}
		}
	}
	L.Push(L.G.Global)
	return 1
}

// closeScope runs the body of a to-be-closed scope: close(x, name, body,
// ...). It checks that x is closable, calls body(...) protected, calls
// x's __close(x, err) on every exit and re-raises errors. It returns what
// the body returned (its exit kind first); for escReturn the returned values
// come back packed in a table with field n.
func closeScope(L *lua.LState) int {
	x := L.Get(1)
	name := L.CheckString(2)
	body := L.CheckFunction(3)
	top := L.GetTop()
	closable := x != lua.LNil && x != lua.LFalse
	if closable && L.GetMetaField(x, "__close") == lua.LNil {
		L.RaiseError("variable '%s' got a non-closable value", name)
	}
	L.Push(body)
	for i := 4; i <= top; i++ {
		L.Push(L.Get(i))
	}
	if err := PCallValue(L, top-3, lua.MultRet); err != nil {
		obj := ErrorValue(err)
		if closable {
			L.Push(L.GetMetaField(x, "__close"))
			L.Push(x)
			if IsCloseSignal(obj) {
				// coroutine.close is unwinding a suspended coroutine:
				// 5.4 closes its variables without an error.
				L.Push(lua.LNil)
			} else {
				L.Push(obj)
			}
			if err2 := PCallValue(L, 2, 0); err2 != nil {
				obj = ErrorValue(err2)
			}
		}
		L.Error(obj, 0)
		return 0
	}
	nres := L.GetTop() - top
	if closable {
		mm := L.GetMetaField(x, "__close")
		if mm == lua.LNil {
			L.RaiseError("attempt to call a nil value (metamethod 'close')")
		}
		L.Push(mm)
		L.Push(x)
		L.Push(lua.LNil)
		L.Call(2, 0)
	}
	if nres == 0 {
		return 0
	}
	if k, ok := L.Get(top + 1).(lua.LNumber); ok && k == escReturn {
		vals := L.CreateTable(nres-1, 1)
		for i := 2; i <= nres; i++ {
			vals.RawSetInt(i-1, L.Get(top+i))
		}
		vals.RawSetString("n", lua.LNumber(nres-1))
		L.SetTop(top)
		L.Push(k)
		L.Push(vals)
		return 2
	}
	return nres
}

// unpackValues returns t[1..t.n].
func unpackValues(L *lua.LState) int {
	t := L.CheckTable(1)
	n := int(lua.LVAsNumber(t.RawGetString("n")))
	for i := 1; i <= n; i++ {
		L.Push(t.RawGetInt(i))
	}
	return n
}

// defineGlobals initialises declared globals: defglobal(env, n, name1, ...,
// namen, values...). Like Lua 5.5's OP_ERRNNIL it raises "global 'x'
// already defined" when env.x is not nil; it handles the names last to
// first, as 5.5's code does, reading and writing through metamethods.
func defineGlobals(L *lua.LState) int {
	env := L.Get(1)
	n := L.CheckInt(2)
	for i := n; i >= 1; i-- {
		name := L.CheckString(2 + i)
		v := lua.LValue(lua.LNil)
		if 2+n+i <= L.GetTop() {
			v = L.Get(2 + n + i)
		}
		if L.GetField(env, name) != lua.LNil {
			L.RaiseError("global '%s' already defined", name)
		}
		L.SetField(env, name, v)
	}
	return 0
}

// maxExact is the bound of the integers float64 holds exactly: every
// integer in [-maxExact, maxExact] and no neighbour beyond it. A loop index
// stays within ±maxIndex, so that the value after it is exact or rounds to
// at least maxExact, past the index.
const (
	maxExact = 1 << 53
	maxIndex = maxExact - 1
)

// minForSteps is how many exact steps a loop that would run past ±2^53 must
// have before forPrep lets it start, to stop it with an error (forEnd) at
// the last exact value: so many that getting there takes hours, so that
// "for i = 1, math.huge do ... break end" keeps working, while a loop that
// would soon leave the exact range is an error at entry.
const minForSteps = 1 << 32

// forPrep prepares a numeric for loop: forprep(init, limit, step) returns
// the start, limit and step of a gopher-lua loop that runs the iterations
// Lua 5.4 runs, and a fourth value, the last index, when the loop must be
// cut there (nil otherwise; see lowerNumericFor). Like 5.4 it converts numeric strings, raises "bad 'for'
// initial value (number expected, got X)" (limit, step likewise) and
// "'for' step is zero", and, when start and step are integers, counts the
// iterations in 64-bit integers with the limit clipped and floored as 5.4
// does. Such a loop must stay within ±2^53, where float64 steps are exact:
// the limit becomes the last value 5.4 would reach, so that gopher-lua's
// float comparison ends the loop there. A loop whose values would leave
// that range within minForSteps steps is refused with an error instead of
// counting wrong (or forever, once i + step == i); a longer one is cut at
// the last exact value, where forEnd raises an error. Float loops are
// returned unchanged: they behave as in 5.4.
func forPrep(L *lua.LState) int {
	init := forNumber(L, 1, "initial value")
	limit := forNumber(L, 2, "limit")
	step := forNumber(L, 3, "step")
	if step == 0 {
		L.RaiseError("'for' step is zero")
	}
	i0, ok1 := floatToInt(init)
	st, ok2 := floatToInt(step)
	if math.IsInf(step, 0) {
		// One iteration at most (5.4 computes init+step = ±inf); gopher-
		// lua's init-step+step would be NaN.
		if step > 0 && init <= limit || step < 0 && init >= limit {
			L.Push(lua.LNumber(init))
			L.Push(lua.LNumber(init))
			L.Push(lua.LNumber(math.Copysign(1, step)))
			return 3
		}
		init, limit, step = 1, 0, 1
	}
	if !ok1 || !ok2 {
		pushNumber(L, 1, floatForStart(L, init, step))
		pushNumber(L, 2, limit)
		pushNumber(L, 3, step)
		return 3
	}
	lim, run := forLimit(i0, limit, st)
	if !run {
		L.Push(lua.LNumber(1))
		L.Push(lua.LNumber(0))
		L.Push(lua.LNumber(1))
		return 3
	}
	last, by, cut, err := intForRange(i0, lim, st, minForSteps)
	if err != nil {
		L.RaiseError("%s", err.Error())
	}
	pushNumber(L, 1, float64(i0))
	pushNumber(L, 2, float64(last))
	pushNumber(L, 3, float64(by))
	if !cut {
		return 3
	}
	L.Push(lua.LNumber(float64(last)))
	return 4
}

// intForRange plans an integer loop from i0 to lim (already clipped, with
// at least one iteration) by st for gopher-lua's float64 loop: it returns
// the limit and step to give it and whether the loop is cut short of lim
// at the last exact value (loops longer than minSteps only; shorter ones
// that leave the exact range are errors).
func intForRange(i0, lim, st int64, minSteps uint64) (last, by int64, cut bool, err error) {
	if i0 < -maxIndex || i0 > maxIndex {
		return 0, 0, false, fmt.Errorf("'for' initial value %d is beyond 2^53: float64 cannot count from it exactly (numbers are float64 in golua-ws)", i0)
	}
	// Iterations after the first, in unsigned arithmetic like 5.4.
	var count, absStep uint64
	if st > 0 {
		absStep = uint64(st)
		count = (uint64(lim) - uint64(i0)) / absStep
	} else {
		absStep = uint64(-(st + 1)) + 1
		count = (uint64(i0) - uint64(lim)) / absStep
	}
	if count == 0 {
		// One iteration: any step of the right sign ends it, and ±1
		// keeps gopher-lua's init-step (its FORPREP) exact.
		if st > 0 {
			return i0, 1, false, nil
		}
		return i0, -1, false, nil
	}
	// Steps that keep the index within ±maxIndex, so that every value and
	// the one after the last are exact or beyond the limit: the loop ends
	// by comparison, never by rounding (i + step == i).
	var room uint64
	if st > 0 {
		room = uint64(maxIndex - i0)
	} else {
		room = uint64(i0 + maxIndex)
	}
	exact := room / absStep
	// count >= 1 bounds absStep by 2*maxIndex, so i0-st cannot overflow;
	// gopher-lua's FORPREP computes it, and it must be exact too.
	before := i0 - st
	if count > exact && exact < minSteps || before < -maxExact || before > maxExact {
		return 0, 0, false, fmt.Errorf("'for' loop from %d by %d would pass 2^53, where float64 cannot count exactly (numbers are float64 in golua-ws)", i0, st)
	}
	cut = count > exact
	if cut {
		count = exact
	}
	return i0 + int64(count)*st, st, cut, nil
}

// forEnd reports a loop forPrep cut: forend(last) runs when the loop got
// to its last exact value without breaking out.
func forEnd(L *lua.LState) int {
	L.RaiseError("'for' loop stopped after %.0f: counting further passes 2^53, where float64 cannot count exactly (numbers are float64 in golua-ws)", float64(L.CheckNumber(1)))
	return 0
}

// pushNumber pushes v, reusing argument n when it holds v already: boxing a
// new LNumber allocates, and most loops keep their operands.
func pushNumber(L *lua.LState, n int, v float64) {
	if arg := L.Get(n); arg.Type() == lua.LTNumber && float64(arg.(lua.LNumber)) == v {
		L.Push(arg) // the interface value as it is: no new box
		return
	}
	L.Push(lua.LNumber(v))
}

// floatForStart checks that gopher-lua's loop starts at init: its FORPREP
// stores init-step and its FORLOOP adds step back, which can round
// (0.1-0.7+0.7 is 0.09999999999999998), while Lua 5.4 starts at init. No
// other start helps (the sum lies on the coarser grid of init-step), so
// such a loop is refused rather than run with other values.
func floatForStart(L *lua.LState, init, step float64) float64 {
	if (init-step)+step != init && !math.IsNaN(init) && !math.IsInf(init, 0) {
		L.RaiseError("'for' loop from %.17g by %.17g cannot start exactly at %.17g in gopher-lua's float loop (count with an integer and compute the float in the body)", init, step, init)
	}
	return init
}

// forNumber reads a for-loop operand: a number or a string that converts
// to one (Lua 5.4's luaV_tonumber).
func forNumber(L *lua.LState, n int, what string) float64 {
	switch v := L.Get(n).(type) {
	case lua.LNumber:
		return float64(v)
	case lua.LString:
		if f, ok := StringToNumber(string(v)); ok {
			return f
		}
	}
	L.RaiseError("bad 'for' %s (number expected, got %s)", what, L.Get(n).Type().String())
	return 0
}

// forLimit converts the limit of an integer loop like 5.4's forlimit: a
// float limit is floored (ceiled for a negative step) and clipped to the
// int64 range; run is false when the loop runs no iteration.
func forLimit(init int64, limit float64, step int64) (lim int64, run bool) {
	switch {
	case math.IsNaN(limit):
		return 0, false
	case step > 0:
		f := math.Floor(limit)
		if f >= 9223372036854775808.0 {
			lim = math.MaxInt64
		} else if f < -9223372036854775808.0 {
			return 0, false
		} else {
			lim = int64(f)
		}
		return lim, init <= lim
	default:
		f := math.Ceil(limit)
		if f < -9223372036854775808.0 {
			lim = math.MinInt64
		} else if f >= 9223372036854775808.0 {
			return 0, false
		} else {
			lim = int64(f)
		}
		return lim, init >= lim
	}
}

// helperFunc returns the Go function behind a helper name.
func helperFunc(name string) lua.LGFunction {
	switch name {
	case bandHelper:
		return binaryBitwise("__band", func(x, y int64) int64 { return x & y })
	case borHelper:
		return binaryBitwise("__bor", func(x, y int64) int64 { return x | y })
	case bxorHelper:
		return binaryBitwise("__bxor", func(x, y int64) int64 { return x ^ y })
	case shlHelper:
		return binaryBitwise("__shl", shiftLeft)
	case shrHelper:
		return binaryBitwise("__shr", func(x, y int64) int64 { return shiftLeft(x, -y) })
	case bnotHelper:
		return bnot
	case idivHelper:
		return idiv
	case envHelper:
		return env
	case closeHelper:
		return closeScope
	case unpackHelper:
		return unpackValues
	case defglobalHelper:
		return defineGlobals
	case forprepHelper:
		return forPrep
	case forendHelper:
		return forEnd
	case concatHelper:
		return concat
	case modHelper:
		return mod
	}
	if code, ok := strings.CutPrefix(name, intexprPrefix); ok {
		prog, err := parseIntProgram(code)
		if err != nil {
			return func(L *lua.LState) int {
				L.RaiseError("%s", err.Error())
				return 0
			}
		}
		return prog.call
	}
	return nil
}

// registryKey is where OpenRuntime keeps the helper table in the registry.
const registryKey = "golua-ws.lua54"

// OpenRuntime prepares L for code produced by Compile. Compiled code needs
// no globals: it reaches its helpers through function constants placed in
// its prototypes (see the package documentation). OpenRuntime registers the
// same helpers in L's registry under "golua-ws.lua54" (a table keyed band,
// bor, bxor, shl, shr, bnot, idiv) so that Go code, and libraries written
// on top of this package, can apply exactly the operator semantics of the
// lowered code without reimplementing them. It is cheap and idempotent.
func OpenRuntime(L *lua.LState) {
	reg := L.Get(lua.RegistryIndex).(*lua.LTable)
	if _, ok := reg.RawGetString(registryKey).(*lua.LTable); ok {
		return
	}
	t := L.CreateTable(0, 7)
	for _, name := range []string{bandHelper, borHelper, bxorHelper, shlHelper, shrHelper, bnotHelper, idivHelper} {
		t.RawSetString(strings.TrimPrefix(name, helperPrefix), L.NewFunction(helperFunc(name)))
	}
	reg.RawSetString(registryKey, t)
}
