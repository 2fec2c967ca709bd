package lua54

import (
	"reflect"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// allocFields holds the offsets of the two pointers to a state's number
// allocator (LState.alloc and its registry's alloc), found once by
// reflection like frame's fields; ok is false when gopher-lua's layout is
// not the one this file knows.
var allocFields = func() (f struct {
	state, reg, regAlloc uintptr
	ok                   bool
}) {
	st := reflect.TypeOf(lua.LState{})
	alloc, found := st.FieldByName("alloc")
	if !found || alloc.Type.Kind() != reflect.Pointer {
		return f
	}
	reg, found := st.FieldByName("reg")
	if !found || reg.Type.Kind() != reflect.Pointer || reg.Type.Elem().Kind() != reflect.Struct {
		return f
	}
	regAlloc, found := reg.Type.Elem().FieldByName("alloc")
	if !found || regAlloc.Type != alloc.Type {
		return f
	}
	f.state, f.reg, f.regAlloc, f.ok = alloc.Offset, reg.Offset, regAlloc.Offset, true
	return f
}()

// ShareAllocator makes th box its numbers with from's allocator and
// reports whether it could. Token required, and th must not have run yet.
//
// gopher-lua gives every state an allocator of its own that hands out
// float64 cells from 256-byte blocks, and a block lives as long as any of
// its cells: a connection's task that boxes a single number (a payload
// limit of 16 MiB, say) keeps its thread's whole block for the
// connection's life. The states of one runtime only run while holding its
// token, one at a time, so one allocator serves them all safely; a shared
// block is freed when all of its 32 cells are.
func ShareAllocator(th, from *lua.LState) bool {
	if !allocFields.ok || th == nil || from == nil {
		return false
	}
	src := *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(from), allocFields.state))
	reg := *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(th), allocFields.reg))
	if src == nil || reg == nil {
		return false
	}
	*(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(th), allocFields.state)) = src
	*(*unsafe.Pointer)(unsafe.Add(reg, allocFields.regAlloc)) = src
	return true
}
