package lua54lib

import (
	"fmt"
	"strings"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// ToString converts v as Lua 5.4's luaL_tolstring does, for tostring,
// print, string.format("%s") and every other place that shows a value:
// __tostring (which must give a string or a number), then __name
// ("Name: 0x..."), then the default form, with numbers formatted by
// lua54.NumberToString.
func ToString(L *lua.LState, v lua.LValue) string {
	switch x := v.(type) {
	case lua.LString:
		return string(x)
	case lua.LNumber:
		return lua54.NumberToString(x)
	}
	if fn := L.GetMetaField(v, "__tostring"); fn != lua.LNil {
		L.Push(fn)
		L.Push(v)
		L.Call(1, 1)
		r := L.Get(-1)
		L.Pop(1)
		switch x := r.(type) {
		case lua.LString:
			return string(x)
		case lua.LNumber:
			return lua54.NumberToString(x)
		}
		raise(L, "'__tostring' must return a string")
	}
	switch v.(type) {
	case *lua.LNilType, lua.LBool:
		return v.String()
	}
	if s, ok := L.GetMetaField(v, "__name").(lua.LString); ok {
		return fmt.Sprintf("%s: %s", string(s), pointerString(v))
	}
	return v.String()
}

// baseToString is tostring(v).
func baseToString(L *lua.LState) int {
	v := checkAny(L, 1, "tostring")
	L.Push(lua.LString(ToString(L, v)))
	return 1
}

// baseToNumber is 5.4's tonumber(v [, base]).
func baseToNumber(L *lua.LState) int {
	const name = "tonumber"
	if L.Get(2) == lua.LNil {
		switch v := L.Get(1).(type) {
		case lua.LNumber:
			L.Push(v)
			return 1
		case lua.LString:
			if f, ok := lua54.StringToNumber(string(v)); ok {
				L.Push(lua.LNumber(f))
				return 1
			}
		default:
			checkAny(L, 1, name)
		}
		L.Push(lua.LNil)
		return 1
	}
	base := checkInteger(L, 2, name)
	s, ok := L.Get(1).(lua.LString)
	if !ok {
		typeError(L, 1, name, "string")
	}
	if base < 2 || base > 36 {
		argError(L, 2, name, "base out of range")
	}
	if v, ok := strToIntBase(string(s), base); ok {
		L.Push(lua.LNumber(float64(v)))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// strToIntBase is 5.4's l_str2int for tonumber with a base: optional
// spaces, an optional '-', at least one digit below base (letters count
// from 10, either case), optional spaces, and nothing else. The value
// wraps around modulo 2^64 like 5.4's unsigned arithmetic.
func strToIntBase(s string, base int64) (int64, bool) {
	s = strings.Trim(s, " \f\n\r\t\v")
	neg := false
	if s != "" && s[0] == '-' {
		neg = true
		s = s[1:]
	}
	if s == "" {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d int64
		switch {
		case '0' <= c && c <= '9':
			d = int64(c - '0')
		case 'a' <= c && c <= 'z':
			d = int64(c-'a') + 10
		case 'A' <= c && c <= 'Z':
			d = int64(c-'A') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		n = n*uint64(base) + uint64(d)
	}
	if neg {
		n = -n
	}
	return int64(n), true
}
