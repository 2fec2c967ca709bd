package net

import (
	_ "embed"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

//go:embed net.lua
var source []byte

// Register makes "eco.net" available to require in rt.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("eco.net", func(L *lua.LState) int {
		fn, err := rt.Compile(source, "@eco/net.lua")
		if err != nil {
			L.RaiseError("eco.net: %v", err)
		}
		L.Push(fn)
		L.Call(0, 1)
		return 1
	})
}
