package lua54

import (
	"testing"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

// allocOf returns the allocator pointers of L and of its registry.
func allocOf(L *lua.LState) (state, reg unsafe.Pointer) {
	state = *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(L), allocFields.state))
	r := *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(L), allocFields.reg))
	return state, *(*unsafe.Pointer)(unsafe.Add(r, allocFields.regAlloc))
}

func TestShareAllocator(t *testing.T) {
	if !allocFields.ok {
		t.Fatal("gopher-lua's LState layout is not the one ShareAllocator knows")
	}
	L := lua.NewState()
	defer L.Close()
	th, _ := L.NewThread()
	if s, r := allocOf(th); s != r {
		t.Fatal("a new thread's registry and state use different allocators")
	}
	main, _ := allocOf(L)
	if s, _ := allocOf(th); s == main {
		t.Fatal("a new thread already shares its parent's allocator: the test proves nothing")
	}
	if !ShareAllocator(th, L) {
		t.Fatal("ShareAllocator refused")
	}
	if s, r := allocOf(th); s != main || r != main {
		t.Fatalf("after ShareAllocator: state %p, registry %p, want both %p", s, r, main)
	}
	// Numbers boxed by both states, interleaved, keep their values.
	fn, err := th.LoadString(`local t = ... ; for i = 1, 100 do t[#t + 1] = i + 0.5 end`)
	if err != nil {
		t.Fatal(err)
	}
	tbl := L.NewTable()
	for range 3 {
		th.Push(fn)
		th.Push(tbl)
		th.Call(1, 0)
		if err := L.DoString(`x = (x or 0) + 1.25`); err != nil {
			t.Fatal(err)
		}
	}
	if n := tbl.Len(); n != 300 {
		t.Fatalf("%d values", n)
	}
	for i := 1; i <= 300; i++ {
		want := lua.LNumber((i-1)%100+1) + 0.5
		if got := tbl.RawGetInt(i); got != want {
			t.Fatalf("t[%d] = %v, want %v", i, got, want)
		}
	}
	if x := L.GetGlobal("x"); x != lua.LNumber(3.75) {
		t.Fatalf("x = %v", x)
	}
}
