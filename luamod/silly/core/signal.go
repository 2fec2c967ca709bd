package core

import (
	"log/slog"
	"os"
	"syscall"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// platformSignals are the names silly.signal.c's signalmap lists (silly's
// POSIX list, SIGPOLL included as on Linux).
var platformSignals = []struct {
	name string
	sig  syscall.Signal
}{
	{"SIGINT", syscall.SIGINT}, {"SIGILL", syscall.SIGILL}, {"SIGABRT", syscall.SIGABRT},
	{"SIGFPE", syscall.SIGFPE}, {"SIGSEGV", syscall.SIGSEGV}, {"SIGTERM", syscall.SIGTERM},
	{"SIGHUP", syscall.SIGHUP}, {"SIGQUIT", syscall.SIGQUIT}, {"SIGTRAP", syscall.SIGTRAP},
	{"SIGKILL", syscall.SIGKILL}, {"SIGBUS", syscall.SIGBUS}, {"SIGSYS", syscall.SIGSYS},
	{"SIGPIPE", syscall.SIGPIPE}, {"SIGALRM", syscall.SIGALRM}, {"SIGURG", syscall.SIGURG},
	{"SIGSTOP", syscall.SIGSTOP}, {"SIGTSTP", syscall.SIGTSTP}, {"SIGCONT", syscall.SIGCONT},
	{"SIGCHLD", syscall.SIGCHLD}, {"SIGTTIN", syscall.SIGTTIN}, {"SIGTTOU", syscall.SIGTTOU},
	{"SIGPOLL", syscall.Signal(0x1d)} /* Linux's number; syscall has no SIGPOLL on every platform */, {"SIGXCPU", syscall.SIGXCPU}, {"SIGXFSZ", syscall.SIGXFSZ},
	{"SIGVTALRM", syscall.SIGVTALRM}, {"SIGPROF", syscall.SIGPROF}, {"SIGUSR1", syscall.SIGUSR1},
	{"SIGUSR2", syscall.SIGUSR2},
}

// deliveredSignals are the signals the golua-ws command passes to the
// runtime (cmd/golua-ws's signal.Notify): only these can be watched.
func signalDelivered(sig syscall.Signal) bool {
	switch sig {
	case syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGUSR2:
		return true
	}
	return false
}

func signalByName(name string) (syscall.Signal, bool) {
	for _, ps := range platformSignals {
		if ps.name == name {
			return ps.sig, true
		}
	}
	return 0, false
}

func signalName(sig syscall.Signal) (string, bool) {
	for _, ps := range platformSignals {
		if ps.sig == sig {
			return ps.name, true
		}
	}
	return "", false
}

// openSignal returns silly.signal, which is a function:
// signal(name, fn) -> previous handler or nil. As in silly, loading it
// installs a SIGINT handler that exits 0.
func (s *state) openSignal(L *lua.LState) int {
	if _, ok := s.sigHandlers["SIGINT"]; !ok {
		s.sigHandlers["SIGINT"] = L.NewFunction(func(L *lua.LState) int {
			s.exit(0)
			return 0
		})
	}
	s.installSignal("SIGINT")
	L.Push(L.NewFunction(s.luaSignal))
	return 1
}

// openSignalC returns silly.signal.c: signalmap() (name to number and
// number to name) and signal(signum), which watches a signal with no Lua
// handler (it is logged and ends the program with 0) and returns nil, or
// an error text.
func (s *state) openSignalC(L *lua.LState) int {
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"signalmap": func(L *lua.LState) int {
			m := L.CreateTable(32, len(platformSignals))
			for _, ps := range platformSignals {
				m.RawSetString(ps.name, lua.LNumber(ps.sig))
				m.RawSetInt(int(ps.sig), lua.LString(ps.name))
			}
			L.Push(m)
			return 1
		},
		"signal": func(L *lua.LState) int {
			num := luaarg.CheckInteger(L, 1, "signal")
			name, ok := signalName(syscall.Signal(num))
			if e := watchError(name, ok); e != "" {
				L.Push(lua.LString(e))
				return 1
			}
			s.installSignal(name)
			L.Push(lua.LNil)
			return 1
		},
	})
	mod.RawSetString("FIRE", lua.LNumber(0))
	L.Push(mod)
	return 1
}

// watchError is why a signal cannot be watched, in silly's errno texts,
// or "".
func watchError(name string, known bool) string {
	if !known {
		return "Invalid argument"
	}
	sig, _ := signalByName(name)
	if !signalDelivered(sig) {
		return "Operation not supported"
	}
	return ""
}

func (s *state) luaSignal(L *lua.LState) int {
	name := luaarg.CheckString(L, 1, "signal")
	if _, ok := signalByName(name); !ok {
		s.logValues(L, levelError, []lua.LValue{lua.LString("[signal] sig: " + name + " not support")})
		return 0
	}
	if e := watchError(name, true); e != "" {
		// silly asserts that watching succeeded
		luaarg.AssertFailed(L, e)
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
	if !ok || !signalDelivered(sig) || s.sigInstalled[name] {
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
			rt.Report(nil, slog.LevelWarn, "golua-ws: signal "+name+" dropped: too many tasks",
				"signal dropped: too many tasks", slog.String("signal", name))
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
