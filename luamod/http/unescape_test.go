package http

import "testing"

func TestUnescape(t *testing.T) {
	for _, c := range []struct {
		in, out string
		n       int
	}{
		{"plain+text", "plain+text", 0},
		{"a%41b%2f%2F", "aAb//", 3},
		{"%", "%", 0},
		{"%4", "%4", 0},
		{"x%4", "x%4", 0},
		{"%zz%4g%%41", "%zz%4g%A", 1},
		{"%e2%82%AC", "\u20ac", 3},
	} {
		if out, n := Unescape(c.in); out != c.out || n != c.n {
			t.Errorf("Unescape(%q) = %q, %d; want %q, %d", c.in, out, n, c.out, c.n)
		}
	}
}
