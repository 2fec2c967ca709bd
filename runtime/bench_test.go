package runtime

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	goruntime "runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Benchmarks come in pairs: the runtime's operation and the bare Go
// operation it is built on, measured in the same run, so the README can
// report ratios rather than machine-dependent absolutes.
//
//	go test -run '^$' -bench . -benchmem ./runtime/

func newBenchRuntime(b *testing.B) *Runtime {
	rt := New()
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	})
	return rt
}

// BenchmarkSpawnTask: start a task (goroutine + Lua thread + token grant)
// running an empty Lua function, and wait for it to finish.
func BenchmarkSpawnTask(b *testing.B) {
	rt := newBenchRuntime(b)
	var fn *lua.LFunction
	rt.Start("setup", Queued, func(t *Task) error {
		var err error
		fn, err = rt.Compile([]byte("return"), "=empty")
		return err
	})
	ctx := context.Background()
	_, _ = rt.Wait(ctx)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := rt.Spawn("bench", Queued, fn)
		<-t.Done()
	}
}

// BenchmarkSpawnTaskReuseThread: the same with a recycled thread, as HTTP
// handler and connection tasks start.
func BenchmarkSpawnTaskReuseThread(b *testing.B) {
	rt := newBenchRuntime(b)
	var fn *lua.LFunction
	rt.Start("setup", Queued, func(t *Task) error {
		var err error
		fn, err = rt.Compile([]byte("return"), "=empty")
		return err
	})
	_, _ = rt.Wait(context.Background())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := rt.Spawn("bench", Queued|ReuseThread, fn)
		<-t.Done()
	}
}

// BenchmarkSpawnGoroutine is the baseline: start a goroutine and wait for it.
func BenchmarkSpawnGoroutine(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		done := make(chan struct{})
		go func() { close(done) }()
		<-done
	}
}

// BenchmarkTokenHandoff: two tasks pass the VM token back and forth with
// Yield; each iteration is one handoff.
func BenchmarkTokenHandoff(b *testing.B) {
	rt := newBenchRuntime(b)
	var wg sync.WaitGroup
	n := b.N
	wg.Add(2)
	b.ReportAllocs()
	b.ResetTimer()
	for k := 0; k < 2; k++ {
		rt.Start("pingpong", Queued, func(t *Task) error {
			defer wg.Done()
			for i := 0; i < n/2; i++ {
				t.Yield()
			}
			return nil
		})
	}
	wg.Wait()
}

// BenchmarkChanHandoff is the baseline: two goroutines pass a value back
// and forth over unbuffered channels; each iteration is one handoff.
func BenchmarkChanHandoff(b *testing.B) {
	ping, pong := make(chan struct{}), make(chan struct{})
	n := b.N
	b.ReportAllocs()
	b.ResetTimer()
	go func() {
		for i := 0; i < n/2; i++ {
			<-ping
			pong <- struct{}{}
		}
	}()
	for i := 0; i < n/2; i++ {
		ping <- struct{}{}
		<-pong
	}
}

const idleTasks = 10000

// Memory is measured in a fresh child process per measurement: in a process
// that has already run other benchmarks, freed goroutine stacks and heap
// spans are cached and make any before/after difference meaningless.
func measureInChild(b *testing.B, probe string) {
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryProbe$", "-test.count=1")
		cmd.Env = append(os.Environ(), "GOLUA_MEMPROBE="+probe)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("probe %s: %v\n%s", probe, err, out)
		}
		var perTask float64
		for _, line := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(line, "bytes/task="); ok {
				perTask, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
			}
		}
		if perTask == 0 {
			b.Fatalf("probe %s printed no figure:\n%s", probe, out)
		}
		b.ReportMetric(perTask, "bytes/task")
	}
}

// BenchmarkIdleTaskMemory reports the memory (heap + goroutine stacks) of a
// task parked in a Lua call — suspended on a channel, as an idle connection
// handler is — in the metric bytes/task.
func BenchmarkIdleTaskMemory(b *testing.B) { measureInChild(b, "task") }

// BenchmarkIdleGoroutineMemory is the baseline: a goroutine blocked on a
// channel receive.
func BenchmarkIdleGoroutineMemory(b *testing.B) { measureInChild(b, "goroutine") }

// TestMemoryProbe is the child side of the memory benchmarks; it does
// nothing unless GOLUA_MEMPROBE is set.
func TestMemoryProbe(t *testing.T) {
	probe := os.Getenv("GOLUA_MEMPROBE")
	if probe == "" {
		t.Skip("memory probe child; run by BenchmarkIdle*Memory")
	}
	inUse := func() uint64 {
		goruntime.GC()
		goruntime.GC()
		var ms goruntime.MemStats
		goruntime.ReadMemStats(&ms)
		return ms.HeapInuse + ms.StackInuse
	}
	var before, after uint64
	switch probe {
	case "task":
		rt := New()
		openTestModule(rt)
		before = inUse()
		rt.RunString(`
			local rt = require 'rt'
			local ch = rt.chan()
			for i = 1, `+itoa(idleTasks)+` do
				rt.fork(function() ch:recv() end)
			end
			rt.sleep(3600)
		`, "=idle")
		for {
			rt.s.mu.Lock()
			parked := rt.nextID > idleTasks && rt.s.busy == 1 && rt.s.readyCountLocked() == 0
			rt.s.mu.Unlock()
			if parked {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		after = inUse()
	case "goroutine":
		stop := make(chan struct{})
		before = inUse()
		for k := 0; k < idleTasks; k++ {
			go func() { <-stop }()
		}
		after = inUse()
		close(stop)
	}
	fmt.Printf("bytes/task=%.0f\n", float64(after-before)/idleTasks)
}

// BenchmarkWakeLatency10kSleepers: 10,000 tasks sleep until one common
// deadline (far enough ahead that all of them are asleep by then); the
// metrics are the median and 99th percentile delay between the deadline and
// the moment each task holds the VM token again. The tail is the cost of
// handing the token to 10,000 tasks one after another.
func BenchmarkWakeLatency10kSleepers(b *testing.B) {
	for i := 0; i < b.N; i++ {
		rt := New()
		const n = 10000
		lat := make([]time.Duration, 0, n)
		var mu sync.Mutex
		var wg sync.WaitGroup
		wg.Add(n)
		due := time.Now().Add(time.Second)
		for k := 0; k < n; k++ {
			rt.Start("sleeper", Queued, func(t *Task) error {
				defer wg.Done()
				t.Sleep(time.Until(due))
				d := time.Since(due)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
				return nil
			})
		}
		wg.Wait()
		reportLatency(b, lat)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = rt.Close(ctx)
		cancel()
	}
}

// BenchmarkWakeLatency10kGoroutines is the baseline: 10,000 goroutines in
// time.Sleep until the same kind of common deadline, each then taking a
// shared mutex (the closest bare-Go analogue of re-acquiring the VM token).
func BenchmarkWakeLatency10kGoroutines(b *testing.B) {
	for i := 0; i < b.N; i++ {
		const n = 10000
		lat := make([]time.Duration, 0, n)
		var mu sync.Mutex
		var wg sync.WaitGroup
		wg.Add(n)
		due := time.Now().Add(time.Second)
		for k := 0; k < n; k++ {
			go func() {
				defer wg.Done()
				time.Sleep(time.Until(due))
				mu.Lock()
				lat = append(lat, time.Since(due))
				mu.Unlock()
			}()
		}
		wg.Wait()
		reportLatency(b, lat)
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

func itoa(n int) string {
	return lua.LNumber(n).String()
}

// BenchmarkBlockRoundTrip100: 100 tasks each give the token up around a
// Go call that returns at once (Task.Block), as 100 busy connections do
// around their reads; each iteration is one release and re-acquire.
// BenchmarkGoroutineMutexRoundTrip100 is the baseline: 100 goroutines
// taking turns at a mutex.
func BenchmarkBlockRoundTrip100(b *testing.B) {
	rt := newBenchRuntime(b)
	const tasks = 100
	var wg sync.WaitGroup
	wg.Add(tasks)
	nop := func(context.Context) error { return nil }
	b.ReportAllocs()
	b.ResetTimer()
	for k := 0; k < tasks; k++ {
		n := b.N / tasks
		if k < b.N%tasks {
			n++
		}
		rt.Start("block", Queued, func(t *Task) error {
			defer wg.Done()
			for i := 0; i < n; i++ {
				_ = t.Block(nop)
			}
			return nil
		})
	}
	wg.Wait()
}

// BenchmarkBlockRoundTrip1: one task gives the token up around a Go call
// that returns at once and finds it free when it wants it back — what
// about half the reads of a busy echo server see.
func BenchmarkBlockRoundTrip1(b *testing.B) {
	rt := newBenchRuntime(b)
	done := make(chan struct{})
	nop := func(context.Context) error { return nil }
	b.ReportAllocs()
	b.ResetTimer()
	rt.Start("block", Queued, func(t *Task) error {
		defer close(done)
		for i := 0; i < b.N; i++ {
			_ = t.Block(nop)
		}
		return nil
	})
	<-done
}

func BenchmarkGoroutineMutexRoundTrip100(b *testing.B) {
	const workers = 100
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(workers)
	b.ReportAllocs()
	b.ResetTimer()
	for k := 0; k < workers; k++ {
		n := b.N / workers
		if k < b.N%workers {
			n++
		}
		go func() {
			defer wg.Done()
			for i := 0; i < n; i++ {
				mu.Lock()
				goruntime.Gosched()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// BenchmarkBlockWork1000 is the shape of an echo server's loop under load:
// 1,000 tasks each release the token for a few microseconds of work of
// their own (a socket write and read) and then want it back. The token
// should not sit idle while a releaser does its work.
func BenchmarkBlockWork1000(b *testing.B) {
	rt := newBenchRuntime(b)
	const tasks = 1000
	var wg sync.WaitGroup
	wg.Add(tasks)
	work := func(context.Context) error {
		for start := time.Now(); time.Since(start) < 2*time.Microsecond; {
		}
		return nil
	}
	b.ReportAllocs()
	b.ResetTimer()
	for k := 0; k < tasks; k++ {
		n := b.N / tasks
		if k < b.N%tasks {
			n++
		}
		rt.Start("block", Queued, func(t *Task) error {
			defer wg.Done()
			for i := 0; i < n; i++ {
				_ = t.Block(work)
			}
			return nil
		})
	}
	wg.Wait()
}
