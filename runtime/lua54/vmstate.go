package lua54

// This file is the one place that reads or writes gopher-lua's unexported
// state, through field offsets found by reflect once and unsafe pointers.
//
// gopher-lua v1.1.2 closes the open upvalues of every frame of a thread
// (closeAllUpvalues) when an error is raised while the thread's
// hasErrorFunc flag is false, and LState.PCall sets that flag to false
// whenever it returns. A caught error then detaches every closure of the
// callers from their live locals (yuin/gopher-lua#448). While the flag is
// true, nothing closes the upvalues of the frames the error unwinds, and
// PCall clears their stack slots: a closure created inside the failed call
// reads nil, then whatever reuses the slot. No exported API reaches the flag
// or the list of open upvalues, hence this file; see PCall for how it is
// used.
//
// If a gopher-lua release renames a field or changes its type, vmFields
// reports ok == false, every function here does nothing (the thread keeps
// gopher-lua's own behaviour) and TestVMFields fails: nothing is ever read
// or written at a guessed offset.

import (
	"reflect"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// vm holds the offsets, computed once at package initialisation and never
// changed afterwards.
var vm = findVMFields()

type vmFields struct {
	hasErrorFunc uintptr // LState.hasErrorFunc bool
	uvcache      uintptr // LState.uvcache *Upvalue: open upvalues, sorted by index
	reg          uintptr // LState.reg *registry
	regTop       uintptr // registry.top int: first free stack slot
	uvNext       uintptr // Upvalue.next *Upvalue
	uvIndex      uintptr // Upvalue.index int: the stack slot it refers to
	ok           bool
}

func findVMFields() vmFields {
	var f vmFields
	state := reflect.TypeOf(lua.LState{})
	uv := reflect.TypeOf(lua.Upvalue{})
	ptrUV := reflect.TypeOf((*lua.Upvalue)(nil))
	field := func(t reflect.Type, name string, want func(reflect.Type) bool) (uintptr, reflect.Type, bool) {
		sf, ok := t.FieldByName(name)
		if !ok || len(sf.Index) != 1 || !want(sf.Type) {
			return 0, nil, false
		}
		return sf.Offset, sf.Type, true
	}
	isKind := func(k reflect.Kind) func(reflect.Type) bool {
		return func(t reflect.Type) bool { return t.Kind() == k }
	}
	isUVPtr := func(t reflect.Type) bool { return t == ptrUV }
	var ok [6]bool
	var regType reflect.Type
	f.hasErrorFunc, _, ok[0] = field(state, "hasErrorFunc", isKind(reflect.Bool))
	f.uvcache, _, ok[1] = field(state, "uvcache", isUVPtr)
	f.reg, regType, ok[2] = field(state, "reg", func(t reflect.Type) bool {
		return t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct
	})
	if ok[2] {
		f.regTop, _, ok[3] = field(regType.Elem(), "top", isKind(reflect.Int))
	}
	f.uvNext, _, ok[4] = field(uv, "next", isUVPtr)
	f.uvIndex, _, ok[5] = field(uv, "index", isKind(reflect.Int))
	f.ok = ok == [6]bool{true, true, true, true, true, true}
	return f
}

// setErrorFunc sets L's hasErrorFunc flag and returns its previous value.
// While it is true, an error raised on L leaves every upvalue open.
func setErrorFunc(L *lua.LState, on bool) bool {
	if !vm.ok {
		return false
	}
	p := (*bool)(unsafe.Add(unsafe.Pointer(L), vm.hasErrorFunc))
	old := *p
	*p = on
	return old
}

// stackTop is the absolute index of L's first free stack slot, or -1.
func stackTop(L *lua.LState) int {
	if !vm.ok {
		return -1
	}
	reg := *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(L), vm.reg))
	return *(*int)(unsafe.Add(reg, vm.regTop))
}

// closeUpvaluesFrom closes L's open upvalues that refer to stack slot from
// or above, as gopher-lua does when a frame returns: each keeps its current
// value, and leaves the list of open upvalues.
func closeUpvaluesFrom(L *lua.LState, from int) {
	if !vm.ok || from < 0 {
		return
	}
	link := (**lua.Upvalue)(unsafe.Add(unsafe.Pointer(L), vm.uvcache))
	for uv := *link; uv != nil; uv = *link {
		if *(*int)(unsafe.Add(unsafe.Pointer(uv), vm.uvIndex)) >= from {
			// Sorted by index: this one and all after it go.
			*link = nil
			for uv != nil {
				next := *(**lua.Upvalue)(unsafe.Add(unsafe.Pointer(uv), vm.uvNext))
				uv.Close()
				if uv.Value() == nil {
					// A slot gopher-lua cleared (to Go nil, past the top).
					uv.SetValue(lua.LNil)
				}
				uv = next
			}
			return
		}
		link = (**lua.Upvalue)(unsafe.Add(unsafe.Pointer(uv), vm.uvNext))
	}
}
