package runtime

import (
	"context"
	"fmt"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	lua "github.com/yuin/gopher-lua"
)

func TestImmediateStartOrdering(t *testing.T) {
	// lua-eco: run(A), run(B), each printing then sleep(0), then main
	// prints → a1 b1 main a2 b2 (eco-api.md §1.3).
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		rt.run(function() print('a1') rt.sleep(0) print('a2') end)
		rt.run(function() print('b1') rt.sleep(0) print('b2') end)
		print('main')
	`)
	if code != 0 || lines(out) != "a1 b1 main a2 b2" {
		t.Fatalf("code %d out %q err %q", code, out, errOut)
	}
}

func TestQueuedStartRunsAfterCallerInFIFO(t *testing.T) {
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		for i = 1, 5 do rt.fork(function(n) print('t' .. n) end, i) end
		print('main')
	`)
	if code != 0 || lines(out) != "main t1 t2 t3 t4 t5" {
		t.Fatalf("code %d out %q err %q", code, out, errOut)
	}
}

func TestBlockingInsideProtectedCallsIteratorsMetamethodsCoroutines(t *testing.T) {
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		local ok, v = pcall(function() rt.sleep(0.001) return 'pcall' end)
		print(ok, v)
		print(xpcall(function() rt.sleep(0.001) return 'xpcall' end, debug.traceback))
		local function iter(n)
			return function(_, i)
				rt.sleep(0.001)
				if i < n then return i + 1 end
			end, nil, 0
		end
		local sum = 0
		for i in iter(3) do sum = sum + i end
		print('iter', sum)
		local t = setmetatable({}, {__index = function(_, k) rt.sleep(0.001) return k .. '!' end})
		print(t.meta)
		local co = coroutine.wrap(function(a)
			rt.sleep(0.001)
			local b = coroutine.yield(a + 1)
			rt.sleep(0.001)
			return b * 2
		end)
		print('co', co(1), co(21))
		-- an error raised after blocking is still caught by pcall
		print(pcall(function() rt.sleep(0.001) error('late', 0) end))
	`)
	want := "true pcall true xpcall iter 6 meta! co 2 42 false late"
	if code != 0 || lines(out) != want {
		t.Fatalf("code %d\n got %q\nwant %q\nerr %q", code, lines(out), want, errOut)
	}
}

func TestCoroutineRunningSeesInnerCoroutineAcrossBlocking(t *testing.T) {
	// CurrentThread must be restored to the inner coroutine after a
	// handoff, or coroutine.running and yield would address the wrong one.
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		rt.fork(function() for i = 1, 3 do rt.sleep(0) end end)
		local co
		co = coroutine.create(function()
			local before = coroutine.running()
			rt.sleep(0.002)
			local after = coroutine.running()
			print(before == co, after == co)
		end)
		assert(coroutine.resume(co))
	`)
	if code != 0 || lines(out) != "true true" {
		t.Fatalf("code %d out %q err %q", code, out, errOut)
	}
}

func TestTenThousandTasksSleepAndExchange(t *testing.T) {
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		local ch = rt.chan()
		local N = 10000
		for i = 1, N do
			rt.fork(function(n) rt.sleep(0.001) ch:send(n) end, i)
		end
		local sum = 0
		for i = 1, N do sum = sum + ch:recv() end
		print(sum == N * (N + 1) / 2, rt.count())
	`)
	if code != 0 || lines(out) != "true 1" {
		t.Fatalf("code %d out %q err %q", code, out, errOut)
	}
}

func TestErrorInOneTaskOthersFinish(t *testing.T) {
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		local done, ch = 0, rt.chan()
		for i = 1, 100 do
			rt.fork(function(n)
				rt.sleep(0.001)
				if n == 50 then error('task fifty failed') end
				done = done + 1
				ch:send(n)
			end, i)
		end
		for i = 1, 99 do ch:recv() end
		print('done', done)
	`)
	if code != 0 || lines(out) != "done 99" {
		t.Fatalf("code %d out %q err %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "test:7: task fifty failed") || !strings.Contains(errOut, "stack traceback:") {
		t.Fatalf("stderr lacks the message with its location and a traceback: %q", errOut)
	}
}

func TestFatalErrorsEndsRuntime(t *testing.T) {
	_, errOut, code := runLua(t, `
		local rt = require 'rt'
		rt.fork(function() error('boom') end)
		rt.sleep(10)
		print('not reached')
	`, WithFatalErrors(true))
	if code != 1 || !strings.Contains(errOut, "boom") {
		t.Fatalf("code %d err %q", code, errOut)
	}
}

func TestMainErrorExitsOne(t *testing.T) {
	_, errOut, code := runLua(t, "local x = nil\nx.y = 1\n")
	if code != 1 || !strings.Contains(errOut, "test:2:") {
		t.Fatalf("code %d err %q", code, errOut)
	}
}

func TestIdleWhenOnlySuspendedTasksRemain(t *testing.T) {
	// A task waiting on a channel nobody can send to cannot be woken: the
	// runtime is idle and Wait returns 0 instead of hanging.
	out, _, code := runLua(t, `
		local rt = require 'rt'
		local ch = rt.chan()
		rt.fork(function() ch:recv() print('never') end)
		print('main done')
	`)
	if code != 0 || lines(out) != "main done" {
		t.Fatalf("code %d out %q", code, out)
	}
}

func TestSuspendTimeout(t *testing.T) {
	var out syncbuf.Buffer
	rt := New(WithStdout(&out))
	var got error
	rt.Start("main", Queued, func(task *Task) error {
		_, got = task.Suspend(5 * time.Millisecond)
		return nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := rt.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if got != ErrTimeout {
		t.Fatalf("Suspend returned %v, want ErrTimeout", got)
	}
	_ = rt.Close(ctx)
}

func TestExitFromTaskStopsEverything(t *testing.T) {
	out, _, code := runLua(t, `
		local rt = require 'rt'
		rt.fork(function() rt.sleep(0.01) os.exit(7) end)
		rt.fork(function() rt.sleep(30) print('never') end)
		rt.sleep(30)
		print('never either')
	`)
	if code != 7 || out != "" {
		t.Fatalf("code %d out %q", code, out)
	}
}

func TestTwoRuntimesAreIndependent(t *testing.T) {
	var wg sync.WaitGroup
	results := make([]string, 2)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			out, _, _ := runLua(t, `
				local rt = require 'rt'
				local ch = rt.chan()
				counter = (counter or 0) + 1
				for i = 1, 50 do rt.fork(function() rt.sleep(0.001) counter = counter + 1 ch:send(true) end) end
				for i = 1, 50 do ch:recv() end
				print(counter)
			`)
			results[i] = lines(out)
		}(i)
	}
	wg.Wait()
	if results[0] != "51" || results[1] != "51" {
		t.Fatalf("globals leaked between runtimes: %q", results)
	}
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := goruntime.NumGoroutine()
	for i := 0; i < 3; i++ {
		rt := New()
		openTestModule(rt)
		rt.RunString(`
			local rt = require 'rt'
			for i = 1, 100 do rt.fork(function() rt.sleep(60) end) end
			local ch = rt.chan()
			for i = 1, 100 do rt.fork(function() ch:recv() end) end
			rt.sleep(60)
		`, "=leak")
		time.Sleep(20 * time.Millisecond)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := rt.Close(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
	}
	deadline := time.Now().Add(5 * time.Second)
	for goruntime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := goruntime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		buf = buf[:goruntime.Stack(buf, true)]
		t.Fatalf("%d goroutines before, %d after Close:\n%s", before, n, buf)
	}
}

func TestExplicitLoopWaitsForOtherTasks(t *testing.T) {
	var out syncbuf.Buffer
	rt := New(WithStdout(&out))
	openTestModule(rt)
	rt.RegisterModule("loop", func(L *lua.LState) int {
		L.Push(L.NewFunction(func(L *lua.LState) int {
			rt.MustTask(L).WaitIdle()
			return 0
		}))
		return 1
	})
	rt.RunString(`
		local rt, loop = require 'rt', require 'loop'
		rt.run(function() rt.sleep(0.01) print('child') end)
		loop()
		print('after loop')
	`, "=loop")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if code, err := rt.Wait(ctx); err != nil || code != 0 {
		t.Fatalf("code %d err %v", code, err)
	}
	if lines(out.String()) != "child after loop" {
		t.Fatalf("out %q", out.String())
	}
	_ = rt.Close(ctx)
}

func TestYieldOnTaskThreadParksUntilResumeYielded(t *testing.T) {
	var out syncbuf.Buffer
	rt := New(WithStdout(&out))
	openTestModule(rt)
	rt.RegisterModule("wake", func(L *lua.LState) int {
		L.Push(L.NewFunction(func(L *lua.LState) int {
			target := rt.TaskOf(L.CheckThread(1))
			L.Push(lua.LBool(target != nil && rt.MustTask(L).ResumeYielded(target, []lua.LValue{lua.LString("v")})))
			return 1
		}))
		return 1
	})
	rt.RunString(`
		local rt, wake = require 'rt', require 'wake'
		local co
		rt.run(function()
			co = coroutine.running()
			print('got', coroutine.yield())
			-- a yield inside a real coroutine is still gopher-lua's own
			local inner = coroutine.wrap(function() coroutine.yield(1) return 2 end)
			print(inner(), inner())
		end)
		print(coroutine.status(co), wake(co), wake(co))
	`, "=yield")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if code, err := rt.Wait(ctx); err != nil || code != 0 {
		t.Fatalf("code %d err %v out %q", code, err, out.String())
	}
	if lines(out.String()) != "suspended true false got v 1 2" {
		t.Fatalf("out %q", out.String())
	}
	_ = rt.Close(ctx)
}

func TestReuseThreadRecyclesOnlyCleanThreads(t *testing.T) {
	rt, _ := newTestRuntime(t)
	ctx := context.Background()
	var first, second, third *lua.LState
	run := func(body func(*Task) error) *Task {
		task := rt.Start("reuse", Queued|ReuseThread, body)
		<-task.Done()
		return task
	}
	run(func(task *Task) error { first = task.L; return nil })
	run(func(task *Task) error { second = task.L; return fmt.Errorf("fails") })
	run(func(task *Task) error { third = task.L; return nil })
	if first != second {
		t.Fatal("a clean thread was not reused")
	}
	if third == second {
		t.Fatal("the thread of a task that failed was reused")
	}
	_ = rt.Do(ctx, func(*Task) error {
		if !second.Dead {
			t.Error("the failed task's thread does not report dead")
		}
		return nil
	})
}

// Bindings clean up shared module state in deferred functions; when the
// runtime shuts down, those run as the blocked tasks end, and must still
// run under the VM token (the race detector checks this test).
func TestShutdownRunsBindingDefersUnderTheToken(t *testing.T) {
	for round := 0; round < 3; round++ {
		rt := New()
		open := map[int]bool{} // module state guarded by the token
		next := 0
		rt.RegisterModule("res", func(L *lua.LState) int {
			L.Push(L.NewFunction(func(L *lua.LState) int {
				task := rt.MustTask(L)
				next++
				id := next
				open[id] = true
				defer delete(open, id)
				_ = task.Block(func(ctx context.Context) error {
					<-ctx.Done()
					return ctx.Err()
				})
				return 0
			}))
			return 1
		})
		openTestModule(rt)
		rt.RunString(`
			local rt, hold = require 'rt', require 'res'
			for i = 1, 200 do rt.fork(function() hold() end) end
			local ch = rt.chan()
			for i = 1, 50 do rt.fork(function() ch:recv() end) end
			rt.run(function() hold() end)
			hold()
		`, "=defers")
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			rt.s.mu.Lock()
			started := rt.nextID >= 252
			rt.s.mu.Unlock()
			if started {
				break
			}
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := rt.Close(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		if len(open) != 0 {
			t.Fatalf("round %d: %d resources left open after Close", round, len(open))
		}
	}
}

func TestBlockDeepRunsFnElsewhereAndReturnsItsError(t *testing.T) {
	rt, _ := newTestRuntime(t)
	want := fmt.Errorf("handshake failed")
	var ranOn, taskOn uint64
	err := rt.Do(context.Background(), func(task *Task) error {
		taskOn = goid()
		return task.BlockDeep(func(ctx context.Context) error {
			ranOn = goid()
			return want
		})
	})
	if err != want {
		t.Fatalf("err %v", err)
	}
	if ranOn == taskOn {
		t.Fatal("BlockDeep ran fn on the task's own goroutine")
	}
}

// goid returns the calling goroutine's id (test-only, from the stack header).
func goid() uint64 {
	buf := make([]byte, 32)
	buf = buf[:goruntime.Stack(buf, false)]
	var id uint64
	fmt.Sscanf(string(buf), "goroutine %d ", &id)
	return id
}

func TestAtReleaseRunsOnceAtEveryKindOfRelease(t *testing.T) {
	// Each hook runs once, before the token goes: before Block's function,
	// before a yield lets the other task run, before an Immediate child
	// runs on the lent token, and when the task ends.
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		rt.at_release('h1')
		rt.at_release('h2')
		print('before block')
		rt.block('in block')
		rt.block('in block again')
		rt.fork(function() print('other') end)
		rt.at_release('h3')
		rt.yield()
		rt.at_release('h4')
		rt.run(function() print('child') end)
		rt.at_release('h5')
		rt.sleep(0.001)
		rt.at_release('h6')
		print('end')
	`)
	want := "before block h1 h2 in block in block again h3 other h4 child h5 end h6"
	if code != 0 || lines(out) != want {
		t.Fatalf("code %d\nout  %q\nwant %q\nerr %q", code, lines(out), want, errOut)
	}
}

// TestTasksShareTheNumberAllocator: every task's thread boxes its numbers
// with the main state's allocator (lua54.ShareAllocator), so a thousand
// tasks that interleave at every step, each filling a table with
// non-integer numbers, must still each read back exactly what it stored.
func TestTasksShareTheNumberAllocator(t *testing.T) {
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		local ch = rt.chan()
		local N, M = 1000, 40
		for id = 1, N do
			rt.fork(function()
				local vals = {}
				for i = 1, M do
					vals[i] = id * 1000.25 + i / 8
					rt.sleep(0)
				end
				local ok = true
				for i = 1, M do
					if vals[i] ~= id * 1000.25 + i / 8 then ok = false end
				end
				ch:send(ok)
			end)
		end
		local good = 0
		for _ = 1, N do if ch:recv() then good = good + 1 end end
		print(good)
	`)
	if code != 0 || lines(out) != "1000" {
		t.Fatalf("code %d out %q err %q", code, out, errOut)
	}
}
