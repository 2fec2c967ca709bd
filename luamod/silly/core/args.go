package core

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The helpers below raise the argument errors of the Lua 5.4 C API
// (luaL_argerror, luaL_typeerror, luaL_checknumber, luaL_checkinteger) so
// that scripts see the messages the original C modules produce.

func argError(L *lua.LState, n int, fname, msg string) {
	L.RaiseError("bad argument #%d to '%s' (%s)", n, fname, msg)
}

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

func typeError(L *lua.LState, n int, fname, want string) {
	argError(L, n, fname, fmt.Sprintf("%s expected, got %s", want, typeName(L, n)))
}

// toNumber converts a number or a numeric string as Lua's arithmetic does.
func toNumber(v lua.LValue) (float64, bool) {
	switch x := v.(type) {
	case lua.LNumber:
		return float64(x), true
	case lua.LString:
		s := strings.TrimSpace(string(x))
		if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
			u, err := strconv.ParseUint(s[2:], 16, 64)
			return float64(u), err == nil
		}
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil
	}
	return 0, false
}

func checkNumber(L *lua.LState, n int, fname string) float64 {
	f, ok := toNumber(L.Get(n))
	if !ok {
		typeError(L, n, fname, "number")
	}
	return f
}

func checkInteger(L *lua.LState, n int, fname string) int64 {
	f, ok := toNumber(L.Get(n))
	if !ok {
		typeError(L, n, fname, "number")
	}
	if f != math.Trunc(f) || f < -9223372036854775808 || f >= 9223372036854775808 {
		argError(L, n, fname, "number has no integer representation")
	}
	return int64(f)
}

// assertFail raises msg without a position prefix, as Lua's assert does.
func assertFail(L *lua.LState, msg string) {
	L.Error(lua.LString(msg), 0)
}
