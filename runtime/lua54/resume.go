package lua54

import (
	"reflect"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// This file serves tasks driven by LState.Resume instead of PCall (a task
// whose thread can be parked without its goroutine, see runtime.Task.Park):
// the same 5.4 wording and upvalue repairs PCall's error function makes,
// done from the thread's Panic hook, and the one fact about a Go
// function's call a resumed thread needs and gopher-lua does not export.

// nretOffset is callFrame.NRet's offset, found once like frame's fields.
var nretOffset, nretOK = func() (uintptr, bool) {
	sf, found := reflect.TypeOf(lua.Debug{}).FieldByName("frame")
	if !found || sf.Type.Kind() != reflect.Pointer {
		return 0, false
	}
	nf, found := sf.Type.Elem().FieldByName("NRet")
	if !found || nf.Type.Kind() != reflect.Int {
		return 0, false
	}
	return nf.Offset, frame.ok
}()

// WantedResults returns how many results the caller of the Go function
// running on L (level 0) expects: a count, or lua.MultRet (-1) when it
// takes them all. ok is false when gopher-lua's layout is not the one this
// package knows. A Go function that yields must leave exactly that many
// values for its caller when its thread is resumed: gopher-lua copies a
// resumed thread's values to the caller's registers without adjusting
// their number.
func WantedResults(L *lua.LState) (n int, ok bool) {
	if !nretOK {
		return 0, false
	}
	dbg, found := L.GetStack(0)
	if !found {
		return 0, false
	}
	cf := *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(dbg), frame.debugFrame))
	if cf == nil {
		return 0, false
	}
	return *(*int)(unsafe.Add(cf, nretOffset)), true
}

// AtUncaughtRaise is what PCall's error function does at the point of an
// error, for an error nothing catches on a thread run by LState.Resume
// (called from the thread's Panic hook, before the stack unwinds): it
// returns the error value with a VM message given Lua 5.4's wording, and
// closes the upvalues of every frame on the thread so that closures that
// outlive it keep the values they captured.
func AtUncaughtRaise(L *lua.LState) lua.LValue {
	v := L.Get(-1)
	if msg, ok := v.(lua.LString); ok {
		if t, ok := translateRaised(L, 0, string(msg)); ok {
			v = lua.LString(t)
		}
	}
	closeUpvaluesFrom(L, 0)
	return v
}

// GoPanicStack returns the goroutine's stack when called while a Go panic
// (not a Lua error) is being handled, as PCall's error function reports
// it; nil otherwise.
func GoPanicStack() []byte { return goPanicStack() }
