//go:build linux

package websocket_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/wscore"
)

// Echo handlers of both dialects: flat reads (which park when idle) and
// reads under pcall (which cannot park and keep their goroutine).
var parkScripts = map[string]string{
	"eco": `
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'
local guarded = %v
assert(http.listen(nil, %d, { reuseaddr = true }, function(con, req)
	local ws = assert(websocket.upgrade(con, req))
	while true do
		local data, typ
		if guarded then
			local ok
			ok, data, typ = pcall(ws.recv_frame, ws)
		else
			data, typ = ws:recv_frame()
		end
		if not data or typ == 'close' then return end
		ws:send_text(data)
	end
end))`,
	"silly": `
local http = require 'silly.net.http'
local websocket = require 'silly.net.websocket'
local guarded = %v
assert(http.listen { addr = '127.0.0.1:%d', handler = function(stream)
	local sock = assert(websocket.upgrade(stream))
	while true do
		local data, typ
		if guarded then
			local ok
			ok, data, typ = pcall(sock.read, sock)
		else
			data, typ = sock:read()
		end
		if not data or typ == 'close' then return end
		sock:write(data, 'text')
	end
end })`,
}

// waitFor polls cond for up to 10 s (a bound, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// expectClose reads from c until the server's close, which must carry
// code (a close frame, or wscore's CloseError for one).
func expectClose(t *testing.T, c *wscore.Conn, code int) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	op, data, err := c.ReadMessage()
	var ce *wscore.CloseError
	switch {
	case err == nil && op == wscore.OpClose:
		if got, _, _ := wscore.ParseClosePayload(data); got != code {
			t.Errorf("close code %d, want %d", got, code)
		}
	case errors.As(err, &ce):
		if ce.Code != code {
			t.Errorf("close code %d, want %d", ce.Code, code)
		}
	default:
		t.Errorf("got %v %q %v, want close %d", op, data, err, code)
	}
}

func echo(t *testing.T, c *wscore.Conn, msg string) {
	t.Helper()
	if err := c.WriteMessage(wscore.OpText, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, data, err := c.ReadMessage(); err != nil || string(data) != msg {
		t.Fatalf("echo of %q: %q, %v", msg, data, err)
	}
}

// An idle connection's handler parks without its goroutine in both
// dialects and wakes for the next message, for a peer that closes, and
// for the server's shutdown (1001); a handler that reads under pcall never
// parks and serves the same.
func TestIdleHandlersParkAndWake(t *testing.T) {
	const conns = 20
	for _, dialect := range []string{"eco", "silly"} {
		for _, guarded := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/pcall=%v", dialect, guarded), func(t *testing.T) {
				var stderr syncbuf.Buffer
				rt := runtime.New(runtime.WithStderr(&stderr), runtime.WithStdout(&stderr))
				luamod.Register(rt)
				port := freeTCPPort(t)
				rt.RunString(fmt.Sprintf(parkScripts[dialect], guarded, port), "=server")
				var cs []*wscore.Conn
				for range conns {
					var c *wscore.Conn
					waitFor(t, "the server", func() bool {
						ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
						defer cancel()
						var err error
						c, _, err = wscore.Dial(ctx, fmt.Sprintf("ws://127.0.0.1:%d/", port), nil)
						return err == nil
					})
					cs = append(cs, c)
					echo(t, c, "hello")
				}
				parked := func(n int) func() bool { return func() bool { return rt.ParkedTasks() == n } }
				if guarded {
					// Give the clock time to ask (1 s and more), then check
					// nothing parked and everything still echoes.
					time.Sleep(2 * time.Second)
					if n := rt.ParkedTasks(); n != 0 {
						t.Fatalf("%d handlers under pcall parked", n)
					}
				} else {
					waitFor(t, "all handlers parked", parked(conns))
				}
				for i, c := range cs {
					echo(t, c, fmt.Sprintf("again %d", i))
				}
				if !guarded {
					waitFor(t, "all handlers parked again", parked(conns))
					// Half the peers close: their handlers wake, see the
					// close and end; the others stay parked.
					for _, c := range cs[:conns/2] {
						_ = c.Close(wscore.StatusNormalClosure, "bye")
					}
					waitFor(t, "the closed ones to end", parked(conns/2))
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := rt.Close(ctx); err != nil {
					t.Fatal(err)
				}
				// The server's shutdown reached the parked handlers' peers.
				for _, c := range cs[conns/2:] {
					expectClose(t, c, wscore.StatusGoingAway)
					c.CloseNow()
				}
				if s := stderr.String(); strings.Contains(s, "traceback") {
					t.Errorf("stderr: %s", s)
				}
			})
		}
	}
}
