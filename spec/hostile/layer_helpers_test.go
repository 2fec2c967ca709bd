package hostile

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/golua-ws/golua-ws/wscore"
)

// layerServer is a golua-ws server script running on a runtime in this
// process, so that a test can read its heap, its descriptors and shut it
// down.
type layerServer struct {
	rt     *runtime.Runtime
	url    string // ws://127.0.0.1:port/ws
	stderr *syncbuf.Buffer
}

// layerServe writes script to a file and runs it with the port and args as
// its arguments, waiting until it listens.
func layerServe(t testing.TB, script string, opts []runtime.Option, args ...string) *layerServer {
	t.Helper()
	port := specrun.FreePort(t)
	path := filepath.Join(t.TempDir(), "server.lua")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &layerServer{stderr: &syncbuf.Buffer{}}
	s.rt = runtime.New(append([]runtime.Option{runtime.WithStderr(s.stderr), runtime.WithStdout(s.stderr)}, opts...)...)
	luamod.Register(s.rt)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.rt.Close(ctx)
	})
	s.rt.RunFile(path, append([]string{strconv.Itoa(port)}, args...)...)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-s.rt.Done():
			t.Fatalf("server exited before listening: %s", s.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server never listened on %s: %s", addr, s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.url = "ws://" + addr + "/ws"
	return s
}

// layerDial opens a WebSocket client. rcvbuf, when positive, shrinks the
// client's socket receive buffer, so that a client that does not read
// stops the server's writes after a few KiB rather than after the
// megabytes the kernel would otherwise absorb.
func layerDial(t testing.TB, url string, rcvbuf int) *wscore.Conn {
	t.Helper()
	c, err := layerDialErr(url, rcvbuf)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// layerDialErr is layerDial for goroutines other than the test's.
func layerDialErr(url string, rcvbuf int) (*wscore.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d := net.Dialer{}
	if rcvbuf > 0 {
		d.Control = func(_, _ string, rc syscall.RawConn) error {
			var serr error
			err := rc.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, rcvbuf)
			})
			return errors.Join(err, serr)
		}
	}
	c, _, err := wscore.Dial(ctx, url, &wscore.DialOptions{
		NetDialer: d.DialContext,
		Conn:      wscore.Options{MaxMessageSize: 64 << 20, MaxFramePayload: 64 << 20},
	})
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	return c, nil
}

// layerCloseCode reads until the connection ends and returns the close
// code the server sent (StatusAbnormalClosure when none came).
func layerCloseCode(c *wscore.Conn, within time.Duration) int {
	_ = c.SetReadDeadline(time.Now().Add(within))
	for {
		op, data, err := c.ReadMessage()
		if err != nil {
			var ce *wscore.CloseError
			if errors.As(err, &ce) {
				return ce.Code
			}
			return wscore.StatusAbnormalClosure
		}
		if op == wscore.OpClose {
			code, _, _ := wscore.ParseClosePayload(data)
			return code
		}
	}
}

// layerOpenFDs counts this process's open descriptors.
func layerOpenFDs(t testing.TB) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot count descriptors: %v", err)
	}
	return len(ents)
}

// layerSilly is a silly server script listening on arg[1]: prelude, then a
// handler(stream) whose body is body.
func layerSilly(prelude, body string) string {
	return `local http = require "silly.net.http"
local websocket = require "silly.net.websocket"
` + prelude + `
assert(http.listen {
	addr = "127.0.0.1:" .. arg[1],
	handler = function(stream)
` + body + `
	end,
})
`
}

// layerEco is an eco server script listening on arg[1]: prelude, then a
// handler(con, req) whose body is body.
func layerEco(prelude, body string) string {
	return `local eco = require 'eco'
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'
` + prelude + `
local function handler(con, req)
` + body + `
end
eco.run(function()
	local _, err = http.listen('127.0.0.1', tonumber(arg[1]), { reuseaddr = true }, handler)
	error(err)
end)
`
}
