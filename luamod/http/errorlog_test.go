package http

import (
	"crypto/tls"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	sillynet "github.com/golua-ws/golua-ws/luamod/silly/net"
	"github.com/golua-ws/golua-ws/runtime"
)

// With a structured log, net/http's own messages (here: a client that
// is not speaking TLS) become debug records; at info they are dropped.
func TestNetHTTPMessagesAreDebugRecords(t *testing.T) {
	certPEM, keyPEM, err := sillynet.SelfSigned([]string{"127.0.0.1"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
	if err != nil {
		t.Fatal(err)
	}
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo} {
		logged := &syncbuf.Buffer{}
		logger := slog.New(slog.NewJSONHandler(logged, &slog.HandlerOptions{Level: level}))
		rt := runtime.New(runtime.WithStructuredLog(logger))
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		s := New(rt, ln, Config{Handler: http.NotFoundHandler(), TLS: &tls.Config{Certificates: []tls.Certificate{cert}}})
		served := make(chan error, 1)
		go func() { served <- s.Serve() }()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		_, _ = c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _ = c.Read(make([]byte, 512)) // the server's answer, then EOF
		_ = c.Close()
		deadline := time.Now().Add(5 * time.Second)
		for level == slog.LevelDebug && logged.String() == "" && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		_ = s.Close()
		<-served
		rt.Exit(0)
		out := logged.String()
		if level == slog.LevelInfo {
			if out != "" {
				t.Errorf("at info: %q", out)
			}
			continue
		}
		var rec map[string]any
		line, _, _ := strings.Cut(out, "\n")
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%v: %q", err, out)
		}
		if rec["level"] != "DEBUG" || rec["logger"] != "net/http" || !strings.Contains(rec["msg"].(string), "TLS handshake error") {
			t.Errorf("record %v", rec)
		}
	}
}
