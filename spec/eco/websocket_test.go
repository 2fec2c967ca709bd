package eco_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/rfc6455"
	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/gorilla/websocket"
)

// wsScript returns the path of a script under scripts/eco.
func wsScript(t testing.TB, name string) string {
	return filepath.Join(specrun.Root(t), "scripts", "eco", name)
}

// wsStartEcho starts scripts/eco/echo_server.lua on a free port and returns
// the process and its ws:// URL.
func wsStartEcho(t testing.TB, env ...string) (*specrun.Process, string) {
	port := specrun.FreePort(t)
	p := specrun.Start(t, wsScript(t, "echo_server.lua"), specrun.Options{
		Args: []string{strconv.Itoa(port)},
		Env:  append([]string{"QUIET=1"}, env...),
	})
	addr := "127.0.0.1:" + strconv.Itoa(port)
	p.WaitForPort(addr, 20*time.Second)
	return p, "ws://" + addr + "/ws"
}

// TestWSSpec runs the eco.websocket spec script: every function, option,
// return convention and error string, and the failure paths.
func TestWSSpec(t *testing.T) {
	p1, p2 := specrun.FreePort(t), specrun.FreePort(t)
	for p2 == p1 {
		p2 = specrun.FreePort(t)
	}
	specrun.Run(t, "ws_spec.lua", specrun.Options{
		Args:    []string{strconv.Itoa(p1), strconv.Itoa(p2)},
		Timeout: 60 * time.Second,
	})
}

// TestWSUpgradeLuaCon runs websocket.upgrade with a con written in Lua
// (lua-eco's upgrade accepts any object with its methods): the request's
// checks and their error strings, and the 101 reply on success.
func TestWSUpgradeLuaCon(t *testing.T) {
	specrun.RunToEnd(t, "ws_upgrade_luacon.lua", specrun.Options{Flags: coreFatal()}, "ws_upgrade_luacon ok")
}

// TestWSSeedExamples runs the two usage examples of the eco.websocket seed,
// unchanged, against each other (they hard-code port 8080).
func TestWSSeedExamples(t *testing.T) {
	specrun.LockPort(t, 8080)
	srv := specrun.Start(t, "seed_upgrade.lua", specrun.Options{Timeout: 60 * time.Second})
	srv.WaitForPort("127.0.0.1:8080", 20*time.Second)

	// The connect example: it connects, sends 'hello' and must exit 0.
	specrun.Run(t, "seed_connect.lua", specrun.Options{Timeout: 20 * time.Second})

	// The upgrade example answers a ping with a pong carrying its data.
	c, _, err := websocket.DefaultDialer.Dial("ws://127.0.0.1:8080/ws", nil)
	if err != nil {
		t.Fatalf("dial the seed server: %v", err)
	}
	defer c.Close()
	got := make(chan string, 1)
	c.SetPongHandler(func(data string) error { got <- data; return nil })
	if err := c.WriteControl(websocket.PingMessage, []byte("seed-ping"), time.Now().Add(2*time.Second)); err != nil {
		t.Fatalf("ping: %v", err)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	go func() {
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}()
	select {
	case d := <-got:
		if d != "seed-ping" {
			t.Fatalf("pong carries %q, want %q", d, "seed-ping")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no pong from the seed upgrade example")
	}
	if _, stderr := srv.Output(); stderr != "" {
		t.Fatalf("seed server wrote to stderr:\n%s", stderr)
	}
}

// wsRaiseFDLimit lifts the soft open-files limit to the hard limit.
func wsRaiseFDLimit(t *testing.T, need uint64) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl); err != nil {
		t.Fatalf("getrlimit: %v", err)
	}
	if rl.Cur < rl.Max {
		rl.Cur = rl.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	}
	if rl.Cur < need {
		t.Skipf("open-files limit %d is below the %d this test needs", rl.Cur, need)
	}
}

// TestWSGorilla1000 holds 1,000 concurrent gorilla/websocket connections to
// the eco echo script; each exchanges 100 binary and text messages of 1 KiB,
// checked byte for byte. No error is tolerated.
func TestWSGorilla1000(t *testing.T) {
	const conns, msgs, size = 1000, 100, 1024
	wsRaiseFDLimit(t, 2*conns+200)
	srv, url := wsStartEcho(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	dialer := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	var (
		wg       sync.WaitGroup
		failures atomic.Int64
		firstErr sync.Once
		errMsg   string
	)
	fail := func(format string, a ...any) {
		failures.Add(1)
		firstErr.Do(func() { errMsg = fmt.Sprintf(format, a...) })
	}
	all := make(chan struct{})
	var connected sync.WaitGroup
	connected.Add(conns)
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, _, err := dialer.DialContext(ctx, url, nil)
			connected.Done()
			if err != nil {
				fail("conn %d: dial: %v", i, err)
				return
			}
			defer c.Close()
			// Hold every connection open at once before exchanging.
			select {
			case <-all:
			case <-ctx.Done():
				fail("conn %d: timed out waiting for the others", i)
				return
			}
			msg := make([]byte, size)
			for j := 0; j < msgs; j++ {
				_, _ = rand.Read(msg)
				typ := websocket.BinaryMessage
				if j%2 == 1 {
					typ = websocket.TextMessage
					for k := range msg {
						msg[k] = 'a' + msg[k]%26
					}
				}
				deadline, _ := ctx.Deadline()
				_ = c.SetWriteDeadline(deadline)
				_ = c.SetReadDeadline(deadline)
				if err := c.WriteMessage(typ, msg); err != nil {
					fail("conn %d msg %d: write: %v", i, j, err)
					return
				}
				gt, got, err := c.ReadMessage()
				if err != nil {
					fail("conn %d msg %d: read: %v", i, j, err)
					return
				}
				if gt != typ || !bytes.Equal(got, msg) {
					fail("conn %d msg %d: echo differs (type %d, %d bytes)", i, j, gt, len(got))
					return
				}
			}
			_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(1000, ""), time.Now().Add(5*time.Second))
		}(i)
	}
	connected.Wait()
	close(all)
	wg.Wait()
	if n := failures.Load(); n > 0 {
		_, stderr := srv.Output()
		t.Fatalf("%d of %d connections failed; first: %s\nserver stderr:\n%s", n, conns, errMsg, stderr)
	}
}

// TestWSServerSuite runs the RFC 6455 conformance suite (server role)
// against the eco echo script, which echoes frame by frame with send_frame.
func TestWSServerSuite(t *testing.T) {
	_, url := wsStartEcho(t)
	rfc6455.RunServerSuite(t, url, rfc6455.SuiteOptions{})
}

// TestWSClientSuite runs the RFC 6455 conformance suite (client role)
// against scripts/eco/client.lua --echo, one process per case.
func TestWSClientSuite(t *testing.T) {
	script := wsScript(t, "client.lua")
	rfc6455.RunClientSuite(t, func(t *testing.T, url string) {
		specrun.Start(t, script, specrun.Options{Args: []string{"--echo", url}, Timeout: 60 * time.Second})
	}, rfc6455.SuiteOptions{
		QuickSplits: true,
	})
}
