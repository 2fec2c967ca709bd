package encoding

import (
	"encoding/base64"
	"strings"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

func loadBase64(L *lua.LState) int {
	mod := L.NewTable()
	mod.RawSetString("encode", L.NewFunction(func(L *lua.LState) int {
		s := luaarg.CheckString(L, 1, "encode")
		L.Push(lua.LString(base64.StdEncoding.EncodeToString([]byte(s))))
		return 1
	}))
	mod.RawSetString("urlsafe_encode", L.NewFunction(func(L *lua.LState) int {
		s := luaarg.CheckString(L, 1, "urlsafe_encode")
		L.Push(lua.LString(base64.RawURLEncoding.EncodeToString([]byte(s))))
		return 1
	}))
	// decode and urlsafe_decode are the same function in silly.
	decode := L.NewFunction(func(L *lua.LState) int {
		s := luaarg.CheckString(L, 1, "decode")
		L.Push(lua.LString(decodeLenient(s)))
		return 1
	})
	mod.RawSetString("decode", decode)
	mod.RawSetString("urlsafe_decode", decode)
	L.Push(mod)
	return 1
}

// sextet is silly's reverse alphabet: both the standard and the URL-safe
// characters decode, and anything else (including '=') counts as 0.
func sextet(c byte) uint32 {
	switch {
	case c == '+' || c == '-':
		return 62
	case c == '/' || c == '_':
		return 63
	case c >= 'A' && c <= 'Z':
		return uint32(c - 'A')
	case c >= 'a' && c <= 'z':
		return uint32(c-'a') + 26
	case c >= '0' && c <= '9':
		return uint32(c-'0') + 52
	}
	return 0
}

// decodeLenient decodes s as silly does. Well-formed input (padded
// standard or unpadded URL-safe base64, no line breaks, which the standard
// library would skip) takes encoding/base64's faster path, which gives the
// same bytes; anything else goes through decodeGroups.
func decodeLenient(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		if b, err := base64.StdEncoding.DecodeString(s); err == nil {
			return string(b)
		}
		if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
			return string(b)
		}
	}
	return decodeGroups(s)
}

// decodeGroups decodes s four characters at a time; the '=' at the end of
// each group are dropped, and a group of n remaining characters (n >= 2)
// yields n-1 bytes. It never fails.
func decodeGroups(s string) string {
	out := make([]byte, 0, (len(s)+3)/4*3)
	for i := 0; i < len(s); i += 4 {
		end := min(i+4, len(s))
		for end > i && s[end-1] == '=' {
			end--
		}
		n := end - i
		if n < 2 {
			continue
		}
		var v uint32
		for j := 0; j < 4; j++ {
			v <<= 6
			if j < n {
				v |= sextet(s[i+j])
			}
		}
		b := [3]byte{byte(v >> 16), byte(v >> 8), byte(v)}
		out = append(out, b[:n-1]...)
	}
	return string(out)
}
