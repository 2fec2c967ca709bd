package http

import "strings"

// Unescape decodes every %XX sequence of s (hex digits of either case) and
// leaves everything else as it is, '+' and malformed escapes included: the
// lenient decoding of lua-eco's url.unescape and of both dialects' query
// parsers. n is the number of sequences decoded; without a '%', s itself
// is returned.
func Unescape(s string) (_ string, n int) {
	if strings.IndexByte(s, '%') < 0 {
		return s, 0
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			n++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String(), n
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
