// Package sync provides silly's synchronisation modules:
// "silly.sync.channel" (a multi-producer, single-consumer queue),
// "silly.sync.singleflight" (concurrent calls per key share one run),
// "silly.sync.waitgroup" and "silly.sync.mutex" (a keyed, re-entrant
// mutex). They are written in Lua over silly.task's wait and wakeup, as
// in silly, and compiled by the runtime's front-end when first required.
package sync

import (
	"embed"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

//go:embed lua/*.lua
var sources embed.FS

// Register makes the silly.sync modules available to require in rt. Call
// it before any script runs.
func Register(rt *runtime.Runtime) {
	for _, name := range []string{"channel", "waitgroup", "mutex", "singleflight"} {
		file := "lua/" + name + ".lua"
		mod := "silly.sync." + name
		rt.RegisterModule(mod, func(L *lua.LState) int {
			src, err := sources.ReadFile(file)
			if err != nil {
				L.RaiseError("%s: %v", mod, err)
			}
			fn, err := rt.Compile(src, "@silly/sync/"+name+".lua")
			if err != nil {
				L.RaiseError("%s: %v", mod, err)
			}
			L.Push(fn)
			L.Call(0, 1)
			return 1
		})
	}
}
