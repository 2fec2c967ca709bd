package lua54lib

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

// newVM returns a VM with the library open and warnings going to w.
func newVM(t testing.TB, w *bytes.Buffer) *lua.LState {
	t.Helper()
	L := lua.NewState()
	t.Cleanup(L.Close)
	OpenWithOptions(L, Options{Stderr: w})
	return L
}

// eval runs "return <expr>" and returns the results as strings.
func eval(t testing.TB, L *lua.LState, expr string) []string {
	t.Helper()
	top := L.GetTop()
	if err := L.DoString("return " + expr); err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	var out []string
	for i := top + 1; i <= L.GetTop(); i++ {
		out = append(out, L.ToStringMeta(L.Get(i)).String())
	}
	L.SetTop(top)
	return out
}

func TestEvalTable(t *testing.T) {
	L := newVM(t, nil)
	cases := []struct{ expr, want string }{
		{`math.type(1), math.type(1.5), math.type("1")`, "integer float nil"},
		{`math.maxinteger, math.mininteger`, "9223372036854774784 -9223372036854775808"},
		{`math.type(math.maxinteger), math.maxinteger + 1 == math.maxinteger`, "integer true"},
		{`math.tointeger(2^53), math.tointeger(2^63)`, "9007199254740992 nil"},
		{`("x"):rep(3, ",")`, "x,x,x"},
		{`("%5.1f|%q"):format(2.25, "a")`, `  2.2|"a"`},
		{`string.unpack(">I2", ("\1\0"))`, "256 3"},
		{`#string.pack(">I4I4", 1, 2), string.packsize("<i4 x d")`, "8 13"},
		{`table.unpack({1, 2, 3}, 2)`, "2 3"},
		{`select("#", table.unpack({}, 1, 3))`, "3"},
		{`utf8.len("h\195\164"), utf8.char(228) == "\195\164"`, "2 true"},
		{`select(2, coroutine.running())`, "true"},
		{`pcall(string.pack)`, "false bad argument #1 to 'string.pack' (string expected, got no value)"},
	}
	for _, c := range cases {
		if got := strings.Join(eval(t, L, c.expr), " "); got != c.want {
			t.Errorf("%s = %q, want %q", c.expr, got, c.want)
		}
	}
}

func TestErrorPositionAndName(t *testing.T) {
	L := newVM(t, nil)
	err := L.DoString("local p = string.pack\nlocal x = 1\np('i2', 70000)")
	if err == nil {
		t.Fatal("no error for pack overflow")
	}
	want := "<string>:3: bad argument #2 to 'p' (integer overflow)"
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not contain %q", err.Error(), want)
	}
}

// TestPackIntegerRoundTrip checks the documented float64 contract: 64-bit
// integer formats round-trip every integer with |v| <= 2^53 exactly.
func TestPackIntegerRoundTrip(t *testing.T) {
	L := newVM(t, nil)
	values := []float64{0, 1, -1, 255, -256, 1 << 31, -(1 << 31), 1<<53 - 1, 1 << 53, -(1 << 53), 123456789012345}
	for _, f := range []string{"<j", ">j", "<i8", ">i8", "<J", ">J", "<i16", ">i12"} {
		for _, v := range values {
			L.SetGlobal("v", lua.LNumber(v))
			got := eval(t, L, fmt.Sprintf(`string.unpack(%q, string.pack(%q, v)) == v`, f, f))
			if got[0] != "true" {
				t.Errorf("%s: %v does not round-trip", f, v)
			}
		}
	}
}

func TestPackUnsignedAboveInt64(t *testing.T) {
	L := newVM(t, nil)
	// 2^64-2048 is integral but beyond int64: unsigned formats take it.
	got := eval(t, L, `string.pack(">J", 2^64 - 2048) == "\255\255\255\255\255\255\248\0"`)
	if got[0] != "true" {
		t.Fatal("J of 2^64-2048 did not pack as its uint64 value")
	}
	if err := L.DoString(`string.pack(">j", 2^63)`); err == nil ||
		!strings.Contains(err.Error(), "number has no integer representation") {
		t.Fatalf("j of 2^63: %v", err)
	}
}

func TestWarn(t *testing.T) {
	var w bytes.Buffer
	L := newVM(t, &w)
	if err := L.DoString(`warn("a") warn("@on") warn("b", "c") warn("@off") warn("d")`); err != nil {
		t.Fatal(err)
	}
	if w.String() != "Lua warning: bc\n" {
		t.Fatalf("warn output %q", w.String())
	}
	var w2 bytes.Buffer
	L2 := lua.NewState()
	defer L2.Close()
	OpenWithOptions(L2, Options{Stderr: &w2, Warnings: true})
	if err := L2.DoString(`warn("x")`); err != nil {
		t.Fatal(err)
	}
	if w2.String() != "Lua warning: x\n" {
		t.Fatalf("warn with Warnings on: %q", w2.String())
	}
}

func TestCollectGarbageCount(t *testing.T) {
	L := newVM(t, nil)
	before := eval(t, L, `collectgarbage("count")`)
	if err := L.DoString(`big = {} for i = 1, 200000 do big[i] = {i} end`); err != nil {
		t.Fatal(err)
	}
	var b, a float64
	fmt.Sscan(before[0], &b)
	fmt.Sscan(eval(t, L, `collectgarbage("count")`)[0], &a)
	if !(a > b) {
		t.Fatalf("count did not grow after allocating: %v -> %v", b, a)
	}
}

// TestAbandonedCoroutinesEnd checks that suspended coroutines the script
// drops do not keep their goroutines (or their records) alive: 10,000
// generators broken out of after their first value must all go away.
func TestAbandonedCoroutinesEnd(t *testing.T) {
	L := lua.NewState()
	defer L.Close()
	vm := openCoroutine(L, Options{})
	start := runtime.NumGoroutine()
	// The generators are kept until their goroutines are counted, then
	// dropped.
	if err := L.DoString(`
		keep = {}
		local function gen() for j = 1, 3 do coroutine.yield(j) end end
		for i = 1, 10000 do
			local g = coroutine.wrap(gen)
			assert(g() == 1)
			keep[#keep + 1] = g
			coroutine.resume(coroutine.create(function() error("x") end))
			local co = coroutine.create(function() coroutine.yield() end)
			coroutine.resume(co)
			keep[#keep + 1] = co
		end`); err != nil {
		t.Fatal(err)
	}
	if n := runtime.NumGoroutine() - start; n < 19000 {
		t.Fatalf("only %d goroutines more after 20,000 suspended coroutines", n)
	}
	if err := L.DoString(`keep = nil`); err != nil {
		t.Fatal(err)
	}
	L.SetTop(0)
	records := func() int {
		vm.mu.Lock()
		defer vm.mu.Unlock()
		return len(vm.handles) + len(vm.workers)
	}
	// A few may stay reachable from stale registers of the main thread.
	const slack = 10
	deadline := time.Now().Add(20 * time.Second)
	for (runtime.NumGoroutine() > start+slack || records() > slack) && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > start+slack {
		t.Fatalf("%d goroutines left (%d at start)", n, start)
	}
	if n := records(); n > slack {
		t.Fatalf("%d coroutine records survived their coroutines", n)
	}
}

// TestVMsAreIndependent runs the library in several VMs at once; with -race
// it shows there is no shared mutable state between VMs.
func TestVMsAreIndependent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var w bytes.Buffer
			L := lua.NewState()
			defer L.Close()
			OpenWithOptions(L, Options{Stderr: &w})
			src := fmt.Sprintf(`
				math.randomseed(%d)
				warn("@on")
				for i = 1, 200 do
					local s = string.pack(">I2s1", i, "x")
					assert(string.unpack(">I2", s) == i)
					assert(utf8.len(utf8.char(i, 8364)) == 2)
					local co = coroutine.create(function() error("e") end)
					coroutine.resume(co)
					assert(select(2, coroutine.close(co)):find("e"))
				end
				warn("done")`, g)
			if err := L.DoString(src); err != nil {
				errs <- err
				return
			}
			if w.String() != "Lua warning: done\n" {
				errs <- fmt.Errorf("vm %d warn output %q", g, w.String())
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestFloatToInteger(t *testing.T) {
	cases := []struct {
		f  float64
		ok bool
	}{
		{0, true}, {math.Copysign(0, -1), true}, {1.5, false}, {math.Inf(1), false}, {math.NaN(), false},
		{-twoTo63, true}, {twoTo63, false}, {maxInteger, true}, {1 << 53, true},
	}
	for _, c := range cases {
		if _, ok := lua54.FloatToInt(c.f); ok != c.ok {
			t.Errorf("lua54.FloatToInt(%v) ok = %v, want %v", c.f, ok, c.ok)
		}
	}
}

// FuzzUnpack feeds arbitrary formats and data to string.unpack and
// string.pack: every failure must be a Lua error, never a Go panic.
func FuzzUnpack(f *testing.F) {
	for _, s := range [][2]string{
		{">I2", "\x01\x00"}, {"<!4 b i4", "\x01\x00\x00\x00\x02\x00\x00\x00"}, {"z", "ab\x00"},
		{"s1", "\x05ab"}, {"Xi4", ""}, {"i16", strings.Repeat("\xff", 16)}, {"c3", "abc"},
		{"!8 b Xd d", strings.Repeat("\x00", 16)}, {"i17", ""}, {"c99999", "x"},
	} {
		f.Add(s[0], s[1])
	}
	L := lua.NewState()
	defer L.Close()
	Open(L)
	unpack := L.GetField(L.GetGlobal("string"), "unpack")
	pack := L.GetField(L.GetGlobal("string"), "pack")
	f.Fuzz(func(t *testing.T, format, data string) {
		for _, fn := range []lua.LValue{unpack, pack} {
			err := L.CallByParam(lua.P{Fn: fn, NRet: lua.MultRet, Protect: true},
				lua.LString(format), lua.LString(data), lua.LNumber(1))
			L.SetTop(0)
			if err == nil {
				continue
			}
			msg := err.Error()
			if strings.Contains(msg, "runtime error") || strings.Contains(msg, "goroutine") {
				t.Fatalf("format %q data %q: Go panic: %s", format, data, msg)
			}
		}
	})
}
