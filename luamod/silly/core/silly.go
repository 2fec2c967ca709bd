package core

import (
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/golua-ws/golua-ws/luamod/internal/luaarg"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// sillyVersion is the silly release (MAJOR.MINOR) whose API this
// reproduces.
const sillyVersion = "0.7"

func (s *state) openSilly(L *lua.LState) int {
	s.hookErrors()
	mod := L.NewTable()
	L.SetFuncs(mod, map[string]lua.LGFunction{
		"genid": s.sillyGenID,
		"error": s.sillyError,
		"pcall": sillyPcall,
		"exit":  s.sillyExit,
	})
	mod.RawSetString("pid", lua.LNumber(os.Getpid()))
	mod.RawSetString("version", lua.LString(sillyVersion))
	mod.RawSetString("gitsha1", lua.LString("golua-ws"))
	mod.RawSetString("allocator", lua.LString("go"))
	mod.RawSetString("multiplexer", lua.LString("go"))
	mod.RawSetString("timerresolution", lua.LNumber(1))
	L.Push(mod)
	return 1
}

// hookErrors makes uncaught task errors appear the way silly logs them:
// an ERROR line "[silly] task resume" followed by the message and its
// traceback. Unlike silly's logger the line goes to stderr, where
// golua-ws reports every uncaught error; the task ends and the rest of
// the program keeps running.
func (s *state) hookErrors() {
	if s.errHooked {
		return
	}
	s.errHooked = true
	s.rt.SetErrorHandler(func(t *runtime.Task, msg string) {
		var trace uint64
		if st, ok := t.Value(stateKey{}).(*stask); ok {
			trace = st.trace
		}
		line := s.logHeader(levelError, trace) + "[silly] task resume " + msg + " "
		s.rt.Report(t, slog.LevelError, line, "[silly] task resume error",
			append(runtime.ErrorAttrs(msg), slog.String("trace", fmt.Sprintf("%016x", trace)))...)
	})
}

// sillyGenID is silly.genid(): a process-wide uint32 counter.
func (s *state) sillyGenID(L *lua.LState) int {
	s.genid++
	L.Push(lua.LNumber(s.genid))
	return 1
}

// sillyError is silly.error(msg): logs msg and then a traceback at ERROR.
func (s *state) sillyError(L *lua.LState) int {
	s.logValues(L, levelError, []lua.LValue{L.Get(1)})
	s.logValues(L, levelError, []lua.LValue{lua.LString(threadTraceback(L, L))})
	return 0
}

// sillyPcall is silly.pcall(f, ...): like xpcall(f, handler, ...) where
// the handler returns debug.traceback("error: " .. tostring(msg), 2). It
// is written in Go so that it forwards the arguments whatever xpcall the
// VM provides.
func sillyPcall(L *lua.LState) int {
	nargs := L.GetTop() - 1
	if nargs < 0 {
		luaarg.TypeError(L, 1, "pcall", "value")
	}
	err := lua54.PCall(L, nargs, lua.MultRet, nil)
	if err == nil {
		L.Insert(lua.LTrue, 1)
		return L.GetTop()
	}
	msg := err.Error()
	trace := ""
	var apiErr *lua.ApiError
	if errors.As(err, &apiErr) {
		msg = L.ToStringMeta(apiErr.Object).String()
		trace = apiErr.StackTrace
	}
	L.SetTop(0)
	L.Push(lua.LFalse)
	if trace != "" {
		L.Push(lua.LString("error: " + msg + "\n" + trace))
	} else {
		L.Push(lua.LString("error: " + msg))
	}
	return 2
}

// sillyExit is silly.exit([status]): drops every queued task, turns
// task.fork and task.wakeup into no-ops, ends the runtime with status, and
// never returns to the caller.
func (s *state) sillyExit(L *lua.LState) int {
	code := int64(0)
	if L.Get(1) != lua.LNil {
		code = luaarg.GoFloats.CheckInteger(L, 1, "exit")
	}
	s.exit(int(code))
	return 0
}

func (s *state) exit(code int) {
	s.exited = true
	s.rt.Exit(code)
	if s.rt.Current() != nil {
		s.rt.ExitTask()
	}
}
