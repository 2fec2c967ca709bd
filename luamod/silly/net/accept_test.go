package sillynet

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/internal/syncbuf"
	"github.com/golua-ws/golua-ws/runtime"
)

// TestAcceptFailureIsLogged: an accept error that closes the listener
// (shutdown(2) of the listening socket makes accept fail with EINVAL) is
// reported through the runtime's logger; the script closing its listener
// is not.
func TestAcceptFailureIsLogged(t *testing.T) {
	var logged syncbuf.Buffer
	rt := runtime.New(runtime.WithStructuredLog(slog.New(slog.NewJSONHandler(&logged, nil))))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := NewListener(ln, func() {}, nil)
	done := make(chan struct{})
	go func() { acceptLoop(rt, l, nil); close(done) }()
	raw, err := ln.(*net.TCPListener).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Control(func(fd uintptr) { err = syscall.Shutdown(int(fd), syscall.SHUT_RD) }); err != nil {
		t.Fatal(err)
	}
	if err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("accept loop did not end")
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(logged.String()), &rec); err != nil {
		t.Fatalf("%v: %q", err, logged.String())
	}
	if rec["msg"] != "accept failed, listener closed" || rec["level"] != "ERROR" || rec["listen"] != ln.Addr().String() || rec["error"] == "" {
		t.Errorf("record %v", rec)
	}

	// Closed by the script: nothing is logged.
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	before := len(logged.String())
	l2 := NewListener(ln2, func() {}, nil)
	done2 := make(chan struct{})
	go func() { acceptLoop(rt, l2, nil); close(done2) }()
	l2.Close()
	select {
	case <-done2:
	case <-time.After(5 * time.Second):
		t.Fatal("accept loop did not end after Close")
	}
	if got := logged.String()[before:]; got != "" {
		t.Errorf("logged after a script close: %q", got)
	}
}
