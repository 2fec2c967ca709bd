package rfc6455

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/wscore"
)

// wscoreEcho serves one echo connection over wscore's message API. wscore
// answers pings (AutoPong) and echoes the close frame itself; the echo only
// closes TCP once the connection is over.
func wscoreEcho(conn *wscore.Conn) {
	defer conn.CloseNow()
	for {
		op, data, err := conn.ReadMessage()
		if err != nil {
			return // a protocol error was already answered with its close code
		}
		switch op {
		case wscore.OpText, wscore.OpBinary:
			if err := conn.WriteMessage(op, data); err != nil {
				return
			}
		case wscore.OpClose:
			return // wscore has echoed the close frame
		}
	}
}

// wscoreOptions: wscore is strict by default, so it runs with no deviations.
func wscoreOptions(t *testing.T, role string) SuiteOptions {
	opts := SuiteOptions{Compression: true, Report: &Report{}}
	if testing.Short() {
		opts.QuickSplits = true
	}
	// RFC6455_REPORT=<file> writes the failing cases for the wscore engineer.
	if path := os.Getenv("RFC6455_REPORT"); path != "" {
		t.Cleanup(func() {
			title := "wscore " + role + " role: RFC 6455/7692 conformance failures (go test ./spec/rfc6455 -run TestWscore)"
			appendReport(t, path, opts.Report, title)
		})
	}
	return opts
}

var reportMu sync.Mutex

func appendReport(t *testing.T, path string, r *Report, title string) {
	reportMu.Lock()
	defer reportMu.Unlock()
	tmp := path + ".part"
	if err := r.WriteFile(tmp, title); err != nil {
		t.Errorf("writing report: %v", err)
		return
	}
	part, _ := os.ReadFile(tmp)
	os.Remove(tmp)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Errorf("writing report: %v", err)
		return
	}
	defer f.Close()
	f.Write(append(part, '\n'))
}

func TestWscoreServer(t *testing.T) {
	var wg sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := wscore.Accept(w, r, &wscore.AcceptOptions{
			Compression: &wscore.CompressionOptions{},
			Conn:        wscore.Options{AutoPong: true},
		})
		if err != nil {
			return
		}
		wg.Add(1)
		defer wg.Done()
		wscoreEcho(conn)
	}))
	defer srv.Close()
	RunServerSuite(t, "ws"+strings.TrimPrefix(srv.URL, "http"), wscoreOptions(t, "server"))
	wg.Wait()
}

func TestWscoreClient(t *testing.T) {
	RunClientSuite(t, func(t *testing.T, url string) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			conn, _, err := wscore.Dial(ctx, url, &wscore.DialOptions{
				Compression: &wscore.CompressionOptions{},
				Conn:        wscore.Options{AutoPong: true},
			})
			if err != nil {
				t.Logf("wscore client: %v", err)
				return
			}
			wscoreEcho(conn)
		}()
		t.Cleanup(func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Errorf("wscore echo client did not exit after its case")
			}
		})
	}, wscoreOptions(t, "client"))
}
