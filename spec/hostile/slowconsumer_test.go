package hostile

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/wscore"
)

// The naive broadcast a user writes first: a loop over every client
// calling the send method, one round per message. Once N clients are
// connected, ROUNDS rounds of SIZE-byte binary messages go out, with a
// millisecond's pause between rounds; then every client still in the
// table gets "done <longest round in ms> <failed sends>". A client whose
// first message is "bulk" instead gets BULK bytes in one message each
// time it asks.
var scSillyScript = layerSilly(`
local time = require "silly.time"
local task = require "silly.task"
local N, ROUNDS, SIZE = tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4])
local opts = arg[5] == "timeout" and { maxqueued = -1, writetimeout = 500 } or nil
local clients, count, readwhy = {}, 0, "-"
local function broadcast()
	local chunk = string.rep("x", SIZE - 8)
	local longest, failed, why = 0, 0, "-"
	for i = 1, ROUNDS do
		local msg = string.format("%08d", i) .. chunk
		local t0 = time.now()
		for sock in pairs(clients) do
			local ok, err = sock:write(msg, "binary")
			if not ok then
				clients[sock] = nil
				failed = failed + 1
				why = err
			end
		end
		local d = time.now() - t0
		if d > longest then longest = d end
		time.sleep(1)
	end
	local stats = "done " .. longest .. " " .. failed .. " " .. why .. "|" .. readwhy
	for sock in pairs(clients) do sock:write(stats, "text") end
end`, `
		local sock = assert(websocket.upgrade(stream, opts))
		local first = sock:read()
		if first and first:sub(1, 4) == "bulk" then
			local big = string.rep("b", tonumber(first:sub(6)))
			repeat
				assert(sock:write(big, "binary"))
			until sock:read() ~= "more"
			sock:close()
			return
		end
		clients[sock] = true
		count = count + 1
		if count == N then task.fork(broadcast) end
		while true do
			local d, typ = sock:read()
			if not d then readwhy = typ break end
			if typ == "close" then break end
		end
		clients[sock] = nil
		sock:close()`)

var scEcoScript = layerEco(`
local time = require 'eco.time'
local N, ROUNDS, SIZE = tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4])
local opts = { max_payload_len = 64 * 1024 * 1024 }
if arg[5] == "timeout" then opts.max_queued, opts.write_timeout = -1, 0.5 end
local clients, count, readwhy = {}, 0, "-"
local function broadcast()
	local chunk = string.rep("x", SIZE - 8)
	local longest, failed, why = 0, 0, "-"
	for i = 1, ROUNDS do
		local msg = string.format("%08d", i) .. chunk
		local t0 = time.now()
		for ws in pairs(clients) do
			local n, err = ws:send_binary(msg)
			if not n then
				clients[ws] = nil
				failed = failed + 1
				why = err
			end
		end
		local d = math.floor((time.now() - t0) * 1000)
		if d > longest then longest = d end
		eco.sleep(0.001)
	end
	local stats = "done " .. longest .. " " .. failed .. " " .. why .. "|" .. readwhy
	for ws in pairs(clients) do ws:send_text(stats) end
end`, `
	local ws = assert(websocket.upgrade(con, req, opts))
	local first = ws:recv_frame()
	if first and first:sub(1, 4) == "bulk" then
		local big = string.rep("b", tonumber(first:sub(6)))
		repeat
			assert(ws:send_binary(big))
		until ws:recv_frame() ~= "more"
		return
	end
	clients[ws] = true
	count = count + 1
	if count == N then eco.run(broadcast) end
	while true do
		local d, typ, err = ws:recv_frame()
		if not d then readwhy = err break end
		if typ == 'close' then break end
	end
	clients[ws] = nil`)

// scRun's last arguments are what the failed send and the stalled
// client's handler's read return.
func TestSlowConsumerSilly(t *testing.T) {
	scRun(t, scSillyScript, "", "slow consumer", "slow consumer")
}
func TestSlowConsumerEco(t *testing.T) {
	scRun(t, scEcoScript, "", "failed to send frame: slow consumer", "failed to receive the first 2 bytes: slow consumer")
}

// With no limit on queued bytes and a 500 ms write timeout, the stalled
// client is cut off by the timeout instead. Its handler's read may notice
// before the broadcast sends to it again: no send needs to fail then.
func TestWriteTimeoutSilly(t *testing.T) {
	scRun(t, scSillyScript, "timeout", "write timeout", "write timeout")
}
func TestWriteTimeoutEco(t *testing.T) {
	scRun(t, scEcoScript, "timeout", "failed to send frame: write timeout", "failed to receive the first 2 bytes: write timeout")
}

func TestBulkSenderSilly(t *testing.T) { scBulk(t, scSillyScript) }
func TestBulkSenderEco(t *testing.T)   { scBulk(t, scEcoScript) }

const (
	scReaders = 10
	scRounds  = 2000
	scSize    = 16 << 10
)

// scRun connects ten readers and one client that never reads, starts the
// broadcast and checks the slow-consumer policy: bounded server memory,
// the readers get everything, the sender never waits, the stalled client
// is cut off.
func scRun(t *testing.T, script, mode, wantSend, wantRead string) {
	srv := layerServe(t, script, nil, strconv.Itoa(scReaders+1), strconv.Itoa(scRounds), strconv.Itoa(scSize), mode)
	readers := make([]*wscore.Conn, scReaders)
	for i := range readers {
		readers[i] = layerDial(t, srv.url, 0)
		if err := readers[i].WriteMessage(wscore.OpText, []byte("hi")); err != nil {
			t.Fatal(err)
		}
	}
	stalled := layerDial(t, srv.url, 4096)
	defer stalled.CloseNow()
	if err := stalled.WriteMessage(wscore.OpText, []byte("hi")); err != nil {
		t.Fatal(err)
	}

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
		}
	}()

	type result struct {
		got   int
		stats string
		err   error
	}
	results := make([]result, scReaders)
	var wg sync.WaitGroup
	for i, c := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.CloseNow()
			_ = c.SetReadDeadline(time.Now().Add(25 * time.Second))
			for {
				op, data, err := c.ReadMessage()
				if err != nil {
					results[i].err = err
					return
				}
				if op == wscore.OpBinary && len(data) == scSize {
					results[i].got++
				}
				if op == wscore.OpText && strings.HasPrefix(string(data), "done ") {
					results[i].stats = string(data)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	sampler.Wait()

	growth := int64(peak.Load()) - int64(base)
	t.Logf("heap growth during the broadcast: %.1f MiB", float64(growth)/(1<<20))
	if growth > 32<<20 {
		t.Errorf("heap grew by %.1f MiB, want at most 32 MiB", float64(growth)/(1<<20))
	}
	for i, r := range results {
		if r.stats == "" {
			t.Fatalf("reader %d got no stats (%d messages, %v); server: %s", i, r.got, r.err, srv.stderr)
		}
		if r.got < scRounds*9/10 {
			t.Errorf("reader %d got %d of %d messages", i, r.got, scRounds)
		}
	}
	var longest, failed int
	if _, err := fmt.Sscanf(results[0].stats, "done %d %d", &longest, &failed); err != nil {
		t.Fatalf("stats %q: %v", results[0].stats, err)
	}
	why := strings.SplitN(strings.SplitN(results[0].stats, " ", 4)[3], "|", 2)
	t.Logf("longest broadcast round %d ms, %d failed sends (%s); the stalled handler's read: %s", longest, failed, why[0], why[1])
	if failed > 0 && why[0] != wantSend {
		t.Errorf("the failed send returned %q, want %q", why[0], wantSend)
	}
	if why[1] != wantRead {
		t.Errorf("the stalled client's read returned %q, want %q", why[1], wantRead)
	}
	// The write timeout is 10 s: a send that waited for the stalled peer
	// would show here as seconds.
	if longest > 1000 {
		t.Errorf("a broadcast round took %d ms: the sender was blocked", longest)
	}
	if failed > 1 || (mode == "" && failed != 1) {
		t.Errorf("%d sends failed, want 1 (the stalled client's)", failed)
	}
	// The stalled client is cut off: reading what it was sent ends in an
	// error (the TCP connection was closed) well before everything came.
	got := 0
	_ = stalled.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		op, data, err := stalled.ReadMessage()
		if err != nil {
			break
		}
		if op == wscore.OpBinary && len(data) == scSize {
			got++
		}
	}
	t.Logf("stalled client got %d of %d messages", got, scRounds)
	if got >= scRounds {
		t.Errorf("the stalled client got every message: it was never cut off")
	}
}

// scBulk: a single message larger than the queue limit goes out whole, to
// a client that reads, three times in a row.
func scBulk(t *testing.T, script string) {
	srv := layerServe(t, script, nil, "1000", "1", "16", "")
	c := layerDial(t, srv.url, 0)
	defer c.CloseNow()
	const n = 6 << 20 // beyond the 4 MiB default limit
	if err := c.WriteMessage(wscore.OpText, []byte(fmt.Sprintf("bulk %d", n))); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	for i := 0; i < 3; i++ {
		op, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("bulk message %d: %v; server: %s", i, err, srv.stderr)
		}
		if op != wscore.OpBinary || len(data) != n {
			t.Fatalf("bulk message %d: %v of %d bytes, want %d", i, op, len(data), n)
		}
		next := "more"
		if i == 2 {
			next = "enough"
		}
		if err := c.WriteMessage(wscore.OpText, []byte(next)); err != nil {
			t.Fatal(err)
		}
	}
}
