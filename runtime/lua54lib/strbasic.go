package lua54lib

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The simple string functions, replaced for 5.4's argument rules:
// positions must be integers ("number has no integer representation"),
// string.char checks its range, and numbers given as strings format like
// tostring.

// strEnd is 5.4's getendpos: an end position, negative from the end,
// clipped to the length.
func strEnd(pos int64, n int) int64 {
	switch {
	case pos > int64(n):
		return int64(n)
	case pos >= 0:
		return pos
	case pos < -int64(n):
		return 0
	}
	return int64(n) + pos + 1
}

func strSub(L *lua.LState) int {
	const name = "string.sub"
	s := checkString(L, 1, name)
	i := posRelatI(checkInteger(L, 2, name), len(s))
	j := strEnd(optInteger(L, 3, name, -1), len(s))
	if i > j {
		L.Push(lua.LString(""))
	} else {
		L.Push(lua.LString(s[i-1 : j]))
	}
	return 1
}

func strByte(L *lua.LState) int {
	const name = "string.byte"
	s := checkString(L, 1, name)
	pi := optInteger(L, 2, name, 1)
	i := posRelatI(pi, len(s))
	j := strEnd(optInteger(L, 3, name, pi), len(s))
	if i > j {
		return 0
	}
	if j-i >= int64(maxSize) {
		raise(L, "string slice too long")
	}
	for k := i; k <= j; k++ {
		L.Push(lua.LNumber(float64(s[k-1])))
	}
	return int(j - i + 1)
}

func strChar(L *lua.LState) int {
	const name = "string.char"
	n := L.GetTop()
	b := make([]byte, n)
	for i := 1; i <= n; i++ {
		c := checkInteger(L, i, name)
		if c < 0 || c > 255 {
			argError(L, i, name, "value out of range")
		}
		b[i-1] = byte(c)
	}
	L.Push(lua.LString(b))
	return 1
}

func strLen(L *lua.LState) int {
	L.Push(lua.LNumber(float64(len(checkString(L, 1, "string.len")))))
	return 1
}

// strUpper and strLower change ASCII letters only, as the C locale does.
func strUpper(L *lua.LState) int {
	s := checkString(L, 1, "string.upper")
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	L.Push(lua.LString(b))
	return 1
}

func strLower(L *lua.LState) int {
	s := checkString(L, 1, "string.lower")
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c - 'A' + 'a'
		}
	}
	L.Push(lua.LString(b))
	return 1
}

func strReverse(L *lua.LState) int {
	s := checkString(L, 1, "string.reverse")
	var b strings.Builder
	b.Grow(len(s))
	for i := len(s) - 1; i >= 0; i-- {
		b.WriteByte(s[i])
	}
	L.Push(lua.LString(b.String()))
	return 1
}
