package encoding

import (
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// jsonDecoder is the state of one json.decode call.
type jsonDecoder struct {
	L     *lua.LState
	null  *lua.LTable
	s     string
	pos   int
	depth int
}

// DecodeJSON decodes the first JSON value in s as silly's json.decode
// does: whatever follows that value is ignored, null becomes the null
// sentinel, and failures return "empty input" or "invalid json".
func DecodeJSON(L *lua.LState, s string, null *lua.LTable) (lua.LValue, string) {
	d := jsonDecoder{L: L, null: null, s: s}
	d.skipSpace()
	if d.pos >= len(s) {
		return lua.LNil, errEmptyInput
	}
	v, ok := d.value()
	if !ok {
		return lua.LNil, errInvalidJSON
	}
	return v, ""
}

func (d *jsonDecoder) skipSpace() {
	for d.pos < len(d.s) {
		switch d.s[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *jsonDecoder) value() (lua.LValue, bool) {
	d.skipSpace()
	if d.pos >= len(d.s) {
		return lua.LNil, false
	}
	switch c := d.s[d.pos]; {
	case c == '"':
		s, ok := d.str()
		return lua.LString(s), ok
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == 't':
		return lua.LTrue, d.literal("true")
	case c == 'f':
		return lua.LFalse, d.literal("false")
	case c == 'n':
		return d.null, d.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	}
	return lua.LNil, false
}

func (d *jsonDecoder) literal(lit string) bool {
	if !strings.HasPrefix(d.s[d.pos:], lit) {
		return false
	}
	d.pos += len(lit)
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (d *jsonDecoder) digits() int {
	n := 0
	for d.pos < len(d.s) && isDigit(d.s[d.pos]) {
		d.pos++
		n++
	}
	return n
}

// number checks the JSON number grammar (no leading zeros, digits after
// '.' and in the exponent) and converts it. Integers that overflow int64
// saturate, as strtoll does in silly.
func (d *jsonDecoder) number() (lua.LValue, bool) {
	start := d.pos
	if d.s[d.pos] == '-' {
		d.pos++
	}
	if d.pos >= len(d.s) || !isDigit(d.s[d.pos]) {
		return lua.LNil, false
	}
	if d.s[d.pos] == '0' {
		d.pos++
		if d.pos < len(d.s) && isDigit(d.s[d.pos]) {
			return lua.LNil, false
		}
	} else {
		d.digits()
	}
	isFloat := false
	if d.pos < len(d.s) && d.s[d.pos] == '.' {
		isFloat = true
		d.pos++
		if d.digits() == 0 {
			return lua.LNil, false
		}
	}
	if d.pos < len(d.s) && (d.s[d.pos] == 'e' || d.s[d.pos] == 'E') {
		isFloat = true
		d.pos++
		if d.pos < len(d.s) && (d.s[d.pos] == '+' || d.s[d.pos] == '-') {
			d.pos++
		}
		if d.digits() == 0 {
			return lua.LNil, false
		}
	}
	text := d.s[start:d.pos]
	if isFloat {
		f, _ := strconv.ParseFloat(text, 64) // out of range gives ±Inf or 0, as strtod
		return lua.LNumber(f), true
	}
	n, _ := strconv.ParseInt(text, 10, 64) // out of range saturates, as strtoll
	return lua.LNumber(n), true
}

func hex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := s[i]
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

// str decodes a string starting at the opening quote. Raw bytes >= 0x20
// are copied without UTF-8 validation; unescaped control bytes, unknown
// escapes and a lone or unpaired surrogate are errors.
func (d *jsonDecoder) str() (string, bool) {
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes.
	for d.pos < len(d.s) {
		c := d.s[d.pos]
		if c == '"' {
			d.pos++
			return d.s[start : d.pos-1], true
		}
		if c == '\\' || c < 0x20 {
			break
		}
		d.pos++
	}
	buf := []byte(d.s[start:d.pos])
	for d.pos < len(d.s) {
		c := d.s[d.pos]
		switch {
		case c == '"':
			d.pos++
			return string(buf), true
		case c < 0x20:
			return "", false
		case c != '\\':
			buf = append(buf, c)
			d.pos++
			continue
		}
		d.pos++
		if d.pos >= len(d.s) {
			return "", false
		}
		switch d.s[d.pos] {
		case '"', '\\', '/':
			buf = append(buf, d.s[d.pos])
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(d.s[d.pos+1:])
			if !ok {
				return "", false
			}
			d.pos += 5
			if r >= 0xd800 && r <= 0xdbff {
				if !strings.HasPrefix(d.s[d.pos:], `\u`) {
					return "", false
				}
				lo, ok := hex4(d.s[d.pos+2:])
				if !ok || lo < 0xdc00 || lo > 0xdfff {
					return "", false
				}
				d.pos += 6
				r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
			} else if r >= 0xdc00 && r <= 0xdfff {
				return "", false
			}
			buf = utf8.AppendRune(buf, r)
			continue
		default:
			return "", false
		}
		d.pos++
	}
	return "", false // unterminated
}

func (d *jsonDecoder) enter() bool {
	d.depth++
	return d.depth <= maxDecodeDepth
}

func (d *jsonDecoder) object() (lua.LValue, bool) {
	if !d.enter() {
		return lua.LNil, false
	}
	defer func() { d.depth-- }()
	d.pos++ // '{'
	t := d.L.NewTable()
	d.skipSpace()
	if d.pos < len(d.s) && d.s[d.pos] == '}' {
		d.pos++
		return t, true
	}
	for {
		d.skipSpace()
		if d.pos >= len(d.s) || d.s[d.pos] != '"' {
			return lua.LNil, false
		}
		key, ok := d.str()
		if !ok {
			return lua.LNil, false
		}
		d.skipSpace()
		if d.pos >= len(d.s) || d.s[d.pos] != ':' {
			return lua.LNil, false
		}
		d.pos++
		v, ok := d.value()
		if !ok {
			return lua.LNil, false
		}
		t.RawSetString(key, v)
		if done, ok := d.afterElement('}'); !ok {
			return lua.LNil, false
		} else if done {
			return t, true
		}
	}
}

func (d *jsonDecoder) array() (lua.LValue, bool) {
	if !d.enter() {
		return lua.LNil, false
	}
	defer func() { d.depth-- }()
	d.pos++ // '['
	t := d.L.NewTable()
	d.skipSpace()
	if d.pos < len(d.s) && d.s[d.pos] == ']' {
		d.pos++
		return t, true
	}
	for i := 1; ; i++ {
		v, ok := d.value()
		if !ok {
			return lua.LNil, false
		}
		t.RawSetInt(i, v)
		if done, ok := d.afterElement(']'); !ok {
			return lua.LNil, false
		} else if done {
			return t, true
		}
	}
}

// afterElement consumes what follows an object member or array element:
// the closing bracket (done) or a comma (another element follows);
// anything else, or the end of input, is malformed.
func (d *jsonDecoder) afterElement(closing byte) (done, ok bool) {
	d.skipSpace()
	if d.pos >= len(d.s) {
		return false, false
	}
	switch d.s[d.pos] {
	case closing:
		d.pos++
		return true, true
	case ',':
		d.pos++
		return false, true
	}
	return false, false
}
