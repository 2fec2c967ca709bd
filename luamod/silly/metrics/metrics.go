// Package metrics provides silly's "silly.metrics.c", the process and
// runtime counters silly's metrics collectors and test runner read:
// netstat from the silly.net connection layer, CPU, file-descriptor and
// memory figures from the operating system and the Go runtime, and the
// scheduler's backlog.
package metrics

import (
	"os"
	goruntime "runtime"
	"syscall"

	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	"github.com/golua-ws/golua-ws/runtime"
	lua "github.com/yuin/gopher-lua"
)

// Register makes silly.metrics.c available to require in rt. Call it
// before any script runs.
func Register(rt *runtime.Runtime) {
	rt.RegisterModule("silly.metrics.c", func(L *lua.LState) int {
		mod := L.NewTable()
		L.SetFuncs(mod, map[string]lua.LGFunction{
			"netstat":    func(L *lua.LState) int { return netstat(L, rt) },
			"cpustat":    cpustat,
			"maxfds":     maxfds,
			"openfds":    openfds,
			"memstat":    memstat,
			"workerstat": func(L *lua.LState) int { return workerstat(L, rt) },
		})
		L.Push(mod)
		return 1
	})
}

// netstat returns the open TCP connections, bytes sent, bytes received,
// and silly's socket-operation request and processed counts. golua-ws
// does socket operations directly on the calling task, with no queue to
// a socket thread, so the last two are always equal (both 0).
func netstat(L *lua.LState, rt *runtime.Runtime) int {
	conns, sent, received := sillynet.NetStat(L, rt)
	L.Push(lua.LNumber(conns))
	L.Push(lua.LNumber(sent))
	L.Push(lua.LNumber(received))
	L.Push(lua.LNumber(0))
	L.Push(lua.LNumber(0))
	return 5
}

// cpustat returns the process's system and user CPU time in seconds.
func cpustat(L *lua.LState) int {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		L.RaiseError("silly.metrics.c: cpustat: %v", err)
	}
	seconds := func(tv syscall.Timeval) float64 {
		return float64(tv.Sec) + float64(tv.Usec)/1e6
	}
	L.Push(lua.LNumber(seconds(ru.Stime)))
	L.Push(lua.LNumber(seconds(ru.Utime)))
	return 2
}

// maxfds returns the soft and hard limits on open files.
func maxfds(L *lua.LState) int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		L.RaiseError("silly.metrics.c: maxfds: %v", err)
	}
	L.Push(lua.LNumber(lim.Cur))
	L.Push(lua.LNumber(lim.Max))
	return 2
}

// openfds returns how many file descriptors the process has open, read
// from /proc/self/fd as silly does on Linux (0 where there is no /proc).
func openfds(L *lua.LState) int {
	entries, err := os.ReadDir("/proc/self/fd")
	n := 0
	if err == nil {
		n = len(entries) - 1 // the descriptor ReadDir itself had open
	}
	L.Push(lua.LNumber(n))
	return 1
}

// memstat returns the memory the Go runtime holds from the system and the
// bytes of live heap objects: silly's RSS and allocator figures.
func memstat(L *lua.LState) int {
	var ms goruntime.MemStats
	goruntime.ReadMemStats(&ms)
	L.Push(lua.LNumber(ms.Sys))
	L.Push(lua.LNumber(ms.HeapAlloc))
	return 2
}

// workerstat returns the backlog silly's worker reports: here the tasks
// waiting for the VM token.
func workerstat(L *lua.LState, rt *runtime.Runtime) int {
	L.Push(lua.LNumber(rt.ReadyCount()))
	return 1
}
