// Package workers runs the golua-ws command with --workers and checks, over
// real sockets, that every listener of both dialects shares its port between
// the workers, and that exit codes follow the documented rules.
package workers

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	goruntime "runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/gorilla/websocket"
)

// The four listeners. Each answers with the id of the worker that took the
// connection; the HTTP ones also upgrade /ws and echo "ID:message". arg[1]
// is the port (0 for the two that can report the one they got).
var listeners = []struct {
	name, script string
	http, port0  bool
}{
	{"eco.http.server.listen", `
local eco = require 'eco'
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'
local w = require 'golua.worker'
eco.run(function()
	print('worker ' .. w.id .. ' listening on port ' .. arg[1])
	local _, err = http.listen('127.0.0.1', tonumber(arg[1]), { reuseaddr = true }, function(con, req)
		if req.path == '/ws' then
			local ws = assert(websocket.upgrade(con, req))
			while true do
				local d, typ = ws:recv_frame()
				if not d or typ == 'close' then break end
				ws:send_text(w.id .. ':' .. d)
			end
			return
		end
		local body = 'worker ' .. w.id
		con:add_header('content-length', #body)
		con:send(body)
	end)
	print('listen failed: ' .. tostring(err))
	os.exit(1)
end)
`, true, false},
	{"eco.socket.listen_tcp", `
local eco = require 'eco'
local socket = require 'eco.socket'
local w = require 'golua.worker'
local s = assert(socket.listen_tcp('127.0.0.1', tonumber(arg[1])))
print('worker ' .. w.id .. ' listening on port ' .. s:getsockname().port)
while true do
	local c = s:accept()
	if not c then break end
	eco.run(function()
		c:send('worker ' .. w.id .. '\n')
		c:close()
	end)
end
`, false, true},
	{"silly.net.http.listen", `
local http = require 'silly.net.http'
local websocket = require 'silly.net.websocket'
local w = require 'golua.worker'
assert(http.listen {
	addr = '127.0.0.1:' .. arg[1],
	handler = function(stream)
		if stream.path == '/ws' then
			local sock = assert(websocket.upgrade(stream))
			while true do
				local d, typ = sock:read()
				if not d or typ == 'close' then break end
				sock:write(w.id .. ':' .. d, 'text')
			end
			sock:close()
			return
		end
		local body = 'worker ' .. w.id
		stream:respond(200, {['content-length'] = #body})
		stream:closewrite(body)
	end,
})
print('worker ' .. w.id .. ' listening on port ' .. arg[1])
`, true, false},
	{"silly.net.tcp.listen", `
local tcp = require 'silly.net.tcp'
local w = require 'golua.worker'
local l = assert(tcp.listen { addr = '127.0.0.1:' .. arg[1], accept = function(conn)
	conn:write('worker ' .. w.id .. '\n')
	conn:close()
end })
print('worker ' .. w.id .. ' listening on port ' .. l:addr():match(':(%d+)$'))
`, false, true},
}

// server is a golua-ws process.
type server struct{ *specrun.Process }

// out and errOut are what the process printed so far.
func (s *server) out() string    { o, _ := s.Output(); return o }
func (s *server) errOut() string { _, e := s.Output(); return e }

// start runs script with flags and argument arg.
func start(t *testing.T, script, arg string, flags ...string) *server {
	t.Helper()
	path := filepath.Join(t.TempDir(), "server.lua")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	return &server{specrun.Start(t, path, specrun.Options{Flags: flags, Args: []string{arg}})}
}

var listeningRE = regexp.MustCompile(`worker (\d+) listening on port (\d+)`)

// ports waits until n workers said they listen and returns the ports.
func (s *server) ports(t *testing.T, n int) []string {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := listeningRE.FindAllStringSubmatch(s.out(), -1); len(m) >= n {
			var ports []string
			for _, x := range m {
				ports = append(ports, x[2])
			}
			return ports
		}
		select {
		case <-s.Done():
			t.Fatalf("the server exited: %v\nstdout: %s\nstderr: %s", s.ExitCode(), s.out(), s.errOut())
		default:
		}
	}
	t.Fatalf("%d workers did not listen\nstdout: %s\nstderr: %s", n, s.out(), s.errOut())
	return nil
}

// waitExit waits for the process and returns its exit code.
func (s *server) waitExit(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-s.Done():
		return s.ExitCode()
	case <-time.After(d):
		t.Fatalf("still running after %v\nstdout: %s\nstderr: %s", d, s.out(), s.errOut())
		return -1
	}
}

// ask opens one connection and returns the id of the worker that answered.
func ask(t *testing.T, addr string, useHTTP bool) string {
	t.Helper()
	var body string
	if useHTTP {
		client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Get("http://" + addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		body = string(b)
	} else {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		body, err = bufio.NewReader(c).ReadString('\n')
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	id, ok := strings.CutPrefix(strings.TrimSpace(body), "worker ")
	if !ok {
		t.Fatalf("reply %q", body)
	}
	return id
}

// askWS opens a WebSocket to /ws and returns the id in the echo.
func askWS(t *testing.T, addr string) string {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	c, _, err := d.Dial("ws://"+addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := c.WriteMessage(websocket.TextMessage, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	_, b, err := c.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	id, ok := strings.CutSuffix(string(b), ":hi")
	if !ok {
		t.Fatalf("echo %q", b)
	}
	return id
}

// TestTwoWorkersServeOnePort runs each listener under --workers 2 in both
// accept modes and checks that both workers answer connections to the one
// port (by golua.worker.id in the replies).
func TestTwoWorkersServeOnePort(t *testing.T) {
	for _, l := range listeners {
		for _, mode := range []string{"shared", "reuseport"} {
			t.Run(l.name+"/"+mode, func(t *testing.T) {
				arg := "0"
				if !l.port0 {
					arg = fmt.Sprint(specrun.FreePort(t))
				}
				s := start(t, l.script, arg, "--workers", "2", "--accept", mode)
				ports := s.ports(t, 2)
				if ports[0] != ports[1] {
					t.Fatalf("the workers listen on different ports %v", ports)
				}
				addr := "127.0.0.1:" + ports[0]
				seen := map[string]int{}
				// 40 connections on one worker of two is a 2^-39 chance
				// even under the kernel's SO_REUSEPORT hash.
				for i := 0; i < 40; i++ {
					seen[ask(t, addr, l.http)]++
				}
				if l.http {
					for i := 0; i < 40; i++ {
						seen[askWS(t, addr)]++
					}
				}
				if len(seen) != 2 || seen["1"] == 0 || seen["2"] == 0 {
					t.Fatalf("connections per worker id: %v", seen)
				}
				t.Logf("connections per worker id: %v", seen)
				if err := s.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
				if code := s.waitExit(t, 15*time.Second); code != 143 {
					t.Fatalf("exit %d after SIGTERM, want 143\nstderr: %s", code, s.errOut())
				}
			})
		}
	}
}

// TestOsExitInOneWorkerEndsTheProcess: worker 2 calls os.exit(3); worker 1,
// which would serve forever, is shut down and the process exits 3.
func TestOsExitInOneWorkerEndsTheProcess(t *testing.T) {
	script := `
if require('golua.worker').id == 2 then
	require('silly.time').sleep(300)
	io.stderr:write('worker 2 exits\n')
	os.exit(3)
end
` + listeners[3].script
	s := start(t, script, "0", "--workers", "2")
	s.ports(t, 1)
	if code := s.waitExit(t, 15*time.Second); code != 3 {
		t.Fatalf("exit %d, want 3\nstderr: %s", code, s.errOut())
	}
	if !strings.Contains(s.errOut(), "worker 2 exits") {
		t.Fatalf("stderr: %s", s.errOut())
	}
}

// TestSecondSignalExitsAtOnce: a handler that never finishes holds the
// graceful shutdown of both workers; the second SIGINT ends the process.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	script := `
local http = require 'silly.net.http'
local time = require 'silly.time'
local w = require 'golua.worker'
assert(http.listen { addr = '127.0.0.1:' .. arg[1], handler = function(stream)
	print('worker ' .. w.id .. ' stuck')
	time.sleep(60000)
end })
print('worker ' .. w.id .. ' listening on port ' .. arg[1])
`
	s := start(t, script, fmt.Sprint(specrun.FreePort(t)), "--workers", "2", "--shutdown-timeout", "30s")
	port := s.ports(t, 2)[0]
	for i := 0; i < 2; i++ {
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	for deadline := time.Now().Add(10 * time.Second); strings.Count(s.out(), "stuck") < 2; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("both workers did not get a request\nstdout: %s", s.out())
		}
	}
	_ = s.Signal(syscall.SIGINT)
	time.Sleep(300 * time.Millisecond)
	select {
	case <-s.Done():
		t.Fatalf("exited on the first signal while requests were in flight: %v", s.ExitCode())
	default:
	}
	_ = s.Signal(syscall.SIGINT)
	if code := s.waitExit(t, 10*time.Second); code != 0 {
		t.Fatalf("exit %d after two SIGINTs, want 0\nstderr: %s", code, s.errOut())
	}
}

// TestOneWorkerIsTheLoneRuntime: --workers 1 is the command without it:
// worker 1 of 1, and a script's exit code passes through.
func TestOneWorkerIsTheLoneRuntime(t *testing.T) {
	script := `
local w = require 'golua.worker'
print('worker ' .. w.id .. ' of ' .. w.count)
os.exit(tonumber(arg[1]))
`
	for _, flags := range [][]string{nil, {"--workers", "1"}} {
		s := start(t, script, "4", flags...)
		if code := s.waitExit(t, 15*time.Second); code != 4 || s.out() != "worker 1 of 1\n" {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q", flags, code, s.out(), s.errOut())
		}
	}
	// --workers auto is one per CPU. The first worker to call os.exit ends
	// the others, maybe before they print, so any one line will do.
	s := start(t, script, "0", "--workers", "auto")
	autoLine := regexp.MustCompile(`(?m)^worker [0-9]+ of ` + strconv.Itoa(goruntime.GOMAXPROCS(0)) + `$`)
	if code := s.waitExit(t, 15*time.Second); code != 0 || !autoLine.MatchString(s.out()) {
		t.Fatalf("auto: exit %d, stdout %q, stderr %q", code, s.out(), s.errOut())
	}
	// A script that ends on every worker ends the process with 0.
	s = start(t, `print('done ' .. require('golua.worker').id)`, "", "--workers", "3")
	if code := s.waitExit(t, 15*time.Second); code != 0 || strings.Count(s.out(), "done") != 3 {
		t.Fatalf("exit %d, stdout %q", code, s.out())
	}
}

// TestReloadReachesEveryWorker: a changed module is reloaded in both
// workers, by SIGHUP and by --watch.
func TestReloadReachesEveryWorker(t *testing.T) {
	const serverLua = `
local tcp = require 'silly.net.tcp'
local w = require 'golua.worker'
local handler = require 'handler'
local l = assert(tcp.listen { addr = '127.0.0.1:0', accept = function(conn)
	conn:write('worker ' .. w.id .. ' ' .. handler.version() .. '\n')
	conn:close()
end })
print('worker ' .. w.id .. ' listening on port ' .. l:addr():match(':(%d+)$'))
`
	for _, mode := range []string{"sighup", "watch"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			module := filepath.Join(dir, "handler.lua")
			write := func(version string, mtime time.Time) {
				src := fmt.Sprintf("local M = {}\nfunction M.version() return %q end\nreturn M\n", version)
				if err := os.WriteFile(module, []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Chtimes(module, mtime, mtime); err != nil {
					t.Fatal(err)
				}
			}
			write("v1", time.Now().Add(-time.Hour))
			if err := os.WriteFile(filepath.Join(dir, "server.lua"), []byte(serverLua), 0o644); err != nil {
				t.Fatal(err)
			}
			flags := []string{"--workers", "2"}
			if mode == "watch" {
				flags = append(flags, "--watch")
			}
			s := &server{specrun.Start(t, filepath.Join(dir, "server.lua"), specrun.Options{Flags: flags})}
			addr := "127.0.0.1:" + s.ports(t, 2)[0]
			write("v2", time.Now())
			if mode == "sighup" {
				_ = s.Signal(syscall.SIGHUP)
			}
			for deadline := time.Now().Add(15 * time.Second); strings.Count(s.errOut(), "reloaded handler") < 2; time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("not reloaded in both workers\nstderr: %s", s.errOut())
				}
			}
			seen := map[string]bool{}
			for i := 0; i < 20; i++ {
				seen[ask(t, addr, false)] = true
			}
			if !seen["1 v2"] || !seen["2 v2"] || len(seen) != 2 {
				t.Fatalf("replies after the reload: %v", seen)
			}
		})
	}
}

// TestSignalReachesEveryWorker: SIGUSR1 runs each worker's silly.signal
// handler.
func TestSignalReachesEveryWorker(t *testing.T) {
	script := `
local signal = require 'silly.signal'
local w = require 'golua.worker'
signal('SIGUSR1', function(name) print('worker ' .. w.id .. ' got ' .. name) end)
` + listeners[3].script
	s := start(t, script, "0", "--workers", "2")
	s.ports(t, 2)
	_ = s.Signal(syscall.SIGUSR1)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		out := s.out()
		if strings.Contains(out, "worker 1 got SIGUSR1") && strings.Contains(out, "worker 2 got SIGUSR1") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("SIGUSR1 did not reach both workers\nstdout: %s\nstderr: %s", out, s.errOut())
		}
	}
}
