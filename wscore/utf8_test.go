package wscore

import (
	"testing"
	"unicode/utf8"
)

var utf8Cases = []string{
	"", "hello", "κόσμε", "\u00e9", "\u20ac", "\U0001F600", "a\U0010FFFFb", "\uffff",
	"\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbd",
	// invalid
	"\xff", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf",
	"\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\x80", "\xbf",
	"κόσμε\xed\xa0\x80edited", "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80\x65\x64\x69\x74\x65\x64",
	"\xc2", "\xe2\x82", "\xf0\x9f\x98", "abc\xf0\x9f\x98\x80def\xe2\x82\xacxyzxyzxyzxyz",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9aaaaaaaaaaaaaaaaaaaaaaa\xff",
}

func TestUTF8IncrementalEverySplit(t *testing.T) {
	for _, s := range utf8Cases {
		want := utf8.ValidString(s)
		b := []byte(s)
		for i := 0; i <= len(b); i++ {
			for j := i; j <= len(b); j++ {
				var v utf8State
				ok := v.feed(b[:i]) && v.feed(b[i:j]) && v.feed(b[j:]) && v.done()
				if ok != want {
					t.Fatalf("%q split at %d,%d: got %v want %v", s, i, j, ok, want)
				}
			}
		}
	}
}

// TestUTF8FailFast checks that a chunk that can no longer be a valid prefix
// fails immediately, before the message ends.
func TestUTF8FailFast(t *testing.T) {
	for _, s := range []string{"\xf4\x90", "\xed\xa0", "\xe0\x80", "\xff", "\xc0", "\xf5", "ab\xf0\x9f\x98\x41"} {
		b := []byte(s)
		var v utf8State
		failed := false
		for i := range b {
			if !v.feed(b[i : i+1]) {
				failed = true
				break
			}
		}
		if !failed {
			t.Errorf("%q: not rejected before the end of the message", s)
		}
	}
	// A valid prefix must not fail early.
	var v utf8State
	if !v.feed([]byte("\xf0\x9f")) || !v.feed([]byte("\x98")) || !v.feed([]byte("\x80")) || !v.done() {
		t.Fatal("valid 4-byte sequence split 2/1/1 rejected")
	}
}

func TestValidateUTF8Exported(t *testing.T) {
	var v ValidateUTF8
	if !v.Write([]byte("\xe2\x82")) || v.Done() {
		t.Fatal("unfinished sequence accepted as done")
	}
	if !v.Write([]byte("ok")) || !v.Done() {
		t.Fatal("reset failed")
	}
}
