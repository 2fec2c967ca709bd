package luatest

import (
	goruntime "runtime"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func TestNewStatePreloadsAndRunsPrelude(t *testing.T) {
	modules := map[string]lua.LGFunction{
		"demo": func(L *lua.LState) int {
			m := L.NewTable()
			m.RawSetString("answer", lua.LNumber(42))
			L.Push(m)
			return 1
		},
	}
	L := NewState(t, modules, `demo = require 'demo'`)
	Run(t, L, `assert(demo.answer == 42)`)
}

func TestMustFailReturnsTheMessage(t *testing.T) {
	L := NewState(t, nil, "")
	got := MustFail(t, L, `error('boom')`)
	if got != "<string>:1: boom" {
		t.Fatalf("MustFail = %q", got)
	}
	if got := MustFail(t, L, `error({}, 0)`); !strings.HasPrefix(got, "table: ") {
		t.Fatalf("MustFail with a table error = %q", got)
	}
}

// TestFailuresFailTheTest runs the helpers against a recording testing.TB:
// a chunk that raises must fail Run, and one that does not must fail MustFail.
func TestFailuresFailTheTest(t *testing.T) {
	L := NewState(t, nil, "")
	for name, f := range map[string]func(tb testing.TB){
		"Run":      func(tb testing.TB) { Run(tb, L, `error('boom')`) },
		"MustFail": func(tb testing.TB) { MustFail(tb, L, `local x = 1`) },
		"prelude":  func(tb testing.TB) { NewState(tb, nil, `error('boom')`) },
	} {
		rec := &recorder{TB: t}
		done := make(chan struct{})
		go func() { // Fatal ends the goroutine with runtime.Goexit
			defer close(done)
			f(rec)
		}()
		<-done
		if !rec.failed {
			t.Errorf("%s did not fail the test", name)
		}
	}
}

// recorder is a testing.TB whose Fatal records the failure instead of
// failing the enclosing test.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatal(args ...any)     { r.failed = true; goruntime.Goexit() }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; goruntime.Goexit() }
