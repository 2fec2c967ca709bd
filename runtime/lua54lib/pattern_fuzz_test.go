package lua54lib

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// Inputs longer than these are skipped: Lua patterns backtrack, and a
// pattern like "a*a*a*a*a*b" costs O(n^5) on a run of a's, so only bounded
// sizes terminate quickly whatever the fuzzer generates.
const (
	fuzzMaxPattern = 12
	fuzzMaxSubject = 24
)

// fuzzTimeout is how long one input may run before the matcher is taken
// not to terminate.
const fuzzTimeout = 10 * time.Second

// tryPattern runs pat against subj from every start position, as find and
// gmatch do, reads every capture and expands a replacement, and checks the
// results are inside the subject. A patternError is an expected outcome
// (returned); any other panic propagates.
func tryPattern(t *testing.T, pat, subj string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(patternError)
			if !ok {
				panic(r)
			}
			err = pe
		}
	}()
	p, anchor := cutAnchor(pat)
	m := newMatcher(subj, p)
	for init := 0; init <= len(subj); init++ {
		s, e := m.exec(init, anchor)
		if s == -1 {
			continue
		}
		if s < init || e < s || e > len(subj) || (anchor && s != init) {
			t.Errorf("find(%q, %q, %d): match [%d, %d) outside the subject", subj, pat, init+1, s, e)
		}
		for i := 0; i < max(m.level, 1); i++ {
			str, pos := m.captureValue(i, s, e)
			if pos != 0 && (pos < 1 || pos > len(subj)+1) {
				t.Errorf("match(%q, %q): position capture %d = %d", subj, pat, i+1, pos)
			}
			if pos == 0 && !strings.Contains(subj, str) {
				t.Errorf("match(%q, %q): capture %d = %q is not in the subject", subj, pat, i+1, str)
			}
		}
		var b strings.Builder
		m.addReplacement(&b, "<%0%1%%>", s, e)
		if noSpecials(pat) && s != strings.Index(subj[init:], pat)+init {
			t.Errorf("find(%q, %q, %d) = %d, plain search says otherwise", subj, pat, init+1, s)
		}
	}
	return nil
}

// FuzzPattern checks that the matcher never panics (other than with a
// pattern error) and terminates on bounded random pattern/subject pairs.
// Its seed corpus runs as an ordinary test.
func FuzzPattern(f *testing.F) {
	for _, piece := range patternPieces {
		f.Add(piece, subjectBytes)
		f.Add("("+piece+")%1", "aab()")
	}
	for _, seed := range []string{
		"^(%w+)=(%w+)$", "^%s*(.-)%s*$", "%f[%w]%w+", "%b()", "[]", "[^]", "[a-", "%", "(()", "a?a?a?a?b",
		"a*a*a*a*a*b", ".-.-.-.-$", "((((((((((", "%f[^\x00]", "[%a-z]", "[a-%%]", "%b\x00\x00", "$$", "^^",
	} {
		f.Add(seed, "aaaaaaaaaaaaaaaaaaaaaaaa")
		f.Add(seed, "k = v (x(y)) \x00\xff")
	}
	f.Fuzz(func(t *testing.T, pat, subj string) {
		if len(pat) > fuzzMaxPattern || len(subj) > fuzzMaxSubject {
			t.Skip("input larger than the bounded sizes")
		}
		done := make(chan error, 1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					done <- fmt.Errorf("panic: %v\n%s", r, debug.Stack())
				}
			}()
			done <- tryPattern(t, pat, subj)
		}()
		select {
		case err := <-done:
			var pe patternError
			if err != nil && !errors.As(err, &pe) {
				t.Fatalf("pattern %q on %q: %v", pat, subj, err)
			}
		case <-time.After(fuzzTimeout):
			t.Fatalf("pattern %q on %q: no result after %v", pat, subj, fuzzTimeout)
		}
	})
}
