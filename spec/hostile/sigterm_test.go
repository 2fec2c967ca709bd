package hostile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/gorilla/websocket"
)

// Echo servers with a slow HTTP endpoint: /slow prints "slow started" and
// answers "slow done" a second later; a WebSocket request is echoed.
const sigtermEcoScript = `
local eco = require 'eco'
local time = require 'eco.time'
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'
local function handler(con, req)
	if req.path == '/slow' then
		print('slow started')
		time.sleep(1)
		con:send('slow done')
		return
	end
	local ws = assert(websocket.upgrade(con, req))
	while true do
		local d, typ = ws:recv_frame()
		if not d or typ == 'close' then break end
		ws:send_frame(true, typ == 'text' and 1 or 2, d)
	end
end
eco.run(function()
	local _, err = http.listen('127.0.0.1', tonumber(arg[1]), { reuseaddr = true }, handler)
	-- as scripts/eco/echo_server.lua does: listen returns only on failure
	print('listen failed: ' .. tostring(err))
	os.exit(1)
end)
`

const sigtermSillyScript = `
local time = require "silly.time"
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"
assert(http.listen {
	addr = "127.0.0.1:" .. arg[1],
	handler = function(stream)
		if stream.path == "/slow" then
			print("slow started")
			time.sleep(1000)
			stream:respond(200, {["content-length"] = 9})
			stream:closewrite("slow done")
			return
		end
		local sock = assert(websocket.upgrade(stream))
		while true do
			local d, typ = sock:read()
			if not d or typ == "close" then break end
			sock:write(d, typ)
		end
		sock:close()
	end,
})
`

// sigtermPeers is how many WebSocket peers are open at the SIGTERM; the
// last one never reads, so it never answers the server's close.
const sigtermPeers = 20

// sigtermTimeout is the --shutdown-timeout the server runs with.
const sigtermTimeout = 3 * time.Second

func TestSigtermEco(t *testing.T)   { sigtermRun(t, sigtermEcoScript) }
func TestSigtermSilly(t *testing.T) { sigtermRun(t, sigtermSillyScript) }

// Under --workers 2 the peers and the slow request spread over both
// workers; SIGTERM shuts every worker down the same way.
func TestSigtermEcoTwoWorkers(t *testing.T)   { sigtermRun(t, sigtermEcoScript, "--workers", "2") }
func TestSigtermSillyTwoWorkers(t *testing.T) { sigtermRun(t, sigtermSillyScript, "--workers", "2") }

// sigtermServer is a golua-ws process running a script.
type sigtermServer struct {
	cmd            *exec.Cmd
	addr           string
	stdout, stderr *syncbuf.Buffer
	exited         chan struct{} // closed when the process has exited
}

// sigtermStart runs script with the golua-ws command on a free port with
// the given flags and waits until it accepts connections.
func sigtermStart(t *testing.T, script string, flags ...string) *sigtermServer {
	t.Helper()
	return sigtermStartWith(t, specrun.Binary(t), script, flags...)
}

// sigtermStartWith is sigtermStart with the golua-ws binary to run.
func sigtermStartWith(t *testing.T, binary, script string, flags ...string) *sigtermServer {
	t.Helper()
	path := filepath.Join(t.TempDir(), "server.lua")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	port := specrun.FreePort(t)
	s := &sigtermServer{addr: fmt.Sprintf("127.0.0.1:%d", port), stdout: &syncbuf.Buffer{}, stderr: &syncbuf.Buffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(binary, append(flags, path, fmt.Sprint(port))...)
	s.cmd.Env = append(os.Environ(), "QUIET=1")
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.exited
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", s.addr)
		if err == nil {
			c.Close()
			return s
		}
		select {
		case <-s.exited:
			t.Fatalf("the server exited: %v\nstderr: %s", s.cmd.ProcessState, s.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not listen on %s: %v\nstderr: %s", s.addr, err, s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sigtermDial opens a WebSocket to the server and checks the echo.
func sigtermDial(t *testing.T, addr string) *websocket.Conn {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 5 * time.Second}
	c, _, err := d.Dial("ws://"+addr+"/", nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := c.WriteMessage(websocket.TextMessage, []byte("hi")); err != nil {
		t.Fatal(err)
	}
	if _, b, err := c.ReadMessage(); err != nil || string(b) != "hi" {
		t.Fatalf("echo: %q %v", b, err)
	}
	_ = c.SetReadDeadline(time.Time{})
	return c
}

// sigtermRun opens WebSocket peers and one slow HTTP request, sends
// SIGTERM, and checks that the request completes, the process exits with
// 143 within the shutdown timeout although one peer never answers, and
// (with the connection layer) that every reading peer got close 1001.
func sigtermRun(t *testing.T, script string, flags ...string) {
	s := sigtermStart(t, script, append([]string{"--shutdown-timeout", sigtermTimeout.String()}, flags...)...)
	peers := make([]*websocket.Conn, sigtermPeers)
	for i := range peers {
		peers[i] = sigtermDial(t, s.addr)
		defer peers[i].Close()
	}
	// Every peer but the last reads until its connection ends; gorilla
	// answers a close frame with its own.
	codes := make(chan int, sigtermPeers-1)
	for _, c := range peers[:sigtermPeers-1] {
		go func() {
			_ = c.SetReadDeadline(time.Now().Add(sigtermTimeout + 5*time.Second))
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					var ce *websocket.CloseError
					if errors.As(err, &ce) {
						codes <- ce.Code
					} else {
						codes <- -1 // no close frame
					}
					return
				}
			}
		}()
	}

	type result struct {
		status, body string
		err          error
	}
	slow := make(chan result, 1)
	go func() {
		c, err := net.Dial("tcp", s.addr)
		if err != nil {
			slow <- result{err: err}
			return
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(sigtermTimeout + 5*time.Second))
		fmt.Fprintf(c, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			slow <- result{err: err}
			return
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, int64(len("slow done"))))
		slow <- result{resp.Status, string(b), err}
	}()
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(s.stdout.String(), "slow started"); {
		if time.Now().After(deadline) {
			t.Fatalf("the slow request did not start\nstderr: %s", s.stderr)
		}
		time.Sleep(5 * time.Millisecond)
	}

	sent := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	case <-time.After(sigtermTimeout + 3*time.Second):
		t.Fatalf("the server still runs %v after SIGTERM (--shutdown-timeout %v)\nstderr: %s",
			time.Since(sent), sigtermTimeout, s.stderr)
	}
	took := time.Since(sent)
	if code := s.cmd.ProcessState.ExitCode(); code != 143 {
		t.Errorf("exit code %d after SIGTERM, want 143\nstderr: %s", code, s.stderr)
	}
	r := <-slow
	if r.err != nil || r.status != "200 OK" || r.body != "slow done" {
		t.Errorf("the slow request in flight at SIGTERM: %q %q %v", r.status, r.body, r.err)
	}
	got := make(map[int]int)
	for range sigtermPeers - 1 {
		select {
		case code := <-codes:
			got[code]++
		case <-time.After(5 * time.Second):
			t.Fatalf("a peer's connection did not end; so far %v", got)
		}
	}
	t.Logf("exit %v after SIGTERM; reading peers' close codes (-1: none): %v", took.Round(time.Millisecond), got)
	if got[websocket.CloseGoingAway] != sigtermPeers-1 {
		t.Errorf("close codes %v, want %d × 1001", got, sigtermPeers-1)
	}
}
