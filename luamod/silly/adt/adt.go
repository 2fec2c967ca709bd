// Package adt provides silly's abstract data types: "silly.adt.buffer" (a
// byte queue of appended strings read by count or delimiter),
// "silly.adt.queue" (a FIFO of Lua values) and "silly.adt.list" (a linked
// list of distinct values, in Lua as in silly: list.lua, embedded and
// compiled by the runtime's front-end when first required).
package adt

import (
	_ "embed"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

//go:embed list.lua
var listSource []byte

// Modules returns the Go-written module loaders, keyed by require name.
func Modules() map[string]lua.LGFunction {
	return map[string]lua.LGFunction{
		"silly.adt.buffer": loadBuffer,
		"silly.adt.queue":  loadQueue,
	}
}

// Register makes "silly.adt.list" available to require in rt. Call it
// before any script runs.
func Register(rt *runtime.Runtime) {
	const name = "silly.adt.list"
	rt.RegisterModule(name, func(L *lua.LState) int {
		fn, err := rt.Compile(listSource, "@silly/adt/list.lua")
		if err != nil {
			L.RaiseError("%s: %v", name, err)
		}
		L.Push(fn)
		L.Call(0, 1)
		return 1
	})
}
