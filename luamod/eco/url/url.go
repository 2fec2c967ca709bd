// Package url provides lua-eco's "eco.http.url" module for gopher-lua:
// url.escape, url.unescape and url.parse.
//
// The original is written with Lua patterns (http/url.lua); this port
// reproduces what those patterns match, step by step, including the odd
// cases: escape and unescape return gsub's two values (string, count);
// raw_path keeps ?query and #frag; ";params" and "?query" are searched
// anywhere after the path and the last one wins; user and password are not
// unescaped; a port is a number.
package url

import (
	"strconv"
	"strings"

	luahttp "github.com/golua-ws/golua-ws/luamod/http"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// Modules returns the Lua module loaders this package provides, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{"eco.http.url": load}
}

func load(L *lua.LState) int {
	mod := L.NewTable()
	mod.RawSetString("escape", L.NewFunction(escape))
	mod.RawSetString("unescape", L.NewFunction(unescape))
	mod.RawSetString("parse", L.NewFunction(parse))
	L.Push(mod)
	return 1
}

const invalidURL = "invalid url"

// gsubArg returns argument 1 the way string.gsub takes it (strings and
// numbers); the original passes it straight to gsub, so the error names gsub.
func gsubArg(L *lua.LState) string {
	return luaarg.CheckString(L, 1, "gsub")
}

func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

// escape implements url.escape(s): every byte outside [A-Za-z0-9_] becomes
// %xx with lowercase hex. Returns the string and the number of bytes escaped.
func escape(L *lua.LState) int {
	s := gsubArg(L)
	const hexDigits = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(s))
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) || c == '_' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0xf])
		n++
	}
	L.Push(lua.LString(b.String()))
	L.Push(lua.LNumber(n))
	return 2
}

// unescape implements url.unescape(s): decodes %XX sequences only ('+'
// stays '+'). Returns the string and the number of sequences decoded.
func unescape(L *lua.LState) int {
	s, n := luahttp.Unescape(gsubArg(L))
	L.Push(lua.LString(s))
	L.Push(lua.LNumber(n))
	return 2
}

// spanNot returns the length of the longest prefix of s free of the bytes in set.
func spanNot(s, set string) int {
	if i := strings.IndexAny(s, set); i >= 0 {
		return i
	}
	return len(s)
}

// URL holds the fields url.parse returns; empty-and-absent is tracked by
// the has* flags because "" is a valid value for several of them.
type URL struct {
	Scheme, User, Password, Host string
	Port                         float64
	RawPath, Path                string
	Params, Query, Frag          string

	HasUser, HasPassword, HasPort, HasParams, HasQuery, HasFrag bool
}

// Parse splits u as lua-eco's url.parse does:
// <scheme>://<user>:<password>@<host>:<port>/<path>;<params>?<query>#<frag>.
// ok is false when the original returns nil, 'invalid url'.
func Parse(u string) (p URL, ok bool) {
	// ^%a%w*://
	if len(u) == 0 || !isAlpha(u[0]) {
		return p, false
	}
	i := 1
	for i < len(u) && isAlnum(u[i]) {
		i++
	}
	if !strings.HasPrefix(u[i:], "://") {
		return p, false
	}
	p.Scheme = u[:i]
	u = u[i+3:]

	// ^[^:@]+:[^:@]+@  gives user and password
	if a := spanNot(u, ":@"); a > 0 && a < len(u) && u[a] == ':' {
		if b := spanNot(u[a+1:], ":@"); b > 0 && a+1+b < len(u) && u[a+1+b] == '@' {
			p.User, p.HasUser = u[:a], true
			p.Password, p.HasPassword = u[a+1:a+1+b], true
			u = u[a+1+b+1:]
		}
	}
	// ^([^@]+)@  gives user (again, if another '@' follows)
	if a := spanNot(u, "@"); a > 0 && a < len(u) {
		p.User, p.HasUser = u[:a], true
		u = u[a+1:]
	}

	hasHost := false
	if strings.HasPrefix(u, "[") {
		// ^%[([^%]]+)%]
		if a := spanNot(u[1:], "]"); a > 0 && 1+a < len(u) {
			p.Host, hasHost = u[1:1+a], true
			u = u[1+a+1:]
		}
	} else if a := spanNot(u, ":/?#"); a > 0 {
		p.Host, hasHost = u[:a], true
		u = u[a:]
	}
	if !hasHost {
		return p, false
	}

	// ^:(%d+)
	if strings.HasPrefix(u, ":") {
		d := 1
		for d < len(u) && isDigit(u[d]) {
			d++
		}
		if d > 1 {
			p.Port, _ = strconv.ParseFloat(u[1:d], 64)
			p.HasPort = true
			u = u[d:]
		}
	}

	if !strings.HasPrefix(u, "/") {
		u = "/" + u
	}
	p.RawPath = u

	// ^/[^;?#]*
	a := 1 + spanNot(u[1:], ";?#")
	p.Path = u[:a]
	u = u[a:]

	u, p.Params, p.HasParams = removeAll(u, ';')
	u, p.Query, p.HasQuery = removeAll(u, '?')

	// #([^;?#]*)$ : a '#' with no ';', '?' or '#' after it.
	if h := strings.LastIndexByte(u, '#'); h >= 0 && !strings.ContainsAny(u[h+1:], ";?") {
		p.Frag, p.HasFrag = u[h+1:], true
	}
	return p, true
}

// removeAll does string.gsub(s, '<lead>([^;?#]*)', ...) : it removes every
// occurrence of lead followed by its run of non-";?#" bytes and returns the
// rest and the last run captured.
func removeAll(s string, lead byte) (rest, last string, found bool) {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != lead {
			b.WriteByte(s[i])
			i++
			continue
		}
		n := spanNot(s[i+1:], ";?#")
		last, found = s[i+1:i+1+n], true
		i += 1 + n
	}
	if !found {
		return s, "", false
	}
	return b.String(), last, true
}

// parse implements url.parse(u).
func parse(L *lua.LState) int {
	if !lua.LVAsBool(L.Get(1)) {
		L.Push(lua.LNil)
		L.Push(lua.LString(invalidURL))
		return 2
	}
	p, ok := Parse(gsubArg(L))
	if !ok {
		L.Push(lua.LNil)
		L.Push(lua.LString(invalidURL))
		return 2
	}
	t := L.NewTable()
	t.RawSetString("scheme", lua.LString(p.Scheme))
	if p.HasUser {
		t.RawSetString("user", lua.LString(p.User))
	}
	if p.HasPassword {
		t.RawSetString("password", lua.LString(p.Password))
	}
	t.RawSetString("host", lua.LString(p.Host))
	if p.HasPort {
		t.RawSetString("port", lua.LNumber(p.Port))
	}
	t.RawSetString("raw_path", lua.LString(p.RawPath))
	t.RawSetString("path", lua.LString(p.Path))
	if p.HasParams {
		t.RawSetString("params", lua.LString(p.Params))
	}
	if p.HasQuery {
		t.RawSetString("query", lua.LString(p.Query))
	}
	if p.HasFrag {
		t.RawSetString("frag", lua.LString(p.Frag))
	}
	L.Push(t)
	return 1
}
