package core

import (
	"time"

	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// Task statuses, as silly.task.status reports them.
const (
	statusReady = "READY"
	statusRun   = "RUN"
	statusWait  = "WAIT"
)

// threadPoolMax bounds the pool of finished task threads kept for reuse.
const threadPoolMax = 256

// stask is silly's view of one task: its thread (what Lua sees) and status.
type stask struct {
	t      *runtime.Task
	th     *lua.LState
	status string
	trace  uint64
}

// stateKey is the runtime.Task value key under which the stask is kept.
type stateKey struct{}

// state is the per-runtime state of the silly modules. Every field is
// touched only while holding the VM token, except where noted.
type state struct {
	rt    *runtime.Runtime
	start time.Time

	tasks  map[*lua.LState]*stask
	pool   []*lua.LState
	ready  int
	exited bool
	genid  uint32

	timers timerTable

	logLevel  int
	logger    *lua.LTable
	errHooked bool

	env *lua.LTable

	sigHandlers  map[string]lua.LValue
	sigInstalled map[string]bool

	traceNode uint16
	traceSeq  uint16

	// task.hook's callbacks, nil when unset
	hookCreate, hookTerm *lua.LFunction
}

// Register makes the silly core modules available to require in rt. Call
// it before any script runs.
func Register(rt *runtime.Runtime) {
	s := &state{
		rt:           rt,
		start:        time.Now(),
		tasks:        make(map[*lua.LState]*stask),
		logLevel:     initialLogLevel(rt),
		sigHandlers:  make(map[string]lua.LValue),
		sigInstalled: make(map[string]bool),
	}
	rt.RegisterModules(map[string]lua.LGFunction{
		"silly":          s.openSilly,
		"silly.task":     s.openTask,
		"silly.time":     s.openTime,
		"silly.env":      s.openEnv,
		"silly.signal":   s.openSignal,
		"silly.signal.c": s.openSignalC,
		"silly.logger":   s.openLogger,
		"silly.errno":    openErrno,
		"silly.patch":    s.openPatch,
		"silly.trace":    s.openTrace,
	})
}

// current returns the calling task's silly record, creating one (status
// RUN) for tasks silly did not fork: the main chunk, HTTP handlers, timer
// callbacks.
func (s *state) current(L *lua.LState) *stask {
	t := s.rt.MustTask(L)
	if st, ok := t.Value(stateKey{}).(*stask); ok {
		return st
	}
	st := &stask{t: t, th: t.Thread(), status: statusRun}
	t.SetValue(stateKey{}, st)
	s.tasks[st.th] = st
	t.OnExit(func() {
		if s.tasks[st.th] == st {
			delete(s.tasks, st.th)
		}
		st.status = ""
	})
	return st
}

// fork queues fn(ud) as a new task and returns its thread; L is the
// caller, where "too many tasks" is raised when the task cannot start.
func (s *state) fork(L *lua.LState, name string, fn *lua.LFunction, nargs int, args ...lua.LValue) *lua.LState {
	var th *lua.LState
	if n := len(s.pool); n > 0 {
		th = s.pool[n-1]
		s.pool[n-1] = nil
		s.pool = s.pool[:n-1]
	} else {
		th = s.rt.NewThread()
	}
	st := &stask{th: th, status: statusReady}
	s.tasks[th] = st
	s.ready++
	// The task runs on th itself, so that fork can hand th out before the
	// task first runs and reuse it afterwards (silly's coroutine pool).
	t := s.rt.StartOn(th, name, runtime.Queued, func(t *runtime.Task) error {
		return s.runForked(t, st, fn, nargs, args)
	})
	if t == nil {
		delete(s.tasks, th)
		s.ready--
		s.rt.RaiseStartError(L)
	}
	st.t = t
	t.SetValue(stateKey{}, st)
	if s.hookCreate != nil {
		s.callHook(L, s.hookCreate, th)
	}
	return th
}

// callHook calls a task.hook callback with a task's thread on L; an error
// in it is logged, as an error in a task would be.
func (s *state) callHook(L *lua.LState, hook *lua.LFunction, th *lua.LState) {
	L.Push(hook)
	L.Push(th)
	if err := lua54.PCall(L, 1, 0, nil); err != nil {
		s.logValues(L, levelError, []lua.LValue{lua.LString("[silly] task hook"), lua54.ErrorValue(err)})
	}
}

// runForked is the body of a forked task, running on the thread fork
// returned.
func (s *state) runForked(t *runtime.Task, st *stask, fn *lua.LFunction, nargs int, args []lua.LValue) error {
	if s.exited {
		return nil
	}
	s.ready--
	st.status = statusRun
	th := st.th
	th.Push(fn)
	for i := 0; i < nargs; i++ {
		th.Push(args[i])
	}
	err := lua54.PCall(th, nargs, 0, nil)
	if s.tasks[th] == st {
		delete(s.tasks, th)
	}
	st.status = ""
	if err == nil && s.hookTerm != nil {
		s.callHook(th, s.hookTerm, th)
	}
	if err == nil && len(s.pool) < threadPoolMax {
		th.SetTop(0)
		s.pool = append(s.pool, th)
	}
	return err
}
