package natsbus_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/bus"
	"github.com/golua-ws/golua-ws/bus/natsbus"
	"github.com/golua-ws/golua-ws/internal/natstest"
	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/nats-io/nats.go"
)

func startLua(t *testing.T, b bus.Bus, code string) (*runtime.Runtime, *syncbuf.Buffer) {
	t.Helper()
	out := &syncbuf.Buffer{}
	rt := runtime.New(runtime.WithStdout(out), runtime.WithStderr(out), runtime.WithFatalErrors(true), bus.WithBus(b))
	luamod.Register(rt)
	rt.RunString(code, "=test")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	})
	return rt, out
}

func waitOK(t *testing.T, rt *runtime.Runtime, out *syncbuf.Buffer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code, err := rt.Wait(ctx)
	if code != 0 || err != nil || !strings.HasSuffix(strings.TrimSpace(out.String()), "ok") {
		t.Fatalf("exit %d (%v), output:\n%s", code, err, out.String())
	}
}

// TestLuaAcrossTwoConnections: an eco script and a silly script, each on
// its own NATS connection (as in two processes), answer each other.
func TestLuaAcrossTwoConnections(t *testing.T) {
	srv := natstest.Start(t)
	rtA, outA := startLua(t, connect(t, srv.URL()), `
		local eco = require 'eco'
		local bus = require 'golua.bus'
		eco.run(function()
			local sub = assert(bus.subscribe('lua.*'))
			local data, subject, reply = sub:recv(20)
			assert(data == 'hi from silly' and subject == 'lua.svc', tostring(subject))
			assert(bus.publish(reply, 'hi from eco'))
			print('ok')
		end)`)
	rtB, outB := startLua(t, connect(t, srv.URL()), `
		local time = require 'silly.time'
		local bus = require 'golua.bus'
		-- The eco side may not have subscribed yet: NATS says so at once.
		local answer, err
		for _ = 1, 200 do
			answer, err = bus.request('lua.svc', 'hi from silly', 5)
			if err ~= 'no responders' then break end
			time.sleep(20)
		end
		assert(answer == 'hi from eco', tostring(err))
		print('ok')`)
	waitOK(t, rtA, outA)
	waitOK(t, rtB, outB)
}

// TestLuaDuringOutage: while nats-server is down a script's publish fails
// at once with 'buffer full' beyond the reconnect buffer, recv and
// request end with 'timeout'; after the restart its subscription
// receives again.
func TestLuaDuringOutage(t *testing.T) {
	srv := natstest.Start(t)
	fast := natsbus.WithReconnectWait(20*time.Millisecond, 200*time.Millisecond)
	a := connect(t, srv.URL(), fast, natsbus.WithReconnectBuffer(4096))
	g := connect(t, srv.URL(), fast)
	srv.Stop()
	waitStatus(t, a, nats.RECONNECTING, 10*time.Second)

	rt, out := startLua(t, a, `
		local bus = require 'golua.bus'
		local task = require 'silly.task'
		local sub = assert(bus.subscribe('outage.lua'))
		assert(bus.publish('outage.x', 'small') == true)
		local ok, err = bus.publish('outage.x', string.rep('x', 8192))
		assert(ok == nil and err == 'buffer full', tostring(err))
		local ticks = 0
		task.fork(function() while true do ticks = ticks + 1; require('silly.time').sleep(10) end end)
		local d, e = sub:recv(0.2)
		assert(d == nil and e == 'timeout', tostring(e))
		assert(ticks >= 2, 'recv blocked the other task')
		d, e = bus.request('outage.svc', 'q', 0.2)
		assert(d == nil and e == 'timeout', tostring(e))
		print('outage checked')
		for _ = 1, 150 do
			d = sub:recv(0.2)
			if d == 'after' then print('ok') os.exit(0) end
		end
		print('nothing after the restart')
		os.exit(1)`)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "outage checked") {
		if time.Now().After(deadline) {
			t.Fatalf("script output:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv.Restart()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-rt.Done():
				return
			case <-time.After(100 * time.Millisecond):
				_ = g.Publish("outage.lua", []byte("after"))
			}
		}
	}()
	waitOK(t, rt, out)
	<-done
}
