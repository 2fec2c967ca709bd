package mount_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/luamod/mount"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/gorilla/websocket"
)

// The benchmarks come in pairs: the same exchange served by a Lua handler
// through mount.Silly and by a plain Go handler, so the cost of the Lua
// side reads as a ratio between two numbers measured in the same run.

const benchLua = `
local websocket = require "silly.net.websocket"
function hello(stream)
	stream:respond(200, {["content-type"] = "text/plain"})
	stream:closewrite("hello")
end
function echo(stream)
	local sock = assert(websocket.upgrade(stream))
	while true do
		local data, typ = sock:read()
		if not data or typ == "close" then break end
		sock:write(data, "text")
	end
end
`

func benchRuntime(b *testing.B) *runtime.Runtime {
	rt := runtime.New()
	luamod.Register(rt)
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	})
	err := rt.Do(context.Background(), func(t *runtime.Task) error {
		fn, err := rt.Compile([]byte(benchLua), "=bench")
		if err != nil {
			return err
		}
		t.L.Push(fn)
		return t.L.PCall(0, 0, nil)
	})
	if err != nil {
		b.Fatal(err)
	}
	return rt
}

func benchRequests(b *testing.B, h http.Handler) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	cl := srv.Client()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := cl.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkRequestLua: one keep-alive GET answered by a Lua handler.
func BenchmarkRequestLua(b *testing.B) {
	benchRequests(b, mount.Silly(benchRuntime(b), "hello"))
}

// BenchmarkRequestGo: the same GET answered by a Go handler (baseline).
func BenchmarkRequestGo(b *testing.B) {
	benchRequests(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "hello")
	}))
}

func benchEcho(b *testing.B, h http.Handler) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg := []byte(strings.Repeat("x", 64))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.WriteMessage(websocket.TextMessage, msg); err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.ReadMessage(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEchoLua: one 64-byte WebSocket round trip through a mounted Lua
// echo.
func BenchmarkEchoLua(b *testing.B) {
	benchEcho(b, mount.Silly(benchRuntime(b), "echo"))
}

// BenchmarkEchoGo: the same round trip through a gorilla echo handler
// (baseline).
func BenchmarkEchoGo(b *testing.B) {
	up := websocket.Upgrader{}
	benchEcho(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			typ, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			if err := c.WriteMessage(typ, data); err != nil {
				return
			}
		}
	}))
}
