package lua54

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Token kinds. Single-character tokens use their byte value; the rest start
// above the byte range.
const (
	tkEOF = 256 + iota
	// reserved words
	tkAnd
	tkBreak
	tkDo
	tkElse
	tkElseif
	tkEnd
	tkFalse
	tkFor
	tkFunction
	tkGoto
	tkIf
	tkIn
	tkLocal
	tkNil
	tkNot
	tkOr
	tkRepeat
	tkReturn
	tkThen
	tkTrue
	tkUntil
	tkWhile
	// multi-character symbols
	tkIDiv   // //
	tkConcat // ..
	tkDots   // ...
	tkEq     // ==
	tkGE     // >=
	tkLE     // <=
	tkNE     // ~=
	tkShl    // <<
	tkShr    // >>
	tkDbColon
	// literals
	tkNumber
	tkName
	tkString
)

var reservedWords = map[string]int{
	"and": tkAnd, "break": tkBreak, "do": tkDo, "else": tkElse, "elseif": tkElseif,
	"end": tkEnd, "false": tkFalse, "for": tkFor, "function": tkFunction, "goto": tkGoto,
	"if": tkIf, "in": tkIn, "local": tkLocal, "nil": tkNil, "not": tkNot, "or": tkOr,
	"repeat": tkRepeat, "return": tkReturn, "then": tkThen, "true": tkTrue,
	"until": tkUntil, "while": tkWhile,
}

var tokenText = map[int]string{
	tkEOF: "<eof>", tkIDiv: "//", tkConcat: "..", tkDots: "...", tkEq: "==", tkGE: ">=",
	tkLE: "<=", tkNE: "~=", tkShl: "<<", tkShr: ">>", tkDbColon: "::",
}

func init() {
	for w, t := range reservedWords {
		tokenText[t] = w
	}
}

// token is one lexical item. For names and strings str holds the value; for
// numbers num holds it and str the source text.
type token struct {
	kind int
	str  string
	num  float64
	line int
}

// SyntaxError is a Lua compile-time error. Its text reads like Lua 5.4's:
// "chunk:line: message near 'token'".
type SyntaxError struct {
	Chunk   string // the chunk's display name (chunkid)
	Line    int
	Message string // including the "near ..." part when Lua prints one
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.Chunk, e.Line, e.Message)
}

// lexer turns Lua 5.4 source into tokens. Errors are raised by panicking
// with *SyntaxError; Parse recovers them.
type lexer struct {
	src   []byte
	pos   int
	line  int
	chunk string
	buf   []byte // scratch for string literals
	// strs interns string literals: equal literals of one chunk share
	// their bytes, as 5.4 shares one string object per chunk, so that
	// string.format("%p", s) tells constants from strings built at run
	// time the way 5.4 does.
	strs map[string]string
}

// intern returns the chunk's copy of s.
func (lx *lexer) intern(s string) string {
	if v, ok := lx.strs[s]; ok {
		return v
	}
	if lx.strs == nil {
		lx.strs = map[string]string{}
	}
	lx.strs[s] = s
	return s
}

func (lx *lexer) errorf(line int, near string, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if near != "" {
		msg += " near " + near
	}
	panic(&SyntaxError{Chunk: lx.chunk, Line: line, Message: msg})
}

func (lx *lexer) cur() int {
	if lx.pos < len(lx.src) {
		return int(lx.src[lx.pos])
	}
	return -1
}

func (lx *lexer) peekAt(off int) int {
	if lx.pos+off < len(lx.src) {
		return int(lx.src[lx.pos+off])
	}
	return -1
}

func isNewline(c int) bool { return c == '\n' || c == '\r' }
func isDigit(c int) bool   { return c >= '0' && c <= '9' }
func isAlpha(c int) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
func isAlnum(c int) bool { return isAlpha(c) || isDigit(c) }
func isXDigit(c int) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
func hexValue(c int) int {
	switch {
	case isDigit(c):
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// skipNewline consumes one newline sequence (\n, \r, \n\r or \r\n) and
// counts the line, like Lua's inclinenumber.
func (lx *lexer) skipNewline() {
	old := lx.cur()
	lx.pos++
	if c := lx.cur(); isNewline(c) && c != old {
		lx.pos++
	}
	lx.line++
}

// quoteNear renders the token text used in "near '...'".
func quoteNear(s string) string {
	return "'" + s + "'"
}

// next scans the next token.
func (lx *lexer) next() token {
	for {
		c := lx.cur()
		switch c {
		case -1:
			return token{kind: tkEOF, line: lx.line}
		case '\n', '\r':
			lx.skipNewline()
			continue
		case ' ', '\t', '\f', '\v':
			lx.pos++
			continue
		case '-':
			if lx.peekAt(1) != '-' {
				lx.pos++
				return token{kind: '-', line: lx.line}
			}
			lx.pos += 2
			if lx.cur() == '[' {
				start := lx.pos
				if sep := lx.longBracketLevel(); sep >= 0 {
					lx.readLongString(sep, false, lx.line)
					continue
				}
				lx.pos = start
			}
			for c := lx.cur(); c != -1 && !isNewline(c); c = lx.cur() {
				lx.pos++
			}
			continue
		case '[':
			start := lx.pos
			line := lx.line
			sep := lx.longBracketLevel()
			if sep >= 0 {
				return token{kind: tkString, str: lx.intern(lx.readLongString(sep, true, line)), line: line}
			}
			if sep != -1 {
				lx.errorf(lx.line, quoteNear(string(lx.src[start:lx.pos])), "invalid long string delimiter")
			}
			lx.pos = start + 1
			return token{kind: '[', line: line}
		case '=':
			return lx.twoChar('=', tkEq, '=')
		case '<':
			if lx.peekAt(1) == '<' {
				lx.pos += 2
				return token{kind: tkShl, line: lx.line}
			}
			return lx.twoChar('<', tkLE, '=')
		case '>':
			if lx.peekAt(1) == '>' {
				lx.pos += 2
				return token{kind: tkShr, line: lx.line}
			}
			return lx.twoChar('>', tkGE, '=')
		case '/':
			return lx.twoChar('/', tkIDiv, '/')
		case '~':
			return lx.twoChar('~', tkNE, '=')
		case ':':
			return lx.twoChar(':', tkDbColon, ':')
		case '"', '\'':
			line := lx.line
			return token{kind: tkString, str: lx.intern(lx.readString(c)), line: line}
		case '.':
			if lx.peekAt(1) == '.' {
				if lx.peekAt(2) == '.' {
					lx.pos += 3
					return token{kind: tkDots, line: lx.line}
				}
				lx.pos += 2
				return token{kind: tkConcat, line: lx.line}
			}
			if isDigit(lx.peekAt(1)) {
				return lx.readNumber()
			}
			lx.pos++
			return token{kind: '.', line: lx.line}
		default:
			if isDigit(c) {
				return lx.readNumber()
			}
			if isAlpha(c) {
				start := lx.pos
				for isAlnum(lx.cur()) {
					lx.pos++
				}
				word := string(lx.src[start:lx.pos])
				if k, ok := reservedWords[word]; ok {
					return token{kind: k, str: word, line: lx.line}
				}
				return token{kind: tkName, str: word, line: lx.line}
			}
			lx.pos++
			return token{kind: c, line: lx.line}
		}
	}
}

func (lx *lexer) twoChar(first int, kind int, second int) token {
	lx.pos++
	if lx.cur() == second {
		lx.pos++
		return token{kind: kind, line: lx.line}
	}
	return token{kind: first, line: lx.line}
}

// longBracketLevel is called at '['; it consumes '[' '='* and, when a second
// '[' follows, that too. It returns the level, -1 for a lone '[' or -2 for a
// malformed opening such as "[==".
func (lx *lexer) longBracketLevel() int {
	lx.pos++ // '['
	n := 0
	for lx.cur() == '=' {
		lx.pos++
		n++
	}
	if lx.cur() == '[' {
		lx.pos++
		return n
	}
	if n == 0 {
		return -1
	}
	return -2
}

func (lx *lexer) readLongString(level int, isString bool, startLine int) string {
	if isNewline(lx.cur()) { // first newline is skipped
		lx.skipNewline()
	}
	lx.buf = lx.buf[:0]
	for {
		c := lx.cur()
		switch c {
		case -1:
			what := "string"
			if !isString {
				what = "comment"
			}
			lx.errorf(lx.line, "<eof>", "unfinished long %s (starting at line %d)", what, startLine)
		case ']':
			lx.pos++
			n := 0
			for lx.cur() == '=' {
				n++
				lx.pos++
			}
			if n == level && lx.cur() == ']' {
				lx.pos++
				return string(lx.buf)
			}
			if isString {
				lx.buf = append(lx.buf, ']')
				lx.buf = append(lx.buf, strings.Repeat("=", n)...)
			}
		case '\n', '\r':
			lx.skipNewline()
			if isString {
				lx.buf = append(lx.buf, '\n')
			}
		default:
			if isString {
				lx.buf = append(lx.buf, byte(c))
			}
			lx.pos++
		}
	}
}

// readString reads a short string literal with all Lua 5.4 escapes.
func (lx *lexer) readString(quote int) string {
	start := lx.pos
	lx.pos++
	lx.buf = lx.buf[:0]
	near := func() string { return quoteNear(string(lx.src[start:min(lx.pos, len(lx.src))])) }
	for {
		c := lx.cur()
		switch c {
		case quote:
			lx.pos++
			return string(lx.buf)
		case -1:
			lx.errorf(lx.line, "<eof>", "unfinished string")
		case '\n', '\r':
			lx.errorf(lx.line, near(), "unfinished string")
		case '\\':
			lx.pos++
			e := lx.cur()
			switch e {
			case 'a':
				lx.buf = append(lx.buf, '\a')
			case 'b':
				lx.buf = append(lx.buf, '\b')
			case 'f':
				lx.buf = append(lx.buf, '\f')
			case 'n':
				lx.buf = append(lx.buf, '\n')
			case 'r':
				lx.buf = append(lx.buf, '\r')
			case 't':
				lx.buf = append(lx.buf, '\t')
			case 'v':
				lx.buf = append(lx.buf, '\v')
			case '\\', '"', '\'':
				lx.buf = append(lx.buf, byte(e))
			case '\n', '\r':
				lx.skipNewline()
				lx.buf = append(lx.buf, '\n')
				continue
			case 'x':
				v := 0
				for i := 0; i < 2; i++ {
					lx.pos++
					if !isXDigit(lx.cur()) {
						lx.pos++
						lx.errorf(lx.line, near(), "hexadecimal digit expected")
					}
					v = v*16 + hexValue(lx.cur())
				}
				lx.buf = append(lx.buf, byte(v))
			case 'z':
				lx.pos++
				for c := lx.cur(); c == ' ' || c == '\t' || c == '\f' || c == '\v' || isNewline(c); c = lx.cur() {
					if isNewline(c) {
						lx.skipNewline()
					} else {
						lx.pos++
					}
				}
				continue
			case 'u':
				lx.readUTF8Escape(near)
				continue
			case -1:
				continue // reported as unfinished string
			default:
				if !isDigit(e) {
					lx.pos++
					lx.errorf(lx.line, near(), "invalid escape sequence")
				}
				v := 0
				for i := 0; i < 3 && isDigit(lx.cur()); i++ {
					v = v*10 + lx.cur() - '0'
					lx.pos++
				}
				if v > 255 {
					if lx.cur() != -1 {
						lx.pos++ // Lua shows the next character too
					}
					lx.errorf(lx.line, near(), "decimal escape too large")
				}
				lx.buf = append(lx.buf, byte(v))
				continue
			}
			lx.pos++
		default:
			lx.buf = append(lx.buf, byte(c))
			lx.pos++
		}
	}
}

// readUTF8Escape handles \u{XXX}; Lua 5.4 accepts values up to 2^31 and
// encodes them with the original (up to 6-byte) UTF-8 scheme.
func (lx *lexer) readUTF8Escape(near func() string) {
	lx.pos++ // 'u'
	if lx.cur() != '{' {
		lx.pos++
		lx.errorf(lx.line, near(), "missing '{'")
	}
	lx.pos++
	if !isXDigit(lx.cur()) {
		lx.pos++
		lx.errorf(lx.line, near(), "hexadecimal digit expected")
	}
	var r uint64
	for isXDigit(lx.cur()) {
		r = r<<4 | uint64(hexValue(lx.cur()))
		lx.pos++
		if r > 0x7FFFFFFF {
			lx.errorf(lx.line, near(), "UTF-8 value too large")
		}
	}
	if lx.cur() != '}' {
		lx.pos++
		lx.errorf(lx.line, near(), "missing '}'")
	}
	lx.pos++
	lx.buf = appendUTF8(lx.buf, uint32(r))
}

func appendUTF8(b []byte, x uint32) []byte {
	if x < 0x80 {
		return append(b, byte(x))
	}
	if x <= 0x10FFFF && (x < 0xD800 || x > 0xDFFF) {
		return utf8.AppendRune(b, rune(x))
	}
	// Surrogates and values above 0x10FFFF: the extended encoding Lua uses.
	var tmp [8]byte
	n := 7
	mfb := uint32(0x3f)
	for {
		tmp[n] = byte(0x80 | (x & 0x3f))
		n--
		x >>= 6
		mfb >>= 1
		if x <= mfb {
			break
		}
	}
	tmp[n] = byte((^mfb << 1) | x)
	return append(b, tmp[n:]...)
}

// readNumber reads a numeral the way Lua's read_numeral does (greedy over
// hex digits, dots and exponent marks) and converts it like lua_stringtonumber.
func (lx *lexer) readNumber() token {
	start := lx.pos
	line := lx.line
	expo1, expo2 := 'e', 'E'
	if lx.cur() == '0' && (lx.peekAt(1) == 'x' || lx.peekAt(1) == 'X') {
		lx.pos += 2
		expo1, expo2 = 'p', 'P'
	}
	for {
		c := lx.cur()
		if c == int(expo1) || c == int(expo2) {
			lx.pos++
			if c := lx.cur(); c == '+' || c == '-' {
				lx.pos++
			}
		} else if isXDigit(c) || c == '.' {
			lx.pos++
		} else {
			break
		}
	}
	if isAlpha(lx.cur()) {
		lx.pos++ // force an error, as Lua does
	}
	text := string(lx.src[start:lx.pos])
	v, ok := str2number(text)
	if !ok {
		lx.errorf(line, quoteNear(text), "malformed number")
	}
	// An integer literal float64 cannot hold exactly is refused by the
	// parser unless an integer expression carries it (exactLiteral).
	return token{kind: tkNumber, num: v, str: text, line: line}
}

// integerNumeral returns the Lua 5.4 integer value of a numeral that 5.4
// reads as an integer: decimal digits within int64 range, or hexadecimal
// digits without fraction or exponent (wrapping modulo 2^64). A decimal
// integer beyond int64 is a float in 5.4, as here.
func integerNumeral(s string) (int64, bool) {
	if len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		var w uint64
		for i := 2; i < len(s); i++ {
			if !isXDigit(int(s[i])) {
				return 0, false
			}
			w = w<<4 | uint64(hexValue(int(s[i])))
		}
		return int64(w), true
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(int(s[i])) {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// exactInFloat reports whether float64 holds n exactly.
func exactInFloat(n int64) bool {
	const limit = 1 << 53
	if n >= -limit && n <= limit {
		return true
	}
	f := float64(n)
	return f < 1<<63 && int64(f) == n
}

// str2number converts a Lua numeral (no sign, no surrounding space) to its
// float64 value. Integer numerals wrap around modulo 2^64 for hex like Lua
// 5.4; decimal integers that overflow int64 become floats.
func str2number(s string) (float64, bool) {
	if len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return hexNumber(s[2:])
	}
	isInt := true
	for i := 0; i < len(s); i++ {
		if !isDigit(int(s[i])) {
			isInt = false
			break
		}
	}
	if isInt {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return float64(v), true
		}
	}
	for i := 0; i < len(s); i++ { // strconv accepts forms Lua does not
		c := s[i]
		if !(isDigit(int(c)) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return v, true // ±Inf or 0 like strtod
		}
		return 0, false
	}
	return v, true
}

// hexNumber converts the part after "0x": digits, optional fraction and an
// optional binary exponent.
func hexNumber(s string) (float64, bool) {
	var mant uint64
	exp := 0
	anyDigit := false
	seenDot := false
	isFloat := false
	nonsig := 0 // digits dropped once the mantissa is full
	i := 0
	for ; i < len(s); i++ {
		c := int(s[i])
		if c == '.' {
			if seenDot {
				return 0, false
			}
			seenDot = true
			isFloat = true
			continue
		}
		if !isXDigit(c) {
			break
		}
		anyDigit = true
		if mant>>60 == 0 || !isFloat && false {
			mant = mant<<4 | uint64(hexValue(c))
			if seenDot {
				exp -= 4
			}
		} else {
			if hexValue(c) != 0 {
				mant |= 1 // sticky bit keeps rounding honest
			}
			if !seenDot {
				exp += 4
			}
			nonsig++
		}
	}
	if !anyDigit {
		return 0, false
	}
	if i < len(s) {
		if s[i] != 'p' && s[i] != 'P' {
			return 0, false
		}
		isFloat = true
		i++
		sign := 1
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			if s[i] == '-' {
				sign = -1
			}
			i++
		}
		if i == len(s) {
			return 0, false
		}
		e := 0
		for ; i < len(s); i++ {
			if !isDigit(int(s[i])) {
				return 0, false
			}
			if e < 100000 {
				e = e*10 + int(s[i]-'0')
			}
		}
		exp += sign * e
	}
	if !isFloat {
		// Integer: wrap around modulo 2^64 (all digits, not just the first 16).
		var w uint64
		for j := 0; j < len(s); j++ {
			w = w<<4 | uint64(hexValue(int(s[j])))
		}
		return float64(int64(w)), true
	}
	return math.Ldexp(float64(mant), exp), true
}
