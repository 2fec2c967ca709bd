package core

import (
	"math"
	"sync"
	"time"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// timerPageSize is how many session cookies silly's timer allocates at once.
const timerPageSize = 128

// afterTimer is one pending time.after callback.
type afterTimer struct {
	cookie  uint32
	timer   *time.Timer
	release func()
	fn      *lua.LFunction
	ud      lua.LValue
}

// timerTable allocates sessions like silly's timer: a session is
// version<<32 | cookie; cookies come from a FIFO free list filled a page
// at a time, and a cookie's version is bumped each time it is freed, so a
// stale session never matches a new timer.
type timerTable struct {
	versions []uint32
	free     []uint32
	pending  map[uint64]*afterTimer
}

func (tt *timerTable) alloc() (session uint64, cookie uint32) {
	if len(tt.free) == 0 {
		base := uint32(len(tt.versions))
		for i := uint32(0); i < timerPageSize; i++ {
			tt.versions = append(tt.versions, 0)
			tt.free = append(tt.free, base+i)
		}
	}
	cookie = tt.free[0]
	tt.free = tt.free[1:]
	return uint64(tt.versions[cookie])<<32 | uint64(cookie), cookie
}

func (tt *timerTable) release(cookie uint32) {
	tt.versions[cookie]++
	tt.free = append(tt.free, cookie)
}

func (s *state) openTime(L *lua.LState) int {
	s.hookErrors()
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"now":       s.timeNow,
		"monotonic": s.timeMonotonic,
		"sleep":     s.timeSleep,
		"after":     s.timeAfter,
		"cancel":    s.timeCancel,
		"_dump":     s.timeDump,
	})
	L.Push(mod)
	return 1
}

// timeNow is time.now(): wall-clock milliseconds.
func (s *state) timeNow(L *lua.LState) int {
	L.Push(lua.LNumber(time.Now().UnixMilli()))
	return 1
}

// timeMonotonic is time.monotonic(): milliseconds since the runtime
// started.
func (s *state) timeMonotonic(L *lua.LState) int {
	L.Push(lua.LNumber(time.Since(s.start).Milliseconds()))
	return 1
}

// checkExpire reads a delay in milliseconds: integer-representable,
// negative counts as 0, above UINT32_MAX raises "expire too large".
func checkExpire(L *lua.LState, n int, fname string) time.Duration {
	ms := luaarg.GoFloats.CheckInteger(L, n, fname)
	if ms > math.MaxUint32 {
		L.RaiseError("expire too large")
	}
	if ms < 0 {
		ms = 0
	}
	return time.Duration(ms) * time.Millisecond
}

// timeSleep is time.sleep(ms). The task's status stays RUN, so it cannot
// be woken by task.wakeup; sleep(0) lets the ready tasks run first.
func (s *state) timeSleep(L *lua.LState) int {
	d := checkExpire(L, 1, "sleep")
	s.current(L).t.Sleep(d)
	return 0
}

// timeAfter is time.after(ms, fn, ud): fn(ud) — or fn(session) when ud is
// nil or false — runs in a new task after ms. Returns the session.
func (s *state) timeAfter(L *lua.LState) int {
	d := checkExpire(L, 1, "after")
	fn, ok := L.Get(2).(*lua.LFunction)
	if !ok {
		luaarg.TypeError(L, 2, "after", "function")
	}
	tt := &s.timers
	if tt.pending == nil {
		tt.pending = make(map[uint64]*afterTimer)
	}
	session, cookie := tt.alloc()
	at := &afterTimer{cookie: cookie, fn: fn, ud: L.Get(3)}
	var once sync.Once
	hold := s.rt.Hold()
	at.release = func() { once.Do(hold) }
	tt.pending[session] = at
	rt := s.rt
	at.timer = time.AfterFunc(d, func() {
		// Runs on a timer goroutine: it only queues a task; the task
		// checks, holding the token, that the timer was not cancelled.
		if rt.Start("time.after", runtime.Queued, func(t *runtime.Task) error {
			return s.fire(t, session)
		}) == nil {
			at.release()
		}
	})
	L.Push(lua.LNumber(session))
	return 1
}

func (s *state) fire(t *runtime.Task, session uint64) error {
	tt := &s.timers
	at, ok := tt.pending[session]
	if !ok {
		return nil
	}
	delete(tt.pending, session)
	tt.release(at.cookie)
	defer at.release()
	arg := at.ud
	if !lua.LVAsBool(arg) {
		arg = lua.LNumber(session)
	}
	L := t.L
	L.Push(at.fn)
	L.Push(arg)
	return lua54.PCall(L, 1, 0, nil)
}

// timeCancel is time.cancel(session): the callback will not run. Unknown,
// fired or cancelled sessions are ignored.
func (s *state) timeCancel(L *lua.LState) int {
	v, ok := L.Get(1).(lua.LNumber)
	if !ok {
		luaarg.TypeError(L, 1, "cancel", "number")
	}
	tt := &s.timers
	session := uint64(v)
	at, found := tt.pending[session]
	if !found {
		return 0
	}
	delete(tt.pending, session)
	tt.release(at.cookie)
	at.timer.Stop()
	at.release()
	return 0
}

// timeDump is time._dump(): live views of the pending time.after timers,
// keyed by session, as silly's own tables are: sleep_session_task gives
// each callback, timer_user_data each ud that is not nil or false.
// golua-ws's time.sleep uses no session, so sleeping tasks do not appear.
// The views are read through __index; pairs and next see them empty.
func (s *state) timeDump(L *lua.LState) int {
	lookup := func(pick func(at *afterTimer) lua.LValue) *lua.LTable {
		return liveView(L, func(key lua.LValue) lua.LValue {
			n, ok := key.(lua.LNumber)
			if !ok {
				return lua.LNil
			}
			at, ok := s.timers.pending[uint64(n)]
			if !ok {
				return lua.LNil
			}
			return pick(at)
		})
	}
	out := L.NewTable()
	out.RawSetString("sleep_session_task", lookup(func(at *afterTimer) lua.LValue { return at.fn }))
	out.RawSetString("timer_user_data", lookup(func(at *afterTimer) lua.LValue {
		if !lua.LVAsBool(at.ud) {
			return lua.LNil
		}
		return at.ud
	}))
	L.Push(out)
	return 1
}

// liveView returns an empty table whose reads go to get, so that it always
// shows the current state (silly's _dump hands out its internal tables).
func liveView(L *lua.LState, get func(key lua.LValue) lua.LValue) *lua.LTable {
	view := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		L.Push(get(L.Get(2)))
		return 1
	}))
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("silly's _dump views are read-only in golua-ws")
		return 0
	}))
	L.SetMetatable(view, mt)
	return view
}
