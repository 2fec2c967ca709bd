package metrics

import (
	lua "github.com/yuin/gopher-lua"
)

// processCollectorModule is silly.metrics.collector.process: new() makes a
// collector (a table with name "Process", new and collect) whose collect
// appends four metrics read from silly.metrics.c at that moment: user and
// system CPU seconds (counters, which only ever grow by the increase since
// the last collect, so a clock that goes back does not fail them),
// resident memory and heap bytes (gauges). silly.metrics.c is required
// when this module loads, as silly's does, so a script may stand in its
// own.
func processCollectorModule(L *lua.LState) int {
	L.Push(L.GetGlobal("require"))
	L.Push(lua.LString("silly.metrics.c"))
	L.Call(1, 1)
	c := L.Get(-1)
	L.Pop(1)
	mod := L.NewTable()
	var newCollector *lua.LFunction
	newCollector = L.NewFunction(func(L *lua.LState) int {
		usr := newFamily(kindCounter, "process_cpu_seconds_user", "Total user CPU time spent in seconds.", nil, nil)
		sys := newFamily(kindCounter, "process_cpu_seconds_system", "Total system CPU time spent in seconds.", nil, nil)
		rss := newFamily(kindGauge, "process_resident_memory_bytes", "Resident memory size in bytes.", nil, nil)
		heap := newFamily(kindGauge, "process_heap_bytes", "Process heap size in bytes allocated by application.", nil, nil)
		handles := []lua.LValue{
			newHandle(L, usr, usr.single), newHandle(L, sys, sys.single),
			newHandle(L, rss, rss.single), newHandle(L, heap, heap.single),
		}
		var lastUsr, lastSys float64
		call := func(L *lua.LState, name string) (a, b float64) {
			L.Push(L.GetField(c, name))
			L.Call(0, 2)
			va, vb := L.Get(-2), L.Get(-1)
			L.Pop(2)
			x, okA := va.(lua.LNumber)
			y, okB := vb.(lua.LNumber)
			if !okA || !okB {
				L.RaiseError("collect: silly.metrics.c.%s returned %s, %s (number expected)",
					name, va.Type(), vb.Type())
			}
			return float64(x), float64(y)
		}
		t := L.NewTable()
		t.RawSetString("name", lua.LString("Process"))
		t.RawSetString("new", newCollector)
		t.RawSetString("collect", L.NewFunction(func(L *lua.LState) int {
			buf := L.CheckTable(2)
			s, u := call(L, "cpustat")
			if u > lastUsr {
				addCounter(usr, u-lastUsr)
			}
			if s > lastSys {
				addCounter(sys, s-lastSys)
			}
			lastUsr, lastSys = u, s
			r, h := call(L, "memstat")
			setGauge(rss, r)
			setGauge(heap, h)
			for _, v := range handles {
				buf.Append(v)
			}
			return 0
		}))
		L.Push(t)
		return 1
	})
	mod.RawSetString("new", newCollector)
	L.Push(mod)
	return 1
}
