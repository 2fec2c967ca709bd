package bus_test

import (
	"context"
	"strings"
	"testing"
	"time"

	gobus "github.com/golua-ws/golua-ws/bus"
	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/runtime"
)

// startRuntime runs script (a file, or code when file is "") on a runtime
// with every module, stopped when the test ends.
func startRuntime(t *testing.T, file, code string, opts ...runtime.Option) (*runtime.Runtime, *syncbuf.Buffer) {
	t.Helper()
	out := &syncbuf.Buffer{}
	opts = append([]runtime.Option{runtime.WithStdout(out), runtime.WithStderr(out), runtime.WithFatalErrors(true)}, opts...)
	rt := runtime.New(opts...)
	luamod.Register(rt)
	if file != "" {
		rt.RunFile(file)
	} else {
		rt.RunString(code, "=test")
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	})
	return rt, out
}

// runToEnd runs a script that prints "ok" when every assertion held.
func runToEnd(t *testing.T, file string, opts ...runtime.Option) {
	t.Helper()
	rt, out := startRuntime(t, file, "", opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code, err := rt.Wait(ctx)
	if err != nil || code != 0 || strings.TrimSpace(out.String()) != "ok" {
		t.Fatalf("%s: exit %d (%v), output:\n%s", file, code, err, out.String())
	}
}

func TestEcoDialect(t *testing.T)   { runToEnd(t, "testdata/eco_bus.lua") }
func TestSillyDialect(t *testing.T) { runToEnd(t, "testdata/silly_bus.lua") }

// TestSlowSubscriberDropsVisibleToLua: a subscription whose queue is full
// loses the newest messages and sub:dropped() counts them.
func TestSlowSubscriberDropsVisibleToLua(t *testing.T) {
	b := gobus.NewLocal(gobus.WithPendingLimits(3, 1<<20))
	defer b.Close()
	rt, out := startRuntime(t, "", `
		local bus = require 'golua.bus'
		local sub = assert(bus.subscribe('x'))
		for i = 1, 5 do assert(bus.publish('x', tostring(i))) end
		assert(sub:dropped() == 2, sub:dropped())
		for i = 1, 3 do assert(sub:recv(1) == tostring(i)) end
		assert(select(2, sub:recv(0)) == 'timeout')
		print('ok')`, gobus.WithBus(b))
	if code, err := rt.Wait(context.Background()); code != 0 || err != nil || strings.TrimSpace(out.String()) != "ok" {
		t.Fatalf("exit %d (%v):\n%s", code, err, out.String())
	}
}

// TestSharedBusConnectsRuntimes: two runtimes given one bus (two workers)
// exchange messages; Go publishes into it too.
func TestSharedBusConnectsRuntimes(t *testing.T) {
	b := gobus.NewLocal()
	defer b.Close()
	ready, err := b.Subscribe("ready")
	if err != nil {
		t.Fatal(err)
	}
	rtA, outA := startRuntime(t, "", `
		local bus = require 'golua.bus'
		local sub = assert(bus.subscribe('to.a'))
		assert(bus.publish('ready', 'a'))
		local d = assert(sub:recv(10))
		print('a got ' .. d)`, gobus.WithBus(b))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := ready.Recv(ctx); err != nil {
		t.Fatal(err)
	}
	svc, err := b.Subscribe("svc")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		m, err := svc.Recv(ctx)
		if err == nil {
			_ = b.Publish(m.Reply, append([]byte("answer to "), m.Data...))
		}
	}()
	rtB, outB := startRuntime(t, "", `
		local bus = require 'golua.bus'
		print(bus.request('svc', 'q', 5))
		assert(bus.publish('to.a', 'from b'))`, gobus.WithBus(b))
	for _, rt := range []*runtime.Runtime{rtA, rtB} {
		if code, err := rt.Wait(ctx); code != 0 || err != nil {
			t.Fatalf("exit %d (%v):\nA: %s\nB: %s", code, err, outA.String(), outB.String())
		}
	}
	if got := strings.TrimSpace(outA.String()); got != "a got from b" {
		t.Fatalf("A printed %q", got)
	}
	if got := strings.TrimSpace(outB.String()); got != "answer to q" {
		t.Fatalf("B printed %q", got)
	}
}

// TestShutdownEndsRecvWithClosed: a graceful shutdown wakes a task blocked
// in recv with 'closed', and its Lua runs before the runtime exits.
func TestShutdownEndsRecvWithClosed(t *testing.T) {
	rt, out := startRuntime(t, "", `
		local bus = require 'golua.bus'
		local task = require 'silly.task'
		local sub = assert(bus.subscribe('never'))
		local mute = assert(bus.subscribe('mute')) -- listens, never answers
		task.fork(function()
			print('recv', sub:recv())
			print('subscribe after', bus.subscribe('x'))
		end)
		task.fork(function()
			print('request', bus.request('mute', 'q', 30))
		end)`)
	time.Sleep(50 * time.Millisecond) // let both tasks block (the test holds either way)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rt.Shutdown(ctx, 0); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"recv\tnil\tclosed", "subscribe after\tnil\tclosed", "request\tnil\tclosed"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
}

// TestHugeTimeoutWaits: a timeout too large for a time.Duration (math.huge,
// 1e10 seconds) means "wait", not an immediate 'timeout'; NaN is an error.
func TestHugeTimeoutWaits(t *testing.T) {
	rt, out := startRuntime(t, "", `
		local bus = require 'golua.bus'
		local task = require 'silly.task'
		local time = require 'silly.time'
		local sub = assert(bus.subscribe('x'))
		local svc = assert(bus.subscribe('svc'))
		task.fork(function()
			time.sleep(20)
			assert(bus.publish('x', 'one'))
			time.sleep(20)
			assert(bus.publish('x', 'two'))
			local _, _, reply = svc:recv(math.huge)
			assert(bus.publish(reply, 'answer'))
		end)
		print('recv', sub:recv(math.huge))
		print('recv', sub:recv(1e10))
		print('request', bus.request('svc', 'q', math.huge))
		print('nan', (pcall(sub.recv, sub, 0/0)))`)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if code, err := rt.Wait(ctx); code != 0 || err != nil {
		t.Fatalf("exit %d (%v):\n%s", code, err, out.String())
	}
	want := "recv\tone\tx\tnil\nrecv\ttwo\tx\tnil\nrequest\tanswer\nnan\tfalse\n"
	if got := out.String(); got != want {
		t.Fatalf("output %q, want %q", got, want)
	}
}

// TestDrainingBacklogLetsOthersRun: sub:recv returns queued messages without
// a handoff, but a task draining a long backlog still lets a task that became
// ready run before it is done.
func TestDrainingBacklogLetsOthersRun(t *testing.T) {
	rt, out := startRuntime(t, "", `
		local eco = require 'eco'
		local bus = require 'golua.bus'
		local n = 20000
		local sub = assert(bus.subscribe('backlog'))
		for i = 1, n do assert(bus.publish('backlog', tostring(i))) end
		local wake = assert(bus.subscribe('wake'))
		local woke
		eco.run(function() assert(wake:recv(10) == 'now'); woke = 'ran' end)
		assert(bus.publish('wake', 'now')) -- the other task is ready from here on
		local at
		for i = 1, n do
			assert(sub:recv(0) == tostring(i))
			if woke == 'ran' and not at then at = i end
		end
		assert(at, 'a ready task did not run while ' .. n .. ' queued messages were drained')
		print('ok')`)
	if code, err := rt.Wait(context.Background()); code != 0 || err != nil || strings.TrimSpace(out.String()) != "ok" {
		t.Fatalf("exit %d (%v):\n%s", code, err, out.String())
	}
}
