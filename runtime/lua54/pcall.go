package lua54

import (
	"errors"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	lua "github.com/yuin/gopher-lua"
)

// handlerCalls bounds how often a message handler that keeps raising is
// called again with its own error (Lua 5.4 calls it again until its C stack
// overflows: 215 calls from a shallow stack in lua5.4) before the error
// becomes "error in error handling".
const handlerCalls = 215

// PCall calls the function below the top nargs values of L's stack in
// protected mode, as LState.PCall does, and leaves nret results (all with
// lua.MultRet) or, on error, nothing. Every protected call of golua-ws goes
// through it or PCallValue: pcall, xpcall, <close> scopes, the runtime's
// tasks and the modules' callbacks.
//
// A message gopher-lua's VM raises in its own words ("cannot perform add
// operation between table and number") is given Lua 5.4's wording first
// (see vmerrors.go), so that handlers, pcall and coroutine.resume results
// and uncaught-error reports all see 5.4's text.
//
// It repairs gopher-lua v1.1.2's handling of upvalues around errors:
//
//   - an error raised under it leaves the upvalues of the frames that
//     outlive it open (gopher-lua closes those of every frame on the
//     thread when no error function is set; see vmstate.go);
//   - the upvalues of the frames the error unwinds are closed at the point
//     of the error, so a closure created inside the failed call keeps the
//     values it captured when those stack slots are cleared and reused.
//
// With a non-nil handler, the handler is called with the error value at the
// point of the error, before the stack unwinds, and its first result becomes
// the error's Object; if a Lua handler raises, it is called again with the
// new error, as Lua 5.4 does, and after handlerCalls attempts the error is
// "error in error handling". A Lua handler sees one Go frame (this
// function's error function) between itself and the function that raised,
// which shows in the tracebacks it builds; a Go handler without upvalues,
// such as debug.traceback, runs in that frame and sees none. Without one, the error carries gopher-lua's traceback in
// its StackTrace field.
func PCall(L *lua.LState, nargs, nret int, handler *lua.LFunction) error {
	return protectedCall(L, nargs, nret, handler, handler == nil)
}

// PCallValue is PCall without a handler for callers that need only the
// error value, such as Lua's pcall: it does not build the traceback.
func PCallValue(L *lua.LState, nargs, nret int) error {
	return protectedCall(L, nargs, nret, nil, false)
}

// errorFunc is the error function PCall gives gopher-lua, with what it
// needs to know about its call. gopher-lua calls it at the point of the
// error, before it unwinds the stack and clears the slots, after clearing
// hasErrorFunc.
type errorFunc struct {
	fn      *lua.LFunction // calls run, built once per errorFunc
	from    int            // first stack slot of the called function's frames
	handler *lua.LFunction
	trace   bool
	ran     bool
}

// errorFuncs recycles error functions: a protected call that succeeds then
// allocates nothing. An errorFunc holds no Lua value while it is pooled.
var errorFuncs sync.Pool

func protectedCall(L *lua.LState, nargs, nret int, handler *lua.LFunction, trace bool) error {
	ef, _ := errorFuncs.Get().(*errorFunc)
	if ef == nil {
		ef = &errorFunc{}
		ef.fn = &lua.LFunction{IsG: true, GFunction: ef.run}
	}
	ef.fn.Env = L.Env
	ef.from = stackTop(L) - nargs
	ef.handler = handler
	ef.trace = trace
	ef.ran = false
	old := setErrorFunc(L, true)
	err := L.PCall(nargs, nret, ef.fn)
	setErrorFunc(L, old)
	if err != nil {
		if !ef.ran {
			// gopher-lua could not call the error function (the call stack
			// was full): the slots are cleared already, but closing the
			// upvalues still keeps them from seeing what reuses the slots.
			closeUpvaluesFrom(L, ef.from)
		} else if trace {
			dropTopFrame(err)
		}
	}
	ef.fn.Env = nil
	ef.handler = nil
	errorFuncs.Put(ef)
	return err
}

func (ef *errorFunc) run(L *lua.LState) int {
	ef.ran = true
	setErrorFunc(L, true)
	if msg, ok := L.Get(1).(lua.LString); ok {
		// Level 1 is the function that raised (level 0 is this one); its
		// registers still hold the operands the 5.4 message names.
		if t, ok := translateRaised(L, 1, string(msg)); ok {
			L.Replace(1, lua.LString(t))
		}
	}
	closeUpvaluesFrom(L, ef.from)
	if h := ef.handler; h != nil && !IsCloseSignal(L.Get(1)) {
		if h.IsG && len(h.Upvalues) == 0 {
			// A Go handler such as debug.traceback runs in this frame, as
			// if gopher-lua had called it: its level 1 is the function that
			// raised, so a traceback has no line for this function. An
			// error it raises is the call's error (it is not called again).
			ef.fn.Env = h.Env
			return h.GFunction(L)
		}
		return callHandler(L, h)
	}
	if ef.trace {
		if msg, ok := L.Get(1).(lua.LString); ok {
			if stack := goPanicStack(); stack != nil {
				// A Go panic in a binding: gopher-lua kept only its value;
				// the report needs where it happened, in Go.
				L.Replace(1, lua.LString(string(msg)+"\nGo panic: "+strings.TrimRight(string(stack), "\n")))
			}
		}
		// Raising the value again gives it the traceback gopher-lua gives
		// an error caught without an error function.
		L.Error(L.Get(1), 0)
	}
	return 1
}

// callHandler calls handler with the error value (stack slot 1), again
// with its own error while it raises one.
func callHandler(L *lua.LState, handler *lua.LFunction) int {
	msg := L.Get(1)
	for range handlerCalls {
		L.Push(handler)
		L.Push(msg)
		err := PCallValue(L, 1, 1)
		if err == nil {
			return 1
		}
		msg = ErrorValue(err)
	}
	L.Push(lua.LString("error in error handling"))
	return 1
}

// dropTopFrame removes the error function's own line ("[G]: in function
// (anonymous)") from the top of the traceback of an error it raised again.
func dropTopFrame(err error) {
	var apiErr *lua.ApiError
	if !errors.As(err, &apiErr) {
		return
	}
	const head = "stack traceback:\n\t"
	st := apiErr.StackTrace
	if !strings.HasPrefix(st, head) {
		return
	}
	if i := strings.Index(st[len(head):], "\n\t"); i >= 0 {
		apiErr.StackTrace = head + st[len(head)+i+2:]
	}
}

// ErrorValue is the Lua value an error from PCall carries: the value given
// to error() unchanged (a table, nil, a number...), or the message of an
// error that carries no value (not a *lua.ApiError).
func ErrorValue(err error) lua.LValue {
	var apiErr *lua.ApiError
	if errors.As(err, &apiErr) && apiErr.Object != nil {
		return apiErr.Object
	}
	return lua.LString(err.Error())
}

// goPanicStack returns the goroutine's stack when the error being handled
// is a Go panic (a binding's bug: a nil dereference, an index out of range,
// a panic call) rather than a Lua error, which gopher-lua raises with a
// panic of its own; nil otherwise. gopher-lua calls the error function
// while the panic is still being handled, so the stack still holds the
// frames that panicked.
func goPanicStack() []byte {
	var pcs [64]uintptr
	n := runtime.Callers(2, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if f.Function == "runtime.gopanic" {
			// The frame that panicked: gopher-lua raising a Lua error, or
			// Go code failing (the runtime's own panicmem and the like
			// count as Go).
			next, _ := frames.Next()
			if strings.HasPrefix(next.Function, "github.com/yuin/gopher-lua.") {
				return nil
			}
			return debug.Stack()
		}
		if !more {
			return nil
		}
	}
}
