package core

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// Version is the lua-eco release whose API these modules reproduce.
const (
	versionMajor = 4
	versionMinor = 1
	versionPatch = 3
)

// defaultWatchdog is lua-eco's watchdog limit (eco.c), in milliseconds.
const defaultWatchdog = 5000

// state is the per-runtime state of the eco modules. Every field is
// touched only while holding the VM token.
type state struct {
	rt         *runtime.Runtime
	eco        *lua.LTable
	panicHook  *lua.LFunction
	watchdogMs int64
	// start anchors time.now(CLOCK_MONOTONIC).
	start time.Time
	// fds is the runtime's raw fd table (eco.io, eco.reader, eco.writer).
	fds *fdio.Table
}

// watchKey marks a task whose end is checked by the watchdog.
type watchKey struct{}

// Register makes "eco", "eco.time", "eco.sync" and "eco.channel" available
// to require in rt and sets the global eco, as the eco interpreter does.
// Call it before any script runs.
func Register(rt *runtime.Runtime) {
	s := &state{rt: rt, watchdogMs: defaultWatchdog, start: time.Now()}
	s.eco = s.newEcoTable(rt.L)
	s.registerIO(rt.L, s.eco)
	rt.L.SetGlobal("eco", s.eco)
	rt.RegisterModule("eco", func(L *lua.LState) int {
		L.Push(s.eco)
		return 1
	})
	rt.RegisterModule("eco.time", s.openTime)
	rt.RegisterModule("eco.internal.time", s.openInternalTime)
	rt.RegisterModule("eco.sync", s.openSync)
	rt.RegisterModule("eco.channel", s.openChannel)
}

func (s *state) newEcoTable(L *lua.LState) *lua.LTable {
	t := L.NewTable()
	L.SetFuncs(t, map[string]lua.LGFunction{
		"run":                  s.luaRun,
		"sleep":                s.luaSleep,
		"count":                s.luaCount,
		"all":                  s.luaAll,
		"loop":                 s.luaLoop,
		"unloop":               s.luaUnloop,
		"_resume":              s.luaResume,
		"_init":                luaInit,
		"resume":               s.luaResume,
		"set_panic_hook":       s.luaSetPanicHook,
		"set_watchdog_timeout": s.luaSetWatchdog,
	})
	t.RawSetString("READ", lua.LNumber(1))
	t.RawSetString("WRITE", lua.LNumber(4))
	t.RawSetString("VERSION", lua.LString(fmt.Sprintf("%d.%d.%d", versionMajor, versionMinor, versionPatch)))
	t.RawSetString("VERSION_MAJOR", lua.LNumber(versionMajor))
	t.RawSetString("VERSION_MINOR", lua.LNumber(versionMinor))
	t.RawSetString("VERSION_PATCH", lua.LNumber(versionPatch))
	return t
}

// task returns the calling task and makes sure the watchdog looks at it
// when it ends.
func (s *state) task(L *lua.LState) *runtime.Task {
	t := s.rt.MustTask(L)
	if t.Value(watchKey{}) == nil {
		t.SetValue(watchKey{}, true)
		t.OnExit(func() { s.watch(t, nil) })
	}
	return t
}

// luaRun is eco.run(f, ...): f runs at once in a new task on the caller's
// token; run returns when f first blocks or ends, with the task's thread.
func (s *state) luaRun(L *lua.LState) int {
	fn, ok := L.Get(1).(*lua.LFunction)
	if !ok {
		luaarg.TypeError(L, 1, "eco.run", "function")
	}
	s.task(L)
	top := L.GetTop()
	args := make([]lua.LValue, 0, top-1)
	for i := 2; i <= top; i++ {
		args = append(args, L.Get(i))
	}
	t := s.rt.Start("eco.run", runtime.Immediate, func(t *runtime.Task) error {
		t.SetValue(watchKey{}, true)
		th := t.L
		th.Push(fn)
		for _, a := range args {
			th.Push(a)
		}
		err := lua54.PCall(th, len(args), 0, nil)
		s.watch(t, th)
		// The thread is what eco.run returned; coroutine.status must
		// report it dead once its function has ended.
		th.Dead = true
		return err
	})
	if t == nil {
		s.rt.RaiseStartError(L)
	}
	L.Push(t.Thread())
	return 1
}

// sleepDuration converts an eco delay in seconds to the whole milliseconds
// eco's timers use.
func sleepDuration(sec float64) time.Duration {
	return time.Duration(int64(sec*1000)) * time.Millisecond
}

// luaSleep is eco.sleep(delay): delay 0 yields behind the ready tasks.
func (s *state) luaSleep(L *lua.LState) int {
	delay := luaarg.GoFloats.CheckNumber(L, 1, "eco.sleep")
	if delay < 0 {
		luaarg.Error(L, 1, "eco.sleep", "delay must be greater than or equal to 0")
	}
	t := s.task(L)
	s.watch(t, L)
	t.Sleep(sleepDuration(delay))
	return 0
}

func (s *state) luaCount(L *lua.LState) int {
	L.Push(lua.LNumber(s.rt.TaskCount()))
	return 1
}

func (s *state) luaAll(L *lua.LState) int {
	t := L.CreateTable(s.rt.TaskCount(), 0)
	s.rt.Tasks(func(task *runtime.Task) {
		if th := task.Thread(); th != nil {
			t.Append(th)
		}
	})
	L.Push(t)
	return 1
}

// luaLoop is an explicit eco.loop(): it parks the caller until every other
// task has finished or waits without a timeout, and returns nothing.
func (s *state) luaLoop(L *lua.LState) int {
	t := s.task(L)
	s.watch(t, L)
	t.WaitIdle()
	return 0
}

// luaUnloop ends the loop: the runtime exits with status 0 even if tasks
// are still pending. The caller keeps running until it next blocks.
// luaResume is eco._resume(co): queue a task that suspended itself with a
// plain coroutine.yield() to be resumed, with no arguments, after the tasks
// already ready. Like eco it does not yield the caller.
func (s *state) luaResume(L *lua.LState) int {
	co := L.CheckThread(1)
	target := s.rt.TaskOf(co)
	if target != nil {
		s.rt.MustTask(L).ResumeYielded(target, nil)
	}
	return 0
}

// luaInit is eco._init(), which lua-eco's sys.spawn calls in a forked child
// to reset the scheduler. golua-ws never forks (see eco.sys), so every call
// is one outside a child and fails as it does in lua-eco's parent.
func luaInit(L *lua.LState) int {
	L.RaiseError("eco._init() is only allowed in child process after fork()")
	return 0
}

func (s *state) luaUnloop(L *lua.LState) int {
	s.rt.Exit(0)
	return 0
}

func (s *state) luaSetPanicHook(L *lua.LState) int {
	switch fn := L.Get(1).(type) {
	case *lua.LFunction:
		s.panicHook = fn
		s.rt.SetErrorHandler(s.reportPanic)
	case *lua.LNilType:
		s.panicHook = nil
		s.rt.SetErrorHandler(nil)
	default:
		luaarg.TypeError(L, 1, "eco.set_panic_hook", "function")
	}
	return 0
}

// resumerTrace stands for the traceback of the resuming context, which in
// lua-eco is the C loop that resumed the failed coroutine.
const resumerTrace = "stack traceback:\n\t[C]: in function 'eco.loop'"

// reportPanic hands an uncaught task error to the panic hook as lua-eco
// does: the failed coroutine's message and traceback, then the resumer's.
func (s *state) reportPanic(t *runtime.Task, msg string) {
	hook := s.panicHook
	if hook == nil || t.L == nil {
		s.rt.Report(t, slog.LevelError, msg, "uncaught Lua error", runtime.ErrorAttrs(msg)...)
		return
	}
	t.L.Push(hook)
	t.L.Push(lua.LString(msg))
	t.L.Push(lua.LString(resumerTrace))
	err := lua54.PCall(t.L, 2, 0, nil)
	if err != nil {
		s.rt.Report(t, slog.LevelError, fmt.Sprintf("%s\nerror in panic hook: %v", msg, err), "error in panic hook",
			append(runtime.ErrorAttrs(msg), slog.String("hook_error", err.Error()))...)
	}
}

func (s *state) luaSetWatchdog(L *lua.LState) int {
	ms := luaarg.GoFloats.CheckInteger(L, 1, "eco.set_watchdog_timeout")
	if ms < 0 || ms > defaultWatchdog {
		luaarg.Error(L, 1, "eco.set_watchdog_timeout", "timeout must be in range [0, 5000]")
	}
	s.watchdogMs = ms
	return 0
}

// watch reports t if it has held the token longer than the watchdog limit
// since it last acquired it. It is called where an eco task gives the token
// up (eco's blocking calls and the end of the task), which is where lua-eco
// checks too: after a resume returns. The report goes to the panic hook if
// one is set, else to stderr; like lua-eco, it does not stop anything.
func (s *state) watch(t *runtime.Task, L *lua.LState) {
	if s.watchdogMs <= 0 {
		return
	}
	ran := time.Since(t.RunningSince())
	limit := time.Duration(s.watchdogMs) * time.Millisecond
	if ran <= limit {
		return
	}
	msg := fmt.Sprintf("coroutine execution timeout: run too long(%d ms) without yielding/dead (>%d ms)",
		ran.Milliseconds(), s.watchdogMs)
	trace := "stack traceback:"
	if L != nil {
		trace = traceback(L)
	}
	if s.panicHook != nil {
		caller := L
		if caller == nil {
			caller = t.L
		}
		if caller != nil {
			caller.Push(s.panicHook)
			caller.Push(lua.LString(msg + "\n" + trace))
			caller.Push(lua.LString(resumerTrace))
			if err := lua54.PCall(caller, 2, 0, nil); err == nil {
				return
			}
		}
	}
	s.rt.Report(t, slog.LevelWarn, msg+"\n"+trace, msg, runtime.ErrorAttrs(msg + "\n" + trace)[1:]...)
}

// traceback returns debug.traceback() of L.
func traceback(L *lua.LState) string {
	dbg, ok := L.GetGlobal("debug").(*lua.LTable)
	if !ok {
		return "stack traceback:"
	}
	fn, ok := dbg.RawGetString("traceback").(*lua.LFunction)
	if !ok {
		return "stack traceback:"
	}
	L.Push(fn)
	if err := lua54.PCall(L, 0, 1, nil); err != nil {
		return "stack traceback:"
	}
	v := L.Get(-1)
	L.Pop(1)
	return lua.LVAsString(v)
}
