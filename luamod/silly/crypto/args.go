package crypto

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The helpers below reproduce the argument errors of the Lua 5.4 C API
// (luaL_argerror, luaL_typeerror, luaL_checklstring, luaL_checkinteger) so
// that scripts see the same messages as under the original C modules.
// gopher-lua's own Check* helpers word them differently (no quotes around
// the function name, no "no value" case).

// argError raises "bad argument #n to 'fname' (msg)". For methods the
// receiver is not counted, as Lua 5.4 does for calls made with ':'.
func argError(L *lua.LState, n int, method bool, fname, msg string) {
	if method {
		n--
		if n == 0 {
			L.RaiseError("calling '%s' on bad self (%s)", fname, msg)
		}
	}
	L.RaiseError("bad argument #%d to '%s' (%s)", n, fname, msg)
}

// typeName is the name Lua 5.4 prints for the value at n: "no value" when
// the argument is absent and the metatable's __name when it has one.
func typeName(L *lua.LState, n int) string {
	if n > L.GetTop() {
		return "no value"
	}
	v := L.Get(n)
	if mt, ok := L.GetMetatable(v).(*lua.LTable); ok {
		if name, ok := mt.RawGetString("__name").(lua.LString); ok {
			return string(name)
		}
	}
	return v.Type().String()
}

// typeError raises "bad argument #n to 'fname' (<want> expected, got <type>)".
func typeError(L *lua.LState, n int, method bool, fname, want string) {
	argError(L, n, method, fname, fmt.Sprintf("%s expected, got %s", want, typeName(L, n)))
}

// checkString returns argument n as a string; numbers are converted as
// luaL_checklstring does.
func checkString(L *lua.LState, n int, method bool, fname string) string {
	switch v := L.Get(n).(type) {
	case lua.LString:
		return string(v)
	case lua.LNumber:
		return v.String()
	}
	typeError(L, n, method, fname, "string")
	return ""
}

// checkInteger returns argument n as an integer, accepting integral
// numbers and numeric strings as luaL_checkinteger does.
func checkInteger(L *lua.LState, n int, method bool, fname string) int64 {
	var f float64
	switch v := L.Get(n).(type) {
	case lua.LNumber:
		f = float64(v)
	case lua.LString:
		num, ok := stringToNumber(string(v))
		if !ok {
			typeError(L, n, method, fname, "number")
		}
		f = num
	default:
		typeError(L, n, method, fname, "number")
	}
	if f != math.Trunc(f) || f < -9223372036854775808 || f >= 9223372036854775808 {
		argError(L, n, method, fname, "number has no integer representation")
	}
	return int64(f)
}

// stringToNumber converts a numeric string the way Lua's string coercion
// does for the common cases (decimal, hexadecimal integers, floats).
func stringToNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	body := strings.TrimLeft(s, "+-")
	if strings.HasPrefix(body, "0x") || strings.HasPrefix(body, "0X") {
		u, err := strconv.ParseUint(body[2:], 16, 64)
		if err != nil {
			return 0, false
		}
		if strings.HasPrefix(s, "-") {
			return -float64(u), true
		}
		return float64(u), true
	}
	if strings.ContainsAny(body, "_iInN") {
		return 0, false // Lua has no digit separators, inf or nan literals
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}
