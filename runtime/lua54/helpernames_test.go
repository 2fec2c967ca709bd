package lua54

import (
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// TestTracebackShowsNoHelperName: an error inside a helper (operators,
// concat) shows the operator in the traceback, never the NUL-prefixed
// helper name.
func TestTracebackShowsNoHelperName(t *testing.T) {
	for _, expr := range []string{"a // nil", "a % nil", "a .. {}", "a & nil", "~{}", "a << {}", "(a * 2) & {}", "(a * a) % nil"} {
		src := "local function f(a) local r = " + expr + " return r end\n" +
			"local ok, tb = xpcall(f, debug.traceback, 1)\nprint(tb)"
		out, err := runLua(t, src)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if strings.Contains(out, "\x00") || !strings.Contains(out, "in function <operator ") {
			t.Errorf("%s: traceback %q", expr, out)
		}
	}
	L := lua.NewState()
	defer L.Close()
	proto, err := Compile([]byte("local a = ... return a // 0"), "=x")
	if err != nil {
		t.Fatal(err)
	}
	L.Push(L.NewFunctionFromProto(proto))
	L.Push(lua.LNumber(1))
	if err := L.PCall(1, 0, nil); err == nil || strings.Contains(err.Error(), "\x00") {
		t.Fatalf("error %q", err)
	}
}
