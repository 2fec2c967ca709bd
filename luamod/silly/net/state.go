package sillynet

import (
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

const stateKey = "silly.net.state"

// state is the per-VM bookkeeping of the socket layer, kept in the Lua
// registry so that two runtimes in one process stay independent.
type state struct {
	nextFD int
}

func stateOf(L *lua.LState, rt *runtime.Runtime) *state {
	reg := L.G.Registry
	if ud, ok := reg.RawGetString(stateKey).(*lua.LUserData); ok {
		return ud.Value.(*state)
	}
	st := &state{nextFD: 2} // 0-2 are the standard streams in silly too
	ud := L.NewUserData()
	ud.Value = st
	reg.RawSetString(stateKey, ud)
	return st
}
