package hostile

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/wscore"
)

// Handlers that fail after the upgrade: a Lua error once the first message
// came, or (with "panic") a call that makes a binding misbehave in Go.
var failSillyScript = layerSilly("", `
		local sock = assert(websocket.upgrade(stream))
		local d = sock:read()
		error("handler failed on " .. tostring(d))`)

var failEcoScript = layerEco("", `
	local ws = assert(websocket.upgrade(con, req))
	local d = ws:recv_frame()
	error("handler failed on " .. tostring(d))`)

func TestFailingHandlersSilly(t *testing.T) { failRun(t, failSillyScript) }
func TestFailingHandlersEco(t *testing.T)   { failRun(t, failEcoScript) }

const failClients = 300

// failRun: 300 clients, 50 at a time, each sends one message to a handler
// that then fails; each must see close 1011, and once all are done the
// process holds as many descriptors as before.
func failRun(t *testing.T, script string) {
	srv := layerServe(t, script, nil)
	// One connection first, so that lazily opened descriptors (the
	// runtime's, the poller's) are counted in the baseline.
	if code := failOne(srv.url); code != wscore.StatusInternalError {
		t.Fatalf("close code %d, want 1011; server: %.2000s", code, srv.stderr)
	}
	before := layerOpenFDs(t)

	codes := make([]int, failClients)
	sem := make(chan struct{}, 50)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			codes[i] = failOne(srv.url)
		}()
	}
	wg.Wait()
	bad := 0
	for i, code := range codes {
		if code != wscore.StatusInternalError {
			bad++
			if bad <= 5 {
				t.Errorf("client %d: close code %d, want 1011", i, code)
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d clients did not see 1011; server: %.2000s", bad, failClients, srv.stderr)
	}
	// The server's half of each connection closes after its close
	// handshake; allow it a moment.
	var after int
	for deadline := time.Now().Add(5 * time.Second); ; {
		after = layerOpenFDs(t)
		if after <= before+5 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("open descriptors: %d before, %d after %d failed handlers", before, after, failClients)
	if after > before+5 {
		t.Errorf("open descriptors: %d before, %d after: the failed handlers leaked their sockets", before, after)
	}
}

// failOne connects, sends a message, and returns the close code the server
// answers with (-1 when it cannot connect); it closes its own side.
func failOne(url string) int {
	c, err := layerDialErr(url, 0)
	if err != nil {
		return -1
	}
	defer c.CloseNow()
	if err := c.WriteMessage(wscore.OpText, []byte("hello")); err != nil {
		return -1
	}
	return layerCloseCode(c, 10*time.Second)
}

// Keepalive: with ping_interval/idle_timeout (eco, seconds) or
// pinginterval/idletimeout (silly, ms), a peer that never answers pings is
// closed with 1011 and one that answers stays.
var failKeepaliveSilly = layerSilly("", `
		local sock = assert(websocket.upgrade(stream, { pinginterval = 100, idletimeout = 200 }))
		while sock:read() do end
		sock:close()`)

var failKeepaliveEco = layerEco("", `
	local ws = assert(websocket.upgrade(con, req, { ping_interval = 0.1, idle_timeout = 0.2 }))
	while ws:recv_frame() do end`)

func TestKeepaliveSilly(t *testing.T) { failKeepalive(t, failKeepaliveSilly) }
func TestKeepaliveEco(t *testing.T)   { failKeepalive(t, failKeepaliveEco) }

func failKeepalive(t *testing.T, script string) {
	srv := layerServe(t, script, nil)
	mute := layerDial(t, srv.url, 0)
	defer mute.CloseNow()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	alive, _, err := wscore.Dial(ctx, srv.url, &wscore.DialOptions{Conn: wscore.Options{AutoPong: true}})
	if err != nil {
		t.Fatal(err)
	}
	defer alive.CloseNow()
	pings := make(chan int, 1)
	var aliveErr error
	go func() {
		n := 0
		_ = alive.SetReadDeadline(time.Now().Add(time.Second))
		for {
			op, _, err := alive.ReadMessage()
			if err != nil {
				aliveErr = err
				pings <- n
				return
			}
			if op == wscore.OpPing {
				n++
			}
		}
	}()
	// The mute peer reads nothing for a second: no pong goes back.
	time.Sleep(time.Second)
	if code := layerCloseCode(mute, 5*time.Second); code != wscore.StatusInternalError {
		t.Errorf("a peer that never answers pings: close %d, want 1011", code)
	}
	if n := <-pings; n < 5 {
		t.Errorf("the answering peer saw %d pings in a second, want about 10", n)
	}
	// The answering peer is still served: its read ended by its own
	// deadline, not by a close.
	if !errors.Is(aliveErr, os.ErrDeadlineExceeded) {
		t.Errorf("the answering peer's read ended with %v, want its own deadline", aliveErr)
	}
}
