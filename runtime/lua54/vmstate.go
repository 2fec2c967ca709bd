package lua54

// This file is the one place that reads or writes gopher-lua's unexported
// state through unsafe pointers, at field offsets found by reflect once.
// (lua54lib's next also reads an LTable's key index, read-only, through
// reflect's safe API: see everKey in runtime/lua54lib/iter.go.)
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

// frame holds the offsets raisingOperands needs to find the instruction an
// error was raised by and the values it operated on, computed once like vm.
var frame = findFrameFields()

type frameFields struct {
	debugFrame uintptr // Debug.frame *callFrame
	fn         uintptr // callFrame.Fn *LFunction
	pc         uintptr // callFrame.Pc int: the next instruction
	localBase  uintptr // callFrame.LocalBase int: register 0
	regArray   uintptr // registry.array []LValue
	ok         bool
}

func findFrameFields() frameFields {
	var f frameFields
	var ok [5]bool
	debug := reflect.TypeOf(lua.Debug{})
	if sf, found := debug.FieldByName("frame"); found && len(sf.Index) == 1 &&
		sf.Type.Kind() == reflect.Pointer && sf.Type.Elem().Kind() == reflect.Struct {
		f.debugFrame, ok[0] = sf.Offset, true
		cf := sf.Type.Elem()
		if sf, found := cf.FieldByName("Fn"); found && sf.Type == reflect.TypeOf((*lua.LFunction)(nil)) {
			f.fn, ok[1] = sf.Offset, true
		}
		if sf, found := cf.FieldByName("Pc"); found && sf.Type.Kind() == reflect.Int {
			f.pc, ok[2] = sf.Offset, true
		}
		if sf, found := cf.FieldByName("LocalBase"); found && sf.Type.Kind() == reflect.Int {
			f.localBase, ok[3] = sf.Offset, true
		}
	}
	if sf, found := reflect.TypeOf(lua.LState{}).FieldByName("reg"); found && sf.Type.Kind() == reflect.Pointer {
		if sf, found := sf.Type.Elem().FieldByName("array"); found && sf.Type == reflect.TypeOf([]lua.LValue(nil)) {
			f.regArray, ok[4] = sf.Offset, true
		}
	}
	f.ok = vm.ok && ok == [5]bool{true, true, true, true, true}
	return f
}

// raisingOperands returns the opcode of the instruction the Lua function at
// level of L's call stack is executing and the values it operates on, as
// far as vmErrors needs them: RK(B), RK(C) of an arithmetic or comparison,
// R(B) of OP_UNM and OP_LEN, R(A) of a call, the three control values of
// OP_FORPREP and OP_FORLOOP. isLua is false when that function is a Go
// function (or cannot be read); ok is false for an instruction it does not
// know. It must run before the stack unwinds (in PCall's error
// function), while the registers still hold the operands.
func raisingOperands(L *lua.LState, level int) (op int, vals []lua.LValue, isLua, ok bool) {
	if !frame.ok {
		return 0, nil, false, false
	}
	dbg, found := L.GetStack(level)
	if !found {
		return 0, nil, false, false
	}
	cf := *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(dbg), frame.debugFrame))
	if cf == nil {
		return 0, nil, false, false
	}
	fn := *(**lua.LFunction)(unsafe.Add(cf, frame.fn))
	pc := *(*int)(unsafe.Add(cf, frame.pc))
	if fn == nil || fn.IsG || fn.Proto == nil || pc < 1 || pc > len(fn.Proto.Code) {
		return 0, nil, false, false
	}
	base := *(*int)(unsafe.Add(cf, frame.localBase))
	reg := *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(L), vm.reg))
	array := *(*[]lua.LValue)(unsafe.Add(reg, frame.regArray))
	inst := fn.Proto.Code[pc-1]
	op = int(inst >> 26)
	a, b, c := int(inst>>18)&0xff, int(inst&0x1ff), int(inst>>9)&0x1ff
	r := func(i int) lua.LValue {
		if i := base + i; i >= 0 && i < len(array) && array[i] != nil {
			return array[i]
		}
		ok = false
		return lua.LNil
	}
	rk := func(i int) lua.LValue {
		const isK = 1 << 8
		if i&isK == 0 {
			return r(i)
		}
		if k := i &^ isK; k < len(fn.Proto.Constants) {
			return fn.Proto.Constants[k]
		}
		ok = false
		return lua.LNil
	}
	ok = true
	switch op {
	case lua.OP_ADD, lua.OP_SUB, lua.OP_MUL, lua.OP_DIV, lua.OP_MOD, lua.OP_POW, lua.OP_LT, lua.OP_LE:
		vals = []lua.LValue{rk(b), rk(c)}
	case lua.OP_UNM, lua.OP_LEN:
		vals = []lua.LValue{r(b)}
	case lua.OP_CALL, lua.OP_TAILCALL, lua.OP_TFORLOOP:
		vals = []lua.LValue{r(a)}
	case lua.OP_FORPREP, lua.OP_FORLOOP:
		vals = []lua.LValue{r(a), r(a + 1), r(a + 2)}
	default:
		return op, nil, true, false
	}
	return op, vals, true, ok
}
