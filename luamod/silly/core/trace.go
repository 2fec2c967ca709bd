package core

import (
	"time"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// Trace ids follow silly's layout: the root node in the top 16 bits, then
// 16 bits of seconds, a 16-bit sequence number, and the node that last
// propagated the id in the low 16 bits. Lua numbers are float64 in
// golua-ws, exact only up to 2^53, so the root node keeps just its low
// traceRootBits bits: every id golua-ws makes stays exact in Lua.
const (
	traceNodeMask = 0xffff
	traceRootBits = 5
)

// openTrace returns silly.trace: setnode, spawn, attach, propagate.
func (s *state) openTrace(L *lua.LState) int {
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"setnode":   s.traceSetNode,
		"spawn":     s.traceSpawn,
		"attach":    s.traceAttach,
		"propagate": s.tracePropagate,
	})
	L.Push(mod)
	return 1
}

// traceSetNode is trace.setnode(id): this process's 16-bit node id.
func (s *state) traceSetNode(L *lua.LState) int {
	s.traceNode = uint16(luaarg.CheckInteger(L, 1, "setnode"))
	return 0
}

// newTraceID makes a root trace id, as silly's trace_new does.
func (s *state) newTraceID() uint64 {
	s.traceSeq++
	root := uint64(s.traceNode) & (1<<traceRootBits - 1)
	secs := uint64(uint16(time.Since(s.start) / time.Second))
	return root<<48 | secs<<32 | uint64(s.traceSeq)<<16
}

// traceSpawn is trace.spawn(): gives the calling task a new trace id and
// returns the one it had.
func (s *state) traceSpawn(L *lua.LState) int {
	st := s.current(L)
	old := st.trace
	st.trace = s.newTraceID()
	L.Push(lua.LNumber(old))
	return 1
}

// traceAttach is trace.attach([id]): sets the calling task's trace id (0
// or none clears it) and returns the previous one.
func (s *state) traceAttach(L *lua.LState) int {
	var id uint64
	if L.Get(1) != lua.LNil {
		v := luaarg.CheckInteger(L, 1, "attach")
		if v < 0 || v > 1<<53 {
			// silly's ids are unsigned 64-bit; golua-ws refuses what a
			// float64 cannot carry exactly rather than log a wrong id.
			luaarg.Error(L, 1, "attach", "trace id out of range (0 to 2^53 in golua-ws)")
		}
		id = uint64(v)
	}
	st := s.current(L)
	old := st.trace
	st.trace = id
	L.Push(lua.LNumber(old))
	return 1
}

// tracePropagate is trace.propagate(): the calling task's trace id with
// this node in its low 16 bits, for a request to another node.
func (s *state) tracePropagate(L *lua.LState) int {
	id := s.current(L).trace&^traceNodeMask | uint64(s.traceNode)
	L.Push(lua.LNumber(float64(id)))
	return 1
}
