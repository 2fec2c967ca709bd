package socket

import (
	"bytes"
	"testing"
	"time"
)

// closerCount counts the calls of its Close.
type closerCount struct{ n int }

func (c *closerCount) Close() error { c.n++; return nil }

// TestDetachCloseCallsOnClose: Close of a detached socket is the new
// owner's onClose (eco.websocket writes what it queued first), called
// once, and leaves the connection alone; Detach hands over the buffered
// bytes and leaves the registry.
func TestDetachCloseCallsOnClose(t *testing.T) {
	reg := NewRegistry()
	defer reg.Close()
	a, aPeer := tcpPair(t)
	s := WrapIn(reg, nil, a, []byte("rest"))
	var oc closerCount
	nc, rest := s.Detach(&oc)
	if nc != a || !bytes.Equal(rest, []byte("rest")) {
		t.Fatalf("Detach returned %v, %q", nc, rest)
	}
	if !s.Detached() || reg.head != nil {
		t.Fatal("a detached socket is not marked or is still in the registry")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	if oc.n != 1 {
		t.Fatalf("onClose called %d times, want 1", oc.n)
	}
	// the connection is still the new owner's: it carries data
	if _, err := a.Write([]byte("x")); err != nil {
		t.Fatalf("Close of a detached socket closed the connection: %v", err)
	}
	_ = aPeer.SetReadDeadline(time.Now().Add(2 * time.Second))
	if _, err := aPeer.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}

	// without onClose, Close closes the connection
	b, bPeer := tcpPair(t)
	sb := WrapIn(reg, nil, b, nil)
	sb.Detach(nil)
	_ = sb.Close()
	if !peerSeesClose(t, bPeer) {
		t.Fatal("Close of a socket detached without onClose left the connection open")
	}
}
