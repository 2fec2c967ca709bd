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
