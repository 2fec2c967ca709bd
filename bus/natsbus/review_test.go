package natsbus_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/golua-ws/golua-ws/bus"
	"github.com/golua-ws/golua-ws/bus/natsbus"
	"github.com/golua-ws/golua-ws/internal/natstest"
	"github.com/golua-ws/golua-ws/internal/syncbuf"
)

// TestLongSubjectDoesNotDropConnection: a subject longer than the server's
// control line is refused by the bus with ErrBadSubject, instead of being
// sent and making the server close the connection (which cut every
// subscription of the process until the reconnect).
func TestLongSubjectDoesNotDropConnection(t *testing.T) {
	srv := natstest.Start(t)
	b := connect(t, srv.URL())
	s := subscribe(t, b, "ok")
	long := "a." + strings.Repeat("x", 5000)
	if err := b.Publish(long, []byte("x")); !errors.Is(err, bus.ErrBadSubject) {
		t.Errorf("publish to a %d-byte subject: %v, want ErrBadSubject", len(long), err)
	}
	if _, err := b.Subscribe(long); !errors.Is(err, bus.ErrBadSubject) {
		t.Errorf("subscribe to a %d-byte subject: %v, want ErrBadSubject", len(long), err)
	}
	if err := b.Publish("ok", []byte("after")); err != nil {
		t.Fatal(err)
	}
	if m := mustRecv(t, s); string(m.Data) != "after" {
		t.Fatalf("got %q", m.Data)
	}
	if n := b.Conn().Stats().Reconnects; n != 0 {
		t.Fatalf("the connection reconnected %d times", n)
	}
}

// TestUnexpectedCloseIsLogged: when nats.go gives up on the connection for
// good (here: the server closed it for a protocol error), the bus says so
// in its log, since every publish and subscribe fails from then on; the
// bus's own Close is not reported.
func TestUnexpectedCloseIsLogged(t *testing.T) {
	srv := natstest.Start(t)
	var log syncbuf.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	bb, err := natsbus.Connect(ctx, srv.URL(), natsbus.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))
	if err != nil {
		t.Fatal(err)
	}
	b := bb.(*natsbus.Bus)
	defer b.Close()
	// Around the bus's checks, as a host using Conn might.
	_ = b.Conn().Publish("a."+strings.Repeat("x", 5000), nil)
	for !strings.Contains(log.String(), "closed for good") {
		if ctx.Err() != nil {
			t.Fatalf("no log line about the closed connection:\n%s", log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := b.Publish("a", nil); !errors.Is(err, bus.ErrClosed) {
		t.Fatalf("publish after: %v", err)
	}

	var quiet syncbuf.Buffer
	b2, err := natsbus.Connect(ctx, srv.URL(), natsbus.WithLogger(slog.New(slog.NewTextHandler(&quiet, nil))))
	if err != nil {
		t.Fatal(err)
	}
	_ = b2.Close()
	time.Sleep(50 * time.Millisecond) // nats.go calls the handler asynchronously
	if strings.Contains(quiet.String(), "closed for good") {
		t.Fatalf("Close was reported as unexpected:\n%s", quiet.String())
	}
}
