package lua54lib

import (
	"runtime"
	"sync"
	"weak"

	lua "github.com/yuin/gopher-lua"
)

// coState remembers, per VM, the error that killed each coroutine, so that
// coroutine.close can return false, err as 5.4 does. Keys are weak: an
// entry goes away with its coroutine. The mutex is needed because cleanups
// run on the runtime's cleanup goroutine, not under the VM token.
type coState struct {
	mu     sync.Mutex
	failed map[weak.Pointer[lua.LState]]lua.LValue
}

func (c *coState) record(th *lua.LState, errv lua.LValue) {
	wp := weak.Make(th)
	c.mu.Lock()
	c.failed[wp] = errv
	c.mu.Unlock()
	runtime.AddCleanup(th, func(wp weak.Pointer[lua.LState]) {
		c.mu.Lock()
		delete(c.failed, wp)
		c.mu.Unlock()
	}, wp)
}

// take returns and forgets the error recorded for th.
func (c *coState) take(th *lua.LState) (lua.LValue, bool) {
	wp := weak.Make(th)
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.failed[wp]
	if ok {
		delete(c.failed, wp)
	}
	return v, ok
}

func openCoroutine(L *lua.LState) *coState {
	co := libTable(L, "coroutine")
	st := &coState{failed: map[weak.Pointer[lua.LState]]lua.LValue{}}
	var origResume lua.LGFunction
	if f, ok := co.RawGetString("resume").(*lua.LFunction); ok && f.IsG {
		origResume = f.GFunction
	}
	fns := map[string]lua.LGFunction{
		"running":     coRunning,
		"isyieldable": coIsYieldable,
		"status":      coStatus,
		"close": func(L *lua.LState) int {
			return coClose(L, st)
		},
	}
	if origResume != nil {
		fns["resume"] = func(L *lua.LState) int {
			return coResume(L, st, origResume)
		}
	}
	register(L, co, fns)
	create, _ := co.RawGetString("create").(*lua.LFunction)
	resume, _ := co.RawGetString("resume").(*lua.LFunction)
	if create != nil && resume != nil {
		co.RawSetString("wrap", L.NewFunction(func(L *lua.LState) int {
			return coWrap(L, create, resume)
		}))
	}
	return st
}

// coWrap is 5.4's coroutine.wrap: the function it returns resumes the
// coroutine and returns its values, or raises its error, with the
// caller's position prepended when the error is a string (auxwrap).
func coWrap(L *lua.LState, create, resume *lua.LFunction) int {
	if _, ok := L.Get(1).(*lua.LFunction); !ok {
		typeError(L, 1, "coroutine.wrap", "function")
	}
	L.Push(create)
	L.Push(L.Get(1))
	L.Call(1, 1)
	th := L.Get(-1)
	L.Pop(1)
	L.Push(L.NewFunction(func(L *lua.LState) int {
		top := L.GetTop()
		L.Push(resume)
		L.Push(th)
		for i := 1; i <= top; i++ {
			L.Push(L.Get(i))
		}
		L.Call(top+1, lua.MultRet)
		if L.Get(top+1) == lua.LTrue {
			return L.GetTop() - top - 1
		}
		errv := L.Get(top + 2)
		if s, ok := errv.(lua.LString); ok {
			errv = lua.LString(where(L) + string(s))
		}
		L.Error(errv, 0)
		return 0
	}))
	return 1
}

// checkCo is 5.4's getco.
func checkCo(L *lua.LState, qualified string) *lua.LState {
	th, ok := L.Get(1).(*lua.LState)
	if !ok {
		typeError(L, 1, qualified, "thread")
	}
	return th
}

// coStatusOf is 5.4's auxstatus seen from the running thread L.
func coStatusOf(L, th *lua.LState) string {
	if th == L {
		return "running"
	}
	for p := L.Parent; p != nil; p = p.Parent {
		if p == th {
			return "normal"
		}
	}
	if th.Dead {
		return "dead"
	}
	if isMainThread(L, th) || th == L.G.CurrentThread {
		// The main thread, or another task's thread of this runtime that
		// is not a coroutine we resumed: it is active, not suspended.
		return "normal"
	}
	return "suspended"
}

// mainThreadKey is the registry field naming the thread a host runs the
// main chunk on (SetMainThread).
const mainThreadKey = "golua-ws.lua54lib.main"

// SetMainThread marks th as the main thread of its VM for the coroutine
// library: coroutine.running() returns th, true on it and
// coroutine.isyieldable() is false there, as for the main thread of Lua
// 5.4. A host that runs the main chunk on a thread of its own (the
// golua-ws runtime runs every task, the main chunk included, on a thread
// made by NewThread) calls it before running the chunk; without it the
// VM's own main thread (L.G.MainThread) is the main thread.
func SetMainThread(th *lua.LState) {
	reg := th.Get(lua.RegistryIndex).(*lua.LTable)
	reg.RawSetString(mainThreadKey, th)
}

// isMainThread reports whether th is the main thread (SetMainThread).
func isMainThread(L, th *lua.LState) bool {
	if th == L.G.MainThread {
		return true
	}
	reg, ok := L.Get(lua.RegistryIndex).(*lua.LTable)
	return ok && reg.RawGetString(mainThreadKey) == th
}

// coRunning returns the running thread and whether it is the main thread.
func coRunning(L *lua.LState) int {
	L.Push(L)
	L.Push(lua.LBool(isMainThread(L, L)))
	return 2
}

// coIsYieldable: every running thread but the main one can yield. Besides
// coroutines, that includes the threads of the other runtime tasks, where
// coroutine.yield parks the task as lua-eco does. A given coroutine that
// is suspended or dead is yieldable as in 5.4 (it would be, once resumed).
func coIsYieldable(L *lua.LState) int {
	th := L
	if L.GetTop() >= 1 {
		th = checkCo(L, "coroutine.isyieldable")
	}
	L.Push(lua.LBool(!isMainThread(L, th)))
	return 1
}

func coStatus(L *lua.LState) int {
	th := checkCo(L, "coroutine.status")
	L.Push(lua.LString(coStatusOf(L, th)))
	return 1
}

// coResume wraps gopher-lua's resume with 5.4's checks and messages, and
// records the error of a coroutine that dies with one.
func coResume(L *lua.LState, st *coState, orig lua.LGFunction) int {
	th := checkCo(L, "coroutine.resume")
	switch coStatusOf(L, th) {
	case "dead":
		L.Push(lua.LFalse)
		L.Push(lua.LString("cannot resume dead coroutine"))
		return 2
	case "running", "normal":
		L.Push(lua.LFalse)
		L.Push(lua.LString("cannot resume non-suspended coroutine"))
		return 2
	}
	n := orig(L)
	if first := L.GetTop() - n + 1; th.Dead && n >= 2 && L.Get(first) == lua.LFalse {
		st.record(th, L.Get(first+1))
	}
	return n
}

// coClose is 5.4's coroutine.close: a suspended or dead coroutine becomes
// dead; the result is true, or false plus the error that killed it.
func coClose(L *lua.LState, st *coState) int {
	th := checkCo(L, "coroutine.close")
	switch s := coStatusOf(L, th); s {
	case "dead", "suspended":
		th.Dead = true
		if errv, ok := st.take(th); ok {
			L.Push(lua.LFalse)
			L.Push(errv)
			return 2
		}
		L.Push(lua.LTrue)
		return 1
	default:
		raise(L, "cannot close a %s coroutine", s)
		return 0
	}
}
