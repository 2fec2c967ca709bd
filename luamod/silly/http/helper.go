package sillyhttp

import (
	"errors"
	"strings"

	luahttp "github.com/golua-ws/golua-ws/luamod/http"
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
