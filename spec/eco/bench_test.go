package eco_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/wscore"
	"github.com/gorilla/websocket"
)

// benchGoEcho starts a pure-Go echo server (wscore, frame by frame, like the
// eco script) and returns its ws:// URL.
func benchGoEcho(b *testing.B) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := wscore.Accept(w, r, &wscore.AcceptOptions{Conn: wscore.Options{ManualCloseReply: true}})
		if err != nil {
			return
		}
		defer c.NetConn().Close()
		for {
			f, err := c.ReadFrame()
			if err != nil {
				return
			}
			switch f.Opcode {
			case wscore.OpPing:
				_, err = c.WriteFrame(true, wscore.OpPong, f.Payload)
			case wscore.OpClose:
				_, _ = c.WriteFrame(true, wscore.OpClose, f.Payload)
				return
			case wscore.OpPong:
			default:
				_, err = c.WriteFrame(f.Fin, f.Opcode, f.Payload)
			}
			if err != nil {
				return
			}
		}
	}))
	b.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws"
}

// benchEcho drives conns gorilla connections, b.N round trips in all, and
// reports messages per second and the 99th percentile round-trip latency.
func benchEcho(b *testing.B, url string, conns, size int) {
	dialer := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	cs := make([]*websocket.Conn, conns)
	for i := range cs {
		c, _, err := dialer.Dial(url, nil)
		if err != nil {
			b.Fatalf("dial %d: %v", i, err)
		}
		cs[i] = c
	}
	defer func() {
		for _, c := range cs {
			c.Close()
		}
	}()
	msg := bytes.Repeat([]byte("x"), size)
	lat := make([][]time.Duration, conns)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	b.SetBytes(int64(size))
	b.ResetTimer()
	start := time.Now()
	for i, c := range cs {
		n := b.N / conns
		if i < b.N%conns {
			n++
		}
		wg.Add(1)
		go func(i, n int, c *websocket.Conn) {
			defer wg.Done()
			l := make([]time.Duration, 0, n)
			for j := 0; j < n; j++ {
				t0 := time.Now()
				if err := c.WriteMessage(websocket.BinaryMessage, msg); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				if _, got, err := c.ReadMessage(); err != nil || len(got) != size {
					mu.Lock()
					firstErr = fmt.Errorf("read: %v (%d bytes)", err, len(got))
					mu.Unlock()
					return
				}
				l = append(l, time.Since(t0))
			}
			lat[i] = l
		}(i, n, c)
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "msgs/s")
}

// BenchmarkEcoEcho compares the eco echo script (scripts/eco/echo_server.lua
// on golua-ws) with a pure-Go wscore echo server in the same run:
//
//	go test ./spec/eco -run '^$' -bench EcoEcho -benchtime 2000x
//
// Compare msgs/s and p99-µs of server=eco against server=go for each shape.
func BenchmarkEcoEcho(b *testing.B) {
	_, ecoURL := wsStartEcho(b)
	goURL := benchGoEcho(b)
	for _, conns := range []int{1, 100, 1000} {
		for _, size := range []int{16, 1024, 64 << 10} {
			for _, target := range []struct{ name, url string }{{"go", goURL}, {"eco", ecoURL}} {
				name := fmt.Sprintf("conns=%d/size=%d/server=%s", conns, size, target.name)
				b.Run(name, func(b *testing.B) { benchEcho(b, target.url, conns, size) })
			}
		}
	}
}

// benchRSS reads the resident set size of a process in KiB.
func benchRSS(b *testing.B, pid int) int {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	b.Fatal("no VmRSS")
	return 0
}

// BenchmarkEcoIdleMemory measures the golua-ws process's RSS growth per idle
// WebSocket connection held open on the eco echo script (one WebSocket
// handshake and one echoed message each, then idle):
//
//	go test ./spec/eco -run '^$' -bench EcoIdleMemory -benchtime 1x
func BenchmarkEcoIdleMemory(b *testing.B) {
	const n = 2000
	p, url := wsStartEcho(b)
	cs := make([]*websocket.Conn, 0, n)
	defer func() {
		for _, c := range cs {
			c.Close()
		}
	}()
	// Warm up so that one-time allocations are not counted.
	for i := 0; i < 50; i++ {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			b.Fatal(err)
		}
		c.WriteMessage(websocket.TextMessage, []byte("warm"))
		c.ReadMessage()
		cs = append(cs, c)
	}
	time.Sleep(500 * time.Millisecond)
	before := benchRSS(b, p.Pid())
	for i := 0; i < n; i++ {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			b.Fatalf("dial %d: %v", i, err)
		}
		if err := c.WriteMessage(websocket.TextMessage, []byte("hello")); err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.ReadMessage(); err != nil {
			b.Fatal(err)
		}
		cs = append(cs, c)
	}
	time.Sleep(time.Second)
	after := benchRSS(b, p.Pid())
	b.ReportMetric(float64(after-before)/n, "KiB/conn")
	b.ReportMetric(float64(after), "RSS-KiB")
}
