package wscore

import "unicode/utf8"

// utf8State validates UTF-8 incrementally: text may be split anywhere across
// frames and reads, so up to three bytes of an unfinished sequence are
// carried over. Invalid input is reported as soon as the first byte that can
// no longer start or continue a valid sequence arrives (fail fast), including
// when a code point is split across frames.
type utf8State struct {
	pend [4]byte
	n    int // bytes held in pend
}

// ValidateUTF8 is the exported form of the incremental validator, for
// callers that assemble text themselves (the Lua bindings, tests).
type ValidateUTF8 struct{ s utf8State }

// Write feeds the next chunk and reports whether everything so far is a
// valid UTF-8 prefix.
func (v *ValidateUTF8) Write(p []byte) bool { return v.s.feed(p) }

// Done reports whether the text fed so far ends on a code point boundary
// (call it after the last chunk), and resets the validator.
func (v *ValidateUTF8) Done() bool { return v.s.done() }

func (s *utf8State) reset() { s.n = 0 }

// done reports whether no partial sequence is pending, and resets.
func (s *utf8State) done() bool {
	ok := s.n == 0
	s.n = 0
	return ok
}

// seqLen returns the length of the sequence that starts with b, or 0 when b
// cannot start one.
func seqLen(b byte) int {
	switch {
	case b < 0x80:
		return 1
	case b < 0xc2:
		return 0
	case b < 0xe0:
		return 2
	case b < 0xf0:
		return 3
	case b < 0xf5:
		return 4
	}
	return 0
}

// validPrefix reports whether p (shorter than its sequence) can still begin a
// valid encoding. The second-byte ranges exclude overlongs, surrogates and
// code points above U+10FFFF exactly as utf8.Valid does.
func validPrefix(p []byte) bool {
	if len(p) == 0 {
		return true
	}
	if seqLen(p[0]) < 2 {
		return false
	}
	if len(p) >= 2 {
		lo, hi := byte(0x80), byte(0xbf)
		switch p[0] {
		case 0xe0:
			lo = 0xa0
		case 0xed:
			hi = 0x9f
		case 0xf0:
			lo = 0x90
		case 0xf4:
			hi = 0x8f
		}
		if p[1] < lo || p[1] > hi {
			return false
		}
	}
	for i := 2; i < len(p); i++ {
		if p[i]&0xc0 != 0x80 {
			return false
		}
	}
	return true
}

// feed validates the next chunk.
func (s *utf8State) feed(p []byte) bool {
	if s.n > 0 {
		need := seqLen(s.pend[0])
		for s.n < need && len(p) > 0 {
			s.pend[s.n] = p[0]
			s.n++
			p = p[1:]
		}
		if s.n < need {
			return validPrefix(s.pend[:s.n])
		}
		if !utf8.FullRune(s.pend[:s.n]) || !utf8.Valid(s.pend[:s.n]) {
			return false
		}
		s.n = 0
	}
	// Fast path: whole ASCII words.
	i := 0
	for i+8 <= len(p) {
		v := uint64(p[i]) | uint64(p[i+1])<<8 | uint64(p[i+2])<<16 | uint64(p[i+3])<<24 |
			uint64(p[i+4])<<32 | uint64(p[i+5])<<40 | uint64(p[i+6])<<48 | uint64(p[i+7])<<56
		if v&0x8080808080808080 != 0 {
			break
		}
		i += 8
	}
	p = p[i:]
	if len(p) == 0 {
		return true
	}
	// Find where a possibly unfinished sequence at the end starts: look back
	// at most three bytes for a lead byte.
	cut := len(p)
	for j := len(p) - 1; j >= 0 && j >= len(p)-3; j-- {
		c := p[j]
		if c&0xc0 != 0x80 { // ASCII or a lead byte
			if l := seqLen(c); l > 1 && j+l > len(p) {
				cut = j
			}
			break
		}
	}
	if !utf8.Valid(p[:cut]) {
		return false
	}
	if cut < len(p) {
		tail := p[cut:]
		if !validPrefix(tail) {
			return false
		}
		s.n = copy(s.pend[:], tail)
	}
	return true
}
