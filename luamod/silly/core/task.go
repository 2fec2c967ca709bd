package core

import (
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

func (s *state) openTask(L *lua.LState) int {
	s.hookErrors()
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"running":    s.taskRunning,
		"fork":       s.taskFork,
		"wait":       s.taskWait,
		"wakeup":     s.taskWakeup,
		"status":     s.taskStatus,
		"readycount": s.taskReadyCount,
		"inspect":    s.taskInspect,
		"hook":       s.taskHook,
		"_dump":      s.taskDump,
	})
	L.Push(mod)
	return 1
}

// taskRunning is task.running(): the calling task's thread.
func (s *state) taskRunning(L *lua.LState) int {
	L.Push(s.current(L).th)
	return 1
}

// taskFork is task.fork(fn, ud): fn(ud) runs in a new task once the
// caller yields and the tasks already ready have run. It returns the new
// task's thread, whose status is READY until it first runs. After
// silly.exit it does nothing.
func (s *state) taskFork(L *lua.LState) int {
	fn, ok := L.Get(1).(*lua.LFunction)
	if !ok {
		luaarg.TypeError(L, 1, "fork", "function")
	}
	if s.exited {
		return 0
	}
	s.current(L)
	L.Push(s.fork(L, "task.fork", fn, 1, L.Get(2)))
	return 1
}

// taskWait is task.wait(): parks the caller (status WAIT) until
// task.wakeup(t, v) and returns v.
func (s *state) taskWait(L *lua.LState) int {
	st := s.current(L)
	if st.status != statusRun {
		L.RaiseError("BUG: wait on task stat:%s", st.status)
	}
	st.status = statusWait
	v, _ := st.t.Suspend(0)
	s.ready--
	st.status = statusRun
	if lv, ok := v.(lua.LValue); ok {
		L.Push(lv)
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// taskWakeup is task.wakeup(t, v): t must be in task.wait; it becomes
// READY and its wait returns v once it runs. The caller does not yield.
func (s *state) taskWakeup(L *lua.LState) int {
	th, _ := L.Get(1).(*lua.LState)
	st := s.tasks[th]
	status := "nil"
	if st != nil && st.status != "" {
		status = st.status
	}
	if status != statusWait {
		L.RaiseError("BUG: wakeup on task stat:%s", status)
	}
	if s.exited {
		return 0
	}
	st.status = statusReady
	s.ready++
	s.current(L).t.Resume(st.t, L.Get(2))
	return 0
}

// taskStatus is task.status(t): "READY", "RUN", "WAIT", or nil for a
// finished or unknown task.
func (s *state) taskStatus(L *lua.LState) int {
	th, _ := L.Get(1).(*lua.LState)
	if st := s.tasks[th]; st != nil && st.status != "" {
		L.Push(lua.LString(st.status))
	} else {
		L.Push(lua.LNil)
	}
	return 1
}

// taskReadyCount is task.readycount(): how many forked or woken tasks wait
// for their turn to run.
func (s *state) taskReadyCount(L *lua.LState) int {
	L.Push(lua.LNumber(s.ready))
	return 1
}

// taskInspect is task.inspect(): {[thread] = {traceback=, status=}} for
// every task silly knows about.
func (s *state) taskInspect(L *lua.LState) int {
	out := L.NewTable()
	for th, st := range s.tasks {
		if st.status == "" {
			continue
		}
		info := L.NewTable()
		info.RawSetString("traceback", lua.LString(threadTraceback(L, th)))
		info.RawSetString("status", lua.LString(st.status))
		out.RawSet(th, info)
	}
	L.Push(out)
	return 1
}

// threadTraceback returns debug.traceback(th) called from L.
func threadTraceback(L *lua.LState, th *lua.LState) string {
	dbg, ok := L.GetGlobal("debug").(*lua.LTable)
	if !ok {
		return "stack traceback:"
	}
	fn, ok := dbg.RawGetString("traceback").(*lua.LFunction)
	if !ok {
		return "stack traceback:"
	}
	L.Push(fn)
	nargs := 0
	if th != L {
		L.Push(th)
		nargs = 1
	}
	err := lua54.PCall(L, nargs, 1, nil)
	if err != nil {
		return "stack traceback:"
	}
	v := L.Get(-1)
	L.Pop(1)
	return lua.LVAsString(v)
}

// taskHook is task.hook([create], [term]): create(t) runs when task.fork
// makes a task, term(t) when a forked task's function returns (not when it
// fails); a nil argument removes that hook. silly returns its internal
// resume and yield; golua-ws has none exposed and returns task.wakeup and
// task.wait, the calls closest to them.
func (s *state) taskHook(L *lua.LState) int {
	hook := func(n int) *lua.LFunction {
		switch v := L.Get(n).(type) {
		case *lua.LFunction:
			return v
		case *lua.LNilType:
			return nil
		}
		luaarg.TypeError(L, n, "hook", "function")
		return nil
	}
	s.hookCreate, s.hookTerm = hook(1), hook(2)
	L.Push(L.NewFunction(s.taskWakeup))
	L.Push(L.NewFunction(s.taskWait))
	return 2
}

// taskDump is task._dump(): live views of the task tables silly keeps —
// copool (finished threads kept for reuse; # and [i]), task_status and
// task_traceid (by thread; nil for a finished task or one with trace id
// 0). The views are read through metamethods; pairs and next see them
// empty.
func (s *state) taskDump(L *lua.LState) int {
	byThread := func(pick func(st *stask) lua.LValue) *lua.LTable {
		return liveView(L, func(key lua.LValue) lua.LValue {
			th, _ := key.(*lua.LState)
			st := s.tasks[th]
			if st == nil || st.status == "" {
				return lua.LNil
			}
			return pick(st)
		})
	}
	pool := liveView(L, func(key lua.LValue) lua.LValue {
		if n, ok := key.(lua.LNumber); ok && n >= 1 && int(n) <= len(s.pool) && float64(int(n)) == float64(n) {
			return s.pool[int(n)-1]
		}
		return lua.LNil
	})
	L.GetMetatable(pool).(*lua.LTable).RawSetString("__len", L.NewFunction(func(L *lua.LState) int {
		L.Push(lua.LNumber(len(s.pool)))
		return 1
	}))
	out := L.NewTable()
	out.RawSetString("copool", pool)
	out.RawSetString("task_status", byThread(func(st *stask) lua.LValue { return lua.LString(st.status) }))
	out.RawSetString("task_traceid", byThread(func(st *stask) lua.LValue {
		if st.trace == 0 {
			return lua.LNil
		}
		return lua.LNumber(st.trace)
	}))
	L.Push(out)
	return 1
}
