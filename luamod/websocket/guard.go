package websocket

import (
	"runtime/debug"

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

// GuardAll wraps every function of a binding table with Guard.
func GuardAll(fns map[string]lua.LGFunction) map[string]lua.LGFunction {
	for k, fn := range fns {
		fns[k] = Guard(fn)
	}
	return fns
}
