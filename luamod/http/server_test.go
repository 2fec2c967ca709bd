package http_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/luamod"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/spec/specrun"
	lua "github.com/yuin/gopher-lua"
)

// serverScripts are HTTP servers in each dialect: /slow answers after 3 s
// (printing "slow started" first; long enough that a loaded machine still
// sees the listener refuse while it is in flight), /panic calls a Go
// binding that panics, anything else answers "ok".
var serverScripts = map[string]string{
	"eco": `
local eco = require 'eco'
local time = require 'eco.time'
local http = require 'eco.http.server'
local port = tonumber((...))
eco.run(function()
    local _, err = http.listen('127.0.0.1', port, {}, function(con, req)
        if req.path == '/slow' then
            print('slow started')
            time.sleep(3)
            con:send('slow done')
        elseif req.path == '/panic' then
            require('testpanic').boom()
        else
            con:send('ok')
        end
    end)
    print('listen returned: ' .. tostring(err))
end)
`,
	"silly": `
local time = require "silly.time"
local http = require "silly.net.http"
assert(http.listen {addr = "127.0.0.1:" .. (...), handler = function(stream)
    if stream.path == "/slow" then
        print("slow started")
        time.sleep(3000)
        stream:respond(200, {["content-length"] = 9})
        stream:closewrite("slow done")
    elseif stream.path == "/panic" then
        require("testpanic").boom()
    else
        stream:respond(200, {["content-length"] = 2})
        stream:closewrite("ok")
    end
end})
`,
}

// startServer runs the dialect's server script on a fresh runtime and
// waits until it accepts.
func startServer(t *testing.T, dialect string, opts ...runtime.Option) (rt *runtime.Runtime, addr string, stdout, stderr *syncbuf.Buffer) {
	t.Helper()
	stdout, stderr = &syncbuf.Buffer{}, &syncbuf.Buffer{}
	rt = runtime.New(append([]runtime.Option{runtime.WithStdout(stdout), runtime.WithStderr(stderr)}, opts...)...)
	luamod.Register(rt)
	rt.RegisterModule("testpanic", func(L *lua.LState) int {
		L.Push(L.SetFuncs(L.NewTable(), map[string]lua.LGFunction{
			"boom": func(*lua.LState) int { panic("testpanic: a Go binding panicked") },
		}))
		return 1
	})
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rt.Exit(0)
		_ = rt.Close(ctx)
	})
	port := specrun.FreePort(t)
	addr = fmt.Sprintf("127.0.0.1:%d", port)
	rt.RunString(serverScripts[dialect], "="+dialect+"_server", fmt.Sprint(port))
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return rt, addr, stdout, stderr
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s server did not listen on %s: %v\nstderr: %s", dialect, addr, err, stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// get sends one GET with the given extra header lines on a new connection
// and returns the response (status line and body), or an error.
func get(addr, path, extra string) (status, body string, err error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return "", "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s\r\n", path, extra); err != nil {
		return "", "", err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.Status, string(b), err
}

// A graceful shutdown lets a request in flight finish, refuses new
// connections at once and ends the runtime.
func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	for _, tc := range []struct{ dialect, route, extra string }{
		{"eco", "net/http", ""},
		{"eco", "front door", "Upgrade: x-test\r\n"},
		{"silly", "net/http", ""},
		{"silly", "front door", "Upgrade: x-test\r\n"},
	} {
		t.Run(tc.dialect+" "+tc.route, func(t *testing.T) {
			rt, addr, stdout, stderr := startServer(t, tc.dialect)
			type result struct {
				status, body string
				err          error
			}
			// The front door serves a GET asking for an Upgrade, which
			// the handler answers with a plain response.
			routes := []string{tc.extra}
			slow := make(chan result, len(routes))
			for _, extra := range routes {
				go func() {
					s, b, err := get(addr, "/slow", extra)
					slow <- result{s, b, err}
				}()
			}
			deadline := time.Now().Add(5 * time.Second)
			for strings.Count(stdout.String(), "slow started") < len(routes) {
				if time.Now().After(deadline) {
					t.Fatalf("the slow requests did not start; stderr: %s", stderr)
				}
				time.Sleep(5 * time.Millisecond)
			}
			shut := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				shut <- rt.Shutdown(ctx, 0)
			}()
			<-rt.Draining()
			// The listener closes as the shutdown begins: a new connection
			// is refused while the slow request is still in flight.
			refused := false
			for deadline := time.Now().Add(300 * time.Millisecond); time.Now().Before(deadline); {
				c, err := net.Dial("tcp", addr)
				if errors.Is(err, syscall.ECONNREFUSED) {
					refused = true
					break
				}
				if err == nil {
					c.Close()
				}
				time.Sleep(5 * time.Millisecond)
			}
			select {
			case r := <-slow:
				t.Fatalf("the slow request ended before the listener closed: %+v", r)
			default:
			}
			if !refused {
				t.Fatal("new connections are still accepted during the shutdown")
			}
			for range routes {
				r := <-slow
				if r.err != nil || r.status != "200 OK" || r.body != "slow done" {
					t.Fatalf("slow request: %q %q %v; stderr: %s", r.status, r.body, r.err, stderr)
				}
			}
			select {
			case err := <-shut:
				if err != nil {
					t.Fatalf("Shutdown: %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Shutdown did not return")
			}
			select {
			case <-rt.Done():
			case <-time.After(time.Second):
				t.Fatal("the runtime did not exit")
			}
		})
	}
}

// A Go panic in a binding called by a handler ends that request's
// connection and is reported with the panic value, its Go stack and the
// Lua traceback (it happened on the handler's task, where gopher-lua's
// protected call turns it into a Lua error), and the server goes on serving: for a request
// served by net/http and for one served by the front door (a GET asking
// for an Upgrade).
func TestPanicIsReported(t *testing.T) {
	for _, dialect := range []string{"eco", "silly"} {
		t.Run(dialect, func(t *testing.T) {
			_, addr, _, stderr := startServer(t, dialect)
			for _, extra := range []string{"", "Upgrade: x-test\r\n"} {
				status, _, _ := get(addr, "/panic", extra)
				if strings.HasPrefix(status, "200") {
					t.Errorf("a panicking handler answered %q", status)
				}
				if s, b, err := get(addr, "/other", ""); err != nil || b != "ok" {
					t.Fatalf("the server stopped serving after a panic (extra %q): %q %q %v", extra, s, b, err)
				}
			}
			out := stderr.String()
			if n := strings.Count(out, "testpanic: a Go binding panicked"); n < 2 {
				t.Errorf("panic value reported %d times, want 2; stderr:\n%s", n, out)
			}
			// gopher-lua names it 'boom', lua54lib's 5.4 traceback (a
			// handler task run by Resume) 'testpanic.boom'.
			if n := strings.Count(out, "boom'"); n < 2 {
				t.Errorf("traceback naming the binding reported %d times, want 2; stderr:\n%s", n, out)
			}
			// The Go stack names the function that panicked.
			if n := strings.Count(out, "Go panic: goroutine "); n < 2 {
				t.Errorf("Go stack reported %d times, want 2; stderr:\n%s", n, out)
			}
			if !strings.Contains(out, "server_test.go") {
				t.Errorf("the Go stack does not name the panicking binding:\n%s", out)
			}
		})
	}
}
