package lua54lib

import (
	"encoding/binary"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// string.pack, string.unpack and string.packsize as in Lua 5.4 §6.4.2,
// for a 64-bit little-endian host (sizeof int 4, long/size_t/lua_Integer 8,
// maximum alignment 8).

type kOption int

const (
	kInt       kOption = iota // signed integers
	kUint                     // unsigned integers
	kFloat                    // C float
	kNumber                   // Lua number (double)
	kDouble                   // C double
	kChar                     // fixed-length string
	kString                   // length-prefixed string
	kZstr                     // zero-terminated string
	kPadding                  // one padding byte
	kPaddAlign                // alignment padding
	kNop                      // configuration or space
)

const (
	maxIntSize = 16 // largest integral size for i[n], I[n], s[n]
	szInt      = 8  // sizeof(lua_Integer)
	maxAlign   = 8
	// maxSize is Lua 5.4's MAXSIZE on 64-bit hosts (INT_MAX): the limit of
	// sizes in formats and of string.rep / packsize results.
	maxSize = math.MaxInt32
)

// packHeader is the parser state: the format, its position and the current
// endianness and maximum alignment.
type packHeader struct {
	L        *lua.LState
	fmt      string
	pos      int
	little   bool
	maxAlign int
	fname    string // qualified name for argument errors
}

func newHeader(L *lua.LState, format, fname string) *packHeader {
	return &packHeader{L: L, fmt: format, little: true, maxAlign: 1, fname: fname}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// getNum reads an optional decimal size, stopping before it could overflow
// MAXSIZE (the rest of the digits are then read as the next option, as 5.4).
func (h *packHeader) getNum(df int) int {
	if h.pos >= len(h.fmt) || !isDigit(h.fmt[h.pos]) {
		return df
	}
	a := 0
	for {
		a = a*10 + int(h.fmt[h.pos]-'0')
		h.pos++
		if !(h.pos < len(h.fmt) && isDigit(h.fmt[h.pos]) && a <= (maxSize-9)/10) {
			return a
		}
	}
}

func (h *packHeader) getNumLimit(df int) int {
	sz := h.getNum(df)
	if sz > maxIntSize || sz <= 0 {
		raise(h.L, "integral size (%d) out of limits [1,%d]", sz, maxIntSize)
	}
	return sz
}

// getOption reads one option and its size.
func (h *packHeader) getOption() (kOption, int) {
	opt := h.fmt[h.pos]
	h.pos++
	switch opt {
	case 'b':
		return kInt, 1
	case 'B':
		return kUint, 1
	case 'h':
		return kInt, 2
	case 'H':
		return kUint, 2
	case 'l', 'j':
		return kInt, 8
	case 'L', 'J', 'T':
		return kUint, 8
	case 'f':
		return kFloat, 4
	case 'n':
		return kNumber, 8
	case 'd':
		return kDouble, 8
	case 'i':
		return kInt, h.getNumLimit(4)
	case 'I':
		return kUint, h.getNumLimit(4)
	case 's':
		return kString, h.getNumLimit(8)
	case 'c':
		size := h.getNum(-1)
		if size == -1 {
			raise(h.L, "missing size for format option 'c'")
		}
		return kChar, size
	case 'z':
		return kZstr, 0
	case 'x':
		return kPadding, 1
	case 'X':
		return kPaddAlign, 0
	case ' ':
	case '<', '=':
		h.little = true // '=' is native: this host is little-endian
	case '>':
		h.little = false
	case '!':
		h.maxAlign = h.getNumLimit(maxAlign)
	default:
		raise(h.L, "invalid format option '%c'", opt)
	}
	return kNop, 0
}

// getDetails reads an option and computes the padding that aligns it at
// totalsize.
func (h *packHeader) getDetails(totalsize int) (opt kOption, size, ntoalign int) {
	opt, size = h.getOption()
	align := size
	if opt == kPaddAlign {
		if h.pos >= len(h.fmt) {
			argError(h.L, 1, h.fname, "invalid next option for option 'X'")
		}
		var next kOption
		next, align = h.getOption()
		if next == kChar || align == 0 {
			argError(h.L, 1, h.fname, "invalid next option for option 'X'")
		}
	}
	if align <= 1 || opt == kChar {
		return opt, size, 0
	}
	if align > h.maxAlign {
		align = h.maxAlign
	}
	if align&(align-1) != 0 {
		argError(h.L, 1, h.fname, "format asks for alignment not power of 2")
	}
	ntoalign = (align - totalsize&(align-1)) & (align - 1)
	return opt, size, ntoalign
}

// packInt appends size bytes of n, sign-extending beyond 8 bytes.
func packInt(b []byte, n uint64, little bool, size int, neg bool) []byte {
	start := len(b)
	for i := 0; i < size; i++ {
		var c byte
		switch {
		case i < szInt:
			c = byte(n >> (8 * i))
		case neg:
			c = 0xff
		}
		b = append(b, c)
	}
	if !little {
		s := b[start:]
		for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
			s[i], s[j] = s[j], s[i]
		}
	}
	return b
}

// checkPackUnsigned reads an unsigned integer argument: besides the int64
// range (negative values wrap as in 5.4), integral floats in [2^63, 2^64)
// are accepted as their uint64 value, since float64 numbers cannot carry
// the wrapped negative integer a 5.4 script would pass instead.
func checkPackUnsigned(L *lua.LState, arg int, fname string) uint64 {
	if n, ok := L.Get(arg).(lua.LNumber); ok {
		f := float64(n)
		if f >= twoTo63 && f < 2*twoTo63 && f == math.Trunc(f) {
			return uint64(f)
		}
	}
	return uint64(checkInteger(L, arg, fname))
}

func strPack(L *lua.LState) int {
	const name = "string.pack"
	h := newHeader(L, checkString(L, 1, name), name)
	// Like 5.4, push a nil mark after the arguments: a missing first
	// argument then reads as "got nil", as it does in 5.4.
	L.Push(lua.LNil)
	arg := 1
	totalsize := 0
	b := make([]byte, 0, 32)
	for h.pos < len(h.fmt) {
		opt, size, ntoalign := h.getDetails(totalsize)
		totalsize += ntoalign + size
		if totalsize > maxSize {
			argError(L, 1, name, "format result too large")
		}
		for ; ntoalign > 0; ntoalign-- {
			b = append(b, 0)
		}
		arg++
		switch opt {
		case kInt:
			n := checkInteger(L, arg, name)
			if size < szInt {
				lim := int64(1) << (size*8 - 1)
				if !(-lim <= n && n < lim) {
					argError(L, arg, name, "integer overflow")
				}
			}
			b = packInt(b, uint64(n), h.little, size, n < 0)
		case kUint:
			n := checkPackUnsigned(L, arg, name)
			if size < szInt && n >= uint64(1)<<(size*8) {
				argError(L, arg, name, "unsigned overflow")
			}
			b = packInt(b, n, h.little, size, false)
		case kFloat:
			b = appendFloat32(b, float32(checkNumber(L, arg, name)), h.little)
		case kNumber, kDouble:
			b = appendFloat64(b, checkNumber(L, arg, name), h.little)
		case kChar:
			s := checkString(L, arg, name)
			if len(s) > size {
				argError(L, arg, name, "string longer than given size")
			}
			b = append(b, s...)
			b = append(b, make([]byte, size-len(s))...)
		case kString:
			s := checkString(L, arg, name)
			if size < 8 && uint64(len(s)) >= uint64(1)<<(size*8) {
				argError(L, arg, name, "string length does not fit in given size")
			}
			b = packInt(b, uint64(len(s)), h.little, size, false)
			b = append(b, s...)
			totalsize += len(s)
		case kZstr:
			s := checkString(L, arg, name)
			for i := 0; i < len(s); i++ {
				if s[i] == 0 {
					argError(L, arg, name, "string contains zeros")
				}
			}
			b = append(b, s...)
			b = append(b, 0)
			totalsize += len(s) + 1
		case kPadding:
			b = append(b, 0)
			arg--
		default: // kPaddAlign, kNop
			arg--
		}
		if totalsize > maxSize {
			argError(L, 1, name, "format result too large")
		}
	}
	L.Push(lua.LString(b))
	return 1
}

func appendFloat32(b []byte, f float32, little bool) []byte {
	if little {
		return binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	return binary.BigEndian.AppendUint32(b, math.Float32bits(f))
}

func appendFloat64(b []byte, f float64, little bool) []byte {
	if little {
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	return binary.BigEndian.AppendUint64(b, math.Float64bits(f))
}

func strPackSize(L *lua.LState) int {
	const name = "string.packsize"
	h := newHeader(L, checkString(L, 1, name), name)
	totalsize := 0
	for h.pos < len(h.fmt) {
		opt, size, ntoalign := h.getDetails(totalsize)
		if opt == kString || opt == kZstr {
			argError(L, 1, name, "variable-length format")
		}
		size += ntoalign
		if totalsize > maxSize-size {
			argError(L, 1, name, "format result too large")
		}
		totalsize += size
	}
	L.Push(lua.LNumber(float64(totalsize)))
	return 1
}

// unpackInt reads size bytes as a 64-bit integer (5.4's unpackint); bytes
// beyond the eighth must be a pure sign extension.
func unpackInt(L *lua.LState, s string, little bool, size int, signed bool) int64 {
	var res uint64
	limit := size
	if limit > szInt {
		limit = szInt
	}
	at := func(i int) byte {
		if little {
			return s[i]
		}
		return s[size-1-i]
	}
	for i := limit - 1; i >= 0; i-- {
		res = res<<8 | uint64(at(i))
	}
	if size < szInt {
		if signed {
			mask := uint64(1) << (size*8 - 1)
			res = (res ^ mask) - mask
		}
	} else if size > szInt {
		var mask byte
		if signed && int64(res) < 0 {
			mask = 0xff
		}
		for i := limit; i < size; i++ {
			if at(i) != mask {
				raise(L, "%d-byte integer does not fit into Lua Integer", size)
			}
		}
	}
	return int64(res)
}

// readUint reads len(s) <= 8 bytes as an unsigned integer.
func readUint(s string, little bool) uint64 {
	var u uint64
	for i := range len(s) {
		if little {
			u |= uint64(s[i]) << (8 * i)
		} else {
			u = u<<8 | uint64(s[i])
		}
	}
	return u
}

// posRelatI is 5.4's posrelatI: a start position clipped to [1, inf).
func posRelatI(pos int64, n int) int64 {
	switch {
	case pos > 0:
		return pos
	case pos == 0:
		return 1
	case pos < -int64(n):
		return 1
	}
	return int64(n) + pos + 1
}

func strUnpack(L *lua.LState) int {
	const name = "string.unpack"
	h := newHeader(L, checkString(L, 1, name), name)
	data := checkString(L, 2, name)
	ld := len(data)
	p := posRelatI(optInteger(L, 3, name, 1), ld) - 1
	if p > int64(ld) {
		argError(L, 3, name, "initial position out of string")
	}
	pos := int(p)
	n := 0
	for h.pos < len(h.fmt) {
		opt, size, ntoalign := h.getDetails(pos)
		if ntoalign+size > ld-pos {
			argError(L, 2, name, "data string too short")
		}
		pos += ntoalign
		n++
		switch opt {
		case kInt, kUint:
			v := unpackInt(L, data[pos:], h.little, size, opt == kInt)
			L.Push(lua.LNumber(float64(v)))
		case kFloat:
			u := uint32(readUint(data[pos:pos+4], h.little))
			L.Push(lua.LNumber(float64(math.Float32frombits(u))))
		case kNumber, kDouble:
			u := readUint(data[pos:pos+8], h.little)
			L.Push(lua.LNumber(math.Float64frombits(u)))
		case kChar:
			L.Push(lua.LString(data[pos : pos+size]))
		case kString:
			l := uint64(unpackInt(L, data[pos:], h.little, size, false))
			if l > uint64(ld-pos-size) {
				argError(L, 2, name, "data string too short")
			}
			L.Push(lua.LString(data[pos+size : pos+size+int(l)]))
			pos += int(l)
		case kZstr:
			l := 0
			for pos+l < ld && data[pos+l] != 0 {
				l++
			}
			if pos+l >= ld {
				argError(L, 2, name, "unfinished string for format 'z'")
			}
			L.Push(lua.LString(data[pos : pos+l]))
			pos += l + 1
		default: // padding, alignment, nop
			n--
		}
		pos += size
	}
	L.Push(lua.LNumber(float64(pos + 1)))
	return n + 1
}
