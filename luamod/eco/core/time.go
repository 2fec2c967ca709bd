package core

import (
	_ "embed"
	"math"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// Clock ids and flags exported by eco.time, with their Linux values.
const (
	clockRealtime   = 0
	clockMonotonic  = 1
	timerAbsTimeFlg = 1
)

// clockTypeName names the Go half of an eco.time timer: a deadline that
// one task at a time can wait for, the part lua-eco builds from a timerfd
// and an eco.reader on it.
const clockTypeName = "eco.time.clock"

// timeSource is eco.time's Lua half: timer objects with lua-eco's fields
// and waiter logic (a task per armed timer that reads the clock and then
// calls the callback), over eco.internal.time.
//
//go:embed time.lua
var timeSource []byte

// clock is a timer deadline. Every field is touched only while holding
// the VM token.
type clock struct {
	at    time.Time
	armed bool
	// reader is the task parked in read, or nil; canceled tells it that
	// cancel, not the deadline or a re-arm, woke it.
	reader   *runtime.Task
	canceled bool
}

func (s *state) openInternalTime(L *lua.LState) int {
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"now":             s.timeNow,
		"sleep":           s.luaSleep,
		"clock":           s.newClock,
		"timerfd_create":  s.timerfdCreate,
		"timerfd_settime": timerfdSettime,
	})
	mod.RawSetString("CLOCK_REALTIME", lua.LNumber(clockRealtime))
	mod.RawSetString("CLOCK_MONOTONIC", lua.LNumber(clockMonotonic))
	mod.RawSetString("TFD_TIMER_ABSTIME", lua.LNumber(timerAbsTimeFlg))
	s.typeMeta(L, clockTypeName, map[string]lua.LGFunction{
		"arm":    s.clockArm,
		"disarm": s.clockDisarm,
		"read":   s.clockRead,
		"cancel": s.clockCancel,
	}, "")
	L.Push(mod)
	return 1
}

func (s *state) openTime(L *lua.LState) int {
	fn, err := s.rt.Compile(timeSource, "@eco/time.lua")
	if err != nil {
		L.RaiseError("eco.time: %v", err)
	}
	L.Push(fn)
	L.Call(0, 1)
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

func (s *state) newClock(L *lua.LState) int {
	L.Push(newObject(L, clockTypeName, &clock{}))
	return 1
}

// clockArm is clk:arm(t, absolute): the deadline is t seconds from now, or
// the CLOCK_REALTIME time t when absolute. A parked reader re-reads it.
func (s *state) clockArm(L *lua.LState) int {
	c := checkSelf[*clock](L, clockTypeName, "arm")
	v := luaarg.GoFloats.CheckNumber(L, 2, "arm")
	if lua.LVAsBool(L.Get(3)) {
		c.at = time.Unix(0, int64(v*1e9))
	} else {
		c.at = time.Now().Add(time.Duration(v * float64(time.Second)))
	}
	c.armed = true
	if c.reader != nil {
		s.rt.MustTask(L).Resume(c.reader, nil)
	}
	return 0
}

// clockDisarm is clk:disarm(): no deadline until the next arm.
func (s *state) clockDisarm(L *lua.LState) int {
	c := checkSelf[*clock](L, clockTypeName, "disarm")
	c.armed = false
	return 0
}

// clockCancel is clk:cancel(): a parked read returns nil, 'canceled'.
func (s *state) clockCancel(L *lua.LState) int {
	c := checkSelf[*clock](L, clockTypeName, "cancel")
	if c.reader != nil {
		c.canceled = true
		s.rt.MustTask(L).Resume(c.reader, nil)
	}
	return 0
}

// expirations is what a read returns: the 8-byte expiration count of a
// timerfd read, which is always 1 here (the clock is one-shot).
var expirations = lua.LString([]byte{1, 0, 0, 0, 0, 0, 0, 0})

// clockRead is clk:read([n]): waits until the armed deadline has passed
// and disarms; nil, 'canceled' if cancel came first. A disarmed clock waits
// for an arm without keeping the runtime alive.
func (s *state) clockRead(L *lua.LState) int {
	c := checkSelf[*clock](L, clockTypeName, "read")
	t := s.task(L)
	if c.reader != nil {
		L.RaiseError("another coroutine is already waiting for read on this timer")
	}
	s.watch(t, L)
	for {
		var d time.Duration
		if c.armed {
			d = time.Until(c.at)
			if d <= 0 {
				c.armed = false
				L.Push(expirations)
				return 1
			}
		}
		c.reader, c.canceled = t, false
		_, _ = t.Suspend(d)
		c.reader = nil
		if c.canceled {
			c.canceled = false
			L.Push(lua.LNil)
			L.Push(lua.LString("canceled"))
			return 2
		}
	}
}

// timerfdCreate is time.timerfd_create(clock): a raw non-blocking,
// close-on-exec timerfd (lua-eco's internal building block for its timers;
// golua-ws's timers are Go timers and do not use it), or nil, err. The
// script closes it with eco.internal.file.close, or the runtime at exit.
func (s *state) timerfdCreate(L *lua.LState) int {
	clock := luaarg.GoFloats.CheckInteger(L, 1, "timerfd_create")
	fd, err := unix.TimerfdCreate(int(clock), unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return pushWaitResult(L, lua.LNil, fdio.Strerror(err))
	}
	if err := fdio.TableOf(s.rt).Adopt(fd); err != nil {
		unix.Close(fd)
		return pushWaitResult(L, lua.LNil, fdio.Strerror(err))
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
		return pushWaitResult(L, lua.LNil, fdio.Strerror(err))
	}
	L.Push(lua.LTrue)
	return 1
}

func timespec(sec float64) unix.Timespec {
	whole := math.Trunc(sec)
	return unix.Timespec{Sec: int64(whole), Nsec: int64((sec - whole) * 1e9)}
}
