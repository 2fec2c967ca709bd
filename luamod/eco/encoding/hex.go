package encoding

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

func loadHex(L *lua.LState) int {
	mod := L.NewTable()
	mod.RawSetString("encode", L.NewFunction(hexEncode))
	mod.RawSetString("decode", L.NewFunction(hexDecode))
	mod.RawSetString("dump", L.NewFunction(hexDump))
	L.Push(mod)
	return 1
}

const lowerHex = "0123456789abcdef"

// hexEncode implements hex.encode(bin[, sep]): lowercase hex digits, with
// sep (any value, rendered with tostring; nil or false mean none) between
// bytes.
func hexEncode(L *lua.LState) int {
	bin, ok := L.Get(1).(lua.LString)
	if !ok {
		indexError(L, L.Get(1), "bin")
	}
	sep := ""
	if v := L.Get(2); lua.LVAsBool(v) {
		sep = L.ToStringMeta(v).String()
	}
	var b strings.Builder
	b.Grow(len(bin)*2 + max(len(bin)-1, 0)*len(sep))
	for i := 0; i < len(bin); i++ {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteByte(lowerHex[bin[i]>>4])
		b.WriteByte(lowerHex[bin[i]&0xf])
	}
	L.Push(lua.LString(b.String()))
	return 1
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// hexDecode implements hex.decode(s): s must be an even number of hex
// digits (either case), otherwise nil, "input is malformed".
func hexDecode(L *lua.LState) int {
	s, ok := L.Get(1).(lua.LString)
	if !ok {
		indexError(L, L.Get(1), "s")
	}
	if len(s)%2 != 0 {
		L.Push(lua.LNil)
		L.Push(lua.LString(malformed))
		return 2
	}
	out := make([]byte, len(s)/2)
	for i := range out {
		hi, ok1 := hexVal(s[2*i])
		lo, ok2 := hexVal(s[2*i+1])
		if !ok1 || !ok2 {
			L.Push(lua.LNil)
			L.Push(lua.LString(malformed))
			return 2
		}
		out[i] = hi<<4 | lo
	}
	L.Push(lua.LString(out))
	return 1
}

// hexDump implements hex.dump(data): 16 bytes a line as
// "%08x " offset, "%02x " per byte with an extra space after the 8th,
// padding for short lines, " |", then the bytes with control characters
// (0x00-0x1f, 0x7f) shown as '.', and "\n". Unlike hexdump -C there is no
// closing '|' and no final offset line; this is lua-eco's format.
func hexDump(L *lua.LState) int {
	data, ok := L.Get(1).(lua.LString)
	if !ok {
		L.RaiseError("attempt to get length of a %s value (local 'data')", L.Get(1).Type().String())
	}
	var b strings.Builder
	for off := 0; off < len(data); off += 16 {
		chunk := data[off:min(off+16, len(data))]
		for shift := 28; shift >= 0; shift -= 4 {
			b.WriteByte(lowerHex[(off>>shift)&0xf])
		}
		b.WriteByte(' ')
		for j := 1; j <= 16; j++ {
			if j <= len(chunk) {
				c := chunk[j-1]
				b.WriteByte(lowerHex[c>>4])
				b.WriteByte(lowerHex[c&0xf])
				b.WriteByte(' ')
				if j == 8 {
					b.WriteByte(' ')
				}
				continue
			}
			if j == 8 {
				b.WriteByte(' ')
			}
			b.WriteString("   ")
		}
		b.WriteString(" |")
		for j := 0; j < len(chunk); j++ {
			c := chunk[j]
			if c < 0x20 || c == 0x7f {
				c = '.'
			}
			b.WriteByte(c)
		}
		b.WriteByte('\n')
	}
	L.Push(lua.LString(b.String()))
	return 1
}
