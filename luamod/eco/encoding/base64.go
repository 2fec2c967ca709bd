package encoding

import (
	"encoding/base64"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

func loadBase64(L *lua.LState) int {
	mod := L.NewTable()
	mod.RawSetString("encode", L.NewFunction(base64Encode))
	mod.RawSetString("decode", L.NewFunction(base64Decode))
	L.Push(mod)
	return 1
}

// base64Encode implements base64.encode(data): standard alphabet, padded.
func base64Encode(L *lua.LState) int {
	src := luaarg.CheckString(L, 1, "encode")
	L.Push(lua.LString(base64.StdEncoding.EncodeToString([]byte(src))))
	return 1
}

// decodeTable maps a byte to its 6-bit value, or 0xff when the byte is not
// in the standard alphabet.
var decodeTable = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// base64Decode implements base64.decode(s), as strict as lua-eco 4.1.3:
// the length must be a multiple of 4, every byte outside padding must be in
// the standard alphabet, and padding ('=' or '==') may only end the last
// quad. Anything else returns nil, "input is malformed". Unused trailing
// bits are not checked, as in lua-eco.
func base64Decode(L *lua.LState) int {
	in := luaarg.CheckString(L, 1, "decode")
	out, ok := decodeEco(in)
	if !ok {
		L.Push(lua.LNil)
		L.Push(lua.LString(malformed))
		return 2
	}
	L.Push(lua.LString(out))
	return 1
}

func decodeEco(in string) (string, bool) {
	if len(in)%4 != 0 {
		return "", false
	}
	out := make([]byte, 0, len(in)/4*3)
	for i := 0; i < len(in); i += 4 {
		q := in[i : i+4]
		pad := 0
		switch {
		case q[0] == '=' || q[1] == '=':
			return "", false
		case q[2] == '=':
			if q[3] != '=' {
				return "", false
			}
			pad = 2
		case q[3] == '=':
			pad = 1
		}
		if pad > 0 && i+4 != len(in) {
			return "", false
		}
		var v uint32
		for j := 0; j < 4; j++ {
			var d byte
			if j < 4-pad {
				if d = decodeTable[q[j]]; d == 0xff {
					return "", false
				}
			}
			v = v<<6 | uint32(d)
		}
		b := [3]byte{byte(v >> 16), byte(v >> 8), byte(v)}
		out = append(out, b[:3-pad]...)
	}
	return string(out), true
}
