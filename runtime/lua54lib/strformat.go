package lua54lib

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unsafe"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// Valid flags per conversion, from Lua 5.4's lstrlib.c.
const (
	fmtFlagsF = "-+ #0" // a A e E f F g G
	fmtFlagsX = "-#0"   // o x X
	fmtFlagsI = "-+ 0"  // d i
	fmtFlagsU = "-0"    // u
	fmtFlagsC = "-"     // c p s
	maxFormat = 32
)

func openString(L *lua.LState) {
	s := libTable(L, "string")
	register(L, s, map[string]lua.LGFunction{
		"rep":      strRep,
		"format":   strFormat,
		"pack":     strPack,
		"unpack":   strUnpack,
		"packsize": strPackSize,
		"sub":      strSub,
		"byte":     strByte,
		"char":     strChar,
		"len":      strLen,
		"upper":    strUpper,
		"lower":    strLower,
		"reverse":  strReverse,
	})
	openPattern(L, s)
}

// strRep is string.rep(s, n [, sep]).
func strRep(L *lua.LState) int {
	const name = "string.rep"
	s := checkString(L, 1, name)
	n := checkInteger(L, 2, name)
	sep := optString(L, 3, name, "")
	if n <= 0 {
		L.Push(lua.LString(""))
		return 1
	}
	l := int64(len(s) + len(sep))
	// 5.4's check: l + lsep > MAXSIZE / n, with MAXSIZE = INT_MAX.
	if l > 0 && l > maxSize/n {
		raise(L, "resulting string too large")
	}
	if sep == "" {
		L.Push(lua.LString(strings.Repeat(s, int(n))))
		return 1
	}
	var b strings.Builder
	b.Grow(int(n)*int(l) - len(sep))
	for i := int64(0); i < n; i++ {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
	}
	L.Push(lua.LString(b.String()))
	return 1
}

// fmtSpec is one parsed conversion specification.
type fmtSpec struct {
	form      string // the whole spec, e.g. "%-10.3f"
	flags     string
	width     int
	hasWidth  bool
	prec      int
	hasPrec   bool
	verb      byte
	modifiers bool // anything between '%' and the verb
}

func (sp *fmtSpec) has(flag byte) bool { return strings.IndexByte(sp.flags, flag) >= 0 }

// get2digits skips at most two digits.
func get2digits(s string, i int) int {
	for k := 0; k < 2 && i < len(s) && '0' <= s[i] && s[i] <= '9'; k++ {
		i++
	}
	return i
}

// checkFormat validates spec.form against the flags a conversion allows,
// as 5.4's checkformat, and fills flags, width and precision.
func checkFormat(L *lua.LState, sp *fmtSpec, flags string, precision bool) {
	spec := sp.form[1:]
	i := 0
	for i < len(spec) && strings.IndexByte(flags, spec[i]) >= 0 {
		i++
	}
	sp.flags = spec[:i]
	if i < len(spec) && spec[i] != '0' {
		j := get2digits(spec, i)
		if j > i {
			sp.width, _ = strconv.Atoi(spec[i:j])
			sp.hasWidth = true
		}
		i = j
		if i < len(spec) && spec[i] == '.' && precision {
			i++
			j = get2digits(spec, i)
			sp.prec, _ = strconv.Atoi(spec[i:j])
			sp.hasPrec = true
			i = j
		}
	}
	if i >= len(spec) || !isAlpha(spec[i]) || i != len(spec)-1 {
		raise(L, "invalid conversion specification: '%s'", sp.form)
	}
}

func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// pad applies the width with spaces, left- or right-justified.
func (sp *fmtSpec) pad(body string) string {
	if !sp.hasWidth || len(body) >= sp.width {
		return body
	}
	fill := strings.Repeat(" ", sp.width-len(body))
	if sp.has('-') {
		return body + fill
	}
	return fill + body
}

// goFormat rebuilds the spec as a Go fmt verb; Go's integer and %e/%f/%g
// flags behave as C's once the value has the right Go type.
func (sp *fmtSpec) goFormat(verb byte) string {
	var b strings.Builder
	b.WriteByte('%')
	b.WriteString(sp.flags)
	if sp.hasWidth {
		b.WriteString(strconv.Itoa(sp.width))
	}
	if sp.hasPrec {
		b.WriteByte('.')
		b.WriteString(strconv.Itoa(sp.prec))
	}
	b.WriteByte(verb)
	return b.String()
}

// strFormat is string.format with Lua 5.4's conversions and checks.
func strFormat(L *lua.LState) int {
	const name = "string.format"
	fs := checkString(L, 1, name)
	top := L.GetTop()
	arg := 1
	var b strings.Builder
	for i := 0; i < len(fs); {
		c := fs[i]
		if c != '%' {
			b.WriteByte(c)
			i++
			continue
		}
		i++
		if i < len(fs) && fs[i] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		arg++
		if arg > top {
			argError(L, arg, name, "no value")
		}
		// getformat: span flags, digits and '.', then take the verb.
		j := i
		for j < len(fs) && strings.IndexByte(fmtFlagsF+"123456789.", fs[j]) >= 0 {
			j++
		}
		j++ // the conversion character
		if j-i >= maxFormat-10 {
			raise(L, "invalid format (too long)")
		}
		if j > len(fs) {
			j = len(fs)
		}
		sp := fmtSpec{form: "%" + fs[i:j]}
		if j > i {
			sp.verb = fs[j-1]
		}
		sp.modifiers = j-i > 1
		i = j
		formatItem(L, &b, &sp, arg)
	}
	L.Push(lua.LString(b.String()))
	return 1
}

func formatItem(L *lua.LState, b *strings.Builder, sp *fmtSpec, arg int) {
	const name = "string.format"
	switch sp.verb {
	case 'c':
		checkFormat(L, sp, fmtFlagsC, false)
		n := checkInteger(L, arg, name)
		b.WriteString(sp.pad(string([]byte{byte(n)})))
	case 'd', 'i':
		n := checkInteger(L, arg, name)
		checkFormat(L, sp, fmtFlagsI, true)
		b.WriteString(fmt.Sprintf(sp.goFormat('d'), n))
	case 'u':
		n := checkInteger(L, arg, name)
		checkFormat(L, sp, fmtFlagsU, true)
		b.WriteString(fmt.Sprintf(sp.goFormat('d'), uint64(n)))
	case 'o', 'x', 'X':
		n := checkInteger(L, arg, name)
		checkFormat(L, sp, fmtFlagsX, true)
		if n == 0 && sp.has('#') && sp.verb != 'o' {
			sp.flags = strings.ReplaceAll(sp.flags, "#", "") // C prints plain 0
		}
		b.WriteString(fmt.Sprintf(sp.goFormat(sp.verb), uint64(n)))
	case 'a', 'A':
		checkFormat(L, sp, fmtFlagsF, true)
		b.WriteString(formatHexFloat(sp, checkNumber(L, arg, name)))
	case 'f', 'e', 'E', 'g', 'G': // no 'F': 5.4.4 rejects it
		x := checkNumber(L, arg, name)
		checkFormat(L, sp, fmtFlagsF, true)
		if math.IsInf(x, 0) || math.IsNaN(x) {
			b.WriteString(formatNonFinite(sp, x))
			return
		}
		if !sp.hasPrec && (sp.verb == 'g' || sp.verb == 'G') {
			sp.hasPrec, sp.prec = true, 6 // Go's default %g is "shortest"
		}
		b.WriteString(fmt.Sprintf(sp.goFormat(sp.verb), x))
	case 'p':
		checkFormat(L, sp, fmtFlagsC, false)
		b.WriteString(sp.pad(pointerString(L.Get(arg))))
	case 'q':
		if sp.modifiers {
			raise(L, "%s", "specifier '%q' cannot have modifiers")
		}
		addLiteral(L, b, arg)
	case 's':
		s := ToString(L, L.Get(arg))
		if !sp.modifiers {
			b.WriteString(s)
			return
		}
		if strings.IndexByte(s, 0) >= 0 {
			argError(L, arg, name, "string contains zeros")
		}
		checkFormat(L, sp, fmtFlagsC, true)
		if !sp.hasPrec && len(s) >= 100 {
			b.WriteString(s)
			return
		}
		if sp.hasPrec && len(s) > sp.prec {
			s = s[:sp.prec]
		}
		b.WriteString(sp.pad(s))
	default:
		raise(L, "invalid conversion '%s' to 'format'", sp.form)
	}
}

// pointerString is %p: an address for reference values, "(null)" else.
func pointerString(v lua.LValue) string {
	switch x := v.(type) {
	case *lua.LTable, *lua.LFunction, *lua.LUserData, *lua.LState:
		return fmt.Sprintf("%p", x)
	case lua.LString:
		if len(x) > 0 {
			return fmt.Sprintf("%p", unsafe.StringData(string(x)))
		}
	}
	return "(null)"
}

// formatNonFinite prints inf and nan as C's printf does ("-nan" when the
// sign bit is set), padded with spaces even with the '0' flag.
func formatNonFinite(sp *fmtSpec, x float64) string {
	var body string
	switch {
	case math.IsNaN(x):
		body = "nan"
	default:
		body = "inf"
	}
	if math.Signbit(x) {
		body = "-" + body
	} else if sp.has('+') {
		body = "+" + body
	} else if sp.has(' ') {
		body = " " + body
	}
	if sp.verb >= 'A' && sp.verb <= 'Z' {
		body = strings.ToUpper(body)
	}
	return sp.pad(body)
}

// formatHexFloat is C's %a / %A.
func formatHexFloat(sp *fmtSpec, x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return formatNonFinite(sp, x)
	}
	prec := -1
	if sp.hasPrec {
		prec = sp.prec
	}
	body := strconv.FormatFloat(math.Abs(x), 'x', prec, 64)
	// Go writes at least two exponent digits ("p+00"); C writes the minimum.
	if p := strings.IndexByte(body, 'p'); p >= 0 && p+2 < len(body) {
		exp := strings.TrimLeft(body[p+2:], "0")
		if exp == "" {
			exp = "0"
		}
		body = body[:p+2] + exp
	}
	if sp.has('#') && !strings.Contains(body, ".") {
		p := strings.IndexByte(body, 'p')
		body = body[:p] + "." + body[p:]
	}
	sign := ""
	if math.Signbit(x) {
		sign = "-"
	} else if sp.has('+') {
		sign = "+"
	} else if sp.has(' ') {
		sign = " "
	}
	if sp.has('0') && !sp.has('-') && sp.hasWidth && len(sign)+len(body) < sp.width {
		body = "0x" + strings.Repeat("0", sp.width-len(sign)-len(body)) + body[2:]
	}
	out := sp.pad(sign + body)
	if sp.verb == 'A' {
		out = strings.ToUpper(out)
	}
	return out
}

// addLiteral is %q: a value written so that Lua reads it back.
func addLiteral(L *lua.LState, b *strings.Builder, arg int) {
	switch v := L.Get(arg).(type) {
	case lua.LString:
		addQuoted(b, string(v))
	case lua.LNumber:
		f := float64(v)
		if i, ok := lua54.FloatToInt(f); ok {
			if i == math.MinInt64 {
				b.WriteString("0x8000000000000000")
			} else {
				b.WriteString(strconv.FormatInt(i, 10))
			}
			return
		}
		switch {
		case math.IsInf(f, 1):
			b.WriteString("1e9999")
		case math.IsInf(f, -1):
			b.WriteString("-1e9999")
		case math.IsNaN(f):
			b.WriteString("(0/0)")
		default:
			b.WriteString(formatHexFloat(&fmtSpec{verb: 'a'}, f))
		}
	case *lua.LNilType, lua.LBool:
		b.WriteString(v.String())
	default:
		argError(L, arg, "string.format", "value has no literal form")
	}
}

func addQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\' || c == '\n':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			if i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9' {
				fmt.Fprintf(b, "\\%03d", c)
			} else {
				fmt.Fprintf(b, "\\%d", c)
			}
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
