package lua54lib

import (
	"io"
	"runtime"
	"runtime/metrics"
	"strings"

	"github.com/golua-ws/golua-ws/runtime/lua54"
	lua "github.com/yuin/gopher-lua"
)

func openBase(L *lua.LState, stderr io.Writer, warnings bool, warn func(*lua.LState, string)) {
	g := L.G.Global
	gc := &gcState{running: true, mode: "incremental", pause: 200, stepmul: 100}
	w := &warnState{out: stderr, on: warnings, to: warn}
	g.RawSetString("_VERSION", lua.LString("Lua 5.4"))
	removeLua51(g)
	openIter(L, g)
	register(L, g, map[string]lua.LGFunction{
		"error":        baseError,
		"assert":       baseAssert,
		"tostring":     baseToString,
		"tonumber":     baseToNumber,
		"type":         baseType,
		"rawequal":     baseRawEqual,
		"rawget":       baseRawGet,
		"rawset":       baseRawSet,
		"setmetatable": baseSetMetatable,
		"getmetatable": baseGetMetatable,
		"select":       baseSelect,
		"pcall":        basePCall,
		"xpcall":       baseXPCall,
		"rawlen":       baseRawLen,
		"collectgarbage": func(L *lua.LState) int {
			return baseCollectGarbage(L, gc)
		},
		"warn": func(L *lua.LState) int {
			return baseWarn(L, w)
		},
	})
}

// baseSelect is 5.4's select: select('#', ...) or the arguments from
// index n on, a negative n counting from the end.
func baseSelect(L *lua.LState) int {
	n := int64(L.GetTop())
	if s, ok := L.Get(1).(lua.LString); ok && len(s) > 0 && s[0] == '#' {
		L.Push(lua.LNumber(float64(n - 1)))
		return 1
	}
	i := checkInteger(L, 1, "select")
	if i < 0 {
		i = n + i
	} else if i > n {
		i = n
	}
	if i < 1 {
		argError(L, 1, "select", "index out of range")
	}
	return int(n - i)
}

// baseError is 5.4's error([message [, level]]): no message raises nil,
// and a string message gets the position of the function at the given
// level only when that function is a Lua function (gopher-lua's error
// skips Go functions, so pcall(error, "x") got its caller's position).
func baseError(L *lua.LState) int {
	obj := L.Get(1)
	level := optInteger(L, 2, "error", 1)
	if s, ok := obj.(lua.LString); ok && level > 0 {
		obj = lua.LString(where(L, int(level)) + string(s))
	}
	L.Error(obj, 0)
	return 0
}

// basePCall is pcall(f, ...) through lua54.PCallValue, which keeps the
// caller's upvalues open when the call fails (gopher-lua's own pcall closes
// those of every frame) and closes those of the failed call.
func basePCall(L *lua.LState) int {
	L.CheckAny(1)
	if fn := L.Get(1); fn.Type() != lua.LTFunction && L.GetMetaField(fn, "__call").Type() != lua.LTFunction {
		// gopher-lua's own message for this differs from 5.4's.
		L.Push(lua.LFalse)
		L.Push(lua.LString("attempt to call a " + fn.Type().String() + " value"))
		return 2
	}
	top := L.GetTop()
	if err := lua54.PCallValue(L, top-1, lua.MultRet); err != nil {
		errv := lua54.ErrorValue(err)
		if lua54.IsCloseSignal(errv) {
			// coroutine.close is unwinding this coroutine: 5.4 unwinds
			// through pcall.
			L.Error(errv, 0)
		}
		L.Push(lua.LFalse)
		L.Push(errv)
		return 2
	}
	L.Insert(lua.LTrue, 1)
	return L.GetTop()
}

// baseXPCall is 5.4's xpcall(f, msgh, ...): the extra arguments go to f.
func baseXPCall(L *lua.LState) int {
	top := L.GetTop()
	h, ok := L.Get(2).(*lua.LFunction)
	if !ok {
		typeError(L, 2, "xpcall", "function")
	}
	fn := L.Get(1)
	if fn.Type() != lua.LTFunction && L.GetMetaField(fn, "__call").Type() != lua.LTFunction {
		// gopher-lua's own message for this differs; 5.4 passes its message
		// through the handler like any other error.
		L.Push(h)
		L.Push(lua.LString("attempt to call a " + fn.Type().String() + " value"))
		if err := lua54.PCallValue(L, 1, 1); err != nil {
			L.Push(lua54.ErrorValue(err))
		}
		L.Insert(lua.LFalse, L.GetTop())
		return 2
	}
	L.Push(fn)
	for i := 3; i <= top; i++ {
		L.Push(L.Get(i))
	}
	if err := lua54.PCall(L, top-2, lua.MultRet, h); err != nil {
		errv := lua54.ErrorValue(err)
		if lua54.IsCloseSignal(errv) {
			L.Error(errv, 0) // as in pcall; the handler was not called
		}
		L.Push(lua.LFalse)
		L.Push(errv)
		return 2
	}
	L.Insert(lua.LTrue, top+1)
	return L.GetTop() - top
}

func baseRawLen(L *lua.LState) int {
	switch v := L.Get(1).(type) {
	case *lua.LTable:
		L.Push(lua.LNumber(float64(v.Len())))
	case lua.LString:
		L.Push(lua.LNumber(float64(len(v))))
	default:
		typeError(L, 1, "rawlen", "table or string")
	}
	return 1
}

// gcState is what collectgarbage reports back for one VM. Go's collector is
// shared by the whole process, so "stop" and the tuning options are recorded
// and reported but do not change how Go collects.
type gcState struct {
	running        bool
	mode           string
	pause, stepmul int64
}

// heapBytes reads the live heap size without stopping the world
// (runtime.ReadMemStats would).
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	return s[0].Value.Uint64()
}

func baseCollectGarbage(L *lua.LState, gc *gcState) int {
	const name = "collectgarbage"
	opt := optString(L, 1, name, "collect")
	switch opt {
	case "collect":
		runtime.GC()
		L.Push(lua.LNumber(0))
	case "count":
		L.Push(lua.LNumber(float64(heapBytes()) / 1024))
	case "step":
		optInteger(L, 2, name, 0)
		runtime.GC()
		L.Push(lua.LTrue) // a full Go cycle ran, so the "cycle" finished
	case "stop":
		gc.running = false
		L.Push(lua.LNumber(0))
	case "restart":
		gc.running = true
		L.Push(lua.LNumber(0))
	case "isrunning":
		L.Push(lua.LBool(gc.running))
	case "incremental", "generational":
		prev := gc.mode
		gc.mode = opt
		L.Push(lua.LString(prev))
	case "setpause":
		prev := gc.pause
		gc.pause = optInteger(L, 2, name, 0)
		L.Push(lua.LNumber(float64(prev)))
	case "setstepmul":
		prev := gc.stepmul
		gc.stepmul = optInteger(L, 2, name, 0)
		L.Push(lua.LNumber(float64(prev)))
	default:
		argError(L, 1, name, "invalid option '"+opt+"'")
	}
	return 1
}

// warnState is 5.4's default warning function state: warnings start off
// (as in the standalone lua without -W) and "@on"/"@off" switch them.
type warnState struct {
	out io.Writer
	on  bool
	to  func(*lua.LState, string) // replaces out when set
}

func baseWarn(L *lua.LState, w *warnState) int {
	n := L.GetTop()
	checkString(L, 1, "warn")
	for i := 2; i <= n; i++ {
		checkString(L, i, "warn")
	}
	first := L.ToString(1)
	if n == 1 && strings.HasPrefix(first, "@") {
		switch first {
		case "@on":
			w.on = true
		case "@off":
			w.on = false
		}
		return 0 // other control messages are ignored
	}
	if !w.on {
		return 0
	}
	var b strings.Builder
	b.WriteString("Lua warning: ")
	for i := 1; i <= n; i++ {
		b.WriteString(L.ToString(i))
	}
	if w.to != nil {
		w.to(L, strings.TrimPrefix(b.String(), "Lua warning: "))
		return 0
	}
	b.WriteByte('\n')
	_, _ = io.WriteString(w.out, b.String())
	return 0
}

// baseType is type(v), which needs an argument in 5.4.
func baseType(L *lua.LState) int {
	v := checkAny(L, 1, "type")
	L.Push(lua.LString(v.Type().String()))
	return 1
}

func baseRawEqual(L *lua.LState) int {
	checkAny(L, 1, "rawequal")
	checkAny(L, 2, "rawequal")
	L.Push(lua.LBool(L.Get(1) == L.Get(2) || rawEqualNumbers(L.Get(1), L.Get(2))))
	return 1
}

// rawEqualNumbers compares two numbers by value (LNumber is comparable
// with ==, so this only matters for interface boxing differences).
func rawEqualNumbers(a, b lua.LValue) bool {
	x, ok1 := a.(lua.LNumber)
	y, ok2 := b.(lua.LNumber)
	return ok1 && ok2 && x == y
}

func baseRawGet(L *lua.LState) int {
	t, ok := L.Get(1).(*lua.LTable)
	if !ok {
		typeError(L, 1, "rawget", "table")
	}
	L.Push(t.RawGet(checkAny(L, 2, "rawget")))
	return 1
}

func baseRawSet(L *lua.LState) int {
	t, ok := L.Get(1).(*lua.LTable)
	if !ok {
		typeError(L, 1, "rawset", "table")
	}
	k := checkAny(L, 2, "rawset")
	v := checkAny(L, 3, "rawset")
	// 5.4 raises these from inside the C function: no position.
	switch x := k.(type) {
	case *lua.LNilType:
		L.Error(lua.LString("table index is nil"), 0)
	case lua.LNumber:
		if x != x {
			L.Error(lua.LString("table index is NaN"), 0)
		}
	}
	t.RawSet(k, v)
	L.SetTop(1)
	return 1
}

// baseSetMetatable is setmetatable(t, mt) with 5.4's checks: t must be a
// table, mt nil or a table, and a __metatable field protects t's.
func baseSetMetatable(L *lua.LState) int {
	const name = "setmetatable"
	t, ok := L.Get(1).(*lua.LTable)
	if !ok {
		typeError(L, 1, name, "table")
	}
	mt := L.Get(2)
	if _, ok := mt.(*lua.LTable); !ok && (mt != lua.LNil || L.GetTop() < 2) {
		typeError(L, 2, name, "nil or table")
	}
	if L.GetMetaField(t, "__metatable") != lua.LNil {
		raise(L, "cannot change a protected metatable")
	}
	L.SetMetatable(t, mt)
	L.SetTop(1)
	return 1
}

func baseGetMetatable(L *lua.LState) int {
	v := checkAny(L, 1, "getmetatable")
	mt := L.GetMetatable(v)
	if mt == lua.LNil {
		L.Push(lua.LNil)
		return 1
	}
	if p := L.GetMetaField(v, "__metatable"); p != lua.LNil {
		L.Push(p)
		return 1
	}
	L.Push(mt)
	return 1
}

// baseAssert is assert(v [, message, ...]): all arguments when v is true,
// else error(message) at level 1 as 5.4's luaB_assert does: a string
// message ("assertion failed!" when absent) gets the caller's position,
// any other value is raised as it is.
func baseAssert(L *lua.LState) int {
	v := checkAny(L, 1, "assert")
	if lua.LVAsBool(v) {
		return L.GetTop()
	}
	msg := L.Get(2)
	if L.GetTop() < 2 {
		msg = lua.LString("assertion failed!")
	}
	if s, ok := msg.(lua.LString); ok {
		msg = lua.LString(where(L, 1) + string(s))
	}
	L.Error(msg, 0)
	return 0
}

// removeLua51 drops the Lua 5.1 functions that 5.4 no longer has, so that
// a script testing for them ("if setfenv then") takes its 5.4 path.
// loadstring stays with the runtime, which installs the loaders.
func removeLua51(g *lua.LTable) {
	for _, name := range []string{"unpack", "setfenv", "getfenv", "module", "newproxy"} {
		g.RawSetString(name, lua.LNil)
	}
	lib := func(name string, fields ...string) {
		if t, ok := g.RawGetString(name).(*lua.LTable); ok {
			for _, f := range fields {
				t.RawSetString(f, lua.LNil)
			}
		}
	}
	lib("table", "getn", "maxn")
	lib("string", "gfind")
	lib("math", "mod")
	lib("package", "seeall")
}
