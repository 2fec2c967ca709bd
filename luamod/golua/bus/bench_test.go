package bus_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/runtime"
)

// benchLua runs code with n as its first argument (...) and reports the
// time per iteration.
func benchLua(b *testing.B, code string) {
	out := &syncbuf.Buffer{}
	rt := runtime.New(runtime.WithStdout(out), runtime.WithStderr(out), runtime.WithFatalErrors(true))
	luamod.Register(rt)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	}()
	b.ReportAllocs()
	b.ResetTimer()
	rt.RunString(code, "=bench", strconv.Itoa(b.N))
	if code, err := rt.Wait(context.Background()); code != 0 || err != nil {
		b.Fatalf("exit %d (%v): %s", code, err, out.String())
	}
}

// BenchmarkLuaPublishRecv: bus.publish then sub:recv of the queued message
// in one task (no handoff: the fast path).
func BenchmarkLuaPublishRecv(b *testing.B) {
	benchLua(b, `
		local n = tonumber((...))
		local bus = require 'golua.bus'
		local sub = bus.subscribe('chat.room')
		local msg = string.rep('x', 128)
		for _ = 1, n do
			bus.publish('chat.room', msg)
			sub:recv()
		end`)
}

// BenchmarkLuaRelayToTask: a publisher task and a relay task blocked in
// recv, as in the chat scripts: every message wakes the relay.
func BenchmarkLuaRelayToTask(b *testing.B) {
	benchLua(b, `
		local n = tonumber((...))
		local bus = require 'golua.bus'
		local task = require 'silly.task'
		local time = require 'silly.time'
		local sub = bus.subscribe('chat.room')
		local got = 0
		task.fork(function()
			while got < n do
				sub:recv()
				got = got + 1
			end
		end)
		local msg = string.rep('x', 128)
		for _ = 1, n do
			bus.publish('chat.room', msg)
			if sub:dropped() > 0 then error('dropped') end
			time.sleep(0)
		end
		while got < n do time.sleep(1) end`)
}
