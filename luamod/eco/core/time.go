package core

import (
	"math"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/internal/ecoerr"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// Clock ids and flags exported by eco.time, with their Linux values.
const (
	clockRealtime   = 0
	clockMonotonic  = 1
	timerAbsTimeFlg = 1
)

const timerTypeName = "eco.time.timer"

// timer is an eco.time timer: disarmed on creation, armed by set, and
// firing its callback once per set in a task of its own.
type timer struct {
	s        *state
	self     *lua.LUserData
	cb       *lua.LFunction
	args     []lua.LValue
	deadline time.Time
	closed   bool
	// waiter is the task parked until the deadline, or nil. A waiter that
	// wakes and finds it is no longer the timer's waiter (cancel, close,
	// or a newer set that started another one) ends without firing.
	waiter *runtime.Task
}

func (s *state) openTime(L *lua.LState) int {
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"now":   s.timeNow,
		"sleep": s.luaSleep,
		"timer": s.timeTimer,
		"at":    s.timeAt,
		"on":    s.timeOn,

		"timerfd_create":  timerfdCreate,
		"timerfd_settime": timerfdSettime,
	})
	mod.RawSetString("CLOCK_REALTIME", lua.LNumber(clockRealtime))
	mod.RawSetString("CLOCK_MONOTONIC", lua.LNumber(clockMonotonic))
	mod.RawSetString("TFD_TIMER_ABSTIME", lua.LNumber(timerAbsTimeFlg))

	mt := L.NewTypeMetatable(timerTypeName)
	methods := L.NewTable()
	L.SetFuncs(methods, map[string]lua.LGFunction{
		"set":    s.timerSet,
		"cancel": s.timerCancel,
		"close":  s.timerClose,
	})
	mt.RawSetString("__index", methods)
	mt.RawSetString("__name", lua.LString(timerTypeName))
	L.Push(mod)
	return 1
}

// timeNow is time.now([clock]): seconds as a float on CLOCK_REALTIME
// (default) or CLOCK_MONOTONIC; another clock gives nil, err.
func (s *state) timeNow(L *lua.LState) int {
	clock := int64(clockRealtime)
	if L.GetTop() >= 1 && L.Get(1) != lua.LNil {
		clock = luaarg.GoFloats.CheckInteger(L, 1, "now")
	}
	switch clock {
	case clockRealtime:
		L.Push(lua.LNumber(float64(time.Now().UnixNano()) / 1e9))
	case clockMonotonic:
		L.Push(lua.LNumber(time.Since(s.start).Seconds() + 1))
	default:
		L.Push(lua.LNil)
		L.Push(lua.LString("Invalid argument"))
		return 2
	}
	return 1
}

func (s *state) newTimer(L *lua.LState, cbIndex int) *timer {
	cb, ok := L.Get(cbIndex).(*lua.LFunction)
	if !ok {
		luaarg.AssertFailed(L, "callback must be a function")
	}
	tm := &timer{s: s, cb: cb}
	for i := cbIndex + 1; i <= L.GetTop(); i++ {
		tm.args = append(tm.args, L.Get(i))
	}
	ud := L.NewUserData()
	ud.Value = tm
	L.SetMetatable(ud, L.GetTypeMetatable(timerTypeName))
	tm.self = ud
	return tm
}

// timeTimer is time.timer(cb, ...): a disarmed timer.
func (s *state) timeTimer(L *lua.LState) int {
	tm := s.newTimer(L, 1)
	L.Push(tm.self)
	return 1
}

// timeAt is time.at(delay, cb, ...): a timer armed delay seconds from now.
func (s *state) timeAt(L *lua.LState) int {
	if _, ok := L.Get(1).(lua.LNumber); !ok {
		luaarg.AssertFailed(L, "delay must be a number")
	}
	delay := float64(L.Get(1).(lua.LNumber))
	tm := s.newTimer(L, 2)
	if delay < 0 {
		luaarg.AssertFailed(L, "delay must be non-negative")
	}
	s.arm(L, tm, delayDuration(delay))
	L.Push(tm.self)
	return 1
}

// timeOn is time.on(ts, cb, ...): a timer armed for the absolute
// CLOCK_REALTIME time ts (seconds since the epoch).
func (s *state) timeOn(L *lua.LState) int {
	if _, ok := L.Get(1).(lua.LNumber); !ok {
		luaarg.AssertFailed(L, "timestamp must be a number")
	}
	ts := float64(L.Get(1).(lua.LNumber))
	tm := s.newTimer(L, 2)
	at := time.Unix(0, int64(ts*1e9))
	d := time.Until(at)
	if d < time.Millisecond {
		d = time.Millisecond
	}
	s.arm(L, tm, d)
	L.Push(tm.self)
	return 1
}

// delayDuration turns a timer delay in seconds into a duration; eco turns 0
// into 1 ms so that the timer still fires after the current task yields.
func delayDuration(sec float64) time.Duration {
	d := time.Duration(sec * float64(time.Second))
	if d < time.Millisecond {
		d = time.Millisecond
	}
	return d
}

func checkTimer(L *lua.LState) *timer {
	ud, ok := L.Get(1).(*lua.LUserData)
	if ok {
		if tm, ok := ud.Value.(*timer); ok {
			return tm
		}
	}
	luaarg.TypeError(L, 1, "set", timerTypeName)
	return nil
}

// timerSet is tmr:set(delay): (re)arms the timer; true, or nil, 'closed'.
func (s *state) timerSet(L *lua.LState) int {
	tm := checkTimer(L)
	v, ok := L.Get(2).(lua.LNumber)
	if !ok {
		luaarg.AssertFailed(L, "delay must be a number")
	}
	if v < 0 {
		luaarg.AssertFailed(L, "delay must be non-negative")
	}
	if tm.closed {
		L.Push(lua.LNil)
		L.Push(lua.LString("closed"))
		return 2
	}
	s.arm(L, tm, delayDuration(float64(v)))
	L.Push(lua.LTrue)
	return 1
}

// arm sets the deadline and makes sure a waiter task watches it: an
// existing waiter is woken to re-read the deadline, else a new one starts
// at once (as eco.run), parks, and gives the token back.
func (s *state) arm(L *lua.LState, tm *timer, d time.Duration) {
	tm.deadline = time.Now().Add(d)
	caller := s.rt.MustTask(L)
	if tm.waiter != nil {
		caller.Resume(tm.waiter, nil)
		return
	}
	if s.rt.Start("eco.time", runtime.Immediate, func(t *runtime.Task) error {
		return tm.wait(t)
	}) == nil {
		s.rt.RaiseStartError(L)
	}
}

// wait is the body of a timer's waiter task.
func (tm *timer) wait(t *runtime.Task) error {
	tm.waiter = t
	for {
		d := time.Until(tm.deadline)
		if d <= 0 {
			d = time.Nanosecond
		}
		_, _ = t.Suspend(d)
		if tm.waiter != t || tm.closed {
			return nil
		}
		if time.Until(tm.deadline) > 0 {
			continue // re-armed while parked
		}
		tm.waiter = nil
		th := t.L
		th.Push(tm.cb)
		th.Push(tm.self)
		for _, a := range tm.args {
			th.Push(a)
		}
		err := lua54.PCall(th, 1+len(tm.args), 0, nil)
		tm.s.watch(t, th)
		return err
	}
}

// timerCancel is tmr:cancel(): disarms the timer; the callback does not run.
func (s *state) timerCancel(L *lua.LState) int {
	tm := checkTimer(L)
	s.disarm(L, tm)
	return 0
}

func (s *state) disarm(L *lua.LState, tm *timer) {
	if w := tm.waiter; w != nil {
		tm.waiter = nil
		s.rt.MustTask(L).Resume(w, nil)
	}
}

// timerClose is tmr:close(): cancels the timer for good; idempotent.
func (s *state) timerClose(L *lua.LState) int {
	tm := checkTimer(L)
	s.disarm(L, tm)
	tm.closed = true
	return 0
}

// timerfdCreate is time.timerfd_create(clock): a raw non-blocking,
// close-on-exec timerfd (lua-eco's internal building block for its timers;
// golua-ws's timers are Go timers and do not use it), or nil, err. The
// caller closes it with eco.internal.file.close.
func timerfdCreate(L *lua.LState) int {
	clock := luaarg.GoFloats.CheckInteger(L, 1, "timerfd_create")
	fd, err := unix.TimerfdCreate(int(clock), unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return ecoerr.PushErr(L, err)
	}
	L.Push(lua.LNumber(fd))
	return 1
}

// timerfdSettime is time.timerfd_settime(fd, flags, delay, [interval]):
// arms the timerfd; true, or nil, err.
func timerfdSettime(L *lua.LState) int {
	fd := luaarg.GoFloats.CheckInteger(L, 1, "timerfd_settime")
	flags := luaarg.GoFloats.CheckInteger(L, 2, "timerfd_settime")
	delay := luaarg.GoFloats.CheckNumber(L, 3, "timerfd_settime")
	interval, _ := L.Get(4).(lua.LNumber)
	spec := unix.ItimerSpec{Value: timespec(delay), Interval: timespec(float64(interval))}
	if err := unix.TimerfdSettime(int(fd), int(flags), &spec, nil); err != nil {
		return ecoerr.PushErr(L, err)
	}
	L.Push(lua.LTrue)
	return 1
}

func timespec(sec float64) unix.Timespec {
	whole := math.Trunc(sec)
	return unix.Timespec{Sec: int64(whole), Nsec: int64((sec - whole) * 1e9)}
}
