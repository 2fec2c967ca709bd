package worker

import (
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// Identity is a worker's place in its pool: ID runs from 1 to Count.
type Identity struct {
	ID, Count int
}

type identityKey struct{}

// WithIdentity gives a runtime its worker identity (what golua.worker
// reports). Pool sets it on every worker; a runtime without it is worker 1
// of 1.
func WithIdentity(id, count int) runtime.Option {
	return runtime.WithService(identityKey{}, Identity{ID: id, Count: count})
}

// IdentityOf returns rt's worker identity: the one given by WithIdentity,
// else worker 1 of 1. Safe from any goroutine.
func IdentityOf(rt *runtime.Runtime) Identity {
	return rt.Service(identityKey{}, func() any { return Identity{ID: 1, Count: 1} }).(Identity)
}

// Register makes "golua.worker" available to require in rt: a table with
// id (1..count) and count, the same in both dialects.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("golua.worker", func(L *lua.LState) int {
		id := IdentityOf(rt)
		m := L.CreateTable(0, 2)
		m.RawSetString("id", lua.LNumber(id.ID))
		m.RawSetString("count", lua.LNumber(id.Count))
		L.Push(m)
		return 1
	})
}
