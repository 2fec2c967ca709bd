package headername

import (
	"net/textproto"
	"strings"
	"testing"
)

func TestLowerMatchesToLower(t *testing.T) {
	for _, n := range []string{"host", "sec-websocket-key", "content-length", "x-custom-thing", "", "ünïcode"} {
		c := textproto.CanonicalMIMEHeaderKey(n)
		if got := Lower(c); got != strings.ToLower(c) {
			t.Errorf("Lower(%q) = %q, want %q", c, got, strings.ToLower(c))
		}
	}
}

func TestLowerCommonNamesDoNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = Lower("Sec-Websocket-Key") }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
