package websocket_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/wscore"
	lua "github.com/yuin/gopher-lua"
)

// A Go panic in a binding called by a WebSocket handler ends that
// connection with 1011 and is reported with its value and Go stack, by the
// runtime's general mechanism (runtime/lua54: an uncaught error that is a
// Go panic carries its stack; the layer's Own closes the failed task's
// connection); the server goes on serving.
func TestGoPanicEndsConnection(t *testing.T) {
	var stderr syncbuf.Buffer
	rt := runtime.New(runtime.WithStderr(&stderr), runtime.WithStdout(&stderr))
	luamod.Register(rt)
	rt.RegisterModule("buggy", func(L *lua.LState) int {
		L.Push(L.NewFunction(func(L *lua.LState) int {
			var empty []int
			return empty[L.GetTop()] // a Go bug: index out of range
		}))
		return 1
	})
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	}()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	rt.RunString(fmt.Sprintf(`
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"
local buggy = require "buggy"
assert(http.listen { addr = %q, handler = function(stream)
	local sock = assert(websocket.upgrade(stream))
	local d = sock:read()
	if d == "bug" then buggy() end
	sock:write(d, "text")
end })`, addr), "=server")
	dial := func() *wscore.Conn {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for {
			c, _, err := wscore.Dial(ctx, "ws://"+addr+"/", nil)
			if err == nil {
				return c
			}
			if ctx.Err() != nil {
				t.Fatalf("dial: %v; %s", err, stderr.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	c := dial()
	defer c.CloseNow()
	if err := c.WriteMessage(wscore.OpText, []byte("bug")); err != nil {
		t.Fatal(err)
	}
	expectClose(t, c, wscore.StatusInternalError)
	report := stderr.String()
	if !strings.Contains(report, "index out of range") || !strings.Contains(report, "Go panic:") || !strings.Contains(report, "panic_test.go") {
		t.Errorf("the report lacks the panic value or its Go stack:\n%s", report)
	}
	// The server still serves.
	c2 := dial()
	defer c2.CloseNow()
	if err := c2.WriteMessage(wscore.OpText, []byte("fine")); err != nil {
		t.Fatal(err)
	}
	_ = c2.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, data, err := c2.ReadMessage(); err != nil || string(data) != "fine" {
		t.Fatalf("after the panic: %q, %v", data, err)
	}
}
