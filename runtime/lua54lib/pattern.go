package lua54lib

// A Lua 5.4 pattern matcher (manual §6.4.1), written for this package so
// that string.find, match, gmatch and gsub behave as in Lua 5.4: the %f
// frontier and %g class, 5.4's error messages and the exact backtracking
// order of the reference implementation (which decides what a pattern
// captures, and which malformed patterns are reported: like Lua, the
// matcher reports a malformed item only when matching reaches it).
//
// Characters are bytes and the classes follow the C locale: only ASCII
// letters are letters.

import "strings"

const (
	// maxCaptures is LUA_MAXCAPTURES.
	maxCaptures = 32
	// maxMatchDepth bounds the recursion of match (MAXCCALLS in 5.4), so a
	// pattern like string.rep("a?", 300) fails with "pattern too complex"
	// instead of growing the Go stack without limit.
	maxMatchDepth = 200
	// capUnfinished and capPosition are the special capture lengths of an
	// open capture and of a position capture "()".
	capUnfinished = -1
	capPosition   = -2
)

// patternError is a malformed-pattern (or too-complex) error raised by the
// matcher; the Lua functions turn it into a Lua error at the call site.
type patternError string

func (e patternError) Error() string { return string(e) }

// capture is one capture: where it starts and its length, or capUnfinished
// or capPosition.
type capture struct {
	init, len int
}

// matcher is Lua's MatchState: the subject, the pattern (without a leading
// '^' anchor) and the captures of the current attempt.
type matcher struct {
	src, pat string
	level    int // number of captures opened so far
	depth    int // remaining recursion depth
	first    int // the byte every match starts with, or -1 (see next)
	caps     [maxCaptures]capture
}

// newMatcher returns a matcher of pat (without its '^' anchor) on src.
func newMatcher(src, pat string) matcher {
	m := matcher{src: src, pat: pat, first: -1}
	if len(pat) > 0 {
		switch pat[0] {
		case '(', ')', '$', '%', '[', '.':
		default:
			// A plain byte, matched by itself, unless a quantifier that
			// allows zero repetitions follows.
			if q := m.patAt(1); q != '*' && q != '?' && q != '-' {
				m.first = int(pat[0])
			}
		}
	}
	return m
}

// next returns the first position at or after s where a match can start.
// When the pattern begins with a plain byte, a match attempt anywhere else
// fails on that first item without touching the rest of the pattern (so
// without reporting a malformed item either): skipping those positions
// with a byte search changes nothing but the time taken.
func (m *matcher) next(s int) int {
	if m.first < 0 || s >= len(m.src) {
		return s
	}
	if i := strings.IndexByte(m.src[s:], byte(m.first)); i >= 0 {
		return s + i
	}
	return len(m.src)
}

// cutAnchor removes a leading '^' from pat and reports whether there was
// one: find, match and gsub treat it as an anchor (gmatch does not).
func cutAnchor(pat string) (string, bool) {
	if len(pat) > 0 && pat[0] == '^' {
		return pat[1:], true
	}
	return pat, false
}

// exec looks for the first match that starts at init or later (only at
// init when anchored) and returns its start and end, or -1, -1. The
// captures of the match stay in m.
func (m *matcher) exec(init int, anchor bool) (start, end int) {
	for s := init; ; s++ {
		if !anchor {
			s = m.next(s)
		}
		m.reset()
		if e := m.match(s, 0); e != -1 {
			return s, e
		}
		if s >= len(m.src) || anchor {
			return -1, -1
		}
	}
}

// reset prepares the matcher for a new match attempt.
func (m *matcher) reset() {
	m.level = 0
	m.depth = maxMatchDepth
}

// fail raises a pattern error; the Lua entry points recover it.
func fail(msg string) {
	panic(patternError(msg))
}

// patAt returns the pattern byte at p, or 0 past its end (where C reads the
// string's terminating NUL).
func (m *matcher) patAt(p int) byte {
	if p < len(m.pat) {
		return m.pat[p]
	}
	return 0
}

// classEnd returns the index just after the single-character class that
// starts at p.
func (m *matcher) classEnd(p int) int {
	c := m.pat[p]
	p++
	switch c {
	case '%':
		if p >= len(m.pat) {
			fail("malformed pattern (ends with '%')")
		}
		return p + 1
	case '[':
		if m.patAt(p) == '^' {
			p++
		}
		// The first byte of a set is never its end, so "[]]" is the set of
		// ']'; "%]" escapes a ']' anywhere.
		for {
			if p >= len(m.pat) {
				fail("malformed pattern (missing ']')")
			}
			c := m.pat[p]
			p++
			if c == '%' && p < len(m.pat) {
				p++
			}
			if m.patAt(p) == ']' {
				return p + 1
			}
		}
	}
	return p
}

// matchClass reports whether byte c belongs to class cl (the letter after
// '%'); an upper-case class letter is the complement, any other byte stands
// for itself.
func matchClass(c, cl byte) bool {
	var res bool
	switch cl | 0x20 {
	case 'a':
		res = isLetter(c)
	case 'c':
		res = c < 32 || c == 127
	case 'd':
		res = '0' <= c && c <= '9'
	case 'g':
		res = '!' <= c && c <= '~'
	case 'l':
		res = 'a' <= c && c <= 'z'
	case 'p':
		res = isPunct(c)
	case 's':
		res = c == ' ' || ('\t' <= c && c <= '\r')
	case 'u':
		res = 'A' <= c && c <= 'Z'
	case 'w':
		res = isLetter(c) || ('0' <= c && c <= '9')
	case 'x':
		res = ('0' <= c && c <= '9') || ('a' <= c|0x20 && c|0x20 <= 'f')
	case 'z':
		res = c == 0 // deprecated since 5.2 but still accepted by 5.4
	default:
		return cl == c
	}
	if 'A' <= cl && cl <= 'Z' {
		return !res
	}
	return res
}

// isLetter is C's isalpha in the C locale.
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// isPunct is C's ispunct in the C locale: printable, not space, not
// alphanumeric.
func isPunct(c byte) bool {
	return '!' <= c && c <= '~' && !isLetter(c) && !('0' <= c && c <= '9')
}

// matchSet reports whether c is in the set "[...]" that starts at p (the
// '[') and whose closing ']' is at ec.
func (m *matcher) matchSet(c byte, p, ec int) bool {
	in := true
	if m.pat[p+1] == '^' {
		in = false
		p++
	}
	for p++; p < ec; p++ {
		switch {
		case m.pat[p] == '%':
			p++
			if matchClass(c, m.pat[p]) {
				return in
			}
		case m.pat[p+1] == '-' && p+2 < ec:
			p += 2
			if m.pat[p-2] <= c && c <= m.pat[p] {
				return in
			}
		case m.pat[p] == c:
			return in
		}
	}
	return !in
}

// singleMatch reports whether the subject byte at s matches the class
// pat[p:ep].
func (m *matcher) singleMatch(s, p, ep int) bool {
	if s >= len(m.src) {
		return false
	}
	c := m.src[s]
	switch m.pat[p] {
	case '.':
		return true
	case '%':
		return matchClass(c, m.pat[p+1])
	case '[':
		return m.matchSet(c, p, ep-1)
	}
	return m.pat[p] == c
}

// match matches pat[p:] against src[s:] and returns the end of the match,
// or -1.
func (m *matcher) match(s, p int) int {
	if m.depth == 0 {
		fail("pattern too complex")
	}
	m.depth--
	s = m.matchItems(s, p)
	m.depth++
	return s
}

// matchItems is the body of match. Items that need no backtracking point
// loop here instead of recursing.
func (m *matcher) matchItems(s, p int) int {
	for p < len(m.pat) {
		switch m.pat[p] {
		case '(':
			if m.patAt(p+1) == ')' {
				return m.startCapture(s, p+2, capPosition)
			}
			return m.startCapture(s, p+1, capUnfinished)
		case ')':
			return m.endCapture(s, p+1)
		case '$':
			if p+1 == len(m.pat) {
				if s == len(m.src) {
					return s
				}
				return -1
			}
		case '%':
			switch m.patAt(p + 1) {
			case 'b':
				if s = m.matchBalance(s, p+2); s == -1 {
					return -1
				}
				p += 4
				continue
			case 'f':
				p += 2
				if m.patAt(p) != '[' {
					fail("missing '[' after '%f' in pattern")
				}
				ep := m.classEnd(p)
				var prev, cur byte
				if s > 0 {
					prev = m.src[s-1]
				}
				if s < len(m.src) {
					cur = m.src[s]
				}
				if m.matchSet(prev, p, ep-1) || !m.matchSet(cur, p, ep-1) {
					return -1
				}
				p = ep
				continue
			case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
				if s = m.matchCapture(s, m.pat[p+1]); s == -1 {
					return -1
				}
				p += 2
				continue
			}
		}
		// A single-character class, possibly followed by a quantifier.
		ep := m.classEnd(p)
		q := m.patAt(ep)
		if !m.singleMatch(s, p, ep) {
			if q == '*' || q == '?' || q == '-' {
				p = ep + 1 // zero repetitions are fine
				continue
			}
			return -1
		}
		switch q {
		case '?':
			if r := m.match(s+1, ep+1); r != -1 {
				return r
			}
			p = ep + 1
		case '+':
			return m.maxExpand(s+1, p, ep)
		case '*':
			return m.maxExpand(s, p, ep)
		case '-':
			return m.minExpand(s, p, ep)
		default:
			s++
			p = ep
		}
	}
	return s
}

// maxExpand matches as many repetitions of the class pat[p:ep] as possible,
// then backs off one at a time until the rest of the pattern matches.
func (m *matcher) maxExpand(s, p, ep int) int {
	i := 0
	for m.singleMatch(s+i, p, ep) {
		i++
	}
	for ; i >= 0; i-- {
		if r := m.match(s+i, ep+1); r != -1 {
			return r
		}
	}
	return -1
}

// minExpand matches as few repetitions of the class pat[p:ep] as the rest
// of the pattern allows.
func (m *matcher) minExpand(s, p, ep int) int {
	for {
		if r := m.match(s, ep+1); r != -1 {
			return r
		} else if m.singleMatch(s, p, ep) {
			s++
		} else {
			return -1
		}
	}
}

// startCapture opens a capture at s and matches the rest of the pattern.
func (m *matcher) startCapture(s, p, what int) int {
	if m.level >= maxCaptures {
		fail("too many captures")
	}
	m.caps[m.level] = capture{init: s, len: what}
	m.level++
	r := m.match(s, p)
	if r == -1 {
		m.level-- // undo the capture
	}
	return r
}

// endCapture closes the innermost open capture at s and matches the rest.
func (m *matcher) endCapture(s, p int) int {
	l := m.captureToClose()
	m.caps[l].len = s - m.caps[l].init
	r := m.match(s, p)
	if r == -1 {
		m.caps[l].len = capUnfinished // undo the close
	}
	return r
}

// captureToClose returns the innermost capture still open.
func (m *matcher) captureToClose() int {
	for l := m.level - 1; l >= 0; l-- {
		if m.caps[l].len == capUnfinished {
			return l
		}
	}
	fail("invalid pattern capture")
	return 0
}

// matchBalance matches "%bxy" (x and y at pat[p], pat[p+1]) at s.
func (m *matcher) matchBalance(s, p int) int {
	if p >= len(m.pat)-1 {
		fail("malformed pattern (missing arguments to '%b')")
	}
	if s >= len(m.src) || m.src[s] != m.pat[p] {
		return -1
	}
	open, close := m.pat[p], m.pat[p+1]
	depth := 1
	for s++; s < len(m.src); s++ {
		switch m.src[s] {
		case close:
			if depth--; depth == 0 {
				return s + 1
			}
		case open:
			depth++
		}
	}
	return -1
}

// matchCapture matches a back-reference %1-%9 (digit d) at s.
func (m *matcher) matchCapture(s int, d byte) int {
	l := m.checkCapture(d)
	n := m.caps[l].len
	// A position capture has a negative length and never matches, as in
	// Lua, where the length is taken as an unsigned size.
	if n >= 0 && len(m.src)-s >= n && m.src[s:s+n] == m.src[m.caps[l].init:m.caps[l].init+n] {
		return s + n
	}
	return -1
}

// checkCapture returns the capture index of back-reference digit d.
func (m *matcher) checkCapture(d byte) int {
	l := int(d) - '1'
	if l < 0 || l >= m.level || m.caps[l].len == capUnfinished {
		fail("invalid capture index %" + itoa(l+1))
	}
	return l
}

// captureValue is capture i of the match src[s:e]: a substring, or for a
// position capture its 1-based position (pos > 0). With no captures,
// capture 0 is the whole match.
func (m *matcher) captureValue(i, s, e int) (str string, pos int) {
	if i >= m.level {
		if i != 0 {
			fail("invalid capture index %" + itoa(i+1))
		}
		return m.src[s:e], 0
	}
	c := m.caps[i]
	switch c.len {
	case capUnfinished:
		fail("unfinished capture")
	case capPosition:
		return "", c.init + 1
	}
	return m.src[c.init : c.init+c.len], 0
}

// itoa formats a small non-negative int (capture indexes), without
// pulling strconv into the matcher's error paths.
func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// noSpecials reports whether pat is a plain substring for find: it has
// none of the bytes ^$*+?.([%- that make it a pattern.
func noSpecials(pat string) bool {
	for i := 0; i < len(pat); i++ {
		switch pat[i] {
		case '^', '$', '*', '+', '?', '.', '(', '[', '%', '-':
			return false
		}
	}
	return true
}
