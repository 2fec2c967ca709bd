package core

import (
	"time"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

const (
	condTypeName  = "eco.sync.cond"
	mutexTypeName = "eco.sync.mutex"
	wgTypeName    = "eco.sync.waitgroup"
)

// waiter is one task parked on a cond. Whoever wakes it fills in the
// outcome before resuming it, so a wake-up that races the waiter's own
// timeout still counts (lua-eco hands a mutex over even then).
type waiter struct {
	t      *runtime.Task
	woken  bool
	closed bool
	val    lua.LValue
}

// cond is eco.sync's condition variable. Waiters are woken in FIFO order.
type cond struct {
	waiters []*waiter
	closed  bool
}

// waitTimeout reads an eco.sync timeout argument: nil or absent waits
// forever; 0 or less expires at once (expired is true).
func waitTimeout(L *lua.LState, n int, fname string) (d time.Duration, expired bool) {
	if L.Get(n) == lua.LNil {
		return 0, false
	}
	sec := luaarg.GoFloats.CheckNumber(L, n, fname)
	if sec <= 0 {
		return 0, true
	}
	d = time.Duration(sec * float64(time.Second))
	if d <= 0 {
		d = time.Nanosecond
	}
	return d, false
}

// wait parks t on c. It returns the signalled value (true if none), or an
// error string: "timeout" or "closed".
func (c *cond) wait(t *runtime.Task, d time.Duration, expired bool) (lua.LValue, string) {
	if c.closed {
		return lua.LNil, "closed"
	}
	if expired {
		return lua.LNil, "timeout"
	}
	w := &waiter{t: t}
	c.waiters = append(c.waiters, w)
	_, _ = t.Suspend(d)
	if !w.woken {
		// Timed out. lua-eco handles an expired timer only after the
		// coroutines already queued to run, so a signal one of them
		// sends still reaches this waiter (a mutex is handed over, not
		// left with a phantom owner): let them run first.
		t.Yield()
	}
	if w.woken {
		if w.closed {
			return lua.LNil, "closed"
		}
		return w.val, ""
	}
	c.remove(w)
	return lua.LNil, "timeout"
}

func (c *cond) remove(w *waiter) {
	for i, x := range c.waiters {
		if x == w {
			copy(c.waiters[i:], c.waiters[i+1:])
			c.waiters[len(c.waiters)-1] = nil
			c.waiters = c.waiters[:len(c.waiters)-1]
			return
		}
	}
}

// signal wakes the first waiter with v and reports whether there was one.
func (c *cond) signal(caller *runtime.Task, v lua.LValue) bool {
	if c.closed || len(c.waiters) == 0 {
		return false
	}
	w := c.waiters[0]
	c.waiters[0] = nil
	c.waiters = c.waiters[1:]
	w.woken, w.val = true, v
	caller.Resume(w.t, nil)
	return true
}

// broadcast wakes every waiter with true and returns how many it woke.
func (c *cond) broadcast(caller *runtime.Task) int {
	if c.closed {
		return 0
	}
	n := len(c.waiters)
	for _, w := range c.waiters {
		w.woken, w.val = true, lua.LTrue
		caller.Resume(w.t, nil)
	}
	c.waiters = nil
	return n
}

// close wakes every waiter with "closed"; later waits fail at once.
func (c *cond) close(caller *runtime.Task) {
	if c.closed {
		return
	}
	c.closed = true
	for _, w := range c.waiters {
		w.woken, w.closed = true, true
		caller.Resume(w.t, nil)
	}
	c.waiters = nil
}

type mutex struct {
	locked bool
	c      cond
}

type waitgroup struct {
	counter int64
	c       cond
}

func (s *state) openSync(L *lua.LState) int {
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"cond":      s.newCond,
		"mutex":     s.newMutex,
		"waitgroup": s.newWaitgroup,
	})
	s.typeMeta(L, condTypeName, map[string]lua.LGFunction{
		"wait":      s.condWait,
		"signal":    s.condSignal,
		"broadcast": s.condBroadcast,
		"close":     s.condClose,
	}, "close")
	s.typeMeta(L, mutexTypeName, map[string]lua.LGFunction{
		"lock":   s.mutexLock,
		"unlock": s.mutexUnlock,
	}, "")
	s.typeMeta(L, wgTypeName, map[string]lua.LGFunction{
		"add":  s.wgAdd,
		"done": s.wgDone,
		"wait": s.wgWait,
	}, "")
	L.Push(mod)
	return 1
}

// typeMeta creates the metatable of a userdata type; closeMethod, if set,
// also becomes __close (to-be-closed variables).
func (s *state) typeMeta(L *lua.LState, name string, fns map[string]lua.LGFunction, closeMethod string) {
	mt := L.NewTypeMetatable(name)
	methods := L.NewTable()
	L.SetFuncs(methods, fns)
	mt.RawSetString("__index", methods)
	mt.RawSetString("__name", lua.LString(name))
	if closeMethod != "" {
		mt.RawSetString("__close", methods.RawGetString(closeMethod))
	}
}

func newObject(L *lua.LState, tname string, v any) *lua.LUserData {
	ud := L.NewUserData()
	ud.Value = v
	L.SetMetatable(ud, L.GetTypeMetatable(tname))
	return ud
}

func checkSelf[T any](L *lua.LState, tname, method string) T {
	if ud, ok := L.Get(1).(*lua.LUserData); ok {
		if v, ok := ud.Value.(T); ok {
			return v
		}
	}
	luaarg.Method(method).TypeError(L, 1, tname)
	var zero T
	return zero
}

func pushWaitResult(L *lua.LState, v lua.LValue, errStr string) int {
	if errStr != "" {
		L.Push(lua.LNil)
		L.Push(lua.LString(errStr))
		return 2
	}
	L.Push(v)
	return 1
}

func (s *state) newCond(L *lua.LState) int {
	L.Push(newObject(L, condTypeName, &cond{}))
	return 1
}

// condWait is c:wait([timeout]): the signalled value or true; nil,
// 'timeout'; nil, 'closed'.
func (s *state) condWait(L *lua.LState) int {
	c := checkSelf[*cond](L, condTypeName, "wait")
	d, expired := waitTimeout(L, 2, "wait")
	t := s.task(L)
	s.watch(t, L)
	v, errStr := c.wait(t, d, expired)
	return pushWaitResult(L, v, errStr)
}

// condSignal is c:signal([data]): wakes one waiter (a falsy data arrives
// as true) and returns true, or false if nobody waited or c is closed.
func (s *state) condSignal(L *lua.LState) int {
	c := checkSelf[*cond](L, condTypeName, "signal")
	v := L.Get(2)
	if !lua.LVAsBool(v) {
		v = lua.LTrue
	}
	L.Push(lua.LBool(c.signal(s.rt.MustTask(L), v)))
	return 1
}

func (s *state) condBroadcast(L *lua.LState) int {
	c := checkSelf[*cond](L, condTypeName, "broadcast")
	L.Push(lua.LNumber(c.broadcast(s.rt.MustTask(L))))
	return 1
}

func (s *state) condClose(L *lua.LState) int {
	c := checkSelf[*cond](L, condTypeName, "close")
	c.close(s.rt.MustTask(L))
	return 0
}

func (s *state) newMutex(L *lua.LState) int {
	L.Push(newObject(L, mutexTypeName, &mutex{}))
	return 1
}

// mutexLock is m:lock([timeout]): true, or nil, 'timeout'. An unlock hands
// the mutex straight to the first waiter.
func (s *state) mutexLock(L *lua.LState) int {
	m := checkSelf[*mutex](L, mutexTypeName, "lock")
	d, expired := waitTimeout(L, 2, "lock")
	if !m.locked {
		m.locked = true
		L.Push(lua.LTrue)
		return 1
	}
	t := s.task(L)
	s.watch(t, L)
	_, errStr := m.c.wait(t, d, expired)
	if errStr != "" {
		return pushWaitResult(L, lua.LNil, errStr)
	}
	L.Push(lua.LTrue)
	return 1
}

func (s *state) mutexUnlock(L *lua.LState) int {
	m := checkSelf[*mutex](L, mutexTypeName, "unlock")
	if !m.locked {
		L.RaiseError("unlock of unlocked mutex")
	}
	if !m.c.signal(s.rt.MustTask(L), lua.LTrue) {
		m.locked = false
	}
	return 0
}

func (s *state) newWaitgroup(L *lua.LState) int {
	L.Push(newObject(L, wgTypeName, &waitgroup{}))
	return 1
}

func (s *state) wgAdd(L *lua.LState) int {
	wg := checkSelf[*waitgroup](L, wgTypeName, "add")
	delta := luaarg.GoFloats.CheckInteger(L, 2, "add")
	if wg.counter+delta < 0 {
		L.RaiseError("negative waitgroup counter")
	}
	wg.counter += delta
	if wg.counter == 0 {
		wg.c.broadcast(s.rt.MustTask(L))
	}
	return 0
}

func (s *state) wgDone(L *lua.LState) int {
	wg := checkSelf[*waitgroup](L, wgTypeName, "done")
	if wg.counter-1 < 0 {
		L.RaiseError("negative wait group counter")
	}
	wg.counter--
	if wg.counter == 0 {
		wg.c.broadcast(s.rt.MustTask(L))
	}
	return 0
}

// wgWait is wg:wait([timeout]): true at once when the counter is 0, else
// true when it reaches 0, or nil, 'timeout'.
func (s *state) wgWait(L *lua.LState) int {
	wg := checkSelf[*waitgroup](L, wgTypeName, "wait")
	d, expired := waitTimeout(L, 2, "wait")
	if wg.counter == 0 {
		L.Push(lua.LTrue)
		return 1
	}
	t := s.task(L)
	s.watch(t, L)
	v, errStr := wg.c.wait(t, d, expired)
	return pushWaitResult(L, v, errStr)
}
