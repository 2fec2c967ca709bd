package websocket

import "testing"

// The token helpers replace lua-eco's Lua code (gmatch('[^,]+'), trim with
// %s, lower()); these cases pin the semantics that code had.
func TestHasToken(t *testing.T) {
	cases := []struct {
		value, token string
		exact, want  bool
	}{
		{"websocket", "websocket", false, true},
		{"keep-alive, Upgrade", "upgrade", false, true},
		{" \tWebSocket\r\n", "websocket", false, true},
		{"websockets", "websocket", false, false},
		{"", "upgrade", false, false},
		{",,upgrade,,", "upgrade", false, true},
		// Lua's lower() is ASCII-only: the Kelvin sign does not fold to k.
		{"websoc\u212aet", "websocket", false, false},
		// exact: trimmed but case kept (the client's protocol check).
		{"chat, Superchat", "Superchat", true, true},
		{"chat, Superchat", "superchat", true, false},
		// an all-space item trims to "", which an exact "" matches, as
		// trim(v) == p did; an empty item between commas is not an item.
		{"a, ,b", "", true, true},
		{"a,,b", "", true, false},
	}
	for _, c := range cases {
		if got := hasToken(c.value, c.token, c.exact); got != c.want {
			t.Errorf("hasToken(%q, %q, %v) = %v, want %v", c.value, c.token, c.exact, got, c.want)
		}
	}
}

func TestLuaTrimAndLower(t *testing.T) {
	if got := luaTrim("\v\f chat \r\n"); got != "chat" {
		t.Errorf("luaTrim = %q", got)
	}
	// U+00A0 is not in Lua's %s set: it stays.
	if got := luaTrim("\u00a0x"); got != "\u00a0x" {
		t.Errorf("luaTrim kept NBSP wrongly: %q", got)
	}
	if got := asciiLower("WebSocket-ÄB"); got != "websocket-Äb" {
		t.Errorf("asciiLower = %q", got)
	}
}
