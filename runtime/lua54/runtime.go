package lua54

import (
	"errors"
	"math"
	"strings"

	"github.com/golua-ws/golua-ws/runtime/lua54lib"
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
	if neg {
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
			if y == 0 {
				return 0, errDivByZero
			}
			if y == -1 {
				return float64(-x), nil // wraps for mininteger like Lua
			}
			q := x / y
			if x%y != 0 && (x < 0) != (y < 0) {
				q--
			}
			return float64(q), nil
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
		_, as := a.(lua.LString)
		_, bs := b.(lua.LString)
		if as || bs { // the message of Lua 5.4's string arithmetic
			L.RaiseError("attempt to idiv a '%s' with a '%s'", a.Type().String(), b.Type().String())
		}
		bad := b
		if _, ok := arithNumber(a); !ok {
			bad = a
		}
		L.RaiseError("attempt to perform arithmetic on a %s value", bad.Type().String())
	}
	return 1
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
	if err := L.PCall(top-3, lua.MultRet, nil); err != nil {
		var obj lua.LValue = lua.LString(err.Error())
		var apiErr *lua.ApiError
		if errors.As(err, &apiErr) && apiErr.Object != nil {
			obj = apiErr.Object
		}
		if closable {
			L.Push(L.GetMetaField(x, "__close"))
			L.Push(x)
			if lua54lib.IsCloseSignal(obj) {
				// coroutine.close is unwinding a suspended coroutine:
				// 5.4 closes its variables without an error.
				L.Push(lua.LNil)
			} else {
				L.Push(obj)
			}
			if err2 := L.PCall(2, 0, nil); err2 != nil {
				obj = lua.LString(err2.Error())
				if errors.As(err2, &apiErr) && apiErr.Object != nil {
					obj = apiErr.Object
				}
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
