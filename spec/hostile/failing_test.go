package hostile

import (
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/wscore"
)

// Handlers that fail after the upgrade: a Lua error once the first message
// came, or (with "panic") a call that makes a binding misbehave in Go.
const failSillyScript = `
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"
assert(http.listen {
	addr = "127.0.0.1:" .. arg[1],
	handler = function(stream)
		local sock = assert(websocket.upgrade(stream))
		local d = sock:read()
		error("handler failed on " .. tostring(d))
	end,
})
`

const failEcoScript = `
local eco = require 'eco'
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'
local function handler(con, req)
	local ws = assert(websocket.upgrade(con, req))
	local d = ws:recv_frame()
	error("handler failed on " .. tostring(d))
end
eco.run(function()
	local _, err = http.listen('127.0.0.1', tonumber(arg[1]), { reuseaddr = true }, handler)
	error(err)
end)
`

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
