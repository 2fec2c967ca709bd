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

// base64Decode implements base64.decode(s). It is strict about the length
// (a multiple of 4) and the alphabet, but, like lua-eco, decoding ends at
// the first '=': the bytes of the current quad decoded so far are kept and
// anything after the '=' is ignored. Unused trailing bits are not checked.
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
	var quad [4]byte
	for i := 0; i < len(in); i += 4 {
		for j := 0; j < 4; j++ {
			c := in[i+j]
			if c == '=' {
				// j sextets give j-1 whole bytes. A quad opening with '='
				// would make lua-eco copy a negative length; call it
				// malformed instead.
				if j == 0 {
					return "", false
				}
				v := uint32(quad[0])<<18 | uint32(quad[1])<<12 | uint32(quad[2])<<6
				b := [3]byte{byte(v >> 16), byte(v >> 8), byte(v)}
				return string(append(out, b[:j-1]...)), true
			}
			d := decodeTable[c]
			if d == 0xff {
				return "", false
			}
			quad[j] = d
		}
		v := uint32(quad[0])<<18 | uint32(quad[1])<<12 | uint32(quad[2])<<6 | uint32(quad[3])
		out = append(out, byte(v>>16), byte(v>>8), byte(v))
	}
	return string(out), true
}
