package websocket

import (
	"runtime/debug"
	"slices"

	lua "github.com/yuin/gopher-lua"
)

// Guard wraps a binding of a connection's API so that a Go panic in it (a
// bug in golua-ws) becomes a Lua error carrying the panic value and the Go
// stack of the panic. gopher-lua's PCall recovers a Go panic too, but keeps
// only its value: the stack that says where the bug is would be lost. The
// error then ends the task like any other: its report (stderr and the
// logger) carries both, and the connection the task owns is closed with
// 1011 (Own). Lua errors raised by the binding pass through untouched.
func Guard(fn lua.LGFunction) lua.LGFunction {
	return func(L *lua.LState) int {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(*lua.ApiError); ok {
					panic(r)
				}
				L.RaiseError("go panic in a binding: %v\n%s", r, debug.Stack())
			}
		}()
		return fn(L)
	}
}

// GuardAll wraps the functions of a binding table with Guard, except
// those named in unguarded: the read a handler sits in while its
// connection is idle. Guard's frame would stay on that task's stack for
// the connection's whole life, and one frame can be what doubles the
// goroutine's stack (4 KiB more per idle connection, measured with eco's
// echo); the same holds for the upgrade, the deepest point of a
// handler's life, which the dialects leave unguarded. A Go panic there
// still ends the connection with 1011; its report then carries the panic
// value without the Go stack.
func GuardAll(fns map[string]lua.LGFunction, unguarded ...string) map[string]lua.LGFunction {
	for k, fn := range fns {
		if !slices.Contains(unguarded, k) {
			fns[k] = Guard(fn)
		}
	}
	return fns
}
