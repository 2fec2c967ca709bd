package lua54

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

func errorFuncFlag(L *lua.LState) bool {
	return reflect.ValueOf(L).Elem().FieldByName("hasErrorFunc").Bool()
}

// TestVMFields fails when a gopher-lua upgrade changes the fields
// vmstate.go relies on; PCall then falls back to gopher-lua's behaviour.
func TestVMFields(t *testing.T) {
	if !vm.ok {
		t.Fatalf("gopher-lua's LState/Upvalue fields changed: %+v", vm)
	}
	L := lua.NewState()
	defer L.Close()
	if old := setErrorFunc(L, true); old || !errorFuncFlag(L) {
		t.Fatalf("setErrorFunc: old %v, now %v", old, errorFuncFlag(L))
	}
	if old := setErrorFunc(L, false); !old || errorFuncFlag(L) {
		t.Fatalf("setErrorFunc: old %v, now %v", old, errorFuncFlag(L))
	}
	L.Push(lua.LNumber(1))
	L.Push(lua.LNumber(2))
	if got := stackTop(L); got != 2 {
		t.Fatalf("stackTop = %d, want 2", got)
	}
}

func runPCall(t *testing.T, L *lua.LState, src string, handler *lua.LFunction) error {
	t.Helper()
	proto, err := Compile([]byte(src), "=test")
	if err != nil {
		t.Fatal(err)
	}
	L.Push(L.NewFunctionFromProto(proto))
	return PCall(L, 0, 0, handler)
}

// PCall restores the flag it found (gopher-lua's PCall clears it), so a
// later error in an enclosing protected call keeps the upvalues open.
func TestPCallRestoresErrorFuncFlag(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	for _, before := range []bool{false, true} {
		setErrorFunc(L, before)
		if err := runPCall(t, L, "error('x')", nil); err == nil {
			t.Fatal("no error")
		}
		if errorFuncFlag(L) != before {
			t.Errorf("flag %v before an error, %v after", before, errorFuncFlag(L))
		}
		if err := runPCall(t, L, "local x = 1", L.NewFunction(func(L *lua.LState) int { return 1 })); err != nil {
			t.Fatal(err)
		}
		if errorFuncFlag(L) != before {
			t.Errorf("flag %v before a call, %v after", before, errorFuncFlag(L))
		}
	}
}

// Without a handler the error keeps gopher-lua's traceback, without a line
// for PCall's own error function; with one, the handler's result.
func TestPCallErrorValues(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	err := runPCall(t, L, "local function f() error('deep') end f()", nil)
	var apiErr *lua.ApiError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %T %v", err, err)
	}
	if got := ErrorValue(err).String(); got != "test:1: deep" {
		t.Errorf("error value %q", got)
	}
	if !strings.HasPrefix(apiErr.StackTrace, "stack traceback:\n\t[G]: in function 'error'\n\ttest:1: in function 'f'") {
		t.Errorf("traceback:\n%s", apiErr.StackTrace)
	}
	h := L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LString("handled: " + L.Get(1).String()))
		return 1
	})
	err = runPCall(t, L, "error({})", h)
	if got := ErrorValue(err).String(); !strings.HasPrefix(got, "handled: table: ") {
		t.Errorf("handler result %q", got)
	}
	L.Push(L.NewFunction(func(L *lua.LState) int { panic("go panic") }))
	err = PCallValue(L, 0, 0)
	if !errors.As(err, &apiErr) || apiErr.StackTrace != "" || ErrorValue(err) != lua.LString("go panic") {
		t.Errorf("PCallValue of a Go panic: %#v", err)
	}
	if got := ErrorValue(errors.New("plain")); got != lua.LString("plain") {
		t.Errorf("ErrorValue of a plain error: %v", got)
	}
	if L.GetTop() != 0 {
		t.Errorf("stack left with %d values", L.GetTop())
	}
}

// debug.traceback as the handler (xpcall(f, debug.traceback)) shows the
// same frames as with gopher-lua's own xpcall: none for PCall's error
// function.
func TestPCallGoHandlerTraceback(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	tb, ok := L.GetField(L.GetGlobal("debug"), "traceback").(*lua.LFunction)
	if !ok {
		t.Fatal("no debug.traceback")
	}
	err := runPCall(t, L, "local function f() error('boom') end f()", tb)
	got := ErrorValue(err).String()
	want := "test:1: boom\nstack traceback:\n\t[G]: in function 'error'\n\ttest:1: in function 'f'\n\ttest:1: in main chunk"
	if !strings.HasPrefix(got, want) {
		t.Fatalf("got\n%s\nwant a traceback starting\n%s", got, want)
	}
}

// An uncaught Go panic in a binding (PCall without a handler, as tasks
// run) carries the Go stack that panicked in its value; Lua errors,
// including those a binding raises, do not.
func TestPCallGoPanicStack(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	L.SetGlobal("boom", L.NewFunction(func(L *lua.LState) int { panic("binding bug") }))
	L.SetGlobal("nilderef", L.NewFunction(func(L *lua.LState) int {
		var m map[string]*int
		return *m["x"]
	}))
	L.SetGlobal("raise", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("raised by a binding")
		return 0
	}))
	L.SetGlobal("argerr", L.NewFunction(func(L *lua.LState) int { return L.CheckInt(1) }))
	for _, tc := range []struct {
		code    string
		goPanic bool
	}{
		{"boom()", true},
		{"nilderef()", true},
		{"raise()", false},
		{"argerr('x')", false},
		{"error('lua')", false},
		{"local x = nil + 1", false},
	} {
		err := runPCall(t, L, tc.code, nil)
		v := ErrorValue(err).String()
		if got := strings.Contains(v, "\nGo panic: goroutine "); got != tc.goPanic {
			t.Errorf("%s: Go stack in the error %v, want %v: %q", tc.code, got, tc.goPanic, v)
		}
		if tc.goPanic && !strings.Contains(v, "TestPCallGoPanicStack") {
			t.Errorf("%s: the stack does not name the panicking function: %q", tc.code, v)
		}
	}
}
