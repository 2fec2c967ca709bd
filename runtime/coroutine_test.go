package runtime

import (
	"context"
	goruntime "runtime"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
)

// Coroutines run on goroutines of their own (runtime/lua54lib); these tests
// check how they live with the scheduler.

func TestCoroutineBlocksInsideTaskAcrossPcall(t *testing.T) {
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		local ch = rt.chan()
		rt.fork(function()
			local ticks = 0
			rt.fork(function() for i = 1, 3 do rt.sleep(0.001) ticks = ticks + 1 end end)
			local co = coroutine.create(function(a)
				local ok, v = pcall(function()
					-- Blocking here lets the ticker run: wait for its first
					-- tick (a fixed sleep lost that race on a loaded machine).
					repeat rt.sleep(0.001) until ticks > 0
					local b = coroutine.yield(a + 1)
					rt.sleep(0.001)
					return b * 2
				end)
				return ok, v
			end)
			print('r1', coroutine.resume(co, 1))
			print('ticked', ticks > 0)
			print('r2', coroutine.resume(co, 21))
			print('in task', select(2, coroutine.running()), coroutine.isyieldable())
			ch:send('done')
		end)
		print('main got', ch:recv(), select(2, coroutine.running()), coroutine.isyieldable())
	`)
	want := "r1 true 2 ticked true r2 true true 42 in task false true main got done true false"
	if code != 0 || lines(out) != want {
		t.Fatalf("code %d\n got %q\nwant %q\nerr %q", code, lines(out), want, errOut)
	}
}

func TestOsExitInsideCoroutine(t *testing.T) {
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		local co = coroutine.wrap(function()
			pcall(function()
				rt.sleep(0.001)
				print('exiting')
				os.exit(3)
			end)
			print('not reached')
		end)
		co()
		print('not reached either')
	`)
	if code != 3 || lines(out) != "exiting" {
		t.Fatalf("code %d out %q err %q", code, out, errOut)
	}
}

// waitGoroutines waits until at most n goroutines run, and reports how
// many were left.
func waitGoroutines(n int, d time.Duration) int {
	deadline := time.Now().Add(d)
	for {
		g := goruntime.NumGoroutine()
		if g <= n || time.Now().After(deadline) {
			return g
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCloseEndsCoroutineGoroutines(t *testing.T) {
	start := goruntime.NumGoroutine()
	var out, errOut syncbuf.Buffer
	rt := New(WithStdout(&out), WithStderr(&errOut))
	openTestModule(rt)
	rt.RunString(`
		local rt = require 'rt'
		keep = {}
		for i = 1, 200 do
			-- suspended coroutines the script still holds
			local co = coroutine.create(function() coroutine.yield() end)
			coroutine.resume(co)
			keep[i] = co
		end
		-- a coroutine blocked in Go inside a pcall, in another task
		rt.fork(function()
			coroutine.wrap(function() pcall(rt.sleep, 60) end)()
		end)
		-- one resuming another that is blocked (a "normal" coroutine)
		rt.fork(function()
			coroutine.wrap(function()
				coroutine.wrap(function() rt.sleep(60) end)()
			end)()
		end)
		rt.sleep(0.01)
		print('ready', #keep)
	`, "=close")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "ready") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if g := goruntime.NumGoroutine(); g < start+200 {
		t.Fatalf("only %d goroutines (%d at start): the coroutines do not run on goroutines", g, start)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rt.Close(ctx); err != nil {
		t.Fatalf("close: %v (out %q err %q)", err, out.String(), errOut.String())
	}
	if g := waitGoroutines(start+5, 10*time.Second); g > start+5 {
		buf := make([]byte, 1<<16)
		n := goruntime.Stack(buf, true)
		t.Fatalf("%d goroutines left after Close (%d at start):\n%s", g, start, buf[:n])
	}
}

func TestWatchdogStopsLoopInsideCoroutine(t *testing.T) {
	_, errOut, code := runLua(t, `
		local co = coroutine.wrap(function() while true do end end)
		co()
	`, WithWatchdog(50*time.Millisecond, true))
	if code != 1 || !strings.Contains(errOut, "cancelled") {
		t.Fatalf("code %d err %q", code, errOut)
	}
}

func TestManyTasksWithSleepingGenerators(t *testing.T) {
	out, errOut, code := runLua(t, `
		local rt = require 'rt'
		local ch = rt.chan()
		local N = 200
		for i = 1, N do
			rt.fork(function()
				local shared = coroutine.wrap(function()
					for k = 1, 5 do rt.sleep(0.001) coroutine.yield(k) end
				end)
				local s = 0
				for v in shared do
					-- a second coroutine level, yielding across pcall
					local inner = coroutine.wrap(function(x)
						local ok, y = pcall(function() rt.sleep(0) return coroutine.yield(x * 2) end)
						return y
					end)
					s = s + inner(v) + inner(0)
				end
				ch:send(s)
			end)
		end
		local total = 0
		for i = 1, N do total = total + ch:recv() end
		print('total', total)
	`)
	if code != 0 || lines(out) != "total 6000" {
		t.Fatalf("code %d out %q err %q", code, out, errOut)
	}
}
