package hostile

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The announced-length attack (issue #13 item 2): 100 connections each send
// a frame header announcing 16 MiB and one byte of payload, then wait. A
// server that sizes its buffers from the header grows by 1.6 GB; the heap
// must grow by less than 64 MiB, and a normal client must still be served.

const (
	announcedConns = 100
	announcedLen   = 16 << 20
	announcedBound = 64 << 20
)

// announcedEcoServer is an eco echo server: frames up to 32 MiB accepted.
const announcedEcoServer = `
local eco = require 'eco'
local http = require 'eco.http.server'
local websocket = require 'eco.websocket'
local port = tonumber((...))

local function handler(con, req)
  local ws, err = websocket.upgrade(con, req, { max_payload_len = 32 * 1024 * 1024 })
  if not ws then return nil, err end
  while true do
    local data, typ = ws:recv_frame()
    if not data or typ == 'close' then return end
    if typ == 'text' then ws:send_text(data) end
  end
end

eco.run(function()
  assert(http.listen('127.0.0.1', port, { reuseaddr = true }, handler))
end)
eco.loop()
`

// announcedSillyServer is a silly echo server with the default maxmessage
// (32 MiB).
const announcedSillyServer = `
local task = require "silly.task"
local http = require "silly.net.http"
local websocket = require "silly.net.websocket"
local port = ...

task.fork(function()
  http.listen {
    addr = "127.0.0.1:" .. port,
    handler = function(stream)
      local sock = websocket.upgrade(stream)
      if not sock then return end
      while true do
        local data, typ = sock:read()
        if not data or typ == "close" then break end
        if typ == "text" then sock:write(data, "text") end
      end
      sock:close()
    end,
  }
end)
`

func TestAnnouncedLength(t *testing.T) {
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		t.Skip("needs /proc/net/tcp to see that the server read every byte sent")
	}
	frame := append(announcedHeader(true, 2, announcedLen), 'x'^announcedKey[0])
	fragment := append(announcedHeader(false, 2, announcedLen), 'x'^announcedKey[0])
	for _, dialect := range []struct{ name, script string }{
		{"eco", announcedEcoServer},
		{"silly", announcedSillyServer},
	} {
		for _, attack := range []struct {
			name string
			wire []byte
		}{{"frame", frame}, {"first-fragment", fragment}} {
			t.Run(dialect.name+"/"+attack.name, func(t *testing.T) {
				announcedAttack(t, dialect.script, attack.wire)
			})
		}
	}
}

var announcedKey = [4]byte{0x37, 0xfa, 0x21, 0x3d}

// announcedHeader is a masked client frame header announcing n bytes.
func announcedHeader(fin bool, op byte, n uint64) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	h := binary.BigEndian.AppendUint64([]byte{b0, 0x80 | 127}, n)
	return append(h, announcedKey[:]...)
}

func announcedAttack(t *testing.T, script string, wire []byte) {
	srv := layerServe(t, script, nil)
	addr := strings.TrimSuffix(strings.TrimPrefix(srv.url, "ws://"), "/ws")
	_, portText, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portText)
	announcedEcho(t, addr, "warm-up") // the server has served once

	before := announcedHeap()
	var attackers []net.Conn
	defer func() {
		for _, nc := range attackers {
			nc.Close()
		}
	}()
	for i := 0; i < announcedConns; i++ {
		nc := announcedUpgrade(t, addr)
		attackers = append(attackers, nc)
		if _, err := nc.Write(wire); err != nil {
			t.Fatal(err)
		}
	}
	announcedAllRead(t, port, announcedConns)
	after := announcedHeap()
	alloc := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	inuse := int64(after.HeapInuse) - int64(before.HeapInuse)
	sys := int64(after.HeapSys) - int64(before.HeapSys)
	t.Logf("%d connections announcing %d MiB: heap growth HeapAlloc %.1f MiB, HeapInuse %.1f MiB, HeapSys %.1f MiB",
		announcedConns, announcedLen>>20, float64(alloc)/(1<<20), float64(inuse)/(1<<20), float64(sys)/(1<<20))
	if alloc > announcedBound || inuse > announcedBound || sys > announcedBound {
		t.Errorf("heap grew by more than %d MiB (HeapAlloc %d, HeapInuse %d, HeapSys %d bytes)", announcedBound>>20, alloc, inuse, sys)
	}
	announcedEcho(t, addr, "still served") // while the attackers hold on
}

// announcedHeap returns the heap after two collections (the second one
// empties sync.Pool's victim cache, so pooled free buffers do not count).
func announcedHeap() runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms
}

// announcedEcho dials with a normal client (waiting up to 10 s for the
// server to listen) and checks that a text message comes back.
func announcedEcho(t *testing.T, addr, msg string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var c *websocket.Conn
	for {
		var err error
		c, _, err = websocket.DefaultDialer.Dial("ws://"+addr+"/ws", nil)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("dial the server: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := c.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatalf("echo %q: write: %v", msg, err)
	}
	typ, p, err := c.ReadMessage()
	if err != nil || typ != websocket.TextMessage || string(p) != msg {
		t.Fatalf("echo %q: got %d %q, %v", msg, typ, p, err)
	}
	_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
}

// announcedUpgrade opens a raw connection and does the opening handshake by
// hand; it returns once the 101 response is read, so that what is written
// next reaches the WebSocket reader and not the HTTP front door.
func announcedUpgrade(t *testing.T, addr string) net.Conn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_ = nc.SetDeadline(time.Now().Add(20 * time.Second))
	req := "GET /ws HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := nc.Write([]byte(req)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(nc)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols || br.Buffered() > 0 {
		t.Fatalf("handshake: %s with %d bytes after it", resp.Status, br.Buffered())
	}
	return nc
}

// announcedAllRead waits (up to 10 s) until at least n established
// connections to the server's port exist and the kernel holds no unread
// byte for any of them: the server has read every header and byte sent.
func announcedAllRead(t *testing.T, port, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		conns, unread, err := announcedRxQueues(port)
		if err != nil {
			t.Fatal(err)
		}
		if conns >= n && unread == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s: %d server connections, %d of them with unread bytes", conns, unread)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// announcedRxQueues counts the established sockets whose local port is
// port in /proc/net/tcp and tcp6, and those with bytes not yet read.
func announcedRxQueues(port int) (conns, unread int, err error) {
	suffix := fmt.Sprintf(":%04X", port)
	for _, name := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(name)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return 0, 0, fmt.Errorf("read %s: %w", name, err)
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			f := strings.Fields(line)
			// sl local_address rem_address st tx_queue:rx_queue ...
			if len(f) < 5 || !strings.HasSuffix(f[1], suffix) || f[3] != "01" {
				continue
			}
			conns++
			_, rx, _ := strings.Cut(f[4], ":")
			if q, err := strconv.ParseUint(rx, 16, 64); err != nil || q != 0 {
				unread++
			}
		}
	}
	return conns, unread, nil
}
