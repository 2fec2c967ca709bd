// Package luatest runs Lua code in the unit tests of the luamod packages:
// a fresh VM with a package's modules preloaded, a chunk that must succeed,
// a chunk that must fail with a message the test then checks. It exists so
// that each module's tests hold only their assertions, not their own copy
// of this plumbing.
package luatest

import (
	"errors"
	"testing"

	lua "github.com/yuin/gopher-lua"
)

// NewState returns a fresh gopher-lua VM, closed when the test ends, with
// modules preloaded (so require finds them) and prelude run on it, typically
// the requires that bind the modules to the globals the tests use. The test
// fails if prelude raises an error.
func NewState(t testing.TB, modules map[string]lua.LGFunction, prelude string) *lua.LState {
	t.Helper()
	L := lua.NewState()
	t.Cleanup(L.Close)
	for name, loader := range modules {
		L.PreloadModule(name, loader)
	}
	if prelude != "" {
		if err := L.DoString(prelude); err != nil {
			t.Fatal(err)
		}
	}
	return L
}

// Run runs code on L; if it raises an error, the test fails with that error
// and its Lua traceback.
func Run(t testing.TB, L *lua.LState, code string) {
	t.Helper()
	if err := L.DoString(code); err != nil {
		t.Fatal(err)
	}
}

// MustFail runs code on L and returns the message of the error it raises,
// as a script's pcall would see it (with its "chunk:line:" prefix). The
// test fails if code raises no error.
func MustFail(t testing.TB, L *lua.LState, code string) string {
	t.Helper()
	err := L.DoString(code)
	if err == nil {
		t.Fatalf("%s: expected an error", code)
	}
	var apiErr *lua.ApiError
	if !errors.As(err, &apiErr) {
		t.Fatalf("%s: %v is not a Lua error", code, err)
	}
	return apiErr.Object.String()
}
