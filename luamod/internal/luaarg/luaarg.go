// Package luaarg checks the arguments of Go functions called from Lua and
// raises the argument errors of the Lua 5.4 C API (luaL_argerror,
// luaL_typeerror, luaL_checklstring, luaL_checknumber, luaL_checkinteger)
// word for word:
//
//	bad argument #1 to 'encode' (string expected, got table)
//	bad argument #1 to 'encode' (string expected, got no value)
//	bad argument #1 to 'now' (number has no integer representation)
//	calling 'update' on bad self (struct md5_ctx * expected, got string)
//
// Scripts written for lua-eco and silly match on these messages, and
// gopher-lua's own Check* helpers word them differently (no quotes around
// the function name, no "no value", no metatable __name), so every module of
// both dialects raises its argument errors through this one package.
//
// Functions called with '.' name themselves with a plain string; functions
// called with ':' use [Method], which does not count the receiver, as Lua 5.4
// does for method calls.
package luaarg

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Error raises "bad argument #n to 'fname' (msg)".
func Error(L *lua.LState, n int, fname, msg string) {
	L.RaiseError("bad argument #%d to '%s' (%s)", n, fname, msg)
}

// TypeName is the name Lua 5.4 prints for argument n in a type error:
// "no value" when the argument is absent, and the metatable's __name when
// the value has one.
func TypeName(L *lua.LState, n int) string {
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

// TypeError raises "bad argument #n to 'fname' (<want> expected, got <type>)".
func TypeError(L *lua.LState, n int, fname, want string) {
	Error(L, n, fname, typeMessage(L, n, want))
}

// CheckString returns argument n as a string. Numbers are converted, as
// luaL_checklstring does; anything else raises a type error.
func CheckString(L *lua.LState, n int, fname string) string {
	s, ok := toString(L.Get(n))
	if !ok {
		TypeError(L, n, fname, "string")
	}
	return s
}

// CheckNumber returns argument n as a number, reading numeric strings as
// [LuaNumerals] does.
func CheckNumber(L *lua.LState, n int, fname string) float64 {
	return LuaNumerals.CheckNumber(L, n, fname)
}

// CheckInteger returns argument n as an integer, reading numeric strings as
// [LuaNumerals] does. A number with a fraction or out of the int64 range
// raises "number has no integer representation".
func CheckInteger(L *lua.LState, n int, fname string) int64 {
	return LuaNumerals.CheckInteger(L, n, fname)
}

// AssertFailed raises msg as it is, without the "file:line:" prefix that
// [lua.LState.RaiseError] adds, as a failed Lua assert(v, msg) does. It is
// for modules whose original checks an argument with assert in Lua code.
func AssertFailed(L *lua.LState, msg string) {
	L.Error(lua.LString(msg), 0)
}

// Method names a function called with ':' (obj:name(...)). Its argument
// numbers n count the receiver as 1, as L.Get does, but the messages do not:
// argument 2 is reported as "#1", and a bad receiver as
// "calling 'name' on bad self (...)", as Lua 5.4 reports method calls.
type Method string

// Error raises the argument error for argument n of the method.
func (m Method) Error(L *lua.LState, n int, msg string) {
	if n == 1 {
		L.RaiseError("calling '%s' on bad self (%s)", string(m), msg)
	}
	Error(L, n-1, string(m), msg)
}

// TypeError raises "(<want> expected, got <type>)" for argument n of the
// method; with n == 1 it reports a bad self.
func (m Method) TypeError(L *lua.LState, n int, want string) {
	m.Error(L, n, typeMessage(L, n, want))
}

// CheckString is [CheckString] for argument n of the method.
func (m Method) CheckString(L *lua.LState, n int) string {
	s, ok := toString(L.Get(n))
	if !ok {
		m.TypeError(L, n, "string")
	}
	return s
}

// NumericStrings says how a string argument is read where a number is
// expected (Lua converts numeric strings there).
type NumericStrings int

const (
	// LuaNumerals reads strings as Lua 5.4 does in the common cases:
	// decimal integers and floats, and hexadecimal integers, each with an
	// optional sign and surrounding spaces; "inf", "nan" and digit
	// separators are not numbers. The codec modules use it.
	LuaNumerals NumericStrings = iota

	// GoFloats reads strings with strconv.ParseFloat, plus unsigned
	// hexadecimal integers ("0x10"). Unlike Lua it accepts "inf", "nan" and
	// "Infinity", and it rejects a signed hexadecimal integer ("-0x10").
	// eco and silly's core modules (eco, eco.time, eco.sync, silly,
	// silly.time, silly.logger, ...) have always read numbers this way; it is
	// kept so that sharing this package changed none of their behaviour.
	GoFloats
)

// ToNumber converts a number, or a string read as s says, to a float64.
func (s NumericStrings) ToNumber(v lua.LValue) (float64, bool) {
	switch x := v.(type) {
	case lua.LNumber:
		return float64(x), true
	case lua.LString:
		if s == GoFloats {
			return parseGoFloat(string(x))
		}
		return parseLuaNumeral(string(x))
	}
	return 0, false
}

// CheckNumber returns argument n as a number, as luaL_checknumber does.
func (s NumericStrings) CheckNumber(L *lua.LState, n int, fname string) float64 {
	f, ok := s.ToNumber(L.Get(n))
	if !ok {
		TypeError(L, n, fname, "number")
	}
	return f
}

// CheckInteger returns argument n as an integer, as luaL_checkinteger does:
// integral numbers and numeric strings are accepted, anything else that is
// a number raises "number has no integer representation".
func (s NumericStrings) CheckInteger(L *lua.LState, n int, fname string) int64 {
	f := s.CheckNumber(L, n, fname)
	// -2^63 is an int64, 2^63 is not; NaN fails the first test.
	if f != math.Trunc(f) || f < -9223372036854775808 || f >= 9223372036854775808 {
		Error(L, n, fname, "number has no integer representation")
	}
	return int64(f)
}

func typeMessage(L *lua.LState, n int, want string) string {
	return fmt.Sprintf("%s expected, got %s", want, TypeName(L, n))
}

// toString is lua_tolstring's conversion: strings as they are, numbers in
// their Lua form.
func toString(v lua.LValue) (string, bool) {
	switch x := v.(type) {
	case lua.LString:
		return string(x), true
	case lua.LNumber:
		return x.String(), true
	}
	return "", false
}

// parseLuaNumeral converts a numeric string the way Lua's string coercion
// does for the common cases (decimal, hexadecimal integers, floats).
func parseLuaNumeral(s string) (float64, bool) {
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

// parseGoFloat is the conversion [GoFloats] describes.
func parseGoFloat(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		u, err := strconv.ParseUint(s[2:], 16, 64)
		return float64(u), err == nil
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}
