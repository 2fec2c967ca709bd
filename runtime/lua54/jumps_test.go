package lua54

import (
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
	glparse "github.com/yuin/gopher-lua/parse"
)

// Loops whose body starts with a jump, and what lua5.4 prints for them.
var jumpStartCases = []struct{ name, src, want string }{
	{"generic for", `for i = 1, 2 do for _ in pairs({1}) do break end print("after", i) end`, "after\t1\nafter\t2\n"},
	{"do break", `for i = 1, 2 do for _ in pairs({1}) do do break end end print("after", i) end`, "after\t1\nafter\t2\n"},
	{"while true", `local n = 0 while n < 2 do n = n + 1 for _ in ipairs({1}) do break end print("w", n) end`, "w\t1\nw\t2\n"},
	{"if true", `for i = 1, 2 do for _ in pairs({1}) do if true then break end end print("if", i) end`, "if\t1\nif\t2\n"},
	{"label", `for i = 1, 2 do for _ in pairs({1}) do ::l:: break end print("l", i) end`, "l\t1\nl\t2\n"},
}

// runBounded runs fn and fails the test if it takes more than a few
// seconds: a miscompiled loop may never end.
func runBounded(t *testing.T, fn func() (string, error)) (string, error) {
	t.Helper()
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() { out, err := fn(); done <- result{out, err} }()
	select {
	case r := <-done:
		return r.out, r.err
	case <-time.After(5 * time.Second):
		t.Fatal("did not finish in 5 s")
		return "", nil
	}
}

// TestJumpThreadingBareVM shows the gopher-lua bug the jump guards avoid:
// its own parser and compiler get at least one of these loops wrong.
func TestJumpThreadingBareVM(t *testing.T) {
	wrong := 0
	for _, c := range jumpStartCases {
		out, err := runBounded(t, func() (string, error) {
			chunk, err := glparse.Parse(strings.NewReader(c.src), "bare")
			if err != nil {
				return "", err
			}
			proto, err := lua.Compile(chunk, "bare")
			if err != nil {
				return "", err
			}
			L := lua.NewState()
			defer L.Close()
			var b strings.Builder
			L.SetGlobal("print", L.NewFunction(func(L *lua.LState) int {
				for i := 1; i <= L.GetTop(); i++ {
					if i > 1 {
						b.WriteByte('\t')
					}
					b.WriteString(L.ToStringMeta(L.Get(i)).String())
				}
				b.WriteByte('\n')
				return 0
			}))
			L.Push(L.NewFunctionFromProto(proto))
			err = L.PCall(0, 0, nil)
			return b.String(), err
		})
		if err != nil || out != c.want {
			wrong++
		}
	}
	if wrong == 0 {
		t.Fatal("gopher-lua compiles every case right: the jump guards may no longer be needed")
	}
}

func TestJumpGuards(t *testing.T) {
	for _, c := range jumpStartCases {
		t.Run(c.name, func(t *testing.T) {
			out, err := runBounded(t, func() (string, error) { return runLua(t, c.src) })
			if err != nil || out != c.want {
				t.Fatalf("got %q, %v; want %q", out, err, c.want)
			}
		})
	}
}
