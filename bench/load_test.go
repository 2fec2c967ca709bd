package bench

import (
	"context"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/wscore"
)

// startServer runs h on a fresh 127.0.0.1 port for the test and returns the
// WebSocket URL.
func startServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "ws://" + ln.Addr().String() + "/ws"
}

func startEcho(t *testing.T, kind string) string {
	t.Helper()
	h, err := EchoHandler(kind)
	if err != nil {
		t.Fatal(err)
	}
	return startServer(t, h)
}

// checkClean fails t unless the run completed round trips without any error
// or mismatch.
func checkClean(t *testing.T, name string, cfg LoadConfig, res LoadResult) {
	t.Helper()
	if res.Failed() {
		t.Errorf("%s: %d errors, %d mismatches; first: %s", name, res.Errors, res.Mismatches, res.FirstError)
	}
	if res.Conns != cfg.Conns {
		t.Errorf("%s: %d of %d connections opened", name, res.Conns, cfg.Conns)
	}
	if res.Messages == 0 || res.P99 <= 0 || res.Max < res.P99 || res.P99 < res.P50 {
		t.Errorf("%s: implausible result %v", name, res)
	}
}

// Every client against every Go server, binary and text, small and large.
func TestLoadAgainstGoServers(t *testing.T) {
	for _, server := range []string{ServerWscore, ServerGorilla} {
		url := startEcho(t, server)
		for _, client := range []Client{ClientGorilla, ClientWscore} {
			for _, tc := range []struct {
				conns, size int
				text        bool
			}{{1, 16, false}, {3, 64 << 10, true}, {4, 0, false}} {
				cfg := LoadConfig{URL: url, Conns: tc.conns, Size: tc.size, Text: tc.text,
					Duration: 150 * time.Millisecond, Warmup: 50 * time.Millisecond, Client: client}
				res, err := Load(context.Background(), cfg)
				if err == nil && res.Messages == 0 {
					// A loaded machine can starve a 150 ms window; what is
					// checked is that echoes come back right, so give it
					// one longer window before calling it implausible.
					cfg.Duration = 2 * time.Second
					res, err = Load(context.Background(), cfg)
				}
				if err != nil {
					t.Fatal(err)
				}
				checkClean(t, server+"/"+string(client), cfg, res)
			}
		}
	}
}

// A server that corrupts echoes must be caught: the check is real.
func TestLoadDetectsWrongEchoes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mangle func(op wscore.Opcode, p []byte) (wscore.Opcode, []byte)
		// stale answers each message with the one before it instead.
		stale bool
	}{
		{"flipped last byte", func(op wscore.Opcode, p []byte) (wscore.Opcode, []byte) {
			if len(p) > 0 {
				p[len(p)-1] ^= 1
			}
			return op, p
		}, false},
		{"one byte longer", func(op wscore.Opcode, p []byte) (wscore.Opcode, []byte) { return op, append(p, 'x') }, false},
		{"one byte shorter", func(op wscore.Opcode, p []byte) (wscore.Opcode, []byte) { return op, p[:len(p)-1] }, false},
		{"text for binary", func(op wscore.Opcode, p []byte) (wscore.Opcode, []byte) { return wscore.OpText, p }, false},
		{"stale echo", nil, true},
	} {
		url := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, err := wscore.Accept(w, r, nil)
			if err != nil {
				return
			}
			defer c.CloseNow()
			var prev []byte
			for {
				op, data, err := c.ReadMessage()
				if err != nil {
					return
				}
				if op.IsData() {
					data = append([]byte(nil), data...)
					if tc.stale {
						// Every message carries a new sequence number, so
						// the previous one never equals the current one.
						if prev != nil {
							data, prev = prev, data
						} else {
							prev = data
						}
					} else {
						op, data = tc.mangle(op, data)
					}
					if c.WriteMessage(op, data) != nil {
						return
					}
				}
			}
		}))
		for _, client := range []Client{ClientGorilla, ClientWscore} {
			res, err := Load(context.Background(), LoadConfig{URL: url, Conns: 2, Size: 100,
				Duration: 100 * time.Millisecond, Client: client})
			if err != nil {
				t.Fatal(err)
			}
			if res.Mismatches == 0 || !res.Failed() {
				t.Errorf("%s, client %s: no mismatch reported: %v", tc.name, client, res)
			}
		}
	}
}

// A server that hangs up mid-run or refuses connections counts as errors.
func TestLoadCountsErrors(t *testing.T) {
	url := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := wscore.Accept(w, r, nil)
		if err != nil {
			return
		}
		for i := 0; i < 3; i++ {
			op, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			c.WriteMessage(op, data)
		}
		c.CloseNow()
	}))
	res, err := Load(context.Background(), LoadConfig{URL: url, Conns: 2, Size: 16, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 2 || res.Mismatches != 0 {
		t.Errorf("server hanging up after 3 echoes: got %d errors, %d mismatches, want 2 and 0: %v", res.Errors, res.Mismatches, res)
	}

	addr, err := FreeAddr() // nothing listens there
	if err != nil {
		t.Fatal(err)
	}
	res, err = Load(context.Background(), LoadConfig{URL: "ws://" + addr + "/ws", Conns: 3, Size: 16, Duration: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 3 || res.Conns != 0 || !strings.Contains(res.FirstError, "dial") {
		t.Errorf("no server: got %d errors, %d conns, first %q; want 3 dial errors", res.Errors, res.Conns, res.FirstError)
	}

	if _, err := Load(context.Background(), LoadConfig{URL: url, Conns: 0, Size: 16, Duration: time.Second}); err == nil {
		t.Error("Load accepted 0 connections")
	}
}

func TestLoadStopsWhenCancelled(t *testing.T) {
	url := startEcho(t, ServerWscore)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan LoadResult, 1)
	go func() {
		res, _ := Load(ctx, LoadConfig{URL: url, Conns: 2, Size: 16, Duration: time.Hour})
		done <- res
	}()
	select {
	case res := <-done:
		if res.Failed() || res.Messages == 0 {
			t.Errorf("cancelled run: %v", res)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Load did not stop after its context ended")
	}
}

func TestIdleSet(t *testing.T) {
	url := startEcho(t, ServerGorilla)
	for _, client := range []Client{ClientGorilla, ClientWscore} {
		set, err := OpenIdle(context.Background(), client, url, 20, 8)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
		if set.Open() != 20 || set.Dropped() != 0 {
			t.Errorf("client %s: open %d dropped %d, want 20 and 0", client, set.Open(), set.Dropped())
		}
		set.Close()
		if set.Dropped() != 20 {
			t.Errorf("client %s: after Close %d of 20 ended", client, set.Dropped())
		}
	}
}

func TestProcessStats(t *testing.T) {
	rss, err := ReadRSS(os.Getpid())
	if err != nil || rss <= 0 {
		t.Fatalf("ReadRSS(self) = %d, %v", rss, err)
	}
	// Burn some CPU so the 10 ms clock has something to show.
	deadline := time.Now().Add(50 * time.Millisecond)
	for x := 0; time.Now().Before(deadline); x++ {
	}
	cpu, err := ProcessCPU(os.Getpid())
	if err != nil || cpu <= 0 {
		t.Fatalf("ProcessCPU(self) = %v, %v", cpu, err)
	}
	if self := selfCPU(); self <= 0 {
		t.Errorf("selfCPU = %v", self)
	}
}

func TestRaiseFileLimit(t *testing.T) {
	if err := RaiseFileLimit(); err != nil {
		t.Fatal(err)
	}
}
