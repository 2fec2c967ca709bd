package runtime

import (
	"errors"
	"fmt"
	goruntime "runtime"
	"strings"
	"syscall"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	"github.com/golua-ws/golua-ws/runtime/lua54lib"
	lua "github.com/yuin/gopher-lua"
)

// Parking: a task that waits a long time for a socket — an idle WebSocket
// connection — can give up its goroutine. Its Lua thread yields back to the
// LState.Resume that runs it, its goroutine ends (its stack, 4 KiB under a
// blocked read, and its g go with it), and the socket waits in the
// runtime's poller (epoll on Linux). When the socket becomes readable, or
// the connection is closed locally (Unpark), a new goroutine takes the
// token, finishes the Go function the thread yielded from (retry: the read
// itself, which may block as usual) and resumes the thread with its
// results. The script sees an ordinary call that returned.
//
// Only a thread run by Resume can yield, and only from a Go function that
// its own Lua code called directly: gopher-lua implements a Go function's
// yield by returning from the innermost VM loop, which is only right when
// no other Go frame (a pcall, a metamethod, a sort comparator, a nested
// coroutine.resume, an iterator called by a for loop) sits between that
// loop and Resume. Park checks the goroutine's stack for exactly that and
// refuses otherwise; the caller then blocks as before. Parking is an
// optimisation: correctness never depends on it.

// errParked is the body result of a task whose thread was parked: its
// goroutine ends without finishing the task.
var errParked = errors.New("runtime: task parked")

// LuaBody is the body of a task started with StartLua: a Lua function run
// on the task's thread by LState.Resume, so that the task can park
// (Task.Park) while the function waits for a socket.
type LuaBody struct {
	// Setup runs first, holding the token on the task's goroutine, and
	// returns the function to run and its arguments.
	Setup func(t *Task) (fn *lua.LFunction, args []lua.LValue)
	// Finish runs once the function has returned (err nil, results its
	// results) or raised (err carries the value and a traceback), holding
	// the token, on whichever goroutine runs the task then. Its result is
	// the task's error, reported as a Start body's is.
	Finish func(t *Task, results []lua.LValue, err error) error
}

// parking is one park of a task: what the poller waits on and what the
// goroutine that resumes the task does first.
type parking struct {
	t     *Task
	raw   syscall.RawConn // the socket the poller waits on
	key   uint64
	retry func(L *lua.LState) int
	nret  int // results the yielded call's caller wants (lua.MultRet: all)
}

// StartLua starts a task whose body is a Lua function run by Resume (see
// LuaBody). Tasks that may wait long for a socket — connection handlers —
// start this way so that they can park; others use Start or Spawn.
//
// The task's thread is one gopher-lua marks "wrapped" (made through
// gopher-lua's own coroutine.wrap): for such a thread, an error that
// nothing catches reaches the resuming state's Panic function while the
// error is still being raised — the thread's frames and, for a Go panic in
// a binding, the Go stack still there — which is where the report's
// traceback and Go stack are taken (raised). Resume reports a wrapped
// thread's end by its first result, so the body runs under a trampoline
// that returns true before the body's results.
func (rt *Runtime) StartLua(name string, mode StartMode, b LuaBody) *Task {
	return rt.Start(name, mode|wrappedThread, func(t *Task) error {
		t.finishLua = b.Finish
		fn, args := b.Setup(t)
		all := make([]lua.LValue, 0, len(args)+1)
		all = append(all, fn)
		all = append(all, args...)
		return t.runLua(rt.trampoline(), all)
	})
}

// trampoline returns the function every StartLua task's thread starts in.
// Token required.
func (rt *Runtime) trampoline() *lua.LFunction {
	if rt.luaTrampoline == nil {
		fn, err := rt.L.LoadString("local f = ...\nreturn true, f(select(2, ...))")
		if err != nil {
			panic("runtime: trampoline: " + err.Error())
		}
		rt.luaTrampoline = fn
		rt.L.Panic = rt.raised
	}
	return rt.luaTrampoline
}

// freshBatch is how many wrapped threads takeFreshWrapped makes at a time.
const freshBatch = 32

// takeFreshWrapped returns a wrapped thread that has never run a task,
// making freshBatch of them when none is left. Token required.
//
// Batches are for memory, not speed: gopher-lua builds every new thread a
// global state of its own and drops it at once (several KiB of tables).
// Made one per connection, that garbage lands in the size classes of the
// tables a connection keeps, interleaved with them, and after the
// collection the spans stay partly used; made 32 at a time, the garbage
// fills spans of its own, which the collection frees whole.
func (rt *Runtime) takeFreshWrapped() *lua.LState {
	if len(rt.freshWrapped) == 0 {
		for range freshBatch {
			rt.freshWrapped = append(rt.freshWrapped, rt.newWrappedThread())
		}
	}
	n := len(rt.freshWrapped) - 1
	th := rt.freshWrapped[n]
	rt.freshWrapped[n] = nil
	rt.freshWrapped = rt.freshWrapped[:n]
	return th
}

// newWrappedThread makes a thread gopher-lua marks wrapped, with an empty
// stack: gopher-lua's coroutine.wrap of a function that returns at once,
// called once. Token required.
func (rt *Runtime) newWrappedThread() *lua.LState {
	L := rt.L
	if rt.coWrap == nil {
		scratch := lua.NewState(lua.Options{SkipOpenLibs: true})
		lua.OpenCoroutine(scratch)
		mod, _ := scratch.Get(-1).(*lua.LTable)
		var wrap *lua.LFunction
		if mod != nil {
			wrap, _ = mod.RawGetString("wrap").(*lua.LFunction)
		}
		scratch.Close()
		if wrap == nil || !wrap.IsG {
			panic("runtime: gopher-lua's coroutine.wrap not found")
		}
		rt.coWrap = L.NewFunction(wrap.GFunction)
		rt.coNoop = L.NewFunction(func(*lua.LState) int { return 0 })
	}
	saved := L.G.CurrentThread
	L.G.CurrentThread = L
	L.Push(rt.coWrap)
	L.Push(rt.coNoop)
	L.Call(1, 1)
	w, _ := L.Get(-1).(*lua.LFunction)
	L.Call(0, 0) // runs the no-op: the thread ends with an empty stack
	L.G.CurrentThread = saved
	var th *lua.LState
	if w != nil && len(w.Upvalues) == 1 {
		th, _ = w.Upvalues[0].Value().(*lua.LState)
	}
	if th == nil {
		panic("runtime: coroutine.wrap made no thread")
	}
	th.Dead = false
	lua54.ShareAllocator(th, L)
	return th
}

// uncaught is the value a StartLua task's runLua recovers when the
// thread ended with an error.
type uncaught struct{ err error }

// raised is the main state's Panic function once a StartLua task has run
// (it stays: tasks interleave at every Block, so a per-Resume swap would
// be undone by another task's). gopher-lua calls it with a StartLua
// task's thread for an error nothing on the thread caught, before anything
// unwinds (see StartLua): it gives the error Lua 5.4's wording and the
// report its traceback (and the Go stack of a binding that panicked), and
// ends the Resume. Called with any other state — an error raised on the
// main state itself — it does what gopher-lua's default does.
func (rt *Runtime) raised(th *lua.LState) {
	if t := rt.tasks[th]; th == rt.L || t == nil || !t.wrapped || t.L != th {
		panic(&lua.ApiError{Type: lua.ApiErrorRun, Object: th.Get(-1), StackTrace: lua54lib.Traceback(th, 0)})
	}
	v := lua54.AtUncaughtRaise(th)
	if msg, ok := v.(lua.LString); ok {
		v = withGoPanicStack(string(msg))
	}
	panic(uncaught{&lua.ApiError{Type: lua.ApiErrorRun, Object: v, StackTrace: lua54lib.Traceback(th, 0)}})
}

// runLua resumes the task's thread (with fn and args on its first run) and
// handles how it stops: a park, or the end of the function. Token required.
func (t *Task) runLua(fn *lua.LFunction, args []lua.LValue) error {
	rets, err, parked := t.resume(fn, args)
	if parked {
		return errParked
	}
	if t.finishLua != nil {
		return t.finishLua(t, rets, err)
	}
	return err
}

// resume runs the thread until it parks (parked: the token is given away
// and the caller must return at once) or ends (its results, or the error
// it raised). Token required.
func (t *Task) resume(fn *lua.LFunction, args []lua.LValue) (rets []lua.LValue, err error, parked bool) {
	st, res, err := t.resumeThread(fn, args)
	if err != nil {
		return nil, err, false
	}
	if p := t.pending; p != nil {
		t.pending = nil
		t.park(p)
		return nil, nil, true
	}
	if st != lua.ResumeOK {
		// Only Park yields a task's own thread (coroutine.yield there
		// suspends the task instead).
		return nil, &lua.ApiError{Type: lua.ApiErrorRun, Object: lua.LString("attempt to yield from outside a coroutine")}, false
	}
	return res, nil, false
}

// resumeThread is one LState.Resume of the task's thread with the raise
// hook installed; err is the error the thread ended with.
func (t *Task) resumeThread(fn *lua.LFunction, args []lua.LValue) (st lua.ResumeState, res []lua.LValue, err error) {
	rt := t.rt
	L := rt.L
	defer func() {
		L.G.CurrentThread = t.L
		if r := recover(); r != nil {
			u, ok := r.(uncaught)
			if !ok {
				panic(r)
			}
			// Resume did not finish: the thread keeps its frames and
			// cannot run again.
			t.L.Dead = true
			t.reuse = false
			err = u.err
		}
	}()
	L.G.CurrentThread = L
	st, _, res = L.Resume(t.L, fn, args...)
	return st, res, nil
}

// Park gives up the task's goroutine until conn's socket is readable (or
// Unpark is called), if it can: L must be the task's own thread, the task a
// StartLua one, and the calling Go function called directly by the task's
// Lua code (see the top of this file). A binding calls it when a read would
// wait long and returns n if parked is true: the thread yields, and later
// retry runs on another goroutine, holding the token, to push the call's
// results onto L and return their count — or to call Park again. When
// parked is false nothing happened, and the caller waits as it would have.
// Token required.
func (t *Task) Park(L *lua.LState, conn syscall.Conn, retry func(L *lua.LState) int) (n int, parked bool) {
	rt := t.rt
	if rt.ctx.Err() != nil || t.finishLua == nil || L != t.L || rt.cur != t || t.L.Dead {
		return 0, false
	}
	if t.retrying {
		// Called from retry itself: no Lua frame to unwind.
		p := rt.newParking(t, conn, retry, t.parkNret)
		if p == nil {
			return 0, false
		}
		t.repark = p
		return 0, true
	}
	if t.lender != nil || t.lentOut || t.rawYield {
		return 0, false
	}
	nret, ok := lua54.WantedResults(L)
	if !ok || !flatCall() {
		return 0, false
	}
	p := rt.newParking(t, conn, retry, nret)
	if p == nil {
		return 0, false
	}
	t.pending = p
	return L.Yield(), true
}

// resumeParked runs a parked task again, on the calling goroutine (a new
// one): it queues for the token, runs the parking's retry and resumes the
// thread with its results.
func (rt *Runtime) resumeParked(p *parking) {
	t := p.t
	detached := false
	defer func() {
		if !detached {
			rt.finish(t)
			rt.wg.Done()
		}
	}()
	s := &rt.s
	s.mu.Lock()
	grant := s.pushLocked(t)
	s.mu.Unlock()
	if grant == t.wake {
		t.takeTokenOrExit()
	} else {
		signal(grant)
		t.waitQueued()
	}
	// takeToken restored CurrentThread to the task's thread, saved when
	// it parked.
	L := t.L
	top := L.GetTop()
	t.retrying, t.parkNret = true, p.nret
	n, rerr := callRetry(p.retry, L)
	t.retrying = false
	if rerr != nil {
		// As if the call had raised where the script made it: the task
		// ends with the error (a parked call is never under a pcall).
		t.repark = nil
		t.L.Dead = true
		t.reuse = false
		if t.finishLua != nil {
			rerr = t.finishLua(t, nil, rerr)
		}
		if rerr != nil {
			t.err = rerr
			rt.reportError(t, rerr)
		}
		return
	}
	if q := t.repark; q != nil {
		t.repark = nil
		L.SetTop(top)
		t.park(q)
		detached = true
		return
	}
	fitResults(L, top, n, p.nret)
	err := t.runLua(nil, nil)
	if err == errParked {
		detached = true
		return
	}
	if err != nil {
		t.reuse = false
		t.err = err
		rt.reportError(t, err)
	}
}

// callRetry runs a parking's retry, which runs outside the VM loop: an
// error it raises (or a Go panic in it) comes back as err, with the
// thread's traceback, instead of unwinding the resuming goroutine.
func callRetry(retry func(L *lua.LState) int, L *lua.LState) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			var v lua.LValue
			if apiErr, ok := r.(*lua.ApiError); ok {
				v = apiErr.Object
			} else {
				v = withGoPanicStack(fmt.Sprint(r))
			}
			err = &lua.ApiError{Type: lua.ApiErrorRun, Object: v, StackTrace: lua54lib.Traceback(L, 0)}
		}
	}()
	return retry(L), nil
}

// withGoPanicStack is msg, followed by the Go stack when it is called
// while a Go panic (not a Lua error) is being handled, as PCall's error
// function reports a binding's panic.
func withGoPanicStack(msg string) lua.LValue {
	if stack := lua54.GoPanicStack(); stack != nil {
		return lua.LString(msg + "\nGo panic: " + strings.TrimRight(string(stack), "\n"))
	}
	return lua.LString(msg)
}

// fitResults leaves exactly want of the n values retry pushed above top
// (all of them for lua.MultRet): a resumed thread's values become its
// caller's results as they are.
func fitResults(L *lua.LState, top, n, want int) {
	if want == lua.MultRet {
		return
	}
	L.SetTop(top + n) // drops anything retry left below its results
	for ; n < want; n++ {
		L.Push(lua.LNil)
	}
	if n > want {
		L.Pop(n - want)
	}
}

// gopherLua is the import path prefix of gopher-lua's functions in stack
// traces.
const gopherLua = "github.com/yuin/gopher-lua."

// flatCall reports whether the Go function calling Park was called by Lua
// code running directly under the one LState.Resume on this goroutine: one
// VM loop on the stack, a single Resume, and the function called by the
// loop's call instruction (not by callR, which an iterator or a metamethod
// goes through). It walks the goroutine's stack, about a microsecond; a
// park happens once per idle period, not per message.
func flatCall() bool {
	var pcs [64]uintptr
	n := goruntime.Callers(3, pcs[:])
	if n == len(pcs) {
		return false
	}
	frames := goruntime.CallersFrames(pcs[:n])
	loops, resumes := 0, 0
	afterCallG := false
	for {
		f, more := frames.Next()
		name, isLua := strings.CutPrefix(f.Function, gopherLua)
		if afterCallG {
			// callGFunction's caller: the VM's call instruction, one of
			// the jump table's functions built in gopher-lua's init.
			if !isLua || !strings.HasPrefix(name, "init.") {
				return false
			}
			afterCallG = false
		}
		if isLua {
			switch name {
			case "callGFunction":
				afterCallG = true
			case "mainLoop", "mainLoopWithContext":
				loops++
			case "(*LState).Resume":
				resumes++
			case "(*LState).PCall", "(*LState).Call", "(*LState).CallByParam", "(*LState).callR":
				return false
			}
		}
		if !more {
			break
		}
	}
	return loops == 1 && resumes == 1
}
