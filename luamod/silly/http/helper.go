package sillyhttp

import (
	"errors"
	"strings"
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
		q[urlDecode(k)] = urlDecode(v)
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

// urlDecode decodes %XX (either case) and leaves anything else as it is.
func urlDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s)+0 && i+2 <= len(s)-1 && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// bodyless reports whether a response may not carry a body (silly h1.lua
// 84-90): HEAD, 1xx, 204, 304, CONNECT with 2xx.
func bodyless(method string, status int) bool {
	return method == "HEAD" || status/100 == 1 || status == 204 || status == 304 ||
		(method == "CONNECT" && status/100 == 2)
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
