package runtime

import (
	"context"
	"testing"
	"time"
)

// TestLoadChunkTypes: load takes a number as its source text (it is a
// string to 5.4's lua_tolstring) and names 5.4's expected type otherwise.
func TestLoadChunkTypes(t *testing.T) {
	rt, out := newTestRuntime(t)
	rt.RunString(`
		print(load(42))
		local ok, err = pcall(load, {})
		print(ok, (err:gsub("^[^:]*:%d+: ", "")))
		print(load(function() return nil end) ~= nil, load(1.5 .. ""))
	`, "=main")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := rt.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	want := "nil\t[string \"42\"]:1: unexpected symbol near '42'\n" +
		"false\tbad argument #1 to 'load' (function expected, got table)\n" +
		"true\tnil\t[string \"1.5\"]:1: unexpected symbol near '1.5'\n"
	if got := out.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
