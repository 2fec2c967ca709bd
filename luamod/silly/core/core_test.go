package core

import "testing"

func TestParseEnvArgFollowsStrtok(t *testing.T) {
	cases := []struct {
		arg, key, value string
		ok              bool
	}{
		{"--port=8080", "port", "8080", true},
		{"--a=b=c", "a", "b", true},
		{"--==x=y", "x", "y", true},
		{"--a==b", "a", "b", true},
		{"--empty=", "", "", false},
		{"--novalue", "", "", false},
		{"-s=1", "", "", false},
		{"--", "", "", false},
		{"plain", "", "", false},
	}
	for _, c := range cases {
		k, v, ok := parseEnvArg(c.arg)
		if k != c.key || v != c.value || ok != c.ok {
			t.Errorf("parseEnvArg(%q) = %q, %q, %v; want %q, %q, %v", c.arg, k, v, ok, c.key, c.value, c.ok)
		}
	}
}

func TestSkipCodeStripsChunkPrefix(t *testing.T) {
	if got := skipCode(`[string "x"]:12: boom`); got != ": boom" {
		t.Errorf("skipCode = %q", got)
	}
	if got := skipCode("no bracket"); got != "" {
		t.Errorf("skipCode without ']' = %q, want empty as in silly", got)
	}
}

func TestFormatG14MatchesC(t *testing.T) {
	cases := map[float64]string{
		1.5:                "1.5",
		0.1:                "0.1",
		1e20:               "1e+20",
		123456789012345678: "1.2345678901235e+17",
		3.14159265358979:   "3.1415926535898",
		1e-5:               "1e-05",
	}
	for f, want := range cases {
		if got := formatG14(f); got != want {
			t.Errorf("formatG14(%v) = %q, want %q", f, got, want)
		}
	}
}

func TestTimerSessionsReuseCookiesWithNewVersion(t *testing.T) {
	var tt timerTable
	s0, c0 := tt.alloc()
	if s0 != 0 || c0 != 0 {
		t.Fatalf("first session %d cookie %d", s0, c0)
	}
	_, c1 := tt.alloc()
	if c1 != 1 {
		t.Fatalf("cookies are sequential: %d", c1)
	}
	tt.release(c0)
	// The freed cookie goes to the tail: the rest of the page comes first.
	for i := 2; i < timerPageSize; i++ {
		if _, c := tt.alloc(); int(c) != i {
			t.Fatalf("cookie %d, want %d", c, i)
		}
	}
	s, c := tt.alloc()
	if c != c0 || s == s0 || s>>32 != 1 {
		t.Fatalf("reused cookie %d session %#x; want cookie %d with version 1", c, s, c0)
	}
	if _, c := tt.alloc(); c != timerPageSize {
		t.Fatalf("next page starts at %d, got %d", timerPageSize, c)
	}
}
