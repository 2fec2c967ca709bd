package lua54

import (
	"math"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// FloatToInt converts an integral float64 within the int64 range to that
// integer: the rule by which this runtime tells Lua 5.4's integers from its
// floats (see the package documentation). lua54lib uses it for every
// integer argument.
func FloatToInt(v float64) (int64, bool) { return floatToInt(v) }

// NumberToString formats a number as Lua 5.4's tostring does. An integer
// (an integral float64 within the int64 range) prints in decimal without a
// fractional part, as 5.4 prints its integer subtype; so 1.0 prints "1",
// not 5.4's "1.0", because float64 cannot tell them apart. Every other
// value uses C's "%.14g" (LUAI_NUMFFORMAT), with ".0" appended when the
// result would read as an integer, "inf" and "-inf" for infinities, and
// "nan" or "-nan" by the sign bit, as glibc's printf writes them.
//
// It is the one conversion behind tostring, print, string.format("%s"),
// table.concat, io.write, the string functions' number arguments and the
// lowered ".." operator.
func NumberToString(n lua.LNumber) string {
	return string(AppendNumber(nil, n))
}

// AppendNumber appends NumberToString(n) to b.
func AppendNumber(b []byte, n lua.LNumber) []byte {
	f := float64(n)
	if i, ok := floatToInt(f); ok {
		return strconv.AppendInt(b, i, 10)
	}
	switch {
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	case math.IsNaN(f):
		if math.Signbit(f) {
			return append(b, "-nan"...)
		}
		return append(b, "nan"...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', 14, 64)
	// Go's 'g' drops trailing zeros of the fraction and uses at least two
	// exponent digits, like C's %g; what remains is lua_Number2str's ".0"
	// for values that print like an integer (only possible here for
	// non-integral values that round to one at 14 digits).
	for _, c := range b[start:] {
		if c != '-' && (c < '0' || c > '9') {
			return b
		}
	}
	return append(b, ".0"...)
}
