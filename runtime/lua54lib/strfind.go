package lua54lib

import (
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// openPattern replaces gopher-lua's string.find, match, gmatch and gsub
// (whose matcher is Lua 5.1's, without %f and %g) by ones on the 5.4
// matcher of pattern.go.
func openPattern(L *lua.LState, s *lua.LTable) {
	register(L, s, map[string]lua.LGFunction{
		"find":   strFind,
		"match":  strMatch,
		"gmatch": strGmatch,
		"gsub":   strGsub,
	})
}

// rethrowPattern is deferred by the functions that run the matcher: it turns
// a patternError into a Lua error with the caller's position, as luaL_error
// does, and lets every other panic (Lua errors from a gsub replacement
// function) continue.
func rethrowPattern(L *lua.LState) {
	if r := recover(); r != nil {
		if e, ok := r.(patternError); ok {
			raise(L, "%s", string(e))
		}
		panic(r)
	}
}

// captureLValue is capture i of the match src[s:e] as a Lua value.
func (m *matcher) captureLValue(i, s, e int) lua.LValue {
	str, pos := m.captureValue(i, s, e)
	if pos > 0 {
		return lua.LNumber(pos)
	}
	return lua.LString(str)
}

// pushCaptures pushes the captures of the match src[s:e], or the whole
// match when the pattern has none and whole is set, and returns how many.
func (m *matcher) pushCaptures(L *lua.LState, s, e int, whole bool) int {
	n := m.level
	if n == 0 && whole {
		n = 1
	}
	for i := 0; i < n; i++ {
		L.Push(m.captureLValue(i, s, e))
	}
	return n
}

// strFind is string.find(s, pattern [, init [, plain]]).
func strFind(L *lua.LState) int { return strFindAux(L, true) }

// strMatch is string.match(s, pattern [, init]).
func strMatch(L *lua.LState) int { return strFindAux(L, false) }

// strFindAux is find and match (str_find_aux in 5.4).
func strFindAux(L *lua.LState, find bool) int {
	name := "string.match"
	if find {
		name = "string.find"
	}
	s := checkString(L, 1, name)
	p := checkString(L, 2, name)
	init := posRelatI(optInteger(L, 3, name, 1), len(s))
	if init > int64(len(s))+1 {
		L.Push(lua.LNil) // 5.4: no match starts after the end
		return 1
	}
	start := int(init) - 1
	if find && (lua.LVAsBool(L.Get(4)) || noSpecials(p)) {
		if i := strings.Index(s[start:], p); i >= 0 {
			L.Push(lua.LNumber(start + i + 1))
			L.Push(lua.LNumber(start + i + len(p)))
			return 2
		}
		L.Push(lua.LNil)
		return 1
	}
	defer rethrowPattern(L)
	p, anchor := cutAnchor(p)
	m := newMatcher(s, p)
	s1, e := m.exec(start, anchor)
	switch {
	case s1 < 0:
		L.Push(lua.LNil)
		return 1
	case find:
		L.Push(lua.LNumber(s1 + 1))
		L.Push(lua.LNumber(e))
		return m.pushCaptures(L, s1, e, false) + 2
	}
	return m.pushCaptures(L, s1, e, true)
}

// strGmatch is string.gmatch(s, pattern [, init]). A leading '^' is not an
// anchor here (it would stop the iteration), so it matches itself.
func strGmatch(L *lua.LState) int {
	const name = "string.gmatch"
	s := checkString(L, 1, name)
	p := checkString(L, 2, name)
	pos := int(min(posRelatI(optInteger(L, 3, name, 1), len(s))-1, int64(len(s))+1))
	m := newMatcher(s, p)
	lastMatch := -1
	L.Push(L.NewFunction(func(L *lua.LState) int {
		defer rethrowPattern(L)
		for ; pos <= len(s); pos++ {
			pos = m.next(pos)
			m.reset()
			// A match must not end where the previous one did, so an
			// empty match right after a match is skipped (5.4 rule).
			if e := m.match(pos, 0); e != -1 && e != lastMatch {
				start := pos
				pos, lastMatch = e, e
				return m.pushCaptures(L, start, e, true)
			}
		}
		return 0
	}))
	return 1
}

// strGsub is string.gsub(s, pattern, repl [, n]).
func strGsub(L *lua.LState) int {
	const name = "string.gsub"
	src := checkString(L, 1, name)
	p := checkString(L, 2, name)
	repl := L.Get(3)
	maxN := optInteger(L, 4, name, int64(len(src))+1)
	var replStr string
	switch r := repl.(type) {
	case lua.LString:
		replStr = string(r)
	case lua.LNumber:
		replStr = r.String()
	case *lua.LFunction, *lua.LTable:
	default:
		typeError(L, 3, name, "string/function/table")
	}
	defer rethrowPattern(L)
	p, anchor := cutAnchor(p)
	m := newMatcher(src, p)
	var b strings.Builder
	// src[copied:pos] is subject text that is kept and not yet written
	// to b: kept text is written in runs rather than byte by byte.
	pos, copied, lastMatch := 0, 0, -1
	n := int64(0)
	changed := false
	for n < maxN {
		if !anchor {
			pos = m.next(pos)
		}
		m.reset()
		if e := m.match(pos, 0); e != -1 && e != lastMatch {
			n++
			var v lua.LValue
			switch r := repl.(type) {
			case *lua.LFunction:
				L.Push(r)
				L.Call(m.pushCaptures(L, pos, e, true), 1)
				v = L.Get(-1)
				L.Pop(1)
			case *lua.LTable:
				v = L.GetTable(r, m.captureLValue(0, pos, e))
			default:
				b.WriteString(src[copied:pos])
				m.addReplacement(&b, replStr, pos, e)
				copied, changed = e, true
			}
			if v != nil && lua.LVAsBool(v) {
				var s string
				switch v := v.(type) {
				case lua.LString:
					s = string(v)
				case lua.LNumber:
					s = v.String()
				default:
					raise(L, "invalid replacement value (a %s)", v.Type().String())
				}
				b.WriteString(src[copied:pos])
				b.WriteString(s)
				copied, changed = e, true
			}
			// A false or nil replacement keeps the match: it stays in
			// src[copied:].
			pos, lastMatch = e, e
		} else if pos < len(src) {
			pos++
		} else {
			break
		}
		if anchor {
			break
		}
	}
	if !changed {
		L.Push(lua.LString(src))
	} else {
		b.WriteString(src[copied:])
		L.Push(lua.LString(b.String()))
	}
	L.Push(lua.LNumber(n))
	return 2
}

// addReplacement writes the replacement string repl for the match
// src[s:e] to b: %0 is the match, %1-%9 the captures, %% a '%'.
func (m *matcher) addReplacement(b *strings.Builder, repl string, s, e int) {
	for {
		i := strings.IndexByte(repl, '%')
		if i < 0 {
			break
		}
		b.WriteString(repl[:i])
		if i+1 >= len(repl) {
			fail("invalid use of '%' in replacement string")
		}
		switch c := repl[i+1]; {
		case c == '%':
			b.WriteByte('%')
		case c == '0':
			b.WriteString(m.src[s:e])
		case '1' <= c && c <= '9':
			str, pos := m.captureValue(int(c-'1'), s, e)
			if pos > 0 {
				b.WriteString(strconv.Itoa(pos))
			} else {
				b.WriteString(str)
			}
		default:
			fail("invalid use of '%' in replacement string")
		}
		repl = repl[i+2:]
	}
	b.WriteString(repl)
}
