package encoding

import (
	"math"
	"strconv"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

const (
	// maxEncodeDepth is silly's MAX_DEPTH: tables nested deeper than this
	// fail with "nesting too deep".
	maxEncodeDepth = 128
	// maxDecodeDepth bounds the decoder's recursion. silly has no limit
	// (and would overflow the C stack); here such input is "invalid json".
	maxDecodeDepth = 10000
)

// The error strings of silly.encoding.json.
const (
	errNaN          = "NaN or Infinity not allowed"
	errKeyNotString = "object key must be string"
	errTooDeep      = "nesting too deep"
	errUnsupported  = "unsupported type"
	errEmptyInput   = "empty input"
	errInvalidJSON  = "invalid json"
)

func loadJSON(L *lua.LState) int {
	null := newJSONNull(L)
	mod := L.NewTable()
	mod.RawSetString("encode", L.NewFunction(func(L *lua.LState) int {
		if L.GetTop() < 1 {
			luaarg.Error(L, 1, "encode", "value expected")
		}
		out, err := EncodeJSON(L, L.Get(1), null)
		if err != "" {
			L.Push(lua.LNil)
			L.Push(lua.LString(err))
			return 2
		}
		L.Push(lua.LString(out))
		return 1
	}))
	mod.RawSetString("decode", L.NewFunction(func(L *lua.LState) int {
		s := luaarg.CheckString(L, 1, "decode")
		v, err := DecodeJSON(L, s, null)
		if err != "" {
			L.Push(lua.LNil)
			L.Push(lua.LString(err))
			return 2
		}
		L.Push(v)
		return 1
	}))
	mod.RawSetString("null", null)
	L.Push(mod)
	return 1
}

// newJSONNull builds the json.null sentinel: an empty table whose
// metatable prints "null", refuses new fields and hides itself.
func newJSONNull(L *lua.LState) *lua.LTable {
	null := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__tostring", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("null"))
		return 1
	}))
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("attempt to modify json.null")
		return 0
	}))
	mt.RawSetString("__metatable", lua.LFalse)
	null.Metatable = mt
	return null
}

// jsonEncoder accumulates the output of one json.encode call.
type jsonEncoder struct {
	L    *lua.LState
	null *lua.LTable
	buf  []byte
	err  string
}

// EncodeJSON encodes v as silly's json.encode does, with null as the
// json.null sentinel. On failure it returns silly's error string.
func EncodeJSON(L *lua.LState, v lua.LValue, null *lua.LTable) (string, string) {
	e := jsonEncoder{L: L, null: null, buf: make([]byte, 0, 64)}
	if !e.value(v, 0) {
		return "", e.err
	}
	return string(e.buf), ""
}

func (e *jsonEncoder) fail(msg string) bool {
	e.err = msg
	return false
}

func (e *jsonEncoder) value(v lua.LValue, depth int) bool {
	switch v := v.(type) {
	case lua.LString:
		e.buf = appendJSONString(e.buf, string(v))
	case lua.LNumber:
		return e.number(float64(v))
	case lua.LBool:
		if v {
			e.buf = append(e.buf, "true"...)
		} else {
			e.buf = append(e.buf, "false"...)
		}
	case *lua.LNilType:
		e.buf = append(e.buf, "null"...)
	case *lua.LTable:
		return e.table(v, depth)
	default:
		return e.fail(errUnsupported)
	}
	return true
}

// number writes integral values in int64 range as integers and others
// with C's %.14g, as silly does.
func (e *jsonEncoder) number(f float64) bool {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return e.fail(errNaN)
	}
	if f == math.Trunc(f) && f >= -9223372036854775808 && f < 9223372036854775808 {
		e.buf = strconv.AppendInt(e.buf, int64(f), 10)
		return true
	}
	e.buf = strconv.AppendFloat(e.buf, f, 'g', 14, 64)
	return true
}

// table encodes t as an array when t[1] is not nil or t is empty (so {}
// is "[]"), over 1..n (see arrayLen); otherwise as an object whose keys
// must all be strings.
func (e *jsonEncoder) table(t *lua.LTable, depth int) bool {
	if depth > maxEncodeDepth {
		return e.fail(errTooDeep)
	}
	if t == e.null {
		e.buf = append(e.buf, "null"...)
		return true
	}
	firstKey, _ := t.Next(lua.LNil)
	if t.RawGetInt(1) != lua.LNil || firstKey == lua.LNil {
		n := e.arrayLen(t)
		e.buf = append(e.buf, '[')
		for i := 1; i <= n; i++ {
			if i > 1 {
				e.buf = append(e.buf, ',')
			}
			if !e.value(t.RawGetInt(i), depth+1) {
				return false
			}
		}
		e.buf = append(e.buf, ']')
		return true
	}
	e.buf = append(e.buf, '{')
	first := true
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		ks, ok := k.(lua.LString)
		if !ok {
			return e.fail(errKeyNotString)
		}
		if !first {
			e.buf = append(e.buf, ',')
		}
		first = false
		e.buf = appendJSONString(e.buf, string(ks))
		e.buf = append(e.buf, ':')
		if !e.value(v, depth+1) {
			return false
		}
	}
	e.buf = append(e.buf, '}')
	return true
}

// jsonEscape[c] is the escape for byte c, or "" when c is copied as is:
// silly escapes '"', '\\', the five short control escapes and other bytes
// below 0x20 as \u00xx; everything else, UTF-8 and '/' included, is raw.
var jsonEscape = func() (t [256]string) {
	const hex = "0123456789abcdef"
	for c := 0; c < 0x20; c++ {
		t[c] = `\u00` + string(hex[c>>4]) + string(hex[c&0xf])
	}
	t['"'], t['\\'] = `\"`, `\\`
	t['\b'], t['\f'], t['\n'], t['\r'], t['\t'] = `\b`, `\f`, `\n`, `\r`, `\t`
	return t
}()

func appendJSONString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		if esc := jsonEscape[s[i]]; esc != "" {
			buf = append(buf, s[start:i]...)
			buf = append(buf, esc...)
			start = i + 1
		}
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// arrayLen is the length silly's encoder takes for an array: #t through
// __len when t has one, else the first border (the n before the first nil).
// Lua 5.4 may return any border of a table with holes, and for a table
// filled by key ({[1]=1, [3]=3}, t[1]=1 t[3]=3) it returns the first one;
// gopher-lua's # returns the last one of its array part, which would make
// silly's "[1]" a "[1,null,3]".
func (e *jsonEncoder) arrayLen(t *lua.LTable) int {
	if e.L.GetMetaField(t, "__len") != lua.LNil {
		return e.L.ObjLen(t)
	}
	n := 0
	for t.RawGetInt(n+1) != lua.LNil {
		n++
	}
	return n
}
