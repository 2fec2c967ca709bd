package lua54lib

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// Lua 5.4's utf8 library works on the original UTF-8 definition (sequences
// of up to 6 bytes, code points up to 0x7FFFFFFF); "strict" mode (lax not
// given) additionally rejects surrogates and values above 0x10FFFF.
const (
	maxUnicode = 0x10FFFF
	maxUTF     = 0x7FFFFFFF
	// charPattern matches exactly one UTF-8 byte sequence (5.4 value).
	charPattern = "[\x00-\x7F\xC2-\xFD][\x80-\xBF]*"
)

func openUTF8(L *lua.LState) {
	t := libTable(L, "utf8")
	register(L, t, map[string]lua.LGFunction{
		"char":      utf8Char,
		"codepoint": utf8Codepoint,
		"len":       utf8Len,
		"offset":    utf8Offset,
	})
	t.RawSetString("charpattern", lua.LString(charPattern))
	strictIter := L.NewFunction(func(L *lua.LState) int { return utf8IterAux(L, true) })
	laxIter := L.NewFunction(func(L *lua.LState) int { return utf8IterAux(L, false) })
	t.RawSetString("codes", L.NewFunction(func(L *lua.LState) int {
		s := checkString(L, 1, "utf8.codes")
		if len(s) > 0 && isCont(s[0]) {
			argError(L, 1, "utf8.codes", "invalid UTF-8 code")
		}
		if L.ToBool(2) {
			L.Push(laxIter)
		} else {
			L.Push(strictIter)
		}
		L.Push(lua.LString(s))
		L.Push(lua.LNumber(0))
		return 3
	}))
	if loaded, ok := L.GetField(L.Get(lua.RegistryIndex), "_LOADED").(*lua.LTable); ok {
		loaded.RawSetString("utf8", t)
	}
}

func isCont(c byte) bool { return c&0xC0 == 0x80 }

// utf8Decode decodes one sequence at the start of s. It returns the code
// point and its length, or n == 0 when the sequence is invalid (including
// overlong forms). strict additionally rejects surrogates and > 0x10FFFF.
func utf8Decode(s string, strict bool) (r uint32, n int) {
	limits := [...]uint32{^uint32(0), 0x80, 0x800, 0x10000, 0x200000, 0x4000000}
	c := uint32(s[0])
	if c < 0x80 {
		return c, 1
	}
	count := 0
	var res uint32
	for ; c&0x40 != 0; c <<= 1 {
		count++
		if count >= len(s) {
			return 0, 0
		}
		cc := uint32(s[count])
		if cc&0xC0 != 0x80 {
			return 0, 0
		}
		res = res<<6 | cc&0x3F
	}
	res |= (c & 0x7F) << (count * 5)
	if count > 5 || res > maxUTF || res < limits[count] {
		return 0, 0
	}
	if strict && (res > maxUnicode || (0xD800 <= res && res <= 0xDFFF)) {
		return 0, 0
	}
	return res, count + 1
}

// uPosRelat is u_posrelat: a negative position counts from the end.
func uPosRelat(pos int64, n int) int64 {
	if pos >= 0 {
		return pos
	}
	if -pos > int64(n) {
		return 0
	}
	return int64(n) + pos + 1
}

// utf8Len returns the number of characters in s[i..j], or fail plus the
// position of the first invalid byte.
func utf8Len(L *lua.LState) int {
	const name = "utf8.len"
	s := checkString(L, 1, name)
	n := len(s)
	posi := uPosRelat(optInteger(L, 2, name, 1), n)
	posj := uPosRelat(optInteger(L, 3, name, -1), n)
	lax := L.ToBool(4)
	posi--
	if !(0 <= posi && posi <= int64(n)) {
		argError(L, 2, name, "initial position out of bounds")
	}
	posj--
	if !(posj < int64(n)) {
		argError(L, 3, name, "final position out of bounds")
	}
	count := 0
	for posi <= posj {
		if s[posi] < 0x80 { // ASCII fast path
			posi++
			count++
			continue
		}
		_, size := utf8Decode(s[posi:], !lax)
		if size == 0 {
			L.Push(lua.LNil)
			L.Push(lua.LNumber(float64(posi + 1)))
			return 2
		}
		posi += int64(size)
		count++
	}
	L.Push(lua.LNumber(float64(count)))
	return 1
}

// utf8Codepoint returns the code points of all characters that start in
// s[i..j].
func utf8Codepoint(L *lua.LState) int {
	const name = "utf8.codepoint"
	s := checkString(L, 1, name)
	n := len(s)
	posi := uPosRelat(optInteger(L, 2, name, 1), n)
	pose := uPosRelat(optInteger(L, 3, name, posi), n)
	lax := L.ToBool(4)
	if posi < 1 {
		argError(L, 2, name, "out of bounds")
	}
	if pose > int64(n) {
		argError(L, 3, name, "out of bounds")
	}
	if posi > pose {
		return 0
	}
	if pose-posi >= maxUnpack {
		raise(L, "string slice too long")
	}
	count := 0
	se := int(pose)
	for p := int(posi - 1); p < se; {
		r, size := utf8Decode(s[p:], !lax)
		if size == 0 {
			raise(L, "invalid UTF-8 code")
		}
		L.Push(lua.LNumber(float64(r)))
		p += size
		count++
	}
	return count
}

// EncodeUTF8 appends the UTF-8 form of x as Lua 5.4's utf8.char makes it:
// extended up to 6 bytes, for code points up to 0x7FFFFFFF, surrogates
// included.
func EncodeUTF8(b *strings.Builder, x uint32) {
	if x < 0x80 {
		b.WriteByte(byte(x))
		return
	}
	var buf [8]byte
	i := len(buf)
	mfb := uint32(0x3f) // largest value that fits in the first byte
	for {
		i--
		buf[i] = byte(0x80 | x&0x3f)
		x >>= 6
		mfb >>= 1
		if x <= mfb {
			break
		}
	}
	i--
	buf[i] = byte((^mfb << 1) | x)
	b.Write(buf[i:])
}

func utf8Char(L *lua.LState) int {
	n := L.GetTop()
	var b strings.Builder
	for i := 1; i <= n; i++ {
		c := checkInteger(L, i, "utf8.char")
		if uint64(c) > maxUTF {
			argError(L, i, "utf8.char", "value out of range")
		}
		EncodeUTF8(&b, uint32(c))
	}
	L.Push(lua.LString(b.String()))
	return 1
}

// utf8Offset returns the byte position where the n-th character (counting
// from position i) starts; n == 0 finds the start of the character that
// contains byte i.
func utf8Offset(L *lua.LState) int {
	const name = "utf8.offset"
	s := checkString(L, 1, name)
	ls := int64(len(s))
	n := checkInteger(L, 2, name)
	def := int64(1)
	if n < 0 {
		def = ls + 1
	}
	posi := uPosRelat(optInteger(L, 3, name, def), len(s))
	posi--
	if !(0 <= posi && posi <= ls) {
		argError(L, 3, name, "position out of bounds")
	}
	cont := func(p int64) bool { return p < ls && isCont(s[p]) }
	if n == 0 {
		for posi > 0 && cont(posi) {
			posi--
		}
	} else {
		if cont(posi) {
			raise(L, "initial position is a continuation byte")
		}
		if n < 0 {
			for n < 0 && posi > 0 {
				posi--
				for posi > 0 && cont(posi) {
					posi--
				}
				n++
			}
		} else {
			n--
			for n > 0 && posi < ls {
				posi++
				for cont(posi) {
					posi++
				}
				n--
			}
		}
	}
	if n == 0 {
		L.Push(lua.LNumber(float64(posi + 1)))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// utf8IterAux is the iterator of utf8.codes: it skips the continuation bytes
// of the previous character, then decodes the next one.
func utf8IterAux(L *lua.LState, strict bool) int {
	s := checkString(L, 1, "for iterator")
	ls := int64(len(s))
	i := checkInteger(L, 2, "for iterator")
	if i < 0 {
		return 0 // 5.4 reads the control value as unsigned: past the end
	}
	for i < ls && isCont(s[i]) {
		i++
	}
	if i >= ls {
		return 0
	}
	r, size := utf8Decode(s[i:], strict)
	if size == 0 || (int(i)+size < len(s) && isCont(s[int(i)+size])) {
		raise(L, "invalid UTF-8 code")
	}
	L.Push(lua.LNumber(float64(i + 1)))
	L.Push(lua.LNumber(float64(r)))
	return 2
}
