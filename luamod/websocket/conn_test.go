package websocket_test

import (
	"context"
	"errors"
	"net"
	"syscall"
	"testing"
	"time"

	layer "github.com/golua-ws/golua-ws/luamod/websocket"
	"github.com/golua-ws/golua-ws/runtime"
	"github.com/golua-ws/golua-ws/wscore"
)

// stalledPair returns a server-side layer Conn whose client peer never
// reads (its receive buffer shrunk, so writes stall after a few KiB).
func stalledPair(t *testing.T, o layer.Options) (*layer.Conn, net.Conn) {
	t.Helper()
	rt := runtime.New()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = rt.Close(ctx)
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		return rc.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
	}}
	peer, err := d.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peer.Close() })
	nc, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	_ = nc.(*net.TCPConn).SetWriteBuffer(4096)
	c := layer.TakeOver(rt, nc, nil, false, nil, wscore.Negotiated{}, o)
	return c, peer
}

func TestSlowConsumerByQueuedBytes(t *testing.T) {
	c, peer := stalledPair(t, layer.Options{MaxQueued: 64 << 10})
	big := string(make([]byte, 1<<20))
	// A message larger than the limit goes into an empty queue.
	if err := c.Send(nil, wscore.OpBinary, big); err != nil {
		t.Fatalf("first send: %v", err)
	}
	// The writer is stuck on the peer; the next send exceeds the limit.
	err := c.Send(nil, wscore.OpBinary, big)
	var ce *layer.CloseError
	if !errors.Is(err, layer.ErrSlowConsumer) || !errors.As(err, &ce) || ce.Code != wscore.StatusPolicyViolation {
		t.Fatalf("second send: %v, want ErrSlowConsumer with code 1008", err)
	}
	if err := c.Send(nil, wscore.OpText, "x"); !errors.Is(err, layer.ErrSlowConsumer) {
		t.Fatalf("send after the failure: %v", err)
	}
	if c.Pending() > 1<<20 {
		t.Errorf("%d bytes still queued after the failure", c.Pending())
	}
	// The TCP connection is closed: the peer reads what was in flight,
	// then EOF or a reset.
	_ = peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64<<10)
	for {
		if _, err := peer.Read(buf); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("the slow consumer's connection was never closed")
			}
			break
		}
	}
}

func TestWriteTimeout(t *testing.T) {
	c, _ := stalledPair(t, layer.Options{MaxQueued: -1, WriteTimeout: 300 * time.Millisecond})
	if err := c.Send(nil, wscore.OpBinary, string(make([]byte, 8<<20))); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !errors.Is(c.Err(), layer.ErrWriteTimeout) {
		if time.Now().After(deadline) {
			t.Fatalf("no write timeout; Err() = %v", c.Err())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if ce := c.Cause(); ce == nil || ce.Code != wscore.StatusPolicyViolation {
		t.Errorf("Cause() = %v, want the write timeout with 1008", ce)
	}
	select {
	case <-c.WS().Done():
	case <-time.After(5 * time.Second):
		t.Error("the TCP connection was not closed after the write timeout")
	}
}
