package adt

import (
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
)

// queueMetatable is the registry name of the queues' metatable.
const queueMetatable = "silly.adt.queue"

// queue is the userdata value of silly.adt.queue.new(): a FIFO of Lua
// values (nil included). Popped slots are cleared so that the queue does
// not keep what it no longer holds alive.
type queue struct {
	items []lua.LValue
	head  int
}

func (q *queue) size() int { return len(q.items) - q.head }

func (q *queue) push(v lua.LValue) {
	// Reuse the consumed front before the slice has to grow.
	if len(q.items) == cap(q.items) && q.head > 0 {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	q.items = append(q.items, v)
}

func (q *queue) pop() lua.LValue {
	if q.head >= len(q.items) {
		return lua.LNil
	}
	v := q.items[q.head]
	q.items[q.head] = nil
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	}
	return v
}

func loadQueue(L *lua.LState) int {
	mod := L.NewTable()
	mt := L.NewTypeMetatable(queueMetatable)
	mt.RawSetString("__name", lua.LString(queueMetatable))
	mt.RawSetString("__index", mod)
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"new": func(L *lua.LState) int {
			ud := L.NewUserData()
			ud.Value = &queue{}
			ud.Metatable = mt
			L.Push(ud)
			return 1
		},
		// push(q, v) queues v and returns the new size.
		"push": func(L *lua.LState) int {
			q := checkQueue(L, "push")
			q.push(L.Get(2))
			L.Push(lua.LNumber(q.size()))
			return 1
		},
		// pop(q) returns the oldest value, or nil when empty.
		"pop": func(L *lua.LState) int {
			L.Push(checkQueue(L, "pop").pop())
			return 1
		},
		"size": func(L *lua.LState) int {
			L.Push(lua.LNumber(checkQueue(L, "size").size()))
			return 1
		},
		"clear": func(L *lua.LState) int {
			q := checkQueue(L, "clear")
			clear(q.items)
			q.items, q.head = q.items[:0], 0
			return 0
		},
	})
	L.Push(mod)
	return 1
}

func checkQueue(L *lua.LState, fname string) *queue {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if q, ok := ud.Value.(*queue); ok {
			return q
		}
	}
	luaarg.TypeError(L, 1, fname, queueMetatable)
	return nil
}
