package sillyhttp

import (
	"errors"
	"strconv"
	"strings"

	luahttp "github.com/golua-ws/golua-ws/luamod/http"
	"github.com/golua-ws/golua-ws/runtime/lua54lib"
	lua "github.com/yuin/gopher-lua"
)

// parseTarget splits a request target as silly's helper.parsetarget does:
// the path is kept raw (not percent-decoded), "/" when the target starts with
// "?"; the query is "k=v" pairs joined by "&", percent-decoded ("+" is not a
// space), pairs without "=" or with an empty value dropped, last duplicate
// winning.
func parseTarget(target string) (string, map[string]string) {
	_, rawq, hasQ := strings.Cut(target, "?")
	path := targetPath(target)
	q := map[string]string{}
	if !hasQ {
		return path, q
	}
	for _, pair := range strings.Split(rawq, "&") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok || k == "" || v == "" {
			continue
		}
		// silly's pattern ([^=&]+)=([^&]+) keeps everything after the first
		// "=" in the value.
		k, _ = luahttp.Unescape(k)
		v, _ = luahttp.Unescape(v)
		q[k] = v
	}
	return path, q
}

// targetPath is the path part of parseTarget(target).
func targetPath(target string) string {
	path, _, _ := strings.Cut(target, "?")
	if path == "" {
		return "/"
	}
	return path
}

// bodyless reports whether a response may not carry a body (silly h1.lua
// 84-90): HEAD, 1xx, 204, 304, CONNECT with 2xx.
func bodyless(method string, status int) bool {
	return method == "HEAD" || status/100 == 1 || status == 204 || status == 304 ||
		(method == "CONNECT" && status/100 == 2)
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// helperModule builds "silly.net.http.helper": silly's URL and HTML
// helpers, over the same parsers the client and server use.
func helperModule(L *lua.LState) *lua.LTable {
	return L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"urlencode":    helperURLEncode,
		"urldecode":    helperURLDecode,
		"htmlunescape": helperHTMLUnescape,
		"parseurl":     helperParseURL,
		"parsetarget":  helperParseTarget,
	})
}

// urlEncode percent-encodes every byte but ASCII letters, digits and
// $_.!*(),- (silly's set: '/', '@', '~' and space are encoded, space as
// %20). It also returns how many bytes it encoded, as gsub does.
func urlEncode(s string) (string, int) {
	const safe = "$_.!*(),-"
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(safe, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		n++
	}
	return b.String(), n
}

// helperURLEncode implements helper.urlencode(string | table): a table
// becomes k=v pairs joined by "&", keys and values encoded.
func helperURLEncode(L *lua.LState) int {
	if tbl, ok := L.Get(1).(*lua.LTable); ok {
		var pairs []string
		tbl.ForEach(func(k, v lua.LValue) {
			ek, _ := urlEncode(L.ToStringMeta(k).String())
			ev, _ := urlEncode(L.ToStringMeta(v).String())
			pairs = append(pairs, ek+"="+ev)
		})
		L.Push(lua.LString(strings.Join(pairs, "&")))
		return 1
	}
	s, n := urlEncode(L.CheckString(1))
	L.Push(lua.LString(s))
	L.Push(lua.LNumber(n))
	return 2
}

// helperURLDecode implements helper.urldecode: %XX decoded, everything
// else ('+' included) kept; it also returns the number of escapes.
func helperURLDecode(L *lua.LState) int {
	s, n := luahttp.Unescape(L.CheckString(1))
	L.Push(lua.LString(s))
	L.Push(lua.LNumber(n))
	return 2
}

// htmlEntity returns the text of a named entity helper.htmlunescape knows.
func htmlEntity(name string) (string, bool) {
	switch name {
	case "quot":
		return `"`, true
	case "amp":
		return "&", true
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "nbsp":
		return " ", true
	}
	return "", false
}

// helperHTMLUnescape implements helper.htmlunescape: decimal references
// (&#65;) become UTF-8, then the five named entities are replaced; anything
// else is kept.
func helperHTMLUnescape(L *lua.LState) int {
	s := L.CheckString(1)
	var b strings.Builder
	// First pass: &#digits;
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "&#") {
			j := i + 2
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			if j > i+2 && j < len(s) && s[j] == ';' {
				code, err := strconv.ParseUint(s[i+2:j], 10, 32)
				if err != nil || code > 0x7FFFFFFF {
					L.RaiseError("bad argument #1 to 'char' (value out of range)")
				}
				lua54lib.EncodeUTF8(&b, uint32(code))
				i = j + 1
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	s = b.String()
	b.Reset()
	n := 0
	// Second pass: &letters;
	for i := 0; i < len(s); {
		if s[i] == '&' {
			j := i + 1
			for j < len(s) && ('a' <= s[j] && s[j] <= 'z' || 'A' <= s[j] && s[j] <= 'Z') {
				j++
			}
			if j > i+1 && j < len(s) && s[j] == ';' {
				n++
				if rep, ok := htmlEntity(s[i+1 : j]); ok {
					b.WriteString(rep)
					i = j + 1
					continue
				}
			}
		}
		b.WriteByte(s[i])
		i++
	}
	L.Push(lua.LString(b.String()))
	L.Push(lua.LNumber(n))
	return 2
}

// helperParseURL implements helper.parseurl(url): scheme, host, port,
// path and whether the port is the scheme's default; nil and an error
// text for a URL it cannot use.
func helperParseURL(L *lua.LState) int {
	scheme, host, port, path, defaulted, e := parseURL(L.CheckString(1))
	if e != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(e))
		return 2
	}
	for _, s := range []string{scheme, host, port, path} {
		L.Push(lua.LString(s))
	}
	L.Push(lua.LBool(defaulted))
	return 5
}

// helperParseTarget implements helper.parsetarget(target): the path and a
// table of the percent-decoded query pairs. A target without "?" is the
// path unchanged.
func helperParseTarget(L *lua.LState) int {
	target := L.CheckString(1)
	if !strings.Contains(target, "?") {
		L.Push(lua.LString(target))
		L.Push(L.NewTable())
		return 2
	}
	path, q := parseTarget(target)
	tbl := L.CreateTable(0, len(q))
	for k, v := range q {
		tbl.RawSetString(k, lua.LString(v))
	}
	L.Push(lua.LString(path))
	L.Push(tbl)
	return 2
}
