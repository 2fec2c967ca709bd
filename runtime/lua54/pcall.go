package lua54

import (
	"errors"
	"strings"

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
// through it: pcall, xpcall, <close> scopes, the runtime's tasks and the
// modules' callbacks.
//
// It repairs gopher-lua v1.1.2's handling of upvalues around errors:
//
//   - an error raised under it leaves the upvalues of the frames that
//     outlive it open (gopher-lua closes those of every frame on the
//     thread when no error function is set; see errflag.go);
//   - after an error, the upvalues of the frames it unwound are closed, so a
//     closure created inside the failed call keeps the values it captured
//     when those stack slots are reused.
//
// With a non-nil handler, the handler is called with the error value at the
// point of the error, before the stack unwinds, and its first result becomes
// the error's Object; if it raises, it is called again with the new error,
// as Lua 5.4 does, and after handlerCalls attempts the error is "error in
// error handling". Without one, the error carries gopher-lua's traceback in
// its StackTrace field.
func PCall(L *lua.LState, nargs, nret int, handler *lua.LFunction) error {
	// The first stack slot of the called function's frames.
	from := stackTop(L) - nargs
	old := setErrorFunc(L, true)
	// gopher-lua calls its error function at the point of the error, before
	// it unwinds the stack and clears the slots; it clears hasErrorFunc
	// just before.
	ran := false
	errfunc := L.NewFunction(func(L *lua.LState) int {
		ran = true
		setErrorFunc(L, true)
		closeUpvaluesFrom(L, from)
		if handler != nil {
			return callHandler(L, handler)
		}
		// Raising the value again gives it the traceback gopher-lua gives
		// an error caught without an error function.
		L.Error(L.Get(1), 0)
		return 0
	})
	err := L.PCall(nargs, nret, errfunc)
	setErrorFunc(L, old)
	if err != nil {
		if !ran {
			// gopher-lua could not call the error function (the call stack
			// was full): the slots are cleared already, but closing the
			// upvalues still keeps them from seeing what reuses the slots.
			closeUpvaluesFrom(L, from)
		} else if handler == nil {
			dropTopFrame(err)
		}
	}
	return err
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

// callHandler calls handler with the error value (stack slot 1), again
// with its own error while it raises one.
func callHandler(L *lua.LState, handler *lua.LFunction) int {
	msg := L.Get(1)
	for range handlerCalls {
		L.Push(handler)
		L.Push(msg)
		err := PCall(L, 1, 1, nil)
		if err == nil {
			return 1
		}
		msg = ErrorValue(err)
	}
	L.Push(lua.LString("error in error handling"))
	return 1
}

// ErrorValue is the Lua value an error from PCall carries: the value given
// to error() unchanged (a table, nil, a number...), or the message of an
// error that is not a *lua.ApiError.
func ErrorValue(err error) lua.LValue {
	var apiErr *lua.ApiError
	if errors.As(err, &apiErr) {
		if apiErr.Object == nil {
			return lua.LNil
		}
		return apiErr.Object
	}
	return lua.LString(err.Error())
}
