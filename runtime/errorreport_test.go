package runtime

import (
	"context"
	"strings"
	"testing"
)

// TestUncaughtErrorObjectMessage checks the message of an uncaught error
// value against what lua5.4 (lua.c's message handler) prints for it.
func TestUncaughtErrorObjectMessage(t *testing.T) {
	rt, _ := newTestRuntime(t)
	tests := []struct{ code, want string }{
		{`error(setmetatable({}, {__tostring = function() return "custom error object" end}))`, "custom error object"},
		{`error(setmetatable({}, {__tostring = function() return 42 end}))`, "(error object is a table value)"},
		{`error(setmetatable({}, {__tostring = function() error("boom", 0) end}))`, "boom"},
		{`error({})`, "(error object is a table value)"},
		{`error(2^63)`, "9.2233720368548e+18"},
		{`error("plain", 0)`, "plain"},
	}
	for _, tt := range tests {
		_, err := rt.DoString(context.Background(), tt.code, "=t")
		if err == nil {
			t.Fatalf("%s: no error", tt.code)
		}
		msg, _, _ := strings.Cut(strings.TrimPrefix(err.Error(), "runtime: "), "\n")
		if msg != tt.want {
			t.Errorf("%s: got %q, want %q", tt.code, msg, tt.want)
		}
	}
}
