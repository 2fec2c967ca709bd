package natsbus_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/golua-ws/golua-ws/bus"
	"github.com/golua-ws/golua-ws/internal/natstest"
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
