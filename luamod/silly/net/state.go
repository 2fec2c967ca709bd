package sillynet

import (
	"sync/atomic"

	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

const stateKey = "silly.net.state"

// state is the per-VM bookkeeping of the socket layer, kept in the Lua
// registry so that two runtimes in one process stay independent.
type state struct {
	nextFD   int
	stats    *netStats
	resolver *Resolver // silly.net.dns, made on first use
}

// netStats are the counts behind silly.metrics.c's netstat: TCP
// connections open (accepted or dialled, until closed here) and bytes sent
// and received on them. Updated from the goroutines that do the I/O.
type netStats struct {
	tcpConns atomic.Int64
	sent     atomic.Uint64
	received atomic.Uint64
}

// NetStat returns the number of open TCP connections and the bytes sent
// and received over them in L's VM, as silly's netstat counts them. Token
// required.
func NetStat(L *lua.LState, rt *runtime.Runtime) (tcpConns int64, sent, received uint64) {
	s := stateOf(L, rt).stats
	return s.tcpConns.Load(), s.sent.Load(), s.received.Load()
}

func stateOf(L *lua.LState, rt *runtime.Runtime) *state {
	reg := L.G.Registry
	if ud, ok := reg.RawGetString(stateKey).(*lua.LUserData); ok {
		return ud.Value.(*state)
	}
	st := &state{nextFD: 2, stats: &netStats{}} // 0-2 are the standard streams in silly too
	ud := L.NewUserData()
	ud.Value = st
	reg.RawSetString(stateKey, ud)
	return st
}
