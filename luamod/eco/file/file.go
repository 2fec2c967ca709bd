package file

import (
	_ "embed"
	"math/rand/v2"
	"time"

	"github.com/golua-ws/golua-ws/luamod/eco/fdio"
	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	lua "github.com/yuin/gopher-lua"
	"golang.org/x/sys/unix"
)

// fileSource is eco.file, written in Lua over eco.internal.file like the
// original, so that scripts can reach a file object's fields (fd, rd, wr)
// and an inotify watcher's (fd, watchs, events).
//
//go:embed file.lua
var fileSource []byte

// The backoff of a file object's flock while another holder keeps the
// lock, as lua-eco's: from 1 ms, doubling, at most 50 ms, plus up to 20%.
const (
	flockFirstSleep = time.Millisecond
	flockMaxSleep   = 50 * time.Millisecond
)

func (m *module) openFile(L *lua.LState) int {
	fn, err := m.rt.Compile(fileSource, "@eco/file.lua")
	if err != nil {
		L.RaiseError("eco.file: %v", err)
	}
	helpers := L.NewTable()
	helpers.RawSetString("flock_wait", L.NewFunction(m.flockWait))
	L.Push(fn)
	L.Push(helpers)
	L.Call(1, 1)
	return 1
}

// flockWait is a file object's flock(operation[, timeout]): flock(2)
// without blocking the VM, retried with a growing sleep while the lock is
// held elsewhere, until timeout (seconds; none if nil).
func (m *module) flockWait(L *lua.LState) int {
	fd := checkInt(L, 1, "flock")
	op := checkInt(L, 2, "flock")
	var deadline time.Time
	if sec, ok := luaarg.GoFloats.ToNumber(L.Get(3)); ok {
		deadline = time.Now().Add(time.Duration(sec * float64(time.Second)))
	}
	t := m.rt.MustTask(L)
	sleep := flockFirstSleep
	for {
		err := unix.Flock(fd, op|unix.LOCK_NB)
		if err == nil {
			return pushTrue(L)
		}
		if err != unix.EWOULDBLOCK {
			return pushErr(L, err)
		}
		delay := sleep + time.Duration(float64(sleep)*0.2*rand.Float64())
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				L.Push(lua.LNil)
				L.Push(lua.LString(fdio.ErrTimeout.Error()))
				return 2
			}
			delay = min(delay, left)
		}
		t.Sleep(delay)
		sleep = min(2*sleep, flockMaxSleep)
	}
}
