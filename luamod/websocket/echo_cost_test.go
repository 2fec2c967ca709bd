package websocket_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/golua/metrics"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	lua "github.com/yuin/gopher-lua"
)

// echoScripts are the example echo servers of both dialects; each takes
// its listen address as its first argument.
var echoScripts = []struct {
	dialect, path string
	addr          func(port int) string
}{
	{"eco", "../../scripts/eco/echo_server.lua", func(p int) string { return strconv.Itoa(p) }},
	{"silly", "../../scripts/silly/echo_server.lua", func(p int) string { return "127.0.0.1:" + strconv.Itoa(p) }},
}

// startEcho runs a dialect's echo script on a runtime of its own and
// returns the runtime and a connected client.
func startEcho(tb testing.TB, path, addr string, port int, opts ...runtime.Option) (*runtime.Runtime, *websocket.Conn) {
	tb.Helper()
	out := &syncbuf.Buffer{}
	rt := runtime.New(append(opts, runtime.WithStdout(out), runtime.WithStderr(out))...)
	luamod.Register(rt)
	rt.RunFile(path, addr)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rt.Close(ctx)
	})
	url := fmt.Sprintf("ws://127.0.0.1:%d/ws", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ws, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err == nil {
			tb.Cleanup(func() { ws.Close() })
			return rt, ws
		}
		if time.Now().After(deadline) {
			tb.Fatalf("dial %s: %v; script output:\n%s", url, err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func echoOnce(tb testing.TB, ws *websocket.Conn, msg []byte) {
	if err := ws.WriteMessage(websocket.BinaryMessage, msg); err != nil {
		tb.Fatal(err)
	}
	typ, got, err := ws.ReadMessage()
	if err != nil {
		tb.Fatal(err)
	}
	if typ != websocket.BinaryMessage || !bytes.Equal(got, msg) {
		tb.Fatalf("echo: type %d, %d bytes, want %d bytes back", typ, len(got), len(msg))
	}
}

func freeTCPPort(tb testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestEchoTakesTheTokenOncePerMessage pins the cost model of both
// dialects' request-reply loop: an echoed message gives the VM token up
// once (the read waits for the peer without it, and writes the queued
// reply on its way) and takes it back once. A binding that released the
// token to send, or woke another goroutine to write, would take it twice.
func TestEchoTakesTheTokenOncePerMessage(t *testing.T) {
	const n = 300
	msg := bytes.Repeat([]byte{'x'}, 128)
	for _, s := range echoScripts {
		t.Run(s.dialect, func(t *testing.T) {
			port := freeTCPPort(t)
			rt, ws := startEcho(t, s.path, s.addr(port), port)
			echoOnce(t, ws, msg) // the handshake's own handoffs are done
			before := rt.TokenAcquires()
			for range n {
				echoOnce(t, ws, msg)
			}
			// The reply is read by the client before the server task
			// is back in its next read; let it get there.
			time.Sleep(50 * time.Millisecond)
			got := rt.TokenAcquires() - before
			// A few spare acquires for background tasks (none here,
			// but the runtime may grow some).
			if got > n+5 {
				t.Errorf("%d token acquires for %d echoed messages, want at most one each", got, n)
			}
			if got < n {
				t.Errorf("%d token acquires for %d echoed messages: the counter misses grants", got, n)
			}
		})
	}
}

// BenchmarkEcho is the end-to-end cost of one echoed 128-byte message on
// one connection (client and server in this process; allocs/op counts
// both, gorilla's client allocates 2 per round trip), with the token
// acquires per message, without and with Prometheus metrics (the
// connection layer's counters and the token wait histogram).
//
//	go test -run '^$' -bench Echo -benchmem ./luamod/websocket/
func BenchmarkEcho(b *testing.B) {
	msg := bytes.Repeat([]byte{'x'}, 128)
	for _, s := range echoScripts {
		for _, withMetrics := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/metrics=%v", s.dialect, withMetrics), func(b *testing.B) {
				benchEcho(b, s.path, s.addr, msg, withMetrics)
			})
		}
	}
}

func benchEcho(b *testing.B, path string, addr func(int) string, msg []byte, withMetrics bool) {
	var opts []runtime.Option
	if withMetrics {
		set, err := metrics.New(prometheus.NewRegistry())
		if err != nil {
			b.Fatal(err)
		}
		opts = set.Options()
	}
	port := freeTCPPort(b)
	rt, ws := startEcho(b, path, addr(port), port, opts...)
	echoOnce(b, ws, msg)
	b.ReportAllocs()
	before := rt.TokenAcquires()
	cpu0 := processCPU(b)
	b.ResetTimer()
	for range b.N {
		echoOnce(b, ws, msg)
	}
	b.StopTimer()
	b.ReportMetric(float64(rt.TokenAcquires()-before)/float64(b.N), "acquires/op")
	// CPU time (user+system, client and server) per message: on a shared
	// machine the wall time per op swings with the neighbours' load, the
	// CPU this process burns much less.
	b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
}

// processCPU returns the process's user+system CPU time in ns.
func processCPU(tb testing.TB) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// echoLoopLua is the receive-and-reply loop of scripts/eco/echo_server.lua,
// run by BenchmarkEchoLoopLua against bindings that do nothing.
const echoLoopLua = `
local opcodes = { text = 0x1, binary = 0x2, continuation = 0x0 }
local ws = setmetatable({ sock = {}, opts = {} }, { __index = methods })
return function(n)
    for _ = 1, n do
        local data, typ, err = ws:recv_frame()
        if not data then return end
        if typ == 'ping' then
            ws:send_pong(data)
        elseif typ == 'close' then
            return
        elseif typ ~= 'pong' then
            local sent = ws:send_frame(err ~= 'again', opcodes[typ], data)
            if not sent then return end
        end
    end
end
`

// BenchmarkEchoLoopLua is what gopher-lua alone costs per echoed message:
// the echo loop's statements, its method lookups and its two Go calls,
// with bindings that return at once and a warm cache. Set against the
// end-to-end server CPU per message (README → Benchmarks), it says how
// much of golua-ws's excess over a pure-Go server is interpretation and
// how much is the shape around it (token handoffs, goroutine switches,
// per-connection state touched on other cores).
func BenchmarkEchoLoopLua(b *testing.B) {
	L := lua.NewState()
	defer L.Close()
	payload := lua.LString(bytes.Repeat([]byte{'x'}, 128))
	methods := L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
		"recv_frame": func(L *lua.LState) int {
			L.Push(payload)
			L.Push(lua.LString("binary"))
			L.Push(lua.LNil)
			return 3
		},
		"send_pong": func(*lua.LState) int { return 0 },
		"send_frame": func(L *lua.LState) int {
			L.Push(lua.LNumber(len(payload) + 2))
			return 1
		},
	})
	L.SetGlobal("methods", methods)
	if err := L.DoString(echoLoopLua); err != nil {
		b.Fatal(err)
	}
	loop := L.Get(-1)
	L.Pop(1)
	b.ResetTimer()
	if err := L.CallByParam(lua.P{Fn: loop, Protect: true}, lua.LNumber(b.N)); err != nil {
		b.Fatal(err)
	}
}
