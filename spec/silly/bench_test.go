package silly_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/spec/specrun"
	"github.com/golua-ws/golua-ws/wscore"
)

// BenchmarkSillyEcho compares scripts/silly/echo_server.lua with a pure-Go
// echo server on wscore, in the same run: conns clients each send a binary
// message and wait for its echo, b.N messages in all. Metrics: msgs/s and
// p99 round-trip latency. Run with:
//
//	go test -run '^$' -bench BenchmarkSillyEcho -benchtime 2000x ./spec/silly/
func BenchmarkSillyEcho(b *testing.B) {
	addr := fmt.Sprintf("127.0.0.1:%d", specrun.FreePort(b))
	script := filepath.Join(specrun.Root(b), "scripts", "silly", "echo_server.lua")
	p := specrun.Start(b, script, specrun.Options{Args: []string{addr}, Timeout: 30 * time.Minute})
	defer p.Stop()
	p.WaitForPort(addr, 10*time.Second)

	goSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := wscore.Accept(w, r, &wscore.AcceptOptions{Conn: wscore.Options{FragmentSize: 1 << 16}})
		if err != nil {
			return
		}
		for {
			op, data, err := c.ReadMessage()
			if err != nil {
				c.Close(0, "")
				return
			}
			if op.IsData() {
				if c.WriteMessage(op, data) != nil {
					return
				}
			}
		}
	}))
	defer goSrv.Close()
	targets := []struct{ name, url string }{
		{"go", "ws" + strings.TrimPrefix(goSrv.URL, "http") + "/"},
		{"silly", "ws://" + addr + "/"},
	}
	for _, conns := range []int{1, 100, 1000} {
		for _, size := range []int{16, 1024, 64 * 1024} {
			for _, tg := range targets {
				b.Run(fmt.Sprintf("conns=%d/size=%d/%s", conns, size, tg.name), func(b *testing.B) {
					wsBenchEcho(b, tg.url, conns, size)
				})
			}
		}
	}
}

func wsBenchEcho(b *testing.B, url string, conns, size int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cs := make([]*wscore.Conn, conns)
	for i := range cs {
		c, _, err := wscore.Dial(ctx, url, &wscore.DialOptions{Conn: wscore.Options{FragmentSize: 1 << 16}})
		if err != nil {
			b.Fatalf("dial %d: %v", i, err)
		}
		cs[i] = c
	}
	defer func() {
		for _, c := range cs {
			c.CloseNow()
		}
	}()
	msg := make([]byte, size)
	lat := make([][]time.Duration, conns)
	b.SetBytes(int64(size))
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for i, c := range cs {
		n := b.N / conns
		if i < b.N%conns {
			n++
		}
		wg.Add(1)
		go func(i int, c *wscore.Conn, n int) {
			defer wg.Done()
			for j := 0; j < n; j++ {
				t0 := time.Now()
				if err := c.WriteMessage(wscore.OpBinary, msg); err != nil {
					b.Error(err)
					return
				}
				if _, _, err := c.ReadMessage(); err != nil {
					b.Error(err)
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		}(i, c, n)
	}
	wg.Wait()
	el := time.Since(start)
	b.StopTimer()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(len(all))/el.Seconds(), "msgs/s")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	}
}

// BenchmarkSillyIdleMemory opens 1000 idle WebSocket connections to the
// silly echo script and reports the growth of its resident memory per
// connection (KiB/conn).
func BenchmarkSillyIdleMemory(b *testing.B) {
	const n = 1000
	for i := 0; i < b.N; i++ {
		addr := fmt.Sprintf("127.0.0.1:%d", specrun.FreePort(b))
		script := filepath.Join(specrun.Root(b), "scripts", "silly", "echo_server.lua")
		p := specrun.Start(b, script, specrun.Options{Args: []string{addr}, Timeout: 5 * time.Minute})
		p.WaitForPort(addr, 10*time.Second)
		// one connection first so that lazily built state is not counted
		warm, _, err := wscore.Dial(context.Background(), "ws://"+addr+"/", nil)
		if err != nil {
			b.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		before := wsRSS(b, p.Pid())
		cs := make([]*wscore.Conn, 0, n)
		for j := 0; j < n; j++ {
			c, _, err := wscore.Dial(context.Background(), "ws://"+addr+"/", nil)
			if err != nil {
				b.Fatal(err)
			}
			cs = append(cs, c)
		}
		// make sure every handler runs and is parked in sock:read
		for _, c := range cs {
			_ = c.WriteMessage(wscore.OpText, []byte("x"))
			_, _, _ = c.ReadMessage()
		}
		time.Sleep(time.Second)
		after := wsRSS(b, p.Pid())
		b.ReportMetric(float64(after-before)/n, "KiB/conn")
		for _, c := range cs {
			c.CloseNow()
		}
		warm.CloseNow()
		p.Stop()
	}
}

// wsRSS reads VmRSS (KiB) of a process.
func wsRSS(b *testing.B, pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			v, _ := strconv.Atoi(f[1])
			return v
		}
	}
	b.Fatal("no VmRSS")
	return 0
}
