package core

import (
	"fmt"
	"os"
	"syscall"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// signalByName lists the signals silly.signal accepts.
func signalByName(name string) (os.Signal, bool) {
	switch name {
	case "SIGINT":
		return syscall.SIGINT, true
	case "SIGTERM":
		return syscall.SIGTERM, true
	case "SIGHUP":
		return syscall.SIGHUP, true
	case "SIGQUIT":
		return syscall.SIGQUIT, true
	case "SIGUSR1":
		return syscall.SIGUSR1, true
	case "SIGUSR2":
		return syscall.SIGUSR2, true
	case "SIGPIPE":
		return syscall.SIGPIPE, true
	case "SIGALRM":
		return syscall.SIGALRM, true
	case "SIGCHLD":
		return syscall.SIGCHLD, true
	case "SIGWINCH":
		return syscall.SIGWINCH, true
	}
	return nil, false
}

// openSignal returns silly.signal, which is a function:
// signal(name, fn) -> previous handler or nil. Loading it makes SIGINT log
// and exit 0.
func (s *state) openSignal(L *lua.LState) int {
	s.installSignal("SIGINT")
	L.Push(L.NewFunction(s.luaSignal))
	return 1
}

func (s *state) luaSignal(L *lua.LState) int {
	name := luaarg.CheckString(L, 1, "signal")
	if _, ok := signalByName(name); !ok {
		s.logValues(L, levelError, []lua.LValue{lua.LString("[signal] sig: " + name + " not support")})
		return 0
	}
	old := s.sigHandlers[name]
	s.sigHandlers[name] = L.Get(2)
	s.installSignal(name)
	if old == nil {
		old = lua.LNil
	}
	L.Push(old)
	return 1
}

// installSignal routes the signal to a new task that calls the Lua
// handler with the signal's name, or, without one, logs it and exits 0.
func (s *state) installSignal(name string) {
	sig, ok := signalByName(name)
	if !ok || s.sigInstalled[name] {
		return
	}
	s.sigInstalled[name] = true
	rt := s.rt
	rt.SetSignalHandler(sig, func(os.Signal) {
		// Signal goroutine, no token: only start a task. If none can
		// start (the task limit), say so rather than lose the signal
		// silently.
		if rt.Start("signal", runtime.Queued, func(t *runtime.Task) error {
			return s.handleSignal(t, name)
		}) == nil && rt.Context().Err() == nil {
			fmt.Fprintf(rt.Stderr(), "golua-ws: signal %s dropped: too many tasks\n", name)
		}
	})
}

func (s *state) handleSignal(t *runtime.Task, name string) error {
	fn, ok := s.sigHandlers[name].(*lua.LFunction)
	L := t.L
	if !ok {
		s.logValues(L, levelInfo, []lua.LValue{lua.LString("[signal] signum: " + name + " received")})
		s.exit(0)
		return nil
	}
	L.Push(fn)
	L.Push(lua.LString(name))
	return lua54.PCall(L, 1, 0, nil)
}
